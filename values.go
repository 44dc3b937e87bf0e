package pachidp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Format is the syntax of a values document.
type Format int

const (
	// FormatYAML is a YAML document, the usual form of Helm values.
	FormatYAML Format = iota
	// FormatJSON is a JSON document, such as the output of
	// `helm get values -o json`. Edits of a JSON document write JSON.
	FormatJSON
)

// String returns "YAML" or "JSON".
func (f Format) String() string {
	if f == FormatJSON {
		return "JSON"
	}
	return "YAML"
}

// Errors an edit can wrap in an *EditError; test for them with errors.Is.
var (
	// ErrIDPNotFound: no entry of oidc.upstreamIDPs has the given id.
	ErrIDPNotFound = errors.New("no upstream IdP has this id")
	// ErrAnchor: the edit would change or break a YAML anchor, alias or merge
	// key (<<), which would change other places of the file too.
	ErrAnchor = errors.New("YAML anchor, alias or merge key in the way")
	// ErrSelfCheck: the edited document did not read back as intended. It
	// means a bug in pachidp; the Values is unchanged.
	ErrSelfCheck = errors.New("the edited document does not read back as intended")
)

// EditError is an edit pachidp refuses to make, saying where and why. The
// Values is unchanged. Err, when set, is ErrIDPNotFound, ErrAnchor or
// ErrSelfCheck. Wrong shapes of the document (oidc a list, upstreamIDPs a
// string) are reported as *SyntaxError instead.
type EditError struct {
	Path string   // the path the edit was about, such as "oidc.upstreamIDPs"
	Pos  Position // where the problem is, when known
	Msg  string   // what is wrong and what to do; never holds a secret
	Err  error
}

// Error formats the error as `path (line L): message`.
func (e *EditError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.Pos.IsValid() {
			fmt.Fprintf(&b, " (line %d)", e.Pos.Line)
		}
		b.WriteString(": ")
	} else if e.Pos.IsValid() {
		fmt.Fprintf(&b, "line %d: ", e.Pos.Line)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns Err.
func (e *EditError) Unwrap() error { return e.Err }

// Values is one Helm values document, YAML or JSON, open for reading and for
// edits of oidc.upstreamIDPs and its neighbours that change only the lines
// they must.
//
// An edit never re-serialises the document. It renders fresh text for the
// region it changes (one entry, the list, one key) in the file's own style
// (indentation, sequence style, line endings; JSON stays JSON) and splices it
// into the original bytes: comments, blank lines, key order, quoting, the
// header and the final newline (or its absence) stay byte for byte. Then it
// parses again what it changed (the top-level entries, or the list items,
// holding the splices; the whole result where that does not prove enough,
// or with FullCheck) and checks that the result reads, as Helm would read
// it, as the old document with only the intended change; on any difference
// the edit fails with ErrSelfCheck. A failed edit leaves the Values
// unchanged.
//
// YAML anchors, aliases and merge keys elsewhere in the file are kept. An
// edit that would have to change one returns an *EditError wrapping ErrAnchor.
//
// Create a Values with OpenValues or OpenValuesDocument. A Values is not
// safe for concurrent use.
type Values struct {
	// FullCheck makes every edit check its result by parsing the whole
	// edited document again, comments included, and comparing it node by
	// node with the old one. By default an edit parses again only the
	// top-level entries, or the items of oidc.upstreamIDPs, that its splices
	// touched and proves the rest unchanged by construction (localCheck in
	// values_check.go), and runs the full check wherever that proof does
	// not apply: both accept and refuse the same edits, which the fuzz
	// targets verify by making every edit both ways.
	FullCheck bool

	data   []byte
	format Format
	index  int   // selected document of the stream
	lines  []int // byte offset where line i+1 starts
	pos    positions

	// The document as Helm reads it (map[string]any or nil), built on first
	// use; oidc is its oidc key alone, for edits.
	tree               any
	treeDone, oidcDone bool
	oidc               any

	// YAML
	docs []*yaml.Node // every document of the stream
	doc  *yaml.Node   // the selected document; nil for an empty stream
	stop int          // first line after the selected document

	// JSON
	jroot *jnode

	// Detected once and kept across edits.
	style   *textStyle
	targets map[*yaml.Node]bool // nodes some alias points to

	lastCheck checkKind // the check that accepted the last edit (tests)
}

// Paths of the keys the edits work on.
const (
	keyOIDC       = "oidc"
	keyIDPs       = "upstreamIDPs"
	keySecretName = "upstreamIDPsSecretName"
	keyMockIDP    = "mockIDP"
	pathIDPs      = "oidc.upstreamIDPs"
)

var idpsPath = []string{keyOIDC, keyIDPs}

// OpenValues reads a values document, YAML or JSON (detected). An empty
// document is accepted: edits then create the keys they need. A YAML stream
// of several documents is an error: pick one with OpenValuesDocument.
func OpenValues(data []byte) (*Values, error) {
	v, err := parseValues(bytes.Clone(data), 0, true)
	if err != nil {
		return nil, err
	}
	if len(v.docs) > 1 {
		return nil, &SyntaxError{Pos: Position{v.docs[1].Line, v.docs[1].Column},
			Msg: fmt.Sprintf("the input holds %d YAML documents: pick one (OpenValuesDocument(data, index), or FileOptions.Document with EditFile)", len(v.docs))}
	}
	return v, nil
}

// OpenValuesDocument reads document index (0-based) of a YAML stream of
// several documents separated by "---". Edits change that document only and
// Bytes returns the whole stream.
func OpenValuesDocument(data []byte, index int) (*Values, error) {
	return parseValues(bytes.Clone(data), index, true)
}

// FileFormat reports whether the document is YAML or JSON.
func (v *Values) FileFormat() Format { return v.format }

// Bytes returns the document with every edit applied. The slice must not be
// modified. It holds secrets when the document does.
func (v *Values) Bytes() []byte { return v.data }

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseValues parses a document. opening asks for the checks and the speed
// of OpenValues: a parse without comment lines (verified) and a walk that
// finds what toValue would refuse; commit parses its result faithfully.
func parseValues(data []byte, index int, opening bool) (*Values, error) {
	if index < 0 {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: pass 0 or more", index)}
	}
	v := &Values{data: data, index: index}
	if !utf8.Valid(data) {
		msg := "the document is not valid UTF-8: save it as UTF-8"
		if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
			msg = "the document is UTF-16: save it as UTF-8"
		}
		bad := bytes.IndexFunc(data, func(r rune) bool { return r == utf8.RuneError })
		return nil, &SyntaxError{Pos: Position{Line: bytes.Count(data[:max(bad, 0)], []byte{'\n'}) + 1}, Msg: msg}
	}
	if looksLikeJSON(data) {
		if root, ok := parseJSON(data); ok {
			if index != 0 {
				return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: a JSON input holds one document, index 0", index)}
			}
			v.format = FormatJSON
			v.jroot = root
			v.lines = lineStarts(data, false)
			// The values are what Helm sees: it reads JSON with a YAML
			// reader. The JSON parse gives the places to edit.
			docs, err := decodeYAMLStream(data)
			if err != nil {
				return nil, err
			}
			if len(docs) != 1 {
				return nil, &SyntaxError{Msg: "a YAML reader sees more than one document in this JSON"}
			}
			if v.tree, err = toValue(docs[0], "", nil); err != nil {
				return nil, err
			}
			v.treeDone = true
			return v, nil
		}
	}
	v.lines = lineStarts(data, true)
	var err error
	if opening {
		v.docs, err = v.parseWithoutComments()
	}
	if v.docs == nil {
		if v.docs, err = decodeYAMLStream(data); err != nil {
			return nil, err
		}
	}
	if index >= max(len(v.docs), 1) {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: the input holds %d YAML document(s)", index, len(v.docs))}
	}
	v.stop = len(v.lines) + 1
	start := 1
	if index < len(v.docs) {
		v.doc = v.docs[index]
		start = v.doc.Line
		if index+1 < len(v.docs) {
			v.stop = v.docs[index+1].Line
		}
	}
	for l := start + 1; l < v.stop; l++ {
		if v.isMarker(l, "...") {
			v.stop = l
			break
		}
	}
	if r := v.rootNode(); r != nil && opening {
		// Aliases anywhere in the document, not only under oidc: a lookup
		// elsewhere that fails on them must not read as "not set".
		if err := checkDocumentAliases(v.doc); err != nil {
			return nil, err
		}
		if !readable(v.doc, 0) {
			if _, err := toValue(v.doc, "", nil); err != nil {
				return nil, err
			}
		}
		for r.Kind == yaml.AliasNode && r.Alias != nil {
			r = r.Alias
		}
		if r.Kind != yaml.MappingNode && !(r.Kind == yaml.ScalarNode && scalarValue(r) == nil) {
			val, _ := toValue(r, "", nil)
			return nil, &SyntaxError{Pos: Position{r.Line, r.Column},
				Msg: fmt.Sprintf("a values document must be a mapping, got %s", typeName(val))}
		}
	}
	return v, nil
}

// readable reports whether toValue would read the node: no key twice in a
// mapping, keys that are scalars, merge keys (<<) on mappings, known aliases,
// no nesting deeper than toValue's limit. When it says no, toValue names the
// problem. It builds nothing, so OpenValues need not read every value.
func readable(n *yaml.Node, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch n.Kind {
	case yaml.AliasNode:
		return n.Alias != nil
	case yaml.MappingNode:
		var keys []string
		var seen map[string]bool
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 && k.Tag != "!!str" {
				if !mergeable(val) {
					return false
				}
				continue
			}
			key, err := keyString(k, "")
			if err != nil {
				return false
			}
			if seen == nil && len(keys) < 16 {
				if slices.Contains(keys, key) {
					return false
				}
				keys = append(keys, key)
			} else {
				if seen == nil {
					seen = make(map[string]bool, len(n.Content)/2)
					for _, k := range keys {
						seen[k] = true
					}
				}
				if seen[key] {
					return false
				}
				seen[key] = true
			}
			if !readable(val, depth+1) {
				return false
			}
		}
		return true
	}
	for _, c := range n.Content {
		if !readable(c, depth+1) {
			return false
		}
	}
	return true
}

// mergeable reports whether a merge key's value is a mapping or a list of
// mappings, through aliases.
func mergeable(n *yaml.Node) bool {
	deref := func(n *yaml.Node) *yaml.Node {
		for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < maxDepth; i++ {
			n = n.Alias
		}
		return n
	}
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return true
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if deref(c).Kind != yaml.MappingNode {
				return false
			}
		}
		return true
	}
	return false
}

// values returns the whole document as Helm reads it, built on first use.
func (v *Values) values() (any, error) {
	if !v.treeDone && v.doc != nil {
		tree, err := toValue(v.doc, "", nil)
		if err != nil {
			return nil, err
		}
		v.tree = tree
	}
	v.treeDone = true
	return v.tree, nil
}

// oidcValue returns the value of the oidc key as Helm reads it, reading only
// that key when the root holds no merge key.
func (v *Values) oidcValue() (any, error) {
	if v.treeDone || v.format == FormatJSON {
		root, _ := v.tree.(map[string]any)
		return root[keyOIDC], nil
	}
	if v.oidcDone {
		return v.oidc, nil
	}
	root := v.rootNode()
	for root != nil && root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	if root == nil || root.Kind != yaml.MappingNode {
		v.oidcDone = true
		return nil, nil
	}
	if hasMergeKey(root) != nil {
		tree, err := v.values()
		if err != nil {
			return nil, err
		}
		m, _ := tree.(map[string]any)
		return m[keyOIDC], nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, err := keyString(root.Content[i], ""); err == nil && k == keyOIDC {
			val, err := toValue(root.Content[i+1], keyOIDC, nil)
			if err != nil {
				return nil, err
			}
			v.oidc = val
			break
		}
	}
	v.oidcDone = true
	return v.oidc, nil
}

