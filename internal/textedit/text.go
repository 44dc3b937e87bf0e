package textedit

import (
	"bytes"
	"fmt"
	"slices"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

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

func (v *Doc) nlines() int { return len(v.lines) }

// lineStart is the offset of the first byte of line l (1-based).
func (v *Doc) lineStart(l int) int {
	if l > len(v.lines) {
		return len(v.data)
	}
	return v.lines[l-1]
}

// lineEnd is the offset of the line break ending line l, or the end of data.
func (v *Doc) lineEnd(l int) int {
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
// yaml.v3 does) into a byte offset. It costs at most a block of the line
// (colBlock bytes), not the line: see contBefore.
func (v *Doc) offset(line, col int) int {
	off := v.lineStart(line)
	end := v.lineEnd(line)
	want := col - 1 // characters before the one at col
	if end-off > 2*colBlock && want > colBlock {
		// Start from the last block boundary with at most want characters
		// before it, then skip the rest of a character it cuts.
		ls := off
		lo, hi := off/colBlock+1, end/colBlock // boundaries inside the line
		for lo <= hi {
			mid := (lo + hi) / 2
			if b := mid * colBlock; v.chars(ls, b) <= want {
				off, lo = b, mid+1
			} else {
				hi = mid - 1
			}
		}
		want -= v.chars(ls, off)
		if off > ls {
			// chars counted the character a cut one starts: skip its
			// remaining bytes.
			for off < end && v.data[off]&0xC0 == 0x80 {
				off++
			}
		}
	}
	for c := 0; c < want && off < end; c++ {
		_, size := utf8.DecodeRune(v.data[off:end])
		off += size
	}
	return off
}

// position converts a byte offset into a line and column. It costs a binary
// search and at most a block (colBlock bytes): a document written on one
// line (the compact JSON of helm get values -o json) is read in time linear
// in its size, where counting the characters from the start of the line for
// every value was quadratic (14 s at 843 KB).
func (v *Doc) position(off int) Position {
	l, found := slices.BinarySearch(v.lines, off)
	if !found {
		l--
	}
	if l < 0 {
		return Position{Line: 1, Column: 1}
	}
	return Position{Line: l + 1, Column: v.chars(v.lines[l], off) + 1}
}

// colBlock is the size of the blocks of contBefore's index.
const colBlock = 256

// chars returns the number of characters that start in data[from:to]: for
// valid UTF-8 (which parseValues requires), utf8.RuneCount of the bytes.
func (v *Doc) chars(from, to int) int {
	return (to - from) - (v.contBefore(to) - v.contBefore(from))
}

// contBefore returns the number of UTF-8 continuation bytes (10xxxxxx) in
// data[:off], from an index of their count at every colBlock bytes, built on
// first use in one pass over the data (8 bytes per block), and a scan of at
// most one block.
func (v *Doc) contBefore(off int) int {
	if v.cont == nil {
		v.cont = make([]int, len(v.data)/colBlock+1)
		c := 0
		for k := 1; k < len(v.cont); k++ {
			c += continuations(v.data[(k-1)*colBlock : k*colBlock])
			v.cont[k] = c
		}
	}
	k := off / colBlock
	return v.cont[k] + continuations(v.data[k*colBlock:off])
}

// continuations counts the UTF-8 continuation bytes of b.
func continuations(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 == 0x80 {
			n++
		}
	}
	return n
}

type lineKind int

const (
	lineBlank lineKind = iota
	lineComment
	lineMarker // "---" or "..." at column 1
	lineContent
)

// classify reports what line l holds and its indentation.
func (v *Doc) classify(l int) (lineKind, int) {
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

func (v *Doc) isMarker(l int, m string) bool {
	s := v.data[v.lineStart(l):v.lineEnd(l)]
	return bytes.HasPrefix(s, []byte(m)) && (len(s) == 3 || s[3] == ' ' || s[3] == '\t')
}

// regionEnd returns the last line of a region that starts at line start and
// ends before line stop, owned by a key or dash at indentation owner: blank
// lines, and comments indented no deeper than owner, at its end belong to
// what follows.
func (v *Doc) regionEnd(start, stop, owner int) int {
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

func (v *Doc) allBlank(from, to int) bool {
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

// detectStyle detects, once, the layout inserted text follows: the line
// break, and for YAML the most frequent mapping indentation, sequence
// offset (dash column minus key column) and item offset over the block
// collections of the document (flow collections and anchored values do not
// count), for JSON the indentation and separators (detectJSONStyle). It
// only reads; a wrong guess changes how new text looks, never what it
// reads as, which commit checks.
func (v *Doc) detectStyle() *textStyle {
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
			if depth > helmyaml.MaxDepth {
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
func (v *Doc) aliasTargets() map[*yaml.Node]bool {
	if v.targets != nil {
		return v.targets
	}
	t := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > helmyaml.MaxDepth {
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
func (v *Doc) checkAnchors(n *yaml.Node, path string, whole bool) error {
	if n.Kind == yaml.AliasNode {
		a := n.Alias
		msg := fmt.Sprintf("is an alias (*%s)", n.Value)
		if a != nil {
			msg += fmt.Sprintf(" of the value at line %d", a.Line)
		}
		return &EditError{Path: path, Pos: Position{Line: n.Line, Column: n.Column}, Err: ErrAnchor,
			Msg: msg + ": an edit here would have to break it; write the value out in place of the alias, or edit the anchored value by hand"}
	}
	targets := v.aliasTargets()
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if found != nil || depth > helmyaml.MaxDepth {
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
		return &EditError{Path: path, Pos: Position{Line: found.Line, Column: found.Column}, Err: ErrAnchor,
			Msg: fmt.Sprintf("holds the anchor &%s, which aliases elsewhere in the file use: an edit here would change them too; write the aliased values out first", found.Anchor)}
	}
	return nil
}
