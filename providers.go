package pachidp

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/pachidp/pachidp/internal/presetflag"
)

// This file is the one table of the identity providers pachidp has presets
// for, in the manner of golang.org/x/oauth2's endpoints: provider knowledge
// as data. A row says what the provider is called (on pachidp's command
// line, in messages, as the entry's default id and name), which preset
// struct describes it and which of its fields the command sets with which
// flag, and how the provider writes its issuer in its discovery document,
// the only form Dex accepts (go-oidc compares the configured issuer with the
// document's byte for byte, and a difference makes Open fail, so pachd does
// not start).
//
// An issuer form is written once, as the row's path function: the presets
// build their issuers with it (knownProvider.issuer), and validation
// recognises a provider's issuer by its host, reads the parts out of the
// path written (parse) and rebuilds the path the provider uses with the same
// function (knownProvider.issuerPath). Adding a provider is one row here and
// its preset struct.

// issuerParts are what an issuer is built from: the host, for providers
// without a fixed one, and the parts of the path.
type issuerParts struct {
	host     string // host[:port] in lower case
	serverID string // Okta: a custom authorization server, "" for the org server
	tenant   string // Entra ID: the tenant's GUID
	base     string // Keycloak: the path it is served under, "" or "/auth"
	realm    string // Keycloak: the realm
	issuer   string // a provider without an issuer form: the issuer, verbatim
}

// knownProvider is one row of the table.
type knownProvider struct {
	// How it is named.
	name       string   // "okta": pachidp add's argument
	aliases    []string // other arguments pachidp add accepts
	presetName string   // PresetError.Preset, when it is not name
	title      string   // "Okta": in messages, and the entry's default name
	id         string   // the entry's default id
	note       string   // said after its flags in pachidp add's help
	preset     reflect.Type
	flags      []presetflag.Flag // the preset's own fields, as pachidp add sets them

	// Its issuer. A provider without path has no form of its own: its
	// issuer is written verbatim and never recognised.
	rule Rule   // the rule of a wrong issuer form
	form string // the issuer form, in messages
	// fixedHost is the host of every issuer of the provider, if it has one.
	fixedHost string
	// hostSuffixes recognise the provider's issuer hosts otherwise.
	hostSuffixes []string
	// anyHost: the provider is recognised by its path (or a host naming
	// it) on any host, so it is tried after the others.
	anyHost bool
	// parse reads the parts out of a path written for the provider's
	// issuer; ok is false when no document of the provider is there. bad,
	// when set, says why the path can never work (a multi-tenant Entra
	// endpoint).
	parse func(path string) (p issuerParts, ok bool, bad string)
	// path returns the issuer's path for the parts: the one form.
	path func(p issuerParts) string

	// extra sets what the preset adds to the guide's entry.
	extra func(cfg *OIDCConfig, p issuerParts)

	// noEmailVerified: the provider's ID tokens carry no email_verified
	// claim, so Dex refuses every login unless insecureSkipEmailVerified is
	// true, and the preset keeps the guide's true. The other presets write
	// false (pachidp departs from the guide there): their providers send
	// email_verified, and with false Dex passes on the provider's value
	// instead of calling every email verified. Dex's side of this runs in
	// TestEmailVerified of every conformance/dex module and in
	// TestDexLoginEmailVerified.
	noEmailVerified bool
}

