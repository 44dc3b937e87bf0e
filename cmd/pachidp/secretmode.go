package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

const secretUsage = `usage: pachidp secret -f FILE... [--edit FILE] [--name N] [--namespace NS] [--secret MANIFEST]
                      (--in-place | --values-out FILE) [--manifest-out FILE] [-o json]

Moves the entries out of the values into a Kubernetes Secret: prints the
Secret's manifest (key upstream-idps, the text the chart would have rendered)
on standard output, and switches the values to it: oidc.upstreamIDPsSecretName
is set and oidc.upstreamIDPs emptied. The two go together, so the values are
written in the same step: over FILE with --in-place, or to --values-out FILE.
Without either the command stops (exit 2) and prints nothing.

An existing manifest is merged into, never replaced: the entries of
--secret MANIFEST, or else of an existing --manifest-out file, stay, and
the inline entries are added to them (an entry with the same id is
replaced). Applied, a manifest that lacked some entries would delete those
connectors. When FILE already names a Secret, the command needs that
manifest and says so.

The manifest holds the client secrets in clear text: apply it (kubectl apply
-f -) or encrypt it (SOPS, Sealed Secrets), and keep it out of version
control. --manifest-out writes it to a file, always a new file of mode 0600
owned by you (a symbolic link or another user's file there is refused).
No output may name an input or another output, however the path is written.
Entries pachd would refuse stop the command (exit 1).

Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files, when that is ambiguous).
` + editJSONHelp + `With -o json the manifest must go to --manifest-out (standard output holds
the report); removed lists the entries moved out of the values.

Example:
  pachidp secret -f values.yaml --namespace pachyderm --in-place | kubectl apply -f -
`

// secretOptionFlags names the flags behind the fields of
// pachidp.UpstreamIDPsSecret in the errors of its Manifest.
var secretOptionFlags = map[string]string{
	"UpstreamIDPsSecret.Namespace": "--namespace", "UpstreamIDPsSecret.Name": "--name",
}

// secretCmd is a run of pachidp secret: its flags, and what each step
// leaves for the next.
type secretCmd struct {
	e                 *env
	files             *stringList
	inPlace           *bool
	output, valuesOut *string
	edit, base        *string
	manifestOut       *string
	name, namespace   *string

	vf           *valuesFile
	manifestLock *atomicfile.Lock
	// manifestRead is what the manifest held when read (nil: it did not
	// exist): with checkManifest it must still hold that at the rename.
	manifestRead  []byte
	checkManifest bool
	idps          []pachidp.UpstreamIDP       // the inline entries
	sec           *pachidp.UpstreamIDPsSecret // the manifest's Secret, merged into
	kept          int                         // entries of the merged manifest kept
	manifest      []byte
	mname         string // the manifest in messages
}

func runSecret(e *env, args []string) error {
	c := &secretCmd{e: e}
	steps := []func() error{
		func() error { return c.parse(args) },
		c.checkPaths, c.open, c.readEntries, c.mergeBase, c.encode,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if e.diff {
		return c.printDiff()
	}
	if err := c.write(); err != nil {
		return err
	}
	c.done()
	return nil
}

// parse defines and parses the flags of pachidp secret, and checks those
// that go together.
func (c *secretCmd) parse(args []string) error {
	e := c.e
	fs := e.newFlags(secretUsage)
	c.files = fs.valuesFiles()
	c.inPlace = fs.Bool("in-place", false, "switch FILE to the Secret, atomically")
	fs.diffFlag(e)
	c.edit = fs.editFlag()
	c.output = fs.editOutput()
	c.valuesOut = fs.String("values-out", "", "write the switched values to `FILE` (a new file of mode 0600) instead of over the input")
	c.manifestOut = fs.String("manifest-out", "", "write the manifest to `FILE` (a new file of mode 0600) instead of standard output")
	c.base = fs.String("secret", "", "an existing `MANIFEST` of the Secret to merge the entries into (default: --manifest-out when it exists)")
	c.name = fs.String("name", "", "the Secret's `name` (default: the merged manifest's, else "+pachidp.DefaultUpstreamIDPsSecretName+")")
	c.namespace = fs.String("namespace", "", "the Secret's `namespace` (default: the merged manifest's, else none: kubectl's current one)")
	fs.chartVersion()
	fs.strictFlag(e)
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *c.inPlace && *c.valuesOut != "":
		return e.usageError("pass --in-place or --values-out, not both")
	case !*c.inPlace && *c.valuesOut == "":
		return e.usageError("pass --in-place or --values-out FILE: the values must be switched to the Secret in the same step, or the chart would go on rendering the inline entries")
	}
	if err := e.startJSON(*c.output); err != nil {
		return err
	}
	if e.report != nil && *c.manifestOut == "" {
		e.report = nil
		return e.usageError("-o json needs --manifest-out FILE: standard output holds the report, not the manifest")
	}
	return e.checkInPlace(single(*c.files), *c.inPlace)
}

