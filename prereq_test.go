package pachidp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
		out = append(out, finding{f.Rule, f.Severity, f.Path, f.Pos.Line})
	}
	return out
}

func openTestValues(t *testing.T, doc string) *Values {
	t.Helper()
	v, err := OpenValues([]byte(doc))
	if err != nil {
		t.Fatalf("OpenValues: %v", err)
	}
	return v
}

func TestCheckPrerequisites(t *testing.T) {
	tests := []struct {
		name    string
		doc     string // the document; goodBase when empty
		replace []string
		opts    PrerequisiteOptions
		want    []finding
	}{
		{name: "all met, chart 2.11", opts: PrerequisiteOptions{Target: mustTarget("2.11.3")}},
		{name: "all met, unknown chart"},
		{name: "tls off", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName"},
			want: []finding{{"tls-disabled", SeverityError, "proxy.tls.enabled", 7}}},
		{name: "tls absent", replace: []string{"  tls:\n    enabled: true\n    secretName: pachyderm-tls\n", ""},
			want: []finding{{"tls-disabled", SeverityError, "proxy.tls.enabled", 3}}},
		{name: "ingress tls instead", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"ingress:\n", "ingress:\n  tls:\n    enabled: true\n"}},
		{name: "https override", replace: []string{"    enabled: true\n    secretName", "    enabled: false\n    secretName",
			"ingress:\n", "ingress:\n  uriHttpsProtoOverride: true\n"},
			want: []finding{{"tls-disabled", SeverityWarning, "proxy.tls.enabled", 7}}},
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
		{name: "hosts differ", replace: []string{`  host: ""`, "  host: pach.example.com"},
			want: []finding{{"host-mismatch", SeverityWarning, "proxy.host", 5}}},
		{name: "host a number", replace: []string{"host: pachyderm.example.com", "host: 12"},
			want: []finding{{"wrong-type", SeverityError, "proxy.host", 5}, {"host-missing", SeverityError, "proxy.host", 5}}},
		{name: "no license, chart 2.11", opts: PrerequisiteOptions{Target: mustTarget("v2.11.0")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"},
			want:    []finding{{"enterprise-license-missing", SeverityError, "pachd.enterpriseLicenseKey", 1}}},
		{name: "no license, chart 2.12", opts: PrerequisiteOptions{Target: mustTarget("2.12.0")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "no license, master", opts: PrerequisiteOptions{Target: mustTarget("master")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "no license, release candidate of 2.11", opts: PrerequisiteOptions{Target: mustTarget("2.11.0-rc.1")},
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"},
			want:    []finding{{"enterprise-license-missing", SeverityError, "pachd.enterpriseLicenseKey", 1}}},
		{name: "no license, default target (newest)",
			replace: []string{"  enterpriseLicenseKeySecretName: pachyderm-license\n", "  image: {}\n"}},
		{name: "license key inline", opts: PrerequisiteOptions{Target: mustTarget("2.6.5")},
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
			want: []finding{{"no-upstream-idps", SeverityError, "oidc.upstreamIDPs", 14}}},
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
		{name: "empty document", doc: "\n", want: []finding{
			{"tls-disabled", SeverityError, "proxy.tls.enabled", 0},
			{"host-missing", SeverityError, "proxy.host", 0},
			{"mock-idp-in-use", SeverityWarning, "oidc.upstreamIDPs", 0},
		}},
		{name: "JSON", doc: `{"proxy": {"host": "p.example.com", "tls": {"enabled": true, "secretName": "t"}},
 "pachd": {"enterpriseLicenseKey": "k"}, "oidc": {"mockIDP": false, "upstreamIDPs": []}}`,
			want: []finding{{"no-upstream-idps", SeverityError, "oidc.upstreamIDPs", 2}}},
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
			got := summarize(CheckPrerequisites(openTestValues(t, doc), tt.opts))
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRedirectHost(t *testing.T) {
	tests := []struct {
		doc, host, path string
	}{
		{"proxy:\n  host: pachyderm.example.com\n", "pachyderm.example.com", "proxy.host"},
		{"proxy:\n  host: pachyderm.example.com:8443\n", "pachyderm.example.com:8443", "proxy.host"},
		{"proxy:\n  host: p.example.com\ningress:\n  host: i.example.com\n", "i.example.com", "ingress.host"},
		{"proxy:\n  host: p.example.com\ningress:\n  host: \"\"\n", "p.example.com", "proxy.host"},
		{"proxy:\n  host: p.example.com\noidc:\n  issuerURI: https://o.example.com/dex\n", "o.example.com", "oidc.issuerURI"},
		{"proxy:\n  host: p.example.com\noidc:\n  issuerURI: \"\"\n", "p.example.com", "proxy.host"},
		{"proxy:\n  host: 12\n", "", ""},
		{"{}", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		host, path := openTestValues(t, tt.doc).RedirectHost()
		if host != tt.host || path != tt.path {
			t.Errorf("RedirectHost of %q = %q, %q; want %q, %q", tt.doc, host, path, tt.host, tt.path)
		}
	}
}

// fixtureDir finds Pachyderm's own values files next to the repository
// (../shared from a clone, ../../shared from a worktree under wt/).
func fixtureDir(t *testing.T) string {
	t.Helper()
	for _, d := range []string{"../shared/fixtures/pachyderm", "../../shared/fixtures/pachyderm"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	t.Skip("Pachyderm's values files (../shared/fixtures/pachyderm) are absent")
	return ""
}

// TestCheckPrerequisitesPachydermValues runs the checks on Pachyderm's own
// default values: TLS off, no host and the mock IdP on, the license per
// chart version, and every finding pointing at the line of its key.
func TestCheckPrerequisitesPachydermValues(t *testing.T) {
	dir := fixtureDir(t)
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
			fs := CheckPrerequisites(v, PrerequisiteOptions{Target: mustTarget(chart)})
			var rules []string
			for _, f := range fs {
				rules = append(rules, f.Rule)
				key := f.Path[strings.LastIndex(f.Path, ".")+1:]
				if !f.Pos.IsValid() || !strings.Contains(lines[f.Pos.Line-1], key+":") && f.Rule != "enterprise-license-missing" {
					t.Errorf("%s: %s at %v, a line without %s:", filepath.Base(file), f.Path, f.Pos, key)
				}
			}
			want := []string{"tls-disabled", "host-missing", "mock-idp-in-use"}
			if chart == "2.11.0" {
				want = []string{"tls-disabled", "host-missing", "enterprise-license-missing", "mock-idp-in-use"}
			}
			if !slices.Equal(rules, want) {
				t.Errorf("%s, chart %s: rules %v, want %v", filepath.Base(file), chart, rules, want)
			}
		}
	}
}

func BenchmarkCheckPrerequisites(b *testing.B) {
	v, err := OpenValues([]byte(goodBase))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		CheckPrerequisites(v, PrerequisiteOptions{Target: mustTarget("2.11.3")})
	}
}
