package textedit

import (
	"bytes"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
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
// every splice, in the old bytes [winStart, winEnd); for an edit of
// oidc.upstreamIDPs that stays within its items, the run of items instead
// (localListCheck), so that an upsert into a long list parses one or two
// items. The edited document is
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
	checkNone      checkKind = iota
	checkLocal               // top-level entries
	checkLocalList           // items of oidc.upstreamIDPs
	checkFull
)

// localCheck applies the local check to out, the old bytes with the splices
// sp (sorted, as applySplices leaves them) applied, which must read as the
// old document with path set to want. It returns the new Values when it
// proves the edit, and nil when it cannot: the caller then runs the full
// check.
func (v *Doc) localCheck(out []byte, sp []splice, path []string, want any) *Doc {
	if v.format != FormatYAML || len(sp) == 0 || len(path) == 0 {
		return nil
	}
	root := v.rootNode()
	if !plainBlock(root, yaml.MappingNode) || len(root.Content) < 2 || hasMergeKey(root) != nil {
		return nil
	}
	lo, hi := sp[0].start, sp[0].end
	for _, s := range sp {
		lo, hi = min(lo, s.start), max(hi, s.end)
	}
	loLine, hiLine := v.position(lo).Line, v.position(max(lo, hi-1)).Line
	// Directives before the change (%TAG changes what tags mean).
	for l := 1; l <= loLine; l++ {
		if s := v.lineStart(l); s < len(v.data) && v.data[s] == '%' {
			return nil
		}
	}
	if len(path) == 2 {
		if nv := v.localListCheck(out, lo, hi, loLine, hiLine, root, path, want); nv != nil {
			nv.lastCheck = checkLocalList
			return nv
		}
	}
	nv := v.localRootCheck(out, lo, hi, loLine, hiLine, root, path, want)
	if nv != nil {
		nv.lastCheck = checkLocal
	}
	return nv
}

// localRootCheck checks a window of top-level entries.
func (v *Doc) localRootCheck(out []byte, lo, hi, loLine, hiLine int, root *yaml.Node, path []string, want any) *Doc {
	keys := len(root.Content) / 2
	first, last := -1, -1
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
	startKey := root.Content[2*first]
	if !v.startsAt(startKey, c) {
		return nil
	}
	nextLine := v.stop
	if last+1 < keys {
		next := root.Content[2*(last+1)]
		if !v.startsAt(next, c) {
			return nil
		}
		nextLine = next.Line
	}
	win := v.window(out, lo, hi, startKey.Line, nextLine, c)
	if win == nil {
		return nil
	}
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
		if ks, err := helmyaml.KeyString(root.Content[2*i], ""); err != nil || ks == path[0] {
			return nil
		}
	}
	wroot := parseWindow(win, yaml.MappingNode, c)
	if wroot == nil {
		return nil
	}
	top, err := v.TopValue(path[0])
	if err != nil {
		return nil
	}
	ic := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
	o := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: oldEntries}
	if _, same, fallback := ic.sameExcept(o, wroot, map[string]any{path[0]: top}, path, want, ""); !same || fallback {
		return nil
	}
	moveLines(wroot, startKey.Line-1, 0)
	return v.rebuild(out, nil, root, 2*first, 2*(last+1), wroot.Content, nextLine)
}

