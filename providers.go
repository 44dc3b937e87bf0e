package pachidp

import (
	"regexp"
	"strings"
)

// This file is the one table of the identity providers pachidp knows by
// their issuer: how each writes its issuer in its discovery document, which
// is the only form Dex accepts (go-oidc compares the configured issuer with
// the document's byte for byte, and a difference makes Open fail, so pachd
// does not start). Validation recognises providers from it, and the presets
// build their issuers with it.

// knownProvider is one row of the table.
type knownProvider struct {
	name string // "Okta", in messages
	rule string // the rule of a wrong issuer form
	form string // the issuer form, in messages
	// host reports whether an issuer host is this provider's.
	host func(host string) bool
	// issuerPath returns the path the provider's discovery document writes
	// for an issuer written with path; ok is false when no document of the
	// provider is there. bad, when set, says why the path can never work
	// (a multi-tenant Entra endpoint).
	issuerPath func(path string) (want string, ok bool, bad string)
}

var (
	oktaCustomServer   = regexp.MustCompile(`^/oauth2/([^/]+)(/.*)?$`)
	keycloakIssuerPath = regexp.MustCompile(`^(.*/realms/[^/]+)(/.*)?$`)
	entraIssuerPath    = regexp.MustCompile(`^/([^/]+)(/v2\.0)?/?$`)
	guidPattern        = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// providers is the table. Keycloak is recognised by its path on any host,
// so it comes last.
var providers = []*knownProvider{
	{
		name: "Auth0", rule: "auth0-issuer-slash", form: `the tenant URL ending with "/", with no path: https://<tenant domain>/`,
		host: func(h string) bool { return strings.HasSuffix(h, ".auth0.com") },
		issuerPath: func(string) (string, bool, string) {
			return "/", true, ""
		},
	},
	{
		name: "Okta", rule: "okta-issuer",
		form: "https://<org>.okta.com for the org server or https://<org>.okta.com/oauth2/<server id> for a custom one, without a trailing slash",
		host: func(h string) bool {
			return strings.HasSuffix(h, ".okta.com") || strings.HasSuffix(h, ".oktapreview.com") || strings.HasSuffix(h, ".okta-emea.com")
		},
		issuerPath: func(p string) (string, bool, string) {
			if p == "" || p == "/" {
				return "", true, ""
			}
			if m := oktaCustomServer.FindStringSubmatch(p); m != nil {
				return "/oauth2/" + m[1], true, ""
			}
			return "", false, ""
		},
	},
	{
		name: "Microsoft Entra ID", rule: "entra-issuer", form: "https://login.microsoftonline.com/<tenant id>/v2.0, the tenant named by its GUID",
		host: func(h string) bool { return h == "login.microsoftonline.com" },
		issuerPath: func(p string) (string, bool, string) {
			m := entraIssuerPath.FindStringSubmatch(p)
			if m == nil {
				return "", false, ""
			}
			switch tenant := m[1]; {
			case tenant == "common" || tenant == "organizations" || tenant == "consumers":
				return "", false, `"` + tenant + `" is a multi-tenant endpoint, whose discovery document names the issuer "https://login.microsoftonline.com/{tenantid}/v2.0", which never equals the configured one`
			case strings.Contains(tenant, "."):
				return "", false, `"` + tenant + `" names the tenant by a domain, but the discovery document names it by its GUID, so the issuers never match`
			case !guidPattern.MatchString(tenant):
				return "", false, `"` + tenant + `" is not a tenant ID (a GUID), so Entra serves no discovery document for it`
			default:
				return "/" + strings.ToLower(tenant) + "/v2.0", true, ""
			}
		},
	},
	{
		name: "Google", rule: "google-issuer", form: "exactly https://accounts.google.com, with no path or trailing slash",
		host: func(h string) bool { return h == "accounts.google.com" },
		issuerPath: func(p string) (string, bool, string) {
			if p == "" || p == "/" {
				return "", true, ""
			}
			return "", false, ""
		},
	},
	{
		name: "Keycloak", rule: "keycloak-issuer", form: "https://<host>/realms/<realm> (or .../auth/realms/<realm>), with nothing after the realm and no trailing slash",
		host: func(string) bool { return true },
		issuerPath: func(p string) (string, bool, string) {
			if m := keycloakIssuerPath.FindStringSubmatch(p); m != nil {
				return m[1], true, ""
			}
			return "", false, ""
		},
	},
}

// providerOf returns the provider of an issuer's host and path, nil when
// none is known. Keycloak is known by its path alone.
func providerOf(host, path string) *knownProvider {
	for _, p := range providers {
		if p.name == "Keycloak" {
			if keycloakIssuerPath.MatchString(path) || strings.Contains(host, "keycloak") {
				return p
			}
			continue
		}
		if p.host(host) {
			return p
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

// auth0Issuer, oktaIssuer, entraIssuer and keycloakIssuer build issuers in
// the table's forms, for the presets.
func auth0Issuer(domain string) string { return "https://" + domain + "/" }

func oktaIssuer(host, serverID string) string {
	if serverID == "" {
		return "https://" + host
	}
	return "https://" + host + "/oauth2/" + serverID
}

func entraIssuer(tenant string) string {
	return "https://login.microsoftonline.com/" + strings.ToLower(tenant) + "/v2.0"
}

func keycloakIssuer(base, realm string) string { return base + "/realms/" + realm }
