package pachidp

import "fmt"

// The rules for editing the list oidc.upstreamIDPs, and their messages, in
// one place: Values (a document, values.go) and HelmValues (a map,
// values_map.go) both follow them, so that an edit refused by one is refused
// by the other with the same path and words.
//
//   - An entry is found by its id; two entries with the id an upsert looks
//     for are an error (pachd stores connectors by id), and a remove takes
//     them all.
//   - An upsert appends an entry with a new id, replaces the one entry with
//     that id where it stands, and changes nothing when that entry already
//     says the same.
//   - A new list (SetUpstreamIDPs) needs an id on every entry, unique.
//   - A remove of an id no entry has fails with ErrIDPNotFound.
//   - Every entry of the list must be a mapping.

// errNoID refuses an entry without id, at path.
func errNoID(path string) error {
	return &EditError{Path: path, Msg: "the entry has no id: set UpstreamIDP.ID (pachd stores connectors by id)"}
}

// errNotFound refuses to remove id, which no entry has.
func errNotFound(id string) error {
	return &EditError{Path: pathIDPs, Msg: fmt.Sprintf("no entry has id %q", id), Err: ErrIDPNotFound}
}

// errDuplicateIDs refuses an upsert of id into a list whose entries i and j
// (i < j, at pos when known) both have it.
func errDuplicateIDs(i, j int, id string, pos Position) error {
	return &EditError{Path: indexPath(pathIDPs, j), Pos: pos,
		Msg: fmt.Sprintf("entries %d and %d both have id %q, and pachd needs unique ids: remove the duplicates first (RemoveUpstreamIDP removes all of them)", i, j, id)}
}

// errEmptySecretName refuses to set oidc.upstreamIDPsSecretName to "".
func errEmptySecretName() error {
	return &EditError{Path: keyOIDC + "." + keySecretName, Msg: "empty Secret name: use clearUpstreamIDPsSecretName to stop using a Secret"}
}

// errEntryShape reports entry i, which is not a mapping but got (as read),
// at pos when known.
func errEntryShape(i int, got any, pos Position) error {
	return &SyntaxError{Path: indexPath(pathIDPs, i), Pos: pos,
		Msg: fmt.Sprintf("an entry must be a mapping with type, id, name and config, got %s", typeName(got))}
}

// checkNewList checks the entries of a list to write: each has an id, and
// no two the same.
func checkNewList(idps []UpstreamIDP) error {
	seen := map[string]int{}
	for i, e := range idps {
		p := indexPath(pathIDPs, i)
		if e.ID == "" {
			return errNoID(p)
		}
		if j, dup := seen[e.ID]; dup {
			return &EditError{Path: p, Msg: fmt.Sprintf("entries %d and %d both have id %q: pachd needs unique ids", j, i, e.ID)}
		}
		seen[e.ID] = i
	}
	return nil
}

// entriesWithID returns the indexes, among n entries, of those whose id is
// id; idOf returns the value of entry i's id key (nil when absent).
func entriesWithID(n int, idOf func(i int) any, id string) []int {
	var out []int
	for i := range n {
		if idOf(i) == any(id) {
			out = append(out, i)
		}
	}
	return out
}

// upsertStep is what an upsert does to the list.
type upsertStep int

const (
	upsertAppend  upsertStep = iota // no entry has the id: append
	upsertReplace                   // entry i has it: write the new one there
	upsertNone                      // entry i already says the same
)

// planUpsert decides an upsert of id, given the indexes of the entries with
// that id (entriesWithID); same reports whether entry i equals the new one,
// pos where entry i is (for the error).
func planUpsert(idx []int, id string, same func(i int) bool, pos func(i int) Position) (upsertStep, int, error) {
	switch len(idx) {
	case 0:
		return upsertAppend, -1, nil
	case 1:
		if same(idx[0]) {
			return upsertNone, idx[0], nil
		}
		return upsertReplace, idx[0], nil
	}
	return 0, -1, errDuplicateIDs(idx[0], idx[1], id, pos(idx[1]))
}
