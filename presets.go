package pachidp

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// This file holds the presets for providers other than Auth0 (auth0.go).
// Every preset builds an entry of type "oidc" with the shape of Pachyderm's
// guide (docs "Pachyderm Integration with Identity Providers" and the
// per-provider "connectors" pages): type, id, name, then a config with issuer,
// clientID, clientSecret, redirectURI and the guide's three flags
//
//	insecureEnableGroups: true
//	insecureSkipEmailVerified: true
//	insecureSkipIssuerCallbackDomainCheck: false
//
// which each preset lets you change through its Insecure* fields (nil means
// the default). pachidp departs from the guide on one flag: the presets write
// insecureSkipEmailVerified: false for providers that send the email_verified
// claim (Auth0, Okta, Keycloak, Google, and by default any other OIDC
// provider), so that Dex passes on the provider's verdict instead of calling
// every email verified; only Entra ID, whose tokens carry no email_verified
// (Dex would refuse every login), keeps the guide's true. What differs per provider is the issuer, which Dex
// compares byte for byte with the provider's discovery document, and the few
// keys a provider needs on top. The entry returned is an ordinary
// UpstreamIDP: change its OIDC fields (Scopes, ClaimMapping, ...) freely
// before encoding it.

// Okta describes an Okta application (OIDC, "Web Application") used to log
// in to Pachyderm.
//
// The config follows Pachyderm's Okta page ("set-up/connectors/okta"), which
// writes the guide's three flags, with two differences, both needed for a
// working login:
//
//   - The issuer has no trailing slash. Pachyderm's page writes
//     "https://<org>.okta.com/", but Okta's discovery document says
//     "https://<org>.okta.com" and Dex compares the two byte for byte.
//   - For the org authorization server the scopes are "profile email groups"
//     (Dex always adds "openid"). The page sets insecureEnableGroups but no
//     scopes, and Okta's org server puts the groups claim in the ID token only
//     when the "groups" scope is asked for. Custom authorization servers
//     define no "groups" scope unless you add one, and refuse a login that
//     asks for an unknown scope, so for them the preset leaves the scopes
//     unset (Dex's default, "profile email"): add a groups claim on the
//     server, or set OIDC.Scopes on the result.
type Okta struct {
	// Domain is the Okta org's domain: "acme.okta.com",
	// "https://acme.okta.com/" or a custom domain such as "login.acme.com".
	Domain string
	// AuthorizationServerID selects a custom authorization server: "default"
	// or an ID such as "aus1a2b3c4D5e6F7g8h9". Empty means the org
	// authorization server, whose issuer is the bare domain.
	AuthorizationServerID string

	ClientID     string
	ClientSecret string
	// ProxyHost is Pachyderm's proxy.host, possibly with a port.
	ProxyHost string

	ID   string // default "okta"
	Name string // default "Okta"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default false: Okta sends email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

var oktaServerID = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// UpstreamIDP returns the entry for the Okta application. Its issuer is
// "https://<domain>" for the org authorization server and
// "https://<domain>/oauth2/<AuthorizationServerID>" for a custom one, never
// with a trailing slash.
func (o Okta) UpstreamIDP() (UpstreamIDP, error) {
	preset := oktaProvider.errorName()
	if host, path := splitHostPath(o.Domain); strings.HasPrefix(path, "oauth2/") {
		// The server ID is the first segment: ".../oauth2/default/v1/keys" too.
		id, _, _ := strings.Cut(strings.TrimPrefix(path, "oauth2/"), "/")
		if id, _, _ = strings.Cut(id, "?"); id == "" {
			id = "default"
		}
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "Domain", Msg: fmt.Sprintf("%q includes an authorization server", o.Domain),
			Use: map[string]string{"Domain": host, "AuthorizationServerID": id}}
	}
	host, err := cleanHost(preset, "Domain", o.Domain, "acme.okta.com")
	if err != nil {
		return UpstreamIDP{}, err
	}
	if id := o.AuthorizationServerID; id != "" && !oktaServerID.MatchString(id) {
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "AuthorizationServerID", Msg: fmt.Sprintf(
			"%q is not an authorization server ID: pass \"default\" or the ID shown under Security > API > Authorization Servers, such as \"aus1a2b3c4D5e6F7g8h9\", or leave it empty for the org authorization server", id)}
	}
	return oktaProvider.entry(issuerParts{host: host, serverID: o.AuthorizationServerID}, sharedFields{o.ClientID, o.ClientSecret, o.ProxyHost, o.ID, o.Name,
		o.InsecureEnableGroups, o.InsecureSkipEmailVerified, o.InsecureSkipIssuerCallbackDomainCheck})
}

