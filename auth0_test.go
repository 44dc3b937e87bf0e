package pachidp

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testSecret is the client secret of the preset tests. Tests compare it
// without ever printing it.
const testSecret = "s3cr3t-Must-Never-Be-Printed"

// guideAuth0 is the example tenant of the guide's entry.
func guideAuth0() Auth0 {
	return Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		ClientSecret: testSecret,
		ProxyHost:    "pachyderm.acme.com",
	}
}

// checkPresetError asserts that err is a *PresetError for preset and field
// whose message contains want, and that neither the message nor the
// formatted error holds secret.
func checkPresetError(t *testing.T, err error, preset, field, want, secret string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a *PresetError for %s", field)
	}
	var pe *PresetError
	if !errors.As(err, &pe) {
		t.Fatalf("error %T is not a *PresetError: %v", err, err)
	}
	if secret != "" {
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", pe)} {
			if strings.Contains(s, secret) || strings.Contains(s, strings.TrimSpace(secret)) {
				t.Fatalf("the error shows the client secret (message withheld)")
			}
		}
	}
	if pe.Preset != preset || pe.Field != field {
		t.Errorf("error is for %s.%s, want %s.%s: %v", pe.Preset, pe.Field, preset, field, err)
	}
	if !strings.Contains(pe.Msg+pe.UseText(func(f string) string { return f }), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if !strings.HasPrefix(err.Error(), preset+": "+field+": ") {
		t.Errorf("error %q does not start with %q", err, preset+": "+field+": ")
	}
}

// checkSecret compares an entry's client secret without printing it.
func checkSecret(t *testing.T, e UpstreamIDP, want string) {
	t.Helper()
	if e.OIDC == nil {
		t.Fatal("entry has no OIDC config")
	}
	if e.OIDC.ClientSecret != want {
		t.Error("client secret differs from the one passed")
	}
}

func TestAuth0DomainForms(t *testing.T) {
	tests := []struct {
		domain, proxyHost   string
		wantIssuer, wantURI string
	}{
		{"acme.us.auth0.com", "pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"acme.us.auth0.com/", "pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"https://acme.us.auth0.com", "pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"https://acme.us.auth0.com/", "pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"HTTPS://ACME.us.Auth0.COM/", "pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"acme.eu.auth0.com", "pachyderm.acme.com", "https://acme.eu.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"acme.auth0.com", "pachyderm.acme.com", "https://acme.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		// Custom domains.
		{"login.acme.com", "pachyderm.acme.com", "https://login.acme.com/", "https://pachyderm.acme.com/dex/callback"},
		{"https://login.acme.com:8443/", "pachyderm.acme.com", "https://login.acme.com:8443/", "https://pachyderm.acme.com/dex/callback"},
		// proxy.host forms.
		{"acme.us.auth0.com", "pachyderm.acme.com:8443", "https://acme.us.auth0.com/", "https://pachyderm.acme.com:8443/dex/callback"},
		{"acme.us.auth0.com", "https://pachyderm.acme.com", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"acme.us.auth0.com", "https://pachyderm.acme.com/", "https://acme.us.auth0.com/", "https://pachyderm.acme.com/dex/callback"},
		{"acme.us.auth0.com", "https://Pachyderm.ACME.com:30443/", "https://acme.us.auth0.com/", "https://pachyderm.acme.com:30443/dex/callback"},
		{"acme.us.auth0.com", "10.0.0.7:30080", "https://acme.us.auth0.com/", "https://10.0.0.7:30080/dex/callback"},
	}
	for _, tt := range tests {
		t.Run(tt.domain+"|"+tt.proxyHost, func(t *testing.T) {
			a := guideAuth0()
			a.Domain, a.ProxyHost = tt.domain, tt.proxyHost
			e, err := a.UpstreamIDP()
			if err != nil {
				t.Fatal(err)
			}
			if e.Type != "oidc" || e.ID != "auth0" || e.Name != "Auth0" {
				t.Errorf("type, id, name = %q, %q, %q, want oidc, auth0, Auth0", e.Type, e.ID, e.Name)
			}
			if e.OIDC.Issuer != tt.wantIssuer {
				t.Errorf("issuer = %q, want %q", e.OIDC.Issuer, tt.wantIssuer)
			}
			if e.OIDC.RedirectURI != tt.wantURI {
				t.Errorf("redirectURI = %q, want %q", e.OIDC.RedirectURI, tt.wantURI)
			}
			if e.OIDC.ClientID != a.ClientID {
				t.Errorf("clientID = %q, want %q", e.OIDC.ClientID, a.ClientID)
			}
			checkSecret(t, e, testSecret)
			checkFlags(t, e.OIDC, true, false, false) // Auth0 sends email_verified
		})
	}
}

// checkFlags asserts the three flags of the guide are all set to the values given.
func checkFlags(t *testing.T, c *OIDCConfig, groups, skipEmail, skipCallback bool) {
	t.Helper()
	for _, f := range []struct {
		name string
		got  *bool
		want bool
	}{
		{"insecureEnableGroups", c.InsecureEnableGroups, groups},
		{"insecureSkipEmailVerified", c.InsecureSkipEmailVerified, skipEmail},
		{"insecureSkipIssuerCallbackDomainCheck", c.InsecureSkipIssuerCallbackDomainCheck, skipCallback},
	} {
		switch {
		case f.got == nil:
			t.Errorf("%s is unset, want %v written", f.name, f.want)
		case *f.got != f.want:
			t.Errorf("%s = %v, want %v", f.name, *f.got, f.want)
		}
	}
}

func TestAuth0Options(t *testing.T) {
	a := guideAuth0()
	a.ID, a.Name = "auth0-prod", "Acme staff"
	a.InsecureEnableGroups = new(false)
	a.InsecureSkipEmailVerified = new(false)
	a.InsecureSkipIssuerCallbackDomainCheck = new(true)
	e, err := a.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "auth0-prod" || e.Name != "Acme staff" {
		t.Errorf("id, name = %q, %q, want auth0-prod, Acme staff", e.ID, e.Name)
	}
	checkFlags(t, e.OIDC, false, false, true)

	// The entry must not share the caller's *bool: changing it later must
	// not change the entry.
	*a.InsecureEnableGroups = true
	if *e.OIDC.InsecureEnableGroups {
		t.Error("entry shares the caller's InsecureEnableGroups pointer")
	}

	// false flags are written, not dropped.
	out, err := e.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"insecureEnableGroups: false", "insecureSkipEmailVerified: false", "insecureSkipIssuerCallbackDomainCheck: true"} {
		if !strings.Contains(string(out), line) {
			t.Errorf("YAML lacks %q", line)
		}
	}
}

