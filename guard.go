package pachidp

import (
	"fmt"
	"reflect"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// Trees a caller builds (HelmValues, a ConnectorConfig, an entry's Extra)
// can be what no document can: a map that holds itself, or deeper than any.
// Every exported function and method that walks such a tree checks it
// first with checkTree and returns an error (printing methods print the
// error instead), so that no input makes the package overflow its stack
// or panic.

// maxTreeValues bounds how many values checkTree visits: a tree that
// shares one map at many places (a DAG, not a cycle) may stand for more
// values than memory holds once written out.
const maxTreeValues = 1 << 22

// errTree is the error of a tree checkTree refuses.
func errTree(msg string) error {
	return &SyntaxError{Msg: msg + ": pass a tree as a values file would read (maps, lists, strings, numbers, bools, nulls)"}
}

// checkTree reports a tree that the package cannot walk: one that holds
// itself (a map, a list or a pointer that is its own element at any
// depth), deeper than a values file may be (helmyaml.MaxDepth), or of more
// than maxTreeValues values. Values YAML cannot hold (a channel, a complex
// number) are the writers' to refuse, with the path (encodeNode, the
// editor's checks).
func checkTree(v any) error {
	c := treeCheck{open: map[treeRef]bool{}}
	return c.walk(reflect.ValueOf(v), 0)
}

// treeRef names a map, a slice or a pointer being walked.
type treeRef struct {
	kind reflect.Kind
	ptr  uintptr
	n    int
}

type treeCheck struct {
	open  map[treeRef]bool // the containers on the path from the root
	count int
}

func (c *treeCheck) walk(v reflect.Value, depth int) error {
	if !v.IsValid() {
		return nil
	}
	if c.count++; c.count > maxTreeValues {
		return errTree(fmt.Sprintf("the tree has more than %d values", maxTreeValues))
	}
	if depth > helmyaml.MaxDepth {
		return errTree(fmt.Sprintf("the tree is nested more than %d levels deep", helmyaml.MaxDepth))
	}
	switch v.Kind() {
	case reflect.Interface:
		return c.walk(v.Elem(), depth)
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return nil
		}
		ref := treeRef{v.Kind(), v.Pointer(), 0}
		if v.Kind() == reflect.Slice {
			ref.n = v.Len()
		}
		if c.open[ref] {
			return errTree("the tree holds itself (a " + v.Type().String() + " is its own element)")
		}
		c.open[ref] = true
		defer delete(c.open, ref)
		switch v.Kind() {
		case reflect.Pointer:
			return c.walk(v.Elem(), depth+1)
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				if err := c.walk(it.Key(), depth+1); err != nil {
					return err
				}
				if err := c.walk(it.Value(), depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			if err := c.walk(v.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				// Only the package sets unexported fields (an entry's
				// source positions, shared by every entry of a document:
				// walking them for each entry made a validation quadratic).
				continue
			}
			if err := c.walk(v.Field(i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkEntries checks the trees of entries (checkTree).
func checkEntries(idps []UpstreamIDP) error {
	for i := range idps {
		if err := checkTree(idps[i]); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
	}
	return nil
}

// unprintable is what String shows of a tree checkTree refuses.
func unprintable(typ string, err error) string {
	return typ + "(cannot print: " + err.Error() + ")"
}
