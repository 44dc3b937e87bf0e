// The YAML 1.1 reader with positions: what Helm's reader (sigs.k8s.io/yaml
// over yaml.v2) makes of a document, read through yaml.v3 nodes so that
// every value keeps the place it was written.

package helmyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Position is a place in a YAML or JSON document: 1-based line and column.
// The zero Position means "not from a file".
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
// shape where the structure must be a mapping or a list.
type SyntaxError struct {
	Path string   // path of the offending value, "" for the document itself
	Pos  Position // where it is, when known
	Msg  string
}

// Error formats the error as `path (line L): message`, leaving out what is
// unknown.
func (e *SyntaxError) Error() string {
	return Located(e.Path, e.Pos, e.Msg)
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
// path. Plain scalars resolve with YAML 1.1 rules, as Helm's YAML reader does,
// so `clientID: 0123` is a number and `insecureEnableGroups: yes` a bool.
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
	return toValueDepth(n, path, pos, 0)
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

// toValueDepth is ToValue below depth levels of nesting: scalars resolve
// with YAML 1.1 rules, aliases are followed (CheckAliases has bounded them),
// merge keys apply after the mapping's own keys, which win, and a key twice
// in one mapping is an error (Helm's reader would keep the last silently).
// It is safe on any node yaml.v3 builds: recursion stops past MaxDepth, and
// every node kind is handled or refused.
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
		return ScalarValue(n), nil
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
		seen := make(map[string]int, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 && k.Tag != "!!str" {
				merges = append(merges, v)
				continue
			}
			key, err := KeyString(k, path)
			if err != nil {
				return nil, err
			}
			if line, dup := seen[key]; dup {
				return nil, &SyntaxError{Path: JoinPath(path, key), Pos: Position{k.Line, k.Column},
					Msg: fmt.Sprintf("key %q appears twice (lines %d and %d): keep one", key, line, k.Line)}
			}
			seen[key] = k.Line
			p, record := ChildPath(path, depth, key)
			if pos != nil && record {
				pos[p] = Position{k.Line, k.Column}
			}
			val, err := toValueDepth(v, p, pos, depth+1)
			if err != nil {
				return nil, err
			}
			out[key] = val
		}
		for _, m := range merges {
			if err := mergeInto(out, m, path, pos, depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, &SyntaxError{Path: path, Pos: Position{n.Line, n.Column}, Msg: "unsupported YAML node"}
}

// mergeInto applies a `<<` merge key: keys already present win.
func mergeInto(out map[string]any, m *yaml.Node, path string, pos Positions, depth int) error {
	for m.Kind == yaml.AliasNode && m.Alias != nil {
		m = m.Alias
	}
	var sources []*yaml.Node
	switch m.Kind {
	case yaml.MappingNode:
		sources = []*yaml.Node{m}
	case yaml.SequenceNode:
		sources = m.Content
	default:
		return &SyntaxError{Path: path, Pos: Position{m.Line, m.Column}, Msg: "a merge key (<<) needs a mapping or a list of mappings"}
	}
	for _, s := range sources {
		v, err := toValueDepth(s, path, nil, depth+1)
		if err != nil {
			return err
		}
		sm, ok := v.(map[string]any)
		if !ok {
			return &SyntaxError{Path: path, Pos: Position{s.Line, s.Column}, Msg: "a merge key (<<) needs a mapping or a list of mappings"}
		}
		for k, val := range sm {
			if _, has := out[k]; !has {
				out[k] = val
				if pos != nil {
					pos[JoinPath(path, k)] = Position{s.Line, s.Column}
				}
			}
		}
	}
	return nil
}

// KeyString returns the text Helm's reader makes of a mapping key.
func KeyString(k *yaml.Node, path string) (string, error) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return "", &SyntaxError{Path: path, Pos: Position{k.Line, k.Column}, Msg: "mapping keys must be plain strings"}
	}
	switch v := ScalarValue(k).(type) {
	case string:
		return v, nil
	case nil:
		return "null", nil
	default:
		// Helm's reader turns non-string keys into their text (true, 1, ...).
		return k.Value, nil
	}
}

var (
	yaml11Int   = regexp.MustCompile(`^[-+]?(0|[1-9][0-9_]*)$`)
	yaml11Oct   = regexp.MustCompile(`^[-+]?0[0-7_]+$`)
	yaml11Hex   = regexp.MustCompile(`^[-+]?0x[0-9a-fA-F_]+$`)
	yaml11Bin   = regexp.MustCompile(`^[-+]?0b[01_]+$`)
	yaml11Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$`)
)

// ScalarValue resolves a scalar the way Helm's YAML 1.1 reader does.
func ScalarValue(n *yaml.Node) any {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.ShortTag() {
		case "!!str", "!!binary":
			return n.Value
		}
	}
	return ResolveYAML11(n.Value)
}

// ResolveYAML11 resolves the text of a plain scalar with YAML 1.1 rules:
// null, bools (yes, on, ...), ints (octal 0123, hex, binary), floats, or
// the string itself.
func ResolveYAML11(s string) any {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE":
		return true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE":
		return false
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1)
	case ".nan", ".NaN", ".NAN":
		return math.NaN()
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return s
	}
	clean := strings.ReplaceAll(s, "_", "")
	switch {
	case yaml11Hex.MatchString(s):
		if v, err := strconv.ParseInt(strings.Replace(clean, "0x", "", 1), 16, 64); err == nil {
			return v
		}
	case yaml11Bin.MatchString(s):
		if v, err := strconv.ParseInt(strings.Replace(clean, "0b", "", 1), 2, 64); err == nil {
			return v
		}
	case yaml11Oct.MatchString(s):
		if v, err := strconv.ParseInt(clean, 8, 64); err == nil {
			return v
		}
	case yaml11Int.MatchString(s):
		if v, err := strconv.ParseInt(clean, 10, 64); err == nil {
			return v
		}
		if f, err := strconv.ParseFloat(clean, 64); err == nil {
			return f
		}
	case yaml11Float.MatchString(s):
		if f, err := strconv.ParseFloat(clean, 64); err == nil {
			return f
		}
	}
	return s
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
