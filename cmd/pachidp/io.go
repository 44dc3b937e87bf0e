package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

// stdinName is how messages name standard input.
const stdinName = "<stdin>"

// displayName is how messages name the input path.
func displayName(path string) string {
	if path == "-" {
		return stdinName
	}
	return path
}

// readInput reads a file, or standard input for "-". what says what the
// input is ("the values file", "--client-secret-file"), for the message
// when standard input is asked for twice.
//
// Every input has a size cap (atomicfile.MaxValuesFileSize, ...): past it the
// command stops after reading the cap plus one byte, so /dev/zero or an
// endless pipe cannot exhaust memory.
func (e *env) readInput(path, what string) ([]byte, error) {
	return e.readInputLimited(path, what, atomicfile.MaxValuesFileSize)
}

// readInputLimited is readInput with the cap of a file; standard input has
// atomicfile.MaxStdinSize, or the file's cap when it is smaller.
func (e *env) readInputLimited(path, what string, limit int64) ([]byte, error) {
	if path == "-" {
		if e.stdinUsedBy != "" {
			return nil, e.usageError("%s and %s both read standard input (-): pass a file to one of them", e.stdinUsedBy, what)
		}
		e.stdinUsedBy = what
		data, err := atomicfile.ReadLimited(e.stdin, min(limit, atomicfile.MaxStdinSize), "standard input ("+what+")")
		if err != nil {
			return nil, e.failf(exitUsage, "reading %s from standard input: %v", what, err)
		}
		return data, nil
	}
	data, err := atomicfile.ReadFile(path, limit, path+" ("+what+")")
	var se *atomicfile.SizeError
	if errors.As(err, &se) {
		return nil, e.failf(exitUsage, "%v", err)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, e.failf(exitUsage, "%s: cannot read %s: %v", path, what, err)
	}
	return data, nil
}

// valuesFile is an opened values document.
type valuesFile struct {
	path string // as given, "-" for standard input
	name string // for messages
	orig []byte
	v    *pachidp.Document
	lock *atomicfile.Lock // held from the read on, for an edit in place
	set  *valueSet        // the -f files it is one of (openSet, openEdit)
	// target is the chart version of the manifest holding the values,
	// when --chart-version was not given (manifest.go).
	target *pachidp.Target
}

// openOptions says how a subcommand opens its -f files.
type openOptions struct {
	// inPlace: the file is written back (an edit --in-place), so it
	// cannot change unseen between this read and writeEdit's rename: a run
	// that locks before reading (env.optimistic false) takes its lock
	// first, held until the command returns; an optimistic run records what
	// it read, and writeEdit checks it under the lock (env.verify).
	inPlace bool
	// document is validate's --document: the index of the document to read
	// in a stream; -1 reads a file of one document (or of manifests).
	document int
}

// readValues is openOptions for a file only read.
var readValues = openOptions{document: -1}

// openFile is the one sequence every subcommand opens a values file with:
// the lock of an in-place edit, the read under the size cap, the record of
// what an optimistic edit read, the parse (a values document, or the values
// inside a manifest: --release, --document), the syntax error said with
// the command's flags, and the note naming the manifest that holds the
// values.
func (e *env) openFile(path string, o openOptions) (*valuesFile, error) {
	if path == "" {
		return nil, e.usageError("-f FILE is required: the Helm values file (- for standard input)")
	}
	inPlace := o.inPlace && path != "-"
	var lock *atomicfile.Lock
	if _, err := os.Stat(path); inPlace && err == nil && !e.optimistic {
		// (A file that is missing or unreadable is reported by the read.)
		if err := e.lock(path); err != nil {
			return nil, err
		}
		lock = e.locks[len(e.locks)-1]
	}
	data, err := e.readInput(path, "the values file (-f)")
	if err != nil {
		return nil, err
	}
	if inPlace {
		e.expect(expectedFile{path: path, data: data})
	}
	vf := &valuesFile{path: path, name: displayName(path), orig: data, lock: lock}
	if vf.v, err = e.openDocument(data, o.document); err != nil {
		return nil, e.failf(exitUsage, "%s", describe(vf.name, commandSyntax(err)))
	}
	e.manifestOpened(vf)
	return vf, nil
}

