package textedit

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// Position and SyntaxError are the reader's: a place in the document, and a
// document that cannot be read (or a value of the wrong shape on a path).
type (
	Position    = helmyaml.Position
	SyntaxError = helmyaml.SyntaxError
)

// Format is the syntax of a document.
type Format int

const (
	FormatYAML Format = iota // YAML: block style edits, comments kept
	FormatJSON               // JSON: edits write JSON
)

// Errors an edit can wrap in an *EditError; test for them with errors.Is.
var (
	// ErrAnchor: the edit would change or break a YAML anchor, alias or merge
	// key (<<), which would change other places of the file too.
	ErrAnchor = errors.New("YAML anchor, alias or merge key in the way")
	// ErrSelfCheck: the edited document did not read back as intended. It
	// means a bug in the editor; the Doc is unchanged.
	ErrSelfCheck = errors.New("the edited document does not read back as intended")
)

// EditError is an edit the editor refuses to make, saying where and why.
// Err, when set, is ErrAnchor or ErrSelfCheck. Msg never holds a value of
// the document.
type EditError struct {
	Path string   // the path the edit was about, such as "oidc.upstreamIDPs"
	Pos  Position // where the problem is, when known
	Msg  string
	Err  error
}

// Error formats the error as `path (line L): message`.
func (e *EditError) Error() string {
	return helmyaml.Located(e.Path, e.Pos, e.Msg)
}

// Unwrap returns Err.
func (e *EditError) Unwrap() error { return e.Err }

// OrderedMap is a mapping written with its keys in order. Values to write
// are OrderedMap, []any, string, bool, int64, float64 and nil.
type OrderedMap []MapItem

// MapItem is one key of an OrderedMap.
type MapItem struct {
	Key   string
	Value any
}

// Plain converts ordered maps to map[string]any, recursively: the value a
// reader makes of what the editor writes.
func Plain(v any) any {
	switch x := v.(type) {
	case OrderedMap:
		out := make(map[string]any, len(x))
		for _, it := range x {
			out[it.Key] = Plain(it.Value)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = Plain(it)
		}
		return out
	}
	return v
}

// Open reads document index (0-based) of data, YAML (a stream of
// documents) or JSON (detected; one document). The Doc keeps data: the
// caller must not modify it. A document that is not a mapping (or empty) is
// a *SyntaxError.
func Open(data []byte, index int) (*Doc, error) {
	return parseValues(data, index, true)
}

// Bytes returns the document's bytes (the whole stream). The slice must not
// be modified.
func (v *Doc) Bytes() []byte { return v.data }

// Format reports whether the document is YAML or JSON.
func (v *Doc) Format() Format { return v.format }

// Documents returns the number of documents of the stream and the position
// of the second one, if any.
func (v *Doc) Documents() (int, Position) {
	if len(v.docs) > 1 {
		return len(v.docs), Position{Line: v.docs[1].Line, Column: v.docs[1].Column}
	}
	return len(v.docs), Position{}
}

// SetPath returns the document with the value at path (keys from the root)
// set to val, creating the mappings that are missing.
func (v *Doc) SetPath(path []string, val any) (*Doc, error) {
	if len(path) == 0 {
		return nil, &EditError{Msg: "internal error: empty path"}
	}
	if err := v.writtenTwice(path); err != nil {
		return nil, err
	}
	v.editPath = strings.Join(path, ".")
	var sp []splice
	var err error
	if v.format == FormatJSON {
		sp, err = v.jsonSetPath(path, val)
	} else {
		sp, err = v.yamlSetPath(path, val)
	}
	if err != nil {
		return nil, err
	}
	return v.commit(sp, path, Plain(val))
}

// ListOp is an edit of a list.
type ListOp int

const (
	ListReplace ListOp = iota // write item index anew
	ListAppend                // add an item after the last
	ListRemove                // remove item index
	ListSetAll                // write the whole list anew
)

// EditList returns the document with the list at path (keys from the root)
// changed by op. newList is the list a reader must read afterwards; entry is
// the item to write for ListReplace and ListAppend, render the items to
// write for ListSetAll (newList by default). Only the lines of the items
// changed are written (the whole list for ListSetAll, or when the list is
// missing, empty or in flow style).
func (v *Doc) EditList(path []string, op ListOp, index int, entry OrderedMap, newList []any, render ...any) (*Doc, error) {
	if len(path) == 0 {
		return nil, &EditError{Msg: "internal error: empty path"}
	}
	if err := v.writtenTwice(path); err != nil {
		return nil, err
	}
	if op == ListSetAll && render == nil {
		render = newList
	}
	v.editPath = strings.Join(path, ".")
	var sp []splice
	var err error
	if v.format == FormatJSON {
		sp, err = v.jsonListEdit(path, op, index, entry, render)
	} else {
		sp, err = v.yamlListEdit(path, op, index, entry, render)
	}
	if err != nil {
		return nil, err
	}
	return v.commit(sp, path, newList)
}

