package main

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"

	"gopkg.in/yaml.v3"
)

// valuesFilesUsage is the help of -f on the subcommands that read values.
const valuesFilesUsage = "a Helm values `FILE` (- for standard input); repeated: one layered set, merged as helm -f merges it"

// valuesFiles declares -f, repeatable: the files of a layered set.
func (fs *flagSet) valuesFiles() *stringList {
	l := new(stringList)
	fs.Var(l, "f", valuesFilesUsage)
	fs.releaseFlag()
	return l
}

// editFlag declares --edit, the file of a layered set an edit writes.
func (fs *flagSet) editFlag() *string {
	return fs.String("edit", "", "with several -f: the `FILE` (one of them) to edit when the one that defines oidc.upstreamIDPs is ambiguous (default: that one)")
}

// valueSet is the values a subcommand reads: one -f file, or several
// merged as helm -f merges them (pachidp.Layers).
type valueSet struct {
	files  []*valuesFile
	layers *pachidp.Layers   // nil for one file
	name   string            // "values.yaml", or "base.yaml + prod.yaml"
	merged *pachidp.Document // the merged values when they were last computed
}

// openSet reads the -f files of a subcommand that only reads them.
func (e *env) openSet(paths []string) (*valueSet, error) {
	return e.openFiles(e.withValuesFiles(paths), readValues)
}

// openFiles reads the -f files (kustomizations' valuesFiles already added)
// with openFile: one file is read as it always was; several make a layered
// set, read without locks (openEdit locks the one it writes).
func (e *env) openFiles(paths []string, o openOptions) (*valueSet, error) {
	if len(paths) != 1 {
		return e.openLayered(paths, o)
	}
	vf, err := e.openFile(paths[0], o)
	if err != nil {
		return nil, err
	}
	s := &valueSet{files: []*valuesFile{vf}, name: vf.name}
	vf.set = s
	return s, nil
}

func (e *env) openLayered(paths []string, o openOptions) (*valueSet, error) {
	if len(paths) == 0 {
		return nil, e.usageError("-f FILE is required: the Helm values file (- for standard input)")
	}
	if n := slices.Index(paths, "-"); n >= 0 && slices.Index(paths[n+1:], "-") >= 0 {
		return nil, e.usageError("-f - is given twice: standard input can be read once")
	}
	s := &valueSet{name: strings.Join(displayNames(paths), " + ")}
	for _, p := range paths {
		vf, err := e.openFile(p, openOptions{document: o.document})
		if err != nil {
			return nil, err
		}
		vf.set = s
		s.files = append(s.files, vf)
	}
	l, err := layersOf(s.files)
	if err != nil {
		return nil, e.failf(exitUsage, "%s", describe("", err))
	}
	s.layers = l
	if s.merged, err = l.MergedValues(); err != nil {
		return nil, e.failf(exitUsage, "%s: %v", s.name, err)
	}
	return s, nil
}

// layersOf makes the files one layered set, in their order.
func layersOf(files []*valuesFile) (*pachidp.Layers, error) {
	set := make([]pachidp.Layer, 0, len(files))
	for _, f := range files {
		set = append(set, pachidp.Layer{Name: f.name, Values: f.v})
	}
	return pachidp.NewLayers(set, pachidp.LayersOptions{})
}

// values returns the values to read settings from: the file, or the
// merged values of a layered set (as they are now, edits included; their
// positions are in no file: locate the findings).
func (s *valueSet) values() *pachidp.Document {
	if s.layers == nil {
		return s.files[0].v
	}
	if m, err := s.layers.MergedValues(); err == nil {
		s.merged = m
	}
	return s.merged
}

// layered reports whether the set has several files.
func (s *valueSet) layered() bool { return s.layers != nil }

// locate returns the file and the finding with the line that set its path:
// for one file the file itself; for a layered set the layer whose value
// won (pachidp.Layers.Locate).
func (s *valueSet) locate(f pachidp.Finding) (string, pachidp.Finding) {
	if s.layers == nil {
		return s.name, f
	}
	lf := s.layers.Locate(f)
	file := lf.File
	lf.File = ""
	return file, lf
}

// lookup returns a value of the merged values, the file and the position
// that set it.
func (s *valueSet) lookup(path string) (any, string, pachidp.Position, bool) {
	if s.layers == nil {
		v, pos, ok := s.files[0].v.Lookup(path)
		return v, s.name, pos, ok
	}
	v, from, ok := s.layers.Lookup(path)
	return v, from.Name, from.Pos, ok
}

