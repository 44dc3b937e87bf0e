package pachidp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// Layer is one values file of a layered set: its name as the user gave it
// (to helm -f: "values.yaml", "env/prod.yaml", "-" for standard input) and
// its document.
type Layer struct {
	Name   string
	Values *Document
}

// Origin says where a value of a layered set comes from: the layer (its
// index among the -f files, and its name) and the position of the key in
// that file.
type Origin struct {
	// Layer is the index of the -f file, 0 for the first; -1 for the
	// chart's values.yaml (FromChartDefaults), -2 when no one layer sets
	// the value (Unset).
	Layer int      `json:"layer"`
	Name  string   `json:"file"` // the layer's Name
	Pos   Position `json:"position"`
}

// errShadowed is the Err of a *LayerError for a shadowed choice.
var errShadowed = errors.New("a later layer overrides it")

// Origin.Layer values that are not an -f file.
const (
	// originChartDefaults: the value comes from the chart's values.yaml
	// (LayersOptions.ChartDefaults).
	originChartDefaults = -1
	// originNone: no one layer sets the value: the list of
	// Layers.UpstreamIDPs when no layer sets it, the root of Lookup("").
	originNone = -2
)

// FromChartDefaults reports that the value comes from the chart's
// values.yaml (LayersOptions.ChartDefaults), not from an -f file.
func (o Origin) FromChartDefaults() bool { return o.Layer == originChartDefaults }

// Unset reports that no one layer sets the value: the list of
// Layers.UpstreamIDPs when no layer sets it, the root of Lookup("").
func (o Origin) Unset() bool { return o.Layer == originNone }

// String formats the origin as "name:line:column", or the name alone when
// the position is unknown ("" when Unset).
func (o Origin) String() string {
	if o.Pos.IsValid() {
		return fmt.Sprintf("%s:%d:%d", o.Name, o.Pos.Line, o.Pos.Column)
	}
	return o.Name
}

// LayersOptions tunes NewLayers and OpenLayerFiles.
type LayersOptions struct {
	// ChartDefaults is the chart's own values.yaml (Name as it should
	// appear in findings, e.g. "pachyderm/values.yaml"). When set, the
	// merged values are coalesced with it as Helm does before rendering,
	// so nulls delete the chart's defaults and the keys no -f file sets
	// take the chart's value. Nil: the -f files alone, nulls kept.
	ChartDefaults *Layer
}

// LayerError is a problem with one layer of a set, or with the choice of
// the layer to edit:
//
//   - a layer cannot be read or parsed (Err wraps the *SyntaxError or the
//     I/O error), or it is named twice ("-" for standard input may be given
//     once);
//   - Layers.EditTarget finds no single layer to edit (Candidates is set):
//     several files and none sets oidc.upstreamIDPs, the layers that set it
//     are all overridden by a later one that sets oidc to null or to
//     something that is not a mapping, or it is a mapping merged from
//     several files. Err says which; pass one of Candidates to EditTarget;
//   - the layer chosen for EditTarget is overridden by a later layer, so an
//     edit would not change what Helm renders (ShadowedBy is set).
type LayerError struct {
	Layer string // the layer's name; "" when the set itself is wrong or no layer is the one
	Err   error

	Path       string   // of EditTarget's errors: "oidc.upstreamIDPs"
	Candidates []string // no single layer to edit: the layers one could edit, in -f order
	Defined    []Origin // no single layer to edit: where the path is set, when it is set but overridden
	ShadowedBy *Origin  // the later layer, and its key, that overrides the chosen Layer
}

// Error formats the error as "name: message"; for EditTarget's errors it
// names the path, the reason and the candidates, or the later layer and the
// file to edit instead.
func (e *LayerError) Error() string {
	switch {
	case e == nil:
		return "<nil>"
	case e.Err == nil && e.ShadowedBy == nil:
		return e.Layer + ": " + e.Path
	case e.ShadowedBy != nil:
		return fmt.Sprintf("%s: %s sets %s after %s, so Helm would not see an edit of %s: edit %s instead",
			e.Path, e.ShadowedBy.String(), e.Path, e.Layer, e.Layer, e.ShadowedBy.Name)
	case len(e.Candidates) > 0:
		return fmt.Sprintf("%s: %s: choose the file to edit among %s", e.Path, e.Err, strings.Join(quoteAll(e.Candidates), ", "))
	case e.Layer == "":
		return e.Err.Error()
	}
	return e.Layer + ": " + e.Err.Error()
}

