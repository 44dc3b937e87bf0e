package textedit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

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

// value parses one JSON value at p.i and records its byte span, and for
// objects and arrays the spans of their keys and items: the places the JSON
// edits splice at. It is strict JSON (strings and numbers are checked with
// encoding/json, nesting stops past MaxDepth), so any text it accepts is
// read the same by encoding/json and by Helm's YAML reader; what it refuses
// is then read as YAML.
func (p *jsonParser) value(depth int) (*jnode, bool) {
	if p.i >= len(p.d) || depth > helmyaml.MaxDepth {
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
func (v *Doc) jsonString(n *jnode) string {
	raw := v.data[n.start+1 : n.end-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(v.data[n.start:n.end], &s)
	return s
}

// jsonValue converts a JSON node into values, recording helmyaml.Positions like
// helmyaml.ToValue; parseValues reads the values themselves with yaml.v3, as Helm
// does.
func (v *Doc) jsonValue(n *jnode, path string, pos helmyaml.Positions, depth int) (any, error) {
	switch n.kind {
	case jObject:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			key := v.jsonString(k)
			p, record := helmyaml.ChildPath(path, depth, key)
			// A key written twice keeps its last value, as in Helm's reader.
			if pos != nil && record {
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
			p, record := helmyaml.ChildIndex(path, depth, i)
			if pos != nil && record {
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
	return helmyaml.ResolveYAML11(string(v.data[n.start:n.end])), nil
}

func (v *Doc) detectJSONStyle(st *textStyle) {
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
func (v *Doc) lineIndent(off int) string {
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
	case OrderedMap:
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

func (v *Doc) jsonRender(val any, base string) (string, error) {
	var b strings.Builder
	if err := v.detectStyle().jsonWrite(&b, val, base); err != nil {
		return "", &EditError{Path: v.editPath, Msg: err.Error()}
	}
	return b.String(), nil
}

// jsonSep returns the white space before node n in its container, after the
// preceding ',' or opening bracket.
func (v *Doc) jsonSep(n *jnode) string {
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

func (v *Doc) jsonSetPath(path []string, val any) ([]splice, error) {
	obj := v.jroot
	p := ""
	for depth, name := range path {
		p = helmyaml.JoinPath(p, name)
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
			got, _ := v.valueAt(path[:depth+1])
			return nil, &SyntaxError{Path: p, Pos: v.position(child.start), Msg: fmt.Sprintf("%s must be a mapping, got %s", name, helmyaml.TypeName(got))}
		}
		obj = child
	}
	return nil, &EditError{Msg: "internal error: empty path"}
}

func (v *Doc) jsonInsertMember(obj *jnode, key string, val any) ([]splice, error) {
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

// jsonListEdit returns the splices for a list edit of a JSON document:
// ListReplace rewrites one item's span, ListAppend inserts ", item" after
// the last item with the separator the items already use, ListRemove
// deletes one item with the separator on one side, and a missing, empty or
// whole list is written anew through jsonSetPath. Every other byte stays;
// commit then re-reads the result, so a splice that would break the JSON
// is refused, not written.
func (v *Doc) jsonListEdit(path []string, op ListOp, index int, entry OrderedMap, render []any) ([]splice, error) {
	var arr *jnode
	obj := v.jroot
	for depth, name := range path {
		var child *jnode
		for i, k := range obj.keys {
			if v.jsonString(k) == name {
				child = obj.vals[i]
			}
		}
		if child == nil {
			break
		}
		if depth == len(path)-1 {
			arr = child
		} else if child.kind == jObject {
			obj = child
		} else {
			break
		}
	}
	whole := func(list []any) ([]splice, error) { return v.jsonSetPath(path, list) }
	if arr == nil || arr.kind != jArray || len(arr.vals) == 0 || op == ListSetAll {
		switch op {
		case ListAppend:
			return whole([]any{entry})
		case ListSetAll:
			return whole(render)
		}
		return nil, &EditError{Path: v.editPath, Msg: "internal error: no entry to change"}
	}
	items := arr.vals
	n := len(items)
	switch op {
	case ListReplace:
		text, err := v.jsonRender(entry, v.lineIndent(items[index].start))
		if err != nil {
			return nil, err
		}
		return []splice{{items[index].start, items[index].end, text}}, nil
	case ListAppend:
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
	case ListRemove:
		switch {
		case n == 1:
			return whole([]any{})
		case index < n-1:
			return []splice{{items[index].start, items[index+1].start, ""}}, nil
		default:
			return []splice{{items[index-1].end, items[index].end, ""}}, nil
		}
	}
	return nil, &EditError{Path: v.editPath, Msg: "internal error: unknown list edit"}
}
