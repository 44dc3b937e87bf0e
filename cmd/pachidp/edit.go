package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pachidp/pachidp"
)

const removeUsage = `usage: pachidp remove -f FILE... [--edit FILE] [--in-place] [-o json] ID...

Removes the entries of oidc.upstreamIDPs with the given ids: their lines,
the comment lines right above them and the blank line that separated them.
Other lines stay byte for byte. pachd deletes the connectors whose id is no
longer listed on its next start. An id that no entry has stops the command
(exit 1) and nothing is written, unless --ignore-missing is passed: then it
is reported and skipped, so that a script can remove an entry whether or not
an earlier run already did.

Example:
  pachidp remove okta -f values.yaml --in-place

When the values keep the entries in a Secret (oidc.upstreamIDPsSecretName),
pass its manifest with --secret MANIFEST: the entries are removed there
(with --in-place the manifest is rewritten, mode 0600).

Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files, when that is ambiguous).
` + editJSONHelp + ``

func runRemove(e *env, args []string) error {
	fs := e.newFlags(removeUsage)
	files := fs.valuesFiles()
	inPlace := fs.Bool("in-place", false, "replace FILE atomically instead of printing the edited document")
	fs.diffFlag(e)
	edit := fs.editFlag()
	output := fs.editOutput()
	secret := fs.String("secret", "", "the `MANIFEST` of the Secret named by oidc.upstreamIDPsSecretName: the entries are removed there")
	ignoreMissing := fs.Bool("ignore-missing", false, "skip an id that no entry has (reported on standard error) instead of failing")
	fs.chartVersion()
	fs.strictFlag(e)
	ids, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return e.usageError("which entry? pass its id, as in pachidp remove auth0 -f values.yaml (pachidp list shows the ids)")
	}
	if err := e.startJSON(*output); err != nil {
		return err
	}
	if err := e.checkInPlace(single(*files), *inPlace); err != nil {
		return err
	}
	vf, err := e.openEdit(*files, *edit, *inPlace)
	if err != nil {
		return err
	}
	store, err := e.openStore(vf, *secret, *inPlace)
	if err != nil {
		return err
	}
	before, err := store.entries()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(store.name(), err))
	}
	var removed, missing []string
	for _, id := range ids {
		if err := store.remove(id); err != nil {
			if errors.Is(err, pachidp.ErrIDPNotFound) && *ignoreMissing {
				missing = append(missing, id)
				continue
			}
			if errors.Is(err, pachidp.ErrIDPNotFound) {
				return e.failf(exitFindings, "%s; nothing was written", noEntry(store.name(), id, before))
			}
			return e.failf(exitUsage, "%s; nothing was written", describe(store.name(), err))
		}
		removed = append(removed, id)
	}
	if e.report != nil {
		e.report.Removed = append(e.report.Removed, removed...)
		if len(missing) > 0 {
			e.report.Notes = append(e.report.Notes, "no entry has id "+quoteList(missing)+": skipped (--ignore-missing)")
		}
	}
	if len(missing) > 0 {
		e.notef("%s: no entry has id %s: skipped (--ignore-missing)", store.name(), quoteList(missing))
	}
	if len(removed) == 0 {
		if !*inPlace && !e.diff {
			return e.writeStore(store, false) // the document, unchanged
		}
		return nil
	}
	if err := e.checkStore(store); err != nil {
		return err
	}
	if err := e.writeStore(store, *inPlace); err != nil {
		return err
	}
	e.done(store.name(), "removed "+quoteList(removed), *inPlace)
	return nil
}

// noEntry says that file has no entry with this id, and what to pass
// instead: the id it probably meant, else the ids it has.
func noEntry(file, id string, idps []pachidp.UpstreamIDP) string {
	var have []string
	for _, e := range idps {
		have = append(have, e.ID)
	}
	msg := fmt.Sprintf("%s: no entry has id %q", file, id)
	switch s := suggest(id, have); {
	case s != "":
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	case len(have) == 0:
		msg += " (oidc.upstreamIDPs has no entries)"
	default:
		msg += fmt.Sprintf(" (the ids are: %s)", strings.Join(have, ", "))
	}
	return msg
}