// Unwrap returns Err: errors.As finds the *SyntaxError or the I/O error.
func (e *LayerError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

func originList(os []Origin) string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.String()
	}
	return strings.Join(out, ", ")
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// Layers is a set of values files in the order helm -f takes them, read as
// Helm merges them: mappings merge key by key, lists and scalars of a later
// file replace the earlier value whole, null replaces too (and deletes the
// chart's default when LayersOptions.ChartDefaults is given). Every value
// of the result knows the file and line that set it (Lookup), the file
// that holds oidc.upstreamIDPs is the one to edit (EditTarget), and
// findings about the merged values map back to the file and line to change
// (Locate).
//
// The layers' documents stay editable: after an edit through EditTarget the
// next call sees it. A Layers is not safe for concurrent use.
//
// # Helm's rules
//
// Helm v3 (helm.sh/helm/v3 v3.22.0) builds a release's values in two steps,
// and Layers models both:
//
//  1. cmd/helm/install.go:245 calls values.Options.MergeValues
//     (pkg/cli/values/options.go:44-61): each -f file, in order, is read
//     with sigs.k8s.io/yaml and merged onto the previous ones by mergeMaps
//     (options.go:108-125). A key whose value is a mapping in both merges key
//     by key; any other value (a list, a scalar, null, a mapping over a
//     non-mapping) replaces the previous one whole. null is kept as a value
//     at this step: it replaces, it does not delete.
//  2. action.Install.Run (pkg/action/install.go:307) renders with
//     chartutil.ToRenderValuesWithSchemaValidation, which coalesces those
//     values with the chart's values.yaml by chartutil.CoalesceValues
//     (pkg/chartutil/values.go:161, coalesce.go:45-51): for a top-level key
//     of the chart's defaults, a user null deletes the key
//     (coalesce.go:222-229), a user mapping is coalesced with the default
//     mapping (coalesce.go:230-246), a missing key takes the default
//     (coalesce.go:248-250); below the top level coalesceTablesFullKey
//     (coalesce.go:278-322) deletes a key the user set to null when the
//     default is not null and keeps the null otherwise, fills in the missing
//     keys, and keeps the user's value when a mapping meets a non-mapping.
//
// Without chart defaults (LayersOptions.ChartDefaults nil) a Layers gives
// step 1 alone: what `helm get values` shows for the release. With them it
// gives what the chart's templates see for the chart's own keys (subcharts'
// values and globals are not modelled).
//
// The conformance module conformance/helmmerge checks Layers against that
// code over generated sets of files.
type Layers struct {
	layers   []Layer
	defaults *Layer

	// Cache, valid while every layer's bytes are the same slices.
	sig             []uintptr
	user, final     map[string]any
	userOwn, finOwn *owner
}

// owner records which layer set each key of a merged tree. A key with no
// entry in kids was copied whole from the layer of its parent.
type owner struct {
	layer int
	kids  map[string]*owner
}

func (o *owner) kid(k string) *owner {
	if c, ok := o.kids[k]; ok {
		return c
	}
	return &owner{layer: o.layer}
}

func (o *owner) set(k string, c *owner) {
	if o.kids == nil {
		o.kids = map[string]*owner{}
	}
	o.kids[k] = c
}

func (o *owner) clone() *owner {
	if o == nil {
		return nil
	}
	c := &owner{layer: o.layer}
	for k, v := range o.kids {
		c.set(k, v.clone())
	}
	return c
}

