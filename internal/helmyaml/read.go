// The YAML 1.1 reader with positions: what Helm's reader (sigs.k8s.io/yaml
// over yaml.v2) makes of a document, read through yaml.v3 nodes so that
// every value keeps the place it was written.

package helmyaml

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Position is a place in a YAML or JSON document: 1-based line and column.
// The zero Position means "not from a file". It is the root package's
// pachidp.Position (an alias, documented there): defined once, here, where
// the reader makes positions.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// IsValid reports whether p points into a document.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats p as "line:column", or "-" for the zero Position.
func (p Position) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// SyntaxError is returned when a document cannot be read at all: invalid YAML
// or JSON, several documents where one was expected, or a value of the wrong
// shape where the structure must be a mapping or a list. It is the root
// package's pachidp.SyntaxError (an alias, documented there).
type SyntaxError struct {
	Path string   // path of the offending value, "" for the document itself
	Pos  Position // where it is, when known
	Msg  string
	// Documents is set when the input is a YAML stream of several
	// documents (how many), which OpenDocument refuses: pick one with
	// FileOptions.Document.
	Documents int
	// Releases is set when the input is a manifest whose Pachyderm release
	// must be chosen by name (FileOptions.Release): the names of its
	// releases of Pachyderm's chart, or of the one whose chart the
	// manifest does not name. A command adds its own flag for the choice.
	Releases []string
	// helm: the document is YAML that Helm's own reader refuses (a null
	// key, .inf, a tag the value does not fit): `helm install` fails on
	// it (RefusedByHelm).
	helm bool
	// deferred: Helm refuses it only if it is still in the final tree.
	deferred bool
}

// Error formats the error as `path (line L): message`, leaving out what is
// unknown.
func (e *SyntaxError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return Located(e.Path, e.Pos, e.Msg)
}

// RefusedByHelm reports whether err is (or wraps) a *SyntaxError about
// YAML that Helm's own reader refuses (a null key, .inf, a tag the value
// does not fit) rather than a document that cannot be read at all: helm
// install fails on it, and ValidateValues reports it as a finding.
func RefusedByHelm(err error) bool {
	var se *SyntaxError
	return errors.As(err, &se) && se.helm
}

// Located formats a message about a place as the errors of pachidp do:
// `path (line L): message`, `line L: message` without a path, and the
// message alone when neither is known.
func Located(path string, pos Position, msg string) string {
	var b strings.Builder
	if path != "" {
		b.WriteString(path)
		if pos.IsValid() {
			fmt.Fprintf(&b, " (line %d)", pos.Line)
		}
		b.WriteString(": ")
	} else if pos.IsValid() {
		fmt.Fprintf(&b, "line %d: ", pos.Line)
	}
	b.WriteString(msg)
	return b.String()
}

// Positions maps absolute paths ("oidc.upstreamIDPs[0].config.issuer") to
// the place of the key (for mapping values) or of the item (for sequence items).
type Positions map[string]Position

// At returns the position of path, or the zero Position.
func (p Positions) At(path string) Position {
	if p == nil {
		return Position{}
	}
	return p[path]
}

// JoinPath appends a mapping key to a path. Keys that would make the path
// ambiguous are quoted.
func JoinPath(base, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" ") {
		key = strconv.Quote(key)
		if base == "" {
			return "[" + key + "]"
		}
		return base + "[" + key + "]"
	}
	if base == "" {
		return key
	}
	return base + "." + key
}

// IndexPath appends a list index to a path: base[i].
func IndexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

// ParseDocument parses exactly one YAML (or JSON, which is YAML) document.
// An empty input gives a nil node.
func ParseDocument(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, &SyntaxError{Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &SyntaxError{Pos: Position{extra.Line, extra.Column},
			Msg: "the input holds more than one YAML document: pass one document"}
	}
	return &doc, nil
}

