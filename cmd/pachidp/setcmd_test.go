package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

// TestSetPachydermValues: pachidp set on Pachyderm's own values.yaml
// changes the three lines of the keys it sets and no other byte (yq
// rewrote 158 lines of it to set four keys).
func TestSetPachydermValues(t *testing.T) {
	data := fixtures.Read(t, "values-2.11.x.yaml") // before inDir: found from the repository
	inDir(t)
	writeFile(t, "values.yaml", string(data))
	r := pachidpRun(t, "", "set", "proxy.host=pachyderm.example.com", "proxy.tls.enabled=true", "proxy.tls.secretName=tls",
		"-f", "values.yaml", "--in-place")
	if r.code != exitOK || r.stdout != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "set-pachyderm.stderr.golden", r.stderr)
	after, err := os.ReadFile("values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old, now := strings.SplitAfter(string(data), "\n"), strings.SplitAfter(string(after), "\n")
	if len(old) != len(now) {
		t.Fatalf("%d lines became %d", len(old), len(now))
	}
	var changed []string
	for i := range old {
		if old[i] != now[i] {
			changed = append(changed, strings.TrimSpace(old[i])+" -> "+strings.TrimSpace(now[i]))
		}
	}
	want := []string{`host: "" -> host: "pachyderm.example.com"`, `enabled: false -> enabled: true`, `secretName: "" -> secretName: "tls"`}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") {
		t.Errorf("changed lines:\n%s\nwant:\n%s", strings.Join(changed, "\n"), strings.Join(want, "\n"))
	}
	// validate agrees with what set printed: no prerequisite error left.
	v := pachidpRun(t, "", "validate", "-f", "values.yaml")
	if strings.Contains(v.stdout, "error:") {
		t.Errorf("validate after set: %s", v.stdout)
	}
}

