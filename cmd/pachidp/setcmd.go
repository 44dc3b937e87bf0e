package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/helmyaml"
	"github.com/pachidp/pachidp/internal/strvals"
)

const setUsage = `usage: pachidp set PATH=VALUE... -f FILE... [--edit FILE] [--in-place] [--diff] [-o json]
                   [--set-string PATH=VALUE]... [--value-env PATH=VAR]... [--value-file PATH=FILE]...

Sets chart keys with Helm's --set syntax, byte for byte: an existing value
is replaced where it stands, a new key is added to its mapping in the
file's style, and every other line (comments, quoting, key order) stays.
It is for the scalars the chart's prerequisites need (proxy.host,
proxy.tls.*, ingress.*, oidc.issuerURI, oidc.mockIDP,
pachd.enterpriseLicenseKeySecretName) and other plain keys.

Values are typed as helm --set types them: true and false are booleans,
null is null, integers (not starting with 0) are numbers, anything else is
a string; --set-string PATH=VALUE keeps a value a string. Several PATH=VALUE
may be joined by commas; \. is a dot inside a key, \, a comma inside a
value. Lists, list indexes and oidc.upstreamIDPs are not set here (pachidp
add and remove edit the entries), nor oidc.upstreamIDPsSecretName (pachidp
secret and inline move the entries with it).

A key holding a secret (pachd.enterpriseLicenseKey, pachd.rootToken,
clientSecret, ...) is never taken from the command line, where it would
stay in the shell's history and the process list: pass --value-env
PATH=VAR (an environment variable holding it) or --value-file PATH=FILE
(- for standard input). Its value is never printed.

Values inside Argo CD, Flux and Kustomize manifests are edited in place.
Repeated -f flags are one layered set, merged as helm -f merges them: the
edit goes into the file that sets oidc.upstreamIDPs as Helm reads it (or
--edit FILE, one of the -f files).

The result is then checked as pachidp validate checks it, and its findings
printed; with --strict a result that fails validate --strict is not written
(exit 1).
` + editJSONHelp + `
Example:
  pachidp set proxy.enabled=true proxy.host=pachyderm.example.com \
      proxy.tls.enabled=true proxy.tls.secretName=pachyderm-tls -f values.yaml --in-place
  pachidp set --value-env pachd.enterpriseLicenseKey=PACHYDERM_LICENSE -f values.yaml --in-place
`

// setFlags are the flags that set keys, on set and on add.
type setFlags struct {
	set, setString, valueEnv, valueFile stringList
}

// declare declares --set (on add; set takes its PATH=VALUE as arguments),
// --set-string, --value-env and --value-file.
func (sf *setFlags) declare(fs *flagSet, withSet bool) {
	if withSet {
		fs.Var(&sf.set, "set", "set a chart key as helm --set does: `PATH=VALUE` (repeatable; see pachidp set --help)")
	}
	fs.Var(&sf.setString, "set-string", "set a chart key to a string, as helm --set-string: `PATH=VALUE` (repeatable)")
	fs.Var(&sf.valueEnv, "value-env", "set a chart key (a secret such as pachd.enterpriseLicenseKey) from an environment variable: `PATH=VAR` (repeatable)")
	fs.Var(&sf.valueFile, "value-file", "set a chart key (a secret) from a file, one line (- for standard input): `PATH=FILE` (repeatable)")
}

// assignment is one key to set, and where its value came from.
type assignment struct {
	strvals.Assignment
	from string // "" (typed), "--value-env" or "--value-file"
}

// secretAt reports whether the last key of a path holds a secret.
func secretAt(keys []string) bool {
	return len(keys) > 0 && pachidp.IsSecretKey("", keys[len(keys)-1])
}

