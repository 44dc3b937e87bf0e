package textedit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// Embedded is a document written inside another YAML document at a path:
// the lines of a block mapping (`valuesObject:` and the lines under it) or
// the content of a literal block scalar (`values: |`), indented. Inner is
// that document on its own, its lines dedented, open for every edit of a
// Doc; With splices an edited Inner back into the outer document and
// re-indents only the lines that changed, so every other byte of the outer
// document stays as it was. Positions of Inner map to the outer document.
//
// With checks what it made before accepting it: the outer document parses,
// the embedded region read again from it is Inner's bytes exactly, the
// value at the path is Inner's value (the block scalar's text is Inner's
// text), and every other value of the outer stream is unchanged. Anything
// else is ErrSelfCheck.
//
// Empty values (`values: {}`, `values:`, `values: |` with no lines) get
// their lines under the key; missing values under a path of keys get the
// key first (SetPath). What cannot be edited in place (a JSON outer
// document, a flow mapping, a quoted or folded string, a missing key under
// a list item, lines that do not read alone as they read in the document)
// is still read: Inner then holds the value alone, and With refuses with
// ReadOnly's reason.
type Embedded struct {
	Inner *Doc

	outer *Doc
	path  []any // keys (string) and list indexes (int) from the root
	kind  embedKind
	first int // outer line of Inner's line 1
	n     int // outer lines the region has (0 when empty)
	// indent is how many spaces the region's lines carry before Inner's.
	indent int
	// fill, for an empty embed, is the byte range of the key line's value
	// (`{}`, `null`) removed when content arrives.
	fillStart, fillEnd int

	readOnly string
	node     *yaml.Node // the value's node in outer (nil when missing)
	header   []byte     // embedBelow: the lines above Inner
	byPath   bool       // read only: positions are the outer's, by path

	pos    helmyaml.Positions
	posDoc *Doc
}

type embedKind int

const (
	embedMapping  embedKind = iota // block mapping lines
	embedLiteral                   // literal block scalar content
	embedEmpty                     // empty value: lines to insert after the key
	embedReadOnly                  // read only: Inner is the value alone
	embedBelow                     // the lines below a header (outer nil)
	embedMissing                   // no value yet: With writes the key first
)

// Bytes returns the outer document with Inner spliced in.
func (e *Embedded) Bytes() []byte {
	if e.kind == embedBelow {
		return slices.Concat(e.header, e.Inner.Bytes())
	}
	return e.outer.Bytes()
}

// EmbedBelow opens the document written below the first lines of data, a
// header that is not YAML (`helm get values` prints one).
func EmbedBelow(data []byte, lines int) (*Embedded, error) {
	cut := 0
	for range lines {
		i := bytes.IndexByte(data[cut:], '\n')
		if i < 0 {
			return nil, &SyntaxError{Msg: "nothing below the header"}
		}
		cut += i + 1
	}
	e := &Embedded{kind: embedBelow, first: lines + 1, header: bytes.Clone(data[:cut])}
	in, err := Open(bytes.Clone(data[cut:]), 0)
	if err != nil {
		return nil, e.wrapInner(err)
	}
	e.Inner = in
	return e, nil
}

// Outer returns the outer document as of Inner.
func (e *Embedded) Outer() *Doc { return e.outer }

// ReadOnly returns why edits are refused, or "" when they are made.
func (e *Embedded) ReadOnly() string { return e.readOnly }

// IsString reports whether the values are written as a string (a block
// scalar, or a quoted string) rather than as a mapping.
func (e *Embedded) IsString() bool {
	return e.node != nil && e.node.Kind == yaml.ScalarNode && e.node.Tag != "!!null"
}

// Position maps a position of Inner to the outer document.
func (e *Embedded) Position(p Position) Position {
	switch {
	case !p.IsValid():
		return p
	case e.kind == embedReadOnly:
		if e.byPath {
			return e.outer.Positions().At(pathString(e.path))
		}
		if e.node != nil {
			return Position{Line: e.node.Line, Column: e.node.Column}
		}
		return Position{}
	}
	return Position{Line: e.first + p.Line - 1, Column: p.Column + e.indent}
}

