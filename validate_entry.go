package pachidp

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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

// entryKeys are the keys pachd's decoder accepts on the newest target
// (idp.go's entryFields), in the order findings without positions are
// sorted.
var entryKeys = entryKeysSince(true)

func entryKeysSince(v23 bool) []string {
	var out []string
	for _, f := range entryFields {
		if v23 || !f.since23 {
			out = append(out, f.key)
		}
	}
	return out
}

// entryKeysOf returns the entry keys the target's pachd accepts.
func entryKeysOf(t Target) []string {
	if t.rl().pachd.configField || t.IsUpstreamDex() {
		return entryKeys
	}
	return entryKeysSince(false) // no config before 2.3
}

// The messages of the entry rules that Validate (for its target) and
// decodePachdStrict (pachd 2.3 and later) share: crash says what pachd's
// refusal costs, such as fateWords[FatePachdCrash].

// missingEntryFieldMsg explains a required field that is missing or empty.
func missingEntryFieldMsg(key, crash string) string {
	switch key {
	case "id":
		return "missing: add one, such as id: auth0"
	case "name":
		return "missing: add one, such as name: Auth0"
	}
	return fmt.Sprintf("missing: pachd requires a %s, so %s; add one, such as %s: oidc", key, crash, key)
}

// duplicateIDMsg explains an id given twice; other names the first entry.
func duplicateIDMsg(id, other, crash string) string {
	return fmt.Sprintf("id %q is also %s's: give each entry its own id", id, other)
}

// wrongEntryTypeMsg explains a known key whose value pachd cannot read.
func wrongEntryTypeMsg(k string, v any, crash string) string {
	f, _ := entryFieldOf(k)
	got := typeName(v)
	switch f.reads {
	case readsString:
		fix := "quote the value"
		switch v.(type) {
		case []any, map[string]any:
			fix = "give a single string"
		}
		if k == "jsonConfig" {
			return fmt.Sprintf("jsonConfig is %s; pachd reads a string of JSON: move the settings under config", got)
		}
		return fmt.Sprintf("%s is %s; pachd reads a string: %s", k, got, fix)
	case readsWholeNumber:
		return fmt.Sprintf("%s is %s; pachd reads a whole number: delete it, pachd manages it", k, got)
	}
	return fmt.Sprintf("%s is %s; pachd reads a mapping: write key: value lines indented under it", k, got)
}

// unknownEntryKey explains a key pachd's strict decoder refuses; keys are
// the keys it accepts.
func unknownEntryKey(k string, keys []string, crash string) (rule Rule, msg string) {
	switch k {
	case "version":
		return RulePachctlVersionKey, "version is for pachctl's connector file, not Helm values: delete it"
	case "config_version", "json_config":
		camel := snakeKeys[k]
		fix := "delete it, pachd manages the version"
		if k == "json_config" {
			fix = "write the settings as a mapping under config instead"
		}
		return RuleUnknownEntryKey, fmt.Sprintf("pachd knows only %s, not %s: %s", camel, k, fix)
	}
	fix := "delete it"
	if _, ok := structFields(reflect.TypeOf(OIDCConfig{})).lookup(k); ok {
		fix = "it is a connector setting: move it under config"
	} else if s := nearest(k, keys); s != "" {
		fix = fmt.Sprintf("rename it to %q", s)
	}
	return RuleUnknownEntryKey, fmt.Sprintf("pachd rejects %q: %s", k, fix)
}

// configMissingMsg explains an entry without a config pachd can pick;
// detail says what the entry has, typ is its type.
func configMissingMsg(detail, typ, crash string) string {
	return fmt.Sprintf("%s: add a config mapping with %s", detail, configWhat(typ))
}

// configWhat names the settings a config of the type needs.
func configWhat(typ string) string {
	if typ == typeOIDC {
		return "issuer, clientID, clientSecret and redirectURI"
	}
	return "the connector's settings"
}

// configVersionManagedMsg explains a configVersion set.
const configVersionManagedMsg = "pachd overwrites configVersion on every start: delete it"

// bothConfigsMsg explains a jsonConfig next to a config.
const bothConfigsMsg = "both config and jsonConfig are set: pachd uses config and ignores jsonConfig; delete jsonConfig"

