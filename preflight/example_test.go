package preflight_test

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/preflight"
)

// Run checks each oidc entry against its provider before a cluster
// starts. Here the provider is a TLS test server signed by its own CA, passed
// as RootCAs the way `pachidp check --ca-file` does. Its issuer has no
// trailing slash, so the second entry, which adds one, fails the issuer check
// and Dex refuses to open it.
func ExampleRun() {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"issuer":                 srv.URL,
			"authorization_endpoint": srv.URL + "/authorize",
			"token_endpoint":         srv.URL + "/token",
			"jwks_uri":               srv.URL + "/keys",
			"grant_types_supported":  []string{"authorization_code", "refresh_token"},
		})
	}))
	defer srv.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})

	entry := func(id, issuer string) pachidp.UpstreamIDP {
		return pachidp.UpstreamIDP{ID: id, Name: id, Type: "oidc", OIDC: &pachidp.OIDCConfig{
			Issuer:       issuer,
			ClientID:     "pachyderm",
			ClientSecret: "example-secret",
			RedirectURI:  "https://pachyderm.example.com/dex/callback",
		}}
	}
	idps := []pachidp.UpstreamIDP{
		entry("good", srv.URL),
		entry("slash", srv.URL+"/"),
		{ID: "ldap", Name: "LDAP", Type: "ldap"},
	}

	results := preflight.Run(context.Background(), idps, preflight.Options{
		RootCAs: caPEM,
		Timeout: 5 * time.Second,
	})
	for _, r := range results {
		var checks []string
		for _, c := range r.Checks {
			checks = append(checks, c.Name+" "+c.Status.String())
		}
		fmt.Printf("%s (%s): %s\n", r.Path, r.ID, strings.Join(checks, ", "))
	}
	// The failed issuer check says which value to write.
	msg := results[1].Failed()[0].Message
	fmt.Println(strings.ReplaceAll(msg, srv.URL, "https://idp.example"))
	fmt.Println("ok:", results.Err() == nil)
	// Output:
	// oidc.upstreamIDPs[0] (good): config passed, discovery passed, issuer passed, grant-types passed, dex-open passed
	// oidc.upstreamIDPs[1] (slash): config passed, discovery passed, issuer failed, grant-types passed, dex-open failed
	// oidc.upstreamIDPs[2] (ldap): config skipped
	// the provider says its issuer is "https://idp.example"; Dex compares byte for byte: use "https://idp.example"
	// ok: false
}
