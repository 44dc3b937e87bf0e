package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// manifestCase is one file of testdata/manifests holding Pachyderm values.
type manifestCase struct {
	file, kind, name, version, valuesPath, target string
	document                                      int
}

var manifestCases = []manifestCase{
	{"argo-application.yaml", "Application", "pachyderm", "2.11.6", "spec.source.helm.valuesObject", "2.7-2.11", 0},
	{"argo-values-string.yaml", "Application", "pachyderm-prod", "2.12.x", "spec.source.helm.values", "2.12", 0},
	{"argo-multisource.yaml", "Application", "data-platform", "~2.12.0", "spec.sources[2].helm.valuesObject", "2.12", 0},
	{"argo-applicationset.yaml", "ApplicationSet", "pachyderm-{{cluster}}", "2.12.1", "spec.template.spec.source.helm.valuesObject", "2.12", 0},
	{"flux-helmrelease.yaml", "HelmRelease", "pachyderm", ">=2.12.0 <2.13.0", "spec.values", "2.12", 0},
	{"kustomization.yaml", "Kustomization", "pachyderm", "2.12.1", "helmCharts[1].valuesInline", "2.12", 0},
	{"multi-document.yaml", "HelmRelease", "pachyderm", "2.12.1", "spec.values", "2.12", 1},
	{"helm-get-values.txt", "helm get values", "", "", "", "", 0},
}

