package pachidp

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// Auth0 describes an Auth0 application used to log in to Pachyderm. Its
// UpstreamIDP method builds the entry of Pachyderm's setup guide.
type Auth0 struct {
	// Domain is the tenant domain: "acme.us.auth0.com",
	// "https://acme.us.auth0.com/" or a custom domain such as "login.acme.com".
	Domain       string
	ClientID     string
	ClientSecret string
	// ProxyHost is Pachyderm's proxy.host, possibly with a port
	// ("pachyderm.acme.com" or "pachyderm.acme.com:8443").
	ProxyHost string

	ID   string // default "auth0"
	Name string // default "Auth0"

	// The guide's flags; nil means the default below.
	InsecureEnableGroups                  *bool // default true
	InsecureSkipEmailVerified             *bool // default false: Auth0 sends email_verified
	InsecureSkipIssuerCallbackDomainCheck *bool // default false
}

// PresetError reports malformed preset input: which preset, which field, and
// what to pass instead. It never holds a secret.
type PresetError struct {
	Preset string // "auth0", "okta", ...
	Field  string // the Go field, such as "Domain"
	Msg    string // what is wrong and what to pass; names no other field
	// Use, when set, is the input to pass instead, by Go field: Okta's
	// Domain "acme.okta.com/oauth2/default" gives Domain "acme.okta.com"
	// and AuthorizationServerID "default". UseText says it in the preset's
	// field order; a program that takes the fields under other names (a
	// command's flags) names them itself.
	Use map[string]string
}

// Error formats the error as `preset: Field: message`, followed by
// `: pass Field "value" and Field "value"` when Use is set.
func (e *PresetError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Preset + ": " + e.Field + ": " + e.Msg + e.UseText(func(f string) string { return f })
}

// UseText is ": pass F1 "v1" and F2 "v2"" for Use, with each field named
// by name(field) (nil: the Go field name); "" when Use is empty.
func (e *PresetError) UseText(name func(field string) string) string {
	if e == nil || len(e.Use) == 0 {
		return ""
	}
	if name == nil {
		name = func(f string) string { return f }
	}
	var parts []string
	for _, f := range presetFieldOrder(e.Preset, e.Use) {
		parts = append(parts, fmt.Sprintf("%s %q", name(f), e.Use[f]))
	}
	return ": pass " + strings.Join(parts, " and ")
}

