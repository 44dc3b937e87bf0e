package pachidp

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// This file answers two questions: what text does pachd receive for a list of
// entries, and would pachd accept it?
//
// Pachyderm's chart renders oidc.upstreamIDPs into the key upstream-idps of
// the Secret pachyderm-identity (templates/pachd/idp-secret.yaml):
//
//	stringData:
//	  upstream-idps: |
//	{{ (include "pachyderm.idps" . ) | indent 4 }}
//
// where the helper "pachyderm.idps" of templates/_helpers.tpl is
// `{{ toYaml .Values.oidc.upstreamIDPs }}` (charts 2.3 and later; helm
// install ends the manifest with a line break, so the key ends with one).
// pachd reads that key from the environment variable IDP_CONNECTORS. Charts
// 2.0-2.2 wrote `{{ toYaml .Values.oidc.upstreamIDPs | indent 4 }}` behind a
// blank line into the key idps of the Secret pachyderm-bootstrap-config
// (templates/pachd/config-secret.yaml), read by the config job: the same
// text after a leading line break.
//
// Helm's toYaml is sigs.k8s.io/yaml.Marshal with the final newline trimmed:
// the value goes through encoding/json, the JSON is read back by a fork of
// gopkg.in/yaml.v2 v2.4.0 and written by that library's emitter. The package
// internal/helmyaml ports the parts of yaml.v2 v2.4.0 that this path uses
// (scalar analysis and style choice, the YAML 1.1 resolver that decides
// quoting, the natural key sort, block and empty-flow collections, 80-column
// line folding), so that the bytes are the same; this file says what pachd
// makes of them.

// RenderUpstreamIDPs returns Helm's toYaml of the entries in their
// canonical form (UpstreamIDP.Map: the keys pachd reads, under their
// camelCase names, with only set fields), plus the final line break of the
// chart's block scalar: the text a chart from 2.3 on renders into the key
// upstream-idps for a list written that way, and the right text for the key
// upstream-idps of a Secret named by oidc.upstreamIDPsSecretName.
//
// It is not the chart's render of a values file as written: the canonical
// form renames keys (config_version becomes configVersion) and leaves out
// empty strings, which Helm keeps. For the text a values file makes the
// chart render, use Document.PachdUpstreamIDPs, or Document.ChartIdentity for a
// given release (charts 2.0-2.2 put the list behind a blank line in the
// bootstrap Secret's key idps); both are proven byte for byte against the
// real chart by the conformance module (conformance/chart).
//
// The output holds secrets. Keys come out sorted the way Helm sorts them
// (config, id, name, type; inside config clientID, clientSecret, ...).
// An empty list renders as "[]\n"; the chart itself never renders an empty
// list (it falls back to its mock IdP, or renders no IdP Secret).
//
// RenderUpstreamIDPs does not check the entries: UpstreamIDPsSecret.PachdUpstreamIDPs and
// Validate do. It fails only for a value Helm cannot render as written (see
// RenderError).
//
// Known differences from a real chart render, all rare:
//   - Helm reads values files into float64, so a whole number above 2^53
//     written in a values file reaches toYaml rounded; RenderUpstreamIDPs
//     renders the entries' own numbers (int64 stays exact).
//   - Helm builds made with yaml.v2 v2.3.0 did not fold lines longer than 80
//     columns; v2.4.0, vendored by sigs.k8s.io/yaml since, does, as here.
//   - When the very last value of the list is a text ending in two or more
//     line breaks (kept with "|+"), the chart's template drops the extra
//     ones; RenderUpstreamIDPs keeps them.
//   - yaml.v2 sorts keys with a "natural" order (a2 before a10) that is not a
//     strict ordering for some keys with leading zeros; Helm's order is then
//     not even stable, and RenderUpstreamIDPs picks one.
func RenderUpstreamIDPs(idps []UpstreamIDP) ([]byte, error) {
	if err := checkEntries(idps); err != nil {
		return nil, err
	}
	list := make([]any, len(idps))
	for i, e := range idps {
		list[i] = e.Map()
	}
	return helmYAML(list, "oidc.upstreamIDPs")
}

