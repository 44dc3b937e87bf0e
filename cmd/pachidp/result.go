package main

// The validation of an edit's result: every edit ends by checking what it
// writes as `pachidp validate` would check it (the same target, the same
// layers with the edited file's new content, pachidp.ValidateValues), and
// prints those findings in validate's form after the line that says what
// was written. With --strict an edit whose result fails validate --strict
// writes nothing and exits 1.

import (
	"fmt"
	"strings"

	"github.com/pachidp/pachidp"
)

// strictUsage is the help of --strict on an edit.
const strictUsage = "write nothing and exit 1 when the result fails pachidp validate --strict (errors or warnings)"

// strictFlag declares --strict on an edit.
func (fs *flagSet) strictFlag(e *env) { fs.BoolVar(&e.strict, "strict", false, strictUsage) }

// printedKey identifies a finding an edit already printed (validateWritten:
// the written entries' findings), so that the check of the result does not
// print it again: its rule and its path under oidc.upstreamIDPs.
func printedKey(f pachidp.Finding) string {
	p := f.Path
	if rest, ok := strings.CutPrefix(p, "upstream-idps"); ok {
		p = "oidc.upstreamIDPs" + rest // an entry of a Secret manifest
	}
	return string(f.Rule) + "\x00" + p
}

// notePrinted records a finding the edit printed itself.
func (e *env) notePrinted(f pachidp.Finding) {
	if e.printed == nil {
		e.printed = map[string]bool{}
	}
	e.printed[printedKey(f)] = true
}

// checkResult validates the result of an edit of vf (its layered set with
// vf's new content) as validate would: ValidateValues with the target of
// --chart-version (or of the manifest holding the values) and, when the
// values keep their entries in a Secret, sec, the Secret's manifest as the
// edit leaves it (nil when there is none). The findings not printed yet are
// kept for runEnv to print once the edit said what it wrote; with --strict
// a failing result's findings are printed at once, and the error (exit 1)
// says that nothing was written.
func (e *env) checkResult(vf *valuesFile, sec *pachidp.UpstreamIDPsSecret, secretFile string) error {
	opts := pachidp.ValidateValuesOptions{Strict: e.strict, Secret: sec, SecretFile: secretFile}
	if e.man.target != nil {
		opts.Target = *e.man.target
	}
	var values pachidp.Values = vf.v
	opts.File = vf.name
	if e.resultFile != "" {
		opts.File = e.resultFile
	}
	if s := vf.set; s != nil && s.layered() {
		l, err := layersOf(s.files)
		if err != nil {
			return e.failf(exitUsage, "checking the result: %s; nothing was written", describe("", err))
		}
		values, opts.File = l, ""
	}
	r, err := pachidp.ValidateValues(values, opts)
	if err != nil {
		return e.failf(exitUsage, "checking the result: %s; nothing was written", describe(vf.name, err))
	}
	withFlags(r, opts)
	e.pending = e.pending[:0]
	for _, f := range r.Findings {
		if f.Suppressed || e.printed[printedKey(f)] {
			continue
		}
		if f.File == "" {
			f.File = opts.File
		}
		e.pending = append(e.pending, f)
	}
	if !e.strict || !r.Failed() {
		return nil
	}
	e.flushResult()
	return e.failf(exitFindings, "%s: nothing was written: the result fails validate --strict: %s (pachidp validate -f %s --strict shows them; drop --strict to write it anyway)",
		vf.setName(), counts(r.Errors, r.Warnings), strings.Join(setPaths(vf), " -f "))
}

// flushResult prints the findings checkResult kept, in validate's form, and
// adds them to the -o json report.
func (e *env) flushResult() {
	for _, f := range e.pending {
		e.finding("", f)
		e.noteFinding(f.File, f)
	}
	e.pending = nil
}

// counts says "1 error, 2 warnings".
func counts(errs, warns int) string {
	return fmt.Sprintf("%d error%s, %d warning%s", errs, plural(errs), warns, plural(warns))
}

// setPaths returns the -f files of vf's set, as given.
func setPaths(vf *valuesFile) []string {
	if vf.set == nil || len(vf.set.files) == 0 {
		return []string{vf.path}
	}
	var out []string
	for _, f := range vf.set.files {
		out = append(out, f.path)
	}
	return out
}

// checkStore is checkResult for an edit of the entries of a store: in
// secret mode the Secret checked is the store's manifest as edited.
func (e *env) checkStore(s *entryStore) error {
	if !s.inSecret() {
		return e.checkResult(s.vf, nil, "")
	}
	manifest, err := s.manifestOf()
	if err != nil {
		return e.failf(exitFindings, "%s; nothing was written", describe(s.name(), err))
	}
	sec, err := pachidp.DecodeSecretManifest(manifest)
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(s.name(), err))
	}
	return e.checkResult(s.vf, sec, s.name())
}