// Positions returns the position in the outer document of every path of
// Inner (the paths of Inner: "oidc.upstreamIDPs[0]").
func (e *Embedded) Positions() helmyaml.Positions {
	if e.posDoc == e.Inner && e.pos != nil {
		return e.pos
	}
	out := helmyaml.Positions{}
	if e.byPath || e.kind == embedReadOnly && e.node != nil && e.node.Kind == yaml.MappingNode {
		prefix := pathString(e.path)
		for p, at := range e.outer.Positions() {
			switch {
			case p == prefix:
				out[""] = at
			case strings.HasPrefix(p, prefix+".") || strings.HasPrefix(p, prefix+"["):
				rest := strings.TrimPrefix(p[len(prefix):], ".")
				out[rest] = at
			}
		}
	} else {
		for p, at := range e.Inner.Positions() {
			out[p] = e.Position(at)
		}
	}
	e.pos, e.posDoc = out, e.Inner
	return out
}

// pathString writes a path as helmyaml.Positions keys it.
func pathString(path []any) string {
	s := ""
	for _, p := range path {
		switch x := p.(type) {
		case string:
			s = helmyaml.JoinPath(s, x)
		case int:
			s = helmyaml.IndexPath(s, x)
		}
	}
	return s
}

// Embed opens the document written at path (keys and list indexes from the
// root) of outer. A path whose value is not a mapping, a string or null is
// a *SyntaxError.
func Embed(outer *Doc, path []any) (*Embedded, error) {
	e := &Embedded{outer: outer, path: path}
	if outer.format == FormatJSON {
		// Read only: the value from the tree, positions by path.
		e.kind, e.readOnly, e.byPath = embedReadOnly, "the document is JSON: pachidp edits values inside YAML manifests only", true
		tree, err := outer.Value()
		if err != nil {
			return nil, err
		}
		val := valueAtPath(tree, path)
		var data []byte
		if s, ok := val.(string); ok {
			data = []byte(s)
		} else if val != nil {
			if data, err = json.Marshal(val); err != nil {
				return nil, &SyntaxError{Path: pathString(path), Msg: "the values cannot be read: " + err.Error()}
			}
		}
		in, err := Open(data, 0)
		if err != nil {
			return nil, err
		}
		e.Inner = in
		return e, nil
	}
	n, key, err := outer.findNode(path)
	if err != nil {
		return nil, err
	}
	e.node = n
	at := pathString(path)
	readOnly := e.asReadOnly
	switch {
	case n == nil && keysOnly(path) != nil:
		// Missing: With writes the key first (`values: {}`), then the
		// values into it.
		in, err := Open(nil, 0)
		if err != nil {
			return nil, err
		}
		e.kind, e.Inner = embedMissing, in
		return e, nil
	case n == nil:
		return readOnly(fmt.Sprintf("%s is not in the document: add it (a mapping) first", at))
	case n.Kind == yaml.AliasNode || n.Anchor != "":
		return readOnly(fmt.Sprintf("%s is a YAML anchor or alias: write the values out to edit them", at))
	case outer.format == FormatJSON:
		return readOnly("the document is JSON: pachidp edits values inside YAML manifests only")
	}
	switch {
	case n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0:
		return e.openRegion(embedMapping, n.Line, n.Column-1, key)
	case n.Kind == yaml.ScalarNode && n.Style&yaml.LiteralStyle != 0:
		return e.openLiteral(n, key)
	case isEmptyValue(n) || isImplicitNull(n) || n.Kind == yaml.ScalarNode && helmyaml.ScalarValue(n) == nil && n.Style == 0:
		if key == nil || !outer.startsLine(key) {
			return readOnly(fmt.Sprintf("%s: the key does not start its line: write it on a line of its own to edit the values", at))
		}
		if !isImplicitNull(n) && n.Line != key.Line {
			return readOnly(fmt.Sprintf("%s: the empty value is not on the key's line: write `%s: {}` to edit the values", at, lastKey(path)))
		}
		e.kind, e.first, e.n, e.indent = embedEmpty, key.Line+1, 0, key.Column-1+2
		if !isImplicitNull(n) {
			start := outer.offset(n.Line, n.Column)
			end, ok := outer.inlineEnd(start, outer.lineEnd(n.Line))
			if !ok {
				return readOnly(fmt.Sprintf("%s: the empty value cannot be replaced in place", at))
			}
			for start > 0 && outer.data[start-1] == ' ' {
				start--
			}
			e.fillStart, e.fillEnd = start, end
		}
		in, err := Open(nil, 0)
		if err != nil {
			return nil, err
		}
		e.Inner = in
		return e, nil
	case n.Kind == yaml.MappingNode:
		return readOnly(fmt.Sprintf("%s is a flow mapping ({...}): write it in block style to edit it", at))
	case n.Kind == yaml.ScalarNode:
		if _, ok := helmyaml.ScalarValue(n).(string); ok {
			return readOnly(fmt.Sprintf("%s is a quoted or folded string: write it as a literal block (%s: |) to edit it", at, lastKey(path)))
		}
	}
	val, _ := helmyaml.ToValue(n, at, nil)
	return nil, &SyntaxError{Path: at, Pos: Position{Line: n.Line, Column: n.Column},
		Msg: fmt.Sprintf("the values must be a mapping or a string of YAML, got %s", helmyaml.TypeName(val))}
}

