package pachidp

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"fmt"
	"slices"

	ghodss "github.com/ghodss/yaml"
)

// helmToYAMLReference is Helm's toYaml pipeline without the final trim:
// github.com/ghodss/yaml v1.0.0 (which sigs.k8s.io/yaml forked) on
// gopkg.in/yaml.v2 v2.4.0 (which sigs.k8s.io/yaml v1.4.0 vendors as
// goyaml.v2), both from Dex's module graph. Marshal is json.Marshal, then
// yaml.v2 Unmarshal and Marshal, exactly as in sigs.k8s.io/yaml.
func helmToYAMLReference(v any) ([]byte, error) { return ghodss.Marshal(v) }

const fakeSecret = "fake-client-secret-do-not-print"

// renderEntries are the entries of the render golden file: the Auth0
// preset, an ldap connector with a bind password, nested lists and maps,
// and strings that need quoting.
func renderEntries(t testing.TB) []UpstreamIDP {
	t.Helper()
	auth0, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "aBcD1234", ClientSecret: fakeSecret,
		ProxyHost: "pachyderm.example.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	ldap := UpstreamIDP{Type: "ldap", ID: "corp-ldap", Name: "Corporate LDAP", Config: ConnectorConfig{
		"host":               "ldap.example.com:636",
		"bindDN":             "cn=pachyderm,ou=services,dc=example,dc=com",
		"bindPW":             fakeSecret,
		"usernamePrompt":     "Email Address",
		"insecureNoSSL":      false,
		"startTLS":           false,
		"userSearch":         map[string]any{"baseDN": "ou=people,dc=example,dc=com", "filter": "(objectClass=person)", "username": "mail", "idAttr": "DN", "emailAttr": "mail", "nameAttr": "cn"},
		"groupSearch":        map[string]any{"baseDN": "ou=groups,dc=example,dc=com", "filter": "(objectClass=groupOfNames)", "userMatchers": []any{map[string]any{"userAttr": "DN", "groupAttr": "member"}}, "nameAttr": "cn"},
		"rootCAData":         "",
		"attempts":           int64(3),
		"timeoutSeconds":     1.5,
		"maxEntriesPerQuery": float64(1e6),
	}}
	nested := UpstreamIDP{Type: "oidc", ID: "keycloak", Name: "Keycloak", OIDC: &OIDCConfig{
		Issuer:       "https://keycloak.example.com/realms/pachyderm",
		ClientID:     "pachyderm",
		ClientSecret: fakeSecret,
		RedirectURI:  "https://pachyderm.example.com/dex/callback",
		Scopes:       []string{"openid", "profile", "email", "groups"},
		ClaimMapping: &ClaimMapping{Groups: "roles", PreferredUsername: "preferred_username"},
		AcrValues:    []string{},
		Extra:        map[string]any{"connectorLabels": map[string]any{"team": []any{"data", "ml"}}},
	}}
	quoting := UpstreamIDP{Type: "mockCallback", ID: "quoting", Name: "yes", Config: ConnectorConfig{
		"yes": "yes", "octal": "012", "star": "*", "colon": ": x", "empty": "", "null": "null", "tilde": "~",
		"on": "on", "n": "n", "float": "1e3", "base60": "1:20", "date": "2001-12-14", "hash": "a #b",
		"dash": "- a", "lead": " lead", "trail": "trail ", "quote": `it's "quoted"`, "multi": "line one\nline two\n",
		"keep": "a\n\n", "tab": "a\tb", "unicode": "Zürich ✓", "emoji": "🔑", "long": strings.Repeat("word ", 25) + "end",
	}}
	return []UpstreamIDP{auth0, ldap, nested, quoting}
}

func TestRenderUpstreamIDPsGolden(t *testing.T) {
	entries := renderEntries(t)
	got, err := RenderUpstreamIDPs(entries)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "pachd/render.golden", got)

	// The golden file is Helm's own rendering.
	list := make([]any, len(entries))
	for i, e := range entries {
		list[i] = e.Map()
	}
	want, err := helmToYAMLReference(list)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("RenderUpstreamIDPs differs from Helm's toYaml")
	}
}