func readManifest(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "manifests", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// lineOf returns the 1-based line and column where text first occurs.
func lineOf(t *testing.T, data []byte, text string) Position {
	t.Helper()
	i := bytes.Index(data, []byte(text))
	if i < 0 || bytes.Count(data, []byte(text)) != 1 {
		t.Fatalf("%q is not in the file once", text)
	}
	line := bytes.Count(data[:i], []byte("\n")) + 1
	col := i - (bytes.LastIndexByte(data[:i], '\n') + 1) + 1
	return Position{Line: line, Column: col}
}

// TestManifestKinds: each kind is recognised, says where its values are,
// and validation finds the planted problems (the guide's version: 1, an
// Okta issuer with a trailing slash) at the manifest's own lines.
func TestManifestKinds(t *testing.T) {
	for _, c := range manifestCases {
		t.Run(c.file, func(t *testing.T) {
			data := readManifest(t, c.file)
			v, err := OpenDocument(data)
			if err != nil {
				t.Fatal(err)
			}
			m := v.Manifest()
			if m == nil {
				t.Fatal("no Manifest")
			}
			if m.Kind != c.kind || m.Name != c.name || m.Version != c.version || m.ValuesPath != c.valuesPath || m.Document != c.document {
				t.Errorf("Manifest = %+v, want %+v", *m, c)
			}
			if c.kind != "helm get values" && m.Chart != "pachyderm" {
				t.Errorf("Chart = %q", m.Chart)
			}
			opts := ValidateValuesOptions{File: c.file}
			if c.target != "" {
				tg, err := m.Target()
				if err != nil || tg.Name() != c.target {
					t.Errorf("Target() = %v, %v; want %s", tg.Name(), err, c.target)
				}
				opts.Target = tg
			}
			if !bytes.Equal(v.Bytes(), data) {
				t.Error("Bytes() is not the whole manifest")
			}
			r, err := ValidateValues(v, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]Position{
				"pachctl-version-key": lineOf(t, data, "version: 1"),
				"okta-issuer":         lineOf(t, data, "issuer: https://acme.okta.com/"),
			}
			for rule, pos := range want {
				i := slices.IndexFunc(r.Findings, func(f Finding) bool { return string(f.Rule) == rule })
				if i < 0 {
					t.Errorf("no %s finding: %v", rule, r.Findings)
					continue
				}
				if f := r.Findings[i]; f.Pos != pos || f.File != c.file {
					t.Errorf("%s at %s:%v, want %s:%v", rule, f.File, f.Pos, c.file, pos)
				}
			}
			// Lookup's positions are the manifest's too.
			if _, pos, ok := v.Lookup("oidc.upstreamIDPs[0].version"); !ok || pos != want["pachctl-version-key"] {
				t.Errorf("Lookup position %v, want %v", pos, want["pachctl-version-key"])
			}
		})
	}
}

// TestManifestFindings: what a manifest's tool does with other values is
// said: Flux's valuesFrom, Argo CD's values string beside valuesObject.
func TestManifestFindings(t *testing.T) {
	v, err := OpenDocument(readManifest(t, "flux-helmrelease.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ValidateValues(v, ValidateValuesOptions{File: "hr.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Rule == "values-from" })
	if i < 0 || r.Findings[i].Pos.Line != 17 || !strings.Contains(r.Findings[i].Message, "oidc.upstreamIDPsSecretName") {
		t.Errorf("values-from finding: %v", r.Findings)
	}
	// Argo CD's valueFiles come before the values; parameters after.
	data := readManifest(t, "argo-multisource.yaml")
	v, err = OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	fs := v.Manifest().Findings
	if len(fs) != 1 || fs[0].Rule != "values-from" || fs[0].Path != "spec.sources[2].helm.valueFiles" || fs[0].Pos != lineOf(t, data, "valueFiles:") ||
		!strings.Contains(fs[0].Message, "helm.valueFiles can set oidc.upstreamIDPsSecretName") {
		t.Errorf("Argo CD valueFiles: %v", fs)
	}
	params := []byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: p\nspec:\n  source:\n    chart: pachyderm\n    helm:\n      parameters:\n      - name: oidc.mockIDP\n        value: \"true\"\n      - name: proxy.host\n        value: h\n      valuesObject:\n        oidc:\n          upstreamIDPs: []\n")
	v, err = OpenDocument(params)
	if err != nil {
		t.Fatal(err)
	}
	if fs := v.Manifest().Findings; len(fs) != 1 || fs[0].Path != "spec.source.helm.parameters[0]" || fs[0].Pos.Line != 10 || !strings.Contains(fs[0].Message, "oidc.mockIDP") {
		t.Errorf("Argo CD parameters: %v", fs)
	}
	both := []byte(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: p
spec:
  source:
    chart: pachyderm
    targetRevision: 2.12.1
    helm:
      values: |
        oidc:
          mockIDP: true
      valuesObject:
        oidc:
          upstreamIDPs: []
`)
	v, err = OpenDocument(both)
	if err != nil {
		t.Fatal(err)
	}
	if m := v.Manifest(); m.ValuesPath != "spec.source.helm.valuesObject" || len(m.Findings) != 1 || m.Findings[0].Rule != "manifest-values-ignored" || m.Findings[0].Pos.Line != 10 {
		t.Errorf("valuesObject with a values string: %+v", m)
	}
	if mock, _, _ := v.Lookup("oidc.mockIDP"); mock != nil {
		t.Errorf("the ignored values string was read: mockIDP %v", mock)
	}
	// With sources, Argo CD ignores source.
	srcs := []byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: p\nspec:\n  source:\n    chart: pachyderm\n  sources:\n  - chart: pachyderm\n    helm:\n      valuesObject:\n        oidc:\n          mockIDP: false\n")
	if v, err = OpenDocument(srcs); err != nil || v.Manifest().ValuesPath != "spec.sources[0].helm.valuesObject" {
		t.Errorf("source beside sources: %v", err)
	}
}

// TestManifestRefused: a manifest that holds no Pachyderm values is an
// error that says so, never an empty set of values.
func TestManifestRefused(t *testing.T) {
	fluxKustomization := []byte("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\n")
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"deployment", readManifest(t, "deployment.yaml"), `the manifest (Deployment apps/v1 "web") holds no Pachyderm values`},
		{"other chart", readManifest(t, "argo-other-chart.yaml"), `holds no Pachyderm values: its releases are "ingress" (Application, chart "ingress-nginx")`},
		{"two releases", readManifest(t, "two-releases.yaml"), `holds 2 Pachyderm releases, "pachyderm-staging" (HelmRelease, chart "pachyderm"), "pachyderm-prod"`},
		{"flux kustomization", fluxKustomization, `(Kustomization kustomize.toolkit.fluxcd.io/v1 "apps") holds no Pachyderm values`},
		{"stream of others", []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"), "holds no Pachyderm values"},
	} {
		_, err := OpenDocument(c.data)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want a *SyntaxError with %q", c.name, err, c.want)
		}
	}
	// A HelmRelease whose chart is a chartRef (an OCIRepository) does not
	// name its chart: it is read when chosen by name.
	ref := []byte("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: pachyderm\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: pachyderm\n  values:\n    oidc:\n      mockIDP: false\n")
	var se *SyntaxError
	if _, err := OpenDocument(ref); !errors.As(err, &se) || !slices.Equal(se.Releases, []string{"pachyderm"}) || !strings.Contains(err.Error(), `the chart of "pachyderm" is not named in the manifest: if it is Pachyderm's, choose it by its name (FileOptions.Release)`) {
		t.Errorf("chartRef: %v", err)
	}
	if v, err := OpenDocumentWith(ref, FileOptions{Release: "pachyderm"}); err != nil || v.Manifest().ValuesPath != "spec.values" {
		t.Errorf("chartRef chosen by name: %v", err)
	}
	// A release of another chart chosen by name is refused too.
	_, err := OpenDocumentWith(readManifest(t, "multi-document.yaml"), FileOptions{Release: "minio"})
	if err == nil || !strings.Contains(err.Error(), `release "minio" installs the chart "minio", not Pachyderm's`) {
		t.Errorf("release of another chart: %v", err)
	}
}