// checkPaths refuses, before anything is read, an output that names an
// input or another output, and a link or another user's file where an
// output goes.
func (c *secretCmd) checkPaths() error {
	file, manifestOut, base := single(*c.files), *c.manifestOut, *c.base
	valuesTarget := namedPath{"--values-out", *c.valuesOut}
	if *c.inPlace {
		valuesTarget = namedPath{"-f", file}
	}
	outputs := []namedPath{{"--manifest-out", manifestOut}, valuesTarget}
	inputs := []namedPath{{"-f", file}, {"--secret", base}}
	if *c.inPlace {
		inputs = inputs[1:] // -f is its own output
	}
	if len(*c.files) > 1 {
		// A layered set: every -f file is an input, and the one edited
		// in place is not known yet.
		outputs = []namedPath{{"--manifest-out", manifestOut}, {"--values-out", *c.valuesOut}}
		inputs = []namedPath{{"--secret", base}}
		for _, f := range *c.files {
			inputs = append(inputs, namedPath{"-f", f})
		}
	}
	if manifestOut != "" && samePath(manifestOut, base) {
		outputs = outputs[1:] // merging into the manifest in place
		inputs = append(inputs, namedPath{"--manifest-out", manifestOut})
	}
	if err := c.e.checkDistinct(inputs, outputs); err != nil {
		return err
	}
	// Before anything is read: a link or another user's file there is
	// refused, never read to merge nor written.
	for _, out := range []string{manifestOut, *c.valuesOut} {
		if err := atomicfile.CheckSecret(out); out != "" && err != nil {
			return c.e.failf(exitUsage, "%v; nothing was written", err)
		}
	}
	return nil
}

// open opens the values and takes the lock of --manifest-out.
func (c *secretCmd) open() error {
	e := c.e
	vf, err := e.openEdit(*c.files, *c.edit, *c.inPlace)
	if err != nil {
		return err
	}
	c.vf = vf
	if *c.manifestOut != "" && !e.diff && !e.optimistic {
		// Held from the check that the manifest exists, and its read, to
		// its rename, whether it exists or not: two runs that both found
		// no manifest would each write one entry, and the second rename
		// would drop the first's. (CheckSecret refused a link above.)
		if err := e.lock(*c.manifestOut); err != nil {
			return err
		}
		c.manifestLock = e.locks[len(e.locks)-1]
	}
	if *c.manifestOut != "" && *c.base == "" && exists(*c.manifestOut) {
		*c.base = *c.manifestOut // an existing manifest is merged into, not replaced
	}
	c.checkManifest = *c.manifestOut != "" && (*c.base == "" || samePath(*c.base, *c.manifestOut))
	return nil
}

// readEntries reads the inline entries to move, refused when there are
// none or pachd would refuse them.
func (c *secretCmd) readEntries() error {
	e, vf := c.e, c.vf
	idps, err := vf.v.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	current := secretName(vf.settings())
	if len(idps) == 0 {
		if current != "" {
			return e.failf(exitFindings, "%s already keeps its entries in the Secret %q (oidc.upstreamIDPsSecretName) and lists none: nothing to move", vf.name, current)
		}
		return e.failf(exitFindings, "%s has no entries in oidc.upstreamIDPs: nothing to move", vf.name)
	}
	// Check as pachd reads the entries, with places in the values file.
	_, findings, err := vf.v.PachdUpstreamIDPs(nil)
	if err == nil {
		if errs := findings.Errors(); len(errs) > 0 {
			for _, f := range errs {
				e.finding(vf.name, f)
			}
			return e.failf(exitFindings, "pachd would refuse these entries: nothing was written")
		}
	}
	if *c.base == "" && current != "" {
		return e.failf(exitUsage, "%s already names the Secret %q, and a manifest of its %s inline alone would delete the Secret's other entries when applied: pass the Secret's manifest with --secret MANIFEST (kubectl get secret %s -o yaml > MANIFEST) to merge into it; nothing was written",
			vf.name, current, countEntries(len(idps)), current)
	}
	c.idps = idps
	return nil
}

