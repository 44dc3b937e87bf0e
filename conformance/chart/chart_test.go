// Package chart proves pachidp's model of Pachyderm's chart (ChartIdentity,
// PachdUpstreamIDPs, ValidateValues) against the real chart:
// for generated combinations of the values that decide login through Dex, it
// renders the chart of six Pachyderm versions with the Helm SDK and compares
// what Helm renders with what pachidp says.
//
// How it renders: chart/loader.Load once per version, then
// chartutil.ProcessDependenciesWithMerge (the sub-charts, as helm install
// does), and per combination chartutil.ToRenderValues (Helm's coalescing of
// the values with the chart's defaults and its values.schema.json check)
// and engine.Render. That is the path action.Install takes for a client-only
// dry run, minus what does not decide a template's output (release records,
// hook sorting, the Kubernetes client); TestInstallMatchesEngine
// (install_test.go, go test -tags install: action pulls in the Kubernetes
// client, which triples this module's cold build) checks one combination
// per chart through action.Install itself. engine.Render keeps each render's
// errors separate and is several times faster.
package chart

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pachidp/pachidp"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"
)

// versions are the charts in the fixtures, with the target pachidp reads
// them as.
var versions = []string{"2.2.7", "2.3.9", "2.6.0", "2.11.6", "2.12.0-rc.3", "master"}

// chartsDir finds ../shared/fixtures/pachyderm/charts beside the repository
// (or $PACHIDP_FIXTURES/charts), or skips.
func chartsDir(tb testing.TB) string {
	tb.Helper()
	var dirs []string
	if d := os.Getenv("PACHIDP_FIXTURES"); d != "" {
		dirs = append(dirs, filepath.Join(d, "charts"))
	}
	for _, up := range []string{"../../..", "../../../.."} {
		dirs = append(dirs, filepath.Join(up, "shared", "fixtures", "pachyderm", "charts"))
	}
	for _, d := range dirs {
		if st, err := os.Stat(filepath.Join(d, "master", "Chart.yaml")); err == nil && !st.IsDir() {
			return d
		}
	}
	if os.Getenv("CI") != "" { // CI must check them, not skip
		tb.Fatal("Pachyderm's charts are absent (<repo>/../shared/fixtures/pachyderm/charts, or set PACHIDP_FIXTURES)")
	}
	tb.Skip("Pachyderm's charts are absent (<repo>/../shared/fixtures/pachyderm/charts, or set PACHIDP_FIXTURES)")
	return ""
}

// loadChart loads a chart with its sub-charts and settles which sub-charts
// are enabled, as helm install does. The combinations never change a
// sub-chart's condition, so this is done once per chart.
func loadChart(tb testing.TB, dir, version string) *chart.Chart {
	tb.Helper()
	c, err := loader.Load(filepath.Join(dir, version))
	if err != nil {
		tb.Fatalf("loading chart %s: %v", version, err)
	}
	if err := chartutil.ProcessDependenciesWithMerge(c, map[string]any{}); err != nil {
		tb.Fatalf("chart %s: dependencies: %v", version, err)
	}
	return c
}

