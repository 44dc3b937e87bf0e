package pachidp

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pachidp/pachidp/internal/atomicfile"
	"github.com/pachidp/pachidp/internal/helmyaml"
	"github.com/pachidp/pachidp/internal/textedit"
)

// Errors to test for with errors.Is.
var (
	// ErrSecretNotGiven: the values keep their entries in a Kubernetes
	// Secret (oidc.upstreamIDPsSecretName) and no manifest of that Secret
	// was given to read them from (Document.PachdUpstreamIDPs). The error's
	// text names the Secret and the line that names it.
	ErrSecretNotGiven = errors.New("the entries are in a Secret whose manifest was not given")

	// ErrFileChanged: EditFile or EditSecretFile found the file changed on
	// disk between reading it and replacing it, and the other change is
	// intact. Nothing was written; run the edit again.
	ErrFileChanged = atomicfile.ErrChanged
	// ErrLocked: another edit held the file's lock for the whole wait
	// (FileOptions.LockWait). The error names the file, the lock file and
	// its holder by pid ("pid 4242"). Nothing was written; run the edit
	// again.
	ErrLocked = atomicfile.ErrLocked
	// ErrTooLarge: an input is larger than its cap: a values file, a
	// Secret manifest or standard input past 16 MiB (EditFile,
	// EditSecretFile, OpenLayerFiles). It is not read past the cap plus one
	// byte, so a device or an endless pipe cannot exhaust memory. The
	// error's text names the input and the cap.
	ErrTooLarge = atomicfile.ErrTooLarge

	// The errors an edit can wrap in an *EditError:
	//
	// ErrIDPNotFound: no entry of oidc.upstreamIDPs has the given id.
	ErrIDPNotFound = errors.New("no upstream IdP has this id")
	// ErrAnchor: the edit would change or break a YAML anchor, alias or merge
	// key (<<), which would change other places of the file too.
	ErrAnchor = textedit.ErrAnchor
	// ErrSelfCheck: the edited document did not read back as intended. It
	// means a bug in pachidp; the Document is unchanged.
	ErrSelfCheck = textedit.ErrSelfCheck
)

// EditError is an edit pachidp refuses to make, saying where and why. The
// Document is unchanged. Err, when set, is ErrIDPNotFound, ErrAnchor or
// ErrSelfCheck. Wrong shapes of the document (oidc a list, upstreamIDPs a
// string) are reported as *SyntaxError instead.
type EditError struct {
	Path string   // the path the edit was about, such as "oidc.upstreamIDPs"
	Pos  Position // where the problem is, when known
	Msg  string   // what is wrong and what to do; never holds a secret
	Err  error
}

// Error formats the error as `path (line L): message`.
func (e *EditError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return helmyaml.Located(e.Path, e.Pos, e.Msg)
}

