package pachidp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// dexConnectorTypes returns the connector types that upstream Dex v2.45.1
// registers, sorted, in a new slice. pachd hands an entry's type to Dex, and
// Dex refuses a type it does not know. Pachyderm's forks register fewer
// (Pachyderm 2.0-2.3 have no oauth): Validate checks the target's.
func dexConnectorTypes() []string { return dexUpstream.types() }

// TypeOIDC is the connector type of OpenID Connect providers (Auth0, Okta,
// Keycloak, Entra ID, Google, ...): the one pachidp models field by field.
const TypeOIDC = "oidc"

// UpstreamIDP is one entry of Helm's oidc.upstreamIDPs list: a simplified Dex
// connector as pachd decodes it.
//
// For type "oidc" the configuration is the typed OIDC field; for every other
// type it is the generic Config map, passed through untouched. Keys that pachd's
// strict decoder does not accept (such as the guide's "version") are kept in
// Extra, so that a decode/encode round trip keeps them and Validate reports them.
type UpstreamIDP struct {
	ID   string // connector id; pachd upserts by it, so it must be unique
	Name string // shown on Dex's login page
	Type string // Dex connector type, such as "oidc"

	// ConfigVersion is managed by pachd: on every start an existing id gets
	// its stored version plus one, whatever the values file says. Leave it 0.
	ConfigVersion int64

	// JSONConfig is the legacy form of the config (charts 2.0 to 2.2): a JSON
	// string. pachd uses it only when no config is present.
	JSONConfig string

	// OIDC is the config of an entry of type "oidc".
	OIDC *OIDCConfig

	// Config is the config of an entry of any other type, as a generic map.
	Config ConnectorConfig

	// Extra holds entry keys that pachd's strict decoder rejects, and keys
	// whose value has the wrong type (such as id: 12), as they were written.
	Extra map[string]any

	src *source // where the entry was decoded from, for positions in findings
}

// source ties a decoded entry to the positions of its document.
type source struct {
	pos  positions
	path string // absolute path of the entry in its document
}

// OIDCConfig is the config of an "oidc" connector: every field of Dex
// v2.45.1's connector/oidc.Config, plus the two fields only Pachyderm's Dex
// fork reads (InsecureSkipIssuerCallbackDomainCheck, ForwardedLoginParams).
//
// Pointers and nil slices mean "not set": only set fields are written. Go 1.26
// lets you write new(true) for a *bool.
//
// Pachyderm's Dex fork reads only some of these fields; upstream Dex ignores
// the fork's. Validate and the conversions in dex.go report which.
type OIDCConfig struct {
	Issuer       string `json:"issuer"`
	ClientID     string `json:"clientID"`
	ClientSecret string `json:"clientSecret"`
	RedirectURI  string `json:"redirectURI"`

	// InsecureEnableGroups makes Dex read the groups claim.
	InsecureEnableGroups *bool `json:"insecureEnableGroups"`
	// InsecureSkipEmailVerified treats every email as verified: anyone the
	// provider authenticates, with any email, can log in unless the provider
	// restricts its users.
	InsecureSkipEmailVerified *bool `json:"insecureSkipEmailVerified"`
	// InsecureSkipIssuerCallbackDomainCheck (Pachyderm's fork only) skips the
	// exact comparison of Dex's callback URL with RedirectURI.
	InsecureSkipIssuerCallbackDomainCheck *bool `json:"insecureSkipIssuerCallbackDomainCheck"`

	IssuerAlias                string                      `json:"issuerAlias"`
	ProviderDiscoveryOverrides *ProviderDiscoveryOverrides `json:"providerDiscoveryOverrides"`
	BasicAuthUnsupported       *bool                       `json:"basicAuthUnsupported"`
	Scopes                     []string                    `json:"scopes"`
	// HostedDomains is deprecated in Dex: upstream Dex refuses to open a
	// connector that sets it, and Pachyderm's fork ignores it.
	HostedDomains []string `json:"hostedDomains"`
	// RootCAs are CA certificates to trust: file paths, PEM or base64 PEM.
	RootCAs              []string `json:"rootCAs"`
	AllowedGroups        []string `json:"allowedGroups"`
	AcrValues            []string `json:"acrValues"`
	InsecureSkipVerify   *bool    `json:"insecureSkipVerify"`
	GetUserInfo          *bool    `json:"getUserInfo"`
	UserIDKey            string   `json:"userIDKey"`
	UserNameKey          string   `json:"userNameKey"`
	PromptType           *string  `json:"promptType"`
	PKCEChallenge        string   `json:"pkceChallenge"`
	OverrideClaimMapping *bool    `json:"overrideClaimMapping"`
	// ForwardedLoginParams (Pachyderm's fork only) lists login query
	// parameters, such as login_hint, passed on to the provider.
	ForwardedLoginParams []string            `json:"forwardedLoginParams"`
	ClaimMapping         *ClaimMapping       `json:"claimMapping"`
	ClaimModifications   *ClaimModifications `json:"claimModifications"`

	// Extra holds config keys Dex does not know, and known keys whose value
	// has the wrong type, as they were written.
	Extra map[string]any `json:"-"`
}

