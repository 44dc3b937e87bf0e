package chart

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite conformance/outcomes/chart/corpus.json")

// chartOutcome is what one chart version renders for a corpus case's
// values: whether it renders at all, Dex's issuer and callback, and whether
// (and from where) the case's entries reach pachd. The Dex modules
// (conformance/dex/*) run every entry as if it reached pachd; this record
// says where the chart lets it.
type chartOutcome struct {
	// Render is "" when Helm renders, else its error (first 200 bytes).
	Render string `json:"render,omitempty"`
	// DexIssuer is the issuer the chart gives Dex (the identity config),
	// "" when the chart renders none; Callback is Dex's callback for it,
	// path.Join(issuer path, "/callback") as Dex builds it.
	DexIssuer string `json:"dexIssuer,omitempty"`
	Callback  string `json:"callback,omitempty"`
	// IDPs is where pachd (2.3+) or the config Job (2.2) reads the
	// connectors from: "values" (the case's own oidc.upstreamIDPs, rendered
	// by the chart into its Secret), "secret <name>/<key>" (a Secret the
	// user supplies: the values' list is not what pachd reads), or "none".
	IDPs string `json:"idps"`
	// Gate says why the entries do not reach pachd, when they do not, read
	// from the rendered objects: "no pachd" (no pachd Deployment:
	// pachd.enabled false), "no license" (pachd gets no LICENSE_KEY, and
	// the templates set IDP_CONNECTORS only with one:
	// templates/pachd/deployment.yaml:222-240 at 2.11.6; at 2.2.7 the
	// bootstrap Secret and config Job exist only with a license,
	// config-secret.yaml:11 and config-job.yaml:5), "enterprise
	// member" (ENTERPRISE_MEMBER: the enterprise server's Dex serves
	// login), "mock IdP" (the chart's own mock list replaces the values').
	Gate string `json:"gate,omitempty"`
}

// corpusCase is the part of a corpus file this module reads.
type corpusCase struct {
	DexIssuer string         `json:"dexIssuer"`
	Values    map[string]any `json:"values"`
}

// defaultDexIssuer is conformance/harness's DefaultDexIssuer.
const defaultDexIssuer = "https://pachyderm.example.com/dex"

func loadCorpus(t *testing.T) (names []string, cases map[string]corpusCase) {
	t.Helper()
	paths, err := filepath.Glob("../corpus/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus in ../corpus: %v", err)
	}
	cases = map[string]corpusCase{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var c corpusCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		names = append(names, name)
		cases[name] = c
	}
	sort.Strings(names)
	return names, cases
}

