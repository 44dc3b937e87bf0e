package pachidp

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ---------------------------------------------------------------------------
// Decoding

// DecodeUpstreamIDPs reads a list of entries from YAML or JSON: the text of
// Helm's oidc.upstreamIDPs or of the Secret key upstream-idps. An empty input
// is an empty list. Problems inside entries (unknown keys, wrong types) are not
// errors here: the entries keep them and Validate reports them all at once.
func DecodeUpstreamIDPs(data []byte) ([]UpstreamIDP, error) {
	doc, err := parseDocument(data)
	if err != nil || doc == nil {
		return nil, err
	}
	pos := positions{}
	v, err := toValue(doc, "", pos)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	return entriesFromValue(v, "", pos)
}

// decodeUpstreamIDP reads one entry from YAML or JSON.
func decodeUpstreamIDP(data []byte) (UpstreamIDP, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return UpstreamIDP{}, err
	}
	if doc == nil {
		return UpstreamIDP{}, &SyntaxError{Msg: "empty input: expected an entry with type, id, name and config"}
	}
	pos := positions{}
	v, err := toValue(doc, "", pos)
	if err != nil {
		return UpstreamIDP{}, err
	}
	return entryFromValue(v, "", pos)
}

// upstreamIDPsFromValue converts the value of oidc.upstreamIDPs as found in a
// generic values tree (map[string]any from Helm's Go SDK, yaml.v3 or
// encoding/json) into entries.
func upstreamIDPsFromValue(v any) ([]UpstreamIDP, error) {
	return entriesFromValue(normalize(v), "oidc.upstreamIDPs", nil)
}

// UpstreamIDPFromMap converts one entry in map form into an UpstreamIDP.
func UpstreamIDPFromMap(m map[string]any) (UpstreamIDP, error) {
	if err := checkTree(m); err != nil {
		return UpstreamIDP{}, err
	}
	return entryFromValue(normalize(m), "", nil)
}

func entriesFromValue(v any, path string, pos positions) ([]UpstreamIDP, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, &SyntaxError{Path: path, Pos: pos.at(path),
			Msg: fmt.Sprintf("upstream IdPs must be a list of entries, got %s", typeName(v))}
	}
	out := make([]UpstreamIDP, 0, len(list))
	for i, item := range list {
		e, err := entryFromValue(item, indexPath(path, i), pos)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func entryFromValue(v any, path string, pos positions) (UpstreamIDP, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return UpstreamIDP{}, &SyntaxError{Path: path, Pos: pos.at(path),
			Msg: fmt.Sprintf("an entry must be a mapping with type, id, name and config, got %s", typeName(v))}
	}
	var e UpstreamIDP
	if pos != nil {
		e.src = &source{pos: pos, path: path}
	}
	keep := func(k string, val any) {
		if e.Extra == nil {
			e.Extra = map[string]any{}
		}
		e.Extra[k] = val
	}
	var config any
	hasConfig := false
	for _, k := range sortedKeys(m) {
		val := m[k]
		field, known := entryFieldOf(k)
		switch {
		case !known:
			keep(k, val)
		case field.reads == readsMapping:
			config, hasConfig = val, true
		case field.reads == readsString:
			s, ok := val.(string)
			if !ok && val != nil {
				keep(k, val)
				continue
			}
			switch k {
			case "id":
				e.ID = s
			case "name":
				e.Name = s
			case "type":
				e.Type = s
			case "jsonConfig":
				e.JSONConfig = s
			}
		case field.reads == readsWholeNumber: // configVersion
			n, ok := int64Value(val)
			if !ok {
				keep(k, val)
				continue
			}
			e.ConfigVersion = n
		}
	}
	if hasConfig && config != nil {
		cm, ok := config.(map[string]any)
		switch {
		case !ok:
			keep("config", config)
		case e.Type == typeOIDC:
			c := &OIDCConfig{}
			decodeStruct(cm, reflect.ValueOf(c).Elem(), joinPath(path, "config"), pos)
			e.OIDC = c
		default:
			e.Config = ConnectorConfig(cm)
		}
	}
	return e, nil
}

