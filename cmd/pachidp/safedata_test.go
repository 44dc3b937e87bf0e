package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tests of issue 15's "Lost data" and "Slow or unbounded" (the command's
// side); each failed on the code before the fix.

// oneEntryValues is a values file whose only entry has the given id.
func oneEntryValues(id string) string {
	return fmt.Sprintf(`proxy:
  host: pachyderm.example.com
  tls:
    enabled: true
oidc:
  upstreamIDPs:
    - type: oidc
      id: %s
      name: %s
      config:
        issuer: https://%s.example.com
        clientID: cid-%s
        clientSecret: secret-%s
        redirectURI: https://pachyderm.example.com/dex/callback
        insecureSkipEmailVerified: false
`, id, id, id, id, id)
}

// TestSecretManifestOutFirstTimeConcurrent: two `pachidp secret -f X
// --in-place --manifest-out m.yaml` for two values files, started together
// while m.yaml does not exist yet, both end up in the manifest, whatever
// order they run in. Before, the manifest's lock was taken only when the
// file existed: in most trials both exited 0 and one entry was lost.
func TestSecretManifestOutFirstTimeConcurrent(t *testing.T) {
	saved := lockWait
	lockWait = time.Minute // a loaded CI machine must not turn waits into failures
	defer func() { lockWait = saved }()
	const trials = 40
	for trial := range trials {
		dir := t.TempDir()
		m := filepath.Join(dir, "m.yaml")
		ids := []string{"alpha", "beta", "gamma"}
		var wg sync.WaitGroup
		start := make(chan struct{})
		codes := make([]result, len(ids))
		for i, id := range ids {
			f := filepath.Join(dir, id+".yaml")
			if err := os.WriteFile(f, []byte(oneEntryValues(id)), 0o644); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				<-start
				codes[i] = runIn(nil, nil, "secret", "-f", f, "--in-place", "--manifest-out", m)
			})
		}
		close(start)
		wg.Wait()
		for i, r := range codes {
			if r.code != exitOK {
				t.Fatalf("trial %d: %s: exit %d: %s", trial, ids[i], r.code, strings.ReplaceAll(r.stderr, "secret-", "<s>-"))
			}
			if got := idsOf(t, filepath.Join(dir, ids[i]+".yaml")); len(got) != 0 {
				t.Fatalf("trial %d: %s still lists %v", trial, ids[i], got)
			}
		}
		got := manifestIDs(t, m)
		slices.Sort(got)
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Fatalf("trial %d: the manifest holds %v, want %v: an entry was lost", trial, got, ids)
		}
	}
}

// TestImportExpandEnvCapped: `import --expand-env` with a 100 KB variable
// used throughout a small Dex file stops with a clear error at the cap of
// an input, and writes nothing. Before, it expanded without bound (out of
// memory at 3.7 GB for a 20 KB file).
func TestImportExpandEnvCapped(t *testing.T) {
	inDir(t, "values.yaml")
	var b strings.Builder
	b.WriteString("connectors:\n- type: oidc\n  id: big\n  name: Big\n  config:\n    issuer: https://big.example.com/\n    clientID: $BIG\n")
	for i := range 200 {
		fmt.Fprintf(&b, "    k%d: $BIG\n", i)
	}
	writeFile(t, "dex.yaml", b.String())
	before := snap(t, "values.yaml")
	r := runIn(nil, map[string]string{"BIG": strings.Repeat("x", 100<<10)}, "import", "--from", "dex", "--expand-env", "-f", "values.yaml", "--in-place", "dex.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "expanding $BIG makes the connectors' values larger than 16 MiB") || !strings.HasSuffix(r.stderr, "nothing was written\n") {
		t.Errorf("exit %d, stderr %.300q", r.code, r.stderr)
	}
	before.unchanged(t)
}

// TestSetSecretTouchesOnlyTheSecret: set-secret changes the bytes of the
// secret's value and no other: `no` and `yes` stay as written (Helm reads
// them as false and true, the same values), as do the key order, quoting
// and comments at the end of lines. Before, the whole entry was written
// anew: `insecureSkipEmailVerified: no` became `false`, and keys moved.
func TestSetSecretTouchesOnlyTheSecret(t *testing.T) {
	inDir(t)
	const before = `proxy:
  host: pachyderm.example.com
  tls:
    enabled: true
oidc:
  upstreamIDPs:
    - type: oidc
      id: okta
      name: 'Acme Okta'
      config:
        redirectURI: https://pachyderm.example.com/dex/callback  # the proxy
        issuer: https://acme.okta.com
        insecureSkipEmailVerified: no
        clientID: "0oa1b2c3d4e5f6g7h8i9"
        clientSecret: old-okta-secret
        insecureEnableGroups: yes
        scopes: [openid, groups]
`
	writeFile(t, "values.yaml", before)
	r := runIn(nil, map[string]string{"NEW_SECRET": canarySecret}, "set-secret", "okta", "-f", "values.yaml", "--client-secret-env", "NEW_SECRET", "--in-place")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, redactLine(r.stderr))
	}
	got, err := os.ReadFile("values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(before, "old-okta-secret", canarySecret, 1); string(got) != want {
		t.Errorf("bytes outside the secret changed:\n%s", strings.ReplaceAll(string(got), canarySecret, "<new secret>"))
	}
}

// TestLookalikeKeyRefused: `add` on a values file whose oidc key is written
// with a Cyrillic о refuses, naming the line and the character, and writes
// nothing; validate reports it as an error at that line. Before, add
// appended a second oidc: and exited 0, and validate said nothing of it.
func TestLookalikeKeyRefused(t *testing.T) {
	inDir(t, "values.yaml")
	data, err := os.ReadFile("values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "values.yaml", strings.Replace(string(data), "\noidc:", "\n\u043eidc:", 1))
	line := 1 + strings.Count(string(data)[:strings.Index(string(data), "\noidc:")+1], "\n")
	before := snap(t, "values.yaml")
	r := pachidpRun(t, "", "add", "auth0", "-f", "values.yaml", "--in-place", "--domain", "acme.us.auth0.com", "--client-id", "abc",
		"--client-secret-env", secretEnv, "--insecure-skip-email-verified=false")
	want := fmt.Sprintf("values.yaml:%d:1: \u043eidc: the key \"\u043eidc\" looks like oidc but is another key: it holds U+043E (a Cyrillic letter) at character 1", line)
	if r.code != exitUsage || !strings.Contains(r.stderr, want) || !strings.HasSuffix(r.stderr, "nothing was written\n") {
		t.Errorf("add: exit %d, stderr %q, want %q", r.code, r.stderr, want)
	}
	before.unchanged(t)
	r = pachidpRun(t, "", "validate", "-f", "values.yaml")
	if r.code != exitFindings || !strings.Contains(r.stdout+r.stderr, fmt.Sprintf("values.yaml:%d:1: error: \u043eidc: the key \"\u043eidc\" looks like oidc", line)) ||
		!strings.Contains(r.stdout+r.stderr, "[lookalike-key]") {
		t.Errorf("validate: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