// decodeYAMLStream parses every document of a YAML stream.
func decodeYAMLStream(data []byte) ([]*yaml.Node, error) {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		n := new(yaml.Node)
		if err := dec.Decode(n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			msg := err.Error()
			var pos Position
			if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
				pos.Line, _ = strconv.Atoi(m[1])
				msg = msg[len(m[0]):]
			}
			return nil, &SyntaxError{Pos: pos, Msg: strings.TrimPrefix(msg, "yaml: ")}
		}
		docs = append(docs, n)
	}
}

var blockHeader = regexp.MustCompile(`(^|[\s:\-?])[|>][-+0-9]*[ \t]*(#.*)?$`)

// parseWithoutComments parses the document with its comment lines emptied:
// yaml.v3 spends much of its time on comments, which Values never reads,
// and positions do not move. A comment line is a line whose first non-blank
// character is '#'; since such a line inside a scalar is content (block and
// quoted scalars) or ends it (plain scalars), the result is kept only if no
// emptied line lies within a scalar written over several lines. Lines under a
// block scalar header are never emptied. nil means: parse faithfully.
func (v *Values) parseWithoutComments() ([]*yaml.Node, error) {
	d := v.data
	var out []byte
	var emptied []int
	under := -1 // indentation of a block scalar header being skipped, or -1
	for l := 1; l <= len(v.lines); l++ {
		start, end := v.lineStart(l), v.lineEnd(l)
		line := d[start:end]
		text := bytes.TrimLeft(line, " \t")
		indent := len(line) - len(text)
		if under >= 0 && len(text) > 0 && indent <= under {
			under = -1
		}
		if under < 0 && len(text) > 0 && text[0] == '#' && yamlPrintable(text) {
			if out == nil {
				out = make([]byte, 0, len(d))
				out = append(out, d[:start]...)
			}
			emptied = append(emptied, l)
			out = append(out, d[end:v.lineStart(l+1)]...)
			continue
		}
		if out != nil {
			out = append(out, d[start:v.lineStart(l+1)]...)
		}
		if under < 0 && len(text) > 0 && bytes.ContainsAny(text, "|>") && blockHeader.Match(text) {
			under = indent
		}
	}
	if out == nil || len(emptied) < len(v.lines)/8 {
		return nil, nil // too few comment lines to pay for the copy
	}
	docs, err := decodeYAMLStream(out)
	if err != nil || !v.noEmptiedLineInScalars(docs, emptied) {
		return nil, nil
	}
	return docs, nil
}

// yamlPrintable reports whether yaml.v3 accepts every character of s (it
// refuses control characters even in comments).
func yamlPrintable(s []byte) bool {
	ascii := true
	for _, c := range s {
		if c >= 0x80 {
			ascii = false
			break
		}
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	if ascii {
		return true
	}
	for _, r := range string(s) {
		if !(r == 0x09 || r >= 0x20 && r <= 0x7e || r == 0x85 || r >= 0xa0 && r <= 0xd7ff ||
			r >= 0xe000 && r <= 0xfffd && r != 0xfeff || r >= 0x10000 && r <= 0x10ffff) {
			return false
		}
	}
	return true
}

// noEmptiedLineInScalars checks the scalars written over several lines: an
// emptied line after the scalar's first line must be followed only by blank
// or emptied lines up to the next node (so that it was no content, and a
// plain scalar did not continue after it), and a block scalar that keeps its
// trailing line breaks (|+ or >+) must have no emptied line before the next
// node at all.
func (v *Values) noEmptiedLineInScalars(docs []*yaml.Node, emptied []int) bool {
	nodes := make([]*yaml.Node, 0, len(v.lines))
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Kind != yaml.DocumentNode {
			nodes = append(nodes, n)
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	for _, doc := range docs {
		walk(doc, 0)
	}
	isEmptied := func(l int) bool {
		_, found := slices.BinarySearch(emptied, l)
		return found
	}
	for i, n := range nodes {
		if n.Kind != yaml.ScalarNode {
			continue
		}
		next := len(v.lines) + 1
		for _, m := range nodes[i+1:] {
			if m.Line > n.Line || m.Line == n.Line && m.Column > n.Column {
				next = m.Line
				break
			}
		}
		j, _ := slices.BinarySearch(emptied, n.Line+1)
		if j == len(emptied) || emptied[j] >= next || v.singleLine(n) {
			continue
		}
		if v.keepsBreaks(n) {
			return false
		}
		for l := emptied[j] + 1; l < next; l++ {
			if k, _ := v.classify(l); k != lineBlank && !isEmptied(l) {
				return false
			}
		}
	}
	return true
}

// keepsBreaks reports a block scalar with keep chomping (|+ or >+).
func (v *Values) keepsBreaks(n *yaml.Node) bool {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return false
	}
	header := v.data[v.offset(n.Line, n.Column):v.lineEnd(n.Line)]
	if i := bytes.IndexAny(header, "|>"); i >= 0 {
		header = header[i+1:]
		for len(header) > 0 && (header[0] >= '0' && header[0] <= '9' || header[0] == '-' || header[0] == '+') {
			if header[0] == '+' {
				return true
			}
			header = header[1:]
		}
		return false
	}
	return true // header not found: assume the worst
}

// singleLine reports whether scalar n is written entirely on its first line.
func (v *Values) singleLine(n *yaml.Node) bool {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false
	}
	if n.Tag == "!!null" && n.Value == "" && n.Style == 0 {
		return true // nothing written
	}
	d := v.data
	i, end := v.offset(n.Line, n.Column), v.lineEnd(n.Line)
	for i < end && (d[i] == '&' || d[i] == '!') { // anchor or tag first
		for i < end && d[i] != ' ' && d[i] != '\t' {
			i++
		}
		for i < end && (d[i] == ' ' || d[i] == '\t') {
			i++
		}
	}
	if i >= end {
		return false
	}
	switch q := d[i]; {
	case q == '"' || q == '\'':
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			return false
		}
		for i++; i < end; i++ {
			switch {
			case q == '"' && d[i] == '\\':
				i++
			case d[i] == q && q == '\'' && i+1 < end && d[i+1] == '\'':
				i++
			case d[i] == q:
				return true
			}
		}
		return false
	default:
		if n.Style != 0 && n.Style != yaml.TaggedStyle || !bytes.HasPrefix(d[i:end], []byte(n.Value)) {
			return false
		}
		j := i + len(n.Value)
		return j == end || strings.IndexByte(" \t,]}:#", d[j]) >= 0
	}
}

func looksLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// positions returns the position of every path of the document, computed on
// first use.
func (v *Values) positions() positions {
	if v.pos != nil {
		return v.pos
	}
	pos := positions{}
	switch {
	case v.format == FormatJSON:
		_, _ = v.jsonValue(v.jroot, "", pos, 0)
	case v.doc != nil:
		_, _ = toValue(v.doc, "", pos)
	}
	v.pos = pos
	return pos
}

// ---------------------------------------------------------------------------
// Reading

// Lookup returns the value at a dotted path such as "proxy.host",
// "proxy.tls.enabled" or "oidc.upstreamIDPs[0].id", as Helm reads it
// (YAML 1.1: `enabled: yes` is true), and the position of its key. Keys
// holding dots or brackets are written quoted: `annotations["a.b/c"]`.
// ok is false when the path is absent. Maps and lists are returned as copies.
// The value may be a secret: do not print it blindly.
func (v *Values) Lookup(path string) (value any, pos Position, ok bool) {
	segs, err := splitPath(path)
	if err != nil {
		return nil, Position{}, false
	}
	cur, err := v.values()
	if err != nil {
		return nil, Position{}, false
	}
	canon := ""
	for _, s := range segs {
		if s.index >= 0 {
			canon = indexPath(canon, s.index)
		} else {
			canon = joinPath(canon, s.key)
		}
		switch c := cur.(type) {
		case map[string]any:
			if s.index >= 0 {
				return nil, Position{}, false
			}
			cur, ok = c[s.key]
		case []any:
			if s.index < 0 || s.index >= len(c) {
				return nil, Position{}, false
			}
			cur, ok = c[s.index], true
		default:
			ok = false
		}
		if !ok {
			return nil, Position{}, false
		}
	}
	if canon != "" {
		pos = v.positions().at(canon)
	}
	return copyValue(cur), pos, true
}

type pathSeg struct {
	key   string
	index int // -1 for a key
}

// splitPath parses the paths joinPath and indexPath write.
func splitPath(p string) ([]pathSeg, error) {
	var out []pathSeg
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			if i == 0 || i == len(p)-1 || p[i+1] == '.' || p[i+1] == '[' {
				return nil, fmt.Errorf("bad path %q", p)
			}
			i++
		case '[':
			rest := p[i+1:]
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil || !strings.HasPrefix(rest[len(q):], "]") {
					return nil, fmt.Errorf("bad path %q", p)
				}
				k, _ := strconv.Unquote(q)
				out = append(out, pathSeg{key: k, index: -1})
				i += 1 + len(q) + 1
				continue
			}
			j := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[:max(j, 0)])
			if j < 0 || err != nil || n < 0 {
				return nil, fmt.Errorf("bad path %q", p)
			}
			out = append(out, pathSeg{index: n})
			i += 1 + j + 1
			continue
		}
		j := i
		for j < len(p) && p[j] != '.' && p[j] != '[' {
			j++
		}
		if j == i {
			continue
		}
		out = append(out, pathSeg{key: p[i:j], index: -1})
		i = j
	}
	return out, nil
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = copyValue(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = copyValue(val)
		}
		return out
	}
	return v
}

// UpstreamIDPs decodes oidc.upstreamIDPs. An absent or null list is empty.
// Each entry knows where its keys are (UpstreamIDP.Pos), so Validate reports
// real line numbers. Wrong shapes (oidc not a mapping, the list not a list, an
// entry not a mapping) are *SyntaxError with the place.
func (v *Values) UpstreamIDPs() ([]UpstreamIDP, error) {
	list, _, err := v.idpList()
	if err != nil || list == nil {
		return nil, err
	}
	return entriesFromValue(copyValue(list), pathIDPs, v.positions())
}

// idpList returns oidc.upstreamIDPs from the tree, checking the shapes on the
// way; present reports whether the key exists (null included).
func (v *Values) idpList() (list []any, present bool, err error) {
	o, err := v.oidcValue()
	if err != nil || o == nil {
		return nil, false, err
	}
	om, ok := o.(map[string]any)
	if !ok {
		return nil, false, v.shapeError(keyOIDC, fmt.Sprintf("oidc must be a mapping, got %s", typeName(o)))
	}
	l, present := om[keyIDPs]
	if l == nil {
		return nil, present, nil
	}
	list, ok = l.([]any)
	if !ok {
		return nil, true, v.shapeError(pathIDPs, fmt.Sprintf("upstream IdPs must be a list of entries, got %s", typeName(l)))
	}
	return list, true, nil
}

func (v *Values) shapeError(path, msg string) error {
	return &SyntaxError{Path: path, Pos: v.positions().at(path), Msg: msg}
}

