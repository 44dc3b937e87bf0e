package pachidp

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// undocumentedInValuesGo are names of values.go, whose doc comments its
// owner is still writing; remove them from here once documented.
var undocumentedInValuesGo = map[string]bool{"EditError.Error": true, "Format.String": true}

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