// render renders the chart for a values document as helm install
// --dry-run=client does.
func render(c *chart.Chart, doc []byte) (map[string]string, error) {
	vals, err := chartutil.ReadValues(doc)
	if err != nil {
		return nil, fmt.Errorf("reading values: %w", err)
	}
	opts := chartutil.ReleaseOptions{Name: "pachyderm", Namespace: "default", Revision: 1, IsInstall: true}
	rv, err := chartutil.ToRenderValues(c, vals, opts, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	return engine.Render(c, rv)
}

// object is one rendered Kubernetes object.
type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"`
	Spec       struct {
		Template struct {
			Spec struct {
				Containers []struct {
					Name string `json:"name"`
					Env  []struct {
						Name      string `json:"name"`
						Value     string `json:"value"`
						ValueFrom *struct {
							SecretKeyRef *struct {
								Name string `json:"name"`
								Key  string `json:"key"`
							} `json:"secretKeyRef"`
						} `json:"valueFrom"`
					} `json:"env"`
				} `json:"containers"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// objects parses the rendered manifests by kind/name.
func objects(tb testing.TB, files map[string]string) map[string]object {
	tb.Helper()
	out := map[string]object{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasSuffix(n, ".yaml") || strings.Contains(n, "/charts/") {
			continue
		}
		for _, m := range releaseutil.SplitManifests(files[n]) {
			var o object
			// helm install writes each manifest followed by a line break
			// (action.renderResources), which ends the last block scalar.
			if err := yaml.Unmarshal([]byte(m+"\n"), &o); err != nil {
				tb.Fatalf("%s: %v", n, err)
			}
			if o.Kind != "" {
				out[o.Kind+"/"+o.Metadata.Name] = o
			}
		}
	}
	return out
}

// rendered is what the real chart rendered, in ChartIdentity's terms.
type rendered struct {
	err        error
	issuer     string // "" when the chart renders it nowhere
	connectors bool
	secretName string
	secretKey  string
	text       *string // the text the chart rendered for the key, nil when none
}

func observe(tb testing.TB, version string, files map[string]string, err error) rendered {
	tb.Helper()
	if err != nil {
		return rendered{err: err}
	}
	objs := objects(tb, files)
	var r rendered
	issuerOf := func(cfg string) string {
		var m struct {
			Issuer string `json:"issuer"`
		}
		if err := yaml.Unmarshal([]byte(cfg), &m); err != nil {
			tb.Fatalf("identity config: %v", err)
		}
		return m.Issuer
	}
	if version == "2.2.7" {
		// templates/pachd/config-secret.yaml and config-job.yaml.
		boot, ok := objs["Secret/pachyderm-bootstrap-config"]
		if !ok {
			return r
		}
		if cfg, ok := boot.StringData["identityServiceConfig"]; ok {
			r.issuer = issuerOf(cfg)
		}
		idps, ok := boot.StringData["idps"]
		if !ok {
			return r
		}
		r.connectors = true
		if idps == "$UPSTREAM_IDPS" {
			for _, o := range objs {
				if o.Kind != "Job" {
					continue
				}
				for _, c := range o.Spec.Template.Spec.Containers {
					for _, e := range c.Env {
						if e.Name == "UPSTREAM_IDPS" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
							r.secretName, r.secretKey = e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key
						}
					}
				}
			}
			return r
		}
		r.secretName, r.secretKey, r.text = "pachyderm-bootstrap-config", "idps", &idps
		return r
	}
	// templates/pachd/identity-config.yaml: the identity config pachd
	// passes to Dex (IDP_CONFIG).
	if cm, ok := objs["ConfigMap/pachyderm-identity-config"]; ok {
		r.issuer = issuerOf(cm.Data["identity-config"])
	}
	// templates/pachd/deployment.yaml: IDP_CONNECTORS.
	for _, c := range objs["Deployment/pachd"].Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == "IDP_CONNECTORS" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				r.connectors = true
				r.secretName, r.secretKey = e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key
			}
		}
	}
	// templates/pachd/idp-secret.yaml.
	if s, ok := objs["Secret/pachyderm-identity"]; ok {
		t := s.StringData["upstream-idps"]
		r.text = &t
		if !r.connectors {
			r.secretName, r.secretKey = "pachyderm-identity", "upstream-idps"
		}
	}
	return r
}

// A dimension is one key (or group of keys) of the values, with the
// choices the generator picks from; "" leaves the key out.
type dimension struct {
	name    string
	choices []string // YAML fragments, each a set of "path: value" lines
}

// The entries: none, a normal one, and entries that Helm renders with
// empty strings, odd keys, nulls, numbers and long text kept as written.
const (
	idpsSome = `oidc.upstreamIDPs:
  - id: corp
    name: Corp SSO
    type: oidc
    config:
      issuer: https://login.example.com/
      clientID: pachyderm
      clientSecret: s3cr3t-value
      redirectURI: https://pachyderm.example.com/dex/callback
      insecureEnableGroups: true
      scopes: [openid, email, groups]
`
	idpsOdd = `oidc.upstreamIDPs:
  - id: ""
    name: ""
    type: oidc
    config_version: 3
    version: 1
    jsonConfig: ""
    config:
      issuer: https://login.example.com/realms/a b
      clientID: "0123"
      clientSecret: ""
      redirectURI: https://pachyderm.example.com:8443/dex/callback
      ZZ: null
      a10: x
      a2: "yes"
      nested: {k: [1, 2.5, -3, "on", ~, ""]}
      long: "a long text that goes well past the eighty columns where yaml.v2 folds a plain scalar into lines"
      multi: "line one\nline two\n"
  - id: gh
    name: GitHub
    type: github
    config: {}
  - {}
`
)

var dimensions = []dimension{
	{"proxy.enabled", []string{"", "proxy.enabled: true", "proxy.enabled: false"}},
	{"proxy.host", []string{"", "proxy.host: pachyderm.example.com", "proxy.host: pachyderm.example.com:8443", "proxy.host: https://pachyderm.example.com"}},
	{"proxy.tls", []string{"", "proxy.tls.enabled: true\nproxy.tls.secretName: pachyderm-tls"}},
	{"ingress.enabled", []string{"", "ingress.enabled: true", "ingress.enabled: false"}},
	{"ingress.host", []string{"", "ingress.host: ingress.example.com"}},
	{"ingress.tls", []string{"", "ingress.tls.enabled: true\ningress.tls.secretName: ingress-tls"}},
	{"ingress.uriHttpsProtoOverride", []string{"", "ingress.uriHttpsProtoOverride: true"}},
	{"oidc.issuerURI", []string{"", "oidc.issuerURI: https://pachyderm.example.com/dex", "oidc.issuerURI: https://login.example.com/custom/path"}},
	{"oidc.mockIDP", []string{"", "oidc.mockIDP: true", "oidc.mockIDP: false"}},
	{"oidc.upstreamIDPs", []string{"", idpsSome, idpsOdd}},
	{"oidc.upstreamIDPsSecretName", []string{"", "oidc.upstreamIDPsSecretName: my-idps"}},
	{"license", []string{"", "pachd.enterpriseLicenseKey: license-value", "pachd.enterpriseLicenseKeySecretName: my-license"}},
	{"pachd.service.type", []string{"", "pachd.service.type: NodePort"}},
}

// combos returns n deterministic combinations, each a choice per
// dimension. The first rows take every choice of every dimension with the
// others left out; the rest are drawn with a fixed seed.
func combos(n int) [][]int {
	var out [][]int
	for d, dim := range dimensions {
		for c := 1; c < len(dim.choices); c++ {
			row := make([]int, len(dimensions))
			row[d] = c
			out = append(out, row)
		}
	}
	rng := rand.New(rand.NewPCG(7, 2025))
	for len(out) < n {
		row := make([]int, len(dimensions))
		for d, dim := range dimensions {
			row[d] = rng.IntN(len(dim.choices))
		}
		out = append(out, row)
	}
	return out
}

// document builds the values document of a combination: flat "a.b.c: v"
// lines become nested YAML.
func document(row []int) []byte {
	type node struct {
		keys []string
		kids map[string]*node
		leaf string
	}
	root := &node{kids: map[string]*node{}}
	var put func(n *node, path []string, val string)
	put = func(n *node, path []string, val string) {
		k := path[0]
		kid, ok := n.kids[k]
		if !ok {
			kid = &node{kids: map[string]*node{}}
			n.kids[k] = kid
			n.keys = append(n.keys, k)
		}
		if len(path) == 1 {
			kid.leaf = val
			return
		}
		put(kid, path[1:], val)
	}
	for d, c := range row {
		frag := dimensions[d].choices[c]
		if frag == "" {
			continue
		}
		lines := strings.Split(strings.TrimRight(frag, "\n"), "\n")
		for i := 0; i < len(lines); i++ {
			k, v, _ := strings.Cut(lines[i], ":")
			v = strings.TrimSpace(v)
			if v == "" { // a block value: the indented lines that follow
				var block []string
				for i+1 < len(lines) && strings.HasPrefix(lines[i+1], " ") {
					i++
					block = append(block, lines[i])
				}
				v = "\n" + strings.Join(block, "\n")
			}
			put(root, strings.Split(k, "."), v)
		}
	}
	var b bytes.Buffer
	// Every chart requires a deploy target; LOCAL needs no object store.
	b.WriteString("deployTarget: LOCAL\n")
	var write func(n *node, indent string)
	write = func(n *node, indent string) {
		for _, k := range n.keys {
			kid := n.kids[k]
			if len(kid.keys) == 0 {
				if strings.HasPrefix(kid.leaf, "\n") {
					fmt.Fprintf(&b, "%s%s:", indent, k)
					for _, l := range strings.Split(kid.leaf[1:], "\n") {
						fmt.Fprintf(&b, "\n%s%s", indent, l)
					}
					b.WriteByte('\n')
				} else {
					fmt.Fprintf(&b, "%s%s: %s\n", indent, k, kid.leaf)
				}
				continue
			}
			fmt.Fprintf(&b, "%s%s:\n", indent, k)
			write(kid, indent+"  ")
		}
	}
	write(root, "")
	return b.Bytes()
}

func describe(row []int) string {
	var parts []string
	for d, c := range row {
		if c != 0 {
			f := dimensions[d].choices[c]
			switch {
			case f == idpsSome:
				f = "oidc.upstreamIDPs: [corp]"
			case f == idpsOdd:
				f = "oidc.upstreamIDPs: [odd entries]"
			}
			parts = append(parts, strings.ReplaceAll(f, "\n", ", "))
		}
	}
	if len(parts) == 0 {
		return "{}"
	}
	return "{" + strings.Join(parts, "; ") + "}"
}

// combinations per chart: enough to cover every pair of choices that
// matters many times over, at about 30ms a render.
const perChart = 80

func TestChartIdentityMatchesHelm(t *testing.T) {
	dir := chartsDir(t)
	rows := combos(perChart)
	for _, version := range versions {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			target, err := pachidp.ParseTarget(version)
			if err != nil {
				t.Fatal(err)
			}
			c := loadChart(t, dir, version)
			start := time.Now()
			seen := map[string]int{}
			for _, row := range rows {
				doc := document(row)
				files, err := render(c, doc)
				got := observe(t, version, files, err)
				compare(t, target, row, doc, got, seen)
			}
			t.Logf("chart %s (%s): %d combinations rendered in %v; seen: %v",
				version, target.Name(), len(rows), time.Since(start).Round(time.Millisecond), seen)
			// The combinations must reach every branch compared above.
			want := []string{"refused", "text compared", "connectors", "no connectors", "mock", "user Secret",
				"issuer from oidc.issuerURI", "issuer from ingress.host", "issuer from pachd.service.type"}
			if version != "2.2.7" {
				want = append(want, "issuer from proxy.host", "issuer from proxy.enabled")
			}
			for _, w := range want {
				if seen[w] == 0 {
					t.Errorf("chart %s: no combination reached %q: add choices or combinations", version, w)
				}
			}
		})
	}
}

// refusalRules are the findings that say the chart refuses to render.
func refusal(f pachidp.Finding) bool { return strings.Contains(f.Message, "refuses to render") }

func compare(t *testing.T, target pachidp.Target, row []int, doc []byte, got rendered, seen map[string]int) {
	t.Helper()
	where := describe(row)
	v, err := pachidp.OpenDocument(doc)
	if err != nil {
		t.Fatalf("%s: OpenDocument: %v\n%s", where, err, doc)
	}
	ci, err := v.ChartIdentity(target)
	if err != nil {
		t.Fatalf("%s: ChartIdentity: %v", where, err)
	}
	report, err := pachidp.ValidateValues(v, pachidp.ValidateValuesOptions{Target: target})
	if err != nil {
		t.Fatalf("%s: ValidateValues: %v", where, err)
	}
	var refusals []string
	for _, f := range report.Findings {
		if refusal(f) {
			refusals = append(refusals, f.Path+": "+f.Message)
		}
		if f.Severity == pachidp.SeverityError && f.Rule == "" {
			t.Errorf("%s: a finding without a rule: %v", where, f)
		}
	}

	// (a) Renders or fails, and the findings say so only where it fails.
	if (got.err != nil) != (len(ci.RenderErrors) > 0) {
		t.Errorf("%s: Helm: %v; ChartIdentity.RenderErrors: %v\n%s", where, got.err, ci.RenderErrors, doc)
		return
	}
	if got.err != nil {
		seen["refused"]++
		quoted := false
		for _, e := range ci.RenderErrors {
			quoted = quoted || strings.Contains(got.err.Error(), e.Chart) || sameCause(got.err, e)
		}
		if !quoted {
			t.Errorf("%s: Helm fails with %q, pachidp quotes %v", where, got.err, ci.RenderErrors)
		}
		if len(refusals) == 0 {
			t.Errorf("%s: Helm refuses to render (%v) and no finding says so: %v", where, got.err, report.Findings)
		}
		return
	}
	if len(refusals) > 0 {
		t.Errorf("%s: Helm renders, but findings say it refuses: %q", where, refusals)
	}

	if got.issuer != "" {
		seen["issuer from "+ci.IssuerFrom]++
	}
	switch {
	case got.connectors:
		seen["connectors"]++
	default:
		seen["no connectors"]++
	}
	if ci.Mock {
		seen["mock"]++
	}
	if ci.UserSecret && got.secretName != "" {
		seen["user Secret"]++
	}
	if got.text != nil && !ci.Mock {
		seen["text compared"]++
	}
	// (b) Dex's issuer, where the chart renders it.
	if got.issuer != "" && got.issuer != ci.Issuer {
		t.Errorf("%s: Helm renders Dex's issuer %q, pachidp says %q (from %s)", where, got.issuer, ci.Issuer, ci.IssuerFrom)
	}

	// (c) Whether IDP_CONNECTORS reaches pachd, and from which Secret/key.
	if got.connectors != ci.Connectors {
		t.Errorf("%s: Helm passes the IdPs to pachd: %t; pachidp says %t\n%s", where, got.connectors, ci.Connectors, doc)
	}
	if got.secretName != "" && (got.secretName != ci.SecretName || got.secretKey != ci.SecretKey) {
		t.Errorf("%s: Helm reads Secret %q key %q; pachidp says %q key %q", where, got.secretName, got.secretKey, ci.SecretName, ci.SecretKey)
	}

	// (d, e) The rendered text byte for byte, mock IdP included.
	switch {
	case got.text == nil && ci.Text != nil:
		t.Errorf("%s: Helm renders no IdP text, pachidp renders %d bytes", where, len(ci.Text))
	case got.text != nil && !bytes.Equal([]byte(*got.text), ci.Text):
		t.Errorf("%s: the rendered %s differs.\nHelm:    %q\npachidp: %q", where, ci.SecretKey, *got.text, ci.Text)
	}
	if got.text != nil && strings.Contains(*got.text, "mockPassword") != ci.Mock {
		t.Errorf("%s: Helm renders the mock IdP: %t; pachidp says %t", where, !ci.Mock, ci.Mock)
	}
	// PachdUpstreamIDPs gives the same text for the values' own list.
	if !ci.UserSecret && !ci.Mock && ci.Text != nil && ci.Connectors {
		text, _, err := v.PachdUpstreamIDPs(nil)
		if err != nil {
			t.Errorf("%s: PachdUpstreamIDPs: %v", where, err)
		} else if !bytes.Equal(text, bytes.TrimPrefix(ci.Text, []byte("\n"))) {
			t.Errorf("%s: PachdUpstreamIDPs differs from the chart's text.\nHelm:              %q\nPachdUpstreamIDPs: %q", where, ci.Text, text)
		}
	}
}

// sameCause accepts the other messages of templates that fail on an
// enabled ingress without a host (see RenderError.Chart).
func sameCause(err error, e *pachidp.RenderError) bool {
	if e.Path != "ingress.host" {
		return false
	}
	for _, m := range []string{
		"ingress.host is required when ingress.enabled",
		"if ingress is enabled, an ingress.host is required",
		"For Authentication, an OIDC Redirect URI for this pachd must be set.",
		"For Authentication, an OIDC Issuer for this pachd must be set.",
	} {
		if strings.Contains(err.Error(), m) {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