// mergeBase merges the inline entries into those of the existing manifest
// (--secret, or an existing --manifest-out), which stay: an entry with the
// same id is replaced (UpstreamIDPsSecret.Merge).
func (c *secretCmd) mergeBase() error {
	c.sec = &pachidp.UpstreamIDPsSecret{}
	if *c.base != "" {
		if err := c.readBase(); err != nil {
			return err
		}
	}
	replaced, err := c.sec.Merge(c.idps)
	if err != nil {
		return c.encodeError(err)
	}
	c.kept -= replaced
	if *c.name == "" {
		*c.name = pachidp.DefaultUpstreamIDPsSecretName
	}
	c.sec.Name, c.sec.Namespace = *c.name, *c.namespace
	return nil
}

// readBase reads the manifest merged into: an empty file holds no
// entries; its name and namespace are the defaults of --name and
// --namespace.
func (c *secretCmd) readBase() error {
	e, base := c.e, *c.base
	data, err := e.readInputLimited(base, "the Secret manifest (--secret)", atomicfile.MaxManifestSize)
	if err != nil {
		return err
	}
	c.manifestRead = data
	if c.manifestRead == nil {
		c.manifestRead = []byte{} // an empty file, not a missing one
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // an empty file: nothing to merge
	}
	sec, err := pachidp.DecodeSecretManifest(data)
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(displayName(base), err))
	}
	old, err := sec.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(displayName(base)+" (upstream-idps)", err))
	}
	c.sec, c.kept = sec, len(old)
	if *c.name == "" {
		*c.name = sec.Name
	}
	if *c.namespace == "" {
		*c.namespace = sec.Namespace
	}
	return nil
}

// encode makes the manifest, switches the values to the Secret and checks
// the result as validate would.
func (c *secretCmd) encode() error {
	e, vf := c.e, c.vf
	manifest, err := c.sec.Manifest()
	if err != nil {
		return c.encodeError(err)
	}
	c.manifest = manifest
	if err := vf.v.UseUpstreamIDPsSecret(*c.name); err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
	}
	c.mname = "manifest (standard output)"
	if *c.manifestOut != "" {
		c.mname = displayName(*c.manifestOut)
	}
	sec, err := pachidp.DecodeSecretManifest(manifest)
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(c.mname, err))
	}
	if !*c.inPlace && !vf.set.layered() {
		e.resultFile = displayName(*c.valuesOut)
	}
	return e.checkResult(vf, sec, c.mname)
}

// encodeError says why the manifest cannot be made: the entries pachd
// would refuse, or a bad --name or --namespace.
func (c *secretCmd) encodeError(err error) error {
	e := c.e
	var refused pachidp.Findings
	if errors.As(err, &refused) {
		for _, f := range refused {
			f.Pos = pachidp.Position{}
			e.finding("", f)
		}
		return e.failf(exitFindings, "pachd would refuse these entries: nothing was written")
	}
	// The library names the option fields; the user passed flags.
	var oe optionErr
	if errors.As(err, &oe) {
		if fl, ok := secretOptionFlags[oe.Option()]; ok {
			return e.usageError("%s %s", fl, oe.Message())
		}
	}
	return e.usageError("%s", err)
}

// printDiff prints, with --diff, the diffs of the manifest and the values.
func (c *secretCmd) printDiff() error {
	e, vf := c.e, c.vf
	var old []byte
	if *c.manifestOut != "" {
		old, _ = os.ReadFile(*c.manifestOut) // nil: a new file
	}
	vname := vf.name
	if !*c.inPlace {
		vname = displayName(*c.valuesOut)
	}
	for _, o := range []struct {
		name     string
		old, out []byte
	}{{c.mname, old, c.manifest}, {vname, vf.orig, vf.v.Bytes()}} {
		if err := e.emit(o.name, o.old, o.out); err != nil {
			return e.failf(exitUsage, "writing the diff to standard output: %v", err)
		}
	}
	e.notef("would move %s into the Secret %q: the diffs above; nothing was written (--diff)", countEntries(len(c.idps)), *c.name)
	return nil
}