// entryIndexes returns the indexes of the entries whose id is id, checking
// that every entry is a mapping.
func (v *Values) entryIndexes(list []any, id string) ([]int, error) {
	var out []int
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			p := indexPath(pathIDPs, i)
			return nil, v.shapeError(p, fmt.Sprintf("an entry must be a mapping with type, id, name and config, got %s", typeName(item)))
		}
		if s, ok := m["id"].(string); ok && s == id {
			out = append(out, i)
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Edits

// UpsertUpstreamIDP writes e into oidc.upstreamIDPs: an entry with the same
// id is replaced where it stands (its lines only; comments above it stay),
// a new id is appended after the last entry. Missing oidc or upstreamIDPs
// keys are created. Upserting an entry equal to the one in the file changes
// nothing.
//
// The entry is written as given, keys in the guide's order. In particular a
// replaced entry does not keep its old configVersion: pachd overwrites
// configVersion with its stored version plus one on every start, so the
// value in the file has no effect, and e.ConfigVersion (normally 0, not
// written) is what the file gets.
func (v *Values) UpsertUpstreamIDP(e UpstreamIDP) error {
	if e.ID == "" {
		return &EditError{Path: pathIDPs, Msg: "the entry has no id: set UpstreamIDP.ID (pachd stores connectors by id)"}
	}
	ent, plainEnt, err := canonicalEntry(e, pathIDPs)
	if err != nil {
		return err
	}
	list, _, err := v.idpList()
	if err != nil {
		return err
	}
	idx, err := v.entryIndexes(list, e.ID)
	if err != nil {
		return err
	}
	switch len(idx) {
	case 0:
		newList := append(slices.Clip(list), plainEnt)
		return v.editList(listAppend, len(list), ent, newList)
	case 1:
		i := idx[0]
		if _, same := firstDiff(list[i], plainEnt, ""); same {
			return nil
		}
		newList := slices.Clone(list)
		newList[i] = plainEnt
		return v.editList(listReplace, i, ent, newList)
	default:
		return &EditError{Path: indexPath(pathIDPs, idx[1]), Pos: v.positions().at(indexPath(pathIDPs, idx[1])),
			Msg: fmt.Sprintf("entries %d and %d both have id %q, and pachd needs unique ids: remove the duplicates first (RemoveUpstreamIDP removes all of them)", idx[0], idx[1], e.ID)}
	}
}

// RemoveUpstreamIDP removes every entry of oidc.upstreamIDPs whose id is id:
// its lines, the comment lines right above its '-' (at the same
// indentation), and the blank line that separated it from its neighbour. A
// list that becomes empty is written `upstreamIDPs: []`. When no entry has
// the id, the error wraps ErrIDPNotFound.
func (v *Values) RemoveUpstreamIDP(id string) error {
	list, _, err := v.idpList()
	if err != nil {
		return err
	}
	idx, err := v.entryIndexes(list, id)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return &EditError{Path: pathIDPs, Msg: fmt.Sprintf("no entry has id %q", id), Err: ErrIDPNotFound}
	}
	saved := *v
	for {
		list, _, _ := v.idpList()
		idx, _ := v.entryIndexes(list, id)
		if len(idx) == 0 {
			return nil
		}
		i := idx[0]
		newList := slices.Concat(list[:i], list[i+1:])
		if err := v.editList(listRemove, i, nil, newList); err != nil {
			*v = saved
			return err
		}
	}
}

// SetUpstreamIDPs replaces the whole oidc.upstreamIDPs list (nil or empty
// writes `upstreamIDPs: []`). The lines under the key, comments among the
// old entries included, are replaced; comments above the key stay. Old entries of any shape are replaced, so this
// also repairs a list holding malformed entries; oidc and the list itself
// must be a mapping and a list. Every new entry needs a unique id. Setting
// the list the file already holds changes nothing.
func (v *Values) SetUpstreamIDPs(idps []UpstreamIDP) error {
	render := make([]any, len(idps))
	plainList := make([]any, len(idps))
	seen := map[string]int{}
	for i, e := range idps {
		p := indexPath(pathIDPs, i)
		if e.ID == "" {
			return &EditError{Path: p, Msg: "the entry has no id: set UpstreamIDP.ID (pachd stores connectors by id)"}
		}
		if j, dup := seen[e.ID]; dup {
			return &EditError{Path: p, Msg: fmt.Sprintf("entries %d and %d both have id %q: pachd needs unique ids", j, i, e.ID)}
		}
		seen[e.ID] = i
		ent, pe, err := canonicalEntry(e, p)
		if err != nil {
			return err
		}
		render[i], plainList[i] = ent, pe
	}
	list, present, err := v.idpList()
	if err != nil {
		return err
	}
	if present && list != nil {
		if _, same := firstDiff(list, plainList, ""); same {
			return nil
		}
	}
	return v.editList(listSetAll, 0, nil, plainList, render...)
}

// SetUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName: the chart then
// reads the entries from the key upstream-idps of that Kubernetes Secret and
// ignores the inline list. name must not be empty: use
// ClearUpstreamIDPsSecretName.
func (v *Values) SetUpstreamIDPsSecretName(name string) error {
	if name == "" {
		return &EditError{Path: keyOIDC + "." + keySecretName, Msg: "empty Secret name: use ClearUpstreamIDPsSecretName to stop using a Secret"}
	}
	// The same rule as HelmValues and EncodeSecretManifest: Kubernetes
	// refuses other names, and the chart would then read no Secret.
	if err := checkDNSSubdomain("Secret name", name); err != nil {
		return &EditError{Path: keyOIDC + "." + keySecretName, Msg: err.Error()}
	}
	return v.setOIDCScalar(keySecretName, name, false)
}

// ClearUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName to "" when the
// file sets it, so that the chart uses the inline list again. An absent or
// empty key is left alone.
func (v *Values) ClearUpstreamIDPsSecretName() error {
	return v.setOIDCScalar(keySecretName, "", true)
}

// DisableMockIDP sets oidc.mockIDP to false, creating the key when needed.
// The chart uses its mock IdP only when the list and the Secret name are both
// empty, so a non-empty list already wins over mockIDP: true; this makes the
// intent explicit.
func (v *Values) DisableMockIDP() error {
	return v.setOIDCScalar(keyMockIDP, false, false)
}

// UseUpstreamIDPsSecret switches the document to entries kept in a Secret:
// it sets oidc.upstreamIDPsSecretName to name and empties the inline list to
// `upstreamIDPs: []` (an absent list stays absent). Before deploying, create
// the Secret with the entries in its key upstream-idps (EncodeSecretManifest).
func (v *Values) UseUpstreamIDPsSecret(name string) error {
	if name == "" {
		return &EditError{Path: keyOIDC + "." + keySecretName, Msg: "empty Secret name: pass the name of the Secret holding the key upstream-idps"}
	}
	saved := *v
	if err := v.SetUpstreamIDPsSecretName(name); err != nil {
		return err
	}
	list, present, err := v.idpList()
	if err == nil && present && (list == nil || len(list) > 0) {
		err = v.editList(listSetAll, 0, nil, []any{})
	}
	if err != nil {
		*v = saved
	}
	return err
}

// UseInlineUpstreamIDPs is the reverse of UseUpstreamIDPsSecret: it sets the
// inline list to idps (as SetUpstreamIDPs) and clears
// oidc.upstreamIDPsSecretName.
func (v *Values) UseInlineUpstreamIDPs(idps []UpstreamIDP) error {
	saved := *v
	err := v.SetUpstreamIDPs(idps)
	if err == nil {
		err = v.ClearUpstreamIDPsSecretName()
	}
	if err != nil {
		*v = saved
	}
	return err
}

// canonicalEntry returns the entry as an ordered value to render and as the
// plain value Helm would read back.
func canonicalEntry(e UpstreamIDP, path string) (orderedMap, map[string]any, error) {
	c, err := canonical(e.ordered(), path)
	if err != nil {
		return nil, nil, err
	}
	m := c.(orderedMap)
	return m, plain(m).(map[string]any), nil
}