// Unwrap returns Err.
func (e *EditError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Document is one Helm values document, YAML or JSON, open for reading and for
// edits of oidc.upstreamIDPs and its neighbours that change only the lines
// they must. It holds the file's bytes, not a map: for values held as a map
// (Helm's chartutil.Values), use HelmValues.
//
// An edit never re-serialises the document. It renders fresh text for the
// region it changes (one entry, the list, one key) in the file's own style
// (indentation, sequence style, line endings; JSON stays JSON) and splices it
// into the original bytes: comments, blank lines, key order, quoting, the
// header and the final newline (or its absence) stay byte for byte. Then it
// parses again what it changed (the top-level entries, or the list items,
// holding the splices; the whole result where that does not prove enough,
// or with FullCheck) and checks that the result reads, as Helm would read
// it, as the old document with only the intended change; on any difference
// the edit fails with ErrSelfCheck. A failed edit leaves the Document
// unchanged.
//
// YAML anchors, aliases and merge keys elsewhere in the file are kept. An
// edit that would have to change one returns an *EditError wrapping ErrAnchor.
//
// Create a Document with OpenDocument or OpenDocumentWith. The zero Document
// is an empty YAML document, as OpenDocument(nil) returns; the methods of a
// nil *Document return an error (or, without an error result, their zero
// results). A Document is not safe for concurrent use.
type Document struct {
	// FullCheck makes every edit check its result by parsing the whole
	// edited document again, comments included, and comparing it node by
	// node with the old one. By default an edit parses again only the
	// top-level entries, or the items of oidc.upstreamIDPs, that its splices
	// touched and proves the rest unchanged by construction (the local check
	// of internal/textedit), and runs the full check wherever that proof
	// does not apply: both accept and refuse the same edits, which the fuzz
	// targets verify by making every edit both ways.
	FullCheck bool

	// doc is the document and its byte-preserving editor. Edits replace it
	// with the edited one and never change it, so a copy of a Document is a
	// snapshot to restore.
	doc *textedit.Doc

	pos    positions // the positions of posDoc
	posDoc *textedit.Doc

	noLookalikes bool // checkLookalikes found none
	// emb, for values inside a manifest (values_manifest.go), is the manifest with
	// doc written in it: edits of doc are spliced into it, positions map
	// into it. man says what was found.
	emb *textedit.Embedded
	man *Manifest
}

// Paths of the keys the edits work on.
const (
	keyOIDC       = "oidc"
	keyIDPs       = "upstreamIDPs"
	keySecretName = "upstreamIDPsSecretName"
	keyMockIDP    = "mockIDP"
	pathIDPs      = "oidc.upstreamIDPs"
)

var idpsPath = []string{keyOIDC, keyIDPs}

// OpenDocument reads a values document, YAML or JSON (detected). An empty
// document is accepted: edits then create the keys they need. A YAML stream
// of several documents is an error: pick one with OpenDocumentWith.
//
// A Kubernetes manifest is read for the values of its Pachyderm release
// (Manifest says which kinds, and where): the Document then reads and edits
// those values, its Bytes are the whole manifest and its positions the
// manifest's lines. A stream of several documents is read so when its
// manifests hold one Pachyderm release. A manifest that holds none, or
// several (choose with OpenDocumentWith), is a *SyntaxError saying so.
// `helm get values` output is read below its header line.
func OpenDocument(data []byte) (*Document, error) {
	return openDocument(data, -1, "")
}

// errNilDocument is the error of an edit or a read of a nil *Document.
var errNilDocument = &SyntaxError{Msg: "nil *Document: create one with OpenDocument"}

// ready makes a zero Document an empty YAML document, which every method
// then reads and edits as OpenDocument(nil) would; for a nil *Document it
// returns an error (errNilDocument), which methods without an error
// result turn into their zero results.
func (v *Document) ready() error {
	if v == nil {
		return errNilDocument
	}
	if v.doc == nil {
		d, err := textedit.Open(nil, 0)
		if err != nil {
			return err
		}
		v.doc = d
	}
	return nil
}

// IsJSON reports whether the document is JSON, such as the output of `helm
// get values -o json`, rather than YAML, the usual form of Helm values.
// Edits of a JSON document write JSON.
func (v *Document) IsJSON() bool {
	if v == nil {
		return false
	}
	if v.emb != nil && v.emb.Outer() != nil {
		return v.emb.Outer().Format() == textedit.FormatJSON
	}
	return v.doc != nil && v.doc.Format() == textedit.FormatJSON
}

// formatName returns "JSON" or "YAML".
func (v *Document) formatName() string {
	if v.IsJSON() {
		return "JSON"
	}
	return "YAML"
}

// Bytes returns the document with every edit applied. The slice must not be
// modified. It holds secrets when the document does.
func (v *Document) Bytes() []byte {
	if v == nil || v.doc == nil {
		return nil
	}
	if v.emb != nil {
		return v.emb.Bytes()
	}
	return v.doc.Bytes()
}

// values returns the whole document as Helm reads it, built on first use.
func (v *Document) values() (any, error) {
	if err := v.ready(); err != nil {
		return nil, err
	}
	val, err := v.doc.Value()
	return val, err
}

// oidcValue returns the value of the oidc key as Helm reads it.
func (v *Document) oidcValue() (any, error) {
	if err := v.ready(); err != nil {
		return nil, err
	}
	val, err := v.doc.TopValue(keyOIDC)
	return val, err
}

// positions returns the position of every path of the document, computed
// on first use for each state of the document.
func (v *Document) positions() positions {
	if v.posDoc != v.doc {
		hp := v.doc.Positions()
		if v.emb != nil {
			hp = v.emb.Positions()
		}
		v.pos = make(positions, len(hp))
		for p, at := range hp {
			v.pos[p] = at
		}
		v.posDoc = v.doc
	}
	return v.pos
}

// ---------------------------------------------------------------------------
// Reading

// Lookup returns the value at a dotted path such as "proxy.host",
// "proxy.tls.enabled" or "oidc.upstreamIDPs[0].id", as Helm reads it
// (YAML 1.1: `enabled: yes` is true), and the position of its key. Keys
// holding dots or brackets are written quoted: `annotations["a.b/c"]`.
// ok is false when the path is absent. Maps and lists are returned as copies.
// Positions are kept down to 32 levels of nesting and paths of 256 bytes
// (the memory budget): a value deeper than that has the zero Position.
// The value may be a secret: do not print it blindly.
func (v *Document) Lookup(path string) (value any, pos Position, ok bool) {
	if v.ready() != nil {
		return nil, Position{}, false
	}
	segs, err := splitPath(path)
	if err != nil {
		return nil, Position{}, false
	}
	cur, err := v.values()
	if err != nil {
		return nil, Position{}, false
	}
	canon := ""
	for _, s := range segs {
		if s.index >= 0 {
			canon = indexPath(canon, s.index)
		} else {
			canon = joinPath(canon, s.key)
		}
		switch c := cur.(type) {
		case map[string]any:
			if s.index >= 0 {
				return nil, Position{}, false
			}
			cur, ok = c[s.key]
		case []any:
			if s.index < 0 || s.index >= len(c) {
				return nil, Position{}, false
			}
			cur, ok = c[s.index], true
		default:
			ok = false
		}
		if !ok {
			return nil, Position{}, false
		}
	}
	if canon != "" {
		pos = v.positions().at(canon)
	}
	return copyValue(cur), pos, true
}

type pathSeg struct {
	key   string
	index int // -1 for a key
}

// splitPath parses the paths joinPath and indexPath write.
func splitPath(p string) ([]pathSeg, error) {
	var out []pathSeg
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			if i == 0 || i == len(p)-1 || p[i+1] == '.' || p[i+1] == '[' {
				return nil, fmt.Errorf("bad path %q", p)
			}
			i++
		case '[':
			rest := p[i+1:]
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil || !strings.HasPrefix(rest[len(q):], "]") {
					return nil, fmt.Errorf("bad path %q", p)
				}
				k, _ := strconv.Unquote(q)
				out = append(out, pathSeg{key: k, index: -1})
				i += 1 + len(q) + 1
				continue
			}
			j := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[:max(j, 0)])
			if j < 0 || err != nil || n < 0 {
				return nil, fmt.Errorf("bad path %q", p)
			}
			out = append(out, pathSeg{index: n})
			i += 1 + j + 1
			continue
		}
		j := i
		for j < len(p) && p[j] != '.' && p[j] != '[' {
			j++
		}
		if j == i {
			continue
		}
		out = append(out, pathSeg{key: p[i:j], index: -1})
		i = j
	}
	return out, nil
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = copyValue(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = copyValue(val)
		}
		return out
	}
	return v
}