// write writes the manifest, then the values: if the manifest cannot be
// written, the values keep their entries; if the values cannot be written
// afterwards, nothing is lost.
func (c *secretCmd) write() error {
	e, manifestOut := c.e, *c.manifestOut
	if manifestOut != "" {
		e.expect(expectedFile{path: manifestOut, data: c.manifestRead, absent: c.manifestRead == nil, any: !c.checkManifest})
	}
	if *c.inPlace || manifestOut != "" {
		// Both files checked, and locked, before either is written.
		if err := e.verify(); err != nil {
			return err
		}
		if c.manifestLock == nil && manifestOut != "" {
			c.manifestLock = e.lockOf(manifestOut)
		}
	}
	if manifestOut != "" {
		write := func() error { return atomicfile.WriteSecret(manifestOut, c.manifest) }
		if c.checkManifest && c.manifestLock != nil {
			// Another program may have written it since it was read: its
			// change is kept, and this run refused.
			write = func() error { return c.manifestLock.ReplaceSecret(c.manifestRead, c.manifest) }
		}
		if err := write(); err != nil {
			return e.failf(exitUsage, "%v; nothing was written", unwrapPath(err))
		}
	} else if _, err := e.stdout.Write(c.manifest); err != nil {
		return e.failf(exitUsage, "writing the manifest to standard output: %v; the values are unchanged", err)
	}
	if *c.inPlace {
		return e.writeEdit(c.vf, true)
	}
	// Values files hold other secrets (pachd.rootToken, licenses).
	if err := atomicfile.WriteSecret(*c.valuesOut, c.vf.v.Bytes()); err != nil {
		return e.failf(exitUsage, "%v; the manifest was written, the values were not", err)
	}
	return nil
}

// done says what was moved where, and fills the -o json report.
func (c *secretCmd) done() {
	e, vf := c.e, c.vf
	target := vf.name
	if !*c.inPlace {
		target = *c.valuesOut
	}
	where := "on standard output"
	if *c.manifestOut != "" {
		where = "in " + *c.manifestOut
	}
	if r := e.report; r != nil {
		r.File, r.Edited, r.Changed, r.Manifest = &target, vf.name, true, c.manifestOut
		for _, idp := range c.idps {
			r.Removed = append(r.Removed, idp.ID)
		}
	}
	what := countEntries(len(c.idps))
	if *c.base != "" {
		what += fmt.Sprintf(" (with the %d it already held)", c.kept)
	}
	msg := fmt.Sprintf("moved %s into the Secret %q (manifest %s; it holds the client secrets: keep it out of version control); %s now sets oidc.upstreamIDPsSecretName",
		what, *c.name, where, target)
	if e.report != nil {
		e.report.Notes = append(e.report.Notes, msg)
	}
	e.notef("%s", msg)
}

// exists reports whether a path names an existing file.
func exists(path string) bool {
	_, fi := resolvePath(path)
	return fi != nil
}

const inlineUsage = `usage: pachidp inline -f FILE... [--edit FILE] --secret MANIFEST (--in-place | --values-out FILE) [-o json]

The reverse of pachidp secret: moves the entries of the Secret's manifest
back into the values' oidc.upstreamIDPs and clears
oidc.upstreamIDPsSecretName, so that the chart renders them itself. The
values then hold the client secrets: keep them out of version control.

Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files, when that is ambiguous).
` + editJSONHelp + `
Example:
  pachidp inline -f values.yaml --secret upstream-idps-secret.yaml --in-place
`

// inlineFlags are the flags of pachidp inline.
type inlineFlags struct {
	files                    *stringList
	secretPath, edit, output *string
	valuesOut                *string
	inPlace                  *bool
}