// TestManifestRelease: FileOptions.Release chooses among several
// Pachyderm releases.
func TestManifestRelease(t *testing.T) {
	data := readManifest(t, "two-releases.yaml")
	for _, c := range []struct {
		release string
		entries int
		host    string
	}{{"pachyderm-staging", 0, "staging.acme.com"}, {"pachyderm-prod", 1, "pachyderm.acme.com"}} {
		v, err := OpenDocumentWith(data, FileOptions{Release: c.release})
		if err != nil {
			t.Fatal(err)
		}
		idps, err := v.UpstreamIDPs()
		host, _, _ := v.Lookup("proxy.host")
		if err != nil || len(idps) != c.entries || host != c.host || v.Manifest().Name != c.release {
			t.Errorf("%s: %d entries, host %v, %v", c.release, len(idps), host, err)
		}
	}
	if _, err := OpenDocumentWith(data, FileOptions{Release: "pachyderm-dev"}); err == nil || !strings.Contains(err.Error(), `no release is named "pachyderm-dev"`) {
		t.Errorf("unknown release: %v", err)
	}
	if _, err := OpenDocumentWith([]byte("oidc: {}\n"), FileOptions{Release: "x"}); err == nil {
		t.Error("a release asked of a values file is accepted")
	}
}

// TestManifestTarget: the chart version of a manifest as a target; ranges
// within one release line are read, others are reported.
func TestManifestTarget(t *testing.T) {
	for _, c := range []struct{ version, want, err string }{
		{"2.11.6", "2.7-2.11", ""},
		{"v2.12.1", "2.12", ""},
		{"2.12.x", "2.12", ""},
		{"2.12.*", "2.12", ""},
		{"2.12", "2.12", ""},
		{"~2.11.0", "2.7-2.11", ""},
		{"~> 2.11.3", "2.7-2.11", ""},
		{">=2.12.0 <2.13.0", "2.12", ""},
		{">=2.12.0, <2.13.0", "2.12", ""},
		{"2.9.0 - 2.11.6", "2.7-2.11", ""},
		{">= 2.5.0 < 2.7.0", "2.5-2.6", ""},
		{"^2.11.0", "", "spans release lines (2.7-2.11 to 2.999.999)"},
		{">=2.11", "", "has no upper bound"},
		{"*", "", "has no upper bound"},
		{"2.11.x || 2.12.x", "", "allows several ranges"},
		{"HEAD", "", "is neither a version nor a range"},
		{">=2.13.0 <2.12.0", "", "allows no version"},
		{"", "", "gives no chart version"},
	} {
		tg, err := (&Manifest{Version: c.version}).Target()
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: err %v, want %q", c.version, err, c.err)
		case c.err == "" && (err != nil || tg.Name() != c.want):
			t.Errorf("%q: %s, %v; want %s", c.version, tg.Name(), err, c.want)
		}
	}
}

