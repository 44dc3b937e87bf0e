package pachidp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/textedit"
)

func testAuth0(t testing.TB) UpstreamIDP {
	t.Helper()
	e, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "auth0-client", ClientSecret: "auth0-test-secret",
		ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func testOkta() UpstreamIDP {
	return UpstreamIDP{Type: typeOIDC, ID: "okta", Name: "Okta", OIDC: &OIDCConfig{
		Issuer: "https://acme.okta.com/oauth2/default", ClientID: "0oa9z8y7", ClientSecret: "okta-new-test-secret",
		RedirectURI: "https://pachyderm.acme.com/dex/callback", Scopes: []string{"openid", "email", "groups"},
		InsecureEnableGroups: new(true), ClaimMapping: &ClaimMapping{Groups: "groups"},
	}}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "values", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestValuesGolden runs one edit on each fixture and compares the whole
// output with a golden file: every byte outside the edited region must stay.
func TestValuesGolden(t *testing.T) {
	auth0 := testAuth0(t)
	upsert := func(e UpstreamIDP) func(*Document) error {
		return func(v *Document) error { return v.UpsertUpstreamIDP(e) }
	}
	remove := func(id string) func(*Document) error {
		return func(v *Document) error { return v.RemoveUpstreamIDP(id) }
	}
	tests := []struct {
		name, input string
		doc         int
		edit        func(*Document) error
	}{
		{"comments-add", "comments.yaml", 0, upsert(auth0)},
		{"comments-secret", "comments.yaml", 0, func(v *Document) error {
			if err := v.UseUpstreamIDPsSecret("pachyderm-idps"); err != nil {
				return err
			}
			return v.DisableMockIDP()
		}},
		{"comments-inline", "comments.yaml", 0, func(v *Document) error {
			if err := v.UseUpstreamIDPsSecret("pachyderm-idps"); err != nil {
				return err
			}
			return v.UseInlineUpstreamIDPs([]UpstreamIDP{auth0, testOkta()})
		}},
		{"indent4-add", "indent4.yaml", 0, upsert(auth0)},
		{"indent4-replace", "indent4.yaml", 0, upsert(testOkta())},
		{"compact-add", "compact.yaml", 0, upsert(auth0)},
		{"compact-replace", "compact.yaml", 0, upsert(testOkta())},
		{"compact-remove-first", "compact.yaml", 0, remove("okta")},
		{"compact-set", "compact.yaml", 0, func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{auth0}) }},
		{"crlf-add", "crlf.yaml", 0, upsert(auth0)},
		{"crlf-add-remove", "crlf.yaml", 0, func(v *Document) error {
			if err := v.UpsertUpstreamIDP(testOkta()); err != nil {
				return err
			}
			if err := v.UpsertUpstreamIDP(auth0); err != nil {
				return err
			}
			return v.RemoveUpstreamIDP("okta")
		}},
		{"replace-configversion", "replace.yaml", 0, upsert(auth0)},
		{"remove-last", "remove-last.yaml", 0, remove("auth0")},
		{"blank-add", "blank-separated.yaml", 0, upsert(testOkta().withID("okta2"))},
		{"blank-remove-middle", "blank-separated.yaml", 0, remove("github")},
		{"blank-remove-last", "blank-separated.yaml", 0, remove("okta")},
		{"no-oidc-add", "no-oidc.yaml", 0, upsert(auth0)},
		{"no-idps-add", "no-idps.yaml", 0, upsert(auth0)},
		{"no-final-newline-add", "no-final-newline.yaml", 0, upsert(auth0)},
		{"empty-add", "empty.yaml", 0, upsert(auth0)},
		{"multidoc-add", "multidoc.yaml", 1, upsert(auth0)},
		{"anchors-add", "anchors.yaml", 0, upsert(auth0)},
		{"json2-add", "json2.json", 0, upsert(auth0)},
		{"json2-replace", "json2.json", 0, upsert(testOkta())},
		{"json2-remove", "json2.json", 0, remove("okta")},
		{"json-tab-add", "json-tab.json", 0, func(v *Document) error {
			if err := v.UpsertUpstreamIDP(auth0); err != nil {
				return err
			}
			return v.DisableMockIDP()
		}},
		{"json-tab-secret", "json-tab.json", 0, func(v *Document) error { return v.UseUpstreamIDPsSecret("pachyderm-idps") }},
		{"json-compact-add", "json-compact.json", 0, upsert(auth0)},
		{"json-compact-remove", "json-compact.json", 0, remove("okta")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := readFixture(t, tt.input)
			v, err := OpenDocumentWith(in, FileOptions{Document: new(tt.doc)})
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(v); err != nil {
				t.Fatal(err)
			}
			out := v.Bytes()
			if bytes.Equal(out, in) {
				t.Fatal("the edit changed nothing")
			}
			wantJSON := false
			if strings.HasSuffix(tt.input, ".json") {
				wantJSON = true
			}
			if v.IsJSON() != wantJSON {
				t.Errorf("IsJSON() = %v, want %v", v.IsJSON(), wantJSON)
			}
			// Reading the output afresh gives what the Document says.
			again, err := OpenDocumentWith(out, FileOptions{Document: new(tt.doc)})
			if err != nil {
				t.Fatalf("output does not parse: %v", err)
			}
			if _, same := firstDiff(mustValues(t, again), mustValues(t, v), ""); !same {
				t.Error("output reads back differently")
			}
			golden(t, "values/"+tt.name+".golden", out)
		})
	}
}