// canonical converts a value to the forms the renderers know: orderedMap,
// []any, string, bool, int64, float64 and nil.
func canonical(v any, path string) (any, error) {
	switch x := v.(type) {
	case orderedMap:
		out := make(orderedMap, len(x))
		for i, it := range x {
			c, err := canonical(it.Value, joinPath(path, it.Key))
			if err != nil {
				return nil, err
			}
			out[i] = mapItem{it.Key, c}
		}
		return out, nil
	case map[string]any:
		return canonical(orderGeneric(x), path)
	case ConnectorConfig:
		return canonical(orderGeneric(x), path)
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			c, err := canonical(it, indexPath(path, i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case string:
		if !utf8.ValidString(x) {
			return nil, &EditError{Path: path, Msg: "the string is not valid UTF-8"}
		}
		return x, nil
	case nil, bool, int64, float64:
		return x, nil
	}
	n := normalize(v)
	switch n.(type) {
	case map[string]any, []any, string, bool, int64, float64, nil:
		return canonical(n, path)
	}
	return nil, &EditError{Path: path, Msg: fmt.Sprintf("a value of Go type %T cannot be written to a values file: use strings, bools, numbers, []any and map[string]any", v)}
}

type listOp int

const (
	listReplace listOp = iota
	listAppend
	listRemove
	listSetAll
)

// editList changes oidc.upstreamIDPs: newList is the list Helm must read
// afterwards, entry the rendered entry for listReplace and listAppend, render
// the items to write for listSetAll (defaulting to newList).
func (v *Values) editList(op listOp, index int, entry orderedMap, newList []any, render ...any) error {
	if op == listSetAll && render == nil {
		render = newList
	}
	var sp []splice
	var err error
	if v.format == FormatJSON {
		sp, err = v.jsonListEdit(op, index, entry, render)
	} else {
		sp, err = v.yamlListEdit(op, index, entry, render)
	}
	if err != nil {
		return err
	}
	return v.commit(sp, idpsPath, newList)
}

func (v *Values) setOIDCScalar(key string, val any, onlyIfPresent bool) error {
	o, err := v.oidcValue()
	if err != nil {
		return err
	}
	if o != nil {
		om, ok := o.(map[string]any)
		if !ok {
			return v.shapeError(keyOIDC, fmt.Sprintf("oidc must be a mapping, got %s", typeName(o)))
		}
		old, present := om[key]
		if present && old == val {
			return nil
		}
		if onlyIfPresent && (old == nil || old == "") {
			return nil
		}
	} else if onlyIfPresent {
		return nil
	}
	var sp []splice
	if v.format == FormatJSON {
		sp, err = v.jsonSetPath([]string{keyOIDC, key}, val)
	} else {
		sp, err = v.yamlSetPath([]string{keyOIDC, key}, val)
	}
	if err != nil {
		return err
	}
	return v.commit(sp, []string{keyOIDC, key}, val)
}

// withValue returns a copy of root with path set to val, copying only the
// maps on the path and creating missing or null ones.
func withValue(root any, path []string, val any) any {
	m, _ := root.(map[string]any)
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	if len(path) == 1 {
		out[path[0]] = val
	} else {
		out[path[0]] = withValue(m[path[0]], path[1:], val)
	}
	return out
}

// commit applies the splices, parses the result again and accepts it only if
// it reads back as the old document with path set to want.
//
// For YAML the check is node by node and stricter than comparing the trees
// Helm reads: outside path, the new document must hold the same keys in the
// same order, the same scalars written the same way and the same anchors and
// aliases; at path, the value Helm reads must equal want. When a merge key
// (<<) sits on path, the whole trees are compared instead.
//
// Unless v.FullCheck is set, the local check (values_check.go) comes first:
// it parses only the window the splices touched and accepts what it can
// prove; anything else, refusals included, goes to the full check, which
// gives the verdict and names the path.
func (v *Values) commit(sp []splice, path []string, want any) error {
	if len(sp) == 0 {
		return nil
	}
	at := strings.Join(path, ".")
	fail := func(p, why string) error {
		if p == "" {
			p = at
		}
		return &EditError{Path: p, Err: ErrSelfCheck,
			Msg: "internal error: " + why + "; nothing was changed (please report this with the layout of the file, without its secrets)"}
	}
	out := applySplices(v.data, sp)
	if !v.FullCheck {
		if nv := v.localCheck(out, sp, path, want); nv != nil {
			*v = *nv
			return nil
		}
	}
	nv, err := parseValues(out, v.index, v.format == FormatJSON)
	if err != nil {
		return fail("", "the edited document does not parse")
	}
	if nv.format != v.format {
		return fail("", "the edited document changed format")
	}
	if v.format == FormatJSON {
		// Both trees are read as Helm reads JSON (with a YAML reader), and
		// the new bytes parsed as JSON.
		if p, same := firstDiff(nv.tree, withValue(v.tree, path, want), ""); !same {
			return fail(p, "the edited document reads back differently here")
		}
	} else {
		if max(len(nv.docs), 1) != max(len(v.docs), 1) {
			return fail("", "the edit changed the number of YAML documents")
		}
		for i := range v.docs {
			c := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
			if i != v.index && !c.equalNode(v.docs[i], nv.docs[i], 0) {
				return fail("", fmt.Sprintf("the edit changed document %d", i))
			}
		}
		oidc, err := v.oidcValue()
		if err != nil {
			return err
		}
		c := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
		p, same, fallback := c.sameExcept(v.rootNode(), nv.rootNode(), map[string]any{keyOIDC: oidc}, path, want, "")
		if fallback {
			oldTree, err := v.values()
			if err != nil {
				return err
			}
			newTree, err := nv.values()
			if err != nil {
				return fail("", "the edited document does not read")
			}
			p, same = firstDiff(newTree, withValue(oldTree, path, want), "")
		}
		if !same {
			return fail(p, "the edited document reads back differently here")
		}
	}
	nv.style = v.style
	nv.FullCheck = v.FullCheck
	nv.lastCheck = checkFull
	*v = *nv
	return nil
}

// isoCheck compares the nodes of two documents.
type isoCheck struct {
	corr map[*yaml.Node]*yaml.Node // anchored old node -> its new twin
}

// equalNode reports whether two nodes are written the same way: kind,
// style, tag, value and anchor, recursively; aliases must point to twins.
func (c *isoCheck) equalNode(a, b *yaml.Node, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > maxDepth || a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.AliasNode {
		return a.Alias != nil && c.corr[a.Alias] == b.Alias
	}
	if a.Anchor != "" {
		c.corr[a] = b
	}
	for i := range a.Content {
		if !c.equalNode(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}

// sameExcept compares old node o and new node n along path: every other key
// must be equal node by node, and the value Helm reads at path must be want.
// fallback asks for a comparison of whole trees (a merge key is on path).
func (c *isoCheck) sameExcept(o, n *yaml.Node, old any, path []string, want any, at string) (diff string, same, fallback bool) {
	if len(path) == 0 {
		if ol, ok := old.([]any); ok && o != nil && o.Kind == yaml.SequenceNode && n.Kind == yaml.SequenceNode {
			return c.sameList(o, n, ol, want, at)
		}
		tv, err := toValue(n, at, nil)
		if err != nil {
			return at, false, false
		}
		if diff, same = firstDiff(tv, want, at); same && o != nil {
			c.mapAnchors(o, n)
		}
		return diff, same, false
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return at, false, false
	}
	if hasMergeKey(n) != nil || o != nil && o.Kind == yaml.MappingNode && hasMergeKey(o) != nil {
		return "", false, true
	}
	if o == nil || isEmptyValue(o) && o.Kind != yaml.SequenceNode {
		tv, err := toValue(n, at, nil)
		if err != nil {
			return at, false, false
		}
		diff, same = firstDiff(tv, plain(wrap(path, want)), at)
		return diff, same, false
	}
	if o.Kind != yaml.MappingNode {
		return at, false, false
	}
	sub := joinPath(at, path[0])
	isKey := func(k *yaml.Node) bool {
		ks, err := keyString(k, at)
		return err == nil && ks == path[0]
	}
	var ov *yaml.Node
	for i := 0; i+1 < len(o.Content); i += 2 {
		if isKey(o.Content[i]) {
			ov = o.Content[i+1]
		}
	}
	// Walk the new keys in document order, so that anchors are paired
	// before the aliases that follow them.
	oi, found := 0, false
	for ni := 0; ni+1 < len(n.Content); ni += 2 {
		if isKey(n.Content[ni]) {
			if found {
				return sub, false, false // written twice
			}
			found = true
			om, _ := old.(map[string]any)
			if diff, same, fallback = c.sameExcept(ov, n.Content[ni+1], om[path[0]], path[1:], want, sub); !same {
				return diff, same, fallback
			}
			continue
		}
		if oi+1 < len(o.Content) && isKey(o.Content[oi]) {
			oi += 2
		}
		if oi+1 >= len(o.Content) {
			return at, false, false // a key was added
		}
		if !c.equalNode(o.Content[oi], n.Content[ni], 0) || !c.equalNode(o.Content[oi+1], n.Content[ni+1], 0) {
			ks, _ := keyString(o.Content[oi], at)
			return joinPath(at, ks), false, false
		}
		oi += 2
	}
	if oi+1 < len(o.Content) && isKey(o.Content[oi]) {
		oi += 2
	}
	if oi+1 < len(o.Content) || !found {
		return at, false, false // a key was removed
	}
	return "", true, false
}

// sameList compares an old list o (read as old) with a new list n that must
// read as want: items equal at the start and at the end are compared node
// by node, the items in between are read and compared with want.
func (c *isoCheck) sameList(o, n *yaml.Node, old []any, want any, at string) (string, bool, bool) {
	wl, ok := want.([]any)
	if !ok || len(wl) != len(n.Content) || len(old) != len(o.Content) {
		return at, false, false
	}
	unchanged := func(i, j int) bool { // old item i, new item j
		_, same := firstDiff(old[i], wl[j], "")
		return same && c.equalNode(o.Content[i], n.Content[j], 0)
	}
	head := 0
	for head < len(o.Content) && head < len(n.Content) && unchanged(head, head) {
		head++
	}
	tail := 0
	for tail < len(o.Content)-head && tail < len(n.Content)-head && unchanged(len(o.Content)-1-tail, len(n.Content)-1-tail) {
		tail++
	}
	for j := head; j < len(n.Content)-tail; j++ {
		p := indexPath(at, j)
		tv, err := toValue(n.Content[j], p, nil)
		if err != nil {
			return p, false, false
		}
		if diff, same := firstDiff(tv, wl[j], p); !same {
			return diff, false, false
		}
	}
	for i, j := head, head; i < len(o.Content)-tail && j < len(n.Content)-tail; i, j = i+1, j+1 {
		c.mapAnchors(o.Content[i], n.Content[j])
	}
	return "", true, false
}

// mapAnchors pairs the anchors of a changed value that kept their name and
// their content, so that aliases to them elsewhere still match.
func (c *isoCheck) mapAnchors(o, n *yaml.Node) {
	oa, na := anchorsIn(o), anchorsIn(n)
	for name, on := range oa {
		if nn := na[name]; on != nil && nn != nil && c.equalNode(on, nn, 0) {
			c.corr[on] = nn
		}
	}
}

// anchorsIn maps the anchor names defined under n to their nodes; a name
// defined twice maps to nil.
func anchorsIn(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > maxDepth || n.Kind == yaml.AliasNode {
			return
		}
		if n.Anchor != "" {
			if _, dup := out[n.Anchor]; dup {
				out[n.Anchor] = nil
			} else {
				out[n.Anchor] = n
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// firstDiff compares two trees as toValue builds them and returns the path of
// the first difference. NaN equals NaN.
func firstDiff(a, b any, path string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		if reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer() {
			return "", true // the same map
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok {
				return joinPath(path, k), false
			}
			if p, same := firstDiff(xv, yv, joinPath(path, k)); !same {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, same := firstDiff(x[i], y[i], indexPath(path, i)); !same {
				return p, false
			}
		}
		return "", true
	case float64:
		y, ok := b.(float64)
		if ok && (x == y || math.IsNaN(x) && math.IsNaN(y)) {
			return "", true
		}
		return path, false
	case nil, string, bool, int64:
		if a == b {
			return "", true
		}
		return path, false
	}
	return path, false
}

// ---------------------------------------------------------------------------
// Text: lines, splices, style

type splice struct {
	start, end int
	text       string
}

func applySplices(data []byte, sp []splice) []byte {
	slices.SortStableFunc(sp, func(a, b splice) int { return a.start - b.start })
	n := len(data)
	for _, s := range sp {
		n += len(s.text) - (s.end - s.start)
	}
	out := make([]byte, 0, n)
	at := 0
	for _, s := range sp {
		out = append(out, data[at:s.start]...)
		out = append(out, s.text...)
		at = s.end
	}
	return append(out, data[at:]...)
}

// lineStarts indexes the lines of data. YAML also breaks lines at NEL, LS
// and PS, as yaml.v3 counts them; a leading byte order mark is not part of
// line 1.
func lineStarts(data []byte, yamlBreaks bool) []int {
	out := make([]int, 1, bytes.Count(data, []byte{'\n'})+2)
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		out[0] = 3
	}
	if bytes.IndexByte(data, '\r') < 0 && (!yamlBreaks || !bytes.Contains(data, []byte("\u0085")) &&
		!bytes.Contains(data, []byte("\u2028")) && !bytes.Contains(data, []byte("\u2029"))) {
		for i := 0; ; {
			j := bytes.IndexByte(data[i:], '\n')
			if j < 0 {
				return out
			}
			i += j + 1
			out = append(out, i)
		}
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n':
			out = append(out, i+1)
		case c == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			out = append(out, i+1)
		case yamlBreaks && c == 0xC2 && i+1 < len(data) && data[i+1] == 0x85:
			i++
			out = append(out, i+1)
		case yamlBreaks && c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			i += 2
			out = append(out, i+1)
		}
	}
	return out
}

func (v *Values) nlines() int { return len(v.lines) }

// lineStart is the offset of the first byte of line l (1-based).
func (v *Values) lineStart(l int) int {
	if l > len(v.lines) {
		return len(v.data)
	}
	return v.lines[l-1]
}

// lineEnd is the offset of the line break ending line l, or the end of data.
func (v *Values) lineEnd(l int) int {
	if l >= len(v.lines) {
		return len(v.data)
	}
	end := v.lines[l]
	switch {
	case end >= 2 && v.data[end-2] == '\r' && v.data[end-1] == '\n':
		return end - 2
	case end >= 1 && (v.data[end-1] == '\n' || v.data[end-1] == '\r'):
		return end - 1
	case end >= 2 && v.data[end-2] == 0xC2:
		return end - 2
	default:
		return end - 3
	}
}

// offset converts a 1-based line and column (counted in characters, as
// yaml.v3 does) into a byte offset.
func (v *Values) offset(line, col int) int {
	off := v.lineStart(line)
	end := v.lineEnd(line)
	for c := 1; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(v.data[off:end])
		off += size
	}
	return off
}

// position converts a byte offset into a line and column.
func (v *Values) position(off int) Position {
	l, found := slices.BinarySearch(v.lines, off)
	if !found {
		l--
	}
	if l < 0 {
		return Position{Line: 1, Column: 1}
	}
	return Position{Line: l + 1, Column: utf8.RuneCount(v.data[v.lines[l]:off]) + 1}
}

type lineKind int

const (
	lineBlank lineKind = iota
	lineComment
	lineMarker // "---" or "..." at column 1
	lineContent
)

// classify reports what line l holds and its indentation.
func (v *Values) classify(l int) (lineKind, int) {
	s := v.data[v.lineStart(l):v.lineEnd(l)]
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	switch {
	case i == len(s):
		return lineBlank, i
	case s[i] == '#':
		return lineComment, i
	case i == 0 && (v.isMarker(l, "---") || v.isMarker(l, "...")):
		return lineMarker, 0
	}
	return lineContent, i
}

func (v *Values) isMarker(l int, m string) bool {
	s := v.data[v.lineStart(l):v.lineEnd(l)]
	return bytes.HasPrefix(s, []byte(m)) && (len(s) == 3 || s[3] == ' ' || s[3] == '\t')
}

// regionEnd returns the last line of a region that starts at line start and
// ends before line stop, owned by a key or dash at indentation owner: blank
// lines, and comments indented no deeper than owner, at its end belong to
// what follows.
func (v *Values) regionEnd(start, stop, owner int) int {
	for l := min(stop, v.nlines()+1) - 1; l > start; l-- {
		switch kind, indent := v.classify(l); {
		case kind == lineBlank || kind == lineMarker:
		case kind == lineComment && indent <= owner:
		default:
			return l
		}
	}
	return start
}

func (v *Values) allBlank(from, to int) bool {
	for l := from; l <= to; l++ {
		if k, _ := v.classify(l); k != lineBlank {
			return false
		}
	}
	return true
}

// textStyle is the detected layout of the file, followed by inserted text.
type textStyle struct {
	nl string
	// YAML
	unit      int // mapping indentation
	seqOffset int // dash column minus key column: 0 for `key:\n- a`
	itemOff   int // content column minus dash column
	// JSON
	jsonIndent string // "" for single-line JSON
	jsonColon  string
	jsonComma  string
}

func (v *Values) detectStyle() *textStyle {
	if v.style != nil {
		return v.style
	}
	st := &textStyle{nl: "\n", unit: 2, itemOff: 2, jsonColon: ": ", jsonComma: ","}
	if i := bytes.IndexByte(v.data, '\n'); i > 0 && v.data[i-1] == '\r' {
		st.nl = "\r\n"
	} else if i < 0 && bytes.IndexByte(v.data, '\r') >= 0 {
		st.nl = "\r"
	}
	if v.format == FormatJSON {
		v.detectJSONStyle(st)
	} else if v.doc != nil {
		units, offs, items := map[int]int{}, map[int]int{}, map[int]int{}
		var firstUnit, firstOff, firstItem = -1, -1, -1
		count := func(m map[int]int, first *int, k int) {
			m[k]++
			if *first < 0 {
				*first = k
			}
		}
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			if depth > maxDepth {
				return
			}
			switch n.Kind {
			case yaml.MappingNode:
				if n.Style&yaml.FlowStyle != 0 {
					return
				}
				for i := 0; i+1 < len(n.Content); i += 2 {
					k, val := n.Content[i], n.Content[i+1]
					if val.Line > k.Line && val.Style&yaml.FlowStyle == 0 && val.Anchor == "" {
						switch d := val.Column - k.Column; val.Kind {
						case yaml.MappingNode:
							if d > 0 {
								count(units, &firstUnit, d)
							}
						case yaml.SequenceNode:
							if d >= 0 {
								count(offs, &firstOff, d)
							}
						}
					}
					walk(val, depth+1)
				}
			case yaml.SequenceNode:
				for _, c := range n.Content {
					if c.Kind == yaml.MappingNode && c.Line == n.Line && c.Anchor == "" && c.Column > n.Column {
						count(items, &firstItem, c.Column-n.Column)
					}
					walk(c, depth+1)
				}
			case yaml.DocumentNode:
				for _, c := range n.Content {
					walk(c, depth+1)
				}
			}
		}
		walk(v.doc, 0)
		st.unit = mode(units, firstUnit, 2)
		st.seqOffset = mode(offs, firstOff, 0)
		st.itemOff = mode(items, firstItem, 2)
	}
	v.style = st
	return st
}

// mode returns the most frequent key of counts, the first seen on a tie.
func mode(counts map[int]int, first, def int) int {
	if first < 0 {
		return def
	}
	best := first
	for k, n := range counts {
		// Strictly more frequent wins; among others tied above the first
		// seen, the smallest, so that the result does not depend on map order.
		if n > counts[best] || n == counts[best] && best != first && k < best {
			best = k
		}
	}
	return best
}

// aliasTargets returns the nodes some alias of the document points to.
func (v *Values) aliasTargets() map[*yaml.Node]bool {
	if v.targets != nil {
		return v.targets
	}
	t := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			t[n.Alias] = true
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	if v.doc != nil {
		walk(v.doc, 0)
	}
	v.targets = t
	return t
}

// checkAnchors refuses to change a node that is an alias, or that holds an
// anchored node some alias refers to.
func (v *Values) checkAnchors(n *yaml.Node, path string, whole bool) error {
	if n.Kind == yaml.AliasNode {
		a := n.Alias
		msg := fmt.Sprintf("is an alias (*%s)", n.Value)
		if a != nil {
			msg += fmt.Sprintf(" of the value at line %d", a.Line)
		}
		return &EditError{Path: path, Pos: Position{n.Line, n.Column}, Err: ErrAnchor,
			Msg: msg + ": an edit here would have to break it; write the value out in place of the alias, or edit the anchored value by hand"}
	}
	targets := v.aliasTargets()
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if found != nil || depth > maxDepth {
			return
		}
		if targets[n] {
			found = n
			return
		}
		if whole {
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	if found != nil {
		return &EditError{Path: path, Pos: Position{found.Line, found.Column}, Err: ErrAnchor,
			Msg: fmt.Sprintf("holds the anchor &%s, which aliases elsewhere in the file use: an edit here would change them too; write the aliased values out first", found.Anchor)}
	}
	return nil
}

// ---------------------------------------------------------------------------
// YAML edits

// yentry is one key of a block mapping and the line where its lines stop
// (the next key's line, or the end of the mapping).
type yentry struct {
	key, val *yaml.Node
	stop     int
}

// yfind looks a key up among the direct keys of a block mapping.
func (v *Values) yfind(m *yaml.Node, stop int, name string) (yentry, bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		ks, err := keyString(k, "")
		if err != nil || ks != name || k.Kind != yaml.ScalarNode || k.Value == "<<" && k.Style == 0 {
			continue
		}
		e := yentry{key: k, val: m.Content[i+1], stop: stop}
		if i+2 < len(m.Content) {
			e.stop = m.Content[i+2].Line
		}
		return e, true
	}
	return yentry{}, false
}

func hasMergeKey(m *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 && k.Tag != "!!str" {
			return k
		}
	}
	return nil
}

// isEmptyValue reports a null value or an empty flow collection ({} or []),
// which an edit replaces as a whole.
func isEmptyValue(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Tag == "!!null" && n.Anchor == ""
	case yaml.MappingNode, yaml.SequenceNode:
		return len(n.Content) == 0 && n.Anchor == ""
	}
	return false
}

// isImplicitNull is a value left empty: `key:` with nothing after it.
func isImplicitNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0 && n.Anchor == ""
}

