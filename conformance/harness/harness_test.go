package harness

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pachidp/pachidp/conformance/harness/internal/identity"
)

const repoRoot = "../.."

func TestMain(m *testing.M) { Main(m) }

func TestWorldIssuers(t *testing.T) {
	w, err := Install(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.SetIssuers(map[string]string{
		"keycloak.example.com":                "https://keycloak.example.com/realms/pachyderm",
		"sso.example.org":                     "https://sso.example.org",
		"login.example.net":                   "https://login.example.net/",
		"keycloak.keycloak.svc.cluster.local": "http://keycloak.keycloak.svc.cluster.local/realms/pachyderm",
	})
	defer w.SetIssuers(nil)
	guid := tenantGUID("contoso.onmicrosoft.com")
	for base, want := range map[string]string{
		"https://acme.us.auth0.com":                                                   "https://acme.us.auth0.com/",
		"https://acme.okta.com":                                                       "https://acme.okta.com",
		"https://ACME.okta.com":                                                       "https://acme.okta.com",
		"https://acme.okta.com/oauth2/default":                                        "https://acme.okta.com/oauth2/default",
		"https://acme.okta.com:443":                                                   "https://acme.okta.com",
		"https://keycloak.example.com/realms/pachyderm":                               "https://keycloak.example.com/realms/pachyderm",
		"https://accounts.google.com":                                                 "https://accounts.google.com",
		"https://login.microsoftonline.com/common/v2.0":                               "https://login.microsoftonline.com/{tenantid}/v2.0",
		"https://login.microsoftonline.com/organizations/v2.0":                        "https://login.microsoftonline.com/{tenantid}/v2.0",
		"https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0":              "https://login.microsoftonline.com/" + guid + "/v2.0",
		"https://login.microsoftonline.com/8f3c2a4e-1b2d-4c5e-9f60-7a8b9c0d1e2f/v2.0": "https://login.microsoftonline.com/8f3c2a4e-1b2d-4c5e-9f60-7a8b9c0d1e2f/v2.0",
		"https://sso.example.org":                                                     "https://sso.example.org",
		"https://login.example.net":                                                   "https://login.example.net/",
		"http://keycloak.keycloak.svc.cluster.local/realms/pachyderm":                 "http://keycloak.keycloak.svc.cluster.local/realms/pachyderm",
	} {
		if got, ok := w.Issuer(base); !ok || got != want {
			t.Errorf("Issuer(%s) = %q, %v; want %q", base, got, ok, want)
		}
	}
	for _, base := range []string{
		"https://acme.us.auth0.com/x", "https://keycloak.example.com", "https://accounts.google.com/x", "https://acme.okta.com/other",
		// SaaS hosts: https on 443 only.
		"http://acme.okta.com", "http://accounts.google.com", "https://acme.okta.com:8443", "http://login.microsoftonline.com/common/v2.0",
		// Declared hosts: their issuer's scheme, port and path only.
		"https://sso.example.org/oidc", "http://sso.example.org", "https://sso.example.org:8443", "https://keycloak.example.com/auth/realms/pachyderm",
		// Undeclared hosts and placeholders do not resolve.
		"https://idp.example.org", "https://sso.corp.invalid", "https://your-domain.example.com", "https://<your-domain>.okta.com", "https://keycloak.acme.com/realms/pachyderm",
	} {
		if got, ok := w.Issuer(base); ok {
			t.Errorf("Issuer(%s) = %q, want no document", base, got)
		}
	}
}

// TestWorldFetch goes through the environment the way Dex does: the
// default transport's ProxyFromEnvironment and the system roots from
// SSL_CERT_FILE.
func TestWorldFetch(t *testing.T) {
	w, err := Install(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.SetHosts(map[string]string{
		"keycloak.keycloak.svc.cluster.local": "http://keycloak.keycloak.svc.cluster.local/realms/p",
		"api.openshift.example.com":           "https://api.openshift.example.com:6443",
	}, map[string]string{"idp.corp.example": "private"})
	defer w.SetCase(nil, nil)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment}}
	for url, want := range map[string]string{
		"https://acme.okta.com/.well-known/openid-configuration":                               "https://acme.okta.com",
		"https://acme.us.auth0.com/.well-known/openid-configuration":                           "https://acme.us.auth0.com/",
		"http://keycloak.keycloak.svc.cluster.local/realms/p/.well-known/openid-configuration": "http://keycloak.keycloak.svc.cluster.local/realms/p",
		"https://login.microsoftonline.com/consumers/v2.0/.well-known/openid-configuration":    "https://login.microsoftonline.com/{tenantid}/v2.0",
		"https://api.openshift.example.com:6443/.well-known/oauth-authorization-server":        "https://api.openshift.example.com:6443",
		// Plain http to a SaaS host: a 301 to https, whose document
		// writes the https issuer.
		"http://acme.okta.com/.well-known/openid-configuration": "https://acme.okta.com",
	} {
		resp, err := client.Get(url)
		if err != nil {
			t.Errorf("GET %s: %v", url, err)
			continue
		}
		var doc struct{ Issuer string }
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil || doc.Issuer != want {
			t.Errorf("GET %s: issuer %q (%v), want %q", url, doc.Issuer, err, want)
		}
	}
	for url, want := range map[string]string{
		"https://sso.corp.invalid/.well-known/openid-configuration":                "lookup sso.corp.invalid: no such host",
		"https://<your-domain>.okta.example/.well-known/openid-configuration":      "no such host",
		"https://sso.example.org/.well-known/openid-configuration":                 "lookup sso.example.org: no such host",
		"https://acme.okta.com:8443/.well-known/openid-configuration":              "connect: connection refused",
		"https://api.openshift.example.com/.well-known/oauth-authorization-server": "connect: connection refused",
		"https://idp.corp.example/.well-known/openid-configuration":                "certificate signed by unknown authority",
	} {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s: %s, want an error", url, resp.Status)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("GET %s: %v, want %q", url, err, want)
		}
	}
	resp, err := client.Get("https://acme.okta.com/nothing-here")
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown path: %s", resp.Status)
		}
	}
	// The private CA's host is reached by a client that trusts it.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(PrivateCA().PEM())
	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err = trusting.Get("https://idp.corp.example/nothing-here")
	if err != nil {
		t.Errorf("with the private CA: %v", err)
	} else {
		resp.Body.Close()
	}
}

