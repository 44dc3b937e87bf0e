package pachidp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSecretManifestGolden(t *testing.T) {
	entries := renderEntries(t)
	for _, tc := range []struct {
		golden string
		opts   UpstreamIDPsSecret
	}{
		{"secret/manifest.golden", UpstreamIDPsSecret{Name: "acme-idps", Namespace: "pachyderm"}},
		{"secret/manifest-defaults.golden", UpstreamIDPsSecret{}},
	} {
		got, err := secretManifest(entries[:2], tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, tc.golden, got)
	}
}

func TestSecretManifestRoundTrip(t *testing.T) {
	entries := renderEntries(t)
	text, err := RenderUpstreamIDPs(entries)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := secretManifest(entries, UpstreamIDPsSecret{Namespace: "pachyderm"})
	if err != nil {
		t.Fatal(err)
	}
	base64Form := func(m []byte) []byte {
		// The same Secret as `kubectl get secret -o yaml` shows it: data, base64.
		return fmt.Appendf(nil, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: pachyderm\ndata:\n  %s: %s\ntype: Opaque\n",
			DefaultUpstreamIDPsSecretName, UpstreamIDPsSecretKey, base64.StdEncoding.EncodeToString(text))
	}
	jsonForm := fmt.Appendf(nil, `{"apiVersion":"v1","kind":"Secret","metadata":{"name":%q,"namespace":"pachyderm"},"data":{%q:%q}}`,
		DefaultUpstreamIDPsSecretName, UpstreamIDPsSecretKey, base64.StdEncoding.EncodeToString(text))
	for name, tc := range map[string]struct {
		manifest []byte
		fromData bool
	}{
		"stringData":  {manifest, false},
		"base64 data": {base64Form(manifest), true},
		"JSON":        {jsonForm, true},
	} {
		s, err := DecodeSecretManifest(tc.manifest)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if s.Name != DefaultUpstreamIDPsSecretName || s.Namespace != "pachyderm" || s.FromData != tc.fromData {
			t.Errorf("%s: got %v, FromData %v", name, s, s.FromData)
		}
		if !bytes.Equal(s.Text, text) {
			t.Errorf("%s: the text of upstream-idps differs from RenderUpstreamIDPs", name)
		}
		back, err := s.UpstreamIDPs()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(back) != len(entries) {
			t.Errorf("%s: %d entries, want %d", name, len(back), len(entries))
			continue
		}
		for i := range entries {
			if !reflect.DeepEqual(normalize(back[i].Map()), normalize(entries[i].Map())) {
				t.Errorf("%s: entry %d (%s) differs after the round trip", name, i, entries[i].ID)
			}
		}
	}
}

func TestDecodeSecretManifestFiles(t *testing.T) {
	for _, tc := range []struct {
		file, name, namespace, id string
		fromData                  bool
	}{
		{"chart-2x-pachyderm-identity.yaml", "pachyderm-identity", "default", "auth0", false},
		{"kubectl-get.json", "pachyderm-upstream-idps", "pachyderm", "corp-ldap", true},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "secret", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		s, err := DecodeSecretManifest(data)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if s.Name != tc.name || s.Namespace != tc.namespace || s.FromData != tc.fromData {
			t.Errorf("%s: got %v, FromData %v", tc.file, s, s.FromData)
		}
		entries, fs := decodePachdStrict(s.Text)
		if len(fs) != 0 || len(entries) != 1 || entries[0].ID != tc.id {
			t.Errorf("%s: got %d entries, findings %v", tc.file, len(entries), fs)
		}
	}
}