// jsonConfigProblem returns why Dex cannot decode a jsonConfig text ("" when
// it can), and the object it holds.
func jsonConfigProblem(text, crash string) (map[string]any, string) {
	var v any
	err := json.Unmarshal([]byte(text), &v)
	var se *json.SyntaxError
	m, isObject := v.(map[string]any)
	switch {
	case v == nil && err == nil:
		// JSON null decodes into the zero config without an error.
		return map[string]any{}, ""
	case errors.As(err, &se):
		return nil, fmt.Sprintf("jsonConfig is not valid JSON (error at byte %d): fix it, or move the settings under config", se.Offset)
	case err != nil || !isObject:
		return nil, "jsonConfig is not a JSON object: write one, such as {\"issuer\": \"...\"}, or use config"
	}
	return m, ""
}

func (c *entryCheck) checkEntryShape() {
	e := c.e
	for _, fe := range shapeErrors(e) {
		key := fe.Field()
		if _, wrongType := e.Extra[key]; wrongType {
			continue // reported as wrong-type
		}
		if c.opts.Target.IsUpstreamDex() && c.foldedEntryKey(key) {
			continue // Dex's own file matches keys without case (cmd/dex/config.go)
		}
		c.reportTag(entryTagFindings, fe, key)
	}
}

// entryTagFindings says what Validate reports when a validate tag of
// UpstreamIDP fails (reportTag), by tag.
var entryTagFindings = map[string]tagFinding{
	"required": {rule: RuleRequired, fate: (*entryCheck).dexFate,
		msg: func(c *entryCheck, key string) string { return missingEntryFieldMsg(key, c.words(c.dexFate())) }},
}

// foldsTo returns the entry key k means for a reader that matches keys
// without case (encoding/json), or "".
func (c *entryCheck) foldsTo(k string) string {
	for _, known := range []string{"id", "name", "type", "config"} {
		if k != known && strings.EqualFold(k, known) {
			return known
		}
	}
	return ""
}

// foldedEntryKey reports whether the entry sets key under another case.
func (c *entryCheck) foldedEntryKey(key string) bool {
	for k := range c.e.Extra {
		if c.foldsTo(k) == key {
			return true
		}
	}
	return false
}

// checkDuplicateID reports an id given twice.
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
	f := c.dexFate()
	c.add("id", RuleDuplicateID, f, "%s", duplicateIDMsg(id, other, c.words(f)))
}

// checkType reports a type the target's Dex does not register.
func (c *entryCheck) checkType() {
	t := c.e.Type
	if t == "" || c.dex.connector(t) != nil {
		return
	}
	types := c.dex.types()
	fix := "use a type pachidp schema lists"
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
			also = " (other Dex versions have it)"
			break
		}
	}
	c.add("type", RuleUnknownType, c.dexFate(), "%s has no connector type %q%s: %s", c.dexName(), t, also, fix)
}

// checkEntryExtra reports the keys pachd's strict decoder does not accept,
// and known keys that hold a value of the wrong type.
func (c *entryCheck) checkEntryExtra() {
	e := c.e
	refused := c.refusedFate()
	crash := c.words(refused)
	lenient := c.opts.Target.rl().pachd.kind == decoderConfigPod || c.opts.Target.IsUpstreamDex()
	for _, k := range sortedKeys(e.Extra) {
		v := e.Extra[k]
		_, known := entryFieldOf(k)
		switch {
		case c.opts.Target.IsUpstreamDex() && (k == "configVersion" || k == "jsonConfig"):
			continue // Dex's own file has no such keys and ignores them
		case c.opts.Target.IsUpstreamDex() && c.foldsTo(k) != "":
			continue // Dex reads "ID" as id
		case !known && lenient:
			reader := "Pachyderm 2.0-2.2"
			if c.opts.Target.IsUpstreamDex() {
				reader = "Dex"
			}
			c.add(joinPath("", k), RuleUnknownEntryKey, FateIgnored, "%s ignores %q (later ones refuse it): delete it", reader, k)
			continue
		}
		if known {
			c.add(k, RuleWrongType, refused, "%s", wrongEntryTypeMsg(k, v, crash))
			continue
		}
		rule, msg := unknownEntryKey(k, entryKeysOf(c.opts.Target), crash)
		c.add(joinPath("", k), rule, refused, "%s", msg)
	}
	if e.ConfigVersion != 0 {
		c.add("configVersion", RuleConfigVersionManaged, FateIgnored, "%s", configVersionManagedMsg)
	}
}

