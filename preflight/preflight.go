package preflight

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dexidp/dex/connector"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
	"github.com/pachidp/pachidp/internal/helmyaml"
	"github.com/pachidp/pachidp/internal/scrub"
)

// defaultPreflightTimeout is the time Run gives each entry when
// Options.Timeout is zero.
const defaultPreflightTimeout = 10 * time.Second

// maxDiscoverySize bounds the discovery documents Run reads. Real ones
// are a few KiB.
const maxDiscoverySize = 1 << 20

// The names of the checks, in the order Run runs them.
const (
	checkConfig     = "config"
	checkDiscovery  = "discovery"
	checkIssuer     = "issuer"
	checkGrantTypes = "grant-types"
	checkDexOpen    = "dex-open"
)

// Options tunes Run. The zero value checks against the
// system's CAs, with 10 seconds per entry and no logging.
type Options struct {
	// HTTPClient fetches the discovery documents. nil means a client that
	// trusts the system's CAs plus RootCAs and honours HTTPS_PROXY. A client
	// given here is used as is: RootCAs do not change it.
	//
	// Dex's Open never uses this client: Dex builds its own, trusting the
	// system's CAs, RootCAs and the entry's config.rootCAs.
	HTTPClient *http.Client

	// RootCAs is a PEM bundle of CA certificates to trust in addition to the
	// system's, for providers whose certificate a private CA signs (the
	// --ca-file of `pachidp check`). Dex's Open trusts them too.
	RootCAs []byte

	// Timeout bounds all checks of one entry; 0 means 10 seconds.
	// Entries are checked concurrently, so Run returns within about
	// Timeout.
	Timeout time.Duration

	// Path is the path of the list in the values file, used in check paths;
	// default "oidc.upstreamIDPs".
	Path string

	// Logger, when set, receives a debug line per check and Dex's own log
	// lines. Neither ever holds a secret.
	Logger *slog.Logger
}

// CheckStatus is the outcome of one preflight check.
type CheckStatus int

const (
	CheckPassed  CheckStatus = iota // the check ran and found nothing wrong
	CheckFailed                     // the check found a problem; Message says how to fix it
	CheckSkipped                    // the check did not run; Message says why
)

// upstreamDex names the Dex that opens the entry, as the root names it
// (its version is written once, in the root's versions.go).
var upstreamDex = pachidp.TargetUpstreamDex.String()

// MarshalText writes "passed", "failed" or "skipped", so checks read well
// as JSON.
func (s CheckStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// String returns "passed", "failed" or "skipped".
func (s CheckStatus) String() string {
	switch s {
	case CheckPassed:
		return "passed"
	case CheckFailed:
		return "failed"
	case CheckSkipped:
		return "skipped"
	}
	return fmt.Sprintf("CheckStatus(%d)", int(s))
}

// Check is the outcome of one check of one entry.
type Check struct {
	// Name is, in the order the checks run:
	//   - "config": the entry is an oidc entry with a usable issuer URL
	//     (skipped for other connector types);
	//   - "discovery": <issuer minus trailing slash>/.well-known/openid-configuration
	//     answers 200 OK with a JSON object, as Dex fetches it;
	//   - "issuer": the document's issuer equals config.issuer byte for byte,
	//     as Pachyderm's Dex requires;
	//   - "grant-types": when the document lists grant_types_supported,
	//     authorization_code is among them;
	//   - "dex-open": upstream Dex v2.45.1's oidc connector opens the entry.
	Name    string           `json:"name"`
	Status  CheckStatus      `json:"status"`
	Path    string           `json:"path"`     // where to fix it, such as "oidc.upstreamIDPs[0].config.issuer"
	Pos     pachidp.Position `json:"position"` // line and column of Path when the entries came from a document
	Message string           `json:"message"`  // what was found and how to fix it; never holds a secret
}

// String formats the check as `name status: path (line L): message`.
func (c Check) String() string {
	return c.Name + " " + c.Status.String() + ": " + c.location() + ": " + c.Message
}

func (c Check) location() string {
	if c.Pos.IsValid() {
		return fmt.Sprintf("%s (line %d)", c.Path, c.Pos.Line)
	}
	return c.Path
}

// Result is the outcome of the checks of one entry.
type Result struct {
	Index  int    // position of the entry in the list
	Path   string // "oidc.upstreamIDPs[0]"
	ID     string // the entry's id
	Type   string // the entry's connector type
	Issuer string // the configured issuer, "" when there is none
	// Checks are the checks in the order they ran: for an oidc entry always
	// config, discovery, issuer, grant-types and dex-open; for an entry of
	// another type a single skipped config check.
	Checks []Check
}

// Failed returns the checks that failed.
func (r Result) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == CheckFailed {
			out = append(out, c)
		}
	}
	return out
}