// NewLayers builds a layered set from opened documents, first -f first.
// Names must be unique and no Values nil.
func NewLayers(layers []Layer, opts LayersOptions) (*Layers, error) {
	if len(layers) == 0 {
		return nil, &LayerError{Err: errors.New("no values file: pass at least one")}
	}
	seen := map[string]bool{}
	for i, l := range layers {
		if l.Values == nil {
			return nil, &LayerError{Layer: l.Name, Err: fmt.Errorf("layer %d has no Values", i)}
		}
		if seen[l.Name] {
			return nil, &LayerError{Layer: l.Name, Err: errors.New("named twice: helm reads it twice, pass it once")}
		}
		seen[l.Name] = true
	}
	if d := opts.ChartDefaults; d != nil && d.Values == nil {
		return nil, &LayerError{Layer: d.Name, Err: errors.New("chart defaults have no Values")}
	}
	s := &Layers{layers: append([]Layer(nil), layers...), defaults: opts.ChartDefaults}
	if _, err := s.compute(); err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) || !refusedByHelm(se) {
			return nil, err
		}
		// YAML Helm's reader refuses (a null key, .inf): the set opens,
		// its reads return the error, and ValidateValues reports it as a
		// finding in that layer.
	}
	return s, nil
}

// OpenLayerFiles reads the values files named, in helm -f order, and builds
// their layered set: the thin layer a command needs for repeated -f. "-"
// reads stdin, and may be given once (standard input can be read once).
// A file that cannot be read or parsed is a *LayerError naming it; a file
// or standard input over 16 MiB is not read on (ErrTooLarge). Names
// are local paths: helm's http(s) getters are not modelled. A file of
// several YAML documents is refused (Helm would read its first), unless
// they are manifests holding one Pachyderm release; open the document
// wanted with OpenDocumentWith (FileOptions.Document) and use NewLayers. A file that is a manifest
// is read for its Pachyderm values (OpenDocument); a
// kustomization whose chart names a valuesFile gets that file as a layer
// right under it, as kustomize merges them.
func OpenLayerFiles(names []string, stdin io.Reader, opts LayersOptions) (*Layers, error) {
	layers := make([]Layer, 0, len(names))
	stdinUsed := false
	for _, name := range names {
		var data []byte
		var err error
		if strings.TrimSpace(name) == "-" {
			if stdinUsed {
				return nil, &LayerError{Layer: name, Err: errors.New("standard input (-) given twice: it can be read once")}
			}
			stdinUsed = true
			if stdin == nil {
				stdin = os.Stdin
			}
			data, err = atomicfile.ReadLimited(stdin, atomicfile.MaxStdinSize, "standard input (-f -)")
		} else {
			data, err = atomicfile.ReadFile(name, atomicfile.MaxValuesFileSize, name)
		}
		if err != nil {
			return nil, &LayerError{Layer: name, Err: err}
		}
		v, err := OpenDocument(data)
		if err != nil {
			return nil, &LayerError{Layer: name, Err: err}
		}
		if m := v.man; m != nil && m.ValuesFile != "" && name != "-" {
			// A kustomization's valuesFile is a layer under its
			// valuesInline (values_manifest.go).
			vfName := filepath.Join(filepath.Dir(name), filepath.FromSlash(m.ValuesFile))
			vd, err := atomicfile.ReadFile(vfName, atomicfile.MaxValuesFileSize, vfName)
			if err != nil {
				return nil, &LayerError{Layer: vfName, Err: err}
			}
			vv, err := OpenDocument(vd)
			if err != nil {
				return nil, &LayerError{Layer: vfName, Err: err}
			}
			layers = append(layers, Layer{Name: vfName, Values: vv})
		}
		layers = append(layers, Layer{Name: name, Values: v})
	}
	return NewLayers(layers, opts)
}

// Len returns the number of layers (the chart's defaults not counted).
func (s *Layers) Len() int {
	if s == nil {
		return 0
	}
	return len(s.layers)
}

// Layer returns layer i (0 is the first -f file); the zero Layer when i
// is out of range.
func (s *Layers) Layer(i int) Layer {
	if i < 0 || i >= s.Len() {
		return Layer{}
	}
	return s.layers[i]
}

