package pachidp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// This file writes a JSON Schema (draft 2020-12) of the oidc section of the
// Helm values for one target, for editors (yaml-language-server) and for
// any validator. It is derived from the tables the rules read, never written
// by hand: the entry keys and strictness of the target's reader (versions.go,
// entryKeysOf), the connector types and config keys of its Dex (dexconfig/),
// and the keys, values and alternatives each type's Open needs
// (validate_connectors.go). The conformance module conformance/schema holds it to the
// real outcomes of the corpus with github.com/santhosh-tekuri/jsonschema/v6,
// the validator Helm uses.

// JSONSchemaOptions tune [Target.JSONSchema].
type JSONSchemaOptions struct {
	// StrictConfig forbids, in every config mapping (and its nested
	// mappings), keys the target's Dex does not read. Dex ignores them, so
	// the cluster works with them: the default schema lets them pass and
	// holds only what breaks a cluster. For an editor, a key Dex ignores is
	// almost always a typo (issuerURL for issuer) or a setting of another
	// Dex version: StrictConfig makes the editor flag it as you type. Names
	// that differ only in case stay allowed, as Dex's encoding/json reads
	// them.
	StrictConfig bool
}

// schemaBaseID is the stem of the $id of every schema JSONSchema writes.
const schemaBaseID = "https://github.com/pachidp/pachidp/schema/"

// JSONSchema returns a JSON Schema (draft 2020-12) of a Helm values file's
// oidc section (upstreamIDPs, upstreamIDPsSecretName, mockIDP, issuerURI) as
// the target reads it, indented, with sorted keys: the same target always
// gives the same bytes. Point yaml-language-server at it with a first line
//
//	# yaml-language-server: $schema=./pachidp-2.12.json
//
// and the editor completes entry and config keys, shows what each does,
// and flags as you type what pachd or Dex would refuse:
//
//   - entry keys: exactly those the target's pachd accepts where its decoder
//     is strict (protojson on 2.7 and later, gogo jsonpb on 2.3-2.6:
//     additionalProperties false, and version is refused with a description
//     of the trap: it belongs to pachctl's connector file). The 2.0-2.2 config
//     Job and upstream Dex read entries with encoding/json, which ignores
//     unknown keys and matches names without case: their schema does too.
//   - id, name and type present and not empty (upstream Dex: type only);
//     type one of the connector types of the target's Dex; a config mapping
//     or a jsonConfig string that is not "" or "null" (2.0-2.2: a jsonConfig
//     string, the only settings they read; upstream Dex reads config only,
//     and requires none).
//   - config: per type, each key the target's Dex reads with its JSON type
//     (null is always accepted: encoding/json leaves the field alone), the
//     keys and values each type's Open needs or refuses together
//     (validate_connectors.go), and the same rules for the settings in a jsonConfig
//     string as contentSchema (a validator that asserts content, such as
//     jsonschema/v6 with AssertContent, checks them; editors do not).
//
// What only the cluster can tell (issuer forms, reachable providers, files in
// pachd's pod, redirect URIs compared with Dex's callback) is for [Validate]
// and package preflight: a schema passes them.
func (t Target) JSONSchema(opts JSONSchemaOptions) ([]byte, error) {
	b := &schemaBuilder{t: t, l: t.rl(), strict: opts.StrictConfig, defs: map[string]any{}}
	root := b.root()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("pachidp: the JSON Schema of %s: %w", t, err)
	}
	return buf.Bytes(), nil
}

// jsonSchemaID returns the $id JSONSchema gives the schema of t: a name
// that tells the schemas of targets apart, not a URL anything fetches (the
// schema refers only to its own $defs).
func jsonSchemaID(t Target, opts JSONSchemaOptions) string {
	id := schemaBaseID + t.Name()
	if opts.StrictConfig {
		id += "-strict"
	}
	return id + ".json"
}

