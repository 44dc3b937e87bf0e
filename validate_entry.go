package pachidp

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// This file holds the rules of pachd's stage: how pachd decodes an entry of
// IDP_CONNECTORS and picks its config, before Dex sees it.
//
// pachd converts the list to JSON (sigs.k8s.io/yaml.YAMLToJSON) and decodes
// each entry with protojson into identity.IDPConnector, default options:
// an unknown field is an error, and the fields are the names the proto
// declares (camelCase: configVersion, jsonConfig), src/identity/identity.proto
// and src/server/identityutil/identityutil.go:41 (IDPConnectors.UnmarshalJSON)
// at pachyderm e237475. PickConfig (identityutil.go:22) then takes config when
// it has fields, else jsonConfig unless it is "" or "null", else fails with
// "no configs are defined" whatever the type.

// entryKeys are the keys pachd's decoder accepts on the newest target, in
// the order findings without positions are sorted.
var entryKeys = []string{"type", "id", "name", "configVersion", "jsonConfig", "config"}

// entryKeysOf returns the entry keys the target's pachd accepts.
func entryKeysOf(t Target) []string {
	if t.rl().pachd.configField || t.IsUpstreamDex() {
		return entryKeys
	}
	return entryKeys[:len(entryKeys)-1] // no config before 2.3
}

func (c *entryCheck) checkEntryShape() {
	e := c.e
	for _, fe := range shapeErrors(entryShape{Type: e.Type, ID: e.ID, Name: e.Name}) {
		key := fe.Field()
		if _, wrongType := e.Extra[key]; wrongType {
			continue // reported as wrong-type
		}
		switch key {
		case "id":
			c.add(key, "required", FatePachdCrash, "missing: pachd requires an id and keeps connectors by it, so %s; add one, such as id: auth0", fateWords[FatePachdCrash])
		case "name":
			c.add(key, "required", FatePachdCrash, "missing: pachd requires a name, which Dex shows on its login page, so %s; add one, such as name: Auth0", fateWords[FatePachdCrash])
		case "type":
			c.add(key, "required", FatePachdCrash, "missing: pachd requires a type, so %s; add one, such as type: oidc", fateWords[FatePachdCrash])
		}
	}
}

func (c *entryCheck) checkDuplicateID(all []UpstreamIDP) {
	id := c.e.ID
	if id == "" {
		return
	}
	first, seen := c.ids[id]
	if !seen {
		c.ids[id] = c.index
		return
	}
	other := indexPath(c.base, first)
	if p := all[first].Pos("id"); p.IsValid() {
		other += fmt.Sprintf(" (line %d)", p.Line)
	}
	c.add("id", "duplicate-id", FatePachdCrash,
		"id %q is also the id of %s: pachd keeps connectors by id and refuses to create the same id twice, so %s; give each entry its own id", id, other, fateWords[FatePachdCrash])
}

// checkType reports a type the target's Dex does not register.
func (c *entryCheck) checkType() {
	t := c.e.Type
	if t == "" || c.dex.connector(t) != nil {
		return
	}
	types := c.dex.types()
	fix := "use one of " + strings.Join(types, ", ")
	for _, k := range types {
		if strings.EqualFold(k, t) {
			fix = fmt.Sprintf("types are case-sensitive; use %q", k)
			break
		}
	}
	if !strings.HasPrefix(fix, "types") {
		if k := nearest(t, types); k != "" {
			fix = fmt.Sprintf("use %q", k)
		}
	}
	also := ""
	for _, d := range allDexVersions() {
		if d.connector(t) != nil {
			also = fmt.Sprintf(" (other Dex versions have it: this one does not)")
			break
		}
	}
	c.add("type", "unknown-type", FatePachdCrash, "%s has no connector type %q%s, so %s: %s", c.dexName(), t, also, fateWords[FatePachdCrash], fix)
}

// checkEntryExtra reports the keys pachd's strict decoder does not accept,
// and known keys that hold a value of the wrong type.
func (c *entryCheck) checkEntryExtra() {
	e := c.e
	crash := fateWords[FatePachdCrash]
	for _, k := range sortedKeys(e.Extra) {
		v := e.Extra[k]
		switch k {
		case "id", "name", "type":
			fix := "quote the value"
			switch v.(type) {
			case []any, map[string]any:
				fix = "give a single string"
			}
			c.add(k, "wrong-type", FatePachdCrash, "%s is %s, but pachd reads a string: it rejects the entry and %s; %s", k, typeName(v), crash, fix)
		case "configVersion":
			c.add(k, "wrong-type", FatePachdCrash,
				"configVersion is %s, but pachd reads a whole number: it rejects the entry and %s; delete the key, pachd manages the version", typeName(v), crash)
		case "jsonConfig":
			c.add(k, "wrong-type", FatePachdCrash,
				"jsonConfig is %s, but pachd reads a string of JSON: it rejects the entry and %s; write the settings as a mapping under config instead", typeName(v), crash)
		case "config":
			c.add(k, "wrong-type", FatePachdCrash,
				"config is %s, but pachd reads a mapping of connector settings: it rejects the entry and %s; write the settings as key: value lines indented under config", typeName(v), crash)
		case "version":
			c.add(k, "pachctl-version-key", FatePachdCrash,
				"version belongs to pachctl's connector file (pachctl idp create-connector --config), not to Helm values: pachd's strict decoder rejects it and %s; delete it (pachd manages configVersion itself)", crash)
		case "config_version", "json_config":
			camel := map[string]string{"config_version": "configVersion", "json_config": "jsonConfig"}[k]
			fix := "delete it, pachd manages the version"
			if k == "json_config" {
				fix = "write the settings as a mapping under config instead"
			}
			c.add(k, "unknown-entry-key", FatePachdCrash,
				"pachd's decoder knows the field only by its declared name %s (identity.proto), so it rejects %s and %s; %s", camel, k, crash, fix)
		default:
			fix := "delete it"
			if _, ok := structFields(reflect.TypeOf(OIDCConfig{})).lookup(k); ok {
				fix = "it is a connector setting: move it under config"
			} else if s := nearest(k, entryKeysOf(c.opts.Target)); s != "" {
				fix = fmt.Sprintf("rename it to %q", s)
			}
			c.add(joinPath("", k), "unknown-entry-key", FatePachdCrash,
				"pachd's strict decoder rejects the key %q and %s; entries take only %s: %s", k, crash, strings.Join(entryKeysOf(c.opts.Target), ", "), fix)
		}
	}
	if e.ConfigVersion != 0 {
		c.add("configVersion", "config-version-managed", FateIgnored,
			"pachd overwrites configVersion with its stored version plus one on every start: delete it")
	}
}