// Keycloak describes a client of a Keycloak realm used to log in to Pachyderm.
//
// Pachyderm's 2.x docs have no Keycloak page; the preset writes the entry of
// Pachyderm's guide (the three flags) with Keycloak's issuer,
// "https://<host>/realms/<realm>". Keycloak puts groups in tokens only when
// the client has a "Group Membership" mapper with the claim name "groups".
type Keycloak struct {
	// Host is Keycloak's host, possibly with a port: "keycloak.acme.com" or
	// "https://keycloak.acme.com:8443".
	Host string
	// Realm is the realm's name as it appears in Keycloak's URLs.
	Realm string
	// BasePath is the path Keycloak is served under: empty for Keycloak 17
	// and later, "/auth" for older (WildFly based) versions, whose issuers
	// look like https://<host>/auth/realms/<realm>.
	BasePath string

	ClientID     string
	ClientSecret string
	// ProxyHost is Pachyderm's proxy.host, possibly with a port.
	ProxyHost string

	ID   string // default "keycloak"
	Name string // default "Keycloak"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default false: Keycloak sends email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

// keycloakRealm accepts realm names that appear unchanged in a URL path.
// Other characters are percent-encoded in the issuer, and an encoding that
// differs from Keycloak's by one byte breaks the login.
var keycloakRealm = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)

// UpstreamIDP returns the entry for the Keycloak client, with the issuer
// "https://<host><BasePath>/realms/<realm>".
func (k Keycloak) UpstreamIDP() (UpstreamIDP, error) {
	preset := keycloakProvider.errorName()
	if host, path := splitHostPath(k.Host); path != "" {
		msg := fmt.Sprintf("%q has a path: pass the host alone, such as %q", k.Host, hostOnly(host, "keycloak.acme.com"))
		if base, realm, ok := strings.Cut(path, "realms/"); ok {
			realm = strings.Trim(realm, "/")
			pe := &PresetError{Preset: preset, Field: "Host", Msg: fmt.Sprintf("%q is an issuer URL", k.Host),
				Use: map[string]string{"Host": host, "Realm": realm}}
			if base != "" {
				pe.Use["BasePath"] = "/" + strings.Trim(base, "/")
			}
			return UpstreamIDP{}, pe
		}
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "Host", Msg: msg}
	}
	host, err := cleanHost(preset, "Host", k.Host, "keycloak.acme.com")
	if err != nil {
		return UpstreamIDP{}, err
	}
	switch {
	case k.Realm == "":
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "Realm", Msg: "empty: pass the realm's name, such as \"pachyderm\" (not the \"master\" realm, which is for administering Keycloak)"}
	case !keycloakRealm.MatchString(k.Realm):
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "Realm", Msg: fmt.Sprintf(
			"%q has characters that are percent-encoded in URLs (such as spaces or slashes): pass a realm name of letters, digits, '.', '_', '-' or '~', or copy the issuer from the realm's .well-known/openid-configuration into GenericOIDC", k.Realm)}
	}
	base := ""
	if k.BasePath != "" && k.BasePath != "/" {
		base = "/" + strings.Trim(k.BasePath, "/")
		if u, err := url.Parse(base); err != nil || u.Path != base || strings.ContainsAny(base, " \t\r\n?#%") || strings.Contains(base, "//") {
			return UpstreamIDP{}, &PresetError{Preset: preset, Field: "BasePath", Msg: fmt.Sprintf(
				"%q is not a URL path: pass \"/auth\" for Keycloak before version 17, or leave it empty", k.BasePath)}
		}
	}
	return keycloakProvider.entry(issuerParts{host: host, base: base, realm: k.Realm}, sharedFields{k.ClientID, k.ClientSecret, k.ProxyHost, k.ID, k.Name,
		k.InsecureEnableGroups, k.InsecureSkipEmailVerified, k.InsecureSkipIssuerCallbackDomainCheck})
}

