package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

// entryStore is where the editing commands (add, remove, import,
// set-secret) read and write the entries: the values file's
// oidc.upstreamIDPs, or, when the values name a Secret
// (oidc.upstreamIDPsSecretName, "secret mode"), the Secret's manifest given
// with --secret. The chart reads one of the two; editing the other would
// write entries it ignores.
type entryStore struct {
	vf *valuesFile

	// Secret mode: the manifest and its entries.
	manifest string // path of --secret, "" for inline entries
	sec      *pachidp.UpstreamIDPsSecret
	orig     []byte
	list     []pachidp.UpstreamIDP
	lock     *atomicfile.Lock
}

// secretModeRefusal says why an edit of the inline list is refused when the
// values name a Secret, and the commands that do what the user meant.
func secretModeRefusal(vf *valuesFile, name string) string {
	return fmt.Sprintf("%s keeps its entries in the Secret %q (oidc.upstreamIDPsSecretName), and the chart ignores oidc.upstreamIDPs then: pass the Secret's manifest with --secret FILE to edit the entries there (kubectl get secret %s -o yaml > FILE), or move them back into the values first with pachidp inline -f %s --secret FILE --in-place; nothing was written",
		vf.name, name, name, vf.path)
}

// openStore opens the entries to edit. inPlace locks the manifest too.
func (e *env) openStore(vf *valuesFile, secretPath string, inPlace bool) (*entryStore, error) {
	s := &entryStore{vf: vf}
	name := secretName(vf.settings())
	if name == "" {
		if secretPath != "" {
			return nil, e.usageError("%s does not set oidc.upstreamIDPsSecretName: its entries are in oidc.upstreamIDPs, not in a Secret; drop --secret", vf.name)
		}
		return s, nil
	}
	if secretPath == "" {
		return nil, e.failf(exitUsage, "%s", secretModeRefusal(vf, name))
	}
	if err := e.checkDistinct([]namedPath{{"-f", vf.path}}, []namedPath{{"--secret", secretPath}}); err != nil {
		return nil, err
	}
	if inPlace {
		if err := atomicfile.CheckSecret(secretPath); err != nil {
			return nil, e.failf(exitUsage, "%v; nothing was written", err)
		}
		if secretPath == "-" {
			return nil, e.usageError("--in-place writes the manifest back to --secret FILE: pass a file, not -")
		}
	}
	sf, err := e.openSecretFile(secretPath, inPlace)
	if err != nil {
		return nil, err
	}
	list, err := sf.entries(e, vf.name, name)
	if err != nil {
		return nil, err
	}
	s.manifest, s.sec, s.orig, s.list, s.lock = secretPath, sf.sec, sf.data, list, sf.lock
	return s, nil
}

// manifestOf is the manifest of the store's Secret with its entries as
// edited.
func (s *entryStore) manifestOf() ([]byte, error) {
	sec := pachidp.UpstreamIDPsSecret{Name: s.sec.Name, Namespace: s.sec.Namespace}
	if err := sec.SetUpstreamIDPs(s.list); err != nil {
		return nil, err
	}
	return sec.Manifest()
}

// inSecret reports secret mode.
func (s *entryStore) inSecret() bool { return s.manifest != "" }

// name names the store in messages.
func (s *entryStore) name() string {
	if s.inSecret() {
		return displayName(s.manifest)
	}
	return s.vf.name
}

// base is the path of the list in findings.
func (s *entryStore) base() string {
	if s.inSecret() {
		return "upstream-idps"
	}
	return "oidc.upstreamIDPs"
}

// entries returns the current entries.
func (s *entryStore) entries() ([]pachidp.UpstreamIDP, error) {
	if s.inSecret() {
		return slices.Clone(s.list), nil
	}
	return s.vf.v.UpstreamIDPs()
}

// upsert replaces the entry with the same id where it stands, or appends it.
func (s *entryStore) upsert(entry pachidp.UpstreamIDP) error {
	if !s.inSecret() {
		return s.vf.v.UpsertUpstreamIDP(entry)
	}
	if i := slices.IndexFunc(s.list, func(x pachidp.UpstreamIDP) bool { return x.ID == entry.ID }); i >= 0 {
		s.list[i] = entry
	} else {
		s.list = append(s.list, entry)
	}
	return nil
}