var (
	oktaCustomServer   = regexp.MustCompile(`^/oauth2/([^/]+)(/.*)?$`)
	keycloakIssuerPath = regexp.MustCompile(`^(.*)/realms/([^/]+)(/.*)?$`)
	entraIssuerPath    = regexp.MustCompile(`^/([^/]+)(/v2\.0)?/?$`)
	guidPattern        = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// domainUsage is the help of --domain, shared by Auth0 and Okta.
const domainUsage = "the tenant's or org's `domain`, such as acme.us.auth0.com"

// rootPath parses the issuer paths of a provider whose issuer is its bare
// host: "" and "/".
func rootPath(p string) (issuerParts, bool, string) {
	return issuerParts{}, p == "" || p == "/", ""
}

// The rows, in the order pachidp add lists them.
var (
	auth0Provider = &knownProvider{
		name: "auth0", title: "Auth0", id: "auth0", preset: reflect.TypeFor[Auth0](),
		flags: []presetflag.Flag{{Flag: "domain", Field: "Domain", Arg: "TENANT_DOMAIN", Usage: domainUsage}},

		rule: RuleAuth0IssuerSlash, form: `the tenant URL ending with "/", with no path: https://<tenant domain>/`,
		hostSuffixes: []string{".auth0.com"},
		parse:        func(string) (issuerParts, bool, string) { return issuerParts{}, true, "" },
		path:         func(issuerParts) string { return "/" },
	}
	oktaProvider = &knownProvider{
		name: "okta", title: "Okta", id: "okta", preset: reflect.TypeFor[Okta](),
		flags: []presetflag.Flag{
			{Flag: "domain", Field: "Domain", Arg: "ORG_DOMAIN", Usage: domainUsage},
			{Flag: "authorization-server", Field: "AuthorizationServerID", Arg: "ID", Optional: true,
				Usage: "a custom authorization server `ID` (\"default\" or aus...); empty: the org server"},
		},

		rule:         RuleOktaIssuer,
		form:         "https://<org>.okta.com for the org server or https://<org>.okta.com/oauth2/<server id> for a custom one, without a trailing slash",
		hostSuffixes: []string{".okta.com", ".oktapreview.com", ".okta-emea.com"},
		parse: func(p string) (issuerParts, bool, string) {
			if m := oktaCustomServer.FindStringSubmatch(p); m != nil {
				return issuerParts{serverID: m[1]}, true, ""
			}
			return rootPath(p)
		},
		path: func(p issuerParts) string {
			if p.serverID == "" {
				return ""
			}
			return "/oauth2/" + p.serverID
		},
		extra: func(cfg *OIDCConfig, p issuerParts) {
			// Custom servers define no "groups" scope unless one is added,
			// and refuse a login that asks for an unknown scope.
			if p.serverID == "" {
				cfg.Scopes = []string{"profile", "email", "groups"}
			}
		},
	}
	keycloakProvider = &knownProvider{
		name: "keycloak", title: "Keycloak", id: "keycloak", preset: reflect.TypeFor[Keycloak](),
		flags: []presetflag.Flag{
			{Flag: "host", Field: "Host", Arg: "HOST", Usage: "Keycloak's `host`[:port]"},
			{Flag: "realm", Field: "Realm", Arg: "REALM", Usage: "the `realm`"},
			{Flag: "base-path", Field: "BasePath", Arg: "/auth", Optional: true, Usage: "the `path` Keycloak is served under, /auth before Keycloak 17"},
		},

		rule: RuleKeycloakIssuer, form: "https://<host>/realms/<realm> (or .../auth/realms/<realm>), with nothing after the realm and no trailing slash",
		anyHost: true,
		parse: func(p string) (issuerParts, bool, string) {
			if m := keycloakIssuerPath.FindStringSubmatch(p); m != nil {
				return issuerParts{base: m[1], realm: m[2]}, true, ""
			}
			return issuerParts{}, false, ""
		},
		path: func(p issuerParts) string { return p.base + "/realms/" + p.realm },
	}
	entraProvider = &knownProvider{
		name: "entra", aliases: []string{"entraid", "entra-id"}, presetName: "entra-id",
		title: "Microsoft Entra ID", id: "entra-id", preset: reflect.TypeFor[EntraID](),
		flags: []presetflag.Flag{{Flag: "tenant-id", Field: "TenantID", Arg: "GUID", Usage: "the Directory (tenant) ID, a `GUID`"}},

		rule: RuleEntraIssuer, form: "https://login.microsoftonline.com/<tenant id>/v2.0, the tenant named by its GUID",
		fixedHost: "login.microsoftonline.com",
		// Entra's v2.0 ID tokens have no email_verified claim: it is not
		// among the claims of Microsoft's ID token claims reference
		// (MicrosoftDocs/entra-docs, docs/identity-platform/
		// id-token-claims-reference.md); Entra's own word on an email is the
		// optional xms_edov claim, which Dex does not read. A provider
		// fact: no test of pachidp can run Entra. That Dex then refuses
		// the login with false is run on every modelled Dex
		// (conformance/dex/*: TestEmailVerified).
		noEmailVerified: true,
		parse: func(p string) (issuerParts, bool, string) {
			m := entraIssuerPath.FindStringSubmatch(p)
			if m == nil {
				return issuerParts{}, false, ""
			}
			switch tenant := m[1]; {
			case tenant == "common" || tenant == "organizations" || tenant == "consumers":
				return issuerParts{}, false, `"` + tenant + `" is a multi-tenant endpoint`
			case strings.Contains(tenant, "."):
				return issuerParts{}, false, `"` + tenant + `" is a domain, not the tenant's GUID`
			case !guidPattern.MatchString(tenant):
				return issuerParts{}, false, `"` + tenant + `" is not a tenant GUID`
			default:
				return issuerParts{tenant: tenant}, true, ""
			}
		},
		path: func(p issuerParts) string { return "/" + strings.ToLower(p.tenant) + "/v2.0" },
		extra: func(cfg *OIDCConfig, _ issuerParts) {
			// Entra's tokens carry an email claim only for users with a mailbox.
			cfg.ClaimMapping = &ClaimMapping{Email: "preferred_username"}
		},
	}
	googleProvider = &knownProvider{
		name: "google", title: "Google", id: "google", preset: reflect.TypeFor[Google](),

		rule: RuleGoogleIssuer, form: "exactly https://accounts.google.com, with no path or trailing slash",
		fixedHost: strings.TrimPrefix(googleIssuer, "https://"),
		parse:     rootPath,
		path:      func(issuerParts) string { return "" },
	}
	genericProvider = &knownProvider{
		name: "oidc", title: "OpenID Connect", id: "oidc", note: "any other OIDC provider", preset: reflect.TypeFor[GenericOIDC](),
		flags: []presetflag.Flag{{Flag: "issuer", Field: "Issuer", Arg: "URL", Usage: "the provider's issuer `URL`, exactly as its discovery document says"}},
	}
)

// providers is the table.
var providers = []*knownProvider{auth0Provider, oktaProvider, keycloakProvider, entraProvider, googleProvider, genericProvider}

// owns reports whether an issuer's host and path are the provider's.
func (k *knownProvider) owns(host, path string) bool {
	switch {
	case k.path == nil:
		return false
	case k.fixedHost != "":
		return host == k.fixedHost
	case k.anyHost:
		return k.parsesAny(path) || strings.Contains(host, k.name)
	}
	for _, s := range k.hostSuffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// hosted reports whether the provider runs the issuer's host itself (a
// SaaS provider: a fixed host or host suffixes, not a server anyone runs on
// any host such as Keycloak). Such a host serves discovery over https on
// port 443 only and answers plain http with a redirect to https, so its
// issuer is always "https://<host>" with no port: an issuer written with
// http or a port never matches the document's (go-oidc compares them byte
// for byte), and Open fails. The conformance world serves these hosts so
// (conformance/harness/world.go, World and Issuer).
func (k *knownProvider) hosted() bool {
	return k.path != nil && (k.fixedHost != "" || len(k.hostSuffixes) > 0)
}

func (k *knownProvider) parsesAny(path string) bool {
	_, ok, _ := k.parse(path)
	return ok
}

// issuer builds the provider's issuer for the parts.
func (k *knownProvider) issuer(p issuerParts) string {
	if k.path == nil {
		return p.issuer
	}
	host := k.fixedHost
	if host == "" {
		host = p.host
	}
	return "https://" + host + k.path(p)
}

// issuerPath returns the path the provider's discovery document writes for
// an issuer written with path; ok is false when no document of the provider
// is there, and bad then may say why the path can never work.
func (k *knownProvider) issuerPath(path string) (want string, ok bool, bad string) {
	p, ok, bad := k.parse(path)
	if !ok {
		return "", false, bad
	}
	return k.path(p), true, ""
}

// errorName is the preset's name in its errors.
func (k *knownProvider) errorName() string {
	if k.presetName != "" {
		return k.presetName
	}
	return k.name
}

// sharedFields are the fields every preset has besides its own.
type sharedFields struct {
	ClientID, ClientSecret, ProxyHost, ID, Name                                            string
	InsecureEnableGroups, InsecureSkipEmailVerified, InsecureSkipIssuerCallbackDomainCheck *bool
}

// entry builds the guide's entry for the provider: the issuer of the parts,
// the client and the redirect URI, the guide's three flags (with
// insecureSkipEmailVerified false unless the provider sends no
// email_verified), what the provider adds, and the default id and name.
func (k *knownProvider) entry(p issuerParts, s sharedFields) (UpstreamIDP, error) {
	cfg, err := clientConfig(k.errorName(), k.issuer(p), s.ClientID, s.ClientSecret, s.ProxyHost)
	if err != nil {
		return UpstreamIDP{}, err
	}
	guideFlags(cfg, s.InsecureEnableGroups, s.InsecureSkipEmailVerified, s.InsecureSkipIssuerCallbackDomainCheck, k.noEmailVerified)
	if k.extra != nil {
		k.extra(cfg, p)
	}
	return UpstreamIDP{Type: typeOIDC, ID: stringOr(s.ID, k.id), Name: stringOr(s.Name, k.title), OIDC: cfg}, nil
}

// providerOf returns the provider of an issuer's host and path, nil when
// none is known. Providers known by their path on any host come last.
func providerOf(host, path string) *knownProvider {
	for _, anyHost := range []bool{false, true} {
		for _, p := range providers {
			if p.anyHost == anyHost && p.owns(host, path) {
				return p
			}
		}
	}
	return nil
}

// providerPath returns the issuer path a known provider uses, given the
// host and the path written; ok is false when the provider or the right
// path is unknown.
func providerPath(host, path string) (string, bool) {
	p := providerOf(host, path)
	if p == nil {
		return path, false
	}
	want, ok, _ := p.issuerPath(path)
	if !ok {
		return path, false
	}
	return want, true
}

// ---------------------------------------------------------------------------
// The table for a command line

// preset is what every provider preset (Auth0, Okta, Keycloak, EntraID,
// Google, GenericOIDC) is: each builds the entry of Pachyderm's guide for
// its provider. A program that holds presets of several providers
// declares the same interface.
type preset interface {
	UpstreamIDP() (UpstreamIDP, error)
}

func init() { presetflag.Presets = presetInfos }

// presetInfos describes the rows for a command line (internal/presetflag).
func presetInfos() []presetflag.Info {
	out := make([]presetflag.Info, len(providers))
	for i, p := range providers {
		out[i] = presetflag.Info{Name: p.name, Aliases: slices.Clone(p.aliases), Title: p.title, ID: p.id,
			Flags: slices.Clone(p.flags), Generic: p.path == nil, Note: p.note, New: p.newPreset}
	}
	return out
}

// newPreset returns the row's preset with the fields set, by their Go
// names (presetflag.Info.New).
func (p *knownProvider) newPreset(fields map[string]any) (any, error) {
	v := reflect.New(p.preset).Elem()
	for name, val := range fields {
		f := v.FieldByName(name)
		if !f.IsValid() || !f.CanSet() {
			return nil, fmt.Errorf("%s has no field %s", p.preset.Name(), name)
		}
		rv := reflect.ValueOf(val)
		if val == nil {
			rv = reflect.Zero(f.Type())
		}
		if !rv.Type().AssignableTo(f.Type()) {
			return nil, fmt.Errorf("%s.%s is a %s, got a %s", p.preset.Name(), name, f.Type(), rv.Type())
		}
		f.Set(rv)
	}
	return v.Interface().(preset), nil
}
