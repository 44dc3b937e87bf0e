package harness

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// World is a fake world of identity providers on loopback. Install starts
// it and points the process at it through the environment; every host name
// is served by one TLS server (a certificate minted per SNI name by the
// World's own CA) and one plain HTTP server behind one HTTP proxy. Nothing
// outside 127.0.0.1 is ever dialled: the proxy dials only its own servers,
// and refuses hosts ending in ".invalid" (RFC 2606), so that an unreachable
// issuer can be tested.
type World struct {
	CAPEM []byte // the CA certificate, PEM

	caCert *x509.Certificate
	caKey  *rsa.PrivateKey
	key    *rsa.PrivateKey // for leaf certificates and the JWKS

	mu        sync.Mutex
	certs     map[string]*tls.Certificate
	overrides map[string]string // host -> issuer written by discovery

	tlsAddr string
	mux     http.Handler
}

var (
	worldOnce sync.Once
	theWorld  *World
	worldErr  error
)

// Install starts the World (once per process) and sets HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY="" and SSL_CERT_FILE. Call it from TestMain before
// anything makes an HTTP request: net/http caches the proxy settings and
// crypto/x509 the system roots once per process.
func Install(tmpDir string) (*World, error) {
	worldOnce.Do(func() { theWorld, worldErr = install(tmpDir) })
	return theWorld, worldErr
}

