package pachidp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
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
)

// exportedTypes returns the names of the package's exported types, read
// from its source (go/parser): a type added to the package is in the list
// without anyone adding it.
func exportedTypes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range pkgs["pachidp"].Files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("found %d exported types: the source was not read", len(names))
	}
	return names
}

// secretTypes returns, for every exported type that can hold a secret, a
// value of it holding canary, built through the package's own API.
func secretTypes(t *testing.T) map[string]any {
	t.Helper()
	oidc, err := decodeUpstreamIDP([]byte("type: oidc\nid: a\nname: A\nconfig:\n  issuer: https://a.example.com\n  clientID: x\n  clientSecret: " + canary + "\n  cilentSecert: " + canary + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	ldap, err := decodeUpstreamIDP([]byte("type: ldap\nid: l\nname: L\nconfig:\n  host: ldap.example.com:636\n  bindDN: cn=admin\n  bindPwd: " + canary + "\n  bindPass: " + canary + "\n  passwd: " + canary + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	values := []byte("proxy:\n  host: p.example.com\npachd:\n  enterpriseLicenseKeySecretName: l\noidc:\n  upstreamIDPs:\n  - id: a\n    name: A\n    type: oidc\n    config:\n      issuer: https://a.example.com\n      clientID: x\n      clientSecret: " + canary + "\n      redirectURI: https://p.example.com/dex/callback\n")
	doc, err := OpenDocument(values)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := NewLayers([]Layer{{Name: "a.yaml", Values: doc}}, LayersOptions{ChartDefaults: &Layer{Name: "chart", Values: doc}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := layers.Merged(); err != nil {
		t.Fatal(err)
	}
	ci, err := doc.ChartIdentity(Target{})
	if err != nil || !bytes.Contains(ci.Text, []byte(canary)) {
		t.Fatalf("ChartIdentity: %v (the text must hold the canary)", err)
	}
	sec := &UpstreamIDPsSecret{Name: "s", Text: []byte("- config: {clientSecret: " + canary + "}\n")}
	return map[string]any{
		"UpstreamIDP":           oidc,
		"OIDCConfig":            *oidc.OIDC,
		"ConnectorConfig":       ldap.Config,
		"UpstreamIDPsSecret":    *sec,
		"HelmValues":            HelmValues{"pachd": map[string]any{"rootToken": canary}, "oidc": map[string]any{"upstreamIDPs": []any{oidc.Map()}}},
		"Document":              *doc,
		"Layers":                *layers,
		"Layer":                 Layer{Name: "a.yaml", Values: doc},
		"LayersOptions":         LayersOptions{ChartDefaults: &Layer{Name: "chart", Values: doc}},
		"ChartIdentity":         *ci,
		"ValidateValuesOptions": ValidateValuesOptions{Secret: sec},
		"Auth0":                 Auth0{Domain: "a.auth0.com", ClientID: "c", ClientSecret: canary},
		"Okta":                  Okta{Domain: "a.okta.com", ClientID: "c", ClientSecret: canary, ProxyHost: "p.example.com"},
		"Keycloak":              Keycloak{ClientSecret: canary},
		"EntraID":               EntraID{ClientSecret: canary},
		"Google":                Google{ClientSecret: canary},
		"GenericOIDC":           GenericOIDC{ClientSecret: canary},
		// The parts of an OIDC config keep unknown keys in Extra.
		"ClaimMapping":               ClaimMapping{Email: "e", Extra: map[string]any{"clientSecret": canary}},
		"ClaimModifications":         ClaimModifications{NewGroupFromClaims: []NewGroupFromClaims{{Prefix: "p", Extra: map[string]any{"password": canary}}}, Extra: map[string]any{"clientSecret": canary}},
		"NewGroupFromClaims":         NewGroupFromClaims{Prefix: "p", Extra: map[string]any{"clientSecret": canary}},
		"FilterGroupClaims":          FilterGroupClaims{Extra: map[string]any{"clientSecret": canary}},
		"ModifyGroupNames":           ModifyGroupNames{Extra: map[string]any{"clientSecret": canary}},
		"ProviderDiscoveryOverrides": ProviderDiscoveryOverrides{Extra: map[string]any{"clientSecret": canary}},
	}
}

// noSecretTypes are the exported types that cannot hold a secret, each
// with its zero value, which TestEveryTypeRedacts checks by reflection:
// no field (at any depth) of a type of secretTypes, of an interface other
// than error, or named like a secret. Interfaces are checked through the
// types that implement them.
var noSecretTypes = map[string]any{
	"DexFileOptions": DexFileOptions{}, "EditError": EditError{}, "Fate": Fate(""), "FileOptions": FileOptions{},
	"Finding": Finding{}, "Findings": Findings{}, "JSONSchemaOptions": JSONSchemaOptions{},
	"LayerError": LayerError{}, "Loss": Loss{}, "Manifest": Manifest{},
	"Origin": Origin{}, "Position": Position{},
	"PresetError": PresetError{},
	"RenderError": RenderError{}, "Report": Report{}, "Rule": RuleRequired,
	"Severity": Severity(0), "SyntaxError": SyntaxError{},
	"Target": Target{}, "ValidateOptions": ValidateOptions{},
	"Values": (*Values)(nil),
}

// secretPkg is this package's import path.
var secretPkg = reflect.TypeFor[Finding]().PkgPath()

// mayHoldSecret reports the field path of t through which a value of t
// may hold a secret, or "".
func mayHoldSecret(t reflect.Type, secret map[reflect.Type]bool, path string, depth int) string {
	if depth > 6 {
		return ""
	}
	if secret[t] {
		return path + " (" + t.String() + ")"
	}
	errType := reflect.TypeFor[error]()
	switch t.Kind() {
	case reflect.Interface:
		// An error never holds a secret (errors are swept elsewhere); an
		// interface of another package (http.RoundTripper, reflect.Type)
		// holds none of this package's values.
		if t != errType && depth > 0 && (t.NumMethod() == 0 || t.PkgPath() == secretPkg) {
			return path + " (" + t.String() + ")"
		}
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return mayHoldSecret(t.Elem(), secret, path+"[]", depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Type.Kind() == reflect.String && isSecretKey(f.Name) {
				return path + "." + f.Name
			}
			if p := mayHoldSecret(f.Type, secret, path+"."+f.Name, depth+1); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestEveryTypeRedacts (issues 8 and 15): every exported type of the
// package (read from the source) is either listed as able to hold a secret,
// and then none of its values shows the canary through any fmt verb and
// flag, directly or by pointer, nor through log/slog's text and JSON
// handlers, with or without RedactAttr, alone or nested in a slice, a map
// or a struct; or it is listed as unable to, which reflection checks. Before,
// a *Layers printed every secret under all verbs and slog's text handler.
// %p of a value that is no pointer is left out: fmt calls no method for it
// (see formatRedacted) and go vet reports it.
func TestEveryTypeRedacts(t *testing.T) {
	samples := secretTypes(t)
	secret := map[reflect.Type]bool{}
	for _, v := range samples {
		secret[reflect.TypeOf(v)] = true
	}
	for _, name := range exportedTypes(t) {
		_, holds := samples[name]
		zero, none := noSecretTypes[name]
		switch {
		case holds && none:
			t.Errorf("%s is listed both as holding a secret and as not", name)
		case !holds && !none:
			t.Errorf("exported type %s is not classified: add a value holding the canary to secretTypes (and make it redact itself: String, GoString, Format, LogValue) or add it to noSecretTypes", name)
		case none:
			typ := reflect.TypeOf(zero)
			if typ.Kind() == reflect.Pointer && typ.Elem().Kind() == reflect.Interface {
				continue
			}
			if p := mayHoldSecret(typ, secret, name, 0); p != "" {
				t.Errorf("%s is listed as holding no secret, but %s may hold one", name, p)
			}
		}
	}
	forms := func(out string) bool {
		return strings.Contains(out, canary) || strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(canary))[:16]) ||
			strings.Contains(out, hex.EncodeToString([]byte(canary))) || strings.Contains(out, fmt.Sprint([]byte(canary))[1:30])
	}
	for name, v := range samples {
		ptr := reflect.New(reflect.TypeOf(v))
		ptr.Elem().Set(reflect.ValueOf(v))
		for form, x := range map[string]any{"value": v, "pointer": ptr.Interface()} {
			for _, verb := range "vsqxXdobcefgGUtT" {
				for _, flag := range []string{"", "+", "#", "-10", " ", "0"} {
					f := "%" + flag + string(verb)
					if forms(fmt.Sprintf(f, x)) {
						t.Errorf("Sprintf(%q, %s %s) shows the secret", f, name, form)
					}
				}
			}
			for _, verb := range []string{"%v", "%+v", "%s"} {
				if out := fmt.Sprintf(verb, x); !strings.Contains(out, Redacted) {
					t.Errorf("Sprintf(%q, %s %s) does not say %s: %s", verb, name, form, Redacted, strings.ReplaceAll(out, canary, "<canary>"))
				}
			}
			for hname, mk := range map[string]func(*bytes.Buffer, *slog.HandlerOptions) slog.Handler{
				"JSON": func(b *bytes.Buffer, o *slog.HandlerOptions) slog.Handler { return slog.NewJSONHandler(b, o) },
				"text": func(b *bytes.Buffer, o *slog.HandlerOptions) slog.Handler { return slog.NewTextHandler(b, o) },
			} {
				// Alone: LogValue redacts it, with any handler.
				var buf bytes.Buffer
				l := slog.New(mk(&buf, nil))
				l.Info("m", "v", x)
				l.WithGroup("g").With("w", x).Info("m", slog.Any("v", x))
				if forms(buf.String()) {
					t.Errorf("%s %s logged by slog's %s handler shows the secret", name, form, hname)
				}
				// Nested in plain Go values: RedactAttr redacts it.
				buf.Reset()
				l = slog.New(mk(&buf, &slog.HandlerOptions{ReplaceAttr: RedactAttr}))
				type holder struct {
					V      any
					Secret string
					Name   string
				}
				l.Info("m", "v", x, "slice", []any{x}, "map", map[string]any{"k": x, "clientSecret": canary},
					"struct", holder{V: x, Secret: canary, Name: "n"}, "ptr struct", &holder{V: x}, slog.String("clientSecret", canary))
				if forms(buf.String()) {
					t.Errorf("%s %s nested in slices, maps and structs, logged by slog's %s handler with RedactAttr, shows the secret", name, form, hname)
				}
			}
		}
	}
}
