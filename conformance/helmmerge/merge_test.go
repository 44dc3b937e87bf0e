package helmmerge

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

func TestMain(m *testing.M) {
	// Helm's coalescing logs its warnings ("skipped value for ...: Not a
	// table.") with the standard logger.
	log.SetOutput(io.Discard)
	flag.Parse()
	combinations = *combinationsFlag
	os.Exit(m.Run())
}

// combinations is how many generated layer sets each test checks (half
// of it with Pachyderm's chart): go test -args -combinations=5000 for a
// longer run.
var combinations int

var combinationsFlag = flag.Int("combinations", 400, "generated layer sets per test")

// gen writes random values files whose leaves tell which file they come
// from: strings "L<layer>v<n>", integers <layer+2>777<nnn>, lists whose first
// item is such a string. Layer -1 is the chart's defaults ("D...").
type gen struct {
	r     *rand.Rand
	layer int
	n     int
}

// Keys at each depth: a small vocabulary so that layers collide.
var (
	topKeys = []string{"oidc", "proxy", "ingress", "pachd"}
	subKeys = map[string][]string{
		"oidc":    {"upstreamIDPs", "issuerURI", "mockIDP", "upstreamIDPsSecretName", "extra"},
		"proxy":   {"host", "enabled", "tls", "service"},
		"ingress": {"host", "tls", "annotations"},
		"pachd":   {"enterpriseLicenseKey", "resources", "mode"},
	}
	deepKeys = []string{"a", "b", "enabled", "secretName"}
)

func (g *gen) tag() string {
	g.n++
	if g.layer < 0 {
		return fmt.Sprintf("Dv%d", g.n)
	}
	return fmt.Sprintf("L%dv%d", g.layer, g.n)
}

// scalar returns a YAML scalar's text.
func (g *gen) scalar() string {
	switch g.r.IntN(9) {
	case 0:
		g.n++
		return strconv.Itoa((g.layer+2)*1_000_000 + 777_000 + g.n%1000)
	case 1:
		return []string{"true", "false", "yes", "no", "on", "off"}[g.r.IntN(6)]
	case 2:
		return "'" + g.tag() + "'"
	case 3:
		return `"` + g.tag() + `"`
	case 4:
		return []string{"null", "~", ""}[g.r.IntN(3)]
	case 5:
		return "1.5"
	}
	return g.tag()
}

// value writes the value of a key at the given indentation (the key's
// column); it returns the text after "key:".
func (g *gen) value(b *strings.Builder, indent, depth int, key string) {
	pad := strings.Repeat(" ", indent+2)
	choice := g.r.IntN(10)
	if depth >= 3 && choice >= 6 {
		choice = 0
	}
	switch {
	case key == "upstreamIDPs" && choice < 6:
		// A list of entries, null, or [].
		switch g.r.IntN(4) {
		case 0:
			b.WriteString(" []\n")
		case 1:
			b.WriteString(" null\n")
		default:
			b.WriteString("\n")
			for i := range 1 + g.r.IntN(2) {
				fmt.Fprintf(b, "%s- type: oidc\n%s  id: %s\n%s  name: n%d\n%s  config:\n%s    issuer: https://%s.example.com/\n",
					pad, pad, g.tag(), pad, i, pad, pad, strings.ToLower(g.tag()))
			}
		}
	case choice < 4:
		b.WriteString(" " + g.scalar() + "\n")
	case choice == 4:
		// A list of scalars, block or flow.
		if g.r.IntN(2) == 0 {
			fmt.Fprintf(b, " [%s, %s]\n", g.tag(), g.scalar())
		} else {
			fmt.Fprintf(b, "\n%s- %s\n%s- %s\n", pad, g.tag(), pad, g.scalar())
		}
	case choice == 5:
		if g.r.IntN(2) == 0 {
			b.WriteString(" {}\n")
		} else {
			fmt.Fprintf(b, " {%s: %s}\n", deepKeys[g.r.IntN(len(deepKeys))], g.tag())
		}
	default:
		b.WriteString("\n")
		g.mapping(b, indent+2, depth+1, key)
	}
}

// mapping writes a block mapping of one to three keys.
func (g *gen) mapping(b *strings.Builder, indent, depth int, parent string) {
	keys := deepKeys
	switch {
	case depth == 0 && parent == "no-oidc":
		keys = topKeys[1:]
	case depth == 0:
		keys = topKeys
	case subKeys[parent] != nil && depth == 1:
		keys = subKeys[parent]
	}
	n := 1 + g.r.IntN(min(3, len(keys)))
	perm := g.r.Perm(len(keys))[:n]
	if parent == "oidc" && depth == 1 && !slices.Contains(perm, 0) && g.r.IntN(2) == 0 {
		perm = append(perm, 0) // upstreamIDPs, more often
	}
	sort.Ints(perm)
	for _, i := range perm {
		fmt.Fprintf(b, "%s%s:", strings.Repeat(" ", indent), keys[i])
		g.value(b, indent, depth, keys[i])
	}
}

