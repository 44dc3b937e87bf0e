package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

// Tests of issue 8 ("Safety"), one or more per case of the issue; each
// failed on the code before the fix.

// canarySecret is a secret no output may show.
const canarySecret = "Zq7canaryX9wPz3Lm5Nb8Vc2Xa4Sd6Fg1"

// runIn runs the command in-process with the test environment plus env.
func runIn(stdin io.Reader, env map[string]string, args ...string) result {
	var stdout, stderr bytes.Buffer
	get := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return getenv(k)
	}
	code := run(args, stdin, &stdout, &stderr, get)
	return result{code, stdout.String(), stderr.String()}
}

// noCanary fails the test when an output shows the canary, without
// printing it.
func noCanary(t *testing.T, what string, r result) {
	t.Helper()
	if strings.Contains(r.stdout, canarySecret) || strings.Contains(r.stderr, canarySecret) {
		t.Errorf("%s: the secret is on standard output or error", what)
	}
}

// idsOf returns the ids of a values file's inline entries.
func idsOf(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := pachidp.OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range idps {
		ids = append(ids, e.ID)
	}
	return ids
}

// manifestIDs returns the ids of a Secret manifest's entries.
func manifestIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pachidp.DecodeSecretManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := s.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range idps {
		ids = append(ids, e.ID)
	}
	return ids
}

// addOIDCArgs adds an oidc entry with the given id.
func addOIDCArgs(file, id string) []string {
	return []string{"add", "oidc", "-f", file, "--in-place", "--id", id, "--name", id, "--issuer", "https://sso.example.com",
		"--client-id", "cid-" + id, "--client-secret-env", secretEnv, "--insecure-skip-email-verified=false"}
}