func TestDecodeSecretManifestStringDataWins(t *testing.T) {
	manifest := fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  upstream-idps: %s\nstringData:\n  upstream-idps: |\n    - id: from-stringData\n",
		base64.StdEncoding.EncodeToString([]byte("- id: from-data\n")))
	s, err := DecodeSecretManifest([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	if string(s.Text) != "- id: from-stringData\n" || s.FromData {
		t.Errorf("got %q (FromData %v), want the stringData value", s.Text, s.FromData)
	}
}

func TestDecodeSecretManifestErrors(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString([]byte(fakeSecret))
	for _, tc := range []struct {
		name, manifest, path string
		line                 int
		want                 []string
	}{
		{"empty", "", "", 0, []string{"empty input"}},
		{"two documents", "kind: Secret\n---\nkind: Secret\n", "", 2, []string{"more than one YAML document"}},
		{"a list", "- kind: Secret\n", "", 1, []string{"expected a Secret manifest", "got a list"}},
		{"not a Secret", "apiVersion: v1\nkind: ConfigMap\ndata:\n  upstream-idps: x\n", "kind", 2, []string{`kind "ConfigMap"`, "expected kind: Secret"}},
		{"no kind", "apiVersion: v1\nstringData: {upstream-idps: x}\n", "kind", 0, []string{"no kind"}},
		{"apiVersion", "apiVersion: v2\nkind: Secret\n", "apiVersion", 1, []string{"apiVersion: v1"}},
		{"metadata", "apiVersion: v1\nkind: Secret\nmetadata: x\n", "metadata", 3, []string{"must be a mapping"}},
		{"no key", "apiVersion: v1\nkind: Secret\nmetadata: {name: idps}\nstringData:\n  client-secret: " + fakeSecret + "\ndata:\n  tls.key: " + secret + "\n",
			"", 0, []string{"idps", "no key upstream-idps", "data.tls.key, stringData.client-secret"}},
		{"no data at all", "apiVersion: v1\nkind: Secret\n", "", 0, []string{"(unnamed)", "it has no keys"}},
		{"bad base64", "apiVersion: v1\nkind: Secret\ndata:\n  upstream-idps: " + secret[:len(secret)-3] + "!!!\n",
			"data.upstream-idps", 4, []string{"not valid base64", "stringData"}},
		{"list not text", "apiVersion: v1\nkind: Secret\nstringData:\n  upstream-idps:\n  - id: a\n    config: {clientSecret: " + fakeSecret + "}\n",
			"stringData.upstream-idps", 4, []string{"must be a string, got a list", "upstream-idps: |"}},
		{"number", "apiVersion: v1\nkind: Secret\nstringData:\n  upstream-idps: 12\n", "stringData.upstream-idps", 4, []string{"got a number"}},
		{"stringData a list", "apiVersion: v1\nkind: Secret\nstringData: [" + fakeSecret + "]\n", "stringData", 3, []string{"mapping of keys to strings"}},
	} {
		_, err := DecodeSecretManifest([]byte(tc.manifest))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, want a *SyntaxError", tc.name, err)
			continue
		}
		if se.Path != tc.path || se.Pos.Line != tc.line {
			t.Errorf("%s: got path %q line %d, want %q line %d", tc.name, se.Path, se.Pos.Line, tc.path, tc.line)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q: %v", tc.name, w, err)
			}
		}
		if strings.Contains(err.Error(), fakeSecret) || strings.Contains(err.Error(), secret[:10]) {
			t.Errorf("%s: the error shows secret content", tc.name)
		}
	}
}

func TestSecretManifestNames(t *testing.T) {
	entries := renderEntries(t)[:1]
	for _, name := range []string{"Pachyderm", "idps_secret", "-idps", "idps-", strings.Repeat("a", 254), "a..b", "a b"} {
		_, err := secretManifest(entries, UpstreamIDPsSecret{Name: name})
		if err == nil || !strings.Contains(err.Error(), "not a valid Kubernetes Secret name") || !strings.Contains(err.Error(), DefaultUpstreamIDPsSecretName) {
			t.Errorf("name %q: got %v", name, err)
		}
	}
	for _, name := range []string{"a", "pachyderm-upstream-idps", "idps.example.com", "0-a", strings.Repeat("a", 253)} {
		if _, err := secretManifest(entries, UpstreamIDPsSecret{Name: name}); err != nil {
			t.Errorf("name %q: %v", name, err)
		}
	}
	for _, ns := range []string{"Pachyderm", "a.b", strings.Repeat("a", 64), "-a"} {
		_, err := secretManifest(entries, UpstreamIDPsSecret{Namespace: ns})
		if err == nil || !strings.Contains(err.Error(), "not a valid Kubernetes namespace") {
			t.Errorf("namespace %q: got %v", ns, err)
		}
	}
	out, err := secretManifest(entries, UpstreamIDPsSecret{})
	if err != nil || bytes.Contains(out, []byte("namespace:")) {
		t.Errorf("without a namespace, the manifest has one (%v)", err)
	}
}

