package harness

import (
	"fmt"
	"net/url"
	"path"
	"reflect"
	"strings"
)

// DexCallback is the URL of Dex's callback for its issuer, as Dex builds
// it: absURL("/callback") sets the issuer URL's path to
// path.Join(issuer path, "/callback") (server/server.go:407-418 at
// pachyderm/dex 706aec2, :394-399 at ebfeda6, :524-533 at dexidp/dex
// v2.45.1), which is also the path its router serves
// (server.go:369 at 706aec2, r.HandleFunc(path.Join(issuerURL.Path,
// "/callback")); :484 at v2.45.1 through handleFunc). So an issuer with a
// trailing slash gets no double slash.
func DexCallback(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return strings.TrimSuffix(issuer, "/") + "/callback"
	}
	u.Path = path.Join(u.Path, "/callback")
	u.RawPath = ""
	return u.String()
}

// Route is the routing stage, after LoginURL (or POSTData): the browser
// is sent back to the redirect URI the connector gives the provider (the
// config's redirectURI, whatever the connector's own check), and login
// works only if that URL reaches Dex's callback handler as the chart
// routes it. The chart sends Dex's issuer host and path prefix to Dex
// (proxy or ingress); Dex's router (gorilla mux with SkipClean and
// UseEncodedPath, exact paths, no StrictSlash) serves the callback at
// exactly path.Join(issuer path, "/callback") and
// path.Join(issuer path, "/callback/{connector}") (server.go:369-381 at
// 706aec2, :484-496 at v2.45.1), the latter only for the connector that
// started the login (handlers.go:429-437 at 706aec2: "Connector mismatch").
// So the redirect URI must have the callback's scheme, host (DNS names are
// case-insensitive), port (the scheme's default when absent) and one of
// those two paths; a query is kept by the provider and ignored by Dex.
//
// Every connector type with a redirect URI is checked, so this catches what
// LoginURL lets through: the oidc fork's insecureSkipIssuerCallbackDomainCheck
// (oidc.go:220 at 706aec2 skips the comparison), and SAML, whose POSTData
// takes no callback: the AuthnRequest names redirectURI as
// AssertionConsumerServiceURL (saml.go:268 at 706aec2), the provider posts
// the response there, and HandlePOST accepts only a response whose
// Destination is redirectURI (saml.go:334-335) — so the POST reaches Dex
// only if redirectURI is Dex's callback.
//
// conf is the connector's decoded config; its RedirectURI field (every
// type that has one names it so) is what the connector uses. Types
// without one (ldap, keystone, atlassian-crowd, authproxy, the mocks) pass.
func Route(conf any, id, callback string) error {
	v := reflect.ValueOf(conf)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("RedirectURI")
	if !f.IsValid() || f.Kind() != reflect.String {
		return nil
	}
	return routes(f.String(), id, callback)
}

func routes(redirect, id, callback string) error {
	want, err := url.Parse(callback)
	if err != nil {
		return fmt.Errorf("Dex's callback %q is not a URL: %v", callback, err)
	}
	fail := func(what string) error {
		return fmt.Errorf("redirect URI %q does not reach Dex's callback %q: %s", redirect, callback, what)
	}
	u, err := url.Parse(redirect)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fail("not an absolute URL")
	case !strings.EqualFold(u.Scheme, want.Scheme):
		return fail("another scheme")
	case !strings.EqualFold(u.Hostname(), want.Hostname()):
		return fail("another host, which the chart does not route to Dex")
	case effectivePort(u) != effectivePort(want):
		return fail("another port")
	}
	p := u.EscapedPath()
	if p == want.EscapedPath() || p == want.EscapedPath()+"/"+url.PathEscape(id) {
		return nil
	}
	return fail(fmt.Sprintf("path %q is not %q, where Dex serves its callback", p, want.EscapedPath()))
}