// ProviderDiscoveryOverrides replaces endpoints found by discovery.
type ProviderDiscoveryOverrides struct {
	TokenURL string         `json:"tokenURL"`
	AuthURL  string         `json:"authURL"`
	JWKSURL  string         `json:"jwksURL"`
	Extra    map[string]any `json:"-"`
}

// ClaimMapping names the claims Dex reads for the username, email and groups.
type ClaimMapping struct {
	PreferredUsername string         `json:"preferred_username"`
	Email             string         `json:"email"`
	Groups            string         `json:"groups"`
	Extra             map[string]any `json:"-"`
}

// ClaimModifications is Dex's claimModifications (Go field ClaimMutations).
type ClaimModifications struct {
	NewGroupFromClaims []NewGroupFromClaims `json:"newGroupFromClaims"`
	FilterGroupClaims  *FilterGroupClaims   `json:"filterGroupClaims"`
	ModifyGroupNames   *ModifyGroupNames    `json:"modifyGroupNames"`
	Extra              map[string]any       `json:"-"`
}

// NewGroupFromClaims builds a group from several claims.
type NewGroupFromClaims struct {
	Claims         []string       `json:"claims"`
	Delimiter      string         `json:"delimiter"`
	ClearDelimiter *bool          `json:"clearDelimiter"`
	Prefix         string         `json:"prefix"`
	Extra          map[string]any `json:"-"`
}

// FilterGroupClaims keeps only the groups matching a regular expression.
type FilterGroupClaims struct {
	GroupsFilter string         `json:"groupsFilter"`
	Extra        map[string]any `json:"-"`
}

// ModifyGroupNames adds a prefix or suffix to each group.
type ModifyGroupNames struct {
	Prefix string         `json:"prefix"`
	Suffix string         `json:"suffix"`
	Extra  map[string]any `json:"-"`
}

