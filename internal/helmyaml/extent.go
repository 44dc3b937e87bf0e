package helmyaml

// Where a node of a yaml.v3 tree is in the bytes it was parsed from: the
// byte offset of a position (yaml.v3 counts lines and characters) and the
// byte range a scalar's text takes, whatever its style (plain on one line
// or several, quoted, block). The redaction of secrets (pachidp's
// RedactText) blanks those ranges; nothing here knows what a secret is.

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Text is a YAML or JSON text with the offsets of its lines, to turn the
// positions yaml.v3 gives its nodes into byte offsets.
type Text struct {
	data  []byte
	lines []int // byte offset where line i+1 starts

	// A cursor: the last position converted, so that positions asked in
	// document order cost the bytes between them, not the whole line.
	curLine, curCol, curOff int
}

// NewText indexes the lines of data. Line breaks are yaml.v3's: "\r\n",
// "\r", "\n", and U+0085, U+2028, U+2029. A byte order mark at the start
// takes no column (yaml.v3 skips it).
func NewText(data []byte) *Text {
	t := &Text{data: data}
	start := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	t.lines = append(t.lines, start)
	for i := start; i < len(data); {
		switch c := data[i]; {
		case c == '\n':
			i++
		case c == '\r':
			i++
			if i < len(data) && data[i] == '\n' {
				i++
			}
		case c == 0xc2 && i+1 < len(data) && data[i+1] == 0x85,
			c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			if c == 0xc2 {
				i += 2
			} else {
				i += 3
			}
		default:
			i++
			continue
		}
		t.lines = append(t.lines, i)
	}
	return t
}

// Len returns the length of the text in bytes.
func (t *Text) Len() int { return len(t.data) }

// lineEnd returns the offset of the line break that ends line l (1-based),
// or the end of the text.
func (t *Text) lineEnd(l int) int {
	if l < len(t.lines) {
		end := t.lines[l]
		// Back over the break itself.
		for end > t.lines[l-1] {
			c := t.data[end-1]
			if c == '\n' || c == '\r' {
				end--
				continue
			}
			if c == 0x85 && end >= 2 && t.data[end-2] == 0xc2 {
				end -= 2
			} else if (c == 0xa8 || c == 0xa9) && end >= 3 && t.data[end-3] == 0xe2 && t.data[end-2] == 0x80 {
				end -= 3
			}
			break
		}
		return end
	}
	return len(t.data)
}

