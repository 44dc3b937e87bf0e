package pachidp

import (
	"embed"
	"encoding/json"
	"sort"
	"strings"
	"sync"
)

// The key tables of every Dex pachidp models: for each connector type its
// Dex registers (server.ConnectorsConfig), the JSON shape of its config
// struct. They are written by reflection over the real structs, by the
// conformance module of that Dex (conformance/dex/<name>, go test -update),
// and checked there on every run, so they cannot drift from the code.
//
//go:embed dexconfig/*.json
var dexConfigFiles embed.FS

// schemaNode is the JSON shape of one Go value as encoding/json decodes it.
type schemaNode struct {
	Kind    string                 `json:"kind"` // string bool int uint float array map object any bytes custom
	Pointer bool                   `json:"pointer,omitempty"`
	Items   *schemaNode            `json:"items,omitempty"`
	Values  *schemaNode            `json:"values,omitempty"`
	Fields  map[string]*schemaNode `json:"fields,omitempty"`
	GoType  string                 `json:"goType,omitempty"`
}

// dexConfigTable is one file of dexconfig/.
type dexConfigTable struct {
	Dex        string                 `json:"dex"`
	Connectors map[string]*schemaNode `json:"connectors"`
	// Rules are what each type's Open and LoginURL refuse, found by running
	// them (validate_open.go).
	Rules map[string]*openRules `json:"rules"`
}

var dexTables sync.Map // *dexVersion -> *dexConfigTable

// table returns the key table of d, read from dexconfig/<name>.json. A
// missing or broken file is a build defect, caught by TestDexConfigTables.
func (d *dexVersion) table() *dexConfigTable {
	if t, ok := dexTables.Load(d); ok {
		return t.(*dexConfigTable)
	}
	t := &dexConfigTable{}
	data, err := dexConfigFiles.ReadFile("dexconfig/" + d.name + ".json")
	if err == nil {
		err = json.Unmarshal(data, t)
	}
	if err != nil {
		panic("pachidp: the key table of " + d.name + ": " + err.Error())
	}
	v, _ := dexTables.LoadOrStore(d, t)
	return v.(*dexConfigTable)
}

// connector returns the config shape of a connector type, nil when this Dex
// has no such type.
func (d *dexVersion) connector(typ string) *schemaNode { return d.table().Connectors[typ] }

// types returns the connector types this Dex registers, sorted.
func (d *dexVersion) types() []string {
	out := make([]string, 0, len(d.table().Connectors))
	for k := range d.table().Connectors {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// field finds a key of an object the way encoding/json does: the exact name
// first, then any name equal under Unicode case folding. It returns the name
// as the struct declares it.
func (n *schemaNode) field(key string) (string, *schemaNode) {
	if n == nil || n.Kind != "object" {
		return "", nil
	}
	if f, ok := n.Fields[key]; ok {
		return key, f
	}
	for name, f := range n.Fields {
		if strings.EqualFold(name, key) {
			return name, f
		}
	}
	return "", nil
}

// fieldNames returns the keys of an object node, sorted.
func (n *schemaNode) fieldNames() []string {
	out := make([]string, 0, len(n.Fields))
	for k := range n.Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// allDexVersions returns each Dex of the table once, oldest first.
func allDexVersions() []*dexVersion {
	var out []*dexVersion
	for _, t := range Targets() {
		d := t.rl().dex
		if len(out) == 0 || out[len(out)-1] != d {
			out = append(out, d)
		}
	}
	return out
}