// TestSetOutputs: without --in-place the document goes to standard output,
// --diff prints the diff, -o json the report; none writes the file.
func TestSetOutputs(t *testing.T) {
	inDir(t, "values.yaml")
	before := snap(t, "values.yaml")
	r := pachidpRun(t, "", "set", "proxy.host=pach.example.org,pachd.replicas=2", "--set-string", "pachd.image.tag=2.11.3", "-f", "values.yaml")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "set.golden", r.stdout)
	golden(t, "set.stderr.golden", r.stderr)
	r = pachidpRun(t, "", "set", "proxy.host=pach.example.org", "-f", "values.yaml", "--diff")
	if r.code != exitOK || !strings.Contains(r.stdout, "+  host: pach.example.org") {
		t.Errorf("--diff: exit %d, stdout %q", r.code, r.stdout)
	}
	r = pachidpRun(t, "", "set", "proxy.host=pach.example.org", "-f", "values.yaml", "-o", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"set proxy.host=pach.example.org"`) {
		t.Errorf("-o json: exit %d, stdout %q", r.code, r.stdout)
	}
	before.unchanged(t)
}

// TestSetRefusals: what set does not write is refused (exit 2) with the
// fix, before anything is written, and a value is never repeated.
func TestSetRefusals(t *testing.T) {
	inDir(t, "values.yaml")
	before := snap(t, "values.yaml")
	const canary = "canary-s3cret-value"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"pachd.enterpriseLicenseKey=" + canary}, "pachd.enterpriseLicenseKey holds a secret, which is not taken from the command line"},
		{[]string{"--set-string", "pachd.rootToken=" + canary}, "pass --value-env pachd.rootToken=VAR"},
		{[]string{"oidc.upstreamIDPs[0].config.clientSecret=" + canary}, "pachidp add PROVIDER"},
		{[]string{"oidc.upstreamIDPs=" + canary}, "pachidp add PROVIDER"},
		{[]string{"oidc.upstreamIDPsSecretName=x"}, "pachidp secret moves them"},
		{[]string{"proxy={" + canary + "}"}, "a value in braces is a list"},
		{[]string{"proxy.host"}, "no value"},
		{[]string{"proxy=" + canary}, "proxy is a mapping"},
		{[]string{"--value-env", "pachd.enterpriseLicenseKey=" + canary + "-x"}, "takes the name of an environment variable"},
		{nil, "what to set?"},
	}
	for _, tt := range tests {
		args := append(append([]string{"set"}, tt.args...), "-f", "values.yaml", "--in-place")
		r := pachidpRun(t, "", args...)
		if r.code == exitOK || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, canary) {
			t.Errorf("%v: exit %d, stderr %q; want %q and no value", tt.args, r.code, r.stderr, tt.want)
		}
	}
	before.unchanged(t)
}

// TestSetSecretFromEnvAndFile: a secret key is set from a variable or a
// file, and its value appears nowhere on standard error.
func TestSetSecretFromEnvAndFile(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "", "set", "--value-env", "pachd.enterpriseLicenseKey="+secretEnv, "-f", "values.yaml", "--in-place")
	if r.code != exitOK || !strings.Contains(r.stderr, "set pachd.enterpriseLicenseKey (from --value-env)") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile("values.yaml"); !strings.Contains(string(data), "enterpriseLicenseKey: s3cr3t-From-Env") {
		t.Errorf("the license key was not written")
	}
	writeFile(t, "root.txt", "s3cr3t-From-File\n")
	r = pachidpRun(t, "", "set", "--value-file", "pachd.rootToken=root.txt", "-f", "values.yaml", "--diff")
	if r.code != exitOK || strings.Contains(r.stdout, "s3cr3t-From-File") || !strings.Contains(r.stdout, "rootToken: REDACTED") {
		t.Errorf("--value-file --diff: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestSetManifest: in an Argo CD Application whose values are a `values: |`
// string, set edits the block in place; the manifest's chart version is
// the target its result is checked for.
func TestSetManifest(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "manifests", "argo-values-string.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	inDir(t)
	writeFile(t, "app.yaml", string(data))
	r := pachidpRun(t, "", "set", "proxy.host=pach.example.org", "-f", "app.yaml", "--in-place")
	if r.code != exitOK || !strings.Contains(r.stderr, "checking for chart 2.12") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	after, _ := os.ReadFile("app.yaml")
	want := strings.Replace(string(data), "          host: pachyderm.acme.com\n", "          host: pach.example.org\n", 1)
	if string(after) != want {
		t.Errorf("the manifest changed elsewhere:\n%s", after)
	}
}

// TestEditPrintsResultFindings: an edit ends with what validate says of
// its result, after the line that says what it wrote: add on values
// without a host says so at once.
func TestEditPrintsResultFindings(t *testing.T) {
	inDir(t)
	writeFile(t, "values.yaml", "oidc:\n  mockIDP: false\n")
	r := pachidpRun(t, "", "add", "auth0", "-f", "values.yaml", "--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		"--client-secret-env", secretEnv, "--proxy-host", "pach.example.com", "--in-place")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	added := strings.Index(r.stderr, `pachidp add: values.yaml: added entry "auth0"`)
	host := strings.Index(r.stderr, "values.yaml: error: proxy.host: ")
	if added < 0 || host < added || !strings.Contains(r.stderr, "[host-missing]") {
		t.Errorf("stderr %q: want the host-missing finding after the line that says what was written", r.stderr)
	}
	// add --set sets the host in the same edit, and the redirect URI
	// names it; the result then has no error.
	writeFile(t, "values.yaml", "oidc:\n  mockIDP: false\n")
	r = pachidpRun(t, "", "add", "auth0", "-f", "values.yaml", "--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		"--client-secret-env", secretEnv, "--set", "proxy.enabled=true,proxy.host=pach.example.com,proxy.tls.enabled=true,proxy.tls.secretName=tls", "--in-place", "--strict")
	if r.code != exitOK || strings.Contains(r.stderr, "error:") {
		t.Fatalf("add --set: exit %d, stderr %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile("values.yaml"); !strings.Contains(string(data), "redirectURI: https://pach.example.com/dex/callback") {
		t.Errorf("the redirect URI does not name the host set:\n%s", data)
	}
}

// TestEditStrict: with --strict an edit whose result fails validate
// --strict writes nothing and exits 1, whichever edit it is; without it the
// same edit writes and exits 0.
func TestEditStrict(t *testing.T) {
	inDir(t, "values.yaml")
	tests := [][]string{
		{"add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks", "--client-secret-env", secretEnv},
		{"remove", "okta"},
		{"set", "proxy.tls.secretName="},
		{"set-secret", "okta", "--client-secret-env", secretEnv},
	}
	for _, args := range tests {
		before := snap(t, "values.yaml")
		r := pachidpRun(t, "", append(args, "-f", "values.yaml", "--in-place", "--strict")...)
		if r.code != exitFindings || !strings.Contains(r.stderr, "nothing was written: the result fails validate --strict: ") {
			t.Errorf("%v --strict: exit %d, stderr %q", args, r.code, r.stderr)
		}
		before.unchanged(t)
	}
	// secret: neither the manifest nor the values are written.
	before := snap(t, "values.yaml")
	r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml", "--strict")
	if r.code != exitFindings || !strings.Contains(r.stderr, "m.yaml: warning: upstream-idps[0].config.insecureSkipEmailVerified") {
		t.Errorf("secret --strict: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat("m.yaml"); err == nil {
		t.Error("secret --strict wrote the manifest")
	}
	before.unchanged(t)
	// The same set without --strict writes, and says what validate will.
	r = pachidpRun(t, "", "set", "proxy.tls.secretName=", "-f", "values.yaml", "--in-place")
	if r.code != exitOK || !strings.Contains(r.stderr, "[tls-secret-missing]") {
		t.Errorf("without --strict: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestSetLayered: in a layered set, set says when a later file sets the
// key over the one edited (Helm reads that one), and --edit writes the key
// into the file chosen; the result is checked with every layer.
func TestSetLayered(t *testing.T) {
	inDir(t, "values.yaml")
	writeFile(t, "prod.yaml", "proxy:\n  host: prod.example.com\n")
	r := pachidpRun(t, "", "set", "proxy.host=x.example.com", "-f", "values.yaml", "-f", "prod.yaml")
	if r.code != exitOK || !strings.Contains(r.stderr, "warning: prod.yaml (line 2) sets proxy.host after values.yaml, so Helm reads its value, not this one: set it there") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "set", "proxy.host=pachyderm.example.com", "-f", "values.yaml", "-f", "prod.yaml", "--edit", "prod.yaml", "--in-place")
	if r.code != exitOK || strings.Contains(r.stderr, "redirect-uri-host") {
		t.Fatalf("--edit: exit %d, stderr %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile("prod.yaml"); string(data) != "proxy:\n  host: pachyderm.example.com\n" {
		t.Errorf("prod.yaml: %q", data)
	}
}