// Values returns the whole document as Helm reads a values file
// (chartutil.ReadValues: sigs.k8s.io/yaml over yaml.v2): YAML 1.1 scalars,
// a key written twice keeping its last value, merge keys (<<) applied in
// the order written, keys that are numbers or booleans as their text. An
// empty or null document is an empty map. Numbers are int64 or float64
// (Helm's templates see float64). The conformance module
// conformance/helmread holds it to Helm's own reader. The map is a copy;
// it may hold secrets.
func (v *Document) Values() (map[string]any, error) {
	if err := v.ready(); err != nil {
		return nil, err
	}
	val, err := v.values()
	if err != nil {
		return nil, err
	}
	m, _ := copyValue(val).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// duplicates reports the keys written twice in the document as
// duplicate-key findings in file.
func (v *Document) duplicates(file string) Findings {
	if v == nil || v.doc == nil {
		return nil
	}
	fs := duplicateFindings(v.doc.Duplicates(), "")
	for i := range fs {
		fs[i].File = file
	}
	return fs
}

// UpstreamIDPs decodes oidc.upstreamIDPs. An absent or null list is empty.
// Each entry knows where its keys are (UpstreamIDP.Pos), so Validate reports
// real line numbers. Wrong shapes (oidc not a mapping, the list not a list, an
// entry not a mapping) are *SyntaxError with the place.
func (v *Document) UpstreamIDPs() ([]UpstreamIDP, error) {
	if err := v.ready(); err != nil {
		return nil, err
	}
	list, _, err := v.idpList()
	if err != nil || list == nil {
		return nil, err
	}
	return entriesFromValue(copyValue(list), pathIDPs, v.positions())
}

// idpList returns oidc.upstreamIDPs from the tree, checking the shapes on the
// way; present reports whether the key exists (null included).
func (v *Document) idpList() (list []any, present bool, err error) {
	o, err := v.oidcValue()
	if err != nil || o == nil {
		return nil, false, err
	}
	om, ok := o.(map[string]any)
	if !ok {
		return nil, false, v.shapeError(keyOIDC, fmt.Sprintf("oidc must be a mapping, got %s", typeName(o)))
	}
	l, present := om[keyIDPs]
	if l == nil {
		return nil, present, nil
	}
	list, ok = l.([]any)
	if !ok {
		return nil, true, v.shapeError(pathIDPs, fmt.Sprintf("upstream IdPs must be a list of entries, got %s", typeName(l)))
	}
	return list, true, nil
}

func (v *Document) shapeError(path, msg string) error {
	return &SyntaxError{Path: path, Pos: v.positions().at(path), Msg: msg}
}

// entryIndexes returns the indexes of the entries whose id is id, checking
// that every entry is a mapping.
func (v *Document) entryIndexes(list []any, id string) ([]int, error) {
	for i, item := range list {
		if _, ok := item.(map[string]any); !ok {
			return nil, errEntryShape(i, item, v.positions().at(indexPath(pathIDPs, i)))
		}
	}
	return entriesWithID(len(list), func(i int) any { return list[i].(map[string]any)["id"] }, id), nil
}

// ---------------------------------------------------------------------------
// Edits

// UpsertUpstreamIDP writes e into oidc.upstreamIDPs: an entry with the same
// id is replaced where it stands (its lines only; comments above it stay),
// a new id is appended after the last entry. Missing oidc or upstreamIDPs
// keys are created. Upserting an entry equal to the one in the file changes
// nothing.
//
// The entry is written as given, keys in the guide's order. In particular a
// replaced entry does not keep its old configVersion: pachd overwrites
// configVersion with its stored version plus one on every start, so the
// value in the file has no effect, and e.ConfigVersion (normally 0, not
// written) is what the file gets.
func (v *Document) UpsertUpstreamIDP(e UpstreamIDP) error {
	if err := v.ready(); err != nil {
		return err
	}
	if err := checkTree(e); err != nil {
		return err
	}
	if e.ID == "" {
		return errNoID(pathIDPs)
	}
	ent, plainEnt, err := canonicalEntry(e, pathIDPs)
	if err != nil {
		return err
	}
	list, _, err := v.idpList()
	if err != nil {
		return err
	}
	idx, err := v.entryIndexes(list, e.ID)
	if err != nil {
		return err
	}
	step, i, err := planUpsert(idx, e.ID,
		func(i int) bool { _, same := textedit.Equal(list[i], plainEnt); return same },
		func(i int) Position { return v.positions().at(indexPath(pathIDPs, i)) })
	switch {
	case err != nil:
		return err
	case step == upsertNone:
		return nil
	case step == upsertAppend:
		newList := append(slices.Clip(list), plainEnt)
		return v.editList(textedit.ListAppend, len(list), ent, newList)
	}
	newList := slices.Clone(list)
	newList[i] = plainEnt
	return v.editList(textedit.ListReplace, i, ent, newList)
}

// RemoveUpstreamIDP removes every entry of oidc.upstreamIDPs whose id is id:
// its lines, the comment lines right above its '-' (at the same
// indentation), and the blank line that separated it from its neighbour. A
// list that becomes empty is written `upstreamIDPs: []`. When no entry has
// the id, the error wraps ErrIDPNotFound.
func (v *Document) RemoveUpstreamIDP(id string) error {
	if err := v.ready(); err != nil {
		return err
	}
	list, _, err := v.idpList()
	if err != nil {
		return err
	}
	idx, err := v.entryIndexes(list, id)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return errNotFound(id)
	}
	saved := *v
	for {
		list, _, _ := v.idpList()
		idx, _ := v.entryIndexes(list, id)
		if len(idx) == 0 {
			return nil
		}
		i := idx[0]
		newList := slices.Concat(list[:i], list[i+1:])
		if err := v.editList(textedit.ListRemove, i, nil, newList); err != nil {
			*v = saved
			return err
		}
	}
}

