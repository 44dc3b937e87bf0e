package pachidp

import (
	"errors"
	"fmt"
	"reflect"
)

// HelmValues is a Helm values tree in the form Helm's Go SDK takes
// (action.Install.Run and action.Upgrade.Run take a map[string]any). Its
// methods read and edit oidc.upstreamIDPs and oidc.upstreamIDPsSecretName in
// place: convert your map and the edits land in it.
//
//	vals := map[string]any{} // from yaml.v3, encoding/json or your own code
//	if err := pachidp.HelmValues(vals).UpsertUpstreamIDP(entry); err != nil { ... }
//	rel, err := install.Run(chart, vals)
//
// Only the keys named are written. Every other key, and every entry that an
// edit does not touch, keeps its exact value: the same map objects, with
// encoding/json's float64 numbers left as they are. An edit writes a new
// slice into oidc.upstreamIDPs (holding the same untouched entry maps), so a
// slice obtained before the edit does not change. A missing oidc mapping is
// created.
//
// Maps may come from yaml.v3 (map[string]any), encoding/json (numbers as
// float64), literals such as []map[string]any, or yaml.v2 (map[any]any), and
// may be of named map types such as Helm's chartutil.Values. A value of the
// wrong shape (oidc not a mapping, upstreamIDPs not a list, an entry not a
// mapping) is a *SyntaxError naming its path, and an edit refused (an entry
// without id, duplicate ids, an id to remove that no entry has) is an
// *EditError, with the same path and message as Document gives; nothing is
// changed then.
//
// The entry maps hold client secrets: do not print the values tree.
type HelmValues map[string]any

const (
	helmOIDC       = "oidc"
	helmIDPs       = "upstreamIDPs"
	helmSecretName = "upstreamIDPsSecretName"
	helmIDPsPath   = "oidc.upstreamIDPs"
)

// UpstreamIDPs returns the entries of oidc.upstreamIDPs; none when the key
// or the oidc mapping is missing or null. The entries are converted copies:
// edit them and write them back with UpsertUpstreamIDP or SetUpstreamIDPs.
func (v HelmValues) UpstreamIDPs() ([]UpstreamIDP, error) {
	if err := checkTree(map[string]any(v)); err != nil {
		return nil, err
	}
	items, _, err := v.readList()
	if err != nil || len(items) == 0 {
		return nil, err
	}
	out := make([]UpstreamIDP, 0, len(items))
	for i, it := range items {
		e, err := entryFromValue(normalize(plainTree(it)), indexPath(helmIDPsPath, i), nil)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// UpsertUpstreamIDP replaces the entry whose id is e.ID with e, at the same
// place in the list, or appends e when no entry has that id. An entry equal
// to e is left as it is. e.ID must not be empty, and the list must not
// already hold two entries with that id.
func (v HelmValues) UpsertUpstreamIDP(e UpstreamIDP) error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	if err := checkTree(e); err != nil {
		return err
	}
	if e.ID == "" {
		return errNoID(pathIDPs)
	}
	items, oidc, err := v.readList()
	if err != nil {
		return err
	}
	step, i, err := planUpsert(indexOfID(items, e.ID), e.ID,
		func(i int) bool { return sameEntry(items[i], e) },
		func(int) Position { return Position{} })
	if err != nil || step == upsertNone {
		return err
	}
	out := append(make([]any, 0, len(items)+1), items...)
	if step == upsertAppend {
		out = append(out, e.Map())
	} else {
		out[i] = e.Map()
	}
	return v.writeList(oidc, out)
}

// RemoveUpstreamIDP removes every entry whose id is id. The list stays in
// place, possibly empty. When no entry has the id, the values are unchanged
// and the error is an *EditError wrapping ErrIDPNotFound, as
// Document.RemoveUpstreamIDP's is: callers that want removal to be idempotent
// check for it with errors.Is.
func (v HelmValues) RemoveUpstreamIDP(id string) error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	items, oidc, err := v.readList()
	if err != nil {
		return err
	}
	idx := indexOfID(items, id) // duplicates are all removed
	if len(idx) == 0 {
		return errNotFound(id)
	}
	drop := map[int]bool{}
	for _, i := range idx {
		drop[i] = true
	}
	out := make([]any, 0, len(items))
	for i, it := range items {
		if !drop[i] {
			out = append(out, it)
		}
	}
	return v.writeList(oidc, out)
}

