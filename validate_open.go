package pachidp

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
)

// This file applies what each connector type's Open (and LoginURL) refuses,
// as the conformance module of each Dex found it by running them: the
// "rules" of dexconfig/<name>.json, written by the probes of
// conformance/harness/openrules.go (go test -update in conformance/dex/*).
// A new Dex changes that data, not this code. What a probe finds the library
// does not apply fails TestOpenRulesFromProbes.

// openRules is what one type's Open and LoginURL refuse in one Dex.
type openRules struct {
	// Realistic is a config the real Open and LoginURL accept.
	Realistic map[string]any `json:"realistic"`
	// Required: keys Open (or LoginURL) refuses to do without, unless one of
	// Other is set.
	Required []openKeyRule `json:"required"`
	// Enums: string keys Open accepts some values of.
	Enums []openEnumRule `json:"enums"`
	// Requires: keys Open refuses unless one of Other is set too.
	Requires []openKeyRule `json:"requires"`
	// Conflicts: keys Open refuses together with one of Other.
	Conflicts []openKeyRule `json:"conflicts"`
	// Refused: keys Open refuses whatever their value.
	Refused []openKeyRule `json:"refused"`
	// Forms: string keys that take a plain value but refuse a form of it.
	Forms []openFormRule `json:"forms"`
	// Certificates: base64 keys whose data must be PEM certificates.
	Certificates []openKeyRule `json:"certificates"`
	// Files: keys whose value is a file Open reads.
	Files []string `json:"files"`
	// FileRequires: file keys Open reads only when one of Other is set too.
	FileRequires []openKeyRule `json:"fileRequires"`
}

// fileKeys are the keys of cfg whose file Open reads, per the probes: the
// Files, and the FileRequires whose condition is set.
func (r *openRules) fileKeys(cfg map[string]any) []string {
	if r == nil {
		return nil
	}
	out := slices.Clone(r.Files)
	for _, q := range r.FileRequires {
		if slices.ContainsFunc(q.Other, func(o string) bool { v, _ := lookupPath(cfg, o); return isSet(v) }) {
			out = append(out, q.Key)
		}
	}
	return out
}

// openKeyRule is one rule about a key, a dotted path under the config.
type openKeyRule struct {
	Key    string         `json:"key"`
	Other  []string       `json:"other"`
	Stage  string         `json:"stage"` // "open" or "login-url"
	Error  string         `json:"error"`
	Config map[string]any `json:"config"` // a config the real code refused
	// Decoding, for Certificates: "all" (every PEM block a certificate,
	// nothing after: saml's own loop), "some" (one certificate parses:
	// x509.CertPool.AppendCertsFromPEM, ldap and gitlab).
	Decoding string `json:"decoding"`
}

// openFormRule is a form of value Open refuses: Form is "contains:X" or
// "suffix:X".
type openFormRule struct {
	Key    string         `json:"key"`
	Form   string         `json:"form"`
	Stage  string         `json:"stage"`
	Error  string         `json:"error"`
	Config map[string]any `json:"config"`
}

// matches reports whether s has the form.
func (f openFormRule) matches(s string) bool {
	kind, x, _ := strings.Cut(f.Form, ":")
	switch kind {
	case "contains":
		return strings.Contains(s, x)
	case "suffix":
		return strings.HasSuffix(s, x)
	}
	return false
}

// openEnumRule is a string key whose values Open checks.
type openEnumRule struct {
	Key           string         `json:"key"`
	Values        []string       `json:"values"`
	CaseSensitive bool           `json:"caseSensitive"`
	Stage         string         `json:"stage"`
	Error         string         `json:"error"`
	Config        map[string]any `json:"config"`
}

// openRulesOf returns the probed rules of a type in d, nil when there are
// none.
func (d *dexVersion) openRulesOf(typ string) *openRules { return d.table().Rules[typ] }

// probedRequired reports whether the target's Dex refuses the type's
// config without key (a probed required rule), so that another check does
// not say it again.
func (c *entryCheck) probedRequired(typ, key string) bool {
	r := c.dex.openRulesOf(typ)
	if r == nil {
		return false
	}
	for _, q := range r.Required {
		if strings.EqualFold(q.Key, key) {
			return true
		}
	}
	return false
}

// openRuleElsewhere are probed rules another check of the library reports
// with its own rule id and message: type, then key.
var openRuleElsewhere = map[string]map[string]bool{
	// validate_oidc.go: issuer rules, the keys OIDCConfig tags trimmed_required,
	// redirect-uri-*, pkce-challenge and hosted-domains-refused.
	typeOIDC: {"issuer": true, "clientID": true, "clientSecret": true, "redirectURI": true, "pkceChallenge": true, "hostedDomains": true},
}

