package pachidp

// Everything that decides what is a secret and hides it when printing lives
// in this file, to be audited in one place: the secret keys (IsSecretKey,
// nearSecretKey, IsSecretKey), how values are masked (redact,
// hidesValue), the redacted forms behind String, GoString and Format of
// entries, configs and presets (redactedString, formatRedacted,
// formatStruct), the LogValue methods that make log/slog print those forms,
// and log/slog's hook for values nested in other values (RedactAttr).
//
// Texts (a values file, a Secret manifest, the text pachd receives) are
// redacted on their parsed document by RedactText (redact_document.go,
// with the same rule, hidesValueOf): every output that shows a text or a
// tree read from one (the command's --diff, render -o json, the JSON
// outputs) goes through it, and its scrubSecrets hides a secret pasted
// elsewhere (preflight's messages use it too). Elsewhere only
// HelmValues.Redacted (values_map.go) calls redact.

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"

	"github.com/pachidp/pachidp/internal/suggest"
)

// Redacted is what String, GoString and errors show instead of a secret.
const Redacted = "REDACTED"

// secretWords are key parts that always mark a secret, wherever they are in
// the key (compared in lower case, without '_' and '-').
var secretWords = []string{"secret", "password", "passwd", "passphrase", "privatekey", "credential", "apikey", "licensekey"}

// secretSuffixes mark a secret at the end of a key only: bindPW, bindPwd,
// bindPass, rootToken, cred. Inside a key they mean something else
// (tokenURL, IDTokenExpiry, passwordConnector is caught by secretWords).
var secretSuffixes = []string{"pw", "pwd", "pass", "token", "cred", "creds"}

// notSecretSuffixes mark keys that name a secret or a file rather than hold
// one: secretName, upstreamIDPsSecretName, passwordFile, clientSecretRef,
// tokenURL.
var notSecretSuffixes = []string{"name", "file", "path", "ref", "url", "uri"}

// nearSecretWords are the secret keys whose misspellings are hidden too,
// with the largest distance (edits, a swap of two neighbours counting as one)
// still taken for a misspelling. Short keys such as bindPW have no near
// misses: bindDN is two edits from it and is no secret.
var nearSecretWords = []struct {
	word string
	max  int
}{{"clientsecret", 2}, {"password", 2}, {"passwd", 1}, {"secret", 1}}

// foldKey is the form keys are compared in: lower case without '_' and '-'.
func foldKey(key string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(key))
}

// isSecretKey is IsSecretKey's rule for keys of any connector type, without
// the schemas and the misspellings.
func isSecretKey(key string) bool {
	k := foldKey(key)
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(k, s) {
			return false
		}
	}
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(k, s) {
			return true
		}
	}
	return false
}

// connectorSecretKeys lists, per connector type, the config keys of the
// type's real config struct that hold a secret (folded with foldKey). Every
// key here exists in that type's key table in dexconfig/ for some Dex, and
// every key of those tables that looks like a secret is here
// (TestConnectorSecretKeysMatchTables). A table can only add secret keys:
// it never makes a key IsSecretKey hides visible.
var connectorSecretKeys = func() map[string]map[string]bool {
	client := []string{"clientSecret"}
	byType := map[string][]string{
		"oidc": client, "oauth": client, "github": client, "gitlab": client, "gitea": client,
		"google": client, "microsoft": client, "linkedin": client, "bitbucket-cloud": client,
		"openshift": client, "atlassian-crowd": client,
		"ldap":         {"bindPW"},
		"keystone":     {"keystonePassword"},
		"mockPassword": {"password"},
	}
	out := map[string]map[string]bool{}
	for typ, keys := range byType {
		out[typ] = map[string]bool{}
		for _, k := range keys {
			out[typ][foldKey(k)] = true
		}
	}
	return out
}()