func (v *Values) rootNode() *yaml.Node {
	if v.doc == nil || len(v.doc.Content) == 0 {
		return nil
	}
	return v.doc.Content[0]
}

// ywalk walks path down block mappings from the root. It stops at the last
// key (found), at a missing key (insert into m), or at an empty value (replace
// it).
type ywalkResult struct {
	m     *yaml.Node // deepest block mapping reached; nil for an empty document
	mStop int
	depth int    // path keys found
	e     yentry // entry of path[depth-1]
	empty bool   // e's value is null or {}: replace it
}

func (v *Values) ywalk(path []string) (ywalkResult, error) {
	root := v.rootNode()
	if root == nil || isEmptyValue(root) {
		return ywalkResult{}, nil
	}
	if err := v.checkAnchors(root, "", false); err != nil {
		return ywalkResult{}, err
	}
	if root.Style&yaml.FlowStyle != 0 {
		return ywalkResult{}, &EditError{Pos: Position{root.Line, root.Column},
			Msg: "the document is a flow-style mapping { ... }: write it in block style (one key per line) to edit it"}
	}
	r := ywalkResult{m: root, mStop: v.stop}
	p := ""
	for r.depth < len(path) {
		name := path[r.depth]
		p = joinPath(p, name)
		e, ok := v.yfind(r.m, r.mStop, name)
		if !ok {
			if k := hasMergeKey(r.m); k != nil {
				if _, _, merged := v.Lookup(p); merged {
					return r, &EditError{Path: p, Pos: Position{k.Line, k.Column}, Err: ErrAnchor,
						Msg: fmt.Sprintf("comes from the merge key (<<) at line %d: an edit would have to break it; write %s out in this mapping first", k.Line, name)}
				}
			}
			return r, nil
		}
		if err := v.checkAnchors(e.val, p, false); err != nil {
			return r, err
		}
		r.depth++
		r.e = e
		if r.depth == len(path) {
			return r, nil
		}
		switch vn := e.val; {
		case isEmptyValue(vn) && vn.Kind != yaml.SequenceNode:
			r.empty = true
			return r, nil
		case vn.Kind == yaml.MappingNode && vn.Style&yaml.FlowStyle != 0:
			return r, &EditError{Path: p, Pos: Position{vn.Line, vn.Column},
				Msg: "is a flow-style mapping { ... }: write it in block style (one key per line) to edit it"}
		case vn.Kind == yaml.MappingNode:
			r.m, r.mStop = vn, e.stop
		default:
			val, _, _ := v.Lookup(p)
			return r, &SyntaxError{Path: p, Pos: Position{vn.Line, vn.Column},
				Msg: fmt.Sprintf("%s must be a mapping, got %s", name, typeName(val))}
		}
	}
	return r, nil
}

// wrap nests val under the keys of path.
func wrap(path []string, val any) any {
	for i := len(path) - 1; i >= 0; i-- {
		val = orderedMap{{path[i], val}}
	}
	return val
}

// yamlSetPath sets path to val, creating what is missing.
func (v *Values) yamlSetPath(path []string, val any) ([]splice, error) {
	r, err := v.ywalk(path)
	if err != nil {
		return nil, err
	}
	switch {
	case r.m == nil:
		return v.yamlFillDocument(wrap(path, val))
	case r.depth == len(path):
		return v.yamlReplaceValue(r.e, val, strings.Join(path, "."))
	case r.empty:
		return v.yamlReplaceValue(r.e, wrap(path[r.depth:], val), strings.Join(path[:r.depth], "."))
	default:
		return v.yamlInsertKey(r.m, r.mStop, path[r.depth], wrap(path[r.depth+1:], val))
	}
}