type schemaBuilder struct {
	t      Target
	l      *releaseLine
	strict bool
	defs   map[string]any
}

// lenient: the reader of entries is encoding/json (unknown keys ignored,
// names matched without case).
func (b *schemaBuilder) lenient() bool {
	k := b.l.pachd.kind
	return k == decoderConfigPod || k == decoderDexFile
}

// readsConfig: the target reads the config mapping.
func (b *schemaBuilder) readsConfig() bool { return b.l.pachd.configField }

// readsJSONConfig: the target reads the jsonConfig string.
func (b *schemaBuilder) readsJSONConfig() bool { return b.l.pachd.kind != decoderDexFile }

// reader names who reads the list, for descriptions.
func (b *schemaBuilder) reader() string {
	switch b.l.pachd.kind {
	case decoderProtojson:
		return "pachd (protojson, strict)"
	case decoderGogo:
		return "pachd (gogo jsonpb, strict)"
	case decoderConfigPod:
		return "the config Job of Pachyderm 2.0-2.2 (encoding/json, lenient)"
	}
	return "upstream Dex (encoding/json, lenient)"
}

// refused says what happens when the reader of the list refuses an entry.
func (b *schemaBuilder) refused() string {
	switch b.l.pachd.kind {
	case decoderConfigPod:
		return "the config Job fails and creates no connector at all"
	case decoderDexFile:
		return "Dex fails to start"
	}
	return fateWords[FatePachdCrash]
}

// dexRefused says what happens when Dex cannot create or decode a connector.
func (b *schemaBuilder) dexRefused() string {
	switch b.l.pachd.kind {
	case decoderConfigPod:
		return "the config Job leaves the connector out and every login through it fails"
	case decoderDexFile:
		return "Dex fails to start"
	}
	return fateWords[FatePachdCrash]
}

// openRefused says what happens when a connector's Open fails.
func (b *schemaBuilder) openRefused() string {
	switch b.l.pachd.kind {
	case decoderConfigPod:
		return "the config Job leaves the connector out and every login through it fails"
	case decoderDexFile:
		return "Dex skips the connector (every login through it fails), and stops when no connector opens"
	}
	return fateWords[FatePachdCrash]
}

func (b *schemaBuilder) dexName() string {
	if b.l.dex.upstream {
		return "Dex " + upstreamDexVersion
	}
	return "Pachyderm's Dex (" + b.l.dex.name + ")"
}

func (b *schemaBuilder) root() map[string]any {
	b.defs["upstreamIDP"] = b.entry()
	b.defs["oidc"] = b.oidc()
	for _, typ := range b.l.dex.types() {
		b.defs[configDef(typ)] = b.config(typ)
	}
	return map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     jsonSchemaID(b.t, JSONSchemaOptions{StrictConfig: b.strict}),
		"title":   "Helm values of Pachyderm: the oidc section, for " + b.t.String() + " (pachidp)",
		"description": "The oidc section as " + b.t.String() + " reads it (written by pachidp schema --chart-version " + b.t.Name() + " from the tables its rules read). " +
			"It flags what pachd or Dex refuses for its shape; what only the cluster can tell (issuer forms, files, redirect URIs) is for pachidp validate.",
		"type":       "object",
		"properties": map[string]any{"oidc": ref("oidc")},
		"$defs":      b.defs,
	}
}

func ref(def string) map[string]any { return map[string]any{"$ref": "#/$defs/" + def} }

func configDef(typ string) string { return "config-" + typ }

