package pachidp

import (
	"bytes"
	"slices"

	"gopkg.in/yaml.v3"
)

// The local self-check.
//
// commit must prove that the edited bytes read as the old document with only
// the intended change. The full check (Values.FullCheck) parses the whole
// edited document again, comments included, and compares it node by node
// with the old one. The local check proves the same with a parse of only the
// window the splices touched, so that an edit costs what it touched:
//
// The window is the run of top-level entries (keys of the document's root
// block mapping, each from its key's line to the next key's line) that hold
// every splice, in the old bytes [winStart, winEnd). The edited document is
// prefix + window' + suffix, where prefix and suffix are the old bytes,
// copied by applySplices: they are unchanged by construction. window' is
// parsed on its own, as a document, and compared node by node with the old
// entries except at the edited path (sameExcept, as in the full check).
//
// Why that is as safe as parsing everything again. A YAML parser reads the
// stream left to right; the prefix is the same bytes, so its state where the
// window starts is the state the old parse had there, and the old parse
// tells what it is: the first window key starts its line at the root
// mapping's column c, so the parser is at the start of a line, outside any
// scalar or flow collection, with the indentation stack [stream, root at c]
// and every deeper block collection of the previous entry closed. A parse of
// window' alone starts from the stream's start and opens a block mapping at
// column c on its first key: the same stack, so window' reads the same in
// both (the lines and columns are the same bytes; tabs and CRLF included).
// Where window' ends, the standalone parse meets the end of the stream; the
// edited document meets the line of the next top-level key (or the end of
// the document: a "---"/"..." line or the end of the stream), whose first
// character is at column c (checked on the old parse): that closes every
// block collection deeper than c, ends a plain scalar and a block scalar
// (whose content must be indented deeper than c), as the end of the stream
// does; and a quoted scalar or flow collection still open at the end of
// window' fails the standalone parse. So no line of window' becomes a
// continuation of a block scalar or of an indentation that re-parents the
// next key, and from the next key on the parser is in the state the old
// parse had there: the suffix reads as before, shifted by the change in
// line count. window' must end with a line break when a suffix follows, so
// that the next key still starts its line.
//
// What the argument does not cover falls back to the full check:
//   - a line of window' that is a document marker ("---" or "...") or a
//     directive ('%' at column 0), which act on the document rather than
//     inside the mapping, and directives anywhere before the window (%TAG
//     changes what tags mean);
//   - a byte order mark at the start of window' (the standalone parse would
//     read it as the stream's encoding mark);
//   - a window' that starts with a line feed after an old carriage return
//     (the CR LF pair would join two lines);
//   - anchors and aliases in the old window or in window': an alias in the
//     suffix may point to an anchor of the window, and an alias in window'
//     may point into the prefix, so the nodes are only the same if compared
//     across the document;
//   - a root that is not a plain block mapping at the start of its key
//     lines (flow style, tag, anchor, merge key <<, complex keys), a splice
//     outside the root's entries (the header, an empty document), the key
//     being edited also written outside the window (a duplicate key), JSON
//     documents, and any difference found: the full check then confirms the
//     refusal and names the path.
//
// The differential tests (TestLocalCheckAgrees, FuzzLocalCheck) run both
// checks on the same splices and require that the local check never accepts
// what the full check refuses, and that both give the same document.

// checkKind records which check accepted the last committed edit (for tests).
type checkKind int

const (
	checkNone checkKind = iota
	checkLocal
	checkFull
)

