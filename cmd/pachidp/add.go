package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
	"github.com/pachidp/pachidp/internal/presetflag"
)

// addUsage is the help of add, its list of providers from presetflag.Presets.
var addUsage = addUsageHead + presetList() + addUsageTail

const addUsageHead = `usage: pachidp add PROVIDER -f FILE... [--edit FILE] [--in-place] [-o json] --client-id ID
                   (--client-secret-env VAR | --client-secret-file FILE) [flags]

Builds the oidc.upstreamIDPs entry of Pachyderm's guide for a provider,
checks it, and writes it into the values: a new one is appended. An entry
with the same id is updated where it stands: issuer, clientID, clientSecret
and redirectURI become the preset's, the name and the insecure* settings
change only when their flags are passed, and every other key stays (scopes,
getUserInfo, claimMapping, ...); --replace replaces it by the preset's
entry and says what it dropped. Only the entry's lines change. The edited
document goes to standard output, or with --in-place over FILE (locked, so
concurrent edits of FILE wait for each other). To rotate a client secret
alone, use pachidp set-secret.

Repeated -f flags are one layered set, merged as helm -f merges them: the
redirect URI and the checks read the merged values, and the edit goes into
the file that sets oidc.upstreamIDPs as Helm reads it; when no file or
several could be it, the command stops and --edit FILE (one of the -f
files) chooses.
` + editJSONHelp + `
When FILE keeps the entries in a Secret (oidc.upstreamIDPsSecretName), pass
its manifest with --secret MANIFEST: the entry is written there instead
(with --in-place over MANIFEST, a new file of mode 0600).

Providers and their flags:
`

const addUsageTail = `
The redirect URI is Dex's callback: https://<proxy host>/dex/callback with
--proxy-host; else the issuer the chart of --chart-version renders from FILE
(oidc.issuerURI as written, else ingress.host when ingress.enabled, else
proxy.host when proxy.enabled) + /callback.
The client secret is read from an environment variable or a file (one line;
- for standard input), never from a flag, and never printed on standard error.
One final newline of the file is stripped; a byte order mark, a control or
invisible character, or white space around the secret is refused.
The entry is validated before anything is written: errors stop the command
(exit 1), warnings are printed on standard error. Then the whole result is
checked as pachidp validate checks it (--strict: not written if it fails).
--set PATH=VALUE sets chart keys in the same edit, as pachidp set does
(--set proxy.host=HOST: the redirect URI names it).

Example:
  export AUTH0_CLIENT_SECRET=...   # from the Auth0 application's settings
  pachidp add auth0 -f values.yaml --domain acme.us.auth0.com \
      --client-id hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks \
      --client-secret-env AUTH0_CLIENT_SECRET --in-place
`

// The providers, their names and flags are the library's table
// (internal/presetflag, filled by package pachidp): presetNames lists them, presetAliases maps other names
// to theirs, presetFlags holds the flags only some providers take, and
// presetFlagList every such flag once, in the table's order.
var (
	presets        = map[string]presetflag.Info{}
	presetNames    []string
	presetAliases  = map[string]string{}
	presetFlags    = map[string][]string{}
	presetFlagDef  = map[string]presetflag.Flag{}
	presetFlagFor  = map[string][]string{} // flag -> the providers taking it
	presetFlagList []string
)

func init() {
	for _, p := range presetflag.Presets() {
		presets[p.Name] = p
		presetNames = append(presetNames, p.Name)
		for _, a := range p.Aliases {
			presetAliases[a] = p.Name
		}
		presetFlags[p.Name] = []string{}
		for _, f := range p.Flags {
			presetFlags[p.Name] = append(presetFlags[p.Name], f.Flag)
			if _, seen := presetFlagDef[f.Flag]; !seen {
				presetFlagDef[f.Flag] = f
				presetFlagList = append(presetFlagList, f.Flag)
			}
			presetFlagFor[f.Flag] = append(presetFlagFor[f.Flag], p.Name)
			fieldFlags[f.Field] = "--" + f.Flag
		}
	}
}

