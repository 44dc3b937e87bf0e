package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pachidp/pachidp"
)

const addUsage = `usage: pachidp add PROVIDER -f FILE [--in-place] --client-id ID
                   (--client-secret-env VAR | --client-secret-file FILE) [flags]

Builds the oidc.upstreamIDPs entry of Pachyderm's guide for a provider,
checks it, and writes it into the values: an entry with the same id is
replaced where it stands, a new one is appended. Only the entry's lines
change. The edited document goes to standard output, or with --in-place
over FILE.

Providers and their flags:
  auth0     --domain TENANT_DOMAIN
  okta      --domain ORG_DOMAIN [--authorization-server ID]
  keycloak  --host HOST --realm REALM [--base-path /auth]
  entra     --tenant-id GUID                    (also: entraid, entra-id)
  google
  oidc      --issuer URL --id ID --name NAME    (any other OIDC provider)

The redirect URI is Dex's callback: https://<proxy host>/dex/callback with
--proxy-host; else the issuer the chart of --chart-version renders from FILE
(oidc.issuerURI as written, else ingress.host when ingress.enabled, else
proxy.host when proxy.enabled) + /callback.
The client secret is read from an environment variable or a file (one line;
- for standard input), never from a flag, and never printed on standard error.
The entry is validated before anything is written: errors stop the command
(exit 1), warnings are printed on standard error.

Example:
  export AUTH0_CLIENT_SECRET=...   # from the Auth0 application's settings
  pachidp add auth0 -f values.yaml --domain acme.us.auth0.com \
      --client-id hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks \
      --client-secret-env AUTH0_CLIENT_SECRET --in-place
`

// presetFlags are the flags only some providers take.
var presetFlags = map[string][]string{
	"auth0":    {"domain"},
	"okta":     {"domain", "authorization-server"},
	"keycloak": {"host", "realm", "base-path"},
	"entra":    {"tenant-id"},
	"google":   {},
	"oidc":     {"issuer"},
}

var presetNames = []string{"auth0", "okta", "keycloak", "entra", "google", "oidc"}

var presetAliases = map[string]string{"entraid": "entra", "entra-id": "entra"}

// optBool is a boolean flag that remembers whether it was set.
type optBool struct{ p **bool }

func (b optBool) String() string {
	if b.p == nil || *b.p == nil {
		return ""
	}
	return strconv.FormatBool(**b.p)
}

func (b optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("pass true or false")
	}
	*b.p = &v
	return nil
}

func (b optBool) IsBoolFlag() bool { return true }

type addFlags struct {
	file, clientID, secretEnv, secretFile, proxyHost, id, name string
	inPlace, disableMock                                       bool
	domain, authServer, host, realm, basePath, tenantID        string
	issuer                                                     string
	groups, skipEmail, skipCallback                            *bool
}