// yamlFillDocument writes a mapping into a document without content: empty,
// comments only, null or {}.
func (v *Values) yamlFillDocument(val any) ([]splice, error) {
	st := v.detectStyle()
	_, lines, err := v.yamlRender(val, -st.unit, nil)
	if err != nil {
		return nil, err
	}
	text := strings.Join(lines, st.nl)
	if root := v.rootNode(); root != nil && !isImplicitNull(root) {
		// `null`, `~` or `{}` on a line of its own.
		start := v.offset(root.Line, root.Column)
		if root.Column != 1 || root.Style&yaml.TaggedStyle != 0 {
			return nil, &EditError{Pos: Position{root.Line, root.Column},
				Msg: "the document is an empty value written after other text on its line: put it on a line of its own, or replace it by hand"}
		}
		end, ok := v.inlineEnd(start, v.lineEnd(root.Line))
		if !ok {
			return nil, &EditError{Pos: Position{root.Line, root.Column}, Msg: "cannot find the end of the document's value"}
		}
		return []splice{{start, end, text}}, nil
	}
	if v.stop <= v.nlines() {
		// Another document follows: insert before its first line.
		at := v.lineStart(v.stop)
		return []splice{{at, at, text + st.nl}}, nil
	}
	n := len(v.data)
	switch {
	case n == 0 || v.lineStart(v.nlines()) == n && v.nlines() > 1 || bytes.Equal(v.data, []byte("\ufeff")):
		return []splice{{n, n, text + st.nl}}, nil
	default:
		return []splice{{n, n, st.nl + text}}, nil
	}
}

// yamlInsertKey appends key: val to a block mapping, after its last entry.
func (v *Values) yamlInsertKey(m *yaml.Node, mStop int, key string, val any) ([]splice, error) {
	if len(m.Content) < 2 {
		return nil, &EditError{Pos: Position{m.Line, m.Column}, Msg: "unexpected empty mapping"}
	}
	first, lastKey := m.Content[0], m.Content[len(m.Content)-2]
	col := first.Column - 1
	for _, k := range []*yaml.Node{first, lastKey} {
		if !v.startsLine(k) || k.Column != m.Column {
			return nil, &EditError{Pos: Position{k.Line, k.Column},
				Msg: "this key does not start its line: write the mapping in plain block style (key: value) to edit it"}
		}
	}
	end := v.keepEnd(m.Content[len(m.Content)-1], v.regionEnd(lastKey.Line, mStop, lastKey.Column-1), mStop)
	k, err := yamlKey(key)
	if err != nil {
		return nil, err
	}
	st := v.detectStyle()
	inline, lines, err := v.yamlRender(val, col, nil)
	if err != nil {
		return nil, err
	}
	head := strings.Repeat(" ", col) + k + ":"
	var text string
	if lines == nil {
		text = st.nl + head + " " + inline
	} else {
		text = st.nl + head + st.nl + strings.Join(lines, st.nl)
	}
	at := v.lineEnd(end)
	return []splice{{at, at, text}}, nil
}

// startsLine reports whether only spaces precede node n on its line.
func (v *Values) startsLine(n *yaml.Node) bool {
	s := v.data[v.lineStart(n.Line):v.offset(n.Line, n.Column)]
	return len(bytes.TrimLeft(s, " ")) == 0
}

// lastLeaf returns the node written last in n's subtree.
func lastLeaf(n *yaml.Node) *yaml.Node {
	for depth := 0; len(n.Content) > 0 && n.Kind != yaml.AliasNode && depth <= maxDepth; depth++ {
		n = n.Content[len(n.Content)-1]
	}
	return n
}

// keepEnd extends the end of the region of node n over the blank lines that
// a keep-chomped block scalar (|+ or >+) written last in n owns.
func (v *Values) keepEnd(n *yaml.Node, end, stop int) int {
	leaf := lastLeaf(n)
	if leaf.Kind != yaml.ScalarNode || leaf.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return end
	}
	header := v.data[v.offset(leaf.Line, leaf.Column):v.lineEnd(leaf.Line)]
	if i := bytes.IndexByte(header, '#'); i >= 0 {
		header = header[:i]
	}
	if bytes.IndexByte(header, '+') < 0 {
		return end
	}
	last := min(stop-1, v.nlines())
	if last == v.nlines() && v.lineStart(last) == len(v.data) {
		last-- // the empty "line" after a final line break is no line
	}
	for end < last {
		if kind, _ := v.classify(end + 1); kind != lineBlank {
			break
		}
		end++
	}
	return end
}

// colonAfterKey returns the offset just after the ':' that ends a key.
func (v *Values) colonAfterKey(k *yaml.Node) (int, error) {
	if !v.startsLine(k) {
		return 0, &EditError{Pos: Position{k.Line, k.Column},
			Msg: "this key does not start its line: write the mapping in plain block style (key: value) to edit it"}
	}
	off := v.offset(k.Line, k.Column)
	end := v.lineEnd(k.Line)
	d := v.data
	i := off
	if i < end && (d[i] == '"' || d[i] == '\'') {
		q := d[i]
		for i++; i < end; i++ {
			if q == '"' && d[i] == '\\' {
				i++
				continue
			}
			if d[i] == q {
				if q == '\'' && i+1 < end && d[i+1] == '\'' {
					i++
					continue
				}
				i++
				break
			}
		}
	}
	for ; i < end; i++ {
		if d[i] == ':' && (i+1 == end || d[i+1] == ' ' || d[i+1] == '\t') {
			return i + 1, nil
		}
	}
	return 0, &EditError{Pos: Position{k.Line, k.Column}, Msg: "cannot find the ':' after this key on its line: write the key in plain block style to edit it"}
}

// inlineEnd returns the end of a value written on one line from offset
// start: before a comment and trailing blanks. ok is false when the value
// continues on the next line.
func (v *Values) inlineEnd(start, lineEnd int) (int, bool) {
	d := v.data
	depth := 0
	var quote byte
	i := start
scan:
	for ; i < lineEnd; i++ {
		c := d[i]
		switch {
		case quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
		case quote == '\'':
			if c == '\'' {
				if i+1 < lineEnd && d[i+1] == '\'' {
					i++
				} else {
					quote = 0
				}
			}
		case c == '"' || c == '\'':
			if i == start || strings.IndexByte(" \t[{,", d[i-1]) >= 0 {
				quote = c
			}
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == '#' && i > start && (d[i-1] == ' ' || d[i-1] == '\t'):
			break scan
		}
	}
	if quote != 0 || depth != 0 {
		return 0, false
	}
	for i > start && (d[i-1] == ' ' || d[i-1] == '\t') {
		i--
	}
	return i, true
}

// yamlReplaceValue writes val as the value of an existing key.
func (v *Values) yamlReplaceValue(e yentry, val any, path string) ([]splice, error) {
	if err := v.checkAnchors(e.val, path, true); err != nil {
		return nil, err
	}
	st := v.detectStyle()
	keyCol := e.key.Column - 1
	keyLine := e.key.Line
	colon, err := v.colonAfterKey(e.key)
	if err != nil {
		return nil, err
	}
	vn := e.val
	like := vn
	if isEmptyValue(vn) {
		like = nil
	}
	inline, lines, err := v.yamlRender(val, keyCol, like)
	if err != nil {
		return nil, err
	}
	block := st.nl + strings.Join(lines, st.nl)
	lineEnd := v.lineEnd(keyLine)
	if isImplicitNull(vn) {
		if lines == nil {
			return []splice{{colon, colon, " " + inline}}, nil
		}
		return []splice{{lineEnd, lineEnd, block}}, nil
	}
	valEnd := v.keepEnd(vn, v.regionEnd(keyLine, e.stop, keyCol), e.stop)
	if vn.Line == keyLine {
		start := v.offset(vn.Line, vn.Column)
		if valEnd == keyLine {
			if end, ok := v.inlineEnd(start, lineEnd); ok {
				if lines == nil {
					return []splice{{start, end, inline}}, nil
				}
				if len(bytes.TrimSpace(v.data[end:lineEnd])) == 0 {
					return []splice{{colon, lineEnd, block}}, nil
				}
				return []splice{{colon, end, ""}, {lineEnd, lineEnd, block}}, nil
			}
		}
		if lines == nil {
			return []splice{{start, v.lineEnd(valEnd), inline}}, nil
		}
		return []splice{{colon, v.lineEnd(valEnd), block}}, nil
	}
	// The value starts on a later line: a block collection or scalar. Its
	// lines, and the comments among them, are replaced.
	if lines == nil {
		return []splice{{colon, colon, " " + inline}, {lineEnd, v.lineEnd(valEnd), ""}}, nil
	}
	return []splice{{lineEnd, v.lineEnd(valEnd), block}}, nil
}

// dashLine finds the line of the '-' of a block sequence item.
func (v *Values) dashLine(item *yaml.Node, dashCol, from int) (int, bool) {
	for l := item.Line; l >= from; l-- {
		s := v.data[v.lineStart(l):v.lineEnd(l)]
		if len(s) > dashCol && s[dashCol] == '-' && len(bytes.TrimLeft(s[:dashCol], " ")) == 0 &&
			(len(s) == dashCol+1 || s[dashCol+1] == ' ' || s[dashCol+1] == '\t') {
			return l, true
		}
	}
	return 0, false
}