// presetFieldOrder returns the keys of use in the order of the fields of
// the preset named preset (PresetError.Preset), the others sorted after.
func presetFieldOrder(preset string, use map[string]string) []string {
	var order []string
	for _, p := range providers {
		if p.errorName() == preset {
			for i := range p.preset.NumField() {
				if _, ok := use[p.preset.Field(i).Name]; ok {
					order = append(order, p.preset.Field(i).Name)
				}
			}
		}
	}
	var rest []string
	for f := range use {
		if !slices.Contains(order, f) {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	return append(order, rest...)
}

// UpstreamIDP returns the guide's entry for the Auth0 application:
//
//	type: oidc
//	id: auth0
//	name: Auth0
//	config:
//	  issuer: https://<domain>/
//	  clientID: ...
//	  clientSecret: ...
//	  redirectURI: https://<proxy.host>/dex/callback
//	  insecureEnableGroups: true
//	  insecureSkipEmailVerified: false
//	  insecureSkipIssuerCallbackDomainCheck: false
//
// Auth0's issuer ends with "/" and Dex compares it byte for byte with the
// provider's discovery document, so the slash is always written. The guide
// writes insecureSkipEmailVerified: true; the preset writes false, because
// Auth0's ID tokens carry email_verified (with the email scope Dex asks for)
// and true would make Dex call every email verified, a social login's
// unverified one included.
func (a Auth0) UpstreamIDP() (UpstreamIDP, error) {
	host, err := cleanHost(auth0Provider.errorName(), "Domain", a.Domain, "acme.us.auth0.com")
	if err != nil {
		return UpstreamIDP{}, err
	}
	return auth0Provider.entry(issuerParts{host: host}, sharedFields{a.ClientID, a.ClientSecret, a.ProxyHost, a.ID, a.Name,
		a.InsecureEnableGroups, a.InsecureSkipEmailVerified, a.InsecureSkipIssuerCallbackDomainCheck})
}

// clientConfig checks the parts every preset shares and builds the start of
// its config: issuer, client credentials and the redirect URI.
func clientConfig(preset, issuer, clientID, clientSecret, proxyHost string) (*OIDCConfig, error) {
	if strings.TrimSpace(clientID) == "" {
		return nil, &PresetError{Preset: preset, Field: "ClientID", Msg: "empty: pass the client ID of the application registered at the provider"}
	}
	if strings.TrimSpace(clientID) != clientID || strings.ContainsAny(clientID, " \t\r\n") {
		return nil, &PresetError{Preset: preset, Field: "ClientID", Msg: "contains spaces: pass the client ID exactly as the provider shows it"}
	}
	if clientSecret == "" {
		return nil, &PresetError{Preset: preset, Field: "ClientSecret", Msg: "empty: pass the application's client secret"}
	}
	if strings.TrimSpace(clientSecret) != clientSecret {
		return nil, &PresetError{Preset: preset, Field: "ClientSecret", Msg: "has leading or trailing white space (a newline from a file?): trim it"}
	}
	redirect, err := redirectURI(proxyHost)
	if err != nil {
		var pe *PresetError
		if errors.As(err, &pe) {
			pe.Preset = preset
		}
		return nil, err
	}
	return &OIDCConfig{Issuer: issuer, ClientID: clientID, ClientSecret: clientSecret, RedirectURI: redirect}, nil
}

// redirectURI returns Dex's callback for a Pachyderm proxy.host:
// "https://<proxy.host>/dex/callback" (ValidateOptions.Callback). The host
// may carry a port; a scheme ("https://") and a trailing slash are accepted
// and dropped.
func redirectURI(proxyHost string) (string, error) {
	host, err := cleanHost("redirect", "ProxyHost", proxyHost, "pachyderm.example.com")
	if err != nil {
		return "", err
	}
	return "https://" + host + "/dex/callback", nil
}

// cleanHost accepts a host (with optional port), optionally written as an
// https URL with a trailing slash, and returns the bare host[:port].
func cleanHost(preset, field, in, example string) (string, error) {
	fail := func(msg string) error { return &PresetError{Preset: preset, Field: field, Msg: msg} }
	s := in
	if strings.TrimSpace(s) == "" {
		return "", fail(fmt.Sprintf("empty: pass a host such as %q", example))
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return "", fail(fmt.Sprintf("%q contains white space: pass a host such as %q", in, example))
	}
	if i := strings.Index(s, "://"); i >= 0 {
		scheme := strings.ToLower(s[:i])
		if scheme != "https" {
			return "", fail(fmt.Sprintf("%q uses %s: Pachyderm's guide requires https; pass the host alone, such as %q", in, scheme, example))
		}
		s = s[i+3:]
	}
	s = strings.TrimSuffix(s, "/")
	u, err := url.Parse("https://" + s)
	if err != nil || u.Host == "" {
		return "", fail(fmt.Sprintf("%q is not a host: pass one such as %q", in, example))
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		return "", fail(fmt.Sprintf("%q has a path, query or fragment: pass the host alone, such as %q", in, hostOnly(u.Host, example)))
	}
	if u.User != nil {
		return "", fail(fmt.Sprintf("%q carries user information: pass the host alone, such as %q", in, example))
	}
	hostname, port := u.Hostname(), u.Port()
	if strings.HasSuffix(u.Host, ":") || (strings.Contains(u.Host, ":") && port == "" && !strings.HasPrefix(u.Host, "[")) {
		return "", fail(fmt.Sprintf("%q has an empty port: drop the colon or add the port", in))
	}
	if hostname == "" || strings.Trim(hostname, ".-") != hostname && net.ParseIP(hostname) == nil {
		return "", fail(fmt.Sprintf("%q is not a host name: pass one such as %q", in, example))
	}
	return strings.ToLower(u.Host), nil
}

func hostOnly(host, fallback string) string {
	if host == "" {
		return fallback
	}
	return host
}

func boolOr(p *bool, def bool) *bool {
	if p != nil {
		return new(*p)
	}
	return new(def)
}

func stringOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