func runInline(e *env, args []string) error {
	var f inlineFlags
	if err := e.parseInline(&f, args); err != nil {
		return err
	}
	vf, err := e.openEdit(*f.files, *f.edit, *f.inPlace)
	if err != nil {
		return err
	}
	if secretName(vf.settings()) == "" {
		return e.failf(exitFindings, "%s does not set oidc.upstreamIDPsSecretName: its entries are inline already; nothing was written", vf.name)
	}
	store, err := e.openStore(vf, *f.secretPath, false)
	if err != nil {
		return err
	}
	if inline, _ := vf.v.UpstreamIDPs(); len(inline) > 0 {
		return e.failf(exitUsage, "%s lists %s in oidc.upstreamIDPs besides naming the Secret: move them into the manifest first (pachidp secret -f %s --secret %s --manifest-out %s --in-place) or remove them; nothing was written",
			vf.name, countEntries(len(inline)), vf.path, *f.secretPath, *f.secretPath)
	}
	if err := vf.v.UseInlineUpstreamIDPs(store.list); err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
	}
	if !*f.inPlace && !vf.set.layered() {
		e.resultFile = displayName(*f.valuesOut)
	}
	if err := e.checkResult(vf, nil, ""); err != nil {
		return err
	}
	target := vf.name
	if !*f.inPlace {
		target = *f.valuesOut
	}
	if e.diff {
		if err := e.emit(displayName(target), vf.orig, vf.v.Bytes()); err != nil {
			return e.failf(exitUsage, "writing the diff to standard output: %v", err)
		}
		e.notef("would move %s of %s back into %s: the diff above; nothing was written (--diff)", countEntries(len(store.list)), displayName(*f.secretPath), displayName(target))
		return nil
	}
	if *f.inPlace {
		if err := e.writeEdit(vf, true); err != nil {
			return err
		}
	} else if err := atomicfile.WriteSecret(*f.valuesOut, vf.v.Bytes()); err != nil {
		return e.failf(exitUsage, "%v; nothing was written", err)
	}
	msg := fmt.Sprintf("moved %s of %s back into %s (oidc.upstreamIDPs; it holds the client secrets now); oidc.upstreamIDPsSecretName cleared: delete the Secret once the release uses the values",
		countEntries(len(store.list)), displayName(*f.secretPath), target)
	if r := e.report; r != nil {
		r.File, r.Edited, r.Changed, r.Notes = &target, vf.name, true, append(r.Notes, msg)
		for _, idp := range store.list {
			r.Added = append(r.Added, idp.ID)
		}
	}
	e.notef("%s", msg)
	return nil
}

// parseInline defines and parses the flags of pachidp inline, and refuses
// an output that names an input, before anything is read.
func (e *env) parseInline(f *inlineFlags, args []string) error {
	fs := e.newFlags(inlineUsage)
	f.files = fs.valuesFiles()
	f.secretPath = fs.secretManifest()
	f.inPlace = fs.Bool("in-place", false, "replace FILE atomically")
	fs.diffFlag(e)
	f.edit = fs.editFlag()
	f.output = fs.editOutput()
	f.valuesOut = fs.String("values-out", "", "write the values to `FILE` (a new file of mode 0600) instead of over the input")
	fs.chartVersion()
	fs.strictFlag(e)
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *f.secretPath == "":
		return e.usageError("--secret MANIFEST is required: the manifest of the Secret whose entries go back into the values")
	case *f.inPlace == (*f.valuesOut != ""):
		return e.usageError("pass --in-place or --values-out FILE")
	}
	if err := e.startJSON(*f.output); err != nil {
		return err
	}
	if err := e.checkInPlace(single(*f.files), *f.inPlace); err != nil {
		return err
	}
	for _, file := range *f.files {
		if err := e.checkDistinct([]namedPath{{"-f", file}, {"--secret", *f.secretPath}}, []namedPath{{"--values-out", *f.valuesOut}}); err != nil {
			return err
		}
		if err := e.checkDistinct([]namedPath{{"-f", file}}, []namedPath{{"--secret", *f.secretPath}}); err != nil {
			return err
		}
	}
	if err := atomicfile.CheckSecret(*f.valuesOut); *f.valuesOut != "" && err != nil {
		return e.failf(exitUsage, "%v; nothing was written", err)
	}
	return nil
}

const setSecretUsage = `usage: pachidp set-secret ID -f FILE... [--edit FILE] [--secret MANIFEST] [--in-place] [-o json]
                          (--client-secret-env VAR | --client-secret-file FILE) [--key KEY]

Rotates the client secret of the entry ID: sets its config.clientSecret
(config.bindPW for an ldap entry, or --key) and changes nothing else. The
entry is in the values' oidc.upstreamIDPs, or, when the values name a Secret,
in its manifest given with --secret. The secret is read as for pachidp add,
never from a flag, and never printed.

Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files, when that is ambiguous).
` + editJSONHelp + `
Example:
  pachidp set-secret okta -f values.yaml --client-secret-env OKTA_CLIENT_SECRET --in-place
`

