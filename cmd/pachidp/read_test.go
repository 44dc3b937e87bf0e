package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/oidctest"
)

func TestList(t *testing.T) {
	inDir(t, "values.yaml", "guide-values.yaml")
	r := pachidpRun(t, "", "list", "-f", "values.yaml")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "list.golden", r.stdout)

	r = pachidpRun(t, "", "list", "-f", "values.yaml", "-o", "json")
	if r.code != exitOK {
		t.Fatalf("json: exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "list.json.golden", r.stdout)
	var items []listItem
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 1 || items[0].Line != 16 {
		t.Errorf("json: %v, %+v", err, items)
	}
	if strings.Contains(r.stdout, "clientSecret") || strings.Contains(r.stdout, "fake-okta-secret") {
		t.Errorf("list -o json shows a secret")
	}

	writeFile(t, "empty.yaml", "oidc:\n  upstreamIDPs: []\n")
	r = pachidpRun(t, "", "list", "-f", "empty.yaml", "-o", "json")
	if r.code != exitOK || r.stdout != "[]\n" {
		t.Errorf("empty json: exit %d, stdout %q", r.code, r.stdout)
	}
	r = pachidpRun(t, "", "list", "-f", "empty.yaml")
	if r.code != exitOK || r.stdout != "" || r.stderr != "pachidp list: empty.yaml: no entries\n" {
		t.Errorf("empty: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// switchToSecret moves the entries of values.yaml into secret.yaml.
func switchToSecret(t *testing.T) {
	t.Helper()
	r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "secret.yaml", "--name", "idps")
	if r.code != exitOK {
		t.Fatalf("secret: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestEntriesFromSecret(t *testing.T) {
	inDir(t, "values.yaml")
	want := pachidpRun(t, "", "list", "-f", "values.yaml").stdout
	switchToSecret(t)
	for _, sub := range []string{"list", "dex", "check"} {
		r := pachidpRun(t, "", sub, "-f", "values.yaml")
		if r.code != exitUsage || !strings.Contains(r.stderr, `values.yaml:15:3: oidc.upstreamIDPsSecretName: the chart reads the entries from the key upstream-idps of the Secret "idps": pass its manifest with --secret FILE`) {
			t.Errorf("%s without --secret: exit %d, stderr %q", sub, r.code, r.stderr)
		}
	}
	if r := pachidpRun(t, "", "list", "-f", "values.yaml", "--secret", "secret.yaml"); r.code != exitOK || r.stdout != want {
		t.Errorf("list --secret: exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
	r := pachidpRun(t, "", "list", "-f", "values.yaml", "--secret", "secret.yaml", "-o", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"path": "upstream-idps[0]",`) || !strings.Contains(r.stdout, `"line": 0,`) {
		t.Errorf("list --secret -o json: exit %d, stdout %q", r.code, r.stdout)
	}
	writeFile(t, "not-a-secret.yaml", "kind: ConfigMap\n")
	r = pachidpRun(t, "", "list", "-f", "values.yaml", "--secret", "not-a-secret.yaml")
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "pachidp list: not-a-secret.yaml") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("not a secret: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestValidate(t *testing.T) {
	inDir(t, "values.yaml", "guide-values.yaml")
	r := pachidpRun(t, "", "validate", "-f", "values.yaml")
	if r.code != exitOK || !strings.Contains(r.stderr, "values.yaml: 0 errors, 1 warning") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "validate-values.golden", r.stdout)
	if r := pachidpRun(t, "", "validate", "-f", "values.yaml", "--strict"); r.code != exitFindings {
		t.Errorf("--strict with a warning: exit %d", r.code)
	}

	r = pachidpRun(t, "", "validate", "-f", "guide-values.yaml", "--chart-version", "2.11.3")
	if r.code != exitFindings || !strings.Contains(r.stderr, "guide-values.yaml: 5 errors, 1 warning") {
		t.Errorf("guide: exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "validate-guide.golden", r.stdout)
	line := regexp.MustCompile(`^(guide-values\.yaml(:\d+:\d+)?: (error|warning): [A-Za-z][\w.\[\]]*: (.+) \[[a-z0-9-]+\]|)$`)
	for _, l := range strings.Split(r.stdout, "\n") {
		if !line.MatchString(l) {
			t.Errorf("a line is not FILE:LINE:COL: error|warning: path: message [rule]: %q", l)
		}
		// About 120 columns: past them only when the message is down to
		// the short message's 50 characters.
		if m := line.FindStringSubmatch(l); m != nil && len(l) > 120 /* textLines' width */ && len(m[4]) > 50 {
			t.Errorf("a line of %d characters: %q", len(l), l)
		}
	}

	r = pachidpRun(t, "", "validate", "-f", "guide-values.yaml", "-o", "json", "--chart-version", "2.11.6")
	if r.code != exitFindings {
		t.Errorf("json: exit %d", r.code)
	}
	golden(t, "validate-guide.json.golden", r.stdout)
	var fs []struct {
		File, Path, Rule, Severity, Fate, Message, Detail string
		Line, Column                                      int
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range fs {
		rules = append(rules, f.Rule)
		if f.File != "guide-values.yaml" || f.Severity != "error" && f.Severity != "warning" || f.Message == "" || f.Detail == "" {
			t.Errorf("json finding %+v", f)
		}
	}
	for _, want := range []string{"tls-disabled", "pachctl-version-key", "auth0-issuer-slash", "redirect-uri-https", "enterprise-license-missing"} {
		if !slices.Contains(rules, want) {
			t.Errorf("json: no %s finding in %v", want, rules)
		}
	}

	writeFile(t, "clean.yaml", "proxy: {host: pachyderm.example.com, tls: {enabled: true, secretName: tls}}\npachd: {enterpriseLicenseKey: x}\n"+
		"oidc: {mockIDP: false, upstreamIDPs: [{type: ldap, id: l, name: L, config: {host: ldap.example.com, userSearch: {baseDN: 'dc=example', username: uid}}}]}\n")
	r = pachidpRun(t, "", "validate", "-f", "clean.yaml", "-o", "json", "--strict")
	if r.code != exitOK || r.stdout != "[]\n" || r.stderr != "pachidp validate: clean.yaml: 1 entry, no problems\n" {
		t.Errorf("clean: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestValidateOptions(t *testing.T) {
	inDir(t, "values.yaml", "guide-values.yaml")
	// --proxy-host wins over the file's host.
	r := pachidpRun(t, "", "validate", "-f", "values.yaml", "--proxy-host", "other.example.com")
	if r.code != exitFindings || !strings.Contains(r.stdout, `values.yaml:23:9: error: oidc.upstreamIDPs[0].config.redirectURI: host "pachyderm.example.com" is not the callback's [redirect-uri-host]`) {
		t.Errorf("--proxy-host: exit %d, stdout %q", r.code, r.stdout)
	}
	// --no-prerequisites checks the entries only.
	r = pachidpRun(t, "", "validate", "-f", "guide-values.yaml", "--no-prerequisites", "-o", "json")
	if strings.Contains(r.stdout, "tls-disabled") || !strings.Contains(r.stdout, "pachctl-version-key") {
		t.Errorf("--no-prerequisites: %q", r.stdout)
	}
	// Upstream Dex: the fork-only key is a warning of its own.
	r = pachidpRun(t, "", "validate", "-f", "values.yaml", "--chart-version", "dex-v2.45.1", "-o", "json")
	if !strings.Contains(r.stdout, "ignored-by-target") {
		t.Errorf("--chart-version dex-v2.45.1: %q", r.stdout)
	}
	// Standard input is named <stdin>.
	data, _ := os.ReadFile("guide-values.yaml")
	r = pachidpRun(t, string(data), "validate", "-f", "-")
	if !strings.Contains(r.stdout, "<stdin>:12:7: error: oidc.upstreamIDPs[0].version: ") {
		t.Errorf("stdin: %q", r.stdout)
	}
	// Entries kept in a Secret.
	switchToSecret(t)
	r = pachidpRun(t, "", "validate", "-f", "values.yaml", "--strict")
	if r.code != exitFindings || !strings.Contains(r.stdout, `values.yaml:15:3: warning: oidc.upstreamIDPsSecretName: the entries are in a Secret that was not given [entries-not-checked]`) {
		t.Errorf("secret, no --secret: exit %d, stdout %q", r.code, r.stdout)
	}
	r = pachidpRun(t, "", "validate", "-f", "values.yaml", "--secret", "secret.yaml", "--proxy-host", "other.example.com")
	if r.code != exitFindings || !strings.Contains(r.stdout, `secret.yaml: error: upstream-idps[0].config.redirectURI: host "pachyderm.example.com" is not the callback's [redirect-uri-host]`) {
		t.Errorf("--secret: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestDex(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "", "dex", "-f", "values.yaml")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "dex.golden", r.stdout)
	if r.stderr != "pachidp dex: values.yaml:26:9: warning: oidc.upstreamIDPs[0].config.insecureSkipIssuerCallbackDomainCheck: read only by Pachyderm's Dex fork; upstream Dex ignores it (false changes nothing: upstream Dex always compares the callback URL with redirectURI); not carried\n" {
		t.Errorf("stderr %q", r.stderr)
	}
	// What dex prints, import reads back to the same entry (minus the
	// fork-only key).
	writeFile(t, "connectors.yaml", r.stdout)
	back := pachidpRun(t, "", "import", "--from", "dex", "-f", "values.yaml", "connectors.yaml")
	if back.code != exitOK || !strings.Contains(back.stderr, `replaced entry "okta"`) {
		t.Errorf("round trip: exit %d, stderr %q", back.code, back.stderr)
	}
	writeFile(t, "empty.yaml", "{}")
	if r := pachidpRun(t, "", "dex", "-f", "empty.yaml"); r.code != exitFindings || !strings.Contains(r.stderr, "no entries to convert") {
		t.Errorf("empty: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRender(t *testing.T) {
	inDir(t, "values.yaml", "guide-values.yaml")
	r := pachidpRun(t, "", "render", "-f", "values.yaml")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "render.golden", r.stdout)
	text := r.stdout

	r = pachidpRun(t, "", "render", "-f", "guide-values.yaml")
	if r.code != exitFindings || r.stdout != "" ||
		!strings.Contains(r.stderr, "guide-values.yaml:12:7: error: oidc.upstreamIDPs[0].version: version is for pachctl's connector file") ||
		!strings.HasSuffix(r.stderr, "pachidp render: pachd would refuse this (1 error): nothing printed\n") {
		t.Errorf("guide: exit %d, stdout %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}

	switchToSecret(t)
	r = pachidpRun(t, "", "render", "-f", "values.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, `the Secret "idps": pass its manifest with --secret FILE`) {
		t.Errorf("no --secret: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "render", "-f", "values.yaml", "--secret", "secret.yaml")
	if r.code != exitOK || r.stdout != text {
		t.Errorf("--secret: exit %d, stderr %q, another text", r.code, r.stderr)
	}
	// No IdP at all: charts from 2.3 render and pachd gets none; charts
	// 2.0-2.2 (with a license, which renders the bootstrap config) refuse.
	writeFile(t, "mock.yaml", "oidc:\n  mockIDP: false\n  upstreamIDPs: []\n")
	r = pachidpRun(t, "", "render", "-f", "mock.yaml")
	if r.code != exitOK || r.stdout != "" || !strings.Contains(r.stderr, "mock.yaml:3:3: warning: oidc.upstreamIDPs: no entry, no Secret name, no mock IdP: nobody can log in") {
		t.Errorf("no IdP: exit %d, stderr %q", r.code, r.stderr)
	}
	writeFile(t, "mock.yaml", "pachd:\n  enterpriseLicenseKey: k\noidc:\n  mockIDP: false\n  upstreamIDPs: []\n")
	r = pachidpRun(t, "", "render", "-f", "mock.yaml", "--chart-version", "2.2.7")
	if r.code != exitFindings || r.stdout != "" || !strings.Contains(r.stderr, `mock.yaml:5:3: error: oidc.upstreamIDPs: chart 2.0.3-2.2 refuses to render: "either oidc.upstreamIDPs or oidc.mockIDP must be set in non-LOCAL deployments"`) {
		t.Errorf("no IdP, chart 2.2: exit %d, stderr %q", r.code, r.stderr)
	}
	writeFile(t, "mock.yaml", "oidc:\n  upstreamIDPs: []\n")
	r = pachidpRun(t, "", "render", "-f", "mock.yaml")
	if r.code != exitOK || r.stdout != "" || !strings.Contains(r.stderr, "the chart renders no upstream IdPs") {
		t.Errorf("mock IdP: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCheck runs the preflight against a real OpenID Connect provider over
// TLS, trusted through --ca-file.
func TestCheck(t *testing.T) {
	idp := oidctest.New(t, oidctest.Options{ClientID: "pachyderm", ClientSecret: "fake-okta-secret", IssuerTrailingSlash: true})
	inDir(t)
	writeFile(t, "ca.pem", idp.CAPEM())
	entry := func(id, issuer string) string {
		return "    - type: oidc\n      id: " + id + "\n      name: " + id + "\n      config:\n        issuer: " + issuer +
			"\n        clientID: pachyderm\n        clientSecret: fake-okta-secret\n        redirectURI: https://pachyderm.example.com/dex/callback\n"
	}
	writeFile(t, "good.yaml", "oidc:\n  upstreamIDPs:\n"+entry("good", idp.Issuer))
	writeFile(t, "bad.yaml", "oidc:\n  upstreamIDPs:\n"+entry("good", idp.Issuer)+entry("noslash", idp.URL))

	r := pachidpRun(t, "", "check", "-f", "good.yaml", "--ca-file", "ca.pem", "--timeout", "20s")
	if r.code != exitOK || strings.Count(r.stdout, "  passed ") != 4 || !strings.Contains(r.stdout, "  passed  dex-open    good.yaml:6:7: ") || !strings.Contains(r.stderr, "all checks passed (1 entry") {
		t.Errorf("good: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = pachidpRun(t, "", "check", "-f", "bad.yaml", "--ca-file", "ca.pem", "--timeout", "20s")
	want := "  failed  issuer      bad.yaml:15:9: oidc.upstreamIDPs[1].config.issuer: the provider says its issuer is \"" + idp.Issuer + "\"; Dex compares byte for byte: use \"" + idp.Issuer + "\"\n"
	if r.code != exitFindings || !strings.Contains(r.stdout, want) || !strings.Contains(r.stderr, "2 checks failed (2 entries") {
		t.Errorf("bad: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Without the CA the certificate is unknown.
	r = pachidpRun(t, "", "check", "-f", "good.yaml", "--timeout", "20s")
	if r.code != exitFindings || !strings.Contains(r.stdout, "  failed  discovery") {
		t.Errorf("no CA: exit %d, stdout %q", r.code, r.stdout)
	}
	writeFile(t, "notpem.txt", "hello\n")
	r = pachidpRun(t, "", "check", "-f", "good.yaml", "--ca-file", "notpem.txt")
	if r.code != exitFindings || !strings.Contains(r.stdout, "holds no PEM certificate") {
		t.Errorf("bad CA file: exit %d, stdout %q", r.code, r.stdout)
	}
	r = pachidpRun(t, "", "check", "-f", "good.yaml", "--ca-file", "missing.pem")
	if r.code != exitUsage || !strings.Contains(r.stderr, "missing.pem: cannot read --ca-file") {
		t.Errorf("missing CA file: exit %d, stderr %q", r.code, r.stderr)
	}
	// The chart's verdicts follow --chart-version: charts up to 2.11 pass
	// the IdPs to pachd only with a license, which good.yaml lacks.
	r = pachidpRun(t, "", "check", "-f", "good.yaml", "--ca-file", "ca.pem", "--timeout", "20s", "--chart-version", "2.11.6")
	if !strings.Contains(r.stderr, "pachd.enterpriseLicenseKey: chart 2.7-2.11 ignores the IdPs without a license") {
		t.Errorf("--chart-version 2.11.6: stderr %q lacks the license finding", r.stderr)
	}
	r = pachidpRun(t, "", "check", "-f", "good.yaml", "--ca-file", "ca.pem", "--timeout", "20s", "--chart-version", "2.12.0")
	if strings.Contains(r.stderr, "enterpriseLicenseKey") {
		t.Errorf("--chart-version 2.12.0: stderr %q names a license, which 2.12 does not need", r.stderr)
	}
}

// TestValidateChartVerdicts: validate speaks for the chart of
// --chart-version, in both directions (issue 7).
func TestValidateChartVerdicts(t *testing.T) {
	const entry = `  upstreamIDPs:
    - id: corp
      name: Corp
      type: oidc
      config:
        issuer: https://login.example.com
        clientID: pachyderm
        clientSecret: fake-corp-secret
        redirectURI: REDIRECT
        insecureEnableGroups: true
`
	with := func(head, redirect string) string {
		return head + "oidc:\n  mockIDP: false\n" + strings.Replace(entry, "REDIRECT", redirect, 1)
	}
	tests := []struct {
		name, doc string
		args      []string
		code      int
		want      []string // in stdout
		not       []string // not in stdout
	}{
		{"scheme in proxy.host: a finding, not exit 2", with("proxy:\n  host: https://p.example.com\n  tls: {enabled: true, secretName: t}\n", "https://p.example.com/dex/callback"),
			nil, exitFindings, []string{`values.yaml:2:3: error: proxy.host: "https://p.example.com" carries the scheme https:// [host-scheme]`}, nil},
		{"explicit issuerURI: no TLS or host finding", with("proxy:\n  enabled: true\n  tls: {enabled: false}\noidc_:\n", "https://p.example.com/dex/callback") + "  issuerURI: https://p.example.com/dex\n",
			nil, exitOK, nil, []string{"tls-disabled", "TLS is off", "no host"}},
		{"custom issuerURI path, proxy off: its callback is right", "proxy:\n  enabled: false\n" + with("", "https://login.example.com/pach/callback") + "  issuerURI: https://login.example.com/pach\n",
			nil, exitOK, nil, []string{"redirectURI"}},
		{"custom issuerURI path, proxy off: another callback is wrong", "proxy:\n  enabled: false\n" + with("", "https://p.example.com/dex/callback") + "  issuerURI: https://login.example.com/pach\n",
			nil, exitFindings, []string{"redirectURI"}, nil},
		{"leftover ingress.host is not the host", with("proxy:\n  host: p.example.com\n  tls: {enabled: true, secretName: t}\ningress:\n  host: i.example.com\n", "https://p.example.com/dex/callback"),
			nil, exitOK, nil, []string{"i.example.com"}},
		{"leftover ingress.host is the host for chart 2.2", "pachd:\n  enterpriseLicenseKey: k\n" + with("ingress:\n  host: i.example.com\n", "https://p.example.com/dex/callback"),
			[]string{"--chart-version", "2.2.7"}, exitFindings, []string{`Dex's issuer is \"http://i.example.com/dex\"`, "[tls-disabled]"}, nil},
		{"no IdP, mock off, chart 2.12: renders", "oidc:\n  mockIDP: false\n", nil, exitOK, []string{"warning: oidc.upstreamIDPs"}, []string{"refuses"}},
		{"no IdP, mock off, chart 2.2 with a license: refuses", "pachd:\n  enterpriseLicenseKey: k\noidc:\n  mockIDP: false\n", []string{"--chart-version", "2.2.7"}, exitFindings, []string{"refuses to render"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t)
			doc := strings.Replace(tt.doc, "oidc_:\n", "", 1)
			// Keep one oidc mapping: the issuerURI line follows the entry.
			writeFile(t, "values.yaml", doc)
			r := pachidpRun(t, "", append([]string{"validate", "-f", "values.yaml"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stdout %q stderr %q", r.code, tt.code, r.stdout, r.stderr)
			}
			// The text says the short message; the JSON the whole one.
			js := pachidpRun(t, "", append([]string{"validate", "-f", "values.yaml", "-o", "json"}, tt.args...)...)
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) && !strings.Contains(js.stdout, w) {
					t.Errorf("stdout lacks %q: %q", w, r.stdout)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.stdout, n) {
					t.Errorf("stdout has %q: %q", n, r.stdout)
				}
			}
		})
	}
}
