package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pachidp/pachidp"
)

const removeUsage = `usage: pachidp remove -f FILE [--in-place] ID...

Removes the entries of oidc.upstreamIDPs with the given ids: their lines,
the comment lines right above them and the blank line that separated them.
Other lines stay byte for byte. pachd deletes the connectors whose id is no
longer listed on its next start. An id that no entry has stops the command
(exit 1) and nothing is written.

Example:
  pachidp remove okta -f values.yaml --in-place
`

func runRemove(e *env, args []string) int {
	fs := e.newFlags(removeUsage)
	file := fs.valuesFile()
	inPlace := fs.Bool("in-place", false, "replace FILE atomically instead of printing the edited document")
	ids, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(ids) == 0 {
		return e.usageError("which entry? pass its id, as in pachidp remove auth0 -f values.yaml (pachidp list shows the ids)")
	}
	if code, ok := e.checkInPlace(*file, *inPlace); !ok {
		return code
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	before, err := vf.v.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	for _, id := range ids {
		if err := vf.v.RemoveUpstreamIDP(id); err != nil {
			if errors.Is(err, pachidp.ErrIDPNotFound) {
				var have []string
				for _, b := range before {
					have = append(have, b.ID)
				}
				msg := fmt.Sprintf("%s: no entry has id %q", vf.name, id)
				if s := suggest(id, have); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				} else if len(have) == 0 {
					msg += " (oidc.upstreamIDPs has no entries)"
				} else {
					msg += fmt.Sprintf(" (the ids are: %s)", strings.Join(have, ", "))
				}
				return e.failf(exitFindings, "%s; nothing was written", msg)
			}
			return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
		}
	}
	if code := e.writeEdit(vf, *inPlace); code != exitOK {
		return code
	}
	e.notef("%s: removed %s", vf.name, quoteList(ids))
	return exitOK
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

const importUsage = `usage: pachidp import --from dex|pachctl -f FILE [--in-place] INPUT...

Reads entries from other formats and writes them into oidc.upstreamIDPs
(an entry with the same id is replaced, a new one appended):

  --from dex      the connectors: list of a Dex config file (or the list alone)
  --from pachctl  connector files of pachctl idp create-connector --config,
                  one entry per file (their version key is not carried)

INPUT - reads standard input. What a format cannot carry into Helm values
is printed as a warning with its place. $VAR references in a Dex file are
kept verbatim and reported (pachd does not expand them) unless --expand-env
expands them from the environment, as Dex does. The entries are validated
before anything is written: errors stop the command (exit 1).

Example:
  pachidp import --from dex -f values.yaml --rewrite-redirect-uri --in-place dex-config.yaml
`

func runImport(e *env, args []string) int {
	fs := e.newFlags(importUsage)
	file := fs.valuesFile()
	inPlace := fs.Bool("in-place", false, "replace FILE atomically instead of printing the edited document")
	from := fs.String("from", "", "the `format` of the inputs: dex or pachctl")
	expand := fs.Bool("expand-env", false, "dex: expand $VAR references from the environment, as Dex does")
	rewrite := fs.Bool("rewrite-redirect-uri", false, "set each oidc entry's redirectURI to https://<proxy host>/dex/callback")
	proxyHost := fs.String("proxy-host", "", "Pachyderm's `host`[:port] for --rewrite-redirect-uri and validation (default: from FILE)")
	target := fs.chartVersion()
	disableMock := fs.Bool("disable-mock-idp", false, "also set oidc.mockIDP: false")
	inputs, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	switch *from {
	case "dex", "pachctl":
	case "":
		return e.usageError("--from is required: dex (a Dex config file) or pachctl (pachctl connector files)")
	default:
		msg := fmt.Sprintf("--from %q: pass dex or pachctl", *from)
		if s := suggest(*from, []string{"dex", "pachctl"}); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return e.usageError("%s", msg)
	}
	if *expand && *from != "dex" {
		return e.usageError("--expand-env is for --from dex: pachctl does not expand variables")
	}
	if len(inputs) == 0 {
		return e.usageError("no INPUT: pass the file(s) to import, or - for standard input")
	}
	if code, ok := e.checkInPlace(*file, *inPlace); !ok {
		return code
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	var entries []pachidp.UpstreamIDP
	// sources keeps each input's entries with their positions in it, so
	// that findings name the line of the file they come from.
	type source struct {
		name, path string
		entries    []pachidp.UpstreamIDP
	}
	var sources []source
	seen := map[string]string{} // id -> input
	for _, in := range inputs {
		data, code, ok := e.readInput(in, "INPUT "+in)
		if !ok {
			return code
		}
		name := displayName(in)
		var got []pachidp.UpstreamIDP
		var losses []pachidp.Loss
		var err error
		if *from == "dex" {
			opts := pachidp.DexFileOptions{}
			if *expand {
				opts.LookupEnv = func(k string) (string, bool) { v := e.getenv(k); return v, v != "" }
			}
			got, losses, err = pachidp.DecodeDexConnectors(data, opts)
		} else {
			var one pachidp.UpstreamIDP
			one, losses, err = pachidp.DecodePachctlConnector(data)
			got = []pachidp.UpstreamIDP{one}
		}
		if err != nil {
			return e.failf(exitUsage, "%s; nothing was written", describe(name, err))
		}
		for _, l := range losses {
			e.notef("%s", located(name, l.Pos, "warning: "+l.Path, l.Reason))
		}
		path := "connectors"
		if *from != "dex" {
			path = ""
		}
		sources = append(sources, source{name, path, got})
		for _, g := range got {
			if first, dup := seen[g.ID]; dup {
				return e.failf(exitUsage, "%s: id %q is also the id of an entry of %s: pachd needs unique ids; nothing was written", name, g.ID, first)
			}
			seen[g.ID] = name
			entries = append(entries, withoutPositions(g))
		}
	}
	if len(entries) == 0 {
		return e.failf(exitFindings, "no entries in %s: nothing was written", strings.Join(inputs, ", "))
	}
	fileHost, _, _ := vf.v.RedirectHost(*target)
	fileIssuer := ""
	if *proxyHost == "" {
		fileIssuer = validateIssuer(vf.v, *target)
	}
	host := *proxyHost
	if host == "" {
		host = fileHost
	}
	if *rewrite {
		if host == "" {
			issuer, from, err := vf.v.DexIssuer(*target)
			if err != nil {
				return e.usageError("--rewrite-redirect-uri needs Pachyderm's host: %s; pass --proxy-host", describe(vf.name, err))
			}
			return e.usageError("--rewrite-redirect-uri needs Pachyderm's host: chart %s renders Dex's issuer %q (from %s in %s), not https://<host>/dex; pass --proxy-host", target.Name(), issuer, from, vf.name)
		}
		redirect, err := pachidp.RedirectURI(host)
		if err != nil {
			return e.usageError("--proxy-host: %v", err)
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
	}
	// Check the entries where they come from, so that a finding names the
	// line of the input file to fix.
	var errs int
	redirectErr := false
	for _, src := range sources {
		for _, f := range pachidp.Validate(src.entries, pachidp.ValidateOptions{Target: *target, ProxyHost: *proxyHost, DexIssuer: fileIssuer, Path: src.path}) {
			if f.Severity == pachidp.SeverityError {
				errs++
				redirectErr = redirectErr || strings.HasPrefix(f.Rule, "redirect-uri-")
			}
			e.notef("%s", formatFinding(src.name, f))
		}
	}
	if errs > 0 {
		hint := ""
		if redirectErr && !*rewrite {
			hint = "; --rewrite-redirect-uri sets every redirect URI to Dex's callback"
		}
		return e.failf(exitFindings, "%d error%s in the imported entries: nothing was written%s", errs, plural(errs), hint)
	}
	e.checked = true
	return e.upsert(vf, entries, *inPlace, *disableMock, *proxyHost, *target)
}

const secretUsage = `usage: pachidp secret -f FILE [--name N] [--namespace NS]
                      (--in-place | --values-out FILE) [--manifest-out FILE]

Moves the entries out of the values into a Kubernetes Secret: prints the
Secret's manifest (key upstream-idps, the text the chart would have rendered)
on standard output, and switches the values to it: oidc.upstreamIDPsSecretName
is set and oidc.upstreamIDPs emptied. The two go together, so the values are
written in the same step: over FILE with --in-place, or to --values-out FILE.
Without either the command stops (exit 2) and prints nothing.

The manifest holds the client secrets in clear text: apply it (kubectl apply
-f -) or encrypt it (SOPS, Sealed Secrets), and keep it out of version
control. --manifest-out writes it to a file (mode 0600 when new) instead of
standard output. Entries pachd would refuse stop the command (exit 1).

Example:
  pachidp secret -f values.yaml --namespace pachyderm --in-place | kubectl apply -f -
`

// secretOptionFlags names the flags behind pachidp.SecretOptions' fields in
// EncodeSecretManifest's errors.
var secretOptionFlags = strings.NewReplacer("SecretOptions.Namespace", "--namespace", "SecretOptions.Name", "--name")

func runSecret(e *env, args []string) int {
	fs := e.newFlags(secretUsage)
	file := fs.valuesFile()
	inPlace := fs.Bool("in-place", false, "switch FILE to the Secret, atomically")
	valuesOut := fs.String("values-out", "", "write the switched values to `FILE` instead of over the input")
	manifestOut := fs.String("manifest-out", "", "write the manifest to `FILE` (mode 0600 when new) instead of standard output")
	name := fs.String("name", pachidp.DefaultUpstreamIDPsSecretName, "the Secret's `name`")
	namespace := fs.String("namespace", "", "the Secret's `namespace` (default: none, kubectl's current one)")
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	switch {
	case *inPlace && *valuesOut != "":
		return e.usageError("pass --in-place or --values-out, not both")
	case !*inPlace && *valuesOut == "":
		return e.usageError("pass --in-place or --values-out FILE: the values must be switched to the Secret in the same step, or the chart would go on rendering the inline entries")
	case *manifestOut != "" && (samePath(*manifestOut, *file) || samePath(*manifestOut, *valuesOut)):
		return e.usageError("--manifest-out names the values file: pass another file")
	}
	if code, ok := e.checkInPlace(*file, *inPlace); !ok {
		return code
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	idps, err := vf.v.UpstreamIDPs()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	current := secretName(vf.v)
	if len(idps) == 0 {
		if current != "" {
			return e.failf(exitFindings, "%s already keeps its entries in the Secret %q (oidc.upstreamIDPsSecretName) and lists none: nothing to move", vf.name, current)
		}
		return e.failf(exitFindings, "%s has no entries in oidc.upstreamIDPs: nothing to move", vf.name)
	}
	if current == "" {
		// Check as pachd reads the entries, with places in the values file.
		_, findings, err := vf.v.PachdUpstreamIDPs(nil)
		if err != nil {
			return e.failf(exitUsage, "%s", describe(vf.name, err))
		}
		if errs := findings.Errors(); len(errs) > 0 {
			for _, f := range errs {
				fmt.Fprintln(e.stderr, formatFinding(vf.name, f))
			}
			return e.failf(exitFindings, "pachd would refuse these entries: nothing was written")
		}
	} else {
		e.notef("warning: %s already names the Secret %q: the manifest replaces its entries with the %d of oidc.upstreamIDPs", vf.name, current, len(idps))
	}
	manifest, err := pachidp.EncodeSecretManifest(idps, pachidp.SecretOptions{Name: *name, Namespace: *namespace})
	if err != nil {
		var ve *pachidp.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Findings {
				f.Pos = pachidp.Position{}
				fmt.Fprintln(e.stderr, formatFinding("", f))
			}
			return e.failf(exitFindings, "pachd would refuse these entries: nothing was written")
		}
		// The library names the option fields; the user passed flags.
		return e.usageError("%s", secretOptionFlags.Replace(err.Error()))
	}
	secretName := *name
	if secretName == "" {
		secretName = pachidp.DefaultUpstreamIDPsSecretName
	}
	if err := vf.v.UseUpstreamIDPsSecret(secretName); err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
	}
	// The manifest first: if it cannot be written, the values keep their
	// entries; if the values cannot be written afterwards, nothing is lost.
	if *manifestOut != "" {
		if err := pachidp.WriteFileAtomic(*manifestOut, manifest, 0o600); err != nil {
			return e.failf(exitUsage, "%s: %v; nothing was written", *manifestOut, err)
		}
	} else if _, err := e.stdout.Write(manifest); err != nil {
		return e.failf(exitUsage, "writing the manifest to standard output: %v; the values are unchanged", err)
	}
	target := vf.name
	if *inPlace {
		if code := e.writeEdit(vf, true); code != exitOK {
			return code
		}
	} else {
		target = *valuesOut
		if err := pachidp.WriteFileAtomic(*valuesOut, vf.v.Bytes(), 0o600); err != nil {
			return e.failf(exitUsage, "%s: %v; the manifest was written, the values were not", *valuesOut, err)
		}
	}
	where := "on standard output"
	if *manifestOut != "" {
		where = "in " + *manifestOut
	}
	e.notef("moved %s into the Secret %q (manifest %s; it holds the client secrets: keep it out of version control); %s now sets oidc.upstreamIDPsSecretName",
		countEntries(len(idps)), secretName, where, target)
	return exitOK
}

// samePath reports whether two paths name the same file, as far as their
// text says.
func samePath(a, b string) bool {
	if a == "" || b == "" || a == "-" || b == "-" {
		return false
	}
	return filepath.Clean(a) == filepath.Clean(b)
}
