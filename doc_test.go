package pachidp

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// undocumentedInValuesGo are names of values.go, whose doc comments its
// owner is still writing; remove them from here once documented.
var undocumentedInValuesGo = map[string]bool{"EditError.Error": true}

// TestExportedNamesDocumented: every exported name of the package has a doc
// comment, as go doc shows it.
func TestExportedNamesDocumented(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	files := []*ast.File{}
	for _, f := range pkgs["pachidp"].Files {
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/pachidp/pachidp")
	if err != nil {
		t.Fatal(err)
	}
	missing := func(name, text string) {
		if strings.TrimSpace(text) == "" && !undocumentedInValuesGo[name] {
			t.Errorf("%s has no doc comment", name)
		}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			if v.Doc != "" {
				continue
			}
			// A group without a doc comment needs one on each name.
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				for _, n := range vs.Names {
					if n.IsExported() {
						missing(n.Name, vs.Doc.Text()+vs.Comment.Text())
					}
				}
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			missing(prefix+f.Name, f.Doc)
		}
	}
	values(p.Consts)
	values(p.Vars)
	funcs("", p.Funcs)
	for _, ty := range p.Types {
		missing(ty.Name, ty.Doc)
		values(ty.Consts)
		values(ty.Vars)
		funcs("", ty.Funcs)
		funcs(ty.Name+".", ty.Methods)
	}
}

// longFuncLines is the length past which a function must say, in its doc
// comment, what it does and why that is safe (the developers' guide).
const longFuncLines = 40

// TestLongFunctionsCommented: every function or method of internal/ longer
// than longFuncLines lines has a doc comment.
func TestLongFunctionsCommented(t *testing.T) {
	fset := token.NewFileSet()
	err := fs.WalkDir(os.DirFS("."), "internal", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if n > longFuncLines && (fn.Doc == nil || strings.TrimSpace(fn.Doc.Text()) == "") {
				t.Errorf("%s: %s is %d lines long and has no doc comment: say what it does and why that is safe",
					fset.Position(fn.Pos()), funcName(fn), n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// funcName returns "F" or "T.M" for a function or method declaration.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	if ix, ok := typ.(*ast.IndexExpr); ok {
		typ = ix.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
