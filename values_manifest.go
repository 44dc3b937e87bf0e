package pachidp

// Values inside manifests: which Kubernetes manifests hold Pachyderm's Helm
// values, where, and which release is Pachyderm's. The machinery that edits
// a document written inside another is internal/textedit's (Embedded); this
// file knows the manifest kinds.

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pachidp/pachidp/internal/textedit"
)

// chartName is the name of Pachyderm's Helm chart: the release of a
// manifest whose chart has this name holds Pachyderm's values.
const chartName = "pachyderm"

// Manifest says where OpenDocument found the values when its input is not
// a plain values file: a Kubernetes manifest (an Argo CD Application or
// ApplicationSet, a Flux HelmRelease, a Kustomize kustomization.yaml with
// helmCharts) or the output of `helm get values`. The Document's edits
// change the values there and nothing else of the input, and its
// positions are lines and columns of the input.
type Manifest struct {
	// Kind is the manifest's kind: "Application", "ApplicationSet",
	// "HelmRelease", "Kustomization", or "helm get values".
	Kind string `json:"kind"`
	// Name is the release: the Argo CD Application's name (for an
	// ApplicationSet, its template's), the HelmRelease's name, the
	// helmCharts entry's releaseName. FileOptions.Release chooses by it.
	Name string `json:"name,omitempty"`
	// Chart and Version are the chart's name and version as the manifest
	// writes them (Argo CD's chart and targetRevision, Flux's
	// spec.chart.spec.chart and version, Kustomize's name and version);
	// Version may be a range such as "2.11.x", or "" (see Target).
	Chart   string `json:"chart,omitempty"`
	Version string `json:"version,omitempty"`
	// ValuesPath is the path of the values in the manifest, such as
	// "spec.source.helm.valuesObject"; Pos is the position of its key (or
	// of the release when the key is absent).
	ValuesPath string   `json:"valuesPath"`
	Pos        Position `json:"position"`
	// Document is the index of the manifest's document in the input.
	Document int `json:"document"`
	// ValuesFile is Kustomize's helmCharts[].valuesFile, a path relative to
	// the kustomization: a layer under the inline values (OpenLayerFiles
	// reads it so).
	ValuesFile string `json:"valuesFile,omitempty"`
	// Findings are warnings about the manifest itself: values it holds that
	// Helm never sees, values it takes from elsewhere (Flux's valuesFrom).
	// ValidateValues reports them.
	Findings Findings `json:"findings,omitempty"`
}

// Target returns the release pachidp checks the values for when the
// manifest gives the chart's version: an exact version, or a range that
// stays within one release line ("2.11.x", "~2.11.0", ">=2.11.0 <2.12.0").
// A range that spans several lines, or no version at all, is an error
// saying so.
func (m *Manifest) Target() (Target, error) {
	if m == nil || strings.TrimSpace(m.Version) == "" {
		return Target{}, fmt.Errorf("the manifest gives no chart version")
	}
	lo, hi, err := versionRange(m.Version)
	if err != nil {
		return Target{}, err
	}
	if hi.major == inf {
		return Target{}, fmt.Errorf("chart version %q has no upper bound, so it spans release lines: pass the version the cluster runs", m.Version)
	}
	a, errA := ParseTarget(lo.String())
	b, errB := ParseTarget(hi.String())
	switch {
	case errA != nil && errB != nil:
		return Target{}, errA
	case errA != nil || errB != nil || a.line != b.line:
		from, to := lo.String(), hi.String()
		if errA == nil {
			from = a.Name()
		}
		if errB == nil {
			to = b.Name()
		}
		return Target{}, fmt.Errorf("chart version %q spans release lines (%s to %s): pass the version the cluster runs", m.Version, from, to)
	}
	return a, nil
}

// inf is "any" in a version part: the release lines end at x.y.999.
const inf = 999