// TestHelperProcess is the pachidp process the concurrency test starts:
// its arguments follow "--" in PACHIDP_HELPER_ARGS.
func TestHelperProcess(t *testing.T) {
	args := os.Getenv("PACHIDP_HELPER_ARGS")
	if args == "" {
		t.Skip("started by TestConcurrentEditsNoneLost")
	}
	lockWait = time.Minute // a loaded CI machine must not turn waits into failures
	os.Exit(run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// TestConcurrentEditsNoneLost (case 1): goroutines and processes run
// `pachidp add ... --in-place` on one file at the same moment; every one
// exits 0 and every entry is in the file. Before, some exited 2 (the file
// changed) and some entries were lost although their command said "added".
func TestConcurrentEditsNoneLost(t *testing.T) {
	dir := inDir(t, "values.yaml")
	path := filepath.Join(dir, "values.yaml")
	const goroutines, processes = 12, 8
	saved := lockWait
	lockWait = time.Minute // a loaded CI machine must not turn waits into failures
	defer func() { lockWait = saved }()
	want := []string{"okta"}
	var wg sync.WaitGroup
	failures := make(chan string, goroutines+processes)
	start := make(chan struct{})
	for i := range processes {
		id := fmt.Sprintf("proc%d", i)
		want = append(want, id)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), "PACHIDP_HELPER_ARGS="+strings.Join(addOIDCArgs(path, id), "\x1f"), secretEnv+"=s3cr3t-From-Env")
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "added entry") {
				failures <- fmt.Sprintf("process %s: %v: %s", id, err, redactLine(string(out)))
			}
		}()
	}
	for i := range goroutines {
		id := fmt.Sprintf("gor%d", i)
		want = append(want, id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if r := runIn(nil, nil, addOIDCArgs(path, id)...); r.code != exitOK {
				failures <- fmt.Sprintf("goroutine %s: exit %d: %s", id, r.code, redactLine(r.stderr))
			}
		}()
	}
	close(start)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	got := idsOf(t, path)
	for _, id := range want {
		if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+id+" ") {
			t.Errorf("entry %q was lost", id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d", len(got), len(want))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// customOkta is an Okta entry with settings the preset does not write or
// writes otherwise.
const customOkta = `proxy:
  host: pachyderm.example.com
  tls:
    enabled: true
oidc:
  upstreamIDPs:
    - type: oidc
      id: okta
      name: Acme Okta
      config:
        issuer: https://acme.okta.com
        clientID: 0oa1b2c3d4e5f6g7h8i9
        clientSecret: old-okta-secret
        redirectURI: https://pachyderm.example.com/dex/callback
        insecureEnableGroups: true
        insecureSkipEmailVerified: false
        getUserInfo: true
        userNameKey: preferred_username
        claimMapping:
          groups: roles
        rootCAs:
          - /dexcreds/okta-ca.pem
        scopes:
          - openid
          - profile
          - email
          - groups
          - offline_access
`

// sameButSecret checks that the file's entry is customOkta's with the
// client secret secret: every other key and value kept.
func sameButSecret(t *testing.T, path, secret string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := entryOf(t, string(data), "okta").Map()
	want := entryOf(t, customOkta, "okta").Map()
	want["config"].(map[string]any)["clientSecret"] = secret
	if fmt.Sprint(got) != fmt.Sprint(want) {
		g, _ := pachidp.UpstreamIDPFromMap(got)
		t.Errorf("the entry changed beyond its secret:\n%v", g)
	}
}

// TestAddKeepsSettings (case 2): add on an existing id updates what the
// preset and the flags determine and keeps every other key; a flag not
// passed never flips a setting to the preset's default. Before, the entry
// became the preset's: insecureSkipEmailVerified false became true, and
// getUserInfo, userNameKey, claimMapping, rootCAs and a scope were dropped.
func TestAddKeepsSettings(t *testing.T) {
	inDir(t)
	writeFile(t, "values.yaml", customOkta)
	r := pachidpRun(t, "", "add", "okta", "-f", "values.yaml", "--in-place", "--domain", "acme.okta.com",
		"--client-id", "0oa1b2c3d4e5f6g7h8i9", "--client-secret-env", secretEnv)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// The line that says what was written, then what validate says of the
	// result (customOkta turns TLS on without naming its Secret).
	if want := `pachidp add: values.yaml: updated entry "okta" (config.clientSecret changed; its other keys kept)` + "\n" +
		"values.yaml:3:3: error: proxy.tls.secretName: TLS on without a certificate: name a kubernetes.io/tls Secret here [tls-secret-missing]\n"; !strings.HasSuffix(r.stderr, want) {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	// The entry's own finding, printed by add before the line, is not
	// printed again by the check of the result.
	if n := strings.Count(r.stderr, "[root-ca-file]"); n != 1 {
		t.Errorf("the root-ca-file finding is printed %d times: %q", n, r.stderr)
	}
	sameButSecret(t, "values.yaml", "s3cr3t-From-Env")

	// --replace replaces, and says what it dropped and changed.
	r = pachidpRun(t, "", "add", "okta", "-f", "values.yaml", "--in-place", "--domain", "acme.okta.com",
		"--client-id", "0oa1b2c3d4e5f6g7h8i9", "--client-secret-env", secretEnv, "--replace")
	if r.code != exitOK || !strings.Contains(r.stderr, `replaced entry "okta" by the preset's; changed: config.scopes; dropped: config.claimMapping, config.getUserInfo, config.rootCAs, config.userNameKey`) {
		t.Errorf("--replace: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestAddFlagsChangeSettings: a flag passed does change its setting.
func TestAddFlagsChangeSettings(t *testing.T) {
	inDir(t)
	writeFile(t, "values.yaml", customOkta)
	r := pachidpRun(t, "", "add", "okta", "-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1b2c3d4e5f6g7h8i9",
		"--client-secret-env", secretEnv, "--insecure-enable-groups=false", "--name", "Okta")
	if r.code != exitOK || !strings.Contains(r.stderr, "config.clientSecret changed, config.insecureEnableGroups true -> false, name Acme Okta -> Okta") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	e := entryOf(t, r.stdout, "okta")
	if *e.OIDC.InsecureEnableGroups || e.Name != "Okta" || e.OIDC.UserNameKey != "preferred_username" {
		t.Errorf("entry %v", e)
	}
}

// TestSetSecret: rotating a secret is one command that changes the secret
// alone, inline or in the Secret's manifest.
func TestSetSecret(t *testing.T) {
	inDir(t)
	writeFile(t, "values.yaml", customOkta)
	r := pachidpRun(t, "", "set-secret", "okta", "-f", "values.yaml", "--client-secret-env", secretEnv, "--in-place")
	// What was written, then what validate says of the result.
	if r.code != exitOK || r.stderr != `pachidp set-secret: values.yaml: set config.clientSecret of entry "okta" (its other keys unchanged)`+"\n"+
		"values.yaml:3:3: error: proxy.tls.secretName: TLS on without a certificate: name a kubernetes.io/tls Secret here [tls-secret-missing]\n"+
		`values.yaml:22:13: error: oidc.upstreamIDPs[0].config.rootCAs[0]: "/dexcreds/okta-ca.pem" is under /dexcreds, which the chart mounts only when oidc.dexCredentialSecretName is set: set oidc.dexCredentialSecretName to the Secret holding the key "okta-ca.pem" [root-ca-file]`+"\n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	sameButSecret(t, "values.yaml", "s3cr3t-From-Env")
	r = pachidpRun(t, "", "set-secret", "octa", "-f", "values.yaml", "--client-secret-env", secretEnv, "--in-place")
	if r.code != exitFindings || !strings.Contains(r.stderr, `no entry has id "octa" (did you mean "okta"?)`) {
		t.Errorf("unknown id: exit %d, stderr %q", r.code, r.stderr)
	}
	// In secret mode, in the manifest.
	if r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml"); r.code != exitOK {
		t.Fatalf("secret: %d %s", r.code, r.stderr)
	}
	writeFile(t, "new.txt", "fake-okta-secret\n")
	r = pachidpRun(t, "", "set-secret", "okta", "-f", "values.yaml", "--secret", "m.yaml", "--client-secret-file", "new.txt", "--in-place")
	if r.code != exitOK {
		t.Fatalf("set-secret in the manifest: %d %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile("m.yaml")
	if !strings.Contains(string(data), "clientSecret: fake-okta-secret\n") || !strings.Contains(string(data), "userNameKey: preferred_username") {
		t.Errorf("manifest after set-secret:\n%s", redactLine(string(data)))
	}
}

// TestSecretOutputsNotInputs (case 3): an output naming an input, by any
// path (the same text, ./, a symbolic link, a hard link, ..), is refused
// before anything is written. Before, the manifest replaced the values.
func TestSecretOutputsNotInputs(t *testing.T) {
	for name, tc := range map[string]struct {
		prepare func(t *testing.T)
		args    []string
	}{
		"./ path":       {nil, []string{"--in-place", "--manifest-out", "./values.yaml"}},
		"absolute path": {nil, []string{"--in-place", "--manifest-out", "ABS/values.yaml"}},
		"symbolic link": {func(t *testing.T) { os.Symlink("values.yaml", "link.yaml") }, []string{"--in-place", "--manifest-out", "link.yaml"}},
		"hard link":     {func(t *testing.T) { os.Link("values.yaml", "hard.yaml") }, []string{"--in-place", "--manifest-out", "hard.yaml"}},
		"values-out and manifest-out": {func(t *testing.T) { os.Mkdir("sub", 0o755) },
			[]string{"--values-out", "out.yaml", "--manifest-out", "sub/../out.yaml"}},
		"values-out is the input": {func(t *testing.T) { os.Symlink("values.yaml", "link.yaml") },
			[]string{"--values-out", "link.yaml", "--manifest-out", "m.yaml"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := inDir(t, "values.yaml")
			if tc.prepare != nil {
				tc.prepare(t)
			}
			before := snap(t, "values.yaml")
			args := []string{"secret", "-f", "values.yaml"}
			for _, a := range tc.args {
				args = append(args, strings.Replace(a, "ABS", dir, 1))
			}
			r := pachidpRun(t, "", args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, "name the same file") && !strings.Contains(r.stderr, "names the same file") {
				t.Errorf("exit %d, stderr %q", r.code, r.stderr)
			}
			before.unchanged(t)
			for _, f := range []string{"out.yaml", "m.yaml"} {
				if _, err := os.Stat(f); err == nil {
					t.Errorf("%s was written", f)
				}
			}
		})
	}
}

// TestSecretManifestIsNewPrivateFile (case 4): --manifest-out writes a new
// file of mode 0600 owned by the caller; a symbolic link planted there, or
// another user's file, is refused and left as it was. Before, an existing
// file kept its owner and mode 0666, and a link was followed.
func TestSecretManifestIsNewPrivateFile(t *testing.T) {
	t.Run("existing file of mode 0666", func(t *testing.T) {
		inDir(t, "values.yaml")
		writeFile(t, "m.yaml", "")
		os.Chmod("m.yaml", 0o666)
		r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml")
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if fi, _ := os.Stat("m.yaml"); fi.Mode().Perm() != 0o600 {
			t.Errorf("manifest mode %v, want 0600", fi.Mode().Perm())
		}
	})
	t.Run("symbolic link", func(t *testing.T) {
		dir := inDir(t, "values.yaml")
		victim := filepath.Join(t.TempDir(), "theirs.yaml")
		os.WriteFile(victim, nil, 0o666)
		os.Symlink(victim, "m.yaml")
		before := snap(t, "values.yaml")
		r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml")
		if r.code != exitUsage || !strings.Contains(r.stderr, "m.yaml is a symbolic link") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if data, _ := os.ReadFile(victim); len(data) != 0 {
			t.Error("the secrets went into the link's target")
		}
		before.unchanged(t)
		_ = dir
	})
	t.Run("another user's file", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("needs root to give a file to another user")
		}
		inDir(t, "values.yaml")
		writeFile(t, "m.yaml", "")
		os.Chmod("m.yaml", 0o666)
		if err := os.Chown("m.yaml", 65534, 65534); err != nil {
			t.Fatal(err)
		}
		before := snap(t, "values.yaml")
		r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml")
		if r.code != exitUsage || !strings.Contains(r.stderr, "belongs to another user (uid 65534)") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if data, _ := os.ReadFile("m.yaml"); len(data) != 0 {
			t.Error("the secrets went into another user's file")
		}
		before.unchanged(t)
	})
}

// TestSecretModeEdits (case 5): once the values name a Secret, add, remove
// and import edit its manifest (--secret) or refuse; secret merges into an
// existing manifest; inline goes back. Before, add wrote the entry into
// oidc.upstreamIDPs (ignored by the chart) and exited 0, and secret then
// wrote a manifest of that entry alone, deleting the others when applied.
func TestSecretModeEdits(t *testing.T) {
	inDir(t, "values.yaml")
	if r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml"); r.code != exitOK {
		t.Fatalf("secret: %d %s", r.code, r.stderr)
	}
	addAuth0 := []string{"add", "auth0", "-f", "values.yaml", "--in-place", "--domain", "acme.us.auth0.com", "--client-id", "abc",
		"--client-secret-env", secretEnv, "--insecure-skip-email-verified=false"}
	values := snap(t, "values.yaml")
	r := pachidpRun(t, "", addAuth0...)
	if r.code != exitUsage || !strings.Contains(r.stderr, `keeps its entries in the Secret "pachyderm-upstream-idps"`) || !strings.Contains(r.stderr, "--secret FILE") {
		t.Errorf("add without --secret: exit %d, stderr %q", r.code, r.stderr)
	}
	values.unchanged(t)
	for _, args := range [][]string{{"remove", "okta", "-f", "values.yaml", "--in-place"}, {"import", "--from", "pachctl", "-f", "values.yaml", "--in-place", "x.yaml"}} {
		if r := pachidpRun(t, "", args...); r.code != exitUsage || !strings.Contains(r.stderr, "--secret FILE") {
			t.Errorf("%s without --secret: exit %d, stderr %q", args[0], r.code, r.stderr)
		}
	}
	values.unchanged(t)

	r = pachidpRun(t, "", append(addAuth0, "--secret", "m.yaml")...)
	if r.code != exitOK || !strings.Contains(r.stderr, `m.yaml: added entry "auth0"`) {
		t.Fatalf("add --secret: exit %d, stderr %q", r.code, r.stderr)
	}
	values.unchanged(t)
	if ids := manifestIDs(t, "m.yaml"); strings.Join(ids, ",") != "okta,auth0" {
		t.Errorf("manifest ids %v", ids)
	}
	if fi, _ := os.Stat("m.yaml"); fi.Mode().Perm() != 0o600 {
		t.Errorf("manifest mode %v", fi.Mode().Perm())
	}

	// An entry written inline by hand (or by an old pachidp): secret
	// merges it into the manifest, or refuses without one.
	data, _ := os.ReadFile("values.yaml")
	inline := strings.Replace(string(data), "upstreamIDPs: []", `upstreamIDPs:
    - type: oidc
      id: google
      name: Google
      config:
        issuer: https://accounts.google.com
        clientID: 1.apps.googleusercontent.com
        clientSecret: fake-keycloak-secret
        redirectURI: https://pachyderm.example.com/dex/callback`, 1)
	writeFile(t, "values.yaml", inline)
	r = pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place")
	if r.code != exitUsage || !strings.Contains(r.stderr, "would delete the Secret's other entries") {
		t.Errorf("secret without the manifest: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml")
	if r.code != exitOK || !strings.Contains(r.stderr, "moved 1 entry (with the 2 it already held)") {
		t.Errorf("secret merge: exit %d, stderr %q", r.code, r.stderr)
	}
	if ids := manifestIDs(t, "m.yaml"); strings.Join(ids, ",") != "okta,auth0,google" {
		t.Errorf("merged manifest ids %v", ids)
	}

	r = pachidpRun(t, "", "remove", "google", "-f", "values.yaml", "--secret", "m.yaml", "--in-place")
	if r.code != exitOK || strings.Join(manifestIDs(t, "m.yaml"), ",") != "okta,auth0" {
		t.Errorf("remove --secret: exit %d, stderr %q", r.code, r.stderr)
	}

	// Back to inline values in one command.
	r = pachidpRun(t, "", "inline", "-f", "values.yaml", "--secret", "m.yaml", "--in-place")
	if r.code != exitOK {
		t.Fatalf("inline: exit %d, stderr %q", r.code, r.stderr)
	}
	if ids := idsOf(t, "values.yaml"); strings.Join(ids, ",") != "okta,auth0" {
		t.Errorf("inline ids %v", ids)
	}
	if r := pachidpRun(t, "", "validate", "-f", "values.yaml"); r.code == exitUsage {
		t.Errorf("values after inline: %s", r.stderr)
	}
}

// TestSecretsNeverPrinted (case 6): a secret passed on the command line
// before the subcommand, after help, or as the name of a variable, is never
// echoed. Before, these three printed it.
func TestSecretsNeverPrinted(t *testing.T) {
	inDir(t, "values.yaml")
	okta := []string{"-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1"}
	for _, args := range [][]string{
		{"--client-secret=" + canarySecret, "add", "okta"},
		{"--client-secret", canarySecret, "add", "okta"},
		{"help", "--client-secret=" + canarySecret},
		{"help", "add", "--password=" + canarySecret},
		{"add", "okta", "--secret-value=" + canarySecret},
		{"--" + canarySecret},
		{"-x=" + canarySecret, "add"},
		{"add", "okta", "--", "--client-secret=" + canarySecret}, // found by FuzzRun: after --, it was echoed as an argument
		append([]string{"add", "okta", "--client-secret-env", canarySecret}, okta...),
		append([]string{"add", "okta", "--client-secret-env=" + canarySecret}, okta...),
		append([]string{"set-secret", "okta", "--client-secret-env", canarySecret}, okta[:2]...),
	} {
		r := runIn(nil, nil, args...)
		if r.code != exitUsage {
			t.Errorf("%d args: exit %d, want 2", len(args), r.code)
		}
		noCanary(t, fmt.Sprintf("%q", strings.ReplaceAll(strings.Join(args, " "), canarySecret, "<canary>")), r)
	}
	// A variable name that looks like one is repeated, to help.
	r := runIn(nil, nil, append([]string{"add", "okta", "--client-secret-env", "OKTA_CLIENT_SECRET"}, okta...)...)
	if !strings.Contains(r.stderr, "environment variable OKTA_CLIENT_SECRET is unset or empty") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// TestSecretReadersSweep: the canary as the secret of every reader
// (variable, file, standard input) and of the entries every command reads:
// no command prints it on standard error.
func TestSecretReadersSweep(t *testing.T) {
	inDir(t, "values.yaml")
	writeFile(t, "canary.txt", canarySecret+"\n")
	env := map[string]string{"CANARY": canarySecret}
	base := []string{"-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1b2c3d4e5f6g7h8i9"}
	for _, args := range [][]string{
		append([]string{"add", "okta", "--client-secret-env", "CANARY"}, base...),
		append([]string{"add", "okta", "--client-secret-file", "canary.txt"}, base...),
		append([]string{"add", "okta", "--client-secret-file", "-"}, base...),
		{"set-secret", "okta", "-f", "values.yaml", "--client-secret-env", "CANARY"},
		{"set-secret", "nope", "-f", "values.yaml", "--client-secret-env", "CANARY"},
		append([]string{"add", "okta", "--client-secret-env", "CANARY", "--proxy-host", "http://x"}, base...),
		// pachidp set: a secret key from a variable or a file.
		{"set", "--value-env", "pachd.enterpriseLicenseKey=CANARY", "-f", "values.yaml"},
		{"set", "--value-file", "pachd.rootToken=canary.txt", "-f", "values.yaml"},
	} {
		r := runIn(strings.NewReader(canarySecret+"\n"), env, args...)
		if strings.Contains(r.stderr, canarySecret) {
			t.Errorf("%v: standard error shows the secret", args[:4])
		}
		if r.code == exitOK && !strings.Contains(r.stdout, canarySecret) {
			t.Errorf("%v: the edited document lacks the secret", args[:4])
		}
		// The entries written hold it: every reading command hides it.
		if r.code != exitOK {
			continue
		}
		writeFile(t, "edited.yaml", r.stdout)
		for _, read := range [][]string{{"list", "-f", "edited.yaml"}, {"list", "-f", "edited.yaml", "-o", "json"}, {"validate", "-f", "edited.yaml", "--strict"},
			{"validate", "-f", "edited.yaml", "-o", "json"}, {"validate", "-f", "edited.yaml", "-o", "sarif"},
			{"validate", "edited.yaml", "values.yaml", "--ignore", "redirect-uri-host", "-o", "json"}, {"validate", "-f", "values.yaml", "-f", "edited.yaml"},
			{"remove", "nope", "-f", "edited.yaml"}, {"secret", "-f", "edited.yaml", "--name", "BAD NAME", "--in-place"},
			// --diff prints the edit, with every secret hidden.
			{"remove", "okta", "-f", "edited.yaml", "--diff"}, {"secret", "-f", "edited.yaml", "--in-place", "--diff", "--manifest-out", "m.yaml"},
			{"set-secret", "okta", "-f", "edited.yaml", "--client-secret-file", "canary.txt", "--diff"},
			{"add", "okta", "-f", "edited.yaml", "--domain", "acme.okta.com", "--client-id", "other", "--client-secret-file", "canary.txt", "--diff"},
			// -o json never holds a secret, of a file or of a layered set.
			{"dex", "-f", "edited.yaml", "-o", "json"}, {"pachctl", "okta", "-f", "edited.yaml", "-o", "json"},
			{"render", "-f", "edited.yaml", "-o", "json"}, {"render", "-f", "values.yaml", "-f", "edited.yaml", "-o", "json", "--proxy-host", "x.example.com"},
			{"list", "-f", "values.yaml", "-f", "edited.yaml", "-o", "json"}, {"dex", "-f", "values.yaml", "-f", "edited.yaml", "-o", "json"},
			{"remove", "okta", "-f", "edited.yaml", "-o", "json"}, {"remove", "okta", "-f", "values.yaml", "-f", "edited.yaml", "-o", "json"},
			{"set-secret", "okta", "-f", "edited.yaml", "--client-secret-file", "canary.txt", "-o", "json"},
			{"add", "okta", "-f", "edited.yaml", "--domain", "acme.okta.com", "--client-id", "other", "--client-secret-file", "canary.txt", "-o", "json"},
			{"secret", "-f", "edited.yaml", "--values-out", "v.yaml", "--manifest-out", "m2.yaml", "-o", "json"},
			{"import", "--from", "dex", "-f", "edited.yaml", "-o", "json", "edited.yaml"},
			// set, and the check of every edit's result, print findings
			// about a file holding the secret.
			{"set", "proxy.host=x.example.com", "-f", "edited.yaml", "--diff"}, {"set", "proxy.host=x.example.com", "-f", "edited.yaml", "-o", "json"},
			{"set", "proxy.tls.enabled=false", "-f", "edited.yaml", "--strict"},
			{"set", "--value-file", "pachd.enterpriseLicenseKey=canary.txt", "-f", "edited.yaml", "--diff"},
			{"add", "okta", "-f", "edited.yaml", "--domain", "acme.okta.com", "--client-id", "other", "--client-secret-file", "canary.txt", "--set", "proxy.host=y.example.com", "--diff"}} {
			rr := runIn(nil, nil, read...)
			noCanary(t, strings.Join(read, " "), rr)
		}
	}
}

// endlessReader never ends, as `yes` or /dev/zero on standard input.
type endlessReader struct{ n int64 }

// endlessBlock is what an endless reader returns, again and again.
var endlessBlock = bytes.Repeat([]byte("y"), 64<<10)

func (r *endlessReader) Read(p []byte) (int, error) {
	n := copy(p, endlessBlock)
	r.n += int64(n)
	return n, nil
}

// TestEndlessInput (case 7): /dev/zero and an endless standard input, as
// the values, a secret file, a manifest or an import input, fail fast with
// the cap in the message and bounded memory. Before, memory grew without
// limit.
func TestEndlessInput(t *testing.T) {
	inDir(t, "values.yaml")
	okta := []string{"add", "okta", "-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1"}
	cases := [][]string{
		{"validate", "-f", "-"},
		append(okta, "--client-secret-file", "-"),
		{"import", "--from", "dex", "-f", "values.yaml", "-"},
		{"render", "-f", "values.yaml", "--secret", "-"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases,
			[]string{"validate", "-f", "/dev/zero"},
			append(okta, "--client-secret-file", "/dev/zero"),
			[]string{"import", "--from", "pachctl", "-f", "values.yaml", "/dev/zero"},
			[]string{"render", "-f", "values.yaml", "--secret", "/dev/zero"})
	}
	for _, args := range cases {
		stdin := &endlessReader{}
		start := time.Now()
		r := runIn(stdin, nil, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "is larger than ") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		if stdin.n > atomicfile.MaxStdinSize+1<<20 {
			t.Errorf("%v: read %d bytes of standard input", args, stdin.n)
		}
		if d := time.Since(start); d > 30*time.Second { // generous: CI machines are shared; the bytes read are the bound
			t.Errorf("%v: took %v", args, d)
		}
	}
	r := runIn(&endlessReader{}, nil, append(okta, "--client-secret-file", "-")...)
	if want := "pachidp add: reading --client-secret-file from standard input: standard input (--client-secret-file) is larger than 64 KiB"; !strings.HasPrefix(r.stderr, want) {
		t.Errorf("stderr %q, want %q...", r.stderr, want)
	}
}

// TestAliasesRefused (case 8): a file whose aliases pass the limit outside
// oidc is refused with the limit named, by validate and by add, instead of
// findings about settings "not set". Before, validate said TLS was off and
// no host was set, and add asked for --proxy-host.
func TestAliasesRefused(t *testing.T) {
	inDir(t)
	var b strings.Builder
	b.WriteString("proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: tls\nx: &x y\nmany:\n")
	for range 200_000 {
		b.WriteString("  - *x\n")
	}
	writeFile(t, "values.yaml", b.String())
	for _, args := range [][]string{
		{"validate", "-f", "values.yaml"},
		{"add", "okta", "-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1", "--client-secret-env", secretEnv},
		{"list", "-f", "values.yaml"},
	} {
		r := pachidpRun(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "aliases expand the document by more than 100000 values") ||
			strings.Contains(r.stderr, "TLS is off") || strings.Contains(r.stderr, "--proxy-host") {
			t.Errorf("%s: exit %d, stderr %q", args[0], r.code, r.stderr)
		}
	}
}

// TestSecretInvisibleCharacters (case 9): a secret with a byte order mark,
// a control or invisible character, surrounding white space or several
// lines is refused, from a file or a variable, without being shown; one
// final newline (\n or \r\n) of a file is not part of it. Before, a BOM or a
// control character was kept silently.
func TestSecretInvisibleCharacters(t *testing.T) {
	inDir(t, "values.yaml")
	add := []string{"add", "okta", "-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1b2c3d4e5f6g7h8i9"}
	for _, tc := range []struct {
		name, content, want string
	}{
		{"BOM", "\uFEFF" + canarySecret + "\n", "starts with a byte order mark"},
		{"NUL", canarySecret + "\x00\n", fmt.Sprintf("holds an invisible character (U+0000 at byte %d)", len(canarySecret))},
		{"tab inside", canarySecret[:5] + "\t" + canarySecret[5:], "holds an invisible character (U+0009 at byte 5)"},
		{"zero width space", canarySecret + "\u200b", fmt.Sprintf("holds an invisible character (U+200B at byte %d)", len(canarySecret))},
		{"escape", "\x1b[0m" + canarySecret, "holds an invisible character (U+001B at byte 0)"},
		{"leading space", " " + canarySecret + "\n", "has white space before or after it"},
		{"trailing space", canarySecret + " \n", "has white space before or after it"},
		{"two newlines", canarySecret + "\n\n", "holds several lines"},
		{"two lines", canarySecret + "\nsecond\n", "holds several lines"},
		{"invalid UTF-8", canarySecret + "\xff", "is not valid UTF-8"},
		{"empty", "\n", "the file is empty"},
	} {
		writeFile(t, "s.txt", tc.content)
		r := runIn(nil, nil, append(add, "--client-secret-file", "s.txt")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("file, %s: exit %d, stderr %q, want %q", tc.name, r.code, strings.ReplaceAll(r.stderr, canarySecret, "<canary>"), tc.want)
		}
		noCanary(t, "file, "+tc.name, r)
		if tc.name == "empty" || tc.name == "two newlines" {
			continue
		}
		v := strings.TrimSuffix(tc.content, "\n")
		r = runIn(nil, map[string]string{"OKTA_SECRET": v}, append(add, "--client-secret-env", "OKTA_SECRET")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "environment variable OKTA_SECRET: the client secret "+strings.TrimPrefix(tc.want, "the file ")) {
			t.Errorf("variable, %s: exit %d, stderr %q", tc.name, r.code, strings.ReplaceAll(r.stderr, canarySecret, "<canary>"))
		}
		noCanary(t, "variable, "+tc.name, r)
	}
	// Accepted: one final \n or \r\n of a file; a variable as it is.
	for _, content := range []string{canarySecret, canarySecret + "\n", canarySecret + "\r\n"} {
		writeFile(t, "s.txt", content)
		r := runIn(nil, nil, append(add, "--client-secret-file", "s.txt")...)
		if r.code != exitOK || !strings.Contains(r.stdout, "clientSecret: "+canarySecret+"\n") {
			t.Errorf("%q: exit %d, stderr %q", strings.ReplaceAll(content, canarySecret, "<canary>"), r.code, r.stderr)
		}
	}
	r := runIn(nil, map[string]string{"OKTA_SECRET": canarySecret + "\n"}, append(add, "--client-secret-env", "OKTA_SECRET")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "holds several lines") {
		t.Errorf("variable with a newline: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLockedFileWaitsThenFails: an edit of a file whose lock another edit
// holds waits, then stops with the lock file and its holder named, and
// writes nothing.
func TestLockedFileWaitsThenFails(t *testing.T) {
	inDir(t, "values.yaml")
	lock, err := atomicfile.Acquire("values.yaml", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	saved := lockWait
	lockWait = 100 * time.Millisecond
	defer func() { lockWait = saved }()
	before := snap(t, "values.yaml")
	r := pachidpRun(t, "", "remove", "okta", "-f", "values.yaml", "--in-place")
	if r.code != exitUsage || !strings.Contains(r.stderr, "pachidp remove: values.yaml: another edit, pid ") ||
		!strings.Contains(r.stderr, "held the lock .values.yaml.pachidp.lock for the ") || !strings.HasSuffix(r.stderr, "; nothing was written\n") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)
}

// TestSecretArgumentNotEchoed (issue 15): a secret typed as an argument of
// a command that takes one (set-secret okta SECRET, add okta ... SECRET, or
// in the place of the id or the provider) is refused without being
// repeated: the message says how many arguments were extra, not what they
// were. Before, "unexpected argument %q" echoed it.
func TestSecretArgumentNotEchoed(t *testing.T) {
	inDir(t, "values.yaml")
	writeFile(t, "canary.txt", "other-secret-value\n")
	okta := []string{"-f", "values.yaml", "--domain", "acme.okta.com", "--client-id", "0oa1", "--client-secret-file", "canary.txt"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"set-secret", "okta", canarySecret, "-f", "values.yaml"}, "1 unexpected argument after the id"},
		{[]string{"set-secret", "okta", "-f", "values.yaml", canarySecret, canarySecret}, "2 unexpected arguments after the id"},
		{append([]string{"add", "okta", canarySecret}, okta...), "1 unexpected argument after the provider"},
		{append(append([]string{"add", "okta"}, okta...), "--", canarySecret), "1 unexpected argument after the provider"},
		{append([]string{"add", canarySecret}, okta...), "unknown provider (the argument is not repeated here"},
		{[]string{"set-secret", canarySecret, "-f", "values.yaml", "--client-secret-file", "canary.txt"}, "no entry has the id given"},
	} {
		r := runIn(nil, nil, tc.args...)
		what := strings.ReplaceAll(strings.Join(tc.args, " "), canarySecret, "<canary>")
		if r.code == exitOK {
			t.Errorf("%s: exit 0", what)
		}
		noCanary(t, what, r)
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: stderr %q, want %q", what, strings.ReplaceAll(r.stderr, canarySecret, "<canary>"), tc.want)
		}
	}
}

// TestEditRemovesOrphans (issue 15): an edit killed during its fsync left
// .values.yaml.pachidp-DIGITS beside the file, holding the new secret with
// the file's mode; the next edit left it too, and `git add -A` staged it.
// Now the next edit in place removes it.
func TestEditRemovesOrphans(t *testing.T) {
	dir := inDir(t, "values.yaml")
	orphan := filepath.Join(dir, ".values.yaml.pachidp-2718281828")
	writeFile(t, orphan, "clientSecret: "+canarySecret+"\n")
	writeFile(t, "new.txt", "a-new-secret-value\n")
	if r := runIn(nil, nil, "set-secret", "okta", "-f", "values.yaml", "--client-secret-file", "new.txt", "--in-place"); r.code != exitOK {
		t.Fatalf("set-secret: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Lstat(orphan); !os.IsNotExist(err) {
		t.Errorf("the orphaned temporary file is still there (%v)", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".pachidp") {
			t.Errorf("%s is left beside the file", e.Name())
		}
	}
}