// errNilLayers is the error of a nil or zero *Layers.
var errNilLayers = &LayerError{Err: errors.New("no layers: create them with NewLayers or OpenLayerFiles")}

// Index returns the index of the layer named name.
func (s *Layers) Index(name string) (int, bool) {
	if s == nil {
		return 0, false
	}
	for i, l := range s.layers {
		if l.Name == name {
			return i, true
		}
	}
	return -1, false
}

func (s *Layers) layerAt(i int) Layer {
	if i == originChartDefaults {
		return *s.defaults
	}
	return s.layers[i]
}

func (s *Layers) signature() []uintptr {
	sig := make([]uintptr, 0, 2*len(s.layers)+2)
	add := func(v *Document) {
		b := v.Bytes()
		sig = append(sig, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	}
	for _, l := range s.layers {
		add(l.Values)
	}
	if s.defaults != nil {
		add(s.defaults.Values)
	}
	return sig
}

// compute (re)builds the merged trees when a layer changed since the last
// call.
func (s *Layers) compute() (map[string]any, error) {
	if s == nil {
		return nil, errNilLayers
	}
	sig := s.signature()
	if s.final != nil && slices.Equal(sig, s.sig) {
		return s.final, nil
	}
	user := map[string]any{}
	own := &owner{layer: originChartDefaults}
	for i, l := range s.layers {
		tree, err := l.Values.values()
		if err != nil {
			return nil, &LayerError{Layer: l.Name, Err: err}
		}
		m, _ := tree.(map[string]any) // nil for an empty document
		mergeLayer(user, own, m, i)
	}
	final, finOwn := user, own
	if s.defaults != nil {
		tree, err := s.defaults.Values.values()
		if err != nil {
			return nil, &LayerError{Layer: s.defaults.Name, Err: err}
		}
		d, _ := tree.(map[string]any)
		final, _ = copyValue(user).(map[string]any)
		finOwn = own.clone()
		coalesceChart(final, finOwn, copyMap(d))
	}
	s.sig, s.user, s.userOwn, s.final, s.finOwn = sig, user, own, final, finOwn
	return final, nil
}

func copyMap(m map[string]any) map[string]any {
	out, _ := copyValue(m).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

// mergeLayer merges src (layer) onto dst as Helm's mergeMaps does
// (pkg/cli/values/options.go:108-125): a mapping onto a mapping merges key
// by key, anything else replaces.
func mergeLayer(dst map[string]any, own *owner, src map[string]any, layer int) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				c := own.kid(k)
				// The keys already there keep their layer; the key
				// itself is now set by this one too.
				for dk := range dm {
					if _, ok := c.kids[dk]; !ok {
						c.set(dk, &owner{layer: c.layer})
					}
				}
				c.layer = layer
				own.set(k, c)
				mergeLayer(dm, c, sm, layer)
				continue
			}
		}
		dst[k] = copyValue(v)
		own.set(k, &owner{layer: layer})
	}
}

// coalesceChart coalesces the chart's defaults d into the user values v as
// chartutil.coalesceValues does (pkg/chartutil/coalesce.go:195-253, with
// merge false as CoalesceValues passes).
func coalesceChart(v map[string]any, own *owner, d map[string]any) {
	for key, val := range d {
		if value, ok := v[key]; ok {
			if value == nil {
				delete(v, key)
				delete(own.kids, key)
			} else if dest, ok := value.(map[string]any); ok {
				if src, ok := val.(map[string]any); ok {
					c := own.kid(key)
					own.set(key, c)
					coalesceTables(dest, c, src)
				}
			}
		} else {
			v[key] = val
			own.set(key, &owner{layer: originChartDefaults})
		}
	}
}

