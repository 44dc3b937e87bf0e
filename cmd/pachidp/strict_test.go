package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

// TestAddThenStrict: what `pachidp add PRESET` writes with its defaults
// passes `pachidp validate --strict`, for every preset, into Pachyderm's own
// values file (the shared fixture, when present) and into a minimal one,
// each with a layer that gives the host, TLS and a license as a production
// cluster has them.
//
// The presets write insecureSkipEmailVerified: false where the provider
// sends email_verified (Auth0, Okta, Keycloak, Google; the generic oidc
// preset too). Microsoft Entra ID's v2.0 tokens carry no email_verified, so
// there false makes Dex refuse every login ("missing \"email_verified\"
// claim", connector/oidc/oidc.go): `add entra` writes true and warns, and
// --strict fails until the risk is acknowledged. add does not write the
// acknowledgement itself: the editor writes values, not comments, and the
// reason (how sign-in is restricted at the provider) is the user's to
// state. The test runs the two ways the README gives: a `# pachidp:ignore`
// comment on the key's line, and --ignore.
func TestAddThenStrict(t *testing.T) {
	const layer = "proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: pachyderm-tls\npachd:\n  enterpriseLicenseKey: license-from-a-secret\n"
	bases := map[string]string{
		"minimal": "oidc:\n  mockIDP: true\n  upstreamIDPs: []\n",
		"chart":   string(fixtures.Read(t, "values-2.11.x.yaml")),
	}
	presets := []struct {
		name string
		args []string
		ack  bool // the default needs an acknowledged warning
	}{
		{"auth0", []string{"auth0", "--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks"}, false},
		{"okta", []string{"okta", "--domain", "acme.okta.com", "--client-id", "0oa9"}, false},
		{"keycloak", []string{"keycloak", "--host", "keycloak.example.com", "--realm", "pachyderm", "--client-id", "pachyderm"}, false},
		{"google", []string{"google", "--client-id", "123-abc.apps.googleusercontent.com"}, false},
		{"oidc", []string{"oidc", "--issuer", "https://sso.acme.com", "--id", "acme", "--name", "Acme SSO", "--client-id", "pachyderm"}, false},
		{"entra", []string{"entra", "--tenant-id", "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c", "--client-id", "1b2c3d4e-0000-4000-8000-000000000001"}, true},
	}
	for base, doc := range bases {
		for _, p := range presets {
			t.Run(base+"/"+p.name, func(t *testing.T) {
				t.Chdir(t.TempDir())
				writeFile(t, "values.yaml", doc)
				writeFile(t, "prod.yaml", layer)
				args := append(append([]string{"add"}, p.args...), "-f", "values.yaml", "-f", "prod.yaml",
					"--client-secret-env", secretEnv, "--disable-mock-idp", "--in-place")
				if r := pachidpRun(t, "", args...); r.code != 0 {
					t.Fatalf("pachidp add %s: exit %d\n%s", p.name, r.code, r.stderr)
				}
				strict := []string{"validate", "--strict", "-f", "values.yaml", "-f", "prod.yaml"}
				r := pachidpRun(t, "", strict...)
				if !p.ack {
					if r.code != 0 {
						t.Fatalf("validate --strict after add %s: exit %d\n%s", p.name, r.code, r.stderr)
					}
					return
				}
				if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "[insecure-skip-email-verified]") {
					t.Fatalf("validate --strict after add %s: exit %d, want 1 with insecure-skip-email-verified\n%s%s", p.name, r.code, r.stdout, r.stderr)
				}
				if r := pachidpRun(t, "", append(strict, "--ignore", "insecure-skip-email-verified")...); r.code != 0 {
					t.Errorf("validate --strict --ignore insecure-skip-email-verified: exit %d\n%s%s", r.code, r.stdout, r.stderr)
				}
				data, err := os.ReadFile("values.yaml")
				if err != nil {
					t.Fatal(err)
				}
				key := regexp.MustCompile(`(?m)^ +insecureSkipEmailVerified: true$`)
				if n := len(key.FindAllIndex(data, -1)); n != 1 {
					t.Fatalf("add %s wrote %d insecureSkipEmailVerified: true lines, want 1", p.name, n)
				}
				acked := key.ReplaceAllString(string(data),
					"$0 # pachidp:ignore insecure-skip-email-verified Entra ID sends no email_verified; sign-in needs assignment")
				writeFile(t, "values.yaml", acked)
				if r := pachidpRun(t, "", strict...); r.code != 0 {
					t.Errorf("validate --strict with the ignore comment: exit %d\n%s%s", r.code, r.stdout, r.stderr)
				}
			})
		}
	}
}
