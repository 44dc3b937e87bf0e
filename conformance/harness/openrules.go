package harness

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file finds what each connector type's Open (and LoginURL) refuses by
// running them: table-driven probes over the key table of the Dex under
// test, from a realistic config per type. What they find is data
// (dexconfig/<name>.json, "rules"), from which the library makes its
// per-type rules, so a new Dex changes data, not code.
//
// The probes, per type:
//   - required: each key of the realistic config, deleted; Open (or
//     LoginURL) fails. Then each key the realistic config lacks, set in its
//     place: when Open passes, that key stands in for it ("other").
//   - enums: each string key set to a bogus value; when that fails and the
//     key has candidates (read from the source, cited in enumCandidates),
//     each candidate and its case variants are tried: the values that pass
//     are the enum, and caseSensitive says whether a variant in another case
//     failed.
//   - requires: a key the realistic config lacks, set alone, fails, but
//     passes with another key set too (github rootCA without hostName).
//   - conflicts: a key that fails set alone but passes when a key of the
//     realistic config is deleted (saml ca with caData), or two keys that
//     each pass alone and fail together (github org and orgs).
//   - files: a key whose value is a file Open reads: a working file passes,
//     a path that does not exist fails; when both pass, each absent key is
//     set too, to find the keys with which Open reads it (fileRequires).
//   - refused: a key that fails set alone, with nothing that explains it.
//   - forms: a string key that takes a plain value, tried with the forms
//     users write by mistake (refusedForms).
//   - certificates: a base64 key that takes a PEM certificate, tried with
//     the base64 of its DER; then with text and with a key block after the
//     certificate, to record how Open decodes it (decoding).
//
// No probe leaves 127.0.0.1: discovery (oidc, google, openshift) is served
// by the fake world that Main installs.

// TypeRules is what the probes found for one connector type.
type TypeRules struct {
	// Realistic is a config Open and LoginURL accept.
	Realistic map[string]any `json:"realistic"`
	Required  []KeyRule      `json:"required,omitempty"`
	Enums     []EnumRule     `json:"enums,omitempty"`
	Requires  []KeyRule      `json:"requires,omitempty"`
	Conflicts []KeyRule      `json:"conflicts,omitempty"`
	// Refused: keys Open refuses whatever their value and company.
	Refused []KeyRule `json:"refused,omitempty"`
	// Forms: string keys that take a plain value but refuse a form of it
	// (github hostName with a "/").
	Forms []FormRule `json:"forms,omitempty"`
	// Certificates: base64 keys whose data must be PEM certificates (a
	// base64 of the DER, as a PEM body without its lines, fails).
	Certificates []KeyRule `json:"certificates,omitempty"`
	// Files: keys whose value is a file Open reads whenever they are set
	// (in the context of their requires).
	Files []string `json:"files,omitempty"`
	// FileRequires: file keys Open reads only when one of Other is set
	// too, and otherwise ignores (google serviceAccountFilePath without
	// adminEmail on the forks 706aec2 and 292f1ae,
	// connector/google/google.go:78; ldap clientCert without clientKey,
	// connector/ldap/ldap.go:272). Config is a config with a missing file
	// the real code refused.
	FileRequires []KeyRule `json:"fileRequires,omitempty"`
}

// KeyRule is one rule about a key (a dotted path under config).
type KeyRule struct {
	Key string `json:"key"`
	// Other: for required, keys any of which, set, stands in for Key; for
	// requires, keys any of which Key needs; for conflicts, the key Key
	// cannot be set with.
	Other []string `json:"other,omitempty"`
	// Stage is where the real code refused: "open" or "login-url".
	Stage string `json:"stage"`
	Error string `json:"error"`
	// Config is a config the real code refused for this rule.
	Config map[string]any `json:"config"`
	// Decoding, for certificates: how Open reads the PEM data. "all":
	// every PEM block must be a certificate and nothing may follow (saml's
	// own loop, connector/saml/saml.go:210-225 in every fork and v2.45.1);
	// "some": at least one certificate must parse, other blocks and text
	// are skipped (x509.CertPool.AppendCertsFromPEM: ldap,
	// connector/ldap/ldap.go:276-279; gitlab through pkg/httpclient).
	Decoding string `json:"decoding,omitempty"`
}