// localListCheck checks a window of items of oidc.upstreamIDPs, a block
// sequence under block mappings. The argument of localRootCheck holds one
// level down: the parser's state where the window starts is the old parse's
// (the first item's '-' starts its line at the list's column d, the
// indentation stack holds the ancestors' columns, all at most d, and the
// list's), and the standalone parse opens a sequence at d, so that every
// line indented at least d reads the same in both (the ancestors' columns
// only matter to a token left of d, and window refuses a line that is not
// a comment and is indented less than d). The window ends where the next
// item's '-' or the next key of an ancestor starts its line at a column at
// most d. A list written at its key's column (`key:\n- a`), which YAML
// reads without an indentation of its own, only makes the standalone parse
// stricter: a key at column d inside the window ends that list in the
// document but is an error in the standalone parse.
func (v *Doc) localListCheck(out []byte, lo, hi, loLine, hiLine int, root *yaml.Node, path []string, want any) *Doc {
	wl, ok := want.([]any)
	if !ok {
		return nil
	}
	e1, ok := v.yfind(root, v.stop, path[0])
	if !ok || !plainBlock(e1.val, yaml.MappingNode) || hasMergeKey(e1.val) != nil {
		return nil
	}
	e2, ok := v.yfind(e1.val, e1.stop, path[1])
	seq := e2.val
	if !ok || !plainBlock(seq, yaml.SequenceNode) || len(seq.Content) == 0 {
		return nil
	}
	next := e2.stop
	if next <= v.nlines() {
		// The line where the list's region ends starts with a key of the
		// oidc mapping or of the root, at most as indented as the list.
		var k *yaml.Node
		for _, m := range []*yaml.Node{e1.val, root} {
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i].Line == next {
					k = m.Content[i]
				}
			}
			if k != nil {
				break
			}
		}
		if k == nil || !v.startsAt(k, k.Column-1) || k.Column > seq.Column {
			return nil
		}
	} else if next != v.stop {
		return nil
	}
	d := seq.Column - 1
	n := len(seq.Content)
	dash := make([]int, n)
	first, last := -1, -1
	for i, item := range seq.Content {
		from := e2.key.Line + 1
		if i > 0 {
			from = dash[i-1] + 1
		}
		l, ok := v.dashLine(item, d, from)
		if !ok {
			return nil
		}
		dash[i] = l
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
	nextLine := next
	if last+1 < n {
		nextLine = dash[last+1]
	}
	win := v.window(out, lo, hi, dash[first], nextLine, d)
	if win == nil {
		return nil
	}
	for _, item := range seq.Content[first : last+1] {
		if hasAnchorOrAlias(item, 0) {
			return nil
		}
	}
	wseq := parseWindow(win, yaml.SequenceNode, d)
	if wseq == nil {
		return nil
	}
	// The list must read as want: the items outside the window are the old
	// nodes, so they read as the old items; the window's items are read.
	top, err := v.TopValue(path[0])
	if err != nil {
		return nil
	}
	om, _ := top.(map[string]any)
	old, _ := om[path[1]].([]any)
	added := len(wseq.Content) - (last + 1 - first)
	if len(old) != n || len(wl) != n+added {
		return nil
	}
	for k := range n {
		if k >= first && k <= last {
			continue
		}
		j := k
		if k > last {
			j += added
		}
		if _, same := firstDiff(old[k], wl[j], ""); !same {
			return nil
		}
	}
	for m, item := range wseq.Content {
		p := helmyaml.IndexPath(strings.Join(path, "."), first+m)
		tv, err := helmyaml.ToValue(item, p, nil)
		if err != nil {
			return nil
		}
		if _, same := firstDiff(tv, wl[first+m], p); !same {
			return nil
		}
	}
	moveLines(wseq, dash[first]-1, 0)
	return v.rebuild(out, []*yaml.Node{root, e1.val}, seq, first, last+1, wseq.Content, nextLine)
}

// plainBlock reports a block collection of the kind, without tag or anchor.
func plainBlock(n *yaml.Node, kind yaml.Kind) bool {
	tag := "!!map"
	if kind == yaml.SequenceNode {
		tag = "!!seq"
	}
	return n != nil && n.Kind == kind && n.Style == 0 && n.Anchor == "" && n.Tag == tag
}

// startsAt reports whether node n starts its line at column col (0-based),
// after spaces only.
func (v *Doc) startsAt(n *yaml.Node, col int) bool {
	return n.Column == col+1 && v.startsLine(n)
}