// pickConfig decides which config Dex gets, as the target's reader of the
// list does: c.cfgKey is "config" or "jsonConfig", c.cfg that config as
// JSON values. It returns false when Dex gets nothing to check.
//
//   - pachd 2.3 and later, PickConfig (identityutil.go:22 at e237475):
//     config when present (protojson gives even {} a Fields map), else
//     jsonConfig unless "" or "null", else "no configs are defined",
//     fatal whatever the type.
//   - the config Job of 2.0-2.2 has no config field and hands jsonConfig
//     to Dex as it is (dex_api.go:99-114 at v2.2.7).
//   - upstream Dex reads config only.
func (c *entryCheck) pickConfig() bool {
	e := c.e
	kind := c.opts.Target.rl().pachd.kind
	hasConfig := e.OIDC != nil || e.Config != nil
	var cfg map[string]any
	switch {
	case e.OIDC != nil:
		cfg = plain(e.OIDC.ordered()).(map[string]any)
	case e.Config != nil:
		cfg = plain(orderGeneric(e.Config)).(map[string]any)
	}
	_, configWrong := e.Extra["config"]
	_, jsonWrong := e.Extra["jsonConfig"]
	_, snake := e.Extra["json_config"]
	strict := kind == decoderProtojson || kind == decoderGogo
	if configWrong || jsonWrong && kind != decoderDexFile || snake && strict {
		return false // reported as wrong-type or unknown-entry-key
	}
	switch kind {
	case decoderDexFile:
		if e.JSONConfig != "" {
			c.add("jsonConfig", RuleConfigAndJSONConfig, FateIgnored, "Dex's configuration file has no jsonConfig, so Dex ignores it: write the settings as a mapping under config")
		}
		if cfg == nil {
			cfg = map[string]any{} // Dex decodes no config as the zero config
		}
		c.cfgKey, c.cfg = "config", cfg
		return true
	case decoderConfigPod:
		if hasConfig {
			c.add("config", RuleConfigUnsupported, FateIgnored,
				"%s ignores config: write the settings as a JSON string in jsonConfig", c.opts.Target)
		}
		if e.JSONConfig == "" {
			f := c.dexFate()
			c.add("jsonConfig", RuleConfigMissing, f, "no jsonConfig: add one, a JSON string of the settings")
			return false
		}
		return c.decodeJSONConfig()
	}
	if hasConfig {
		if e.JSONConfig != "" {
			c.add("jsonConfig", RuleConfigAndJSONConfig, FateIgnored, "%s", bothConfigsMsg)
		}
		c.cfgKey, c.cfg = "config", cfg
		return true
	}
	if e.JSONConfig == "" || e.JSONConfig == "null" {
		key, detail := "config", "no config"
		if e.JSONConfig == "null" {
			key, detail = "jsonConfig", `jsonConfig "null" is no config`
		}
		f := c.dexFate()
		c.add(key, RuleConfigMissing, f, "%s", configMissingMsg(detail, e.Type, c.words(f)))
		return false
	}
	return c.decodeJSONConfig()
}

// decodeJSONConfig reads the jsonConfig text Dex gets.
func (c *entryCheck) decodeJSONConfig() bool {
	f := c.dexFate()
	m, problem := jsonConfigProblem(c.e.JSONConfig, c.words(f))
	if problem != "" {
		c.add("jsonConfig", RuleJSONConfigInvalid, f, "%s", problem)
		return false
	}
	cfg := normalize(m).(map[string]any)
	for _, k := range shadowedInText(c.e.JSONConfig, cfg) {
		delete(cfg, k)
	}
	c.cfgKey, c.cfg = "jsonConfig", cfg
	return true
}

// shadowedInText returns the top-level keys of the JSON object text that
// Dex's encoding/json reads and then overwrites: of keys equal but for
// case (redirectURI, redirectUri), each sets the same field over the last
// in the order written, and jsonConfig reaches Dex as written (PickConfig
// and the 2.0-2.2 config Job pass the text on), so the last one not null
// wins; the others are returned. (A config mapping reaches Dex sorted:
// decodeStruct.)
func shadowedInText(text string, m map[string]any) []string {
	dec := json.NewDecoder(strings.NewReader(text))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var order []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		k, _ := t.(string)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
		order = append(order, k)
	}
	last := map[string]string{} // lower-case key -> the key that wins
	for _, k := range order {
		if m[k] != nil {
			last[strings.ToLower(k)] = k
		}
	}
	var out []string
	for _, k := range sortedKeys(m) {
		if w, ok := last[strings.ToLower(k)]; ok && w != k {
			out = append(out, k)
		}
	}
	return out
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

