package pachidp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
)

// valSecret stands for every secret in the test data. No finding may ever
// contain it.
const valSecret = "FAKE-SECRET-9f8e7d"

// validateEntryYAML returns a valid oidc entry as a one-entry YAML list. Lines 1-4 are
// type, id, name and config:, lines 5-8 issuer, clientID, clientSecret and
// redirectURI; extra config lines follow from line 9. set replaces the value
// of those keys; the value "-" deletes the line (and shifts the lines after).
func validateEntryYAML(set map[string]string, extra ...string) string {
	lines := []string{
		"- type: oidc",
		"  id: okta",
		"  name: Okta",
		"  config:",
		"    issuer: https://acme.okta.com",
		"    clientID: 0oa1b2c3d4",
		"    clientSecret: " + valSecret,
		"    redirectURI: https://pachyderm.acme.com/dex/callback",
	}
	var out []string
	for _, l := range lines {
		key := strings.TrimPrefix(strings.TrimSpace(l), "- ")
		key = key[:strings.Index(key, ":")]
		v, ok := set[key]
		switch {
		case !ok:
			out = append(out, l)
		case v != "-":
			out = append(out, l[:strings.Index(l, ":")+1]+" "+v)
		}
	}
	for _, l := range extra {
		out = append(out, "    "+l)
	}
	return strings.Join(out, "\n") + "\n"
}

// valWant is one expected finding. line 0 means the finding has no position.
type valWant struct {
	rule string
	sev  Severity
	path string
	line int
	fix  string // a substring of the message
}

type validateCase struct {
	name string
	yaml string        // a YAML list, or
	idps []UpstreamIDP // entries built in Go
	opts ValidateOptions
	want []valWant
}

const (
	vErr  = SeverityError
	vWarn = SeverityWarning
)

var (
	valProxyOpts    = ValidateOptions{ProxyHost: "pachyderm.acme.com"}
	valUpstreamOpts = ValidateOptions{ProxyHost: "pachyderm.acme.com", Target: TargetUpstreamDex}
	valP0           = "oidc.upstreamIDPs[0]"
)

// validateTestCA returns a self-signed CA certificate in PEM, made once.
var validateTestCA = sync.OnceValue(func() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pachidp test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
})