// mustValues returns the whole document as Helm reads it.
func mustValues(t testing.TB, v *Document) any {
	t.Helper()
	tree, err := v.values()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func (e UpstreamIDP) withID(id string) UpstreamIDP {
	e.ID = id
	return e
}

func TestOpenValuesFormat(t *testing.T) {
	tests := []struct {
		in   string
		want bool // JSON
	}{
		{"", false},
		{"a: 1\n", false},
		{"{a: 1}\n", false},        // YAML flow mapping, not JSON
		{"{\"a\": 1,}\n", false},   // not valid JSON, valid YAML
		{" \n{\"a\": 1}", true},    // leading white space
		{"\ufeff{\"a\": 1}", true}, // byte order mark
		{"{}", true},
	}
	for _, tt := range tests {
		v, err := OpenDocument([]byte(tt.in))
		if err != nil {
			t.Errorf("OpenDocument(%q): %v", tt.in, err)
			continue
		}
		if v.IsJSON() != tt.want {
			t.Errorf("OpenDocument(%q).IsJSON() = %v, want %v", tt.in, v.IsJSON(), tt.want)
		}
	}
}

func TestOpenValuesErrors(t *testing.T) {
	tests := []struct {
		name, in string
		doc      int
		line     int
		msg      string
	}{
		{"invalid YAML", "a: 1\nb: [\n", 0, 2, "did not find expected"},
		{"two documents", "a: 1\n---\nb: 2\n", 0, 2, "holds 2 YAML documents: pick one (FileOptions.Document, with OpenDocumentWith or EditFile)"},
		{"root list", "- a\n- b\n", 0, 1, "must be a mapping, got a list"},
		{"root string", "hello\n", 0, 1, "must be a mapping, got a string"},
		{"index out of range", "a: 1\n---\nb: 2\n", 2, 0, "holds 2 YAML document(s)"},
		{"negative index", "a: 1\n", -1, 0, "pass 0 or more"},
		{"JSON index", "{}", 1, 0, "JSON input holds one document"},
		{"UTF-16", "\xfe\xff\x00a\x00:\x00 \x001", 0, 1, "the document is UTF-16: save it as UTF-8"},
		{"invalid UTF-8", "a: 1\nb: \xff\n", 0, 2, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.doc == 0 {
				_, err = OpenDocument([]byte(tt.in))
			} else {
				_, err = OpenDocumentWith([]byte(tt.in), FileOptions{Document: new(tt.doc)})
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Pos.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", se.Pos.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func TestUpstreamIDPsPositions(t *testing.T) {
	for _, name := range []string{"compact.yaml", "json2.json"} {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name)
			v, err := OpenDocument(data)
			if err != nil {
				t.Fatal(err)
			}
			idps, err := v.UpstreamIDPs()
			if err != nil {
				t.Fatal(err)
			}
			if len(idps) == 0 || idps[0].ID != "okta" || idps[0].OIDC == nil || idps[0].OIDC.Issuer != "https://acme.okta.com" {
				t.Fatalf("got %v", idps)
			}
			// The position must point at the issuer key in the file.
			pos := idps[0].Pos("config.issuer")
			lines := strings.Split(string(data), "\n")
			if !pos.IsValid() || pos.Line > len(lines) {
				t.Fatalf("Pos(config.issuer) = %v", pos)
			}
			line := lines[pos.Line-1]
			if got := strings.TrimLeft(line[pos.Column-1:], `"`); !strings.HasPrefix(got, "issuer") {
				t.Errorf("Pos(config.issuer) = %v points at %q", pos, line)
			}
			if p := idps[0].Pos(""); p.Line == 0 || p.Line > pos.Line {
				t.Errorf("Pos(\"\") = %v, want the entry's start before line %d", p, pos.Line)
			}
		})
	}
}

func TestUpstreamIDPsAbsentOrNull(t *testing.T) {
	for _, in := range []string{"", "a: 1\n", "oidc:\n", "oidc: {}\n", "oidc:\n  upstreamIDPs:\n", "oidc:\n  upstreamIDPs: []\n", "oidc:\n  upstreamIDPs: null\n"} {
		v, err := OpenDocument([]byte(in))
		if err != nil {
			t.Fatalf("OpenDocument(%q): %v", in, err)
		}
		idps, err := v.UpstreamIDPs()
		if err != nil || len(idps) != 0 {
			t.Errorf("UpstreamIDPs of %q = %v, %v; want none", in, idps, err)
		}
	}
}

// TestShapeErrors: wrong shapes are *SyntaxError with the place, for reading
// and for every edit.
func TestShapeErrors(t *testing.T) {
	tests := []struct {
		name, in, path string
		line, col      int
	}{
		{"oidc is a list", "a: 1\noidc:\n  - upstreamIDPs\n", "oidc", 2, 1},
		{"oidc is a string", "oidc: yes please\n", "oidc", 1, 1},
		{"list is a mapping", "oidc:\n  upstreamIDPs:\n    id: auth0\n", "oidc.upstreamIDPs", 2, 3},
		{"list is a string", "oidc:\n  upstreamIDPs: \"[]\"\n", "oidc.upstreamIDPs", 2, 3},
		{"entry is a scalar", "oidc:\n  upstreamIDPs:\n    - auth0\n", "oidc.upstreamIDPs[0]", 3, 7},
		{"JSON list is a number", "{\"oidc\": {\n  \"upstreamIDPs\": 3}}", "oidc.upstreamIDPs", 2, 3},
	}
	e := testAuth0(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := OpenDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			edits := map[string]func() error{
				"UpstreamIDPs":      func() error { _, err := v.UpstreamIDPs(); return err },
				"UpsertUpstreamIDP": func() error { return v.UpsertUpstreamIDP(e) },
				"RemoveUpstreamIDP": func() error { return v.RemoveUpstreamIDP("auth0") },
				"SetUpstreamIDPs":   func() error { return v.SetUpstreamIDPs([]UpstreamIDP{e}) },
			}
			if strings.HasPrefix(tt.path, "oidc.upstreamIDPs[") {
				// Replacing the whole list is the way to repair its entries.
				delete(edits, "SetUpstreamIDPs")
			}
			for name, f := range edits {
				err := f()
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Errorf("%s: err = %v, want a *SyntaxError", name, err)
					continue
				}
				if se.Path != tt.path || se.Pos.Line != tt.line || se.Pos.Column != tt.col {
					t.Errorf("%s: error at %s %v, want %s %d:%d (%v)", name, se.Path, se.Pos, tt.path, tt.line, tt.col, err)
				}
			}
			if !bytes.Equal(v.Bytes(), []byte(tt.in)) {
				t.Error("a failed edit changed the document")
			}
		})
	}
}