// Err returns nil when no check failed, and a *Error otherwise.
func (r Result) Err() error {
	if failed := r.Failed(); len(failed) > 0 {
		return &Error{Failed: failed}
	}
	return nil
}

// Results holds one result per entry, in the entries' order.
type Results []Result

// Err returns nil when no check of any entry failed, and a *Error
// holding every failed check otherwise.
func (rs Results) Err() error {
	var failed []Check
	for _, r := range rs {
		failed = append(failed, r.Failed()...)
	}
	if len(failed) > 0 {
		return &Error{Failed: failed}
	}
	return nil
}

// Error is the error of a preflight in which checks failed. Use
// errors.As to get at the checks.
type Error struct {
	Failed []Check
}

// Error lists the failed checks, one `path (line L): message` per line.
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	lines := make([]string, 0, len(e.Failed))
	for _, c := range e.Failed {
		lines = append(lines, c.location()+": "+c.Message)
	}
	return fmt.Sprintf("%d preflight check(s) failed:\n%s", len(e.Failed), strings.Join(lines, "\n"))
}

// Run checks, before a cluster starts, that every oidc entry works
// against its provider the way Dex will use it. For each entry, with a
// deadline of opts.Timeout, it fetches the discovery document, compares its
// issuer with config.issuer byte for byte (and when they differ only by a
// trailing slash, says which value to write), checks that the provider offers
// the authorization_code grant when it lists its grant types, and opens the
// entry with upstream Dex v2.45.1's real oidc connector. Entries of other
// types are skipped. Entries are checked concurrently; the results are in the
// entries' order.
//
// Dex's Open cannot be cancelled: it runs with context.Background and an HTTP
// client whose only limits are 30s to connect and 10s for the TLS handshake.
// Run stops waiting for it at the entry's deadline and reports a
// timeout; the abandoned call goes on in a goroutine until the provider
// answers or closes the connection, and the connector it opens is then closed.
//
// Run honours ctx: once ctx is done, the remaining checks fail
// promptly.
func Run(ctx context.Context, idps []pachidp.UpstreamIDP, opts Options) Results {
	if ctx == nil {
		ctx = context.Background() // a nil context is a misuse; context.WithTimeout would panic on it
	}
	p := preflighter{opts: opts, client: opts.HTTPClient, logger: opts.Logger}
	if p.opts.Timeout <= 0 {
		p.opts.Timeout = defaultPreflightTimeout
	}
	if p.opts.Path == "" {
		p.opts.Path = "oidc.upstreamIDPs"
	}
	if p.logger == nil {
		p.logger = slog.New(slog.DiscardHandler)
	}
	if len(opts.RootCAs) > 0 && !x509.NewCertPool().AppendCertsFromPEM(opts.RootCAs) {
		p.caErr = "the CA bundle (preflight.Options.RootCAs, --ca-file) holds no PEM certificate: pass a file of -----BEGIN CERTIFICATE----- blocks"
	}
	if p.client == nil && p.caErr == "" {
		tr := newPreflightTransport(opts.RootCAs)
		defer tr.CloseIdleConnections()
		p.client = &http.Client{Transport: tr}
	}

	results := make(Results, len(idps))
	var wg sync.WaitGroup
	for i := range idps {
		wg.Go(func() { results[i] = p.entry(ctx, i, idps[i]) })
	}
	wg.Wait()
	return results
}

// newPreflightTransport is http.DefaultTransport trusting the system's CAs
// plus rootCAs (already known to hold a certificate when not empty).
func newPreflightTransport(rootCAs []byte) *http.Transport {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AppendCertsFromPEM(rootCAs)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	return tr
}

type preflighter struct {
	opts   Options
	client *http.Client
	logger *slog.Logger
	caErr  string // set when opts.RootCAs holds no certificate
}

// entryRun collects the checks of one entry.
type entryRun struct {
	p      *preflighter
	ctx    context.Context
	e      pachidp.UpstreamIDP
	r      *Result
	secret string // scrubbed from every message
}

