package pachidp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"path"
	"strings"
)

// This file holds the rules of the oidc connector: what its Open does with
// the issuer and rootCAs (a failure stops pachd), and what LoginURL does
// with redirectURI (a difference fails every login). The code they follow:
// connector/oidc/oidc.go of each Dex (Open, LoginURL), and go-oidc's
// NewProvider, which compares the discovery document's issuer byte for byte.

func (c *entryCheck) checkOIDC(cfg *OIDCConfig) {
	// White space first: the other checks see trimmed values.
	for _, f := range []struct {
		key, val string
		fate     Fate
	}{{"issuer", cfg.Issuer, c.openFate()}, {"clientID", cfg.ClientID, FateLoginFails},
		{"clientSecret", cfg.ClientSecret, FateLoginFails}, {"redirectURI", cfg.RedirectURI, FateLoginFails}} {
		trimmed := strings.TrimSpace(f.val)
		if trimmed == f.val || trimmed == "" {
			continue
		}
		if isSecretKey(f.key) {
			c.add(c.rel(f.key), RuleSurroundingSpace, f.fate,
				"the client secret has white space before or after it (a newline from a file?) that the provider will not accept, so %s: remove it", c.words(f.fate))
		} else {
			c.add(c.rel(f.key), RuleSurroundingSpace, f.fate,
				"%s has white space around it: use %q", f.key, trimmed)
		}
		if f.key == "issuer" {
			c.found[len(c.found)-1].open = true
			c.openFailed = true
		}
	}
	bad := map[string]bool{}
	for _, fe := range shapeErrors(cfg) {
		key := fe.Field()
		bad[key] = true
		if fe.Tag() == "trimmed_required" && c.inOIDCExtra(cfg, key) {
			continue // reported as wrong-type
		}
		c.reportTag(oidcTagFindings, fe, c.rel(key))
	}
	if !bad["issuer"] {
		c.checkIssuer(strings.TrimSpace(cfg.Issuer))
	}
	if !bad["redirectURI"] {
		c.checkRedirectURI(strings.TrimSpace(cfg.RedirectURI), cfg)
	}
	for _, k := range []string{"clientID", "clientSecret"} {
		v := strings.TrimSpace(map[string]string{"clientID": cfg.ClientID, "clientSecret": cfg.ClientSecret}[k])
		if placeholder(v) {
			c.add(c.rel(k), RulePlaceholderValue, FateRisk,
				"%s looks like a placeholder (a $VARIABLE or <...>), which Helm does not expand: write the real value", k)
		}
	}
	if c.reads("rootCAs") {
		for i, ca := range cfg.RootCAs {
			c.checkRootCA(indexPath(c.rel("rootCAs"), i), ca)
		}
	}
	if isTrue(cfg.InsecureSkipEmailVerified) {
		c.add(c.rel("insecureSkipEmailVerified"), RuleInsecureSkipEmailVerified, FateRisk, "%s", skipEmailMsg(cfg.Issuer))
	}
	if isTrue(cfg.InsecureSkipVerify) && c.reads("insecureSkipVerify") {
		c.add(c.rel("insecureSkipVerify"), RuleInsecureSkipVerify, FateRisk,
			"TLS verification off in %s: delete it, trust the CA with rootCAs", c.dexName())
	}
	if isTrue(cfg.InsecureSkipIssuerCallbackDomainCheck) && c.reads("insecureSkipIssuerCallbackDomainCheck") {
		c.add(c.rel("insecureSkipIssuerCallbackDomainCheck"), RuleInsecureSkipIssuerCallbackDomainCheck, FateRisk,
			"%s no longer checks redirectURI: set it to false", c.dexName())
	}
	if len(cfg.HostedDomains) > 0 && c.opts.Target.IsUpstreamDex() {
		c.addOpen(c.rel("hostedDomains"), RuleHostedDomainsRefused,
			"upstream Dex's oidc connector refuses hostedDomains: use type: google, which reads it, or delete it")
	}
	if cfg.PKCEChallenge != "" && c.reads("pkceChallenge") && cfg.PKCEChallenge != "plain" && cfg.PKCEChallenge != "S256" {
		fix := `use "S256", or delete the key (Dex then picks one)`
		if strings.EqualFold(cfg.PKCEChallenge, "plain") || strings.EqualFold(cfg.PKCEChallenge, "S256") {
			fix = `values are case-sensitive; use "plain" or "S256"`
		}
		c.add(c.rel("pkceChallenge"), RulePKCEChallenge, FateLoginFails,
			"%q is not a PKCE method Dex knows: %s", cfg.PKCEChallenge, fix)
	}
	if cfg.PromptType != nil && *cfg.PromptType == "" && !c.opts.Target.IsUpstreamDex() {
		c.add(c.rel("promptType"), RulePromptTypeEmpty, FateIgnored,
			"%s reads an empty promptType as \"consent\": delete it, or set a prompt (\"login\")", c.dexName())
	}
}

