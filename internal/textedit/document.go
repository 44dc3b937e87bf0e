package textedit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// Doc is one YAML or JSON document (or one document of a YAML stream) open
// for byte-preserving edits. An edit returns a new Doc and leaves the old one
// as it was, so a caller undoes a series of edits by keeping the first Doc.
// A Doc is not safe for concurrent use (it caches what it reads).
type Doc struct {
	// FullCheck makes every edit check its result by parsing the whole
	// edited document again, comments included, and comparing it node by
	// node with the old one. By default an edit parses again only the
	// top-level entries, or the items of a list two keys deep, that its
	// splices touched and proves the rest unchanged by construction
	// (localCheck in local.go), and runs the full check wherever that proof
	// does not apply: both accept and refuse the same edits, which the fuzz
	// targets verify by making every edit both ways.
	FullCheck bool

	data   []byte
	format Format
	index  int   // selected document of the stream
	lines  []int // byte offset where line i+1 starts
	cont   []int // continuation bytes before each colBlock (contBefore)
	pos    helmyaml.Positions

	// The document as Helm reads it (map[string]any or nil), built on first
	// use; top is the value of the top-level key topKey alone, for edits.
	tree     any
	treeDone bool
	treeErr  error // what Helm's reader refuses in the document, found at Open
	topKey   string
	top      any
	topDone  bool

	editPath string // the path of the edit being made, for its errors

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

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseValues parses a document. opening asks for the checks and the speed
// of Open (the root's OpenDocument): a parse without comment lines (verified) and a walk that
// finds what helmyaml.ToValue would refuse; commit parses its result faithfully.
func parseValues(data []byte, index int, opening bool) (*Doc, error) {
	if index < 0 {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: pass 0 or more", index)}
	}
	v := &Doc{data: data, index: index}
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
			if v.tree, err = helmyaml.ToValue(docs[0], "", nil); err != nil {
				if !helmRefusal(err) {
					return nil, err
				}
				v.treeErr = err
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
	return v.selectDoc(index, opening)
}

// Select returns document index of the same stream, without parsing it
// again (a stream of many manifests is parsed once).
func (v *Doc) Select(index int) (*Doc, error) {
	if index < 0 {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: pass 0 or more", index)}
	}
	if v.format == FormatJSON {
		if index != 0 {
			return nil, &SyntaxError{Msg: fmt.Sprintf("document index %d: a JSON input holds one document, index 0", index)}
		}
		return v, nil
	}
	if index == v.index {
		return v, nil
	}
	c := &Doc{data: v.data, format: v.format, lines: v.lines, docs: v.docs, index: index}
	return c.selectDoc(index, true)
}

// selectDoc selects document index of the parsed stream and, when opening,
// checks it as Open does.
func (v *Doc) selectDoc(index int, opening bool) (*Doc, error) {
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
		if err := helmyaml.CheckDocumentAliases(v.doc); err != nil {
			return nil, err
		}
		if !readable(v.doc, 0) {
			if _, err := helmyaml.ToValue(v.doc, "", nil); err != nil {
				if !helmRefusal(err) {
					return nil, err
				}
				// YAML that Helm's reader refuses: the document opens,
				// and reading its values gives the error (a finding for
				// the validator, not a reason to stop).
				v.treeErr, v.treeDone = err, true
			}
		}
		for r.Kind == yaml.AliasNode && r.Alias != nil {
			r = r.Alias
		}
		if r.Kind != yaml.MappingNode && !(r.Kind == yaml.ScalarNode && helmyaml.ScalarValue(r) == nil) {
			val, _ := helmyaml.ToValue(r, "", nil)
			return nil, &SyntaxError{Pos: Position{Line: r.Line, Column: r.Column},
				Msg: fmt.Sprintf("a values document must be a mapping, got %s", helmyaml.TypeName(val))}
		}
	}
	return v, nil
}

// helmRefusal reports whether err is YAML that Helm's reader refuses (a
// null key, .inf, a tag its value does not fit), rather than a document
// that cannot be read at all.
func helmRefusal(err error) bool { return helmyaml.RefusedByHelm(err) }

// readable reports whether helmyaml.ToValue would read the node: no key twice in a
// mapping, keys that are scalars, merge keys (<<) on mappings, known aliases,
// no nesting deeper than helmyaml.ToValue's limit. When it says no, helmyaml.ToValue names the
// problem. It builds nothing, so Open need not read every value.
func readable(n *yaml.Node, depth int) bool {
	if depth > helmyaml.MaxDepth {
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
			key, err := helmyaml.KeyString(k, "")
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
		for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < helmyaml.MaxDepth; i++ {
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

// Value returns the whole document as Helm reads it, built on first use.
func (v *Doc) Value() (any, error) {
	if v.treeErr != nil {
		return nil, v.treeErr
	}
	if !v.treeDone && v.doc != nil {
		tree, err := helmyaml.ToValue(v.doc, "", nil)
		if err != nil {
			return nil, err
		}
		v.tree = tree
	}
	v.treeDone = true
	return v.tree, nil
}

// TopValue returns the value of the top-level key as Helm reads it, reading
// only that key when the root holds no merge key (the last key asked for is
// kept).
func (v *Doc) TopValue(key string) (any, error) {
	if v.treeErr != nil {
		return nil, v.treeErr
	}
	if v.treeDone || v.format == FormatJSON {
		root, _ := v.tree.(map[string]any)
		return root[key], nil
	}
	if v.topDone && v.topKey == key {
		return v.top, nil
	}
	v.top, v.topKey, v.topDone = nil, key, false
	root := v.rootNode()
	for root != nil && root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	if root == nil || root.Kind != yaml.MappingNode {
		v.topDone = true
		return nil, nil
	}
	if hasMergeKey(root) != nil {
		tree, err := v.Value()
		if err != nil {
			return nil, err
		}
		m, _ := tree.(map[string]any)
		return m[key], nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, err := helmyaml.KeyString(root.Content[i], ""); err == nil && k == key {
			val, err := helmyaml.ToValue(root.Content[i+1], key, nil)
			if err != nil {
				return nil, err
			}
			v.top = val // no break: a key written twice keeps its last value
		}
	}
	v.topDone = true
	return v.top, nil
}

// valueAt returns the value at a path of keys, as Helm reads it.
func (v *Doc) valueAt(keys []string) (any, bool) {
	cur, err := v.Value()
	if err != nil {
		return nil, false
	}
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
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
// and helmyaml.Positions do not move. A comment line is a line whose first non-blank
// character is '#'; since such a line inside a scalar is content (block and
// quoted scalars) or ends it (plain scalars), the result is kept only if no
// emptied line lies within a scalar written over several lines. Lines under a
// block scalar header are never emptied. nil means: parse faithfully.
func (v *Doc) parseWithoutComments() ([]*yaml.Node, error) {
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
func (v *Doc) noEmptiedLineInScalars(docs []*yaml.Node, emptied []int) bool {
	nodes := make([]*yaml.Node, 0, len(v.lines))
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > helmyaml.MaxDepth {
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
func (v *Doc) keepsBreaks(n *yaml.Node) bool {
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
func (v *Doc) singleLine(n *yaml.Node) bool {
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

// helmyaml.Positions returns the position of every path of the document, computed on
// first use.
func (v *Doc) Positions() helmyaml.Positions {
	if v.pos != nil {
		return v.pos
	}
	pos := helmyaml.Positions{}
	switch {
	case v.format == FormatJSON:
		_, _ = v.jsonValue(v.jroot, "", pos, 0)
	case v.doc != nil:
		_, _ = helmyaml.ToValue(v.doc, "", pos)
	}
	v.pos = pos
	return pos
}