// IsSecretKey reports whether a key holds a secret, in the config of a
// connector of type connType ("" for any type, or a key outside a config):
// clientSecret, ldap's bindPW (and bindPwd, bindPass, bindPassword),
// keystone's password, passwd, privateKey..., in the rest of Pachyderm's
// values pachd.rootToken, storage credentials (cred),
// enterpriseLicenseKey, ...; a secret key of the type's schema (the key
// tables in dexconfig/); and a near misspelling of clientSecret, password
// or secret (such as cilentSecert), which Dex ignores but whose value is the
// secret the user meant to write. Keys that name a Kubernetes Secret, a
// file or a URL rather than hold one (secretName, upstreamIDPsSecretName,
// passwordFile, tokenURL, ...) are not secrets. Such values are never
// printed.
func IsSecretKey(connType, key string) bool {
	if connectorSecretKeys[connType][foldKey(key)] {
		return true
	}
	return isSecretKey(key) || nearSecretKey(key)
}

// hidesValue reports whether printing hides the value of key: a secret key
// (IsSecretKey, nearSecretKey) or a config written as text (isConfigText),
// unless the value is empty or a bool (automountServiceAccountToken: false
// holds no secret).
func hidesValue(key string, v any) bool { return hidesValueOf("", key, v) }

// hidesValueOf is hidesValue for a key of a connector's config of the given
// type ("" when unknown).
func hidesValueOf(connType, key string, v any) bool {
	return hidesValueWith(IsSecretKey, connType, key, v)
}

// hidesValueWith is hidesValueOf with the secret-key rule given (a
// cached IsSecretKey).
func hidesValueWith(isSecret func(connType, key string) bool, connType, key string, v any) bool {
	switch v.(type) {
	case nil, bool:
		return false
	}
	return v != "" && (isSecret(connType, key) || isConfigText(key, v))
}

// nearSecretKey reports whether a key is a misspelling of clientSecret,
// password, passwd or secret (see nearSecretWords).
func nearSecretKey(key string) bool {
	k := foldKey(key)
	for _, w := range nearSecretWords {
		if suggest.OSA(k, w.word) <= w.max {
			return true
		}
	}
	return false
}

// isConfigText reports whether a key holds a whole config as text, secret
// included: the legacy jsonConfig (or json_config), or a config written as a
// string instead of a mapping.
func isConfigText(key string, v any) bool {
	_, isString := v.(string)
	return isString && (key == "jsonConfig" || key == "json_config" || key == "config")
}

func redactedString(m orderedMap) string {
	out, err := marshalYAML(redact(m))
	if err != nil {
		return "{" + Redacted + "}"
	}
	return strings.TrimSuffix(string(out), "\n")
}

// formatRedacted applies a verb to the redacted text of a value: %s, %v, %q
// and %x format the text, %#v shows the Go form, other verbs report the
// bad verb with the text.
//
// One verb bypasses every method: %p of a value that is not a pointer
// prints fmt's error form of the raw value, since fmt calls no method while
// it reports a bad verb. go vet's printf check reports that misuse.
func formatRedacted(f fmt.State, verb rune, str, goStr func() string) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			io.WriteString(f, goStr())
			return
		}
		fallthrough
	case 's', 'q', 'x', 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), str())
	default:
		fmt.Fprintf(f, "%%!%c(%s)", verb, str())
	}
}

// redact replaces the values of secret keys, at any depth, with Redacted,
// in a tree of orderedMap or map[string]any and []any (HelmValues.Redacted
// uses it too). Under an entry (a mapping with type and config) the
// config's keys are judged with the entry's type (IsSecretKey).
func redact(v any) any { return redactOf("", v) }

