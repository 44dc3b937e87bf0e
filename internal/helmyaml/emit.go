package helmyaml

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------
// yaml.v2 v2.4.0's emitter, for the values JSON can hold.

type yaml2Style int

const (
	y2Plain yaml2Style = iota
	y2Single
	y2Double
	y2Literal
)

// y2Emitter holds the emitter state of yaml.v2 (yaml_emitter_t) that block
// output depends on.
type y2Emitter struct {
	buf        []byte
	column     int
	whitespace bool // the last character written was white space
	indention  bool // only indentation has been written on this line
	indent     int
	indents    []int
	flowLevel  int

	rootCtx, seqCtx, mapCtx, simpleKeyCtx bool
}

const (
	y2BestIndent = 2
	y2BestWidth  = 80 // yaml.v2 v2.4.0 folds long lines; v2.3.0 did not
)

func newYAML2Emitter() *y2Emitter {
	return &y2Emitter{indent: -1, whitespace: true, indention: true}
}

func (e *y2Emitter) put(c byte) {
	e.buf = append(e.buf, c)
	e.column++
}

func (e *y2Emitter) putBreak() {
	e.buf = append(e.buf, '\n')
	e.column = 0
}

// write copies the character at s[*i] and advances *i. A column is one
// character, whatever its width, as in yaml.v2.
func (e *y2Emitter) write(s []byte, i *int) {
	w := y2Width(s[*i])
	e.buf = append(e.buf, s[*i:*i+w]...)
	e.column++
	*i += w
}

func (e *y2Emitter) writeAll(s []byte) {
	for i := 0; i < len(s); {
		e.write(s, &i)
	}
}

func (e *y2Emitter) writeBreak(s []byte, i *int) {
	if s[*i] == '\n' {
		e.putBreak()
		*i++
		return
	}
	e.write(s, i)
	e.column = 0
}

func (e *y2Emitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	if e.indent < 0 {
		if flow {
			e.indent = y2BestIndent
		} else {
			e.indent = 0
		}
	} else if !indentless {
		e.indent += y2BestIndent
	}
}

func (e *y2Emitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *y2Emitter) writeIndent() {
	indent := e.indent
	if indent < 0 {
		indent = 0
	}
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace = true
	e.indention = true
}

func (e *y2Emitter) writeIndicator(ind string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	e.writeAll([]byte(ind))
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
}

// node emits one value (yaml_emitter_emit_node and what it dispatches to):
// a list as a block sequence, a mapping as a block mapping with yaml.v2's
// key order, a scalar through scalar, and an empty list or mapping as "[]"
// or "{}". Keys longer than 128 bytes or holding a line break are written
// as complex keys ("? key" then ": value"), as yaml_emitter_check_simple_key
// decides. It is safe because it accepts only what a json.Decoder with
// UseNumber yields (Marshal's tree) and panics on anything else, which would
// be a bug of Marshal, never of its input; each case is the libyaml state
// machine's path for that event sequence, kept statement for statement, and
// FuzzMarshalMatchesReference compares the bytes with yaml.v2's.
func (e *y2Emitter) node(v any, root, seq, mapping, simpleKey bool) {
	e.rootCtx, e.seqCtx, e.mapCtx, e.simpleKeyCtx = root, seq, mapping, simpleKey
	switch x := v.(type) {
	case []any:
		if e.flowLevel > 0 || len(x) == 0 {
			e.emptyFlow("[", "]")
			return
		}
		e.increaseIndent(false, e.mapCtx && !e.indention)
		for _, it := range x {
			e.writeIndent()
			e.writeIndicator("-", true, false, true)
			e.node(it, false, true, false, false)
		}
		e.popIndent()
	case map[string]any:
		if e.flowLevel > 0 || len(x) == 0 {
			e.emptyFlow("{", "}")
			return
		}
		e.increaseIndent(false, false)
		for _, k := range yaml2SortedKeys(x) {
			e.writeIndent()
			ks, kstyle := yaml2StringStyle(k)
			ka := analyzeScalar([]byte(ks))
			if !ka.multiline && len(ks) <= 128 { // yaml_emitter_check_simple_key
				e.scalar(ks, kstyle, false, false, true, true)
				e.writeIndicator(":", false, false, false)
			} else {
				e.writeIndicator("?", true, false, true)
				e.scalar(ks, kstyle, false, false, true, false)
				e.writeIndent()
				e.writeIndicator(":", true, false, true)
			}
			e.node(x[k], false, false, true, false)
		}
		e.popIndent()
	case string:
		s, style := yaml2StringStyle(x)
		e.scalar(s, style, root, seq, mapping, simpleKey)
	case json.Number:
		s, style := yaml2Number(string(x))
		e.scalar(s, style, root, seq, mapping, simpleKey)
	case bool:
		e.scalar(strconv.FormatBool(x), y2Plain, root, seq, mapping, simpleKey)
	case nil:
		e.scalar("null", y2Plain, root, seq, mapping, simpleKey)
	default:
		// json.Decoder yields only the types above.
		panic(fmt.Sprintf("helmyaml: unexpected %T in JSON tree", v))
	}
}

