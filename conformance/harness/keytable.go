package harness

import (
	"encoding"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// Kind describes how encoding/json decodes one Go type. The JSON form is the
// format of dexconfig/<name>.json, which the library embeds.
type Kind struct {
	Kind    string           `json:"kind"`
	Pointer bool             `json:"pointer,omitempty"`
	Items   *Kind            `json:"items,omitempty"`
	Values  *Kind            `json:"values,omitempty"`
	Fields  map[string]*Kind `json:"fields,omitempty"`
	GoType  string           `json:"goType,omitempty"`
	Accepts []string         `json:"accepts,omitempty"`
}

// KeyTable is dexconfig/<name>.json.
type KeyTable struct {
	Dex        string           `json:"dex"`
	Types      []string         `json:"types"`
	Connectors map[string]*Kind `json:"connectors"`
	// Rules is what each type's Open and LoginURL refuse, found by running
	// them (openrules.go).
	Rules map[string]*TypeRules `json:"rules,omitempty"`
}

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// Describe walks t as encoding/json would decode into it.
func Describe(t reflect.Type) *Kind { return describe(t, map[reflect.Type]bool{}) }

func describe(t reflect.Type, seen map[reflect.Type]bool) *Kind {
	ptr := false
	for t.Kind() == reflect.Pointer {
		ptr = true
		t = t.Elem()
	}
	k := describeValue(t, seen)
	k.Pointer = ptr
	return k
}

func describeValue(t reflect.Type, seen map[reflect.Type]bool) *Kind {
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return &Kind{Kind: "custom", GoType: t.String(), Accepts: probe(t)}
	}
	switch t.Kind() {
	case reflect.String:
		return &Kind{Kind: "string"}
	case reflect.Bool:
		return &Kind{Kind: "bool"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return &Kind{Kind: "int"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return &Kind{Kind: "uint"}
	case reflect.Float32, reflect.Float64:
		return &Kind{Kind: "float"}
	case reflect.Interface:
		return &Kind{Kind: "any"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(jsonUnmarshaler) && !reflect.PointerTo(t.Elem()).Implements(textUnmarshaler) {
			return &Kind{Kind: "bytes"}
		}
		return &Kind{Kind: "array", Items: describe(t.Elem(), seen)}
	case reflect.Array:
		return &Kind{Kind: "array", Items: describe(t.Elem(), seen)}
	case reflect.Map:
		return &Kind{Kind: "map", Values: describe(t.Elem(), seen)}
	case reflect.Struct:
		if seen[t] {
			return &Kind{Kind: "object", GoType: t.String()} // recursion
		}
		seen[t] = true
		defer delete(seen, t)
		return &Kind{Kind: "object", Fields: fields(t, seen)}
	}
	return &Kind{Kind: "unsupported", GoType: t.String()}
}

// fields follows encoding/json's rules: tag name else Go name, "-"
// skipped, unexported skipped, untagged embedded structs flattened, and a
// shallower field wins over a deeper one of the same name.
func fields(t reflect.Type, seen map[reflect.Type]bool) map[string]*Kind {
	type found struct {
		depth int
		kind  *Kind
	}
	out := map[string]found{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if !f.IsExported() && et.Kind() != reflect.Struct {
					continue
				}
				if name == "" && et.Kind() == reflect.Struct {
					walk(et, depth+1)
					continue
				}
			} else if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if prev, ok := out[name]; ok && prev.depth <= depth {
				continue
			}
			out[name] = found{depth, describe(ft, seen)}
		}
	}
	walk(t, 0)
	m := map[string]*Kind{}
	for k, v := range out {
		m[k] = v.kind
	}
	return m
}

// probe tells which JSON kinds a custom type's UnmarshalJSON accepts, by
// trying one or more samples of each.
func probe(t reflect.Type) []string {
	samples := map[string][]string{
		"string": {`"1h"`, `"x"`, `""`, `"ZmFrZQ=="`, `"2006-01-02T15:04:05Z"`},
		"number": {`1`, `0`},
		"bool":   {`true`},
		"array":  {`[]`, `["x"]`},
		"object": {`{}`},
	}
	var ok []string
	for kind, ss := range samples {
		for _, s := range ss {
			v := reflect.New(t)
			if json.Unmarshal([]byte(s), v.Interface()) == nil {
				ok = append(ok, kind)
				break
			}
		}
	}
	sort.Strings(ok)
	return ok
}

// BuildKeyTable describes every registered connector type's config.
func BuildKeyTable(d Dex) *KeyTable {
	kt := &KeyTable{Dex: d.Module, Connectors: map[string]*Kind{}}
	kt.Types = append([]string(nil), d.Types...)
	sort.Strings(kt.Types)
	for _, typ := range kt.Types {
		conf, _ := d.New(typ)
		kt.Connectors[typ] = Describe(reflect.TypeOf(conf))
		kt.Connectors[typ].Pointer = false
	}
	return kt
}

// RunKeyTable is the key-table test of one module: it compares (or with
// -update writes) dexconfig/<name>.json at the repository root: the key
// tables by reflection and the rules the probes find by running Open. It
// needs the fake world (Main).
func RunKeyTable(t *testing.T, s Setup) *KeyTable {
	t.Helper()
	kt := BuildKeyTable(s.Dex)
	kt.Rules = ProbeRules(t, s.Dex, kt)
	b, err := Marshal(kt)
	if err != nil {
		t.Fatal(err)
	}
	if err := Golden(filepath.Join(s.RepoRoot, "dexconfig", s.Name+".json"), b); err != nil {
		t.Error(err)
	}
	return kt
}