// EntraID describes a Microsoft Entra ID (formerly Azure Active Directory)
// app registration used to log in to Pachyderm.
//
// The config is the guide's entry plus `claimMapping: {email: preferred_username}`,
// which Pachyderm's guide tells Azure users to add ("AZURE USERS" in
// "Pachyderm Integration with Identity Providers"): Entra's v2.0 ID tokens
// carry an email claim only for users with a mailbox address, and Dex refuses
// a login whose token lacks the email claim. The guide's
// insecureSkipEmailVerified: true is needed too, since Entra's tokens carry no
// email_verified claim. Entra puts groups (as object IDs) in tokens only when
// the app registration's token configuration adds a groups claim.
//
// The issuer is https://login.microsoftonline.com/<tenant id>/v2.0, the form
// Entra's discovery document uses for a single tenant. For national clouds
// (login.microsoftonline.us, ...), use GenericOIDC with the cloud's issuer.
type EntraID struct {
	// TenantID is the Directory (tenant) ID from the app registration's
	// Overview page: a GUID such as "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c".
	TenantID string
	// ClientID is the Application (client) ID, also a GUID.
	ClientID     string
	ClientSecret string // the secret's Value, not its Secret ID
	// ProxyHost is Pachyderm's proxy.host, possibly with a port.
	ProxyHost string

	ID   string // default "entra-id"
	Name string // default "Microsoft Entra ID"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default true: Entra ID sends no email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

// UpstreamIDP returns the entry for the app registration.
func (e EntraID) UpstreamIDP() (UpstreamIDP, error) {
	preset := entraProvider.errorName()
	const example = "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c"
	tenant := e.TenantID
	switch strings.ToLower(tenant) {
	case "":
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "TenantID", Msg: fmt.Sprintf(
			"empty: pass the Directory (tenant) ID from the app registration's Overview page, a GUID such as %q", example)}
	case "common", "organizations", "consumers":
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "TenantID", Msg: fmt.Sprintf(
			"%q is a multi-tenant endpoint, whose discovery document names the issuer \"https://login.microsoftonline.com/{tenantid}/v2.0\", which never matches a token: pass your tenant's Directory (tenant) ID, a GUID such as %q", tenant, example)}
	}
	if !guidPattern.MatchString(tenant) {
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "TenantID", Msg: fmt.Sprintf(
			"%q is not a tenant ID: pass the Directory (tenant) ID from the app registration's Overview page, a GUID such as %q (Entra's issuer names the tenant by its GUID, not by a domain)", tenant, example)}
	}
	if e.ClientID != "" && !guidPattern.MatchString(strings.TrimSpace(e.ClientID)) {
		return UpstreamIDP{}, &PresetError{Preset: preset, Field: "ClientID", Msg: "not a GUID: pass the Application (client) ID from the app registration's Overview page (not the Object ID or the secret's ID)"}
	}
	return entraProvider.entry(issuerParts{tenant: tenant}, sharedFields{strings.ToLower(e.ClientID), e.ClientSecret, e.ProxyHost, e.ID, e.Name,
		e.InsecureEnableGroups, e.InsecureSkipEmailVerified, e.InsecureSkipIssuerCallbackDomainCheck})
}

