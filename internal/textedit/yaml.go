package textedit

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// ---------------------------------------------------------------------------
// YAML edits

// yentry is one key of a block mapping and the line where its lines stop
// (the next key's line, or the end of the mapping).
type yentry struct {
	key, val *yaml.Node
	stop     int
}

// yfind looks a key up among the direct keys of a block mapping.
func (v *Doc) yfind(m *yaml.Node, stop int, name string) (yentry, bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		ks, err := helmyaml.KeyString(k, "")
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

func (v *Doc) rootNode() *yaml.Node {
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

// ywalk follows path from the root through block mappings, refusing what an
// edit cannot change in place without changing other places: an alias or an
// anchor some alias uses on the way (ErrAnchor), a key that comes from a
// merge key, flow-style mappings; a value on the way that is not a mapping
// is a *SyntaxError. It only reads the nodes.
func (v *Doc) ywalk(path []string) (ywalkResult, error) {
	root := v.rootNode()
	if root == nil || isEmptyValue(root) {
		return ywalkResult{}, nil
	}
	if err := v.checkAnchors(root, "", false); err != nil {
		return ywalkResult{}, err
	}
	if root.Style&yaml.FlowStyle != 0 {
		return ywalkResult{}, &EditError{Pos: Position{Line: root.Line, Column: root.Column},
			Msg: "the document is a flow-style mapping { ... }: write it in block style (one key per line) to edit it"}
	}
	r := ywalkResult{m: root, mStop: v.stop}
	p := ""
	for r.depth < len(path) {
		name := path[r.depth]
		p = helmyaml.JoinPath(p, name)
		e, ok := v.yfind(r.m, r.mStop, name)
		if !ok {
			if k := hasMergeKey(r.m); k != nil {
				if _, merged := v.valueAt(path[:r.depth+1]); merged {
					return r, &EditError{Path: p, Pos: Position{Line: k.Line, Column: k.Column}, Err: ErrAnchor,
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
			return r, &EditError{Path: p, Pos: Position{Line: vn.Line, Column: vn.Column},
				Msg: "is a flow-style mapping { ... }: write it in block style (one key per line) to edit it"}
		case vn.Kind == yaml.MappingNode:
			r.m, r.mStop = vn, e.stop
		default:
			val, _ := v.valueAt(path[:r.depth])
			return r, &SyntaxError{Path: p, Pos: Position{Line: vn.Line, Column: vn.Column},
				Msg: fmt.Sprintf("%s must be a mapping, got %s", name, helmyaml.TypeName(val))}
		}
	}
	return r, nil
}

// wrap nests val under the keys of path.
func wrap(path []string, val any) any {
	for i := len(path) - 1; i >= 0; i-- {
		val = OrderedMap{{path[i], val}}
	}
	return val
}

// yamlSetPath sets path to val, creating what is missing.
func (v *Doc) yamlSetPath(path []string, val any) ([]splice, error) {
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
func (v *Doc) yamlFillDocument(val any) ([]splice, error) {
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
			return nil, &EditError{Pos: Position{Line: root.Line, Column: root.Column},
				Msg: "the document is an empty value written after other text on its line: put it on a line of its own, or replace it by hand"}
		}
		end, ok := v.inlineEnd(start, v.lineEnd(root.Line))
		if !ok {
			return nil, &EditError{Pos: Position{Line: root.Line, Column: root.Column}, Msg: "cannot find the end of the document's value"}
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
func (v *Doc) yamlInsertKey(m *yaml.Node, mStop int, key string, val any) ([]splice, error) {
	if len(m.Content) < 2 {
		return nil, &EditError{Pos: Position{Line: m.Line, Column: m.Column}, Msg: "unexpected empty mapping"}
	}
	first, lastKey := m.Content[0], m.Content[len(m.Content)-2]
	col := first.Column - 1
	for _, k := range []*yaml.Node{first, lastKey} {
		if !v.startsLine(k) || k.Column != m.Column {
			return nil, &EditError{Pos: Position{Line: k.Line, Column: k.Column},
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
func (v *Doc) startsLine(n *yaml.Node) bool {
	s := v.data[v.lineStart(n.Line):v.offset(n.Line, n.Column)]
	return len(bytes.TrimLeft(s, " ")) == 0
}

// lastLeaf returns the node written last in n's subtree.
func lastLeaf(n *yaml.Node) *yaml.Node {
	for depth := 0; len(n.Content) > 0 && n.Kind != yaml.AliasNode && depth <= helmyaml.MaxDepth; depth++ {
		n = n.Content[len(n.Content)-1]
	}
	return n
}

// keepEnd extends the end of the region of node n over the blank lines that
// a keep-chomped block scalar (|+ or >+) written last in n owns.
func (v *Doc) keepEnd(n *yaml.Node, end, stop int) int {
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
func (v *Doc) colonAfterKey(k *yaml.Node) (int, error) {
	if !v.startsLine(k) {
		return 0, &EditError{Pos: Position{Line: k.Line, Column: k.Column},
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
	return 0, &EditError{Pos: Position{Line: k.Line, Column: k.Column}, Msg: "cannot find the ':' after this key on its line: write the key in plain block style to edit it"}
}

// inlineEnd returns the end of a value written on one line from offset
// start: before a comment and trailing blanks. ok is false when the value
// continues on the next line.
func (v *Doc) inlineEnd(start, lineEnd int) (int, bool) {
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

// yamlReplaceValue writes val as the value of an existing key: an inline
// value is replaced on its line (a trailing comment stays), a value on the
// lines below the key is replaced with its lines (comments among them
// included, those after it at the key's indentation or less excluded), and
// `key:` with nothing gets the value. A replaced value's indentation and
// quoting style are kept (yamlRender's like). It refuses a value that is an
// alias or holds an anchor some alias uses (ErrAnchor), and a key that does
// not start its line; commit checks the result reads as intended.
func (v *Doc) yamlReplaceValue(e yentry, val any, path string) ([]splice, error) {
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
func (v *Doc) dashLine(item *yaml.Node, dashCol, from int) (int, bool) {
	for l := item.Line; l >= from; l-- {
		s := v.data[v.lineStart(l):v.lineEnd(l)]
		if len(s) > dashCol && s[dashCol] == '-' && len(bytes.TrimLeft(s[:dashCol], " ")) == 0 &&
			(len(s) == dashCol+1 || s[dashCol+1] == ' ' || s[dashCol+1] == '\t') {
			return l, true
		}
	}
	return 0, false
}

// yamlListEdit returns the splices for a list edit of a YAML document.
//
// What it does: it finds the list's block sequence (ywalk) and the line of
// every item's '-' (dashLine), and each item's region: from its dash line to
// the last line before the next item that is not blank and not a comment at
// the dash's indentation or less (regionEnd; keepEnd extends it over the
// blank lines a |+ block scalar owns). ListReplace rewrites one item's
// region, ListAppend inserts a rendered item after the last region (with a
// blank line when the items are separated by one), ListRemove deletes one
// region with the comment lines right above its dash and one separating
// blank line. A missing, empty or null list, ListSetAll and removing the
// last item write the whole value through yamlSetPath; a flow list [ ... ]
// is rewritten as a block list (nodeValue keeps its plain scalars as
// written).
//
// Why that is safe: the rendered item takes the dash column and content
// offset of the list itself, so it joins the same sequence; regions never
// overlap and end before the next item's dash or the key after the list,
// so the splices touch no other item, key or comment; items that are, hold,
// or are pointed to by anchors are refused (checkAnchors), as is a list
// whose dashes cannot be found. And commit re-reads the result and refuses
// it unless it reads as the old document with exactly newList at path.
func (v *Doc) yamlListEdit(path []string, op ListOp, index int, entry OrderedMap, render []any) ([]splice, error) {
	r, err := v.ywalk(path)
	if err != nil {
		return nil, err
	}
	var seq *yaml.Node
	if r.m != nil && r.depth == len(path) && !r.empty {
		seq = r.e.val
	}
	whole := func(list []any) ([]splice, error) { return v.yamlSetPath(path, list) }
	if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
		switch op {
		case ListAppend:
			return whole([]any{entry})
		case ListSetAll:
			return whole(render)
		}
		return nil, &EditError{Path: v.editPath, Msg: "internal error: no entry to change"}
	}
	if op == ListSetAll {
		return whole(render)
	}
	if seq.Style&yaml.FlowStyle != 0 {
		// A flow list [ ... ] is rewritten as a block list.
		list := make([]any, 0, len(seq.Content)+1)
		for i, item := range seq.Content {
			p := helmyaml.IndexPath(v.editPath, i)
			if op == ListRemove && i == index {
				continue
			}
			if op == ListReplace && i == index {
				list = append(list, entry)
				continue
			}
			nv, err := nodeValue(item, p, 0)
			if err != nil {
				return nil, err
			}
			list = append(list, nv)
		}
		if op == ListAppend {
			list = append(list, entry)
		}
		return whole(list)
	}
	if op == ListRemove && len(seq.Content) == 1 {
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
			return nil, &EditError{Path: helmyaml.IndexPath(v.editPath, i), Pos: Position{Line: item.Line, Column: item.Column},
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
	case ListReplace:
		item := seq.Content[index]
		if err := v.checkAnchors(item, helmyaml.IndexPath(v.editPath, index), true); err != nil {
			return nil, err
		}
		// Only the keys whose value changes, when the item allows it.
		stop := r.e.stop
		if index+1 < n {
			stop = dash[index+1]
		}
		if sp, ok := v.yamlPatchMapping(item, stop, entry, helmyaml.IndexPath(v.editPath, index), 0); ok {
			return sp, nil
		}
		text, err := renderItem()
		if err != nil {
			return nil, err
		}
		return []splice{{v.lineStart(dash[index]), v.lineEnd(end(index)), text}}, nil
	case ListAppend:
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
	case ListRemove:
		item := seq.Content[index]
		if err := v.checkAnchors(item, helmyaml.IndexPath(v.editPath, index), true); err != nil {
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
	return nil, &EditError{Path: v.editPath, Msg: "internal error: unknown list edit"}
}

// nodeValue converts a node into values the YAML writer renders, keeping key
// order and the text of plain scalars.
func nodeValue(n *yaml.Node, path string, depth int) (any, error) {
	if depth > helmyaml.MaxDepth {
		return nil, &SyntaxError{Path: path, Pos: Position{Line: n.Line, Column: n.Column}, Msg: "nested too deeply"}
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return nil, &EditError{Path: path, Pos: Position{Line: n.Line, Column: n.Column}, Err: ErrAnchor,
			Msg: "the flow-style list must be rewritten as a block list, and this value has an anchor or is an alias: write the list as a block list by hand"}
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := make(OrderedMap, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
				return nil, &EditError{Path: path, Pos: Position{Line: k.Line, Column: k.Column}, Err: ErrAnchor,
					Msg: "the flow-style list must be rewritten as a block list, and this entry uses a merge key (<<): write the list as a block list by hand"}
			}
			ks, err := helmyaml.KeyString(k, path)
			if err != nil {
				return nil, err
			}
			val, err := nodeValue(n.Content[i+1], helmyaml.JoinPath(path, ks), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, MapItem{ks, val})
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			val, err := nodeValue(c, helmyaml.IndexPath(path, i), depth+1)
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
	return helmyaml.ScalarValue(n), nil
}

// rawYAML is a plain scalar written back as it was.
type rawYAML string

// yamlRender renders val as the value of a key at column keyCol: either
// inline text (scalars, [] and {}) or block lines. like, when not nil, is the
// value being replaced: its indentation and quoting are kept.
func (v *Doc) yamlRender(val any, keyCol int, like *yaml.Node) (string, []string, error) {
	st := v.detectStyle()
	w := yamlWriter{st: st}
	switch x := val.(type) {
	case OrderedMap:
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
func (w *yamlWriter) mapping(m OrderedMap, col int, first string) error {
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
	case OrderedMap:
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
		case OrderedMap:
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
		if f, ok := helmyaml.ResolveYAML11(s).(float64); !ok || f != x {
			s = strconv.FormatFloat(x, 'e', -1, 64)
			if f, ok := helmyaml.ResolveYAML11(s).(float64); !ok || f != x {
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
	if r, ok := helmyaml.ResolveYAML11(s).(string); !ok || r != s {
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
