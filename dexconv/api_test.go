package dexconv

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
)

// TestNoPanics sweeps the package's exported API, read from its source, as
// the root's TestNoPanics sweeps the root's: every function returns on nil
// and zero arguments and on configs whose Extra holds itself or a value
// JSON cannot write; no loss and no error shows the client secret. The
// package exports no type (TestEveryTypeRedacts would have to list it).
func TestNoPanics(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range pkgs["dexconv"].Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						t.Errorf("exported type %s: classify it for redaction (see the root's TestEveryTypeRedacts)", ts.Name.Name)
					}
				}
			}
		}
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"FromDex", "ToDex"}) {
		t.Fatalf("exported functions %q: add the new ones to this test", names)
	}

	const secret = "dexconv-Secret-5e6f"
	cyc := map[string]any{"k": "v"}
	cyc["self"] = cyc
	for name, c := range map[string]*pachidp.OIDCConfig{
		"nil": nil, "zero": {},
		"cyclic Extra":     {ClientSecret: secret, Extra: map[string]any{"x": cyc}},
		"complex in Extra": {ClientSecret: secret, Extra: map[string]any{"x": complex(1, 2)}},
		"cyclic section":   {ClientSecret: secret, ClaimMapping: &pachidp.ClaimMapping{Extra: cyc}},
		"secret mistyped":  {Extra: map[string]any{"clientSecret": []any{secret}}},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("ToDex(%s) panics: %v", name, r)
				}
			}()
			_, losses, err := ToDex(c)
			for _, l := range losses {
				if strings.Contains(l.String(), secret) {
					t.Errorf("ToDex(%s): a loss shows the secret", name)
				}
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("ToDex(%s): the error shows the secret", name)
			}
		}()
	}
	for name, c := range map[string]*oidc.Config{"nil": nil, "zero": {}} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("FromDex(%s) panics: %v", name, r)
				}
			}()
			FromDex(c)
		}()
	}
}