// remove removes the entry with the id (pachidp.ErrIDPNotFound if none).
func (s *entryStore) remove(id string) error {
	if !s.inSecret() {
		return s.vf.v.RemoveUpstreamIDP(id)
	}
	i := slices.IndexFunc(s.list, func(x pachidp.UpstreamIDP) bool { return x.ID == id })
	if i < 0 {
		return fmt.Errorf("%w: %q", pachidp.ErrIDPNotFound, id)
	}
	s.list = slices.Delete(s.list, i, i+1)
	return nil
}

// write writes the edited entries: the values document (writeEdit), or the
// manifest, re-encoded with the Secret's name and namespace, over --secret
// with inPlace (a new 0600 file) or on standard output.
func (e *env) writeStore(s *entryStore, inPlace bool) error {
	if !s.inSecret() {
		return e.writeEdit(s.vf, inPlace)
	}
	manifest, err := s.manifestOf()
	if err != nil {
		return e.failf(exitFindings, "%s; nothing was written", describe(s.name(), err))
	}
	if e.diff {
		if err := e.emit(s.name(), s.orig, manifest); err != nil {
			return e.failf(exitUsage, "writing the diff to standard output: %v", err)
		}
		return nil
	}
	if r := e.report; r != nil {
		r.Edited, r.Changed = s.name(), !bytes.Equal(manifest, s.orig)
		if !inPlace {
			return nil // -o json: the report instead of the manifest
		}
	}
	if !inPlace {
		if _, err := e.stdout.Write(manifest); err != nil {
			return e.failf(exitUsage, "writing the manifest to standard output: %v", err)
		}
		return nil
	}
	if bytes.Equal(manifest, s.orig) {
		return nil
	}
	if err := e.verify(); err != nil {
		return err
	}
	if s.lock == nil {
		s.lock = e.lockOf(s.manifest)
	}
	// Refused, as a values file is, when another program changed the
	// manifest since it was read: its change is kept.
	write := func() error { return atomicfile.WriteSecret(s.manifest, manifest) }
	if s.lock != nil {
		write = func() error { return s.lock.ReplaceSecret(s.orig, manifest) }
	}
	if err := write(); err != nil {
		return e.failf(exitUsage, "%v; nothing was written", unwrapPath(err))
	}
	if e.report != nil {
		e.report.Manifest = &s.manifest
	}
	return nil
}

// validateWritten validates the entries after an edit and reports the
// findings about the entries with the given ids; it returns the number of
// errors.
func (e *env) validateWritten(s *entryStore, ids []string, proxyHost string, target pachidp.Target) (int, error) {
	after, err := s.entries()
	if err != nil {
		return 0, err
	}
	var paths []string
	for i, a := range after {
		if slices.Contains(ids, a.ID) {
			paths = append(paths, fmt.Sprintf("oidc.upstreamIDPs[%d]", i))
		}
	}
	var errs int
	opts := pachidp.ValidateOptions{Target: target, ProxyHost: proxyHost}
	if proxyHost == "" {
		opts.DexIssuer = s.vf.settings().RedirectIssuer(target)
	}
	for _, f := range pachidp.Validate(after, opts) {
		if !slices.ContainsFunc(paths, func(p string) bool { return within(f.Path, p) }) {
			continue // a finding about an entry this command did not write
		}
		e.notePrinted(f) // not printed again by the check of the result
		if e.checked && f.Rule != pachidp.RuleDuplicateID {
			continue // reported where the entry came from (import)
		}
		if f.Severity == pachidp.SeverityError {
			errs++
		}
		// Positions are those of the edited document, which may never be
		// written: the path says where.
		f.Pos = pachidp.Position{}
		if s.inSecret() {
			f.Path = s.base() + strings.TrimPrefix(f.Path, "oidc.upstreamIDPs")
		}
		e.finding("", f)
		e.noteFinding(s.name(), f)
	}
	return errs, nil
}