func redactOf(connType string, v any) any {
	switch x := v.(type) {
	case orderedMap:
		typ := ""
		if t, ok := findItem(x, "type"); ok {
			typ, _ = t.(string)
		}
		out := make(orderedMap, len(x))
		for i, it := range x {
			ct := connType
			if it.Key == "config" && typ != "" {
				ct = typ
			}
			if hidesValueOf(connType, it.Key, it.Value) {
				out[i] = mapItem{it.Key, Redacted}
			} else {
				out[i] = mapItem{it.Key, redactOf(ct, it.Value)}
			}
		}
		return out
	case map[string]any:
		typ, _ := x["type"].(string)
		out := make(map[string]any, len(x))
		for k, val := range x {
			ct := connType
			if k == "config" && typ != "" {
				ct = typ
			}
			if hidesValueOf(connType, k, val) {
				out[k] = Redacted
			} else {
				out[k] = redactOf(ct, val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = redactOf(connType, it)
		}
		return out
	}
	return v
}

// ---------------------------------------------------------------------------
// log/slog

// RedactAttr is a ReplaceAttr function for log/slog's handlers that hides
// secrets wherever they are in a logged value:
//
//	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{ReplaceAttr: pachidp.RedactAttr}))
//	logger.Info("entries", "idps", idps) // a []UpstreamIDP, a map, a struct holding one...
//
// Without it, a value of this package logged directly is safe (its
// LogValue method redacts it), but slog's JSON handler writes a slice, a
// map or a struct holding one with encoding/json, and an entry's
// MarshalJSON writes its secrets (a values file needs them). RedactAttr
// replaces such a value by a copy in which every entry, config, preset,
// Secret and HelmValues is its redacted form, and every secret key
// (IsSecretKey) of a map or a struct field holds Redacted. An attribute
// whose own key is a secret key (slog.String("clientSecret", s)) is
// Redacted too. Other values pass unchanged.
func RedactAttr(groups []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		if a.Value.String() != "" && isSecretKey(a.Key) {
			a.Value = slog.StringValue(Redacted)
		}
	case slog.KindAny:
		v := a.Value.Any()
		if isSecretKey(a.Key) && v != nil {
			a.Value = slog.StringValue(Redacted)
			return a
		}
		budget := maxLoggedValues
		if out, changed := redactReflect(reflect.ValueOf(v), 0, &budget); changed {
			a.Value = slog.AnyValue(out)
		}
	}
	return a
}

// maxLoggedValues bounds the values RedactAttr copies from one attribute.
const maxLoggedValues = 1 << 16

// redactedTypes are this package's types that print without secrets; a
// pointer to one is redacted the same way.
var redactedTypes = map[reflect.Type]bool{}

func init() {
	for _, v := range []any{UpstreamIDP{}, OIDCConfig{}, ConnectorConfig{}, UpstreamIDPsSecret{}, HelmValues{},
		Document{}, Layers{}, Layer{}, LayersOptions{}, ChartIdentity{}, ValidateValuesOptions{},
		ClaimMapping{}, ClaimModifications{}, NewGroupFromClaims{}, FilterGroupClaims{}, ModifyGroupNames{}, ProviderDiscoveryOverrides{}} {
		redactedTypes[reflect.TypeOf(v)] = true
	}
	for _, p := range providers { // the presets
		redactedTypes[p.preset] = true
	}
}

// redactReflect returns a copy of v fit to log: this package's values by
// their redacted forms, secret keys of maps and struct fields Redacted. It
// reports whether anything was replaced; when not, the caller logs v as it
// is. Unexported struct fields are left out of a copy.
//
// budget bounds the values visited (a value that shares one map at many
// places stands for more than can be copied): past it, what is left is
// Redacted.
func redactReflect(v reflect.Value, depth int, budget *int) (any, bool) {
	if !v.IsValid() {
		return nil, false
	}
	if *budget--; depth > 32 || *budget < 0 {
		return Redacted, true
	}
	t := v.Type()
	if redactedTypes[t] || t.Kind() == reflect.Pointer && redactedTypes[t.Elem()] {
		if t.Kind() == reflect.Pointer && v.IsNil() {
			return nil, false
		}
		if hv, ok := v.Interface().(HelmValues); ok {
			return hv.Redacted(), true
		}
		return fmt.Sprint(v.Interface()), true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return redactReflect(v.Elem(), depth+1, budget)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return v.Interface(), false
		}
		out := make([]any, v.Len())
		changed := false
		for i := range out {
			var c bool
			out[i], c = redactReflect(v.Index(i), depth+1, budget)
			if !c {
				out[i] = v.Index(i).Interface()
			}
			changed = changed || c
		}
		return out, changed
	case reflect.Map:
		out := make(map[string]any, v.Len())
		changed := false
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			val := iter.Value()
			if val.Kind() == reflect.Interface && !val.IsNil() {
				val = val.Elem()
			}
			if val.IsValid() && val.CanInterface() && hidesValue(k, val.Interface()) {
				out[k], changed = Redacted, true
				continue
			}
			r, c := redactReflect(val, depth+1, budget)
			if !c && val.IsValid() {
				r = val.Interface()
			}
			out[k], changed = r, changed || c
		}
		return out, changed
	case reflect.Struct:
		out := make(map[string]any, t.NumField())
		changed := false
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				// Not logged by encoding/json either; fmt would print it raw.
				changed = changed || holdsSecretType(f.Type, 0)
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.String && fv.String() != "" && isSecretKey(f.Name) {
				out[f.Name], changed = Redacted, true
				continue
			}
			r, c := redactReflect(fv, depth+1, budget)
			if !c {
				r = fv.Interface()
			}
			out[f.Name], changed = r, changed || c
		}
		if !changed {
			return nil, false
		}
		return out, true
	}
	return nil, false
}