func (b *schemaBuilder) oidc() map[string]any {
	list := map[string]any{
		"type":  []any{"array", "null"},
		"items": ref("upstreamIDP"),
		"description": "The upstream identity providers, one entry per Dex connector. The chart renders the list with toYaml into the key upstream-idps of a Secret, and " +
			b.reader() + " reads it. Ignored when upstreamIDPsSecretName is set.",
	}
	if b.l.pachd.kind == decoderDexFile {
		list["type"] = "array"
		list["description"] = "Dex's connectors, as pachidp carries them to a Dex configuration file (connectors:)."
	}
	props := map[string]any{
		"upstreamIDPs": list,
		"upstreamIDPsSecretName": map[string]any{"type": []any{"string", "null"}, "description": "The name of a Secret whose key upstream-idps holds the list (as text): when set, the chart reads the entries from it and ignores upstreamIDPs. " +
			"pachidp validate --secret MANIFEST checks that text; this schema cannot see it."},
		"mockIDP": map[string]any{"type": []any{"boolean", "null"}, "description": "true adds a mock IdP (user admin, password password) for testing; set it false when you configure upstreamIDPs. " +
			"It is a real login to your cluster."},
		"issuerURI": map[string]any{"type": []any{"string", "null"}, "description": "The issuer of Pachyderm's Dex as users reach it (https://pachyderm.example.com/dex). " +
			"Each entry's redirectURI must be this plus /callback, byte for byte, or every login fails; pachidp validate compares them."},
	}
	if b.l.chart.bootstrap {
		props["mockIDP"].(map[string]any)["description"] = props["mockIDP"].(map[string]any)["description"].(string) +
			" With no upstreamIDPs, no upstreamIDPsSecretName and mockIDP false, the chart of Pachyderm 2.0-2.2 refuses to render (when it renders its bootstrap Secret)."
	}
	return map[string]any{
		"type":        "object",
		"description": "Pachyderm's identity settings (Dex). Other keys of this section are the chart's and are not checked here.",
		"properties":  props,
	}
}

// entryKeyDoc says what each entry key does.
var entryKeyDoc = map[string]string{
	"id":            "The connector's id: it names the IdP in Dex's callback state and in user identities; keep it stable, as changing it logs every user out. Must be unique and not empty.",
	"name":          "The label of the login button users see. Must not be empty.",
	"type":          "The Dex connector type that reads config (oidc for most providers: Okta, Auth0, Entra ID, Keycloak, Google).",
	"configVersion": "pachd manages it: it overwrites the value with its stored version plus one on every start. Delete the key.",
	"jsonConfig":    "The connector's settings as a JSON string. pachd uses it only when there is no config mapping (config wins); prefer config.",
	"config":        "The connector's settings, as the type's Dex connector reads them.",
}

