package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

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
		// CheckPrerequisites with their target).
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
			var me *MissingSecretError
			return errors.As(err, &me) && me.Name == "idps" && me.Pos.Line == 2
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