// ToValue converts a node into the Go values Helm would see after reading it
// (map[string]any, []any, string, bool, int64, float64, nil), following
// aliases and merge keys, and records the position of every value under its
// path. It reads as Helm's reader does (sigs.k8s.io/yaml over yaml.v2,
// held to it by conformance/helmread): plain scalars resolve with yaml.v2's
// rules, so `clientID: 0123` and `0o17` are numbers and
// `insecureEnableGroups: yes` a bool; keys are the text sigs.k8s.io/yaml
// makes of them (yes: is "true"); a key written twice keeps its last value
// (Duplicates lists them); merge keys apply where written. What Helm's
// reader refuses (a null key, .inf, a tag the value does not fit) is a
// *SyntaxError with Helm set.
func ToValue(n *yaml.Node, path string, pos map[string]Position) (any, error) {
	if err := CheckDocumentAliases(n); err != nil { // nothing to count without aliases
		return nil, err
	}
	if pos != nil {
		root := n
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if _, ok := pos[path]; !ok {
			pos[path] = Position{root.Line, root.Column}
		}
	}
	v, err := toValueDepth(n, path, pos, 0)
	if err != nil {
		return nil, err
	}
	if p, e, bad := notJSON(v, path); bad {
		if e != nil {
			return nil, e
		}
		// sigs.k8s.io/yaml writes the values as JSON, which has no
		// infinity or NaN: json.Marshal fails and Helm reads nothing.
		if pos == nil { // read again for the place, on this error path only
			pos = Positions{}
			_, _ = toValueDepth(n, path, pos, 0)
		}
		return nil, &SyntaxError{Path: p, Pos: Positions(pos).At(p), helm: true,
			Msg: "YAML reads .inf or .nan here, which Helm's reader refuses (JSON has no such number): quote it"}
	}
	return v, nil
}

// MaxAliasValues is how many values aliases may add to a document when they
// are expanded.
const MaxAliasValues = 100_000

// CheckAliases refuses documents that ToValue cannot expand: an alias that
// points into its own anchor (a cycle), and aliases that multiply into more
// than MaxAliasValues values ("billion laughs"). It counts each node once,
// so it runs in time linear in the size of the document.
func CheckAliases(root *yaml.Node) error {
	const inProgress = -1
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node) (int, error)
	size = func(n *yaml.Node) (int, error) {
		if s, ok := sizes[n]; ok {
			return s, nil
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if s, ok := sizes[n.Alias]; ok && s == inProgress {
				return 0, &SyntaxError{Pos: Position{n.Line, n.Column},
					Msg: fmt.Sprintf("alias *%s points into its own anchor, which makes an endless value: remove the alias", n.Value)}
			}
		}
		sizes[n] = inProgress
		total := 1
		kids := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			kids = []*yaml.Node{n.Alias}
		}
		for _, c := range kids {
			s, err := size(c)
			if err != nil {
				return 0, err
			}
			// Saturate instead of overflowing on deeply nested aliases.
			total = min(total+s, 1<<40)
		}
		sizes[n] = total
		return total, nil
	}
	expanded, err := size(root)
	if err != nil {
		return err
	}
	if expanded-len(sizes) > MaxAliasValues {
		return &SyntaxError{Pos: Position{root.Line, root.Column},
			Msg: fmt.Sprintf("aliases expand the document by more than %d values: write the values out instead", MaxAliasValues)}
	}
	return nil
}

// CheckDocumentAliases runs CheckAliases on a document that holds aliases;
// one without any costs a walk that allocates nothing.
func CheckDocumentAliases(doc *yaml.Node) error {
	if doc == nil || !hasAlias(doc, 0) {
		return nil
	}
	return CheckAliases(doc)
}

func hasAlias(n *yaml.Node, depth int) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	if depth > MaxDepth {
		return false // ToValue refuses it anyway
	}
	for _, c := range n.Content {
		if hasAlias(c, depth+1) {
			return true
		}
	}
	return false
}

// shortPath abbreviates a long path for an error message.
func shortPath(p string) string {
	if len(p) <= 80 {
		return p
	}
	return p[:60] + "..."
}