// regionLines returns the lines (1-based, inclusive) of the values in a
// manifest: those below the values key (at line keyLine) that are indented
// deeper than it, blank lines among them included.
func regionLines(data []byte, keyLine int) (from, to int) {
	lines := strings.Split(string(data), "\n")
	key := lines[keyLine-1]
	indent := len(key) - len(strings.TrimLeft(key, " -"))
	to = keyLine
	for l := keyLine + 1; l <= len(lines); l++ {
		s := lines[l-1]
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(s)-len(strings.TrimLeft(s, " ")) <= indent {
			break
		}
		to = l
	}
	return keyLine + 1, to
}

// TestManifestEdits: every edit changes only lines of the values inside
// the manifest (byte comparison of the rest), inside a values: | block
// too, and the result reads back as the intended change.
func TestManifestEdits(t *testing.T) {
	auth0, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "abc", ClientSecret: "FAKE-SECRET-new-auth0", ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct {
		name string
		edit func(v *Document) error
		ids  []string // the ids afterwards
	}{
		{"add", func(v *Document) error { return v.UpsertUpstreamIDP(auth0) }, []string{"okta", "auth0"}},
		{"remove", func(v *Document) error { return v.RemoveUpstreamIDP("okta") }, nil},
		{"set-secret", func(v *Document) error {
			idps, err := v.UpstreamIDPs()
			if err != nil {
				return err
			}
			m := idps[0].Map()
			m["config"].(map[string]any)["clientSecret"] = "FAKE-SECRET-rotated"
			e, err := UpstreamIDPFromMap(m)
			if err != nil {
				return err
			}
			return v.UpsertUpstreamIDP(e)
		}, []string{"okta"}},
		{"secret", func(v *Document) error { return v.UseUpstreamIDPsSecret("upstream-idps") }, nil},
		{"mock", func(v *Document) error { return v.DisableMockIDP() }, []string{"okta"}},
	}
	for _, c := range manifestCases {
		data := readManifest(t, c.file)
		for _, ed := range edits {
			t.Run(c.file+"/"+ed.name, func(t *testing.T) {
				v, err := OpenDocument(data)
				if err != nil {
					t.Fatal(err)
				}
				before, _ := v.values()
				if err := ed.edit(v); err != nil {
					t.Fatal(err)
				}
				out := v.Bytes()
				if bytes.Equal(out, data) {
					t.Fatal("nothing changed")
				}
				// Only lines of the values changed.
				keyLine := v.Manifest().Pos.Line
				from, to := 1, strings.Count(string(data), "\n")+1
				if c.kind != "helm get values" {
					from, to = regionLines(data, keyLine)
				} else {
					from = 2
				}
				a, b := strings.Split(string(data), "\n"), strings.Split(string(out), "\n")
				first, toA, _ := changedLines(a, b)
				if first+1 < from || toA > to {
					t.Errorf("lines %d-%d changed, outside the values (lines %d-%d)", first+1, toA, from, to)
				}
				// The result reads back as the same manifest, with the edit.
				w, err := OpenDocument(out)
				if err != nil {
					t.Fatalf("the result does not read back: %v", err)
				}
				if wm, vm := w.Manifest(), v.Manifest(); wm.ValuesPath != vm.ValuesPath || wm.Name != vm.Name {
					t.Errorf("the result reads as another release: %+v", wm)
				}
				idps, err := w.UpstreamIDPs()
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, e := range idps {
					ids = append(ids, e.ID)
				}
				if !slices.Equal(ids, ed.ids) {
					t.Errorf("ids %v, want %v", ids, ed.ids)
				}
				after, _ := w.values()
				if ed.name != "secret" && ed.name != "mock" {
					if p, same := equalTrees(withoutIDPs(before), withoutIDPs(after)); !same {
						t.Errorf("values outside oidc.upstreamIDPs changed at %s", p)
					}
				}
			})
		}
	}
}

func equalTrees(a, b any) (string, bool) {
	return firstDiff(a, b, "")
}

