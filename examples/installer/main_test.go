package main

import (
	"bytes"
	"flag"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/goldentest"

	"gopkg.in/yaml.v3"

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

func TestRunExample(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr, env); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	golden(t, "values.golden", stdout.Bytes())
	if strings.Contains(stdout.String(), exampleSecret) {
		t.Error("the printed values hold the client secret")
	}
	if !strings.Contains(stderr.String(), "fake client secret") {
		t.Errorf("stderr %q does not say the secret is the example's", &stderr)
	}
	// The Auth0 preset writes insecureSkipEmailVerified: false (Auth0 sends
	// email_verified), so the entry has nothing to warn about.
	if strings.Contains(stderr.String(), "warning:") {
		t.Errorf("stderr %q has a warning", &stderr)
	}
}

// TestInstallValues checks the map Helm would get: the defaults, the
// override and the entry with its real secret.
func TestInstallValues(t *testing.T) {
	var warn bytes.Buffer
	vals, err := installValues("login.example.org", "abc123", testSecret, "pach.example.org:8443", &warn)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pachidp.Auth0{Domain: "login.example.org", ClientID: "abc123", ClientSecret: testSecret, ProxyHost: "pach.example.org:8443"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	got, err := pachidp.HelmValues(vals).UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("oidc.upstreamIDPs differs:\n got %v\nwant %v", got, want) // %v redacts
	}
	if host := vals["proxy"].(map[string]any)["host"]; host != "pach.example.org:8443" {
		t.Errorf("proxy.host = %v, want the override", host)
	}
	if vals["oidc"].(map[string]any)["mockIDP"] != false || vals["deployTarget"] != "LOCAL" {
		t.Errorf("defaults lost: oidc.mockIDP = %v, deployTarget = %v", vals["oidc"].(map[string]any)["mockIDP"], vals["deployTarget"])
	}
	if strings.Contains(warn.String(), testSecret) {
		t.Error("a warning shows the client secret")
	}
}

// TestRunRedacts checks that a real secret never reaches the output, and that
// everything else of the entry does.
func TestRunRedacts(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-client-secret-env", "AUTH0_CLIENT_SECRET"}, &stdout, &stderr, env); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	if strings.Contains(stdout.String()+stderr.String(), testSecret) {
		t.Fatal("the output shows the client secret")
	}
	var printed struct {
		OIDC struct {
			UpstreamIDPs []pachidp.UpstreamIDP `yaml:"upstreamIDPs"`
		} `yaml:"oidc"`
		Proxy struct {
			TLS struct {
				SecretName string `yaml:"secretName"`
			} `yaml:"tls"`
		} `yaml:"proxy"`
	}
	if err := yaml.Unmarshal(stdout.Bytes(), &printed); err != nil {
		t.Fatal(err)
	}
	want, _ := pachidp.Auth0{Domain: exampleDomain, ClientID: exampleClientID, ClientSecret: pachidp.Redacted, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if got := printed.OIDC.UpstreamIDPs; len(got) != 1 || !reflect.DeepEqual(got[0].Map(), want.Map()) {
		t.Errorf("printed entry differs:\n got %v\nwant %v", got, want)
	}
	if printed.Proxy.TLS.SecretName != "pachyderm-tls" {
		t.Errorf("proxy.tls.secretName = %q: only secrets are redacted, not names of Secrets", printed.Proxy.TLS.SecretName)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of stderr
	}{
		{"unknown flag", []string{"-secret", "x"}, "flag provided but not defined: -secret"},
		{"argument", []string{"acme.us.auth0.com"}, `unexpected argument "acme.us.auth0.com"`},
		{"unset variable", []string{"-client-secret-env", "UNSET"}, "environment variable UNSET is unset or empty"},
		{"http domain", []string{"-domain", "http://acme.us.auth0.com"}, "Domain: \"http://acme.us.auth0.com\" uses http"},
		{"proxy host with path", []string{"-proxy-host", "pachyderm.acme.com/dex"}, "proxy.host: "},
		{"empty client id", []string{"-client-id", "", "-client-secret-env", "AUTH0_CLIENT_SECRET"}, "ClientID: empty"},
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
	bin := filepath.Join(t.TempDir(), "installer")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v, stderr: %s", err, &stderr)
	}
	golden(t, "values.golden", stdout.Bytes())
}