// TestPrivateCAStable: the private CA is the same on every run (a corpus
// case carries it), as testdata/private-ca.b64 records.
func TestPrivateCAStable(t *testing.T) {
	if err := Golden("testdata/private-ca.b64", []byte(PrivateCA().Base64()+"\n")); err != nil {
		t.Error(err)
	}
}

func TestDexCallback(t *testing.T) {
	for issuer, want := range map[string]string{
		"https://pachyderm.example.com/dex":       "https://pachyderm.example.com/dex/callback",
		"https://pachyderm.example.com/dex/":      "https://pachyderm.example.com/dex/callback",
		"https://pachyderm.example.com":           "https://pachyderm.example.com/callback",
		"https://pachyderm.example.com:8443/dex/": "https://pachyderm.example.com:8443/dex/callback",
	} {
		if got := DexCallback(issuer); got != want {
			t.Errorf("DexCallback(%q) = %q, want %q", issuer, got, want)
		}
	}
}

func TestRoute(t *testing.T) {
	const cb = "https://pachyderm.example.com/dex/callback"
	type conf struct{ RedirectURI string }
	for redirect, want := range map[string]string{
		cb: "",
		"https://Pachyderm.Example.com/dex/callback":       "",
		"https://pachyderm.example.com:443/dex/callback":   "",
		"https://pachyderm.example.com/dex/callback/okta":  "",
		"https://pachyderm.example.com/dex/callback?x=1":   "",
		"https://pachyderm.example.com/dex/callback/other": "path",
		"https://pachyderm.example.com/callback":           "path",
		"https://pachyderm.example.com/dex/callback/":      "path",
		"http://pachyderm.example.com/dex/callback":        "scheme",
		"https://console.example.com/dex/callback":         "host",
		"https://pachyderm.example.com:8443/dex/callback":  "port",
		"/dex/callback": "absolute",
	} {
		err := Route(&conf{redirect}, "okta", cb)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", redirect, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want an error about %s", redirect, err, want)
		}
	}
	if err := Route(&struct{ Host string }{"x"}, "ldap", cb); err != nil {
		t.Errorf("a config without RedirectURI: %v", err)
	}
}