// EnumRule is a string key Open accepts only some values of.
type EnumRule struct {
	Key           string         `json:"key"`
	Values        []string       `json:"values"`
	CaseSensitive bool           `json:"caseSensitive"`
	Stage         string         `json:"stage"`
	Error         string         `json:"error"`
	Config        map[string]any `json:"config"`
}

// recordedCAData is caData as the golden files write it: the base64 of the
// PEM certificate of conformance/corpus/type-saml-ok.yaml ("canary fake CA",
// valid until 2036).
const recordedCAData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFekNDQWZ1Z0F3SUJBZ0lVRU5hbWtHbjlsR01lZHZZLytxTFZaM1daRU4wd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0dURVhNQlVHQTFVRUF3d09ZMkZ1WVhKNUlHWmhhMlVnUTBFd0hoY05Nall4TWpBeE1ERTFOekk0V2hjTgpNell4TVRJNE1ERTFOekk0V2pBWk1SY3dGUVlEVlFRRERBNWpZVzVoY25rZ1ptRnJaU0JEUVRDQ0FTSXdEUVlKCktvWklodmNOQVFFQkJRQURnZ0VQQURDQ0FRb0NnZ0VCQUxXdXprRWNyZ3dVQTNXcW5UL1NlT000YjFCV2NDemEKcVlYM2FmRXlIWUFFemFyMlk3RkRKL2UzQjdMYUE0Ritnb05NY3NRUW5JWDFqS2RDR1pMckJKd1FUbmpMMlpIVQpKZG5QbVE0SURKOU5HcWhLN21iK3hrV2srN0xUMHVRd0FJaGxMTGRJaWsvNmR0UWpZQmpQK2w1RXFtUnN5OTFECmRhbHpyZVMrbjRKZkxBRHZMdmNJNU5IUE9HTUw5d1UzcmZmWnlUa3pHT2xyazdoM2VudXN3a0U3Ukc3K3BYZUEKd3crVTJOOEpJTVRSaXpId25vVG4wSXg4ZnJKKzAvMGVlV3F4TFJ1Q2ZQbE1HYWVDRlFaTWNIZE1KMnBOMGh3UwpDczcvRVhPbGpRUU4zWjhaOFhsamh1NHBpN3UralJ3Yk9RQ0svMWdNQmQvcnpaRFk5UkJkaVVjQ0F3RUFBYU5UCk1GRXdIUVlEVlIwT0JCWUVGRDQ0VUIrWVJzMlJDdDFGWlhodkp6U29KSWdqTUI4R0ExVWRJd1FZTUJhQUZENDQKVUIrWVJzMlJDdDFGWlhodkp6U29KSWdqTUE4R0ExVWRFd0VCL3dRRk1BTUJBZjh3RFFZSktvWklodmNOQVFFTApCUUFEZ2dFQkFLb080bDN6bmE0VVVJMktQYzZjV0dORGI0R2JUVU80SnBsMGxOdDZyVGlsY2t5VmlLbUtJL2t0CjhkU2VNWGE3cFRVV3B0ZGJPbTlVMFQyRWFPTmx1bHRXZ1RnK2EzQlovcUx4YVhvL240M1AzZVJxclRsZ2hPN1EKSVBvSkxDdG53dlpBTWVONWQweTZLbmtBYlpPL0MwVFZ5REZOVTg5dXFPdXpOVitURmRxOHpCZ0Rzb1NRQ0h2TQpGRkdqS2RaYjNiRVl1THMvZHR5YXEvaFF5ZFg1RzZaUlJEM1lSRmJya3Zvc2d2RUtnUHVGVVNVSldKYnNTanpaCmZwNkpiZHF4ZUxYMkh2dGxmNjl0eU45bmt6ejk5QllBYTlnZzN5VUoycyt5V0o2djJvVVQzYitZN3RDNitSeTMKYlNGOXZXVHBOY0hHMkcrSzJqZTl6RmRIaUl2dEJsWT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="

// FormRule is a form of value Open refuses for a key.
type FormRule struct {
	Key string `json:"key"`
	// Form: "contains:X" (the value contains X) or "suffix:X" (it ends
	// with X).
	Form   string         `json:"form"`
	Stage  string         `json:"stage"`
	Error  string         `json:"error"`
	Config map[string]any `json:"config"`
}

// refusedForms are the forms tried on every string key that takes a plain
// value: what users write by mistake where a bare name is read (a URL for
// github's hostName, connector/github/github.go:90-95 at v2.45.1; a glob
// ending in "*" for preferredEmailDomain, :120-124).
var refusedForms = []struct{ value, form string }{
	{"probe.example.com/path", "contains:/"},
	{"example.*", "suffix:*"},
}

