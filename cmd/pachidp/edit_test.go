package main

import (
	"os"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
)

func TestRemove(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "", "add", "google", "-f", "values.yaml", "--in-place", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv)
	if r.code != exitOK {
		t.Fatalf("add: exit %d, stderr %q", r.code, r.stderr)
	}
	two := snap(t, "values.yaml")

	r = pachidpRun(t, "", "remove", "okta", "-f", "values.yaml")
	if r.code != exitOK || r.stderr != "pachidp remove: values.yaml: removed \"okta\", on standard output (the file is unchanged: --in-place writes it)\n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	two.unchanged(t)
	golden(t, "remove-okta.golden", r.stdout)

	r = pachidpRun(t, "", "remove", "okta", "google", "-f", "values.yaml", "--in-place")
	if r.code != exitOK || r.stdout != "" {
		t.Fatalf("remove both: exit %d, stderr %q", r.code, r.stderr)
	}
	got, _ := os.ReadFile("values.yaml")
	if !strings.HasSuffix(string(got), "  mockIDP: false\n  upstreamIDPs: []\n") {
		t.Errorf("the emptied list is not written upstreamIDPs: []:\n%s", redactLine(string(got)))
	}
}

func TestRemoveMissing(t *testing.T) {
	inDir(t, "values.yaml")
	before := snap(t, "values.yaml")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"okt"}, `pachidp remove: values.yaml: no entry has id "okt" (did you mean "okta"?); nothing was written` + "\n"},
		{[]string{"okta", "zzz"}, `pachidp remove: values.yaml: no entry has id "zzz" (the ids are: okta); nothing was written` + "\n"},
	}
	for _, tt := range tests {
		r := pachidpRun(t, "", append([]string{"remove", "-f", "values.yaml", "--in-place"}, tt.args...)...)
		if r.code != exitFindings || r.stderr != tt.want || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q", tt.args, r.code, r.stderr)
		}
	}
	before.unchanged(t)
	writeFile(t, "empty.yaml", "oidc: {}\n")
	r := pachidpRun(t, "", "remove", "-f", "empty.yaml", "x")
	if r.code != exitFindings || !strings.Contains(r.stderr, "(oidc.upstreamIDPs has no entries)") {
		t.Errorf("empty list: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestImportDex(t *testing.T) {
	inDir(t, "values.yaml", "dex-config.yaml")
	before := snap(t, "values.yaml")

	// Dex's own redirect URI is refused: nothing is written.
	r := pachidpRun(t, "", "import", "--from", "dex", "-f", "values.yaml", "--in-place", "dex-config.yaml")
	// The finding names the line of the input file to fix, and the flag
	// that fixes it.
	if r.code != exitFindings || !strings.Contains(r.stderr, "dex-config.yaml:24:7: error: connectors[1].config.redirectURI: ") ||
		!strings.Contains(r.stderr, "1 error in the imported entries: nothing was written; --rewrite-redirect-uri sets every redirect URI") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)

	r = pachidpRun(t, "", "import", "dex-config.yaml", "--from", "dex", "-f", "values.yaml", "--rewrite-redirect-uri")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "import-dex.golden", r.stdout)
	golden(t, "import-dex.stderr.golden", r.stderr)
	if e := entryOf(t, r.stdout, "corp-ldap"); e.Config["bindPW"] != "$LDAP_BIND_PW" {
		t.Errorf("the $VAR reference was not kept verbatim")
	}

	r = pachidpRun(t, "", "import", "dex-config.yaml", "--from", "dex", "-f", "values.yaml", "--rewrite-redirect-uri", "--expand-env")
	if r.code != exitOK || strings.Contains(r.stderr, "bindPW") {
		t.Fatalf("--expand-env: exit %d, stderr %q", r.code, r.stderr)
	}
	if e := entryOf(t, r.stdout, "corp-ldap"); e.Config["bindPW"] != testEnv["LDAP_BIND_PW"] {
		t.Errorf("--expand-env did not expand $LDAP_BIND_PW")
	}
}