// openEdit reads the -f files of an edit and returns the file it writes:
// the only one, or, for a layered set, the one that defines
// oidc.upstreamIDPs (pachidp.Layers.EditTarget), or choice (--edit). With
// inPlace the file is checked not to have changed since it was read: at
// once under its lock, held until the command returns, or in an optimistic
// run before the write (env.verify).
func (e *env) openEdit(paths []string, choice string, inPlace bool) (*valuesFile, error) {
	paths = e.withValuesFiles(paths)
	if len(paths) == 1 {
		if choice != "" && choice != paths[0] && !samePath(choice, paths[0]) {
			return nil, e.usageError("--edit %s is not one of the -f files (%s)", choice, displayName(paths[0]))
		}
		if err := e.checkInPlace(paths[0], inPlace); err != nil {
			return nil, err
		}
	}
	s, err := e.openFiles(paths, openOptions{inPlace: inPlace, document: -1})
	if err != nil {
		return nil, err
	}
	vf := s.files[0]
	if s.layered() {
		if vf, err = e.editTarget(s, choice); err != nil {
			return nil, err
		}
		if err := e.lockEdited(vf, inPlace); err != nil {
			return nil, err
		}
	}
	if e.report != nil {
		e.report.Edited = vf.name
	}
	if !s.layered() {
		return vf, nil
	}
	if choice != "" {
		e.notef("editing %s (--edit) of %s", vf.name, s.name)
	} else {
		e.notef("editing %s: the file of %s that sets oidc.upstreamIDPs as Helm reads it", vf.name, s.name)
	}
	return vf, nil
}

// editTarget returns the file of a layered set an edit writes: choice
// (--edit) or the one that defines oidc.upstreamIDPs.
func (e *env) editTarget(s *valueSet, choice string) (*valuesFile, error) {
	name := ""
	if choice != "" {
		name = displayName(choice)
		if _, found := s.layers.Index(name); !found {
			for _, vf := range s.files {
				if samePath(choice, vf.path) {
					name = vf.name
				}
			}
		}
	}
	l, err := s.layers.EditTarget(name)
	if err != nil {
		var le *pachidp.LayerError
		switch {
		case !errors.As(err, &le):
		case len(le.Candidates) > 0: // no single file is the one
			return nil, e.usageError("%s: pass --edit FILE; nothing was written", le.Error())
		case le.ShadowedBy != nil: // the choice is overridden by a later file
			return nil, e.failf(exitUsage, "--edit %s: %s; nothing was written", choice, le.Error())
		default:
			return nil, e.usageError("--edit %s: %v", choice, le.Err)
		}
		return nil, e.failf(exitUsage, "%s", describe(s.name, err))
	}
	i, _ := s.layers.Index(l.Name)
	return s.files[i], nil
}

// lockEdited makes sure the file of a layered set an edit writes in place
// does not change unseen: an optimistic run records what it read (verify
// checks it before the write); any other takes its lock now and checks
// that the file still holds what was read.
func (e *env) lockEdited(vf *valuesFile, inPlace bool) error {
	if err := e.checkInPlace(vf.path, inPlace); err != nil || !inPlace {
		return err
	}
	if e.optimistic {
		e.expect(expectedFile{path: vf.path, data: vf.orig})
		return nil
	}
	if err := e.lock(vf.path); err != nil {
		return err
	}
	vf.lock = e.locks[len(e.locks)-1]
	data, err := atomicfile.ReadFile(vf.path, atomicfile.MaxValuesFileSize, vf.path+" (the values file (-f))")
	if err != nil || !bytes.Equal(data, vf.orig) {
		return e.failf(exitUsage, "%s changed while it was read: run the command again; nothing was written", vf.name)
	}
	return nil
}

// settings returns the values an edit reads its settings from (hosts,
// issuer, the Secret's name): the merged values of its set, edits
// included.
func (vf *valuesFile) settings() *pachidp.Document {
	if vf.set == nil {
		return vf.v
	}
	return vf.set.values()
}

// setName names the set of an edited file in messages.
func (vf *valuesFile) setName() string {
	if vf.set == nil {
		return vf.name
	}
	return vf.set.name
}

// ---------------------------------------------------------------------------
// JSON

