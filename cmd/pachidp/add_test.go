package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
)

const secretEnv = "AUTH0_CLIENT_SECRET" // holds "s3cr3t-From-Env" in testEnv

// entryOf returns the entry with the given id of a values document.
func entryOf(t *testing.T, doc, id string) pachidp.UpstreamIDP {
	t.Helper()
	v, err := pachidp.OpenDocument([]byte(doc))
	if err != nil {
		t.Fatalf("the output is not a values document: %v", err)
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range idps {
		if e.ID == id {
			out, err := pachidp.UpstreamIDPFromMap(e.Map()) // without positions
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	t.Fatalf("no entry %q in the output", id)
	return pachidp.UpstreamIDP{}
}

// TestAddPresets adds an entry of every provider, compares it with the
// library's preset built from the same values, and the whole output with a
// golden file: the old lines stay, the entry is appended.
func TestAddPresets(t *testing.T) {
	host := "pachyderm.example.com"
	secret := testEnv[secretEnv]
	tests := []struct {
		name string
		args []string
		want func() (pachidp.UpstreamIDP, error)
	}{
		{"auth0", []string{"auth0", "--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks"},
			pachidp.Auth0{Domain: "acme.us.auth0.com", ClientID: "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks", ClientSecret: secret, ProxyHost: host}.UpstreamIDP},
		{"okta", []string{"okta", "--domain", "acme.okta.com", "--authorization-server", "default", "--client-id", "0oa9", "--id", "okta-default"},
			pachidp.Okta{Domain: "acme.okta.com", AuthorizationServerID: "default", ClientID: "0oa9", ClientSecret: secret, ProxyHost: host, ID: "okta-default"}.UpstreamIDP},
		{"keycloak", []string{"keycloak", "--host", "keycloak.example.com", "--realm", "pachyderm", "--base-path", "/auth", "--client-id", "pachyderm", "--name", "Corp Keycloak"},
			pachidp.Keycloak{Host: "keycloak.example.com", Realm: "pachyderm", BasePath: "/auth", ClientID: "pachyderm", ClientSecret: secret, ProxyHost: host, Name: "Corp Keycloak"}.UpstreamIDP},
		{"entra", []string{"entra", "--tenant-id", "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c", "--client-id", "1b2c3d4e-0000-4000-8000-000000000001"},
			pachidp.EntraID{TenantID: "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c", ClientID: "1b2c3d4e-0000-4000-8000-000000000001", ClientSecret: secret, ProxyHost: host}.UpstreamIDP},
		{"entraid", []string{"entraid", "--tenant-id", "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c", "--client-id", "1b2c3d4e-0000-4000-8000-000000000001"},
			pachidp.EntraID{TenantID: "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c", ClientID: "1b2c3d4e-0000-4000-8000-000000000001", ClientSecret: secret, ProxyHost: host}.UpstreamIDP},
		{"google", []string{"google", "--client-id", "123-abc.apps.googleusercontent.com", "--insecure-skip-email-verified=false"},
			pachidp.Google{ClientID: "123-abc.apps.googleusercontent.com", ClientSecret: secret, ProxyHost: host, InsecureSkipEmailVerified: new(false)}.UpstreamIDP},
		{"oidc", []string{"oidc", "--issuer", "https://idp.example.com/oidc", "--client-id", "pachyderm", "--id", "corp-sso", "--name", "Corp SSO",
			"--insecure-enable-groups=false", "--insecure-skip-issuer-callback-domain-check"},
			pachidp.GenericOIDC{Issuer: "https://idp.example.com/oidc", ClientID: "pachyderm", ClientSecret: secret, ProxyHost: host, ID: "corp-sso", Name: "Corp SSO",
				InsecureEnableGroups: new(false), InsecureSkipIssuerCallbackDomainCheck: new(true)}.UpstreamIDP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, "values.yaml")
			before := snap(t, "values.yaml")
			args := append([]string{"add"}, tt.args...)
			args = append(args, "-f", "values.yaml", "--client-secret-env", secretEnv)
			r := pachidpRun(t, "", args...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			before.unchanged(t) // no --in-place
			want, err := tt.want()
			if err != nil {
				t.Fatal(err)
			}
			if got := entryOf(t, r.stdout, want.ID); !reflect.DeepEqual(got, want) {
				t.Errorf("entry:\n got %v\nwant %v", got, want)
			}
			if !strings.HasPrefix(r.stdout, string(before.data)) {
				t.Errorf("the lines before the new entry changed")
			}
			if !strings.Contains(r.stderr, "added entry") {
				t.Errorf("stderr does not say what happened: %q", r.stderr)
			}
			golden(t, "add-"+tt.name+".golden", r.stdout[len(before.data):])
		})
	}
}

// TestAddInPlace replaces an entry in place: only its lines change, the
// file keeps its mode, and adding it again changes nothing, not even the
// modification time.
func TestAddInPlace(t *testing.T) {
	inDir(t, "values.yaml")
	if err := os.Chmod("values.yaml", 0o640); err != nil {
		t.Fatal(err)
	}
	args := []string{"add", "okta", "-f", "values.yaml", "--in-place", "--domain", "acme.okta.com", "--client-id", "0oa1b2c3d4e5f6g7h8i9",
		"--client-secret-file", "secret.txt", "--id", "okta", "--name", "Okta SSO"}
	writeFile(t, "secret.txt", "s3cr3t-From-File\n")
	r := pachidpRun(t, "", args...)
	if r.code != exitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}
	if !strings.Contains(r.stderr, `values.yaml: updated entry "okta" (config.clientSecret changed, name Okta -> Okta SSO; its other keys kept)`) {
		t.Errorf("stderr %q", r.stderr)
	}
	after := snap(t, "values.yaml")
	golden(t, "add-replace.golden", string(after.data))
	if st, _ := os.Stat("values.yaml"); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	e := entryOf(t, string(after.data), "okta")
	if e.OIDC.ClientSecret != "s3cr3t-From-File" {
		t.Errorf("the client secret was not read from the file without its newline")
	}
	r = pachidpRun(t, "", args...)
	if r.code != exitOK || !strings.Contains(r.stderr, `kept (unchanged) entry "okta"`) {
		t.Errorf("again: exit %d, stderr %q", r.code, r.stderr)
	}
	after.unchanged(t)
}

func TestAddSecretFromStdin(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "s3cr3t-From-File\r\n", "add", "google", "-f", "values.yaml", "--client-id", "1.apps.googleusercontent.com", "--client-secret-file", "-")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if entryOf(t, r.stdout, "google").OIDC.ClientSecret != "s3cr3t-From-File" {
		t.Errorf("the client secret read from standard input differs")
	}
}