// coalesceTables is chartutil.coalesceTablesFullKey with merge false
// (pkg/chartutil/coalesce.go:278-322): dst (the user's) wins; a user null
// deletes a non-null default and stays otherwise.
func coalesceTables(dst map[string]any, own *owner, src map[string]any) {
	if src == nil || dst == nil {
		return
	}
	srcNonNil := map[string]bool{}
	for k, v := range src {
		if v != nil {
			srcNonNil[k] = true
		}
	}
	for k, v := range dst {
		if v == nil {
			src[k] = nil
		}
	}
	for key, val := range src {
		dv, ok := dst[key]
		switch {
		case ok && dv == nil && srcNonNil[key]:
			delete(dst, key)
			delete(own.kids, key)
		case !ok:
			dst[key] = val
			own.set(key, &owner{layer: originChartDefaults})
		default:
			sm, srcTable := val.(map[string]any)
			dm, dstTable := dv.(map[string]any)
			if srcTable && dstTable {
				c := own.kid(key)
				own.set(key, c)
				coalesceTables(dm, c, sm)
			}
		}
	}
}

// Merged returns the merged values as a map[string]any tree (a copy), the
// form HelmValues and Helm's Go SDK take. Scalars are as pachidp reads
// them (YAML 1.1 like Helm; integers are int64 where Helm's reader gives
// float64). A key set to null is present with a nil value, unless
// LayersOptions.ChartDefaults is given and the chart's default deleted it.
func (s *Layers) Merged() (map[string]any, error) {
	m, err := s.compute()
	if err != nil {
		return nil, err
	}
	return copyMap(m), nil
}

// Lookup returns the value at a dotted path of the merged values (the
// syntax of Document.Lookup: "proxy.host", "oidc.upstreamIDPs[0].id") and
// where it comes from: the layer whose key won, and the position of that
// key (or list item) in that layer's file. ok is false when the merged
// values lack the path; a key set to null that stayed is ok with a nil
// value. Maps and lists are returned as copies; a merged mapping's origin
// is the last layer that set the key.
func (s *Layers) Lookup(path string) (value any, from Origin, ok bool) {
	m, err := s.compute()
	if err != nil {
		return nil, Origin{}, false
	}
	return s.lookupIn(m, s.finOwn, path)
}

func (s *Layers) lookupIn(root map[string]any, own *owner, path string) (any, Origin, bool) {
	segs, err := splitPath(path)
	if err != nil {
		return nil, Origin{}, false
	}
	var cur any = root
	canon := ""
	for _, sg := range segs {
		switch c := cur.(type) {
		case map[string]any:
			if sg.index >= 0 {
				return nil, Origin{}, false
			}
			val, ok := c[sg.key]
			if !ok {
				return nil, Origin{}, false
			}
			cur = val
			own = own.kid(sg.key)
			canon = joinPath(canon, sg.key)
		case []any:
			if sg.index < 0 || sg.index >= len(c) {
				return nil, Origin{}, false
			}
			cur = c[sg.index]
			canon = indexPath(canon, sg.index)
		default:
			return nil, Origin{}, false
		}
	}
	return copyValue(cur), s.origin(own.layer, canon), true
}

func (s *Layers) origin(layer int, canon string) Origin {
	if canon == "" || (layer == originChartDefaults && s.defaults == nil) {
		// The root: made of every layer.
		return Origin{Layer: originNone}
	}
	l := s.layerAt(layer)
	return Origin{Layer: layer, Name: l.Name, Pos: l.Values.positions().at(canon)}
}

// Definitions returns every layer whose own file sets path (to any value,
// null included), in -f order: the earlier ones are overridden by the
// later ones, or merged with them when all are mappings. The chart's
// defaults are not included.
func (s *Layers) Definitions(path string) []Origin {
	if s == nil {
		return nil
	}
	var out []Origin
	for i, l := range s.layers {
		if _, pos, ok := l.Values.Lookup(path); ok {
			out = append(out, Origin{Layer: i, Name: l.Name, Pos: pos})
		}
	}
	return out
}