// caseDocument is the values document the chart is rendered with: the
// case's values, with deployTarget LOCAL when the case sets none (every
// chart requires one; LOCAL needs no object store).
func caseDocument(t *testing.T, values map[string]any) []byte {
	t.Helper()
	v := map[string]any{}
	for k, x := range values {
		v[k] = x
	}
	if _, ok := v["deployTarget"]; !ok {
		v["deployTarget"] = "LOCAL"
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// standIn returns the values with a non-empty oidc.upstreamIDPs list
// replaced by a one-item stand-in, so that cases that differ only in their
// entries are rendered once. It changes nothing this test reads: every
// chart's templates use the list only through its truthiness (`if`,
// `or .Values.oidc.upstreamIDPs .Values.oidc.mockIDP` in
// templates/_helpers.tpl and NOTES.txt) and `toYaml` into the IdP Secret,
// whose text this test does not record (TestChartIdentityMatchesHelm
// compares it), and values.schema.json wants only `"type": "array"` of it
// (every version in the fixtures). A list that is not a list stays as it is.
func standIn(values map[string]any) map[string]any {
	oidc, ok := values["oidc"].(map[string]any)
	if !ok {
		return values
	}
	list, ok := oidc["upstreamIDPs"].([]any)
	if !ok || len(list) == 0 {
		return values
	}
	o := map[string]any{}
	for k, v := range oidc {
		o[k] = v
	}
	o["upstreamIDPs"] = []any{map[string]any{"id": "stand-in"}}
	v := map[string]any{}
	for k, x := range values {
		v[k] = x
	}
	v["oidc"] = o
	return v
}

// dexCallback is Dex's callback for its issuer (server.go absURL).
func dexCallback(issuer string) string {
	i := strings.Index(issuer, "://")
	if i < 0 {
		return ""
	}
	rest := issuer[i+3:]
	host, p, _ := strings.Cut(rest, "/")
	return issuer[:i+3] + host + path.Join("/"+p, "/callback")
}

// TestCorpusChart renders every corpus case with each chart version and
// records what the chart does with it (conformance/outcomes/chart/
// corpus.json, -update rewrites it). It fails when a case's dexIssuer (the
// issuer the Dex modules give Dex) is not the one the chart renders for the
// case's values on a version where it renders one: dexIssuer must come
// from the values, never be typed apart from them.
func TestCorpusChart(t *testing.T) {
	dir := chartsDir(t)
	names, cases := loadCorpus(t)
	record := map[string]map[string]chartOutcome{}
	for _, n := range names {
		record[n] = map[string]chartOutcome{}
	}
	// Each version renders in its own subtest, in parallel; each writes
	// only its own column of the record.
	columns := make([]map[string]chartOutcome, len(versions))
	t.Run("render", func(t *testing.T) {
		for i, version := range versions {
			t.Run(version, func(t *testing.T) {
				t.Parallel()
				columns[i] = renderCorpus(t, dir, version, names, cases)
			})
		}
	})
	for i, version := range versions {
		for n, o := range columns[i] {
			record[n][version] = o
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(record); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("..", "outcomes", "chart", "corpus.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -run TestCorpusChart -update)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("%s differs from what the charts render (after checking the change is real: go test -run TestCorpusChart -update)", golden)
	}
}

// renderCorpus renders every case with one chart version.
func renderCorpus(t *testing.T, dir, version string, names []string, cases map[string]corpusCase) map[string]chartOutcome {
	c := loadChart(t, dir, version)
	out := map[string]chartOutcome{}
	type result struct {
		files map[string]string
		err   error
	}
	seen := map[string]result{}
	for _, n := range names {
		cc := cases[n]
		doc := caseDocument(t, standIn(cc.Values))
		res, ok := seen[string(doc)]
		if !ok {
			res.files, res.err = render(c, doc)
			seen[string(doc)] = res
		}
		files, err := res.files, res.err
		o := chartOutcome{IDPs: "none"}
		if err != nil {
			o.Render = clip(err.Error())
			out[n] = o
			continue
		}
		r := observe(t, version, files, nil)
		o.DexIssuer = r.issuer
		if r.issuer != "" {
			o.Callback = dexCallback(r.issuer)
		}
		switch {
		case r.connectors && (r.secretName == "pachyderm-identity" || r.secretName == "pachyderm-bootstrap-config"):
			o.IDPs = "values"
		case r.connectors:
			o.IDPs = "secret " + r.secretName + "/" + r.secretKey
		}
		o.Gate = gate(t, version, files, r)
		out[n] = o
		agrees(t, n, version, cc.Values, r, o)
		want := cc.DexIssuer
		if want == "" {
			want = defaultDexIssuer
		}
		// 2.2.7 has no proxy: its issuer comes from other keys the corpus
		// does not set, and the 2.2 Dex module runs the case's dexIssuer.
		if r.issuer != "" && r.issuer != want && version != "2.2.7" {
			t.Errorf("%s: chart %s renders Dex's issuer %q for the case's values, the case runs Dex with %q: make the values say it (proxy.host, oidc.issuerURI) or dexIssuer follow them", n, version, r.issuer, want)
		}
	}
	return out
}

// agrees holds pachidp's model of the chart (ChartIdentity,
// ValidateValues) to what the chart rendered for a case: the issuer,
// whether the entries reach pachd, and the license gate said as the
// enterprise-license-missing error.
func agrees(t *testing.T, name, version string, values map[string]any, r rendered, o chartOutcome) {
	t.Helper()
	target, err := pachidp.ParseTarget(version)
	if err != nil {
		t.Fatal(err)
	}
	v, err := pachidp.OpenDocument(caseDocument(t, values))
	if err != nil {
		return // pachidp cannot read the values: the root tests hold that
	}
	ci, err := v.ChartIdentity(target)
	if err != nil {
		return
	}
	if r.issuer != "" && ci.Issuer != r.issuer {
		t.Errorf("%s on chart %s: Helm renders Dex's issuer %q, pachidp says %q", name, version, r.issuer, ci.Issuer)
	}
	if ci.Connectors != r.connectors {
		t.Errorf("%s on chart %s: Helm passes the entries to pachd: %t, pachidp says %t", name, version, r.connectors, ci.Connectors)
	}
	licenseError := false
	if report, err := pachidp.ValidateValues(v, pachidp.ValidateValuesOptions{Target: target}); err == nil {
		for _, f := range report.Findings {
			licenseError = licenseError || f.Rule == pachidp.RuleEnterpriseLicenseMissing
		}
	} else {
		t.Errorf("%s on chart %s: ValidateValues: %v", name, version, err)
	}
	oidc, _ := values["oidc"].(map[string]any)
	list, _ := oidc["upstreamIDPs"].([]any)
	if want := o.Gate == "no license" && o.Render == "" && len(list) > 0; licenseError != want && !(want && ci.Mock) {
		t.Errorf("%s on chart %s: the chart's gate is %q, pachidp's enterprise-license-missing: %t", name, version, o.Gate, licenseError)
	}
}

// gate reads from the rendered objects why a case's entries do not reach
// pachd ("" when they do).
func gate(t *testing.T, version string, files map[string]string, r rendered) string {
	objs := objects(t, files)
	d, ok := objs["Deployment/pachd"]
	if !ok {
		return "no pachd"
	}
	env := map[string]string{}
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			env[e.Name] = e.Value
			if e.ValueFrom != nil {
				env[e.Name] = "<from a Secret>"
			}
		}
	}
	_, license := env["LICENSE_KEY"]
	switch {
	case env["ENTERPRISE_MEMBER"] == "true":
		return "enterprise member"
	case r.text != nil && strings.Contains(*r.text, "mockPassword"):
		return "mock IdP"
	case r.connectors:
		return ""
	case version == "2.2.7":
		// No pachyderm-bootstrap-config without a license or
		// activateEnterprise (templates/pachd/config-secret.yaml:11).
		return "no license"
	case !license:
		return "no license"
	}
	return "no connectors"
}

// clip keeps the first 200 bytes of an error, as the Dex modules do.
func clip(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