func install(tmpDir string) (*World, error) {
	w := &World{certs: map[string]*tls.Certificate{}, overrides: map[string]string{}}
	var err error
	if w.caKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if w.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pachidp conformance fake-world CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &w.caKey.PublicKey, w.caKey)
	if err != nil {
		return nil, err
	}
	if w.caCert, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	w.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	caFile := filepath.Join(tmpDir, "fake-world-ca.pem")
	if err := os.WriteFile(caFile, w.CAPEM, 0o644); err != nil {
		return nil, err
	}
	w.mux = http.HandlerFunc(w.serveIdP)

	tlsLn, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{GetCertificate: w.cert})
	if err != nil {
		return nil, err
	}
	w.tlsAddr = tlsLn.Addr().String()
	go (&http.Server{Handler: w.mux, ErrorLog: nil}).Serve(tlsLn)

	proxyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go (&http.Server{Handler: http.HandlerFunc(w.serveProxy)}).Serve(proxyLn)
	proxyURL := "http://" + proxyLn.Addr().String()
	for k, v := range map[string]string{
		"HTTPS_PROXY": proxyURL, "HTTP_PROXY": proxyURL, "NO_PROXY": "",
		"https_proxy": proxyURL, "http_proxy": proxyURL, "no_proxy": "",
		"SSL_CERT_FILE": caFile, "SSL_CERT_DIR": tmpDir,
	} {
		if err := os.Setenv(k, v); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// SetIssuers sets the discovery issuer overrides (host -> issuer) for the
// next case; nil clears them.
func (w *World) SetIssuers(m map[string]string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.overrides = map[string]string{}
	for k, v := range m {
		w.overrides[strings.ToLower(k)] = v
	}
}

func (w *World) cert(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(hello.ServerName)
	if name == "" {
		name = "localhost"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.certs[name]; ok {
		return c, nil
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, w.caCert, &w.key.PublicKey, w.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: w.key}
	w.certs[name] = c
	return c, nil
}

// serveProxy is the HTTP proxy: CONNECT for https (tunnelled to the TLS
// server), absolute-form requests for http (served in place).
func (w *World) serveProxy(rw http.ResponseWriter, r *http.Request) {
	host := r.URL.Hostname()
	if r.Method != http.MethodConnect && host == "" {
		host = r.Host
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.HasSuffix(strings.ToLower(host), ".invalid") || host == "" {
		// As a proxy answers when its upstream refuses the connection.
		http.Error(rw, "connection refused", http.StatusBadGateway)
		return
	}
	if r.Method != http.MethodConnect {
		r.URL.Scheme = "http"
		w.mux.ServeHTTP(rw, r)
		return
	}
	upstream, err := net.Dial("tcp", w.tlsAddr) // loopback only
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := rw.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(rw, "no hijack", http.StatusInternalServerError)
		return
	}
	rw.WriteHeader(http.StatusOK)
	client, buf, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if n := buf.Reader.Buffered(); n > 0 {
		b, _ := buf.Reader.Peek(n)
		upstream.Write(b)
	}
	go func() { io.Copy(upstream, client); upstream.Close() }()
	io.Copy(client, upstream)
	client.Close()
}

// Issuer is what the discovery document at base (scheme://host/path, no
// trailing slash, the URL minus /.well-known/openid-configuration) writes
// as "issuer", or ok=false when the provider serves no document there.
// This is the world's own knowledge of each provider, independent of
// pachidp's:
//   - Auth0: "https://<tenant domain>/" with a trailing slash
//     (https://<tenant>/.well-known/openid-configuration; Auth0 docs
//     "Locate JSON Web Key Sets" and the discovery documents themselves).
//   - Okta: org server "https://<org>.okta.com", custom servers
//     "https://<org>.okta.com/oauth2/<id>" ("default" included), never a
//     trailing slash (Okta docs "Authorization servers").
//   - Keycloak: "https://<host>/realms/<realm>" (Keycloak 17+), or with
//     the legacy "/auth" context path "https://<host>/auth/realms/<realm>".
//   - Microsoft Entra ID v2.0: "https://login.microsoftonline.com/<tenant
//     GUID>/v2.0"; for common, organizations and consumers the document
//     literally writes "https://login.microsoftonline.com/{tenantid}/v2.0";
//     a domain-name tenant gets the GUID form (Microsoft identity platform
//     docs, "OpenID Connect on the Microsoft identity platform").
//   - Google: "https://accounts.google.com" (Google Identity docs,
//     "OpenID Connect", discovery document).
//   - any other host: base itself.
func (w *World) Issuer(base string) (string, bool) {
	scheme, rest, _ := strings.Cut(base, "://")
	host, path, _ := strings.Cut(rest, "/")
	host = strings.ToLower(host)
	if path != "" {
		path = "/" + path
	}
	w.mu.Lock()
	ov, has := w.overrides[host]
	w.mu.Unlock()
	if has {
		return ov, true
	}
	origin := scheme + "://" + host
	hostname := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		hostname = h
	}
	switch {
	case strings.HasSuffix(hostname, ".auth0.com"):
		if path != "" {
			return "", false
		}
		return origin + "/", true
	case strings.HasSuffix(hostname, ".okta.com") || strings.HasSuffix(hostname, ".oktapreview.com"):
		if path == "" || (strings.HasPrefix(path, "/oauth2/") && !strings.Contains(path[len("/oauth2/"):], "/") && len(path) > len("/oauth2/")) {
			return origin + path, true
		}
		return "", false
	case hostname == "login.microsoftonline.com":
		tenant, v2, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if tenant == "" {
			return "", false
		}
		if v2 == "" { // the v1.0 document
			return "https://sts.windows.net/" + tenantGUID(tenant) + "/", true
		}
		if v2 != "v2.0" {
			return "", false
		}
		switch tenant {
		case "common", "organizations", "consumers":
			return origin + "/{tenantid}/v2.0", true
		}
		return origin + "/" + tenantGUID(tenant) + "/v2.0", true
	case hostname == "accounts.google.com":
		if path != "" {
			return "", false
		}
		return "https://accounts.google.com", true
	case strings.Contains(hostname, "keycloak"):
		p := strings.TrimPrefix(path, "/auth")
		if r, ok := strings.CutPrefix(p, "/realms/"); ok && r != "" && !strings.Contains(r, "/") {
			return origin + path, true
		}
		return "", false
	}
	return origin + path, true
}

// tenantGUID is the fake directory's GUID of an Entra tenant: a GUID
// stays itself, a domain name maps to a fixed GUID derived from it.
func tenantGUID(tenant string) string {
	if len(tenant) == 36 && strings.Count(tenant, "-") == 4 {
		return strings.ToLower(tenant)
	}
	s := sha256.Sum256([]byte(strings.ToLower(tenant)))
	h := fmt.Sprintf("%x", s[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (w *World) serveIdP(rw http.ResponseWriter, r *http.Request) {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	host := strings.ToLower(r.Host)
	if h, p, err := net.SplitHostPort(host); err == nil && ((scheme == "https" && p == "443") || (scheme == "http" && p == "80")) {
		host = h
	}
	path := r.URL.Path
	switch {
	case strings.HasSuffix(path, "/.well-known/openid-configuration"):
		base := scheme + "://" + host + strings.TrimSuffix(path, "/.well-known/openid-configuration")
		iss, ok := w.Issuer(base)
		if !ok {
			http.NotFound(rw, r)
			return
		}
		writeJSON(rw, discovery(host, base, iss))
	case strings.HasSuffix(path, "/.well-known/oauth-authorization-server"):
		// OpenShift's OAuth metadata (RFC 8414), fetched by the openshift
		// connector's Open.
		base := scheme + "://" + host
		writeJSON(rw, map[string]any{
			"issuer":                           base,
			"authorization_endpoint":           base + "/oauth/authorize",
			"token_endpoint":                   base + "/oauth/token",
			"code_challenge_methods_supported": []string{"plain", "S256"},
		})
	case strings.HasSuffix(path, "/jwks") || strings.HasSuffix(path, "/certs") || strings.HasSuffix(path, "/keys") || strings.HasSuffix(path, "jwks.json"):
		n := base64.RawURLEncoding.EncodeToString(w.key.PublicKey.N.Bytes())
		e := base64.RawURLEncoding.EncodeToString(big.NewInt(int64(w.key.PublicKey.E)).Bytes())
		writeJSON(rw, map[string]any{"keys": []any{map[string]any{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "fake-world-1", "n": n, "e": e}}})
	case strings.HasSuffix(path, "/token"):
		base := scheme + "://" + host + strings.TrimSuffix(strings.TrimSuffix(path, "/oauth/token"), "/token")
		if tok, ok := w.idToken(r, base); ok {
			writeJSON(rw, map[string]any{"access_token": "fake-access-token", "token_type": "Bearer", "expires_in": 3600, "id_token": tok})
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusBadRequest)
		io.WriteString(rw, `{"error":"invalid_grant"}`)
	case strings.HasSuffix(path, "/userinfo"):
		rw.WriteHeader(http.StatusUnauthorized)
	default:
		http.NotFound(rw, r)
	}
}

// Codes of the token endpoint: a code "ev-true", "ev-false" or "ev-absent"
// gets an ID token for ada@example.com whose email_verified claim is true,
// false or absent (LoginCode); any other code is an invalid_grant.
const codePrefix = "ev-"

// LoginCode is the authorization code whose ID token carries
// email_verified: claim (true or false), or none when claim is nil.
func LoginCode(claim *bool) string {
	switch {
	case claim == nil:
		return codePrefix + "absent"
	case *claim:
		return codePrefix + "true"
	}
	return codePrefix + "false"
}

// idToken answers a token request for a LoginCode: an RS256 ID token signed
// with the World's JWKS key, issued by the issuer of base, for the client
// that asks (basic auth or client_id in the form).
func (w *World) idToken(r *http.Request, base string) (string, bool) {
	if r.ParseForm() != nil {
		return "", false
	}
	code := r.PostForm.Get("code")
	if !strings.HasPrefix(code, codePrefix) {
		return "", false
	}
	iss, ok := w.Issuer(base)
	if !ok {
		return "", false
	}
	client, _, ok := r.BasicAuth()
	if !ok {
		client = r.PostForm.Get("client_id")
	}
	if c, err := url.QueryUnescape(client); err == nil {
		client = c
	}
	now := time.Now()
	claims := map[string]any{"iss": iss, "sub": "ada", "aud": client, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"name": "Ada", "email": "ada@example.com"}
	switch strings.TrimPrefix(code, codePrefix) {
	case "true":
		claims["email_verified"] = true
	case "false":
		claims["email_verified"] = false
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "fake-world-1", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, w.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", false
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), true
}

// discovery writes the endpoints where each provider really has them.
func discovery(host, base, issuer string) map[string]any {
	d := map[string]any{
		"issuer":                                issuer,
		"response_types_supported":              []string{"code", "id_token", "code id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"claims_supported":                      []string{"sub", "iss", "aud", "email", "email_verified", "name"},
	}
	ep := func(a, t, j, u string) {
		d["authorization_endpoint"], d["token_endpoint"], d["jwks_uri"], d["userinfo_endpoint"] = base+a, base+t, base+j, base+u
	}
	switch {
	case strings.HasSuffix(host, ".auth0.com"):
		ep("/authorize", "/oauth/token", "/.well-known/jwks.json", "/userinfo")
		d["code_challenge_methods_supported"] = []string{"S256", "plain"}
	case strings.HasSuffix(host, ".okta.com"), strings.HasSuffix(host, ".oktapreview.com"):
		if strings.Contains(base, "/oauth2/") {
			ep("/v1/authorize", "/v1/token", "/v1/keys", "/v1/userinfo")
		} else {
			ep("/oauth2/v1/authorize", "/oauth2/v1/token", "/oauth2/v1/keys", "/oauth2/v1/userinfo")
		}
		d["code_challenge_methods_supported"] = []string{"S256"}
	case host == "login.microsoftonline.com":
		// Entra's document has no code_challenge_methods_supported.
		t := strings.TrimSuffix(base, "/v2.0")
		d["authorization_endpoint"] = t + "/oauth2/v2.0/authorize"
		d["token_endpoint"] = t + "/oauth2/v2.0/token"
		d["jwks_uri"] = t + "/discovery/v2.0/keys"
		d["userinfo_endpoint"] = "https://graph.microsoft.com/oidc/userinfo"
	case host == "accounts.google.com":
		d["authorization_endpoint"] = "https://accounts.google.com/o/oauth2/v2/auth"
		d["token_endpoint"] = "https://oauth2.googleapis.com/token"
		d["jwks_uri"] = "https://www.googleapis.com/oauth2/v3/certs"
		d["userinfo_endpoint"] = "https://openidconnect.googleapis.com/v1/userinfo"
		d["code_challenge_methods_supported"] = []string{"plain", "S256"}
	case strings.Contains(host, "keycloak"):
		ep("/protocol/openid-connect/auth", "/protocol/openid-connect/token", "/protocol/openid-connect/certs", "/protocol/openid-connect/userinfo")
		d["code_challenge_methods_supported"] = []string{"plain", "S256"}
	default:
		ep("/authorize", "/token", "/jwks", "/userinfo")
		d["code_challenge_methods_supported"] = []string{"S256"}
	}
	return d
}

func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json")
	json.NewEncoder(rw).Encode(v)
}