func (v *Values) yamlListEdit(op listOp, index int, entry orderedMap, render []any) ([]splice, error) {
	r, err := v.ywalk(idpsPath)
	if err != nil {
		return nil, err
	}
	var seq *yaml.Node
	if r.m != nil && r.depth == len(idpsPath) && !r.empty {
		seq = r.e.val
	}
	whole := func(list []any) ([]splice, error) { return v.yamlSetPath(idpsPath, list) }
	if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
		switch op {
		case listAppend:
			return whole([]any{entry})
		case listSetAll:
			return whole(render)
		}
		return nil, &EditError{Path: pathIDPs, Msg: "internal error: no entry to change"}
	}
	if op == listSetAll {
		return whole(render)
	}
	if seq.Style&yaml.FlowStyle != 0 {
		// A flow list [ ... ] is rewritten as a block list.
		list := make([]any, 0, len(seq.Content)+1)
		for i, item := range seq.Content {
			p := indexPath(pathIDPs, i)
			if op == listRemove && i == index {
				continue
			}
			if op == listReplace && i == index {
				list = append(list, entry)
				continue
			}
			nv, err := nodeValue(item, p, 0)
			if err != nil {
				return nil, err
			}
			list = append(list, nv)
		}
		if op == listAppend {
			list = append(list, entry)
		}
		return whole(list)
	}
	if op == listRemove && len(seq.Content) == 1 {
		return whole([]any{})
	}
	st := v.detectStyle()
	dashCol := seq.Column - 1
	if seq.Anchor != "" || seq.Style&yaml.TaggedStyle != 0 {
		// The node starts at its anchor or tag: find the first '-' instead.
		f := seq.Content[0]
		before := bytes.TrimRight(v.data[v.lineStart(f.Line):v.offset(f.Line, f.Column)], " ")
		if len(before) > 0 && before[len(before)-1] == '-' && len(bytes.TrimLeft(before[:len(before)-1], " ")) == 0 {
			dashCol = len(before) - 1
		}
	}
	n := len(seq.Content)
	dash := make([]int, n)
	for i, item := range seq.Content {
		from := r.e.key.Line
		if i > 0 {
			from = dash[i-1] + 1
		}
		l, ok := v.dashLine(item, dashCol, from)
		if !ok {
			return nil, &EditError{Path: indexPath(pathIDPs, i), Pos: Position{item.Line, item.Column},
				Msg: "cannot find the '-' of this entry: write the list with one '- ' per entry to edit it"}
		}
		dash[i] = l
	}
	end := func(i int) int {
		stop := r.e.stop
		if i+1 < n {
			stop = dash[i+1]
		}
		return v.keepEnd(seq.Content[i], v.regionEnd(dash[i], stop, dashCol), stop)
	}
	itemOff := st.itemOff
	if f := seq.Content[0]; f.Kind == yaml.MappingNode && f.Line == dash[0] && f.Column-1 > dashCol {
		itemOff = f.Column - 1 - dashCol
	}
	renderItem := func() (string, error) {
		w := yamlWriter{st: st}
		if err := w.sequence([]any{entry}, dashCol, itemOff, ""); err != nil {
			return "", err
		}
		return strings.Join(w.lines, st.nl), nil
	}
	switch op {
	case listReplace:
		item := seq.Content[index]
		if err := v.checkAnchors(item, indexPath(pathIDPs, index), true); err != nil {
			return nil, err
		}
		text, err := renderItem()
		if err != nil {
			return nil, err
		}
		return []splice{{v.lineStart(dash[index]), v.lineEnd(end(index)), text}}, nil
	case listAppend:
		text, err := renderItem()
		if err != nil {
			return nil, err
		}
		last := end(n - 1)
		sep := st.nl
		if n >= 2 && dash[n-1]-1 > end(n-2) && v.allBlank(end(n-2)+1, dash[n-1]-1) {
			sep += st.nl // the entries are separated by blank lines
		}
		at := v.lineEnd(last)
		return []splice{{at, at, sep + text}}, nil
	case listRemove:
		item := seq.Content[index]
		if err := v.checkAnchors(item, indexPath(pathIDPs, index), true); err != nil {
			return nil, err
		}
		from, to := dash[index], end(index)
		// The comment lines right above the '-', at its indentation, are
		// the entry's own and go with it.
		floor := r.e.key.Line
		if index > 0 {
			floor = end(index - 1)
		}
		for from-1 > floor {
			if kind, indent := v.classify(from - 1); kind != lineComment || indent != dashCol {
				break
			}
			from--
		}
		if index+1 < n {
			if to+1 <= dash[index+1]-1 && v.allBlank(to+1, dash[index+1]-1) {
				to = dash[index+1] - 1
			}
		} else if prev := end(index - 1); prev+1 <= from-1 && v.allBlank(prev+1, from-1) {
			from = prev + 1
		}
		// Delete lines from..to with the line break before them, so that the
		// end of the file (final newline or not) stays as it was.
		return []splice{{v.lineEnd(from - 1), v.lineEnd(to), ""}}, nil
	}
	return nil, &EditError{Path: pathIDPs, Msg: "internal error: unknown list edit"}
}

// nodeValue converts a node into values the YAML writer renders, keeping key
// order and the text of plain scalars.
func nodeValue(n *yaml.Node, path string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, &SyntaxError{Path: path, Pos: Position{n.Line, n.Column}, Msg: "nested too deeply"}
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return nil, &EditError{Path: path, Pos: Position{n.Line, n.Column}, Err: ErrAnchor,
			Msg: "the flow-style list must be rewritten as a block list, and this value has an anchor or is an alias: write the list as a block list by hand"}
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := make(orderedMap, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
				return nil, &EditError{Path: path, Pos: Position{k.Line, k.Column}, Err: ErrAnchor,
					Msg: "the flow-style list must be rewritten as a block list, and this entry uses a merge key (<<): write the list as a block list by hand"}
			}
			ks, err := keyString(k, path)
			if err != nil {
				return nil, err
			}
			val, err := nodeValue(n.Content[i+1], joinPath(path, ks), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, mapItem{ks, val})
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			val, err := nodeValue(c, indexPath(path, i), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = val
		}
		return out, nil
	}
	if n.Style == 0 && !strings.ContainsAny(n.Value, "\n\r") && n.Value != "" {
		return rawYAML(n.Value), nil
	}
	return scalarValue(n), nil
}

// rawYAML is a plain scalar written back as it was.
type rawYAML string

// yamlRender renders val as the value of a key at column keyCol: either
// inline text (scalars, [] and {}) or block lines. like, when not nil, is the
// value being replaced: its indentation and quoting are kept.
func (v *Values) yamlRender(val any, keyCol int, like *yaml.Node) (string, []string, error) {
	st := v.detectStyle()
	w := yamlWriter{st: st}
	switch x := val.(type) {
	case orderedMap:
		if len(x) == 0 {
			return "{}", nil, nil
		}
		col := keyCol + st.unit
		if like != nil && like.Kind == yaml.MappingNode && like.Style&yaml.FlowStyle == 0 && like.Column-1 > keyCol {
			col = like.Column - 1
		}
		err := w.mapping(x, col, "")
		return "", w.lines, err
	case []any:
		if len(x) == 0 {
			return "[]", nil, nil
		}
		dash, off := keyCol+st.seqOffset, st.itemOff
		if like != nil && like.Kind == yaml.SequenceNode && like.Style&yaml.FlowStyle == 0 && like.Column-1 >= keyCol {
			dash = like.Column - 1
			if f := like.Content[0]; f.Kind == yaml.MappingNode && f.Line == like.Line && f.Column > like.Column {
				off = f.Column - like.Column
			}
		}
		err := w.sequence(x, max(dash, 0), off, "")
		return "", w.lines, err
	}
	var quote yaml.Style
	if like != nil && like.Kind == yaml.ScalarNode {
		quote = like.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle)
	}
	s, err := yamlScalar(val, quote)
	return s, nil, err
}

// yamlWriter renders values as block YAML lines in a file's style.
type yamlWriter struct {
	st    *textStyle
	lines []string
}

// mapping writes m with keys at column col; first, when set, replaces the
// indentation of the first line (it is "- " for an item).
func (w *yamlWriter) mapping(m orderedMap, col int, first string) error {
	for i, it := range m {
		prefix := strings.Repeat(" ", col)
		if i == 0 && first != "" {
			prefix = first
		}
		k, err := yamlKey(it.Key)
		if err != nil {
			return err
		}
		if err := w.value(prefix+k+":", it.Value, col); err != nil {
			return err
		}
	}
	return nil
}

func (w *yamlWriter) value(head string, val any, keyCol int) error {
	switch x := val.(type) {
	case orderedMap:
		if len(x) == 0 {
			w.lines = append(w.lines, head+" {}")
			return nil
		}
		w.lines = append(w.lines, head)
		return w.mapping(x, keyCol+w.st.unit, "")
	case []any:
		if len(x) == 0 {
			w.lines = append(w.lines, head+" []")
			return nil
		}
		w.lines = append(w.lines, head)
		return w.sequence(x, keyCol+w.st.seqOffset, 2, "")
	}
	s, err := yamlScalar(val, 0)
	if err != nil {
		return err
	}
	w.lines = append(w.lines, head+" "+s)
	return nil
}

// sequence writes items with their '-' at column dash and their content at
// dash+off.
func (w *yamlWriter) sequence(list []any, dash, off int, first string) error {
	for i, it := range list {
		lead := strings.Repeat(" ", dash)
		if i == 0 && first != "" {
			lead = first
		}
		prefix := lead + "-" + strings.Repeat(" ", max(off-1, 1))
		col := len(prefix)
		switch x := it.(type) {
		case orderedMap:
			if len(x) == 0 {
				w.lines = append(w.lines, prefix+"{}")
				continue
			}
			if err := w.mapping(x, col, prefix); err != nil {
				return err
			}
		case []any:
			if len(x) == 0 {
				w.lines = append(w.lines, prefix+"[]")
				continue
			}
			if err := w.sequence(x, col, 2, prefix); err != nil {
				return err
			}
		default:
			s, err := yamlScalar(it, 0)
			if err != nil {
				return err
			}
			w.lines = append(w.lines, prefix+s)
		}
	}
	return nil
}

func yamlKey(k string) (string, error) {
	if k != "<<" && plainSafe(k) {
		return k, nil
	}
	return yamlScalar(k, yaml.DoubleQuotedStyle)
}

// yamlScalar renders a scalar on one line, so that Helm's YAML 1.1 reader
// reads back the same value. quote asks for a quoting style for strings.
func yamlScalar(v any, quote yaml.Style) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan", nil
		case math.IsInf(x, 1):
			return ".inf", nil
		case math.IsInf(x, -1):
			return "-.inf", nil
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if f, ok := resolveYAML11(s).(float64); !ok || f != x {
			s = strconv.FormatFloat(x, 'e', -1, 64)
			if f, ok := resolveYAML11(s).(float64); !ok || f != x {
				return "", errors.New("a number cannot be written in YAML so that it reads back the same")
			}
		}
		return s, nil
	case rawYAML:
		return string(x), nil
	case string:
		if !utf8.ValidString(x) {
			return "", errors.New("a string is not valid UTF-8")
		}
		switch {
		case quote == yaml.SingleQuotedStyle && singleQuoteSafe(x):
			return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
		case quote == 0 && plainSafe(x):
			return x, nil
		}
		return doubleQuote(x), nil
	}
	return "", fmt.Errorf("cannot write a value of Go type %T in YAML", v)
}