// TestManifestEditGolden: the edited manifests, for review: an entry
// added to a valuesObject and inside a values: | block, an entry removed
// from a HelmRelease's spec.values.
func TestManifestEditGolden(t *testing.T) {
	auth0, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "abc", ClientSecret: "FAKE-SECRET-new-auth0", ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, golden string
		edit         func(v *Document) error
	}{
		{"argo-application.yaml", "argo-application-add.golden", func(v *Document) error { return v.UpsertUpstreamIDP(auth0) }},
		{"argo-values-string.yaml", "argo-values-string-add.golden", func(v *Document) error { return v.UpsertUpstreamIDP(auth0) }},
		{"argo-values-string.yaml", "argo-values-string-remove.golden", func(v *Document) error { return v.RemoveUpstreamIDP("okta") }},
		{"flux-helmrelease.yaml", "flux-helmrelease-remove.golden", func(v *Document) error { return v.RemoveUpstreamIDP("okta") }},
		{"kustomization.yaml", "kustomization-secret.golden", func(v *Document) error { return v.UseUpstreamIDPsSecret("upstream-idps") }},
	} {
		v, err := OpenDocument(readManifest(t, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.edit(v); err != nil {
			t.Fatalf("%s: %v", c.golden, err)
		}
		golden(t, filepath.Join("manifests", c.golden), v.Bytes())
	}
}

// TestManifestEmptyAndReadOnly: empty values get their first keys; values
// pachidp cannot edit in place are read, and an edit says why it refuses.
func TestManifestEmptyAndReadOnly(t *testing.T) {
	head := "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: p\nspec:\n  chart:\n    spec:\n      chart: pachyderm\n"
	for _, c := range []struct {
		name, values, want, refusal string
	}{
		{"empty mapping", "  values: {}\n  interval: 1m\n", "  values:\n    oidc:\n      mockIDP: false\n  interval: 1m\n", ""},
		{"null", "  values:\n  interval: 1m\n", "  values:\n    oidc:\n      mockIDP: false\n  interval: 1m\n", ""},
		{"empty block", "  values: |\n  interval: 1m\n", "  values: |\n    oidc:\n      mockIDP: false\n  interval: 1m\n", ""},
		{"missing", "  interval: 1m\n", "  interval: 1m\n  values:\n    oidc:\n      mockIDP: false\n", ""},
		{"flow", "  values: {oidc: {mockIDP: true}}\n", "", "spec.values is a flow mapping"},
		{"quoted", "  values: \"oidc:\\n  mockIDP: true\\n\"\n", "", "spec.values is a quoted or folded string"},
		{"folded", "  values: >\n    oidc: {mockIDP: true}\n", "", "spec.values is a quoted or folded string"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(head + c.values)
			v, err := OpenDocument(data)
			if err != nil {
				t.Fatal(err)
			}
			err = v.DisableMockIDP()
			if c.refusal != "" {
				var ee *EditError
				if !errors.As(err, &ee) || !strings.Contains(err.Error(), c.refusal) || !bytes.Equal(v.Bytes(), data) {
					t.Errorf("err = %v, want an *EditError with %q and the manifest unchanged", err, c.refusal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := string(v.Bytes()); got != head+c.want {
				t.Errorf("got\n%s\nwant\n%s", got, head+c.want)
			}
		})
	}
	// Missing values under a list item (Argo CD's sources[]) are not
	// created: the edit says what to add.
	src := []byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: p\nspec:\n  sources:\n  - chart: pachyderm\n    repoURL: https://helm.pachyderm.com\n")
	v, err := OpenDocument(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.DisableMockIDP(); err == nil || !strings.Contains(err.Error(), "spec.sources[0].helm.valuesObject is not in the document: add it") {
		t.Errorf("missing values in sources[0]: %v", err)
	}
	// Nor are they when nothing is written to them.
	app := []byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: p\nspec:\n  source:\n    chart: pachyderm\n")
	if v, err = OpenDocument(app); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveUpstreamIDP("x"); !errors.Is(err, ErrIDPNotFound) || !bytes.Equal(v.Bytes(), app) {
		t.Errorf("a failed edit of missing values: %v", err)
	}
	if err := v.DisableMockIDP(); err != nil || !strings.HasSuffix(string(v.Bytes()), "    chart: pachyderm\n    helm:\n      valuesObject:\n        oidc:\n          mockIDP: false\n") {
		t.Errorf("missing helm.valuesObject: %v\n%s", err, v.Bytes())
	}
	// A JSON manifest (kubectl get -o json) is read, with positions.
	js := []byte(`{
  "apiVersion": "helm.toolkit.fluxcd.io/v2",
  "kind": "HelmRelease",
  "metadata": {"name": "p"},
  "spec": {
    "chart": {"spec": {"chart": "pachyderm"}},
    "values": {
      "oidc": {"upstreamIDPs": [{"id": "okta", "name": "Okta", "type": "oidc", "version": 1,
        "config": {"issuer": "https://acme.okta.com/", "clientID": "x", "clientSecret": "FAKE-SECRET-j", "redirectURI": "https://p.example.com/dex/callback"}}]}
    }
  }
}
`)
	if v, err = OpenDocument(js); err != nil {
		t.Fatal(err)
	}
	if _, pos, ok := v.Lookup("oidc.upstreamIDPs[0].version"); !ok || pos.Line != 8 {
		t.Errorf("JSON manifest: position %v", pos)
	}
	if err := v.DisableMockIDP(); err == nil || !strings.Contains(err.Error(), "the document is JSON") {
		t.Errorf("JSON manifest edit: %v", err)
	}
}

// TestManifestLayerFiles: OpenLayerFiles reads a kustomization's
// valuesFile as the layer under it.
func TestManifestLayerFiles(t *testing.T) {
	k := filepath.Join("testdata", "manifests", "kustomization.yaml")
	l, err := OpenLayerFiles([]string{k}, nil, LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 2 || l.Layer(0).Name != filepath.Join("testdata", "manifests", "values-base.yaml") {
		t.Fatalf("layers: %d, first %q", l.Len(), l.Layer(0).Name)
	}
	host, from, ok := l.Lookup("proxy.host")
	if !ok || host != "pachyderm.acme.com" || from.Layer != 0 {
		t.Errorf("proxy.host %v from %v", host, from)
	}
	target, err := l.EditTarget("")
	if err != nil || target.Name != k {
		t.Errorf("EditTarget %q, %v", target.Name, err)
	}
}

// TestManifestEditFile: EditFile edits the values inside a manifest on
// disk, FileOptions.Release choosing the release.
func TestManifestEditFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "releases.yaml")
	data := readManifest(t, "two-releases.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := EditFile(path, FileOptions{Release: "pachyderm-prod"}, func(v *Document) error { return v.RemoveUpstreamIDP("okta") })
	if err != nil || !changed {
		t.Fatalf("EditFile: %v, %v", changed, err)
	}
	out, _ := os.ReadFile(path)
	i := bytes.Index(data, []byte("    oidc:\n"))
	if !bytes.Equal(out[:i], data[:i]) || !bytes.HasSuffix(out, []byte("    oidc:\n      upstreamIDPs: []\n")) {
		t.Errorf("EditFile wrote:\n%s", redactLine(string(out[i:])))
	}
	if _, err := EditFile(path, FileOptions{}, func(v *Document) error { return nil }); err == nil || !strings.Contains(err.Error(), "(FileOptions.Release)") || strings.Contains(err.Error(), "--release") {
		t.Errorf("EditFile without Release on two releases: %v", err)
	}
}

// BenchmarkOpenManifestStream opens the Pachyderm release at the end of a
// stream of n other manifests (a `kustomize build` output): the stream is
// parsed once, so the time per document stays flat as n grows.
func BenchmarkOpenManifestStream(b *testing.B) {
	release, err := os.ReadFile(filepath.Join("testdata", "manifests", "flux-helmrelease.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 100, 1000} {
		var s bytes.Buffer
		for i := range n {
			fmt.Fprintf(&s, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm%d\ndata:\n  k: v%d\n---\n", i, i)
		}
		s.Write(release)
		data := s.Bytes()
		b.Run(fmt.Sprintf("docs=%d", n+1), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := OpenDocument(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