// SetUpstreamIDPs replaces the whole list with idps, in their order. An
// existing entry with the same id and equal content keeps its original map.
// Every entry needs an ID, unique in the list. SetUpstreamIDPs(nil) writes
// an empty list: use it when switching to a Secret with
// setUpstreamIDPsSecretName, so that no client secret stays in the values.
func (v HelmValues) SetUpstreamIDPs(idps []UpstreamIDP) error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	if err := checkEntries(idps); err != nil {
		return err
	}
	items, oidc, err := v.readList()
	if err != nil {
		return err
	}
	if err := checkNewList(idps); err != nil {
		return err
	}
	out := make([]any, len(idps))
	for i, e := range idps {
		out[i] = e.Map()
		// Keep the original map of an unchanged entry.
		if idx := indexOfID(items, e.ID); len(idx) == 1 && sameEntry(items[idx[0]], e) {
			out[i] = items[idx[0]]
		}
	}
	return v.writeList(oidc, out)
}

// UpstreamIDPsSecretName returns oidc.upstreamIDPsSecretName: the Secret
// whose key upstream-idps the chart passes to pachd instead of
// oidc.upstreamIDPs. It is "" when unset.
func (v HelmValues) UpstreamIDPsSecretName() (string, error) {
	if err := checkTree(map[string]any(v)); err != nil {
		return "", err
	}
	oidc, err := v.oidc(false)
	if err != nil || !oidc.valid() {
		return "", err
	}
	raw, _ := oidc.get(helmSecretName)
	switch s := raw.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	default:
		return "", &SyntaxError{Path: "oidc." + helmSecretName, Msg: fmt.Sprintf("must be a string, got %s", typeName(normalize(plainTree(raw))))}
	}
}

// setUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName. With a name
// set, the chart ignores oidc.upstreamIDPs and reads the key upstream-idps
// of that Secret (see UpstreamIDPsSecret.Manifest); clear the inline list with
// SetUpstreamIDPs(nil). name must be a valid Kubernetes Secret name, not
// empty: use clearUpstreamIDPsSecretName, as with Values.
func (v HelmValues) setUpstreamIDPsSecretName(name string) error {
	if name == "" {
		return errEmptySecretName()
	}
	if err := checkDNSSubdomain("oidc."+helmSecretName, name); err != nil {
		return err
	}
	oidc, err := v.oidc(true)
	if err != nil {
		return err
	}
	return oidc.set(helmSecretName, name, "oidc")
}

// clearUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName to "" when
// the values set it, so that the chart uses the inline list again. An absent
// or empty key is left alone.
func (v HelmValues) clearUpstreamIDPsSecretName() error {
	name, err := v.UpstreamIDPsSecretName()
	if err != nil || name == "" {
		return err
	}
	oidc, err := v.oidc(false)
	if err != nil {
		return err
	}
	return oidc.set(helmSecretName, "", "oidc")
}

// DisableMockIDP sets oidc.mockIDP to false, creating oidc when needed, as
// Document.DisableMockIDP does.
func (v HelmValues) DisableMockIDP() error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	oidc, err := v.oidc(true)
	if err != nil {
		return err
	}
	return oidc.set("mockIDP", false, "oidc")
}

// UseUpstreamIDPsSecret switches the values to entries kept in a Secret, as
// Document.UseUpstreamIDPsSecret does: oidc.upstreamIDPsSecretName is set to
// name and the inline list emptied (an absent list stays absent). Nothing
// changes when name is not a valid Secret name. Write the entries into the
// Secret first (UpstreamIDPsSecret.Manifest).
func (v HelmValues) UseUpstreamIDPsSecret(name string) error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	if _, _, err := v.readList(); err != nil {
		return err
	}
	if err := v.setUpstreamIDPsSecretName(name); err != nil {
		return err
	}
	oidc, err := v.oidc(false)
	if err != nil {
		return err
	}
	if _, present := oidc.get("upstreamIDPs"); !present {
		return nil
	}
	return v.SetUpstreamIDPs(nil)
}

// UseInlineUpstreamIDPs is the reverse of UseUpstreamIDPsSecret: the inline
// list becomes idps (as SetUpstreamIDPs) and oidc.upstreamIDPsSecretName is
// cleared.
func (v HelmValues) UseInlineUpstreamIDPs(idps []UpstreamIDP) error {
	if err := checkTree(map[string]any(v)); err != nil {
		return err
	}
	if err := checkEntries(idps); err != nil {
		return err
	}
	if err := v.SetUpstreamIDPs(idps); err != nil {
		return err
	}
	return v.clearUpstreamIDPsSecretName()
}

// readList returns the items of oidc.upstreamIDPs and the oidc mapping (not
// valid when missing).
func (v HelmValues) readList() ([]any, genericMap, error) {
	oidc, err := v.oidc(false)
	if err != nil || !oidc.valid() {
		return nil, oidc, err
	}
	raw, _ := oidc.get(helmIDPs)
	if raw == nil {
		return nil, oidc, nil
	}
	rv := reflect.ValueOf(raw)
	if rv.Kind() != reflect.Slice {
		return nil, oidc, &SyntaxError{Path: helmIDPsPath,
			Msg: fmt.Sprintf("must be a list of entries, got %s", typeName(normalize(plainTree(raw))))}
	}
	items := make([]any, rv.Len())
	for i := range items {
		items[i] = rv.Index(i).Interface()
		if !asGenericMap(items[i]).valid() {
			return nil, oidc, errEntryShape(i, normalize(plainTree(items[i])), Position{})
		}
	}
	return items, oidc, nil
}

