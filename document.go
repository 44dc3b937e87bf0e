package pachidp

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// Position is a place in a YAML or JSON document: Line and Column, both
// 1-based (in JSON "line" and "column"). The zero Position means "not from
// a file". IsValid reports whether a Position points into a document;
// String formats it as "line:column", or "-" for the zero Position.
//
//	type Position struct {
//		Line   int `json:"line"`
//		Column int `json:"column"`
//	}
//
// (It is defined once, in the internal YAML reader that makes positions;
// this is its name here.)
type Position = helmyaml.Position

// SyntaxError is returned when a document cannot be read at all: invalid YAML
// or JSON, several documents where one was expected, or a value of the wrong
// shape where the structure must be a mapping or a list. Its Error method
// formats it as `path (line L): message`, leaving out what is unknown.
//
//	type SyntaxError struct {
//		Path string   // path of the offending value, "" for the document itself
//		Pos  Position // where it is, when known
//		Msg  string
//		// Documents is set when the input is a YAML stream of several
//		// documents (how many), which OpenDocument refuses: pick one with
//		// FileOptions.Document.
//		Documents int
//		// Releases is set when the input is a manifest whose Pachyderm
//		// release must be chosen by name (FileOptions.Release): the names
//		// of its releases of Pachyderm's chart, or of the one whose chart
//		// the manifest does not name. A command adds its own flag for the
//		// choice.
//		Releases []string
//		// contains unexported fields
//	}
//
// (It is defined once, in the internal YAML reader that returns it; this is
// its name here.)
type SyntaxError = helmyaml.SyntaxError

// positions maps absolute paths ("oidc.upstreamIDPs[0].config.issuer") to
// the place of the key (for mapping values) or of the item (for sequence items).
type positions map[string]Position

func (p positions) at(path string) Position {
	if p == nil {
		return Position{}
	}
	return p[path]
}

// The YAML 1.1 reader lives in internal/helmyaml; these are its names in
// this package.

func joinPath(base, key string) string              { return helmyaml.JoinPath(base, key) }
func indexPath(base string, i int) string           { return helmyaml.IndexPath(base, i) }
func parseDocument(data []byte) (*yaml.Node, error) { return helmyaml.ParseDocument(data) }

// toValue reads a node as Helm does (helmyaml.ToValue), recording the
// position of every path into pos when not nil.
func toValue(n *yaml.Node, path string, pos positions) (any, error) {
	if pos == nil {
		val, err := helmyaml.ToValue(n, path, nil)
		return val, err
	}
	hp := helmyaml.Positions{}
	val, err := helmyaml.ToValue(n, path, hp)
	_, had := pos[path]
	for p, at := range hp {
		if p != path || !had {
			pos[p] = at
		}
	}
	return val, err
}

func resolveYAML11(s string) any { return helmyaml.ResolveYAML11(s) }
func typeName(v any) string      { return helmyaml.TypeName(v) }

// refusedByHelm reports whether se is YAML that Helm's own reader refuses
// (a null key, .inf): helm install fails on it; ValidateValues reports it
// as a finding.
func refusedByHelm(se *SyntaxError) bool { return helmyaml.RefusedByHelm(se) }

// duplicateFindings reports each key written twice in a document
// (helmyaml.Duplicates), with paths under base: a warning at the
// occurrence Helm's reader (and pachd's) keeps.
func duplicateFindings(ds []helmyaml.Duplicate, base string) Findings {
	var fs Findings
	for _, d := range ds {
		p := d.Path
		switch {
		case base == "":
		case strings.HasPrefix(p, "["):
			p = base + p
		default:
			p = base + "." + p
		}
		fs = append(fs, Finding{Path: p, Pos: d.Pos, Rule: RuleDuplicateKey, Severity: SeverityWarning, Fate: FateIgnored,
			Message: fmt.Sprintf("written twice (lines %d and %d): the value on line %d counts and the other is dropped: delete one", d.First.Line, d.Pos.Line, d.Pos.Line)})
	}
	return fs
}