func runSetSecret(e *env, args []string) error {
	fs := e.newFlags(setSecretUsage)
	files := fs.valuesFiles()
	secretPath := fs.secretManifest()
	inPlace := fs.Bool("in-place", false, "replace FILE (or MANIFEST) atomically instead of printing it")
	fs.diffFlag(e)
	edit := fs.editFlag()
	output := fs.editOutput()
	secretEnv := fs.String("client-secret-env", "", "environment `VAR`iable holding the new secret")
	secretFile := fs.String("client-secret-file", "", "`FILE` holding the new secret (- for standard input)")
	key := fs.String("key", "", "the config `KEY` to set (default: clientSecret, bindPW for ldap)")
	fs.chartVersion()
	fs.strictFlag(e)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	id, err := e.setSecretID(rest, *key)
	if err != nil {
		return err
	}
	if err := e.startJSON(*output); err != nil {
		return err
	}
	if err := e.checkInPlace(single(*files), *inPlace); err != nil {
		return err
	}
	if slices.Contains(*files, "-") && *secretFile == "-" {
		return e.usageError("the values file (-f) and --client-secret-file both read standard input (-): pass a file to one of them")
	}
	secret, err := e.clientSecret(*secretEnv, *secretFile)
	if err != nil {
		return err
	}
	vf, err := e.openEdit(*files, *edit, *inPlace && *secretPath == "")
	if err != nil {
		return err
	}
	store, err := e.openStore(vf, *secretPath, *inPlace)
	if err != nil {
		return err
	}
	return e.rotate(store, id, *key, secret, *inPlace)
}

// setSecretID returns the id set-secret's argument names, once --key is
// checked to name a secret.
func (e *env) setSecretID(rest []string, key string) (string, error) {
	switch len(rest) {
	case 0:
		return "", e.usageError("which entry? pass its id, as in pachidp set-secret okta -f values.yaml ... (pachidp list shows the ids)")
	case 1:
	default:
		return "", e.extraArguments(len(rest)-1, "the id")
	}
	if key != "" && !pachidp.IsSecretKey("", key) {
		return "", e.usageError("--key %q is not a secret key (clientSecret, bindPW, password, ...): set-secret writes secrets only", key)
	}
	return rest[0], nil
}

// rotate sets the secret key (key, or clientSecret, bindPW for ldap) of
// the entry id in the store, and writes the store.
func (e *env) rotate(store *entryStore, id, key, secret string, inPlace bool) error {
	current, err := store.entries()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(store.name(), err))
	}
	i := slices.IndexFunc(current, func(x pachidp.UpstreamIDP) bool { return x.ID == id })
	if i < 0 {
		return e.failf(exitFindings, "%s; nothing was written", noEntryHidden(store.name(), id, current))
	}
	entry := withoutPositions(current[i])
	k := key
	if k == "" {
		k = "clientSecret"
		if entry.Type == "ldap" {
			k = "bindPW"
		}
	}
	m := entry.Map()
	cfg, _ := m["config"].(map[string]any)
	if cfg == nil {
		return e.failf(exitUsage, "%s: entry %q has no config mapping to set %s in; nothing was written", store.name(), id, k)
	}
	cfg[k] = secret
	updated, err := pachidp.UpstreamIDPFromMap(m)
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(store.name(), err))
	}
	if sameEntry(entry, updated) {
		e.notef("%s: entry %q already has this %s: nothing to change", store.name(), id, k)
		if !inPlace {
			return e.writeStore(store, false)
		}
		return nil
	}
	if err := store.upsert(updated); err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(store.name(), err))
	}
	if e.report != nil {
		e.report.Replaced = append(e.report.Replaced, id)
	}
	if err := e.checkStore(store); err != nil {
		return err
	}
	if err := e.writeStore(store, inPlace); err != nil {
		return err
	}
	e.done(store.name(), fmt.Sprintf("set config.%s of entry %q (its other keys unchanged)", k, id), inPlace)
	return nil
}