func runAdd(e *env, args []string) int {
	var f addFlags
	fs := e.newFlags(addUsage)
	fs.StringVar(&f.file, "f", "", valuesFileUsage)
	fs.BoolVar(&f.inPlace, "in-place", false, "replace FILE atomically instead of printing the edited document")
	fs.StringVar(&f.clientID, "client-id", "", "the application's client `ID` at the provider")
	fs.StringVar(&f.secretEnv, "client-secret-env", "", "environment `VAR`iable holding the client secret")
	fs.StringVar(&f.secretFile, "client-secret-file", "", "`FILE` holding the client secret (- for standard input)")
	fs.StringVar(&f.proxyHost, "proxy-host", "", "Pachyderm's `host`[:port] for the redirect URI (default: from FILE)")
	fs.StringVar(&f.id, "id", "", "the entry's `id` (default: the provider's name, such as auth0)")
	fs.StringVar(&f.name, "name", "", "the `name` shown on the login page (default: the provider's, such as Auth0)")
	fs.BoolVar(&f.disableMock, "disable-mock-idp", false, "also set oidc.mockIDP: false")
	fs.Var(optBool{&f.groups}, "insecure-enable-groups", "set config.insecureEnableGroups (default true, as in the guide)")
	fs.Var(optBool{&f.skipEmail}, "insecure-skip-email-verified", "set config.insecureSkipEmailVerified (default true, as in the guide)")
	fs.Var(optBool{&f.skipCallback}, "insecure-skip-issuer-callback-domain-check", "set config.insecureSkipIssuerCallbackDomainCheck (default false)")
	fs.StringVar(&f.domain, "domain", "", "auth0, okta: the tenant's or org's `domain`, such as acme.us.auth0.com")
	fs.StringVar(&f.authServer, "authorization-server", "", "okta: a custom authorization server `ID` (\"default\" or aus...); empty: the org server")
	fs.StringVar(&f.host, "host", "", "keycloak: Keycloak's `host`[:port]")
	fs.StringVar(&f.realm, "realm", "", "keycloak: the `realm`")
	fs.StringVar(&f.basePath, "base-path", "", "keycloak: the `path` Keycloak is served under, /auth before Keycloak 17")
	fs.StringVar(&f.tenantID, "tenant-id", "", "entra: the Directory (tenant) ID, a `GUID`")
	fs.StringVar(&f.issuer, "issuer", "", "oidc: the provider's issuer `URL`, exactly as its discovery document says")
	target := fs.chartVersion()
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	switch len(rest) {
	case 0:
		return e.usageError("which provider? pass one of %s, as in pachidp add auth0 -f values.yaml ...", strings.Join(presetNames, ", "))
	case 1:
	default:
		return e.usageError("unexpected argument %q after the provider %q: every value is passed with a flag", rest[1], rest[0])
	}
	preset := strings.ToLower(rest[0])
	if a, ok := presetAliases[preset]; ok {
		preset = a
	}
	if _, known := presetFlags[preset]; !known {
		msg := fmt.Sprintf("unknown provider %q", rest[0])
		if s := suggest(preset, presetNames); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
		}
		return e.usageError("%s (providers: %s; for others use oidc --issuer URL)", msg, strings.Join(presetNames, ", "))
	}
	var wrong string
	fs.Visit(func(fl *flag.Flag) {
		for p, names := range presetFlags {
			if p != preset && slices.Contains(names, fl.Name) && !slices.Contains(presetFlags[preset], fl.Name) && wrong == "" {
				wrong = fl.Name
			}
		}
	})
	if wrong != "" {
		takes := "no provider flag"
		if pf := presetFlags[preset]; len(pf) > 0 {
			takes = "--" + strings.Join(pf, ", --")
		}
		return e.usageError("--%s is not a flag of %s, which takes %s", wrong, preset, takes)
	}
	if preset == "oidc" && (f.id == "" || f.name == "") {
		return e.usageError("oidc needs --id and --name: the id pachd stores the connector under and the name on the login page, such as --id corp-sso --name \"Corp SSO\"")
	}
	if code, ok := e.checkInPlace(f.file, f.inPlace); !ok {
		return code
	}
	vf, code, ok := e.openValues(f.file)
	if !ok {
		return code
	}
	secret, code, ok := e.clientSecret(f.secretEnv, f.secretFile)
	if !ok {
		return code
	}
	proxyHost, callback := f.proxyHost, ""
	if proxyHost == "" {
		var code int
		if proxyHost, callback, code, ok = e.chartCallback(vf, *target); !ok {
			return code
		}
	}
	entry, err := f.build(preset, secret, proxyHost)
	if err != nil {
		return e.failf(exitUsage, "%s", presetMessage(err))
	}
	if callback != "" && entry.OIDC != nil {
		entry.OIDC.RedirectURI = callback
	}
	return e.upsert(vf, []pachidp.UpstreamIDP{entry}, f.inPlace, f.disableMock, "", *target)
}