// SetUpstreamIDPs replaces the whole oidc.upstreamIDPs list (nil or empty
// writes `upstreamIDPs: []`). The lines under the key, comments among the
// old entries included, are replaced; comments above the key stay. Old entries of any shape are replaced, so this
// also repairs a list holding malformed entries; oidc and the list itself
// must be a mapping and a list. Every new entry needs a unique id. Setting
// the list the file already holds changes nothing.
func (v *Document) SetUpstreamIDPs(idps []UpstreamIDP) error {
	if err := v.ready(); err != nil {
		return err
	}
	if err := checkEntries(idps); err != nil {
		return err
	}
	if err := checkNewList(idps); err != nil {
		return err
	}
	render := make([]any, len(idps))
	plainList := make([]any, len(idps))
	for i, e := range idps {
		ent, pe, err := canonicalEntry(e, indexPath(pathIDPs, i))
		if err != nil {
			return err
		}
		render[i], plainList[i] = ent, pe
	}
	list, present, err := v.idpList()
	if err != nil {
		return err
	}
	if present && list != nil {
		if _, same := textedit.Equal(list, plainList); same {
			return nil
		}
	}
	return v.editList(textedit.ListSetAll, 0, nil, plainList, render...)
}

// setUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName: the chart then
// reads the entries from the key upstream-idps of that Kubernetes Secret and
// ignores the inline list. name must not be empty: use
// clearUpstreamIDPsSecretName.
func (v *Document) setUpstreamIDPsSecretName(name string) error {
	if name == "" {
		return errEmptySecretName()
	}
	// The same rule as HelmValues and UpstreamIDPsSecret.Manifest: Kubernetes
	// refuses other names, and the chart would then read no Secret.
	if err := checkDNSSubdomain("Secret name", name); err != nil {
		return &EditError{Path: keyOIDC + "." + keySecretName, Msg: err.Error()}
	}
	return v.setOIDCScalar(keySecretName, name, false)
}

