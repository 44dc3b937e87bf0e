package pachidp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMENamesExist: every test, Example, fuzz target and benchmark the
// README names, and every pachidp.Name its code uses, exists, so that a
// rename cannot leave the README pointing at nothing.
func TestREADMENamesExist(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]bool{}
	exported := map[string]bool{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	for _, dir := range []string{"cmd/pachidp", "internal/*", "examples/*", "conformance/*", "conformance/dex/*"} {
		more, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		files = append(files, more...)
	}
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		root := !strings.Contains(f, "/") && af.Name.Name == "pachidp"
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				funcs[d.Name.Name] = true
				if root && d.Recv == nil && d.Name.IsExported() {
					exported[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if root {
							exported[s.Name.Name] = s.Name.IsExported()
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if root && n.IsExported() {
								exported[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	for _, m := range regexp.MustCompile("`((?:Test|Example|Fuzz|Benchmark)[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(readme), -1) {
		if !funcs[m[1]] {
			t.Errorf("README names %s, which no test file declares", m[1])
		}
	}
	n := 0
	for _, m := range regexp.MustCompile(`\bpachidp\.([A-Z][A-Za-z0-9]*)`).FindAllStringSubmatch(string(readme), -1) {
		n++
		if !exported[m[1]] {
			t.Errorf("README uses pachidp.%s, which the package does not export", m[1])
		}
	}
	if n < 10 {
		t.Errorf("found only %d pachidp.Name uses in the README: the pattern is stale", n)
	}
}