// entryField is a key of an entry as pachd's decoder reads it: a field of
// identity.IDPConnector (identity.proto), under its declared camelCase name,
// the only name pachd's decoder accepts (config_version and json_config
// are refused, as is any case but this one).
type entryField struct {
	key   string
	reads string // what pachd reads there: readsString, ...
	// required fields must be set and not empty: pachd refuses the entry
	// otherwise.
	required bool
	// since23: pachd reads it from Pachyderm 2.3 on (config).
	since23 bool
}

// What pachd reads in an entry's field.
const (
	readsString      = "a string"
	readsWholeNumber = "a whole number"
	readsMapping     = "a mapping of connector settings"
)

// entryFields is the one list of the keys pachd accepts in an entry, in
// the order the guide writes them (and findings without positions are
// sorted): UpstreamIDP decodes them, Validate checks them for a target
// (validate_entry.go) and decodePachdStrict as pachd 2.3 and later reads
// them (pachd.go).
var entryFields = []entryField{
	{key: "type", reads: readsString, required: true},
	{key: "id", reads: readsString, required: true},
	{key: "name", reads: readsString, required: true},
	{key: "configVersion", reads: readsWholeNumber},
	{key: "jsonConfig", reads: readsString},
	{key: "config", reads: readsMapping, since23: true},
}

// snakeKeys are the snake_case spellings people write for entry fields
// (the proto's field names), each with the camelCase key pachd's JSON
// decoders read: pachd refuses them (validate_entry.go), the schema says so
// (schema.go), and pachctl's connector file does not carry them
// (convert_pachctl.go).
var snakeKeys = map[string]string{"config_version": "configVersion", "json_config": "jsonConfig"}

// entryFieldOf returns the field pachd reads under key k.
func entryFieldOf(k string) (entryField, bool) {
	for _, f := range entryFields {
		if f.key == k {
			return f, true
		}
	}
	return entryField{}, false
}

// accepts reports whether pachd reads v in the field (null is the field's
// default).
func (f entryField) accepts(v any) bool {
	if v == nil {
		return true
	}
	switch f.reads {
	case readsString:
		_, ok := v.(string)
		return ok
	case readsWholeNumber:
		_, ok := int64Value(v)
		return ok
	}
	_, ok := v.(map[string]any)
	return ok
}

// int64Value accepts what protobuf's JSON decoder accepts for an int64: a
// whole number, or a string holding one.
func int64Value(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

// decodeStruct fills a config struct from a generic map the way Dex's
// encoding/json does: key names match case-insensitively, and each key is
// set over the last, in the order Dex reads them: sorted, as pachd and Helm
// write a config mapping (toYaml, YAMLToJSON and protojson all sort keys).
// So of redirectURI and redirectUri the second wins (U sorts before u). A
// null leaves a string or bool field as it was and clears a list or
// pointer field, as encoding/json does. The keys that lose go to Extra,
// so that nothing is lost and Validate can report them; unknown keys and
// values of the wrong type go there too, as written. Positions of keys
// matched case-insensitively are also recorded under the canonical name,
// so findings point at them.
func decodeStruct(m map[string]any, rv reflect.Value, path string, pos positions) {
	fields := structFields(rv.Type())
	extra := rv.FieldByName("Extra")
	keep := func(k string, val any) {
		if extra.IsNil() {
			extra.Set(reflect.ValueOf(map[string]any{}))
		}
		extra.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(&val).Elem())
	}
	// A field is filled by one key: the last in sorted order that is not
	// null (a null after it clears a list or pointer field). Other
	// variants go to Extra.
	owner := map[int]string{}
	for _, k := range sortedKeys(m) {
		f, ok := fields.lookup(k)
		if !ok {
			continue
		}
		if m[k] != nil {
			owner[f.index] = k
			continue
		}
		switch rv.Field(f.index).Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			delete(owner, f.index)
		}
	}
	for _, k := range sortedKeys(m) {
		val := m[k]
		f, ok := fields.lookup(k)
		if !ok || (val != nil && owner[f.index] != k) {
			keep(k, val)
			continue
		}
		if val == nil {
			continue
		}
		p := joinPath(path, f.name)
		if pos != nil && f.name != k {
			if at, ok := pos[joinPath(path, k)]; ok {
				pos[p] = at
				// Keep child positions reachable under the canonical path too.
				prefix := joinPath(path, k)
				for q, at := range pos {
					if strings.HasPrefix(q, prefix+".") || strings.HasPrefix(q, prefix+"[") {
						pos[p+q[len(prefix):]] = at
					}
				}
			}
		}
		if !setField(rv.Field(f.index), val, p, pos) {
			keep(k, val)
		}
	}
}

