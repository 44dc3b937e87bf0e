package pachidp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/atomicfile"
	"github.com/pachidp/pachidp/internal/fixtures"
)

// writeLayers writes the files in a temporary directory and returns their
// paths, in order.
func writeLayers(t *testing.T, files ...string) (dir string, names []string) {
	t.Helper()
	dir = t.TempDir()
	for i, text := range files {
		name := filepath.Join(dir, "l"+string(rune('0'+i))+".yaml")
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return dir, names
}

func openTestLayers(t *testing.T, defaults string, files ...string) *Layers {
	t.Helper()
	dir, names := writeLayers(t, files...)
	var opts LayersOptions
	if defaults != "" {
		dv, err := OpenDocument([]byte(defaults))
		if err != nil {
			t.Fatal(err)
		}
		opts.ChartDefaults = &Layer{Name: "chart", Values: dv}
	}
	ls, err := OpenLayerFiles(names, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Names relative to the directory, for readable origins.
	for i := range ls.layers {
		ls.layers[i].Name = strings.TrimPrefix(ls.layers[i].Name, dir+string(filepath.Separator))
	}
	return ls
}

func TestLayersLookup(t *testing.T) {
	tests := []struct {
		name     string
		defaults string
		files    []string
		path     string
		want     any
		from     string // origin, "" when absent
	}{
		{"later scalar wins", "", []string{"proxy:\n  host: a\n", "proxy:\n  host: b\n"}, "proxy.host", "b", "l1.yaml:2:3"},
		{"maps merge key by key", "", []string{"proxy:\n  host: a\n  enabled: true\n", "proxy:\n  host: b\n"}, "proxy.enabled", true, "l0.yaml:3:3"},
		{"a merged map comes from the last file setting it", "", []string{"proxy:\n  host: a\n", "x: 1\nproxy:\n  enabled: true\n"}, "proxy", map[string]any{"host": "a", "enabled": true}, "l1.yaml:2:1"},
		{"lists are replaced whole", "", []string{"l: [a, b, c]\n", "l:\n  - d\n"}, "l", []any{"d"}, "l1.yaml:1:1"},
		{"a list item is in the file of the list", "", []string{"l: [a, b, c]\n", "l:\n  - d\n"}, "l[0]", "d", "l1.yaml:2:5"},
		{"a later list item does not exist", "", []string{"l: [a, b, c]\n", "l:\n  - d\n"}, "l[1]", nil, ""},
		{"null replaces and stays without defaults", "", []string{"proxy:\n  host: a\n", "proxy:\n  host: null\n"}, "proxy.host", nil, "l1.yaml:2:3"},
		{"null deletes the chart's default", "proxy:\n  host: d\n", []string{"proxy:\n  host: a\n", "proxy:\n  host: ~\n"}, "proxy.host", nil, ""},
		{"null stays where the chart has no default", "proxy:\n  enabled: true\n", []string{"proxy:\n  host: null\n"}, "proxy.host", nil, "l0.yaml:2:3"},
		{"top-level null deletes the chart's mapping", "oidc:\n  mockIDP: true\n", []string{"oidc:\n  mockIDP: false\n", "oidc:\n"}, "oidc", nil, ""},
		{"a chart default fills in", "proxy:\n  enabled: true\n  host: \"\"\n", []string{"proxy:\n  host: a\n"}, "proxy.enabled", true, "chart:2:3"},
		{"a map replaces a scalar", "", []string{"proxy: off\n", "proxy:\n  host: a\n"}, "proxy", map[string]any{"host": "a"}, "l1.yaml:1:1"},
		{"a scalar replaces a map", "", []string{"proxy:\n  host: a\n", "proxy: off\n"}, "proxy.host", nil, ""},
		{"the user's scalar wins over the chart's map", "proxy:\n  tls:\n    enabled: true\n", []string{"proxy:\n  tls: off\n"}, "proxy.tls", false, "l0.yaml:2:3"},
		{"an empty file changes nothing", "", []string{"proxy:\n  host: a\n", "", "# comment\n"}, "proxy.host", "a", "l0.yaml:2:3"},
		{"YAML 1.1 as Helm reads it", "", []string{"proxy:\n  tls:\n    enabled: yes\n"}, "proxy.tls.enabled", true, "l0.yaml:3:5"},
		{"a JSON layer", "", []string{"proxy:\n  host: a\n", "{\"proxy\": {\"host\": \"j\"}}\n"}, "proxy.host", "j", "l1.yaml:1:12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := openTestLayers(t, tc.defaults, tc.files...)
			got, from, ok := ls.Lookup(tc.path)
			if tc.from == "" {
				if ok {
					t.Fatalf("Lookup(%q) = %#v from %s, want absent", tc.path, got, from)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%q): absent, want %#v from %s", tc.path, tc.want, tc.from)
			}
			if !reflect.DeepEqual(got, tc.want) || from.String() != tc.from {
				t.Errorf("Lookup(%q) = %#v from %s, want %#v from %s", tc.path, got, from, tc.want, tc.from)
			}
		})
	}
}

func TestLayersEditTarget(t *testing.T) {
	const idps = "oidc:\n  upstreamIDPs:\n    - {type: oidc, id: a, name: A, config: {issuer: https://a.example.com}}\n"
	tests := []struct {
		name   string
		files  []string
		choice string
		want   string // layer name, or the kind of error
		msg    string // part of the error message
	}{
		{"one file", []string{"proxy:\n  host: a\n"}, "", "l0.yaml", ""},
		{"the file that sets the list", []string{"proxy:\n  host: a\n", idps, "proxy:\n  host: b\n"}, "", "l1.yaml", ""},
		{"the last file that sets the list", []string{idps, "oidc:\n  upstreamIDPs: []\n"}, "", "l1.yaml", ""},
		{"a null list is set", []string{idps, "oidc:\n  upstreamIDPs: null\n"}, "", "l1.yaml", ""},
		{"none sets it", []string{"proxy:\n  host: a\n", "oidc:\n  mockIDP: false\n"}, "", "ambiguous", `none of the 2 values files sets it: choose the file to edit among "l0.yaml", "l1.yaml"`},
		{"oidc null after the list", []string{idps, "oidc: null\n"}, "", "ambiguous", "l0.yaml:2:3 sets it, but l1.yaml:1:1 sets oidc after it, so Helm ignores it"},
		{"a choice", []string{"proxy:\n  host: a\n", "oidc:\n  mockIDP: false\n"}, "l0.yaml", "l0.yaml", ""},
		{"a choice overridden by a later list", []string{"oidc:\n  mockIDP: false\n", idps}, "l0.yaml", "shadowed", "l1.yaml:2:3 sets oidc.upstreamIDPs after l0.yaml, so Helm would not see an edit of l0.yaml: edit l1.yaml instead"},
		{"a choice overridden by oidc: null", []string{idps, "oidc: null\n"}, "l0.yaml", "shadowed", "l1.yaml:1:1"},
		{"an unknown choice", []string{idps, "oidc: {}\n"}, "nope.yaml", "*LayerError", `nope.yaml: not one of the values files ("l0.yaml", "l1.yaml")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := openTestLayers(t, "", tc.files...)
			l, err := ls.EditTarget(tc.choice)
			got := l.Name
			var le *LayerError
			switch {
			case errors.As(err, &le) && len(le.Candidates) > 0:
				got = "ambiguous"
			case errors.As(err, &le) && le.ShadowedBy != nil:
				got = "shadowed"
			case errors.As(err, &le):
				got = "*LayerError"
			case err != nil:
				t.Fatalf("EditTarget: %v", err)
			}
			if got != tc.want {
				t.Fatalf("EditTarget(%q) = %s (%v), want %s", tc.choice, got, err, tc.want)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
		})
	}
}

// An edit through EditTarget is seen by the next Lookup, with the line of
// the new entry in the edited file.
func TestLayersEditThenLookup(t *testing.T) {
	ls := openTestLayers(t, "", "proxy:\n  host: a\n", "oidc:\n  mockIDP: false\n  upstreamIDPs: []\n")
	target, err := ls.EditTarget("")
	if err != nil {
		t.Fatal(err)
	}
	e := UpstreamIDP{ID: "okta", Name: "Okta", Type: "oidc", Config: ConnectorConfig{"issuer": "https://acme.okta.com"}}
	if err := target.Values.UpsertUpstreamIDP(e); err != nil {
		t.Fatal(err)
	}
	got, from, ok := ls.Lookup("oidc.upstreamIDPs[0].id")
	if !ok || got != "okta" || from.Name != "l1.yaml" || !from.Pos.IsValid() {
		t.Fatalf("after the edit: %v from %s (%v)", got, from, ok)
	}
	idps, from, err := ls.UpstreamIDPs()
	if err != nil || len(idps) != 1 || from.String() != "l1.yaml:3:3" {
		t.Fatalf("UpstreamIDPs: %d entries from %s, %v", len(idps), from, err)
	}
}

func TestOpenLayerFilesErrors(t *testing.T) {
	dir, names := writeLayers(t, "proxy:\n  host: a\n", "proxy:\n  host: [\n", "a: 1\n---\nb: 2\n")
	tests := []struct {
		name  string
		files []string
		is    error
		msg   string
	}{
		{"none", nil, nil, "no values file: pass at least one"},
		{"missing", []string{names[0], filepath.Join(dir, "nope.yaml")}, fs.ErrNotExist, "nope.yaml: open"},
		{"syntax", []string{names[0], names[1]}, nil, "l1.yaml: line 2: did not find expected node content"},
		{"several documents", []string{names[2]}, nil, "l2.yaml: line 2: the input holds 2 YAML documents"},
		{"stdin twice", []string{"-", names[0], "-"}, nil, "-: standard input (-) given twice: it can be read once"},
		{"a file twice", []string{names[0], names[0]}, nil, "l0.yaml: named twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenLayerFiles(tc.files, strings.NewReader("x: 1\n"), LayersOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			var le *LayerError
			if !errors.As(err, &le) {
				t.Fatalf("%T %v, want a *LayerError", err, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("%v is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
		})
	}
	var se *SyntaxError
	if _, err := OpenLayerFiles([]string{names[1]}, nil, LayersOptions{}); !errors.As(err, &se) {
		t.Errorf("a syntax error is not a *SyntaxError: %v", err)
	}
}

// Standard input is a layer like the others, once.
func TestOpenLayerFilesStdin(t *testing.T) {
	_, names := writeLayers(t, "proxy:\n  host: a\n")
	ls, err := OpenLayerFiles([]string{names[0], "-"}, strings.NewReader("proxy:\n  host: from-stdin\n"), LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, from, _ := ls.Lookup("proxy.host"); v != "from-stdin" || from.String() != "-:2:3" {
		t.Errorf("proxy.host = %v from %s", v, from)
	}
}

// The findings of the fixture layering (testdata/layers: base, prod,
// secrets), each with the file and line to change.
func TestLayersFindingsGolden(t *testing.T) {
	names := []string{"testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	var out strings.Builder
	for _, set := range [][]string{names, names[:2], {names[0], names[2]}, {names[2], names[0], names[1]}} {
		ls, err := OpenLayerFiles(set, nil, LayersOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("$ -f " + strings.Join(set, " -f ") + "\n")
		merged, err := ls.MergedValues()
		if err != nil {
			t.Fatal(err)
		}
		idps, from, err := ls.UpstreamIDPs()
		if err != nil {
			t.Fatal(err)
		}
		host, _, _ := merged.Lookup("proxy.host")
		fs := Validate(idps, ValidateOptions{ProxyHost: fmt.Sprint(host)})
		fs = append(fs, prerequisites(merged, Target{})...)
		if from.Unset() {
			out.WriteString("no entries\n")
		} else {
			out.WriteString("entries from " + from.String() + "\n")
		}
		for _, f := range ls.LocateAll(fs) {
			out.WriteString(f.Error() + " [" + string(f.Rule) + "]\n")
		}
		if target, err := ls.EditTarget(""); err != nil {
			out.WriteString("edit: " + err.Error() + "\n")
		} else {
			out.WriteString("edit: " + target.Name + "\n")
		}
		out.WriteString("\n")
	}
	golden(t, "layers/findings.golden", []byte(out.String()))
}

// The same fixture layering with Pachyderm's own chart defaults, when the
// shared fixtures are there: the keys no file sets come from the chart.
func TestLayersPachydermChartDefaults(t *testing.T) {
	data := fixtures.Read(t, "values-master.yaml")
	dv, err := OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	ls, err := OpenLayerFiles(names, nil, LayersOptions{ChartDefaults: &Layer{Name: "values-master.yaml", Values: dv}})
	if err != nil {
		t.Fatal(err)
	}
	if v, from, ok := ls.Lookup("oidc.IDTokenExpiry"); !ok || v != "24h" || !from.FromChartDefaults() || !from.Pos.IsValid() {
		t.Errorf("oidc.IDTokenExpiry = %v from %+v", v, from)
	}
	if _, from, _ := ls.Lookup("oidc.upstreamIDPs"); from.Name != names[2] {
		t.Errorf("oidc.upstreamIDPs from %s", from)
	}
}

// mergeMapsRef is Helm's mergeMaps (helm.sh/helm/v3 v3.22.0,
// pkg/cli/values/options.go:108-125), copied as the fuzz test's reference.
func mergeMapsRef(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if v, ok := v.(map[string]any); ok {
			if bv, ok := out[k]; ok {
				if bv, ok := bv.(map[string]any); ok {
					out[k] = mergeMapsRef(bv, v)
					continue
				}
			}
		}
		out[k] = v
	}
	return out
}

// mapMeetsNonMap reports whether a path holds a mapping in one tree and
// something else in another: the one case where Helm's merge is not
// associative (a scalar in the middle layer erases the first layer's map,
// unless the last layer's map is merged with the middle one first).
func mapMeetsNonMap(trees ...map[string]any) bool {
	kinds := map[string]bool{} // path -> is a map
	var walk func(v any, path string) bool
	walk = func(v any, path string) bool {
		m, isMap := v.(map[string]any)
		if k, seen := kinds[path]; seen && k != isMap {
			return true
		}
		kinds[path] = isMap
		for k, val := range m {
			if walk(val, path+"\x00"+k) {
				return true
			}
		}
		return false
	}
	for _, t := range trees {
		if walk(t, "") {
			return true
		}
	}
	return false
}

func FuzzLayersMerge(f *testing.F) {
	f.Add([]byte("proxy:\n  host: a\n  tls: {enabled: true}\n"), []byte("proxy:\n  host: null\n  tls:\n    secretName: s\n"), []byte("proxy: {tls: {enabled: false}}\noidc: {upstreamIDPs: []}\n"))
	f.Add([]byte("a: {b: 1}\n"), []byte("a: 2\n"), []byte("a: {c: 3}\n"))
	f.Add([]byte("l: [1, 2]\n"), []byte(""), []byte("l: ~\n"))
	f.Add([]byte("{\"oidc\": {\"mockIDP\": false}}"), []byte("oidc:\n  upstreamIDPs:\n    - id: x\n"), []byte("oidc: null\n"))
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		var vs []*Document
		var trees []map[string]any
		for _, data := range [][]byte{a, b, c} {
			v, err := OpenDocument(data)
			if err != nil {
				return
			}
			tree, err := v.values()
			if err != nil {
				return
			}
			m, _ := tree.(map[string]any)
			vs = append(vs, v)
			trees = append(trees, m)
		}
		layers := func(vs ...*Document) *Layers {
			ls := make([]Layer, len(vs))
			for i, v := range vs {
				ls[i] = Layer{Name: string(rune('a' + i)), Values: v}
			}
			s, err := NewLayers(ls, LayersOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		abc := layers(vs...)
		got, err := abc.Merged()
		if err != nil {
			t.Fatal(err)
		}
		// Helm's own merge.
		want := mergeMapsRef(mergeMapsRef(mergeMapsRef(map[string]any{}, trees[0]), trees[1]), trees[2])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Merged\n%#v\nHelm's mergeMaps\n%#v", got, want)
		}
		// Every leaf has an origin in a layer that holds it.
		leavesOf(got, "", func(path string, v any) {
			lv, from, ok := abc.Lookup(path)
			if !ok || !reflect.DeepEqual(lv, v) || from.Layer < 0 {
				t.Fatalf("Lookup(%q) = %#v from %+v (%v), merged has %#v", path, lv, from, ok, v)
			}
			if own, _, ok := vs[from.Layer].Lookup(path); !ok || !reflect.DeepEqual(own, v) {
				t.Fatalf("Lookup(%q) says layer %d, which holds %#v", path, from.Layer, own)
			}
		})
		// Merging step by step is the same: (a b) c as one file then c.
		ab, err := layers(vs[0], vs[1]).MergedValues()
		if err != nil {
			return // a value JSON cannot hold (NaN, ...)
		}
		if left, _ := layers(ab, vs[2]).Merged(); !reflect.DeepEqual(numbersAsFloat(left), numbersAsFloat(got)) {
			t.Fatalf("(a b) c\n%#v\na b c\n%#v", left, got)
		}
		// a (b c) is the same unless a mapping meets a non-mapping.
		if mapMeetsNonMap(trees...) {
			return
		}
		bc, err := layers(vs[1], vs[2]).MergedValues()
		if err != nil {
			return
		}
		if right, _ := layers(vs[0], bc).Merged(); !reflect.DeepEqual(numbersAsFloat(right), numbersAsFloat(got)) {
			t.Fatalf("a (b c)\n%#v\na b c\n%#v", right, got)
		}
	})
}

func leavesOf(v any, path string, f func(string, any)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		if path != "" {
			f(path, v)
		}
		return
	}
	for k, val := range m {
		leavesOf(val, joinPath(path, k), f)
	}
}

func TestLayersLookupRoot(t *testing.T) {
	ls := openTestLayers(t, "", "a: 1\n", "b: 2\n")
	v, from, ok := ls.Lookup("")
	if !ok || !reflect.DeepEqual(v, map[string]any{"a": int64(1), "b": int64(2)}) || !from.Unset() {
		t.Errorf("Lookup(\"\") = %#v from %+v (%v)", v, from, ok)
	}
}

// oidc.upstreamIDPs written as a mapping in two files is merged by Helm: no
// one file holds it, and EditTarget says so.
func TestLayersEditTargetMergedMapping(t *testing.T) {
	ls := openTestLayers(t, "", "oidc:\n  upstreamIDPs:\n    a: 1\n", "oidc:\n  upstreamIDPs:\n    b: 2\n")
	_, err := ls.EditTarget("")
	var amb *LayerError
	if !errors.As(err, &amb) || len(amb.Candidates) == 0 || len(amb.Defined) != 2 || !strings.Contains(err.Error(), "it is a mapping merged from several files (l0.yaml:2:3, l1.yaml:2:3), not a list") {
		t.Fatalf("EditTarget: %v", err)
	}
}

// docs/layers.md's layering block is ExampleLayers' output: the same calls,
// compared line by line.
func TestREADMELayersBlock(t *testing.T) {
	readme, err := os.ReadFile("docs/layers.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "(`ExampleLayers`, output as printed")
	if !ok {
		t.Fatal("docs/layers.md has no ExampleLayers block")
	}
	_, rest, _ = strings.Cut(rest, "```console\n")
	block, _, _ := strings.Cut(rest, "```")

	names := []string{"testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	ls, err := OpenLayerFiles(names, nil, LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, path := range []string{"proxy.host", "proxy.tls.secretName", "oidc.mockIDP"} {
		v, from, _ := ls.Lookup(path)
		b.WriteString(path + " = " + fmtAny(v) + " (" + from.String() + ")\n")
	}
	idps, from, err := ls.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(strconv.Itoa(len(idps)) + " entry from " + from.String() + "\n")
	merged, err := ls.MergedValues()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ := merged.Lookup("proxy.host")
	fs := Validate(idps, ValidateOptions{ProxyHost: fmt.Sprint(host)})
	fs = append(fs, prerequisites(merged, Target{})...)
	for _, f := range ls.LocateAll(fs) {
		b.WriteString(f.Error() + " [" + string(f.Rule) + "]\n")
	}
	target, err := ls.EditTarget("")
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("edit " + target.Name + "\n")
	if b.String() != block {
		t.Errorf("docs/layers.md's layering block differs from the calls' output:\n%s\nwant:\n%s", block, b.String())
	}
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	return "?"
}

// What `pachidp add --in-place -f base.yaml -f prod.yaml -f secrets.yaml`
// will do on top of Layers: edit the target layer, check the edit in the
// merged values, write the target file only.
func TestLayersEditFlow(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for _, f := range []string{"base.yaml", "prod.yaml", "secrets.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata/layers", f))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, f)
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	ls, err := OpenLayerFiles(names, nil, LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	target, err := ls.EditTarget("")
	if err != nil {
		t.Fatal(err)
	}
	old := append([]byte(nil), target.Values.Bytes()...)
	e := UpstreamIDP{ID: "keycloak", Name: "Keycloak", Type: "oidc", Config: ConnectorConfig{
		"issuer": "https://keycloak.example.com/realms/pachyderm", "clientID": "pachyderm", "clientSecret": "fake",
		"redirectURI": "https://pachyderm.prod.example.com/dex/callback"}}
	if err := target.Values.UpsertUpstreamIDP(e); err != nil {
		t.Fatal(err)
	}
	// The check sees the edit, in the merged values, with its file's lines.
	idps, from, err := ls.UpstreamIDPs()
	if err != nil || len(idps) != 2 || from.Name != names[2] {
		t.Fatalf("after the edit: %d entries from %s, %v", len(idps), from, err)
	}
	if _, from, _ := ls.Lookup("oidc.upstreamIDPs[1].config.redirectURI"); from.Name != names[2] || from.Pos.Line != 22 {
		t.Errorf("the new entry's redirectURI is at %s", from)
	}
	if err := atomicfile.ReplaceFile(target.Name, old, target.Values.Bytes()); err != nil {
		t.Fatal(err)
	}
	// Only the target file changed.
	for i, f := range []string{"base.yaml", "prod.yaml"} {
		want, _ := os.ReadFile(filepath.Join("testdata/layers", f))
		if got, _ := os.ReadFile(names[i]); string(got) != string(want) {
			t.Errorf("%s changed", f)
		}
	}
	again, err := OpenLayerFiles(names, nil, LayersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := again.Lookup("oidc.upstreamIDPs[1].id"); v != "keycloak" {
		t.Errorf("after writing: oidc.upstreamIDPs[1].id = %v", v)
	}
}

// TestOpenLayerFilesCapped: an endless standard input stops at the cap
// with ErrTooLarge inside the *LayerError, as EditFile's read does.
func TestOpenLayerFilesCapped(t *testing.T) {
	_, err := OpenLayerFiles([]string{"-"}, &endless{}, LayersOptions{})
	var le *LayerError
	if !errors.As(err, &le) || !errors.Is(err, ErrTooLarge) || le.Layer != "-" {
		t.Fatalf("err = %v (%T), want a *LayerError holding ErrTooLarge", err, err)
	}
	if !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("error %q does not name the cap", err)
	}
}
