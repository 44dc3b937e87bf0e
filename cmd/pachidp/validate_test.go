package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
)

// inLayersDir makes a temporary directory holding the library's layered
// set (testdata/layers) and the guide's values, and makes it the working
// directory.
func inLayersDir(t *testing.T) {
	t.Helper()
	inDir(t, "guide-values.yaml", "values.yaml")
	for _, n := range []string{"base.yaml", "prod.yaml", "secrets.yaml"} {
		data, err := os.ReadFile(filepath.Join(testdataDir, "..", "..", "..", "testdata", "layers", n))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, n, string(data))
	}
}

func TestValidateLayers(t *testing.T) {
	inLayersDir(t)
	r := pachidpRun(t, "", "validate", "-f", "base.yaml", "-f", "prod.yaml", "-f", "secrets.yaml", "--chart-version", "2.11.6")
	if r.code != exitFindings || r.stderr != "pachidp validate: base.yaml + prod.yaml + secrets.yaml: 2 errors, 0 warnings\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "validate-layers.golden", r.stdout)

	// -f - once: standard input is one layer.
	prod, _ := os.ReadFile("prod.yaml")
	r = pachidpRun(t, string(prod), "validate", "-f", "base.yaml", "-f", "-", "-f", "secrets.yaml", "--chart-version", "2.11.6")
	if !strings.Contains(r.stdout, "<stdin>:6:5: error: proxy.tls.enabled: ") || !strings.Contains(r.stdout, "secrets.yaml:11:9: error: ") {
		t.Errorf("-f -: %q", r.stdout)
	}
	r = pachidpRun(t, string(prod), "validate", "-f", "-", "-f", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "standard input") {
		t.Errorf("-f - twice: exit %d, stderr %q", r.code, r.stderr)
	}
	// The license moved to a later layer that unsets it.
	writeFile(t, "nolicense.yaml", "pachd:\n  enterpriseLicenseKeySecretName: null\n")
	r = pachidpRun(t, "", "validate", "-f", "base.yaml", "-f", "secrets.yaml", "-f", "nolicense.yaml", "--chart-version", "2.11.6", "-o", "json")
	// pachd.enterpriseLicenseKey is absent: its parent pachd, which the
	// last file sets, is named.
	if !strings.Contains(r.stdout, `"file": "nolicense.yaml",
    "line": 1,`) || !strings.Contains(r.stdout, `"rule": "enterprise-license-missing"`) {
		t.Errorf("a null in a later layer: %s", r.stdout)
	}
}

