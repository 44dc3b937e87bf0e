package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp"
)

// testSecret stands for a real secret: tests never print it.
const testSecret = "real-Looking-Secret-0123456789"

// decodeValues reads the command's output as a values file and returns its
// oidc.upstreamIDPs entries.
func decodeValues(t *testing.T, out []byte) []pachidp.UpstreamIDP {
	t.Helper()
	var values struct {
		OIDC struct {
			UpstreamIDPs yaml.Node `yaml:"upstreamIDPs"`
		} `yaml:"oidc"`
	}
	if err := yaml.Unmarshal(out, &values); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	list, err := yaml.Marshal(&values.OIDC.UpstreamIDPs)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := pachidp.DecodeUpstreamIDPs(list)
	if err != nil {
		t.Fatalf("oidc.upstreamIDPs does not decode: %v", err)
	}
	return idps
}

// wantEntry is the guide's entry for the given values.
func wantEntry(t *testing.T, domain, clientID, secret, proxyHost string) pachidp.UpstreamIDP {
	t.Helper()
	e, err := pachidp.Auth0{Domain: domain, ClientID: clientID, ClientSecret: secret, ProxyHost: proxyHost}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sameEntry compares entries; a difference is reported with secrets redacted.
func sameEntry(t *testing.T, got []pachidp.UpstreamIDP, want pachidp.UpstreamIDP) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("got %d entries, want 1", len(got))
	}
	g, _ := pachidp.UpstreamIDPFromMap(got[0].Map()) // drop positions
	if !reflect.DeepEqual(g, want) {
		t.Errorf("entry differs:\n got %v\nwant %v", got[0], want)
	}
}

func noEnv(string) string { return "" }

func TestRunExample(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	if !strings.HasPrefix(stdout.String(), "oidc:\n  upstreamIDPs:\n  - type: oidc\n    id: auth0\n") {
		t.Errorf("output does not start with the guide's values:\n%s", &stdout)
	}
	sameEntry(t, decodeValues(t, stdout.Bytes()), wantEntry(t, "acme.us.auth0.com", exampleClientID, exampleSecret, "pachyderm.acme.com"))
	if !strings.Contains(stderr.String(), "fake secret") {
		t.Errorf("stderr does not warn that the secret is the example's: %q", &stderr)
	}
}

func TestRunFlags(t *testing.T) {
	getenv := func(name string) string {
		if name == "AUTH0_CLIENT_SECRET" {
			return testSecret
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	args := []string{"-domain", "https://login.example.org/", "-client-id", "abcDEF123",
		"-client-secret-env", "AUTH0_CLIENT_SECRET", "-proxy-host", "pach.example.org:8443"}
	if code := run(args, &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr is not empty: %q", &stderr)
	}
	sameEntry(t, decodeValues(t, stdout.Bytes()), wantEntry(t, "login.example.org", "abcDEF123", testSecret, "pach.example.org:8443"))
}

func TestRunErrors(t *testing.T) {
	env := map[string]string{"NEWLINE_SECRET": testSecret + "\n", "GOOD": testSecret}
	getenv := func(name string) string { return env[name] }
	tests := []struct {
		name string
		args []string
		code int
		want []string // parts of stderr
	}{
		{"unknown flag", []string{"-secret", "x"}, 2, []string{"flag provided but not defined: -secret", "usage: auth0"}},
		{"argument", []string{"acme.us.auth0.com"}, 2, []string{`unexpected argument "acme.us.auth0.com": every value is passed with a flag`}},
		{"unset variable", []string{"-client-secret-env", "AUTH0_CLIENT_SECRET"}, 2, []string{"environment variable AUTH0_CLIENT_SECRET is unset or empty"}},
		{"empty variable name", []string{"-client-secret-env="}, 2, []string{"-client-secret-env is empty: pass the name"}},
		{"secret with newline", []string{"-client-secret-env", "NEWLINE_SECRET"}, 2, []string{"the client secret (-client-secret-env): has leading or trailing white space", "trim it"}},
		{"http domain", []string{"-domain", "http://acme.us.auth0.com", "-client-secret-env", "GOOD"}, 2, []string{"-domain:", "requires https"}},
		{"domain with path", []string{"-domain", "acme.us.auth0.com/authorize"}, 2, []string{"-domain:", `pass the host alone, such as "acme.us.auth0.com"`}},
		{"empty client id", []string{"-client-id", ""}, 2, []string{"-client-id: empty"}},
		{"proxy host with path", []string{"-proxy-host", "pachyderm.acme.com/dex/callback"}, 2, []string{"-proxy-host:"}},
		{"help", []string{"-h"}, 0, []string{"usage: auth0", "-client-secret-env"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr, getenv)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout is not empty on error: %d bytes", stdout.Len())
			}
			if strings.Contains(stderr.String(), strings.TrimSpace(testSecret)) {
				t.Fatal("stderr shows the client secret (output withheld)")
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr %q does not contain %q", &stderr, w)
				}
			}
		})
	}
}

// TestCommand builds the command and runs it as a user would.
func TestCommand(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH to build the example with")
	}
	bin := filepath.Join(t.TempDir(), "auth0")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PACHIDP_TEST_SECRET="+testSecret)
	cmd.Args = append(cmd.Args, "-client-secret-env", "PACHIDP_TEST_SECRET")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v, stderr: %s", err, &stderr)
	}
	sameEntry(t, decodeValues(t, out), wantEntry(t, exampleDomain, exampleClientID, testSecret, exampleProxyHost))

	cmd = exec.Command(bin, "-client-secret-env", "PACHIDP_TEST_UNSET_VARIABLE")
	cmd.Env = os.Environ()
	stderr.Reset()
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("with an unset variable: err = %v, want exit status 2", err)
	}
	if len(out) != 0 || !strings.Contains(stderr.String(), "PACHIDP_TEST_UNSET_VARIABLE is unset") {
		t.Errorf("with an unset variable: stdout %d bytes, stderr %q", len(out), &stderr)
	}
}