func TestAddDisableMockIDP(t *testing.T) {
	inDir(t)
	writeFile(t, "values.yaml", "proxy:\n  host: pachyderm.example.com\noidc:\n  mockIDP: true\n")
	r := pachidpRun(t, "", "add", "google", "-f", "values.yaml", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv, "--disable-mock-idp")
	if r.code != exitOK || !strings.Contains(r.stdout, "  mockIDP: false\n") {
		t.Errorf("exit %d, stderr %q, output:\n%s", r.code, r.stderr, redactLine(r.stdout))
	}
}

// TestAddErrors checks bad input to add: one line on standard error naming
// the flag (never the secret), the exit status, nothing on standard output,
// the values file untouched.
func TestAddErrors(t *testing.T) {
	auth0 := []string{"add", "auth0", "-f", "values.yaml", "--in-place", "--domain", "acme.us.auth0.com", "--client-id", "abc"}
	with := func(extra ...string) []string { return append(append([]string{}, auth0...), extra...) }
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no provider", []string{"add", "-f", "values.yaml"}, 2, "which provider? pass one of auth0, okta, keycloak, entra, google, oidc"},
		{"unknown provider", []string{"add", "autho", "-f", "values.yaml"}, 2, `unknown provider "autho": did you mean "auth0"?`},
		{"two providers", []string{"add", "auth0", "okta"}, 2, `1 unexpected argument after the provider, not repeated here`},
		{"flag of another provider", with("--realm", "x", "--client-secret-env", secretEnv), 2, "--realm is not a flag of auth0, which takes --domain"},
		{"google takes no provider flag", []string{"add", "google", "--domain", "x"}, 2, "--domain is not a flag of google, which takes no provider flag"},
		{"oidc without id", []string{"add", "oidc", "-f", "values.yaml", "--issuer", "https://idp.example.com", "--client-id", "x", "--client-secret-env", secretEnv}, 2, "oidc needs --id and --name"},
		{"secret flag", with("--client-secret", "s3cr3t-From-Env"), 2, "--client-secret is not accepted: a secret on the command line ends up in the shell's history"},
		{"secret flag with =", with("--client-secret=s3cr3t-From-Env"), 2, "--client-secret is not accepted"},
		{"secret flag, one dash", with("-client-secret", "s3cr3t-From-Env"), 2, "--client-secret is not accepted"},
		{"no secret", with(), 2, "the client secret is needed: pass --client-secret-env VAR"},
		{"two secrets", with("--client-secret-env", secretEnv, "--client-secret-file", "x"), 2, "not both"},
		{"unset variable", with("--client-secret-env", "NOPE"), 2, "environment variable NOPE is unset or empty"},
		{"secret as variable name", with("--client-secret-env", "s3cr3t-From-Env"), 2, "takes the name of an environment variable"},
		{"missing secret file", with("--client-secret-file", "s3cr3t-From-File"), 2, "--client-secret-file: cannot read the file: no such file or directory"},
		{"empty secret file", with("--client-secret-file", "empty.txt"), 2, "--client-secret-file: the file is empty"},
		{"two-line secret file", with("--client-secret-file", "two-lines.txt"), 2, "the file holds several lines"},
		{"secret with spaces", with("--client-secret-file", "spaces.txt"), 2, "--client-secret-file: the client secret in the file has white space before or after it"},
		{"http domain", []string{"add", "auth0", "-f", "values.yaml", "--in-place", "--domain", "http://acme.us.auth0.com", "--client-id", "x", "--client-secret-env", secretEnv}, 2,
			`--domain: "http://acme.us.auth0.com" uses http`},
		{"okta issuer as domain", []string{"add", "okta", "-f", "values.yaml", "--in-place", "--domain", "https://acme.okta.com/oauth2/default", "--client-id", "x", "--client-secret-env", secretEnv}, 2,
			`--domain: "https://acme.okta.com/oauth2/default" includes an authorization server: pass --domain "acme.okta.com" and --authorization-server "default"`},
		{"keycloak issuer as host", []string{"add", "keycloak", "-f", "values.yaml", "--in-place", "--host", "https://kc.example.com/realms/pach", "--client-id", "x", "--client-secret-env", secretEnv}, 2,
			`--host: "https://kc.example.com/realms/pach" is an issuer URL: pass --host "kc.example.com" and --realm "pach"`},
		{"entra bad tenant", []string{"add", "entra", "-f", "values.yaml", "--in-place", "--tenant-id", "common", "--client-id", "x", "--client-secret-env", secretEnv}, 2, `--tenant-id: "common" is a multi-tenant endpoint`},
		{"empty client id", []string{"add", "google", "-f", "values.yaml", "--in-place", "--client-secret-env", secretEnv}, 2, "--client-id: empty"},
		{"proxy host differs from the file", with("--client-secret-env", secretEnv, "--proxy-host", "other.example.com"), 1,
			`oidc.upstreamIDPs[1].config.redirectURI: host "other.example.com" is not the callback's: use "https://pachyderm.example.com/dex/callback"`},
		{"bad proxy host", with("--client-secret-env", secretEnv, "--proxy-host", "https://x.example.com/path"), 2, "--proxy-host (or the file's host): "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, "values.yaml")
			writeFile(t, "empty.txt", "\n")
			writeFile(t, "two-lines.txt", "s3cr3t-From-File\nmore\n")
			writeFile(t, "spaces.txt", "s3cr3t-From-File \n")
			before := snap(t, "values.yaml")
			r := pachidpRun(t, "", tt.args...)
			if r.code != tt.code || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want exit %d and %q", r.code, len(r.stdout), redactLine(r.stderr), tt.code, tt.want)
			}
			if tt.code == exitUsage && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", strings.Count(r.stderr, "\n"), r.stderr)
			}
			before.unchanged(t)
		})
	}
}

