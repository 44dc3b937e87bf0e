package pachidp

// Redaction of texts (part of redact.go's one mechanism: the secret keys
// and hidesValueOf decide here too): a YAML or JSON text is parsed, and the
// byte ranges of its secret values, found from the nodes' positions, are
// blanked. No shape of a value can escape it: a block scalar, a value
// folded over several lines, an escape (\x63, \u0063), a flow mapping, a
// secret of one byte, a jsonConfig or a config written as a string (parsed
// in turn), the upstream-idps text of a Secret manifest.

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
	"github.com/pachidp/pachidp/internal/scrub"
)

// RedactText returns a copy of text, a YAML or JSON document or stream (a
// values file, a Secret manifest, the upstream-idps text pachd receives, a
// Dex config), with every secret value replaced by Redacted: the values of
// secret keys (IsSecretKey, judged with the entry's type inside a config)
// at any depth, whatever their style; inside a jsonConfig, a config written
// as a string, a multi-line string holding YAML or JSON, and the values of
// a Secret manifest's stringData (parsed in turn; blanked whole when the
// secret cannot be located in them); every value of a Secret's data
// (base64); and any other occurrence of a secret value of 4 bytes or more
// (a secret pasted into another field).
//
// Line breaks are kept: line N of the result is line N of text, so that a
// diff of two texts can be shown with the lines of their redacted copies
// (a secret over several lines leaves its other lines empty). A text that
// does not parse is not shown: the result is Redacted and its line breaks.
func RedactText(text []byte) []byte {
	r, ok := textRanges(text, 0)
	if !ok {
		return blankRanges(text, []byteRange{{0, len(text)}})
	}
	return []byte(scrubSecrets(string(blankRanges(text, r.ranges)), r.secrets...))
}

// scrubSecrets replaces every occurrence of the secrets in msg with
// Redacted (see internal/scrub).
func scrubSecrets(msg string, secrets ...string) string {
	return scrub.Secrets(msg, Redacted, secrets...)
}

// byteRange is a range [start, end) of a text's bytes to blank.
type byteRange struct{ start, end int }

// blankRanges writes text with each range replaced by Redacted (quoted
// when the range was a quoted scalar) followed by the line breaks the range
// held ("\n", "\r\n").
func blankRanges(text []byte, ranges []byteRange) []byte {
	slices.SortFunc(ranges, func(a, b byteRange) int { return a.start - b.start })
	var out bytes.Buffer
	out.Grow(len(text))
	at := 0
	for _, r := range ranges {
		start, end := max(r.start, at), min(r.end, len(text))
		if start >= end {
			continue
		}
		out.Write(text[at:start])
		if q := text[start]; (q == '"' || q == '\'') && end-start >= 2 && text[end-1] == q {
			out.WriteByte(q) // a quoted value stays quoted: JSON stays JSON
			out.WriteString(Redacted)
			out.WriteByte(q)
		} else {
			out.WriteString(Redacted)
		}
		for i := start; i < end; i++ {
			if text[i] == '\n' {
				if i > start && text[i-1] == '\r' {
					out.WriteByte('\r')
				}
				out.WriteByte('\n')
			}
		}
		at = end
	}
	out.Write(text[at:])
	return out.Bytes()
}

// maxRedactDepth bounds how deeply texts inside strings are parsed (a
// jsonConfig inside the upstream-idps text of a Secret is two): deeper
// ones are blanked whole.
const maxRedactDepth = 4

// textResult is what textRanges finds in a text.
type textResult struct {
	ranges     []byteRange
	secrets    []string // the secret values blanked
	collection bool     // the (first) document is a mapping or a list
}

