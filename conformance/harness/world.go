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
	"log"
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

// World is a fake world of identity providers on loopback, as strict as
// the network a cluster's pod sees. Install starts it and points the
// process at it through the environment; every host name is served by one
// TLS server (a certificate minted per SNI name) and one plain HTTP server
// behind one HTTP proxy. Nothing outside 127.0.0.1 is ever dialled: the
// proxy dials only its own servers.
//
// Which hosts exist (the rules, each from the real world; see Issuer for
// what each provider's discovery writes):
//   - the SaaS providers pachidp knows (Auth0 *.auth0.com, Okta *.okta.com,
//     *.oktapreview.com, *.okta-emea.com, Google accounts.google.com and
//     its API hosts, Entra ID login.microsoftonline.com and
//     graph.microsoft.com) resolve, serve https on port 443 only, and
//     answer plain http on port 80 with a 301 to the same URL in https
//     (each of these domains is HSTS-preloaded and redirects http: no
//     discovery document is ever served over http, so an http issuer gets
//     the https document and go-oidc's issuer comparison fails). Any other
//     port is refused ("connection refused"), as their load balancers do.
//   - a host a case declares (Case.IDPIssuer, Case.IDPCA) resolves and
//     serves only its declared issuer's scheme and port, and its discovery
//     document only at that issuer (go-oidc fetches
//     strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration",
//     oidc/oidc.go:125 at go-oidc v3.0.0, :239 at v3.17.0), writing the
//     issuer exactly as declared.
//   - every other host fails to resolve, as a cluster's DNS answers for a
//     name that does not exist: placeholders (<your-domain>,
//     example.invalid, RFC 2606), self-hosted servers a case did not
//     declare. The proxy answers CONNECT with a status whose text is the
//     resolver's error, which net/http returns as the request's error.
//   - certificates: the World's CA is the system pool (SSL_CERT_FILE); a
//     host declared with CA "private" is served with a certificate of
//     PrivateCA, which is not in the pool, so a connector trusts it only
//     through its own rootCAs (or rootCA) setting.
type World struct {
	CAPEM []byte // the CA certificate, PEM

	caCert *x509.Certificate
	caKey  *rsa.PrivateKey
	key    *rsa.PrivateKey // for leaf certificates and the JWKS

	mu    sync.Mutex
	certs map[string]*tls.Certificate
	hosts map[string]Host // the current case's declared hosts, by lower-case name
	pod   *PodFS          // the current case's pod filesystem, nil outside a case

	tlsAddr string
	mux     http.Handler
}

