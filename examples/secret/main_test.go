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

	"github.com/pachidp/pachidp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// Stand-ins for real secrets: tests never print them.
const (
	auth0TestSecret = "real-Looking-Auth0-Secret-0123456789"
	oktaTestSecret  = "real-Looking-Okta-Secret-9876543210"
)

// golden compares got with testdata/<name> (goldentest.Check), the values
// of secret keys hidden in a failure.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update, func(l string) string {
		return string(pachidp.RedactText([]byte(l)))
	})
}

func env(name string) string {
	return map[string]string{"AUTH0_SECRET": auth0TestSecret, "OKTA_SECRET": oktaTestSecret}[name]
}

// split returns the two documents of the output: the manifest and the values.
func split(t *testing.T, out []byte) (manifest, values []byte) {
	t.Helper()
	m, v, ok := bytes.Cut(out, []byte("\n---\n"))
	if !ok || bytes.Contains(v, []byte("\n---\n")) {
		t.Fatalf("output is not two documents separated by ---")
	}
	return append(m, '\n'), v
}

// switchedSample is the sample with the inline list emptied and the Secret named.
func switchedSample(name string) string {
	list := strings.Index(sampleValues, "  upstreamIDPs:\n")
	mock := strings.Index(sampleValues, "  mockIDP: false\n")
	return sampleValues[:list] + "  upstreamIDPs: []\n" + sampleValues[mock:] + "  upstreamIDPsSecretName: " + name + "\n"
}

func TestRunExample(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr, env); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	golden(t, "output.golden", stdout.Bytes())
	_, values := split(t, stdout.Bytes())
	if string(values) != switchedSample(pachidp.DefaultUpstreamIDPsSecretName) {
		t.Errorf("values changed more than the list and the Secret name:\n%s", values)
	}
	if !strings.Contains(stderr.String(), `fake client secret "example-client-secret"`) {
		t.Errorf("stderr does not say the secret is fake: %q", &stderr)
	}
}

// TestRunSecrets checks both documents with secrets from the environment:
// the manifest holds the presets' entries, the values no secret.
func TestRunSecrets(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-name", "idps", "-namespace", "data", "-auth0-secret-env", "AUTH0_SECRET", "-okta-secret-env", "OKTA_SECRET"}
	if code := run(args, &stdout, &stderr, env); code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, &stderr)
	}
	if s := stderr.String(); strings.Contains(s, auth0TestSecret) || strings.Contains(s, oktaTestSecret) || strings.Contains(s, "fake") {
		t.Fatal("stderr shows a client secret or calls the real ones fake (output withheld)")
	}
	manifest, values := split(t, stdout.Bytes())

	sec, err := pachidp.DecodeSecretManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if sec.Name != "idps" || sec.Namespace != "data" {
		t.Errorf("Secret %s/%s, want data/idps", sec.Namespace, sec.Name)
	}
	got, err := sec.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	auth0, _ := pachidp.Auth0{Domain: auth0Domain, ClientID: auth0ClientID, ClientSecret: auth0TestSecret, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	okta, _ := pachidp.Okta{Domain: oktaDomain, ClientID: oktaClientID, ClientSecret: oktaTestSecret, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	want := []pachidp.UpstreamIDP{auth0, okta}
	for i := range got {
		got[i], _ = pachidp.UpstreamIDPFromMap(got[i].Map()) // drop positions
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Secret entries differ:\n got %v\nwant %v", got, want) // %v redacts
	}

	if string(values) != switchedSample("idps") {
		t.Errorf("values changed more than the list and the Secret name:\n%s", values)
	}
	v, err := pachidp.OpenDocument(values)
	if err != nil {
		t.Fatal(err)
	}
	if name, _, _ := v.Lookup("oidc.upstreamIDPsSecretName"); name != "idps" {
		t.Errorf("oidc.upstreamIDPsSecretName = %v, want idps", name)
	}
	if idps, err := v.UpstreamIDPs(); err != nil || len(idps) != 0 {
		t.Errorf("inline list: %d entries, %v; want none", len(idps), err)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of stderr
	}{
		{"unknown flag", []string{"-client-secret", "x"}, "flag provided but not defined: -client-secret"},
		{"argument", []string{"pachyderm"}, `unexpected argument "pachyderm"`},
		{"unset variable", []string{"-okta-secret-env", "UNSET"}, "environment variable UNSET is unset or empty"},
		{"bad name", []string{"-name", "Upstream_IDPs", "-auth0-secret-env", "AUTH0_SECRET"}, `UpstreamIDPsSecret.Name "Upstream_IDPs" is not a valid Kubernetes Secret name`},
		{"empty name", []string{"-name", "", "-okta-secret-env", "OKTA_SECRET"}, "oidc.upstreamIDPsSecretName: empty Secret name"},
		{"bad namespace", []string{"-namespace", "data.team"}, `UpstreamIDPsSecret.Namespace "data.team"`},
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
			if s := stderr.String(); strings.Contains(s, auth0TestSecret) || strings.Contains(s, oktaTestSecret) {
				t.Fatal("stderr shows a client secret (output withheld)")
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
	bin := filepath.Join(t.TempDir(), "secret")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v, stderr: %s", err, &stderr)
	}
	golden(t, "output.golden", stdout.Bytes())
}