func (b *schemaBuilder) entry() map[string]any {
	keys := entryKeysOf(b.t)
	props := map[string]any{}
	pattern := map[string]any{}
	for _, k := range keys {
		s := b.entryKey(k)
		if b.lenient() {
			// encoding/json reads ID, Name, JsonConfig too: the value of any
			// spelling that folds to the key must fit.
			pattern[foldPattern(k)] = b.entryKeyValue(k)
		}
		props[k] = s
	}
	out := map[string]any{
		"type":       "object",
		"properties": props,
		"description": fmt.Sprintf("One upstream IdP, as %s reads it: %s.",
			b.reader(), strings.Join(keys, ", ")),
	}
	var all []any
	trap := "version belongs to pachctl's connector file (pachctl idp create-connector --config), not to Helm values."
	if b.lenient() {
		out["patternProperties"] = pattern
		// present in any case: encoding/json matches names without case.
		// Dex's static storage refuses a connector without id, type and
		// name (storage/static.go at v2.45.1); the config Job's create checks
		// do the same, and it reads only jsonConfig.
		need := []string{"id", "name", "type"}
		if b.l.pachd.kind == decoderConfigPod {
			need = append(need, "jsonConfig")
		}
		for _, k := range need {
			all = append(all, map[string]any{
				"anyOf": []any{
					map[string]any{"required": []any{k}},
					map[string]any{"not": map[string]any{"propertyNames": map[string]any{"not": map[string]any{"pattern": foldPattern(k)}}}},
				},
			})
		}
		out["description"] = out["description"].(string) + " Other keys are ignored, and names are matched without case."
		props["version"] = map[string]any{"description": trap + " " + b.reader() + " ignores it here, but pachd 2.3 and later refuse it and fail to start: delete it."}
		if b.l.pachd.kind == decoderConfigPod {
			props["config"] = map[string]any{"description": "Pachyderm 2.0-2.2 do not read config: the connector gets only jsonConfig, and without it every login fails (Dex cannot decode an empty config). Write the settings as jsonConfig, or upgrade."}
		}
	} else {
		out["additionalProperties"] = false
		out["required"] = []any{"id", "name", "type"}
		// deprecationMessage: yaml-language-server (as VS Code's JSON
		// service) shows it as a warning next to the not's bare "Matches a
		// schema that is not allowed"; validators ignore the keyword.
		versionDoc := trap + " " + b.reader() + " rejects it and " + fateWords[FatePachdCrash] + ". Delete it: pachd manages configVersion itself."
		props["version"] = map[string]any{"not": map[string]any{}, "description": versionDoc, "deprecationMessage": versionDoc}
		for _, k := range slices.Sorted(maps.Keys(snakeKeys)) {
			camel := snakeKeys[k]
			doc := "pachd's decoder knows only " + camel + " (camelCase): " + b.reader() + " rejects " + k + " and " + fateWords[FatePachdCrash] + "."
			props[k] = map[string]any{"not": map[string]any{}, "description": doc, "deprecationMessage": doc}
		}
		// PickConfig: config when it is a mapping, else jsonConfig unless ""
		// or "null"; otherwise "no configs are defined" and pachd stops.
		all = append(all, map[string]any{
			"anyOf": []any{
				map[string]any{"required": []any{"config"}, "properties": map[string]any{"config": map[string]any{"type": "object"}}},
				map[string]any{"required": []any{"jsonConfig"}, "properties": map[string]any{"jsonConfig": map[string]any{"type": "string", "not": map[string]any{"enum": []any{"", "null"}}}}},
			},
		})
	}
	for _, typ := range b.l.dex.types() {
		all = append(all, b.typeRule(typ))
	}
	out["allOf"] = all
	return out
}

// entryKey is the property of one entry key: its value's schema with a
// description.
func (b *schemaBuilder) entryKey(k string) map[string]any {
	s := b.entryKeyValue(k)
	desc := entryKeyDoc[k]
	switch {
	case b.l.pachd.kind == decoderDexFile && (k == "configVersion" || k == "jsonConfig"):
		desc = "Dex's configuration file has no " + k + ": Dex ignores it. Write the settings under config."
	case k == "type":
		desc += " One of the types " + b.dexName() + " registers. With another (OIDC, openid), " + b.dexRefused() + "."
	case k == "configVersion":
		desc += " " + b.configVersionDoc()
	case k == "jsonConfig" && b.l.pachd.kind == decoderConfigPod:
		desc = "The connector's settings as a JSON string: the only place Pachyderm 2.0-2.2 read them. Without it Dex gets an empty config and " + b.dexRefused() + "."
	case k == "id" || k == "name":
		desc += " Without it, or empty, " + b.dexRefused() + " (no " + k + " specified)."
	}
	if !b.lenient() && k != "type" {
		desc += " With a value of another JSON type, " + b.reader() + " rejects the entry and " + b.refused() + "."
	}
	s["description"] = desc
	return s
}

func (b *schemaBuilder) configVersionDoc() string {
	if b.l.pachd.kind == decoderConfigPod {
		return "The config Job reads a whole number only: a string or a fraction makes it fail, and no connector is created."
	}
	return "pachd reads a whole number, or a string of one (protojson's int64)."
}