// holdsSecretType reports whether values of t may hold one of this
// package's values.
func holdsSecretType(t reflect.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	if redactedTypes[t] {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsSecretType(t.Elem(), depth+1)
	case reflect.Map:
		return holdsSecretType(t.Elem(), depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsSecretType(t.Field(i).Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// String shows the values as Redacted returns them: every secret key's
// value (IsSecretKey) is Redacted.
func (v HelmValues) String() string {
	if err := checkTree(map[string]any(v)); err != nil {
		return unprintable("pachidp.HelmValues", err)
	}
	return fmt.Sprint(v.Redacted())
}

// GoString is like String, so that %#v never shows a secret either.
func (v HelmValues) GoString() string { return "pachidp.HelmValues(" + v.String() + ")" }

// Format makes every fmt verb print String (GoString for %#v), so that no
// verb shows a secret of the values.
func (v HelmValues) Format(f fmt.State, verb rune) { formatRedacted(f, verb, v.String, v.GoString) }

// ---------------------------------------------------------------------------
// Printing an entry or a config without secrets

// String shows the entry as YAML with every secret redacted.
func (e UpstreamIDP) String() string {
	if err := checkTree(e); err != nil {
		return unprintable("pachidp.UpstreamIDP", err)
	}
	out, err := marshalYAML(redact(e.ordered()))
	if err != nil {
		return fmt.Sprintf("UpstreamIDP{id: %q, type: %q}", e.ID, e.Type)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// GoString is like String, so that %#v never shows a secret either.
func (e UpstreamIDP) GoString() string { return "pachidp.UpstreamIDP(" + e.String() + ")" }

// String shows the config as YAML with the client secret redacted.
func (c OIDCConfig) String() string {
	if err := checkTree(c); err != nil {
		return unprintable("pachidp.OIDCConfig", err)
	}
	return redactedString(c.ordered())
}

// GoString is like String, so that %#v never shows the client secret either.
func (c OIDCConfig) GoString() string { return "pachidp.OIDCConfig(" + c.String() + ")" }

// String shows the config as YAML with every secret redacted.
func (c ConnectorConfig) String() string {
	if err := checkTree(map[string]any(c)); err != nil {
		return unprintable("pachidp.ConnectorConfig", err)
	}
	return redactedString(orderGeneric(c))
}

// GoString is like String, so that %#v never shows a secret either.
func (c ConnectorConfig) GoString() string { return "pachidp.ConnectorConfig(" + c.String() + ")" }

// Format makes every fmt verb print String (GoString for %#v), so that no
// verb, such as %d or %x, shows a secret.
func (e UpstreamIDP) Format(f fmt.State, verb rune) { formatRedacted(f, verb, e.String, e.GoString) }

// Format makes every fmt verb print String (GoString for %#v), so that no
// verb shows the client secret.
func (c OIDCConfig) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String, c.GoString) }

// Format makes every fmt verb print String (GoString for %#v), so that no
// verb shows a secret.
func (c ConnectorConfig) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String, c.GoString)
}

// ---------------------------------------------------------------------------
// Printing a Secret or a Document without their text

// String shows the Secret's name and the size of upstream-idps, never its text.
func (s UpstreamIDPsSecret) String() string {
	name := s.Name
	if s.Namespace != "" {
		name = s.Namespace + "/" + name
	}
	return fmt.Sprintf("Secret %s (%s: %d bytes, %s)", name, UpstreamIDPsSecretKey, len(s.Text), Redacted)
}

// GoString is like String, so that %#v never shows the text either.
func (s UpstreamIDPsSecret) GoString() string {
	return "pachidp.UpstreamIDPsSecret(" + s.String() + ")"
}

// Format makes every fmt verb print String (GoString for %#v), so that no
// verb, such as %d or %x, shows the text. The methods have value receivers
// so that a Secret printed by value, or inside a struct, is redacted too.
func (s UpstreamIDPsSecret) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, s.String, s.GoString)
}

