package pachidp

import (
	"bytes"
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

// This file answers two questions: what text does pachd receive for a list of
// entries, and would pachd accept it?
//
// Pachyderm's chart renders oidc.upstreamIDPs into the key upstream-idps of
// the Secret pachyderm-identity (templates/pachd/idp-secret.yaml):
//
//	stringData:
//	  upstream-idps: |
//	{{ (include "pachyderm.idps" . ) | indent 4 }}
//
// where the helper "pachyderm.idps" of templates/_helpers.tpl is
// `{{ toYaml .Values.oidc.upstreamIDPs }}` (charts 2.3 and later; helm
// install ends the manifest with a line break, so the key ends with one).
// pachd reads that key from the environment variable IDP_CONNECTORS. Charts
// 2.0-2.2 wrote `{{ toYaml .Values.oidc.upstreamIDPs | indent 4 }}` behind a
// blank line into the key idps of the Secret pachyderm-bootstrap-config
// (templates/pachd/config-secret.yaml), read by the config job: the same
// text after a leading line break.
//
// Helm's toYaml is sigs.k8s.io/yaml.Marshal with the final newline trimmed:
// the value goes through encoding/json, the JSON is read back by a fork of
// gopkg.in/yaml.v2 v2.4.0 and written by that library's emitter. The emitter
// below is a port of the parts of yaml.v2 v2.4.0 that this path uses (scalar
// analysis and style choice, the YAML 1.1 resolver that decides quoting, the
// natural key sort, block and empty-flow collections, 80-column line
// folding), so that the bytes are the same.

// RenderUpstreamIDPs returns Helm's toYaml of the entries in their
// canonical form (UpstreamIDP.Map: the keys pachd reads, under their
// camelCase names, with only set fields), plus the final line break of the
// chart's block scalar: the text a chart from 2.3 on renders into the key
// upstream-idps for a list written that way, and the right text for the key
// upstream-idps of a Secret named by oidc.upstreamIDPsSecretName.
//
// It is not the chart's render of a values file as written: the canonical
// form renames keys (config_version becomes configVersion) and leaves out
// empty strings, which Helm keeps. For the text a values file makes the
// chart render, use Values.PachdUpstreamIDPs, or Values.ChartIdentity for a
// given release (charts 2.0-2.2 put the list behind a blank line in the
// bootstrap Secret's key idps); both are proven byte for byte against the
// real chart by the conformance module (conformance/chart).
//
// The output holds secrets. Keys come out sorted the way Helm sorts them
// (config, id, name, type; inside config clientID, clientSecret, ...).
// An empty list renders as "[]\n"; the chart itself never renders an empty
// list (it falls back to its mock IdP, or renders no IdP Secret).
//
// RenderUpstreamIDPs does not check the entries: DecodePachdStrict and
// Validate do. It fails only for a value Helm cannot render as written (see
// RenderError).
//
// Known differences from a real chart render, all rare:
//   - Helm reads values files into float64, so a whole number above 2^53
//     written in a values file reaches toYaml rounded; RenderUpstreamIDPs
//     renders the entries' own numbers (int64 stays exact).
//   - Helm builds made with yaml.v2 v2.3.0 did not fold lines longer than 80
//     columns; v2.4.0, vendored by sigs.k8s.io/yaml since, does, as here.
//   - When the very last value of the list is a text ending in two or more
//     line breaks (kept with "|+"), the chart's template drops the extra
//     ones; RenderUpstreamIDPs keeps them.
//   - yaml.v2 sorts keys with a "natural" order (a2 before a10) that is not a
//     strict ordering for some keys with leading zeros; Helm's order is then
//     not even stable, and RenderUpstreamIDPs picks one.
func RenderUpstreamIDPs(idps []UpstreamIDP) ([]byte, error) {
	list := make([]any, len(idps))
	for i, e := range idps {
		list[i] = e.Map()
	}
	return helmYAML(list, "oidc.upstreamIDPs")
}

// RenderError reports a value that Helm's toYaml cannot render as written.
// It never holds the value.
type RenderError struct {
	Path string // such as "oidc.upstreamIDPs[0].config.clientSecret"
	Msg  string
}

// Error formats the error as `path: message`.
func (e *RenderError) Error() string { return e.Path + ": " + e.Msg }

// helmYAML returns what sigs.k8s.io/yaml.Marshal (used by Helm's toYaml)
// returns for v, trailing newline included. path names v in errors.
func helmYAML(v any, path string) ([]byte, error) {
	if err := checkUTF8(v, path); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, &RenderError{Path: path, Msg: "cannot be written as JSON, as Helm's toYaml requires: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, &RenderError{Path: path, Msg: "cannot be read back from JSON: " + err.Error()}
	}
	if err := checkHelmStrings(tree, path, longJSONKeys(j)); err != nil {
		return nil, err
	}
	e := newYAML2Emitter()
	e.node(tree, true, false, false, false)
	// Document end: a line break unless the output already ends with one.
	e.writeIndent()
	return e.buf, nil
}

// longJSONKeys returns the object keys of the compact JSON j that the YAML
// reader of sigs.k8s.io/yaml refuses: YAML allows at most 1024 characters
// from the start of a key to its ":", so a key longer than 1022 characters
// once written as JSON (quotes excluded, escapes included) fails the whole
// document.
func longJSONKeys(j []byte) map[string]bool {
	var long map[string]bool
	for i := 0; i < len(j); i++ {
		if j[i] != '"' {
			continue
		}
		start := i
		for i++; i < len(j) && j[i] != '"'; i++ {
			if j[i] == '\\' {
				i++
			}
		}
		if i+1 < len(j) && j[i+1] == ':' && utf8.RuneCount(j[start:i+1]) > 1024 {
			var k string
			if json.Unmarshal(j[start:i+1], &k) == nil {
				if long == nil {
					long = map[string]bool{}
				}
				long[k] = true
			}
		}
	}
	return long
}

// checkUTF8 refuses strings that are not valid UTF-8. encoding/json, and so
// Helm's toYaml, would replace their bad bytes with U+FFFD: a client secret
// would silently become another one. Only Go callers can build such strings:
// a values file cannot hold them.
func checkUTF8(v any, path string) error {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return &RenderError{Path: path, Msg: "is not valid UTF-8: Helm's toYaml would replace the invalid bytes with U+FFFD, changing the value; pass valid UTF-8"}
		}
	case []any:
		for i, it := range x {
			if err := checkUTF8(it, indexPath(path, i)); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if !utf8.ValidString(k) {
				return &RenderError{Path: path, Msg: "has a key that is not valid UTF-8: Helm's toYaml would replace the invalid bytes with U+FFFD; pass valid UTF-8"}
			}
			if err := checkUTF8(x[k], joinPath(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkHelmStrings finds what does not survive Helm's toYaml: keys in
// longKeys, and characters that encoding/json writes raw and that the YAML
// reader of sigs.k8s.io/yaml then either refuses (toYaml swallows the error
// and renders nothing at all) or, for NEL (U+0085), reads as a line break and
// folds into a space.
func checkHelmStrings(v any, path string, longKeys map[string]bool) error {
	check := func(s, where string) error {
		for _, r := range s {
			switch {
			case r == 0x85:
				return &RenderError{Path: where, Msg: "holds the character U+0085 (NEL), which Helm's toYaml turns into a space or a line break: remove it"}
			case r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfffe || r == 0xffff:
				return &RenderError{Path: where, Msg: fmt.Sprintf("holds the control character %U, which Helm's toYaml cannot write: Helm would render an empty upstream-idps and pachd would delete every connector; remove it", r)}
			}
		}
		return nil
	}
	switch x := v.(type) {
	case string:
		return check(x, path)
	case []any:
		for i, it := range x {
			if err := checkHelmStrings(it, indexPath(path, i), longKeys); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			p := joinPath(path, k)
			if longKeys[k] {
				// Do not show a path holding a whole key that long.
				return &RenderError{Path: joinPath(path, string([]rune(k)[:32])+"..."), Msg: "is a key of more than 1022 characters (as JSON), " +
					"which Helm's toYaml cannot write: Helm would render an empty upstream-idps; shorten the key"}
			}
			if err := check(k, p); err != nil {
				return err
			}
			if err := checkHelmStrings(x[k], p, longKeys); err != nil {
				return err
			}
		}
	}
	return nil
}

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

// node emits one value (yaml_emitter_emit_node and what it dispatches to).
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
		panic(fmt.Sprintf("pachidp: unexpected %T in JSON tree", v))
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

// analyzeScalar is yaml_emitter_analyze_scalar (with unicode output on).
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
	keys := sortedKeys(m)
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

// ---------------------------------------------------------------------------
// What pachd accepts

// pachdCrash is said by every finding that makes pachd fail.
const pachdCrash = "pachd refuses it and fails at start (CrashLoopBackOff)"

// DecodePachdStrict reads the text of the key upstream-idps (what pachd
// receives in IDP_CONNECTORS) the way pachd does, and reports everything
// pachd would refuse, all at once, instead of stopping at the first problem
// as pachd does.
//
// Like pachd, it reads the YAML with YAML 1.1 rules (yes, no, on and off are
// booleans; 0123 is a number) and decodes each entry strictly, as pachd 2.3
// and later do: only the keys type, id, name, configVersion, jsonConfig and
// config are accepted, under exactly these names (config_version and
// json_config are refused); id, name, type and jsonConfig must be strings,
// configVersion a whole number (or a string holding one), config a mapping;
// id, name and type must not be empty; PickConfig needs a config mapping,
// or else a jsonConfig holding a JSON object. pachd upserts connectors by id
// and deletes stored connectors whose id is not in the list, so ids must be
// unique.
//
// Findings carry paths such as "upstream-idps[0].version" and the line and
// column in text. A problem of an entry has the rule, fate and message
// Validate gives it for the newest target (unknown-entry-key, wrong-type,
// required, duplicate-id, config-missing, ...); problems of the text have
// rules starting with "pachd-". Errors are what makes pachd crash; warnings
// are what pachd accepts but probably not as meant. Checking the connector
// configs themselves (what Dex does next) is Validate's job.
//
// The entries are returned when text is a list of mappings, nil otherwise.
func DecodePachdStrict(text []byte) ([]UpstreamIDP, Findings) {
	const root = "upstream-idps"
	var fs Findings
	add := func(rel string, pos Position, rule string, fate Fate, msg string) {
		fs = append(fs, Finding{Path: root + rel, Pos: pos, Rule: rule, Severity: fate.Severity(), Fate: fate, Message: msg})
	}
	syntax := func(err error) ([]UpstreamIDP, Findings) {
		msg, pos, rel := err.Error(), Position{}, ""
		if se, ok := err.(*SyntaxError); ok {
			msg, pos, rel = se.Msg, se.Pos, se.Path
		}
		add(rel, pos, "pachd-yaml", FatePachdCrash, msg+": "+pachdCrash)
		return nil, fs
	}
	doc, err := parseDocument(text)
	if err != nil {
		return syntax(err)
	}
	pos := positions{}
	var v any
	if doc != nil {
		if v, err = toValue(doc, "", pos); err != nil {
			return syntax(err)
		}
	}
	list, isList := v.([]any)
	switch {
	case v == nil || isList && len(list) == 0:
		fs = append(fs, Finding{Path: root, Rule: "pachd-empty", Severity: SeverityWarning,
			Message: "no entries: pachd configures no upstream IdP, so nobody can log in through one"})
		return nil, fs
	case !isList:
		p := Position{}
		if doc != nil && len(doc.Content) > 0 {
			p = Position{doc.Content[0].Line, doc.Content[0].Column}
		}
		add("", p, "pachd-not-a-list", FatePachdCrash, fmt.Sprintf(
			"must be a YAML list of entries (each starting with \"- \"), got %s: %s", typeName(v), pachdCrash))
		return nil, fs
	}

	shapeOK := true
	firstID := map[string]string{} // id -> path of the first entry using it
	for i, item := range list {
		ep := indexPath("", i)
		m, ok := item.(map[string]any)
		if !ok {
			shapeOK = false
			add(ep, pos.at(ep), "pachd-entry-type", FatePachdCrash, fmt.Sprintf(
				"an entry must be a mapping with id, name, type and config, got %s: %s", typeName(item), pachdCrash))
			continue
		}
		checkPachdEntry(m, ep, pos, add)
		if id, ok := m["id"].(string); ok && id != "" {
			kp := joinPath(ep, "id")
			if first, dup := firstID[id]; dup {
				other := root + first
				if p := pos.at(joinPath(first, "id")); p.IsValid() {
					other += fmt.Sprintf(" (line %d)", p.Line)
				}
				add(kp, pos.at(kp), "duplicate-id", FatePachdCrash, duplicateIDMsg(id, other, fateWords[FatePachdCrash]))
			} else {
				firstID[id] = ep
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	if !shapeOK {
		return nil, fs
	}
	entries, err := entriesFromValue(list, "", pos)
	if err != nil {
		return nil, fs
	}
	return entries, fs
}

// checkPachdEntry reports what pachd's strict decoder and PickConfig
// refuse in one entry, with Validate's rules and messages (idp.go's
// entryFields, validate_entry.go's messages).
func checkPachdEntry(m map[string]any, ep string, pos positions, add func(string, Position, string, Fate, string)) {
	crash := fateWords[FatePachdCrash]
	at := func(k string) (string, Position) { p := joinPath(ep, k); return p, pos.at(p) }
	orEntry := func(p Position) Position {
		if !p.IsValid() {
			return pos.at(ep)
		}
		return p
	}
	wrong := false
	for _, k := range sortedKeys(m) {
		val := m[k]
		kp, kpos := at(k)
		f, known := entryFieldOf(k)
		switch {
		case !known:
			rule, msg := unknownEntryKey(k, entryKeys, crash)
			add(kp, kpos, rule, FatePachdCrash, msg)
		case !f.accepts(val):
			wrong = wrong || k == "config" || k == "jsonConfig"
			add(kp, kpos, "wrong-type", FatePachdCrash, wrongEntryTypeMsg(k, val, crash))
		case k == "config":
			checkJSONNumbers(val, kp, pos, add)
		}
	}
	for _, f := range entryFields {
		if s, isString := m[f.key].(string); !f.required || isString && s != "" || !isString && m[f.key] != nil {
			continue // set, or reported as the wrong type
		}
		kp, kpos := at(f.key)
		add(kp, orEntry(kpos), "required", FatePachdCrash, missingEntryFieldMsg(f.key, crash))
	}
	if n, ok := int64Value(m["configVersion"]); ok && n != 0 {
		kp, kpos := at("configVersion")
		add(kp, kpos, "config-version-managed", FateIgnored, configVersionManagedMsg)
	}
	if wrong {
		return
	}
	// PickConfig: config when it is a mapping, else jsonConfig unless "" or
	// "null", else "no configs are defined".
	_, hasConfig := m["config"].(map[string]any)
	js, _ := m["jsonConfig"].(string)
	typ, _ := m["type"].(string)
	jp, jpos := at("jsonConfig")
	switch {
	case hasConfig && js != "":
		add(jp, jpos, "config-and-json-config", FateIgnored, bothConfigsMsg)
	case hasConfig:
	case js == "" || js == "null":
		kp, kpos, detail := jp, jpos, `jsonConfig is "null", which pachd reads as no config`
		if js == "" {
			kp, kpos = at("config")
			detail = "the entry has no config"
		}
		add(kp, orEntry(kpos), "config-missing", FatePachdCrash, configMissingMsg(detail, typ, crash))
	default:
		if _, problem := jsonConfigProblem(js, crash); problem != "" {
			add(jp, jpos, "json-config-invalid", FatePachdCrash, problem)
		}
	}
}

// checkJSONNumbers reports numbers pachd cannot convert from YAML to JSON
// (.inf, .nan).
func checkJSONNumbers(v any, path string, pos positions, add func(string, Position, string, Fate, string)) {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			add(path, pos.at(path), "pachd-yaml", FatePachdCrash,
				"is .inf or .nan, which pachd cannot convert to JSON: "+pachdCrash+"; quote it if it is meant as text")
		}
	case []any:
		for i, it := range x {
			checkJSONNumbers(it, indexPath(path, i), pos, add)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			checkJSONNumbers(x[k], joinPath(path, k), pos, add)
		}
	}
}
