package helmread

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"

	yaml2 "go.yaml.in/yaml/v2"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/pachidp/pachidp"
)

// helmRead is Helm's reader: what `helm install -f FILE` does with a
// values file (pkg/cli/values and chartutil both call sigs.k8s.io/yaml's
// Unmarshal into a map).
func helmRead(data []byte) (map[string]any, error) {
	v, err := chartutil.ReadValues(data)
	if err != nil {
		return nil, err
	}
	return map[string]any(v), nil
}

// pachidpRead is pachidp's reader. Helm reads the first document of a YAML
// stream; pachidp refuses a stream in OpenDocument and reads one with
// OpenDocumentWith, so the first document is compared.
func pachidpRead(data []byte) (map[string]any, error) {
	doc, err := pachidp.OpenDocument(data)
	var se *pachidp.SyntaxError
	if errors.As(err, &se) && se.Documents > 1 {
		doc, err = pachidp.OpenDocumentWith(data, pachidp.FileOptions{Document: new(0)})
	}
	if err != nil {
		return nil, err
	}
	return doc.Values()
}

// asHelm turns pachidp's numbers into what Helm's templates get: every
// number is a float64 after Helm's trip through encoding/json.
func asHelm(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = asHelm(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = asHelm(val)
		}
		return out
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case uint64:
		return float64(x)
	}
	return v
}

// firstDiff returns the path of the first difference between two trees, or
// "" when they are equal.
func firstDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: pachidp %T, helm %T", path, a, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			xv, xok := x[k]
			yv, yok := y[k]
			if xok != yok {
				return fmt.Sprintf("%s.%q: pachidp has=%v, helm has=%v", path, k, xok, yok)
			}
			if d := firstDiff(path+"."+fmt.Sprintf("%q", k), xv, yv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: pachidp %#v, helm %#v", path, a, b)
		}
		for i := range x {
			if d := firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	case float64:
		if y, ok := b.(float64); ok && (x == y || math.IsNaN(x) && math.IsNaN(y)) {
			return ""
		}
	}
	if reflect.DeepEqual(a, b) {
		return ""
	}
	return fmt.Sprintf("%s: pachidp %#v (%T), helm %#v (%T)", path, a, a, b, b)
}