func (run *entryRun) add(name string, status CheckStatus, rel, msg string) {
	msg = scrub.Secrets(msg, pachidp.Redacted, run.secret)
	c := Check{Name: name, Status: status, Path: run.r.Path + "." + rel, Pos: run.e.Pos(rel), Message: msg}
	run.r.Checks = append(run.r.Checks, c)
	run.p.logger.LogAttrs(run.ctx, slog.LevelDebug, "pachidp preflight",
		slog.String("path", c.Path), slog.String("check", name),
		slog.String("status", status.String()), slog.String("message", msg))
}

// skipRest adds the checks after the first n as skipped.
func (run *entryRun) skipRest(n int, rel, why string) {
	names := []string{checkConfig, checkDiscovery, checkIssuer, checkGrantTypes, checkDexOpen}
	for _, name := range names[n:] {
		run.add(name, CheckSkipped, rel, why)
	}
}

func (p *preflighter) entry(parent context.Context, i int, e pachidp.UpstreamIDP) Result {
	r := Result{Index: i, Path: helmyaml.IndexPath(p.opts.Path, i), ID: e.ID, Type: e.Type}
	ctx, cancel := context.WithTimeout(parent, p.opts.Timeout)
	defer cancel()
	run := &entryRun{p: p, ctx: parent, e: e, r: &r}

	if e.Type != "oidc" {
		run.add(checkConfig, CheckSkipped, "type",
			fmt.Sprintf("type %q is not checked: preflight checks oidc entries only", e.Type))
		return r
	}

	// config
	cfg, rel, msg := entryOIDCConfig(e)
	if cfg != nil {
		run.secret = cfg.ClientSecret
		r.Issuer = cfg.Issuer
		rel, msg = checkIssuerURL(cfg, rel)
	}
	if msg != "" {
		run.add(checkConfig, CheckFailed, rel, msg)
		run.skipRest(1, rel, "config invalid")
		return r
	}
	run.add(checkConfig, CheckPassed, rel, fmt.Sprintf("oidc entry with issuer %q", cfg.Issuer))

	// discovery
	wellKnown := strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/openid-configuration"
	doc, msg := p.fetchDiscovery(ctx, parent, wellKnown)
	if msg != "" {
		run.add(checkDiscovery, CheckFailed, rel, msg)
		run.skipRest(2, configRel(rel), "discovery failed")
		return r
	}
	run.add(checkDiscovery, CheckPassed, rel, "GET "+wellKnown+": 200 OK")

	// issuer
	status, msg := compareIssuer(cfg, doc.issuer, wellKnown)
	run.add(checkIssuer, status, rel, msg)

	// grant-types
	status, msg = checkGrantTypeList(doc)
	run.add(checkGrantTypes, status, rel, msg)

	// dex-open
	status, msg = p.dexOpen(ctx, parent, e.ID, cfg)
	run.add(checkDexOpen, status, configRel(rel), msg)
	return r
}

// configRel is the place of the whole config: "config", or "jsonConfig"
// when the issuer was read from there.
func configRel(issuerRel string) string {
	if issuerRel == "jsonConfig" {
		return issuerRel
	}
	return "config"
}

// entryOIDCConfig returns the entry's OIDC config, reading the legacy
// jsonConfig when there is no config, as pachd does. rel is the place of the
// issuer relative to the entry; msg is non-empty when there is no usable
// config.
func entryOIDCConfig(e pachidp.UpstreamIDP) (cfg *pachidp.OIDCConfig, rel, msg string) {
	switch {
	case e.OIDC != nil:
		return e.OIDC, "config.issuer", ""
	case e.Extra != nil && hasKey(e.Extra, "config"):
		return nil, "config", fmt.Sprintf("must be a mapping, got %s", helmyaml.TypeName(e.Extra["config"]))
	case e.JSONConfig != "":
		var m map[string]any
		if err := json.Unmarshal([]byte(e.JSONConfig), &m); err != nil || m == nil {
			return nil, "jsonConfig", "is not a JSON object: write the settings under config instead"
		}
		legacy, err := pachidp.UpstreamIDPFromMap(map[string]any{"type": "oidc", "config": m})
		if err != nil || legacy.OIDC == nil {
			return nil, "jsonConfig", "is not a JSON object: write the settings under config instead"
		}
		return legacy.OIDC, "jsonConfig", ""
	}
	return nil, "config", "missing: an oidc entry needs a config with issuer, clientID, clientSecret and redirectURI"
}