// RenderError reports values Helm would not render, for one of two causes:
//
//   - a value Helm's toYaml cannot write as it is (RenderUpstreamIDPs,
//     PachdUpstreamIDPs): Chart and Version are empty, Pos unknown;
//   - the chart's template refuses the values (ChartIdentity.RenderErrors,
//     helm install fails with the chart's message): Chart is that message,
//     Version the target's name, Pos where Path is set.
//
// It never holds a value.
type RenderError struct {
	Path string   // the key to change, such as "oidc.issuerURI"
	Pos  Position // where Path is set, when known
	Msg  string   // what Helm would do and the fix; never holds a secret
	// Chart is the chart's own message, as helm prints it, when its
	// template refuses the values. When several templates fail on the same
	// cause, helm reports the first it reaches: for an enabled ingress
	// without a host that may also be "if ingress is enabled, an
	// ingress.host is required" or "For Authentication, an OIDC Redirect
	// URI (Issuer) for this pachd must be set.".
	Chart   string
	Version string // the target's name, when Chart is set
}

// Error formats the error as `path: message`, and a chart's refusal as
// `path: chart VERSION refuses to render ("chart's message"): fix`.
func (e *RenderError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Chart != "" {
		return fmt.Sprintf("%s: chart %s refuses to render (%q): %s", e.Path, e.Version, e.Chart, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// helmYAML returns what sigs.k8s.io/yaml.Marshal (used by Helm's toYaml)
// returns for v, trailing newline included (helmyaml.Marshal). path names v
// in errors: a *RenderError that says what Helm would do with the value.
func helmYAML(v any, path string) ([]byte, error) {
	out, err := helmyaml.Marshal(v)
	var me *helmyaml.MarshalError
	if errors.As(err, &me) {
		return nil, renderError(me, path)
	}
	return out, err
}

// renderError says in pachidp's words why Helm cannot render the value that
// helmyaml.Marshal refused, at path plus me.Path.
func renderError(me *helmyaml.MarshalError, path string) *RenderError {
	for _, s := range me.Path {
		switch s := s.(type) {
		case int:
			path = indexPath(path, s)
		case string:
			path = joinPath(path, s)
		}
	}
	var msg string
	switch me.Problem {
	case helmyaml.InvalidUTF8:
		msg = "is not valid UTF-8: Helm's toYaml would replace the invalid bytes with U+FFFD, changing the value; pass valid UTF-8"
	case helmyaml.InvalidUTF8Key:
		msg = "has a key that is not valid UTF-8: Helm's toYaml would replace the invalid bytes with U+FFFD; pass valid UTF-8"
	case helmyaml.NotJSON:
		msg = "cannot be written as JSON, as Helm's toYaml requires: " + me.Err.Error()
	case helmyaml.NotJSONReadBack:
		msg = "cannot be read back from JSON: " + me.Err.Error()
	case helmyaml.NEL:
		msg = "holds the character U+0085 (NEL), which Helm's toYaml turns into a space or a line break: remove it"
	case helmyaml.ControlChar:
		msg = fmt.Sprintf("holds the control character %U, which Helm's toYaml cannot write: Helm would render an empty upstream-idps and pachd would delete every connector; remove it", me.Char)
	case helmyaml.LongKey:
		msg = "is a key of more than 1022 characters (as JSON), " +
			"which Helm's toYaml cannot write: Helm would render an empty upstream-idps; shorten the key"
	default:
		msg = "cannot be rendered by Helm's toYaml"
	}
	return &RenderError{Path: path, Msg: msg}
}

// ---------------------------------------------------------------------------
// What pachd accepts

// pachdCrash is said by every finding that makes pachd fail.
const pachdCrash = "pachd refuses it and fails at start (CrashLoopBackOff)"

// PachdUpstreamIDPs reads the Secret's Text, the text of the key
// upstream-idps (what pachd receives in IDP_CONNECTORS), the way pachd
// does, and reports everything pachd would refuse, all at once, instead of
// stopping at the first problem as pachd does. For text held elsewhere
// (kubectl get secret ... -o jsonpath), put it in a Secret's Text.
//
// Like pachd, it reads the YAML with YAML 1.1 rules (yes, no, on and off are
// booleans; 0123 is a number) and decodes each entry strictly, as pachd 2.3
// and later do: only the keys type, id, name, configVersion, jsonConfig and
// config are accepted, under exactly these names (config_version and
// json_config are refused); id, name, type and jsonConfig must be strings,
// configVersion a whole number (or a string holding one), config a mapping;
// id, name and type must not be empty; PickConfig needs a config mapping,
// or else a jsonConfig holding a JSON object. pachd upserts connectors by id
// and deletes stored connectors whose id is not in the list, so ids must be
// unique.
//
// Findings carry paths such as "upstream-idps[0].version" and the line and
// column in Text. A problem of an entry has the rule, fate and message
// Validate gives it for the newest target (unknown-entry-key, wrong-type,
// required, duplicate-id, config-missing, ...); problems of the text have
// rules starting with "pachd-". Errors are what makes pachd crash; warnings
// are what pachd accepts but probably not as meant. Checking the connector
// configs themselves (what Dex does next) is Validate's job.
//
// The entries are returned when Text is a list of mappings, nil otherwise.
func (s *UpstreamIDPsSecret) PachdUpstreamIDPs() ([]UpstreamIDP, Findings) {
	if s == nil {
		return nil, nil
	}
	return decodePachdStrict(s.Text)
}

// decodePachdStrict is UpstreamIDPsSecret.PachdUpstreamIDPs on text.
func decodePachdStrict(text []byte) ([]UpstreamIDP, Findings) {
	const root = "upstream-idps"
	var fs Findings
	add := func(rel string, pos Position, rule Rule, fate Fate, msg string) {
		fs = append(fs, Finding{Path: root + rel, Pos: pos, Rule: rule, Severity: fate.Severity(), Fate: fate, Message: msg})
	}
	syntax := func(err error) ([]UpstreamIDP, Findings) {
		msg, pos, rel := err.Error(), Position{}, ""
		if se, ok := err.(*SyntaxError); ok {
			msg, pos, rel = se.Msg, se.Pos, se.Path
		}
		add(rel, pos, RulePachdYAML, FatePachdCrash, msg+": "+pachdCrash)
		return nil, fs
	}
	doc, err := parseDocument(text)
	if err != nil {
		return syntax(err)
	}
	pos := positions{}
	var v any
	if doc != nil {
		if v, err = toValue(doc, "", pos); err != nil {
			return syntax(err)
		}
		fs = append(fs, duplicateFindings(helmyaml.Duplicates(doc), root)...)
	}
	list, isList := v.([]any)
	switch {
	case v == nil || isList && len(list) == 0:
		fs = append(fs, Finding{Path: root, Rule: RulePachdEmpty, Severity: SeverityWarning,
			Message: "no entries: pachd configures no upstream IdP, so nobody can log in through one"})
		return nil, fs
	case !isList:
		p := Position{}
		if doc != nil && len(doc.Content) > 0 {
			p = Position{Line: doc.Content[0].Line, Column: doc.Content[0].Column}
		}
		add("", p, RulePachdNotAList, FatePachdCrash, fmt.Sprintf(
			"must be a YAML list of entries (each starting with \"- \"), got %s: %s", typeName(v), pachdCrash))
		return nil, fs
	}

	shapeOK := true
	firstID := map[string]string{} // id -> path of the first entry using it
	for i, item := range list {
		ep := indexPath("", i)
		m, ok := item.(map[string]any)
		if !ok {
			shapeOK = false
			add(ep, pos.at(ep), RulePachdEntryType, FatePachdCrash, fmt.Sprintf(
				"an entry must be a mapping with id, name, type and config, got %s: %s", typeName(item), pachdCrash))
			continue
		}
		checkPachdEntry(m, ep, pos, add)
		if id, ok := m["id"].(string); ok && id != "" {
			kp := joinPath(ep, "id")
			if first, dup := firstID[id]; dup {
				other := root + first
				if p := pos.at(joinPath(first, "id")); p.IsValid() {
					other += fmt.Sprintf(" (line %d)", p.Line)
				}
				add(kp, pos.at(kp), RuleDuplicateID, FatePachdCrash, duplicateIDMsg(id, other, fateWords[FatePachdCrash]))
			} else {
				firstID[id] = ep
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	if !shapeOK {
		return nil, fs
	}
	entries, err := entriesFromValue(list, "", pos)
	if err != nil {
		return nil, fs
	}
	return entries, fs
}

// checkPachdEntry reports what pachd's strict decoder and PickConfig
// refuse in one entry, with Validate's rules and messages (idp.go's
// entryFields, validate_entry.go's messages).
func checkPachdEntry(m map[string]any, ep string, pos positions, add func(string, Position, Rule, Fate, string)) {
	crash := fateWords[FatePachdCrash]
	at := func(k string) (string, Position) { p := joinPath(ep, k); return p, pos.at(p) }
	orEntry := func(p Position) Position {
		if !p.IsValid() {
			return pos.at(ep)
		}
		return p
	}
	wrong := false
	for _, k := range sortedKeys(m) {
		val := m[k]
		kp, kpos := at(k)
		f, known := entryFieldOf(k)
		switch {
		case !known:
			rule, msg := unknownEntryKey(k, entryKeys, crash)
			add(kp, kpos, rule, FatePachdCrash, msg)
		case !f.accepts(val):
			wrong = wrong || k == "config" || k == "jsonConfig"
			add(kp, kpos, RuleWrongType, FatePachdCrash, wrongEntryTypeMsg(k, val, crash))
		case k == "config":
			checkJSONNumbers(val, kp, pos, add)
		}
	}
	for _, f := range entryFields {
		if s, isString := m[f.key].(string); !f.required || isString && s != "" || !isString && m[f.key] != nil {
			continue // set, or reported as the wrong type
		}
		kp, kpos := at(f.key)
		add(kp, orEntry(kpos), RuleRequired, FatePachdCrash, missingEntryFieldMsg(f.key, crash))
	}
	if n, ok := int64Value(m["configVersion"]); ok && n != 0 {
		kp, kpos := at("configVersion")
		add(kp, kpos, RuleConfigVersionManaged, FateIgnored, configVersionManagedMsg)
	}
	if wrong {
		return
	}
	// PickConfig: config when it is a mapping, else jsonConfig unless "" or
	// "null", else "no configs are defined".
	_, hasConfig := m["config"].(map[string]any)
	js, _ := m["jsonConfig"].(string)
	typ, _ := m["type"].(string)
	jp, jpos := at("jsonConfig")
	switch {
	case hasConfig && js != "":
		add(jp, jpos, RuleConfigAndJSONConfig, FateIgnored, bothConfigsMsg)
	case hasConfig:
	case js == "" || js == "null":
		kp, kpos, detail := jp, jpos, `jsonConfig is "null", which pachd reads as no config`
		if js == "" {
			kp, kpos = at("config")
			detail = "the entry has no config"
		}
		add(kp, orEntry(kpos), RuleConfigMissing, FatePachdCrash, configMissingMsg(detail, typ, crash))
	default:
		if _, problem := jsonConfigProblem(js, crash); problem != "" {
			add(jp, jpos, RuleJSONConfigInvalid, FatePachdCrash, problem)
		}
	}
}

// checkJSONNumbers reports numbers pachd cannot convert from YAML to JSON
// (.inf, .nan).
func checkJSONNumbers(v any, path string, pos positions, add func(string, Position, Rule, Fate, string)) {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			add(path, pos.at(path), RulePachdYAML, FatePachdCrash,
				"is .inf or .nan, which pachd cannot convert to JSON: "+pachdCrash+"; quote it if it is meant as text")
		}
	case []any:
		for i, it := range x {
			checkJSONNumbers(it, indexPath(path, i), pos, add)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			checkJSONNumbers(x[k], joinPath(path, k), pos, add)
		}
	}
}

// secretNotGiven is the error of PachdUpstreamIDPs when the values keep
// their entries in a Secret and no manifest was given: it says which and
// where, and is ErrSecretNotGiven.
type secretNotGiven struct {
	name string   // the value of oidc.upstreamIDPsSecretName
	pos  Position // where it is set
}

func (e *secretNotGiven) Error() string {
	line := ""
	if e.pos.IsValid() {
		line = fmt.Sprintf(" (line %d)", e.pos.Line)
	}
	return fmt.Sprintf("oidc.upstreamIDPsSecretName%s: the chart reads the entries from the key %s of the Secret %q: pass its manifest (DecodeSecretManifest; kubectl get secret %s -o yaml shows it)",
		line, UpstreamIDPsSecretKey, e.name, e.name)
}

func (e *secretNotGiven) Unwrap() error { return ErrSecretNotGiven }

// PachdUpstreamIDPs returns the text pachd receives in IDP_CONNECTORS for
// these values, as Pachyderm's chart chooses it, and what pachd's strict
// decoder (UpstreamIDPsSecret.PachdUpstreamIDPs) and the chart would refuse in it.
//
// When oidc.upstreamIDPsSecretName is set, the chart ignores the inline list
// and the text is the key upstream-idps of that Secret: pass the Secret's
// manifest (DecodeSecretManifest) as secret, or get ErrSecretNotGiven.
// Findings about the text then have paths such as "upstream-idps[0].id" and
// positions in secret.Text. Otherwise the text is RenderUpstreamIDPs of
// oidc.upstreamIDPs (secret, when given, is unused and reported) and the
// findings have paths and positions in the values document.
//
// The chart's choice between the upstream IdPs and its mock IdP is applied
// too (see ValidateValues: no-upstream-idps, mock-idp-in-use,
// mock-idp-ignored, inline-list-ignored). When the chart would render no
// upstream list at all, the text is nil.
//
// The error is for what stops the text from being built: a wrongly shaped
// document (*SyntaxError), a missing Secret (ErrSecretNotGiven, whose text
// names the Secret and the line of its name) or a value
// Helm cannot render (*RenderError). Findings with errors are returned with
// the text, so that a caller can show both; check Findings.Err before using
// the text. The text holds secrets: never log it.
func (v *Document) PachdUpstreamIDPs(secret *UpstreamIDPsSecret) ([]byte, Findings, error) {
	if err := v.ready(); err != nil {
		return nil, nil, err
	}
	const namePath = "oidc.upstreamIDPsSecretName"
	nameVal, namePos, _ := v.Lookup(namePath)
	name, isString := nameVal.(string)
	if nameVal != nil && !isString {
		return nil, nil, &SyntaxError{Path: namePath, Pos: namePos,
			Msg: fmt.Sprintf("must be the name of a Secret, got %s: quote it", typeName(nameVal))}
	}
	chart := mockIDPFindings(v)
	if name != "" {
		if secret == nil {
			return nil, nil, &secretNotGiven{name: name, pos: namePos}
		}
		var fs Findings
		if secret.Name != name {
			fs = append(fs, Finding{Path: namePath, Pos: namePos, Rule: RuleSecretNameMismatch, Severity: SeverityWarning,
				Message: fmt.Sprintf("names the Secret %q, but the manifest given is of the Secret %q: check that it is the one the cluster will hold", name, secret.Name)})
		}
		_, pfs := decodePachdStrict(secret.Text)
		return secret.Text, append(append(fs, chart...), pfs...), nil
	}

	var fs Findings
	if secret != nil {
		fs = append(fs, Finding{Path: namePath, Pos: v.at(namePath), Rule: RuleSecretUnused, Severity: SeverityWarning,
			Message: fmt.Sprintf("is not set, so the chart renders oidc.upstreamIDPs and never reads the Secret %q given: set it (pachidp secret) or leave the Secret out", secret.Name)})
	}
	// The entries are checked for their shape, and the list is rendered as
	// written: Helm's toYaml keeps every key and every empty string.
	if _, err := v.UpstreamIDPs(); err != nil {
		return nil, nil, err
	}
	list, _, err := v.idpList()
	if err != nil {
		return nil, nil, err
	}
	fs = append(fs, chart...)
	if len(list) == 0 {
		return nil, fs, nil
	}
	text, err := helmYAML(list, pathIDPs)
	if err != nil {
		return nil, nil, err
	}
	_, pfs := decodePachdStrict(text)
	for i := range pfs {
		if rest, ok := strings.CutPrefix(pfs[i].Path, UpstreamIDPsSecretKey); ok {
			pfs[i].Path = pathIDPs + rest
			pfs[i].Pos = v.at(pfs[i].Path)
		}
	}
	sort.SliceStable(pfs, func(i, j int) bool { return posLess(pfs[i].Pos, pfs[j].Pos) })
	return text, append(fs, pfs...), nil
}

// posLess orders positions in document order, unknown positions last.
func posLess(a, b Position) bool {
	switch {
	case !a.IsValid():
		return false
	case !b.IsValid():
		return true
	}
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}
