package dexconv_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/dexidp/dex/connector"
	dexoidc "github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
	"github.com/pachidp/pachidp/internal/oidctest"
)

const (
	loginClientID     = "pachyderm-test-client"
	loginClientSecret = "fake-client-secret-for-tests"
	loginProxyHost    = "pachyderm.example.com"
)

// auth0DexConfig builds the Auth0 preset's entry for a tenant at host and
// converts it to Dex's oidc.Config, trusting the test server's CA.
func auth0DexConfig(t *testing.T, idp *oidctest.Provider) *dexoidc.Config {
	t.Helper()
	entry, err := pachidp.Auth0{Domain: idp.Host(), ClientID: loginClientID,
		ClientSecret: loginClientSecret, ProxyHost: loginProxyHost}.UpstreamIDP()
	if err != nil {
		t.Fatalf("Auth0.UpstreamIDP: %v", err)
	}
	cfg, losses, err := dexconv.ToDex(entry.OIDC)
	if err != nil {
		t.Fatalf("ToDex: %v", err)
	}
	// The preset writes the fork-only insecureSkipIssuerCallbackDomainCheck:
	// false, which upstream Dex cannot carry.
	if len(losses) != 1 || losses[0].Path != "config.insecureSkipIssuerCallbackDomainCheck" {
		t.Errorf("ToDex losses = %v, want only config.insecureSkipIssuerCallbackDomainCheck", losses)
	}
	cfg.RootCAs = []string{idp.CAPEM()}
	return cfg
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestDexLoginAuth0Preset runs a full authorization-code login with Dex's
// real oidc connector, configured from the Auth0 preset, against a local
// identity provider whose issuer has Auth0's trailing slash.
func TestDexLoginAuth0Preset(t *testing.T) {
	idp := oidctest.New(t, oidctest.Options{
		ClientID: loginClientID, ClientSecret: loginClientSecret, IssuerTrailingSlash: true,
		User: oidctest.User{Subject: "auth0|ada", Email: "ada@example.com", EmailVerified: true,
			Groups: []string{"data-eng", "admins"}},
	})
	cfg := auth0DexConfig(t, idp)
	if want := "https://" + idp.Host() + "/"; cfg.Issuer != want || idp.Issuer != want {
		t.Fatalf("issuer: preset wrote %q, provider says %q; want %q", cfg.Issuer, idp.Issuer, want)
	}

	conn, err := cfg.Open("auth0", discardLogger())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	cb, ok := conn.(connector.CallbackConnector)
	if !ok {
		t.Fatalf("Open returned %T, not a CallbackConnector", conn)
	}
	// Open mutates its receiver: it wrote the PKCE method it detected.
	if cfg.PKCEChallenge != "S256" {
		t.Errorf("after Open, PKCEChallenge = %q, want S256 (Open writes the detected method)", cfg.PKCEChallenge)
	}

	redirectURI := "https://" + loginProxyHost + "/dex/callback"
	const state = "state-1234"
	scopes := connector.Scopes{Groups: true}
	loginURL, connData, err := cb.LoginURL(scopes, redirectURI, state)
	if err != nil {
		t.Fatalf("LoginURL: %v", err)
	}
	lu, err := url.Parse(loginURL)
	if err != nil {
		t.Fatalf("LoginURL returned an invalid URL: %v", err)
	}
	if got := lu.Query().Get("code_challenge_method"); got != "S256" {
		t.Errorf("login URL code_challenge_method = %q, want S256", got)
	}

	// The browser's step: the provider logs the user in and redirects.
	resp, err := idp.Client().Get(loginURL)
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatalf("authorize redirect: %v", err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURI {
		t.Fatalf("authorize redirected to %q, want %q", got, redirectURI)
	}
	if loc.Query().Get("state") != state || loc.Query().Get("code") == "" {
		t.Fatalf("authorize redirect lacks the state or a code: %q", loc.RawQuery)
	}

	// Dex's callback handler's step.
	cbReq, err := http.NewRequest(http.MethodGet, redirectURI+"?"+loc.RawQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	ident, err := cb.HandleCallback(scopes, connData, cbReq)
	if err != nil {
		t.Fatalf("HandleCallback: %v", err)
	}
	if ident.UserID != "auth0|ada" || ident.Email != "ada@example.com" || !ident.EmailVerified {
		t.Errorf("identity = {UserID %q, Email %q, EmailVerified %v}, want {auth0|ada, ada@example.com, true}",
			ident.UserID, ident.Email, ident.EmailVerified)
	}
	if !slices.Equal(ident.Groups, []string{"data-eng", "admins"}) {
		t.Errorf("groups = %q, want [data-eng admins] (the preset enables groups)", ident.Groups)
	}
	if idp.Logins() != 1 {
		t.Errorf("provider exchanged %d codes, want 1", idp.Logins())
	}

	// A code is single use, as at a real provider.
	if _, err := cb.HandleCallback(scopes, connData, cbReq); err == nil {
		t.Error("HandleCallback accepted a code a second time")
	}
}

// TestDexLoginIssuerWithoutSlashFails shows why the Auth0 preset writes the
// trailing slash: Dex compares the configured issuer with the discovery
// document's byte for byte, so Open fails, as it does in a cluster.
func TestDexLoginIssuerWithoutSlashFails(t *testing.T) {
	idp := oidctest.New(t, oidctest.Options{ClientID: loginClientID, ClientSecret: loginClientSecret,
		IssuerTrailingSlash: true})
	cfg := auth0DexConfig(t, idp)
	cfg.Issuer = strings.TrimSuffix(cfg.Issuer, "/")

	conn, err := cfg.Open("auth0", discardLogger())
	if err == nil {
		if c, ok := conn.(interface{ Close() error }); ok {
			c.Close()
		}
		t.Fatal("Open succeeded with an issuer lacking the provider's trailing slash")
	}
	if msg := err.Error(); !strings.Contains(msg, "did not match") || !strings.Contains(msg, idp.Issuer) {
		t.Errorf("Open error = %q, want an issuer mismatch naming %q", msg, idp.Issuer)
	}
	if strings.Contains(err.Error(), loginClientSecret) {
		t.Error("Open's error shows the client secret")
	}
}

// TestDexLoginWrongSecret checks that the provider really verifies the
// client: a login with another secret fails at the token exchange.
func TestDexLoginWrongSecret(t *testing.T) {
	idp := oidctest.New(t, oidctest.Options{ClientID: loginClientID, ClientSecret: loginClientSecret,
		IssuerTrailingSlash: true, NoPKCE: true,
		User: oidctest.User{Email: "ada@example.com", EmailVerified: true}})
	cfg := auth0DexConfig(t, idp)
	cfg.ClientSecret = "another-fake-secret"
	conn, err := cfg.Open("auth0", discardLogger())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if cfg.PKCEChallenge != "" {
		t.Errorf("PKCEChallenge = %q with a provider offering no PKCE, want empty", cfg.PKCEChallenge)
	}
	cb := conn.(connector.CallbackConnector)
	redirectURI := "https://" + loginProxyHost + "/dex/callback"
	loginURL, connData, err := cb.LoginURL(connector.Scopes{}, redirectURI, "s")
	if err != nil {
		t.Fatalf("LoginURL: %v", err)
	}
	resp, err := idp.Client().Get(loginURL)
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, resp.Header.Get("Location"), nil)
	if _, err := cb.HandleCallback(connector.Scopes{}, connData, req); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("HandleCallback with a wrong secret: err = %v, want invalid_client", err)
	}
}

// TestDexLoginEmailVerified proves, with upstream Dex's real oidc connector,
// the rule the presets' insecureSkipEmailVerified default rests on
// (connector/oidc/oidc.go, the email_verified lookup): Dex reads the setting
// only when the ID token has no email_verified claim. With the claim, false
// logs the user in and passes the provider's value on; without it, false
// refuses the login and true counts the email as verified.
func TestDexLoginEmailVerified(t *testing.T) {
	tests := []struct {
		name         string
		claim        any  // email_verified in the ID token; nil: absent
		skip         bool // insecureSkipEmailVerified
		wantErr      string
		wantVerified bool
	}{
		{"claim true, skip false (Auth0, Okta, Google, Keycloak with the presets)", true, false, "", true},
		{"claim false, skip false", false, false, "", false},
		{"claim absent, skip false", nil, false, `missing "email_verified" claim`, false},
		{"claim absent, skip true (Entra ID with its preset)", nil, true, "", true},
		{"claim true, skip true", true, true, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := oidctest.User{Subject: "u1", Email: "ada@example.com", Claims: map[string]any{"email_verified": tt.claim}}
			idp := oidctest.New(t, oidctest.Options{ClientID: loginClientID, ClientSecret: loginClientSecret,
				IssuerTrailingSlash: true, NoPKCE: true, User: user})
			cfg := auth0DexConfig(t, idp)
			if cfg.InsecureSkipEmailVerified {
				t.Fatal("the Auth0 preset wrote insecureSkipEmailVerified: true; its default is false")
			}
			cfg.InsecureSkipEmailVerified = tt.skip
			conn, err := cfg.Open("auth0", discardLogger())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			cb := conn.(connector.CallbackConnector)
			redirectURI := "https://" + loginProxyHost + "/dex/callback"
			scopes := connector.Scopes{}
			loginURL, connData, err := cb.LoginURL(scopes, redirectURI, "s")
			if err != nil {
				t.Fatalf("LoginURL: %v", err)
			}
			resp, err := idp.Client().Get(loginURL)
			if err != nil {
				t.Fatalf("GET authorize: %v", err)
			}
			resp.Body.Close()
			req, _ := http.NewRequest(http.MethodGet, resp.Header.Get("Location"), nil)
			ident, err := cb.HandleCallback(scopes, connData, req)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("HandleCallback: err = %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("HandleCallback: %v", err)
			case ident.EmailVerified != tt.wantVerified:
				t.Errorf("EmailVerified = %v, want %v", ident.EmailVerified, tt.wantVerified)
			}
		})
	}
}
