package pachidp

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Secrets of the redaction test: each one appears in exactly one place.
const (
	secretOIDC     = "oidc-Secret-Never-Shown"
	secretLDAP     = "ldap-Password-Never-Shown"
	secretLegacy   = "legacy-Secret-Never-Shown"
	secretExtra    = "extra-Secret-Never-Shown"
	secretVariant  = "variant-Secret-Never-Shown"
	secretAsString = "string-Config-Never-Shown"
	secretPreset   = "preset-Secret-Never-Shown"
)

var allSecrets = []string{secretOIDC, secretLDAP, secretLegacy, secretExtra, secretVariant, secretAsString, secretPreset}

func redactionFixture(t *testing.T) []UpstreamIDP {
	t.Helper()
	in := `- type: oidc
  id: auth0
  name: Auth0
  config:
    issuer: https://acme.us.auth0.com/
    clientID: c
    clientSecret: ` + secretOIDC + `
    ClientSECRET: ` + secretVariant + `
    oldClientSecret: ` + secretExtra + `
- type: ldap
  id: ldap
  name: LDAP
  config:
    host: ldap.acme.com:636
    bindPW: ` + secretLDAP + `
- type: oidc
  id: legacy
  name: Legacy
  jsonConfig: '{"clientSecret": "` + secretLegacy + `"}'
- type: oidc
  id: as-string
  name: Config as a string
  config: '{"clientSecret": "` + secretAsString + `"}'
`
	idps, err := DecodeUpstreamIDPs([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return idps
}

// TestRedaction prints every value that can hold a secret with every fmt
// verb, and String and GoString, and checks no secret shows, not even
// hex-encoded.
func TestRedaction(t *testing.T) {
	idps := redactionFixture(t)
	oidc, ldap, legacy, asString := idps[0], idps[1], idps[2], idps[3]
	// Make sure the fixture really holds the secrets, so the test can fail.
	if oidc.OIDC.ClientSecret != secretOIDC || ldap.Config["bindPW"] != secretLDAP || !strings.Contains(legacy.JSONConfig, secretLegacy) {
		t.Fatal("fixture does not hold the secrets where expected")
	}
	okta := Okta{Domain: "acme.okta.com", ClientID: "c", ClientSecret: secretPreset, ProxyHost: "p.acme.com"}
	values := []struct {
		name string
		v    any
	}{
		{"UpstreamIDP", oidc},
		{"*UpstreamIDP", &oidc},
		{"[]UpstreamIDP", idps},
		{"map of *UpstreamIDP", map[string]*UpstreamIDP{"a": &oidc}},
		{"struct holding an UpstreamIDP", struct{ E UpstreamIDP }{oidc}},
		{"OIDCConfig", *oidc.OIDC},
		{"*OIDCConfig", oidc.OIDC},
		{"ldap UpstreamIDP", ldap},
		{"ConnectorConfig", ldap.Config},
		{"jsonConfig UpstreamIDP", legacy},
		{"config as a string", asString},
		{"Auth0 preset", Auth0{Domain: "acme.us.auth0.com", ClientID: "c", ClientSecret: secretPreset}},
		{"*Auth0 preset", &Auth0{ClientSecret: secretPreset}},
		{"Okta preset", okta},
		{"Keycloak preset", Keycloak{ClientSecret: secretPreset}},
		{"EntraID preset", EntraID{ClientSecret: secretPreset}},
		{"Google preset", Google{ClientSecret: secretPreset}},
		{"GenericOIDC preset", GenericOIDC{ClientSecret: secretPreset}},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.40v", "%-20s"}
	for _, val := range values {
		t.Run(val.name, func(t *testing.T) {
			outs := map[string]string{}
			for _, verb := range verbs {
				outs[verb] = fmt.Sprintf(verb, val.v)
			}
			outs["Sprint"] = fmt.Sprint(val.v)
			outs["Sprintln"] = fmt.Sprintln(val.v)
			if s, ok := val.v.(fmt.Stringer); ok {
				outs["String"] = s.String()
			}
			if s, ok := val.v.(fmt.GoStringer); ok {
				outs["GoString"] = s.GoString()
			}
			for how, out := range outs {
				for _, secret := range allSecrets {
					if strings.Contains(out, secret) ||
						strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(secret))) {
						t.Errorf("%s shows a secret (output withheld)", how)
						break
					}
				}
			}
			if !strings.Contains(outs["%v"], Redacted) {
				t.Errorf("%%v does not say %s: %s", Redacted, outs["%v"])
			}
		})
	}
}

// TestStringShowsEntry checks that String is useful, not just safe: it is
// the entry as YAML with the secrets replaced.
func TestStringShowsEntry(t *testing.T) {
	idps := redactionFixture(t)
	want := `type: oidc
id: auth0
name: Auth0
config:
  issuer: https://acme.us.auth0.com/
  clientID: c
  clientSecret: REDACTED
  ClientSECRET: REDACTED
  oldClientSecret: REDACTED`
	if got := idps[0].String(); got != want {
		t.Errorf("String:\n%s\nwant:\n%s", got, want)
	}
	if got := idps[0].GoString(); got != "pachidp.UpstreamIDP("+want+")" {
		t.Errorf("GoString = %s", got)
	}
	if got, want := idps[1].Config.String(), "bindPW: REDACTED\nhost: ldap.acme.com:636"; got != want {
		t.Errorf("ConnectorConfig.String = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%v", (*UpstreamIDP)(nil)); got != "<nil>" {
		t.Errorf("nil *UpstreamIDP prints %q, want <nil>", got)
	}
	// An empty secret is shown as empty, so that a missing secret is visible.
	e := UpstreamIDP{Type: "oidc", OIDC: &OIDCConfig{Issuer: "https://i"}}
	if strings.Contains(e.String(), Redacted) {
		t.Errorf("String of an entry without secret says %s:\n%s", Redacted, e)
	}
}

func TestIsSecretKey(t *testing.T) {
	for key, want := range map[string]bool{
		"clientSecret": true, "ClientSecret": true, "client_secret": true, "bindPW": true,
		"password": true, "keystonePassword": true, "privateKey": true,
		"clientID": false, "issuer": false, "redirectURI": false, "bindDN": false, "host": false,
		// Names of Secrets and files hold no secret themselves.
		"secretName": false, "upstreamIDPsSecretName": false, "passwordFile": false, "clientSecretRef": false,
		// Secrets elsewhere in Pachyderm's values, which HelmValues.Redacted hides.
		"rootToken": true, "enterpriseRootToken": true, "token": true, "cred": true,
		"enterpriseLicenseKey": true, "rootTokenSecretName": false, "credentialsSecretName": false,
		"tokenURL": false, "IDTokenExpiry": false,
	} {
		if got := isSecretKey(key); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestCaseVariantKeys checks a config key written twice in different case:
// as Dex's encoding/json reads the sorted keys pachd hands it, the last in
// sorted order fills the field (clientSecret after ClientSECRET, issuer
// after Issuer, redirectUri after redirectURI) and the other is kept in
// Extra, so nothing is lost and Validate can report it.
func TestCaseVariantKeys(t *testing.T) {
	idps := redactionFixture(t)
	c := idps[0].OIDC
	if c.ClientSecret != secretOIDC {
		t.Error("clientSecret field does not hold the exactly named key's value")
	}
	if c.Extra["ClientSECRET"] != secretVariant {
		t.Error("the case variant ClientSECRET is not kept in Extra")
	}
	// Without an exact name, the last variant in sorted order fills it.
	e, err := decodeUpstreamIDP([]byte("type: oidc\nconfig: {ISSUER: https://a, Issuer: https://b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{e.OIDC.Issuer, fmt.Sprint(e.OIDC.Extra)}; !reflect.DeepEqual(got, []string{"https://b", "map[ISSUER:https://a]"}) {
		t.Errorf("issuer and extra = %q, want the last variant in sorted order in the field and the other in Extra", got)
	}
	// The exact name loses to a variant that sorts after it, as in Dex.
	e, err = decodeUpstreamIDP([]byte("type: oidc\nconfig: {redirectURI: https://a/dex/callback, redirectUri: https://b/dex/callback, scopes: [x], scopeS: ~}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.OIDC.RedirectURI != "https://b/dex/callback" || e.OIDC.Extra["redirectURI"] != "https://a/dex/callback" {
		t.Errorf("redirectURI = %q, Extra %v: want redirectUri's value, redirectURI's in Extra", e.OIDC.RedirectURI, e.OIDC.Extra)
	}
	if !reflect.DeepEqual(e.OIDC.Scopes, []string{"x"}) {
		t.Errorf("scopes = %q: scopeS: null sorts before scopes and clears nothing after it", e.OIDC.Scopes)
	}
}

// TestDexConnectorTypesIsACopy: a caller changing the list it got must not
// change what Validate accepts.
func TestDexConnectorTypesIsACopy(t *testing.T) {
	types := dexConnectorTypes()
	if !slices.Contains(types, typeOIDC) || !slices.Contains(types, "samlExperimental") || len(types) != 18 {
		t.Fatalf("dexConnectorTypes() = %q, want the 18 types of Dex v2.45.1's server.ConnectorsConfig", types)
	}
	for i := range types {
		types[i] = "changed"
	}
	e := UpstreamIDP{ID: "gh", Name: "GitHub", Type: "github", Config: ConnectorConfig{"clientID": "c"}}
	for _, f := range Validate([]UpstreamIDP{e}, ValidateOptions{}) {
		if f.Rule == "unknown-type" {
			t.Errorf("changing the returned slice changed Validate: %v", f)
		}
	}
}

// TestOIDCConfigKeys checks OIDCConfig knows exactly the keys of Dex
// v2.45.1's oidc.Config (as its key table in dexconfig/ lists them) plus the fork's two,
// in the guide's order first.
func TestOIDCConfigKeys(t *testing.T) {
	keys := oidcConfigKeys()
	want := []string{"issuer", "clientID", "clientSecret", "redirectURI", "insecureEnableGroups",
		"insecureSkipEmailVerified", "insecureSkipIssuerCallbackDomainCheck"}
	if !reflect.DeepEqual(keys[:len(want)], want) {
		t.Errorf("first keys = %q, want the guide's %q", keys[:len(want)], want)
	}

	// Dex's keys as the generated table of upstream Dex v2.45.1 has them
	// (dexconfig/, from the real code; dexconv's TestOIDCConfigKeys compares
	// with the real oidc.Config itself).
	dexKeys := dexUpstream.connector(typeOIDC).fieldNames()
	sort.Strings(dexKeys)
	var ours []string
	for _, k := range keys {
		if !contains(forkOnlyKeys(), k) {
			ours = append(ours, k)
		}
	}
	sort.Strings(ours)
	if !reflect.DeepEqual(ours, dexKeys) {
		t.Errorf("OIDCConfig keys without the fork's = %q,\nDex's oidc.Config keys = %q", ours, dexKeys)
	}
	if len(keys) != len(dexKeys)+len(forkOnlyKeys()) {
		t.Errorf("oidcConfigKeys has %d keys, want %d", len(keys), len(dexKeys)+len(forkOnlyKeys()))
	}
}

// A misspelled secret key is ignored by Dex but still holds the secret the
// user meant to write: printing never shows it. Keys that are merely close
// to a short secret key (bindDN, bindPW) keep their values visible.
func TestMisspelledSecretKeysRedacted(t *testing.T) {
	const secret = "typo-Secret-4d2a"
	e, err := decodeUpstreamIDP([]byte("type: oidc\nid: a\nname: A\nconfig:\n  issuer: https://a.example.com\n  clientSecert: " + secret +
		"\n  ClientScret: " + secret + "\n  pasword: " + secret + "\n  bindDN: cn=admin\n  clientID: visible-id\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{e.String(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e.OIDC), fmt.Sprintf("%#v", e)} {
		if strings.Contains(out, secret) {
			t.Fatal("a misspelled secret key's value was printed")
		}
		if !strings.Contains(out, "cn=admin") || !strings.Contains(out, "visible-id") {
			t.Errorf("a value that is no secret was hidden:\n%s", out)
		}
	}
	for key, want := range map[string]bool{"clientSecert": true, "client_secret": true, "pasword": true, "bindDN": false, "clientID": false, "issuer": false, "passwd": true} {
		if got := nearSecretKey(key) || isSecretKey(key); got != want {
			t.Errorf("%s: hidden=%v, want %v", key, got, want)
		}
	}
}

// OIDCConfig alone marshals like the entry's config: set keys only, in the
// guide's order, Extra kept; and it reads back to the same value.
func TestOIDCConfigMarshal(t *testing.T) {
	c := OIDCConfig{Issuer: "https://a.example.com/", ClientID: "id", ClientSecret: "s", InsecureEnableGroups: new(false),
		Extra: map[string]any{"futureKey": "x"}}
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"issuer":"https://a.example.com/","clientID":"id","clientSecret":"s","insecureEnableGroups":false,"futureKey":"x"}`; string(j) != want {
		t.Errorf("json.Marshal = %s, want %s", redactLine(string(j)), redactLine(want))
	}
	y, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(y), "issuer: https://a.example.com/\nclientID: id\n") || strings.Contains(string(y), "null") {
		t.Errorf("yaml.Marshal wrote another form:\n%s", redactLine(string(y)))
	}
	for name, data := range map[string][]byte{"json": j, "yaml": y} {
		var back OIDCConfig
		var err error
		if name == "json" {
			err = json.Unmarshal(data, &back)
		} else {
			err = yaml.Unmarshal(data, &back)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("%s round trip differs:\n got %v\nwant %v", name, back, c) // String redacts
		}
	}
}