func lastKey(path []any) string {
	for i := len(path) - 1; i >= 0; i-- {
		if s, ok := path[i].(string); ok {
			return s
		}
	}
	return ""
}

var literalHeader = regexp.MustCompile(`^\|([1-9]?)([-+]?)([1-9]?)[ \t]*(#.*)?$`)

// openLiteral embeds the content of a literal block scalar.
func (e *Embedded) openLiteral(n, key *yaml.Node) (*Embedded, error) {
	o := e.outer
	at := pathString(e.path)
	header := string(o.data[o.offset(n.Line, n.Column):o.lineEnd(n.Line)])
	m := literalHeader.FindStringSubmatch(header)
	if m == nil || key == nil {
		e.kind, e.readOnly = embedReadOnly, fmt.Sprintf("%s: the block scalar's header %q is not one pachidp edits", at, header)
		in, err := Open([]byte(n.Value), 0)
		if err != nil {
			return nil, e.wrapInner(err)
		}
		e.Inner = in
		return e, nil
	}
	first := n.Line + 1
	indent := -1
	if d := m[1] + m[3]; d != "" {
		k, _ := strconv.Atoi(d)
		indent = key.Column - 1 + k
	} else {
		for l := first; l < o.stop && l <= o.nlines(); l++ {
			s := o.data[o.lineStart(l):o.lineEnd(l)]
			sp := leadingSpaces(s)
			if sp < len(s) {
				indent = sp
				break
			}
		}
	}
	if indent <= key.Column-1 {
		// No content: lines to insert under the header.
		e.kind, e.first, e.n, e.indent = embedEmpty, first, 0, key.Column-1+2
		e.fillStart, e.fillEnd = -1, -1
		in, err := Open(nil, 0)
		if err != nil {
			return nil, err
		}
		e.Inner = in
		return e.checkLiteral()
	}
	return e.openRegion(embedLiteral, first, indent, key)
}

