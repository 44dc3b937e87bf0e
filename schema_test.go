package pachidp

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"testing"
)

// The schema's agreement with the real code is proven by the module
// conformance/schema, with the validator Helm uses, over the corpus. These
// tests hold it to the tables it is derived from, and keep the newest
// target's schema as a golden file (testdata/schema/), so a change of a
// table shows up as a reviewed diff.

func schemaOf(t *testing.T, target Target, opts JSONSchemaOptions) map[string]any {
	t.Helper()
	data, err := target.JSONSchema(opts)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: not JSON: %v", target.Name(), err)
	}
	return m
}

func TestJSONSchemaGolden(t *testing.T) {
	newest := Target{}
	data, err := newest.JSONSchema(JSONSchemaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "schema/pachidp-"+newest.Name()+".json", data)
}

func TestJSONSchemaDeterministic(t *testing.T) {
	for _, target := range Targets() {
		a, _ := target.JSONSchema(JSONSchemaOptions{})
		for range 3 {
			b, _ := target.JSONSchema(JSONSchemaOptions{})
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: two calls give different schemas", target.Name())
			}
		}
	}
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sub(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m, _ = m[p].(map[string]any)
	}
	return m
}

// TestJSONSchemaFromTables: the schema says what the tables say, for every
// target.
func TestJSONSchemaFromTables(t *testing.T) {
	for _, target := range Targets() {
		l := target.rl()
		for _, strict := range []bool{false, true} {
			s := schemaOf(t, target, JSONSchemaOptions{StrictConfig: strict})
			name := target.Name()
			if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" || s["$id"] != jsonSchemaID(target, JSONSchemaOptions{StrictConfig: strict}) {
				t.Errorf("%s: $schema %v, $id %v", name, s["$schema"], s["$id"])
			}
			entry := sub(s, "$defs", "upstreamIDP")
			props := sub(entry, "properties")
			for _, k := range entryKeysOf(target) {
				if props[k] == nil {
					t.Errorf("%s: entry key %s missing", name, k)
				}
				if d, _ := sub(props, k)["description"].(string); d == "" {
					t.Errorf("%s: entry key %s has no description", name, k)
				}
			}
			var types []string
			for _, v := range sub(props, "type")["enum"].([]any) {
				types = append(types, v.(string))
			}
			if !slices.Equal(types, l.dex.types()) {
				t.Errorf("%s: type enum %v, the key table of %s has %v", name, types, l.dex.name, l.dex.types())
			}
			strictReader := l.pachd.kind == decoderProtojson || l.pachd.kind == decoderGogo
			if got := entry["additionalProperties"] == false; got != strictReader {
				t.Errorf("%s: entry additionalProperties false is %v, the reader is strict: %v", name, got, strictReader)
			}
			if _, refused := sub(props, "version")["not"]; refused != strictReader {
				t.Errorf("%s: version refused is %v, want %v", name, refused, strictReader)
			}
			for _, typ := range l.dex.types() {
				cfg := sub(s, "$defs", configDef(typ))
				if cfg == nil {
					t.Errorf("%s: no $defs for %s", name, typ)
					continue
				}
				if got, want := keysOf(sub(cfg, "properties")), l.dex.connector(typ).fieldNames(); !slices.Equal(got, want) {
					t.Errorf("%s: %s config keys %v, the key table has %v", name, typ, got, want)
				}
				if got := cfg["additionalProperties"] == false; got != strict {
					t.Errorf("%s: %s config additionalProperties false is %v with StrictConfig %v", name, typ, got, strict)
				}
			}
		}
	}
}

// TestJSONSchemaConnectorRules: the keys each type's Open needs, refuses
// together or without another, and the values it knows, as the probes found
// them (dexconfig/, validate_open.go), are in the schema of every target.
func TestJSONSchemaConnectorRules(t *testing.T) {
	for _, target := range Targets() {
		s := schemaOf(t, target, JSONSchemaOptions{})
		d := target.rl().dex
		for _, typ := range d.types() {
			r := d.openRulesOf(typ)
			if r == nil {
				t.Errorf("%s: no probed rules for %s in dexconfig/%s.json", target.Name(), typ, d.name)
				continue
			}
			cfg := sub(s, "$defs", configDef(typ))
			all, _ := cfg["allOf"].([]any)
			want := 0
			for _, q := range r.Required {
				if !openRuleElsewhere[typ][q.Key] {
					want++
				}
			}
			for _, q := range r.Requires {
				if !openRuleElsewhere[typ][q.Key] {
					want++
				}
			}
			for _, q := range r.Conflicts {
				if !openRuleElsewhere[typ][q.Key] {
					want += len(q.Other)
				}
			}
			for _, q := range r.Forms {
				if !openRuleElsewhere[typ][q.Key] {
					want++
				}
			}
			if len(all) != want {
				t.Errorf("%s: %s config has %d rules, the probes found %d", target.Name(), typ, len(all), want)
			}
			for _, q := range r.Enums {
				p := cfg
				for _, seg := range splitDots(q.Key) {
					p = sub(p, "properties", seg)
				}
				if !openRuleElsewhere[typ][q.Key] && (p == nil || p["anyOf"] == nil) {
					t.Errorf("%s: %s config: no values for %s", target.Name(), typ, q.Key)
				}
			}
		}
	}
}

func splitDots(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestFoldPattern(t *testing.T) {
	for name, want := range map[string]string{
		"id":      "^[iI][dD]$",
		"sk":      "^[sS\u017f][kK\u212a]$",
		"user_id": "^[uU][sS\u017f][eE][rR]_[iI][dD]$",
	} {
		if got := foldPattern(name); got != want {
			t.Errorf("foldPattern(%q) = %q, want %q", name, got, want)
		}
	}
}