func validateCases() []validateCase {
	caB64 := base64.StdEncoding.EncodeToString([]byte(validateTestCA()))
	wrapped := caB64[:40] + " " + caB64[40:]
	notPEM := base64.StdEncoding.EncodeToString([]byte("just some bytes, not a certificate"))
	badPEM := `"-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n"`

	return []validateCase{
		// A valid entry, and valid variants, give no finding.
		{name: "valid", yaml: validateEntryYAML(nil), opts: valProxyOpts},
		{name: "valid without proxy host", yaml: validateEntryYAML(nil)},
		{name: "redirect-uri-host case differs", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://PACHYDERM.acme.com/dex/callback"}),
			opts: ValidateOptions{ProxyHost: "https://Pachyderm.ACME.com/"},
			want: []valWant{{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 8, "is not the callback's: use \"https://pachyderm.acme.com/dex/callback\""}}},
		{name: "redirect-uri-host :443", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com:443/dex/callback"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 8, "host \"pachyderm.acme.com:443\" is not the callback's: use \"https://pachyderm.acme.com/dex/callback\""}}},
		{name: "redirect-uri-path trailing slash", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com/dex/callback/"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-path", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com/dex/callback"`}}},
		{name: "valid key in another case", opts: valProxyOpts, yaml: strings.Replace(validateEntryYAML(nil), "clientID:", "ClientID:", 1)},
		{name: "valid http loopback when allowed",
			yaml: validateEntryYAML(map[string]string{"issuer": "http://127.0.0.1:5556/dex", "redirectURI": "http://localhost:30658/dex/callback"}),
			opts: ValidateOptions{InsecureAllowHTTPLoopback: true}},
		{name: "valid ldap passes through", yaml: "- type: ldap\n  id: ldap\n  name: LDAP\n  config:\n    host: ldap.acme.com:636\n    bindPW: " + valSecret + "\n    userSearch: {baseDN: \"ou=people,dc=acme,dc=com\", username: uid}\n"},
		{name: "valid root CAs", yaml: validateEntryYAML(nil, "rootCAs:", "  - "+caB64, "  - /etc/dex/ca.pem", `  - ""`), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-file", vWarn, valP0 + ".config.rootCAs[1]", 11, "mount it"}}},
		{name: "valid auth0 and keycloak and entra issuers", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.us.auth0.com/"}) +
			strings.Replace(strings.Replace(validateEntryYAML(map[string]string{"issuer": "https://sso.acme.com/realms/acme"}), "okta", "kc", 1), "  - type", "- type", 1) +
			strings.Replace(validateEntryYAML(map[string]string{"issuer": "https://login.microsoftonline.com/8d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d/v2.0"}), "okta", "entra", 1),
			opts: valProxyOpts},

		// Entry rules.
		{name: "required id", yaml: validateEntryYAML(map[string]string{"id": "-"}),
			want: []valWant{{"required", vErr, valP0 + ".id", 1, "id: auth0"}}},
		{name: "required name", yaml: validateEntryYAML(map[string]string{"name": "-"}),
			want: []valWant{{"required", vErr, valP0 + ".name", 1, "name: Auth0"}}},
		{name: "required type", yaml: strings.Replace(validateEntryYAML(nil), "- type: oidc\n  id:", "- id:", 1),
			want: []valWant{{"required", vErr, valP0 + ".type", 1, "type: oidc"}}},
		{name: "wrong-type id", yaml: validateEntryYAML(map[string]string{"id": "12"}),
			want: []valWant{{"wrong-type", vErr, valP0 + ".id", 2, "quote the value"}}},
		{name: "wrong-type config", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  config: \"issuer: https://acme.okta.com\"\n",
			want: []valWant{{"wrong-type", vErr, valP0 + ".config", 4, "indented under it"}}},
		{name: "wrong-type configVersion", yaml: validateEntryYAML(nil) + "  configVersion: x\n",
			want: []valWant{{"wrong-type", vErr, valP0 + ".configVersion", 9, "delete it, pachd manages it"}}},
		{name: "wrong-type jsonConfig", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  jsonConfig:\n    issuer: https://acme.okta.com\n",
			want: []valWant{{"wrong-type", vErr, valP0 + ".jsonConfig", 4, "move the settings under config"}}},
		{name: "duplicate-id", yaml: validateEntryYAML(nil) + validateEntryYAML(map[string]string{"name": "Okta again"}),
			want: []valWant{{"duplicate-id", vErr, "oidc.upstreamIDPs[1].id", 10, "id \"okta\" is also oidc.upstreamIDPs[0] (line 2)'s: give each entry its own id"}}},
		{name: "duplicate-key configVersion", yaml: validateEntryYAML(nil) + "  configVersion: 1\n  config_version: 2\n",
			want: []valWant{
				{"config-version-managed", vWarn, valP0 + ".configVersion", 9, "delete it"},
				{"unknown-entry-key", vErr, valP0 + ".config_version", 10, "pachd knows only configVersion, not config_version: delete it, pachd manages the version"},
			}},
		{name: "unknown-type case", yaml: validateEntryYAML(map[string]string{"type": "OIDC"}),
			want: []valWant{{"unknown-type", vErr, valP0 + ".type", 1, `use "oidc"`}}},
		{name: "unknown-type typo", yaml: validateEntryYAML(map[string]string{"type": "odic"}),
			want: []valWant{{"unknown-type", vErr, valP0 + ".type", 1, `use "oidc"`}}},
		{name: "unknown-type far", yaml: validateEntryYAML(map[string]string{"type": "saml2-enterprise"}),
			want: []valWant{{"unknown-type", vErr, valP0 + ".type", 1, "use a type pachidp schema lists"}}},
		{name: "pachctl-version-key", yaml: validateEntryYAML(nil) + "  version: 1\n",
			want: []valWant{{"pachctl-version-key", vErr, valP0 + ".version", 9, "version is for pachctl's connector file, not Helm values: delete it"}}},
		{name: "unknown-entry-key config setting", yaml: validateEntryYAML(nil) + "  clientSecret: " + valSecret + "\n",
			want: []valWant{{"unknown-entry-key", vErr, valP0 + ".clientSecret", 9, "move it under config"}}},
		{name: "unknown-entry-key typo", yaml: validateEntryYAML(nil) + "  Name: Okta\n",
			want: []valWant{{"unknown-entry-key", vErr, valP0 + ".Name", 9, `rename it to "name"`}}},
		{name: "unknown-entry-key other", yaml: validateEntryYAML(nil) + "  labels: {team: data}\n",
			want: []valWant{{"unknown-entry-key", vErr, valP0 + ".labels", 9, "pachd rejects \"labels\": delete it"}}},
		{name: "config-version-managed", yaml: validateEntryYAML(nil) + "  configVersion: 3\n",
			want: []valWant{{"config-version-managed", vWarn, valP0 + ".configVersion", 9, "pachd overwrites"}}},
		{name: "config-and-json-config", yaml: validateEntryYAML(nil) + "  jsonConfig: '{\"clientSecret\": \"" + valSecret + "\"}'\n",
			want: []valWant{{"config-and-json-config", vWarn, valP0 + ".jsonConfig", 9, "delete jsonConfig"}}},
		{name: "unknown-entry-key json_config", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  json_config: '{\"issuer\": \"https://acme.okta.com\", \"clientSecret\": \"" + valSecret + "\"}'\n",
			want: []valWant{{"unknown-entry-key", vErr, valP0 + ".json_config", 4, "pachd knows only jsonConfig, not json_config: write the settings as a mapping under config instead"}}},
		{name: "json-config-invalid syntax", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  jsonConfig: '{\"clientSecret\": " + valSecret + "}'\n",
			want: []valWant{{"json-config-invalid", vErr, valP0 + ".jsonConfig", 4, "error at byte 18"}}},
		{name: "json-config-invalid not an object", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  jsonConfig: '[1, 2]'\n",
			want: []valWant{{"json-config-invalid", vErr, valP0 + ".jsonConfig", 4, "not a JSON object"}}},
		{name: "config-missing oidc", yaml: "- type: oidc\n  id: okta\n  name: Okta\n",
			want: []valWant{{"config-missing", vErr, valP0 + ".config", 1, "issuer, clientID, clientSecret and redirectURI"}}},
		{name: "config-missing ldap", yaml: "- type: ldap\n  id: ldap\n  name: LDAP\n  config: null\n",
			want: []valWant{{"config-missing", vErr, valP0 + ".config", 4, "add a config mapping"}}},
		{name: "config-field-mismatch generic config for oidc",
			idps: []UpstreamIDP{{Type: "oidc", ID: "okta", Name: "Okta", Config: ConnectorConfig{"issuer": "https://acme.okta.com", "clientSecret": valSecret}}},
			want: []valWant{{"config-field-mismatch", vErr, valP0 + ".config", 0, "UpstreamIDPFromMap"}}},
		{name: "config-field-mismatch oidc config for ldap",
			idps: []UpstreamIDP{{Type: "ldap", ID: "ldap", Name: "LDAP", OIDC: &OIDCConfig{Issuer: "https://acme.okta.com", ClientID: "x", ClientSecret: valSecret, RedirectURI: "https://pachyderm.acme.com/dex/callback"}}},
			want: []valWant{{"config-field-mismatch", vErr, valP0 + ".config", 0, "set type to oidc"}}},
		{name: "config-field-mismatch both", opts: valProxyOpts,
			idps: []UpstreamIDP{{Type: "oidc", ID: "okta", Name: "Okta", Config: ConnectorConfig{"bindPW": valSecret},
				OIDC: &OIDCConfig{Issuer: "https://acme.okta.com", ClientID: "x", ClientSecret: valSecret, RedirectURI: "https://pachyderm.acme.com/dex/callback"}}},
			want: []valWant{{"config-field-mismatch", vErr, valP0 + ".config", 0, "clear Config"}}},

		// OIDC config: required keys and shapes.
		{name: "required issuer", yaml: validateEntryYAML(map[string]string{"issuer": "-"}),
			want: []valWant{{"required", vErr, valP0 + ".config.issuer", 4, "missing: set the provider's issuer, such as \"https://acme.us.auth0.com/\""}}},
		{name: "required clientID", yaml: validateEntryYAML(map[string]string{"clientID": `""`}),
			want: []valWant{{"required", vErr, valP0 + ".config.clientID", 6, "client ID"}}},
		{name: "required clientSecret", yaml: validateEntryYAML(map[string]string{"clientSecret": "-"}),
			want: []valWant{{"required", vErr, valP0 + ".config.clientSecret", 4, "missing: set the application's client secret (or use a Secret)"}}},
		{name: "required redirectURI", yaml: validateEntryYAML(map[string]string{"redirectURI": "-"}), opts: valProxyOpts,
			want: []valWant{{"required", vErr, valP0 + ".config.redirectURI", 4, `use "https://pachyderm.acme.com/dex/callback"`}}},
		{name: "surrounding-space secret", yaml: validateEntryYAML(map[string]string{"clientSecret": `"` + valSecret + `\n"`}),
			want: []valWant{{"surrounding-space", vErr, valP0 + ".config.clientSecret", 7, "remove it"}}},
		{name: "surrounding-space issuer", yaml: validateEntryYAML(map[string]string{"issuer": `" https://acme.okta.com"`}),
			want: []valWant{{"surrounding-space", vErr, valP0 + ".config.issuer", 5, `use "https://acme.okta.com"`}}},

		// Issuer.
		{name: "issuer-url host only", yaml: validateEntryYAML(map[string]string{"issuer": "acme.us.auth0.com"}),
			want: []valWant{{"issuer-url", vErr, valP0 + ".config.issuer", 5, `use "https://acme.us.auth0.com/"`}}},
		{name: "issuer-url garbage", yaml: validateEntryYAML(map[string]string{"issuer": "not a url"}),
			want: []valWant{{"issuer-url", vErr, valP0 + ".config.issuer", 5, "not an absolute URL with a host: write one such as \"https://acme.us.auth0.com/\""}}},
		{name: "issuer-https", yaml: validateEntryYAML(map[string]string{"issuer": "http://keycloak.keycloak.svc.cluster.local/realms/p"}),
			want: []valWant{{"issuer-https", vWarn, valP0 + ".config.issuer", 5, "plain http"}}},
		// A SaaS provider serves discovery over https only: an http issuer
		// never matches the document's (conformance: world-*-http-issuer).
		{name: "SaaS issuer over http", yaml: validateEntryYAML(map[string]string{"issuer": "http://acme.okta.com"}),
			want: []valWant{{"okta-issuer", vErr, valP0 + ".config.issuer", 5, `over https only and writes an https issuer: use "https://acme.okta.com"`}}},
		{name: "SaaS issuer with a port", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.us.auth0.com:8443/"}),
			want: []valWant{{"auth0-issuer-slash", vErr, valP0 + ".config.issuer", 5, `has no port (its servers listen on 443 only, and the document writes none): use "https://acme.us.auth0.com/"`}}},
		{name: "SaaS issuer with the default port", yaml: validateEntryYAML(map[string]string{"issuer": "https://accounts.google.com:443"}),
			want: []valWant{{"google-issuer", vErr, valP0 + ".config.issuer", 5, `use "https://accounts.google.com"`}}},
		{name: "issuer placeholder host", yaml: validateEntryYAML(map[string]string{"issuer": "https://<your-domain>.okta.com"}),
			want: []valWant{{"issuer-url", vErr, valP0 + ".config.issuer", 5, `host "<your-domain>.okta.com" never resolves`}}},
		{name: "issuer .invalid host", yaml: validateEntryYAML(map[string]string{"issuer": "https://sso.corp.invalid"}),
			want: []valWant{{"issuer-url", vErr, valP0 + ".config.issuer", 5, "never resolves"}}},
		{name: "issuer-https loopback without option", yaml: validateEntryYAML(map[string]string{"issuer": "http://localhost:5556/dex"}),
			want: []valWant{{"issuer-https", vWarn, valP0 + ".config.issuer", 5, "plain http"}}},
		{name: "issuer-userinfo", yaml: validateEntryYAML(map[string]string{"issuer": "https://admin:" + valSecret + "@acme.okta.com"}),
			want: []valWant{{"issuer-userinfo", vErr, valP0 + ".config.issuer", 5, `use "https://acme.okta.com"`}}},
		{name: "issuer-query", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.okta.com?tenant=1#x"}),
			want: []valWant{{"issuer-query", vErr, valP0 + ".config.issuer", 5, `use "https://acme.okta.com"`}}},
		{name: "issuer-discovery-url", yaml: validateEntryYAML(map[string]string{"issuer": "https://sso.acme.com/realms/acme/.well-known/openid-configuration"}),
			want: []valWant{{"issuer-discovery-url", vErr, valP0 + ".config.issuer", 5, `use "https://sso.acme.com/realms/acme"`}}},
		{name: "issuer-case", yaml: validateEntryYAML(map[string]string{"issuer": "HTTPS://Acme.Okta.com"}),
			want: []valWant{{"issuer-case", vErr, valP0 + ".config.issuer", 5, `use "https://acme.okta.com"`}}},
		{name: "auth0-issuer-slash", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.us.auth0.com"}),
			want: []valWant{{"auth0-issuer-slash", vErr, valP0 + ".config.issuer", 5, "Auth0 issuers end with \"/\": use \"https://acme.us.auth0.com/\""}}},
		{name: "auth0-issuer-slash path", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.us.auth0.com/authorize"}),
			want: []valWant{{"auth0-issuer-slash", vErr, valP0 + ".config.issuer", 5, `use "https://acme.us.auth0.com/"`}}},
		{name: "okta-issuer org slash", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.okta.com/"}),
			want: []valWant{{"okta-issuer", vErr, valP0 + ".config.issuer", 5, `use "https://acme.okta.com"`}}},
		{name: "okta-issuer custom server", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.oktapreview.com/oauth2/default/v1/keys"}),
			want: []valWant{{"okta-issuer", vErr, valP0 + ".config.issuer", 5, `use "https://acme.oktapreview.com/oauth2/default"`}}},
		{name: "okta-issuer unknown path", yaml: validateEntryYAML(map[string]string{"issuer": "https://acme.okta.com/app/sso"}),
			want: []valWant{{"okta-issuer", vErr, valP0 + ".config.issuer", 5, "no Okta discovery document here: use https://<org>.okta.com for the org server or https://<org>.okta.com/oauth2/<server id> for a custom one"}}},
		{name: "keycloak-issuer", yaml: validateEntryYAML(map[string]string{"issuer": "https://sso.acme.com/auth/realms/acme/"}),
			want: []valWant{{"keycloak-issuer", vErr, valP0 + ".config.issuer", 5, `use "https://sso.acme.com/auth/realms/acme"`}}},
		{name: "entra-issuer", yaml: validateEntryYAML(map[string]string{"issuer": "https://login.microsoftonline.com/8d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d/"}),
			want: []valWant{{"entra-issuer", vErr, valP0 + ".config.issuer", 5, `use "https://login.microsoftonline.com/8d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d/v2.0"`}}},
		{name: "entra-issuer multi-tenant", yaml: validateEntryYAML(map[string]string{"issuer": "https://login.microsoftonline.com/common/v2.0"}),
			want: []valWant{{"entra-issuer", vErr, valP0 + ".config.issuer", 5, "multi-tenant endpoint"}}},
		{name: "entra-issuer domain tenant", yaml: validateEntryYAML(map[string]string{"issuer": "https://login.microsoftonline.com/acme.onmicrosoft.com/v2.0"}),
			want: []valWant{{"entra-issuer", vErr, valP0 + ".config.issuer", 5, "\"acme.onmicrosoft.com\" is a domain, not the tenant's GUID: use https://login.microsoftonline.com/<tenant id>/v2.0"}}},
		{name: "entra-issuer without tenant", yaml: validateEntryYAML(map[string]string{"issuer": "https://login.microsoftonline.com/"}),
			want: []valWant{{"entra-issuer", vErr, valP0 + ".config.issuer", 5, "no Microsoft Entra ID discovery document here: use https://login.microsoftonline.com/<tenant id>/v2.0"}}},
		{name: "google-issuer", yaml: validateEntryYAML(map[string]string{"issuer": "https://accounts.google.com/"}),
			want: []valWant{{"google-issuer", vErr, valP0 + ".config.issuer", 5, "Google issuers have no trailing \"/\": use \"https://accounts.google.com\""}}},

		// Redirect URI.
		{name: "redirect-uri-url", yaml: validateEntryYAML(map[string]string{"redirectURI": "/dex/callback"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-url", vErr, valP0 + ".config.redirectURI", 8, `use "https://pachyderm.acme.com/dex/callback"`}}},
		{name: "redirect-uri-url host only", yaml: validateEntryYAML(map[string]string{"redirectURI": "pachyderm.acme.com/dex/callback"}),
			want: []valWant{{"redirect-uri-url", vErr, valP0 + ".config.redirectURI", 8, `use "https://pachyderm.acme.com/dex/callback"`}}},
		{name: "redirect-uri-https loopback", yaml: validateEntryYAML(map[string]string{"redirectURI": "http://localhost:30658/dex/callback"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-https", vErr, valP0 + ".config.redirectURI", 8, "scheme \"http\" is not the callback's: use \"https://pachyderm.acme.com/dex/callback\""}}},
		{name: "valid http callback of an in-cluster Dex", yaml: validateEntryYAML(map[string]string{"redirectURI": "http://pachd:30658/dex/callback"}),
			opts: ValidateOptions{DexIssuer: "http://pachd:30658/dex"}},
		{name: "redirect-uri-https", yaml: validateEntryYAML(map[string]string{"redirectURI": "http://pachyderm.acme.com/dex/callback"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-https", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com/dex/callback"`}}},
		{name: "redirect-uri-query", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com/dex/callback?next=/"}),
			want: []valWant{{"redirect-uri-query", vErr, valP0 + ".config.redirectURI", 8, `use "https://pachyderm.acme.com/dex/callback"`}}},
		{name: "redirect-uri-path", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com/callback"}), opts: valProxyOpts,
			want: []valWant{{"redirect-uri-path", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com/dex/callback"`}}},
		{name: "redirect-uri-path custom issuer path", yaml: validateEntryYAML(nil), opts: ValidateOptions{DexIssuer: "https://pachyderm.acme.com/sso/dex"},
			want: []valWant{{"redirect-uri-path", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com/sso/dex/callback"`}}},
		{name: "valid callback of a custom issuer path", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com/sso/dex/callback"}),
			opts: ValidateOptions{DexIssuer: "https://pachyderm.acme.com/sso/dex"}},
		{name: "redirect-uri-path without a known callback", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.acme.com/dex/login"}),
			want: []valWant{{"redirect-uri-path", vErr, valP0 + ".config.redirectURI", 8, "path is not Dex's callback: use \"https://pachyderm.acme.com/dex/callback\""}}},
		{name: "redirect-uri-host", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://localhost:30658/dex/callback"}),
			opts: ValidateOptions{ProxyHost: "https://Pachyderm.ACME.com:8443/"},
			want: []valWant{{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com:8443/dex/callback"`}}},
		{name: "redirect-uri-host port", yaml: validateEntryYAML(nil), opts: ValidateOptions{ProxyHost: "pachyderm.acme.com:8443"},
			want: []valWant{{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 8, `"https://pachyderm.acme.com:8443/dex/callback"`}}},
		{name: "redirect-uri-host with callback check off", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://pachyderm.old.com/dex/callback"},
			"insecureSkipIssuerCallbackDomainCheck: true"), opts: valProxyOpts,
			want: []valWant{
				{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 8, `the browser is sent where Dex's callback is not): use "https://pachyderm.acme.com/dex/callback"`},
				{"insecure-skip-issuer-callback-domain-check", vWarn, valP0 + ".config.insecureSkipIssuerCallbackDomainCheck", 9, "set it to false"},
			}},
		// With the check off, what still reaches Dex's callback is a risk only.
		{name: "redirect-uri-host case with callback check off", yaml: validateEntryYAML(map[string]string{"redirectURI": "https://Pachyderm.acme.com/dex/callback"},
			"insecureSkipIssuerCallbackDomainCheck: true"), opts: valProxyOpts,
			want: []valWant{
				{"redirect-uri-host", vWarn, valP0 + ".config.redirectURI", 8, `(Dex's check is skipped): use "https://pachyderm.acme.com/dex/callback"`},
				{"insecure-skip-issuer-callback-domain-check", vWarn, valP0 + ".config.insecureSkipIssuerCallbackDomainCheck", 9, "set it to false"},
			}},
		{name: "invalid-option", yaml: validateEntryYAML(nil), opts: ValidateOptions{ProxyHost: "http://pachyderm.acme.com"},
			want: []valWant{{"invalid-option", vErr, "ValidateOptions.ProxyHost", 0, "requires https"}}},

		// Other values.
		{name: "pkce-challenge case", yaml: validateEntryYAML(nil, "pkceChallenge: s256"), opts: valUpstreamOpts,
			want: []valWant{{"pkce-challenge", vErr, valP0 + ".config.pkceChallenge", 9, `use "plain" or "S256"`}}},
		{name: "pkce-challenge unknown", yaml: validateEntryYAML(nil, "pkceChallenge: sha512"), opts: valUpstreamOpts,
			want: []valWant{{"pkce-challenge", vErr, valP0 + ".config.pkceChallenge", 9, "delete the key"}}},
		{name: "root-ca-invalid PEM", yaml: validateEntryYAML(nil, "rootCAs:", "  - "+badPEM), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-invalid", vErr, valP0 + ".config.rootCAs[0]", 10, "holds no certificate that parses"}}},
		{name: "root-ca-invalid base64", yaml: validateEntryYAML(nil, "rootCAs:", "  - "+caB64, "  - "+notPEM), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-invalid", vErr, valP0 + ".config.rootCAs[1]", 11, "base64 value decodes to data that is not valid PEM"}}},
		{name: "root-ca-invalid wrapped base64", yaml: validateEntryYAML(nil, "rootCAs:", "  - "+wrapped), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-invalid", vErr, valP0 + ".config.rootCAs[0]", 10, "base64 -w0"}}},
		{name: "root-ca-invalid other", yaml: validateEntryYAML(nil, "rootCAs: [my corporate CA]"), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-invalid", vErr, valP0 + ".config.rootCAs[0]", 9, "absolute path"}}},
		{name: "root-ca-relative-path", yaml: validateEntryYAML(nil, "rootCAs: [certs/ca.pem]"), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-file", vWarn, valP0 + ".config.rootCAs[0]", 9, "absolute path"}}},
		{name: "root-ca-relative-path file name", yaml: validateEntryYAML(nil, "rootCAs: [corp-ca.CRT]"), opts: valUpstreamOpts,
			want: []valWant{{"root-ca-file", vWarn, valP0 + ".config.rootCAs[0]", 9, "absolute path"}}},
		{name: "insecure-skip-email-verified", yaml: validateEntryYAML(nil, "insecureSkipEmailVerified: true"),
			want: []valWant{{"insecure-skip-email-verified", vWarn, valP0 + ".config.insecureSkipEmailVerified", 9, "Okta sends email_verified: set it to false"}}},
		{name: "insecure-skip-verify", yaml: validateEntryYAML(nil, "insecureSkipVerify: true"), opts: valUpstreamOpts,
			want: []valWant{{"insecure-skip-verify", vWarn, valP0 + ".config.insecureSkipVerify", 9, "rootCAs"}}},
		{name: "insecure-skip-issuer-callback-domain-check", yaml: validateEntryYAML(nil, "insecureSkipIssuerCallbackDomainCheck: true"),
			want: []valWant{{"insecure-skip-issuer-callback-domain-check", vWarn, valP0 + ".config.insecureSkipIssuerCallbackDomainCheck", 9, "set it to false"}}},

		// Wrong types and unknown keys in the config.
		{name: "wrong-type clientID number", yaml: validateEntryYAML(map[string]string{"clientID": "12345"}),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.clientID", 6, `quote it (clientID: "...")`}}},
		{name: "wrong-type clientSecret number", yaml: validateEntryYAML(map[string]string{"clientSecret": "0123"}),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.clientSecret", 7, "quote it"}}},
		{name: "wrong-type bool quoted", yaml: validateEntryYAML(nil, `InsecureEnableGroups: "yes"`),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.InsecureEnableGroups", 9, "write true, without quotes"}}},
		{name: "wrong-type list", yaml: validateEntryYAML(nil, "scopes: openid email"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.scopes", 9, "write one \"- item\" per line"}}},
		{name: "wrong-type bool number", yaml: validateEntryYAML(nil, "getUserInfo: 1"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.getUserInfo", 9, "write true or false, without quotes"}}},
		{name: "wrong-type list items", yaml: validateEntryYAML(nil, "scopes: [openid, 42]"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.scopes[1]", 9, "quote the items"}}},
		{name: "wrong-type scopes a string", yaml: validateEntryYAML(nil, "scopes: openid"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.scopes", 9, "one \"- item\" per line"}}},
		{name: "wrong-type promptType number", yaml: validateEntryYAML(nil, "promptType: 5"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.promptType", 9, "quote it"}}},
		{name: "wrong-type basicAuthUnsupported string", yaml: validateEntryYAML(nil, `basicAuthUnsupported: "false"`),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.basicAuthUnsupported", 9, "write false, without quotes"}}},
		{name: "wrong-type string list", yaml: validateEntryYAML(nil, "userIDKey: [sub, email]"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.userIDKey", 9, "give a single value"}}},
		{name: "wrong-type mapping", yaml: validateEntryYAML(nil, "claimMapping: preferred_username"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.claimMapping", 9, "lines indented under it"}}},
		{name: "wrong-type list of mappings", yaml: validateEntryYAML(nil, "claimModifications:", "  newGroupFromClaims: [groups]"), opts: valUpstreamOpts,
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.claimModifications.newGroupFromClaims[0]", 10, "make every item a mapping"}}},
		{name: "wrong-type id list", yaml: validateEntryYAML(map[string]string{"id": "[okta]"}),
			want: []valWant{{"wrong-type", vErr, valP0 + ".id", 2, "give a single string"}}},
		{name: "wrong-type nested", yaml: validateEntryYAML(nil, "claimMapping:", "  email: 5"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.claimMapping.email", 10, "quote it"}}},
		{name: "unknown-config-key typo", yaml: validateEntryYAML(nil, "clientSecert: "+valSecret),
			want: []valWant{{"unknown-config-key", vWarn, valP0 + ".config.clientSecert", 9, "\"clientSecert\" is not a key of the oidc connector's config: rename it to \"clientSecret\""}}},
		{name: "unknown-config-key other", yaml: validateEntryYAML(nil, "tenant: acme"), opts: valUpstreamOpts,
			want: []valWant{{"unknown-config-key", vWarn, valP0 + ".config.tenant", 9, "\"tenant\" is not a key of the oidc connector's config: delete it, or fix its spelling"}}},
		{name: "unknown-config-key nested", yaml: validateEntryYAML(nil, "claimMapping:", "  emial: mail"),
			want: []valWant{{"unknown-config-key", vWarn, valP0 + ".config.claimMapping.emial", 10, "\"emial\" is not a key of config.claimMapping: rename it to \"email\""}}},

		// Target.
		{name: "ignored-by-target fork", yaml: validateEntryYAML(nil, "issuerAlias: https://okta.acme.com"),
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.issuerAlias", 9, "Pachyderm 2.12's Dex ignores "}}},
		{name: "ignored-by-target 2.6 insecureSkipVerify", yaml: validateEntryYAML(nil, "insecureSkipVerify: true"), opts: ValidateOptions{Target: mustTarget("2.6.0")},
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.insecureSkipVerify", 9, "TLS verification stays on"}}},
		{name: "insecure-skip-verify read by 2.7+", yaml: validateEntryYAML(nil, "insecureSkipVerify: true"),
			want: []valWant{{"insecure-skip-verify", vWarn, valP0 + ".config.insecureSkipVerify", 9, "TLS verification off in Pachyderm 2.12's Dex: delete it, trust the CA with rootCAs"}}},
		{name: "ignored-by-target 2.6 rootCAs", yaml: validateEntryYAML(nil, "rootCAs: /etc/ca.pem"), opts: ValidateOptions{Target: mustTarget("2.6.0")},
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.rootCAs", 9, "chain to a CA that pachd's image trusts"}}},
		{name: "wrong-type rootCAs a string on 2.7+", yaml: validateEntryYAML(nil, "rootCAs: /etc/ca.pem"),
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.rootCAs", 9, "one \"- item\" per line"}}},
		{name: "root-ca-invalid PEM on 2.7+", yaml: validateEntryYAML(nil, "rootCAs:", "  - "+caB64),
			want: []valWant{{"root-ca-invalid", vErr, valP0 + ".config.rootCAs[0]", 10, "reads rootCAs items as file paths only"}}},
		{name: "ignored-by-target 2.7+ forwardedLoginParams", yaml: validateEntryYAML(nil, "forwardedLoginParams: [login_hint]"),
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.forwardedLoginParams", 9, "no login parameter is passed on"}}},
		{name: "valid forwardedLoginParams on 2.6", yaml: validateEntryYAML(nil, "forwardedLoginParams: [login_hint]"), opts: ValidateOptions{Target: mustTarget("2.6.0")}},
		{name: "valid hostedDomains on 2.2, which enforces it", yaml: "- type: oidc\n  id: g\n  name: G\n  jsonConfig: '{\"issuer\": \"https://accounts.google.com\", \"clientID\": \"x\", \"clientSecret\": \"" + valSecret + "\", \"redirectURI\": \"https://pachyderm.acme.com/dex/callback\", \"hostedDomains\": [\"acme.com\"]}'\n",
			opts: ValidateOptions{Target: mustTarget("2.2.7"), ProxyHost: "pachyderm.acme.com"}},
		{name: "config-unsupported on 2.2", yaml: validateEntryYAML(nil), opts: ValidateOptions{Target: mustTarget("2.2.7")},
			want: []valWant{
				{"config-missing", vErr, valP0 + ".jsonConfig", 1, "no jsonConfig: add one, a JSON string of the settings"},
				{"config-unsupported", vWarn, valP0 + ".config", 4, "JSON string in jsonConfig"},
			}},
		{name: "json config checked like config", yaml: "- type: oidc\n  id: okta\n  name: Okta\n  jsonConfig: '{\"issuer\": \"https://acme.okta.com/\", \"clientID\": \"x\", \"clientSecret\": \"" + valSecret + "\", \"redirectURI\": \"https://pachyderm.acme.com/dex/callback\", \"promptType\": 5}'\n",
			opts: valProxyOpts,
			want: []valWant{
				{"wrong-type", vErr, valP0 + ".jsonConfig.promptType", 4, "quote it"},
				{"okta-issuer", vErr, valP0 + ".jsonConfig.issuer", 4, "Okta issuers have no trailing \"/\": use \"https://acme.okta.com\""},
			}},
		{name: "config-missing jsonConfig null", yaml: "- type: mockCallback\n  id: m\n  name: M\n  jsonConfig: \"null\"\n",
			want: []valWant{{"config-missing", vErr, valP0 + ".jsonConfig", 4, "jsonConfig \"null\" is no config: add a config mapping with the connector's settings"}}},
		{name: "config-missing mockCallback", yaml: "- type: mockCallback\n  id: m\n  name: M\n",
			want: []valWant{{"config-missing", vErr, valP0 + ".config", 1, "no config: add a config mapping with the connector's settings"}}},
		{name: "valid mockCallback with an empty config", yaml: "- type: mockCallback\n  id: m\n  name: M\n  config: {}\n"},
		{name: "file-path samlExperimental is a type", yaml: "- type: samlExperimental\n  id: s\n  name: S\n  config: {ssoURL: https://idp.acme.com/sso, ca: /etc/saml/ca.pem, redirectURI: https://pachyderm.acme.com/dex/callback, usernameAttr: name, emailAttr: email}\n",
			want: []valWant{{"file-path", vErr, valP0 + ".config.ca", 4, `"/etc/saml/ca.pem" is not in pachd's pod: use /dexcreds/<key>`}}},
		// The chart mounts oidc.dexCredentialSecretName at /dexcreds: a
		// file there is a risk only (conformance: pod-saml-ca-dexcreds).
		{name: "file-path under /dexcreds", yaml: "- type: saml\n  id: s\n  name: S\n  config: {ssoURL: https://idp.acme.com/sso, ca: /dexcreds/saml-ca.pem, redirectURI: https://pachyderm.acme.com/dex/callback, usernameAttr: name, emailAttr: email}\n",
			want: []valWant{{"file-path", vWarn, valP0 + ".config.ca", 4, `Secret has the key "saml-ca.pem"`}}},
		{name: "exclusive-keys github", yaml: "- type: github\n  id: g\n  name: G\n  config: {clientID: x, clientSecret: " + valSecret + ", redirectURI: https://pachyderm.acme.com/dex/callback, org: acme, orgs: [{name: acme}]}\n",
			want: []valWant{{"exclusive-keys", vErr, valP0 + ".config.org", 4, "keep one"}}},
		{name: "requires-key github rootCA", yaml: "- type: github\n  id: g\n  name: G\n  config: {clientID: x, clientSecret: " + valSecret + ", redirectURI: https://pachyderm.acme.com/dex/callback, rootCA: /dexcreds/ca.pem}\n",
			want: []valWant{{"file-path", vWarn, valP0 + ".config.rootCA", 4, "oidc.dexCredentialSecretName"}, {"requires-key", vErr, valP0 + ".config.rootCA", 4, "refuses rootCA without hostName: set hostName"}}},
		{name: "unknown-value ldap scope", yaml: "- type: ldap\n  id: l\n  name: L\n  config: {host: ldap.acme.com, userSearch: {baseDN: \"dc=acme\", username: uid, scope: everything}}\n",
			want: []valWant{{"unknown-value", vErr, valP0 + ".config.userSearch.scope", 4, `use "sub" or "one"`}}},
		{name: "required ldap host upstream, the only connector", yaml: "- type: ldap\n  id: l\n  name: L\n  config: {bindDN: cn=admin, userSearch: {baseDN: \"dc=acme\", username: uid}}\n", opts: ValidateOptions{Target: TargetUpstreamDex},
			want: []valWant{{"required", vErr, valP0 + ".config.host", 4, "Dex does not start at all"}}},
		{name: "required ldap host upstream, beside one that opens", yaml: "- type: ldap\n  id: l\n  name: L\n  config: {bindDN: cn=admin, userSearch: {baseDN: \"dc=acme\", username: uid}}\n- type: mockCallback\n  id: m\n  name: M\n  config: {}\n", opts: ValidateOptions{Target: TargetUpstreamDex},
			want: []valWant{{"required", vErr, valP0 + ".config.host", 4, "the ldap connector's Open needs host"}}},
		{name: "required ldap host", yaml: "- type: ldap\n  id: l\n  name: L\n  config: {bindDN: cn=admin, userSearch: {baseDN: \"dc=acme\", username: uid}}\n",
			want: []valWant{{"required", vErr, valP0 + ".config.host", 4, "Open needs host"}}},
		{name: "issuer-trailing-slash unknown provider", yaml: validateEntryYAML(map[string]string{"issuer": "https://sso.acme.com/"}),
			want: []valWant{{"issuer-trailing-slash", vWarn, valP0 + ".config.issuer", 5, "trailing \"/\" (most issuers have none): copy it from the discovery document"}}},
		{name: "redirect-uri-host github", yaml: "- type: github\n  id: g\n  name: G\n  config: {clientID: x, clientSecret: " + valSecret + ", redirectURI: https://Pachyderm.acme.com/dex/callback}\n", opts: valProxyOpts,
			want: []valWant{{"redirect-uri-host", vErr, valP0 + ".config.redirectURI", 4, "is not the callback's: use \"https://pachyderm.acme.com/dex/callback\""}}},
		{name: "wrong-type ldap startTLS", yaml: "- type: ldap\n  id: l\n  name: L\n  config: {host: ldap.acme.com, startTLS: \"yes\", userSearch: {baseDN: \"dc=acme\", username: uid}}\n",
			want: []valWant{{"wrong-type", vErr, valP0 + ".config.startTLS", 4, "write true, without quotes"}}},
		{name: "unknown-config-key github typo", yaml: "- type: github\n  id: g\n  name: G\n  config: {clientID: x, clientSecret: " + valSecret + ", redirectURI: https://pachyderm.acme.com/dex/callback, orgz: [acme]}\n",
			want: []valWant{{"unknown-config-key", vWarn, valP0 + ".config.orgz", 4, "\"orgz\" is not a key of the github connector's config: rename it to \"org\""}}},
		{name: "placeholder-value", yaml: validateEntryYAML(map[string]string{"clientSecret": "$OKTA_CLIENT_SECRET"}),
			want: []valWant{{"placeholder-value", vWarn, valP0 + ".config.clientSecret", 7, "Helm does not expand"}}},
		{name: "ignored-by-target fork empty hostedDomains", yaml: validateEntryYAML(nil, "hostedDomains: []"),
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.hostedDomains", 9, "Pachyderm 2.12's Dex ignores "}}},
		{name: "ignored-by-target upstream", yaml: validateEntryYAML(nil, "forwardedLoginParams: [login_hint]"), opts: valUpstreamOpts,
			want: []valWant{{"ignored-by-target", vWarn, valP0 + ".config.forwardedLoginParams", 9, "upstream Dex v2.45.1 ignores it, so no login parameter is passed on to the provider: delete it"}}},
		{name: "access-restriction-ignored hostedDomains", yaml: validateEntryYAML(nil, "hostedDomains: [acme.com]"),
			want: []valWant{{"access-restriction-ignored", vErr, valP0 + ".config.hostedDomains", 9, "Pachyderm 2.12's Dex ignores hostedDomains, so anyone can log in: restrict users at the provider"}}},
		{name: "access-restriction-ignored allowedGroups", yaml: validateEntryYAML(nil, "allowedGroups:", "  - pachyderm-admins"),
			want: []valWant{{"access-restriction-ignored", vErr, valP0 + ".config.allowedGroups", 9, "Pachyderm 2.12's Dex ignores allowedGroups, so anyone can log in: restrict users at the provider"}}},
		{name: "hosted-domains-refused", yaml: validateEntryYAML(nil, "hostedDomains: [acme.com]"), opts: valUpstreamOpts,
			want: []valWant{{"hosted-domains-refused", vErr, valP0 + ".config.hostedDomains", 9, "type: google"}}},
		{name: "prompt-type-empty", yaml: validateEntryYAML(nil, `promptType: ""`),
			want: []valWant{{"prompt-type-empty", vWarn, valP0 + ".config.promptType", 9, `"consent"`}}},
		{name: "prompt-type-empty upstream", yaml: validateEntryYAML(nil, `promptType: ""`), opts: valUpstreamOpts},
	}
}

func (tc validateCase) entries(t *testing.T) []UpstreamIDP {
	t.Helper()
	if tc.idps != nil {
		return tc.idps
	}
	idps, err := DecodeUpstreamIDPs([]byte(tc.yaml))
	if err != nil {
		t.Fatalf("decoding the case: %v", err)
	}
	return idps
}

func TestValidate(t *testing.T) {
	for _, tc := range validateCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := Validate(tc.entries(t), tc.opts)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), validateLines(got))
			}
			for i, w := range tc.want {
				f := got[i]
				if string(f.Rule) != w.rule || f.Severity != w.sev || f.Path != w.path {
					t.Errorf("finding %d = %s %s %s, want %s %s %s", i, f.Rule, f.Severity, f.Path, w.rule, w.sev, w.path)
				}
				if f.Pos.Line != w.line {
					t.Errorf("finding %d (%s) at line %d, want %d", i, f.Rule, f.Pos.Line, w.line)
				}
				if !strings.Contains(f.Message, w.fix) {
					t.Errorf("finding %d (%s) message\n  %s\nlacks %q", i, f.Rule, f.Message, w.fix)
				}
			}
		})
	}
}

// Every rule named in Validate's doc table has a case, and every rule a
// case produces is in the table.
func TestValidateRulesDocumented(t *testing.T) {
	src, err := os.ReadFile("validate.go")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z0-9-]+)\s+(error|warning)?`).FindAllStringSubmatch(string(src), -1) {
		if m[1] != "rule" {
			documented[m[1]] = true
		}
	}
	tested := map[string]bool{}
	for _, tc := range validateCases() {
		for _, w := range tc.want {
			tested[w.rule] = true
		}
	}
	for r := range documented {
		if !tested[r] {
			t.Errorf("rule %s is documented but has no test case", r)
		}
	}
	for r := range tested {
		if !documented[r] {
			t.Errorf("rule %s is tested but not in Validate's doc table", r)
		}
	}
	if len(documented) < 40 {
		t.Errorf("found only %d documented rules: is the table still parsed?", len(documented))
	}
}

// No finding ever contains a secret: checked over every case, for the
// message, Error() and the aggregated error.
func TestValidateNoSecret(t *testing.T) {
	for _, tc := range validateCases() {
		findings := Validate(tc.entries(t), tc.opts)
		for i, f := range findings {
			if strings.Contains(f.Message, valSecret) || strings.Contains(f.Error(), valSecret) || strings.Contains(f.Path, valSecret) {
				t.Errorf("%s: finding %d (%s) contains the secret", tc.name, i, f.Rule)
			}
		}
		if err := findings.Err(); err != nil && strings.Contains(err.Error(), valSecret) {
			t.Errorf("%s: Err() contains the secret", tc.name)
		}
	}
}

func TestValidateRuleNamesAreKebabCase(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, tc := range validateCases() {
		for _, f := range Validate(tc.entries(t), tc.opts) {
			if !kebab.MatchString(string(f.Rule)) {
				t.Errorf("%s: rule %q is not kebab-case", tc.name, f.Rule)
			}
		}
	}
}

// validateManyProblems is a list with a problem on nearly every line, written in an
// order that differs from the field order.
const validateManyProblems = `- name: Auth0
  type: oidc
  id: auth0
  version: 1
  config:
    clientSecret: FAKE-SECRET-9f8e7d
    redirectURI: http://pachyderm.acme.com/callback
    issuer: https://acme.us.auth0.com
    clientID: 12345
    insecureSkipEmailVerified: true
    hostedDomains: [acme.com]
- type: OIDC
  id: auth0
  name: Auth0 copy
  config:
    issuer: https://acme.okta.com
- type: oidc
  id: okta
  name: Okta
  configVersion: 2
`

func TestValidateReportsAllAtOnceInOrder(t *testing.T) {
	idps, err := DecodeUpstreamIDPs([]byte(validateManyProblems))
	if err != nil {
		t.Fatal(err)
	}
	got := Validate(idps, valProxyOpts)
	wantRules := []string{
		"pachctl-version-key",          // [0] line 4
		"redirect-uri-https",           // [0] line 7
		"auth0-issuer-slash",           // [0] line 8
		"wrong-type",                   // [0] line 9
		"insecure-skip-email-verified", // [0] line 10
		"access-restriction-ignored",   // [0] line 11
		"unknown-type",                 // [1] line 12
		"duplicate-id",                 // [1] line 13
		"config-missing",               // [2] line 17: a missing key points at its parent, the entry
		"config-version-managed",       // [2] line 20
	}
	var rules []string
	for _, f := range got {
		rules = append(rules, string(f.Rule))
	}
	if strings.Join(rules, " ") != strings.Join(wantRules, " ") {
		t.Fatalf("rules:\n got %v\nwant %v\n%s", rules, wantRules, validateLines(got))
	}
	// Entry by entry, then by line within an entry.
	prevEntry, prevLine := "", 0
	for _, f := range got {
		entry := f.Path[:strings.Index(f.Path, "]")+1]
		if entry == prevEntry && f.Pos.Line < prevLine {
			t.Errorf("%s (line %d) comes after line %d", f.Path, f.Pos.Line, prevLine)
		}
		prevEntry, prevLine = entry, f.Pos.Line
	}
}

// Within an entry, findings are in document order: config-missing points at
// the entry's first line, so it comes before the configVersion warning when
// the entry has positions...
func TestValidateOrderByPosition(t *testing.T) {
	idps, err := DecodeUpstreamIDPs([]byte("- type: oidc\n  id: okta\n  name: Okta\n  configVersion: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := Validate(idps, ValidateOptions{})
	if len(got) != 2 || got[0].Rule != "config-missing" || got[1].Rule != "config-version-managed" {
		t.Fatalf("got\n%s", validateLines(got))
	}
}

// ... and entries built in Go, without positions, follow the field order.
func TestValidateOrderWithoutPositions(t *testing.T) {
	e := UpstreamIDP{Type: "oidc", ID: "okta", Name: "Okta", ConfigVersion: 2, OIDC: &OIDCConfig{
		Issuer: "http://acme.okta.com/", ClientID: "0oa1", ClientSecret: valSecret, RedirectURI: "https://pachyderm.acme.com/callback",
		InsecureSkipEmailVerified: new(true), HostedDomains: []string{"acme.com"}, RootCAs: []string{"not a certificate"},
		Extra: map[string]any{"tenant": "acme", "clientid": 12345},
	}}
	got := Validate([]UpstreamIDP{e}, ValidateOptions{})
	want := []string{"config-version-managed", "okta-issuer", "okta-issuer", "wrong-type",
		"insecure-skip-email-verified", "access-restriction-ignored", "root-ca-file", "unknown-config-key"}
	var rules []string
	for _, f := range got {
		rules = append(rules, string(f.Rule))
		if f.Pos.IsValid() {
			t.Errorf("%s has a position, from an entry built in Go", f.Path)
		}
	}
	if strings.Join(rules, " ") != strings.Join(want, " ") {
		t.Fatalf("rules:\n got %v\nwant %v", rules, want)
	}
}

func TestValidateErrorsAs(t *testing.T) {
	idps, err := DecodeUpstreamIDPs([]byte(validateManyProblems))
	if err != nil {
		t.Fatal(err)
	}
	findings := Validate(idps, ValidateOptions{})
	err = fmt.Errorf("checking values.yaml: %w", findings.Err())
	var ve Findings
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(%T) failed", err)
	}
	if len(ve) != len(findings) || len(ve.Errors())+len(ve.Warnings()) != len(findings) {
		t.Errorf("the error holds %d findings, want %d", len(ve), len(findings))
	}
	nerr, nwarn := len(findings.Errors()), len(findings.Warnings())
	if want := fmt.Sprintf("checking values.yaml: %d errors, %d warnings:\n", nerr, nwarn); nerr < 2 || nwarn < 2 || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error text does not start with %q", want)
	}
	if got := findings.Errors()[:1].Error(); !strings.HasPrefix(got, "1 error:\n") {
		t.Errorf("one error: text starts %q, want \"1 error:\"", strings.SplitN(got, "\n", 2)[0])
	}
	if !strings.Contains(err.Error(), `oidc.upstreamIDPs[0].config.issuer (line 8): Auth0 issuers end with "/"`) {
		t.Errorf("error text lacks the Auth0 finding:\n%s", err)
	}

	// Warnings alone are no error.
	idps, err = DecodeUpstreamIDPs([]byte(validateEntryYAML(nil, "insecureSkipEmailVerified: true")))
	if err != nil {
		t.Fatal(err)
	}
	if findings := Validate(idps, ValidateOptions{}); len(findings) != 1 || findings.Err() != nil {
		t.Errorf("one warning: got %d findings, Err() = %v", len(findings), findings.Err())
	}
}

func TestValidatePathOption(t *testing.T) {
	idps, err := DecodeUpstreamIDPs([]byte(validateEntryYAML(map[string]string{"issuer": "https://acme.us.auth0.com"})))
	if err != nil {
		t.Fatal(err)
	}
	got := Validate(idps, ValidateOptions{Path: "upstream-idps"})
	if len(got) != 1 || got[0].Path != "upstream-idps[0].config.issuer" || got[0].Pos.Line != 5 {
		t.Fatalf("got\n%s", validateLines(got))
	}
}

// An entry decoded alone starts at 1:1: a missing key is reported there,
// while present keys keep their own positions.
func TestValidateSingleDecodedEntry(t *testing.T) {
	e, err := decodeUpstreamIDP([]byte("type: oidc\nname: Okta\nconfig:\n  issuer: https://acme.okta.com/\n  clientID: a\n  clientSecret: " + valSecret + "\n  redirectURI: https://pachyderm.acme.com/dex/callback\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := Validate([]UpstreamIDP{e}, ValidateOptions{})
	if len(got) != 2 || got[0].Rule != "required" || got[0].Pos != (Position{Line: 1, Column: 1}) || got[1].Rule != "okta-issuer" || got[1].Pos.Line != 4 {
		t.Fatalf("got\n%s", validateLines(got))
	}
}

// The entry Auth0 builds follows the guide but for insecureSkipEmailVerified,
// false since Auth0 sends email_verified: it has no finding.
func TestValidateAuth0Preset(t *testing.T) {
	e, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "5AbCdEf", ClientSecret: valSecret, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	got := Validate([]UpstreamIDP{e}, valProxyOpts)
	if len(got) != 0 {
		t.Fatalf("got\n%s", validateLines(got))
	}
	if got := Validate([]UpstreamIDP{e}, valUpstreamOpts); len(got) != 1 || got[0].Rule != "ignored-by-target" {
		t.Fatalf("upstream target: got\n%s", validateLines(got))
	}
}

func TestValidateEmpty(t *testing.T) {
	if got := Validate(nil, ValidateOptions{}); len(got) != 0 || got.Err() != nil {
		t.Errorf("Validate(nil) = %v", got)
	}
}

func TestValidateConcurrent(t *testing.T) {
	idps, err := DecodeUpstreamIDPs([]byte(validateManyProblems))
	if err != nil {
		t.Fatal(err)
	}
	want := validateLines(Validate(idps, valProxyOpts))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := validateLines(Validate(idps, valProxyOpts)); got != want {
				t.Error("concurrent Validate gave other findings")
			}
		})
	}
	wg.Wait()
}

func TestValidateGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "validate", "bad-values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	idps, err := DecodeUpstreamIDPs(data)
	if err != nil {
		t.Fatal(err)
	}
	got := validateLines(Validate(idps, valProxyOpts))
	if strings.Contains(got, valSecret) {
		t.Fatal("findings contain the secret")
	}
	golden(t, "validate/bad-values.golden", []byte(got))
}

// validateLines writes one finding per line: position, severity, rule,
// then the finding as Error() prints it.
func validateLines(fs Findings) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%-6s %-7s %-28s %s\n", f.Pos, f.Severity, f.Rule, f.Error())
	}
	return b.String()
}

func FuzzValidate(f *testing.F) {
	f.Add([]byte(validateManyProblems))
	f.Add([]byte(validateEntryYAML(nil, "rootCAs: [certs/ca.pem, aGVsbG8=]", "claimMapping: {emial: x}")))
	f.Add([]byte("- type: ldap\n  id: l\n  name: L\n  config: {bindPW: " + valSecret + "}\n"))
	f.Add([]byte(`[{"type": "oidc", "id": "x", "name": "X", "jsonConfig": "{\"clientSecret\": 1"}]`))
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	f.Fuzz(func(t *testing.T, data []byte) {
		idps, err := DecodeUpstreamIDPs(data)
		if err != nil {
			return
		}
		for _, target := range Targets() {
			fs := Validate(idps, ValidateOptions{Target: target, ProxyHost: "pachyderm.acme.com"})
			for _, fd := range fs {
				if !kebab.MatchString(string(fd.Rule)) || fd.Message == "" || !strings.HasPrefix(fd.Path, "oidc.upstreamIDPs[") {
					t.Fatalf("malformed finding: rule %q path %q", fd.Rule, fd.Path)
				}
				if fd.Fate == "" || fd.Fate.Severity() != fd.Severity {
					t.Fatalf("finding %s has fate %q and severity %s", fd.Rule, fd.Fate, fd.Severity)
				}
			}
		}
		// Secrets never flow into a message: replace every secret with a
		// probe (keeping its surrounding white space) and look for it.
		const probe = "PROBE-7d1f3a-SECRET"
		probed := make([]UpstreamIDP, len(idps))
		for i, e := range idps {
			if e.OIDC != nil {
				cfg := *e.OIDC
				if core := strings.TrimSpace(cfg.ClientSecret); core != "" {
					cfg.ClientSecret = strings.Replace(cfg.ClientSecret, core, probe, 1)
				}
				cfg.Extra = validateProbeSecrets(cfg.Extra, probe)
				e.OIDC = &cfg
			}
			e.Config = validateProbeSecrets(e.Config, probe)
			e.Extra = validateProbeSecrets(e.Extra, probe)
			if e.JSONConfig != "" {
				e.JSONConfig = `{"clientSecret": "` + probe + `"}`
			}
			probed[i] = e
		}
		for _, target := range []Target{{}, TargetUpstreamDex} {
			for _, fd := range Validate(probed, ValidateOptions{Target: target}) {
				if strings.Contains(fd.Error(), probe) {
					t.Fatalf("finding %s contains a secret", fd.Rule)
				}
			}
		}
	})
}

// validateProbeSecrets returns a copy of m with the values of secret keys replaced.
func validateProbeSecrets[M ~map[string]any](m M, probe string) M {
	if m == nil {
		return nil
	}
	out := make(M, len(m))
	for k, v := range m {
		if isSecretKey(k) {
			v = probe
		}
		out[k] = v
	}
	return out
}

func BenchmarkValidate(b *testing.B) {
	var list strings.Builder
	for i := range 20 {
		list.WriteString(strings.Replace(validateEntryYAML(map[string]string{"id": fmt.Sprintf("idp%d", i)},
			"insecureSkipEmailVerified: true", "claimMapping: {email: preferred_username}", "scopes: [openid, email, groups]"), "- type", "- type", 1))
	}
	idps, err := DecodeUpstreamIDPs([]byte(list.String()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Validate(idps, valProxyOpts)
	}
}

// TestFindingError pins Finding.Error with and without a file.
func TestFindingError(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{Path: "p", Message: "m"}, "p: m"},
		{Finding{Path: "p", Pos: Position{Line: 3, Column: 5}, Severity: SeverityWarning, Message: "m"}, "warning: p (line 3): m"},
		{Finding{File: "a.yaml", Path: "p", Pos: Position{Line: 3, Column: 5}, Message: "m"}, "a.yaml:3:5: p: m"},
		{Finding{File: "a.yaml", Path: "p", Severity: SeverityWarning, Message: "m"}, "a.yaml: warning: p: m"},
	} {
		if got := tc.f.Error(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.f, got, tc.want)
		}
	}
}

// Findings, losses and preflight checks marshal as JSON a tool can read:
// lower-case keys, severities and statuses as words.
func TestJSONForms(t *testing.T) {
	for name, tc := range map[string]struct {
		v    any
		want string
	}{
		"finding": {Finding{Path: "oidc.upstreamIDPs[0].id", Pos: Position{Line: 3, Column: 5}, Rule: "required", Severity: SeverityWarning, Message: "m"},
			`{"path":"oidc.upstreamIDPs[0].id","position":{"line":3,"column":5},"rule":"required","severity":"warning","message":"m"}`},
		"report finding": {Finding{File: "values.yaml", Path: "oidc.upstreamIDPs[0].id", Pos: Position{Line: 3, Column: 5}, Rule: "required", Severity: SeverityWarning, Message: "m",
			Detail: "d", Suppressed: true, Reason: "r"},
			`{"file":"values.yaml","path":"oidc.upstreamIDPs[0].id","position":{"line":3,"column":5},"rule":"required","severity":"warning","message":"m","detail":"d","suppressed":true,"reason":"r"}`},
		"loss": {Loss{Path: "config.x", Pos: Position{Line: 1, Column: 2}, Reason: "r"},
			`{"path":"config.x","position":{"line":1,"column":2},"reason":"r"}`},
	} {
		got, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != tc.want {
			t.Errorf("%s: got %s\nwant %s", name, got, tc.want)
		}
	}
	var back Finding
	if err := json.Unmarshal([]byte(`{"severity":"warning"}`), &back); err != nil || back.Severity != SeverityWarning {
		t.Errorf("severity does not read back: %v %v", back.Severity, err)
	}
	if err := json.Unmarshal([]byte(`{"severity":"fatal"}`), &back); err == nil {
		t.Error("an unknown severity was accepted")
	}
}

// TestJSONConfigKeyOrder: jsonConfig reaches Dex as written, so of keys
// equal but for case the last written wins (encoding/json), unlike a config
// mapping, which reaches Dex sorted.
func TestJSONConfigKeyOrder(t *testing.T) {
	for _, tt := range []struct {
		json string
		bad  bool // the redirect URI Dex gets is the wrong one
	}{
		{`{"issuer": "https://acme.okta.com", "clientID": "c", "clientSecret": "s", "redirectUri": "https://wrong.example.com/dex/callback", "redirectURI": "https://pachyderm.example.com/dex/callback"}`, false},
		{`{"issuer": "https://acme.okta.com", "clientID": "c", "clientSecret": "s", "redirectURI": "https://pachyderm.example.com/dex/callback", "redirectUri": "https://wrong.example.com/dex/callback"}`, true},
	} {
		e := UpstreamIDP{Type: "oidc", ID: "okta", Name: "Okta", JSONConfig: tt.json}
		fs := Validate([]UpstreamIDP{e}, ValidateOptions{Target: mustTarget("2.11.6"), DexIssuer: "https://pachyderm.example.com/dex"})
		bad := false
		for _, f := range fs {
			if f.Rule == "redirect-uri-host" {
				bad = true
			}
		}
		if bad != tt.bad {
			t.Errorf("%s: redirect-uri-host = %v, want %v: %v", tt.json, bad, tt.bad, fs)
		}
	}
}

// TestRegisterValidations: a caller's own validator/v10, prepared by
// RegisterValidations, checks an OIDCConfig or an entry the way Validate's
// tags do: fields named by their json key, and the custom tags judging the
// value without the white space around it, where validator's own required
// and url would not.
func TestRegisterValidations(t *testing.T) {
	v := validator.New()
	if err := RegisterValidations(v); err != nil {
		t.Fatal(err)
	}
	good := OIDCConfig{Issuer: "https://acme.us.auth0.com/", ClientID: "c", ClientSecret: valSecret,
		RedirectURI: "https://pachyderm.example.com/dex/callback"}
	with := func(f func(*OIDCConfig)) OIDCConfig { c := good; f(&c); return c }
	for _, tc := range []struct {
		name string
		in   any
		want []string // "namespace tag"
	}{
		{"complete config", good, nil},
		{"zero config", OIDCConfig{}, []string{"OIDCConfig.issuer trimmed_required", "OIDCConfig.clientID trimmed_required",
			"OIDCConfig.clientSecret trimmed_required", "OIDCConfig.redirectURI trimmed_required"}},
		{"issuer of spaces: missing, though required accepts it", with(func(c *OIDCConfig) { c.Issuer = " \t " }),
			[]string{"OIDCConfig.issuer trimmed_required"}},
		{"secret of a newline", with(func(c *OIDCConfig) { c.ClientSecret = "\n" }),
			[]string{"OIDCConfig.clientSecret trimmed_required"}},
		{"issuer with space around: a URL inside, though url refuses it", with(func(c *OIDCConfig) { c.Issuer = " https://acme.us.auth0.com/\n" }), nil},
		{"issuer without a scheme", with(func(c *OIDCConfig) { c.Issuer = "acme.us.auth0.com" }),
			[]string{"OIDCConfig.issuer trimmed_url"}},
		{"redirectURI without a scheme", with(func(c *OIDCConfig) { c.RedirectURI = "//pachyderm.example.com/dex/callback" }),
			[]string{"OIDCConfig.redirectURI trimmed_url"}},
		{"pointer to a config", &OIDCConfig{ClientID: "c", ClientSecret: "s", RedirectURI: "https://h/cb"},
			[]string{"OIDCConfig.issuer trimmed_required"}},
		{"zero entry: its own keys; a nil config is not checked", UpstreamIDP{},
			[]string{"UpstreamIDP.id required", "UpstreamIDP.name required", "UpstreamIDP.type required"}},
		{"entry with a config: nested under its Go field", UpstreamIDP{ID: "a", Name: "A", Type: typeOIDC, OIDC: &OIDCConfig{ClientID: "c", ClientSecret: "s", RedirectURI: "x"}},
			[]string{"UpstreamIDP.OIDC.issuer trimmed_required", "UpstreamIDP.OIDC.redirectURI trimmed_url"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := v.Struct(tc.in)
			var ve validator.ValidationErrors
			if err != nil && !errors.As(err, &ve) {
				t.Fatal(err)
			}
			for _, fe := range ve {
				got = append(got, fe.Namespace()+" "+fe.Tag())
				if strings.Contains(fe.Error(), valSecret) {
					t.Errorf("a FieldError's text holds the client secret")
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if err := RegisterValidations(nil); err == nil {
		t.Error("RegisterValidations(nil) returned no error")
	}
	// Without it, validator does not know the tags (and says so by a panic).
	func() {
		defer func() {
			if r := recover(); !strings.Contains(fmt.Sprint(r), "trimmed_required") {
				t.Errorf("without RegisterValidations: recovered %v, want validator's undefined-tag panic", r)
			}
		}()
		_ = validator.New().Struct(good)
	}()
}

// TestTagFindings: every validate tag of the model has its finding in the
// table Validate reads, and every row of the tables is a tag of the model,
// so a tag cannot be added (or a row left behind) without the other.
func TestTagFindings(t *testing.T) {
	for _, tc := range []struct {
		typ   reflect.Type
		table map[string]tagFinding
	}{{reflect.TypeOf(UpstreamIDP{}), entryTagFindings}, {reflect.TypeOf(OIDCConfig{}), oidcTagFindings}} {
		used := map[string]bool{}
		for i := 0; i < tc.typ.NumField(); i++ {
			f := tc.typ.Field(i)
			tags := f.Tag.Get("validate")
			if tags == "" {
				continue
			}
			for _, tag := range strings.Split(tags, ",") {
				key := jsonName(f)
				switch {
				case tc.table[tag+" "+key].rule != "" || tc.table[tag+" "+key].report != nil:
					used[tag+" "+key] = true
				case tc.table[tag].rule != "" || tc.table[tag].report != nil:
					used[tag] = true
				default:
					t.Errorf("%s.%s: tag %s has no finding in its table", tc.typ.Name(), key, tag)
				}
			}
		}
		for k, row := range tc.table {
			if !used[k] {
				t.Errorf("%s: row %q is no tag of the type", tc.typ.Name(), k)
			}
			if (row.report == nil) == (row.msg == nil) || row.report == nil && (row.fate == nil) == !row.open {
				t.Errorf("%s: row %q needs either report, or msg with open or a fate", tc.typ.Name(), k)
			}
		}
	}
}

// TestValidateBadOptions: Validate, which returns findings only, reports an
// unusable ProxyHost or DexIssuer as an invalid-option finding naming the
// option, with the fix, and compares no redirect URI with it.
func TestValidateBadOptions(t *testing.T) {
	for _, tt := range []struct {
		opts       ValidateOptions
		path, want string
	}{
		{ValidateOptions{ProxyHost: "pachyderm.example.com/dex"}, "ValidateOptions.ProxyHost", "not a host[:port]: "},
		{ValidateOptions{DexIssuer: "not a url"}, "ValidateOptions.DexIssuer", "pass the issuer of Pachyderm's Dex, such as https://pachyderm.example.com/dex"},
	} {
		fs := Validate(nil, tt.opts)
		if len(fs) != 1 || fs[0].Rule != RuleInvalidOption || fs[0].Path != tt.path || fs[0].Fate != FateInvalid ||
			!strings.Contains(fs[0].Message, tt.want) || !strings.HasSuffix(fs[0].Message, "; redirect URIs were not compared with it") {
			t.Errorf("Validate(%+v) = %v, want one invalid-option at %s saying %q", tt.opts, fs, tt.path, tt.want)
		}
	}
	if fs := Validate(nil, ValidateOptions{DexIssuer: "https://pachyderm.example.com/dex", ProxyHost: "bad host/x"}); len(fs) != 0 {
		t.Errorf("DexIssuer wins over ProxyHost: %v", fs)
	}
}