// ConnectorConfig is the config of a connector of a type other than "oidc":
// a generic map, passed through untouched. Printing it redacts secrets.
type ConnectorConfig map[string]any

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
		case e.Type == TypeOIDC:
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
// (validate_entry.go) and DecodePachdStrict as pachd 2.3 and later reads
// them (pachd.go).
var entryFields = []entryField{
	{key: "type", reads: readsString, required: true},
	{key: "id", reads: readsString, required: true},
	{key: "name", reads: readsString, required: true},
	{key: "configVersion", reads: readsWholeNumber},
	{key: "jsonConfig", reads: readsString},
	{key: "config", reads: readsMapping, since23: true},
}

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
// encoding/json does: key names match case-insensitively, null leaves a field
// unset. A key written twice in different case fills the field once (the
// exact name wins) and the variant goes to Extra. Unknown keys and values of
// the wrong type go to the struct's Extra, as written. Positions of keys
// matched case-insensitively are also recorded under the canonical name, so
// findings point at them.
func decodeStruct(m map[string]any, rv reflect.Value, path string, pos positions) {
	fields := structFields(rv.Type())
	extra := rv.FieldByName("Extra")
	keep := func(k string, val any) {
		if extra.IsNil() {
			extra.Set(reflect.ValueOf(map[string]any{}))
		}
		extra.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(&val).Elem())
	}
	// A field is filled by one key: the exactly named one, else the first
	// case variant in sorted order. Null keys fill nothing. Other variants
	// go to Extra, so that nothing is lost and Validate can report them.
	owner := map[int]string{}
	for _, k := range sortedKeys(m) {
		if f, ok := fields.lookup(k); ok && m[k] != nil {
			if cur, taken := owner[f.index]; !taken || (k == f.name && cur != f.name) {
				owner[f.index] = k
			}
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

// ---------------------------------------------------------------------------
// Encoding

// orderedMap is a mapping that keeps its key order when written as YAML or JSON.
type orderedMap []mapItem

type mapItem struct {
	Key   string
	Value any
}

func (m orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, it := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(it.Key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(it.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (m orderedMap) MarshalYAML() (any, error) { return toNode(m) }

// toNode builds a yaml.Node for a value, keeping orderedMap key order.
func toNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case orderedMap:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, it := range x {
			vn, err := toNode(it.Value)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, keyNode(it.Key), vn)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, it := range x {
			vn, err := toNode(it)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, vn)
		}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case map[string]any:
		return toNode(orderGeneric(x))
	case string:
		return stringNode(x), nil
	}
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		n.Style = yaml.FlowStyle
	}
	return n, nil
}

// stringNode builds the node of a string in a style that reads back as the
// same string: quoted when Helm's YAML 1.1 reading would make the plain text
// something else (yes, 0123, ~), and double-quoted when it has a line break
// that yaml.v3's block styles cannot carry (a leading line break, for one).
func stringNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if v, ok := resolveYAML11(s).(string); !ok || v != s {
		n.Style = yaml.DoubleQuotedStyle
	} else if strings.ContainsAny(s, "\n\r") && !blockRoundTrips(n) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// keyNode builds the node of a mapping key. A key with a line break is
// double-quoted rather than written as a block scalar, and so is a key named
// "<<", which plain would be a merge key.
func keyNode(k string) *yaml.Node {
	n := stringNode(k)
	if k == "<<" || strings.ContainsAny(k, "\n\r") {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// blockRoundTrips reports whether yaml.v3 writes a multi-line string node as
// text that it reads back as the same string.
func blockRoundTrips(n *yaml.Node) bool {
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "k"},
		{Kind: yaml.SequenceNode, Content: []*yaml.Node{n}},
	}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return false
	}
	var back struct {
		K []string `yaml:"k"`
	}
	if err := yaml.Unmarshal(out, &back); err != nil {
		return false
	}
	return len(back.K) == 1 && back.K[0] == n.Value
}

// keyOrderFirst are the keys written first in a config, in the guide's order.
var keyOrderFirst = []string{"issuer", "clientID", "clientSecret", "redirectURI"}

// orderGeneric orders a generic map: the guide's first keys, then the rest
// sorted, recursively.
func orderGeneric(m map[string]any) orderedMap {
	out := make(orderedMap, 0, len(m))
	done := map[string]bool{}
	for _, k := range keyOrderFirst {
		if v, ok := m[k]; ok {
			out = append(out, mapItem{k, genericValue(v)})
			done[k] = true
		}
	}
	for _, k := range sortedKeys(m) {
		if !done[k] {
			out = append(out, mapItem{k, genericValue(m[k])})
		}
	}
	return out
}

func genericValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return orderGeneric(x)
	case ConnectorConfig:
		return orderGeneric(x)
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = genericValue(it)
		}
		return out
	}
	return v
}