// commandSyntax says a syntax error of the library, which speaks to Go
// callers, in the command's words.
func commandSyntax(err error) error {
	var se *pachidp.SyntaxError
	if errors.As(err, &se) && se.Documents > 1 {
		// A values file passed to helm -f is one document.
		err = &pachidp.SyntaxError{Pos: se.Pos, Msg: fmt.Sprintf("the input holds %d YAML documents", se.Documents) + ": a values file is one document; split it and pass the part with oidc"}
	}
	if errors.As(err, &se) && len(se.Releases) > 0 {
		// The library names FileOptions.Release; the command's choice is
		// its flag.
		flag := "--release NAME"
		if len(se.Releases) == 1 {
			flag = "--release " + se.Releases[0]
		}
		err = &pachidp.SyntaxError{Pos: se.Pos, Msg: strings.Replace(se.Msg, "by its name (FileOptions.Release)", "with "+flag, 1)}
	}
	return err
}

// writeEdit writes the edited document: on standard output, or with
// inPlace over the file, atomically. An unchanged document is not
// rewritten.
func (e *env) writeEdit(vf *valuesFile, inPlace bool) error {
	out := vf.v.Bytes()
	if e.diff {
		if err := e.emit(vf.name, vf.orig, out); err != nil {
			return e.failf(exitUsage, "writing the diff to standard output: %v", err)
		}
		return nil
	}
	if r := e.report; r != nil {
		r.Edited, r.Changed = vf.name, !bytes.Equal(out, vf.orig)
	}
	if !inPlace {
		if e.report != nil {
			return nil // -o json: the report instead of the document
		}
		if _, err := e.stdout.Write(out); err != nil {
			return e.failf(exitUsage, "writing the values to standard output: %v", err)
		}
		return nil
	}
	if bytes.Equal(out, vf.orig) {
		return nil // nothing to write: the file keeps its time stamps
	}
	if err := e.verify(); err != nil {
		return err
	}
	if vf.lock == nil {
		vf.lock = e.lockOf(vf.path)
	}
	// ReplaceFile refuses when the file changed on disk since it was read
	// (by a program that does not take the lock).
	replace := func() error { return atomicfile.ReplaceFile(vf.path, vf.orig, out) }
	if vf.lock != nil {
		replace = func() error { return vf.lock.Replace(vf.orig, out) }
	}
	if err := replace(); err != nil {
		return e.failf(exitUsage, "%s: %v; nothing was written", vf.name, unwrapPath(err))
	}
	if e.report != nil {
		e.report.File = &vf.path
	}
	return nil
}