// presetList is the help's list of providers and their flags.
func presetList() string {
	var b strings.Builder
	for _, p := range presetflag.Presets() {
		var args []string
		for _, f := range p.Flags {
			a := "--" + f.Flag + " " + f.Arg
			if f.Optional {
				a = "[" + a + "]"
			}
			args = append(args, a)
		}
		if p.Generic {
			args = append(args, "--id ID", "--name NAME")
		}
		var note []string
		if len(p.Aliases) > 0 {
			note = append(note, "also: "+strings.Join(p.Aliases, ", "))
		}
		if p.Note != "" {
			note = append(note, p.Note)
		}
		line := fmt.Sprintf("  %-9s %s", p.Name, strings.Join(args, " "))
		if len(note) > 0 {
			line = fmt.Sprintf("  %-9s %-35s (%s)", p.Name, strings.Join(args, " "), strings.Join(note, "; "))
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// optBool is a boolean flag that remembers whether it was set.
type optBool struct{ p **bool }

func (b optBool) String() string {
	if b.p == nil || *b.p == nil {
		return ""
	}
	return strconv.FormatBool(**b.p)
}

func (b optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("pass true or false")
	}
	*b.p = &v
	return nil
}

func (b optBool) IsBoolFlag() bool { return true }

type addFlags struct {
	clientID, secretEnv, secretFile, proxyHost, id, name string
	secret, edit, output                                 string
	files                                                stringList
	inPlace, disableMock, replace                        bool
	groups, skipEmail, skipCallback                      *bool
	// own holds the values of the flags only some providers take.
	own map[string]*string
}

func runAdd(e *env, args []string) error {
	var f addFlags
	fs := e.newFlags(addUsage)
	target, sf := f.declare(e, fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	preset, err := e.addPreset(fs, rest, &f)
	if err != nil {
		return err
	}
	if err := e.startJSON(f.output); err != nil {
		return err
	}
	if err := e.checkInPlace(single(f.files), f.inPlace); err != nil {
		return err
	}
	if slices.Contains(f.files, "-") && f.secretFile == "-" {
		return e.usageError("the values file (-f) and --client-secret-file both read standard input (-): pass a file to one of them")
	}
	// The secret first: the file's lock is not held while it is typed.
	secret, err := e.clientSecret(f.secretEnv, f.secretFile)
	if err != nil {
		return err
	}
	sets, err := e.assignments(nil, sf)
	if err != nil {
		return err
	}
	store, proxyHost, callback, err := e.openAdd(&f, sets, *target)
	if err != nil {
		return err
	}
	entry, err := f.build(preset, secret, proxyHost)
	if err != nil {
		return e.failf(exitUsage, "%s", presetMessage(err))
	}
	if callback != "" && entry.OIDC != nil {
		entry.OIDC.RedirectURI = callback
	}
	entry, note, err := e.mergeExisting(fs, &f, store, entry)
	if err != nil {
		return err
	}
	return e.upsert(store, []pachidp.UpstreamIDP{entry}, f.inPlace, f.disableMock, "", note, *target)
}

// declare defines the flags of pachidp add.
func (f *addFlags) declare(e *env, fs *flagSet) (*pachidp.Target, *setFlags) {
	fs.Var(&f.files, "f", valuesFilesUsage)
	fs.releaseFlag()
	fs.BoolVar(&f.inPlace, "in-place", false, "replace FILE atomically instead of printing the edited document")
	fs.diffFlag(e)
	fs.StringVar(&f.edit, "edit", "", "with several -f: the `FILE` (one of them) to edit when the one that defines oidc.upstreamIDPs is ambiguous (default: that one)")
	fs.StringVar(&f.output, "o", "", "output `format`: json prints an object saying what the edit did instead of the document")
	fs.StringVar(&f.clientID, "client-id", "", "the application's client `ID` at the provider")
	fs.StringVar(&f.secretEnv, "client-secret-env", "", "environment `VAR`iable holding the client secret")
	fs.StringVar(&f.secretFile, "client-secret-file", "", "`FILE` holding the client secret (- for standard input)")
	fs.StringVar(&f.proxyHost, "proxy-host", "", "Pachyderm's `host`[:port] for the redirect URI (default: from FILE)")
	fs.StringVar(&f.id, "id", "", "the entry's `id` (default: the provider's name, such as auth0)")
	fs.StringVar(&f.name, "name", "", "the `name` shown on the login page (default: the provider's, such as Auth0)")
	fs.BoolVar(&f.disableMock, "disable-mock-idp", false, "also set oidc.mockIDP: false")
	fs.BoolVar(&f.replace, "replace", false, "replace an entry with the same id by the preset's, dropping its other keys (default: update the preset's keys and keep the others)")
	fs.StringVar(&f.secret, "secret", "", "the `MANIFEST` of the Secret named by oidc.upstreamIDPsSecretName: the entry is written there")
	fs.Var(optBool{&f.groups}, "insecure-enable-groups", "set config.insecureEnableGroups (default true, as in the guide)")
	fs.Var(optBool{&f.skipEmail}, "insecure-skip-email-verified", "set config.insecureSkipEmailVerified (default false; true for entra, whose tokens have no email_verified)")
	fs.Var(optBool{&f.skipCallback}, "insecure-skip-issuer-callback-domain-check", "set config.insecureSkipIssuerCallbackDomainCheck (default false)")
	f.own = map[string]*string{}
	for _, name := range presetFlagList {
		f.own[name] = fs.String(name, "", strings.Join(presetFlagFor[name], ", ")+": "+presetFlagDef[name].Usage)
	}
	target := fs.chartVersion()
	fs.strictFlag(e)
	sf := new(setFlags)
	sf.declare(fs, true)
	return target, sf
}

// addPreset returns the provider the argument names, once the flags given
// are checked to be its.
func (e *env) addPreset(fs *flagSet, rest []string, f *addFlags) (string, error) {
	switch len(rest) {
	case 0:
		return "", e.usageError("which provider? pass one of %s, as in pachidp add auth0 -f values.yaml ...", strings.Join(presetNames, ", "))
	case 1:
	default:
		return "", e.extraArguments(len(rest)-1, "the provider")
	}
	preset := strings.ToLower(rest[0])
	if a, ok := presetAliases[preset]; ok {
		preset = a
	}
	if _, known := presetFlags[preset]; !known {
		// The argument is repeated only when it is a near miss of a
		// provider's name: anything else may be a secret typed in the
		// wrong place.
		msg := "unknown provider (the argument is not repeated here: it may be a secret typed in the wrong place)"
		if s := suggest(preset, presetNames); s != "" {
			msg = fmt.Sprintf("unknown provider %q: did you mean %q?", rest[0], s)
		}
		return "", e.usageError("%s (providers: %s; for others use oidc --issuer URL)", msg, strings.Join(presetNames, ", "))
	}
	var wrong string
	fs.Visit(func(fl *flag.Flag) {
		for p, names := range presetFlags {
			if p != preset && slices.Contains(names, fl.Name) && !slices.Contains(presetFlags[preset], fl.Name) && wrong == "" {
				wrong = fl.Name
			}
		}
	})
	if wrong != "" {
		takes := "no provider flag"
		if pf := presetFlags[preset]; len(pf) > 0 {
			takes = "--" + strings.Join(pf, ", --")
		}
		return "", e.usageError("--%s is not a flag of %s, which takes %s", wrong, preset, takes)
	}
	if presets[preset].Generic && (f.id == "" || f.name == "") {
		return "", e.usageError("oidc needs --id and --name: the id pachd stores the connector under and the name on the login page, such as --id corp-sso --name \"Corp SSO\"")
	}
	return preset, nil
}

// openAdd opens the values and the store of the entries, applies --set
// (before the redirect URI is built: --set proxy.host=... is the host it
// names), and returns the host the redirect URI names and, when the chart
// builds Dex's issuer otherwise, the redirect URI itself.
func (e *env) openAdd(f *addFlags, sets []assignment, target pachidp.Target) (store *entryStore, proxyHost, callback string, err error) {
	vf, err := e.openEdit(f.files, f.edit, f.inPlace)
	if err != nil {
		return nil, "", "", err
	}
	if store, err = e.openStore(vf, f.secret, f.inPlace); err != nil {
		return nil, "", "", err
	}
	if len(sets) > 0 {
		if store.inSecret() {
			return nil, "", "", e.usageError("--set edits %s, and this command writes the Secret's manifest: run pachidp set -f %s separately", vf.name, vf.path)
		}
		if e.setNote, err = e.applySets(vf, sets); err != nil {
			return nil, "", "", err
		}
	}
	proxyHost = f.proxyHost
	if proxyHost == "" {
		if proxyHost, callback, err = e.chartCallback(vf, target); err != nil {
			return nil, "", "", err
		}
	}
	return store, proxyHost, callback, nil
}

// mergeExisting merges entry into the entry with its id, when there is
// one: the preset's keys and the flags given are updated, its other keys
// kept (or, with --replace, dropped). note says what happens to it.
func (e *env) mergeExisting(fs *flagSet, f *addFlags, store *entryStore, entry pachidp.UpstreamIDP) (pachidp.UpstreamIDP, string, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	current, err := store.entries()
	if err != nil {
		return entry, "", e.failf(exitUsage, "%s", describe(store.name(), err))
	}
	i := slices.IndexFunc(current, func(x pachidp.UpstreamIDP) bool { return x.ID == entry.ID })
	if i < 0 {
		return entry, "", nil
	}
	old := withoutPositions(current[i])
	if f.replace {
		return entry, replaceNote(old, entry), nil
	}
	merged, changed, err := mergeEntry(old, entry, set)
	if err != nil {
		return entry, "", e.failf(exitUsage, "%s: entry %q: %v; nothing was written", store.name(), entry.ID, err)
	}
	note := "updated entry " + strconv.Quote(merged.ID)
	if len(changed) > 0 {
		note += " (" + strings.Join(changed, ", ") + "; its other keys kept)"
	}
	return merged, note, nil
}

// presetKeys are the config keys a preset always determines from its
// flags and the file: an update of an existing entry writes them.
var presetKeys = []string{"issuer", "clientID", "clientSecret", "redirectURI"}

// boolFlagKeys are the config keys that only a flag the user passed may
// change in an existing entry: a preset's default never flips a setting.
var boolFlagKeys = map[string]string{
	"insecure-enable-groups":                     "insecureEnableGroups",
	"insecure-skip-email-verified":               "insecureSkipEmailVerified",
	"insecure-skip-issuer-callback-domain-check": "insecureSkipIssuerCallbackDomainCheck",
}

// mergeEntry updates the existing entry old with what the preset's entry
// built determines: issuer, clientID, clientSecret and redirectURI, the
// name when --name was passed, and each boolean setting whose flag was
// passed. Every other key of old stays as it is (scopes, getUserInfo,
// userNameKey, claimMapping, rootCAs, settings the user wrote). It returns
// the changed keys, a secret's without its value.
func mergeEntry(old, built pachidp.UpstreamIDP, set map[string]bool) (pachidp.UpstreamIDP, []string, error) {
	if old.Type != built.Type {
		return old, nil, fmt.Errorf("it is of type %q, and the preset builds type %q: pass --replace to replace it (its config is then the preset's alone), or pass another --id", old.Type, built.Type)
	}
	om, bm := old.Map(), built.Map()
	oc, _ := om["config"].(map[string]any)
	bc, _ := bm["config"].(map[string]any)
	if oc == nil {
		oc = map[string]any{}
	}
	var changed []string
	note := func(key string, was, now any) {
		switch {
		case fmt.Sprint(was) == fmt.Sprint(now):
		case pachidp.IsSecretKey("", key):
			changed = append(changed, "config."+key+" changed")
		case was == nil:
			changed = append(changed, fmt.Sprintf("config.%s set to %v", key, now))
		default:
			changed = append(changed, fmt.Sprintf("config.%s %v -> %v", key, was, now))
		}
	}
	keys := slices.Clone(presetKeys)
	for fl, key := range boolFlagKeys {
		if set[fl] {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys[len(presetKeys):])
	for _, k := range keys {
		if v, ok := bc[k]; ok {
			note(k, oc[k], v)
			oc[k] = v
		}
	}
	om["config"] = oc
	if set["name"] && om["name"] != bm["name"] {
		changed = append(changed, fmt.Sprintf("name %v -> %v", om["name"], bm["name"]))
		om["name"] = bm["name"]
	}
	merged, err := pachidp.UpstreamIDPFromMap(om)
	return merged, changed, err
}

// replaceNote says what --replace changes and drops of the old entry.
func replaceNote(old, built pachidp.UpstreamIDP) string {
	om, bm := old.Map(), built.Map()
	oc, _ := om["config"].(map[string]any)
	bc, _ := bm["config"].(map[string]any)
	var dropped, changed []string
	// Keys of the entry itself count too: the guide's version: 1 is
	// dropped by the preset's entry, and the note must say so.
	for _, k := range slices.Sorted(maps.Keys(om)) {
		if _, ok := bm[k]; !ok && k != "config" {
			dropped = append(dropped, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(oc)) {
		v, ok := bc[k]
		switch {
		case !ok:
			dropped = append(dropped, "config."+k)
		case fmt.Sprint(v) != fmt.Sprint(oc[k]):
			changed = append(changed, "config."+k)
		}
	}
	note := "replaced entry " + strconv.Quote(built.ID) + " by the preset's"
	if len(changed) > 0 {
		note += "; changed: " + strings.Join(changed, ", ")
	}
	if len(dropped) > 0 {
		note += "; dropped: " + strings.Join(dropped, ", ")
	}
	return note
}

// dexIssuer returns Dex's issuer as the target's chart renders it from the
// values, and the key it comes from; the error is ChartIdentity's, or the
// chart's first refusal (it then renders no issuer).
func dexIssuer(v *pachidp.Document, t pachidp.Target) (issuer, from string, err error) {
	ci, err := v.ChartIdentity(t)
	if err != nil {
		return "", "", err
	}
	if len(ci.RenderErrors) > 0 {
		return "", "", ci.RenderErrors[0]
	}
	return ci.Issuer, ci.IssuerFrom, nil
}

// chartCallback returns the host the chart builds Dex's issuer from, for
// the preset, and the redirect URI to write instead of the preset's when
// oidc.issuerURI sets an issuer of another form (its callback is the
// issuer + /callback).
func (e *env) chartCallback(vf *valuesFile, target pachidp.Target) (host, callback string, err error) {
	if h, _, found := vf.settings().RedirectHost(target); found {
		return h, "", nil
	}
	issuer, from, err := dexIssuer(vf.settings(), target)
	if err != nil {
		return "", "", e.usageError("--proxy-host is needed: %s", describe(vf.name, err))
	}
	switch from {
	case "proxy.enabled", "pachd.service.type":
		return "", "", e.usageError("--proxy-host is needed: %s sets no host chart %s builds Dex's issuer from (it renders the in-cluster %s, which no browser reaches); set proxy.host, ingress.host with ingress.enabled, or oidc.issuerURI", vf.name, target.Name(), issuer)
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || strings.Contains(u.Host, ":") && u.Port() == "" {
		return "", "", e.usageError("--proxy-host is needed: Dex's issuer %q (from %s in %s) has no host a redirect URI can name; %s", issuer, from, vf.name, "correct it, or pass --proxy-host")
	}
	if from == "oidc.issuerURI" {
		e.notef("redirectURI: %s, Dex's issuer from oidc.issuerURI + /callback", issuer+"/callback")
		return u.Host, issuer + "/callback", nil
	}
	// An http issuer (TLS off): the guide's https form with the chart's
	// host; validate reports the TLS prerequisite.
	return u.Host, "", nil
}

// build maps the flags onto the provider's preset.
func (f *addFlags) build(preset, secret, proxyHost string) (pachidp.UpstreamIDP, error) {
	info, ok := presets[preset]
	if !ok {
		return pachidp.UpstreamIDP{}, fmt.Errorf("unknown provider %q", preset)
	}
	fields := map[string]any{"ClientID": f.clientID, "ClientSecret": secret, "ProxyHost": proxyHost, "ID": f.id, "Name": f.name,
		"InsecureEnableGroups": f.groups, "InsecureSkipEmailVerified": f.skipEmail, "InsecureSkipIssuerCallbackDomainCheck": f.skipCallback}
	for _, fl := range info.Flags {
		fields[fl.Field] = *f.own[fl.Flag]
	}
	p, err := info.New(fields)
	if err != nil {
		return pachidp.UpstreamIDP{}, err
	}
	builder, ok := p.(interface {
		UpstreamIDP() (pachidp.UpstreamIDP, error)
	})
	if !ok {
		return pachidp.UpstreamIDP{}, fmt.Errorf("%T has no UpstreamIDP method", p)
	}
	return builder.UpstreamIDP()
}

// fieldFlags names the flag of each preset field: the shared ones here,
// each provider's own from its flags (init).
var fieldFlags = map[string]string{
	"ClientID":     "--client-id",
	"ClientSecret": "the client secret (--client-secret-env or --client-secret-file)",
	"ProxyHost":    "--proxy-host (or the file's host)",
	"ID":           "--id",
	"Name":         "--name",
}

// optionErr is the library's error about an option of a call: the
// option's Go name, and what is wrong without it.
type optionErr interface {
	Option() string
	Message() string
}

// optionMessage is the message of an error about an option without the
// option's Go name, for a command that names its flag itself.
func optionMessage(err error) string {
	var oe optionErr
	if errors.As(err, &oe) {
		return oe.Message()
	}
	return err.Error()
}

// presetMessage says a preset error with the flags the user passed instead
// of the preset's Go fields: the error's Field and Use name fields, and its
// Msg names none (pachidp.PresetError).
func presetMessage(err error) string {
	var pe *pachidp.PresetError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	name, ok := fieldFlags[pe.Field]
	if !ok {
		return err.Error()
	}
	return name + ": " + pe.Msg + pe.UseText(func(field string) string {
		if fl, ok := fieldFlags[field]; ok {
			return fl
		}
		return field
	})
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// conventionalEnvName is the shape of a variable name that messages may
// repeat: upper-case words joined by _, such as AUTH0_CLIENT_SECRET. A
// pasted secret (mixed case, or one long word) is never repeated.
var conventionalEnvName = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,11}(_[A-Z0-9]{1,12})*$`)

// clientSecret reads the client secret from the environment variable or
// the file. Messages never show the secret, nor a value that might be one.
//
// A file's single final newline (\n or \r\n, as echo and editors write it)
// is not part of the secret and is stripped, as most CLIs do with a secret
// file (kubectl create secret --from-file keeps it; here a secret never
// holds a newline). Anything else invisible is refused, not stripped: a
// byte order mark, control characters, white space before or after, more
// than one line (see checkSecretText).
func (e *env) clientSecret(envVar, file string) (string, error) {
	switch {
	case envVar != "" && file != "":
		return "", e.usageError("pass the client secret one way: --client-secret-env or --client-secret-file, not both")
	case envVar == "" && file == "":
		return "", e.usageError("the client secret is needed: pass --client-secret-env VAR (an environment variable holding it) or --client-secret-file FILE (- for standard input); it is never taken from a flag")
	case envVar != "":
		if !envName.MatchString(envVar) {
			// Perhaps the secret itself: do not echo it.
			return "", e.usageError("--client-secret-env takes the name of an environment variable (letters, digits and _, such as AUTH0_CLIENT_SECRET), not the secret itself")
		}
		where := "the environment variable given with --client-secret-env"
		if conventionalEnvName.MatchString(envVar) {
			where = "environment variable " + envVar
		}
		s := e.getenv(envVar)
		if s == "" {
			return "", e.failf(exitUsage, "%s is unset or empty: export the client secret in it (the name, not the secret, goes after --client-secret-env)", where)
		}
		if msg := checkSecretText(s); msg != "" {
			return "", e.failf(exitUsage, "%s: the client secret %s", where, msg)
		}
		return s, nil
	}
	// The path is not echoed: it may be the secret itself.
	data, err := e.readSecretFile(file, "--client-secret-file")
	if err != nil {
		return "", err
	}
	s := strings.TrimSuffix(string(data), "\n")
	if len(s) < len(data) {
		s = strings.TrimSuffix(s, "\r")
	}
	if s == "" {
		return "", e.failf(exitUsage, "--client-secret-file: the file is empty: put the client secret in it")
	}
	if msg := checkSecretText(s); msg != "" {
		return "", e.failf(exitUsage, "--client-secret-file: the client secret in the file %s", msg)
	}
	return s, nil
}

// readSecretFile reads a file holding one secret (- for standard input),
// capped at atomicfile.MaxSecretFileSize. Messages name the flag, not the path.
func (e *env) readSecretFile(file, flagName string) ([]byte, error) {
	if file == "-" {
		return e.readInputLimited("-", flagName, atomicfile.MaxSecretFileSize)
	}
	data, err := atomicfile.ReadFile(file, atomicfile.MaxSecretFileSize, flagName+": the file")
	var se *atomicfile.SizeError
	switch {
	case errors.As(err, &se):
		return nil, e.failf(exitUsage, "%v", err)
	case err != nil:
		return nil, e.failf(exitUsage, "%s: cannot read the file: %v", flagName, unwrapPath(err))
	}
	return data, nil
}

// checkSecretText returns why a secret read from a file or a variable is
// refused ("" when it is fine), without showing it: a byte order mark,
// several lines, control or invisible characters, white space before or
// after, invalid UTF-8. Providers compare secrets byte for byte, so such a
// secret makes every login fail with an error that says nothing of why.
func checkSecretText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8 text: write it as plain text"
	case strings.HasPrefix(s, "\uFEFF"):
		return "starts with a byte order mark (U+FEFF, written by some Windows editors) that the provider would receive as part of the secret: save it as UTF-8 without BOM"
	case strings.ContainsAny(s, "\r\n"):
		return "holds several lines: put the client secret alone on one line"
	}
	for i, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Sprintf("holds an invisible character (%U at byte %d): remove it", r, i)
		}
	}
	if strings.TrimSpace(s) != s {
		return "has white space before or after it, which the provider would receive as part of the secret: remove it (one final newline of a file is stripped already)"
	}
	return ""
}

// upsert writes entries into the store (the values, or the Secret's
// manifest in secret mode), checks them there and writes the result.
// proxyHost is --proxy-host: when empty the entries are validated against
// Dex's issuer as the chart of target renders it from the file
// (validateIssuer), else against https://<proxyHost>/dex. note, when set,
// says what happened to the (single) entry.
func (e *env) upsert(store *entryStore, entries []pachidp.UpstreamIDP, inPlace, disableMock bool, proxyHost, note string, target pachidp.Target) error {
	vf := store.vf
	before, err := store.entries()
	if err != nil {
		return e.failf(exitUsage, "%s", describe(store.name(), err))
	}
	var notes, ids []string
	for _, entry := range entries {
		verb := "added"
		i := slices.IndexFunc(before, func(b pachidp.UpstreamIDP) bool { return b.ID == entry.ID })
		if i >= 0 {
			verb = "replaced"
		}
		oldBytes := vf.v.Bytes()
		if err := store.upsert(entry); err != nil {
			return e.failf(exitUsage, "%s; nothing was written", describe(store.name(), err))
		}
		unchanged := string(oldBytes) == string(vf.v.Bytes())
		if store.inSecret() {
			unchanged = i >= 0 && sameEntry(before[i], entry)
		}
		if r := e.report; r != nil && !unchanged {
			if i >= 0 {
				r.Replaced = append(r.Replaced, entry.ID)
			} else {
				r.Added = append(r.Added, entry.ID)
			}
		}
		switch {
		case unchanged:
			notes = append(notes, fmt.Sprintf("kept (unchanged) entry %q", entry.ID))
		case note != "" && len(entries) == 1:
			notes = append(notes, note)
		default:
			notes = append(notes, fmt.Sprintf("%s entry %q", verb, entry.ID))
		}
		ids = append(ids, entry.ID)
	}
	if disableMock {
		if store.inSecret() {
			return e.usageError("--disable-mock-idp edits %s, and this command writes the Secret's manifest: set oidc.mockIDP: false in %s separately", vf.name, vf.name)
		}
		if err := vf.v.DisableMockIDP(); err != nil {
			return e.failf(exitUsage, "%s; nothing was written", describe(vf.name, err))
		}
		// In a layered set a later file may set it back: Helm would then
		// keep the mock IdP whatever this file says.
		if vf.set != nil && vf.set.layered() {
			if v, from, pos, ok := vf.set.lookup("oidc.mockIDP"); ok && v != false && from != vf.name {
				e.notef("warning: %s (line %d) sets oidc.mockIDP: %v after %s, so the mock IdP stays: set it to false there", from, pos.Line, v, vf.name)
			}
		}
	}
	errs, err := e.validateWritten(store, ids, proxyHost, target)
	if err != nil {
		return e.failf(exitUsage, "%s; nothing was written", describe(store.name(), err))
	}
	if errs > 0 {
		what := "the entry"
		if len(entries) > 1 {
			what = "the entries"
		}
		return e.failf(exitFindings, "%d error%s in %s: nothing was written", errs, plural(errs), what)
	}
	if err := e.checkStore(store); err != nil {
		return err
	}
	if err := e.writeStore(store, inPlace); err != nil {
		return err
	}
	if e.setNote != "" {
		notes = append(notes, e.setNote)
	}
	e.done(store.name(), strings.Join(notes, ", "), inPlace)
	return nil
}

// sameEntry compares two entries by their values, secrets included.
func sameEntry(a, b pachidp.UpstreamIDP) bool {
	ja, err1 := a.MarshalJSON()
	jb, err2 := b.MarshalJSON()
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// within reports whether path is p or below it.
func within(path, p string) bool {
	return path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[")
}
