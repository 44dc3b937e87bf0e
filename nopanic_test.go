package pachidp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
)

// exportedFuncs are the package's exported functions, by name; the test
// checks the list against the source (go/parser), so a new one cannot be
// missed.
var exportedFuncs = map[string]any{
	"DecodeDexConnectors": DecodeDexConnectors, "DecodePachctlConnector": DecodePachctlConnector,
	"DecodeSecretManifest": DecodeSecretManifest, "DecodeUpstreamIDPs": DecodeUpstreamIDPs,
	"EditFile": EditFile, "EditSecretFile": EditSecretFile, "EncodeDexConnectors": EncodeDexConnectors, "EncodePachctlConnector": EncodePachctlConnector,
	"EncodeUpstreamIDPs": EncodeUpstreamIDPs, "IsSecretKey": IsSecretKey,
	"NewLayers":    NewLayers,
	"OpenDocument": OpenDocument, "OpenDocumentWith": OpenDocumentWith, "OpenLayerFiles": OpenLayerFiles, "ParseTarget": ParseTarget,
	"RedactAttr": RedactAttr, "RedactText": RedactText, "RegisterValidations": RegisterValidations,
	"RenderUpstreamIDPs": RenderUpstreamIDPs, "Rules": Rules, "Targets": Targets, "UpstreamIDPFromMap": UpstreamIDPFromMap,
	"Validate": Validate, "ValidateValues": ValidateValues,
}

