package pachidp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

func readTestValues(t *testing.T, path string) *Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return openTestValues(t, string(data))
}

// where lists findings as "file:line rule" (suppressed ones with a "-").
func where(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		s := f.File
		if f.Pos.IsValid() {
			s += ":" + itoa(f.Pos.Line)
		}
		s += " " + string(f.Rule)
		if f.Suppressed {
			s = "-" + s
		}
		out = append(out, s)
	}
	return out
}

func itoa(n int) string { return fmt.Sprintf("%03d", n) }

// TestValidateValuesLayers: a layered set made of the repository's layers
// and Pachyderm's own values file names the file and line that set each
// value, as Helm merges them.
func TestValidateValuesLayers(t *testing.T) {
	chart := fixtures.Path(t, "values-2.11.x.yaml")
	names := []string{chart, "testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	var set []Layer
	for _, n := range names {
		set = append(set, Layer{Name: filepath.Base(n), Values: readTestValues(t, n)})
	}
	l, err := NewLayers(set, LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := ValidateValues(l, ValidateValuesOptions{Target: mustTarget("2.11.6")})
	if err != nil {
		t.Fatal(err)
	}
	got := where(r)
	want := []string{"prod.yaml:006 tls-disabled", "secrets.yaml:011 redirect-uri-host"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if r.Entries != 1 || r.Errors != 2 || r.Warnings != 0 || !r.Failed() || len(r.Files) != 4 {
		t.Errorf("report %+v", r)
	}
	// The same set without the license file: the finding names the last
	// file, without a line (no file sets the key nor its parent pachd...
	// but Pachyderm's values.yaml sets pachd: it is named).
	l2, _ := NewLayers([]Layer{set[0], set[2], set[3]}, LayersOptions{})
	r, err = ValidateValues(l2, ValidateValuesOptions{Target: mustTarget("2.11.6")})
	if err != nil {
		t.Fatal(err)
	}
	if g := where(r); !slices.Contains(g, "secrets.yaml:011 redirect-uri-host") || !slices.ContainsFunc(g, func(s string) bool {
		return strings.HasPrefix(s, "values-2.11.x.yaml:") && strings.HasSuffix(s, " enterprise-license-missing")
	}) {
		t.Errorf("without base.yaml: %v", g)
	}
}

// TestValidateValuesInputs: a document, a one-layer set and a HelmValues
// give the same findings (HelmValues without lines).
func TestValidateValuesInputs(t *testing.T) {
	for _, p := range []string{"cmd/pachidp/testdata/guide-values.yaml", "testdata/layers/secrets.yaml", fixtures.Path(t, "values-2.6.x.yaml")} {
		v := readTestValues(t, p)
		opts := ValidateValuesOptions{Target: mustTarget("2.11.3"), File: "f.yaml"}
		doc, err := ValidateValues(v, opts)
		if err != nil {
			t.Fatal(err)
		}
		l, _ := NewLayers([]Layer{{Name: "f.yaml", Values: v}}, LayersOptions{})
		lay, err := ValidateValues(l, opts)
		if err != nil {
			t.Fatal(err)
		}
		m, _, _ := v.Lookup("")
		hv, err := ValidateValues(HelmValues(m.(map[string]any)), opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Findings) == 0 && p != "testdata/layers/secrets.yaml" {
			t.Errorf("%s: no findings", p)
		}
		if !slices.Equal(where(doc), where(lay)) {
			t.Errorf("%s: document %v, layers %v", p, where(doc), where(lay))
		}
		if len(hv.Findings) != len(doc.Findings) {
			t.Fatalf("%s: HelmValues %v, document %v", p, where(hv), where(doc))
		}
		// Without positions the order is that of the checks.
		byPath := func(a, b Finding) int { return strings.Compare(a.Path+string(a.Rule), b.Path+string(b.Rule)) }
		slices.SortFunc(hv.Findings, byPath)
		slices.SortFunc(doc.Findings, byPath)
		for i, f := range hv.Findings {
			d := doc.Findings[i]
			if f.Rule != d.Rule || f.Path != d.Path || f.Message != d.Message || f.Pos.IsValid() {
				t.Errorf("%s: HelmValues %v, document %v", p, f, d)
			}
		}
	}
	if _, err := ValidateValues(nil, ValidateValuesOptions{}); err == nil {
		t.Error("nil Values: no error")
	}
	if _, err := ValidateValues((*Layers)(nil), ValidateValuesOptions{}); err == nil {
		t.Error("a nil *Layers: no error")
	}
	if _, err := ValidateValues(&Document{}, ValidateValuesOptions{Ignore: []Rule{"tls-disable"}}); err == nil || !strings.Contains(err.Error(), `did you mean "tls-disabled"`) {
		t.Errorf("unknown --ignore: %v", err)
	}
}

const ignoreDoc = `proxy:
  host: pachyderm.example.com
  tls:
    enabled: false # pachidp:ignore tls-disabled TLS ends at the load balancer
oidc:
  upstreamIDPs:
    - id: a # pachidp:ignore insecure-skip-email-verified the IdP verifies emails
      name: A
      type: oidc
      config:
        issuer: https://a.example.com
        clientID: a
        clientSecret: fake-a-secret
        redirectURI: https://pachyderm.example.com/dex/callback
        insecureSkipEmailVerified: true
    - id: b
      name: B
      type: oidc
      config:
        issuer: https://b.example.com
        clientID: b
        clientSecret: fake-b-secret
        # pachidp:ignore redirect-uri-path,redirect-uri-host
        redirectURI: https://Pachyderm.example.com/dex/callback/
        insecureSkipEmailVerified: true # pachidp:ignore insecure-skip-emial-verified typo
    - id: c
      name: C
      type: oidc
      config:
        issuer: https://c.example.com
        clientID: c
        clientSecret: fake-c-secret
        redirectURI: https://pachyderm.example.com/dex/callback
        insecureSkipEmailVerified: true
pachd:
  enterpriseLicenseKeySecretName: lic
`

func TestValidateValuesIgnore(t *testing.T) {
	v, err := OpenDocument([]byte(ignoreDoc))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ValidateValues(v, ValidateValuesOptions{File: "v.yaml", Target: mustTarget("2.11.6")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"-v.yaml:004 tls-disabled",
		"-v.yaml:015 insecure-skip-email-verified",
		"-v.yaml:024 redirect-uri-host",
		"v.yaml:025 insecure-skip-email-verified",
		"v.yaml:025 unknown-ignore-rule",
		"v.yaml:034 insecure-skip-email-verified",
	}
	got := where(r)
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%v\nwant\n%v", got, want)
	}
	for _, f := range r.Findings {
		if f.Rule == "unknown-ignore-rule" && !strings.Contains(f.Message, `use "insecure-skip-email-verified": no rule "insecure-skip-emial-verified"`) {
			t.Errorf("unknown rule: %q", f.Message)
		}
		if f.Rule == "tls-disabled" && f.Reason != "TLS ends at the load balancer" {
			t.Errorf("reason %q", f.Reason)
		}
	}
	if r.Suppressed != 3 || r.Errors != 0 || r.Warnings != 3 {
		t.Errorf("counts: %d errors, %d warnings, %d suppressed", r.Errors, r.Warnings, r.Suppressed)
	}
	// --ignore silences everywhere.
	r, err = ValidateValues(v, ValidateValuesOptions{File: "v.yaml", Target: mustTarget("2.11.6"), Ignore: []Rule{"insecure-skip-email-verified"}, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Warnings != 1 || r.Suppressed != 5 || !r.Failed() {
		t.Errorf("--ignore: %v", where(r))
	}
	// The reason names the option, not a command's flag.
	for _, f := range r.Findings {
		if f.Suppressed && f.Rule == RuleInsecureSkipEmailVerified && f.Reason != "ValidateValuesOptions.Ignore" {
			t.Errorf("reason of a finding silenced by Ignore: %q", f.Reason)
		}
	}
}

// BenchmarkValidateValuesLayers checks Pachyderm's values file under the
// repository's three layers, as `pachidp validate -f ... -f ...` does.
func BenchmarkValidateValuesLayers(b *testing.B) {
	names := []string{fixtures.Path(b, "values-2.11.x.yaml"), "testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	var set []Layer
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Skip(err)
		}
		v, err := OpenDocument(data)
		if err != nil {
			b.Fatal(err)
		}
		set = append(set, Layer{Name: n, Values: v})
	}
	opts := ValidateValuesOptions{Target: mustTarget("2.11.6")}
	b.ReportAllocs()
	for b.Loop() {
		l, err := NewLayers(set, LayersOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if r, err := ValidateValues(l, opts); err != nil || r.Errors != 2 {
			b.Fatalf("%v %v", r, err)
		}
	}
}

// TestIgnoreCommentsNotInScalars: text that looks like an ignore comment
// inside a quoted or block scalar (a secret, say) is not a comment: it
// silences nothing and is never repeated in a finding.
func TestIgnoreCommentsNotInScalars(t *testing.T) {
	doc := `oidc:
  upstreamIDPs:
    - id: bob's-idp # pachidp:ignore insecure-skip-email-verified it's verified
      name: Bob's IdP
      type: oidc
      config:
        issuer: https://a.example.com
        clientID: "a # pachidp:ignore fake-secret-one"
        clientSecret: |
          fake # pachidp:ignore fake-secret-two
        redirectURI: 'https://pachyderm.example.com/dex/callback # pachidp:ignore fake-secret-three'
        insecureSkipEmailVerified: true
`
	v, err := OpenDocument([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ValidateValues(v, ValidateValuesOptions{File: "v.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		for _, s := range []string{"fake-secret-one", "fake-secret-two", "fake-secret-three"} {
			if strings.Contains(f.Message, s) || strings.Contains(f.Reason, s) {
				t.Errorf("finding %s shows %q", f.Rule, s)
			}
		}
		if f.Rule == "unknown-ignore-rule" {
			t.Errorf("a scalar read as a comment: %v", f.Error())
		}
	}
	// The comment after a plain scalar with an apostrophe is one.
	if r.Suppressed != 1 {
		t.Errorf("findings %v", where(r))
	}
	for _, f := range r.Findings {
		if f.Suppressed && f.Reason != "it's verified" {
			t.Errorf("reason %q", f.Reason)
		}
	}
}

// FuzzValidateValues reads any document as a values file and checks it as
// `pachidp validate` does, ignore comments included: it never panics, every
// finding has a registered rule and its counts add up, a suppressed finding
// says why, and no text line shows a client secret of the document.
func FuzzValidateValues(f *testing.F) {
	for _, name := range []string{"cmd/pachidp/testdata/values.yaml", "cmd/pachidp/testdata/guide-values.yaml", "testdata/layers/secrets.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	f.Add([]byte("oidc:\n  upstreamIDPs:\n  - id: a # pachidp:ignore required,duplicate-id why\n    type: oidc\n    config:\n      clientSecret: Zq7canaryX9wPz3 # pachidp:ignore nope\n  - id: a\n"), uint8(3))
	f.Add([]byte("# pachidp:ignore tls-disabled\nproxy:\n  host: x\n  tls: {enabled: false}\n"), uint8(7))
	targets := Targets()
	f.Fuzz(func(t *testing.T, data []byte, target uint8) {
		if len(data) > 8<<10 {
			return
		}
		doc, err := OpenDocument(data)
		if err != nil {
			return
		}
		r, err := ValidateValues(doc, ValidateValuesOptions{Target: targets[int(target)%len(targets)], File: "values.yaml"})
		if err != nil {
			return
		}
		var errs, warns, suppressed int
		for _, fd := range r.Findings {
			if !fd.Rule.Known() {
				t.Fatalf("finding of an unregistered rule %q at %s", fd.Rule, fd.Path)
			}
			switch {
			case fd.Suppressed:
				suppressed++
				if fd.Reason == "" {
					t.Fatalf("%s: suppressed without a reason", fd.Rule)
				}
			case fd.Severity == SeverityError:
				errs++
			default:
				warns++
			}
		}
		if errs != r.Errors || warns != r.Warnings || suppressed != r.Suppressed {
			t.Fatalf("counts %d/%d/%d, findings say %d/%d/%d", r.Errors, r.Warnings, r.Suppressed, errs, warns, suppressed)
		}
		idps, err := doc.UpstreamIDPs()
		if err != nil {
			return
		}
		var text strings.Builder
		for _, f := range r.Findings {
			text.WriteString(f.Error() + "\n")
		}
		for _, e := range idps {
			if e.OIDC != nil && len(e.OIDC.ClientSecret) >= 8 && strings.Contains(text.String(), e.OIDC.ClientSecret) {
				t.Fatalf("a finding shows the client secret of entry %q", e.ID)
			}
		}
	})
}

// TestValidateValuesShapes: what Helm, pachd or Dex does with a document
// pachidp can read is a finding with its fate and place, never an error
// that stops the check.
func TestValidateValuesShapes(t *testing.T) {
	tests := []struct {
		name, in, target string
		rule, path       string
		fate             Fate
		line             int
	}{
		{"oidc a string", "oidc: okta\n", "2.11.6", "wrong-type", "oidc", FateRenderFails, 1},
		{"list a mapping", "oidc:\n  upstreamIDPs:\n    okta: {}\n", "2.11.6", "wrong-type", "oidc.upstreamIDPs", FateRenderFails, 2},
		{"list a string", "oidc:\n  upstreamIDPs: okta\n", "2.2.7", "wrong-type", "oidc.upstreamIDPs", FateRenderFails, 2},
		{"null item", "oidc:\n  upstreamIDPs:\n  - ~\n", "2.11.6", "wrong-type", "oidc.upstreamIDPs[0]", FatePachdCrash, 3},
		{"null item, config Job", "oidc:\n  upstreamIDPs:\n  - ~\n", "2.2.7", "wrong-type", "oidc.upstreamIDPs[0]", FateLoginFails, 3},
		{"null key", "oidc:\n  ~: 1\n", "2.11.6", "values-unreadable", "oidc", FateRenderFails, 2},
		{"nan", "x: [.nan]\n", "2.11.6", "values-unreadable", "x[0]", FateRenderFails, 1},
		{"duplicate key", "a: 1\na: 2\n", "2.11.6", "duplicate-key", "a", FateIgnored, 2},
		{"inline list of a Secret's values", "oidc:\n  upstreamIDPsSecretName: idps\n  upstreamIDPs: okta\n", "2.11.6", "wrong-type", "oidc.upstreamIDPs", FateRenderFails, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := OpenDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			r, err := ValidateValues(doc, ValidateValuesOptions{Target: mustTarget(tt.target), File: "v.yaml"})
			if err != nil {
				t.Fatalf("ValidateValues stopped: %v", err)
			}
			for _, f := range r.Findings {
				if string(f.Rule) == tt.rule && f.Path == tt.path {
					if f.Fate != tt.fate || f.Pos.Line != tt.line || f.File != "v.yaml" {
						t.Errorf("finding %s at %s line %d, want fate %s line %d: %v", f.Fate, f.File, f.Pos.Line, tt.fate, tt.line, f)
					}
					return
				}
			}
			t.Errorf("no %s finding at %s: %v", tt.rule, tt.path, r.Findings)
		})
	}
}

// TestValidateValuesSecretShapes: a Secret whose upstream-idps text pachd
// cannot read as a list of entries gives pachd's findings in the Secret's
// file, not an error that stops the check.
func TestValidateValuesSecretShapes(t *testing.T) {
	doc, err := OpenDocument([]byte("oidc:\n  upstreamIDPsSecretName: idps\n"))
	if err != nil {
		t.Fatal(err)
	}
	for text, rule := range map[string]string{"okta\n": "pachd-not-a-list", "- okta\n": "pachd-entry-type", "- {id: [\n": "pachd-yaml"} {
		r, err := ValidateValues(doc, ValidateValuesOptions{Target: mustTarget("2.11.6"), NoPrerequisites: true,
			Secret: &UpstreamIDPsSecret{Name: "idps", Text: []byte(text)}, SecretFile: "secret.yaml"})
		if err != nil {
			t.Fatalf("%q: ValidateValues stopped: %v", text, err)
		}
		if len(r.Findings) != 1 || string(r.Findings[0].Rule) != rule || r.Findings[0].File != "secret.yaml" || r.Findings[0].Fate != FatePachdCrash || !r.Failed() {
			t.Errorf("%q: findings %v, want one %s in secret.yaml", text, r.Findings, rule)
		}
	}
}

// TestValidateValuesLayerUnreadable: a layer Helm's reader refuses is a
// values-unreadable finding in that layer, not an error that stops.
func TestValidateValuesLayerUnreadable(t *testing.T) {
	base, err := OpenDocument([]byte("oidc:\n  upstreamIDPs: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := OpenDocument([]byte("pachd:\n  x: .inf\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLayers([]Layer{{Name: "base.yaml", Values: base}, {Name: "bad.yaml", Values: bad}}, LayersOptions{})
	if err != nil {
		t.Fatalf("NewLayers: %v", err)
	}
	r, err := ValidateValues(l, ValidateValuesOptions{Target: mustTarget("2.11.6")})
	if err != nil {
		t.Fatalf("ValidateValues stopped: %v", err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Rule != "values-unreadable" || r.Findings[0].File != "bad.yaml" || r.Findings[0].Pos.Line != 2 ||
		len(r.Files) != 2 || !r.Failed() {
		t.Errorf("report %+v, want one values-unreadable in bad.yaml line 2", r)
	}
}

// TestValidateValuesBadOptions: an option ValidateValues cannot use is an
// *optionError naming it, returned to the caller, never a finding; an
// issuer the values make unusable is a finding at oidc.issuerURI.
func TestValidateValuesBadOptions(t *testing.T) {
	doc, err := OpenDocument([]byte("oidc:\n  issuerURI: \"ftp://pachyderm.example.com/dex\"\n  upstreamIDPs: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []ValidateValuesOptions{{ProxyHost: "https://pachyderm.example.com/path"}, {DexIssuer: "not a URL"}} {
		var oe *optionError
		if r, err := ValidateValues(doc, opts); !errors.As(err, &oe) || r != nil || !strings.HasPrefix(oe.option, "ValidateValuesOptions.") {
			t.Errorf("ValidateValues(%+v) = %v, %v; want an *optionError", opts, r, err)
		}
	}
	r, err := ValidateValues(doc, ValidateValuesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(r.Findings, func(f Finding) bool {
		return f.Rule == "issuer-uri-invalid" && f.Path == "oidc.issuerURI" && f.Pos.Line == 2
	}) {
		t.Errorf("no issuer-uri-invalid finding at oidc.issuerURI (line 2): %v", r.Findings)
	}
}

// TestValidateValuesDexCredsMount: the chart mounts /dexcreds only when
// oidc.dexCredentialSecretName is set (templates/pachd/deployment.yaml, every
// chart of the fixtures; corpus pod-root-ca-no-secret-name is pachd-crash on
// every fork): ValidateValues, which sees the values, says so; Validate,
// which sees the entries only, keeps the risk.
func TestValidateValuesDexCredsMount(t *testing.T) {
	const entry = `
    upstreamIDPs:
    - type: oidc
      id: idp
      name: Login
      config:
        issuer: https://acme.okta.com
        clientID: pachyderm
        clientSecret: canary-secret-0000
        redirectURI: https://pachyderm.example.com/dex/callback
        rootCAs: [/dexcreds/ca.pem]
`
	for _, tc := range []struct {
		name, secret string
		sev          Severity
		fate         Fate
		msg          string
	}{
		{"unset", "", SeverityError, FatePachdCrash, `set oidc.dexCredentialSecretName to the Secret holding the key "ca.pem"`},
		{"empty", `    dexCredentialSecretName: ""` + "\n", SeverityError, FatePachdCrash, "set oidc.dexCredentialSecretName"},
		{"set", "    dexCredentialSecretName: dex-creds\n", SeverityWarning, FateRisk, `Secret has the key "ca.pem"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := OpenDocument([]byte("proxy: {enabled: true, host: pachyderm.example.com, tls: {enabled: true, secretName: tls}}\noidc:\n" + tc.secret + entry))
			if err != nil {
				t.Fatal(err)
			}
			r, err := ValidateValues(doc, ValidateValuesOptions{Target: mustTarget("2.11.6"), NoPrerequisites: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range r.Findings {
				if f.Rule == "root-ca-file" {
					got = append(got, f)
				}
			}
			if len(got) != 1 || got[0].Severity != tc.sev || got[0].Fate != tc.fate || !strings.Contains(got[0].Message, tc.msg) {
				t.Fatalf("root-ca-file findings %+v, want one %s %s saying %q", got, tc.sev, tc.fate, tc.msg)
			}
			idps, err := doc.UpstreamIDPs()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range Validate(idps, ValidateOptions{Target: mustTarget("2.11.6")}) {
				if f.Rule == "root-ca-file" && f.Fate != FateRisk {
					t.Errorf("Validate, which does not see the values: %s %s, want risk", f.Severity, f.Fate)
				}
			}
		})
	}
}
