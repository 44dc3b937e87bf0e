package textedit

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// withValue returns a copy of root with path set to val, copying only the
// maps on the path and creating missing or null ones.
func withValue(root any, path []string, val any) any {
	m, _ := root.(map[string]any)
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	if len(path) == 1 {
		out[path[0]] = val
	} else {
		out[path[0]] = withValue(m[path[0]], path[1:], val)
	}
	return out
}

// commit applies the splices, parses the result again and accepts it only if
// it reads back as the old document with path set to want.
//
// For YAML the check is node by node and stricter than comparing the trees
// Helm reads: outside path, the new document must hold the same keys in the
// same order, the same scalars written the same way and the same anchors and
// aliases; at path, the value Helm reads must equal want. When a merge key
// (<<) sits on path, the whole trees are compared instead.
//
// Unless v.FullCheck is set, the local check (local.go) comes first:
// it parses only the window the splices touched and accepts what it can
// prove; anything else, refusals included, goes to the full check, which
// gives the verdict and names the path.
func (v *Doc) commit(sp []splice, path []string, want any) (*Doc, error) {
	if len(sp) == 0 {
		return v, nil
	}
	at := strings.Join(path, ".")
	fail := func(p, why string) error {
		if p == "" {
			p = at
		}
		return &EditError{Path: p, Err: ErrSelfCheck,
			Msg: "internal error: " + why + "; nothing was changed (please report this with the layout of the file, without its secrets)"}
	}
	out := applySplices(v.data, sp)
	if !v.FullCheck {
		if nv := v.localCheck(out, sp, path, want); nv != nil {
			return nv, nil
		}
	}
	nv, err := parseValues(out, v.index, v.format == FormatJSON)
	if err != nil {
		return nil, fail("", "the edited document does not parse")
	}
	if nv.format != v.format {
		return nil, fail("", "the edited document changed format")
	}
	if v.format == FormatJSON {
		// Both trees are read as Helm reads JSON (with a YAML reader), and
		// the new bytes parsed as JSON.
		if p, same := firstDiff(nv.tree, withValue(v.tree, path, want), ""); !same {
			return nil, fail(p, "the edited document reads back differently here")
		}
	} else {
		if max(len(nv.docs), 1) != max(len(v.docs), 1) {
			return nil, fail("", "the edit changed the number of YAML documents")
		}
		for i := range v.docs {
			c := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
			if i != v.index && !c.equalNode(v.docs[i], nv.docs[i], 0) {
				return nil, fail("", fmt.Sprintf("the edit changed document %d", i))
			}
		}
		top, err := v.TopValue(path[0])
		if err != nil {
			return nil, err
		}
		c := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
		p, same, fallback := c.sameExcept(v.rootNode(), nv.rootNode(), map[string]any{path[0]: top}, path, want, "")
		if fallback {
			oldTree, err := v.Value()
			if err != nil {
				return nil, err
			}
			newTree, err := nv.Value()
			if err != nil {
				return nil, fail("", "the edited document does not read")
			}
			p, same = firstDiff(newTree, withValue(oldTree, path, want), "")
		}
		if !same {
			return nil, fail(p, "the edited document reads back differently here")
		}
	}
	nv.style = v.style
	nv.FullCheck = v.FullCheck
	nv.lastCheck = checkFull
	return nv, nil
}

// isoCheck compares the nodes of two documents.
type isoCheck struct {
	corr map[*yaml.Node]*yaml.Node // anchored old node -> its new twin
}