func TestLookup(t *testing.T) {
	v, err := OpenDocument(readFixture(t, "comments.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want any
		line int
		ok   bool
	}{
		{"proxy.host", "pachyderm.acme.com", 10, true},
		{"proxy.tls.enabled", true, 12, true},
		{"proxy.enabled", true, 9, true},
		{"oidc.issuerURI", "", 16, true},
		{"oidc.mockIDP", true, 31, true},
		{"oidc.upstreamIDPsSecretName", "", 29, true},
		{"pachd.enterpriseLicenseKey", "", 35, true},
		{"ingress.host", nil, 0, false},
		{"proxy.host.name", nil, 0, false},
		{"oidc.upstreamIDPs[0]", nil, 0, false},
		{"proxy[0]", nil, 0, false},
		{"proxy..host", nil, 0, false},
	}
	for _, tt := range tests {
		got, pos, ok := v.Lookup(tt.path)
		if ok != tt.ok || got != tt.want || pos.Line != tt.line {
			t.Errorf("Lookup(%q) = %v, %v, %v; want %v, line %d, %v", tt.path, got, pos, ok, tt.want, tt.line, tt.ok)
		}
	}
	list, _, ok := v.Lookup("oidc.upstreamIDPs")
	if l, isList := list.([]any); !ok || !isList || len(l) != 0 {
		t.Errorf("Lookup(oidc.upstreamIDPs) = %v, %v; want an empty list", list, ok)
	}

	// Quoted keys and indexes, and a JSON document.
	v, err = OpenDocument([]byte(`{"oidc": {"upstreamIDPs": [{"id": "a", "config": {"x.y": 1}}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, pos, ok := v.Lookup(`oidc.upstreamIDPs[0].config["x.y"]`); !ok || got != int64(1) || pos.Column != 51 {
		t.Errorf("Lookup of a quoted key = %v, %v, %v", got, pos, ok)
	}
	if _, pos, ok := v.Lookup(`["oidc"].upstreamIDPs[0]["id"]`); !ok || pos.Column != 29 {
		t.Errorf("Lookup with needless quotes: %v, %v", pos, ok)
	}
	// Returned maps are copies: changing them changes nothing.
	m, _, _ := v.Lookup("oidc")
	m.(map[string]any)["upstreamIDPs"] = nil
	if idps, err := v.UpstreamIDPs(); err != nil || len(idps) != 1 {
		t.Errorf("changing a looked-up map changed the Document: %v, %v", idps, err)
	}
}

// TestUpsertDropsConfigVersion: pachd overwrites configVersion on every
// start, so a replaced entry is written as given, without the old version.
func TestUpsertDropsConfigVersion(t *testing.T) {
	v, err := OpenDocument(readFixture(t, "replace.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := v.Lookup("oidc.upstreamIDPs[0].configVersion"); got != int64(3) {
		t.Fatalf("fixture: configVersion = %v", got)
	}
	if err := v.UpsertUpstreamIDP(testAuth0(t)); err != nil {
		t.Fatal(err)
	}
	if got, _, ok := v.Lookup("oidc.upstreamIDPs[0].configVersion"); ok {
		t.Errorf("configVersion = %v after the replace, want it absent", got)
	}
	e := testAuth0(t)
	e.ConfigVersion = 7
	if err := v.UpsertUpstreamIDP(e); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := v.Lookup("oidc.upstreamIDPs[0].configVersion"); got != int64(7) {
		t.Errorf("configVersion = %v, want 7 as given", got)
	}
}

func TestUpsertSameEntryChangesNothing(t *testing.T) {
	in := readFixture(t, "compact.yaml")
	v, err := OpenDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range idps {
		if err := v.UpsertUpstreamIDP(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.SetUpstreamIDPs(idps); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v.Bytes(), in) {
		t.Error("upserting the entries the file holds changed it")
	}
}

func TestEditErrors(t *testing.T) {
	okta := testOkta()
	dup := "oidc:\n  upstreamIDPs:\n    - {id: a, type: oidc, name: A}\n    - id: a\n      type: oidc\n      name: A2\n"
	tests := []struct {
		name, in string
		edit     func(*Document) error
		sentinel error
		msg      string
	}{
		{"remove absent id", "oidc:\n  upstreamIDPs: []\n", func(v *Document) error { return v.RemoveUpstreamIDP("okta") },
			ErrIDPNotFound, `oidc.upstreamIDPs: no entry has id "okta"`},
		{"remove from absent list", "a: 1\n", func(v *Document) error { return v.RemoveUpstreamIDP("okta") },
			ErrIDPNotFound, `no entry has id "okta"`},
		{"upsert without id", "", func(v *Document) error { return v.UpsertUpstreamIDP(okta.withID("")) },
			nil, "the entry has no id"},
		{"upsert into duplicate ids", dup, func(v *Document) error { return v.UpsertUpstreamIDP(okta.withID("a")) },
			nil, `entries 0 and 1 both have id "a"`},
		{"set duplicate ids", "", func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{okta, okta}) },
			nil, `entries 0 and 1 both have id "okta"`},
		{"empty secret name", "", func(v *Document) error { return v.setUpstreamIDPsSecretName("") },
			nil, "use clearUpstreamIDPsSecretName"},
		{"list is an alias", "idps: &idps []\noidc:\n  upstreamIDPs: *idps\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) },
			ErrAnchor, "oidc.upstreamIDPs (line 3): is an alias (*idps) of the value at line 1"},
		{"list is anchored and used", "oidc:\n  upstreamIDPs: &idps []\nother: *idps\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) },
			ErrAnchor, "holds the anchor &idps"},
		{"entry is anchored and used", "oidc:\n  upstreamIDPs:\n    - &o\n      id: okta\n      type: oidc\n      name: O\nother: *o\n",
			func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, ErrAnchor, "holds the anchor &o"},
		{"config anchored and used", string(readFixture(t, "anchors.yaml")), func(v *Document) error { return v.RemoveUpstreamIDP("okta") },
			ErrAnchor, "holds the anchor &oktaconfig"},
		{"oidc merged", "base: &b\n  upstreamIDPs: []\noidc:\n  <<: *b\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) },
			ErrAnchor, "oidc.upstreamIDPs (line 4): comes from the merge key (<<) at line 4"},
		{"oidc merged at root", "base: &b\n  oidc:\n    mockIDP: true\n<<: *b\n", func(v *Document) error { return v.DisableMockIDP() },
			ErrAnchor, "comes from the merge key (<<)"},
		{"oidc is an alias", "x: &o\n  mockIDP: true\noidc: *o\n", func(v *Document) error { return v.DisableMockIDP() },
			ErrAnchor, "oidc (line 3): is an alias (*o)"},
		{"flow oidc", "oidc: {mockIDP: true}\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) },
			nil, "oidc (line 1): is a flow-style mapping"},
		{"flow root", "{oidc: {}}\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) },
			nil, "the document is a flow-style mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := OpenDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			err = tt.edit(v)
			if err == nil {
				t.Fatalf("no error; output:\n%s", v.Bytes())
			}
			var ee *EditError
			if !errors.As(err, &ee) {
				t.Errorf("err = %T %v, want an *EditError", err, err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.sentinel)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), "secret") && strings.Contains(err.Error(), "test-secret") {
				t.Error("the error shows a secret")
			}
			if !bytes.Equal(v.Bytes(), []byte(tt.in)) {
				t.Error("a failed edit changed the document")
			}
		})
	}
}

// TestAnchorsElsewhereUntouched: anchors, aliases and merge keys outside the
// edited region keep their text and their values.
func TestAnchorsElsewhereUntouched(t *testing.T) {
	in := readFixture(t, "anchors.yaml")
	v, err := OpenDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.UpsertUpstreamIDP(testAuth0(t)); err != nil {
		t.Fatal(err)
	}
	if err := v.DisableMockIDP(); err != nil {
		t.Fatal(err)
	}
	out := string(v.Bytes())
	for _, s := range []string{"common: &common\n", "  <<: *common\n", "  again: *console\n", "config: &oktaconfig\n", "  oktaCopy: *oktaconfig\n"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lost %q", s)
		}
	}
	if got, _, _ := v.Lookup("pachd.oktaCopy.issuer"); got != "https://acme.okta.com" {
		t.Errorf("the alias reads %v", got)
	}
	if got, _, _ := v.Lookup("proxy.host"); got != "pachyderm.acme.com" {
		t.Errorf("the merge key reads %v", got)
	}
}

func TestFlowListIsRewrittenAsBlock(t *testing.T) {
	in := "oidc:\n  # IdPs\n  upstreamIDPs: [{id: okta, type: oidc, name: Okta, config: {issuer: 'https://acme.okta.com', clientID: 0123}}]  # flow\n  mockIDP: false\n"
	v, err := OpenDocument([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.UpsertUpstreamIDP(testAuth0(t)); err != nil {
		t.Fatal(err)
	}
	want := `oidc:
  # IdPs
  upstreamIDPs:  # flow
  - id: okta
    type: oidc
    name: Okta
    config:
      issuer: https://acme.okta.com
      clientID: 0123
  - type: oidc
    id: auth0
    name: Auth0
    config:
      issuer: https://acme.us.auth0.com/
      clientID: auth0-client
      clientSecret: auth0-test-secret
      redirectURI: https://pachyderm.acme.com/dex/callback
      insecureEnableGroups: true
      insecureSkipEmailVerified: false
      insecureSkipIssuerCallbackDomainCheck: false
  mockIDP: false
`
	if got := string(v.Bytes()); got != want {
		t.Errorf("got\n%s\nwant\n%s", redactLines(got), redactLines(want))
	}
	// The octal-looking clientID stays the number Helm reads (83).
	if got, _, _ := v.Lookup("oidc.upstreamIDPs[0].config.clientID"); got != int64(83) {
		t.Errorf("clientID = %v", got)
	}
}

func redactLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = redactLine(l)
	}
	return strings.Join(lines, "\n")
}

func TestMultiDocumentOtherDocumentsUntouched(t *testing.T) {
	in := readFixture(t, "multidoc.yaml")
	for doc := range 3 {
		v, err := OpenDocumentWith(in, FileOptions{Document: new(doc)})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.UpsertUpstreamIDP(testAuth0(t)); err != nil {
			t.Fatal(err)
		}
		inDocs := strings.Split(string(in), "---\n")
		outDocs := strings.Split(string(v.Bytes()), "---\n")
		if len(outDocs) != len(inDocs) {
			t.Fatalf("doc %d: %d documents out, want %d", doc, len(outDocs), len(inDocs))
		}
		for i := range inDocs {
			if (inDocs[i] == outDocs[i]) != (i != doc) {
				t.Errorf("edit of document %d: document %d changed = %v", doc, i, inDocs[i] != outDocs[i])
			}
		}
	}
}

// TestSecretModeRoundTrip: switching to a Secret and back with the same
// list gives the original bytes.
func TestSecretModeRoundTrip(t *testing.T) {
	for _, name := range []string{"comments.yaml", "compact.yaml", "json2.json"} {
		in := readFixture(t, name)
		v, err := OpenDocument(in)
		if err != nil {
			t.Fatal(err)
		}
		idps, err := v.UpstreamIDPs()
		if err != nil {
			t.Fatal(err)
		}
		if err := v.UseUpstreamIDPsSecret("pachyderm-idps"); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := v.Lookup("oidc.upstreamIDPsSecretName"); got != "pachyderm-idps" {
			t.Errorf("%s: secret name %v", name, got)
		}
		if got, _, _ := v.Lookup("oidc.upstreamIDPs"); len(got.([]any)) != 0 {
			t.Errorf("%s: list %v, want empty", name, got)
		}
		if err := v.UseInlineUpstreamIDPs(idps); err != nil {
			t.Fatal(err)
		}
		if name == "comments.yaml" && !bytes.Equal(v.Bytes(), in) {
			t.Errorf("%s: switching back did not restore the file:\n%s", name, redactLines(string(v.Bytes())))
		}
		got, err := v.UpstreamIDPs()
		if err != nil || len(got) != len(idps) {
			t.Errorf("%s: %d entries after switching back, want %d (%v)", name, len(got), len(idps), err)
		}
	}
}

// firstDiff compares two read trees (textedit.Equal), for the tests.
func firstDiff(a, b any, _ string) (string, bool) { return textedit.Equal(a, b) }

// TestScalarsReadBack: every string is written so that Helm's YAML 1.1
// reader, and a JSON reader, read the same string back.
func TestScalarsReadBack(t *testing.T) {
	values := []any{
		"", "plain", "https://acme.us.auth0.com/", "yes", "No", "on", "y", "~", "null", "true",
		"0123", "0x1F", "1_000", "1e3", ".5", "+1", "-1", ".inf", "1:20", "- a", "a: b", "a:", "#x", "x #y",
		" lead", "trail ", "multi\nline", "tab\there", "\u2028", "\u0085", "\x7f", "é", `"quoted"`, "it's",
		"<<", "=", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "{x}", "[x]", "a,b", "?x", "---", "...",
		"\ufeffbom", "\x01", `back\slash`, "0o17", "0b101", "12:30:00",
		int64(0), int64(-12), 1.5, -0.25, 1e21, true, false, nil,
	}
	for _, want := range values {
		e := UpstreamIDP{ID: "x", Type: "ldap", Name: "X", Config: ConnectorConfig{"k": want}}
		for _, in := range []string{"a: 1\n", "{\"a\": 1}\n"} {
			v, err := OpenDocument([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if err := v.UpsertUpstreamIDP(e); err != nil {
				t.Errorf("%#v in %v: %v", want, v.formatName(), err)
				continue
			}
			again, err := OpenDocument(v.Bytes())
			if err != nil {
				t.Errorf("%#v in %v: output does not parse: %v", want, v.formatName(), err)
				continue
			}
			got, _, _ := again.Lookup("oidc.upstreamIDPs[0].config.k")
			if _, same := firstDiff(got, want, ""); !same {
				t.Errorf("%#v in %v reads back as %#v", want, v.formatName(), got)
			}
		}
	}
}

func TestSecretNameAndMockIDP(t *testing.T) {
	tests := []struct {
		name, in, want string
		edit           func(*Document) error
	}{
		{"set keeps double quotes", "oidc:\n  upstreamIDPsSecretName: \"\"  # Secret\n", "oidc:\n  upstreamIDPsSecretName: \"idps\"  # Secret\n",
			func(v *Document) error { return v.setUpstreamIDPsSecretName("idps") }},
		{"set keeps single quotes", "oidc:\n  upstreamIDPsSecretName: 'old'\n", "oidc:\n  upstreamIDPsSecretName: 'idps'\n",
			func(v *Document) error { return v.setUpstreamIDPsSecretName("idps") }},
		{"set creates", "oidc:\n  mockIDP: true\n", "oidc:\n  mockIDP: true\n  upstreamIDPsSecretName: idps\n",
			func(v *Document) error { return v.setUpstreamIDPsSecretName("idps") }},
		{"set empty value", "oidc:\n  upstreamIDPsSecretName:\n  mockIDP: true\n", "oidc:\n  upstreamIDPsSecretName: idps\n  mockIDP: true\n",
			func(v *Document) error { return v.setUpstreamIDPsSecretName("idps") }},
		{"clear", "oidc:\n  upstreamIDPsSecretName: idps\n", "oidc:\n  upstreamIDPsSecretName: \"\"\n",
			func(v *Document) error { return v.clearUpstreamIDPsSecretName() }},
		{"clear absent", "oidc:\n  mockIDP: true\n", "oidc:\n  mockIDP: true\n",
			func(v *Document) error { return v.clearUpstreamIDPsSecretName() }},
		{"clear no oidc", "a: 1", "a: 1",
			func(v *Document) error { return v.clearUpstreamIDPsSecretName() }},
		{"mock off", "oidc:\n  mockIDP: yes # default\n", "oidc:\n  mockIDP: false # default\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"mock off already", "oidc:\n  mockIDP: off\n", "oidc:\n  mockIDP: off\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"mock off null oidc", "oidc:\nb: 1\n", "oidc:\n  mockIDP: false\nb: 1\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"mock off empty oidc", "oidc: {}  # none\nb: 1\n", "oidc:  # none\n  mockIDP: false\nb: 1\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"mock off multi-line value", "oidc:\n  mockIDP:\n    true\nb: 1\n", "oidc:\n  mockIDP: false\nb: 1\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"document is null", "null\n", "oidc:\n  mockIDP: false\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"document is comments", "# nothing yet", "# nothing yet\noidc:\n  mockIDP: false",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"JSON set", "{\"oidc\": {\"upstreamIDPsSecretName\": \"\"}}", "{\"oidc\": {\"upstreamIDPsSecretName\": \"idps\"}}",
			func(v *Document) error { return v.setUpstreamIDPsSecretName("idps") }},
		{"JSON null oidc", "{\"oidc\": null}", "{\"oidc\": {\"mockIDP\": false}}",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"JSON empty oidc", "{\n  \"oidc\": {}\n}\n", "{\n  \"oidc\": {\n    \"mockIDP\": false\n  }\n}\n",
			func(v *Document) error { return v.DisableMockIDP() }},
		{"JSON empty root", "{}", "{\n  \"oidc\": {\n    \"mockIDP\": false\n  }\n}",
			func(v *Document) error { return v.DisableMockIDP() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := OpenDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(v); err != nil {
				t.Fatal(err)
			}
			if got := string(v.Bytes()); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestDuplicateKeys: a key written twice opens and reads as Helm reads it
// (the last value counts), ValidateValues warns at the occurrence that
// counts, and an edit along the key is refused.
func TestDuplicateKeys(t *testing.T) {
	for _, in := range []string{
		"oidc:\n  mockIDP: true\noidc:\n  mockIDP: false\n  upstreamIDPs: []\n",
		"{\"oidc\": {\"mockIDP\": true},\n \"oidc\": {\"mockIDP\": false, \"upstreamIDPs\": []}}\n",
	} {
		doc, err := OpenDocument([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if v, pos, _ := doc.Lookup("oidc.mockIDP"); v != false || pos.Line < 2 {
			t.Errorf("%q: oidc.mockIDP = %v at %v, want false from the last oidc", in, v, pos)
		}
		r, err := ValidateValues(doc, ValidateValuesOptions{File: "values.yaml", NoPrerequisites: true})
		if err != nil {
			t.Fatal(err)
		}
		var dup *Finding
		for i := range r.Findings {
			if r.Findings[i].Rule == "duplicate-key" {
				dup = &r.Findings[i]
			}
		}
		if dup == nil || dup.Path != "oidc" || dup.Severity != SeverityWarning || dup.Fate != FateIgnored || dup.Pos.Line < 2 {
			t.Errorf("%q: duplicate-key finding = %+v, want a warning at the second oidc", in, dup)
		} else if !strings.Contains(dup.Message, "lines 1 and") {
			t.Errorf("message %q does not name both lines", dup.Message)
		}
		err = doc.UpsertUpstreamIDP(UpstreamIDP{Type: "github", ID: "gh", Name: "GitHub", Config: ConnectorConfig{"clientID": "x"}})
		var ee *EditError
		if !errors.As(err, &ee) || ee.Path != "oidc" || !strings.Contains(ee.Msg, "written twice") {
			t.Errorf("%q: edit err = %v, want an *EditError at oidc saying it is written twice", in, err)
		}
	}
}