// entryKeyValue is the JSON type of an entry key's value as the reader takes
// it.
func (b *schemaBuilder) entryKeyValue(k string) map[string]any {
	switch b.l.pachd.kind {
	case decoderDexFile:
		switch k {
		case "type":
			return map[string]any{"enum": stringsAny(b.l.dex.types())}
		case "id", "name":
			return map[string]any{"type": []any{"string", "null"}}
		}
		return map[string]any{} // Dex ignores it; config is checked by type
	case decoderConfigPod:
		switch k {
		case "type":
			return map[string]any{"enum": stringsAny(b.l.dex.types())}
		case "id", "name":
			return map[string]any{"type": "string", "minLength": 1}
		case "configVersion":
			return map[string]any{"type": []any{"integer", "null"}}
		case "jsonConfig":
			return map[string]any{"type": "string", "minLength": 1, "contentMediaType": "application/json"}
		}
		return map[string]any{}
	}
	// protojson and gogo jsonpb: null leaves a field unset.
	switch k {
	case "type":
		return map[string]any{"type": "string", "enum": stringsAny(b.l.dex.types())}
	case "id", "name":
		return map[string]any{"type": "string", "minLength": 1}
	case "configVersion":
		return map[string]any{"anyOf": []any{
			map[string]any{"type": []any{"integer", "null"}},
			map[string]any{"type": "string", "pattern": "^-?[0-9]+$"},
		}}
	case "jsonConfig":
		return map[string]any{"type": []any{"string", "null"}, "contentMediaType": "application/json"}
	case "config":
		return map[string]any{"type": []any{"object", "null"}}
	}
	return map[string]any{}
}

// typeRule checks the settings of entries of one type: config, or the
// settings in jsonConfig where config is not the one Dex gets.
func (b *schemaBuilder) typeRule(typ string) map[string]any {
	then := map[string]any{}
	content := map[string]any{"properties": map[string]any{"jsonConfig": map[string]any{
		// contentSchema applies where contentMediaType says how to read
		// the string.
		"contentMediaType": "application/json", "contentSchema": ref(configDef(typ))}}}
	switch {
	case !b.readsJSONConfig():
		then["properties"] = map[string]any{"config": ref(configDef(typ))}
	case !b.readsConfig():
		then = content
	default:
		// PickConfig: a config mapping wins over jsonConfig.
		then["properties"] = map[string]any{"config": ref(configDef(typ))}
		then["if"] = map[string]any{"required": []any{"config"}, "properties": map[string]any{"config": map[string]any{"type": "object"}}}
		then["else"] = content
	}
	return map[string]any{
		"if":   map[string]any{"required": []any{"type"}, "properties": map[string]any{"type": map[string]any{"const": typ}}},
		"then": then,
	}
}

// keyDoc says what common config keys do.
var keyDoc = map[string]string{
	"issuer":                    "The provider's issuer URL, exactly as its discovery document writes it (Auth0 ends with /, Okta and Keycloak do not): Dex compares them byte for byte when it opens the connector.",
	"clientID":                  "The client (application) id the provider issued for Pachyderm.",
	"clientSecret":              "The client secret the provider issued; better kept in a Secret (upstreamIDPsSecretName).",
	"redirectURI":               "Dex's callback URL: the issuer of Pachyderm's Dex plus /callback, byte for byte, registered at the provider too.",
	"scopes":                    "The scopes Dex asks for (openid is always added for oidc).",
	"insecureSkipEmailVerified": "true accepts users whose email the provider has not verified: a security risk.",
	"insecureSkipVerify":        "true turns TLS verification off: a security risk.",
	"rootCAs":                   "Certificates to trust for the provider.",
	"rootCA":                    "A certificate file to trust for the provider: it must exist in the pod that runs Dex.",
	"hostedDomains":             "Restricts logins to these domains, where the Dex reads it.",
	"allowedGroups":             "Restricts logins to members of these groups, where the Dex reads it.",
	"getUserInfo":               "true fetches the userinfo endpoint for claims the ID token lacks.",
	"userNameKey":               "The claim used as the user name.",
	"claimMapping":              "Maps non-standard claim names to Dex's.",
	"promptType":                "The prompt parameter sent to the provider.",
	"basicAuthUnsupported":      "true sends the client secret in the body rather than with HTTP basic auth.",
	"host":                      "The LDAP server's host:port.",
	"ssoURL":                    "The IdP's SAML single sign-on URL.",
	"ca":                        "A file with the IdP's signing certificate: it must exist in the pod that runs Dex.",
	"caData":                    "The IdP's signing certificate, base64 of its PEM.",
	"orgs":                      "Organizations (and teams) a user must belong to.",
	"tenant":                    "The Entra ID tenant.",
}