// reads reports whether the target's Dex reads an oidc config key.
func (c *entryCheck) reads(key string) bool {
	_, f := c.dex.connector(typeOIDC).field(key)
	return f != nil
}

// rel is the path of a config key relative to the entry: under config, or
// under jsonConfig when Dex gets that.
func (c *entryCheck) rel(key string) string { return joinPath(c.cfgKey, key) }

// placeholder reports values that are templates, not credentials.
func placeholder(s string) bool {
	return strings.HasPrefix(s, "$") || strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") || strings.Contains(s, "${")
}

// oidcTagFindings says what Validate reports when a validate tag of
// OIDCConfig fails (reportTag), by tag and field. A value that is not a URL
// is reported by the field's own URL check.
var oidcTagFindings = map[string]tagFinding{
	"trimmed_required issuer": {rule: RuleRequired, open: true,
		msg: text(`missing: set the provider's issuer, such as "https://acme.us.auth0.com/"`)},
	"trimmed_required clientID": {rule: RuleRequired, fate: loginFails,
		msg: text("missing: set the client ID of the provider's application")},
	"trimmed_required clientSecret": {rule: RuleRequired, fate: loginFails,
		msg: text("missing: set the application's client secret (or use a Secret)")},
	"trimmed_required redirectURI": {rule: RuleRequired, fate: loginFails,
		msg: func(c *entryCheck, _ string) string { return fmt.Sprintf("missing: use %q", c.callback("")) }},
	"trimmed_url issuer": {report: (*entryCheck).issuerNotURL},
	"trimmed_url redirectURI": {report: func(c *entryCheck, val string) {
		c.compareCallback(c.rel("redirectURI"), val, false)
	}},
}

func loginFails(*entryCheck) Fate { return FateLoginFails }

func (c *entryCheck) issuerNotURL(raw string) {
	if fixed, ok := c.guessURL(raw, c.fixIssuer); ok {
		c.addOpen(c.rel("issuer"), RuleIssuerURL, "not an absolute URL: use %q", fixed)
		return
	}
	c.addOpen(c.rel("issuer"), RuleIssuerURL,
		"not an absolute URL with a host: write one such as %q", "https://acme.us.auth0.com/")
}

// guessURL fixes a URL written without a scheme ("acme.us.auth0.com").
func (c *entryCheck) guessURL(s string, fix func(*url.URL) string) (string, bool) {
	if strings.Contains(s, "://") || strings.ContainsAny(s, " @") {
		return "", false
	}
	u, err := url.Parse("https://" + s)
	if err != nil || u.Hostname() == "" || !(strings.Contains(u.Hostname(), ".") || isLoopback(u.Hostname())) {
		return "", false
	}
	return fix(u), true
}

// inOIDCExtra reports whether the config's Extra holds key under any case:
// a known key with a value of the wrong type.
func (c *entryCheck) inOIDCExtra(cfg *OIDCConfig, key string) bool {
	for k := range cfg.Extra {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// fixIssuer returns the issuer as it should be written: no user
// information, query or fragment, lower-case scheme and host, no discovery
// suffix, and the provider's path form.
func (c *entryCheck) fixIssuer(u *url.URL) string {
	f := *u
	f.Scheme = strings.ToLower(f.Scheme)
	if f.Scheme != "http" {
		f.Scheme = "https"
	}
	f.User, f.RawQuery, f.Fragment, f.RawFragment, f.ForceQuery = nil, "", "", "", false
	f.Host = strings.ToLower(f.Host)
	f.Path = strings.TrimSuffix(f.Path, "/.well-known/openid-configuration")
	f.RawPath = ""
	if p := providerOf(f.Hostname(), f.Path); p != nil && p.hosted() {
		f.Scheme, f.Host = "https", f.Hostname()
	}
	if p, ok := providerPath(f.Hostname(), f.Path); ok {
		f.Path = p
	}
	return f.String()
}

func (c *entryCheck) checkIssuer(raw string) {
	rel := c.rel("issuer")
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" { // validator's url accepts "localhost:5556"
		c.issuerNotURL(raw)
		return
	}
	fixed := c.fixIssuer(u)
	host := strings.ToLower(u.Hostname())
	path := strings.TrimSuffix(u.Path, "/.well-known/openid-configuration")
	p := providerOf(host, path)
	if !resolvableHost(host) {
		c.addOpen(rel, RuleIssuerURL,
			"host %q never resolves (a placeholder or a reserved name): write the provider's real host", u.Hostname())
	}
	switch scheme := strings.ToLower(u.Scheme); {
	case scheme == "https":
	case scheme == "http" && p != nil && p.hosted():
		c.addOpen(rel, p.rule,
			"%s serves its discovery document over https only and writes an https issuer: use %q", p.title, fixed)
	case scheme == "http":
		if !(isLoopback(u.Hostname()) && c.opts.InsecureAllowHTTPLoopback) {
			c.add(rel, RuleIssuerHTTPS, FateRisk,
				"plain http: use the provider's https issuer")
		}
	default:
		c.addOpen(rel, RuleIssuerHTTPS, "not http or https: use %q", fixed)
	}
	if u.User != nil {
		c.addOpen(rel, RuleIssuerUserinfo,
			"user:password@ in the issuer: use %q", fixed)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		c.addOpen(rel, RuleIssuerQuery,
			"query or fragment in the issuer: use %q", fixed)
	}
	if strings.HasSuffix(u.Path, "/.well-known/openid-configuration") {
		c.addOpen(rel, RuleIssuerDiscoveryURL,
			"the discovery URL, not the issuer: use %q", fixed)
	}
	if host := u.Host; u.Scheme != raw[:len(u.Scheme)] || host != strings.ToLower(host) {
		c.addOpen(rel, RuleIssuerCase,
			"scheme or host in upper case: use %q", fixed)
	}
	if p != nil && p.hosted() && u.Port() != "" {
		c.addOpen(rel, p.rule,
			"%s's issuer has no port (its servers listen on 443 only, and the document writes none): use %q", p.title, fixed)
	}
	if p == nil {
		if strings.HasSuffix(path, "/") {
			c.add(rel, RuleIssuerTrailingSlash, FateRisk,
				"trailing \"/\" (most issuers have none): copy it from the discovery document")
		}
		return
	}
	want, ok, why := p.issuerPath(path)
	switch {
	case why != "":
		c.addOpen(rel, p.rule, "%s: use %s", why, shortForm(p.form))
	case !ok:
		c.addOpen(rel, p.rule,
			"no %s discovery document here: use %s", p.title, shortForm(p.form))
	case path+"/" == want:
		c.addOpen(rel, p.rule,
			"%s issuers end with \"/\": use %q", p.title, fixed)
	case path == want+"/":
		c.addOpen(rel, p.rule,
			"%s issuers have no trailing \"/\": use %q", p.title, fixed)
	case want != path:
		c.addOpen(rel, p.rule,
			"not the %s issuer form: use %q", p.title, fixed)
	}
}

// resolvableHost reports whether a cluster's resolver could look host up:
// a domain name (labels of letters, digits, "-", "_"; Go's resolver refuses
// anything else before asking DNS, net/dnsclient.go isDomainName) or an IP
// address, and not under the TLD reserved never to resolve (.invalid, RFC
// 2606 and 6761). A placeholder such as "<your-domain>.okta.com" is neither.
func resolvableHost(host string) bool {
	if net.ParseIP(host) != nil {
		return true
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "" || len(h) > 253 || h == "invalid" || strings.HasSuffix(h, ".invalid") {
		return false
	}
	for _, l := range strings.Split(h, ".") {
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

// isLoopback reports whether host is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// callback returns the redirect URI to propose: Dex's callback when its
// issuer is known, else on host (the one written), else a placeholder.
func (c *entryCheck) callback(host string) string {
	if c.dexCallback != "" {
		return c.dexCallback
	}
	if host == "" {
		host = "<proxy.host>"
	}
	return "https://" + host + "/dex/callback"
}

// dexCallbackOf returns Dex's callback URL for its issuer, as Dex builds it
// (server/server.go, absURL: the issuer's path joined with "callback").
func dexCallbackOf(issuer string) (string, error) {
	u, err := url.Parse(issuer)
	if err != nil {
		return "", err
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not an http or https URL with a host", issuer)
	}
	u.Path = path.Join(u.Path, "/callback")
	u.RawPath = ""
	return u.String(), nil
}

// checkRedirectURI compares the oidc connector's redirectURI with Dex's
// callback URL.
func (c *entryCheck) checkRedirectURI(raw string, cfg *OIDCConfig) {
	skip := isTrue(cfg.InsecureSkipIssuerCallbackDomainCheck) && c.reads("insecureSkipIssuerCallbackDomainCheck")
	c.compareCallback(c.rel("redirectURI"), raw, skip)
}

// compareCallback compares a redirect URI with Dex's callback URL the way
// the connectors' LoginURL does: as strings (validate_connectors.go says which
// types do). Without a known callback only the URL's form is checked. skip
// is the oidc fork's insecureSkipIssuerCallbackDomainCheck.
func (c *entryCheck) compareCallback(rel, raw string, skip bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		fixed := c.callback("")
		if g, ok := c.guessURL(raw, func(u *url.URL) string { return c.callback(strings.ToLower(u.Host)) }); ok {
			fixed = g
		}
		c.add(rel, RuleRedirectURIURL, FateLoginFails, "not an absolute URL: use %q", fixed)
		return
	}
	fate, why := FateLoginFails, ""
	if skip {
		fate, why = FateRisk, " (Dex's check is skipped)"
		if c.dexCallback != "" && !routesToCallback(raw, c.dexCallback, c.e.ID) {
			// LoginURL lets it through, but the browser lands where the
			// chart does not route to Dex's callback.
			fate, why = FateLoginFails, " (Dex's check is skipped, but the browser is sent where Dex's callback is not)"
		}
	}
	if c.dexCallback == "" {
		fixed := c.callback(strings.ToLower(u.Host))
		if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
			c.add(rel, RuleRedirectURIQuery, fate, "user info, query or fragment%s: use %q", why, fixed)
		}
		if !strings.HasSuffix(u.Path, "/callback") {
			c.add(rel, RuleRedirectURIPath, fate, "path is not Dex's callback%s: use %q", why, fixed)
		}
		return
	}
	want := c.dexCallback
	if raw == want {
		return
	}
	w, _ := url.Parse(want)
	switch {
	case u.Scheme != w.Scheme:
		c.add(rel, RuleRedirectURIHTTPS, fate, "scheme %q is not the callback's%s: use %q", u.Scheme, why, want)
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#"):
		c.add(rel, RuleRedirectURIQuery, fate, "user info, query or fragment%s: use %q", why, want)
	case u.Host != w.Host:
		c.add(rel, RuleRedirectURIHost, fate, "host %q is not the callback's%s: use %q", u.Host, why, want)
	default:
		c.add(rel, RuleRedirectURIPath, fate, "path %q is not the callback's%s: use %q", u.Path, why, want)
	}
}

// routesToCallback reports whether a browser sent to redirect reaches Dex's
// callback handler: the same scheme, host (DNS names are case-insensitive)
// and port (the scheme's default when none is written) as callback, and
// either its path exactly or its path + "/" + the connector's id. Dex's
// router serves exactly path.Join(issuer path, "/callback") and
// ".../callback/{connector}", the latter only for the connector that
// started the login (server/server.go:369-381 and handlers.go:429-437 at
// pachyderm/dex 706aec2; server.go:484-496 at v2.45.1); a query is
// passed along and ignored. The conformance harness's routing stage
// (conformance/harness/route.go) runs this on every modelled Dex.
func routesToCallback(redirect, callback, id string) bool {
	u, err := url.Parse(redirect)
	w, werr := url.Parse(callback)
	if err != nil || werr != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "http") {
			return "80"
		}
		return "443"
	}
	if !strings.EqualFold(u.Scheme, w.Scheme) || !strings.EqualFold(u.Hostname(), w.Hostname()) || port(u) != port(w) {
		return false
	}
	p := u.EscapedPath()
	return p == w.EscapedPath() || p == w.EscapedPath()+"/"+url.PathEscape(id)
}

// checkRoute checks a redirect URI that no LoginURL compares (SAML's ACS
// URL): the provider sends the browser there, so it must reach Dex's
// callback (routesToCallback).
func (c *entryCheck) checkRoute(rel, raw string) {
	if c.dexCallback == "" || routesToCallback(raw, c.dexCallback, c.e.ID) {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		c.add(rel, RuleRedirectURIURL, FateLoginFails, "not an absolute URL: use %q", c.dexCallback)
		return
	}
	w, _ := url.Parse(c.dexCallback)
	const why = ": the provider sends the browser there, where Dex's callback is not"
	switch {
	case !strings.EqualFold(u.Scheme, w.Scheme):
		c.add(rel, RuleRedirectURIHTTPS, FateLoginFails, "scheme %q is not the callback's%s: use %q", u.Scheme, why, c.dexCallback)
	case !strings.EqualFold(u.Host, w.Host):
		c.add(rel, RuleRedirectURIHost, FateLoginFails, "host %q is not the callback's%s: use %q", u.Host, why, c.dexCallback)
	default:
		c.add(rel, RuleRedirectURIPath, FateLoginFails, "path %q is not the callback's%s: use %q", u.Path, why, c.dexCallback)
	}
}

// checkRootCA checks one rootCAs item the way the target's Dex reads it.
func (c *entryCheck) checkRootCA(rel, ca string) {
	if c.dex.rootCAs == rootCAsPathsOnly {
		switch {
		case ca == "":
			c.addOpen(rel, RuleRootCAInvalid, "an empty item is read as a file path, which does not exist: delete it")
		case strings.Contains(ca, "-----BEGIN") || strings.ContainsAny(ca, "\n") || isBase64PEM(ca):
			c.addOpen(rel, RuleRootCAInvalid,
				"%s reads rootCAs items as file paths only: give /dexcreds/<key> (oidc.dexCredentialSecretName)", c.dexName())
		default:
			c.checkPodFile(rel, RuleRootCAFile, ca)
		}
		return
	}
	const how = "give a PEM certificate, its base64 (base64 -w0 ca.pem), or the absolute path of a mounted file"
	switch {
	case ca == "":
		return // upstream Dex skips empty items
	case strings.Contains(ca, "-----BEGIN"):
		if msg := pemCertProblem([]byte(ca)); msg != "" {
			c.addOpen(rel, RuleRootCAInvalid, "this PEM %s, so Dex fails to open the connector: %s", msg, how)
		}
		return
	}
	if data, err := base64.StdEncoding.DecodeString(ca); err == nil {
		if msg := pemCertProblem(data); msg != "" {
			c.addOpen(rel, RuleRootCAInvalid, "this base64 value decodes to data that %s, so Dex fails to open the connector: %s", msg, how)
		}
		return
	}
	compact := strings.Join(strings.Fields(ca), "")
	if data, err := base64.StdEncoding.DecodeString(compact); err == nil && compact != ca && pemCertProblem(data) == "" {
		c.addOpen(rel, RuleRootCAInvalid,
			"this base64 value has line breaks or spaces, which Dex's base64 decoder rejects, so Dex fails to open the connector: write it on one line (base64 -w0 ca.pem)")
		return
	}
	switch {
	case strings.HasPrefix(ca, "/"):
		c.checkPodFile(rel, RuleRootCAFile, ca)
	case !strings.ContainsAny(ca, " \t\r\n") && (strings.Contains(ca, "/") || hasCertExt(ca)):
		c.checkPodFile(rel, RuleRootCAFile, ca)
	default:
		c.addOpen(rel, RuleRootCAInvalid, "not a PEM certificate, base64 of one, or a file path, so Dex fails to open the connector: %s", how)
	}
}

// isBase64PEM reports whether s is base64 of a PEM certificate.
func isBase64PEM(s string) bool {
	data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	return err == nil && pemCertProblem(data) == ""
}

func hasCertExt(s string) bool {
	for _, ext := range []string{".pem", ".crt", ".cer", ".ca-bundle"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

// pemCertProblem returns "" when data holds at least one PEM certificate
// that parses (what Go's AppendCertsFromPEM needs), else what is wrong.
func pemCertProblem(data []byte) string {
	blocks := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		blocks++
		if b.Type != "CERTIFICATE" || len(b.Headers) != 0 {
			continue // skipped by AppendCertsFromPEM (crypto/x509/cert_pool.go)
		}
		if _, err := x509.ParseCertificate(b.Bytes); err == nil {
			return ""
		}
	}
	if blocks == 0 {
		return "is not valid PEM"
	}
	return "holds no certificate that parses"
}

func isTrue(b *bool) bool { return b != nil && *b }

// skipEmailMsg is the message of insecure-skip-email-verified: what the
// provider of the issuer sends, and the fix.
func skipEmailMsg(issuer string) string {
	var p *knownProvider
	if u, err := url.Parse(issuer); err == nil {
		p = providerOf(strings.ToLower(u.Hostname()), u.Path)
	}
	switch {
	case p == nil:
		return "every email counts as verified: false if the provider sends email_verified"
	case p.noEmailVerified:
		return p.title + " sends no email_verified: restrict sign-in, then acknowledge it with pachidp:ignore"
	}
	return p.title + " sends email_verified: set it to false"
}

// shortForm is an issuer form up to its first comment: "https://<org>.okta.com
// for the org server ..." stays whole, "..., the tenant named by its GUID"
// loses its tail.
func shortForm(form string) string {
	if i := strings.Index(form, ", "); i > 0 {
		return form[:i]
	}
	return form
}