// writeList stores items as oidc.upstreamIDPs, creating the oidc mapping
// when missing. A list of the literal type []map[string]any stays one.
func (v HelmValues) writeList(oidc genericMap, items []any) error {
	if v == nil {
		return errors.New("pachidp: the values map is nil: pass a map made with make(map[string]any)")
	}
	if !oidc.valid() {
		var err error
		if oidc, err = v.oidc(true); err != nil {
			return err
		}
	}
	var list any = items
	if old, _ := oidc.get(helmIDPs); old != nil {
		if _, ok := old.([]map[string]any); ok {
			typed := make([]map[string]any, len(items))
			convertible := true
			for i, it := range items {
				if typed[i], convertible = it.(map[string]any); !convertible {
					break
				}
			}
			if convertible {
				list = typed
			}
		}
	}
	return oidc.set(helmIDPs, list, "oidc")
}

// oidc returns the oidc mapping. With create, a missing or null one is
// created as a map[string]any.
func (v HelmValues) oidc(create bool) (genericMap, error) {
	raw, ok := v[helmOIDC]
	if !ok || raw == nil {
		if !create {
			return genericMap{}, nil
		}
		if v == nil {
			return genericMap{}, errors.New("pachidp: the values map is nil: pass a map made with make(map[string]any)")
		}
		m := map[string]any{}
		v[helmOIDC] = m
		return asGenericMap(m), nil
	}
	m := asGenericMap(raw)
	if !m.valid() {
		return genericMap{}, &SyntaxError{Path: helmOIDC,
			Msg: fmt.Sprintf("must be a mapping, got %s", typeName(normalize(plainTree(raw))))}
	}
	return m, nil
}

// indexOfID returns the indexes of the entries whose id is id.
func indexOfID(items []any, id string) []int {
	return entriesWithID(len(items), func(i int) any { got, _ := asGenericMap(items[i]).get("id"); return got }, id)
}

// sameEntry reports whether an existing entry map already says what e says.
func sameEntry(item any, e UpstreamIDP) bool {
	return reflect.DeepEqual(normalize(plainTree(item)), normalize(e.Map()))
}

// genericMap is a map with string (or interface) keys and interface values,
// of whatever type: map[string]any, map[any]any, chartutil.Values, ...
type genericMap struct{ rv reflect.Value }

func asGenericMap(v any) genericMap {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.IsNil() {
		return genericMap{}
	}
	switch rv.Type().Key().Kind() {
	case reflect.String, reflect.Interface:
		return genericMap{rv}
	}
	return genericMap{}
}

func (m genericMap) valid() bool { return m.rv.IsValid() }

func (m genericMap) key(k string) reflect.Value {
	kv := reflect.ValueOf(k)
	if m.rv.Type().Key().Kind() == reflect.String {
		return kv.Convert(m.rv.Type().Key())
	}
	return kv
}

func (m genericMap) get(k string) (any, bool) {
	if !m.valid() {
		return nil, false
	}
	v := m.rv.MapIndex(m.key(k))
	if !v.IsValid() {
		return nil, false
	}
	return v.Interface(), true
}

func (m genericMap) set(k string, val any, path string) error {
	vv := reflect.ValueOf(val)
	if !vv.Type().AssignableTo(m.rv.Type().Elem()) {
		return &SyntaxError{Path: path, Msg: fmt.Sprintf("is a %s, which cannot hold %s: use map[string]any", m.rv.Type(), joinPath(path, k))}
	}
	m.rv.SetMapIndex(m.key(k), vv)
	return nil
}

// plainTree copies a generic tree into map[string]any and []any, whatever
// the map and slice types (map[any]any from yaml.v2, []map[string]any,
// chartutil.Values). Scalars are kept; normalize then fixes numbers.
func plainTree(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64:
		return v
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = plainTree(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = plainTree(val)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out[fmt.Sprint(it.Key().Interface())] = plainTree(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return v
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = plainTree(rv.Index(i).Interface())
		}
		return out
	}
	return v
}

// Redacted returns a deep copy of the values tree in which the value of every
// secret key (see IsSecretKey), at any depth, is Redacted, and so is an
// entry's config written as text (jsonConfig): a form that can be logged or
// printed. Maps and lists of any type come back as map[string]any and []any,
// which encoding/json can write. The values themselves are not changed. A
// tree no values file can be (one that holds itself, see checkTree) gives
// nil.
func (v HelmValues) Redacted() map[string]any {
	if checkTree(map[string]any(v)) != nil {
		return nil
	}
	out, _ := redact(plainTree(map[string]any(v))).(map[string]any)
	return out
}