// window returns the edited bytes of old lines [from, to) (to may be past the
// last line), which must hold the changed bytes [lo, hi), when the local
// check may parse them on their own: no document marker or directive, no
// byte order mark or CR LF pair across its start, a line break at its end
// when text follows, and no line but blank and comment lines indented less
// than col (by spaces). nil otherwise.
func (v *Doc) window(out []byte, lo, hi, from, to, col int) []byte {
	winStart, winEnd := v.lineStart(from), v.lineStart(to)
	if lo < winStart || hi > winEnd {
		return nil
	}
	delta := len(out) - len(v.data)
	if winEnd+delta < winStart {
		return nil
	}
	win := out[winStart : winEnd+delta]
	d := v.data
	if bytes.HasPrefix(win, []byte("\ufeff")) || winStart > 0 && d[winStart-1] == '\r' && bytes.HasPrefix(win, []byte("\n")) {
		return nil
	}
	if winEnd < len(d) && (len(win) == 0 || win[len(win)-1] != '\n' && win[len(win)-1] != '\r') {
		return nil
	}
	for i := 0; i < len(win); {
		rest := win[i:]
		if rest[0] == '%' {
			return nil
		}
		if len(rest) >= 3 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) &&
			(len(rest) == 3 || bytes.IndexByte([]byte(" \t\r\n"), rest[3]) >= 0 || rest[3] >= 0x80) {
			return nil
		}
		j := bytes.IndexAny(rest, "\r\n\u0085\u2028\u2029")
		line := rest
		if j >= 0 {
			line = rest[:j]
		}
		sp := 0
		for sp < len(line) && line[sp] == ' ' {
			sp++
		}
		if text := bytes.TrimLeft(line[sp:], " \t"); sp < col && len(text) > 0 && text[0] != '#' {
			return nil
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	return win
}

// parseWindow parses a window on its own: it must be one document holding a
// block collection of the kind whose first child starts at line 1, column
// col+1, without anchors or aliases. nil otherwise.
//
// Like Open, it parses without the comment lines where that is proven
// to read the same (parseWithoutComments): Pachyderm's oidc section is
// mostly commented-out examples.
func parseWindow(win []byte, kind yaml.Kind, col int) *yaml.Node {
	w := &Doc{data: win, lines: lineStarts(win, true)}
	docs, _ := w.parseWithoutComments()
	if docs == nil {
		var err error
		if docs, err = decodeYAMLStream(win); err != nil {
			return nil
		}
	}
	if len(docs) != 1 || len(docs[0].Content) != 1 {
		return nil
	}
	n := docs[0].Content[0]
	if !plainBlock(n, kind) || len(n.Content) == 0 || n.Line != 1 || n.Column != col+1 || hasAnchorOrAlias(n, 0) {
		return nil
	}
	return n
}

// rebuild returns the new Values once the local check has proven the edit:
// out's lines, and the old nodes with the children [a, b) of c replaced by
// repl (already on their lines). c hangs from the root through the mappings
// of spine (root first); the nodes after the window, in c, its ancestors and
// the following documents, are moved by the change in line count, as
// copies: the old Values stays as it was (RemoveUpstreamIDP restores it).
// next is the old line where the window ended.
func (v *Doc) rebuild(out []byte, spine []*yaml.Node, c *yaml.Node, a, b int, repl []*yaml.Node, next int) *Doc {
	lines := lineStarts(out, true)
	shift := len(lines) - len(v.lines)
	chain := append(slices.Clip(spine), c) // containers, root first
	// index of the child followed at each level but the last
	idx := make([]int, len(chain)-1)
	for i := range idx {
		p, child := chain[i], chain[i+1]
		idx[i] = slices.Index(p.Content, child)
		if idx[i] < 0 {
			return nil
		}
	}
	var later []*yaml.Node
	if v.index+1 < len(v.docs) {
		later = v.docs[v.index+1:]
	}
	tails := make([][]*yaml.Node, len(chain))
	for i, n := range chain {
		if i == len(chain)-1 {
			tails[i] = n.Content[b:]
		} else {
			tails[i] = n.Content[idx[i]+1:]
		}
	}
	if shift != 0 {
		var all []*yaml.Node
		for _, t := range tails {
			all = append(all, t...)
		}
		cp := newCopier(append(all, later...))
		for i := range tails {
			tails[i] = cp.copyAll(tails[i], shift)
		}
		later = cp.copyAll(later, shift)
		cp.fixAliases()
	}
	last := len(chain) - 1
	nc := *chain[last]
	nc.Content = slices.Concat(chain[last].Content[:a], repl, tails[last])
	child := &nc
	for i := last - 1; i >= 0; i-- {
		np := *chain[i]
		np.Content = slices.Concat(chain[i].Content[:idx[i]], []*yaml.Node{child}, tails[i])
		child = &np
	}
	newDoc := *v.doc
	newDoc.Content = []*yaml.Node{child}
	newDocs := slices.Concat(v.docs[:v.index], []*yaml.Node{&newDoc}, later)
	stop := v.stop
	if stop >= next {
		stop += shift
	}
	return &Doc{data: out, format: v.format, index: v.index, lines: lines, docs: newDocs, doc: &newDoc,
		stop: stop, style: v.style, FullCheck: v.FullCheck}
}

// hasAnchorOrAlias reports an anchor or an alias at or under n.
func hasAnchorOrAlias(n *yaml.Node, depth int) bool {
	if n.Anchor != "" || n.Kind == yaml.AliasNode || depth > helmyaml.MaxDepth {
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
	if n.Kind == yaml.AliasNode || depth > helmyaml.MaxDepth {
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