// textRanges parses text and returns the ranges of its secret values. ok
// is false when it does not parse.
func textRanges(text []byte, depth int) (textResult, bool) {
	if depth > maxRedactDepth {
		return textResult{}, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var docs []*yaml.Node
	for {
		var d yaml.Node
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return textResult{}, false
		}
		docs = append(docs, &d)
	}
	w := &textWalker{t: helmyaml.NewText(text), depth: depth, index: map[*yaml.Node]int{}, flow: map[*yaml.Node]bool{}}
	for _, d := range docs {
		w.order(d, false, 0)
	}
	var res textResult
	for i, d := range docs {
		if len(d.Content) == 0 {
			continue
		}
		root := d.Content[0]
		if i == 0 {
			res.collection = root.Kind == yaml.MappingNode || root.Kind == yaml.SequenceNode
		}
		if !w.walk(root, "", 0) {
			return textResult{}, false
		}
	}
	res.ranges, res.secrets = w.ranges, w.secrets
	return res, true
}

// textWalker finds the secret values of one text.
type textWalker struct {
	t       *helmyaml.Text
	depth   int                 // of the text inside strings
	offs    []int               // the offsets of the nodes, in document order
	index   map[*yaml.Node]int  // node -> its place in offs
	flow    map[*yaml.Node]bool // node -> written inside a flow collection
	ranges  []byteRange
	secrets []string
	keys    map[[2]string]bool  // IsSecretKey's answers: a values file repeats its keys
	done    map[*yaml.Node]bool // anchored nodes blankAll has hidden (aliases repeat them)
}

// secretKey is IsSecretKey, remembered per text.
func (w *textWalker) secretKey(connType, key string) bool {
	k := [2]string{connType, key}
	s, ok := w.keys[k]
	if !ok {
		if w.keys == nil {
			w.keys = map[[2]string]bool{}
		}
		s = IsSecretKey(connType, key)
		w.keys[k] = s
	}
	return s
}

// order lists the nodes of a document in document order, with offsets.
// flow tells whether n is inside a flow collection ({...}, [...]; all of
// JSON).
func (w *textWalker) order(n *yaml.Node, flow bool, depth int) {
	if depth > helmyaml.MaxDepth {
		return
	}
	if n.Kind != yaml.DocumentNode {
		w.index[n] = len(w.offs)
		w.offs = append(w.offs, w.t.NodeOffset(n))
		w.flow[n] = flow
	}
	if n.Kind == yaml.AliasNode {
		return
	}
	flow = flow || n.Style&yaml.FlowStyle != 0
	for _, c := range n.Content {
		w.order(c, flow, depth+1)
	}
}

// extent returns the byte range of scalar n's text.
func (w *textWalker) extent(n *yaml.Node) (start, end int, exact bool) {
	i, ok := w.index[n]
	if !ok {
		return w.t.ScalarExtent(n, w.t.Len(), false)
	}
	return w.t.ScalarExtentAt(n, w.offs[i], w.bound(n), w.flow[n])
}

// bound returns where the node after n starts: the end of n's text.
func (w *textWalker) bound(n *yaml.Node) int {
	i, ok := w.index[n]
	if !ok {
		return w.t.Len()
	}
	for j := i + 1; j < len(w.offs); j++ {
		if w.offs[j] > w.offs[i] {
			return w.offs[j]
		}
	}
	return w.t.Len()
}

// blank hides scalar n, whose value is a secret.
func (w *textWalker) blank(n *yaml.Node) {
	start, end, _ := w.extent(n)
	w.ranges = append(w.ranges, byteRange{start, end})
	w.secrets = append(w.secrets, n.Value)
}

// blankAll hides every scalar (keys included) under n: the value of a
// secret key that is a mapping or a list.
func (w *textWalker) blankAll(n *yaml.Node, depth int) bool {
	if depth > helmyaml.MaxDepth {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		w.blank(n)
	case yaml.AliasNode:
		if n.Alias != nil && !w.done[n.Alias] {
			// The anchored value, wherever it is written, once: aliases
			// of aliases must not multiply the work (a billion laughs).
			if w.done == nil {
				w.done = map[*yaml.Node]bool{}
			}
			w.done[n.Alias] = true
			return w.blankAll(n.Alias, depth+1)
		}
	default:
		for _, c := range n.Content {
			if !w.blankAll(c, depth+1) {
				return false
			}
		}
	}
	return true
}