// Google describes a Google OAuth client (type "Web application") used to log
// in to Pachyderm through Dex's oidc connector.
//
// The issuer is always "https://accounts.google.com", as in Pachyderm's
// Google page ("Configure Google OpenID Connect"); the rest is the guide's
// entry. Google's tokens carry no groups. To keep people outside your
// organisation out, make the OAuth consent screen "Internal": Dex's
// hostedDomains option is ignored by Pachyderm's Dex and refused by
// upstream Dex.
type Google struct {
	// ClientID is the OAuth client ID, ending in ".apps.googleusercontent.com".
	ClientID     string
	ClientSecret string
	// ProxyHost is Pachyderm's proxy.host, possibly with a port.
	ProxyHost string

	ID   string // default "google"
	Name string // default "Google"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default false: Google sends email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

// googleIssuer is the issuer of Google's OpenID Connect provider.
const googleIssuer = "https://accounts.google.com"

// UpstreamIDP returns the entry for the Google OAuth client.
func (g Google) UpstreamIDP() (UpstreamIDP, error) {
	if g.ClientID != "" && !strings.HasSuffix(strings.TrimSpace(g.ClientID), ".apps.googleusercontent.com") {
		return UpstreamIDP{}, &PresetError{Preset: googleProvider.errorName(), Field: "ClientID", Msg: "does not end in \".apps.googleusercontent.com\": pass the Client ID of the OAuth client from the Google Cloud console's Credentials page"}
	}
	return googleProvider.entry(issuerParts{}, sharedFields{g.ClientID, g.ClientSecret, g.ProxyHost, g.ID, g.Name,
		g.InsecureEnableGroups, g.InsecureSkipEmailVerified, g.InsecureSkipIssuerCallbackDomainCheck})
}

// GenericOIDC describes any OpenID Connect provider by its issuer URL, for
// providers without a preset of their own.
//
// The issuer is written verbatim, because Dex compares it byte for byte with
// the provider's discovery document: copy it from
// <issuer>/.well-known/openid-configuration, trailing slash or not. The rest
// is the guide's entry.
type GenericOIDC struct {
	// Issuer is the provider's issuer URL, an https URL without query or
	// fragment, such as "https://idp.acme.com/oidc".
	Issuer string

	ClientID     string
	ClientSecret string
	// ProxyHost is Pachyderm's proxy.host, possibly with a port.
	ProxyHost string

	ID   string // default "oidc"
	Name string // default "OpenID Connect"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default false; true for a provider that sends no email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

// UpstreamIDP returns the entry for the provider.
func (g GenericOIDC) UpstreamIDP() (UpstreamIDP, error) {
	if err := presetIssuerError(g.Issuer); err != nil {
		return UpstreamIDP{}, &PresetError{Preset: genericProvider.errorName(), Field: "Issuer", Msg: err.Error()}
	}
	return genericProvider.entry(issuerParts{issuer: g.Issuer}, sharedFields{g.ClientID, g.ClientSecret, g.ProxyHost, g.ID, g.Name,
		g.InsecureEnableGroups, g.InsecureSkipEmailVerified, g.InsecureSkipIssuerCallbackDomainCheck})
}

// presetIssuerError accepts an https URL with a host and without user information,
// query or fragment. Its message says what to pass instead.
func presetIssuerError(issuer string) error {
	const example = "https://idp.acme.com"
	switch {
	case strings.TrimSpace(issuer) == "":
		return fmt.Errorf("empty: pass the issuer URL from the provider's .well-known/openid-configuration, such as %q", example)
	case strings.ContainsAny(issuer, " \t\r\n"):
		return fmt.Errorf("%q contains white space: pass the issuer exactly as the provider's discovery document writes it", issuer)
	case !strings.HasPrefix(issuer, "https://"):
		if strings.HasPrefix(strings.ToLower(issuer), "https://") {
			return fmt.Errorf("%q: write the scheme in lower case, as discovery documents do: %q", issuer, "https://"+issuer[len("https://"):])
		}
		if !strings.Contains(issuer, "://") {
			return fmt.Errorf("%q has no scheme: pass the full issuer URL, such as %q", issuer, "https://"+issuer)
		}
		return fmt.Errorf("%q is not an https URL: Dex fetches discovery from the issuer and Pachyderm's guide requires TLS; pass the provider's https issuer", issuer)
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q is not a URL with a host: pass one such as %q", issuer, example)
	}
	if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("%q has an empty port: drop the colon or add the port", issuer)
	}
	if u.User != nil {
		return fmt.Errorf("%q carries user information: pass the issuer without it", issuer)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(issuer, "?#") {
		return fmt.Errorf("%q has a query or fragment, which issuers never have: pass %q", issuer, "https://"+u.Host+u.EscapedPath())
	}
	if strings.HasSuffix(u.Path, "/.well-known/openid-configuration") {
		return fmt.Errorf("%q is the discovery URL: pass the issuer, %q", issuer,
			"https://"+u.Host+strings.TrimSuffix(u.EscapedPath(), "/.well-known/openid-configuration"))
	}
	return nil
}

// splitHostPath splits "https://host/path/" into "host" and "path/" (no
// leading slash), without validating anything.
func splitHostPath(in string) (host, path string) {
	s := strings.TrimSpace(in)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	host, path, _ = strings.Cut(s, "/")
	return strings.ToLower(host), path
}

// guideFlags sets the guide's three flags, each defaulting to the guide's
// value except insecureSkipEmailVerified, which defaults to true only for a
// provider that sends no email_verified claim (noEmailVerified).
func guideFlags(cfg *OIDCConfig, groups, skipEmail, skipCallback *bool, noEmailVerified bool) {
	cfg.InsecureEnableGroups = boolOr(groups, true)
	cfg.InsecureSkipEmailVerified = boolOr(skipEmail, noEmailVerified)
	cfg.InsecureSkipIssuerCallbackDomainCheck = boolOr(skipCallback, false)
}