// String describes the document without its content, which holds secrets
// when the values do: its format and size. Print v.Bytes() only where a
// secret may be shown.
//
// The receiver is a value so that a Document printed by value is described
// too.
func (v Document) String() string {
	return fmt.Sprintf("%s values document (%d bytes, %s)", v.formatName(), len(v.Bytes()), Redacted)
}

// LogValue makes log/slog show the document as String does.
func (v Document) LogValue() slog.Value { return slog.StringValue(v.String()) }

// GoString is like String, so that %#v does not show the content either.
func (v Document) GoString() string { return "pachidp.Document(" + v.String() + ")" }

// Format makes every fmt verb (%v, %s, %d, %x, %#v, ...) print the
// description of String or GoString, never the document's bytes.
func (v Document) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, v.GoString())
		return
	}
	fmt.Fprint(f, v.String())
}

// ---------------------------------------------------------------------------
// Printing a preset without its client secret

// Format prints the preset with its client secret redacted, whatever the verb.
func (a Auth0) Format(f fmt.State, verb rune) { formatStruct(f, a) }

// Format prints the preset with its client secret redacted, whatever the verb.
func (o Okta) Format(f fmt.State, verb rune) { formatStruct(f, o) }

// Format prints the preset with its client secret redacted, whatever the verb.
func (k Keycloak) Format(f fmt.State, verb rune) { formatStruct(f, k) }

// Format prints the preset with its client secret redacted, whatever the verb.
func (e EntraID) Format(f fmt.State, verb rune) { formatStruct(f, e) }

// Format prints the preset with its client secret redacted, whatever the verb.
func (g Google) Format(f fmt.State, verb rune) { formatStruct(f, g) }

// Format prints the preset with its client secret redacted, whatever the verb.
func (g GenericOIDC) Format(f fmt.State, verb rune) { formatStruct(f, g) }