// ordered returns the entry as an ordered map: type, id, name, configVersion,
// jsonConfig, config, then extra keys sorted.
func (e UpstreamIDP) ordered() orderedMap {
	var out orderedMap
	add := func(k string, v any) { out = append(out, mapItem{k, v}) }
	if e.Type != "" {
		add("type", e.Type)
	}
	if e.ID != "" {
		add("id", e.ID)
	}
	if e.Name != "" {
		add("name", e.Name)
	}
	if e.ConfigVersion != 0 {
		add("configVersion", e.ConfigVersion)
	}
	if e.JSONConfig != "" {
		add("jsonConfig", e.JSONConfig)
	}
	switch {
	case e.OIDC != nil:
		add("config", e.OIDC.ordered())
	case e.Config != nil:
		add("config", orderGeneric(e.Config))
	}
	for _, k := range sortedKeys(e.Extra) {
		if _, dup := findItem(out, k); !dup {
			add(k, genericValue(e.Extra[k]))
		}
	}
	return out
}

func findItem(m orderedMap, k string) (any, bool) {
	for _, it := range m {
		if it.Key == k {
			return it.Value, true
		}
	}
	return nil, false
}

func (c *OIDCConfig) ordered() orderedMap { return orderedStruct(reflect.ValueOf(c).Elem()) }

// orderedStruct writes the set fields of a config struct in declaration
// order, then its Extra keys sorted.
func orderedStruct(rv reflect.Value) orderedMap {
	out := orderedMap{}
	for _, f := range structFields(rv.Type()).order {
		if v, ok := fieldValue(rv.Field(f.index)); ok {
			out = append(out, mapItem{f.name, v})
		}
	}
	if extra, ok := rv.FieldByName("Extra").Interface().(map[string]any); ok {
		for _, k := range sortedKeys(extra) {
			if _, dup := findItem(out, k); !dup {
				out = append(out, mapItem{k, genericValue(extra[k])})
			}
		}
	}
	return out
}

// fieldValue converts a set field to a generic value; ok is false for unset.
func fieldValue(fv reflect.Value) (any, bool) {
	switch fv.Kind() {
	case reflect.String:
		return fv.String(), fv.Len() > 0
	case reflect.Bool:
		return fv.Bool(), fv.Bool()
	case reflect.Pointer:
		if fv.IsNil() {
			return nil, false
		}
		if fv.Elem().Kind() == reflect.Struct {
			m := orderedStruct(fv.Elem())
			return m, true
		}
		v, _ := fieldValue(fv.Elem())
		if v == nil {
			// *string "" and *bool false are set values.
			return fv.Elem().Interface(), true
		}
		return v, true
	case reflect.Slice:
		if fv.IsNil() {
			return nil, false
		}
		out := make([]any, fv.Len())
		for i := range out {
			item := fv.Index(i)
			if item.Kind() == reflect.Struct {
				out[i] = orderedStruct(item)
			} else {
				out[i] = item.Interface()
			}
		}
		return out, true
	}
	return nil, false
}

// SetRedirectURI sets the redirect URI of the entry's connector to uri, for
// every connector type whose config has one in some Dex pachidp models
// (oidc, oauth, github, gitlab, google, microsoft, saml, ...). changed says
// the value differed; ok is false for types without a redirect URI (ldap,
// authproxy, ...), which are left alone.
func (e *UpstreamIDP) SetRedirectURI(uri string) (changed, ok bool) {
	if e.Type == TypeOIDC && e.OIDC != nil {
		changed = e.OIDC.RedirectURI != uri
		e.OIDC.RedirectURI = uri
		return changed, true
	}
	key := ""
	for _, d := range allDexVersions() {
		if name, f := d.connector(e.Type).field("redirectURI"); f != nil && f.Kind == "string" {
			key = name
			break
		}
	}
	if key == "" {
		return false, false
	}
	if e.Config == nil {
		e.Config = ConnectorConfig{}
	}
	for k := range e.Config {
		if strings.EqualFold(k, key) && k != key {
			delete(e.Config, k) // Dex would read either spelling: keep one
		}
	}
	old, _ := e.Config[key].(string)
	e.Config[key] = uri
	return old != uri, true
}

// Map returns the entry as a generic map, the form Helm's Go SDK takes in a
// values tree. The map holds secrets: do not print it.
func (e UpstreamIDP) Map() map[string]any {
	return plain(e.ordered()).(map[string]any)
}

