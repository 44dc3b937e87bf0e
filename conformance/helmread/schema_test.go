package helmread

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/pachidp/pachidp"
)

// TestShapesTheChartRefuses: values whose oidc is not a mapping or whose
// oidc.upstreamIDPs is not a list are refused by Helm itself, on every
// chart version in ../shared (each has a values.schema.json with oidc
// "type": "object" and upstreamIDPs "type": "array"), before any
// template runs; pachidp's ValidateValues reports each as a wrong-type
// error with fate render-fails at the key, and never stops. Items that are
// not entries pass the schema (it has no items schema): what pachd does
// with them is in the conformance outcomes (entry-not-a-map).
func TestShapesTheChartRefuses(t *testing.T) {
	charts, _ := filepath.Glob(filepath.Join(fixtures.Dir(t), "charts", "*"))
	if len(charts) == 0 {
		t.Fatal("no charts in ../shared/fixtures/pachyderm/charts")
	}
	cases := []struct {
		name, values, path string
		refused            bool
	}{
		{"upstreamIDPs a mapping", "oidc:\n  upstreamIDPs:\n    okta: {type: oidc, id: okta, name: Okta}\n", "oidc.upstreamIDPs", true},
		{"upstreamIDPs a string", "oidc:\n  upstreamIDPs: okta\n", "oidc.upstreamIDPs", true},
		{"oidc a string", "oidc: okta\n", "oidc", true},
		{"oidc a list", "oidc: [okta]\n", "oidc", true},
		{"a null item", "oidc:\n  upstreamIDPs:\n  - ~\n", "oidc.upstreamIDPs[0]", false},
		{"a string item", "oidc:\n  upstreamIDPs:\n  - okta\n", "oidc.upstreamIDPs[0]", false},
	}
	for _, dir := range charts {
		version := filepath.Base(dir)
		if _, err := os.Stat(filepath.Join(dir, "values.schema.json")); err != nil {
			t.Errorf("chart %s has no values.schema.json: the claim in pachidp's shapeFindings does not hold", version)
			continue
		}
		c, err := loader.LoadDir(dir)
		if err != nil {
			t.Fatalf("chart %s: %v", version, err)
		}
		target, err := pachidp.ParseTarget(version)
		if err != nil {
			t.Fatalf("chart %s: %v", version, err)
		}
		for _, tc := range cases {
			vals, err := chartutil.ReadValues([]byte(tc.values))
			if err != nil {
				t.Fatal(err)
			}
			// What helm install does before rendering: coalesce with the
			// chart's defaults, then the schema check (ToRenderValues).
			_, err = chartutil.ToRenderValues(c, vals, chartutil.ReleaseOptions{Name: "pachd", Namespace: "default"}, chartutil.DefaultCapabilities)
			if refused := err != nil; refused != tc.refused {
				t.Errorf("chart %s, %s: Helm refuses = %v (%v), want %v", version, tc.name, refused, err, tc.refused)
				continue
			}
			doc, err := pachidp.OpenDocument([]byte(tc.values))
			if err != nil {
				t.Fatalf("%s: OpenDocument: %v", tc.name, err)
			}
			r, err := pachidp.ValidateValues(doc, pachidp.ValidateValuesOptions{Target: target, NoPrerequisites: true})
			if err != nil {
				t.Errorf("chart %s, %s: ValidateValues stopped: %v", version, tc.name, err)
				continue
			}
			found := false
			for _, f := range r.Findings {
				if f.Rule == "wrong-type" && f.Path == tc.path && f.Severity == pachidp.SeverityError {
					found = true
					if (f.Fate == pachidp.FateRenderFails) != tc.refused {
						t.Errorf("chart %s, %s: fate %s, Helm refuses = %v", version, tc.name, f.Fate, tc.refused)
					}
					if tc.refused && !strings.Contains(f.Message, "helm refuses to render") {
						t.Errorf("chart %s, %s: message %q does not say helm refuses", version, tc.name, f.Message)
					}
				}
			}
			if !found {
				t.Errorf("chart %s, %s: no wrong-type error at %s: %v", version, tc.name, tc.path, r.Findings)
			}
		}
	}
}