func TestSecretManifestRefusesWhatPachdRefuses(t *testing.T) {
	e := renderEntries(t)[0]
	e.Extra = map[string]any{"version": int64(1)}
	_, err := secretManifest([]UpstreamIDP{e, {ID: "x", Type: "oidc"}}, UpstreamIDPsSecret{})
	var ve Findings
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want Findings", err)
	}
	var rules []string
	for _, f := range ve.Errors() {
		rules = append(rules, string(f.Rule)+" "+f.Path)
	}
	want := []string{"config-missing upstream-idps[1].config", "pachctl-version-key upstream-idps[0].version", "required upstream-idps[1].name"}
	slices.Sort(rules)
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("got %v, want %v", rules, want)
	}
	if strings.Contains(err.Error(), fakeSecret) {
		t.Error("the error shows the secret")
	}
}

func TestUpstreamIDPsSecretPrinting(t *testing.T) {
	s := &UpstreamIDPsSecret{Name: "n", Namespace: "ns", Text: []byte("- config: {clientSecret: " + fakeSecret + "}\n")}
	// fmt shows a []byte as decimal bytes (%v, %d) or hex (%x).
	shown := []string{fakeSecret, fmt.Sprint([]byte(fakeSecret))[1 : len(fakeSecret)*2], fmt.Sprintf("%x", fakeSecret)}
	type holder struct{ S UpstreamIDPsSecret }
	for _, v := range []any{s, *s, holder{*s}, []*UpstreamIDPsSecret{s}} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			got := fmt.Sprintf(format, v)
			for _, secret := range shown {
				if strings.Contains(got, secret) {
					t.Errorf("%s of a %T shows the text", format, v)
				}
			}
			if format != "%x" && format != "%d" && !strings.Contains(got, "ns/n") {
				t.Errorf("%s of a %T does not name the Secret", format, v)
			}
		}
	}
	if got := fmt.Sprint((*UpstreamIDPsSecret)(nil)); got != "<nil>" {
		t.Errorf("a nil *UpstreamIDPsSecret prints as %q, want <nil>", got)
	}
}

func FuzzDecodeSecretManifest(f *testing.F) {
	for _, file := range []string{"chart-2x-pachyderm-identity.yaml", "kubectl-get.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "secret", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("apiVersion: v1\nkind: Secret\ndata: {upstream-idps: LSB7fQo=}\nstringData: {}\n"))
	f.Add([]byte("{apiVersion: v1, kind: Secret, metadata: {name: x}, stringData: {upstream-idps: '- {id: a, name: A, type: oidc, config: {}}'}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSecretManifest(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		entries, fs := decodePachdStrict(s.Text)
		if len(fs.Errors()) > 0 || entries == nil {
			return
		}
		// Accepted input re-renders stably.
		opts := UpstreamIDPsSecret{Name: s.Name, Namespace: s.Namespace}
		if checkDNSSubdomain("", opts.Name) != nil {
			opts.Name = ""
		}
		if checkDNSLabel("", opts.Namespace) != nil {
			opts.Namespace = ""
		}
		m1, err := secretManifest(entries, opts)
		if err != nil {
			var re *RenderError
			if errors.As(err, &re) {
				return
			}
			t.Fatalf("encoding accepted entries: %v", err)
		}
		s2, err := DecodeSecretManifest(m1)
		if err != nil {
			t.Fatalf("decoding an encoded manifest: %v", err)
		}
		entries2, err := s2.UpstreamIDPs()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := secretManifest(entries2, opts)
		if err != nil || !bytes.Equal(m1, m2) {
			t.Fatalf("manifest not stable (%v)", err)
		}
	})
}

// secretManifest is the manifest of a Secret named as s is, holding idps.
func secretManifest(idps []UpstreamIDP, s UpstreamIDPsSecret) ([]byte, error) {
	if err := s.SetUpstreamIDPs(idps); err != nil {
		return nil, err
	}
	return s.Manifest()
}