// EditTarget returns the layer an edit of oidc.upstreamIDPs must change so
// that Helm sees it.
//
// With choice "", the rule is Helm's: the last layer that sets
// oidc.upstreamIDPs (to a list, to null or to anything else) is the one
// whose value Helm uses, so it is the one to edit; lists are replaced whole,
// never merged, so the earlier layers' lists are dead and editing them would
// change nothing (Definitions lists them, for a warning). A single layer is
// its own target. Otherwise the choice is the caller's, and a *LayerError
// names the candidates (LayerError.Candidates): when several layers are given
// and none sets oidc.upstreamIDPs (a new list could go in any of them), when
// the layers that set it are all overridden by a later layer that sets
// oidc to null or to a non-mapping, and when oidc.upstreamIDPs is a mapping
// that Helm merges from several files (it must be a list; no one file
// holds what Helm sees).
//
// With choice the name of a layer, that layer is the target, unless a later
// layer overrides its oidc.upstreamIDPs (by setting it, or by setting oidc
// to null or to a non-mapping): then a *LayerError names the later layer
// (LayerError.ShadowedBy). An unknown name is a *LayerError with neither.
func (s *Layers) EditTarget(choice string) (Layer, error) {
	if _, err := s.compute(); err != nil {
		return Layer{}, err
	}
	if choice != "" {
		i, ok := s.Index(choice)
		if !ok {
			names := make([]string, len(s.layers))
			for j, l := range s.layers {
				names[j] = l.Name
			}
			return Layer{}, &LayerError{Layer: choice, Err: fmt.Errorf("not one of the values files (%s)", strings.Join(quoteAll(names), ", "))}
		}
		if by, shadowed := s.overriddenAfter(i); shadowed {
			return Layer{}, &LayerError{Path: pathIDPs, Layer: choice, ShadowedBy: &by, Err: errShadowed}
		}
		return s.layers[i], nil
	}
	if len(s.layers) == 1 {
		return s.layers[0], nil
	}
	names := make([]string, len(s.layers))
	for j, l := range s.layers {
		names[j] = l.Name
	}
	defs := s.Definitions(pathIDPs)
	if merged, from, ok := s.lookupIn(s.user, s.userOwn, pathIDPs); ok && from.Layer >= 0 {
		own, _, _ := s.layers[from.Layer].Values.Lookup(pathIDPs)
		if !reflect.DeepEqual(own, merged) {
			// A mapping, merged key by key from several files: no
			// one file holds what Helm sees.
			return Layer{}, &LayerError{Path: pathIDPs, Candidates: names, Defined: defs, Err: fmt.Errorf("it is a mapping merged from several files (%s), not a list", originList(defs))}
		}
		return s.layers[from.Layer], nil
	}
	if len(defs) == 0 {
		return Layer{}, &LayerError{Path: pathIDPs, Candidates: names, Err: fmt.Errorf("none of the %d values files sets it", len(s.layers))}
	}
	_, by := s.hider(defs[len(defs)-1].Layer)
	return Layer{}, &LayerError{Path: pathIDPs, Candidates: names, Defined: defs, Err: fmt.Errorf("%s sets it, but %s sets %s after it, so Helm ignores it", defs[len(defs)-1].String(), by.String(), keyOIDC)}
}

// overriddenAfter reports whether a layer after i sets oidc.upstreamIDPs or
// hides it by setting oidc to a non-mapping (null included).
func (s *Layers) overriddenAfter(i int) (Origin, bool) {
	for j := i + 1; j < len(s.layers); j++ {
		l := s.layers[j]
		if _, pos, ok := l.Values.Lookup(pathIDPs); ok {
			return Origin{Layer: j, Name: l.Name, Pos: pos}, true
		}
		if o, pos, ok := l.Values.Lookup(keyOIDC); ok {
			if _, isMap := o.(map[string]any); !isMap {
				return Origin{Layer: j, Name: l.Name, Pos: pos}, true
			}
		}
	}
	return Origin{}, false
}

// hider returns the last layer after i that sets oidc to a non-mapping.
func (s *Layers) hider(i int) (int, Origin) {
	idx, by := -1, Origin{}
	for j := i + 1; j < len(s.layers); j++ {
		l := s.layers[j]
		if o, pos, ok := l.Values.Lookup(keyOIDC); ok {
			if _, isMap := o.(map[string]any); !isMap {
				idx, by = j, Origin{Layer: j, Name: l.Name, Pos: pos}
			}
		}
	}
	return idx, by
}