func TestPodFS(t *testing.T) {
	c := Case{Name: "pod", Values: map[string]any{"oidc": map[string]any{"dexCredentialSecretName": "dex-creds"}},
		DexCreds: map[string]string{"ca.pem": "@private-ca"}}
	pod, err := NewPodFS(t.TempDir(), c)
	if err != nil {
		t.Fatal(err)
	}
	b64 := PrivateCA().Base64()
	in := `{"issuer":"https://x","rootCAs":["/dexcreds/ca.pem","/etc/ssl/certs/ca.pem","` + b64 + `","ca.pem"],"RootCA":"/dexcreds/ca.pem","clientSecret":"/dexcreds/ca.pem"}`
	out := pod.Rewrite([]byte(in))
	var m struct {
		RootCAs []string
		RootCA  string
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(m.RootCAs[0]); err != nil || string(data) != string(PrivateCA().PEM()) {
		t.Errorf("the mounted file: %v", err)
	}
	if _, err := os.ReadFile(m.RootCAs[1]); err == nil {
		t.Errorf("a path outside /dexcreds exists: %s", m.RootCAs[1])
	} else if got := pod.Unrewrite(err.Error()); got != "open /etc/ssl/certs/ca.pem: no such file or directory" {
		t.Errorf("Unrewrite: %q", got)
	}
	if m.RootCAs[2] != b64 {
		t.Errorf("base64 content was rewritten")
	}
	if _, err := os.ReadFile(m.RootCAs[3]); err == nil || !strings.HasPrefix(m.RootCAs[3], pod.Root) {
		t.Errorf("a relative path: %q %v", m.RootCAs[3], err)
	}
	if !strings.HasPrefix(m.RootCA, pod.Root) {
		t.Errorf("rootCA not rewritten: %q", m.RootCA)
	}
	if !strings.Contains(string(out), `"clientSecret":"/dexcreds/ca.pem"`) {
		t.Errorf("a key that is no file was rewritten: %s", out)
	}
	// Without the Secret's name, nothing is mounted.
	c.Values = map[string]any{}
	if _, err := NewPodFS(t.TempDir(), c); err == nil {
		t.Error("dexCreds without oidc.dexCredentialSecretName accepted")
	}
	c.DexCreds = nil
	pod, err = NewPodFS(t.TempDir(), c)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(pod.Rewrite([]byte(`{"rootCA":"/dexcreds/ca.pem"}`)), &m)
	if _, err := os.Stat(m.RootCA); err == nil {
		t.Error("/dexcreds exists without oidc.dexCredentialSecretName")
	}
}

func fixture(t *testing.T, file string) protoreflect.MessageDescriptor {
	t.Helper()
	return PachdFor(t, repoRoot, Protojson, file).Desc
}

func decode(t *testing.T, p *Pachd, yamlText string) ([]Entry, *ListError) {
	t.Helper()
	return p.Decode(yamlText)
}

func TestProtojsonDecoder(t *testing.T) {
	p := PachdFor(t, repoRoot, Protojson, "identity.proto")
	es, lerr := decode(t, p, "- id: a\n  name: A\n  type: oidc\n  configVersion: \"3\"\n  config: {issuer: x, num: 1}\n")
	if lerr != nil || len(es) != 1 || es[0].Err != nil {
		t.Fatalf("good entry: %v %+v", lerr, es)
	}
	// protojson's output spacing is randomised per build: compare values.
	var got map[string]any
	if json.Unmarshal(es[0].Config, &got) != nil || !reflect.DeepEqual(got, map[string]any{"issuer": "x", "num": 1.0}) {
		t.Errorf("config JSON %s", es[0].Config)
	}
	for text, want := range map[string]string{
		"- {id: a, name: A, type: oidc, config_version: 1, config: {a: 1}}": `unknown field "config_version"`,
		"- {id: a, name: A, type: oidc, version: 1, config: {a: 1}}":        `unknown field "version"`,
		"- {id: a, name: A, type: oidc, jsonConfig: 'null'}":                "no configs are defined",
		"- {name: A, type: oidc, config: {a: 1}}":                           "no id specified",
	} {
		es, lerr := decode(t, p, text)
		if lerr != nil || len(es) != 1 || es[0].Err == nil || !strings.Contains(es[0].Err.Error(), want) {
			t.Errorf("%s: %v %+v, want %q", text, lerr, es, want)
		}
	}
	// config: {} is a Struct whose Fields map protojson allocates
	// (unmarshalStruct: m.Mutable(fd).Map()), so PickConfig's
	// `config.Fields != nil` holds: Dex gets {} and jsonConfig is ignored.
	es, _ = decode(t, p, "- {id: a, name: A, type: oidc, config: {}, jsonConfig: '{\"issuer\":\"y\"}'}")
	if len(es) != 1 || es[0].Err != nil || string(es[0].Config) != "{}" {
		t.Errorf("config: {}: %+v", es)
	}
	// The 2.2.7 proto has no config field: protojson would refuse it.
	old := &Pachd{Decoder: Protojson, Proto: "identity-2.2.7.proto", Desc: fixture(t, "identity-2.2.7.proto")}
	es, _ = decode(t, old, "- {id: a, name: A, type: oidc, config: {a: 1}}")
	if len(es) != 1 || es[0].Err == nil || !strings.Contains(es[0].Err.Error(), `unknown field "config"`) {
		t.Errorf("config on 2.2.7: %+v", es)
	}
}

func TestGogoDecoder(t *testing.T) {
	p := &Pachd{Decoder: GogoJSONPB}
	es, lerr := p.Decode("- {id: a, name: A, type: oidc, configVersion: 2, config: {issuer: x}}\n- {id: b, name: B, type: oidc, config_version: 1, jsonConfig: '{}'}\n")
	if lerr != nil || len(es) != 2 {
		t.Fatalf("%v %+v", lerr, es)
	}
	if es[0].Err != nil || string(es[0].Config) != `{"issuer":"x"}` {
		t.Errorf("first: %+v %s", es[0], es[0].Config)
	}
	if es[1].Stage != "protojson" || !strings.Contains(es[1].Err.Error(), "config_version") {
		t.Errorf("second: %+v", es[1])
	}
}

// TestGogoUnknownStable: with several unknown keys jsonpb names one at
// random; the recorded error must not flap.
func TestGogoUnknownStable(t *testing.T) {
	p := &Pachd{Decoder: GogoJSONPB}
	for i := 0; i < 30; i++ {
		es, _ := p.Decode("- {ID: a, Name: A, Type: oidc, zzz: 1}\n")
		if len(es) != 1 || es[0].Err == nil || es[0].Err.Error() != `unknown field "ID" in identity.IDPConnector` {
			t.Fatalf("%+v", es)
		}
	}
}

func TestConfigPodDecoder(t *testing.T) {
	p := &Pachd{Decoder: ConfigPod}
	// encoding/json: unknown keys ignored, names matched case-insensitively,
	// the config map does not exist on 2.2.7.
	es, lerr := p.Decode("- {ID: a, Name: A, type: oidc, version: 1, config: {issuer: x}, jsonConfig: '{\"issuer\":\"y\"}'}\n")
	if lerr != nil || len(es) != 1 || es[0].Err != nil || string(es[0].Config) != `{"issuer":"y"}` {
		t.Fatalf("%v %+v", lerr, es)
	}
	if _, lerr := p.Decode("- {id: a, configVersion: '3'}\n"); lerr == nil {
		t.Error("a string configVersion decoded into int64")
	}
}

// TestCopiedStructsMatchProto proves the hand-copied Go types carry exactly
// the fields of the fixture protos.
func TestCopiedStructsMatchProto(t *testing.T) {
	check := func(file string, typ reflect.Type, tag func(reflect.StructField) string) {
		d := fixture(t, file)
		var want, got []string
		for i := 0; i < d.Fields().Len(); i++ {
			want = append(want, string(d.Fields().Get(i).Name()))
		}
		for i := 0; i < typ.NumField(); i++ {
			if n := tag(typ.Field(i)); n != "" {
				got = append(got, n)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: Go fields %v, proto fields %v", file, got, want)
		}
	}
	check("identity.proto", reflect.TypeOf(identity.IDPConnector{}), func(f reflect.StructField) string {
		for _, p := range strings.Split(f.Tag.Get("protobuf"), ",") {
			if n, ok := strings.CutPrefix(p, "name="); ok {
				return n
			}
		}
		return ""
	})
	check("identity-2.2.7.proto", reflect.TypeOf(identity.ConfigPodIDPConnector{}), func(f reflect.StructField) string {
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return n
	})
}

func TestRender(t *testing.T) {
	got, err := Render([]any{map[string]any{"id": "a", "configVersion": float64(12345), "config": map[string]any{"on": true}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "- config:\n    \"on\": true\n  configVersion: 12345\n  id: a\n"
	if got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
}

func TestGoldenFailsOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.json")
	if err := Golden(path, []byte("{}\n")); err == nil {
		t.Error("a missing golden passed")
	}
	os.WriteFile(path, []byte("{\n  \"cases\": {\n    \"a\": \"ok\"\n  }\n}\n"), 0o644)
	err := Golden(path, []byte("{\n  \"cases\": {\n    \"a\": \"pachd-crash\"\n  }\n}\n"))
	if err == nil || !strings.Contains(err.Error(), "pachd-crash") {
		t.Errorf("a wrong golden passed: %v", err)
	}
	if err := Golden(path, []byte("{\n  \"cases\": {\n    \"a\": \"ok\"\n  }\n}\n")); err != nil {
		t.Error(err)
	}
}

func TestRedact(t *testing.T) {
	values := map[string]any{"oidc": map[string]any{"upstreamIDPs": []any{
		map[string]any{"config": map[string]any{"clientSecret": "canary-secret-0000", "bindPW": "pw-not-matched"}},
		map[string]any{"jsonConfig": `{"keystonePassword":"canary-password-1111"}`},
	}}}
	s := collectSecrets(values)
	got := redact(`x canary-secret-0000 y canary-password-1111 z`, s)
	if got != "x <redacted> y <redacted> z" {
		t.Errorf("redact: %q", got)
	}
}

type inner struct {
	A string `json:"a"`
	B int
}

type custom struct{ t time.Time }

func (c *custom) UnmarshalJSON(b []byte) error { return c.t.UnmarshalJSON(b) }

type sample struct {
	inner
	Name    string            `json:"name,omitempty"`
	Skip    string            `json:"-"`
	private string            //nolint
	P       *bool             `json:"p"`
	Raw     []byte            `json:"raw"`
	M       map[string]uint16 `json:"m"`
	Any     interface{}       `json:"any"`
	When    time.Time         `json:"when"`
	C       custom            `json:"c"`
	L       []*inner          `json:"l"`
	B       float64           // shadows inner.B
}

func TestDescribe(t *testing.T) {
	b, _ := json.Marshal(Describe(reflect.TypeOf(sample{})))
	want := `{"kind":"object","fields":{"B":{"kind":"float"},"a":{"kind":"string"},"any":{"kind":"any"},"c":{"kind":"custom","goType":"harness.custom","accepts":["string"]},"l":{"kind":"array","items":{"kind":"object","pointer":true,"fields":{"B":{"kind":"int"},"a":{"kind":"string"}}}},"m":{"kind":"map","values":{"kind":"uint"}},"name":{"kind":"string"},"p":{"kind":"bool","pointer":true},"raw":{"kind":"bytes"},"when":{"kind":"custom","goType":"time.Time","accepts":["string"]}}}`
	if string(b) != want {
		t.Errorf("Describe:\n%s\nwant\n%s", b, want)
	}
}

func TestLoadCorpus(t *testing.T) {
	cases, err := LoadCorpus(CorpusDir(repoRoot))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 80 {
		t.Errorf("only %d cases", len(cases))
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("about: a\nvalue: {}\n"), 0o644)
	if _, err := LoadCorpus(dir); err == nil {
		t.Error("a misspelt top-level key was accepted")
	}
}

// TestChartRecord: a module of ChartVersions cannot run without the chart's
// record of every case (Dex would get the case's own issuer and no gate).
func TestChartRecord(t *testing.T) {
	cases := []Case{{Name: "a"}, {Name: "b"}}
	write := func(body string) string {
		root := t.TempDir()
		if body != "" {
			dir := filepath.Join(root, "conformance", "outcomes", "chart")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "corpus.json"), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
	for _, tc := range []struct {
		name, module, body, wantErr string
	}{
		{"missing file", "fork-706aec2", "", "no such file"},
		{"broken json", "fork-706aec2", "{", "unexpected end"},
		{"case missing", "fork-706aec2", `{"a": {"2.11.6": {"dexIssuer": "https://x/dex"}}, "b": {"master": {}}}`, "of 1 case(s) (b)"},
		{"complete", "fork-706aec2", `{"a": {"2.11.6": {}}, "b": {"2.11.6": {}}}`, ""},
		{"upstream", "upstream-v2.45.1", "", ""},
	} {
		rec, err := chartRecord(Setup{Name: tc.module, RepoRoot: write(tc.body)}, cases)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), chartFix)):
			t.Errorf("%s: error %v, want one with %q and the fix", tc.name, err, tc.wantErr)
		case tc.name == "complete" && len(rec) != 2:
			t.Errorf("complete: %d records, want 2", len(rec))
		}
	}
}