// jsonFinding is a finding in every -o json output: the file and line that
// set the value, its path, rule, severity and message; validate's also
// carry fate, detail, and suppressed and reason (withReport). Messages
// never hold a secret.
type jsonFinding struct {
	File       string       `json:"file"`
	Line       int          `json:"line"`
	Column     int          `json:"column"`
	Path       string       `json:"path"`
	Rule       string       `json:"rule"`
	Severity   string       `json:"severity"`
	Fate       pachidp.Fate `json:"fate,omitempty"`
	Message    string       `json:"message"`
	Detail     string       `json:"detail,omitempty"`
	Suppressed bool         `json:"suppressed,omitempty"`
	Reason     string       `json:"reason,omitempty"`
}

// withReport adds what validate reports of a finding: its fate, the rule's
// detail, and whether and why it is silenced.
func (j jsonFinding) withReport(f pachidp.Finding) jsonFinding {
	j.Fate, j.Detail, j.Suppressed, j.Reason = f.Fate, f.Detail, f.Suppressed, f.Reason
	return j
}

// lossFinding is a conversion's loss as a finding of the rule not-carried,
// its path under base ("oidc.upstreamIDPs" or "").
func lossFinding(base string, l pachidp.Loss) pachidp.Finding {
	return pachidp.Finding{Path: base + l.Path, Pos: l.Pos, Rule: pachidp.RuleNotCarried, Severity: pachidp.SeverityWarning, Message: l.Reason}
}

func newJSONFinding(file string, f pachidp.Finding) jsonFinding {
	return jsonFinding{File: file, Line: f.Pos.Line, Column: f.Pos.Column, Path: f.Path, Rule: string(f.Rule), Severity: f.Severity.String(), Message: f.Message}
}

// editReport is what every edit (add, remove, import, set-secret, secret,
// inline) prints with -o json instead of the document.
type editReport struct {
	Command  string        `json:"command"`
	File     *string       `json:"file"`               // the values file written; null when nothing was written
	Edited   string        `json:"edited"`             // the file the edit is for (written with --in-place)
	Manifest *string       `json:"manifest,omitempty"` // the Secret manifest written (secret, or an edit in secret mode)
	Changed  bool          `json:"changed"`            // the edit changes the file
	Added    []string      `json:"added"`
	Replaced []string      `json:"replaced"`
	Removed  []string      `json:"removed"`
	Notes    []string      `json:"notes"`
	Findings []jsonFinding `json:"findings"`
}

func newEditReport(cmd string) *editReport {
	return &editReport{Command: cmd, Added: []string{}, Replaced: []string{}, Removed: []string{}, Notes: []string{}, Findings: []jsonFinding{}}
}

// jsonFlag declares -o on an edit, and returns whether it asks for JSON.
func (fs *flagSet) editOutput() *string {
	return fs.String("o", "", "output `format`: json prints an object saying what the edit did instead of the document (see --help)")
}

// editJSONHelp documents editReport in each edit's --help.
const editJSONHelp = `
-o json prints, instead of the document, one JSON object saying what the
edit did: command, file (the file written, null when nothing was), edited
(the file the edit is for), manifest (a Secret manifest written, when
there is one), changed (true when the edit changes the file), added,
replaced and removed (entry ids), notes, and findings (objects with file,
line, column, path, rule, severity and message). It never holds a secret.
`

// startJSON checks -o of an edit and sets e.report.
func (e *env) startJSON(o string) error {
	switch o {
	case "", "text":
		return nil
	case "json":
		if e.diff {
			return e.usageError("-o json and --diff: pass one of them")
		}
		e.report = newEditReport(e.cmd)
		return nil
	}
	return e.usageError("-o %q: pass json (or leave it out for the document)", o)
}

// noteFinding records a finding of an edit for -o json.
func (e *env) noteFinding(file string, f pachidp.Finding) {
	if e.report != nil {
		e.report.Findings = append(e.report.Findings, newJSONFinding(file, f))
	}
}

// redactedTree reads text, a YAML or JSON document, as JSON output shows
// it: with every secret REDACTED (pachidp.RedactText), so that no shape of a
// secret in the text can reach the tree.
func redactedTree(text []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(pachidp.RedactText(text), &v); err != nil {
		return nil, err
	}
	return v, nil
}

// single returns the only -f file, or "" for none or several (checked by
// openEdit once the file to edit is known).
func single(files []string) string {
	if len(files) == 1 {
		return files[0]
	}
	return ""
}