// pickConfig does what pachd's PickConfig does and decides which config Dex
// gets: c.cfgKey is "config" or "jsonConfig", c.cfg the config as JSON
// values. It reports an entry with none (fatal whatever the type), a
// jsonConfig that is not a JSON object, and a config map on a pachd that has
// no such field. It returns false when Dex gets nothing to check.
func (c *entryCheck) pickConfig() bool {
	e := c.e
	crash := fateWords[FatePachdCrash]
	hasConfig := e.OIDC != nil || e.Config != nil
	if hasConfig && !c.opts.Target.rl().pachd.configField && !c.opts.Target.IsUpstreamDex() {
		c.add("config", "config-unsupported", FatePachdCrash,
			"%s's pachd has no config field (it came in 2.3): its strict decoder rejects the key and %s; write the settings as a JSON string in jsonConfig, or upgrade", c.opts.Target, crash)
		return false
	}
	var cfg map[string]any
	switch {
	case e.OIDC != nil:
		cfg = plain(e.OIDC.ordered()).(map[string]any)
	case e.Config != nil:
		cfg = plain(orderGeneric(e.Config)).(map[string]any)
	}
	// protojson decodes even an empty mapping into a Struct whose Fields map
	// is not nil, so PickConfig passes "{}" on to Dex.
	if hasConfig {
		if e.JSONConfig != "" {
			c.add("jsonConfig", "config-and-json-config", FateIgnored,
				"both config and jsonConfig are set: pachd uses config and ignores jsonConfig; delete jsonConfig")
		}
		c.cfgKey, c.cfg = "config", cfg
		return true
	}
	_, configWrong := e.Extra["config"]
	_, jsonWrong := e.Extra["jsonConfig"]
	_, snake := e.Extra["json_config"]
	if configWrong || jsonWrong || snake {
		return false // reported as wrong-type
	}
	if e.JSONConfig == "" || e.JSONConfig == "null" {
		what := "the connector's settings"
		if e.Type == TypeOIDC {
			what = "issuer, clientID, clientSecret and redirectURI"
		}
		where, key := "add a config mapping with "+what, "config"
		if !c.opts.Target.rl().pachd.configField && !c.opts.Target.IsUpstreamDex() {
			where, key = "add jsonConfig, a JSON string with "+what, "jsonConfig"
		}
		detail := "the entry has no config"
		if e.JSONConfig == "null" {
			detail, key = `jsonConfig is "null", which pachd reads as no config`, "jsonConfig"
		}
		c.add(key, "config-missing", FatePachdCrash,
			"%s: pachd's PickConfig fails with \"no configs are defined\" (whatever the type), so %s; %s", detail, crash, where)
		return false
	}
	var v any
	err := json.Unmarshal([]byte(e.JSONConfig), &v)
	var se *json.SyntaxError
	m, isObject := v.(map[string]any)
	switch {
	case errors.As(err, &se):
		c.add("jsonConfig", "json-config-invalid", FatePachdCrash,
			"jsonConfig is not valid JSON (error at byte %d): Dex cannot decode it and %s; fix the JSON, or better, write the settings as a mapping under config", se.Offset, crash)
		return false
	case err != nil || !isObject:
		c.add("jsonConfig", "json-config-invalid", FatePachdCrash,
			"jsonConfig is not a JSON object: Dex cannot decode it into the connector's settings and %s; write an object such as {\"issuer\": \"...\"}, or the settings as a mapping under config", crash)
		return false
	}
	c.cfgKey, c.cfg = "jsonConfig", normalize(m).(map[string]any)
	return true
}

// typedOIDC returns the oidc config Dex gets, typed: the entry's own for
// config, decoded from the text for jsonConfig.
func (c *entryCheck) typedOIDC() *OIDCConfig {
	if c.cfgKey == "config" && c.e.OIDC != nil {
		return c.e.OIDC
	}
	cfg := &OIDCConfig{}
	decodeStruct(c.cfg, reflect.ValueOf(cfg).Elem(), "", nil)
	return cfg
}