// clearUpstreamIDPsSecretName sets oidc.upstreamIDPsSecretName to "" when the
// file sets it, so that the chart uses the inline list again. An absent or
// empty key is left alone.
func (v *Document) clearUpstreamIDPsSecretName() error {
	return v.setOIDCScalar(keySecretName, "", true)
}

// DisableMockIDP sets oidc.mockIDP to false, creating the key when needed.
// The chart uses its mock IdP only when the list and the Secret name are both
// empty, so a non-empty list already wins over mockIDP: true; this makes the
// intent explicit.
func (v *Document) DisableMockIDP() error {
	if err := v.ready(); err != nil {
		return err
	}
	return v.setOIDCScalar(keyMockIDP, false, false)
}

// UseUpstreamIDPsSecret switches the document to entries kept in a Secret:
// it sets oidc.upstreamIDPsSecretName to name and empties the inline list to
// `upstreamIDPs: []` (an absent list stays absent). Before deploying, create
// the Secret with the entries in its key upstream-idps (UpstreamIDPsSecret.Manifest).
func (v *Document) UseUpstreamIDPsSecret(name string) error {
	if err := v.ready(); err != nil {
		return err
	}
	if name == "" {
		return &EditError{Path: keyOIDC + "." + keySecretName, Msg: "empty Secret name: pass the name of the Secret holding the key upstream-idps"}
	}
	saved := *v
	if err := v.setUpstreamIDPsSecretName(name); err != nil {
		return err
	}
	list, present, err := v.idpList()
	if err == nil && present && (list == nil || len(list) > 0) {
		err = v.editList(textedit.ListSetAll, 0, nil, []any{})
	}
	if err != nil {
		*v = saved
	}
	return err
}