func (g *gen) file(layer int) string {
	g.layer, g.n = layer, 0
	var b strings.Builder
	switch g.r.IntN(12) {
	case 0:
		return "" // an empty file
	case 1:
		b.WriteString("# only a comment\n")
		return b.String()
	case 2:
		// oidc deleted (or kept null), the rest set.
		b.WriteString("oidc: null\n")
		g.mapping(&b, 0, 0, "no-oidc")
		return b.String()
	}
	g.mapping(&b, 0, 0, "")
	return b.String()
}

// numbersAsFloat turns pachidp's int64 into Helm's float64 (sigs.k8s.io/yaml
// reads through JSON).
func numbersAsFloat(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = numbersAsFloat(val)
		}
		return out
	case chartutil.Values:
		return numbersAsFloat(map[string]any(x))
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = numbersAsFloat(val)
		}
		return out
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return v
}

// layerOf reads the tag of a leaf: the layer it comes from, or false for a
// leaf without a tag (bool, null, 1.5, {}).
func layerOf(v any) (int, bool) {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "D") {
			return -1, true // Origin.Layer of the chart's values.yaml (Origin.FromChartDefaults)
		}
		if strings.HasPrefix(x, "L") {
			i := strings.IndexByte(x, 'v')
			n, err := strconv.Atoi(x[1:i])
			return n, err == nil
		}
	case float64:
		if i := int(x); x == float64(i) && i >= 1_000_000 && i%1_000_000/1000 == 777 {
			return i/1_000_000 - 2, true
		}
	case []any:
		if len(x) > 0 {
			return layerOf(x[0])
		}
	}
	return 0, false
}

// leaves calls f for every path of the tree whose value is not a non-empty
// mapping, with pachidp's path syntax.
func leaves(v any, path string, f func(path string, v any)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		if path != "" {
			f(path, v)
		}
		return
	}
	for k, val := range m {
		p := k
		if path != "" {
			p = path + "." + k
		}
		leaves(val, p, f)
	}
}

type set struct {
	dir     string
	names   []string // file paths, in -f order
	texts   []string
	stdin   int // index of the layer given as "-", or -1
	helmArg []string
}

func writeSet(t *testing.T, g *gen, n int, withStdin bool) set {
	dir := t.TempDir()
	s := set{dir: dir, stdin: -1}
	if withStdin {
		s.stdin = g.r.IntN(n)
	}
	for i := range n {
		text := g.file(i)
		name := filepath.Join(dir, fmt.Sprintf("layer%d.yaml", i))
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		s.texts = append(s.texts, text)
		s.names = append(s.names, name)
		if i == s.stdin {
			s.helmArg = append(s.helmArg, "-")
		} else {
			s.helmArg = append(s.helmArg, name)
		}
	}
	return s
}

// helmMerge runs Helm's -f merging on the set, with standard input the
// stdin layer's file.
func helmMerge(t *testing.T, s set) (map[string]any, error) {
	if s.stdin >= 0 {
		f, err := os.Open(s.names[s.stdin])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		old := os.Stdin
		os.Stdin = f
		defer func() { os.Stdin = old }()
	}
	opts := values.Options{ValueFiles: s.helmArg}
	return opts.MergeValues(getter.Providers{})
}

func pachidpLayers(t *testing.T, s set, opts pachidp.LayersOptions) (*pachidp.Layers, error) {
	var stdin *os.File
	if s.stdin >= 0 {
		f, err := os.Open(s.names[s.stdin])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		stdin = f
	}
	return pachidp.OpenLayerFiles(s.helmArg, stdin, opts)
}