// plainSafe reports whether s can be written without quotes and still read
// as the same string, by YAML 1.1 (Helm) and YAML 1.2 readers alike.
// Strings that start like numbers are always quoted.
func plainSafe(s string) bool {
	if s == "" || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`+.0123456789 \t<=~") {
		return false
	}
	last := s[len(s)-1]
	if last == ' ' || last == '\t' || last == ':' {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.Contains(s, ":\t") || strings.Contains(s, "\t#") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfeff || r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff || r == utf8.RuneError {
			return false
		}
	}
	if r, ok := resolveYAML11(s).(string); !ok || r != s {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return false
	}
	return true
}

func singleQuoteSafe(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfeff || r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return !strings.HasPrefix(s, " ") && !strings.HasSuffix(s, " ")
}

// doubleQuote writes s on one line as a YAML double-quoted scalar, which is
// also a JSON string that YAML readers (Helm reads JSON values with one) read
// the same: characters YAML does not print verbatim (control characters,
// DEL, C1 controls, NEL, NBSP, LS, PS, BOM) are escaped.
func doubleQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0xa0 || r == 0xfeff || r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ---------------------------------------------------------------------------
// JSON documents

type jkind byte

const (
	jObject jkind = iota + 1
	jArray
	jString
	jNumber
	jLiteral // true, false, null
)

// jnode is a JSON value with its byte span [start, end).
type jnode struct {
	kind       jkind
	start, end int
	keys       []*jnode // object keys
	vals       []*jnode // object values, array items
}

type jsonParser struct {
	d []byte
	i int
}

// parseJSON parses a whole document that must be one JSON object.
func parseJSON(data []byte) (*jnode, bool) {
	p := &jsonParser{d: data}
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		p.i = 3
	}
	p.space()
	root, ok := p.value(0)
	if !ok || root.kind != jObject {
		return nil, false
	}
	p.space()
	return root, p.i == len(data)
}

func (p *jsonParser) space() {
	for p.i < len(p.d) {
		switch p.d[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*jnode, bool) {
	if p.i >= len(p.d) || depth > maxDepth {
		return nil, false
	}
	n := &jnode{start: p.i}
	switch c := p.d[p.i]; {
	case c == '{':
		n.kind = jObject
		p.i++
		p.space()
		if p.i < len(p.d) && p.d[p.i] == '}' {
			p.i++
			break
		}
		for {
			p.space()
			if p.i >= len(p.d) || p.d[p.i] != '"' {
				return nil, false
			}
			k, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			p.space()
			if p.i >= len(p.d) || p.d[p.i] != ':' {
				return nil, false
			}
			p.i++
			p.space()
			val, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, val)
			p.space()
			if p.i < len(p.d) && p.d[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.d) && p.d[p.i] == '}' {
				p.i++
				break
			}
			return nil, false
		}
	case c == '[':
		n.kind = jArray
		p.i++
		p.space()
		if p.i < len(p.d) && p.d[p.i] == ']' {
			p.i++
			break
		}
		for {
			p.space()
			val, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			n.vals = append(n.vals, val)
			p.space()
			if p.i < len(p.d) && p.d[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.d) && p.d[p.i] == ']' {
				p.i++
				break
			}
			return nil, false
		}
	case c == '"':
		n.kind = jString
		for p.i++; ; p.i++ {
			if p.i >= len(p.d) {
				return nil, false
			}
			switch b := p.d[p.i]; {
			case b == '\\':
				p.i++
			case b == '"':
				p.i++
				n.end = p.i
				if !json.Valid(p.d[n.start:n.end]) {
					return nil, false
				}
				return n, true
			case b < 0x20:
				return nil, false
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		n.kind = jLiteral
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.d[p.i:], []byte(lit)) {
				p.i += len(lit)
				n.end = p.i
				return n, true
			}
		}
		return nil, false
	case c == '-' || c >= '0' && c <= '9':
		n.kind = jNumber
		j := p.i
		for j < len(p.d) && strings.IndexByte("+-0123456789.eE", p.d[j]) >= 0 {
			j++
		}
		if !json.Valid(p.d[p.i:j]) {
			return nil, false
		}
		p.i = j
	default:
		return nil, false
	}
	n.end = p.i
	return n, true
}

// jsonString decodes the string node n.
func (v *Values) jsonString(n *jnode) string {
	raw := v.data[n.start+1 : n.end-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(v.data[n.start:n.end], &s)
	return s
}

// jsonValue converts a JSON node into values, recording positions like
// toValue; parseValues reads the values themselves with yaml.v3, as Helm
// does.
func (v *Values) jsonValue(n *jnode, path string, pos positions, depth int) (any, error) {
	switch n.kind {
	case jObject:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			key := v.jsonString(k)
			p := joinPath(path, key)
			if _, dup := out[key]; dup {
				return nil, &SyntaxError{Path: p, Pos: v.position(k.start), Msg: fmt.Sprintf("key %q appears twice: keep one", key)}
			}
			if pos != nil {
				pos[p] = v.position(k.start)
			}
			val, err := v.jsonValue(n.vals[i], p, pos, depth+1)
			if err != nil {
				return nil, err
			}
			out[key] = val
		}
		return out, nil
	case jArray:
		out := make([]any, len(n.vals))
		for i, it := range n.vals {
			p := indexPath(path, i)
			if pos != nil {
				pos[p] = v.position(it.start)
			}
			val, err := v.jsonValue(it, p, pos, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = val
		}
		return out, nil
	case jString:
		return v.jsonString(n), nil
	}
	return resolveYAML11(string(v.data[n.start:n.end])), nil
}

func (v *Values) detectJSONStyle(st *textStyle) {
	root := v.jroot
	st.jsonIndent = "  "
	if len(root.keys) == 0 {
		return
	}
	sep := v.data[root.start+1 : root.keys[0].start]
	if i := bytes.LastIndexAny(sep, "\r\n"); i >= 0 {
		st.jsonIndent = string(sep[i+1:])
	} else {
		st.jsonIndent = ""
	}
	colon := v.data[root.keys[0].end:root.vals[0].start]
	if bytes.IndexAny(colon, "\r\n") < 0 {
		st.jsonColon = string(colon)
	}
	if st.jsonIndent == "" {
		st.jsonComma = ","
		if strings.HasSuffix(st.jsonColon, " ") {
			st.jsonComma = ", "
		}
		if len(root.keys) > 1 {
			between := v.data[root.vals[0].end:root.keys[1].start]
			if bytes.IndexAny(between, "\r\n") < 0 {
				st.jsonComma = string(between)
			}
		}
	}
}

// lineIndent returns the leading white space of the line holding offset off.
func (v *Values) lineIndent(off int) string {
	l := v.position(off).Line
	s := v.data[v.lineStart(l):v.lineEnd(l)]
	return string(s[:len(s)-len(bytes.TrimLeft(s, " \t"))])
}

// jsonWrite renders a value as JSON in the file's style; base is the
// indentation of the line it starts on.
func (st *textStyle) jsonWrite(b *strings.Builder, val any, base string) error {
	open := func(c byte, n int, item func(i int, in string) error, close byte) error {
		b.WriteByte(c)
		in := base + st.jsonIndent
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(strings.TrimRight(st.jsonComma, " \t\r\n"))
			}
			if st.jsonIndent != "" {
				b.WriteString(st.nl + in)
			} else if i > 0 {
				b.WriteString(strings.TrimLeft(st.jsonComma, ","))
			}
			if err := item(i, in); err != nil {
				return err
			}
		}
		if st.jsonIndent != "" && n > 0 {
			b.WriteString(st.nl + base)
		}
		b.WriteByte(close)
		return nil
	}
	switch x := val.(type) {
	case orderedMap:
		return open('{', len(x), func(i int, in string) error {
			b.WriteString(doubleQuote(x[i].Key))
			b.WriteString(st.jsonColon)
			return st.jsonWrite(b, x[i].Value, in)
		}, '}')
	case []any:
		return open('[', len(x), func(i int, in string) error { return st.jsonWrite(b, x[i], in) }, ']')
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errors.New("JSON cannot hold NaN or infinite numbers")
		}
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		if !utf8.ValidString(x) {
			return errors.New("a string is not valid UTF-8")
		}
		b.WriteString(doubleQuote(x))
	default:
		return fmt.Errorf("cannot write a value of Go type %T in JSON", val)
	}
	return nil
}

func (v *Values) jsonRender(val any, base string) (string, error) {
	var b strings.Builder
	if err := v.detectStyle().jsonWrite(&b, val, base); err != nil {
		return "", &EditError{Path: pathIDPs, Msg: err.Error()}
	}
	return b.String(), nil
}

// jsonSep returns the white space before node n in its container, after the
// preceding ',' or opening bracket.
func (v *Values) jsonSep(n *jnode) string {
	i := n.start
	for i > 0 && strings.IndexByte(" \t\r\n", v.data[i-1]) >= 0 {
		i--
	}
	return string(v.data[i:n.start])
}

func indentAfterBreak(sep string) (string, bool) {
	if i := strings.LastIndexAny(sep, "\r\n"); i >= 0 {
		return sep[i+1:], true
	}
	return "", false
}

func (v *Values) jsonSetPath(path []string, val any) ([]splice, error) {
	obj := v.jroot
	p := ""
	for depth, name := range path {
		p = joinPath(p, name)
		idx := -1
		for i, k := range obj.keys {
			if v.jsonString(k) == name {
				idx = i
			}
		}
		if idx < 0 {
			return v.jsonInsertMember(obj, name, wrap(path[depth+1:], val))
		}
		child := obj.vals[idx]
		rest := path[depth+1:]
		if len(rest) == 0 || child.kind == jLiteral && v.data[child.start] == 'n' {
			text, err := v.jsonRender(wrap(rest, val), v.lineIndent(obj.keys[idx].start))
			if err != nil {
				return nil, err
			}
			return []splice{{child.start, child.end, text}}, nil
		}
		if child.kind != jObject {
			got, _, _ := v.Lookup(p)
			return nil, &SyntaxError{Path: p, Pos: v.position(child.start), Msg: fmt.Sprintf("%s must be a mapping, got %s", name, typeName(got))}
		}
		obj = child
	}
	return nil, &EditError{Msg: "internal error: empty path"}
}

func (v *Values) jsonInsertMember(obj *jnode, key string, val any) ([]splice, error) {
	st := v.detectStyle()
	if len(obj.keys) == 0 {
		base := v.lineIndent(obj.start)
		in := base + st.jsonIndent
		text, err := v.jsonRender(val, in)
		if err != nil {
			return nil, err
		}
		member := doubleQuote(key) + st.jsonColon + text
		if st.jsonIndent == "" {
			return []splice{{obj.start, obj.end, "{" + member + "}"}}, nil
		}
		return []splice{{obj.start, obj.end, "{" + st.nl + in + member + st.nl + base + "}"}}, nil
	}
	last := len(obj.keys) - 1
	sep := v.jsonSep(obj.keys[last])
	base, ok := indentAfterBreak(sep)
	if !ok {
		base = v.lineIndent(obj.keys[last].start)
		if sep == "" {
			sep = strings.TrimLeft(st.jsonComma, ",")
		}
	}
	text, err := v.jsonRender(val, base)
	if err != nil {
		return nil, err
	}
	at := obj.vals[last].end
	return []splice{{at, at, "," + sep + doubleQuote(key) + st.jsonColon + text}}, nil
}

func (v *Values) jsonListEdit(op listOp, index int, entry orderedMap, render []any) ([]splice, error) {
	var arr *jnode
	obj := v.jroot
	for depth, name := range idpsPath {
		var child *jnode
		for i, k := range obj.keys {
			if v.jsonString(k) == name {
				child = obj.vals[i]
			}
		}
		if child == nil {
			break
		}
		if depth == len(idpsPath)-1 {
			arr = child
		} else if child.kind == jObject {
			obj = child
		} else {
			break
		}
	}
	whole := func(list []any) ([]splice, error) { return v.jsonSetPath(idpsPath, list) }
	if arr == nil || arr.kind != jArray || len(arr.vals) == 0 || op == listSetAll {
		switch op {
		case listAppend:
			return whole([]any{entry})
		case listSetAll:
			return whole(render)
		}
		return nil, &EditError{Path: pathIDPs, Msg: "internal error: no entry to change"}
	}
	items := arr.vals
	n := len(items)
	switch op {
	case listReplace:
		text, err := v.jsonRender(entry, v.lineIndent(items[index].start))
		if err != nil {
			return nil, err
		}
		return []splice{{items[index].start, items[index].end, text}}, nil
	case listAppend:
		sep := v.jsonSep(items[n-1])
		base, ok := indentAfterBreak(sep)
		if !ok {
			base = v.lineIndent(items[n-1].start)
			if sep == "" {
				sep = strings.TrimLeft(v.detectStyle().jsonComma, ",")
			}
		}
		text, err := v.jsonRender(entry, base)
		if err != nil {
			return nil, err
		}
		at := items[n-1].end
		return []splice{{at, at, "," + sep + text}}, nil
	case listRemove:
		switch {
		case n == 1:
			return whole([]any{})
		case index < n-1:
			return []splice{{items[index].start, items[index+1].start, ""}}, nil
		default:
			return []splice{{items[index-1].end, items[index].end, ""}}, nil
		}
	}
	return nil, &EditError{Path: pathIDPs, Msg: "internal error: unknown list edit"}
}