// isSet reports whether a config value counts as set for Open: not null,
// not "", not false, not an empty list or mapping.
func isSet(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// relPath is the entry-relative path of a dotted config key as written
// (or as the rule names it when it is absent).
func (c *entryCheck) relPath(key string) string {
	_, written := lookupPath(c.cfg, key)
	if written == "" {
		written = key
	}
	rel := c.cfgKey
	for _, seg := range strings.Split(written, ".") {
		rel = joinPath(rel, seg)
	}
	return rel
}

// addStage records a finding of a probed rule with the fate of the stage
// that refused: Open, or LoginURL (every login fails).
func (c *entryCheck) addStage(stage, rel string, rule Rule, format string, args ...any) {
	if stage == "login-url" {
		c.add(rel, rule, FateLoginFails, format, args...)
		return
	}
	c.addOpen(rel, rule, format, args...)
}

// checkOpenRules applies the probed rules of the entry's type in the
// target's Dex to the config Dex gets.
func (c *entryCheck) checkOpenRules() {
	typ := c.e.Type
	r := c.dex.openRulesOf(typ)
	if r == nil || c.cfg == nil {
		return
	}
	elsewhere := openRuleElsewhere[typ]
	anySet := func(keys []string) bool {
		for _, k := range keys {
			if v, _ := lookupPath(c.cfg, k); isSet(v) {
				return true
			}
		}
		return false
	}
	for _, q := range r.Required {
		if elsewhere[q.Key] || anySet(q.Other) {
			continue
		}
		if v, _ := lookupPath(c.cfg, q.Key); v != nil && v != "" {
			continue
		}
		if q.Stage == "login-url" && strings.EqualFold(q.Key, "redirectURI") {
			want := c.dexCallback
			if want == "" {
				want = "https://<Pachyderm's host>/dex/callback"
			}
			c.addStage(q.Stage, c.relPath(q.Key), RuleRequired,
				"missing: the %s connector's LoginURL compares redirectURI with Dex's callback, so every login fails: add redirectURI: %q", typ, want)
			continue
		}
		alt := ""
		if len(q.Other) > 0 {
			alt = " (or " + strings.Join(c.setWords(typ, q.Other), ", or ") + ")"
		}
		c.addStage(q.Stage, c.relPath(q.Key), RuleRequired, "missing: the %s connector's Open needs %s%s", typ, q.Key, alt)
	}
	for _, q := range r.Requires {
		if elsewhere[q.Key] {
			continue
		}
		if v, _ := lookupPath(c.cfg, q.Key); !isSet(v) || anySet(q.Other) {
			continue
		}
		msg := fmt.Sprintf("the %s connector's Open refuses %s without %s: set %s, or delete %s",
			typ, q.Key, strings.Join(q.Other, " or "), strings.Join(c.setWords(typ, q.Other), " or "), q.Key)
		if len(msg) > messageWidth {
			msg = fmt.Sprintf("the %s connector's Open refuses %s without %s: set it, or delete %s",
				typ, q.Key, strings.Join(q.Other, " or "), q.Key)
		}
		c.addStage(q.Stage, c.relPath(q.Key), RuleRequiresKey, "%s", msg)
	}
	for _, q := range r.Conflicts {
		if elsewhere[q.Key] {
			continue
		}
		if v, _ := lookupPath(c.cfg, q.Key); !isSet(v) {
			continue
		}
		for _, o := range q.Other {
			if v, _ := lookupPath(c.cfg, o); isSet(v) {
				c.addStage(q.Stage, c.relPath(q.Key), RuleExclusiveKeys, "the %s connector's Open refuses %s and %s together: keep one", typ, q.Key, o)
				break
			}
		}
	}
	for _, q := range r.Refused {
		if v, _ := lookupPath(c.cfg, q.Key); elsewhere[q.Key] || !isSet(v) {
			continue
		}
		c.addStage(q.Stage, c.relPath(q.Key), RuleUnknownValue, "the %s connector's Open refuses %s whatever its value: delete it", typ, q.Key)
	}
	for _, q := range r.Forms {
		v, _ := lookupPath(c.cfg, q.Key)
		if s, ok := v.(string); !ok || elsewhere[q.Key] || !q.matches(s) {
			continue
		}
		kind, x, _ := strings.Cut(q.Form, ":")
		what := fmt.Sprintf("with %q", x)
		if kind == "suffix" {
			what = fmt.Sprintf("ending in %q", x)
		}
		fix := "write the value without it"
		if x == "/" {
			fix = "write the host name only, such as \"github.acme.com\" (no scheme, no path)"
		}
		c.addStage(q.Stage, c.relPath(q.Key), RuleUnknownValue, "the %s connector's Open refuses a %s %s: %s", typ, q.Key, what, fix)
	}
	for _, q := range r.Certificates {
		v, _ := lookupPath(c.cfg, q.Key)
		s, ok := v.(string)
		if !ok || s == "" || elsewhere[q.Key] {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			continue // not base64: wrong-type
		}
		why := notPEMCertificates(data)
		if q.Decoding == "some" {
			why = someCertProblem(data)
		}
		if why != "" {
			c.addStage(q.Stage, c.relPath(q.Key), RuleRootCAInvalid,
				"%s %s: give the base64 of the PEM file, BEGIN/END lines too (base64 -w0 ca.pem)", q.Key, why)
		}
	}
	for _, q := range r.Enums {
		if elsewhere[q.Key] {
			continue
		}
		v, _ := lookupPath(c.cfg, q.Key)
		s, isString := v.(string)
		if !isString {
			continue // absent, or the wrong type (wrong-type)
		}
		ok, folded := false, ""
		for _, a := range q.Values {
			if a == s || !q.CaseSensitive && strings.EqualFold(a, s) {
				ok = true
				break
			}
			if a != "" && folded == "" && strings.EqualFold(a, s) {
				folded = a
			}
		}
		if ok {
			continue
		}
		if folded != "" {
			c.addStage(q.Stage, c.relPath(q.Key), RuleUnknownValue, "the %s connector's Open refuses %q (values are case-sensitive): use %q", typ, s, folded)
			continue
		}
		c.addStage(q.Stage, c.relPath(q.Key), RuleUnknownValue, "the %s connector's Open refuses %q: %s", typ, s, enumFix(s, q.Values))
	}
}

// setWords says how to set each key: "insecureSkipSignatureValidation:
// true" for a boolean, the name otherwise.
func (c *entryCheck) setWords(typ string, keys []string) []string {
	out := make([]string, len(keys))
	node := c.dex.connector(typ)
	for i, k := range keys {
		out[i] = k
		n := node
		for _, seg := range strings.Split(k, ".") {
			_, n = n.field(seg)
		}
		if n != nil && n.Kind == "bool" {
			out[i] = k + ": true"
		}
	}
	return out
}

// enumFix says which values to use instead of s: all of them when they are
// few, else how many there are and the one nearest to s (the short forms:
// SAML name ID formats also take their full URN).
func enumFix(s string, values []string) string {
	var short []string
	for _, v := range values {
		if v != "" && !strings.HasPrefix(v, "urn:") {
			short = append(short, v)
		}
	}
	if len(short) == 0 {
		for _, v := range values {
			if v != "" {
				short = append(short, v)
			}
		}
	}
	quoted := make([]string, len(short))
	for i, v := range short {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	switch {
	case len(quoted) == 0:
		return "delete the key"
	case len(quoted) <= 3:
		list := quoted[len(quoted)-1]
		if len(quoted) > 1 {
			list = strings.Join(quoted[:len(quoted)-1], ", ") + " or " + list
		}
		return "use " + list + ", or delete the key"
	}
	best := short[0]
	for _, v := range short {
		lv, ls := strings.ToLower(v), strings.ToLower(s)
		if ls != "" && (strings.Contains(lv, ls) || strings.Contains(ls, lv)) {
			best = v
			break
		}
	}
	return fmt.Sprintf("use one of its %d values, such as %q (pachidp schema lists them)", len(short), best)
}

// notPEMCertificates says what is wrong with data when it is not one or more PEM
// certificates and nothing else, as the saml connector reads caData (its own
// pem.Decode loop: connector/saml/saml.go:210-225 at v2.45.1 and in the forks
// ebfeda6, 8eefbbc, 97a077e, 706aec2; :209-224 in 292f1ae; the probes
// record it as decoding "all"): "" when it is.
func notPEMCertificates(data []byte) string {
	n := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return "holds a PEM block that is not a certificate"
		}
		n++
	}
	switch {
	case n == 0 && len(bytes.TrimSpace(data)) > 0 && data[0] == 0x30:
		return "is the base64 of DER, not of PEM"
	case n == 0:
		return "holds no PEM certificate"
	case len(bytes.TrimSpace(data)) > 0:
		return "has data after its PEM certificates"
	}
	return ""
}

// someCertProblem says what is wrong with data when no PEM certificate in it
// parses, as x509.CertPool.AppendCertsFromPEM reads it (ldap rootCAData,
// connector/ldap/ldap.go:276-279; gitlab rootCAData through pkg/httpclient;
// the probes record it as decoding "some"): text and other blocks around a
// certificate are skipped. "" when one parses.
func someCertProblem(data []byte) string {
	why := pemCertProblem(data)
	if why != "" && !bytes.Contains(data, []byte("-----BEGIN")) && len(bytes.TrimSpace(data)) > 0 && data[0] == 0x30 {
		return "is the base64 of DER, not of PEM"
	}
	return why
}
