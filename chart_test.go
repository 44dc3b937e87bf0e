package pachidp

import (
	"fmt"
	"strings"
	"testing"
)

// TestChartIdentity pins what each chart renders for the upstream IdPs; the
// conformance module (conformance/chart) proves the same model against the
// real charts.
func TestChartIdentity(t *testing.T) {
	const entry = "  upstreamIDPs:\n    - {id: a, name: A, type: oidc, config: {issuer: https://l.example.com, clientSecret: \"\"}}\n"
	const text = "- config:\n    clientSecret: \"\"\n    issuer: https://l.example.com\n  id: a\n  name: A\n  type: oidc\n"
	const mock23 = "- id: test\n  name: test\n  type: mockPassword\n  config:\n    username: admin\n    password: password\n"
	const mock22 = "\n- id: test\n  name: test\n  type: mockPassword\n  jsonConfig: '{\"username\": \"admin\", \"password\": \"password\"}'\n"
	const license = "pachd:\n  enterpriseLicenseKey: k\n"
	tests := []struct {
		name, target, doc string
		connectors, mock  bool
		secret, key, text string
		refuses           string // a RenderErrors path
	}{
		{"entries, newest", "", "oidc:\n" + entry, true, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"entries, 2.11 without license", "2.11.6", "oidc:\n" + entry, false, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"entries, 2.11 with license", "2.11.6", license + "oidc:\n" + entry, true, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"entries, 2.12.0-rc.1 without license", "2.12.0-rc.1", "oidc:\n" + entry, false, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"entries, 2.2 with license", "2.2.7", license + "oidc:\n" + entry, true, false, "pachyderm-bootstrap-config", "idps", "\n" + text, ""},
		{"entries, 2.2 without license", "2.2.7", "oidc:\n" + entry, false, false, "", "", "", ""},
		{"secret name wins over entries", "", "oidc:\n  upstreamIDPsSecretName: mine\n" + entry, true, false, "mine", "upstream-idps", "", ""},
		{"secret name, 2.2", "2.2.7", license + "oidc:\n  upstreamIDPsSecretName: mine\n", true, false, "mine", "upstream-idps", "", ""},
		{"mock, newest", "", "{}", true, true, "pachyderm-identity", "upstream-idps", mock23, ""},
		{"mock, 2.2", "2.2.7", license, true, true, "pachyderm-bootstrap-config", "idps", mock22, ""},
		{"entries win over mock", "", "oidc:\n  mockIDP: true\n" + entry, true, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"nothing, newest: renders, no IdP", "", "oidc:\n  mockIDP: false\n", false, false, "", "", "", ""},
		{"nothing, 2.2 with license: refuses", "2.2.7", license + "oidc:\n  mockIDP: false\n", true, false, "", "", "", "oidc.upstreamIDPs"},
		{"nothing, 2.2 without license: renders", "2.2.7", "oidc:\n  mockIDP: false\n", false, false, "", "", "", ""},
		{"pachd disabled", "", "pachd:\n  enabled: false\noidc:\n" + entry, false, false, "pachyderm-identity", "upstream-idps", text, ""},
		{"issuerURI without /dex, proxy on", "", "oidc:\n  issuerURI: https://o.example.com\n", true, true, "pachyderm-identity", "upstream-idps", mock23, "oidc.issuerURI"},
		{"issuerURI without /dex, proxy default off (2.4)", "2.4.6", "oidc:\n  issuerURI: https://o.example.com\n", false, true, "pachyderm-identity", "upstream-idps", mock23, ""},
		{"ingress on without host", "", "ingress:\n  enabled: true\n", true, true, "pachyderm-identity", "upstream-idps", mock23, "ingress.host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci, err := openTestValues(t, tt.doc).ChartIdentity(mustTarget(tt.target))
			if err != nil {
				t.Fatal(err)
			}
			refuses := ""
			if len(ci.RenderErrors) > 0 {
				refuses = ci.RenderErrors[0].Path
			}
			if refuses != tt.refuses {
				t.Errorf("refuses at %q, want %q: %v", refuses, tt.refuses, ci.RenderErrors)
			}
			if ci.Connectors != tt.connectors || ci.Mock != tt.mock || ci.SecretName != tt.secret || ci.SecretKey != tt.key || string(ci.Text) != tt.text {
				t.Errorf("got connectors %t mock %t Secret %q key %q text %q\nwant connectors %t mock %t Secret %q key %q text %q",
					ci.Connectors, ci.Mock, ci.SecretName, ci.SecretKey, ci.Text, tt.connectors, tt.mock, tt.secret, tt.key, tt.text)
			}
			if ci.UserSecret != (tt.secret != "" && tt.secret != "pachyderm-identity" && tt.secret != "pachyderm-bootstrap-config") {
				t.Errorf("UserSecret %t", ci.UserSecret)
			}
		})
	}
}

// TestPachdUpstreamIDPsAsWritten checks that the text is the chart's: keys
// keep their names and empty strings stay (RenderUpstreamIDPs of the decoded
// entries would rename and drop them).
func TestPachdUpstreamIDPsAsWritten(t *testing.T) {
	doc := "oidc:\n  upstreamIDPs:\n    - id: \"\"\n      config_version: 2\n      type: oidc\n      config: {clientSecret: \"\", z: null}\n"
	v := openTestValues(t, doc)
	text, _, err := v.PachdUpstreamIDPs(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "- config:\n    clientSecret: \"\"\n    z: null\n  config_version: 2\n  id: \"\"\n  type: oidc\n"
	if string(text) != want {
		t.Errorf("PachdUpstreamIDPs = %q, want %q", text, want)
	}
	idps, _ := v.UpstreamIDPs()
	canonical, _ := RenderUpstreamIDPs(idps)
	if string(canonical) == want || strings.Contains(string(canonical), `clientSecret: ""`) {
		t.Errorf("RenderUpstreamIDPs of the decoded entries = %q: expected the canonical form (no empty strings), which differs", canonical)
	}
}

func ExampleDocument_ChartIdentity_issuer() {
	v, err := OpenDocument([]byte(`proxy:
  host: pachyderm.example.com
  tls:
    enabled: true
ingress:
  host: old.example.com # left over: ingress is not enabled
`))
	if err != nil {
		panic(err)
	}
	for _, version := range []string{"2.2.7", "2.3.5", "2.11.6"} {
		ci, err := v.ChartIdentity(mustTarget(version))
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s (from %s), callback %s/callback\n", version, ci.Issuer, ci.IssuerFrom, ci.Issuer)
	}
	// Output:
	// 2.2.7: http://old.example.com/dex (from ingress.host), callback http://old.example.com/dex/callback
	// 2.3.5: http://pachd:30658 (from pachd.service.type), callback http://pachd:30658/callback
	// 2.11.6: https://pachyderm.example.com/dex (from proxy.host), callback https://pachyderm.example.com/dex/callback
}

// TestRenderErrorText pins both forms of RenderError: a value toYaml cannot
// write, and the chart's refusal with its own message.
func TestRenderErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    *RenderError
		want string
	}{
		{&RenderError{Path: "oidc.upstreamIDPs[0].config.x", Msg: "m"}, "oidc.upstreamIDPs[0].config.x: m"},
		{&RenderError{Path: "oidc.issuerURI", Pos: Position{Line: 3, Column: 5}, Msg: "fix", Chart: "no", Version: "2.11"},
			`oidc.issuerURI: chart 2.11 refuses to render ("no"): fix`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