// A restriction the target's Dex ignores is an error (access-wider) that
// says more users get in; the cluster works, so import writes the entry and
// says how to accept it.
func TestImportDexWarnsOfLostRestriction(t *testing.T) {
	inDir(t, "values.yaml")
	writeFile(t, "dex.yaml", `connectors:
- type: oidc
  id: google
  name: Google
  config:
    issuer: https://accounts.google.com
    clientID: 1.apps.googleusercontent.com
    clientSecret: fake-okta-secret
    redirectURI: https://pachyderm.example.com/dex/callback
    hostedDomains: [example.com]
`)
	r := pachidpRun(t, "", "import", "--from", "dex", "-f", "values.yaml", "dex.yaml")
	if r.code != exitOK || !strings.Contains(r.stderr, "dex.yaml:10:5: error: connectors[0].config.hostedDomains: Pachyderm 2.12's Dex ignores hostedDomains") ||
		!strings.Contains(r.stderr, "so anyone can log in") || !strings.Contains(r.stderr, "# pachidp:ignore access-restriction-ignored REASON") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestImportPachctl(t *testing.T) {
	inDir(t, "values.yaml", "pachctl-connector.yaml")
	writeFile(t, "ldap.json", `{"id": "ldap", "name": "LDAP", "type": "ldap", "config": {"host": "ldap.example.com:636", "userSearch": {"baseDN": "ou=people,dc=example,dc=com", "username": "uid"}}}`)
	r := pachidpRun(t, "", "import", "--from", "pachctl", "-f", "values.yaml", "pachctl-connector.yaml", "ldap.json")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "pachctl-connector.yaml:5:1: warning: version: version 1 not carried") {
		t.Errorf("the version loss is not reported with its place: %q", r.stderr)
	}
	if strings.Contains(r.stdout, "version") {
		t.Errorf("the output holds version")
	}
	entryOf(t, r.stdout, "auth0")
	entryOf(t, r.stdout, "ldap")

	// The same connector file from standard input.
	data, _ := os.ReadFile("pachctl-connector.yaml")
	r = pachidpRun(t, string(data), "import", "--from", "pachctl", "-f", "values.yaml", "-")
	if r.code != exitOK || !strings.Contains(r.stderr, "<stdin>:5:1: warning: version") {
		t.Errorf("stdin: exit %d, stderr %q", r.code, r.stderr)
	}

	// Two inputs with one id.
	r = pachidpRun(t, "", "import", "--from", "pachctl", "-f", "values.yaml", "pachctl-connector.yaml", "pachctl-connector.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, `id "auth0" is also the id of an entry of pachctl-connector.yaml`) {
		t.Errorf("duplicate: exit %d, stderr %q", r.code, r.stderr)
	}
	// A Helm entry is not a connector file's shape problem, but a bad file is.
	writeFile(t, "bad.yaml", "id: [x]\n")
	r = pachidpRun(t, "", "import", "--from", "pachctl", "-f", "values.yaml", "bad.yaml")
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "pachidp import: bad.yaml:1:") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("bad input: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "import", "--from", "pachctl", "-f", "values.yaml", "missing.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "missing.yaml: cannot read INPUT missing.yaml: no such file or directory") {
		t.Errorf("missing input: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestSecret(t *testing.T) {
	inDir(t, "values.yaml")
	before := snap(t, "values.yaml")
	for _, args := range [][]string{
		{"secret", "-f", "values.yaml"},
		{"secret", "-f", "values.yaml", "--in-place", "--values-out", "out.yaml"},
		{"secret", "-f", "values.yaml", "--in-place", "--manifest-out", "values.yaml"},
		{"secret", "-f", "values.yaml", "--in-place", "--name", "Bad_Name"},
		{"secret", "-f", "values.yaml", "--in-place", "--namespace", "a.b"},
	} {
		r := pachidpRun(t, "", args...)
		if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, r.code, len(r.stdout), r.stderr)
		}
	}
	// A bad name is reported by its flag, once prefixed.
	for flag, value := range map[string]string{"--name": "Bad_Name", "--namespace": "a.b"} {
		r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", flag, value)
		if want := "pachidp secret: " + flag + " \"" + value + "\" is not a valid Kubernetes "; !strings.HasPrefix(r.stderr, want) {
			t.Errorf("%s %s: stderr %q, want it to start with %q", flag, value, r.stderr, want)
		}
	}
	before.unchanged(t)

	// --values-out: the input stays, the manifest goes to standard output.
	r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--values-out", "switched.yaml", "--namespace", "pachyderm")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)
	golden(t, "secret-manifest.golden", r.stdout)
	switched, _ := os.ReadFile("switched.yaml")
	golden(t, "secret-values.golden", string(switched))
	if st, _ := os.Stat("switched.yaml"); st.Mode().Perm() != 0o600 {
		t.Errorf("new values file mode %v, want 0600", st.Mode().Perm())
	}
	s, err := pachidp.DecodeSecretManifest([]byte(r.stdout))
	if err != nil || s.Name != pachidp.DefaultUpstreamIDPsSecretName || s.Namespace != "pachyderm" {
		t.Fatalf("manifest: %v, %v", s, err)
	}
	// The switched values render, with the manifest, the same text pachd
	// received before.
	orig, _ := pachidp.OpenDocument(before.data)
	want, _, err := orig.PachdUpstreamIDPs(nil)
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := pachidp.OpenDocument(switched)
	got, fs, err := sv.PachdUpstreamIDPs(s)
	if err != nil || fs.Err() != nil || string(got) != string(want) {
		t.Errorf("pachd would receive another text after the move (%v, %v)", err, fs.Err())
	}

	// --in-place and --manifest-out.
	r = pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "secret.yaml", "--name", "idps")
	if r.code != exitOK || r.stdout != "" {
		t.Fatalf("in place: exit %d, stderr %q", r.code, r.stderr)
	}
	if st, _ := os.Stat("secret.yaml"); st.Mode().Perm() != 0o600 {
		t.Errorf("manifest mode %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat("values.yaml"); st.Mode().Perm() != 0o644 {
		t.Errorf("values mode %v, want 0644 kept", st.Mode().Perm())
	}
	after := snap(t, "values.yaml")
	if !strings.Contains(string(after.data), "upstreamIDPsSecretName: idps") {
		t.Errorf("the values were not switched")
	}
	// Nothing left to move.
	r = pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place")
	if r.code != exitFindings || !strings.Contains(r.stderr, `already keeps its entries in the Secret "idps"`) {
		t.Errorf("again: exit %d, stderr %q", r.code, r.stderr)
	}
	after.unchanged(t)
}

