package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function of the command may be: a
// subcommand is split by concern (its flags, the reading of its inputs, the
// edit, the output) so that each part reads on one screen (issue 16).
const maxFuncLines = 80

// longFuncs returns "file:line: name is N lines long" for each function
// declared in src longer than max lines, counted from func to the closing
// brace.
func longFuncs(fset *token.FileSet, name string, src any, max int) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	var long []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		if n > max {
			fname := fn.Name.Name
			if fn.Recv != nil && len(fn.Recv.List) > 0 {
				typ := fn.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					fname = id.Name + "." + fname
				}
			}
			long = append(long, fset.Position(fn.Pos()).String()+": "+fname+" is "+strconv.Itoa(n)+" lines long")
		}
	}
	return long, nil
}

// TestNoLongFunctions fails when a function of the command (not of its
// tests) is longer than maxFuncLines.
func TestNoLongFunctions(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		long, err := longFuncs(fset, name, nil, maxFuncLines)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range long {
			t.Errorf("%s (at most %d): split it by concern (flags, input, the edit, output)", l, maxFuncLines)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("checked %d source files: run in cmd/pachidp", checked)
	}
}

// TestLongFuncsFinds makes sure the measure of TestNoLongFunctions finds a
// function one line too long, and only that one.
func TestLongFuncsFinds(t *testing.T) {
	body := strings.Repeat("\tx++\n", maxFuncLines-2) // func line + body + brace = maxFuncLines
	src := "package p\n\nvar x int\n\nfunc fits() {\n" + body + "}\n\ntype T struct{}\n\nfunc (*T) tooLong() {\n" + body + "\tx++\n}\n"
	long, err := longFuncs(token.NewFileSet(), "p.go", src, maxFuncLines)
	if err != nil {
		t.Fatal(err)
	}
	if len(long) != 1 || !strings.Contains(long[0], "T.tooLong is "+strconv.Itoa(maxFuncLines+1)+" lines long") {
		t.Errorf("longFuncs = %q, want T.tooLong only, %d lines", long, maxFuncLines+1)
	}
	if _, err := os.Stat("main.go"); err != nil {
		t.Fatalf("not in cmd/pachidp: %v", err)
	}
}