// localCheck applies the local check to out, the old bytes with the splices
// sp (sorted, as applySplices leaves them) applied, which must read as the
// old document with path set to want. It returns the new Values when it
// proves the edit, and nil when it cannot: the caller then runs the full
// check.
func (v *Values) localCheck(out []byte, sp []splice, path []string, want any) *Values {
	if v.format != FormatYAML || len(sp) == 0 || len(path) == 0 {
		return nil
	}
	root := v.rootNode()
	if root == nil || root.Kind != yaml.MappingNode || root.Style != 0 || root.Anchor != "" ||
		root.Tag != "!!map" || len(root.Content) < 2 || hasMergeKey(root) != nil {
		return nil
	}
	lo, hi := sp[0].start, sp[0].end
	for _, s := range sp {
		lo, hi = min(lo, s.start), max(hi, s.end)
	}
	keys := len(root.Content) / 2
	lineOf := func(off int) int { return v.position(off).Line }
	first, last := -1, -1
	loLine, hiLine := lineOf(lo), lineOf(max(lo, hi-1))
	for i := range keys {
		l := root.Content[2*i].Line
		if l <= loLine {
			first = i
		}
		if l <= hiLine {
			last = i
		}
	}
	if first < 0 || last < first {
		return nil
	}
	c := root.Column - 1
	atColumn := func(k *yaml.Node) bool { return k.Column == root.Column && v.startsLine(k) }
	startKey := root.Content[2*first]
	if !atColumn(startKey) {
		return nil
	}
	winStart := v.lineStart(startKey.Line)
	var winEnd, nextLine int
	if last+1 < keys {
		next := root.Content[2*(last+1)]
		if !atColumn(next) {
			return nil
		}
		nextLine = next.Line
	} else {
		nextLine = v.stop
	}
	winEnd = v.lineStart(nextLine)
	if lo < winStart || hi > winEnd {
		return nil
	}
	delta := len(out) - len(v.data)
	if winEnd+delta < winStart {
		return nil
	}
	win := out[winStart : winEnd+delta]
	d := v.data
	// Directives before the window, and a BOM or a CR LF pair at its start.
	for l := 1; l < startKey.Line; l++ {
		if s := v.lineStart(l); s < len(d) && d[s] == '%' {
			return nil
		}
	}
	if bytes.HasPrefix(win, []byte("\ufeff")) || winStart > 0 && d[winStart-1] == '\r' && bytes.HasPrefix(win, []byte("\n")) {
		return nil
	}
	if winEnd < len(d) && (len(win) == 0 || win[len(win)-1] != '\n' && win[len(win)-1] != '\r') {
		return nil
	}
	// Markers and directives inside the window.
	for i := 0; i < len(win); {
		rest := win[i:]
		if len(rest) > 0 && rest[0] == '%' {
			return nil
		}
		if len(rest) >= 3 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) &&
			(len(rest) == 3 || bytes.IndexByte([]byte(" \t\r\n"), rest[3]) >= 0 || rest[3] >= 0x80) {
			return nil
		}
		j := bytes.IndexAny(rest, "\r\n\u0085\u2028\u2029")
		if j < 0 {
			break
		}
		i += j + 1
	}
	// The old entries of the window: no anchors or aliases.
	oldEntries := root.Content[2*first : 2*(last+1)]
	for _, n := range oldEntries {
		if hasAnchorOrAlias(n, 0) {
			return nil
		}
	}
	// The edited key must not be written outside the window.
	for i := range keys {
		if i >= first && i <= last {
			continue
		}
		if ks, err := keyString(root.Content[2*i], ""); err != nil || ks == path[0] {
			return nil
		}
	}
	docs, err := decodeYAMLStream(win)
	if err != nil || len(docs) != 1 || len(docs[0].Content) != 1 {
		return nil
	}
	wroot := docs[0].Content[0]
	if wroot.Kind != yaml.MappingNode || wroot.Style != 0 || wroot.Anchor != "" || wroot.Tag != "!!map" ||
		len(wroot.Content) < 2 || wroot.Content[0].Line != 1 || wroot.Content[0].Column != c+1 || hasAnchorOrAlias(wroot, 0) {
		return nil
	}
	oidc, err := v.oidcValue()
	if err != nil {
		return nil
	}
	ic := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
	o := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: oldEntries}
	if _, same, fallback := ic.sameExcept(o, wroot, map[string]any{keyOIDC: oidc}, path, want, ""); !same || fallback {
		return nil
	}

	// Proven. Build the new Values: the old nodes before the window, the
	// window's nodes moved to their lines, and the nodes after it moved by
	// the change in line count (copies: the old Values may be restored).
	lines := lineStarts(out, true)
	shift := len(lines) - len(v.lines)
	moveLines(wroot, startKey.Line-1, 0)
	tail := root.Content[2*(last+1):]
	var later []*yaml.Node
	if v.index+1 < len(v.docs) {
		later = v.docs[v.index+1:]
	}
	if shift != 0 {
		cp := newCopier(append(slices.Clip(tail), later...))
		tail = cp.copyAll(tail, shift)
		later = cp.copyAll(later, shift)
		cp.fixAliases()
	}
	content := make([]*yaml.Node, 0, 2*first+len(wroot.Content)+len(tail))
	content = append(content, root.Content[:2*first]...)
	content = append(content, wroot.Content...)
	content = append(content, tail...)
	newRoot := *root
	newRoot.Content = content
	newDoc := *v.doc
	newDoc.Content = []*yaml.Node{&newRoot}
	newDocs := make([]*yaml.Node, 0, len(v.docs))
	newDocs = append(newDocs, v.docs[:v.index]...)
	newDocs = append(newDocs, &newDoc)
	newDocs = append(newDocs, later...)
	stop := v.stop
	if stop >= nextLine {
		stop += shift
	}
	return &Values{data: out, format: v.format, index: v.index, lines: lines, docs: newDocs, doc: &newDoc,
		stop: stop, style: v.style, FullCheck: v.FullCheck}
}

