// Package textedit is the byte-preserving editor of YAML and JSON values
// documents: it changes a value at a path (keys from the root) or a list of
// mappings at a path, and nothing else. It knows nothing of identity
// providers: its API is paths and plain values (OrderedMap, []any, string,
// bool, int64, float64, nil); the domain (which path, which list rules)
// belongs to its caller.
//
// What it guarantees for an edit it accepts:
//
//   - Bytes outside the edited region are unchanged: an edit never
//     re-serialises the document. It renders fresh text for the region it
//     changes (one value, one list item, the list) in the file's own style
//     (indentation, sequence offset, line breaks; JSON stays JSON) and
//     splices it into the original bytes, so comments, blank lines, key
//     order, quoting, anchors elsewhere, other documents of the stream, the
//     header and the final newline (or its absence) stay byte for byte.
//   - The result, read again as Helm reads it (YAML 1.1, internal/helmyaml),
//     equals the old document with only the intended value changed. Every
//     edit checks this before it is accepted: by parsing again only the
//     top-level entries or list items the splices touched, where local.go
//     proves that enough, and otherwise (or with Doc.FullCheck) by parsing
//     the whole result and comparing it node by node with the old document.
//
// What makes it refuse (with an *EditError; the Doc is unchanged, as an
// edit returns a new Doc): a change that would touch an alias, an anchor
// some alias uses, or a key that comes from a merge key (ErrAnchor); a path
// through flow-style mappings or keys that do not start their line; a
// value of the wrong shape on the path (*SyntaxError); a value it cannot
// write so that it reads back the same; and any result that does not read
// back as intended (ErrSelfCheck, which means a bug in the editor).
//
// A document written inside another (the Helm values of a Kubernetes
// manifest: a block mapping, or a literal block scalar) is edited through
// Embedded with the same guarantees, stated for the outer document: its
// bytes outside the lines of the values are unchanged, the lines of the
// values an edit keeps keep their bytes, and the result reads back as the
// old outer document with only the values changed, and the values as the
// edited inner document.
package textedit