// emptyFlow writes an empty sequence or mapping: yaml.v2 writes empty
// collections in flow style, "[]" and "{}".
func (e *y2Emitter) emptyFlow(open, close string) {
	e.writeIndicator(open, true, true, false)
	e.increaseIndent(true, false)
	e.flowLevel++
	e.flowLevel--
	e.popIndent()
	e.writeIndicator(close, false, false, false)
}

// scalar emits a scalar with the style the encoder asked for; the emitter
// may still choose another (yaml_emitter_select_scalar_style).
func (e *y2Emitter) scalar(s string, style yaml2Style, root, seq, mapping, simpleKey bool) {
	e.rootCtx, e.seqCtx, e.mapCtx, e.simpleKeyCtx = root, seq, mapping, simpleKey
	value := []byte(s)
	a := analyzeScalar(value)
	if e.simpleKeyCtx && a.multiline {
		style = y2Double
	}
	if style == y2Plain {
		if e.flowLevel > 0 && !a.flowPlainAllowed || e.flowLevel == 0 && !a.blockPlainAllowed {
			style = y2Single
		}
		if len(value) == 0 && (e.flowLevel > 0 || e.simpleKeyCtx) {
			style = y2Single
		}
	}
	if style == y2Single && !a.singleQuotedAllowed {
		style = y2Double
	}
	if style == y2Literal && (!a.blockAllowed || e.flowLevel > 0 || e.simpleKeyCtx) {
		style = y2Double
	}
	e.increaseIndent(true, false)
	switch style {
	case y2Plain:
		e.writePlain(value, !e.simpleKeyCtx)
	case y2Single:
		e.writeSingleQuoted(value, !e.simpleKeyCtx)
	case y2Double:
		e.writeDoubleQuoted(value, !e.simpleKeyCtx)
	case y2Literal:
		e.writeLiteral(value)
	}
	e.popIndent()
}

type scalarAnalysis struct {
	multiline           bool
	flowPlainAllowed    bool
	blockPlainAllowed   bool
	singleQuotedAllowed bool
	blockAllowed        bool
}