// formatStruct writes a struct's set exported fields as
// pachidp.T{Field: "value", Secret: REDACTED, Extra: map[...]}: a string
// field named like a secret (isSecretKey) is Redacted, a map or an
// interface is printed redacted (redact), a pointer, a slice or a struct
// through fmt (so through its own Format when it has one).
func formatStruct(w io.Writer, v any) {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	var parts []string
	for i := 0; i < rt.NumField(); i++ {
		fv := rv.Field(i)
		if fv.IsZero() || !rt.Field(i).IsExported() {
			continue
		}
		var s string
		switch {
		case fv.Kind() == reflect.String && isSecretKey(rt.Field(i).Name):
			s = Redacted
		case fv.Kind() == reflect.String:
			s = fmt.Sprintf("%q", fv.Interface())
		case fv.Kind() == reflect.Map || fv.Kind() == reflect.Interface:
			s = fmt.Sprint(redact(plainTree(fv.Interface())))
		case fv.Kind() == reflect.Pointer:
			s = fmt.Sprint(fv.Elem().Interface())
		default:
			s = fmt.Sprint(fv.Interface())
		}
		parts = append(parts, rt.Field(i).Name+": "+s)
	}
	fmt.Fprintf(w, "%s{%s}", rt.String(), strings.Join(parts, ", "))
}

// ---------------------------------------------------------------------------
// Printing the parts of an OIDC config, whose Extra may hold any key

// Format prints the mapping with its Extra keys redacted, whatever the verb.
func (c ClaimMapping) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// Format prints the modifications with their Extra keys redacted, whatever the verb.
func (c ClaimModifications) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// Format prints the rule with its Extra keys redacted, whatever the verb.
func (c NewGroupFromClaims) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// Format prints the filter with its Extra keys redacted, whatever the verb.
func (c FilterGroupClaims) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// Format prints the rule with its Extra keys redacted, whatever the verb.
func (c ModifyGroupNames) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// Format prints the overrides with their Extra keys redacted, whatever the verb.
func (c ProviderDiscoveryOverrides) Format(f fmt.State, verb rune) { formatStruct(f, c) }

// LogValue makes log/slog show the mapping as fmt does.
func (c ClaimMapping) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// LogValue makes log/slog show the modifications as fmt does.
func (c ClaimModifications) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// LogValue makes log/slog show the rule as fmt does.
func (c NewGroupFromClaims) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// LogValue makes log/slog show the filter as fmt does.
func (c FilterGroupClaims) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// LogValue makes log/slog show the rule as fmt does.
func (c ModifyGroupNames) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// LogValue makes log/slog show the overrides as fmt does.
func (c ProviderDiscoveryOverrides) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// ---------------------------------------------------------------------------
// log/slog's LogValue methods

// log/slog's JSON handler writes a value with encoding/json, which for an
// entry calls MarshalJSON (the real secrets, as a values file needs them)
// and for a struct such as a preset writes every field, ClientSecret
// included. These LogValue methods make slog show what String shows, with
// any handler.

// LogValue makes log/slog show the entry as String does, secrets redacted.
func (e UpstreamIDP) LogValue() slog.Value { return slog.StringValue(e.String()) }

// LogValue makes log/slog show the config as String does, secrets redacted.
func (c OIDCConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// LogValue makes log/slog show the config as String does, secrets redacted.
func (c ConnectorConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// LogValue makes log/slog show the Secret as String does, without its text.
func (s UpstreamIDPsSecret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// LogValue makes log/slog show the values tree as Redacted returns it.
func (v HelmValues) LogValue() slog.Value {
	if checkTree(map[string]any(v)) != nil {
		return slog.StringValue(v.String())
	}
	return slog.AnyValue(v.Redacted())
}

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (a Auth0) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(a)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (o Okta) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(o)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (k Keycloak) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(k)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (e EntraID) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(e)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (g Google) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(g)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (g GenericOIDC) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(g)) }

// ---------------------------------------------------------------------------
// Printing the containers of values: layers, options, the chart's identity

// String names the layers and their sizes, never their values.
func (s Layers) String() string {
	var names []string
	for _, l := range s.layers {
		names = append(names, l.String())
	}
	if s.defaults != nil {
		names = append(names, "chart defaults "+s.defaults.String())
	}
	return "pachidp.Layers{" + strings.Join(names, ", ") + "}"
}

// GoString is like String, so that %#v never shows a value either.
func (s Layers) GoString() string { return s.String() }

// Format makes every fmt verb print String, so that no verb shows a value.
func (s Layers) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String, s.GoString) }