// equalNode reports whether two nodes are written the same way: kind,
// style, tag, value and anchor, recursively; aliases must point to twins.
func (c *isoCheck) equalNode(a, b *yaml.Node, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > helmyaml.MaxDepth || a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.AliasNode {
		return a.Alias != nil && c.corr[a.Alias] == b.Alias
	}
	if a.Anchor != "" {
		c.corr[a] = b
	}
	for i := range a.Content {
		if !c.equalNode(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}

// sameExcept compares old node o and new node n along path: every other key
// must be equal node by node, and the value Helm reads at path must be want.
// fallback asks for a comparison of whole trees (a merge key is on path).
func (c *isoCheck) sameExcept(o, n *yaml.Node, old any, path []string, want any, at string) (diff string, same, fallback bool) {
	if len(path) == 0 {
		if ol, ok := old.([]any); ok && o != nil && o.Kind == yaml.SequenceNode && n.Kind == yaml.SequenceNode {
			return c.sameList(o, n, ol, want, at)
		}
		tv, err := helmyaml.ToValue(n, at, nil)
		if err != nil {
			return at, false, false
		}
		if diff, same = firstDiff(tv, want, at); same && o != nil {
			c.mapAnchors(o, n)
		}
		return diff, same, false
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return at, false, false
	}
	if hasMergeKey(n) != nil || o != nil && o.Kind == yaml.MappingNode && hasMergeKey(o) != nil {
		return "", false, true
	}
	if o == nil || isEmptyValue(o) && o.Kind != yaml.SequenceNode {
		tv, err := helmyaml.ToValue(n, at, nil)
		if err != nil {
			return at, false, false
		}
		diff, same = firstDiff(tv, Plain(wrap(path, want)), at)
		return diff, same, false
	}
	if o.Kind != yaml.MappingNode {
		return at, false, false
	}
	sub := helmyaml.JoinPath(at, path[0])
	isKey := func(k *yaml.Node) bool {
		ks, err := helmyaml.KeyString(k, at)
		return err == nil && ks == path[0]
	}
	var ov *yaml.Node
	for i := 0; i+1 < len(o.Content); i += 2 {
		if isKey(o.Content[i]) {
			ov = o.Content[i+1]
		}
	}
	// Walk the new keys in document order, so that anchors are paired
	// before the aliases that follow them.
	oi, found := 0, false
	for ni := 0; ni+1 < len(n.Content); ni += 2 {
		if isKey(n.Content[ni]) {
			if found {
				return sub, false, false // written twice
			}
			found = true
			om, _ := old.(map[string]any)
			if diff, same, fallback = c.sameExcept(ov, n.Content[ni+1], om[path[0]], path[1:], want, sub); !same {
				return diff, same, fallback
			}
			continue
		}
		if oi+1 < len(o.Content) && isKey(o.Content[oi]) {
			oi += 2
		}
		if oi+1 >= len(o.Content) {
			return at, false, false // a key was added
		}
		if !c.equalNode(o.Content[oi], n.Content[ni], 0) || !c.equalNode(o.Content[oi+1], n.Content[ni+1], 0) {
			ks, _ := helmyaml.KeyString(o.Content[oi], at)
			return helmyaml.JoinPath(at, ks), false, false
		}
		oi += 2
	}
	if oi+1 < len(o.Content) && isKey(o.Content[oi]) {
		oi += 2
	}
	if oi+1 < len(o.Content) || !found {
		return at, false, false // a key was removed
	}
	return "", true, false
}

// sameList compares an old list o (read as old) with a new list n that must
// read as want: items equal at the start and at the end are compared node
// by node, the items in between are read and compared with want.
func (c *isoCheck) sameList(o, n *yaml.Node, old []any, want any, at string) (string, bool, bool) {
	wl, ok := want.([]any)
	if !ok || len(wl) != len(n.Content) || len(old) != len(o.Content) {
		return at, false, false
	}
	unchanged := func(i, j int) bool { // old item i, new item j
		_, same := firstDiff(old[i], wl[j], "")
		return same && c.equalNode(o.Content[i], n.Content[j], 0)
	}
	head := 0
	for head < len(o.Content) && head < len(n.Content) && unchanged(head, head) {
		head++
	}
	tail := 0
	for tail < len(o.Content)-head && tail < len(n.Content)-head && unchanged(len(o.Content)-1-tail, len(n.Content)-1-tail) {
		tail++
	}
	for j := head; j < len(n.Content)-tail; j++ {
		p := helmyaml.IndexPath(at, j)
		tv, err := helmyaml.ToValue(n.Content[j], p, nil)
		if err != nil {
			return p, false, false
		}
		if diff, same := firstDiff(tv, wl[j], p); !same {
			return diff, false, false
		}
	}
	for i, j := head, head; i < len(o.Content)-tail && j < len(n.Content)-tail; i, j = i+1, j+1 {
		c.mapAnchors(o.Content[i], n.Content[j])
	}
	return "", true, false
}

// mapAnchors pairs the anchors of a changed value that kept their name and
// their content, so that aliases to them elsewhere still match.
func (c *isoCheck) mapAnchors(o, n *yaml.Node) {
	oa, na := anchorsIn(o), anchorsIn(n)
	for name, on := range oa {
		if nn := na[name]; on != nil && nn != nil && c.equalNode(on, nn, 0) {
			c.corr[on] = nn
		}
	}
}

// anchorsIn maps the anchor names defined under n to their nodes; a name
// defined twice maps to nil.
func anchorsIn(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > helmyaml.MaxDepth || n.Kind == yaml.AliasNode {
			return
		}
		if n.Anchor != "" {
			if _, dup := out[n.Anchor]; dup {
				out[n.Anchor] = nil
			} else {
				out[n.Anchor] = n
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// firstDiff compares two trees as helmyaml.ToValue builds them and returns the path of
// the first difference. NaN equals NaN.
func firstDiff(a, b any, path string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		if reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer() {
			return "", true // the same map
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok {
				return helmyaml.JoinPath(path, k), false
			}
			if p, same := firstDiff(xv, yv, helmyaml.JoinPath(path, k)); !same {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, same := firstDiff(x[i], y[i], helmyaml.IndexPath(path, i)); !same {
				return p, false
			}
		}
		return "", true
	case float64:
		y, ok := b.(float64)
		if ok && (x == y || math.IsNaN(x) && math.IsNaN(y)) {
			return "", true
		}
		return path, false
	case nil, string, bool, int64:
		if a == b {
			return "", true
		}
		return path, false
	}
	return path, false
}