func TestAuth0Malformed(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Auth0)
		field string
		want  string // part of the message: what to pass instead
	}{
		{"empty domain", func(a *Auth0) { a.Domain = "" }, "Domain", `empty: pass a host such as "acme.us.auth0.com"`},
		{"blank domain", func(a *Auth0) { a.Domain = "   " }, "Domain", "empty: pass a host"},
		{"domain with path", func(a *Auth0) { a.Domain = "https://acme.us.auth0.com/authorize" }, "Domain", `pass the host alone, such as "acme.us.auth0.com"`},
		{"domain with two slashes", func(a *Auth0) { a.Domain = "acme.us.auth0.com//" }, "Domain", `pass the host alone, such as "acme.us.auth0.com"`},
		{"domain with query", func(a *Auth0) { a.Domain = "acme.us.auth0.com?tenant=x" }, "Domain", `pass the host alone, such as "acme.us.auth0.com"`},
		{"domain with fragment", func(a *Auth0) { a.Domain = "acme.us.auth0.com/#x" }, "Domain", "pass the host alone"},
		{"http domain", func(a *Auth0) { a.Domain = "http://acme.us.auth0.com/" }, "Domain", "uses http: Pachyderm's guide requires https; pass the host alone"},
		{"ftp domain", func(a *Auth0) { a.Domain = "ftp://acme.us.auth0.com" }, "Domain", "uses ftp"},
		{"domain with space", func(a *Auth0) { a.Domain = "acme .us.auth0.com" }, "Domain", "contains white space: pass a host such as"},
		{"domain with newline", func(a *Auth0) { a.Domain = "acme.us.auth0.com\n" }, "Domain", "contains white space"},
		{"domain with user", func(a *Auth0) { a.Domain = "https://admin@acme.us.auth0.com" }, "Domain", "carries user information: pass the host alone"},
		{"domain with empty port", func(a *Auth0) { a.Domain = "acme.us.auth0.com:" }, "Domain", "empty port: drop the colon or add the port"},
		{"domain with leading dot", func(a *Auth0) { a.Domain = ".acme.us.auth0.com" }, "Domain", "is not a host name: pass one such as"},
		{"empty client id", func(a *Auth0) { a.ClientID = "" }, "ClientID", "empty: pass the client ID"},
		{"client id with space", func(a *Auth0) { a.ClientID = "hQ9pX2vL7kRm4TzW 8yBn3Cd5Fg6Jh1Ks" }, "ClientID", "contains spaces: pass the client ID exactly"},
		{"client id with newline", func(a *Auth0) { a.ClientID = "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks\n" }, "ClientID", "contains spaces"},
		{"empty secret", func(a *Auth0) { a.ClientSecret = "" }, "ClientSecret", "empty: pass the application's client secret"},
		{"secret with trailing newline", func(a *Auth0) { a.ClientSecret = testSecret + "\n" }, "ClientSecret", "trailing white space (a newline from a file?): trim it"},
		{"secret with leading space", func(a *Auth0) { a.ClientSecret = " " + testSecret }, "ClientSecret", "trim it"},
		{"empty proxy host", func(a *Auth0) { a.ProxyHost = "" }, "ProxyHost", `empty: pass a host such as "pachyderm.example.com"`},
		{"proxy host with path", func(a *Auth0) { a.ProxyHost = "pachyderm.acme.com/dex/callback" }, "ProxyHost", `pass the host alone, such as "pachyderm.acme.com"`},
		{"http proxy host", func(a *Auth0) { a.ProxyHost = "http://pachyderm.acme.com" }, "ProxyHost", "requires https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := guideAuth0()
			tt.mod(&a)
			e, err := a.UpstreamIDP()
			checkPresetError(t, err, "auth0", tt.field, tt.want, testSecret)
			if e.OIDC != nil || e.ID != "" {
				t.Error("an error came with a partly built entry")
			}
		})
	}
}