// config is the schema of one connector type's config as the target's Dex
// decodes it (encoding/json into the type's struct), with the keys, values
// and alternatives its Open needs.
func (b *schemaBuilder) config(typ string) map[string]any {
	node := b.l.dex.connector(typ)
	s := b.node(node, typ, "", 0)
	s["title"] = "The " + typ + " connector's config"
	desc := "The settings of the " + typ + " connector, as " + b.dexName() + " decodes them: with a key of the wrong JSON type, " + b.dexRefused() + "."
	if !b.strict {
		desc += " Keys it does not read are ignored (pachidp validate names them, with a did-you-mean; pachidp schema --strict-config makes an editor flag them)."
	}
	// What Open and LoginURL refuse, as the probes found it (validate_open.go).
	var all []any
	if r := b.l.dex.openRulesOf(typ); r != nil {
		elsewhere := openRuleElsewhere[typ]
		for _, q := range r.Required {
			if elsewhere[q.Key] {
				continue
			}
			why := "the " + typ + " connector's Open refuses to start without " + q.Key + ", and " + b.openRefused()
			if q.Stage == "login-url" {
				why = "the " + typ + " connector's LoginURL compares " + q.Key + " with Dex's callback: without it every login fails"
			}
			alts := []any{b.presentPath(q.Key)}
			for _, o := range q.Other {
				alts = append(alts, b.setSchema(typ, o))
			}
			all = append(all, map[string]any{"anyOf": alts, "description": why + "."})
			if len(q.Other) > 0 {
				desc += " Open needs " + q.Key + " or " + strings.Join(q.Other, " or ") + "."
			} else {
				desc += " It needs " + q.Key + "."
			}
		}
		for _, q := range r.Requires {
			if elsewhere[q.Key] {
				continue
			}
			var need []any
			for _, o := range q.Other {
				need = append(need, b.setSchema(typ, o))
			}
			all = append(all, map[string]any{
				"if":          b.setSchema(typ, q.Key),
				"then":        map[string]any{"anyOf": need},
				"description": "the " + typ + " connector's Open refuses " + q.Key + " without " + strings.Join(q.Other, " or ") + ", and " + b.openRefused() + ".",
			})
			desc += " Open refuses " + q.Key + " without " + strings.Join(q.Other, " or ") + "."
		}
		for _, q := range r.Conflicts {
			if elsewhere[q.Key] {
				continue
			}
			for _, o := range q.Other {
				all = append(all, map[string]any{
					"not":         map[string]any{"allOf": []any{b.setSchema(typ, q.Key), b.setSchema(typ, o)}},
					"description": "the " + typ + " connector's Open refuses " + q.Key + " and " + o + " together, and " + b.openRefused() + ": keep one",
				})
				desc += " Open refuses " + q.Key + " and " + o + " together."
			}
		}
		for _, q := range r.Forms {
			if elsewhere[q.Key] {
				continue
			}
			kind, x, _ := strings.Cut(q.Form, ":")
			pattern := regexp.QuoteMeta(x)
			what := "with " + strconv.Quote(x)
			if kind == "suffix" {
				pattern += "$"
				what = "ending in " + strconv.Quote(x)
			}
			refused := map[string]any{"not": map[string]any{"type": "string", "pattern": pattern}}
			segs := strings.Split(q.Key, ".")
			for i := len(segs) - 1; i >= 0; i-- {
				refused = map[string]any{"properties": map[string]any{segs[i]: refused}}
			}
			refused["description"] = "the " + typ + " connector's Open refuses a " + q.Key + " " + what + ", and " + b.openRefused() + "."
			all = append(all, refused)
			desc += " Open refuses a " + q.Key + " " + what + "."
		}
		for _, q := range r.Enums {
			if elsewhere[q.Key] {
				continue
			}
			fate := b.openRefused()
			if q.Stage == "login-url" {
				fate = "every login fails"
			}
			setEnum(s, strings.Split(q.Key, "."), q.Values, q.CaseSensitive, fate)
		}
	}
	if len(all) > 0 {
		s["allOf"] = all
	}
	s["description"] = desc
	return s
}