// configPodFields are the fields of ConfigPodIDPConnector (identity.proto
// of Pachyderm 2.2.7, conformance/harness/pachd.go), which the 2.0-2.2
// config Job fills with encoding/json; dexFileFields those of the
// connector in Dex's own configuration file (cmd/dex/config.go Connector:
// type, name, id, config), which Dex fills the same way.
var (
	configPodFields = []string{"id", "name", "type", "jsonConfig", "configVersion"}
	dexFileFields   = []string{"id", "name", "type", "config"}
)

// foldEntryKeys returns e as the config Job of Pachyderm 2.0-2.2 reads it:
// ghodss/yaml turns the list into JSON and encoding/json matches each key
// with a field case-insensitively (Id, ID and id all fill Id; JSONConfig
// fills JsonConfig), each key over the last. The Job sees the keys sorted
// (the chart writes the list with toYaml, and ghodss/yaml's JSON is
// sorted), so of several keys for one field the last in sorted order that
// is not null wins; a null leaves a string field as it was. The
// conformance case case-entry-keys-config-pod is held to the real decoder.
// Upstream Dex reads its own file the same way, over dexFileFields.
func foldEntryKeys(e UpstreamIDP, fields []string) UpstreamIDP {
	folded := false
	for k := range e.Extra {
		for _, f := range fields {
			if strings.EqualFold(k, f) {
				folded = true
			}
		}
	}
	if !folded {
		return e
	}
	out := e
	out.Extra = map[string]any{}
	for k, v := range e.Extra {
		out.Extra[k] = v
	}
	typed := map[string]any{"id": e.ID, "name": e.Name, "type": e.Type, "jsonConfig": e.JSONConfig, "configVersion": e.ConfigVersion}
	var pos positions
	for _, f := range fields {
		cands := map[string]any{}
		if f == "config" && (e.OIDC != nil || e.Config != nil) {
			// The exact name sorts after every variant and wins.
			for k := range e.Extra {
				if strings.EqualFold(k, f) {
					delete(out.Extra, k)
				}
			}
			continue
		}
		if v := typed[f]; v != nil && v != "" && v != int64(0) {
			cands[f] = v
		}
		for k, v := range e.Extra {
			if strings.EqualFold(k, f) {
				cands[k] = v
				delete(out.Extra, k)
			}
		}
		win, val := "", any(nil)
		for _, k := range sortedKeys(cands) {
			if cands[k] != nil {
				win, val = k, cands[k]
			}
		}
		if win == "" {
			continue
		}
		ok := true
		switch f {
		case "id":
			out.ID, ok = val.(string)
		case "name":
			out.Name, ok = val.(string)
		case "type":
			out.Type, ok = val.(string)
		case "jsonConfig":
			out.JSONConfig, ok = val.(string)
		case "configVersion":
			out.ConfigVersion, ok = int64Value(val)
		case "config":
			var m map[string]any
			m, ok = val.(map[string]any)
			out.Config = ConnectorConfig(m)
		}
		if !ok {
			out.Extra[f] = val // wrong-type, at the field's name
		}
		if win != f && e.src != nil {
			if pos == nil {
				pos = maps.Clone(e.src.pos)
				out.src = &source{pos: pos, path: e.src.path}
			}
			from, to := joinPath(e.src.path, win), joinPath(e.src.path, f)
			pos[to] = pos.at(from)
			for q, at := range e.src.pos {
				if strings.HasPrefix(q, from+".") || strings.HasPrefix(q, from+"[") {
					pos[to+q[len(from):]] = at
				}
			}
		}
	}
	if out.Type == typeOIDC && out.OIDC == nil && out.Config != nil {
		// Read as an oidc entry from the start (Type was found folded).
		c := &OIDCConfig{}
		path, p := "config", positions(nil)
		if out.src != nil {
			path, p = joinPath(out.src.path, "config"), out.src.pos
		}
		decodeStruct(map[string]any(out.Config), reflect.ValueOf(c).Elem(), path, p)
		out.OIDC, out.Config = c, nil
	}
	if len(out.Extra) == 0 {
		out.Extra = nil
	}
	return out
}