// checkOrigins checks that Lookup names, for every tagged leaf of Helm's
// result, the layer the tag says, and a position in that file where the
// key (or list) is written.
func checkOrigins(t *testing.T, label string, ls *pachidp.Layers, s set, defaults string, helm map[string]any) int {
	t.Helper()
	checked := 0
	leaves(helm, "", func(path string, want any) {
		got, from, ok := ls.Lookup(path)
		if !ok {
			t.Errorf("%s: %s: Helm has %v, pachidp Lookup has nothing", label, path, want)
			return
		}
		if !reflect.DeepEqual(numbersAsFloat(got), want) {
			t.Errorf("%s: %s: Lookup gives %#v, Helm %#v", label, path, got, want)
		}
		layer, tagged := layerOf(want)
		if !tagged {
			return
		}
		if from.Layer != layer {
			t.Errorf("%s: %s = %v: Lookup says it comes from layer %d (%s), its tag says layer %d", label, path, want, from.Layer, from, layer)
			return
		}
		text := defaults
		if layer >= 0 {
			text = s.texts[layer]
		}
		lines := strings.Split(text, "\n")
		key := path[strings.LastIndexByte(path, '.')+1:]
		if !from.Pos.IsValid() || from.Pos.Line > len(lines) || from.Pos.Column-1 > len(lines[from.Pos.Line-1]) ||
			!strings.HasPrefix(lines[from.Pos.Line-1][from.Pos.Column-1:], key+":") {
			t.Errorf("%s: %s: Lookup's position %s is not where the key %q is written in\n%s", label, path, from, key, text)
			return
		}
		checked++
	})
	return checked
}

func describe(s set) string {
	var b strings.Builder
	for i, t := range s.texts {
		fmt.Fprintf(&b, "--- -f %s\n%s", s.helmArg[i], t)
	}
	return b.String()
}

// TestMergeValues: pachidp's Layers without chart defaults equals Helm's
// values.Options.MergeValues, what `helm install -f ... -f ...` passes to
// the chart (and `helm get values` shows).
func TestMergeValues(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(10, 1))}
	leavesChecked, stdinSets, targets, mergedLists, ambiguous := 0, 0, 0, 0, 0
	for c := range combinations {
		withStdin := c%5 == 0
		s := writeSet(t, g, 2+g.r.IntN(3), withStdin)
		label := fmt.Sprintf("combination %d", c)
		helm, err := helmMerge(t, s)
		if err != nil {
			t.Fatalf("%s: Helm: %v\n%s", label, err, describe(s))
		}
		ls, err := pachidpLayers(t, s, pachidp.LayersOptions{})
		if err != nil {
			t.Fatalf("%s: pachidp: %v\n%s", label, err, describe(s))
		}
		if withStdin {
			stdinSets++
		}
		got, err := ls.Merged()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(numbersAsFloat(got), helm) {
			t.Fatalf("%s: pachidp merged\n%#v\nHelm merged\n%#v\n%s", label, got, helm, describe(s))
		}
		leavesChecked += checkOrigins(t, label, ls, s, "", helm)
		// The edit target holds the list Helm uses; without one, several
		// files leave the choice to the caller.
		o, _ := helm["oidc"].(map[string]any)
		list, hasList := o["upstreamIDPs"]
		target, err := ls.EditTarget("")
		var amb *pachidp.LayerError
		_, isMap := list.(map[string]any)
		switch {
		case !hasList && errors.As(err, &amb) && len(amb.Candidates) > 0:
			ambiguous++
		case !hasList:
			t.Errorf("%s: Helm has no oidc.upstreamIDPs, EditTarget: %s, %v, want a *LayerError with Candidates", label, target.Name, err)
		case errors.As(err, &amb) && len(amb.Candidates) > 0 && isMap && len(amb.Defined) > 1:
			mergedLists++ // a mapping merged from several files: no one file to edit
		case err != nil:
			t.Errorf("%s: Helm uses oidc.upstreamIDPs, EditTarget: %v", label, err)
		default:
			if own, _, _ := target.Values.Lookup("oidc.upstreamIDPs"); !reflect.DeepEqual(numbersAsFloat(own), list) {
				t.Errorf("%s: EditTarget %s holds %#v, Helm uses %#v", label, target.Name, own, list)
			} else {
				targets++
			}
		}
		if t.Failed() {
			t.Fatalf("%s\n%s", label, describe(s))
		}
	}
	t.Logf("%d layer sets (%d with -f -), %d leaf origins checked against Helm's MergeValues, %d edit targets holding Helm's oidc.upstreamIDPs, %d refused as a mapping merged from several files, %d without the list left to the caller", combinations, stdinSets, leavesChecked, targets, mergedLists, ambiguous)
}