func (b *schemaBuilder) presentSchema(k string) map[string]any {
	return presentWith(k, map[string]any{"not": map[string]any{"enum": []any{"", nil}}})
}

// presentWith requires a key, in any case as encoding/json matches it,
// whose value holds inner.
func presentWith(k string, inner map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{
		map[string]any{"required": []any{k}, "properties": map[string]any{k: inner}},
		map[string]any{
			"not":               map[string]any{"propertyNames": map[string]any{"not": map[string]any{"pattern": foldPattern(k)}}},
			"patternProperties": map[string]any{foldPattern(k): inner},
		},
	}}
}

// presentPath is presentSchema for a dotted path, each key in any case.
func (b *schemaBuilder) presentPath(path string) map[string]any {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		return b.presentSchema(path)
	}
	return presentWith(head, b.presentPath(rest))
}

// setSchema holds when a key counts as set for Open (isSet): true for a
// boolean, present and not empty for anything else.
func (b *schemaBuilder) setSchema(typ, path string) map[string]any {
	n := b.l.dex.connector(typ)
	for _, seg := range strings.Split(path, ".") {
		_, n = n.field(seg)
	}
	if n != nil && n.Kind == "bool" && !strings.Contains(path, ".") {
		return map[string]any{"required": []any{path}, "properties": map[string]any{path: map[string]any{"const": true}}}
	}
	return b.presentPath(path)
}

// setEnum adds the values Open accepts to the property at path.
func setEnum(s map[string]any, path []string, allowed []string, caseSensitive bool, fate string) {
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		return
	}
	p, _ := props[path[0]].(map[string]any)
	if p == nil {
		return
	}
	if len(path) > 1 {
		setEnum(p, path[1:], allowed, caseSensitive, fate)
		return
	}
	var quoted []string
	for _, a := range allowed {
		if a != "" {
			quoted = append(quoted, fmt.Sprintf("%q", a))
		}
	}
	if caseSensitive {
		p["anyOf"] = []any{map[string]any{"enum": append(stringsAny(allowed), nil)}, map[string]any{"not": map[string]any{"type": "string"}}}
		p["description"] = p["description"].(string) + " Open knows only " + strings.Join(quoted, " and ") + " (or empty), in this case; with another value, " + fate + "."
		return
	}
	alts := []any{map[string]any{"not": map[string]any{"type": "string"}}}
	for _, a := range allowed {
		alts = append(alts, map[string]any{"type": "string", "pattern": foldPattern(a)})
	}
	p["anyOf"] = alts
	p["description"] = p["description"].(string) + " Open knows only " + strings.Join(quoted, " and ") + " (or empty), in any case; with another value, " + fate + "."
}