// sourceFuncs returns the names of the exported functions (no receiver)
// of the package's source.
func sourceFuncs(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range pkgs["pachidp"].Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.IsExported() {
				names = append(names, fd.Name.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// cyclic returns a HelmValues that holds itself, under oidc and under
// oidc.upstreamIDPs[0].config, and a map[string]any that does.
func cyclic() (HelmValues, map[string]any) {
	m := map[string]any{"id": "a", "type": "oidc"}
	m["config"] = m
	list := []any{m, nil}
	oidc := map[string]any{"upstreamIDPs": list}
	oidc["self"] = oidc
	h := HelmValues{"oidc": oidc}
	h["loop"] = map[string]any(h)
	list[1] = map[string]any(h)
	return h, m
}

// argValues returns the values to pass as a parameter of type t: its zero
// value, and, for a map or an interface, a cyclic value, and for a pointer
// to a struct, a pointer to its zero value.
func argValues(t reflect.Type) []reflect.Value {
	if t == reflect.TypeFor[fmt.State]() {
		// fmt passes a real state: a nil one is no input a caller makes.
		return []reflect.Value{reflect.ValueOf(fmt.State(&stubState{}))}
	}
	if t == reflect.TypeFor[*validator.Validate]() {
		// validator's zero Validate is unusable (its maps are nil): callers
		// get one from validator.New.
		return []reflect.Value{reflect.Zero(t), reflect.ValueOf(validator.New())}
	}
	out := []reflect.Value{reflect.Zero(t)}
	h, m := cyclic()
	if t.Kind() == reflect.Interface && t.PkgPath() == secretPkg {
		// Nil and zero values of this package's types that implement it.
		for _, v := range []any{(*Document)(nil), &Document{}, (*Layers)(nil), &Layers{}, HelmValues(nil)} {
			if reflect.TypeOf(v).Implements(t) {
				out = append(out, reflect.ValueOf(v))
			}
		}
	}
	if t == reflect.TypeFor[slog.Attr]() {
		// A DAG: 2^40 paths through 40 maps.
		dag := map[string]any{"leaf": "x"}
		for range 40 {
			dag = map[string]any{"a": dag, "b": dag}
		}
		out = append(out, reflect.ValueOf(slog.Any("v", h)), reflect.ValueOf(slog.Any("clientSecret", m)),
			reflect.ValueOf(slog.Any("list", []any{h, m})), reflect.ValueOf(slog.Any("dag", dag)), reflect.ValueOf(slog.Any("dags", []any{dag})))
	}
	switch {
	case t == reflect.TypeOf(h):
		out = append(out, reflect.ValueOf(h))
	case t.Kind() == reflect.Map && reflect.TypeOf(m).AssignableTo(t):
		out = append(out, reflect.ValueOf(m).Convert(t))
	case t.Kind() == reflect.Interface && reflect.TypeOf(h).Implements(t):
		out = append(out, reflect.ValueOf(h))
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		out = append(out, reflect.New(t.Elem()))
	case t.Kind() == reflect.Slice && t.Elem() == reflect.TypeOf(UpstreamIDP{}):
		e := UpstreamIDP{ID: "a", Type: "github", Config: ConnectorConfig(m), Extra: map[string]any{"x": complex(1, 2), "y": m}}
		out = append(out, reflect.ValueOf([]UpstreamIDP{e}))
	}
	return out
}

// call calls f with args, and reports a panic, or a call that has not
// returned after 20 seconds.
func call(f reflect.Value, args []reflect.Value) (msg string) {
	done := make(chan string, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Sprint("panic: ", r)
			}
		}()
		if f.Type().IsVariadic() {
			f.CallSlice(args)
		} else {
			f.Call(args)
		}
		done <- ""
	}()
	select {
	case msg = <-done:
		return msg
	case <-time.After(20 * time.Second):
		return "no return after 20 s"
	}
}

// combos calls visit with every combination of the values of each
// parameter (argValues), at most 64.
func combos(in []reflect.Type, visit func([]reflect.Value)) {
	choices := make([][]reflect.Value, len(in))
	for i, t := range in {
		choices[i] = argValues(t)
	}
	idx := make([]int, len(in))
	for n := 0; n < 64; n++ {
		args := make([]reflect.Value, len(in))
		for i := range in {
			args[i] = choices[i][idx[i]]
		}
		visit(args)
		i := 0
		for ; i < len(in); i++ {
			if idx[i]++; idx[i] < len(choices[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(in) {
			return
		}
	}
}

// receivers returns the receivers to call the methods of type t on: nil
// and zero pointers, the zero value, and cyclic values of map types.
func receivers(t reflect.Type) map[string]reflect.Value {
	out := map[string]reflect.Value{
		"nil *" + t.Name():  reflect.Zero(reflect.PointerTo(t)),
		"zero *" + t.Name(): reflect.New(t),
	}
	if t.Kind() != reflect.Interface {
		out["zero "+t.Name()] = reflect.Zero(t)
	}
	h, m := cyclic()
	switch {
	case t == reflect.TypeOf(h):
		out["cyclic HelmValues"] = reflect.ValueOf(h)
	case t.Kind() == reflect.Map && reflect.TypeOf(m).ConvertibleTo(t):
		out["cyclic "+t.Name()] = reflect.ValueOf(m).Convert(t)
	case t == reflect.TypeOf(UpstreamIDP{}):
		out["entry with complex128 and a cycle in Extra"] = reflect.ValueOf(UpstreamIDP{ID: "a", Type: "github",
			Config: ConnectorConfig(m), Extra: map[string]any{"x": complex(1, 2), "y": m}})
	}
	return out
}

// TestNoPanics (issue 15): every exported function and method, found by
// reflection over the method sets of every exported type (the types
// TestEveryTypeRedacts lists, itself checked against the source) and over
// the functions of the source, returns on nil receivers and arguments,
// zero values (a zero Document), values that hold themselves (a cyclic
// HelmValues, a config map that is its own value) and odd values (a
// complex128 in Extra): no panic, no endless recursion. Before, 26 of
// about 60 calls panicked and a cyclic HelmValues overflowed the stack.
func TestNoPanics(t *testing.T) {
	if got, want := sourceFuncs(t), func() []string {
		var n []string
		for k := range exportedFuncs {
			n = append(n, k)
		}
		sort.Strings(n)
		return n
	}(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("exportedFuncs lists %v, the source declares %v: add the new function", want, got)
	}
	dir := t.TempDir()
	t.Chdir(dir) // a function that writes a file given "" writes nothing outside
	var types []reflect.Type
	for _, v := range secretTypes(t) {
		types = append(types, reflect.TypeOf(v))
	}
	for _, v := range noSecretTypes {
		typ := reflect.TypeOf(v)
		if typ.Kind() == reflect.Pointer && typ.Elem().Kind() == reflect.Interface {
			typ = typ.Elem()
		}
		types = append(types, typ)
	}
	calls := 0
	for _, typ := range types {
		for rname, recv := range receivers(typ) {
			mt := recv.Type()
			for i := range mt.NumMethod() {
				m := mt.Method(i)
				if recv.Kind() == reflect.Interface || mt.Kind() == reflect.Interface {
					continue // its implementations are swept
				}
				if recv.Kind() == reflect.Pointer && recv.IsNil() {
					if _, value := typ.MethodByName(m.Name); value {
						// A value method through a nil pointer: Go's
						// wrapper panics before the method runs (fmt and
						// slog catch it and print <nil>).
						continue
					}
				}
				fn := recv.Method(i)
				combos(ins(fn.Type()), func(args []reflect.Value) {
					calls++
					if msg := call(fn, args); msg != "" {
						t.Errorf("(%s).%s%s: %s", rname, m.Name, argText(args), msg)
					}
				})
			}
		}
	}
	for name, f := range exportedFuncs {
		fn := reflect.ValueOf(f)
		combos(ins(fn.Type()), func(args []reflect.Value) {
			calls++
			if msg := call(fn, args); msg != "" {
				t.Errorf("%s%s: %s", name, argText(args), msg)
			}
		})
	}
	t.Logf("%d calls", calls)
}

// stubState is a fmt.State writing nowhere, with no flags.
type stubState struct{ strings.Builder }

func (*stubState) Width() (int, bool)     { return 0, false }
func (*stubState) Precision() (int, bool) { return 0, false }
func (*stubState) Flag(int) bool          { return false }

// ins returns the parameter types of a function type.
func ins(t reflect.Type) []reflect.Type {
	out := make([]reflect.Type, t.NumIn())
	for i := range out {
		out[i] = t.In(i)
	}
	return out
}

// argText describes the arguments of a call, without their values.
func argText(args []reflect.Value) string {
	var parts []string
	for _, a := range args {
		switch {
		case (a.Kind() == reflect.Map || a.Kind() == reflect.Slice || a.Kind() == reflect.Pointer || a.Kind() == reflect.Func || a.Kind() == reflect.Interface) && a.IsNil():
			parts = append(parts, "nil "+a.Type().String())
		case a.IsZero():
			parts = append(parts, "zero "+a.Type().String())
		default:
			parts = append(parts, "odd "+a.Type().String())
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