func leadingSpaces(s []byte) int {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// openRegion embeds the lines from first on that are indented by indent or
// more (blank lines and, for a mapping, comment lines included), up to the
// last such line that is not blank (nor, for a mapping, a comment).
func (e *Embedded) openRegion(kind embedKind, first, indent int, key *yaml.Node) (*Embedded, error) {
	o := e.outer
	at := pathString(e.path)
	if kind == embedMapping {
		if s := o.data[o.lineStart(first):o.lineEnd(first)]; leadingSpaces(s) != indent {
			e.kind, e.readOnly = embedReadOnly, fmt.Sprintf("%s: the values do not start their line: write the first key on a line of its own to edit them", at)
			val, _ := helmyaml.ToValue(e.node, at, nil)
			data, _ := json.Marshal(val)
			in, err := Open(data, 0)
			if err != nil {
				return nil, e.wrapInner(err)
			}
			e.Inner = in
			return e, nil
		}
	}
	last := first - 1
	for l := first; l < o.stop && l <= o.nlines(); l++ {
		s := o.data[o.lineStart(l):o.lineEnd(l)]
		sp := leadingSpaces(s)
		rest := bytes.TrimLeft(s[sp:], " \t")
		switch {
		case len(rest) == 0:
			continue
		case kind == embedMapping && rest[0] == '#':
			continue
		case sp < indent || kind == embedMapping && (o.isMarker(l, "---") || o.isMarker(l, "...")):
		default:
			last = l
			continue
		}
		break
	}
	if kind == embedMapping {
		// A keep-chomped block scalar written last owns the blank lines
		// after it.
		last = o.keepEnd(e.node, last, o.stop)
	}
	var b bytes.Buffer
	for l := first; l <= last; l++ {
		s := o.data[o.lineStart(l):o.lineStart(l+1)]
		b.Write(s[min(indent, leadingSpaces(s)):])
	}
	e.kind, e.first, e.n, e.indent = kind, first, last-first+1, indent
	in, err := Open(b.Bytes(), 0)
	if err != nil {
		return e.asReadOnly(fmt.Sprintf("%s: the values' lines do not read alone (%v): indent them as a block to edit them", at, e.wrapInner(err)))
	}
	e.Inner = in
	if kind == embedLiteral {
		return e.checkLiteral()
	}
	want, err := helmyaml.ToValue(e.node, at, nil)
	if err != nil {
		return nil, err
	}
	got, err := in.Value()
	if err != nil {
		return e.asReadOnly(fmt.Sprintf("%s: the values' lines do not read alone (%v): indent them as a block to edit them", at, e.wrapInner(err)))
	}
	if p, same := Equal(got, want); !same {
		return e.asReadOnly(fmt.Sprintf("%s: the values' lines do not read alone as they read in the document (at %s): indent them as a block to edit them", at, p))
	}
	return e, nil
}

// checkLiteral holds Inner's text to the block scalar's value.
func (e *Embedded) checkLiteral() (*Embedded, error) {
	if !sameText(string(e.Inner.Bytes()), e.node.Value) {
		return e.asReadOnly(fmt.Sprintf("%s: the block's lines do not read alone as the string they make: indent every line of the block alike to edit it", pathString(e.path)))
	}
	return e, nil
}

// sameText compares a block's lines with the scalar's value, line breaks
// and final line breaks aside (chomping).
func sameText(lines, value string) bool {
	norm := func(s string) string {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
		return strings.TrimRight(s, "\n")
	}
	return norm(lines) == norm(value)
}

// asReadOnly makes the embedding read only, for why: Inner is the value
// alone (a string's text, or a mapping written as JSON).
func (e *Embedded) asReadOnly(why string) (*Embedded, error) {
	n, at := e.node, pathString(e.path)
	e.kind, e.readOnly = embedReadOnly, why
	var data []byte
	if n != nil && n.Kind == yaml.ScalarNode {
		if s, ok := helmyaml.ScalarValue(n).(string); ok {
			data = []byte(s)
		}
	} else if n != nil {
		val, err := helmyaml.ToValue(n, at, nil)
		if err != nil {
			return nil, err
		}
		if data, err = json.Marshal(val); err != nil {
			return nil, &SyntaxError{Path: at, Pos: Position{Line: n.Line, Column: n.Column}, Msg: "the values cannot be read: " + err.Error()}
		}
	}
	in, err := Open(data, 0)
	if err != nil {
		return nil, e.wrapInner(err)
	}
	e.Inner = in
	return e, nil
}

// wrapInner moves the positions of an error of Inner into the outer
// document.
func (e *Embedded) wrapInner(err error) error {
	switch x := err.(type) {
	case *SyntaxError:
		c := *x
		c.Pos = e.Position(c.Pos)
		return &c
	case *EditError:
		c := *x
		c.Pos = e.Position(c.Pos)
		return &c
	}
	return err
}

// MapError moves the position of an error of an edit of Inner into the
// outer document.
func (e *Embedded) MapError(err error) error { return e.wrapInner(err) }

// findNode walks path from the root of the selected document. A missing
// last key gives a nil node; key is the mapping key whose value the node
// is (nil for a list item or the root).
func (v *Doc) findNode(path []any) (n, key *yaml.Node, err error) {
	n = v.rootNode()
	at := ""
	for i, p := range path {
		for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n == nil {
			return nil, nil, nil
		}
		key = nil
		switch x := p.(type) {
		case string:
			at = helmyaml.JoinPath(at, x)
			if n.Kind != yaml.MappingNode {
				return nil, nil, &SyntaxError{Path: at, Pos: Position{Line: n.Line, Column: n.Column}, Msg: "not a mapping"}
			}
			var next *yaml.Node
			for j := 0; j+1 < len(n.Content); j += 2 {
				if k, err := helmyaml.KeyString(n.Content[j], at); err == nil && k == x {
					key, next = n.Content[j], n.Content[j+1]
				}
			}
			if next == nil {
				if i == len(path)-1 {
					return nil, nil, nil
				}
				return nil, nil, nil
			}
			n = next
		case int:
			at = helmyaml.IndexPath(at, x)
			if n.Kind != yaml.SequenceNode || x < 0 || x >= len(n.Content) {
				return nil, nil, nil
			}
			n = n.Content[x]
		}
	}
	return n, key, nil
}

// With returns the embedding with inner, an edit of Inner, spliced into the
// outer document: the lines of Inner that the edit kept keep their outer
// bytes, the others are written indented as the region is.
func (e *Embedded) With(inner *Doc) (*Embedded, error) {
	if inner == e.Inner {
		return e, nil
	}
	if e.readOnly != "" {
		return nil, &EditError{Path: pathString(e.path), Pos: e.Position(Position{Line: 1, Column: 1}), Msg: e.readOnly}
	}
	if e.kind == embedMissing {
		if strings.TrimSpace(string(inner.Bytes())) == "" {
			return e, nil
		}
		withKey, err := e.outer.SetPath(keysOnly(e.path), OrderedMap{})
		if err != nil {
			return nil, e.wrapInner(err)
		}
		empty, err := Embed(withKey, e.path)
		if err != nil || empty.kind != embedEmpty {
			return nil, &EditError{Path: pathString(e.path), Err: ErrSelfCheck, Msg: "internal error: the key written does not read as empty values"}
		}
		empty.Inner = e.Inner
		return empty.With(inner)
	}
	if e.kind == embedBelow {
		c := *e
		c.Inner, c.pos, c.posDoc = inner, nil, nil
		return &c, nil
	}
	o := e.outer
	oldLines, newLines := splitLines(e.Inner.Bytes()), splitLines(inner.Bytes())
	p := 0
	for p < len(oldLines) && p < len(newLines) && oldLines[p] == newLines[p] {
		p++
	}
	s := 0
	for s < len(oldLines)-p && s < len(newLines)-p && oldLines[len(oldLines)-1-s] == newLines[len(newLines)-1-s] {
		s++
	}
	var b strings.Builder
	pad := strings.Repeat(" ", e.indent)
	for _, l := range newLines[p : len(newLines)-s] {
		if strings.TrimRight(l, "\r\n") != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	text := b.String()
	start := o.lineStart(e.first + p)
	end := o.lineStart(e.first + len(oldLines) - s)
	if e.first+len(oldLines)-s > o.nlines() {
		end = len(o.data)
	}
	if e.first+p > o.nlines() {
		start = len(o.data)
	}
	sp := []splice{}
	if start == len(o.data) && len(o.data) > 0 && !endsWithBreak(o.data) && text != "" {
		text = o.lineBreak() + text // the outer document ended without one
	}
	if e.kind == embedEmpty && e.fillStart >= 0 && e.fillEnd > e.fillStart && strings.TrimSpace(string(inner.Bytes())) != "" {
		sp = append(sp, splice{e.fillStart, e.fillEnd, ""})
	}
	if e.kind == embedEmpty && text != "" && !strings.HasSuffix(text, "\n") {
		text += o.lineBreak()
	}
	sp = append(sp, splice{start, end, text})
	out := applySplices(o.data, sp)
	return e.checkWith(out, inner)
}

func endsWithBreak(b []byte) bool {
	return len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r')
}

// lineBreak returns the document's line break.
func (v *Doc) lineBreak() string {
	if bytes.Contains(v.data, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// splitLines splits after each line break (\n, \r\n, \r).
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			out = append(out, string(b))
			break
		}
		j := i + 1
		if b[i] == '\r' && j < len(b) && b[j] == '\n' {
			j++
		}
		out = append(out, string(b[:j]))
		b = b[j:]
	}
	return out
}

// checkWith accepts the new outer bytes only if they read back as the old
// outer document with the value at the path replaced by inner's.
func (e *Embedded) checkWith(out []byte, inner *Doc) (*Embedded, error) {
	at := pathString(e.path)
	fail := func(why string) error {
		return &EditError{Path: at, Err: ErrSelfCheck,
			Msg: "internal error: " + why + "; nothing was changed (please report this with the layout of the file, without its secrets)"}
	}
	nd, err := parseValues(out, e.outer.index, false)
	if err != nil {
		return nil, fail("the manifest does not parse after the edit: " + err.Error())
	}
	ne, err := Embed(nd, e.path)
	if err != nil {
		return nil, fail("the values do not read back: " + err.Error())
	}
	if ne.readOnly != "" || !bytes.Equal(ne.Inner.Bytes(), inner.Bytes()) {
		return nil, fail("the values' lines do not read back as written")
	}
	if e.kind == embedLiteral || e.kind == embedEmpty && e.node.Kind == yaml.ScalarNode && e.node.Style&yaml.LiteralStyle != 0 {
		if !sameText(string(inner.Bytes()), ne.node.Value) {
			return nil, fail("the block's text does not read back as written")
		}
	} else {
		got, err := helmyaml.ToValue(ne.node, at, nil)
		if err != nil {
			return nil, fail(err.Error())
		}
		want, err := inner.Value()
		if err != nil {
			return nil, fail(err.Error())
		}
		if want == nil {
			want = map[string]any{}
		}
		if got == nil {
			got = map[string]any{}
		}
		if p, same := Equal(got, want); !same {
			return nil, fail("the values differ at " + p)
		}
	}
	// The rest of the stream is unchanged.
	if len(nd.docs) != len(e.outer.docs) {
		return nil, fail("the number of documents changed")
	}
	for i := range nd.docs {
		a, err1 := helmyaml.ToValue(e.outer.docs[i], "", nil)
		b, err2 := helmyaml.ToValue(nd.docs[i], "", nil)
		if err1 != nil || err2 != nil {
			return nil, fail("the manifest does not read back")
		}
		if i == e.outer.index {
			a, b = without(a, e.path), without(b, e.path)
		}
		if p, same := Equal(a, b); !same {
			return nil, fail("the manifest changed outside the values at " + p)
		}
	}
	ne.Inner = inner
	return ne, nil
}

// keysOnly returns the path as keys, or nil when it holds a list index
// (SetPath writes keys only).
func keysOnly(path []any) []string {
	out := make([]string, 0, len(path))
	for _, p := range path {
		k, ok := p.(string)
		if !ok {
			return nil
		}
		out = append(out, k)
	}
	return out
}

// valueAtPath returns the value at a path of keys and indexes.
func valueAtPath(tree any, path []any) any {
	for _, p := range path {
		switch x := p.(type) {
		case string:
			m, _ := tree.(map[string]any)
			tree = m[x]
		case int:
			l, _ := tree.([]any)
			if x < 0 || x >= len(l) {
				return nil
			}
			tree = l[x]
		}
	}
	return tree
}

// without returns a copy of tree with the value at path set to nil.
func without(tree any, path []any) any {
	if len(path) == 0 {
		return nil
	}
	switch x := tree.(type) {
	case map[string]any:
		k, ok := path[0].(string)
		if !ok {
			return tree
		}
		out := make(map[string]any, len(x))
		for kk, vv := range x {
			out[kk] = vv
		}
		if _, has := out[k]; has || len(path) == 1 {
			out[k] = without(out[k], path[1:])
		}
		return out
	case []any:
		i, ok := path[0].(int)
		if !ok || i < 0 || i >= len(x) {
			return tree
		}
		out := append([]any(nil), x...)
		out[i] = without(out[i], path[1:])
		return out
	}
	return tree
}
