package pachidp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

// goodBase is a values document that meets every prerequisite, with one
// entry. Cases change it with the replacements of their table row.
const goodBase = `pachd:
  enterpriseLicenseKeySecretName: pachyderm-license
proxy:
  enabled: true
  host: pachyderm.example.com
  tls:
    enabled: true
    secretName: pachyderm-tls
ingress:
  host: ""
oidc:
  issuerURI: ""
  mockIDP: false
  upstreamIDPs:
    - type: oidc
      id: auth0
      name: Auth0
      config:
        issuer: https://acme.us.auth0.com/
`

// finding is what the tests compare: rule, severity, path and line.
type finding struct {
	Rule     string
	Severity Severity
	Path     string
	Line     int
}

func summarize(fs Findings) []finding {
	out := make([]finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, finding{string(f.Rule), f.Severity, f.Path, f.Pos.Line})
	}
	return out
}

func openTestValues(t *testing.T, doc string) *Document {
	t.Helper()
	v, err := OpenDocument([]byte(doc))
	if err != nil {
		t.Fatalf("OpenDocument: %v", err)
	}
	return v
}

func TestPrerequisites(t *testing.T) {
	tests := []struct {
		name    string
		doc     string // the document; goodBase when empty
		replace []string
		opts    prereqOpts
		want    []finding
	}{
		{name: "all met, chart 2.11", opts: prereqOpts{Target: mustTarget("2.11.3")}},
		{name: "all met, unknown chart"},
		{name: "tls off", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName"},
			want: []finding{{"tls-disabled", SeverityError, "proxy.tls.enabled", 7}}},
		{name: "tls absent", replace: []string{"  tls:\n    enabled: true\n    secretName: pachyderm-tls\n", ""},
			want: []finding{{"tls-disabled", SeverityError, "proxy.tls.enabled", 3}}},
		{name: "ingress tls instead", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"ingress:\n", "ingress:\n  tls:\n    enabled: true\n"}},
		// The override makes the chart's issuer https: nothing to report.
		{name: "https override", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"ingress:\n", "ingress:\n  uriHttpsProtoOverride: true\n"}},
		// oidc.issuerURI is rendered as written: TLS and hosts do not matter.
		{name: "tls off, issuerURI explicit", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			`issuerURI: ""`, "issuerURI: https://pachyderm.example.com/dex"}},
		{name: "no host, issuerURI explicit", replace: []string{"host: pachyderm.example.com", `host: ""`,
			`issuerURI: ""`, "issuerURI: https://pachyderm.example.com/dex"}},
		{name: "custom issuerURI path, proxy off", replace: []string{"  enabled: true\n  host", "  enabled: false\n  host",
			`issuerURI: ""`, "issuerURI: https://login.example.com/custom/path"}},
		// No entries: nothing to log in with, so no TLS or host finding.
		{name: "tls off, no entries (mock IdP)", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"  mockIDP: false\n", "", "  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n"},
			want: []finding{{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 13}}},
		{name: "tls off, secret name", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"  upstreamIDPs:\n", "  upstreamIDPsSecretName: idps\n  upstreamIDPs: []\n  x:\n"},
			want: []finding{{"tls-disabled", SeverityError, "proxy.tls.enabled", 7}}},
		{name: "host with a scheme", replace: []string{"host: pachyderm.example.com", "host: https://pachyderm.example.com"},
			want: []finding{{"host-scheme", SeverityError, "proxy.host", 5}}},
		{name: "ingress host with a scheme, ingress off", replace: []string{`  host: ""`, "  host: https://i.example.com"},
			want: []finding{{"host-scheme", SeverityError, "ingress.host", 10}}},
		{name: "ingress enabled without host", replace: []string{`  host: ""`, "  enabled: true"},
			want: []finding{{"ingress-host-missing", SeverityError, "ingress.host", 9}}},
		{name: "proxy off, no ingress", replace: []string{"  enabled: true\n  host", "  enabled: false\n  host"},
			want: []finding{{"host-missing", SeverityError, "proxy.host", 5}}},
		{name: "proxy host, chart 2.3.5", opts: prereqOpts{Target: mustTarget("2.3.5")},
			want: []finding{{"host-missing", SeverityError, "proxy.host", 5}}},
		{name: "proxy host, chart 2.3.6", opts: prereqOpts{Target: mustTarget("2.3.6")}},
		{name: "proxy.enabled absent, chart 2.4 (default off)", opts: prereqOpts{Target: mustTarget("2.4.6")},
			replace: []string{"  enabled: true\n  host", "  host"},
			want:    []finding{{"host-missing", SeverityError, "proxy.host", 4}}},
		{name: "proxy.enabled absent, chart 2.5 (default on)", opts: prereqOpts{Target: mustTarget("2.5.0")},
			replace: []string{"  enabled: true\n  host", "  host"}},
		{name: "chart 2.2: no proxy", opts: prereqOpts{Target: mustTarget("2.2.7")},
			want: []finding{{"proxy-unsupported", SeverityWarning, "proxy", 3}, {"host-missing", SeverityError, "ingress.host", 10}}},
		{name: "chart 2.2: ingress host used while disabled", opts: prereqOpts{Target: mustTarget("2.2.7")},
			replace: []string{"proxy:\n  enabled: true\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: pachyderm-tls\n", "",
				`  host: ""`, "  host: pachyderm.example.com\n  tls:\n    enabled: true"}},
		{name: "chart 2.2: no entries, mock off", opts: prereqOpts{Target: mustTarget("2.2.7")},
			replace: []string{"proxy:\n  enabled: true\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: pachyderm-tls\n", "",
				"  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n"},
			want: []finding{{"no-upstream-idps", SeverityError, "oidc.upstreamIDPs", 8}}},
		{name: "chart 2.2: no entries, mock off, no license", opts: prereqOpts{Target: mustTarget("2.2.7")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n",
				"proxy:\n  enabled: true\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: pachyderm-tls\n", "",
				"  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n"}},
		{name: "tls without certificate", replace: []string{"secretName: pachyderm-tls", `secretName: ""`},
			want: []finding{{"tls-secret-missing", SeverityError, "proxy.tls.secretName", 8}}},
		{name: "tls with generated secret", replace: []string{"secretName: pachyderm-tls", "secret: {crt: x, key: y}"}},
		{name: "tls enabled as a string", replace: []string{"    enabled: true\n    secretName", "    enabled: \"false\"\n    secretName"},
			want: []finding{{"not-a-bool", SeverityWarning, "proxy.tls.enabled", 7}}},
		{name: "tls enabled yes (YAML 1.1)", replace: []string{"    enabled: true\n    secretName", "    enabled: yes\n    secretName"}},
		{name: "tls enabled a list", replace: []string{"    enabled: true\n    secretName", "    enabled: [x]\n    secretName"},
			want: []finding{{"wrong-type", SeverityError, "proxy.tls.enabled", 7}}},
		{name: "no host", replace: []string{"host: pachyderm.example.com", `host: ""`},
			want: []finding{{"host-missing", SeverityError, "proxy.host", 5}}},
		{name: "ingress host only", replace: []string{"host: pachyderm.example.com", `host: ""`, `  host: ""`, "  host: pach.example.com"}},
		// A leftover ingress.host is not used while ingress is off.
		{name: "hosts differ, ingress off", replace: []string{`  host: ""`, "  host: pach.example.com"}},
		{name: "hosts differ, ingress on", replace: []string{`  host: ""`, "  enabled: true\n  host: pach.example.com"},
			want: []finding{{"host-mismatch", SeverityWarning, "proxy.host", 5}}},
		{name: "host a number", replace: []string{"host: pachyderm.example.com", "host: 12"},
			want: []finding{{"wrong-type", SeverityError, "proxy.host", 5}}},
		{name: "no license, chart 2.11", opts: prereqOpts{Target: mustTarget("v2.11.0")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"},
			want:    []finding{{"enterprise-license-missing", SeverityError, "pachd.enterpriseLicenseKey", 1}}},
		{name: "no license, chart 2.12", opts: prereqOpts{Target: mustTarget("2.12.0")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "no license, master", opts: prereqOpts{Target: mustTarget("master")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "no license, release candidate of 2.11", opts: prereqOpts{Target: mustTarget("2.11.0-rc.1")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"},
			want:    []finding{{"enterprise-license-missing", SeverityError, "pachd.enterpriseLicenseKey", 1}}},
		{name: "no license, 2.12.0-rc.1 (still gated)", opts: prereqOpts{Target: mustTarget("2.12.0-rc.1")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"},
			want:    []finding{{"enterprise-license-missing", SeverityError, "pachd.enterpriseLicenseKey", 1}}},
		{name: "no license, no entries, chart 2.11", opts: prereqOpts{Target: mustTarget("2.11.6")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n", "  mockIDP: false\n", "", "  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n"},
			want:    []finding{{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 13}}},
		{name: "no license, default target (newest)",
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "license key inline", opts: prereqOpts{Target: mustTarget("2.6.5")},
			replace: []string{"enterpriseLicenseKeySecretName: pachyderm-license", "enterpriseLicenseKey: fake-license"}},
		{name: "issuerURI without /dex", replace: []string{`issuerURI: ""`, "issuerURI: https://pachyderm.example.com"},
			want: []finding{{"issuer-uri-dex-suffix", SeverityError, "oidc.issuerURI", 12}}},
		{name: "issuerURI with /dex", replace: []string{`issuerURI: ""`, "issuerURI: https://pachyderm.example.com/dex"}},
		{name: "issuerURI without /dex, proxy off", replace: []string{`issuerURI: ""`, "issuerURI: https://pachyderm.example.com",
			"  enabled: true\n  host", "  enabled: false\n  host"}},
		{name: "issuerURI without /dex, proxy.enabled absent", replace: []string{`issuerURI: ""`, "issuerURI: https://pachyderm.example.com",
			"  enabled: true\n  host", "  host"},
			want: []finding{{"issuer-uri-dex-suffix", SeverityError, "oidc.issuerURI", 11}}},
		{name: "no entries, mock off", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n"},
			want: []finding{{"no-upstream-idps", SeverityWarning, "oidc.upstreamIDPs", 14}}},
		{name: "no entries, mock absent", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPs: []\n  x:\n", "  mockIDP: false\n", ""},
			want: []finding{{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 13}}},
		{name: "entries and mock on", replace: []string{"mockIDP: false", "mockIDP: true"},
			want: []finding{{"mock-idp-ignored", SeverityWarning, "oidc.mockIDP", 13}}},
		{name: "entries and mock absent", replace: []string{"  mockIDP: false\n", ""}},
		{name: "secret name, no entries, mock off", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPsSecretName: idps\n  upstreamIDPs: []\n  x:\n"}},
		{name: "secret name and entries", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPsSecretName: idps\n  upstreamIDPs:\n"},
			want: []finding{{"inline-list-ignored", SeverityWarning, "oidc.upstreamIDPs", 15}}},
		{name: "secret name not a string", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPsSecretName: 12\n  upstreamIDPs:\n"},
			want: []finding{{"wrong-type", SeverityError, "oidc.upstreamIDPsSecretName", 14}}},
		{name: "list a string", replace: []string{"  upstreamIDPs:\n", "  upstreamIDPs: x\n  y:\n"},
			want: []finding{{"wrong-type", SeverityError, "oidc.upstreamIDPs", 14}}},
		// Pachyderm's own test files: the mock IdP, nothing else to say.
		{name: "empty document", doc: "\n", want: []finding{
			{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 0},
		}},
		{name: "upstream Dex has no chart", doc: "\n", opts: prereqOpts{Target: TargetUpstreamDex}},
		{name: "JSON", doc: `{"proxy": {"host": "p.example.com", "tls": {"enabled": true, "secretName": "t"}},
 "pachd": {"enterpriseLicenseKey": "k"}, "oidc": {"mockIDP": false, "upstreamIDPs": []}}`,
			want: []finding{{"no-upstream-idps", SeverityWarning, "oidc.upstreamIDPs", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			if doc == "" {
				doc = goodBase
				for i := 0; i < len(tt.replace); i += 2 {
					if !strings.Contains(doc, tt.replace[i]) {
						t.Fatalf("test bug: %q not in the document", tt.replace[i])
					}
					doc = strings.Replace(doc, tt.replace[i], tt.replace[i+1], 1)
				}
			}
			got := summarize(prerequisites(openTestValues(t, doc), tt.opts.Target))
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDexIssuer(t *testing.T) {
	tests := []struct {
		doc, target, issuer, from string
		host                      string // RedirectHost, "" when not https://<host>/dex
	}{
		{"proxy:\n  host: pachyderm.example.com\n  tls: {enabled: true}\n", "", "https://pachyderm.example.com/dex", "proxy.host", "pachyderm.example.com"},
		{"proxy:\n  host: pachyderm.example.com:8443\n  tls: {enabled: true}\n", "", "https://pachyderm.example.com:8443/dex", "proxy.host", "pachyderm.example.com:8443"},
		{"proxy:\n  host: pachyderm.example.com\n", "", "http://pachyderm.example.com/dex", "proxy.host", ""},
		{"proxy:\n  host: https://p.example.com\n  tls: {enabled: true}\n", "", "https://https://p.example.com/dex", "proxy.host", ""},
		// ingress.host only when ingress.enabled (2.3 and later).
		{"proxy:\n  host: p.example.com\n  tls: {enabled: true}\ningress:\n  host: i.example.com\n", "", "https://p.example.com/dex", "proxy.host", "p.example.com"},
		{"proxy:\n  host: p.example.com\ningress:\n  enabled: true\n  host: i.example.com\n  tls: {enabled: true}\n", "", "https://i.example.com/dex", "ingress.host", "i.example.com"},
		{"ingress:\n  host: i.example.com\n  uriHttpsProtoOverride: true\n", "2.2.7", "https://i.example.com/dex", "ingress.host", "i.example.com"},
		{"ingress:\n  host: i.example.com\n  uriHttpsProtoOverride: true\n", "2.0.2", "http://i.example.com/dex", "ingress.host", ""},
		// oidc.issuerURI as written.
		{"proxy:\n  host: p.example.com\noidc:\n  issuerURI: https://o.example.com/dex\n", "", "https://o.example.com/dex", "oidc.issuerURI", "o.example.com"},
		{"proxy:\n  enabled: false\noidc:\n  issuerURI: https://o.example.com/custom\n", "", "https://o.example.com/custom", "oidc.issuerURI", ""},
		{"oidc:\n  issuerURI: https://o.example.com/custom\n", "2.4.0", "https://o.example.com/custom", "oidc.issuerURI", ""},
		// The in-cluster fallbacks.
		{"{}", "", "http://pachd:30658/dex", "proxy.enabled", ""},
		{"proxy:\n  enabled: true\n  host: p.example.com\n", "2.3.5", "http://pachd:30658/dex", "proxy.enabled", ""},
		{"proxy:\n  enabled: true\n  host: p.example.com\n", "2.3.6", "http://p.example.com/dex", "proxy.host", ""},
		{"proxy:\n  enabled: false\n", "", "http://pachd:30658", "pachd.service.type", ""},
		{"proxy:\n  host: p.example.com\n", "2.4.6", "http://pachd:30658", "pachd.service.type", ""},
		{"pachd:\n  service:\n    type: NodePort\n", "2.2.7", "http://pachd:1658", "pachd.service.type", ""},
	}
	for _, tt := range tests {
		target := mustTarget(tt.target)
		v := openTestValues(t, tt.doc)
		issuer, from, err := v.dexIssuer(target)
		if err != nil || issuer != tt.issuer || from != tt.from {
			t.Errorf("%s: DexIssuer of %q = %q, %q, %v; want %q, %q", target, tt.doc, issuer, from, err, tt.issuer, tt.from)
		}
		host, _, ok := v.RedirectHost(target)
		if host != tt.host || ok != (tt.host != "") {
			t.Errorf("%s: RedirectHost of %q = %q, %t; want %q", target, tt.doc, host, ok, tt.host)
		}
	}
}

func TestDexIssuerErrors(t *testing.T) {
	tests := []struct {
		doc, target, want string
	}{
		{"oidc:\n  issuerURI: https://o.example.com\n", "", `oidc.issuerURI: chart 2.12 refuses to render ("With the proxy enabled, oidc.issuerURI must end with /dex, not https://o.example.com"): write "https://o.example.com/dex"`},
		{"ingress:\n  enabled: true\n", "2.2.7", `ingress.host: chart 2.0.3-2.2 refuses to render ("ingress.host is required when ingress.enabled")`},
		{"{}", "dex", "upstream Dex v2.45.1 reads a Dex configuration file, not Helm values"},
	}
	for _, tt := range tests {
		_, _, err := openTestValues(t, tt.doc).dexIssuer(mustTarget(tt.target))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DexIssuer of %q for %s: %v; want %q", tt.doc, tt.target, err, tt.want)
		}
	}
}

// TestCheckPrerequisitesPachydermValues runs the checks on Pachyderm's own
// default values: the mock IdP on and nothing else reported (TLS, host and
// license matter only once there are entries), every finding pointing at
// the line of its key.
func TestPrerequisitesPachydermValues(t *testing.T) {
	dir := fixtures.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "values-*.yaml"))
	if len(files) == 0 {
		t.Skip("no values-*.yaml in " + dir)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		v := openTestValues(t, string(data))
		for _, chart := range []string{"2.11.0", "2.12.0"} {
			fs := prerequisites(v, mustTarget(chart))
			var rules []string
			for _, f := range fs {
				rules = append(rules, string(f.Rule))
				key := f.Path[strings.LastIndex(f.Path, ".")+1:]
				if !f.Pos.IsValid() || !strings.Contains(lines[f.Pos.Line-1], key+":") && f.Rule != "enterprise-license-missing" {
					t.Errorf("%s: %s at %v, a line without %s:", filepath.Base(file), f.Path, f.Pos, key)
				}
			}
			// The mock IdP: no entry to log in with, so neither TLS, host
			// nor license is a prerequisite yet.
			want := []string{"mock-idp-in-use"}
			if !slices.Equal(rules, want) {
				t.Errorf("%s, chart %s: rules %v, want %v", filepath.Base(file), chart, rules, want)
			}
		}
	}
}

func BenchmarkPrerequisites(b *testing.B) {
	v, err := OpenDocument([]byte(goodBase))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		prerequisites(v, mustTarget("2.11.3"))
	}
}

// prereqOpts is the target of a case of TestPrerequisites.
type prereqOpts struct{ Target Target }