// analyzeScalar is yaml_emitter_analyze_scalar (with unicode output on): it
// scans value once for indicators, line breaks, leading and trailing white
// space and unprintable characters, and reports which styles may write it
// (plain in flow or block context, single-quoted, literal block). The style
// choice in scalar only ever falls back from these answers to a style that
// allows more (up to double-quoted, which writes any valid UTF-8), so a
// wrong "not allowed" costs only a quoting difference, which the reference
// tests catch, never a value that reads back differently. value must be
// valid UTF-8, which Marshal checks before.
func analyzeScalar(value []byte) scalarAnalysis {
	if len(value) == 0 {
		return scalarAnalysis{blockPlainAllowed: true, singleQuotedAllowed: true}
	}
	var (
		blockIndicators, flowIndicators, lineBreaks, specialCharacters bool
		leadingSpace, leadingBreak, trailingSpace, trailingBreak       bool
		breakSpace, spaceBreak                                         bool
		previousSpace, previousBreak                                   bool
	)
	if len(value) >= 3 && (string(value[:3]) == "---" || string(value[:3]) == "...") {
		blockIndicators, flowIndicators = true, true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(value); i += w {
		w = y2Width(value[i])
		followedByWhitespace := i+w >= len(value) || y2IsBlank(value, i+w)
		if i == 0 {
			switch value[i] {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				flowIndicators, blockIndicators = true, true
			case '?', ':':
				flowIndicators = true
				if followedByWhitespace {
					blockIndicators = true
				}
			case '-':
				if followedByWhitespace {
					flowIndicators, blockIndicators = true, true
				}
			}
		} else {
			switch value[i] {
			case ',', '?', '[', ']', '{', '}':
				flowIndicators = true
			case ':':
				flowIndicators = true
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					flowIndicators, blockIndicators = true, true
				}
			}
		}
		if !y2IsPrintable(value, i) {
			specialCharacters = true
		}
		switch {
		case value[i] == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(value) {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case y2IsBreak(value, i):
			lineBreaks = true
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(value) {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = y2IsBlankZ(value, i)
	}
	a := scalarAnalysis{multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true,
		singleQuotedAllowed: true, blockAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.flowPlainAllowed, a.blockPlainAllowed = false, false
	}
	if trailingSpace {
		a.blockAllowed = false
	}
	if breakSpace {
		a.flowPlainAllowed, a.blockPlainAllowed, a.singleQuotedAllowed = false, false, false
	}
	if spaceBreak || specialCharacters {
		a.flowPlainAllowed, a.blockPlainAllowed, a.singleQuotedAllowed, a.blockAllowed = false, false, false, false
	}
	if lineBreaks {
		a.flowPlainAllowed, a.blockPlainAllowed = false, false
	}
	if flowIndicators {
		a.flowPlainAllowed = false
	}
	if blockIndicators {
		a.blockPlainAllowed = false
	}
	return a
}

func (e *y2Emitter) writePlain(value []byte, allowBreaks bool) {
	if !e.whitespace {
		e.put(' ')
	}
	spaces, breaks := false, false
	for i := 0; i < len(value); {
		switch {
		case value[i] == ' ':
			if allowBreaks && !spaces && e.column > y2BestWidth && !y2IsSpaceAt(value, i+1) {
				e.writeIndent()
				i++
			} else {
				e.write(value, &i)
			}
			spaces = true
		case y2IsBreak(value, i):
			if !breaks && value[i] == '\n' {
				e.putBreak()
			}
			e.writeBreak(value, &i)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			e.write(value, &i)
			e.indention = false
			spaces, breaks = false, false
		}
	}
	e.whitespace = false
	e.indention = false
}

func (e *y2Emitter) writeSingleQuoted(value []byte, allowBreaks bool) {
	e.writeIndicator("'", true, false, false)
	spaces, breaks := false, false
	for i := 0; i < len(value); {
		switch {
		case value[i] == ' ':
			if allowBreaks && !spaces && e.column > y2BestWidth && i > 0 && i < len(value)-1 && !y2IsSpaceAt(value, i+1) {
				e.writeIndent()
				i++
			} else {
				e.write(value, &i)
			}
			spaces = true
		case y2IsBreak(value, i):
			if !breaks && value[i] == '\n' {
				e.putBreak()
			}
			e.writeBreak(value, &i)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if value[i] == '\'' {
				e.put('\'')
			}
			e.write(value, &i)
			e.indention = false
			spaces, breaks = false, false
		}
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace = false
	e.indention = false
}

// writeDoubleQuoted is yaml_emitter_write_double_quoted_scalar: it writes
// value between double quotes, escaping what is not printable, line breaks,
// '"' and '\' with yaml.v2's short escapes (\n, \t, \N, \_, \L,
// \P...) or \x, \u, \U with upper-case hex digits, and folds at a
// single space past column 80 when allowBreaks is set (a folded space that
// is followed by another is escaped so that it survives). Every character
// that reads back differently from how it is written is escaped, so any
// valid UTF-8 value reads back as itself; a value starting with U+FEFF has
// all its characters escaped, as yaml.v2's is_bom check makes it do.
func (e *y2Emitter) writeDoubleQuoted(value []byte, allowBreaks bool) {
	spaces := false
	e.writeIndicator(`"`, true, false, false)
	// yaml.v2's is_bom looks at the start of the value whatever the index:
	// a value that starts with U+FEFF has every character escaped.
	bom := len(value) >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF
	for i := 0; i < len(value); {
		if !y2IsPrintable(value, i) || bom || y2IsBreak(value, i) || value[i] == '"' || value[i] == '\\' {
			r, w := utf8.DecodeRune(value[i:])
			i += w
			e.put('\\')
			switch r {
			case 0x00:
				e.put('0')
			case 0x07:
				e.put('a')
			case 0x08:
				e.put('b')
			case 0x09:
				e.put('t')
			case 0x0A:
				e.put('n')
			case 0x0b:
				e.put('v')
			case 0x0c:
				e.put('f')
			case 0x0d:
				e.put('r')
			case 0x1b:
				e.put('e')
			case 0x22:
				e.put('"')
			case 0x5c:
				e.put('\\')
			case 0x85:
				e.put('N')
			case 0xA0:
				e.put('_')
			case 0x2028:
				e.put('L')
			case 0x2029:
				e.put('P')
			default:
				digits := 8
				switch {
				case r <= 0xFF:
					e.put('x')
					digits = 2
				case r <= 0xFFFF:
					e.put('u')
					digits = 4
				default:
					e.put('U')
				}
				for k := (digits - 1) * 4; k >= 0; k -= 4 {
					d := byte((r >> uint(k)) & 0x0F)
					if d < 10 {
						e.put(d + '0')
					} else {
						e.put(d + 'A' - 10)
					}
				}
			}
			spaces = false
		} else if value[i] == ' ' {
			if allowBreaks && !spaces && e.column > y2BestWidth && i > 0 && i < len(value)-1 {
				e.writeIndent()
				if y2IsSpaceAt(value, i+1) {
					e.put('\\')
				}
				i++
			} else {
				e.write(value, &i)
			}
			spaces = true
		} else {
			e.write(value, &i)
			spaces = false
		}
	}
	e.writeIndicator(`"`, false, false, false)
	e.whitespace = false
	e.indention = false
}

// writeLiteral is yaml_emitter_write_literal_scalar: "|" with the
// indentation indicator when value starts with a space or a line break, the
// chomping indicator ("-" when value has no final line break, "+" when it
// has more than one or is a lone line break), then value's lines indented
// under the current indentation. It is only called for values that
// analyzeScalar allows in a block scalar (no trailing space, only printable
// characters) and that are not empty (yaml2StringStyle asks for it only for
// a value with "\n"), so the indicators always say how to read value back.
func (e *y2Emitter) writeLiteral(value []byte) {
	e.writeIndicator("|", true, false, false)
	// Block scalar hints: an indentation indicator when the value starts
	// with white space, and the chomping indicator.
	if value[0] == ' ' || y2IsBreak(value, 0) {
		e.writeIndicator(string(rune('0'+y2BestIndent)), false, false, false)
	}
	chomp := ""
	i := len(value) - 1
	for value[i]&0xC0 == 0x80 {
		i--
	}
	if !y2IsBreak(value, i) {
		chomp = "-"
	} else if i == 0 {
		chomp = "+"
	} else {
		i--
		for value[i]&0xC0 == 0x80 {
			i--
		}
		if y2IsBreak(value, i) {
			chomp = "+"
		}
	}
	if chomp != "" {
		e.writeIndicator(chomp, false, false, false)
	}
	e.putBreak()
	e.indention = true
	e.whitespace = true
	breaks := true
	for i := 0; i < len(value); {
		if y2IsBreak(value, i) {
			e.writeBreak(value, &i)
			e.indention = true
			breaks = true
		} else {
			if breaks {
				e.writeIndent()
			}
			e.write(value, &i)
			e.indention = false
			breaks = false
		}
	}
}

// Character classes of yaml.v2 (yamlprivateh.go), on valid UTF-8.

func y2Width(b byte) int {
	switch {
	case b&0x80 == 0x00:
		return 1
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	case b&0xF8 == 0xF0:
		return 4
	}
	return 1
}

func y2At(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

func y2IsSpaceAt(b []byte, i int) bool { return y2At(b, i) == ' ' }

func y2IsBlank(b []byte, i int) bool { return b[i] == ' ' || b[i] == '\t' }

func y2IsBreak(b []byte, i int) bool {
	return b[i] == '\r' || b[i] == '\n' ||
		b[i] == 0xC2 && y2At(b, i+1) == 0x85 ||
		b[i] == 0xE2 && y2At(b, i+1) == 0x80 && (y2At(b, i+2) == 0xA8 || y2At(b, i+2) == 0xA9)
}

func y2IsBlankZ(b []byte, i int) bool { return y2IsBlank(b, i) || y2IsBreak(b, i) || b[i] == 0 }

func y2IsPrintable(b []byte, i int) bool {
	c, c1, c2 := b[i], y2At(b, i+1), y2At(b, i+2)
	return c == 0x0A ||
		c >= 0x20 && c <= 0x7E ||
		c == 0xC2 && c1 >= 0xA0 ||
		c > 0xC2 && c < 0xED ||
		c == 0xED && c1 < 0xA0 ||
		c == 0xEE ||
		c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF))
}

// ---------------------------------------------------------------------------
// yaml.v2's encoder decisions.

// yaml2StringStyle is the style yaml.v2's encoder asks for a string: literal
// when it has a line break, plain when the plain text would read back as the
// same string (YAML 1.1 rules), double-quoted otherwise.
func yaml2StringStyle(s string) (string, yaml2Style) {
	switch {
	case strings.Contains(s, "\n"):
		return s, y2Literal
	case yaml2ResolvesToString(s) && !yaml2Base60Float.MatchString(s):
		return s, y2Plain
	}
	return s, y2Double
}

// yaml2Number is how a JSON number comes out of yaml.v2: read as an int, an
// unsigned int or a float by yaml.v2's resolver and formatted again.
func yaml2Number(n string) (string, yaml2Style) {
	if i, err := strconv.ParseInt(n, 0, 64); err == nil {
		return strconv.FormatInt(i, 10), y2Plain
	}
	if u, err := strconv.ParseUint(n, 0, 64); err == nil {
		return strconv.FormatUint(u, 10), y2Plain
	}
	if yaml2Float.MatchString(n) {
		if f, err := strconv.ParseFloat(n, 64); err == nil {
			return yaml2FormatFloat(f), y2Plain
		}
	}
	// Out of float64 range: yaml.v2 keeps the text as a string.
	return yaml2StringStyle(n)
}

func yaml2FormatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case math.IsNaN(f):
		return ".nan"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

var (
	yaml2Float       = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	yaml2Base60Float = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)
)

// yaml2Special are the plain scalars yaml.v2 resolves by table: bools,
// nulls, infinities and NaN.
var yaml2Special = map[string]bool{"": true}

func init() {
	for _, s := range strings.Fields(`y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF
		~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF`) {
		yaml2Special[s] = true
	}
}

// yaml2ResolvesToString reports whether yaml.v2's resolver reads the plain
// scalar s as a string (resolve.go, v2.4.0). Like yaml.v2, it looks the text
// up only when its first character hints at a non-string: "<<" is a string.
// Otherwise it tries, in yaml.v2's order, the table of bools, nulls and
// infinities, a timestamp, an int or uint (underscores dropped, 0x, 0o and
// 0 prefixes allowed by ParseInt's base 0), a float and a binary 0b number.
// An error towards "not a string" would only quote a string needlessly (it
// still reads back as itself); the dangerous one, a plain scalar that reads
// back as a number or a bool, is what TestMarshalMatchesReference's scalars
// and FuzzMarshalMatchesReference check against yaml.v2's own resolver.
func yaml2ResolvesToString(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	numeric := c == '+' || c == '-' || c >= '0' && c <= '9'
	if !numeric && c != '.' && !strings.ContainsRune("yYnNtTfFoO~", rune(c)) {
		return true
	}
	if yaml2Special[s] {
		return false
	}
	switch {
	case c == '.':
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	case numeric:
		if yaml2Timestamp(s) {
			return false
		}
		plain := strings.ReplaceAll(s, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return false
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return false
		}
		if yaml2Float.MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return false
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return false
			}
			if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return false
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return false
			}
		}
	}
	return true
}

var yaml2TimestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// yaml2Timestamp reports whether yaml.v2 reads the plain scalar s as a
// timestamp.
func yaml2Timestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, f := range yaml2TimestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}

// yaml2SortedKeys sorts mapping keys as yaml.v2 does (sorter.go): runs of
// digits compare as numbers, and letters sort after other characters.
func yaml2SortedKeys(m map[string]any) []string {
	// sort.Sort is not stable and yaml2KeyList is not a strict order for
	// some keys: start from the same order as before the move, byte order.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sort.Sort(yaml2KeyList(keys))
	return keys
}

type yaml2KeyList []string

func (l yaml2KeyList) Len() int      { return len(l) }
func (l yaml2KeyList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l yaml2KeyList) Less(i, j int) bool {
	ar, br := []rune(l[i]), []rune(l[j])
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al, bl := unicode.IsLetter(ar[i]), unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an, bn = 1, 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