// Host is what a case declares of a host that is not a known SaaS
// provider's.
type Host struct {
	// Issuer is what the host's discovery document writes as "issuer",
	// exactly (trailing slash, port, case); "" when the host serves no
	// discovery (an OAuth or SAML server).
	Issuer string
	// CA is "" (a certificate from a CA in the system pool) or "private"
	// (PrivateCA's, not in the pool).
	CA string
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
	w := &World{certs: map[string]*tls.Certificate{}, hosts: map[string]Host{}}
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
	// A client that refuses a certificate (the private CA) is no error of
	// the world: its log is discarded.
	go (&http.Server{Handler: w.mux, ErrorLog: log.New(io.Discard, "", 0)}).Serve(tlsLn)

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

// SetHosts declares the hosts of the next case, replacing any declared
// before: issuers maps a host to the issuer its discovery writes (a host
// may carry a port, which is ignored: the issuer says where it listens),
// cas a host to the CA of its certificate ("private"). nil maps declare
// none.
func (w *World) SetHosts(issuers, cas map[string]string) {
	hosts := map[string]Host{}
	for k, v := range issuers {
		h := hosts[hostKey(k)]
		h.Issuer = v
		hosts[hostKey(k)] = h
	}
	for k, v := range cas {
		h := hosts[hostKey(k)]
		h.CA = v
		hosts[hostKey(k)] = h
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hosts = hosts
}

// SetIssuers is SetHosts with issuers alone (no private CA).
func (w *World) SetIssuers(issuers map[string]string) { w.SetHosts(issuers, nil) }

// SetCase declares the hosts and the pod filesystem of a case (nil: none).
func (w *World) SetCase(c *Case, pod *PodFS) {
	if c == nil {
		w.SetHosts(nil, nil)
	} else {
		w.SetHosts(c.IDPIssuer, c.IDPCA)
	}
	w.mu.Lock()
	w.pod = pod
	w.mu.Unlock()
}

func (w *World) podFS() *PodFS {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pod
}

// hostKey is a declared host's name: lower case, without a port.
func hostKey(h string) string {
	h = strings.ToLower(h)
	if name, _, err := net.SplitHostPort(h); err == nil {
		return name
	}
	return h
}

// saasHost reports whether a host is one of a known SaaS provider's (see
// World): such a host always resolves.
func saasHost(host string) bool {
	for _, s := range []string{".auth0.com", ".okta.com", ".oktapreview.com", ".okta-emea.com"} {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	switch host {
	case "accounts.google.com", "oauth2.googleapis.com", "www.googleapis.com", "openidconnect.googleapis.com",
		"login.microsoftonline.com", "graph.microsoft.com":
		return true
	}
	return false
}

// listens reports whether host resolves, and whether something listens on
// its port for the scheme ("https" through CONNECT, "http" otherwise).
func (w *World) listens(host, port, scheme string) (resolves, listening bool) {
	host = hostKey(host)
	if !dnsName(host) {
		// Go's resolver refuses a name that is not a domain name before
		// asking DNS (net/dnsclient.go isDomainName): "<your-domain>".
		return false, false
	}
	if saasHost(host) {
		return true, (scheme == "https" && port == "443") || (scheme == "http" && port == "80")
	}
	w.mu.Lock()
	h, ok := w.hosts[host]
	w.mu.Unlock()
	if !ok {
		return false, false
	}
	if h.Issuer == "" { // no issuer declared: https on 443
		return true, scheme == "https" && port == "443"
	}
	u, err := url.Parse(h.Issuer)
	if err != nil {
		return true, false
	}
	return true, strings.EqualFold(u.Scheme, scheme) && effectivePort(u) == port
}

// dnsName reports whether host is a domain name a resolver would look up:
// labels of letters, digits, "-" and "_", 1 to 63 bytes each.
func dnsName(host string) bool {
	if host == "" || len(host) > 253 {
		return false
	}
	for _, l := range strings.Split(strings.TrimSuffix(host, "."), ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// effectivePort is a URL's port, or its scheme's default.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

func (w *World) cert(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(hello.ServerName)
	if name == "" {
		name = "localhost"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	caCert, caKey := w.caCert, crypto.Signer(w.caKey)
	key := name
	if w.hosts[name].CA == "private" {
		pca := PrivateCA()
		caCert, caKey, key = pca.cert, pca.key, "private|"+name
	}
	if c, ok := w.certs[key]; ok {
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &w.key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: w.key}
	w.certs[key] = c
	return c, nil
}

// refuse answers a proxy request with a raw status line whose text is the
// error a pod's dialer would give: net/http's transport returns the text of
// a failed CONNECT as the request's error (transport.go, dialConn), so Dex
// sees "lookup <host>: no such host" as in a cluster.
func refuse(rw http.ResponseWriter, text string) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		http.Error(rw, text, http.StatusBadGateway)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 502 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", text)
	buf.Flush()
	conn.Close()
}

// serveProxy is the HTTP proxy: CONNECT for https (tunnelled to the TLS
// server), absolute-form requests for http (served in place), each only
// for a host that resolves and a port that listens (World).
func (w *World) serveProxy(rw http.ResponseWriter, r *http.Request) {
	scheme, hostport := "http", r.URL.Host
	if r.Method == http.MethodConnect {
		scheme, hostport = "https", r.Host
	} else if hostport == "" {
		hostport = r.Host
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, map[string]string{"http": "80", "https": "443"}[scheme]
	}
	switch resolves, listening := w.listens(host, port, scheme); {
	case host == "" || !resolves:
		refuse(rw, fmt.Sprintf("dial tcp: lookup %s: no such host", host))
		return
	case !listening:
		refuse(rw, fmt.Sprintf("dial tcp %s: connect: connection refused", net.JoinHostPort(host, port)))
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

// Issuer is what the discovery document at base (scheme://host[:port]/path,
// no trailing slash: the URL minus /.well-known/openid-configuration)
// writes as "issuer", or ok=false when nothing serves a document there
// (the host does not resolve, nothing listens, or the provider has no
// document at that path). A SaaS provider writes its issuer in its own
// form, always https and without a port, whatever the request:
//   - Auth0: "https://<tenant domain>/" with a trailing slash, documents
//     at the tenant root only (Auth0 docs, "Locate JSON Web Key Sets";
//     https://<tenant>.auth0.com/.well-known/openid-configuration writes
//     "issuer":"https://<tenant>.auth0.com/").
//   - Okta: org server "https://<org>.okta.com", custom servers
//     "https://<org>.okta.com/oauth2/<id>" ("default" included), never a
//     trailing slash (Okta developer docs, "Authorization servers" and
//     "OpenID Connect & OAuth 2.0 API: /.well-known/openid-configuration").
//   - Microsoft Entra ID v2.0: "https://login.microsoftonline.com/<tenant
//     GUID>/v2.0"; for common, organizations and consumers the document
//     literally writes "https://login.microsoftonline.com/{tenantid}/v2.0";
//     a domain-name tenant gets the GUID form; without /v2.0 the v1.0
//     document writes "https://sts.windows.net/<GUID>/" (Microsoft
//     identity platform docs, "OpenID Connect on the Microsoft identity
//     platform", "Find your app's OpenID configuration document URI").
//   - Google: "https://accounts.google.com" (Google Identity docs,
//     "OpenID Connect", the discovery document at
//     https://accounts.google.com/.well-known/openid-configuration).
//   - Keycloak is self-hosted (no Keycloak cloud host is modelled): a case
//     declares its host and realm issuer.
//   - a declared host: its declared issuer, at that issuer only.
func (w *World) Issuer(base string) (string, bool) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host := hostKey(u.Hostname())
	port := effectivePort(u)
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	if resolves, listening := w.listens(host, port, scheme); !resolves || !listening {
		return "", false
	}
	if saasHost(host) {
		if scheme != "https" {
			return "", false // a redirect to https, never a document
		}
		return saasIssuer(host, path)
	}
	w.mu.Lock()
	h := w.hosts[host]
	w.mu.Unlock()
	iu, err := url.Parse(h.Issuer)
	if h.Issuer == "" || err != nil || strings.TrimSuffix(iu.EscapedPath(), "/") != path {
		return "", false
	}
	return h.Issuer, true
}

// saasIssuer is a SaaS provider's issuer for a document path (see Issuer).
func saasIssuer(host, path string) (string, bool) {
	origin := "https://" + host
	switch {
	case strings.HasSuffix(host, ".auth0.com"):
		if path != "" {
			return "", false
		}
		return origin + "/", true
	case strings.HasSuffix(host, ".okta.com") || strings.HasSuffix(host, ".oktapreview.com") || strings.HasSuffix(host, ".okta-emea.com"):
		if path == "" || (strings.HasPrefix(path, "/oauth2/") && !strings.Contains(path[len("/oauth2/"):], "/") && len(path) > len("/oauth2/")) {
			return origin + path, true
		}
		return "", false
	case host == "login.microsoftonline.com":
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
	case host == "accounts.google.com":
		if path != "" {
			return "", false
		}
		return "https://accounts.google.com", true
	}
	return "", false
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
	if scheme == "http" && saasHost(hostKey(host)) {
		// HSTS-preloaded SaaS hosts redirect every plain http request.
		http.Redirect(rw, r, "https://"+hostKey(host)+r.URL.RequestURI(), http.StatusMovedPermanently)
		return
	}
	switch {
	case strings.HasSuffix(path, "/.well-known/openid-configuration"):
		base := scheme + "://" + host + strings.TrimSuffix(path, "/.well-known/openid-configuration")
		iss, ok := w.Issuer(base)
		if !ok {
			http.NotFound(rw, r)
			return
		}
		writeJSON(rw, discovery(host, base, iss))
	case path == "/.well-known/oauth-authorization-server" && !saasHost(hostKey(host)):
		// OpenShift's OAuth metadata (RFC 8414), fetched by the openshift
		// connector's Open at strings.TrimSuffix(issuer, "/") +
		// "/.well-known/oauth-authorization-server" (connector/openshift/
		// openshift.go:21, :87 at v2.45.1); an API server serves it at its
		// root only. Only a self-hosted host a case declares gets here
		// (listens): no SaaS provider serves it, nor does any other path.
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
	case strings.Contains(base, "/realms/"):
		// Keycloak's endpoints under the realm.
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