// MaxDepth is how deeply values may nest: deeper documents are refused.
const MaxDepth = 200

// toValueDepth is ToValue below depth levels of nesting, reading as Helm's
// reader does (go.yaml.in/yaml/v2 into interface{}, then sigs.k8s.io/yaml's
// conversion to JSON): scalars resolve with yaml.v2's rules, aliases are
// followed (CheckAliases has bounded them), a mapping's keys are read in
// the order written, a key written twice keeps its last value, and a merge
// key writes its mapping's keys at its place (over the keys written before
// it; keys written after it win). It is safe on any node yaml.v3 builds:
// recursion stops past MaxDepth, and every node kind is handled or refused.
func toValueDepth(n *yaml.Node, path string, pos Positions, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, &SyntaxError{Path: shortPath(path), Pos: Position{n.Line, n.Column},
			Msg: fmt.Sprintf("nested more than %d levels deep: flatten the value", MaxDepth)}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toValueDepth(n.Content[0], path, pos, depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, &SyntaxError{Path: path, Pos: Position{n.Line, n.Column}, Msg: "unknown alias"}
		}
		return toValueDepth(n.Alias, path, pos, depth+1)
	case yaml.ScalarNode:
		v, err := scalarValue(n)
		if err != nil {
			return nil, &SyntaxError{Path: path, Pos: Position{n.Line, n.Column}, Msg: err.Error(), helm: true}
		}
		return helmNumber(v), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			p, record := ChildIndex(path, depth, i)
			if pos != nil && record {
				pos[p] = Position{c.Line, c.Column}
			}
			v, err := toValueDepth(c, p, pos, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		if err := mappingInto(out, n, path, pos, depth); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, &SyntaxError{Path: path, Pos: Position{n.Line, n.Column}, Msg: "unsupported YAML node"}
}

// IsMergeKey reports whether k is a merge key as yaml.v2 sees one: a plain
// "<<" without a tag, or one tagged !!merge (yaml.v2 decode.go isMerge).
func IsMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Style == 0 || k.ShortTag() == "!!merge")
}

// mappingInto writes the keys of mapping n into out as yaml.v2's
// decoder.mapping does: in the order written, each one over what out
// already holds under its key (so a key written twice keeps its last
// value), and a merge key's mapping(s) at the merge key's place.
func mappingInto(out map[string]any, n *yaml.Node, path string, pos Positions, depth int) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if IsMergeKey(k) {
			if err := mergeInto(out, v, path, pos, depth+1); err != nil {
				return err
			}
			continue
		}
		key, err := KeyString(k, path)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || !se.deferred {
				return err
			}
			// yaml.v2 keeps a null key or a key above 2^63-1 in its map;
			// sigs.k8s.io/yaml refuses it when it converts the final tree,
			// so it matters only if no later key overwrites its mapping.
			// Its value is still decoded: yaml.v2 fails on a bad tag there.
			if _, err := toValueDepth(v, path, nil, depth+1); err != nil {
				return err
			}
			out[refusedPrefix+k.Value] = refusedKey{se}
			continue
		}
		p, record := ChildPath(path, depth, key)
		val, err := toValueDepth(v, p, pos, depth+1)
		if err != nil {
			return err
		}
		if pos != nil && record {
			pos[p] = Position{k.Line, k.Column}
		}
		out[key] = val
	}
	return nil
}