// ambiguous reports whether Helm's result for the document is not
// determined: two keys of one mapping that are different YAML values with
// the same text (1 and "1") land on one JSON key in sigs.k8s.io/yaml's
// convertToJSONableObject, which walks a Go map, so which value stays
// differs from run to run.
func ambiguous(data []byte) bool {
	var v any
	if err := yaml2.Unmarshal(data, &v); err != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case map[any]any:
			seen := map[string]bool{}
			for k, val := range x {
				s := fmt.Sprint(k)
				if f, ok := k.(float64); ok {
					// sigs.k8s.io/yaml's text of a float key
					s = strconv.FormatFloat(f, 'g', -1, 32)
					if t, ok := map[string]string{"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}[strconv.FormatFloat(f, 'g', -1, 32)]; ok {
						s = t
					}
				}
				if seen[s] {
					return true
				}
				seen[s] = true
				if walk(val) {
					return true
				}
			}
		case []any:
			for _, val := range x {
				if walk(val) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// compare reads data with both readers and returns what differs, or "".
func compare(data []byte) string {
	if ambiguous(data) {
		return ""
	}
	hv, herr := helmRead(data)
	if herr == nil && isManifest(hv) {
		return compareManifest(data, hv)
	}
	pv, perr := pachidpRead(data)
	switch {
	case herr != nil && perr != nil:
		return ""
	case herr != nil:
		return fmt.Sprintf("helm refuses the document (%v), pachidp reads it", herr)
	case perr != nil:
		return fmt.Sprintf("pachidp refuses the document (%v), helm reads it", perr)
	}
	return firstDiff("", asHelm(pv), hv)
}

// isManifest reports a Kubernetes manifest as pachidp's values_manifest.go tells
// one (apiVersion and kind, or a kustomization's helmCharts): not a values
// file, but a file that may hold some.
func isManifest(v map[string]any) bool {
	_, av := v["apiVersion"].(string)
	_, k := v["kind"].(string)
	_, hc := v["helmCharts"].([]any)
	return av && k || hc
}

// compareManifest compares the values pachidp reads inside a manifest with
// Helm's reading of the same values: the tree at the manifest's values
// path, or, for a values string (Argo CD's helm.values), Helm's reading of
// that string, as the tool hands it to Helm. A manifest of no Pachyderm
// values holds nothing to compare; Helm reads only the first document of
// a stream, so a manifest in a later one is compared by pachidp's tests
// alone.
func compareManifest(data []byte, hv map[string]any) string {
	doc, err := pachidp.OpenDocument(data)
	if err != nil || doc.Manifest() == nil || doc.Manifest().Document != 0 {
		return ""
	}
	var inner any = hv
	for _, seg := range strings.Split(doc.Manifest().ValuesPath, ".") {
		key, index, _ := strings.Cut(seg, "[")
		m, _ := inner.(map[string]any)
		inner = m[key]
		if index != "" {
			i, _ := strconv.Atoi(strings.TrimSuffix(index, "]"))
			l, _ := inner.([]any)
			if i >= len(l) {
				return fmt.Sprintf("no %s in Helm's reading", doc.Manifest().ValuesPath)
			}
			inner = l[i]
		}
	}
	if s, ok := inner.(string); ok {
		v, err := helmRead([]byte(s))
		if err != nil {
			return fmt.Sprintf("helm refuses the values string at %s (%v)", doc.Manifest().ValuesPath, err)
		}
		inner = v
	}
	if inner == nil {
		inner = map[string]any{}
	}
	pv, err := doc.Values()
	if err != nil {
		return fmt.Sprintf("pachidp refuses the values at %s (%v)", doc.Manifest().ValuesPath, err)
	}
	return firstDiff("", asHelm(pv), inner)
}

// corpusFiles lists the YAML files the comparison reads: the conformance
// corpus, every YAML file of the library's and the command's test data,
// and Pachyderm's own values files (its charts' values.yaml included).
func corpusFiles(t *testing.T) []string {
	var files []string
	for _, root := range []string{"../corpus", "../../testdata", "../../cmd/pachidp/testdata", "../../examples"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	// Pachyderm's own values files and its charts' (internal/fixtures:
	// $PACHIDP_FIXTURES or ../shared; a failure in CI when missing).
	pach := fixtures.Dir(t)
	vals, _ := filepath.Glob(filepath.Join(pach, "values-*.yaml"))
	charts, _ := filepath.Glob(filepath.Join(pach, "charts", "*", "values.yaml"))
	if len(vals) == 0 || len(charts) == 0 {
		t.Fatalf("no Pachyderm values files under %s", pach)
	}
	files = append(append(files, vals...), charts...)
	return files
}

// TestCorpusReadsAsHelm: every YAML file the project has reads the same
// with pachidp and with Helm.
func TestCorpusReadsAsHelm(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < 200 {
		t.Fatalf("only %d files found: the corpus moved?", len(files))
	}
	read, manifests := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if d := compare(data); d != "" {
			t.Errorf("%s: %s", f, d)
		}
		if hv, err := helmRead(data); err == nil {
			read++
			if doc, err := pachidp.OpenDocument(data); isManifest(hv) && err == nil && doc.Manifest() != nil && doc.Manifest().Document == 0 {
				manifests++
			}
		}
	}
	t.Logf("%d files, %d of them values Helm reads, %d manifests compared at their values path", len(files), read, manifests)
	if manifests < 5 {
		t.Errorf("only %d manifests compared: the manifests of testdata/manifests moved?", manifests)
	}
}