// assignments reads the PATH=VALUE arguments (Helm's --set), then
// --set-string, --value-env and --value-file. Messages never repeat a
// value: it may be a secret.
func (e *env) assignments(args []string, sf *setFlags) ([]assignment, error) {
	var out []assignment
	for _, in := range []struct {
		args        []string
		flagName    string
		forceString bool
	}{{args, "", false}, {sf.set, "--set ", false}, {sf.setString, "--set-string ", true}} {
		for _, arg := range in.args {
			as, err := e.setAssignments(arg, in.flagName, in.forceString)
			if err != nil {
				return nil, err
			}
			out = append(out, as...)
		}
	}
	for _, arg := range sf.valueEnv {
		a, err := e.valueEnvAssignment(arg)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	for _, arg := range sf.valueFile {
		a, err := e.valueFileAssignment(arg)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	for _, a := range out {
		if err := e.allowedPath(a.Keys, a.Path()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// setAssignments parses an argument of --set (flagName "--set "),
// --set-string or set itself (""): a secret is refused.
func (e *env) setAssignments(arg, flagName string, forceString bool) ([]assignment, error) {
	as, err := strvals.Parse(arg, forceString)
	if err != nil {
		if strings.HasPrefix(arg, "oidc.upstreamIDPs[") {
			return nil, e.allowedPath([]string{"oidc", "upstreamIDPs"}, "oidc.upstreamIDPs")
		}
		return nil, e.usageError("%s%v", flagName, err)
	}
	if len(as) == 0 {
		return nil, e.usageError("%san empty argument: write PATH=VALUE", flagName)
	}
	var out []assignment
	for _, a := range as {
		if secretAt(a.Keys) {
			p := a.Path()
			return nil, e.usageError("%s%s holds a secret, which is not taken from the command line (it would stay in the shell's history and the process list; it is not repeated here): pass --value-env %s=VAR (an environment variable holding it) or --value-file %s=FILE", flagName, p, p, p)
		}
		out = append(out, assignment{Assignment: a})
	}
	return out, nil
}

// valueSource parses PATH=VAR and PATH=FILE: the path in Helm's syntax,
// the rest a name.
func (e *env) valueSource(arg, flagName string) (strvals.Assignment, string, error) {
	i := lastUnescapedEquals(arg)
	if i < 0 {
		return strvals.Assignment{}, "", e.usageError("%s takes PATH=VAR (or PATH=FILE): the key's path, =, and where its value is", flagName)
	}
	as, err := strvals.Parse(arg[:i]+"=", true)
	if err != nil || len(as) != 1 {
		msg := "one PATH before ="
		if err != nil {
			msg = err.Error()
		}
		return strvals.Assignment{}, "", e.usageError("%s %s", flagName, msg)
	}
	return as[0], arg[i+1:], nil
}

// valueEnvAssignment reads the value of --value-env PATH=VAR.
func (e *env) valueEnvAssignment(arg string) (assignment, error) {
	a, name, err := e.valueSource(arg, "--value-env")
	if err != nil {
		return assignment{}, err
	}
	if !envName.MatchString(name) {
		return assignment{}, e.usageError("--value-env %s=VAR takes the name of an environment variable (letters, digits and _), not the value itself", a.Path())
	}
	v := e.getenv(name)
	where := "the environment variable given with --value-env " + a.Path()
	if conventionalEnvName.MatchString(name) {
		where = "environment variable " + name
	}
	if v == "" {
		return assignment{}, e.failf(exitUsage, "%s is unset or empty: export the value in it", where)
	}
	if msg := checkSecretText(v); msg != "" {
		return assignment{}, e.failf(exitUsage, "%s: the value %s", where, msg)
	}
	a.Value, a.Raw = v, v
	return assignment{a, "--value-env"}, nil
}

// valueFileAssignment reads the value of --value-file PATH=FILE.
func (e *env) valueFileAssignment(arg string) (assignment, error) {
	a, file, err := e.valueSource(arg, "--value-file")
	if err != nil {
		return assignment{}, err
	}
	data, err := e.readSecretFile(file, "--value-file "+a.Path())
	if err != nil {
		return assignment{}, err
	}
	s := strings.TrimSuffix(string(data), "\n")
	if len(s) < len(data) {
		s = strings.TrimSuffix(s, "\r")
	}
	if s == "" {
		return assignment{}, e.failf(exitUsage, "--value-file %s: the file is empty", a.Path())
	}
	if msg := checkSecretText(s); msg != "" {
		return assignment{}, e.failf(exitUsage, "--value-file %s: the value in the file %s", a.Path(), msg)
	}
	a.Value, a.Raw = s, s
	return assignment{a, "--value-file"}, nil
}

// lastUnescapedEquals returns the index of the last '=' of s not escaped
// by a backslash, -1 if none: in PATH=VAR the path may hold \=.
func lastUnescapedEquals(s string) int {
	last := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '=':
			last = i
		}
	}
	return last
}

// allowedPath refuses the paths set does not write: the entries, which add
// and remove edit as a whole, and the Secret's name, which secret and
// inline move the entries with.
func (e *env) allowedPath(keys []string, path string) error {
	if len(keys) >= 2 && keys[0] == "oidc" {
		switch keys[1] {
		case "upstreamIDPs":
			return e.usageError("%s: the entries of oidc.upstreamIDPs are not set key by key: pachidp add PROVIDER (or add oidc --id ID) writes an entry, pachidp remove ID removes one, pachidp set-secret rotates a client secret", path)
		case "upstreamIDPsSecretName":
			return e.usageError("%s: the entries move with it: pachidp secret moves them into a Secret and sets it, pachidp inline moves them back and clears it", path)
		}
	}
	return nil
}

// docPath is the path of keys in the library's syntax (Document.Set):
// a key holding a dot or a bracket quoted.
func docPath(keys []string) string {
	p := ""
	for _, k := range keys {
		p = helmyaml.JoinPath(p, k)
	}
	return p
}

// applySets sets the keys in vf and returns what it did, for the line that
// says what was written: "proxy.host=pach.example.com, ...", a secret's
// value never shown.
func (e *env) applySets(vf *valuesFile, as []assignment) (string, error) {
	var did []string
	for _, a := range as {
		before := string(vf.v.Bytes())
		if err := vf.v.Set(docPath(a.Keys), a.Value); err != nil {
			return "", e.failf(exitUsage, "%s; nothing was written", describe(vf.name, setError(a, err)))
		}
		shown := fmt.Sprintf("%s=%s", a.Path(), showValue(a.Value))
		switch {
		case a.from != "":
			shown = a.Path() + " (from " + a.from + ")"
		case before == string(vf.v.Bytes()):
			shown += " (unchanged)"
		}
		did = append(did, shown)
		// In a layered set a later file may set it over this one: Helm
		// reads that value then.
		if vf.set != nil && vf.set.layered() {
			if _, from, pos, ok := vf.set.lookup(docPath(a.Keys)); ok && from != vf.name {
				e.notef("warning: %s (line %d) sets %s after %s, so Helm reads its value, not this one: set it there", from, pos.Line, a.Path(), vf.name)
			}
		}
	}
	return "set " + strings.Join(did, ", "), nil
}

// setError names the path as typed in a refusal of Document.Set.
func setError(a assignment, err error) error {
	var ee *pachidp.EditError
	if errors.As(err, &ee) && ee.Path == "" {
		ee.Path = a.Path()
	}
	return err
}

// showValue writes a value as it was set: strings quoted when they would
// read as another type.
func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if strvals.Type(x, false) != any(x) || x == "" || strings.ContainsAny(x, ", ") {
			return fmt.Sprintf("%q", x)
		}
		return x
	}
	return fmt.Sprint(v)
}

func runSet(e *env, args []string) error {
	fs := e.newFlags(setUsage)
	files := fs.valuesFiles()
	inPlace := fs.Bool("in-place", false, "replace FILE atomically instead of printing the edited document")
	fs.diffFlag(e)
	edit := fs.editFlag()
	output := fs.editOutput()
	var sf setFlags
	sf.declare(fs, false)
	fs.chartVersion()
	fs.strictFlag(e)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 && len(sf.setString)+len(sf.valueEnv)+len(sf.valueFile) == 0 {
		return e.usageError("what to set? pass PATH=VALUE, as in pachidp set proxy.host=pachyderm.example.com -f values.yaml")
	}
	if slices.Contains(*files, "-") && slices.ContainsFunc(sf.valueFile, func(s string) bool { return strings.HasSuffix(s, "=-") }) {
		return e.usageError("the values file (-f) and --value-file both read standard input (-): pass a file to one of them")
	}
	if err := e.startJSON(*output); err != nil {
		return err
	}
	if err := e.checkInPlace(single(*files), *inPlace); err != nil {
		return err
	}
	// The values first (a secret's file or variable), before the file's
	// lock is taken.
	as, err := e.assignments(rest, &sf)
	if err != nil {
		return err
	}
	vf, err := e.openEdit(*files, *edit, *inPlace)
	if err != nil {
		return err
	}
	what, err := e.applySets(vf, as)
	if err != nil {
		return err
	}
	if err := e.checkResult(vf, nil, ""); err != nil {
		return err
	}
	if err := e.writeEdit(vf, *inPlace); err != nil {
		return err
	}
	e.done(vf.name, what, *inPlace)
	return nil
}