// chartCallback returns the host the chart builds Dex's issuer from, for
// the preset, and the redirect URI to write instead of the preset's when
// oidc.issuerURI sets an issuer of another form (its callback is the
// issuer + /callback).
func (e *env) chartCallback(vf *valuesFile, target pachidp.Target) (host, callback string, code int, ok bool) {
	if h, _, found := vf.v.RedirectHost(target); found {
		return h, "", 0, true
	}
	issuer, from, err := vf.v.DexIssuer(target)
	if err != nil {
		code = e.usageError("--proxy-host is needed: %s", describe(vf.name, err))
		return "", "", code, false
	}
	switch from {
	case "proxy.enabled", "pachd.service.type":
		code = e.usageError("--proxy-host is needed: %s sets no host chart %s builds Dex's issuer from (it renders the in-cluster %s, which no browser reaches); set proxy.host, ingress.host with ingress.enabled, or oidc.issuerURI", vf.name, target.Name(), issuer)
		return "", "", code, false
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || strings.Contains(u.Host, ":") && u.Port() == "" {
		code = e.usageError("--proxy-host is needed: Dex's issuer %q (from %s in %s) has no host a redirect URI can name; %s", issuer, from, vf.name, "correct it, or pass --proxy-host")
		return "", "", code, false
	}
	if from == "oidc.issuerURI" {
		e.notef("redirectURI: %s, Dex's issuer from oidc.issuerURI + /callback", issuer+"/callback")
		return u.Host, issuer + "/callback", 0, true
	}
	// An http issuer (TLS off): the guide's https form with the chart's
	// host; validate reports the TLS prerequisite.
	return u.Host, "", 0, true
}

// build maps the flags onto the provider's preset.
func (f *addFlags) build(preset, secret, proxyHost string) (pachidp.UpstreamIDP, error) {
	switch preset {
	case "auth0":
		return pachidp.Auth0{Domain: f.domain, ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	case "okta":
		return pachidp.Okta{Domain: f.domain, AuthorizationServerID: f.authServer, ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	case "keycloak":
		return pachidp.Keycloak{Host: f.host, Realm: f.realm, BasePath: f.basePath, ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	case "entra":
		return pachidp.EntraID{TenantID: f.tenantID, ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	case "google":
		return pachidp.Google{ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	case "oidc":
		return pachidp.GenericOIDC{Issuer: f.issuer, ClientID: f.clientID, ClientSecret: secret, ProxyHost: proxyHost, ID: f.id, Name: f.name,
			InsecureEnableGroups: f.groups, InsecureSkipEmailVerified: f.skipEmail, InsecureSkipIssuerCallbackDomainCheck: f.skipCallback}.UpstreamIDP()
	}
	return pachidp.UpstreamIDP{}, fmt.Errorf("unknown provider %q", preset)
}

// fieldFlags names the flag of each preset field.
var fieldFlags = map[string]string{
	"Domain":                "--domain",
	"AuthorizationServerID": "--authorization-server",
	"Host":                  "--host",
	"Realm":                 "--realm",
	"BasePath":              "--base-path",
	"TenantID":              "--tenant-id",
	"Issuer":                "--issuer",
	"ClientID":              "--client-id",
	"ClientSecret":          "the client secret (--client-secret-env or --client-secret-file)",
	"ProxyHost":             "--proxy-host (or the file's host)",
	"ID":                    "--id",
	"Name":                  "--name",
}

// fieldsInMessages are the preset fields whose names preset messages use
// ("pass Domain \"acme.okta.com\" and AuthorizationServerID \"default\""),
// with the flags that set them.
var fieldsInMessages = func() map[*regexp.Regexp]string {
	m := map[*regexp.Regexp]string{}
	for _, f := range []string{"Domain", "AuthorizationServerID", "Host", "Realm", "BasePath", "TenantID"} {
		m[regexp.MustCompile(`\b`+f+`\b`)] = fieldFlags[f]
	}
	return m
}()

// presetMessage rewrites a preset error to name the flags instead of the
// preset's Go fields.
func presetMessage(err error) string {
	var pe *pachidp.PresetError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	name, ok := fieldFlags[pe.Field]
	if !ok {
		return err.Error()
	}
	msg := pe.Msg
	for re, fl := range fieldsInMessages {
		msg = re.ReplaceAllString(msg, fl)
	}
	return name + ": " + msg
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// clientSecret reads the client secret from the environment variable or
// the file. Messages never show the secret, nor a value that might be one.
func (e *env) clientSecret(envVar, file string) (string, int, bool) {
	switch {
	case envVar != "" && file != "":
		return "", e.usageError("pass the client secret one way: --client-secret-env or --client-secret-file, not both"), false
	case envVar == "" && file == "":
		return "", e.usageError("the client secret is needed: pass --client-secret-env VAR (an environment variable holding it) or --client-secret-file FILE (- for standard input); it is never taken from a flag"), false
	case envVar != "":
		if !envName.MatchString(envVar) {
			// Perhaps the secret itself: do not echo it.
			return "", e.usageError("--client-secret-env takes the name of an environment variable (letters, digits and _, such as AUTH0_CLIENT_SECRET), not the secret itself"), false
		}
		s := e.getenv(envVar)
		if s == "" {
			return "", e.failf(exitUsage, "environment variable %s is unset or empty: export the client secret in it", envVar), false
		}
		return s, 0, true
	}
	var data []byte
	if file == "-" {
		d, code, ok := e.readInput("-", "--client-secret-file")
		if !ok {
			return "", code, false
		}
		data = d
	} else {
		// The path is not echoed: it may be the secret itself.
		d, err := os.ReadFile(file)
		if err != nil {
			return "", e.failf(exitUsage, "--client-secret-file: cannot read the file: %v", unwrapPath(err)), false
		}
		data = d
	}
	s := strings.TrimSuffix(string(data), "\n")
	s = strings.TrimSuffix(s, "\r")
	switch {
	case s == "":
		return "", e.failf(exitUsage, "--client-secret-file: the file is empty: put the client secret in it"), false
	case strings.ContainsAny(s, "\r\n"):
		return "", e.failf(exitUsage, "--client-secret-file: the file holds several lines: put the client secret alone on one line"), false
	}
	return s, 0, true
}

// upsert writes entries into the values, checks them there and writes the
// document. proxyHost is --proxy-host; when empty the entries are validated
// against Dex's issuer as the chart renders it from the file (validateIssuer),
// else against https://<proxyHost>/dex.
func (e *env) upsert(vf *valuesFile, entries []pachidp.UpstreamIDP, inPlace, disableMock bool, proxyHost string, target pachidp.Target) int {
	before, err := vf.v.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	var notes []string
	for _, entry := range entries {
		verb := "added"
		if slices.ContainsFunc(before, func(b pachidp.UpstreamIDP) bool { return b.ID == entry.ID }) {
			verb = "replaced"
		}
		old := vf.v.Bytes()
		if err := vf.v.UpsertUpstreamIDP(entry); err != nil {
			return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
		}
		if string(old) == string(vf.v.Bytes()) {
			verb = "kept (unchanged)"
		}
		notes = append(notes, fmt.Sprintf("%s entry %q", verb, entry.ID))
	}
	if disableMock {
		if err := vf.v.DisableMockIDP(); err != nil {
			return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
		}
	}
	after, err := vf.v.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
	}
	var paths []string
	for i, a := range after {
		if slices.ContainsFunc(entries, func(x pachidp.UpstreamIDP) bool { return x.ID == a.ID }) {
			paths = append(paths, fmt.Sprintf("oidc.upstreamIDPs[%d]", i))
		}
	}
	var errs int
	opts := pachidp.ValidateOptions{Target: target, ProxyHost: proxyHost}
	if proxyHost == "" {
		opts.DexIssuer = validateIssuer(vf.v, target)
	}
	for _, f := range pachidp.Validate(after, opts) {
		if !slices.ContainsFunc(paths, func(p string) bool { return within(f.Path, p) }) {
			continue // a finding about an entry this command did not write
		}
		if e.checked && f.Rule != "duplicate-id" {
			continue // reported where the entry came from
		}
		if f.Severity == pachidp.SeverityError {
			errs++
		}
		// Positions are those of the edited document, which may never be
		// written: the path says where.
		f.Pos = pachidp.Position{}
		e.notef("%s", formatFinding("", f))
	}
	if errs > 0 {
		what := "the entry"
		if len(entries) > 1 {
			what = "the entries"
		}
		return e.failf(exitFindings, "%d error%s in %s: nothing was written", errs, plural(errs), what)
	}
	if code := e.writeEdit(vf, inPlace); code != exitOK {
		return code
	}
	e.notef("%s: %s", vf.name, strings.Join(notes, ", "))
	return exitOK
}

// within reports whether path is p or below it.
func within(path, p string) bool {
	return path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[")
}