// inner hides the secrets inside the text a string scalar holds (a
// jsonConfig, a config written as a string, a Secret's upstream-idps):
// found by parsing the value, then mapped back to the bytes that wrote
// them. mustHide (config text, a Secret's stringData) blanks the whole
// value when it is no mapping or list, does not parse, or its secrets
// cannot be mapped back; otherwise such a value is left as it is.
func (w *textWalker) inner(n *yaml.Node, mustHide bool) {
	res, ok := textRanges([]byte(n.Value), w.depth+1)
	if !ok || !res.collection {
		if mustHide {
			w.blank(n)
		}
		return
	}
	if len(res.ranges) == 0 {
		return
	}
	start, end, _ := w.extent(n)
	spans, ok := w.t.ValueSpans(n, start, end)
	if !ok {
		w.blank(n)
		return
	}
	for _, r := range res.ranges {
		if r.start >= r.end || r.end > len(spans) {
			w.blank(n)
			return
		}
		w.ranges = append(w.ranges, byteRange{spans[r.start].Start, spans[r.end-1].End})
	}
	w.secrets = append(w.secrets, res.secrets...)
}

// resolve follows an alias to its anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// walk finds the secrets under n, a node of a tree whose connector type is
// connType ("" outside a config or when unknown). ok is false past
// helmyaml.MaxDepth.
func (w *textWalker) walk(n *yaml.Node, connType string, depth int) bool {
	if depth > helmyaml.MaxDepth {
		return false
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return true // walked where it is anchored
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if !w.walk(c, connType, depth+1) {
				return false
			}
		}
	case yaml.ScalarNode:
		w.maybeText(n)
	case yaml.MappingNode:
		typ := ""
		manifest := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := resolve(n.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode {
				switch n.Content[i].Value {
				case "type":
					typ, _ = helmyaml.ScalarValue(v).(string)
				case "kind":
					// A Secret, alone or among the items of a List.
					manifest = v.Value == "Secret"
				}
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			val := resolve(v)
			if val == nil {
				continue
			}
			ct := connType
			if key == "config" && typ != "" {
				ct = typ
			}
			if manifest && (key == "data" || key == "stringData") && val.Kind == yaml.MappingNode {
				// Every value of a Secret is secret: data's are base64,
				// stringData's text (the entries, parsed in turn).
				for j := 0; j+1 < len(val.Content); j += 2 {
					x := resolve(val.Content[j+1])
					switch {
					case x == nil:
					case x.Kind == yaml.ScalarNode && key == "stringData":
						w.inner(x, true)
					case !w.blankAll(x, depth+1):
						return false
					}
				}
				continue
			}
			switch {
			case val.Kind == yaml.ScalarNode:
				x := helmyaml.ScalarValue(val)
				switch {
				case !hidesValueWith(w.secretKey, connType, key, x):
					if val == v { // an anchored value is walked where it is written
						w.maybeText(val)
					}
				case isConfigText(key, x):
					w.inner(val, true)
				default:
					w.blank(val)
				}
			case w.secretKey(connType, key) && len(val.Content) > 0:
				if !w.blankAll(val, depth+1) {
					return false
				}
			default:
				if !w.walk(v, ct, depth+1) {
					return false
				}
			}
		}
	}
	return true
}

// maybeText hides the secrets of a string that holds YAML or JSON (a
// Dex config written as a block, an entries list): a multi-line value or
// one that starts like a JSON object or list.
func (w *textWalker) maybeText(n *yaml.Node) {
	v := strings.TrimSpace(n.Value)
	if n.ShortTag() != "!!str" || v == "" {
		return
	}
	if strings.ContainsRune(v, '\n') || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		w.inner(n, false)
	}
}