// UpstreamIDPs decodes the merged oidc.upstreamIDPs. The list comes whole
// from one file (Helm replaces lists, it never merges them), so each entry's
// positions (UpstreamIDP.Pos) are in that file, which from names; Validate's
// findings on them then carry that file's lines (see Locate).
//
// When no layer and no chart default sets the list, the list is empty and
// from.Layer is originNone; a list set to null is empty too, from the layer
// that set it. Wrong shapes are *SyntaxError as Document.UpstreamIDPs
// gives them, wrapped in a *LayerError naming the file.
func (s *Layers) UpstreamIDPs() (idps []UpstreamIDP, from Origin, err error) {
	m, err := s.compute()
	if err != nil {
		return nil, Origin{}, err
	}
	if o, ok := m[keyOIDC]; ok && o != nil {
		if _, isMap := o.(map[string]any); !isMap {
			_, from, _ := s.lookupIn(m, s.finOwn, keyOIDC)
			return nil, from, &LayerError{Layer: from.Name, Err: &SyntaxError{Path: keyOIDC, Pos: from.Pos,
				Msg: fmt.Sprintf("oidc must be a mapping, got %s", typeName(o))}}
		}
	}
	_, from, ok := s.lookupIn(m, s.finOwn, pathIDPs)
	if !ok {
		return nil, Origin{Layer: originNone}, nil
	}
	idps, err = s.layerAt(from.Layer).Values.UpstreamIDPs()
	if err != nil {
		return nil, from, &LayerError{Layer: from.Name, Err: err}
	}
	return idps, from, nil
}

// MergedValues returns the merged values as a *Document (a JSON document
// rendered from Merged), for the calls that take one: ValidateValues,
// RedirectHost, PachdUpstreamIDPs. Positions in it point into that
// rendered document, not into any file: map the findings back with Locate.
// Do not edit it; edit EditTarget's layer.
func (s *Layers) MergedValues() (*Document, error) {
	m, err := s.compute()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("pachidp: the merged values cannot be written as JSON: %w", err)
	}
	v, err := OpenDocument(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("pachidp: the merged values do not read back: %w", err)
	}
	back, err := v.values()
	if err != nil {
		return nil, err
	}
	if bm, _ := back.(map[string]any); !reflect.DeepEqual(numbersAsFloat(bm), numbersAsFloat(m)) {
		return nil, fmt.Errorf("pachidp: %w: the merged values do not read back as merged", ErrSelfCheck)
	}
	return v, nil
}

// numbersAsFloat returns a copy of a tree with every number a float64, the
// way Helm's readers (sigs.k8s.io/yaml, encoding/json) give them.
func numbersAsFloat(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = numbersAsFloat(val)
		}
		return out
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

// Locate maps a finding about the merged values (from Validate on
// UpstreamIDPs' entries, or ValidateValues on MergedValues) to the file
// and line that set its path, or its closest parent present in the merged
// values when the path itself is absent (a missing key is added there).
// With LayersOptions.ChartDefaults, a value no -f file sets is located in
// the chart's values.yaml (File is ChartDefaults.Name): the fix is then to
// set it in one of the files. File is "" (and Pos zero) when no file sets
// the path nor any of its parents: a key to add, for which any file would
// do. Detail, Suppressed and Reason are left as they are.
func (s *Layers) Locate(f Finding) Finding {
	if _, err := s.compute(); err != nil {
		f.File = ""
		return f
	}
	for p := f.Path; p != ""; {
		if _, from, ok := s.lookupIn(s.final, s.finOwn, p); ok {
			f.File, f.Pos = from.Name, from.Pos
			return f
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	f.File, f.Pos = "", Position{}
	return f
}

// LocateAll is Locate for every finding, in order.
func (s *Layers) LocateAll(fs Findings) Findings {
	out := make(Findings, len(fs))
	for i, f := range fs {
		out[i] = s.Locate(f)
	}
	return out
}