// setField assigns a generic value to a config field; false means a type
// mismatch (encoding/json would fail on it too).
func setField(fv reflect.Value, val any, path string, pos positions) bool {
	switch fv.Kind() {
	case reflect.String:
		s, ok := val.(string)
		if ok {
			fv.SetString(s)
		}
		return ok
	case reflect.Pointer:
		elem := reflect.New(fv.Type().Elem())
		if !setField(elem.Elem(), val, path, pos) {
			return false
		}
		fv.Set(elem)
		return true
	case reflect.Bool:
		b, ok := val.(bool)
		if ok {
			fv.SetBool(b)
		}
		return ok
	case reflect.Slice:
		list, ok := val.([]any)
		if !ok {
			return false
		}
		out := reflect.MakeSlice(fv.Type(), len(list), len(list))
		for i, item := range list {
			if item == nil {
				continue
			}
			if !setField(out.Index(i), item, indexPath(path, i), pos) {
				return false
			}
		}
		fv.Set(out)
		return true
	case reflect.Struct:
		m, ok := val.(map[string]any)
		if !ok {
			return false
		}
		decodeStruct(m, fv, path, pos)
		return true
	}
	return false
}

type structField struct {
	name  string // JSON name
	index int
}

type fieldTable struct {
	byName  map[string]structField
	byLower map[string]structField
	order   []structField
}

func (t fieldTable) lookup(k string) (structField, bool) {
	if f, ok := t.byName[k]; ok {
		return f, true
	}
	f, ok := t.byLower[strings.ToLower(k)]
	return f, ok
}

var fieldTables = map[reflect.Type]fieldTable{}

func init() {
	for _, v := range []any{OIDCConfig{}, ProviderDiscoveryOverrides{}, ClaimMapping{},
		ClaimModifications{}, NewGroupFromClaims{}, FilterGroupClaims{}, ModifyGroupNames{}} {
		t := reflect.TypeOf(v)
		ft := fieldTable{byName: map[string]structField{}, byLower: map[string]structField{}}
		for i := 0; i < t.NumField(); i++ {
			name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			f := structField{name: name, index: i}
			ft.byName[name] = f
			ft.byLower[strings.ToLower(name)] = f
			ft.order = append(ft.order, f)
		}
		fieldTables[t] = ft
	}
}

func structFields(t reflect.Type) fieldTable { return fieldTables[t] }

// oidcConfigKeys lists the JSON keys of OIDCConfig in the order pachidp
// writes them.
func oidcConfigKeys() []string {
	var out []string
	for _, f := range structFields(reflect.TypeOf(OIDCConfig{})).order {
		out = append(out, f.name)
	}
	return out
}

// normalize turns any generic tree (map[string]any or map[any]any, []any or
// []map[string]any, float64 numbers from encoding/json, json.Number) into the
// canonical forms used here.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = normalize(val)
		}
		return out
	case ConnectorConfig:
		return normalize(map[string]any(x))
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[fmt.Sprint(k)] = normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = val
		}
		return out
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
