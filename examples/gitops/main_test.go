package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/goldentest"

	"github.com/pachidp/pachidp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// testSecret stands for a real secret: tests never print it.
const testSecret = "real-Looking-Secret-0123456789"

// golden compares got with testdata/<name> (goldentest.Check), the values
// of secret keys hidden in a failure.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update, func(l string) string {
		return string(pachidp.RedactText([]byte(l)))
	})
}

func env(name string) string {
	if name == "AUTH0_CLIENT_SECRET" {
		return testSecret
	}
	return ""
}

// emptyDir fails the test when dir holds anything.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range left {
		t.Errorf("left behind in the temporary folder: %s", f.Name())
	}
}

func TestRunExample(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr, env); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	golden(t, "diff.golden", stdout.Bytes())
	if strings.Contains(stdout.String(), exampleSecret) {
		t.Error("the diff shows the client secret")
	}
	// The Auth0 preset writes insecureSkipEmailVerified: false (Auth0 sends
	// email_verified), so the entry has nothing to warn about.
	if strings.Contains(stderr.String(), "warning:") {
		t.Errorf("stderr %q has a warning", &stderr)
	}
	emptyDir(t, tmp)
}

// wantAuth0 is the entry upsertAuth0 must write for the sample.
func wantAuth0(t *testing.T, secret string) pachidp.UpstreamIDP {
	t.Helper()
	e, err := pachidp.Auth0{Domain: exampleDomain, ClientID: exampleClientID, ClientSecret: secret, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestUpsertAuth0 checks the file: the entry's lines are inserted after the
// last entry, every other byte stays, and the diff shows exactly those lines.
func TestUpsertAuth0(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	before := []byte(sampleValues)
	if err := os.WriteFile(path, before, 0o640); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	a := pachidp.Auth0{Domain: exampleDomain, ClientID: exampleClientID, ClientSecret: testSecret}
	if err := upsertAuth0(path, a, &warn); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	// The new file is the old one with whole lines inserted after the okta entry.
	at := strings.Index(sampleValues, "groups]\n") + len("groups]\n")
	n := len(after) - len(before)
	if n <= 0 || !bytes.Equal(after[:at], before[:at]) || !bytes.Equal(after[at+n:], before[at:]) {
		t.Fatalf("the file changed outside the inserted entry:\n%s", diff("values.yaml", before, after))
	}
	inserted := after[at : at+n]
	got, err := pachidp.DecodeUpstreamIDPs(inserted)
	if err != nil {
		t.Fatalf("the inserted lines are not a list item: %v", err)
	}
	if g, _ := pachidp.UpstreamIDPFromMap(got[0].Map()); len(got) != 1 || !reflect.DeepEqual(g, wantAuth0(t, testSecret)) {
		t.Errorf("inserted entries differ:\n got %v\nwant %v", got, wantAuth0(t, testSecret)) // %v redacts
	}
	if !strings.HasPrefix(string(inserted), "    - type: oidc\n      id: auth0\n") {
		t.Errorf("the entry is not written in the file's style (4-space indented items, guide's key order):\n%s", strings.ReplaceAll(string(inserted), testSecret, "SECRET"))
	}

	// The diff shows the inserted lines, and only them, with the secret redacted.
	d := diff("values.yaml", before, after)
	if strings.Contains(d, testSecret) {
		t.Fatal("the diff shows the client secret")
	}
	want := "--- a/values.yaml\n+++ b/values.yaml\n@@ -26,0 +27,11 @@\n"
	for _, line := range strings.SplitAfter(string(inserted), "\n")[:11] {
		want += "+" + strings.Replace(line, testSecret, pachidp.Redacted, 1)
	}
	if d != want {
		t.Errorf("diff:\n%s\nwant:\n%s", d, want)
	}

	// The file keeps its permissions; no temporary file is left; a second run changes nothing.
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode after the edit: %v, %v; want -rw-r-----", info.Mode(), err)
	}
	if err := upsertAuth0(path, a, &warn); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, after) {
		t.Error("upserting the same entry again changed the file")
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("the folder holds %d files, want values.yaml alone", len(left))
	}
	if strings.Contains(warn.String(), testSecret) {
		t.Error("a warning shows the client secret")
	}
}

// TestUpsertAuth0Refuses checks that a file is left byte for byte as it was
// when the entry cannot be written.
func TestUpsertAuth0Refuses(t *testing.T) {
	tests := []struct {
		name   string
		values string
		want   string // part of the error
	}{
		{"no proxy.host", strings.Replace(sampleValues, "  host: pachyderm.acme.com   # Console and pachd are reached here\n", "", 1),
			"values.yaml: proxy.host: empty"},
		{"okta redirect to another host", strings.Replace(sampleValues, "https://pachyderm.acme.com/dex/callback", "https://old.acme.com/dex/callback", 1),
			"oidc.upstreamIDPs[0].config.redirectURI (line 23)"},
		{"not YAML", "oidc: [\n", "values.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "values.yaml")
			if err := os.WriteFile(path, []byte(tt.values), 0o600); err != nil {
				t.Fatal(err)
			}
			var warn bytes.Buffer
			err := upsertAuth0(path, pachidp.Auth0{Domain: exampleDomain, ClientID: exampleClientID, ClientSecret: testSecret}, &warn)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Error("the error shows the client secret")
			}
			if got, _ := os.ReadFile(path); string(got) != tt.values {
				t.Error("the file changed")
			}
			if left, _ := os.ReadDir(dir); len(left) != 1 {
				t.Errorf("the folder holds %d files, want values.yaml alone", len(left))
			}
		})
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, before, after, want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"insert first", "b\n", "a\nb\n", "@@ -0,0 +1,1 @@\n+a\n"},
		{"insert last", "a\n", "a\nb\n", "@@ -1,0 +2,1 @@\n+b\n"},
		{"replace", "a\nb\nc\n", "a\nB\nc\n", "@@ -2,1 +2,1 @@\n-b\n+B\n"},
		{"remove", "a\nb\nc\n", "a\nc\n", "@@ -2,1 +1,0 @@\n-b\n"},
		{"secret", "a\n", "a\n  - clientSecret: s3cr3t\n  bindPW: s3cr3t # x\n", "@@ -1,0 +2,2 @@\n+  - clientSecret: REDACTED\n+  bindPW: REDACTED\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want != "" {
				want = "--- a/f\n+++ b/f\n" + want
			}
			if got := diff("f", []byte(tt.before), []byte(tt.after)); got != want {
				t.Errorf("diff:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of stderr
	}{
		{"unknown flag", []string{"-values", "x"}, "flag provided but not defined: -values"},
		{"argument", []string{"values.yaml"}, `unexpected argument "values.yaml"`},
		{"unset variable", []string{"-client-secret-env", "UNSET"}, "environment variable UNSET is unset or empty"},
		{"http domain", []string{"-domain", "http://acme.us.auth0.com", "-client-secret-env", "AUTH0_CLIENT_SECRET"}, `Domain: "http://acme.us.auth0.com" uses http`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr, env); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout is not empty on error: %d bytes", stdout.Len())
			}
			if strings.Contains(stderr.String(), testSecret) {
				t.Fatal("stderr shows the client secret (output withheld)")
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not contain %q", &stderr, tt.want)
			}
		})
	}
}

// TestCommand builds the example and runs it with no arguments.
func TestCommand(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH to build the example with")
	}
	bin := filepath.Join(t.TempDir(), "gitops")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tmp := t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v, stderr: %s", err, &stderr)
	}
	golden(t, "diff.golden", stdout.Bytes())
	emptyDir(t, tmp)
}