// checkIssuerURL checks that the configured issuer is an absolute http(s)
// URL. It returns the place of the problem and a message, or rel and "".
func checkIssuerURL(cfg *pachidp.OIDCConfig, rel string) (string, string) {
	what := "" // the path names config.issuer; inside jsonConfig, say which key
	if rel == "jsonConfig" {
		what = "issuer "
	}
	if cfg.Issuer == "" {
		if v, ok := cfg.Extra["issuer"]; ok {
			return rel, fmt.Sprintf("%smust be a string, got %s", what, helmyaml.TypeName(v))
		}
		return rel, what + `empty: set it to the provider's issuer URL, exactly as its discovery document says (such as "https://acme.us.auth0.com/")`
	}
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return rel, fmt.Sprintf(`%s%q is not an http(s) URL: set it to the provider's issuer URL (such as "https://acme.us.auth0.com/")`, what, cfg.Issuer)
	}
	return rel, ""
}

// discoveryDoc is what Run reads of a discovery document.
type discoveryDoc struct {
	issuer     string
	grantTypes json.RawMessage // nil when the document does not list them
}

// fetchDiscovery fetches and decodes a discovery document the way go-oidc's
// NewProvider does, with limits. msg is non-empty on failure.
func (p *preflighter) fetchDiscovery(ctx, parent context.Context, wellKnown string) (doc discoveryDoc, msg string) {
	if p.caErr != "" {
		return doc, p.caErr
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, wellKnown, nil)
	if err != nil {
		return doc, fmt.Sprintf("cannot build a request for %q: check config.issuer", wellKnown)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return doc, p.describeFetchError(ctx, parent, wellKnown, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDiscoverySize+1))
	if err != nil {
		return doc, p.describeFetchError(ctx, parent, wellKnown, err)
	}
	if resp.StatusCode != http.StatusOK {
		fix := "check config.issuer: Dex fetches <issuer without trailing slash>/.well-known/openid-configuration"
		if resp.StatusCode >= 500 {
			fix = "the provider failed: try again later, or check the provider's status"
		}
		return doc, fmt.Sprintf("GET %s: %s, want 200 OK: %s", wellKnown, resp.Status, fix)
	}
	return parseDiscovery(body, resp.Header.Get("Content-Type"), wellKnown)
}

// parseDiscovery reads the fields Run checks from a discovery document
// fetched from wellKnown. msg is non-empty when the document is unusable; it
// never quotes the document.
func parseDiscovery(body []byte, contentType, wellKnown string) (doc discoveryDoc, msg string) {
	if len(body) > maxDiscoverySize {
		return doc, fmt.Sprintf("GET %s: the discovery document is larger than 1 MiB: check config.issuer", wellKnown)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		hint := ""
		if !isJSONMediaType(contentType) {
			hint = fmt.Sprintf(" (Content-Type %q: is config.issuer the provider's issuer, not a web page?)", contentType)
		}
		return doc, fmt.Sprintf("GET %s: malformed discovery document: %s%s", wellKnown, jsonErrorText(err), hint)
	}
	if raw, ok := fields["issuer"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &doc.issuer); err != nil {
			return doc, fmt.Sprintf("GET %s: malformed discovery document: issuer is not a string", wellKnown)
		}
	}
	if raw, ok := fields["grant_types_supported"]; ok && string(raw) != "null" {
		doc.grantTypes = raw
	}
	return doc, ""
}

func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// jsonErrorText describes a JSON error without quoting the document.
func jsonErrorText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("want a JSON object, got a JSON %s", te.Value)
	}
	return "not JSON"
}

// describeFetchError turns a failed GET into a message with a fix.
func (p *preflighter) describeFetchError(ctx, parent context.Context, wellKnown string, err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var (
		unknownCA   x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		dnsErr      *net.DNSError
		opErr       *net.OpError
		netErr      net.Error
	)
	switch {
	case parent.Err() != nil:
		return fmt.Sprintf("GET %s: stopped: %v", wellKnown, context.Cause(parent))
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return fmt.Sprintf("GET %s: no answer within %s: check that this machine can reach the provider (proxy, firewall), or raise the timeout", wellKnown, p.opts.Timeout)
	case errors.As(err, &unknownCA):
		return fmt.Sprintf("GET %s: the provider's certificate is signed by an unknown authority: pass its CA bundle (--ca-file, preflight.Options.RootCAs)", wellKnown)
	case errors.As(err, &hostErr):
		return fmt.Sprintf("GET %s: the provider's certificate is not valid for this host: check the host of config.issuer (%v)", wellKnown, hostErr.Error())
	case errors.As(err, &invalidCert):
		return fmt.Sprintf("GET %s: the provider's certificate is invalid: %v", wellKnown, invalidCert.Error())
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("GET %s: cannot resolve %s: check the host of config.issuer", wellKnown, dnsErr.Name)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Sprintf("GET %s: cannot connect: %v: check the host and port of config.issuer, and that this machine can reach them", wellKnown, opErr.Err)
	}
	return fmt.Sprintf("GET %s: %v", wellKnown, err)
}