// hasAnchorOrAlias reports an anchor or an alias at or under n.
func hasAnchorOrAlias(n *yaml.Node, depth int) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode || depth > maxDepth {
		return true
	}
	for _, c := range n.Content {
		if hasAnchorOrAlias(c, depth+1) {
			return true
		}
	}
	return false
}

// moveLines adds shift to the line of n and every node under it.
func moveLines(n *yaml.Node, shift, depth int) {
	n.Line += shift
	if n.Kind == yaml.AliasNode || depth > maxDepth {
		return
	}
	for _, c := range n.Content {
		moveLines(c, shift, depth+1)
	}
}

// copier copies node trees into two allocations, keeping aliases pointing to
// the copies of their anchors.
type copier struct {
	nodes []yaml.Node
	ptrs  []*yaml.Node
	twin  map[*yaml.Node]*yaml.Node // anchored old node -> copy
	alias []*yaml.Node              // copied aliases
}

func newCopier(roots []*yaml.Node) *copier {
	var count, refs int
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		count++
		if n.Kind == yaml.AliasNode {
			return
		}
		refs += len(n.Content)
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return &copier{nodes: make([]yaml.Node, 0, count), ptrs: make([]*yaml.Node, 0, refs+len(roots))}
}

// copyAll copies the trees of list, moved by shift lines, and returns the
// list of copies.
func (cp *copier) copyAll(list []*yaml.Node, shift int) []*yaml.Node {
	out := cp.ptrs[len(cp.ptrs) : len(cp.ptrs)+len(list) : len(cp.ptrs)+len(list)]
	cp.ptrs = cp.ptrs[:len(cp.ptrs)+len(list)]
	for i, n := range list {
		out[i] = cp.copy(n, shift)
	}
	return out
}

func (cp *copier) copy(n *yaml.Node, shift int) *yaml.Node {
	cp.nodes = append(cp.nodes, *n)
	c := &cp.nodes[len(cp.nodes)-1]
	c.Line += shift
	if n.Anchor != "" {
		if cp.twin == nil {
			cp.twin = map[*yaml.Node]*yaml.Node{}
		}
		cp.twin[n] = c
	}
	if n.Kind == yaml.AliasNode {
		cp.alias = append(cp.alias, c)
		return c
	}
	if len(n.Content) > 0 {
		c.Content = cp.copyAll(n.Content, shift)
	}
	return c
}

// fixAliases points the copied aliases to the copies of their anchors.
func (cp *copier) fixAliases() {
	for _, a := range cp.alias {
		if t, ok := cp.twin[a.Alias]; ok {
			a.Alias = t
		}
	}
}
