package helmread

import (
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
)

// renderV renders `{{ toJson .Values.v }}` with Helm's own engine from a
// values file read by Helm's reader, coalesced as helm install does: what
// a template (the chart's toYaml of oidc.upstreamIDPs included) gets.
func renderV(t *testing.T, values string) (string, error) {
	t.Helper()
	vals, err := chartutil.ReadValues([]byte(values))
	if err != nil {
		return "", err
	}
	c := &chart.Chart{
		Metadata:  &chart.Metadata{Name: "claims", Version: "0.1.0", APIVersion: "v2"},
		Templates: []*chart.File{{Name: "templates/v.txt", Data: []byte(`{{ toJson .Values.v }}`)}},
	}
	rv, err := chartutil.ToRenderValues(c, vals, chartutil.ReleaseOptions{Name: "r", Namespace: "default"}, chartutil.DefaultCapabilities)
	if err != nil {
		return "", err
	}
	out, err := engine.Render(c, rv)
	if err != nil {
		return "", err
	}
	return out["claims/templates/v.txt"], nil
}

// TestHelmReadsClaims proves each claim pachidp's reader is built on by
// running Helm: the values file read by chartutil.ReadValues and handed to
// a template, whose toJson shows what the chart renders; then pachidp must
// read the same document alike (compare).
func TestHelmReadsClaims(t *testing.T) {
	claims := []struct {
		name, values, want string // want "" means Helm refuses the file
	}{
		{"0o17 is octal 15", "v: 0o17\n", "15"},
		{"0O17 too", "v: 0O17\n", "15"},
		{"0x1F is 31", "v: 0x1F\n", "31"},
		{"0X1f too", "v: 0X1f\n", "31"},
		{"012 is octal 10", "v: 012\n", "10"},
		{"0b101 is 5", "v: 0b101\n", "5"},
		{"1_000 is 1000", "v: 1_000\n", "1000"},
		{"every underscore is dropped", "v: 1__0\n", "10"},
		{"1e3 is 1000", "v: 1e3\n", "1000"},
		{"whole numbers above 2^53 are rounded", "v: 9007199254740993\n", "9007199254740992"},
		{"above 2^63: float", "v: 18446744073709551615\n", "18446744073709552000"},
		{"yes is true", "v: yes\n", "true"},
		{"on is true", "v: on\n", "true"},
		{"Off is false", "v: Off\n", "false"},
		{"y is true", "v: y\n", "true"},
		{"a timestamp stays text", "v: 2001-12-14\n", `"2001-12-14"`},
		{"1:20 stays text (no base 60)", "v: 1:20\n", `"1:20"`},
		{"~ is null", "v: ~\n", "null"},
		{"quoted stays text", "v: '0o17'\n", `"0o17"`},
		{"a tag resolves quoted text", "v: !!int '12'\n", "12"},
		{"!!binary is decoded", "v: !!binary aGk=\n", `"hi"`},
		{"an unknown tag keeps the text", "v: !foo 12\n", `"12"`},
		{"a key written twice keeps the last", "v: 1\nv: 2\n", "2"},
		{"a key yes: is \"true\"", "v: {yes: 1, 0x10: 2, 1.50: 3}\n", `{"1.5":3,"16":2,"true":1}`},
		{"a merge key overwrites the keys before it", "b: &b {x: 1, z: 2}\nv: {x: 0, <<: *b}\n", `{"x":1,"z":2}`},
		{"keys after a merge key win", "b: &b {x: 1, z: 2}\nv: {<<: *b, x: 0}\n", `{"x":0,"z":2}`},
		{"the first of a merge list wins", "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nv: {<<: [*a, *b]}\n", `{"x":1,"z":2}`},
		{"an alias is the anchored value", "a: &a [1, x]\nv: *a\n", `[1,"x"]`},
		{".inf is refused", "v: .inf\n", ""},
		{".nan is refused", "v: .nan\n", ""},
		{"a null key is refused", "v: {~: 1}\n", ""},
		{"a bad tag is refused", "v: !!int abc\n", ""},
		{"a null key overwritten later is not", "v: {~: 1}\nv: 2\n", "2"},
	}
	for _, c := range claims {
		t.Run(c.name, func(t *testing.T) {
			got, err := renderV(t, c.values)
			switch {
			case c.want == "" && err == nil:
				t.Errorf("Helm renders %s, want a refusal", got)
			case c.want != "" && err != nil:
				t.Errorf("Helm refuses: %v", err)
			case got != c.want:
				t.Errorf("Helm renders %s, want %s", got, c.want)
			}
			if d := compare([]byte(c.values)); d != "" {
				t.Errorf("pachidp differs: %s", d)
			}
		})
	}
}