// checkInPlace refuses --in-place for standard input.
func (e *env) checkInPlace(path string, inPlace bool) error {
	if inPlace && path == "-" {
		return e.usageError("--in-place needs a file: the values come from standard input (-f -); drop --in-place to get the edited document on standard output")
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// ---------------------------------------------------------------------------
// Messages

// located formats `FILE:LINE:COL: path: message` on one line, leaving out
// what is unknown.
func located(file string, pos pachidp.Position, path, msg string) string {
	var b strings.Builder
	if file != "" {
		b.WriteString(file)
		if pos.IsValid() {
			fmt.Fprintf(&b, ":%d", pos.Line)
			if pos.Column > 0 {
				fmt.Fprintf(&b, ":%d", pos.Column)
			}
		}
		b.WriteString(": ")
	} else if pos.IsValid() {
		fmt.Fprintf(&b, "line %d: ", pos.Line)
	}
	if path != "" {
		b.WriteString(path)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return strings.ReplaceAll(b.String(), "\n", "; ")
}

// needSecret says that the values keep their entries in the Secret name,
// set at file:pos, and how to pass its manifest.
func needSecret(file string, pos pachidp.Position, name string) string {
	return located(file, pos, "oidc.upstreamIDPsSecretName", fmt.Sprintf(
		"the chart reads the entries from the key upstream-idps of the Secret %q: pass its manifest with --secret FILE (kubectl get secret %s -o yaml > FILE)", name, name))
}

// describe formats an error of the library in one line, with the file and
// the place when the error knows it.
func describe(file string, err error) string {
	if le := (*pachidp.LayerError)(nil); errors.As(err, &le) && le.Layer != "" {
		// A file of a layered set: the file is the layer's.
		return describe(le.Layer, le.Err)
	}
	var (
		se *pachidp.SyntaxError
		ee *pachidp.EditError
		re *pachidp.RenderError
		pe *pachidp.PresetError
	)
	switch {
	case errors.As(err, &se):
		return located(file, se.Pos, se.Path, se.Msg)
	case errors.As(err, &ee):
		return located(file, ee.Pos, ee.Path, ee.Msg)
	case errors.As(err, &re) && re.Chart == "":
		return located(file, pachidp.Position{}, re.Path, re.Msg)
	case errors.As(err, &pe):
		return located(file, pachidp.Position{}, pe.Preset, pe.Field+": "+pe.Msg+pe.UseText(func(f string) string { return f }))
	}
	return located(file, pachidp.Position{}, "", err.Error())
}

// formatFinding writes a finding in validate's form, the one form every
// command uses:
//
//	FILE:LINE:COL: error|warning: PATH: message [rule-id]
//
// with the whole message (validate shortens it to fit a line; an edit that
// refuses must say the fix). file names the file when the finding does
// not; a finding without a file or a line starts with its severity.
func formatFinding(file string, f pachidp.Finding) string {
	if f.File != "" {
		file = f.File
	}
	path := f.Severity.String()
	if f.Path != "" {
		path += ": " + f.Path
	}
	return located(file, f.Pos, path, f.Message) + " [" + string(f.Rule) + "]"
}

// finding prints a finding on standard error in validate's form.
func (e *env) finding(file string, f pachidp.Finding) {
	fmt.Fprintln(e.stderr, formatFinding(file, f))
}

// countEntries says "1 entry" or "2 entries".
func countEntries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ---------------------------------------------------------------------------
// Entries

// source is where a list of entries comes from.
type source struct {
	file string // for messages
	// fromSecret: the entries are those of a Secret manifest, whose
	// positions are lines of the key upstream-idps, not of file; they are
	// dropped.
	fromSecret bool
	base       string // the path of the list: oidc.upstreamIDPs or upstream-idps
}

// secretName returns oidc.upstreamIDPsSecretName ("" when unset).
func secretName(v *pachidp.Document) string {
	s, _, _ := v.Lookup("oidc.upstreamIDPsSecretName")
	name, _ := s.(string)
	return name
}

// secretFile is a Secret manifest given with --secret.
type secretFile struct {
	path string // as given, "-" for standard input
	data []byte
	sec  *pachidp.UpstreamIDPsSecret
	lock *atomicfile.Lock // held from the read on, for an edit in place
}

// openSecretFile is the one sequence every subcommand opens --secret with:
// for an edit in place (a file: openStore refused -) the lock, taken
// before the read by a run that locks before reading, or the record of
// what an optimistic run read; the read under the manifest's size cap; the
// decode.
func (e *env) openSecretFile(path string, inPlace bool) (*secretFile, error) {
	sf := &secretFile{path: path}
	if inPlace && !e.optimistic {
		if err := e.lock(path); err != nil {
			return nil, err
		}
		sf.lock = e.locks[len(e.locks)-1]
	}
	data, err := e.readInputLimited(path, "the Secret manifest (--secret)", atomicfile.MaxManifestSize)
	if err != nil {
		return nil, err
	}
	if inPlace {
		e.expect(expectedFile{path: path, data: data})
	}
	sf.data = data
	if sf.sec, err = pachidp.DecodeSecretManifest(data); err != nil {
		return nil, e.failf(exitUsage, "%s", describe(displayName(path), err))
	}
	return sf, nil
}

// readSecret reads and decodes the Secret manifest named by --secret.
func (e *env) readSecret(path string) (*pachidp.UpstreamIDPsSecret, error) {
	sf, err := e.openSecretFile(path, false)
	if err != nil {
		return nil, err
	}
	return sf.sec, nil
}

// entries returns the entries of the manifest, without positions (theirs
// are lines of the key upstream-idps, not of the file), after a warning
// when the manifest is not that of name, the Secret values (named
// valuesName) name.
func (sf *secretFile) entries(e *env, valuesName, name string) ([]pachidp.UpstreamIDP, error) {
	if sf.sec.Name != name {
		e.notef("warning: %s names the Secret %q (oidc.upstreamIDPsSecretName), and %s is the manifest of %q", valuesName, name, displayName(sf.path), sf.sec.Name)
	}
	idps, err := sf.sec.UpstreamIDPs()
	if err != nil {
		return nil, e.failf(exitUsage, "%s", describe(displayName(sf.path)+" (upstream-idps)", err))
	}
	for i := range idps {
		idps[i] = withoutPositions(idps[i])
	}
	return idps, nil
}

// entries returns the entries the chart passes to pachd: the inline list
// (of the file that sets it, in a layered set), or, when the values name a
// Secret, the entries of its manifest given with --secret (secretPath).
func (e *env) entries(set *valueSet, secretPath string) ([]pachidp.UpstreamIDP, source, error) {
	name := secretName(set.values())
	if name == "" {
		if secretPath != "" {
			e.notef("warning: %s does not set oidc.upstreamIDPsSecretName, so the chart uses oidc.upstreamIDPs and never reads the Secret given with --secret", set.name)
		}
		return e.inlineEntries(set)
	}
	if secretPath == "" {
		_, file, pos, _ := set.lookup("oidc.upstreamIDPsSecretName")
		return nil, source{}, e.failf(exitUsage, "%s", needSecret(file, pos, name))
	}
	sf, err := e.openSecretFile(secretPath, false)
	if err != nil {
		return nil, source{}, err
	}
	idps, err := sf.entries(e, set.name, name)
	if err != nil {
		return nil, source{}, err
	}
	return idps, source{file: displayName(secretPath), fromSecret: true, base: "upstream-idps"}, nil
}

// inlineEntries returns the entries of oidc.upstreamIDPs: of the file, or
// of the file of a layered set Helm takes the list from.
func (e *env) inlineEntries(set *valueSet) ([]pachidp.UpstreamIDP, source, error) {
	if !set.layered() {
		vf := set.files[0]
		idps, err := vf.v.UpstreamIDPs()
		if err != nil {
			return nil, source{}, e.failf(exitUsage, "%s", describe(vf.name, err))
		}
		return idps, source{file: vf.name, base: "oidc.upstreamIDPs"}, nil
	}
	idps, from, err := set.layers.UpstreamIDPs()
	if err != nil {
		return nil, source{}, e.failf(exitUsage, "%s", describe(set.name, err))
	}
	file := from.Name
	if file == "" {
		file = set.name
	}
	return idps, source{file: file, base: "oidc.upstreamIDPs"}, nil
}

// withoutPositions drops the positions of an entry read from a text that
// is not the file messages name.
func withoutPositions(e pachidp.UpstreamIDP) pachidp.UpstreamIDP {
	out, err := pachidp.UpstreamIDPFromMap(e.Map())
	if err != nil {
		return e
	}
	return out
}

// ---------------------------------------------------------------------------
// Output paths

// namedPath is a path with the flag that gave it, for messages.
type namedPath struct{ flag, path string }

// resolvePath returns what a path names, for comparisons: its real path
// (absolute, symbolic links and .. resolved; for a file that does not exist
// yet, its folder resolved and its name) and, when it exists, its FileInfo,
// whose device and inode os.SameFile compares, which catches hard links.
func resolvePath(p string) (string, os.FileInfo) {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		fi, _ := os.Stat(real)
		return real, fi
	}
	dir, base := filepath.Split(abs)
	if rd, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(rd, base), nil
	}
	return abs, nil
}

// samePath reports whether two paths name the same file: by device and
// inode when both exist, else by their resolved paths. "" and "-" name no
// file.
func samePath(a, b string) bool {
	if a == "" || b == "" || a == "-" || b == "-" {
		return false
	}
	ra, fa := resolvePath(a)
	rb, fb := resolvePath(b)
	if fa != nil && fb != nil {
		return os.SameFile(fa, fb)
	}
	return ra == rb
}

// checkDistinct refuses, before anything is read or written, an output that
// names an input or another output, however the paths are written
// (symbolic links, .., hard links).
func (e *env) checkDistinct(inputs, outputs []namedPath) error {
	for i, o := range outputs {
		for _, in := range inputs {
			if samePath(o.path, in.path) {
				return e.usageError("%s %s names the same file as %s %s: pass another file (nothing was written)", o.flag, o.path, in.flag, in.path)
			}
		}
		for _, o2 := range outputs[i+1:] {
			if samePath(o.path, o2.path) {
				return e.usageError("%s %s and %s %s name the same file: pass two files (nothing was written)", o.flag, o.path, o2.flag, o2.path)
			}
		}
	}
	return nil
}