// plain converts ordered maps back to map[string]any, recursively.
func plain(v any) any {
	switch x := v.(type) {
	case orderedMap:
		out := make(map[string]any, len(x))
		for _, it := range x {
			out[it.Key] = plain(it.Value)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = plain(it)
		}
		return out
	}
	return v
}

// MarshalYAML writes the entry in the guide's order with only set keys.
func (e UpstreamIDP) MarshalYAML() (any, error) { return toNode(e.ordered()) }

// MarshalJSON writes the entry in the guide's order with only set keys.
func (e UpstreamIDP) MarshalJSON() ([]byte, error) { return e.ordered().MarshalJSON() }

// UnmarshalYAML decodes an entry from a yaml.v3 node, with Helm's YAML 1.1
// reading of plain scalars.
func (e *UpstreamIDP) UnmarshalYAML(n *yaml.Node) error {
	pos := positions{}
	v, err := toValue(n, "", pos)
	if err != nil {
		return err
	}
	got, err := entryFromValue(v, "", pos)
	if err != nil {
		return err
	}
	*e = got
	return nil
}

// UnmarshalJSON decodes an entry from JSON.
func (e *UpstreamIDP) UnmarshalJSON(data []byte) error {
	got, err := decodeUpstreamIDP(data)
	if err != nil {
		return err
	}
	*e = got
	return nil
}

// EncodeUpstreamIDPs writes entries as a YAML list, the form of Helm's
// oidc.upstreamIDPs and of the Secret key upstream-idps. The output holds
// secrets.
func EncodeUpstreamIDPs(idps []UpstreamIDP) ([]byte, error) {
	list := make([]any, len(idps))
	for i, e := range idps {
		list[i] = e.ordered()
	}
	return marshalYAML(list)
}

// encodeYAML writes the entry as a YAML mapping. The output holds secrets.
func (e UpstreamIDP) encodeYAML() ([]byte, error) { return marshalYAML(e.ordered()) }

func marshalYAML(v any) ([]byte, error) {
	n, err := toNode(v)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ---------------------------------------------------------------------------
// Positions

// Pos returns where a key of the entry was read from, given a path relative to
// the entry such as "config.issuer" or "id" ("" for the entry itself). The zero
// Position means the entry was not decoded from a document.
func (e UpstreamIDP) Pos(rel string) Position {
	if e.src == nil {
		return Position{}
	}
	p := e.src.path
	if rel != "" {
		if p == "" {
			p = rel
		} else if strings.HasPrefix(rel, "[") {
			p += rel
		} else {
			p += "." + rel
		}
	}
	return e.src.pos.at(p)
}

// MarshalJSON writes the config's set keys in the guide's order, its Extra
// keys included, as the entry's MarshalJSON does. The output holds the
// client secret.
func (c OIDCConfig) MarshalJSON() ([]byte, error) { return c.ordered().MarshalJSON() }

// MarshalYAML writes the config's set keys in the guide's order, its Extra
// keys included. The output holds the client secret.
func (c OIDCConfig) MarshalYAML() (any, error) { return toNode(c.ordered()) }

// UnmarshalJSON reads a config the way Dex does (key names matched
// case-insensitively); unknown keys and values of the wrong type go to Extra.
func (c *OIDCConfig) UnmarshalJSON(data []byte) error {
	doc, err := parseDocument(data)
	if err != nil {
		return err
	}
	if doc == nil {
		return &SyntaxError{Msg: "empty input: expected an oidc config mapping"}
	}
	v, err := toValue(doc, "", nil)
	if err != nil {
		return err
	}
	return c.fromValue(v)
}

// UnmarshalYAML reads a config from a yaml.v3 node, with Helm's YAML 1.1
// reading of plain scalars.
func (c *OIDCConfig) UnmarshalYAML(n *yaml.Node) error {
	v, err := toValue(n, "", nil)
	if err != nil {
		return err
	}
	return c.fromValue(v)
}

func (c *OIDCConfig) fromValue(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return &SyntaxError{Msg: fmt.Sprintf("an oidc config must be a mapping, got %s", typeName(v))}
	}
	var out OIDCConfig
	decodeStruct(m, reflect.ValueOf(&out).Elem(), "config", nil)
	*c = out
	return nil
}