// Equal reports whether two trees of read values are equal (NaN equals
// NaN), and the path of the first difference when not.
func Equal(a, b any) (string, bool) { return firstDiff(a, b, "") }

// Check names the check that accepted an edit.
type Check int

const (
	CheckNone      Check = iota
	CheckLocal           // top-level entries parsed again
	CheckLocalList       // items of a list parsed again
	CheckFull            // the whole document parsed again
)

// LastCheck reports which check accepted the edit that made this Doc.
func (v *Doc) LastCheck() Check { return Check(v.lastCheck) }

// SameTree compares the parsed streams of two Docs node by node: kind,
// style, tag, value, anchor, line and column, and aliases pointing to twins
// (comments are not compared: the editor never reads them). The fuzz
// targets use it to hold the local check to the full one.
func SameTree(a, b *Doc) error { return sameTree(a.docs, b.docs) }

func sameTree(a, b []*yaml.Node) error {
	twin := map[*yaml.Node]*yaml.Node{}
	var cmp func(x, y *yaml.Node, at string) error
	cmp = func(x, y *yaml.Node, at string) error {
		if x.Kind != y.Kind || x.Style != y.Style || x.Tag != y.Tag || x.Value != y.Value || x.Anchor != y.Anchor ||
			x.Line != y.Line || x.Column != y.Column || len(x.Content) != len(y.Content) {
			return fmt.Errorf("%s: %d:%d %v vs %d:%d %v", at, x.Line, x.Column, x.Kind, y.Line, y.Column, y.Kind)
		}
		twin[x] = y
		if x.Kind == yaml.AliasNode {
			if twin[x.Alias] != y.Alias {
				return fmt.Errorf("%s: alias to another node", at)
			}
			return nil
		}
		for i := range x.Content {
			if err := cmp(x.Content[i], y.Content[i], fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(a) != len(b) {
		return fmt.Errorf("%d documents vs %d", len(a), len(b))
	}
	for i := range a {
		if err := cmp(a[i], b[i], fmt.Sprint(i)); err != nil {
			return err
		}
	}
	return nil
}

// writtenTwice refuses an edit along path when a key of it is written
// twice in its mapping: Helm reads the last one, and an edit of either
// would leave the document saying two things.
func (v *Doc) writtenTwice(path []string) error {
	refuse := func(p string, first, second Position) error {
		return &EditError{Path: p, Pos: second,
			Msg: fmt.Sprintf("the key is written twice (lines %d and %d), and Helm reads the last one: delete one before editing", first.Line, second.Line)}
	}
	at := ""
	if v.format == FormatJSON {
		n := v.jroot
		for _, key := range path {
			if n == nil || n.kind != jObject {
				return nil
			}
			at = helmyaml.JoinPath(at, key)
			var found []int
			for i, k := range n.keys {
				if v.jsonString(k) == key {
					found = append(found, i)
				}
			}
			if len(found) > 1 {
				return refuse(at, v.position(n.keys[found[0]].start), v.position(n.keys[found[len(found)-1]].start))
			}
			if len(found) == 0 {
				return nil
			}
			n = n.vals[found[0]]
		}
		return nil
	}
	n := v.rootNode()
	for _, key := range path {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		at = helmyaml.JoinPath(at, key)
		var found []int
		for i := 0; i+1 < len(n.Content); i += 2 {
			if ks, err := helmyaml.KeyString(n.Content[i], ""); err == nil && ks == key && !helmyaml.IsMergeKey(n.Content[i]) {
				found = append(found, i)
			}
		}
		if len(found) > 1 {
			f, l := n.Content[found[0]], n.Content[found[len(found)-1]]
			return refuse(at, Position{Line: f.Line, Column: f.Column}, Position{Line: l.Line, Column: l.Column})
		}
		if len(found) == 0 {
			return nil
		}
		n = n.Content[found[0]+1]
	}
	return nil
}

// Duplicates lists the keys written twice in the document
// (helmyaml.Duplicates); a JSON document is read as the YAML it is.
func (v *Doc) Duplicates() []helmyaml.Duplicate {
	if v.format == FormatJSON {
		docs, err := decodeYAMLStream(v.data)
		if err != nil || len(docs) == 0 {
			return nil
		}
		return helmyaml.Duplicates(docs[0])
	}
	if v.doc == nil {
		return nil
	}
	return helmyaml.Duplicates(v.doc)
}