// TestAuth0Golden pins the guide's entry byte for byte: key order
// (type, id, name, config: issuer, clientID, clientSecret, redirectURI and
// the three flags) and nothing else.
func TestAuth0Golden(t *testing.T) {
	a := guideAuth0()
	a.ClientSecret = "fake-client-secret"
	e, err := a.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "presets/auth0.golden", out)

	var keys []string
	for _, it := range e.ordered() {
		keys = append(keys, it.Key)
	}
	if got := strings.Join(keys, ","); got != "type,id,name,config" {
		t.Errorf("entry keys = %s, want type,id,name,config", got)
	}
	keys = nil
	for _, it := range e.OIDC.ordered() {
		keys = append(keys, it.Key)
	}
	want := "issuer,clientID,clientSecret,redirectURI,insecureEnableGroups,insecureSkipEmailVerified,insecureSkipIssuerCallbackDomainCheck"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("config keys = %s, want %s", got, want)
	}
}

func TestCallback(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"pachyderm.acme.com", "https://pachyderm.acme.com/dex/callback", ""},
		{"pachyderm.acme.com:8443", "https://pachyderm.acme.com:8443/dex/callback", ""},
		{"https://pachyderm.acme.com/", "https://pachyderm.acme.com/dex/callback", ""},
		{"[2001:db8::1]:443", "https://[2001:db8::1]:443/dex/callback", ""},
		{"", "", "empty"},
		{"pachyderm.acme.com/dex", "", "pass the host alone"},
	}
	for _, tt := range tests {
		got, err := redirectURI(tt.in)
		if tt.wantErr != "" {
			checkPresetError(t, err, "redirect", "ProxyHost", tt.wantErr, "")
		} else if err != nil || got != tt.want {
			t.Errorf("redirectURI(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
		// ValidateOptions.Callback, what Validate compares redirect URIs
		// with, is the same URI, or an *optionError naming ProxyHost.
		cb, err := ValidateOptions{ProxyHost: tt.in}.Callback()
		var oe *optionError
		switch {
		case tt.in == "":
			if cb != "" || err != nil {
				t.Errorf("Callback of no option = %q, %v", cb, err)
			}
		case tt.wantErr != "":
			if !errors.As(err, &oe) || oe.option != "ValidateOptions.ProxyHost" || !strings.Contains(oe.msg, tt.wantErr) {
				t.Errorf("Callback(ProxyHost %q): %v, want an *optionError saying %q", tt.in, err, tt.wantErr)
			}
		case err != nil || cb != tt.want:
			t.Errorf("Callback(ProxyHost %q) = %q, %v, want %q", tt.in, cb, err, tt.want)
		}
	}
	for _, tt := range []struct{ issuer, want string }{
		{"https://pachyderm.acme.com/dex", "https://pachyderm.acme.com/dex/callback"},
		{"https://pachyderm.acme.com:8443/", "https://pachyderm.acme.com:8443/callback"},
	} {
		// DexIssuer wins over ProxyHost.
		if cb, err := (ValidateOptions{DexIssuer: tt.issuer, ProxyHost: "other.example.com"}).Callback(); err != nil || cb != tt.want {
			t.Errorf("Callback(DexIssuer %q) = %q, %v, want %q", tt.issuer, cb, err, tt.want)
		}
	}
	var oe *optionError
	if _, err := (ValidateOptions{DexIssuer: "not a url"}).Callback(); !errors.As(err, &oe) || oe.option != "ValidateOptions.DexIssuer" {
		t.Errorf("Callback(DexIssuer not a URL): %v, want an *optionError", err)
	}
}
