package main

import (
	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/udiff"
)

// diffUsage is the help of --diff, the same on every edit.
const diffUsage = "print a unified diff of what would be written (client secrets shown as " + pachidp.Redacted + ") and write nothing"

// diffFlag declares --diff on an edit.
func (fs *flagSet) diffFlag(e *env) { fs.BoolVar(&e.diff, "diff", false, diffUsage) }

// emit prints, for --diff, the diff of one output of an edit (the values
// document or a manifest) against old: "--- a/NAME" "+++ b/NAME", or
// "--- /dev/null" when old is nil (a file that does not exist yet). Secret
// values never reach the diff: the changes are found on the two texts and
// printed with the lines of their redacted copies (pachidp.RedactText), so
// that a changed secret shows as a changed line, REDACTED on both sides.
func (e *env) emit(name string, old, out []byte) error {
	oldName := "a/" + name
	if old == nil {
		oldName = "/dev/null"
	}
	d := udiff.UnifiedShown(oldName, "b/"+name, old, out, pachidp.RedactText(old), pachidp.RedactText(out), 3)
	_, err := e.stdout.Write(d)
	return err
}

// done says what an edit did, once it is written: on the file with
// --in-place; in the document printed on standard output without it; in
// the diff with --diff, which writes nothing.
func (e *env) done(name, what string, inPlace bool) {
	if e.report != nil {
		e.report.Notes = append(e.report.Notes, what)
	}
	switch {
	case e.report != nil && !inPlace:
		e.notef("%s: %s; nothing was written (-o json; --in-place writes it)", name, what)
	case e.diff:
		e.notef("%s: %s in the diff above; nothing was written (--diff)", name, what)
	case inPlace:
		e.notef("%s: %s", name, what)
	default:
		e.notef("%s: %s, on standard output (the file is unchanged: --in-place writes it)", name, what)
	}
}
