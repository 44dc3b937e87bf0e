package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/fixtures"
	"github.com/pachidp/pachidp/internal/oidctest"
)

// layeredSet is the library's layered set (testdata/layers): base.yaml
// (TLS, license), prod.yaml (another host, TLS off) and secrets.yaml (the
// entries).
var layeredSet = []string{"-f", "base.yaml", "-f", "prod.yaml", "-f", "secrets.yaml"}

func TestLayeredReaders(t *testing.T) {
	inLayersDir(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr []string
		golden string
	}{
		{name: "list", args: []string{"list"}, stdout: []string{"okta  oidc  Okta  https://acme.okta.com"}},
		{name: "list json", args: []string{"list", "-o", "json"}, golden: "list-layers.json.golden"},
		{name: "dex", args: []string{"dex"}, stdout: []string{"connectors:", "clientSecret: fake-okta-secret"},
			stderr: []string{"secrets.yaml:14:9: warning: oidc.upstreamIDPs[0].config.insecureSkipIssuerCallbackDomainCheck: "}},
		{name: "dex json", args: []string{"dex", "-o", "json"}, golden: "dex-layers.json.golden"},
		{name: "pachctl json", args: []string{"pachctl", "okta", "-o", "json"}, stdout: []string{`"clientSecret": "REDACTED"`, `"version": 1`, `"file": null`}},
		{name: "render", args: []string{"render", "--chart-version", "2.11.6"}, stdout: []string{"redirectURI: https://pachyderm.example.com/dex/callback"}},
		{name: "render json", args: []string{"render", "--chart-version", "2.11.6", "-o", "json"}, golden: "render-layers.json.golden"},
		// prod.yaml's host is not the entry's: the redirect URI is
		// compared with --proxy-host, the finding names secrets.yaml.
		{name: "render proxy-host", args: []string{"render", "--proxy-host", "pachyderm.prod.example.com"},
			stderr: []string{"secrets.yaml:11:9: warning: oidc.upstreamIDPs[0].config.redirectURI: "}},
		{name: "render no license", args: []string{"render", "--chart-version", "2.11.6", "-f", "nolicense.yaml"},
			stderr: []string{"does not pass these to pachd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, "nolicense.yaml", "pachd:\n  enterpriseLicenseKeySecretName: null\n")
			args := append(append([]string{tc.args[0]}, layeredSet...), tc.args[1:]...)
			r := pachidpRun(t, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if strings.Contains(r.stdout, "fake-okta-secret") && strings.Contains(strings.Join(tc.args, " "), "json") {
				t.Errorf("-o json shows a client secret")
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if tc.golden != "" {
				if !json.Valid([]byte(r.stdout)) {
					t.Errorf("not JSON: %s", r.stdout)
				}
				golden(t, tc.golden, r.stdout)
			}
		})
	}
	// One file is read as before: the same output with one -f.
	one := pachidpRun(t, "", "list", "-f", "secrets.yaml", "-o", "json")
	if strings.Contains(one.stdout, `"file"`) {
		t.Errorf("list -o json of one file names the file: %s", one.stdout)
	}
	// -f - once; twice is refused.
	secrets, _ := os.ReadFile("secrets.yaml")
	r := pachidpRun(t, string(secrets), "list", "-f", "base.yaml", "-f", "-")
	if r.code != exitOK || !strings.Contains(r.stdout, "okta") {
		t.Errorf("-f -: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, string(secrets), "dex", "-f", "-", "-f", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "standard input can be read once") {
		t.Errorf("-f - twice: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "list", "-f", "base.yaml", "-f", "base.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "base.yaml: named twice") {
		t.Errorf("a file twice: exit %d, stderr %q", r.code, r.stderr)
	}
	// A layer that does not parse is named.
	writeFile(t, "broken.yaml", "oidc: [\n")
	r = pachidpRun(t, "", "list", "-f", "base.yaml", "-f", "broken.yaml")
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "pachidp list: broken.yaml:") {
		t.Errorf("broken layer: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLayeredEdits: an edit of a layered set writes one file, the one
// that sets oidc.upstreamIDPs, and refuses to guess.
func TestLayeredEdits(t *testing.T) {
	add := []string{"add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET"}
	tests := []struct {
		name    string
		args    []string
		code    int
		written string   // the only file that changes
		stderr  []string // substrings
	}{
		{name: "add to the list's file", args: append(slices.Clone(add), "-f", "base.yaml", "-f", "prod.yaml", "-f", "secrets.yaml", "--in-place"),
			written: "secrets.yaml", stderr: []string{"editing secrets.yaml: the file of base.yaml + prod.yaml + secrets.yaml", `secrets.yaml: added entry "auth0"`}},
		{name: "no file sets the list", args: append(slices.Clone(add), "-f", "base.yaml", "-f", "prod.yaml", "--in-place"),
			code: exitUsage, stderr: []string{"none of the 2 values files sets it", "pass --edit FILE;"}},
		{name: "--edit chooses", args: append(slices.Clone(add), "-f", "base.yaml", "-f", "prod.yaml", "--edit", "prod.yaml", "--in-place"),
			written: "prod.yaml", stderr: []string{"editing prod.yaml (--edit)"}},
		{name: "--edit shadowed", args: append(slices.Clone(add), "-f", "secrets.yaml", "-f", "base.yaml", "-f", "override.yaml", "--edit", "secrets.yaml", "--in-place"),
			code: exitUsage, stderr: []string{"override.yaml:2:3 sets oidc.upstreamIDPs after secrets.yaml"}},
		{name: "--edit not a layer", args: append(slices.Clone(add), "-f", "base.yaml", "-f", "secrets.yaml", "--edit", "prod.yaml", "--in-place"),
			code: exitUsage, stderr: []string{"--edit prod.yaml: not one of the values files"}},
		{name: "remove", args: []string{"remove", "okta", "-f", "base.yaml", "-f", "secrets.yaml", "--in-place"},
			written: "secrets.yaml", stderr: []string{`secrets.yaml: removed "okta"`}},
		{name: "set-secret", args: []string{"set-secret", "okta", "-f", "base.yaml", "-f", "secrets.yaml", "--client-secret-env", "AUTH0_CLIENT_SECRET", "--in-place"},
			written: "secrets.yaml"},
		{name: "import", args: []string{"import", "--from", "pachctl", "-f", "base.yaml", "-f", "secrets.yaml", "--in-place", "pachctl-connector.yaml"},
			written: "secrets.yaml"},
		{name: "stdin target cannot be in place", args: []string{"remove", "okta", "-f", "base.yaml", "-f", "-", "--in-place"},
			code: exitUsage, stderr: []string{"--in-place needs a file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inLayersDir(t)
			data, _ := os.ReadFile(filepath.Join(testdataDir, "pachctl-connector.yaml"))
			writeFile(t, "pachctl-connector.yaml", string(data))
			writeFile(t, "override.yaml", "oidc:\n  upstreamIDPs: []\n")
			before := dirFiles(t)
			secrets, _ := os.ReadFile("secrets.yaml")
			r := pachidpRun(t, string(secrets), tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q: %q", s, r.stderr)
				}
			}
			after := dirFiles(t)
			for name, b := range before {
				if changed := after[name] != b; changed != (name == tc.written) {
					t.Errorf("%s changed: %v (want only %q)", name, changed, tc.written)
				}
			}
		})
	}
	// Without --in-place the edited document of that file is printed.
	inLayersDir(t)
	r := pachidpRun(t, "", append(slices.Clone(add), "-f", "base.yaml", "-f", "prod.yaml", "-f", "secrets.yaml")...)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "# Kept encrypted (SOPS)") || !strings.Contains(r.stdout, "id: auth0") {
		t.Errorf("stdout: exit %d, stdout %q", r.code, redactLine(r.stdout))
	}
	// The redirect URI is built from the merged values: prod.yaml's host.
	if !strings.Contains(r.stdout, "redirectURI: https://pachyderm.prod.example.com/dex/callback") {
		t.Errorf("the redirect URI is not the merged host's: %s", redactLine(r.stdout))
	}
	// --diff shows the diff of that file.
	r = pachidpRun(t, "", append(slices.Clone(add), "-f", "base.yaml", "-f", "secrets.yaml", "--diff")...)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "--- a/secrets.yaml\n+++ b/secrets.yaml\n") {
		t.Errorf("--diff: exit %d, stdout %q", r.code, redactLine(r.stdout))
	}
}

// dirFiles reads every file of the working directory.
func dirFiles(t *testing.T) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

// TestEditJSON: every edit prints one report with -o json, the same
// shape, and never a secret.
func TestEditJSON(t *testing.T) {
	type report struct {
		Command  string            `json:"command"`
		File     *string           `json:"file"`
		Edited   string            `json:"edited"`
		Manifest *string           `json:"manifest"`
		Changed  bool              `json:"changed"`
		Added    []string          `json:"added"`
		Replaced []string          `json:"replaced"`
		Removed  []string          `json:"removed"`
		Notes    []string          `json:"notes"`
		Findings []json.RawMessage `json:"findings"`
	}
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		args   []string
		code   int
		want   report // Notes and Findings are checked for presence only
		golden string
	}{
		{name: "remove stdout", args: []string{"remove", "okta", "-f", "values.yaml", "-o", "json"},
			want: report{Command: "remove", Edited: "values.yaml", Changed: true, Removed: []string{"okta"}}, golden: "remove-okta.json.golden"},
		{name: "remove in place", args: []string{"remove", "okta", "-f", "values.yaml", "-o", "json", "--in-place"},
			want: report{Command: "remove", File: str("values.yaml"), Edited: "values.yaml", Changed: true, Removed: []string{"okta"}}},
		{name: "remove missing", args: []string{"remove", "nope", "-f", "values.yaml", "-o", "json", "--ignore-missing"},
			want: report{Command: "remove", Edited: "values.yaml"}},
		{name: "add", args: []string{"add", "auth0", "-f", "values.yaml", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET", "-o", "json", "--in-place"},
			want: report{Command: "add", File: str("values.yaml"), Edited: "values.yaml", Changed: true, Added: []string{"auth0"}}},
		{name: "set-secret", args: []string{"set-secret", "okta", "-f", "values.yaml", "--client-secret-env", "AUTH0_CLIENT_SECRET", "-o", "json"},
			want: report{Command: "set-secret", Edited: "values.yaml", Changed: true, Replaced: []string{"okta"}}},
		{name: "import", args: []string{"import", "--from", "pachctl", "-f", "values.yaml", "-o", "json", "pachctl-connector.yaml"},
			want: report{Command: "import", Edited: "values.yaml", Changed: true, Added: []string{"auth0"}}},
		{name: "secret", args: []string{"secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml", "-o", "json"},
			want: report{Command: "secret", File: str("values.yaml"), Edited: "values.yaml", Manifest: str("m.yaml"), Changed: true, Removed: []string{"okta"}}},
		{name: "secret needs --manifest-out", args: []string{"secret", "-f", "values.yaml", "--in-place", "-o", "json"}, code: exitUsage},
		{name: "json and diff", args: []string{"remove", "okta", "-f", "values.yaml", "-o", "json", "--diff"}, code: exitUsage},
		{name: "bad format", args: []string{"remove", "okta", "-f", "values.yaml", "-o", "yaml"}, code: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inDir(t, "values.yaml", "pachctl-connector.yaml")
			r := pachidpRun(t, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, s := range testSecrets {
				if strings.Contains(r.stdout, s) {
					t.Errorf("the report shows a client secret")
				}
			}
			if tc.code == exitUsage {
				if r.stdout != "" {
					t.Errorf("usage error printed %q", r.stdout)
				}
				return
			}
			var got report
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("not a report: %v\n%s", err, r.stdout)
			}
			if got.Command != tc.want.Command || !eqPtr(got.File, tc.want.File) || got.Edited != tc.want.Edited || !eqPtr(got.Manifest, tc.want.Manifest) ||
				got.Changed != tc.want.Changed || !eqIDs(got.Added, tc.want.Added) || !eqIDs(got.Replaced, tc.want.Replaced) || !eqIDs(got.Removed, tc.want.Removed) {
				t.Errorf("report:\n%s", r.stdout)
			}
			if got.Notes == nil || got.Findings == nil {
				t.Errorf("notes and findings must be arrays: %s", r.stdout)
			}
			if tc.golden != "" {
				golden(t, tc.golden, r.stdout)
			}
		})
	}
}

func eqPtr(a, b *string) bool  { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
func eqIDs(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b)) }

// TestCheckJSON runs check -o json and --proxy-host against a real
// provider, over a layered set.
func TestCheckJSON(t *testing.T) {
	idp := oidctest.New(t, oidctest.Options{ClientID: "pachyderm", ClientSecret: "fake-okta-secret", IssuerTrailingSlash: true})
	inDir(t)
	writeFile(t, "ca.pem", idp.CAPEM())
	writeFile(t, "base.yaml", "proxy:\n  enabled: true\n  host: pachyderm.example.com\n")
	writeFile(t, "idps.yaml", "oidc:\n  upstreamIDPs:\n    - type: oidc\n      id: good\n      name: good\n      config:\n        issuer: "+idp.Issuer+
		"\n        clientID: pachyderm\n        clientSecret: fake-okta-secret\n        redirectURI: https://pachyderm.example.com/dex/callback\n")
	r := pachidpRun(t, "", "check", "-f", "base.yaml", "-f", "idps.yaml", "--ca-file", "ca.pem", "--timeout", "20s", "-o", "json", "--proxy-host", "other.example.com")
	var got checkJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != exitOK || got.Failed != 0 || len(got.Results) != 1 || got.Results[0].File != "idps.yaml" || len(got.Results[0].Checks) != 5 {
		t.Errorf("exit %d, report %+v", r.code, got)
	}
	if c := got.Results[0].Checks[0]; c.Status != "passed" {
		t.Errorf("first check %+v", c)
	}
	// base.yaml leaves TLS off (the chart's error, named in base.yaml), and
	// the redirect URI is not other.example.com's.
	var rules []string
	for _, f := range got.Findings {
		rules = append(rules, f.File+":"+f.Rule)
	}
	if !slices.Equal(rules, []string{"base.yaml:tls-disabled", "idps.yaml:redirect-uri-host"}) || got.Findings[1].Line != 10 {
		t.Errorf("findings %+v", got.Findings)
	}
	if !strings.Contains(r.stderr, "idps.yaml:10:9: ") {
		t.Errorf("stderr %q lacks the redirect finding", r.stderr)
	}
	if strings.Contains(r.stdout, "fake-okta-secret") {
		t.Errorf("check -o json shows the secret")
	}
}

// TestLayeredPachydermValues: Pachyderm's own values file as the first
// layer (its oidc.upstreamIDPs: [] is the list Helm reads until a later
// file sets one).
func TestLayeredPachydermValues(t *testing.T) {
	data := fixtures.Read(t, "values-2.11.x.yaml")
	inLayersDir(t)
	writeFile(t, "chart.yaml", string(data))
	add := []string{"add", "google", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", "AUTH0_CLIENT_SECRET", "--in-place"}

	// The chart's values and an overlay without a list: the chart's file
	// defines the list, so it is the one edited.
	r := pachidpRun(t, "", append(slices.Clone(add), "-f", "chart.yaml", "-f", "base.yaml")...)
	if r.code != exitOK || !strings.Contains(r.stderr, "editing chart.yaml") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "list", "-f", "chart.yaml", "-f", "base.yaml", "-o", "json")
	if !strings.Contains(r.stdout, `"file": "chart.yaml"`) || !strings.Contains(r.stdout, `"id": "google"`) {
		t.Errorf("list: %s", r.stdout)
	}
	// A later file that sets the list shadows it: secrets.yaml is edited.
	r = pachidpRun(t, "", append(slices.Clone(add), "-f", "chart.yaml", "-f", "base.yaml", "-f", "secrets.yaml", "-o", "json")...)
	if r.code != exitOK || !strings.Contains(r.stdout, `"file": "secrets.yaml"`) {
		t.Fatalf("exit %d, stdout %s, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Findings name the layer that set the value: prod.yaml turns TLS off.
	r = pachidpRun(t, "", "render", "-f", "chart.yaml", "-f", "base.yaml", "-f", "secrets.yaml", "--proxy-host", "pachyderm.example.com", "-o", "json")
	var out renderJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Text == nil || !strings.Contains(*out.Text, "id: google") {
		t.Errorf("render: exit %d, %v, stdout %s, stderr %q", r.code, err, redactLine(r.stdout), r.stderr)
	}
}

// TestPreCommitHooks: .pre-commit-hooks.yaml is a valid hook definition,
// and its entry, with file names appended as pre-commit does, checks each
// file, and every cluster a changed file is a layer of.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []map[string]any
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) == 0 {
		t.Fatal(".pre-commit-hooks.yaml defines no hook")
	}
	for _, h := range hooks {
		for _, k := range []string{"id", "name", "entry", "language"} {
			if s, _ := h[k].(string); s == "" {
				t.Errorf("hook %v: %s missing", h["id"], k)
			}
		}
		files, _ := h["files"].(string)
		re, err := regexp.Compile(files)
		if err != nil {
			t.Fatalf("files %q: %v", files, err)
		}
		for name, want := range map[string]bool{"values.yaml": true, "clusters/prod/values.yaml": true, "prod-values.yml": true, "common.yaml": true,
			".pachidp.yaml": true, "app.json": true, "README.md": false, "values.go": false} {
			if re.MatchString(name) != want {
				t.Errorf("files %q matches %s: %v", files, name, !want)
			}
		}
		entry := strings.Fields(h["entry"].(string))
		if len(entry) < 2 || entry[0] != "pachidp" {
			t.Fatalf("entry %q does not run pachidp", h["entry"])
		}
		inDir(t, "values.yaml", "guide-values.yaml")
		// pre-commit appends the staged files that match.
		r := pachidpRun(t, "", append(slices.Clone(entry[1:]), "values.yaml")...)
		if r.code != exitOK {
			t.Errorf("%s values.yaml: exit %d, stderr %q", h["entry"], r.code, r.stderr)
		}
		r = pachidpRun(t, "", append(slices.Clone(entry[1:]), "values.yaml", "guide-values.yaml")...)
		if r.code != exitFindings || !strings.Contains(r.stdout, "guide-values.yaml:") || strings.Contains(r.stdout, "\nvalues.yaml:") || !strings.Contains(r.stderr, "2 files: ") {
			t.Errorf("%s values.yaml guide-values.yaml: exit %d, stdout %q, stderr %q", h["entry"], r.code, r.stdout, r.stderr)
		}
		// A shared base file changed: every cluster that layers it is
		// checked again; a staged file that is not values is skipped.
		inRepo(t)
		r = pachidpRun(t, "", append(slices.Clone(entry[1:]), "common.yaml", "ci/workflow.yaml")...)
		if r.code != exitFindings || !strings.Contains(r.stderr, "cluster dev (") || !strings.Contains(r.stderr, "cluster prod (") || strings.Contains(r.stdout, "workflow") {
			t.Errorf("%s common.yaml ci/workflow.yaml: exit %d, stdout %q, stderr %q", h["entry"], r.code, r.stdout, r.stderr)
		}
	}
}

// TestSchemaJSON: schema takes -o json as every command does: the schema
// on standard output, no file named json.
func TestSchemaJSON(t *testing.T) {
	inDir(t)
	plain := pachidpRun(t, "", "schema")
	r := pachidpRun(t, "", "schema", "-o", "json")
	if r.code != exitOK || r.stdout != plain.stdout || !json.Valid([]byte(r.stdout)) {
		t.Errorf("exit %d, another output", r.code)
	}
	if _, err := os.Stat("json"); err == nil {
		t.Errorf("-o json wrote a file named json")
	}
	writeFile(t, "a.yaml", "oidc: {}\n")
	writeFile(t, "b.yaml", "oidc: {}\n")
	r = pachidpRun(t, "", "schema", "-o", "s.json", "-f", "a.yaml", "-f", "b.yaml")
	if r.code != exitOK || strings.Count(r.stderr, "put this line at the top of") != 2 {
		t.Errorf("two -f: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLayeredDisableMockShadowed: --disable-mock-idp writes the edited file,
// and says so when a later file sets oidc.mockIDP back.
func TestLayeredDisableMockShadowed(t *testing.T) {
	inDir(t, "values.yaml")
	writeFile(t, "later.yaml", "oidc:\n  mockIDP: true\n")
	r := pachidpRun(t, "", "add", "google", "-f", "values.yaml", "-f", "later.yaml", "--disable-mock-idp", "--in-place",
		"--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv)
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: later.yaml (line 2) sets oidc.mockIDP: true after values.yaml, so the mock IdP stays") {
		t.Errorf("stderr %q", r.stderr)
	}
}