// line returns the 1-based line of offset off.
func (t *Text) line(off int) int {
	lo, hi := 0, len(t.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// Offset returns the byte offset of a 1-based line and column (columns in
// characters, as yaml.v3 counts them), clamped to the text.
func (t *Text) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(t.lines) {
		return len(t.data)
	}
	off, c := t.lines[line-1], 1
	if t.curLine == line && t.curCol <= col && t.curCol > 0 {
		off, c = t.curOff, t.curCol
	}
	end := t.lineEnd(line)
	for c < col && off < end {
		_, size := utf8.DecodeRune(t.data[off:end])
		off += size
		c++
	}
	t.curLine, t.curCol, t.curOff = line, c, off
	return off
}

// NodeOffset returns the byte offset where n starts.
func (t *Text) NodeOffset(n *yaml.Node) int { return t.Offset(n.Line, n.Column) }

// skipProperties returns the offset after a node's anchor and tag (&a,
// !!str, !<tag>) and the blanks after them, where its text starts.
func (t *Text) skipProperties(off, bound int) int {
	d := t.data
	for off < bound && (d[off] == '&' || d[off] == '!') {
		for off < bound && !isBlank(d[off]) && d[off] != '\n' && d[off] != '\r' {
			off++
		}
		for off < bound && isBlankOrBreak(d[off]) {
			off++
		}
	}
	return off
}

func isBlank(c byte) bool        { return c == ' ' || c == '\t' }
func isBlankOrBreak(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// ScalarExtent returns the byte range [start, end) of the text of scalar n
// (its quotes, block header and lines included; its anchor and tag too),
// given bound, the offset where the next node of the document starts (or
// the end of the document), and whether n is inside a flow collection
// (JSON is all flow). exact is false when the range was cut at bound
// rather than found by the scalar's own syntax: it then covers the scalar
// and maybe comments and indicators after it, never less than the scalar.
func (t *Text) ScalarExtent(n *yaml.Node, bound int, flow bool) (start, end int, exact bool) {
	return t.ScalarExtentAt(n, t.NodeOffset(n), bound, flow)
}

// ScalarExtentAt is ScalarExtent for a node whose offset (NodeOffset) the
// caller has: a text with many nodes on one line then costs no walk from
// the line's start per node.
func (t *Text) ScalarExtentAt(n *yaml.Node, start, bound int, flow bool) (_, end int, exact bool) {
	bound = max(min(bound, len(t.data)), start)
	s := t.skipProperties(start, bound)
	d := t.data
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && s < bound && d[s] == '"':
		for i := s + 1; i < bound; i++ {
			if d[i] == '\\' {
				i++
				continue
			}
			if d[i] == '"' {
				return start, i + 1, true
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0 && s < bound && d[s] == '\'':
		for i := s + 1; i < bound; i++ {
			if d[i] == '\'' {
				if i+1 < bound && d[i+1] == '\'' {
					i++
					continue
				}
				return start, i + 1, true
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return start, t.blockEnd(s, bound), false
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0:
		end, exact = t.plainEnd(s, bound, flow)
		return start, end, exact
	}
	return start, t.trimBound(start, bound, flow), false
}

// plainEnd returns the end of a plain scalar starting at s: on its line,
// before a comment (" #") and, in flow, before , [ ] { } and ": "; then on
// the lines after it, the continuation lines, up to a comment line, a
// document marker or bound. exact is true for a scalar on one line.
func (t *Text) plainEnd(s, bound int, flow bool) (int, bool) {
	d := t.data
	end := s
	first := t.line(s)
	for l := first; l <= len(t.lines); l++ {
		from := s
		if l > first {
			from = t.lines[l-1]
			if from >= bound {
				break
			}
			lineText := d[from:min(t.lineEnd(l), bound)]
			trimmed := bytes.TrimLeft(lineText, " \t")
			if len(trimmed) == 0 {
				continue // a blank line folds into the scalar
			}
			if trimmed[0] == '#' || !flow && from+len(lineText)-len(trimmed) == from && (bytes.HasPrefix(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("..."))) {
				break
			}
			if !flow && t.line(bound) == l && bound < t.lineEnd(l) {
				// The next node's own line: in block context a scalar
				// never continues on it.
				break
			}
			from += len(lineText) - len(trimmed)
		}
		stop := min(t.lineEnd(l), bound)
		i := from
		for ; i < stop; i++ {
			c := d[i]
			if c == '#' && i > from && isBlank(d[i-1]) {
				break
			}
			if c == ':' && (i+1 == stop || isBlank(d[i+1]) || flow && strings.IndexByte(",[]{}", d[i+1]) >= 0) {
				break
			}
			if flow && strings.IndexByte(",[]{}", c) >= 0 {
				break
			}
		}
		for i > from && isBlank(d[i-1]) {
			i--
		}
		if i > from {
			end = i
		}
		if i < stop || stop == bound {
			return end, l == first
		}
	}
	return end, false
}

// blockEnd returns the end of a block scalar (| or >) whose header starts
// at s: its last content line, before bound, a document marker and the
// comment lines less indented than its content after it.
func (t *Text) blockEnd(s, bound int) int {
	d := t.data
	first := t.line(s)
	end := min(t.lineEnd(first), bound)
	header := d[s:end]
	if i := bytes.IndexByte(header, '#'); i >= 0 {
		header = header[:i]
	}
	if bytes.ContainsAny(header, "123456789") {
		// An explicit indentation, relative to a parent this does not
		// know: the scalar runs to the next node.
		return t.trimBound(s, bound, false)
	}
	indent := -1
	for l := first + 1; l <= len(t.lines); l++ {
		from := t.lines[l-1]
		if from >= bound {
			break
		}
		lineText := d[from:min(t.lineEnd(l), bound)]
		trimmed := bytes.TrimLeft(lineText, " ")
		if len(bytes.TrimSpace(trimmed)) == 0 {
			continue
		}
		ind := len(lineText) - len(trimmed)
		if ind == 0 && (bytes.HasPrefix(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("..."))) {
			break
		}
		if indent < 0 {
			indent = ind
		}
		if ind < indent {
			break // the scalar ended: comments or the next node follow
		}
		end = from + len(bytes.TrimRight(lineText, " \t\r"))
	}
	return end
}

// trimBound returns the end of a node cut at bound: bound, less the
// indicators and blanks before it on its line (and , in flow).
func (t *Text) trimBound(start, bound int, flow bool) int {
	d := t.data
	end := bound
	for end > start {
		c := d[end-1]
		if isBlankOrBreak(c) || c == '-' && (end-1 == start || isBlankOrBreak(d[end-2])) || c == '?' || flow && strings.IndexByte(",[]{}:", c) >= 0 {
			end--
			continue
		}
		break
	}
	return end
}

// Span is the range of source bytes [Start, End) one byte of a scalar's
// value was written as: one byte, or an escape sequence ("\u0063"), or a
// doubled quote.
type Span struct{ Start, End int }

// ValueSpans maps each byte of the value of scalar n, whose text is
// data[start:end] (ScalarExtent), to the source bytes it was written as,
// for the styles where each value byte has its own source bytes: plain and
// quoted scalars on one line and literal blocks (|). ok is false for other
// styles, or when the value read back differs from n.Value.
func (t *Text) ValueSpans(n *yaml.Node, start, end int) (spans []Span, ok bool) {
	d := t.data
	s := t.skipProperties(start, end)
	if s >= end && n.Value != "" {
		return nil, false
	}
	var val []byte
	add := func(b byte, from, to int) {
		val = append(val, b)
		spans = append(spans, Span{from, to})
	}
	oneLine := t.line(s) == t.line(max(end-1, s))
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		first := t.line(s)
		indent := -1
		for l := first + 1; l <= len(t.lines) && t.lines[l-1] < end; l++ {
			from, to := t.lines[l-1], min(t.lineEnd(l), end)
			lineText := d[from:to]
			ind := len(lineText) - len(bytes.TrimLeft(lineText, " "))
			if indent < 0 && ind < len(lineText) {
				indent = ind
			}
			if indent >= 0 && ind >= indent {
				for i := from + indent; i < to; i++ {
					add(d[i], i, i+1)
				}
			}
			add('\n', to, to)
		}
		got, want := strings.TrimRight(string(val), "\n"), strings.TrimRight(n.Value, "\n")
		if got != want {
			return nil, false
		}
		return spans[:len(want)], true
	case !oneLine:
		return nil, false
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := s + 1; i < end-1; i++ {
			if d[i] == '\'' {
				add('\'', i, i+2)
				i++
				continue
			}
			add(d[i], i, i+1)
		}
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := s + 1; i < end-1; {
			if d[i] != '\\' {
				add(d[i], i, i+1)
				i++
				continue
			}
			b, n := unescape(d[i : end-1])
			if n == 0 {
				return nil, false
			}
			for _, c := range b {
				add(c, i, i+n)
			}
			i += n
		}
	case n.Style&(yaml.FoldedStyle) != 0:
		return nil, false
	default:
		for i := s; i < end; i++ {
			add(d[i], i, i+1)
		}
	}
	if string(val) != n.Value {
		return nil, false
	}
	return spans, true
}

// unescape decodes the escape sequence at the start of b (a backslash and
// what follows, in a double-quoted scalar): the bytes it stands for and
// its length; n is 0 for a sequence it does not know.
func unescape(b []byte) (out []byte, n int) {
	if len(b) < 2 {
		return nil, 0
	}
	simple := map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
		'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}
	if s, ok := simple[b[1]]; ok {
		return []byte(s), 2
	}
	size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[b[1]]
	if size == 0 || len(b) < 2+size {
		return nil, 0
	}
	var r rune
	for _, c := range b[2 : 2+size] {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil, 0
		}
		r = r<<4 | rune(v)
	}
	return utf8.AppendRune(nil, r), 2 + size
}