// node is the schema of one Go value as encoding/json decodes it. key is the
// key it is under ("" for the config itself).
func (b *schemaBuilder) node(n *schemaNode, typ, key string, depth int) map[string]any {
	if n == nil {
		return map[string]any{}
	}
	s := map[string]any{}
	switch n.Kind {
	case "string":
		s["type"] = []any{"string", "null"}
	case "bool":
		s["type"] = []any{"boolean", "null"}
	case "int":
		s["type"] = []any{"integer", "null"}
	case "uint":
		s["type"] = []any{"integer", "null"}
		s["minimum"] = 0
	case "float":
		s["type"] = []any{"number", "null"}
	case "bytes":
		s["type"] = []any{"string", "null"}
		s["contentEncoding"] = "base64"
		// encoding/json decodes []byte with base64.StdEncoding, which skips
		// line breaks.
		s["pattern"] = "^[A-Za-z0-9+/\\r\\n]*={0,2}[\\r\\n]*$"
	case "array":
		s["type"] = []any{"array", "null"}
		s["items"] = b.node(n.Items, typ, key, depth+1)
	case "map":
		s["type"] = []any{"object", "null"}
		s["additionalProperties"] = b.node(n.Values, typ, key, depth+1)
	case "object":
		s["type"] = []any{"object", "null"}
		props := map[string]any{}
		pattern := map[string]any{}
		for _, name := range n.fieldNames() {
			f := n.Fields[name]
			ps := b.node(f, typ, name, depth+1)
			ps["description"] = b.keyDescription(typ, name, f)
			b.errorMessage(ps, name, f)
			props[name] = ps
			// The same value rules for any spelling Dex's encoding/json
			// matches to the field.
			pp := b.node(f, typ, name, depth+1)
			b.errorMessage(pp, name, f)
			pattern[foldPattern(name)] = pp
		}
		s["properties"] = props
		if len(pattern) > 0 {
			s["patternProperties"] = pattern
		}
		if b.strict {
			s["additionalProperties"] = false
		}
	default: // any, custom: the field takes what its UnmarshalJSON takes
	}
	return s
}

// errorMessage sets yaml-language-server's message for a value of the wrong
// JSON type (its "Incorrect type" otherwise): what Dex reads, how to write
// it, and what happens. Validators ignore the keyword.
func (b *schemaBuilder) errorMessage(s map[string]any, key string, n *schemaNode) {
	switch n.Kind {
	case "string", "bool", "int", "uint", "float", "bytes", "array", "map", "object":
		s["errorMessage"] = fmt.Sprintf("%s reads %s: %s; with another JSON type, %s.", b.dexName(), kindWords(n), kindFix(n, key, nil), b.dexRefused())
	}
}

func (b *schemaBuilder) keyDescription(typ, key string, n *schemaNode) string {
	d := keyDoc[key]
	if d != "" {
		d += " "
	}
	if n.Kind == "any" || n.Kind == "custom" {
		return d + fmt.Sprintf("%s of the %s connector (%s decodes it itself).", key, typ, n.GoType)
	}
	d += fmt.Sprintf("%s of the %s connector: %s", key, typ, kindWords(n))
	if n.Kind == "bytes" {
		d += " (base64 -w0 FILE)"
	}
	d += "; with another JSON type, " + b.dexRefused() + "."
	if n.Pointer {
		d += " null leaves it unset, which differs from its zero value."
	}
	return d
}

// foldPattern is an ECMA-262 pattern matching every name encoding/json
// matches to name: ASCII letters in either case, and the two non-ASCII
// letters that fold to k and s (the Kelvin sign, the long s).
func foldPattern(name string) string {
	var sb strings.Builder
	sb.WriteString("^")
	for _, r := range name {
		if !unicode.IsLetter(r) {
			if strings.ContainsRune(`\^$.|?*+()[]{}/-`, r) {
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
			continue
		}
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		sb.WriteByte('[')
		sb.WriteRune(lo)
		sb.WriteRune(up)
		switch lo {
		case 'k':
			sb.WriteRune('\u212a')
		case 's':
			sb.WriteRune('\u017f')
		}
		sb.WriteByte(']')
	}
	sb.WriteString("$")
	return sb.String()
}

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