// mergeInto applies a `<<` merge key as yaml.v2's decoder.merge does: the
// keys of its mapping (or of an alias to one) are written into out over
// the keys already there; for a list of mappings, from the last to the
// first, so that the first one wins among them.
func mergeInto(out map[string]any, m *yaml.Node, path string, pos Positions, depth int) error {
	wantMap := func(at *yaml.Node) error {
		return &SyntaxError{Path: path, Pos: Position{at.Line, at.Column}, helm: true,
			Msg: "a merge key (<<) needs a mapping or a list of mappings"}
	}
	mapping := func(c *yaml.Node) (*yaml.Node, error) {
		t := c
		if c.Kind == yaml.AliasNode && c.Alias != nil {
			t = c.Alias
		}
		if t.Kind != yaml.MappingNode {
			return nil, wantMap(c)
		}
		return t, nil
	}
	switch m.Kind {
	case yaml.MappingNode, yaml.AliasNode:
		t, err := mapping(m)
		if err != nil {
			return err
		}
		return mappingInto(out, t, path, pos, depth+1)
	case yaml.SequenceNode:
		for i := len(m.Content) - 1; i >= 0; i-- {
			t, err := mapping(m.Content[i])
			if err != nil {
				return err
			}
			if err := mappingInto(out, t, path, pos, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return wantMap(m)
}

// KeyString returns the text Helm's reader makes of a mapping key:
// sigs.k8s.io/yaml's convertToJSONableObject writes keys that yaml.v2
// reads as numbers or booleans as their JSON-like text (yes: and true: are
// both "true", 0x10: is "16", 1.50: is "1.5"), and refuses a null key, an
// integer key above 2^63-1 and a key that is a mapping or a list.
func KeyString(k *yaml.Node, path string) (string, error) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	at := Position{k.Line, k.Column}
	if k.Kind != yaml.ScalarNode {
		return "", &SyntaxError{Path: path, Pos: at, helm: true,
			Msg: "a mapping key is a mapping or a list, which Helm's reader refuses: write a plain key"}
	}
	v, err := scalarValue(k)
	if err != nil {
		return "", &SyntaxError{Path: path, Pos: at, Msg: err.Error(), helm: true}
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		switch s := strconv.FormatFloat(x, 'g', -1, 32); s {
		case "+Inf":
			return ".inf", nil
		case "-Inf":
			return "-.inf", nil
		case "NaN":
			return ".nan", nil
		default:
			return s, nil
		}
	case nil:
		return "", &SyntaxError{Path: path, Pos: at, helm: true, deferred: true,
			Msg: "a key YAML reads as null (~, null or nothing), which Helm's reader refuses (unsupported map key): quote it"}
	}
	return "", &SyntaxError{Path: path, Pos: at, helm: true, deferred: true,
		Msg: "a key YAML reads as a whole number above 2^63-1, which Helm's reader refuses (unsupported map key): quote it"}
}

// refusedPrefix starts the map key under which the reader keeps a key Helm
// refuses (refusedKey), until ToValue finds it in the final tree.
const refusedPrefix = "\x00pachidp-refused-key:"

// refusedKey is the value kept under a key Helm refuses.
type refusedKey struct{ err *SyntaxError }

// helmNumber turns the unsigned integers of yaml.v2 (above 2^63-1) into the
// float64 Helm's templates get after its trip through encoding/json.
func helmNumber(v any) any {
	if u, ok := v.(uint64); ok {
		return float64(u)
	}
	return v
}

// scalarValue reads a scalar as yaml.v2's decoder.scalar does into an
// interface{}: a quoted or block scalar without a tag is a string; a
// plain one, or any with one of the YAML tags, resolves (resolveV2); a
// !!binary one is its base64-decoded text; a timestamp stays its text;
// other tags leave the text. The error says what Helm's reader refuses,
// without the value, which may be a secret.
func scalarValue(n *yaml.Node) (any, error) {
	tag := ""
	if n.Style&yaml.TaggedStyle != 0 {
		tag = n.ShortTag()
	}
	if tag == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value, nil
	}
	rtag, v, err := resolveV2(tag, n.Value)
	if err != nil {
		return nil, err
	}
	switch rtag {
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(n.Value)
		if err != nil {
			return nil, errors.New("a !!binary value that is not base64, which Helm's reader refuses: fix it or remove the tag")
		}
		return jsonText(string(data)), nil
	case "!!timestamp":
		return n.Value, nil
	}
	return v, nil
}

// ScalarValue resolves a scalar the way Helm's YAML 1.1 reader does; a
// scalar Helm's reader refuses (a tag its value does not fit) gives its
// text.
func ScalarValue(n *yaml.Node) any {
	v, err := scalarValue(n)
	if err != nil {
		return n.Value
	}
	return helmNumber(v)
}

// ResolveYAML11 resolves the text of a plain scalar as Helm's reader does
// (yaml.v2's resolve): null, bools (yes, on, ...), ints (0o17, 0x1F,
// 0b101, octal 0123, 1_000: underscores anywhere are dropped), floats, or
// the string itself. Integers are int64, and float64 above 2^63-1.
func ResolveYAML11(s string) any {
	_, v, _ := resolveV2("", s)
	return helmNumber(v)
}

// resolveTable and resolveMap are yaml.v2's (resolve.go): the first
// character says what a plain scalar may be.
var (
	resolveTable [256]byte
	resolveMap   = map[string]struct {
		v   any
		tag string
	}{}
)

func init() {
	t := &resolveTable
	t['+'], t['-'] = 'S', 'S'
	for _, c := range "0123456789" {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~" {
		t[c] = 'M'
	}
	t['.'] = '.'
	for _, item := range []struct {
		v   any
		tag string
		l   []string
	}{
		{true, "!!bool", []string{"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}},
		{false, "!!bool", []string{"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}},
		{nil, "!!null", []string{"", "~", "null", "Null", "NULL"}},
		{math.NaN(), "!!float", []string{".nan", ".NaN", ".NAN"}},
		{math.Inf(1), "!!float", []string{".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}},
		{math.Inf(-1), "!!float", []string{"-.inf", "-.Inf", "-.INF"}},
		{"<<", "!!merge", []string{"<<"}},
	} {
		for _, s := range item.l {
			resolveMap[s] = struct {
				v   any
				tag string
			}{item.v, item.tag}
		}
	}
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolveV2 is go.yaml.in/yaml/v2 v2.4.4's resolve (resolve.go), with
// short tags: it returns the tag the text resolves to and its value (int64,
// uint64, float64, bool, nil or string), and an error where yaml.v2 fails
// ("cannot decode !!str `x` as a !!int"), without the text.
func resolveV2(tag, in string) (string, any, error) {
	switch tag {
	case "", "!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp":
	default:
		return tag, in, nil // !!binary, !!map, !custom, ...: the text
	}
	rtag, out := resolvePlain(tag, in)
	switch tag {
	case "", rtag, "!!str":
		return rtag, out, nil
	case "!!float":
		if i, ok := out.(int64); ok && rtag == "!!int" {
			return "!!float", float64(i), nil
		}
	}
	return "", nil, fmt.Errorf("a %s value tagged %s, which Helm's reader refuses: remove the tag or fix the value", rtag, tag)
}

// resolvePlain is the body of yaml.v2's resolve for the tags it resolves:
// the first character says whether the text can be a number or one of
// the words of resolveMap; numbers are tried as Go integers (any base
// prefix, underscores dropped), unsigned, floats, then "0b" binary. It
// never fails: what is nothing else is a string, and resolveV2 compares
// the result with the tag.
func resolvePlain(tag, in string) (string, any) {
	hint := byte('N')
	if in != "" {
		hint = resolveTable[in[0]]
	}
	if hint == 0 || tag == "!!str" {
		return "!!str", in
	}
	if item, ok := resolveMap[in]; ok {
		return item.tag, item.v
	}
	switch hint {
	case '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return "!!float", f
		}
	case 'D', 'S':
		if tag == "" || tag == "!!timestamp" {
			if yaml2Timestamp(in) { // emit.go: the same test the emitter quotes by
				return "!!timestamp", in
			}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return "!!int", i
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return "!!int", u
		}
		if yamlStyleFloat.MatchString(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return "!!float", f
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return "!!int", i
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return "!!int", u
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return "!!int", i
			}
		}
	}
	return "!!str", in
}

// jsonText is s as Helm's trip through encoding/json leaves it: each byte
// that is not part of valid UTF-8 becomes U+FFFD.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// notJSON finds what Helm's reader refuses in the final tree, walking it
// as Helm's json.Marshal does: a number JSON cannot write (.inf, .nan,
// which it returns as err nil), or a key kept as a refusedKey. The path of
// what it finds is written out only then, from the segments gathered on
// the way back up (joining it at every level cost the square of the
// depth).
func notJSON(v any, path string) (string, *SyntaxError, bool) {
	var segs []any // innermost first: a key (string) or an index (int)
	e, bad := notJSONAt(v, &segs)
	if !bad {
		return "", nil, false
	}
	for i := len(segs) - 1; i >= 0; i-- {
		switch s := segs[i].(type) {
		case string:
			path = JoinPath(path, s)
		case int:
			path = IndexPath(path, s)
		}
	}
	return path, e, true
}

func notJSONAt(v any, segs *[]any) (*SyntaxError, bool) {
	switch x := v.(type) {
	case float64:
		return nil, math.IsInf(x, 0) || math.IsNaN(x)
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if r, ok := x[k].(refusedKey); ok && strings.HasPrefix(k, refusedPrefix) {
				return r.err, true
			}
			if e, bad := notJSONAt(x[k], segs); bad {
				*segs = append(*segs, k)
				return e, true
			}
		}
	case []any:
		for i, c := range x {
			if e, bad := notJSONAt(c, segs); bad {
				*segs = append(*segs, i)
				return e, true
			}
		}
	}
	return nil, false
}

// TypeName names the YAML type of a decoded value for error messages. It never
// shows the value itself, which may be a secret.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a bool"
	case int, int64, float64, uint64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// Size caps of what pachidp reads, one per kind of input. Helm values,

// Duplicate is a mapping key written more than once. Helm's reader keeps
// the value of its last occurrence and drops the others without a word.
type Duplicate struct {
	Path  string   // the key's path
	Pos   Position // the occurrence Helm keeps: the last
	First Position // the first occurrence
}

// Duplicates lists the keys written twice in one mapping of the document,
// in the order of their last occurrence, as Helm's reader compares keys
// (yes: and true: are one key). Aliases and merge keys are not followed:
// each key is reported once, where it is written.
func Duplicates(n *yaml.Node) []Duplicate {
	var out []Duplicate
	// The path is kept as the nodes' segments and written out only for a
	// duplicate: joining it at every node cost the square of the depth.
	type segment struct {
		key   string
		index int // -1 for a key
	}
	var stack []segment
	pathOf := func(last string) string {
		p := ""
		for _, s := range stack {
			if s.index >= 0 {
				p = IndexPath(p, s.index)
			} else {
				p = JoinPath(p, s.key)
			}
		}
		return JoinPath(p, last)
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > MaxDepth {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				stack = append(stack, segment{index: i})
				walk(c, depth+1)
				stack = stack[:len(stack)-1]
			}
		case yaml.MappingNode:
			var first, last map[string]Position
			var order []string
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if IsMergeKey(k) {
					continue
				}
				key, err := KeyString(k, "")
				if err != nil {
					continue
				}
				if first == nil && len(n.Content) > 2 {
					first, last = map[string]Position{}, map[string]Position{}
				}
				at := Position{k.Line, k.Column}
				if first != nil {
					if _, seen := first[key]; !seen {
						first[key] = at
					} else if _, twice := last[key]; !twice {
						order = append(order, key)
						last[key] = at
					} else {
						last[key] = at
					}
				}
				stack = append(stack, segment{key: key, index: -1})
				walk(n.Content[i+1], depth+1)
				stack = stack[:len(stack)-1]
			}
			for _, key := range order {
				out = append(out, Duplicate{Path: pathOf(key), Pos: last[key], First: first[key]})
			}
		}
	}
	walk(n, 0)
	slices.SortStableFunc(out, func(a, b Duplicate) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
	return out
}