// compareIssuer compares the configured issuer with the provider's, byte for
// byte, as Dex does.
func compareIssuer(cfg *pachidp.OIDCConfig, got, wellKnown string) (CheckStatus, string) {
	want := cfg.Issuer
	switch {
	case got == "":
		return CheckFailed, fmt.Sprintf("the discovery document at %s has no issuer, and Dex refuses it: check that config.issuer is an OpenID Connect provider", wellKnown)
	case got == want:
		return CheckPassed, fmt.Sprintf("%q is the provider's issuer", want)
	}
	var msg string
	if strings.TrimSuffix(got, "/") == strings.TrimSuffix(want, "/") {
		msg = fmt.Sprintf("the provider says its issuer is %q; Dex compares byte for byte: use %q", got, got)
	} else {
		msg = fmt.Sprintf("the provider at %s says its issuer is %q, not %q; Dex compares byte for byte: use %q if that is the provider you mean", wellKnown, got, want, got)
	}
	if cfg.IssuerAlias == got {
		msg += " (config.issuerAlias matches it, but Pachyderm's Dex ignores issuerAlias)"
	}
	return CheckFailed, msg
}

// checkGrantTypeList checks grant_types_supported, when listed.
func checkGrantTypeList(doc discoveryDoc) (CheckStatus, string) {
	if doc.grantTypes == nil {
		return CheckSkipped, "the provider does not list grant_types_supported; OpenID Connect's default (authorization_code, implicit) has the grant Dex uses"
	}
	var types []string
	if err := json.Unmarshal(doc.grantTypes, &types); err != nil {
		return CheckSkipped, "grant_types_supported is not a list of strings; Dex does not read it"
	}
	if slices.Contains(types, "authorization_code") {
		return CheckPassed, "the provider supports the authorization_code grant"
	}
	return CheckFailed, fmt.Sprintf(`the provider supports the grant types %q but not "authorization_code", which Dex's login uses: enable the Authorization Code grant at the provider`, types)
}

// dexOpen opens the entry with upstream Dex's oidc connector, waiting at most
// until ctx's deadline.
func (p *preflighter) dexOpen(ctx, parent context.Context, id string, c *pachidp.OIDCConfig) (CheckStatus, string) {
	// Open mutates its receiver: always convert afresh.
	cfg, _, err := dexconv.ToDex(c)
	if err != nil {
		return CheckFailed, err.Error()
	}
	if len(p.opts.RootCAs) > 0 {
		cfg.RootCAs = append(slices.Clip(cfg.RootCAs), string(p.opts.RootCAs))
	}
	logger := p.logger.With(slog.String("connector_id", id))

	type opened struct {
		conn connector.Connector
		err  error
	}
	done := make(chan opened) // unbuffered: a send succeeds only while we wait
	go func() {
		conn, err := cfg.Open(id, logger)
		select {
		case done <- opened{conn, err}:
		case <-ctx.Done():
			// Abandoned at the deadline: release what Dex opened.
			closeConnector(conn)
		}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return CheckFailed, upstreamDex + " cannot open the connector: " + o.err.Error()
		}
		closeConnector(o.conn)
		return CheckPassed, upstreamDex + " opened the connector"
	case <-ctx.Done():
		if parent.Err() != nil {
			return CheckFailed, fmt.Sprintf("stopped: %v", context.Cause(parent))
		}
		return CheckFailed, fmt.Sprintf("%s did not open the connector within %s (the provider is slow to answer): check the provider, or raise the timeout", upstreamDex, p.opts.Timeout)
	}
}

func closeConnector(conn connector.Connector) {
	if c, ok := conn.(io.Closer); ok {
		c.Close()
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }
