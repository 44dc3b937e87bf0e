// Package oidctest runs a real OpenID Connect identity provider for tests: an
// httptest TLS server with discovery, JWKS, an authorization endpoint, a
// token endpoint issuing RS256-signed ID tokens, and a userinfo endpoint.
//
// It is strict where Dex's oidc connector is checked in a cluster: the
// discovery document's issuer is exactly Options.Issuer's form (with or
// without Auth0's trailing slash), client credentials are verified, codes are
// single use and bound to their redirect_uri, and a PKCE challenge, when
// sent, must be met.
//
//	idp := oidctest.New(t, oidctest.Options{ClientID: "pachyderm", ClientSecret: secret,
//		IssuerTrailingSlash: true, User: oidctest.User{Subject: "u1", Email: "ada@example.com"}})
//	cfg.Issuer = idp.Issuer                  // "https://127.0.0.1:PORT/"
//	cfg.RootCAs = []string{idp.CAPEM()}      // trust the server's certificate
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// User is the identity the provider logs in, whoever asks.
type User struct {
	Subject       string   // "sub"; default "user-1"
	Name          string   // "name"; default "Test User" (Dex requires a name claim)
	Email         string   // "email"; omitted when empty
	EmailVerified bool     // "email_verified", sent when Email is set
	Groups        []string // "groups"; omitted when nil
	// Claims are extra ID token claims; they override the ones above, and a
	// nil value leaves out email, email_verified or groups
	// (Claims{"email_verified": nil} sends an email without email_verified,
	// as Microsoft Entra ID's v2.0 tokens do).
	Claims map[string]any
}

// Options configures a Provider. ClientID and ClientSecret are required.
type Options struct {
	ClientID     string
	ClientSecret string

	// IssuerTrailingSlash makes the issuer the server URL plus "/", as
	// Auth0's is. Discovery is still served at the URL without the slash
	// plus "/.well-known/openid-configuration", as go-oidc looks it up.
	IssuerTrailingSlash bool

	// User is the identity every login returns.
	User User

	// NoPKCE leaves code_challenge_methods_supported out of discovery, so
	// that Dex does not use PKCE. By default S256 and plain are offered.
	NoPKCE bool
}

// Provider is a running identity provider. Its server is closed when the
// test ends.
type Provider struct {
	// Issuer is the issuer of the discovery document and of ID tokens.
	Issuer string
	// URL is the server's base URL, "https://127.0.0.1:PORT", no slash.
	URL string
	// Server is the underlying test server.
	Server *httptest.Server

	opts   Options
	key    *rsa.PrivateKey
	keyID  string
	signer jose.Signer

	mu     sync.Mutex
	codes  map[string]grant
	tokens map[string]bool // access tokens issued
	logins int
}

// grant is what /authorize remembered for a code.
type grant struct {
	redirectURI     string
	challenge       string
	challengeMethod string
	nonce           string
}

// New starts a provider and stops it when t ends. It fails t on bad options.
func New(t testing.TB, opts Options) *Provider {
	t.Helper()
	if opts.ClientID == "" || opts.ClientSecret == "" {
		t.Fatal("oidctest: Options.ClientID and Options.ClientSecret are required")
	}
	if opts.User.Subject == "" {
		opts.User.Subject = "user-1"
	}
	if opts.User.Name == "" {
		opts.User.Name = "Test User"
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidctest: generating a key: %v", err)
	}
	p := &Provider{opts: opts, key: key, keyID: "oidctest-1", codes: map[string]grant{}, tokens: map[string]bool{}}
	p.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: p.keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatalf("oidctest: creating a signer: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	p.Server = httptest.NewTLSServer(mux)
	t.Cleanup(p.Server.Close)
	p.URL = p.Server.URL
	p.Issuer = p.URL
	if opts.IssuerTrailingSlash {
		p.Issuer += "/"
	}
	return p
}

// Host returns the server's host:port, such as "127.0.0.1:43121".
func (p *Provider) Host() string { return strings.TrimPrefix(p.URL, "https://") }

// CAPEM returns the PEM certificate that signs the server's TLS certificate:
// put it in an OIDC config's rootCAs.
func (p *Provider) CAPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Server.Certificate().Raw}))
}

// Client returns an HTTP client that trusts the server and does not follow
// redirects, so that a test can read the authorization redirect.
func (p *Provider) Client() *http.Client {
	c := p.Server.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Logins returns how many codes the token endpoint has exchanged.
func (p *Provider) Logins() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logins
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	doc := map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"userinfo_endpoint":                     p.URL + "/userinfo",
		"jwks_uri":                              p.URL + "/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email", "profile", "groups", "offline_access"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"claims_supported":                      []string{"sub", "iss", "aud", "email", "email_verified", "groups", "name", "nonce"},
	}
	if !p.opts.NoPKCE {
		doc["code_challenge_methods_supported"] = []string{"S256", "plain"}
	}
	writeJSON(w, http.StatusOK, doc)
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &p.key.PublicKey, KeyID: p.keyID, Algorithm: string(jose.RS256), Use: "sig"}}})
}

// authorize logs the configured user in at once and redirects to the
// client's redirect_uri with a code and the state.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.opts.ClientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" {
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !redirect.IsAbs() {
		http.Error(w, "redirect_uri must be an absolute URL", http.StatusBadRequest)
		return
	}
	if !strings.Contains(" "+q.Get("scope")+" ", " openid ") {
		http.Error(w, "scope must include openid", http.StatusBadRequest)
		return
	}
	g := grant{redirectURI: redirect.String(), challenge: q.Get("code_challenge"), nonce: q.Get("nonce")}
	if g.challenge != "" {
		g.challengeMethod = q.Get("code_challenge_method")
		if g.challengeMethod == "" {
			g.challengeMethod = "plain"
		}
		if g.challengeMethod != "S256" && g.challengeMethod != "plain" {
			http.Error(w, "unsupported code_challenge_method", http.StatusBadRequest)
			return
		}
	}
	code := randomString()
	p.mu.Lock()
	p.codes[code] = g
	p.mu.Unlock()
	v := redirect.Query()
	v.Set("code", code)
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	redirect.RawQuery = v.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token is the token endpoint (RFC 6749 4.1.3): it authenticates the client
// (basic or form credentials, the secret compared in constant time),
// redeems an authorization code once, checks its redirect_uri and PKCE
// verifier, and answers with an access token and an ID token signed by the
// provider's key, holding the test user's claims and the login's nonce.
//
// Why that is safe for a test IdP: a code is deleted from the map before it
// is checked, under the mutex, so a code cannot be redeemed twice even by
// concurrent requests; every failure answers an OAuth error without
// echoing the client's secret; and the provider serves tests only.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 2.3.1: basic credentials are form-urlencoded.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.opts.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.opts.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, ok := p.codes[code]
	delete(p.codes, code) // single use
	p.mu.Unlock()
	if !ok || r.PostForm.Get("redirect_uri") != g.redirectURI {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	if g.challenge != "" && !pkceOK(g, r.PostForm.Get("code_verifier")) {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": p.Issuer, "aud": p.opts.ClientID, "sub": p.opts.User.Subject,
		"name": p.opts.User.Name, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	for k, v := range p.userClaims() {
		claims[k] = v
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	jws, err := p.signer.Sign(payload)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	idToken, err := jws.CompactSerialize()
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	access := randomString()
	p.mu.Lock()
	p.tokens[access] = true
	p.logins++
	p.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": idToken,
	})
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	known := ok && p.tokens[token]
	p.mu.Unlock()
	if !known {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	claims := map[string]any{"sub": p.opts.User.Subject, "name": p.opts.User.Name}
	for k, v := range p.userClaims() {
		claims[k] = v
	}
	writeJSON(w, http.StatusOK, claims)
}

func (p *Provider) userClaims() map[string]any {
	u := p.opts.User
	out := map[string]any{}
	if u.Email != "" {
		out["email"] = u.Email
		out["email_verified"] = u.EmailVerified
	}
	if u.Groups != nil {
		out["groups"] = u.Groups
	}
	for k, v := range u.Claims {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func pkceOK(g grant, verifier string) bool {
	if verifier == "" {
		return false
	}
	want := verifier
	if g.challengeMethod == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(g.challenge)) == 1
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}