func TestValidateManyFiles(t *testing.T) {
	inLayersDir(t)
	r := pachidpRun(t, "", "validate", "base.yaml", "prod.yaml", "secrets.yaml", "guide-values.yaml", "--chart-version", "2.11.6")
	if r.code != exitFindings || r.stderr != "pachidp validate: 4 files: 7 errors, 3 warnings\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "validate-files.golden", r.stdout)
	// The exit status is the worst file's: a clean file and an unreadable one.
	writeFile(t, "clean.yaml", "proxy: {host: pachyderm.example.com, tls: {enabled: true, secretName: tls}}\n"+
		"oidc: {mockIDP: false, upstreamIDPs: [{type: ldap, id: l, name: L, config: {host: ldap.example.com, userSearch: {baseDN: 'dc=example', username: uid}}}]}\n")
	if r := pachidpRun(t, "", "validate", "clean.yaml", "clean.yaml"); r.code != exitOK || r.stderr != "pachidp validate: 2 files: 2 entries, no problems\n" {
		t.Errorf("clean: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := pachidpRun(t, "", "validate", "clean.yaml", "missing.yaml", "guide-values.yaml"); r.code != exitUsage || !strings.Contains(r.stderr, "missing.yaml") || !strings.Contains(r.stdout, "guide-values.yaml:5:5:") {
		t.Errorf("missing: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// --document N picks a document of a stream.
	guide, _ := os.ReadFile("guide-values.yaml")
	clean, _ := os.ReadFile("clean.yaml")
	writeFile(t, "stream.yaml", string(clean)+"---\n"+string(guide))
	if r := pachidpRun(t, "", "validate", "stream.yaml"); r.code != exitUsage || !strings.Contains(r.stderr, "YAML documents") {
		t.Errorf("a stream without --document: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := pachidpRun(t, "", "validate", "stream.yaml", "--document", "0"); r.code != exitOK {
		t.Errorf("--document 0: exit %d, stdout %q", r.code, r.stdout)
	}
	if r := pachidpRun(t, "", "validate", "stream.yaml", "--document", "1", "--chart-version", "2.11.6"); r.code != exitFindings || !strings.Contains(r.stdout, "stream.yaml:8:5: error: proxy.tls.enabled") {
		t.Errorf("--document 1: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestValidateIgnore(t *testing.T) {
	inLayersDir(t)
	r := pachidpRun(t, "", "validate", "-f", "guide-values.yaml", "--chart-version", "2.11.6", "--ignore", "tls-disabled", "--ignore", "enterprise-license-missing")
	if r.code != exitFindings || strings.Contains(r.stdout, "tls-disabled") || r.stderr != "pachidp validate: guide-values.yaml: 3 errors, 1 warning (2 suppressed)\n" {
		t.Errorf("--ignore: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = pachidpRun(t, "", "validate", "-f", "guide-values.yaml", "--ignore", "tls-disable")
	if r.code != exitUsage || !strings.Contains(r.stderr, `did you mean "tls-disabled"?`) {
		t.Errorf("unknown --ignore: exit %d, stderr %q", r.code, r.stderr)
	}
	// Comments in the file: on the line, above it, on the entry.
	guide, _ := os.ReadFile("guide-values.yaml")
	doc := strings.Replace(string(guide), "    enabled: false\n", "    enabled: false # pachidp:ignore tls-disabled TLS ends at the load balancer\n", 1)
	doc = strings.Replace(doc, "    - id: auth0\n", "    - id: auth0 # pachidp:ignore insecure-skip-email-verified Auth0 verifies emails\n", 1)
	doc = strings.Replace(doc, "        issuer: https://acme.us.auth0.com\n", "        # pachidp:ignore auth0-issuer-slah\n        issuer: https://acme.us.auth0.com\n", 1)
	writeFile(t, "commented.yaml", doc)
	r = pachidpRun(t, "", "validate", "-f", "commented.yaml", "--chart-version", "2.12.0-rc.3", "-o", "json")
	golden(t, "validate-ignore.json.golden", r.stdout)
	var fs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatal(err)
	}
	var suppressed []string
	for _, f := range fs {
		if f["suppressed"] == true {
			suppressed = append(suppressed, f["rule"].(string)+": "+f["reason"].(string))
		}
	}
	if want := []string{"tls-disabled: TLS ends at the load balancer", "insecure-skip-email-verified: Auth0 verifies emails"}; !slices.Equal(suppressed, want) {
		t.Errorf("suppressed %q, want %q", suppressed, want)
	}
	r = pachidpRun(t, "", "validate", "-f", "commented.yaml", "--chart-version", "2.12.0-rc.3")
	golden(t, "validate-ignore.golden", r.stdout)
	if r.stderr != "pachidp validate: commented.yaml: 3 errors, 1 warning (2 suppressed)\n" {
		t.Errorf("stderr %q", r.stderr)
	}
}

// TestValidateSARIF checks the SARIF log against the properties SARIF
// 2.1.0 requires (sarif-schema-2.1.0.json) and those GitHub code scanning
// reads.
func TestValidateSARIF(t *testing.T) {
	inLayersDir(t)
	r := pachidpRun(t, "", "validate", "guide-values.yaml", "-f", "base.yaml", "-f", "prod.yaml", "--chart-version", "2.11.6", "--ignore", "insecure-skip-email-verified", "-o", "sarif")
	if r.code != exitFindings {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "validate.sarif.golden", r.stdout)
	var log map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	obj := func(v any, what string) map[string]any {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object: %v", what, v)
		}
		return m
	}
	arr := func(v any, what string) []any {
		t.Helper()
		a, ok := v.([]any)
		if !ok {
			t.Fatalf("%s: not an array: %v", what, v)
		}
		return a
	}
	str := func(m map[string]any, k, what string) string {
		t.Helper()
		s, ok := m[k].(string)
		if !ok || s == "" {
			t.Errorf("%s.%s: want a non-empty string, got %v", what, k, m[k])
		}
		return s
	}
	if log["version"] != "2.1.0" || !strings.Contains(str(log, "$schema", "log"), "sarif-2.1.0") {
		t.Errorf("version %v, $schema %v", log["version"], log["$schema"])
	}
	runs := arr(log["runs"], "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := obj(runs[0], "run")
	driver := obj(obj(run["tool"], "tool")["driver"], "driver")
	str(driver, "name", "driver")
	str(driver, "version", "driver")
	var ids []string
	for i, rv := range arr(driver["rules"], "rules") {
		rule := obj(rv, "rule")
		ids = append(ids, str(rule, "id", "rule"))
		if h := str(rule, "helpUri", "rule"); h != rulesPageURL+ids[i] {
			t.Errorf("rule %s: helpUri %q", ids[i], h)
		}
		str(obj(rule["shortDescription"], "shortDescription"), "text", "shortDescription")
		str(obj(rule["fullDescription"], "fullDescription"), "text", "fullDescription")
		if lvl := obj(rule["defaultConfiguration"], "defaultConfiguration")["level"]; lvl != "error" && lvl != "warning" {
			t.Errorf("rule %d level %v", i, lvl)
		}
	}
	if len(ids) != len(pachidp.Rules()) {
		t.Errorf("%d rules, the registry has %d", len(ids), len(pachidp.Rules()))
	}
	results := arr(run["results"], "results")
	if len(results) < 5 {
		t.Errorf("%d results", len(results))
	}
	suppressed := 0
	for i, rv := range results {
		res := obj(rv, "result")
		id := str(res, "ruleId", "result")
		if idx, ok := res["ruleIndex"].(float64); !ok || int(idx) >= len(ids) || ids[int(idx)] != id {
			t.Errorf("result %d: ruleIndex %v does not point at %s", i, res["ruleIndex"], id)
		}
		if l := res["level"]; l != "error" && l != "warning" && l != "note" && l != "none" {
			t.Errorf("result %d: level %v", i, l)
		}
		str(obj(res["message"], "message"), "text", "message")
		str(obj(res["partialFingerprints"], "partialFingerprints"), fingerprintKey, "partialFingerprints")
		for _, lv := range arr(res["locations"], "locations") {
			pl := obj(obj(lv, "location")["physicalLocation"], "physicalLocation")
			uri := str(obj(pl["artifactLocation"], "artifactLocation"), "uri", "artifactLocation")
			if strings.ContainsAny(uri, " \\") || filepath.IsAbs(uri) {
				t.Errorf("result %d: uri %q is not a relative URI reference", i, uri)
			}
			if reg, ok := pl["region"]; ok {
				region := obj(reg, "region")
				if l, _ := region["startLine"].(float64); l < 1 {
					t.Errorf("result %d: startLine %v", i, region["startLine"])
				}
				if c, ok := region["startColumn"].(float64); ok && c < 1 {
					t.Errorf("result %d: startColumn %v", i, c)
				}
			}
		}
		if s, ok := res["suppressions"]; ok {
			for _, sv := range arr(s, "suppressions") {
				if k := obj(sv, "suppression")["kind"]; k != "inSource" && k != "external" {
					t.Errorf("result %d: suppression kind %v", i, k)
				}
				suppressed++
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
	if r := pachidpRun(t, "", "validate", "guide-values.yaml", "-o", "xml"); r.code != exitUsage || !strings.Contains(r.stderr, "sarif") {
		t.Errorf("-o xml: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestSARIFTracking: what code scanning needs to follow a finding across
// commits. Its fingerprint stays when lines move above it; its path is
// relative to the repository root (uriBaseId %SRCROOT%) whatever the
// working directory and however the file was named; two findings never
// share a fingerprint; a file outside the repository and the working
// directory is an absolute file: URI.
func TestSARIFTracking(t *testing.T) {
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repo, "clusters", "prod")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	entry := "oidc:\n  upstreamIDPs:\n  - type: oidc\n    id: okta\n    name: Okta\n    version: 1\n    config:\n" +
		"      issuer: https://acme.okta.com/\n      clientID: 0oa9\n      clientSecret: canary-secret-0000\n" +
		"      redirectURI: https://pachyderm.example.com/dex/callback\n"
	type found struct {
		uri, base, fp string
		line          float64
	}
	sarif := func(args ...string) []found {
		t.Helper()
		r := pachidpRun(t, "", append([]string{"validate", "-o", "sarif"}, args...)...)
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID              string            `json:"ruleId"`
					PartialFingerprints map[string]string `json:"partialFingerprints"`
					Locations           []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
							Region           struct{ StartLine float64 }     `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
			t.Fatalf("validate -o sarif %v: %v", args, err)
		}
		var out []found
		fps := map[string]bool{}
		for _, res := range log.Runs[0].Results {
			f := found{fp: res.PartialFingerprints[fingerprintKey]}
			if f.fp == "" || fps[f.fp] {
				t.Errorf("%v: result %s: fingerprint %q empty or repeated", args, res.RuleID, f.fp)
			}
			fps[f.fp] = true
			if len(res.Locations) > 0 {
				pl := res.Locations[0].PhysicalLocation
				f.uri, f.base, f.line = pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, pl.Region.StartLine
			}
			out = append(out, f)
		}
		return out
	}

	writeFile(t, "values.yaml", entry)
	before := sarif("-f", "values.yaml")
	if len(before) < 2 {
		t.Fatalf("%d results, want the version key and the issuer at least", len(before))
	}
	for _, f := range before {
		if f.uri != "clusters/prod/values.yaml" || f.base != srcRoot {
			t.Errorf("uri %q base %q; want clusters/prod/values.yaml from %s", f.uri, f.base, srcRoot)
		}
	}
	// The same file named another way, from another folder: the same URI.
	t.Chdir(repo)
	if again := sarif("-f", "./clusters/prod/../prod/values.yaml"); again[0].uri != before[0].uri {
		t.Errorf("named another way: uri %q, want %q", again[0].uri, before[0].uri)
	}
	t.Chdir(dir)

	// Lines move: the fingerprints stay, the lines follow.
	writeFile(t, "values.yaml", "# a comment\n# and another\n\n# and one more\n"+entry)
	after := sarif("-f", "values.yaml")
	if len(after) != len(before) {
		t.Fatalf("%d results after the move, %d before", len(after), len(before))
	}
	for i := range before {
		if after[i].fp != before[i].fp {
			t.Errorf("result %d: fingerprint changed when lines moved", i)
		}
		if before[i].line > 0 && after[i].line != before[i].line+4 {
			t.Errorf("result %d: line %v after the move, %v before", i, after[i].line, before[i].line)
		}
	}

	// Outside the repository and the working directory: an absolute URI.
	outside := filepath.Join(t.TempDir(), "values.yaml")
	writeFile(t, outside, entry)
	for _, f := range sarif("-f", outside) {
		if f.base != "" || !strings.HasPrefix(f.uri, "file:///") {
			t.Errorf("a file outside: uri %q base %q; want an absolute file: URI", f.uri, f.base)
		}
	}
}

func TestExplain(t *testing.T) {
	r := pachidpRun(t, "", "explain", "auth0-issuer-slash")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "auth0-issuer-slash: Auth0 issuer is not https://<tenant>/\n") ||
		!strings.Contains(r.stdout, "Fate:       pachd-crash, login-fails\n") || !strings.Contains(r.stdout, "--ignore auth0-issuer-slash") {
		t.Errorf("explain: exit %d, stdout %q", r.code, r.stdout)
	}
	golden(t, "explain-tls-disabled.golden", pachidpRun(t, "", "explain", "tls-disabled").stdout)
	r = pachidpRun(t, "", "explain", "tls-disable")
	if r.code != exitUsage || !strings.Contains(r.stderr, `no rule "tls-disable": did you mean "tls-disabled"?`) {
		t.Errorf("explain tls-disable: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "explain")
	for _, rule := range pachidp.Rules() {
		if !strings.Contains(r.stdout, "\n"+string(rule)+" ") {
			t.Errorf("explain lists no %s", string(rule))
		}
	}
	if r := pachidpRun(t, "", "explain", "a", "b"); r.code != exitUsage {
		t.Errorf("two rules: exit %d", r.code)
	}
}

// TestValidateBase: a repository of clusters, each a values file on top of
// shared ones: --base layers the shared files under every FILE, and each
// cluster is checked on its own, with the exit status of the worst.
func TestValidateBase(t *testing.T) {
	inLayersDir(t)
	secrets, _ := os.ReadFile("secrets.yaml")
	prod, _ := os.ReadFile("prod.yaml")
	if err := os.MkdirAll("clusters", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, "clusters/dev.yaml", string(secrets))
	writeFile(t, "clusters/prod.yaml", string(prod)+string(secrets))
	r := pachidpRun(t, "", "validate", "--base", "base.yaml", "clusters/dev.yaml", "clusters/prod.yaml", "--chart-version", "2.11.6")
	if r.code != exitFindings {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.stderr != "pachidp validate: 2 files: 2 errors, 0 warnings\n" {
		t.Errorf("stderr %q", r.stderr)
	}
	if strings.Contains(r.stdout, "clusters/dev.yaml:") || !strings.Contains(r.stdout, "clusters/prod.yaml:6:5: error: proxy.tls.enabled: ") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	// Without the base, dev has no host and no TLS: its own findings.
	if r = pachidpRun(t, "", "validate", "clusters/dev.yaml", "--chart-version", "2.11.6"); r.code != exitFindings {
		t.Errorf("dev alone: exit %d", r.code)
	}
	if r = pachidpRun(t, "", "validate", "--base", "base.yaml", "clusters/dev.yaml", "--chart-version", "2.11.6"); r.code != exitOK {
		t.Errorf("dev on base: exit %d, stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestValidateAccessWider: an access restriction the target's Dex ignores
// fails validate (exit 1, an error with fate access-wider); a pachidp:ignore
// comment on the key's line accepts it (exit 0, the finding suppressed).
func TestValidateAccessWider(t *testing.T) {
	inDir(t)
	const entry = `proxy: {enabled: true, host: pachyderm.example.com, tls: {enabled: true, secretName: pachyderm-tls}}
pachd: {enterpriseLicenseKeySecretName: license}
oidc:
  mockIDP: false
  upstreamIDPs:
  - type: oidc
    id: google
    name: Google
    config:
      issuer: https://accounts.google.com
      clientID: 1.apps.googleusercontent.com
      clientSecret: fake-secret-0000
      redirectURI: https://pachyderm.example.com/dex/callback
      insecureSkipEmailVerified: false
      hostedDomains: [example.com]`
	writeFile(t, "wider.yaml", entry+"\n")
	r := pachidpRun(t, "", "validate", "-f", "wider.yaml", "--chart-version", "2.11.6", "-o", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, `"rule": "access-restriction-ignored"`) || !strings.Contains(r.stdout, `"fate": "access-wider"`) {
		t.Errorf("without a comment: exit %d, stdout %s, stderr %q; want exit 1 and an access-wider error", r.code, redactLine(r.stdout), redactLine(r.stderr))
	}
	writeFile(t, "accepted.yaml", entry+" # pachidp:ignore access-restriction-ignored Workspace restricts sign-in\n")
	r = pachidpRun(t, "", "validate", "-f", "accepted.yaml", "--chart-version", "2.11.6")
	if r.code != exitOK {
		t.Errorf("with the comment: exit %d, stdout %s, stderr %q; want exit 0", r.code, redactLine(r.stdout), redactLine(r.stderr))
	}
}

// TestValidateShapes: what Helm, pachd or Dex does with a file pachidp can
// read is a finding at its place with its fate (exit 1), not a reason to
// stop (exit 2): oidc or upstreamIDPs of a type the chart's schema refuses
// (render-fails), items that are not entries (pachd-crash), YAML Helm's
// reader refuses (values-unreadable), a key written twice (a warning).
func TestValidateShapes(t *testing.T) {
	inDir(t)
	files := []struct{ name, content string }{
		{"oidc-scalar.yaml", "oidc: okta\n"},
		{"idps-map.yaml", "oidc:\n  upstreamIDPs:\n    okta: {type: oidc}\n"},
		{"idps-string.yaml", "oidc:\n  upstreamIDPs: okta\n"},
		{"null-item.yaml", "oidc:\n  upstreamIDPs:\n    - ~\n    - okta\n"},
		{"null-key.yaml", "oidc:\n  upstreamIDPs: []\n  ~: x\n"},
		{"infinity.yaml", "pachd:\n  replicas: .inf\n"},
		{"bad-tag.yaml", "oidc:\n  mockIDP: !!int yes\n"},
		{"duplicate.yaml", "oidc:\n  mockIDP: true\n  mockIDP: false\n"},
	}
	var out strings.Builder
	for _, f := range files {
		writeFile(t, f.name, f.content)
		r := pachidpRun(t, "", "validate", "-f", f.name, "--no-prerequisites", "--chart-version", "2.11.6", "-o", "json")
		want := exitFindings
		if f.name == "duplicate.yaml" {
			want = exitOK
		}
		if r.code != want {
			t.Errorf("%s: exit %d, want %d; stderr %q", f.name, r.code, want, r.stderr)
		}
		var findings []struct {
			File, Path, Rule, Severity, Fate, Message string
			Line, Column                              int
		}
		if err := json.Unmarshal([]byte(r.stdout), &findings); err != nil {
			t.Fatalf("%s: %v: %s", f.name, err, r.stdout)
		}
		for _, fd := range findings {
			fmt.Fprintf(&out, "%s:%d:%d %s %s %s %s: %s\n", fd.File, fd.Line, fd.Column, fd.Severity, fd.Fate, fd.Rule, fd.Path, fd.Message)
		}
	}
	golden(t, "validate-shapes.golden", out.String())
}