func TestRenderUpstreamIDPsRoundTrip(t *testing.T) {
	entries := renderEntries(t)
	text, err := RenderUpstreamIDPs(entries)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeUpstreamIDPs(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(entries) {
		t.Fatalf("decoded %d entries, want %d", len(back), len(entries))
	}
	for i := range entries {
		if !reflect.DeepEqual(normalize(back[i].Map()), normalize(entries[i].Map())) {
			t.Errorf("entry %d (%s) differs after Render and Decode", i, entries[i].ID)
		}
	}
	if _, fs := decodePachdStrict(text); len(fs) != 0 {
		t.Errorf("pachd would not accept the rendered list: %v", fs)
	}
}

func TestRenderUpstreamIDPsEmpty(t *testing.T) {
	for _, idps := range [][]UpstreamIDP{nil, {}} {
		got, err := RenderUpstreamIDPs(idps)
		if err != nil || string(got) != "[]\n" {
			t.Errorf("RenderUpstreamIDPs(%#v) = %q, %v; want \"[]\\n\"", idps, got, err)
		}
	}
}

func TestRenderUpstreamIDPsRefusesWhatHelmCannotRender(t *testing.T) {
	for _, tc := range []struct {
		value, path, want string
		helmRenders       bool // but not as written
	}{
		{fakeSecret + "\u007f", "oidc.upstreamIDPs[0].config.clientSecret", "U+007F", false},
		{fakeSecret + "\u0085", "oidc.upstreamIDPs[0].config.clientSecret", "U+0085", true},
		{fakeSecret + "\u0090", "oidc.upstreamIDPs[0].config.clientSecret", "U+0090", false},
		{fakeSecret + "\uffff", "oidc.upstreamIDPs[0].config.clientSecret", "U+FFFF", false},
		// encoding/json writes U+FFFD for the bad byte: another secret.
		{fakeSecret + "\xff", "oidc.upstreamIDPs[0].config.clientSecret", "not valid UTF-8", true},
	} {
		e := UpstreamIDP{Type: "oidc", ID: "x", Name: "X", OIDC: &OIDCConfig{ClientSecret: tc.value}}
		_, err := RenderUpstreamIDPs([]UpstreamIDP{e})
		var re *RenderError
		if !errors.As(err, &re) {
			t.Errorf("%s: got %v, want a *RenderError", tc.want, err)
			continue
		}
		if re.Path != tc.path || !strings.Contains(re.Msg, tc.want) {
			t.Errorf("%s: got path %q, message %q", tc.want, re.Path, re.Msg)
		}
		if strings.Contains(err.Error(), fakeSecret) {
			t.Errorf("%s: the error shows the secret", tc.want)
		}
		// Helm's toYaml fails on all but NEL, which it folds, and invalid
		// UTF-8, which it replaces.
		if _, herr := helmToYAMLReference([]any{e.Map()}); (herr == nil) != tc.helmRenders {
			t.Errorf("%s: Helm renders it, but RenderUpstreamIDPs refuses", tc.want)
		}
	}
	// Keys too.
	e := UpstreamIDP{Type: "ldap", ID: "x", Name: "X", Config: ConnectorConfig{"bad\u007fkey": 1}}
	if _, err := RenderUpstreamIDPs([]UpstreamIDP{e}); err == nil {
		t.Error("a key with U+007F was rendered")
	}
}

// YAML allows at most 1024 characters from the start of a key to its colon:
// Helm's toYaml fails on longer keys of the JSON it reads back.
func TestRenderUpstreamIDPsLongKeys(t *testing.T) {
	for _, tc := range []struct {
		key  string
		fail bool
	}{
		{strings.Repeat("k", 1022), false},
		{strings.Repeat("k", 1023), true},
		{strings.Repeat("é", 1022), false}, // characters, not bytes
		{strings.Repeat("é", 1023), true},
		{strings.Repeat("<", 170), false}, // 170 × \u003c = 1020 characters
		{strings.Repeat("<", 171), true},
		{strings.Repeat("\n", 511), false},
		{strings.Repeat("\n", 512), true},
	} {
		v := []any{map[string]any{"config": map[string]any{tc.key: 1, "short": 2}}}
		_, herr := helmToYAMLReference(v)
		if (herr != nil) != tc.fail {
			t.Fatalf("key of %d bytes: Helm's toYaml error %v, want failure %v", len(tc.key), herr, tc.fail)
		}
		_, err := helmYAML(v, "oidc.upstreamIDPs")
		var re *RenderError
		switch {
		case tc.fail && !errors.As(err, &re):
			t.Errorf("key of %d bytes: got %v, want a *RenderError", len(tc.key), err)
		case tc.fail && (!strings.HasPrefix(re.Path, "oidc.upstreamIDPs[0].config") || !strings.Contains(re.Msg, "1022")):
			t.Errorf("key of %d bytes: got %v", len(tc.key), err)
		case !tc.fail && err != nil:
			t.Errorf("key of %d bytes: %v", len(tc.key), err)
		}
	}
}

// The guide's entry, with the connector-file key version.
const guideEntry = `- type: oidc
  id: auth0
  name: Auth0
  version: 1
  config:
    issuer: https://acme.us.auth0.com/
    clientID: aBcD1234
    clientSecret: fake-client-secret-do-not-print
    redirectURI: https://pachyderm.example.com/dex/callback
    insecureEnableGroups: true
`

func TestDecodePachdStrict(t *testing.T) {
	type want struct {
		rule, path string
		line       int
		sev        Severity
	}
	e := func(rule, path string, line int) want { return want{rule, path, line, SeverityError} }
	w := func(rule, path string, line int) want { return want{rule, path, line, SeverityWarning} }
	cases := []struct {
		name, text string
		want       []want
		entries    int // -1: nil entries expected
	}{
		{"guide version", guideEntry, []want{e("pachctl-version-key", "upstream-idps[0].version", 4)}, 1},
		{"good", "- type: oidc\n  id: a\n  name: A\n  config:\n    issuer: https://x/\n", nil, 1},
		// pachd's decoder knows the fields by their declared names only
		// (conformance: entry-config-version-snake, entry-json-config-snake).
		{"config_version and json_config refused", "- type: github\n  id: gh\n  name: GitHub\n  config_version: 3\n  json_config: '{\"clientID\": \"x\"}'\n",
			[]want{e("config-missing", "upstream-idps[0].config", 1), e("unknown-entry-key", "upstream-idps[0].config_version", 4),
				e("unknown-entry-key", "upstream-idps[0].json_config", 5)}, 1},
		{"configVersion as string", "- {type: oidc, id: a, name: A, configVersion: \"2\", config: {}}\n",
			[]want{w("config-version-managed", "upstream-idps[0].configVersion", 1)}, 1},
		{"JSON", `[{"type":"oidc","id":"a","name":"A","config":{"issuer":"https://x/"}}]`, nil, 1},
		{"unknown keys", "- type: oidc\n  id: a\n  name: A\n  ID: b\n  issuer: x\n  foo: 1\n  Config: {}\n  configversion: 1\n  config: {}\n",
			[]want{e("unknown-entry-key", "upstream-idps[0].ID", 4), e("unknown-entry-key", "upstream-idps[0].issuer", 5),
				e("unknown-entry-key", "upstream-idps[0].foo", 6), e("unknown-entry-key", "upstream-idps[0].Config", 7),
				e("unknown-entry-key", "upstream-idps[0].configversion", 8)}, 1},
		{"wrong types", "- type: yes\n  id: 12\n  name: [a]\n  configVersion: 1.5\n  jsonConfig: {a: 1}\n",
			[]want{e("wrong-type", "upstream-idps[0].type", 1), e("wrong-type", "upstream-idps[0].id", 2), e("wrong-type", "upstream-idps[0].name", 3),
				e("wrong-type", "upstream-idps[0].configVersion", 4), e("wrong-type", "upstream-idps[0].jsonConfig", 5)}, 1},
		{"config not a mapping", "- {type: oidc, id: a, name: A, config: [1]}\n", []want{e("wrong-type", "upstream-idps[0].config", 1)}, 1},
		{"configVersion not a number", "- {type: oidc, id: a, name: A, configVersion: two, config: {}}\n",
			[]want{e("wrong-type", "upstream-idps[0].configVersion", 1)}, 1},
		{"missing fields", "- config: {}\n- id: ''\n  name: B\n  type: oidc\n  config: {}\n",
			[]want{e("required", "upstream-idps[0].type", 1), e("required", "upstream-idps[0].id", 1),
				e("required", "upstream-idps[0].name", 1), e("required", "upstream-idps[1].id", 2)}, 2},
		{"null fields", "- {type: oidc, id: a, name: ~, config: {}}\n", []want{e("required", "upstream-idps[0].name", 1)}, 1},
		{"duplicate id", "- {type: oidc, id: a, name: A, config: {}}\n- {type: oidc, id: a, name: B, config: {}}\n",
			[]want{e("duplicate-id", "upstream-idps[1].id", 2)}, 2},
		{"configVersion set", "- {type: oidc, id: a, name: A, configVersion: 1, config: {}}\n",
			[]want{w("config-version-managed", "upstream-idps[0].configVersion", 1)}, 1},
		{"not a list", "type: oidc\nid: a\n", []want{e("pachd-not-a-list", "upstream-idps", 1)}, -1},
		{"entry not a mapping", "- {type: oidc, id: a, name: A, config: {}}\n- just text\n",
			[]want{e("pachd-entry-type", "upstream-idps[1]", 2)}, -1},
		{"syntax", "- type: oidc\n  id: [a\n", []want{e("pachd-yaml", "upstream-idps", 0)}, -1},
		// pachd's YAMLToJSON is not strict: the last value counts.
		{"duplicate key", "- {type: oidc, id: a, name: A, config: {}}\n- type: oidc\n  id: b\n  type: ldap\n  name: B\n  config: {}\n",
			[]want{w("duplicate-key", "upstream-idps[1].type", 4)}, 2},
		{"empty", "", []want{w("pachd-empty", "upstream-idps", 0)}, -1},
		{"empty list", "[]\n", []want{w("pachd-empty", "upstream-idps", 0)}, -1},
		{"json config not JSON", "- {type: github, id: gh, name: G, jsonConfig: '{clientID: x'}\n",
			[]want{e("json-config-invalid", "upstream-idps[0].jsonConfig", 1)}, 1},
		{"json config not an object", "- {type: github, id: gh, name: G, jsonConfig: '[1]'}\n",
			[]want{e("json-config-invalid", "upstream-idps[0].jsonConfig", 1)}, 1},
		{"json config null", "- {type: github, id: gh, name: G, jsonConfig: 'null'}\n",
			[]want{e("config-missing", "upstream-idps[0].jsonConfig", 1)}, 1},
		{"json config ignored", "- {type: github, id: gh, name: G, jsonConfig: '{}', config: {clientID: x}}\n",
			[]want{w("config-and-json-config", "upstream-idps[0].jsonConfig", 1)}, 1},
		{"no config", "- {type: mockCallback, id: m, name: M}\n", []want{e("config-missing", "upstream-idps[0].config", 1)}, 1},
		{"infinite number", "- type: ldap\n  id: l\n  name: L\n  config:\n    limits: [1, .inf]\n",
			[]want{e("pachd-yaml", "upstream-idps[0].config.limits[1]", 5)}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			entries, fs := decodePachdStrict([]byte(tc.text))
			var got []want
			for _, f := range fs {
				got = append(got, want{string(f.Rule), f.Path, f.Pos.Line, f.Severity})
				if strings.Contains(f.Error(), fakeSecret) {
					t.Errorf("finding %s shows the secret", f.Rule)
				}
				if f.Severity == SeverityError && f.Fate != FatePachdCrash {
					t.Errorf("error %s does not say that pachd crashes: %s", f.Rule, f.Message)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings:\n got %v\nwant %v\n%v", got, tc.want, fs)
			}
			switch {
			case tc.entries < 0 && entries != nil:
				t.Errorf("got %d entries, want nil", len(entries))
			case tc.entries >= 0 && len(entries) != tc.entries:
				t.Errorf("got %d entries, want %d", len(entries), tc.entries)
			}
		})
	}
}

func TestDecodePachdStrictMessages(t *testing.T) {
	_, fs := decodePachdStrict([]byte(guideEntry))
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	msg := fs[0].Error()
	for _, want := range []string{"upstream-idps[0].version (line 4)", "pachctl's connector file", "delete it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if fs[0].Pos != (Position{Line: 4, Column: 3}) {
		t.Errorf("position %v, want 4:3", fs[0].Pos)
	}
	var ve Findings
	if !errors.As(fs.Err(), &ve) {
		t.Errorf("Findings.Err() = %v, want Findings", fs.Err())
	}
}

func FuzzDecodePachdStrict(f *testing.F) {
	f.Add([]byte(guideEntry))
	f.Add([]byte("- {type: oidc, id: a, name: A, config: {issuer: 'https://x/', scopes: [openid, email]}}\n"))
	f.Add([]byte("- type: ldap\n  id: l\n  name: L\n  config:\n    bindPW: x\n    n: 012\n    s: '012'\n    y: yes\n    f: 1.5\n"))
	f.Add([]byte(`[{"type":"github","id":"gh","name":"G","configVersion":"3","jsonConfig":"{}"}]`))
	f.Add([]byte("- {id: a, name: A, type: oidc, config: {ISSUER: x, clientid: y, claimMapping: {email: e}}}\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		entries, fs := decodePachdStrict(text)
		for _, fd := range fs {
			if fd.Rule == "" || !strings.HasPrefix(fd.Path, "upstream-idps") || fd.Message == "" {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
		if len(fs.Errors()) > 0 || entries == nil {
			return
		}
		// Accepted input re-renders stably.
		r1, err := RenderUpstreamIDPs(entries)
		if err != nil {
			var re *RenderError
			if !errors.As(err, &re) {
				t.Fatalf("render: %v", err)
			}
			return
		}
		again, fs2 := decodePachdStrict(r1)
		if len(fs2.Errors()) > 0 {
			t.Fatalf("pachd would refuse the rendered list: %v", fs2)
		}
		if len(again) != len(entries) {
			t.Fatalf("%d entries became %d", len(entries), len(again))
		}
		for i := range entries {
			if !reflect.DeepEqual(normalize(again[i].Map()), normalize(entries[i].Map())) {
				t.Fatalf("entry %d changed after Render and Decode", i)
			}
		}
		r2, err := RenderUpstreamIDPs(again)
		if err != nil || !bytes.Equal(r1, r2) {
			t.Fatalf("rendering is not stable (%v)", err)
		}
	})
}

func BenchmarkRenderUpstreamIDPs(b *testing.B) {
	entries := renderEntries(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderUpstreamIDPs(entries); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePachdStrict(b *testing.B) {
	text, err := RenderUpstreamIDPs(renderEntries(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		decodePachdStrict(text)
	}
}

const pachdValuesDoc = `oidc:
  mockIDP: false
  upstreamIDPs:
    - type: oidc
      id: auth0
      name: Auth0
      config:
        issuer: https://acme.us.auth0.com/
        clientID: aBcD1234
        clientSecret: ` + fakeSecret + `
        redirectURI: https://pachyderm.example.com/dex/callback
`

// secretFor is the manifest of the Secret named name holding entries.
func secretFor(t *testing.T, name string, entries string) *UpstreamIDPsSecret {
	t.Helper()
	idps, err := DecodeUpstreamIDPs([]byte(entries))
	if err != nil {
		t.Fatal(err)
	}
	text, err := RenderUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	return &UpstreamIDPsSecret{Name: name, Text: text}
}

func TestPachdUpstreamIDPs(t *testing.T) {
	inline := openTestValues(t, pachdValuesDoc)
	idps, err := inline.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := RenderUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	versioned := strings.Replace(pachdValuesDoc, "      name: Auth0\n", "      name: Auth0\n      version: 1\n", 1)
	withName := strings.Replace(pachdValuesDoc, "  upstreamIDPs:\n", "  upstreamIDPsSecretName: idps\n  upstreamIDPs:\n", 1)
	switched := "oidc:\n  upstreamIDPsSecretName: idps\n  upstreamIDPs: []\n"
	good := secretFor(t, "idps", "- {type: oidc, id: okta, name: Okta, config: {issuer: https://acme.okta.com}}\n")
	bad := &UpstreamIDPsSecret{Name: "idps", Text: []byte("- type: oidc\n  id: okta\n  name: Okta\n  version: 1\n  config: {}\n")}

	tests := []struct {
		name   string
		doc    string
		secret *UpstreamIDPsSecret
		text   []byte // nil: no text
		want   []finding
	}{
		{name: "inline", doc: pachdValuesDoc, text: rendered},
		{name: "inline with version", doc: versioned, text: nil, // text checked below
			want: []finding{{"pachctl-version-key", SeverityError, "oidc.upstreamIDPs[0].version", 7}}},
		{name: "inline, unused secret", doc: pachdValuesDoc, secret: good, text: rendered,
			want: []finding{{"secret-unused", SeverityWarning, "oidc.upstreamIDPsSecretName", 1}}},
		{name: "inline, mock on", doc: strings.Replace(pachdValuesDoc, "mockIDP: false", "mockIDP: true", 1), text: rendered,
			want: []finding{{"mock-idp-ignored", SeverityWarning, "oidc.mockIDP", 2}}},
		{name: "secret", doc: switched, secret: good, text: good.Text},
		{name: "secret with version", doc: switched, secret: bad, text: bad.Text,
			want: []finding{{"pachctl-version-key", SeverityError, "upstream-idps[0].version", 4}}},
		{name: "secret of another name", doc: switched, secret: &UpstreamIDPsSecret{Name: "other", Text: good.Text}, text: good.Text,
			want: []finding{{"secret-name-mismatch", SeverityWarning, "oidc.upstreamIDPsSecretName", 2}}},
		{name: "secret and inline list", doc: withName, secret: good, text: good.Text,
			want: []finding{{"inline-list-ignored", SeverityWarning, "oidc.upstreamIDPs", 4}}},
		// Charts from 2.3 render without any IdP (2.0-2.2 refuse: see
		// ValidateValues with their target).
		{name: "no entries, mock off", doc: "oidc:\n  mockIDP: false\n  upstreamIDPs: []\n",
			want: []finding{{"no-upstream-idps", SeverityWarning, "oidc.upstreamIDPs", 3}}},
		{name: "no entries, mock default", doc: "proxy: {}\n",
			want: []finding{{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, fs, err := openTestValues(t, tt.doc).PachdUpstreamIDPs(tt.secret)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if tt.text != nil && !bytes.Equal(text, tt.text) {
				t.Errorf("the text differs from the expected render (%d bytes, want %d)", len(text), len(tt.text))
			}
			if tt.text == nil && tt.name != "inline with version" && text != nil {
				t.Errorf("got %d bytes of text, want none", len(text))
			}
			if got := summarize(fs); !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPachdUpstreamIDPsErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		check     func(error) bool
		msg       string
	}{
		{"missing secret", "oidc:\n  upstreamIDPsSecretName: idps\n", func(err error) bool {
			return errors.Is(err, ErrSecretNotGiven)
		}, `oidc.upstreamIDPsSecretName (line 2): the chart reads the entries from the key upstream-idps of the Secret "idps"`},
		{"secret name a number", "oidc:\n  upstreamIDPsSecretName: 12\n", func(err error) bool {
			var se *SyntaxError
			return errors.As(err, &se) && se.Path == "oidc.upstreamIDPsSecretName"
		}, "must be the name of a Secret, got a number"},
		{"list a string", "oidc:\n  upstreamIDPs: x\n", func(err error) bool {
			var se *SyntaxError
			return errors.As(err, &se) && se.Path == "oidc.upstreamIDPs" && se.Pos.Line == 2
		}, "upstream IdPs must be a list"},
		{"entry a string", "oidc:\n  upstreamIDPs: [x]\n", func(err error) bool {
			var se *SyntaxError
			return errors.As(err, &se)
		}, "oidc.upstreamIDPs[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, fs, err := openTestValues(t, tt.doc).PachdUpstreamIDPs(nil)
			if err == nil || !tt.check(err) {
				t.Fatalf("error %v (%T), want another", err, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			if text != nil || fs != nil {
				t.Errorf("text or findings returned with the error")
			}
		})
	}
}

// TestPachdUpstreamIDPsNoSecretInFindings checks that no finding repeats
// a secret, even the value of a key pachd refuses.
func TestPachdUpstreamIDPsNoSecretInFindings(t *testing.T) {
	doc := strings.Replace(pachdValuesDoc, "      name: Auth0\n", "      name: Auth0\n      bindPW: "+fakeSecret+"\n      token: "+fakeSecret+"\n", 1)
	_, fs, err := openTestValues(t, doc).PachdUpstreamIDPs(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.Errors()) == 0 {
		t.Fatal("no finding for the unknown key")
	}
	for _, f := range fs {
		if strings.Contains(f.Error(), fakeSecret) {
			t.Errorf("finding %s shows the secret", f.Rule)
		}
	}
}

func ExampleDocument_PachdUpstreamIDPs() {
	v, err := OpenDocument([]byte(`oidc:
  mockIDP: false
  upstreamIDPs:
  - type: oidc
    id: auth0
    name: Auth0
    version: 1
    config:
      issuer: https://acme.us.auth0.com/
`))
	if err != nil {
		panic(err)
	}
	text, findings, err := v.PachdUpstreamIDPs(nil) // no Secret: the values list the entries
	if err != nil {
		panic(err)
	}
	fmt.Print(string(text))
	for _, f := range findings {
		fmt.Println(f.Pos, f.Path, f.Rule)
	}
	// Output:
	// - config:
	//     issuer: https://acme.us.auth0.com/
	//   id: auth0
	//   name: Auth0
	//   type: oidc
	//   version: 1
	// 7:5 oidc.upstreamIDPs[0].version pachctl-version-key
}

func ExampleValidateValues_prerequisites() {
	v, err := OpenDocument([]byte(`proxy:
  host: https://pachyderm.example.com
oidc:
  upstreamIDPs:
    - {id: corp, name: Corp, type: oidc, config: {issuer: https://login.example.com}}
`))
	if err != nil {
		panic(err)
	}
	r, err := ValidateValues(v, ValidateValuesOptions{Target: mustTarget("2.12.1")})
	if err != nil {
		panic(err)
	}
	for _, f := range r.Findings {
		fmt.Printf("%v %s %s: %s\n", f.Pos, f.Severity, f.Path, f.Rule)
	}
	// Output:
	// 1:1 error proxy.tls.enabled: tls-disabled
	// 2:3 error proxy.host: host-scheme
	// 5:42 error oidc.upstreamIDPs[0].config.clientID: required
	// 5:42 error oidc.upstreamIDPs[0].config.clientSecret: required
	// 5:42 error oidc.upstreamIDPs[0].config.redirectURI: required
}