// UseInlineUpstreamIDPs is the reverse of UseUpstreamIDPsSecret: it sets the
// inline list to idps (as SetUpstreamIDPs) and clears
// oidc.upstreamIDPsSecretName.
func (v *Document) UseInlineUpstreamIDPs(idps []UpstreamIDP) error {
	if err := v.ready(); err != nil {
		return err
	}
	if err := checkEntries(idps); err != nil {
		return err
	}
	saved := *v
	err := v.SetUpstreamIDPs(idps)
	if err == nil {
		err = v.clearUpstreamIDPsSecretName()
	}
	if err != nil {
		*v = saved
	}
	return err
}

// canonicalEntry returns the entry as an ordered value to render and as the
// plain value Helm would read back.
func canonicalEntry(e UpstreamIDP, path string) (textedit.OrderedMap, map[string]any, error) {
	c, err := canonical(e.ordered(), path)
	if err != nil {
		return nil, nil, err
	}
	m := c.(textedit.OrderedMap)
	return m, textedit.Plain(m).(map[string]any), nil
}

// canonical converts a value to the forms the editor writes:
// textedit.OrderedMap, []any, string, bool, int64, float64 and nil.
func canonical(v any, path string) (any, error) {
	switch x := v.(type) {
	case orderedMap:
		out := make(textedit.OrderedMap, len(x))
		for i, it := range x {
			c, err := canonical(it.Value, joinPath(path, it.Key))
			if err != nil {
				return nil, err
			}
			out[i] = textedit.MapItem{Key: it.Key, Value: c}
		}
		return out, nil
	case map[string]any:
		return canonical(orderGeneric(x), path)
	case ConnectorConfig:
		return canonical(orderGeneric(x), path)
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			c, err := canonical(it, indexPath(path, i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case string:
		if !utf8.ValidString(x) {
			return nil, &EditError{Path: path, Msg: "the string is not valid UTF-8"}
		}
		return x, nil
	case nil, bool, int64, float64:
		return x, nil
	}
	n := normalize(v)
	switch n.(type) {
	case map[string]any, []any, string, bool, int64, float64, nil:
		return canonical(n, path)
	}
	return nil, &EditError{Path: path, Msg: fmt.Sprintf("a value of Go type %T cannot be written to a values file: use strings, bools, numbers, []any and map[string]any", v)}
}

// editList changes oidc.upstreamIDPs (textedit.Doc.EditList): newList is
// the list Helm must read afterwards, entry the rendered entry for
// ListReplace and ListAppend, render the items to write for ListSetAll
// (defaulting to newList).
func (v *Document) editList(op textedit.ListOp, index int, entry textedit.OrderedMap, newList []any, render ...any) error {
	if err := v.readOnly(); err != nil {
		return err
	}
	if err := v.checkLookalikes(); err != nil {
		return err
	}
	v.doc.FullCheck = v.FullCheck
	d, err := v.doc.EditList(idpsPath, op, index, entry, newList, render...)
	if err != nil {
		return v.editError(err)
	}
	return v.setDoc(d)
}

// readOnly refuses edits of values inside a manifest that cannot be
// edited in place (a JSON manifest, a flow mapping, a quoted string).
func (v *Document) readOnly() error {
	if v.emb != nil && v.emb.ReadOnly() != "" {
		_, err := v.emb.With(nil)
		return fromEditor(err)
	}
	return nil
}

// setDoc makes d, an edit of doc, the document: inside a manifest, spliced
// into it.
func (v *Document) setDoc(d *textedit.Doc) error {
	if v.emb != nil {
		e, err := v.emb.With(d)
		if err != nil {
			return fromEditor(err)
		}
		v.emb = e
	}
	v.doc = d
	return nil
}

// editError returns the editor's refusal with its position in the input.
func (v *Document) editError(err error) error {
	if v.emb != nil {
		err = v.emb.MapError(err)
	}
	return fromEditor(err)
}

// setOIDCScalar sets oidc.key to val; with onlyIfPresent, only when the
// file sets it to something other than null or "".
func (v *Document) setOIDCScalar(key string, val any, onlyIfPresent bool) error {
	o, err := v.oidcValue()
	if err != nil {
		return err
	}
	if o != nil {
		om, ok := o.(map[string]any)
		if !ok {
			return v.shapeError(keyOIDC, fmt.Sprintf("oidc must be a mapping, got %s", typeName(o)))
		}
		old, present := om[key]
		if present && old == val {
			return nil
		}
		if onlyIfPresent && (old == nil || old == "") {
			return nil
		}
	} else if onlyIfPresent {
		return nil
	}
	if err := v.readOnly(); err != nil {
		return err
	}
	if err := v.checkLookalikes(); err != nil {
		return err
	}
	v.doc.FullCheck = v.FullCheck
	d, err := v.doc.SetPath([]string{keyOIDC, key}, val)
	if err != nil {
		return v.editError(err)
	}
	return v.setDoc(d)
}

// fromEditor returns the editor's refusal as an *EditError of this package.
func fromEditor(err error) error {
	if e, ok := err.(*textedit.EditError); ok {
		return &EditError{Path: e.Path, Pos: e.Pos, Msg: e.Msg, Err: e.Err}
	}
	return err
}

// Set sets the scalar at a dotted path of keys, such as "proxy.host" or
// "proxy.tls.enabled" (Lookup's syntax: a key holding dots or brackets is
// written quoted, `annotations["a.b/c"]`), to value: a string, a bool, an
// integer, a float64 or nil (written `null`, which makes Helm drop the
// chart's default). The mappings on the way are created when missing. Like
// every edit it is byte-preserving: an existing value is replaced where it
// stands, a new key is appended to its mapping in the file's style, and
// every other byte stays; inside a manifest the values are edited in place.
//
// Set refuses (an *EditError naming the path) a path with a list index, a
// path through a value that is not a mapping, replacing a mapping or a list
// by a scalar, a value that is not a scalar, and paths under
// oidc.upstreamIDPs, whose entries UpsertUpstreamIDP and RemoveUpstreamIDP
// edit as a whole. A value equal to the current one changes nothing. A failed
// edit leaves the Document unchanged.
func (v *Document) Set(path string, value any) error {
	if err := v.ready(); err != nil {
		return err
	}
	switch x := value.(type) {
	case nil, string, bool, int64, float64:
	case int:
		value = int64(x)
	case int32:
		value = int64(x)
	default:
		return &EditError{Path: path, Msg: fmt.Sprintf("%s is not a scalar: Set writes strings, booleans, numbers and null", typeName(value))}
	}
	segs, err := splitPath(path)
	if err != nil || len(segs) == 0 {
		return &EditError{Path: path, Msg: "not a path of keys: write it as proxy.tls.enabled (a key holding a dot as annotations[\"a.b/c\"])"}
	}
	keys := make([]string, len(segs))
	for i, s := range segs {
		if s.index >= 0 {
			return &EditError{Path: path, Msg: "a list index: Set writes scalars at paths of keys, never inside lists"}
		}
		if s.key == "" {
			return &EditError{Path: path, Msg: "an empty key"}
		}
		keys[i] = s.key
	}
	if len(keys) >= 2 && keys[0] == keyOIDC && keys[1] == keyIDPs {
		return &EditError{Path: path, Msg: "the entries of oidc.upstreamIDPs are edited as a whole: use UpsertUpstreamIDP or RemoveUpstreamIDP (pachidp add, remove)"}
	}
	root, err := v.values()
	if err != nil {
		return err
	}
	cur, canon := root, ""
	for i, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			if cur == nil {
				break // a null mapping on the way: created
			}
			return &EditError{Path: canon, Pos: v.positions().at(canon), Msg: fmt.Sprintf("%s is %s, not a mapping: %s cannot be set below it", canon, typeName(cur), path)}
		}
		canon = joinPath(canon, k)
		next, present := m[k]
		if !present {
			break
		}
		if i == len(keys)-1 {
			switch next.(type) {
			case map[string]any, []any:
				return &EditError{Path: canon, Pos: v.positions().at(canon), Msg: fmt.Sprintf("%s is %s: set the keys below it, not %s itself", canon, typeName(next), canon)}
			}
			if next == value {
				return nil // unchanged
			}
		}
		cur = next
	}
	if err := v.readOnly(); err != nil {
		return err
	}
	if err := v.checkLookalikes(); err != nil {
		return err
	}
	v.doc.FullCheck = v.FullCheck
	d, err := v.doc.SetPath(keys, value)
	if err != nil {
		return v.editError(err)
	}
	return v.setDoc(d)
}