// LogValue makes log/slog show the layers as String does.
func (s Layers) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String names the layer and describes its document (Document.String),
// never its values.
func (l Layer) String() string {
	doc := "nil"
	if l.Values != nil {
		doc = l.Values.String()
	}
	return fmt.Sprintf("pachidp.Layer{Name: %q, Values: %s}", l.Name, doc)
}

// GoString is like String, so that %#v never shows a value either.
func (l Layer) GoString() string { return l.String() }

// Format makes every fmt verb print String, so that no verb shows a value.
func (l Layer) Format(f fmt.State, verb rune) { formatRedacted(f, verb, l.String, l.GoString) }

// LogValue makes log/slog show the layer as String does.
func (l Layer) LogValue() slog.Value { return slog.StringValue(l.String()) }

// String describes the options, the chart defaults as Layer.String does.
func (o LayersOptions) String() string {
	d := "nil"
	if o.ChartDefaults != nil {
		d = o.ChartDefaults.String()
	}
	return "pachidp.LayersOptions{ChartDefaults: " + d + "}"
}

// GoString is like String, so that %#v never shows a value either.
func (o LayersOptions) GoString() string { return o.String() }

// Format makes every fmt verb print String, so that no verb shows a value.
func (o LayersOptions) Format(f fmt.State, verb rune) { formatRedacted(f, verb, o.String, o.GoString) }

// LogValue makes log/slog show the options as String does.
func (o LayersOptions) LogValue() slog.Value { return slog.StringValue(o.String()) }

// String shows the identity with the size of Text, never Text (it holds the
// client secrets).
func (c ChartIdentity) String() string {
	return fmt.Sprintf("pachidp.ChartIdentity{Target: %s, RenderErrors: %d, Issuer: %q, IssuerFrom: %q, Connectors: %v, SecretName: %q, SecretKey: %q, UserSecret: %v, Mock: %v, Text: %d bytes, %s}",
		c.Target.Name(), len(c.RenderErrors), c.Issuer, c.IssuerFrom, c.Connectors, c.SecretName, c.SecretKey, c.UserSecret, c.Mock, len(c.Text), Redacted)
}

// GoString is like String, so that %#v never shows Text either.
func (c ChartIdentity) GoString() string { return c.String() }

// Format makes every fmt verb print String, so that no verb shows Text.
func (c ChartIdentity) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String, c.GoString) }

// LogValue makes log/slog show the identity as String does.
func (c ChartIdentity) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String shows the options, the Secret as UpstreamIDPsSecret.String does.
func (o ValidateValuesOptions) String() string {
	sec := "nil"
	if o.Secret != nil {
		sec = o.Secret.String()
	}
	return fmt.Sprintf("pachidp.ValidateValuesOptions{Target: %s, ProxyHost: %q, DexIssuer: %q, InsecureAllowHTTPLoopback: %v, NoPrerequisites: %v, Ignore: %q, Strict: %v, Secret: %s, SecretFile: %q, File: %q}",
		o.Target.Name(), o.ProxyHost, o.DexIssuer, o.InsecureAllowHTTPLoopback, o.NoPrerequisites, o.Ignore, o.Strict, sec, o.SecretFile, o.File)
}

// GoString is like String, so that %#v never shows the Secret either.
func (o ValidateValuesOptions) GoString() string { return o.String() }

// Format makes every fmt verb print String, so that no verb shows the Secret.
func (o ValidateValuesOptions) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, o.String, o.GoString)
}

// LogValue makes log/slog show the options as String does.
func (o ValidateValuesOptions) LogValue() slog.Value { return slog.StringValue(o.String()) }
