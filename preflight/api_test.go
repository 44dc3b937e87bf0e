package preflight

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pachidp/pachidp"
)

// The root's TestNoPanics and TestEveryTypeRedacts sweep the root's exported
// API, read from its source; these two sweep this package's the same way.

// exportedAPI returns the exported functions (no receiver) and types of
// the package's source.
func exportedAPI(t *testing.T) (funcs, types []string) {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range pkgs["preflight"].Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					funcs = append(funcs, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						types = append(types, ts.Name.Name)
					}
				}
			}
		}
	}
	sort.Strings(funcs)
	sort.Strings(types)
	return funcs, types
}

// apiTypes are the package's exported types, each with its zero value; none
// can hold a secret (TestEveryTypeHoldsNoSecret).
var apiTypes = map[string]any{
	"CheckStatus": CheckStatus(0), "Check": Check{}, "Error": Error{}, "Options": Options{},
	"Result": Result{}, "Results": Results{},
}

// TestNoPanics: Run returns on a nil context, nil and zero entries, and an
// entry whose config holds itself; every method of every exported type
// returns on nil and zero receivers.
func TestNoPanics(t *testing.T) {
	funcs, types := exportedAPI(t)
	if !reflect.DeepEqual(funcs, []string{"Run"}) {
		t.Fatalf("exported functions %q: add the new ones to this test", funcs)
	}
	cyc := map[string]any{"issuer": "https://a.example.com"}
	cyc["self"] = cyc
	for _, idps := range [][]pachidp.UpstreamIDP{nil, {{}}, {{Type: "oidc"}},
		{{ID: "a", Type: "oidc", OIDC: &pachidp.OIDCConfig{Issuer: "http://127.0.0.1:1", Extra: cyc}}},
		{{ID: "g", Type: "github", Config: pachidp.ConnectorConfig(cyc), Extra: map[string]any{"x": complex(1, 2)}}}} {
		//lint:ignore SA1012 a nil context is a misuse Run survives
		Run(nil, idps, Options{Timeout: 2 * time.Second}) //nolint:staticcheck
		Run(context.Background(), idps, Options{RootCAs: []byte("x"), Timeout: time.Second})
	}
	for _, name := range types {
		zero, ok := apiTypes[name]
		if !ok {
			t.Errorf("exported type %s is not in apiTypes", name)
			continue
		}
		typ := reflect.TypeOf(zero)
		for _, recv := range []reflect.Value{reflect.Zero(typ), reflect.New(typ), reflect.Zero(reflect.PointerTo(typ))} {
			for i := range recv.NumMethod() {
				m := recv.Method(i)
				mname := recv.Type().Method(i).Name
				if _, value := typ.MethodByName(mname); m.Type().NumIn() > 0 || (value && recv.Kind() == reflect.Pointer && recv.IsNil()) {
					continue // a value method on a nil pointer panics in any Go code
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("%s.%s on %s panics: %v", name, mname, recv.Type(), r)
						}
					}()
					m.Call(nil)
				}()
			}
		}
	}
}

// TestEveryTypeHoldsNoSecret: no exported type of the package has, at any
// depth, a field of a root type that holds a client secret, a field of
// interface type other than error, or a string field named like a secret.
// (Its messages are scrubbed of the entry's secret: TestPreflight.)
func TestEveryTypeHoldsNoSecret(t *testing.T) {
	secret := map[reflect.Type]bool{}
	for _, v := range []any{pachidp.UpstreamIDP{}, pachidp.OIDCConfig{}, pachidp.ConnectorConfig{}, pachidp.HelmValues{},
		pachidp.Document{}, pachidp.Layers{}, pachidp.UpstreamIDPsSecret{}} {
		secret[reflect.TypeOf(v)] = true
	}
	var holds func(t reflect.Type, path string, depth int) string
	holds = func(t reflect.Type, path string, depth int) string {
		if depth > 6 {
			return ""
		}
		if secret[t] {
			return path
		}
		switch t.Kind() {
		case reflect.Interface:
			if t != reflect.TypeFor[error]() && t.NumMethod() == 0 {
				return path
			}
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			return holds(t.Elem(), path+"[]", depth+1)
		case reflect.Struct:
			if t.PkgPath() != reflect.TypeFor[Options]().PkgPath() && t.PkgPath() != reflect.TypeFor[pachidp.Position]().PkgPath() {
				return "" // another package's type (http.Client, slog.Logger)
			}
			for i := range t.NumField() {
				f := t.Field(i)
				if f.Type.Kind() == reflect.String && pachidp.IsSecretKey("", f.Name) {
					return path + "." + f.Name
				}
				if p := holds(f.Type, path+"."+f.Name, depth+1); p != "" {
					return p
				}
			}
		}
		return ""
	}
	_, types := exportedAPI(t)
	for _, name := range types {
		zero, ok := apiTypes[name]
		if !ok {
			t.Errorf("exported type %s is not in apiTypes", name)
			continue
		}
		if p := holds(reflect.TypeOf(zero), name, 0); p != "" {
			t.Errorf("%s may hold a secret through %s", name, p)
		}
	}
}

// TestCheckJSON pins a check's JSON form (the command's -o json).
func TestCheckJSON(t *testing.T) {
	got, err := json.Marshal(Check{Name: "issuer", Status: CheckFailed, Path: "p", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"issuer","status":"failed","path":"p","position":{"line":0,"column":0},"message":"m"}`; string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