// noEntryHidden is noEntry for set-secret, whose argument may be the secret
// typed in the place of the id: the id is repeated only when it is a near
// miss of an entry's.
func noEntryHidden(file, id string, idps []pachidp.UpstreamIDP) string {
	var have []string
	for _, e := range idps {
		have = append(have, e.ID)
	}
	if s := suggest(id, have); s != "" {
		return noEntry(file, id, idps)
	}
	msg := file + ": no entry has the id given (not repeated here: it may be a secret typed in the wrong place)"
	if len(have) == 0 {
		return msg + " (oidc.upstreamIDPs has no entries)"
	}
	return msg + fmt.Sprintf(" (the ids are: %s)", strings.Join(have, ", "))
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

const importUsage = `usage: pachidp import --from dex|pachctl -f FILE... [--edit FILE] [--in-place] [-o json] INPUT...

Reads entries from other formats and writes them into oidc.upstreamIDPs
(an entry with the same id is replaced, a new one appended):

  --from dex      the connectors: list of a Dex config file (or the list alone)
  --from pachctl  connector files of pachctl idp create-connector --config,
                  one entry per file (their version key is not carried)

When FILE keeps the entries in a Secret (oidc.upstreamIDPsSecretName), pass
its manifest with --secret MANIFEST: the entries are written there.

INPUT - reads standard input. What a format cannot carry into Helm values
is printed as a warning with its place. $VAR references in a Dex file are
kept verbatim and reported (pachd does not expand them) unless --expand-env
expands them from the environment, as Dex does. The entries are validated
before anything is written: errors stop the command (exit 1).

Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files, when that is ambiguous).
` + editJSONHelp + `
Example:
  pachidp import --from dex -f values.yaml --rewrite-redirect-uri --in-place dex-config.yaml
`

// importCmd is a run of pachidp import: its flags and inputs.
type importCmd struct {
	e                        *env
	files                    *stringList
	inPlace, expand, rewrite *bool
	disableMock              *bool
	edit, output, from       *string
	proxyHost, secret        *string
	target                   *pachidp.Target
	inputs                   []string
}

// importSource is one input's entries with their positions in it, so that
// findings name the line of the file they come from.
type importSource struct {
	name, path string
	entries    []pachidp.UpstreamIDP
}

func runImport(e *env, args []string) error {
	c := &importCmd{e: e}
	if err := c.parse(args); err != nil {
		return err
	}
	if err := e.checkInPlace(single(*c.files), *c.inPlace); err != nil {
		return err
	}
	vf, err := e.openEdit(*c.files, *c.edit, *c.inPlace)
	if err != nil {
		return err
	}
	store, err := e.openStore(vf, *c.secret, *c.inPlace)
	if err != nil {
		return err
	}
	entries, sources, err := c.read()
	if err != nil {
		return err
	}
	settings := vf.settings()
	if *c.rewrite {
		if err := c.rewriteRedirects(settings, vf.setName(), entries, sources); err != nil {
			return err
		}
	}
	fileIssuer := ""
	if *c.proxyHost == "" {
		fileIssuer = settings.RedirectIssuer(*c.target)
	}
	if err := c.check(sources, fileIssuer); err != nil {
		return err
	}
	e.checked = true
	return e.upsert(store, entries, *c.inPlace, *c.disableMock, *c.proxyHost, "", *c.target)
}

// parse defines and parses the flags of pachidp import, and checks them.
func (c *importCmd) parse(args []string) error {
	e := c.e
	fs := e.newFlags(importUsage)
	c.files = fs.valuesFiles()
	c.inPlace = fs.Bool("in-place", false, "replace FILE atomically instead of printing the edited document")
	fs.diffFlag(e)
	c.edit = fs.editFlag()
	c.output = fs.editOutput()
	c.from = fs.String("from", "", "the `format` of the inputs: dex or pachctl")
	c.expand = fs.Bool("expand-env", false, "dex: expand $VAR references from the environment, as Dex does")
	c.rewrite = fs.Bool("rewrite-redirect-uri", false, "set each oidc entry's redirectURI to https://<proxy host>/dex/callback")
	c.proxyHost = fs.String("proxy-host", "", "Pachyderm's `host`[:port] for --rewrite-redirect-uri and validation (default: from FILE)")
	c.target = fs.chartVersion()
	fs.strictFlag(e)
	c.disableMock = fs.Bool("disable-mock-idp", false, "also set oidc.mockIDP: false")
	c.secret = fs.String("secret", "", "the `MANIFEST` of the Secret named by oidc.upstreamIDPsSecretName: the entries are written there")
	inputs, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	c.inputs = inputs
	switch *c.from {
	case "dex", "pachctl":
	case "":
		return e.usageError("--from is required: dex (a Dex config file) or pachctl (pachctl connector files)")
	default:
		msg := fmt.Sprintf("--from %q: pass dex or pachctl", *c.from)
		if s := suggest(*c.from, []string{"dex", "pachctl"}); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return e.usageError("%s", msg)
	}
	if *c.expand && *c.from != "dex" {
		return e.usageError("--expand-env is for --from dex: pachctl does not expand variables")
	}
	if len(inputs) == 0 {
		return e.usageError("no INPUT: pass the file(s) to import, or - for standard input")
	}
	return e.startJSON(*c.output)
}

// read reads and decodes the inputs: the entries to write (without
// positions) and each input's own.
func (c *importCmd) read() ([]pachidp.UpstreamIDP, []importSource, error) {
	e := c.e
	var entries []pachidp.UpstreamIDP
	var sources []importSource
	seen := map[string]string{} // id -> input
	for _, in := range c.inputs {
		got, err := c.decode(in)
		if err != nil {
			return nil, nil, err
		}
		name := displayName(in)
		path := "connectors"
		if *c.from != "dex" {
			path = ""
		}
		sources = append(sources, importSource{name, path, got})
		for _, g := range got {
			if first, dup := seen[g.ID]; dup {
				return nil, nil, e.failf(exitUsage, "%s: id %q is also the id of an entry of %s: pachd needs unique ids; nothing was written", name, g.ID, first)
			}
			seen[g.ID] = name
			entries = append(entries, withoutPositions(g))
		}
	}
	if len(entries) == 0 {
		return nil, nil, e.failf(exitFindings, "no entries in %s: nothing was written", strings.Join(c.inputs, ", "))
	}
	return entries, sources, nil
}

// decode reads one input and decodes its entries as --from says, warning
// of what the format cannot carry.
func (c *importCmd) decode(in string) ([]pachidp.UpstreamIDP, error) {
	e := c.e
	data, err := e.readInput(in, "INPUT "+in)
	if err != nil {
		return nil, err
	}
	name := displayName(in)
	var got []pachidp.UpstreamIDP
	var losses []pachidp.Loss
	if *c.from == "dex" {
		opts := pachidp.DexFileOptions{}
		if *c.expand {
			opts.LookupEnv = func(k string) (string, bool) { v := e.getenv(k); return v, v != "" }
		}
		got, losses, err = pachidp.DecodeDexConnectors(data, opts)
	} else {
		var one pachidp.UpstreamIDP
		one, losses, err = pachidp.DecodePachctlConnector(data)
		got = []pachidp.UpstreamIDP{one}
	}
	if err != nil {
		return nil, e.failf(exitUsage, "%s; nothing was written", describe(name, err))
	}
	for _, l := range losses {
		e.notef("%s", located(name, l.Pos, "warning: "+l.Path, l.Reason))
		e.noteFinding(name, lossFinding("", l))
	}
	return got, nil
}

// rewriteRedirects sets every redirect URI to Dex's callback on the host
// of --proxy-host or of the values (--rewrite-redirect-uri).
func (c *importCmd) rewriteRedirects(settings *pachidp.Document, setName string, entries []pachidp.UpstreamIDP, sources []importSource) error {
	e, target := c.e, *c.target
	host := *c.proxyHost
	if host == "" {
		host, _, _ = settings.RedirectHost(target)
	}
	if host == "" {
		issuer, from, err := dexIssuer(settings, target)
		if err != nil {
			return e.usageError("--rewrite-redirect-uri needs Pachyderm's host: %s; pass --proxy-host", describe(setName, err))
		}
		return e.usageError("--rewrite-redirect-uri needs Pachyderm's host: chart %s renders Dex's issuer %q (from %s in %s), not https://<host>/dex; pass --proxy-host", target.Name(), issuer, from, setName)
	}
	redirect, err := pachidp.ValidateOptions{ProxyHost: host}.Callback()
	if err != nil {
		return e.usageError("--proxy-host: %s", optionMessage(err))
	}
	for i := range entries {
		changed, ok := entries[i].SetRedirectURI(redirect)
		switch {
		case !ok:
			e.notef("entry %q: type %s has no redirect URI: left as it is", entries[i].ID, entries[i].Type)
		case changed:
			e.notef("entry %q: redirectURI set to %s", entries[i].ID, redirect)
		}
	}
	for _, src := range sources {
		for i := range src.entries {
			src.entries[i].SetRedirectURI(redirect)
		}
	}
	return nil
}

// check validates the entries where they come from, so that a finding
// names the line of the input file to fix; errors stop the import.
func (c *importCmd) check(sources []importSource, fileIssuer string) error {
	e := c.e
	var errs int
	redirectErr := false
	for _, src := range sources {
		for _, f := range pachidp.Validate(src.entries, pachidp.ValidateOptions{Target: *c.target, ProxyHost: *c.proxyHost, DexIssuer: fileIssuer, Path: src.path}) {
			e.finding(src.name, f)
			e.noteFinding(src.name, f)
			if f.Fate == pachidp.FateAccessWider {
				// The cluster runs: the entry is written, and validate
				// fails on it until a comment accepts it.
				e.notef("%s: written; pachidp validate refuses it until the key's line ends with # pachidp:ignore access-restriction-ignored REASON", src.name)
				continue
			}
			if f.Severity == pachidp.SeverityError {
				errs++
				redirectErr = redirectErr || strings.HasPrefix(string(f.Rule), "redirect-uri-")
			}
		}
	}
	if errs > 0 {
		hint := ""
		if redirectErr && !*c.rewrite {
			hint = "; --rewrite-redirect-uri sets every redirect URI to Dex's callback"
		}
		return e.failf(exitFindings, "%d error%s in the imported entries: nothing was written%s", errs, plural(errs), hint)
	}
	return nil
}
