package pachidp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

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
	n, err := encodeNode(v)
	if err != nil {
		return nil, err
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		n.Style = yaml.FlowStyle
	}
	return n, nil
}

// encodeNode encodes any other value with yaml.v3. yaml.v3 panics on the
// values YAML cannot hold (a complex number, a channel, a function, in
// Extra or a generic config): that is an error here, never a panic.
func encodeNode(v any) (n *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, &SyntaxError{Msg: fmt.Sprintf("a value of type %T cannot be written as YAML: %v", v, r)}
		}
	}()
	n = &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, err
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
		if _, dup := findItem(out, k); !dup { // out holds at most 6 keys here
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
	if extra, ok := rv.FieldByName("Extra").Interface().(map[string]any); ok && len(extra) > 0 {
		// A set of the field keys, not a search of out per key: a config
		// with 100,000 extra keys took 33 s.
		fields := make(map[string]bool, len(out))
		for _, it := range out {
			fields[it.Key] = true
		}
		for _, k := range sortedKeys(extra) {
			if !fields[k] {
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
	if e == nil {
		return false, false
	}
	if e.Type == typeOIDC && e.OIDC != nil {
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
	if checkTree(e) != nil {
		return nil
	}
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
func (e UpstreamIDP) MarshalYAML() (any, error) {
	if err := checkTree(e); err != nil {
		return nil, err
	}
	return toNode(e.ordered())
}

// MarshalJSON writes the entry in the guide's order with only set keys.
func (e UpstreamIDP) MarshalJSON() ([]byte, error) {
	if err := checkTree(e); err != nil {
		return nil, err
	}
	return e.ordered().MarshalJSON()
}

// UnmarshalYAML decodes an entry from a yaml.v3 node, with Helm's YAML 1.1
// reading of plain scalars.
func (e *UpstreamIDP) UnmarshalYAML(n *yaml.Node) error {
	if e == nil || n == nil {
		return &SyntaxError{Msg: "UnmarshalYAML needs a non-nil *UpstreamIDP and node"}
	}
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
	if e == nil {
		return &SyntaxError{Msg: "UnmarshalJSON into a nil *UpstreamIDP"}
	}
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
	if err := checkEntries(idps); err != nil {
		return nil, err
	}
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