func TestAddHostFromFile(t *testing.T) {
	tests := []struct {
		name, doc string
		extra     []string
		redirect  string // "" for a usage error
		stderr    string
	}{
		// A leftover ingress.host is not used while ingress.enabled is false
		// (chart 2.3 and later): the proxy's host is.
		{"ingress disabled", "proxy:\n  host: p.example.com\ningress:\n  host: i.example.com:8443\n", nil, "https://p.example.com/dex/callback", ""},
		{"ingress enabled", "proxy:\n  host: p.example.com\ningress:\n  enabled: true\n  host: i.example.com:8443\n", nil, "https://i.example.com:8443/dex/callback", ""},
		{"issuerURI with /dex", "oidc:\n  issuerURI: https://o.example.com/dex\n", nil, "https://o.example.com/dex/callback", ""},
		{"custom issuerURI path, proxy off", "proxy:\n  enabled: false\noidc:\n  issuerURI: https://o.example.com/auth/pachyderm\n", nil,
			"https://o.example.com/auth/pachyderm/callback", "redirectURI: https://o.example.com/auth/pachyderm/callback, Dex's issuer from oidc.issuerURI + /callback"},
		{"no host", "", nil, "", "--proxy-host is needed: empty.yaml sets no host chart 2.12 builds Dex's issuer from (it renders the in-cluster http://pachd:30658/dex"},
		{"proxy host ignored by 2.3.0", "proxy:\n  enabled: true\n  host: p.example.com\n", []string{"--chart-version", "2.3.0"}, "", "sets no host chart 2.3.0-2.3.5 builds Dex's issuer from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t)
			writeFile(t, "empty.yaml", tt.doc)
			args := append([]string{"add", "google", "-f", "empty.yaml", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv}, tt.extra...)
			r := pachidpRun(t, "", args...)
			if tt.redirect == "" {
				if r.code != exitUsage || !strings.Contains(r.stderr, tt.stderr) {
					t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.stderr)
				}
				return
			}
			if r.code != exitOK || entryOf(t, r.stdout, "google").OIDC.RedirectURI != tt.redirect || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q: want the redirect URI %s", r.code, r.stderr, tt.redirect)
			}
		})
	}
	inDir(t)
	writeFile(t, "empty.yaml", "")
	r := pachidpRun(t, "", "add", "google", "-f", "empty.yaml", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", secretEnv, "--proxy-host", "p.example.com")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "oidc:\n  upstreamIDPs:\n") {
		t.Errorf("empty file: exit %d, stderr %q", r.code, r.stderr)
	}
}