// TestSecretRefusesCrashingEntries checks that entries pachd would refuse
// are reported with their places in the values file, and nothing written.
func TestSecretRefusesCrashingEntries(t *testing.T) {
	inDir(t, "guide-values.yaml")
	before := snap(t, "guide-values.yaml")
	r := pachidpRun(t, "", "secret", "-f", "guide-values.yaml", "--in-place")
	if r.code != exitFindings || r.stdout != "" ||
		!strings.Contains(r.stderr, "guide-values.yaml:12:7: error: oidc.upstreamIDPs[0].version: version is for pachctl's connector file") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)
}

// TestDiff: every edit takes --diff, prints a unified diff of what it would
// write, writes nothing, and never shows a client secret in the diff.
func TestDiff(t *testing.T) {
	inDir(t, "values.yaml")
	before := snap(t, "values.yaml")
	r := pachidpRun(t, "", "add", "google", "-f", "values.yaml", "--in-place", "--diff", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv)
	if r.code != exitOK {
		t.Fatalf("add --diff: exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)
	if !strings.HasPrefix(r.stdout, "--- a/values.yaml\n+++ b/values.yaml\n@@ ") {
		t.Errorf("add --diff: not a unified diff:\n%s", redactLine(r.stdout))
	}
	if !strings.Contains(r.stdout, "+        clientSecret: "+pachidp.Redacted+"\n") {
		t.Errorf("add --diff: the clientSecret line is not redacted:\n%s", redactLine(r.stdout))
	}
	if !strings.Contains(r.stderr, "in the diff above; nothing was written (--diff)") {
		t.Errorf("add --diff: stderr %q", r.stderr)
	}
	golden(t, "diff-add.golden", r.stdout)
	// Applying the diff gives what --in-place writes.
	r = pachidpRun(t, "", "remove", "okta", "-f", "values.yaml", "--diff")
	if r.code != exitOK || !strings.Contains(r.stdout, "\n-    - type: oidc\n") {
		t.Fatalf("remove --diff: exit %d, stdout %q stderr %q", r.code, redactLine(r.stdout), r.stderr)
	}
	before.unchanged(t)
	for _, args := range [][]string{
		{"set-secret", "okta", "-f", "values.yaml", "--in-place", "--diff", "--client-secret-env", secretEnv},
		{"secret", "-f", "values.yaml", "--in-place", "--diff", "--manifest-out", "idps.yaml"},
	} {
		r = pachidpRun(t, "", args...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		before.unchanged(t)
		if _, err := os.Stat("idps.yaml"); err == nil {
			t.Fatalf("%v wrote idps.yaml", args)
		}
		if strings.Contains(r.stdout, "s3cr3t-From-Env") || !strings.Contains(r.stdout, pachidp.Redacted) {
			t.Errorf("%v: secret not redacted in the diff (%d bytes)", args, len(r.stdout))
		}
	}
}

// TestRemoveIgnoreMissing: with --ignore-missing an id no entry has is
// reported and skipped; the others are removed, and a run with nothing left
// to remove succeeds and writes nothing.
func TestRemoveIgnoreMissing(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "", "remove", "okta", "gone", "-f", "values.yaml", "--in-place", "--ignore-missing")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	// What was written, then what validate says of the result.
	want := "pachidp remove: values.yaml: no entry has id \"gone\": skipped (--ignore-missing)\npachidp remove: values.yaml: removed \"okta\"\n" +
		"values.yaml:14:3: warning: oidc.upstreamIDPs: no entry, no Secret name, no mock IdP: nobody can log in; run pachidp add [no-upstream-idps]\n"
	if r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	after := snap(t, "values.yaml")
	r = pachidpRun(t, "", "remove", "okta", "-f", "values.yaml", "--in-place", "--ignore-missing")
	if r.code != exitOK || !strings.Contains(r.stderr, "skipped") {
		t.Fatalf("again: exit %d, stderr %q", r.code, r.stderr)
	}
	after.unchanged(t)
	// Without the flag, the same run fails and writes nothing.
	if r = pachidpRun(t, "", "remove", "okta", "-f", "values.yaml", "--in-place"); r.code != exitFindings {
		t.Errorf("without --ignore-missing: exit %d", r.code)
	}
	after.unchanged(t)
}