// TestCoalesceSmallChart: with a generated chart's values.yaml as
// LayersOptions.ChartDefaults, pachidp equals Helm's MergeValues followed by
// chartutil.CoalesceValues, the values the chart's templates see.
func TestCoalesceSmallChart(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(10, 2))}
	leavesChecked, deleted := 0, 0
	for c := range combinations {
		s := writeSet(t, g, 2+g.r.IntN(3), false)
		defaults := g.file(-1)
		dpath := filepath.Join(s.dir, "chart-values.yaml")
		if err := os.WriteFile(dpath, []byte(defaults), 0o600); err != nil {
			t.Fatal(err)
		}
		label := fmt.Sprintf("combination %d", c)
		dvals, err := chartutil.ReadValuesFile(dpath)
		if err != nil {
			t.Fatalf("%s: Helm reads the defaults: %v", label, err)
		}
		ch := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "small", Version: "0.1.0"}, Values: dvals}
		merged, err := helmMerge(t, s)
		if err != nil {
			t.Fatalf("%s: Helm: %v", label, err)
		}
		helm, err := chartutil.CoalesceValues(ch, merged)
		if err != nil {
			t.Fatalf("%s: Helm coalesces: %v", label, err)
		}
		dv, err := pachidp.OpenDocument([]byte(defaults))
		if err != nil {
			t.Fatal(err)
		}
		ls, err := pachidpLayers(t, s, pachidp.LayersOptions{ChartDefaults: &pachidp.Layer{Name: "chart-values.yaml", Values: dv}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ls.Merged()
		if err != nil {
			t.Fatal(err)
		}
		want := numbersAsFloat(helm).(map[string]any)
		if !reflect.DeepEqual(numbersAsFloat(got), want) {
			t.Fatalf("%s: pachidp\n%#v\nHelm\n%#v\n--- chart defaults\n%s%s", label, got, want, defaults, describe(s))
		}
		leavesChecked += checkOrigins(t, label, ls, s, defaults, want)
		leaves(numbersAsFloat(merged), "", func(path string, v any) {
			if v == nil {
				if _, _, ok := ls.Lookup(path); !ok {
					deleted++
				}
			}
		})
		if t.Failed() {
			t.Fatalf("%s\n--- chart defaults\n%s%s", label, defaults, describe(s))
		}
	}
	t.Logf("%d layer sets with chart defaults, %d leaf origins checked against Helm's CoalesceValues, %d nulls that deleted a chart default", combinations, leavesChecked, deleted)
}

// chartDir finds Pachyderm's chart among the shared fixtures.
func chartDir(t *testing.T) string {
	for _, d := range []string{os.Getenv("PACHIDP_FIXTURES"), "../../../shared/fixtures/pachyderm", "../../../../shared/fixtures/pachyderm", "../../../../../shared/fixtures/pachyderm"} {
		if d == "" {
			continue
		}
		p := filepath.Join(d, "charts", "master")
		if _, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" { // CI must check them, not skip
		t.Fatal("Pachyderm's chart (../shared/fixtures/pachyderm/charts/master next to the repository) is absent")
	}
	t.Skip("Pachyderm's chart (../shared/fixtures/pachyderm/charts/master next to the repository) is absent")
	return ""
}

// TestCoalescePachydermChart: the same with the real Pachyderm chart
// (master) loaded by Helm's loader, its sub-charts included; the keys of the
// sub-charts and globals, which pachidp does not model, are left out of the
// comparison.
func TestCoalescePachydermChart(t *testing.T) {
	dir := chartDir(t)
	ch, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dv, err := pachidp.OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{chartutil.GlobalKey: true}
	for _, sub := range ch.Dependencies() {
		skip[sub.Name()] = true
	}
	g := &gen{r: rand.New(rand.NewPCG(10, 3))}
	n := combinations / 2
	for c := range n {
		s := writeSet(t, g, 2+g.r.IntN(3), c%7 == 0)
		label := fmt.Sprintf("combination %d", c)
		merged, err := helmMerge(t, s)
		if err != nil {
			t.Fatal(err)
		}
		helm, err := chartutil.CoalesceValues(ch, merged)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := pachidpLayers(t, s, pachidp.LayersOptions{ChartDefaults: &pachidp.Layer{Name: "pachyderm/values.yaml", Values: dv}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ls.Merged()
		if err != nil {
			t.Fatal(err)
		}
		want := numbersAsFloat(helm).(map[string]any)
		for k := range skip {
			delete(want, k)
			delete(got, k)
		}
		if !reflect.DeepEqual(numbersAsFloat(got), want) {
			for k := range want {
				if !reflect.DeepEqual(numbersAsFloat(got[k]), want[k]) {
					t.Errorf("%s: key %s: pachidp\n%#v\nHelm\n%#v", label, k, got[k], want[k])
				}
			}
			t.Fatalf("%s\n%s", label, describe(s))
		}
		for _, top := range topKeys {
			if v, ok := want[top]; ok {
				checkOrigins(t, label, ls, s, string(data), map[string]any{top: v})
			}
		}
		if t.Failed() {
			t.Fatalf("%s\n%s", label, describe(s))
		}
	}
	t.Logf("%d layer sets coalesced with the Pachyderm chart (master)", n)
}