// recordedCADER is the base64 of the DER of recordedCAData's certificate:
// what a PEM body without its BEGIN/END lines is.
var recordedCADER = func() string {
	pemData, _ := base64.StdEncoding.DecodeString(recordedCAData)
	b, _ := pem.Decode(pemData)
	return base64.StdEncoding.EncodeToString(b.Bytes)
}()

// probeCallback is Dex's callback of the corpus's default issuer.
const probeCallback = DefaultDexIssuer + "/callback"

// bogus is the value the enum probe sets.
const bogus = "pachidp-probe-Bogus"

// realisticConfigs are configs as users write them, one per type; each Dex
// must accept them (the probe fails otherwise). Hosts are the corpus's
// (type-<type>-ok.yaml), served by the fake world.
func realisticConfigs(caB64 string) map[string]map[string]any {
	cb := probeCallback
	return map[string]map[string]any{
		"atlassian-crowd": {"baseURL": "https://crowd.example.com/crowd", "clientID": "pachyderm", "clientSecret": "canary-secret-0000"},
		"authproxy":       {"userHeader": "X-Remote-User"},
		"bitbucket-cloud": {"clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb, "teams": []any{"acme"}},
		"gitea":           {"baseURL": "https://gitea.example.com", "clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb},
		"github":          {"clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb, "orgs": []any{map[string]any{"name": "acme"}}},
		"gitlab":          {"baseURL": "https://gitlab.com", "clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb, "groups": []any{"acme"}},
		"google":          {"clientID": "pachyderm.apps.googleusercontent.com", "clientSecret": "canary-secret-0000", "redirectURI": cb, "hostedDomains": []any{"example.com"}},
		"keystone":        {"domain": "default", "keystoneHost": "https://keystone.example.org:5000", "keystoneUsername": "admin", "keystonePassword": "canary-secret-0000"},
		"ldap": {"host": "ldap.example.com:636", "bindDN": "cn=admin,dc=example,dc=com", "bindPW": "canary-secret-0000",
			"userSearch": map[string]any{"baseDN": "ou=people,dc=example,dc=com", "filter": "(objectClass=person)", "username": "uid",
				"idAttr": "uid", "emailAttr": "mail", "nameAttr": "cn"},
			"groupSearch": map[string]any{"baseDN": "ou=groups,dc=example,dc=com", "filter": "(objectClass=groupOfNames)",
				"userMatchers": []any{map[string]any{"userAttr": "DN", "groupAttr": "member"}}, "nameAttr": "cn"}},
		"linkedin":     {"clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb},
		"microsoft":    {"clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb, "tenant": "8f3c2a4e-1b2d-4c5e-9f60-7a8b9c0d1e2f"},
		"mockCallback": {},
		"mockPassword": {"username": "admin", "password": "canary-secret-0000"},
		"oauth": {"clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb,
			"authorizationURL": "https://oauth.example.com/authorize", "tokenURL": "https://oauth.example.com/token",
			"userInfoURL": "https://oauth.example.com/userinfo", "scopes": []any{"openid", "email"}},
		"oidc":      {"issuer": "https://accounts.google.com", "clientID": "pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb},
		"openshift": {"issuer": "https://api.openshift.example.com:6443", "clientID": "system:serviceaccount:dex:pachyderm", "clientSecret": "canary-secret-0000", "redirectURI": cb},
		"saml": {"ssoURL": "https://idp.example.org/saml/sso", "caData": caB64, "redirectURI": cb,
			"usernameAttr": "name", "emailAttr": "email", "groupsAttr": "groups"},
		"samlExperimental": {"ssoURL": "https://idp.example.org/saml/sso", "caData": caB64, "redirectURI": cb,
			"usernameAttr": "name", "emailAttr": "email", "groupsAttr": "groups"},
	}
}

// probeHosts are the hosts the realistic configs reach, and the issuer each
// serves.
var probeHosts = map[string]string{
	"accounts.google.com":            "https://accounts.google.com",
	"api.openshift.example.com:6443": "https://api.openshift.example.com:6443",
}

// enumCandidates are the values each type's code compares a key with, read
// from the source (pachyderm/dex 292f1ae and dexidp/dex v2.45.1; the forks
// have the same switches at nearby lines). The probes find which of them
// each Dex really accepts, and in which case.
var enumCandidates = map[string][]string{
	// connector/github/github.go:113-118 (v2.45.1), :114-120 (292f1ae):
	// switch c.TeamNameField { case "name", "slug", "both", "": }
	"github.teamNameField": {"name", "slug", "both"},
	// connector/microsoft/microsoft.go:101-109 (v2.45.1), :91-97 (292f1ae):
	// case "": ...; case GroupID, GroupName: ("id", "name")
	"microsoft.groupNameFormat": {"id", "name"},
	// connector/ldap/ldap.go:180-190 parseScope (v2.45.1): case "", "sub";
	// case "one".
	"ldap.userSearch.scope":  {"sub", "one"},
	"ldap.groupSearch.scope": {"sub", "one"},
	// connector/saml/saml.go:30-61 nameIDFormats and :166-187 (both): the
	// full URNs and their last ":"-separated part.
	"saml.nameIDPolicyFormat":             samlFormats,
	"samlExperimental.nameIDPolicyFormat": samlFormats,
	// connector/oidc/oidc.go:25-26, 253-262 (v2.45.1): "plain", "S256".
	"oidc.pkceChallenge": {"plain", "S256"},
	// promptType is passed to the provider as is (oidc.go, google.go,
	// microsoft.go): candidates so that a change is seen.
	"oidc.promptType":      {"consent", "login", "none", "select_account"},
	"google.promptType":    {"consent", "login", "none", "select_account"},
	"microsoft.promptType": {"consent", "login", "none", "select_account"},
}

var samlFormats = []string{
	"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "emailAddress",
	"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "unspecified",
	"urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName", "X509SubjectName",
	"urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName", "WindowsDomainQualifiedName",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted", "encrypted",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:entity", "entity",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos", "kerberos",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "persistent",
	"urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient",
}

// freeForm are string keys whose bogus value fails for a reason that is not
// an enum: the value is fetched or parsed as what it names.
var freeForm = map[string]string{
	"oidc.issuer":      "discovery is fetched from it (issuer rules: validate_oidc.go)",
	"openshift.issuer": "the OAuth metadata is fetched from it",
	"redirectURI":      "LoginURL compares it with Dex's callback (redirect-uri-* rules)",
}

// noSolo are keys the probes never set on their own: alone they reach a
// network the pod may have and the test machine has not (google's
// domain-wide delegation without a key file asks the GCE metadata server,
// connector/google/google.go:395-406 at v2.45.1), so that failing here
// proves nothing. They are still tried as the key another needs.
var noSolo = map[string]bool{
	"google.adminEmail": true, "google.AdminEmail": true,
	"google.DomainToAdminEmail": true, "google.domainToAdminEmail": true,
}

// skipKeys are not probed: nested objects in lists, and settings whose
// probe value would need a provider the fake world does not model.
var skipKeys = map[string]bool{
	"oidc.claimModifications.newGroupFromClaims": true,
	"ldap.groupSearch.userMatchers":              true,
}

// probeFiles holds the files the probes point file keys at.
type probeFiles struct {
	dir, ca, cert, key, serviceAccount string
	caB64, derB64                      string
	keyPEM                             []byte // the client key's PEM block
}

// newProbeFiles writes the files file keys point at: the fake world's CA
// (so that a connector that fetches with it reaches the world, as the real
// CA reaches the real provider), a client certificate and its key, and a
// Google service account key file.
func newProbeFiles(dir string, worldCA []byte) (*probeFiles, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pachidp probe client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	sa, _ := json.Marshal(map[string]string{"type": "service_account", "project_id": "probe", "private_key_id": "probe",
		"private_key": string(keyPEM), "client_email": "probe@probe.iam.gserviceaccount.com", "client_id": "1",
		"token_uri": "https://oauth2.googleapis.com/token"})
	f := &probeFiles{dir: dir, ca: filepath.Join(dir, "ca.pem"), cert: filepath.Join(dir, "client.crt"),
		key: filepath.Join(dir, "client.key"), serviceAccount: filepath.Join(dir, "service-account.json"),
		// Base64 keys get the fixed certificate of the corpus: no Open
		// fetches with them, and the golden files stay the same.
		caB64: recordedCAData, derB64: recordedCADER, keyPEM: keyPEM}
	for p, b := range map[string][]byte{f.ca: worldCA, f.cert: certPEM, f.key: keyPEM, f.serviceAccount: sa} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// value is the probe's value for a key set where the realistic config
// lacks it: a working value of its kind (a file for file keys).
func (f *probeFiles) value(typ, path string, k *Kind) (any, bool) {
	name := path[strings.LastIndex(path, ".")+1:]
	if c := enumCandidates[typ+"."+path]; len(c) > 0 {
		return c[len(c)-1], true
	}
	switch name {
	case "rootCA", "ca":
		return f.ca, true
	case "clientCert":
		return f.cert, true
	case "clientKey":
		return f.key, true
	case "serviceAccountFilePath":
		return f.serviceAccount, true
	case "rootCAs":
		return []any{f.ca}, true
	case "hostName":
		return "github.example.com", true
	case "orgs":
		return []any{map[string]any{"name": "acme"}}, true
	case "tenant":
		return "8f3c2a4e-1b2d-4c5e-9f60-7a8b9c0d1e2f", true
	case "AdminEmail", "adminEmail":
		return "admin@example.com", true
	case "DomainToAdminEmail", "domainToAdminEmail":
		return map[string]any{"example.com": "admin@example.com"}, true
	case "preferredEmailDomain":
		return "example.com", true
	case "groupsDelim", "groupHeaderSeparator":
		return ",", true
	}
	if strings.HasSuffix(name, "URL") || name == "keystoneHost" || name == "issuerAlias" || name == "baseURL" {
		return "https://probe.example.com/path", true
	}
	switch k.Kind {
	case "string":
		return "probe", true
	case "bool":
		return true, true
	case "int", "uint", "float":
		return 1, true
	case "bytes":
		return f.caB64, true
	case "array":
		if k.Items != nil && k.Items.Kind == "string" {
			return []any{"probe"}, true
		}
	case "map":
		if k.Values != nil && k.Values.Kind == "string" {
			return map[string]any{"probe": "probe"}, true
		}
	}
	return nil, false
}

// leaf is a probed key: its dotted path and kind.
type leaf struct {
	path string
	kind *Kind
}

// leaves lists the keys of a config node: object fields are descended into
// (ldap userSearch.*), everything else is a leaf.
func leaves(k *Kind, prefix string, depth int) []leaf {
	var out []leaf
	if k == nil || k.Kind != "object" {
		return out
	}
	names := make([]string, 0, len(k.Fields))
	for n := range k.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := k.Fields[n]
		p := n
		if prefix != "" {
			p = prefix + "." + n
		}
		if f.Kind == "object" && len(f.Fields) > 0 && depth < 3 {
			out = append(out, leaves(f, p, depth+1)...)
			continue
		}
		out = append(out, leaf{p, f})
	}
	return out
}

// cloneJSON deep-copies a JSON tree.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneJSON(e)
		}
		return l
	}
	return v
}

func getPath(m map[string]any, path string) (any, bool) {
	segs := strings.Split(path, ".")
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	v, ok := m[segs[len(segs)-1]]
	return v, ok
}

// with returns a copy of m with path set to v (nil deletes it).
func with(m map[string]any, path string, v any) map[string]any {
	out := cloneJSON(m).(map[string]any)
	cur := out
	segs := strings.Split(path, ".")
	for _, s := range segs[:len(segs)-1] {
		next, ok := cur[s].(map[string]any)
		if !ok {
			if v == nil {
				return out
			}
			next = map[string]any{}
			cur[s] = next
		}
		cur = next
	}
	if v == nil {
		delete(cur, segs[len(segs)-1])
	} else {
		cur[segs[len(segs)-1]] = v
	}
	return out
}

// try decodes cfg into a fresh config of typ as Dex does, opens it and asks
// for its login URL with Dex's callback. It returns the stage that failed.
func (d Dex) try(typ string, cfg map[string]any) (stage string, err error) {
	conf, ok := d.New(typ)
	if !ok {
		return "connector-type", fmt.Errorf("unknown connector type %q", typ)
	}
	b, _ := json.Marshal(cfg)
	if err := json.Unmarshal(b, conf); err != nil {
		return "unmarshal", err
	}
	conn, err := d.Open(conf, "probe")
	if err != nil {
		return "open", err
	}
	defer d.close(conn)
	if err := d.Login(conn, probeCallback); err != nil {
		return "login-url", err
	}
	return "", nil
}

// ProbeRules runs the probes on every type of d.
func ProbeRules(t *testing.T, d Dex, kt *KeyTable) map[string]*TypeRules {
	t.Helper()
	w, err := Install(os.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := newProbeFiles(t.TempDir(), w.CAPEM)
	if err != nil {
		t.Fatal(err)
	}
	// The hosts the realistic configs reach, declared as a case declares
	// its own (idpIssuer): Google's discovery (oidc, google) is the world's
	// own knowledge; OpenShift's API host is the corpus's
	// (type-openshift-ok.yaml).
	w.SetIssuers(probeHosts)
	defer w.SetIssuers(nil)
	bases := realisticConfigs(files.caB64)
	out := map[string]*TypeRules{}
	for _, typ := range kt.Types {
		base, ok := bases[typ]
		if !ok {
			t.Errorf("%s: no realistic config for connector type %q: add one to realisticConfigs", d.Module, typ)
			continue
		}
		if stage, err := d.try(typ, base); err != nil {
			t.Errorf("%s: the realistic %s config fails at %s: %v", d.Module, typ, stage, err)
			continue
		}
		p := &prober{t: t, d: d, typ: typ, base: base, files: files, leaves: leaves(kt.Connectors[typ], "", 0)}
		out[typ] = p.run()
	}
	return out
}

type prober struct {
	t      *testing.T
	d      Dex
	typ    string
	base   map[string]any
	files  *probeFiles
	leaves []leaf
	rules  TypeRules
}

func (p *prober) skip(path string) bool {
	return skipKeys[p.typ+"."+path]
}

// record cleans a refused config and its error for the golden file: the
// probe's temporary directory becomes /probe.
func (p *prober) record(cfg map[string]any, err error) (map[string]any, string) {
	b, _ := json.Marshal(cfg)
	s := strings.ReplaceAll(string(b), p.files.dir, "/probe")
	var m map[string]any
	_ = json.Unmarshal([]byte(s), &m)
	return m, clip(strings.ReplaceAll(err.Error(), p.files.dir, "/probe"))
}

func (p *prober) run() *TypeRules {
	p.rules.Realistic, _ = p.record(p.base, fmt.Errorf(""))
	inBase := map[string]bool{}
	var absent []leaf
	for _, l := range p.leaves {
		if p.skip(l.path) {
			continue
		}
		if _, ok := getPath(p.base, l.path); ok {
			inBase[l.path] = true
		} else {
			absent = append(absent, l)
		}
	}
	// required: delete each key of the realistic config.
	for _, l := range p.leaves {
		if !inBase[l.path] {
			continue
		}
		cfg := with(p.base, l.path, nil)
		stage, err := p.d.try(p.typ, cfg)
		if err == nil {
			continue
		}
		r := KeyRule{Key: l.path, Stage: stage}
		r.Config, r.Error = p.record(cfg, err)
		for _, a := range absent {
			v, ok := p.files.value(p.typ, a.path, a.kind)
			if !ok {
				continue
			}
			if _, err := p.d.try(p.typ, with(cfg, a.path, v)); err == nil {
				r.Other = append(r.Other, a.path)
			}
		}
		p.rules.Required = append(p.rules.Required, r)
	}
	// keys the realistic config lacks, set alone: optional, requires
	// another, or conflicts with one of the realistic config.
	solo := map[string]any{} // keys that pass alone, with their value
	for _, l := range absent {
		v, ok := p.files.value(p.typ, l.path, l.kind)
		if !ok || noSolo[p.typ+"."+l.path] {
			continue
		}
		cfg := with(p.base, l.path, v)
		stage, err := p.d.try(p.typ, cfg)
		if err == nil {
			solo[l.path] = v
			continue
		}
		r := KeyRule{Key: l.path, Stage: stage}
		r.Config, r.Error = p.record(cfg, err)
		for _, b := range p.leaves {
			if !inBase[b.path] {
				continue
			}
			if _, err := p.d.try(p.typ, with(cfg, b.path, nil)); err == nil {
				r.Other = append(r.Other, b.path)
			}
		}
		if len(r.Other) > 0 {
			p.rules.Conflicts = append(p.rules.Conflicts, r)
			continue
		}
		for _, o := range absent {
			if o.path == l.path {
				continue
			}
			ov, ok := p.files.value(p.typ, o.path, o.kind)
			if !ok {
				continue
			}
			if _, err := p.d.try(p.typ, with(cfg, o.path, ov)); err == nil {
				r.Other = append(r.Other, o.path)
			}
		}
		if len(r.Other) > 0 {
			p.rules.Requires = append(p.rules.Requires, r)
			continue
		}
		// Nothing explains it: Open refuses the key whatever goes with it
		// (upstream's oidc hostedDomains, connector/oidc/oidc.go:266-269 at
		// v2.45.1).
		p.rules.Refused = append(p.rules.Refused, r)
	}
	// pairs of keys that pass alone and fail together.
	keys := make([]string, 0, len(solo))
	for k := range solo {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			cfg := with(with(p.base, a, solo[a]), b, solo[b])
			stage, err := p.d.try(p.typ, cfg)
			if err == nil {
				continue
			}
			r := KeyRule{Key: a, Other: []string{b}, Stage: stage}
			r.Config, r.Error = p.record(cfg, err)
			p.rules.Conflicts = append(p.rules.Conflicts, r)
		}
	}
	// files and enums: string keys (and lists of strings for files).
	for _, l := range p.leaves {
		if p.skip(l.path) || noSolo[p.typ+"."+l.path] {
			continue
		}
		ctx := p.contextFor(l.path)
		if ctx == nil {
			continue
		}
		if l.kind.Kind == "bytes" {
			// A certificate as base64 of its PEM passes; base64 of its DER
			// (a PEM body without the BEGIN/END lines) fails.
			if _, err := p.d.try(p.typ, with(ctx, l.path, p.files.caB64)); err != nil {
				continue
			}
			cfg := with(ctx, l.path, p.files.derB64)
			if stage, err := p.d.try(p.typ, cfg); err != nil {
				r := KeyRule{Key: l.path, Stage: stage, Decoding: p.decoding(ctx, l.path)}
				r.Config, r.Error = p.record(cfg, err)
				p.rules.Certificates = append(p.rules.Certificates, r)
			}
			continue
		}
		isStrings := l.kind.Kind == "array" && l.kind.Items != nil && l.kind.Items.Kind == "string"
		if l.kind.Kind != "string" && !isStrings {
			continue
		}
		missing := filepath.Join(p.files.dir, "absent", "file.pem")
		var fileVal, bogusVal any = missing, bogus
		if isStrings {
			fileVal, bogusVal = []any{missing}, []any{bogus}
		}
		// A file key: a working file passes, a path that does not exist
		// fails (the forks say "no such file", upstream's httpclient "not in
		// PEM format ... or a path").
		if good, ok := p.files.value(p.typ, l.path, l.kind); ok && p.pointsAtFile(good) {
			_, gerr := p.d.try(p.typ, with(ctx, l.path, good))
			_, merr := p.d.try(p.typ, with(ctx, l.path, fileVal))
			if gerr == nil && merr != nil {
				p.rules.Files = append(p.rules.Files, l.path)
				continue
			}
			if gerr == nil {
				// Open ignores the file here: find the keys that make it
				// read it (adminEmail, including the noSolo keys: a
				// working key file keeps them off the network).
				if r, ok := p.fileRequires(ctx, l.path, good, fileVal); ok {
					p.rules.FileRequires = append(p.rules.FileRequires, r)
					continue
				}
			}
		}
		if isStrings {
			continue
		}
		cfg := with(ctx, l.path, bogusVal)
		stage, err := p.d.try(p.typ, cfg)
		cands := enumCandidates[p.typ+"."+l.path]
		if err == nil {
			// A plain value passes: try the forms users get wrong.
			for _, f := range refusedForms {
				fcfg := with(ctx, l.path, f.value)
				if stage, err := p.d.try(p.typ, fcfg); err != nil {
					r := FormRule{Key: l.path, Form: f.form, Stage: stage}
					r.Config, r.Error = p.record(fcfg, err)
					p.rules.Forms = append(p.rules.Forms, r)
				}
			}
			continue
		}
		if len(cands) == 0 {
			if _, ok := freeForm[p.typ+"."+l.path]; ok {
				continue
			}
			if _, ok := freeForm[l.path]; ok {
				continue
			}
			p.t.Errorf("%s %s: %s refuses %q at %s (%v), and it has no enum candidates: read the source, add them to enumCandidates (or to freeForm with the reason)",
				p.d.Module, p.typ, l.path, bogus, stage, err)
			continue
		}
		e := EnumRule{Key: l.path, Stage: stage}
		e.Config, e.Error = p.record(cfg, err)
		if _, err := p.d.try(p.typ, with(ctx, l.path, "")); err == nil {
			e.Values = append(e.Values, "")
		}
		variantFailed, variantPassed := false, false
		for _, c := range cands {
			if _, err := p.d.try(p.typ, with(ctx, l.path, c)); err != nil {
				continue
			}
			e.Values = append(e.Values, c)
			for _, v := range caseVariants(c) {
				if _, err := p.d.try(p.typ, with(ctx, l.path, v)); err != nil {
					variantFailed = true
				} else {
					variantPassed = true
				}
			}
		}
		if len(e.Values) == 0 || (len(e.Values) == 1 && e.Values[0] == "") {
			p.t.Errorf("%s %s: %s refuses every candidate: fix enumCandidates", p.d.Module, p.typ, l.path)
			continue
		}
		if variantFailed && variantPassed {
			p.t.Errorf("%s %s: %s accepts some values in another case and not others: model it", p.d.Module, p.typ, l.path)
		}
		e.CaseSensitive = variantFailed
		p.rules.Enums = append(p.rules.Enums, e)
	}
	return &p.rules
}

// fileRequires finds the keys absent from ctx with which Open reads the
// file key path: with each, a working file passes and a missing one fails.
func (p *prober) fileRequires(ctx map[string]any, path string, good, missing any) (KeyRule, bool) {
	r := KeyRule{Key: path}
	for _, o := range p.leaves {
		if o.path == path || p.skip(o.path) {
			continue
		}
		if _, ok := getPath(ctx, o.path); ok {
			continue
		}
		ov, ok := p.files.value(p.typ, o.path, o.kind)
		if !ok {
			continue
		}
		octx := with(ctx, o.path, ov)
		if _, err := p.d.try(p.typ, with(octx, path, good)); err != nil {
			continue
		}
		cfg := with(octx, path, missing)
		stage, err := p.d.try(p.typ, cfg)
		if err == nil {
			continue
		}
		if len(r.Other) == 0 {
			r.Stage = stage
			r.Config, r.Error = p.record(cfg, err)
		}
		r.Other = append(r.Other, o.path)
	}
	return r, len(r.Other) > 0
}

// decoding finds how Open reads a certificate key's PEM data: the recorded
// certificate followed by a comment line, and followed by a private key
// block, both pass ("some") or both fail ("all").
func (p *prober) decoding(ctx map[string]any, path string) string {
	pemData, _ := base64.StdEncoding.DecodeString(p.files.caB64)
	passes := func(extra []byte) bool {
		v := base64.StdEncoding.EncodeToString(append(append([]byte{}, pemData...), extra...))
		_, err := p.d.try(p.typ, with(ctx, path, v))
		return err == nil
	}
	comment, key := passes([]byte("# comment\n")), passes(p.files.keyPEM)
	switch {
	case comment && key:
		return "some"
	case !comment && !key:
		return "all"
	}
	p.t.Errorf("%s %s: %s accepts a certificate followed by a comment (%v) or by a key (%v), not both: model it",
		p.d.Module, p.typ, path, comment, key)
	return ""
}

// pointsAtFile reports whether a probe value is one of the probe's files.
func (p *prober) pointsAtFile(v any) bool {
	if l, ok := v.([]any); ok && len(l) == 1 {
		v = l[0]
	}
	s, _ := v.(string)
	return strings.HasPrefix(s, p.files.dir+string(filepath.Separator))
}

// contextFor is the config a key is probed in: the realistic one, with the
// keys it requires set and without a key of the realistic config it
// conflicts with.
func (p *prober) contextFor(path string) map[string]any {
	for _, r := range p.rules.Requires {
		if r.Key != path {
			continue
		}
		for _, l := range p.leaves {
			if l.path == r.Other[0] {
				if v, ok := p.files.value(p.typ, l.path, l.kind); ok {
					return with(p.base, l.path, v)
				}
			}
		}
		return nil
	}
	for _, r := range p.rules.Conflicts {
		if r.Key == path && len(r.Other) == 1 {
			if _, ok := getPath(p.base, r.Other[0]); ok {
				return with(p.base, r.Other[0], nil)
			}
		}
	}
	return p.base
}

// caseVariants are other spellings of s in another case.
func caseVariants(s string) []string {
	var out []string
	for _, v := range []string{strings.ToUpper(s), strings.ToLower(s), strings.ToUpper(s[:1]) + s[1:], strings.ToLower(s[:1]) + s[1:]} {
		if v != s && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