var (
	versionToken = regexp.MustCompile(`^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	rangeSplit   = regexp.MustCompile(`\s*,\s*|\s+`)
)

// versionRange reads a chart version as Helm's semver constraints write it
// (Masterminds/semver: "2.11.6", "2.11.x", "~2.11", "^2.11.0", ">=2.11.0
// <2.12.0", conjunctions only) into its lowest and highest version.
func versionRange(s string) (lo, hi semver, err error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("chart version %q is neither a version nor a range pachidp reads: pass the version the cluster runs", s)
	if strings.Contains(s, "||") {
		return lo, hi, fmt.Errorf("chart version %q allows several ranges: pass the version the cluster runs", s)
	}
	lo, hi = semver{}, semver{inf, 0, 0, ""}
	// "1.2 - 1.4" is a hyphen range.
	s = regexp.MustCompile(`\s+-\s+`).ReplaceAllString(s, " - ")
	parts := rangeSplit.Split(s, -1)
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p == "" {
			continue
		}
		if i+2 < len(parts) && parts[i+1] == "-" {
			a, _, ok := bounds(p)
			_, b, ok2 := bounds(parts[i+2])
			if !ok || !ok2 {
				return lo, hi, bad
			}
			lo, hi = maxV(lo, a), minV(hi, b)
			i += 2
			continue
		}
		op := ""
		for _, o := range []string{">=", "<=", "!=", ">", "<", "=", "~>", "~", "^"} {
			if strings.HasPrefix(p, o) {
				op, p = o, strings.TrimSpace(p[len(o):])
				break
			}
		}
		if p == "" && i+1 < len(parts) { // "~ 2.11"
			i++
			p = parts[i]
		}
		if p == "*" || p == "x" || p == "X" {
			continue
		}
		a, b, ok := bounds(p)
		if !ok {
			return lo, hi, bad
		}
		switch op {
		case "", "=":
			lo, hi = maxV(lo, a), minV(hi, b)
		case ">=":
			lo = maxV(lo, a)
		case ">":
			lo = maxV(lo, semver{b.major, b.minor, b.patch + 1, ""})
		case "<=":
			hi = minV(hi, b)
		case "<":
			if a.patch > 0 {
				hi = minV(hi, semver{a.major, a.minor, a.patch - 1, ""})
			} else if a.minor > 0 {
				hi = minV(hi, semver{a.major, a.minor - 1, inf, ""})
			} else if a.major > 0 {
				hi = minV(hi, semver{a.major - 1, inf, inf, ""})
			} else {
				return lo, hi, bad
			}
		case "~", "~>":
			lo = maxV(lo, a)
			hi = minV(hi, semver{a.major, a.minor, inf, ""})
			if strings.Count(strings.TrimPrefix(p, "v"), ".") == 0 {
				hi = minV(hi, semver{a.major, inf, inf, ""})
			}
		case "^":
			lo = maxV(lo, a)
			hi = minV(hi, semver{a.major, inf, inf, ""})
		case "!=":
		}
	}
	if hi.less(lo) {
		return lo, hi, fmt.Errorf("chart version %q allows no version", s)
	}
	return lo, hi, nil
}

// bounds reads one version of a constraint: its lowest and highest
// version ("2.11" and "2.11.x" are 2.11.0 to 2.11.*).
func bounds(p string) (lo, hi semver, ok bool) {
	m := versionToken.FindStringSubmatch(p)
	if m == nil {
		return lo, hi, false
	}
	num := func(s string) (int, bool) {
		if s == "" || s == "x" || s == "X" || s == "*" {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	major, _ := num(m[1])
	minor, hasMinor := num(m[2])
	patch, hasPatch := num(m[3])
	pre := strings.TrimPrefix(m[4], "-")
	lo = semver{major, minor, patch, pre}
	switch {
	case !hasMinor:
		lo, hi = semver{major, 0, 0, ""}, semver{major, inf, inf, ""}
	case !hasPatch:
		lo, hi = semver{major, minor, 0, ""}, semver{major, minor, inf, ""}
	default:
		hi = lo
	}
	return lo, hi, true
}

func maxV(a, b semver) semver {
	if a.less(b) {
		return b
	}
	return a
}

func minV(a, b semver) semver {
	if a.less(b) {
		return a
	}
	return b
}

// Manifest returns where the values were found when the input is a
// Kubernetes manifest or `helm get values` output, or nil for a plain
// values file. The result is a copy.
func (v *Document) Manifest() *Manifest {
	if v == nil || v.man == nil {
		return nil
	}
	m := *v.man
	m.Findings = slices.Clone(m.Findings)
	return &m
}

// OpenDocumentWith is OpenDocument with the choices of FileOptions:
// opts.Document reads document *opts.Document (0-based) of a YAML stream of
// several documents separated by "---" (edits change that document only and
// Bytes returns the whole stream), and opts.Release chooses among several
// Pachyderm releases of a manifest. The other fields are EditFile's.
func OpenDocumentWith(data []byte, opts FileOptions) (*Document, error) {
	if opts.Document != nil {
		if *opts.Document < 0 {
			return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: pass 0 or more", *opts.Document)}
		}
		return openDocument(data, *opts.Document, opts.Release)
	}
	return openDocument(data, -1, opts.Release)
}

// helmGetValuesHeaders are the lines `helm get values` prints above the
// values in its default (table) output: helm v3.22.0
// cmd/helm/get_values.go:83-90 (valuesWriter.WriteTable).
var helmGetValuesHeaders = []string{"USER-SUPPLIED VALUES:", "COMPUTED VALUES:"}

// openDocument opens a values document, a manifest holding one, or `helm
// get values` output: document index of a stream (-1: the only one, or the
// only manifest holding Pachyderm's values), release choosing among
// several releases.
func openDocument(data []byte, index int, release string) (*Document, error) {
	for _, h := range helmGetValuesHeaders {
		rest, ok := bytes.CutPrefix(data, []byte(h))
		if ok && (bytes.HasPrefix(rest, []byte("\n")) || bytes.HasPrefix(rest, []byte("\r\n"))) {
			emb, err := textedit.EmbedBelow(data, 1)
			if err != nil {
				return nil, err
			}
			return &Document{doc: emb.Inner, emb: emb, man: &Manifest{Kind: "helm get values", ValuesPath: ""}}, nil
		}
	}
	first := max(index, 0)
	d, err := textedit.Open(bytes.Clone(data), first)
	if err != nil {
		return nil, err
	}
	n, pos := d.Documents()
	if index < 0 && n <= 1 || index >= 0 {
		kube, err := isKubernetesDoc(d)
		if err != nil {
			return nil, err
		}
		if !kube {
			if index < 0 && release != "" {
				return nil, &SyntaxError{Msg: fmt.Sprintf("release %q: the input is a values file, not a manifest holding releases", release)}
			}
			return &Document{doc: d}, nil
		}
		return openManifest(d, []int{first}, release)
	}
	// A stream: the documents that are manifests.
	var docs []int
	for i := range n {
		di, err := d.Select(i)
		if err != nil {
			return nil, err
		}
		if kube, err := isKubernetesDoc(di); err == nil && kube {
			docs = append(docs, i)
		}
	}
	if len(docs) == 0 {
		return nil, &SyntaxError{Pos: pos, Documents: n,
			Msg: fmt.Sprintf("the input holds %d YAML documents: pick one (FileOptions.Document, with OpenDocumentWith or EditFile)", n)}
	}
	return openManifest(d, docs, release)
}

// isKubernetesDoc is isKubernetes reading the three keys alone (a values
// file is not read whole to open it).
func isKubernetesDoc(d *textedit.Doc) (bool, error) {
	root := map[string]any{}
	for _, k := range []string{"apiVersion", "kind", "helmCharts"} {
		v, err := d.TopValue(k)
		if err != nil {
			// A mapping Helm's reader refuses (a null key) is read as
			// values, and its refusal is a finding (values-unreadable).
			return false, nil
		}
		root[k] = v
	}
	return isKubernetes(root), nil
}

// isKubernetes reports a Kubernetes manifest: apiVersion and kind, or a
// kustomization.yaml, which may leave both out (helmCharts says what it is).
func isKubernetes(root any) bool {
	m, ok := root.(map[string]any)
	if !ok {
		return false
	}
	_, av := m["apiVersion"].(string)
	_, k := m["kind"].(string)
	_, hc := m["helmCharts"].([]any)
	return av && k || hc
}

// release is a chart a manifest installs, and where its values are.
type release struct {
	man  Manifest
	path []any
	// under are values merged under these ones that pachidp cannot read
	// (Flux's valuesFrom, Argo CD's valueFiles): their path and position.
	under []underValues
}

type underValues struct {
	path string
	pos  Position
	what string // "a valuesFrom reference", "helm.valueFiles"
}

// openManifest finds the releases of the documents docs and opens the
// values of the one that is Pachyderm's.
func openManifest(stream *textedit.Doc, docs []int, choice string) (*Document, error) {
	var all []release
	var kinds []string
	for _, i := range docs {
		d, err := stream.Select(i)
		if err != nil {
			return nil, err
		}
		root, err := d.Value()
		if err != nil {
			return nil, err
		}
		rs, kind := releasesOf(root.(map[string]any), i, d)
		all = append(all, rs...)
		kinds = append(kinds, kind)
	}
	var pach []release
	for _, r := range all {
		if r.man.Chart == chartName {
			pach = append(pach, r)
		}
	}
	names := func(rs []release) string {
		var s []string
		for _, r := range rs {
			s = append(s, fmt.Sprintf("%q (%s, chart %q)", r.man.Name, r.man.Kind, r.man.Chart))
		}
		return strings.Join(s, ", ")
	}
	if choice != "" {
		var chosen []release
		for _, r := range all {
			if r.man.Name == choice {
				chosen = append(chosen, r)
			}
		}
		switch {
		case len(chosen) == 0 && len(all) == 0:
			return nil, noValues(kinds)
		case len(chosen) == 0:
			return nil, &SyntaxError{Msg: fmt.Sprintf("no release is named %q: the manifest's releases are %s", choice, names(all))}
		case len(chosen) > 1:
			return nil, &SyntaxError{Msg: fmt.Sprintf("%d releases are named %q: %s; split the file", len(chosen), choice, names(chosen))}
		}
		// A chart the manifest does not name (Flux's spec.chartRef
		// names a source object, not the chart) is the user's to vouch
		// for by choosing the release.
		if c := chosen[0].man.Chart; c != chartName && c != "" {
			return nil, &SyntaxError{Pos: chosen[0].man.Pos, Msg: fmt.Sprintf("release %q installs the chart %q, not Pachyderm's (%q): it holds no Pachyderm values", choice, chosen[0].man.Chart, chartName)}
		}
		pach = chosen
	}
	switch {
	case len(pach) == 0 && len(all) == 0:
		return nil, noValues(kinds)
	case len(pach) == 0:
		msg := fmt.Sprintf("the manifest holds no Pachyderm values: its releases are %s, and none installs the chart %q", names(all), chartName)
		var rel []string
		if i := slices.IndexFunc(all, func(r release) bool { return r.man.Chart == "" }); i >= 0 {
			msg += fmt.Sprintf("; the chart of %q is not named in the manifest: if it is Pachyderm's, choose it by its name (FileOptions.Release)", all[i].man.Name)
			rel = []string{all[i].man.Name}
		}
		return nil, &SyntaxError{Pos: all[0].man.Pos, Msg: msg, Releases: rel}
	case len(pach) > 1:
		var rel []string
		for _, r := range pach {
			rel = append(rel, r.man.Name)
		}
		return nil, &SyntaxError{Pos: pach[1].man.Pos, Releases: rel,
			Msg: fmt.Sprintf("the manifest holds %d Pachyderm releases, %s: choose one by its name (FileOptions.Release)", len(pach), names(pach))}
	}
	r := pach[0]
	outer, err := stream.Select(r.man.Document)
	if err != nil {
		return nil, err
	}
	emb, err := textedit.Embed(outer, r.path)
	if err != nil {
		return nil, err
	}
	m := r.man
	if len(r.under) > 0 {
		tree, err := emb.Inner.Value()
		if err != nil {
			return nil, emb.MapError(err)
		}
		values, _ := tree.(map[string]any)
		for _, u := range r.under {
			if f, ok := underFinding(values, u); ok {
				m.Findings = append(m.Findings, f)
			}
		}
	}
	return &Document{doc: emb.Inner, emb: emb, man: &m}, nil
}

// noValues refuses a manifest that holds no Helm release.
func noValues(kinds []string) error {
	return &SyntaxError{Msg: fmt.Sprintf("the manifest (%s) holds no Pachyderm values: pachidp reads Helm values files, `helm get values` output, Argo CD Applications and ApplicationSets, Flux HelmReleases and kustomization.yaml helmCharts whose chart is %q",
		strings.Join(kinds, ", "), chartName)}
}

// releasesOf lists the releases of one manifest document, and names its
// kind for messages.
func releasesOf(root map[string]any, doc int, d *textedit.Doc) ([]release, string) {
	str := func(m map[string]any, keys ...string) string {
		var cur any = m
		for _, k := range keys {
			mm, _ := cur.(map[string]any)
			cur = mm[k]
		}
		s, _ := cur.(string)
		return s
	}
	mapAt := func(m map[string]any, keys ...string) map[string]any {
		var cur any = m
		for _, k := range keys {
			mm, _ := cur.(map[string]any)
			cur = mm[k]
		}
		mm, _ := cur.(map[string]any)
		return mm
	}
	pos := d.Positions()
	at := func(p []any) Position {
		s := ""
		for _, x := range p {
			switch y := x.(type) {
			case string:
				s = joinPath(s, y)
			case int:
				s = indexPath(s, y)
			}
		}
		for s != "" {
			if p, ok := pos[s]; ok {
				return p
			}
			i := strings.LastIndexAny(s, ".[")
			if i <= 0 {
				break
			}
			s = s[:i]
		}
		return Position{}
	}
	apiVersion, kind := str(root, "apiVersion"), str(root, "kind")
	group, _, _ := strings.Cut(apiVersion, "/")
	name := str(root, "metadata", "name")
	desc := strings.TrimSpace(kind + " " + apiVersion)
	if desc == "" {
		desc = "kustomization"
	}
	var out []release
	switch {
	case group == "argoproj.io" && (kind == "Application" || kind == "ApplicationSet"):
		specPath := []any{"spec"}
		spec := mapAt(root, "spec")
		if kind == "ApplicationSet" {
			specPath = []any{"spec", "template", "spec"}
			spec = mapAt(root, "spec", "template", "spec")
			if n := str(root, "spec", "template", "metadata", "name"); n != "" {
				name = n
			}
		}
		argo := func(src map[string]any, srcPath []any) {
			if src == nil {
				return
			}
			chart, _ := src["chart"].(string)
			version, _ := src["targetRevision"].(string)
			if chart == "" {
				// A chart in a Git repository: its folder names it, and
				// targetRevision is a Git revision, not the chart's version.
				p, _ := src["path"].(string)
				chart, version = path.Base(strings.TrimSuffix(p, "/")), ""
			}
			helm, _ := src["helm"].(map[string]any)
			rname := name
			if rn, _ := helm["releaseName"].(string); rn != "" {
				rname = rn
			}
			r := release{man: Manifest{Kind: kind, Name: rname, Chart: chart, Version: version, Document: doc}}
			hp := append(slices.Clone(srcPath), "helm")
			// Argo CD writes valuesObject, when set, as the values file
			// and ignores the values string (argo-cd
			// pkg/apis/application/v1alpha1/values.go:91-101,
			// ApplicationSourceHelm.ValuesYAML; used by
			// reposerver/repository/repository.go:1328-1345).
			_, hasObj := helm["valuesObject"]
			obj := helm["valuesObject"]
			_, hasStr := helm["values"]
			switch {
			case hasObj && obj != nil:
				r.path = append(hp, "valuesObject")
				if hasStr {
					sp := append(slices.Clone(hp), "values")
					r.man.Findings = append(r.man.Findings, Finding{Path: pathString(sp), Pos: at(sp), Rule: RuleManifestValuesIgnored, Severity: SeverityWarning,
						Message: "Argo CD ignores this string when valuesObject is set: move what it holds there"})
				}
			case hasStr:
				r.path = append(hp, "values")
			default:
				r.path = append(hp, "valuesObject")
			}
			r.man.ValuesPath = pathString(r.path)
			r.man.Pos = at(r.path)
			// Argo CD passes helm.valueFiles before the values, and
			// helm.parameters (--set) after them (argo-cd
			// util/helm/cmd.go:441-458).
			if files, ok := helm["valueFiles"].([]any); ok && len(files) > 0 {
				fp := append(slices.Clone(hp), "valueFiles")
				r.under = append(r.under, underValues{pathString(fp), at(fp), "helm.valueFiles"})
			}
			if params, ok := helm["parameters"].([]any); ok {
				for i, p := range params {
					pm, _ := p.(map[string]any)
					if n, _ := pm["name"].(string); strings.HasPrefix(n, keyOIDC+".") || n == keyOIDC {
						pp := append(slices.Clone(hp), "parameters", i)
						r.man.Findings = append(r.man.Findings, Finding{Path: pathString(pp), Pos: at(pp), Rule: RuleValuesFrom, Severity: SeverityWarning,
							Message: fmt.Sprintf("helm.parameters sets %s with --set, over the values: pachidp does not read it", n)})
					}
				}
			}
			out = append(out, r)
		}
		// With sources, Argo CD ignores source (argo-cd
		// pkg/apis/application/v1alpha1/types.go:294-296,
		// HasMultipleSources).
		if srcs, ok := spec["sources"].([]any); ok && len(srcs) > 0 {
			for i, s := range srcs {
				m, _ := s.(map[string]any)
				argo(m, append(slices.Clone(specPath), "sources", i))
			}
		} else {
			argo(mapAt(spec, "source"), append(slices.Clone(specPath), "source"))
		}
	case group == "helm.toolkit.fluxcd.io" && kind == "HelmRelease":
		chart := str(root, "spec", "chart", "spec", "chart")
		chart = path.Base(strings.TrimSuffix(chart, "/")) // a chart in a Git or bucket source is a path
		if chart == "." {
			chart = ""
		}
		rname := name
		p := []any{"spec", "values"}
		r := release{path: p, man: Manifest{Kind: kind, Name: rname, Chart: chart, Version: str(root, "spec", "chart", "spec", "version"),
			ValuesPath: pathString(p), Document: doc}}
		r.man.Pos = at(p)
		if from, ok := mapAt(root, "spec")["valuesFrom"].([]any); ok && len(from) > 0 {
			r.under = append(r.under, underValues{"spec.valuesFrom", at([]any{"spec", "valuesFrom"}), "a valuesFrom reference"})
		}
		out = append(out, r)
	case kind == "Kustomization" && group == "kustomize.config.k8s.io" || kind == "" && apiVersion == "" || group == "kustomize.config.k8s.io":
		charts, _ := root["helmCharts"].([]any)
		for i, c := range charts {
			m, _ := c.(map[string]any)
			if m == nil {
				continue
			}
			chart, _ := m["name"].(string)
			rname, _ := m["releaseName"].(string)
			if rname == "" {
				rname = chart
			}
			version, _ := m["version"].(string)
			p := []any{"helmCharts", i, "valuesInline"}
			r := release{path: p, man: Manifest{Kind: "Kustomization", Name: rname, Chart: chart, Version: version, ValuesPath: pathString(p), Document: doc}}
			r.man.Pos = at(p)
			merge, _ := m["valuesMerge"].(string)
			// kustomize's helm inflator merges valuesInline onto
			// valuesFile and passes the result to helm template with -f
			// (plugin/builtin/helmchartinflationgenerator/
			// HelmChartInflationGenerator.go:199-247; valuesMerge
			// "override", the default, lets the inline values win;
			// "replace" drops the file). Maps merge key by key and lists
			// are replaced whole (kyaml/yaml/merge2/merge2.go:116-122,
			// no schema and no inferred associative lists), as helm -f
			// merges layers.
			if vf, _ := m["valuesFile"].(string); vf != "" && merge != "replace" {
				r.man.ValuesFile = vf
				if merge == "merge" {
					fp := []any{"helmCharts", i, "valuesMerge"}
					r.man.Findings = append(r.man.Findings, Finding{Path: pathString(fp), Pos: at(fp), Rule: RuleManifestValuesIgnored, Severity: SeverityWarning,
						Message: "with valuesMerge: merge the valuesFile wins over valuesInline: pachidp reads them as override does"})
				}
			}
			if extra, ok := m["additionalValuesFiles"].([]any); ok && len(extra) > 0 {
				fp := []any{"helmCharts", i, "additionalValuesFiles"}
				r.man.Findings = append(r.man.Findings, Finding{Path: pathString(fp), Pos: at(fp), Rule: RuleValuesFrom, Severity: SeverityWarning,
					Message: "helm reads additionalValuesFiles after valuesInline: validate them as layers too (-f each)"})
				// kustomize api/types/helmchartargs.go:174-178: -f valuesFile,
				// then -f each additional file.
			}
			out = append(out, r)
		}
	}
	if name != "" {
		desc += " " + strconv.Quote(name)
	}
	return out, desc
}

// underFinding says how values merged under the manifest's (Flux's
// valuesFrom, Argo CD's valueFiles) can change the entries. helm-controller
// merges each valuesFrom reference in order and spec.values last (fluxcd/pkg
// chartutil/values.go:148-256, ChartValuesFromReferences, called by
// helm-controller internal/controller/helmrelease_controller.go:312-317);
// Argo CD passes valueFiles with --values before the values
// (util/helm/cmd.go:453-458). Lists are replaced whole, so the files
// decide what the manifest's values leave unset. pachidp cannot read the
// ConfigMaps, Secrets or repository files.
func underFinding(values map[string]any, u underValues) (Finding, bool) {
	oidc, _ := values[keyOIDC].(map[string]any)
	_, hasList := oidc[keyIDPs]
	_, hasSecret := oidc[keySecretName]
	var msg string
	switch {
	case !hasList:
		msg = u.what + " can set oidc.upstreamIDPs, which these values do not: keep the list here"
	case !hasSecret:
		msg = u.what + " can set oidc.upstreamIDPsSecretName and replace the list: set it here (\"\")"
	default:
		// The values, merged last, set both: nothing under them
		// changes the entries.
		return Finding{}, false
	}
	return Finding{Path: u.path, Pos: u.pos, Rule: RuleValuesFrom, Severity: SeverityWarning, Message: msg}, true
}

// pathString writes a path of keys and indexes as findings do.
func pathString(p []any) string {
	s := ""
	for _, x := range p {
		switch y := x.(type) {
		case string:
			s = joinPath(s, y)
		case int:
			s = indexPath(s, y)
		}
	}
	return s
}
