package pachidp

// Conversions between pachidp's entries and Dex's own forms:
//
//   - package dexconv's ToDex and FromDex convert to and from upstream Dex
//     v2.45.1's connector/oidc.Config, the Go value (with dexConfigInto and
//     pachydermLosses below, through internal/dexbridge).
//   - EncodeDexConnectors and DecodeDexConnectors write and read the
//     `connectors:` list of a Dex config file (dex serve config.yaml).
//
// (pachctl's connector files are in convert_pachctl.go.)
//
// Every conversion returns what it could not carry as []Loss, never dropping
// anything silently. Conversions speak for the Dex at their far end: going to
// Dex they speak for upstream Dex v2.45.1 (keys only Pachyderm's Dex fork
// reads are losses); coming from Dex the result is an entry of Pachyderm's
// Helm values, so they speak for Pachyderm's Dex fork (keys it ignores are
// carried, and reported as losses of effect).

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pachidp/pachidp/internal/atomicfile"
	"github.com/pachidp/pachidp/internal/dexbridge"
)

// Loss is something a conversion could not carry to its target: a key the
// target does not read, a value it would treat differently. Conversions
// return their losses instead of dropping anything silently.
//
// Some losses are losses of effect rather than of data: the key is carried,
// but the target ignores it or reads it differently. Reason says which.
type Loss struct {
	// Path is relative to the entry, such as "config.forwardedLoginParams",
	// or, for functions on lists, starts with the entry's place in the list
	// ("connectors[2].config.bindPW", "[0].configVersion").
	Path string `json:"path"`
	// Pos is where the key was read from, when the entry came from a document.
	Pos Position `json:"position"`
	// Reason says what happens to the key and what to do. It never holds a
	// secret.
	Reason string `json:"reason"`
}

// String formats the loss as `path (line N): reason`.
func (l Loss) String() string {
	if l.Pos.IsValid() {
		return fmt.Sprintf("%s (line %d): %s", l.Path, l.Pos.Line, l.Reason)
	}
	return l.Path + ": " + l.Reason
}

// forkOnlyKeys are the oidc config keys some Pachyderm Dex fork reads and
// upstream Dex v2.45.1 does not (insecureSkipIssuerCallbackDomainCheck,
// forwardedLoginParams), from the key tables in dexconfig/.
var forkOnlyKeys = sync.OnceValue(func() []string {
	return oidcKeysDiff(func(d *dexVersion) bool { return !d.upstream }, func(d *dexVersion) bool { return d.upstream })
})

// upstreamOnlyKeys are the oidc config keys of upstream Dex v2.45.1 that the
// newest Pachyderm's Dex fork does not read: inside such a cluster they are
// silently ignored.
var upstreamOnlyKeys = sync.OnceValue(func() []string {
	return oidcKeysDiff(func(d *dexVersion) bool { return d.upstream }, func(d *dexVersion) bool { return d == newestLine.dex })
})

// oidcKeysDiff returns the oidc keys some Dex of in reads and no Dex of out
// does, in oidcConfigKeys order.
func oidcKeysDiff(in, out func(*dexVersion) bool) []string {
	reads := func(keep func(*dexVersion) bool, k string) bool {
		for _, d := range allDexVersions() {
			if _, f := d.connector(typeOIDC).field(k); keep(d) && f != nil {
				return true
			}
		}
		return false
	}
	var keys []string
	for _, k := range oidcConfigKeys() {
		if reads(in, k) && !reads(out, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// ---------------------------------------------------------------------------
// OIDCConfig <-> dexoidc.Config

// dexConfigInto converts c to upstream Dex v2.45.1's connector/oidc.Config
// by decoding the keys upstream Dex reads into out, a *oidc.Config given by
// package dexconv (the root imports no Dex type: see dexconv.ToDex, whose
// doc says what is carried and what is lost). The error never holds a value.
func dexConfigInto(c *OIDCConfig, out any) ([]Loss, error) {
	if err := checkTree(c); err != nil {
		return nil, err
	}
	var losses []Loss
	carried := upstreamView(reflect.ValueOf(c).Elem(), "config", true, func(l Loss) { losses = append(losses, l) })
	losses = append(losses, promptTypeLoss(c, "config", toUpstream)...)
	data, err := carried.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("pachidp: converting to Dex's oidc.Config: %s", typeOnly(err))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return losses, fmt.Errorf("pachidp: converting to Dex's oidc.Config: %s", typeOnly(err))
	}
	return losses, nil
}

// The steps of package dexconv that need the root's unexported machinery.
func init() {
	dexbridge.DecodeUpstream = func(c, out any) (any, error) { return dexConfigInto(c.(*OIDCConfig), out) }
	dexbridge.PachydermLosses = func(c any) any { return pachydermLosses(c.(*OIDCConfig), "config", nil) }
}

// direction says which Dex a conversion speaks for.
type direction int

const (
	toUpstream  direction = iota // the result is read by upstream Dex
	toPachyderm                  // the result is read by Pachyderm's Dex fork
)

// upstreamView returns the config struct as upstream Dex would be given it:
// set fields in declaration order, without Extra keys (at any depth) and,
// when top is true, without the fork-only keys. Everything left out is
// reported through add.
func upstreamView(rv reflect.Value, path string, top bool, add func(Loss)) orderedMap {
	out := orderedMap{}
	for _, f := range structFields(rv.Type()).order {
		fv := rv.Field(f.index)
		p := joinPath(path, f.name)
		if top && contains(forkOnlyKeys(), f.name) {
			if _, set := fieldValue(fv); set {
				add(Loss{Path: p, Reason: forkOnlyReason(f.name, fv)})
			}
			continue
		}
		switch {
		case fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().Kind() == reflect.Struct:
			out = append(out, mapItem{f.name, upstreamView(fv.Elem(), p, false, add)})
		case fv.Kind() == reflect.Slice && !fv.IsNil() && fv.Type().Elem().Kind() == reflect.Struct:
			list := make([]any, fv.Len())
			for i := range list {
				list[i] = upstreamView(fv.Index(i), indexPath(p, i), false, add)
			}
			out = append(out, mapItem{f.name, list})
		default:
			if v, ok := fieldValue(fv); ok {
				out = append(out, mapItem{f.name, v})
			}
		}
	}
	extra, _ := rv.FieldByName("Extra").Interface().(map[string]any)
	for _, k := range sortedKeys(extra) {
		add(Loss{Path: joinPath(path, k), Reason: extraReason(rv.Type(), k, extra[k])})
	}
	return out
}

func forkOnlyReason(key string, fv reflect.Value) string {
	const common = "read only by Pachyderm's Dex fork; upstream Dex ignores it"
	switch key {
	case "insecureSkipIssuerCallbackDomainCheck":
		if fv.Elem().Kind() == reflect.Bool && !fv.Elem().Bool() {
			return common + " (false changes nothing: upstream Dex always compares the callback URL with redirectURI); not carried"
		}
		return common + " and compares the callback URL with redirectURI exactly: set redirectURI to Dex's callback; not carried"
	case "forwardedLoginParams":
		return common + ": no login parameter is passed on to the provider; not carried"
	}
	return common + "; not carried"
}

func extraReason(t reflect.Type, key string, v any) string {
	if f, ok := structFields(t).lookup(key); ok {
		return fmt.Sprintf("%s is not a valid value for %s (Dex would refuse to start); not carried", typeName(v), f.name)
	}
	return "not a key of Dex's oidc config: upstream Dex ignores it; not carried"
}

// promptTypeLoss reports an empty promptType, which the two Dex versions read
// differently: upstream Dex sends no prompt, Pachyderm's fork sends "consent".
func promptTypeLoss(c *OIDCConfig, path string, dir direction) []Loss {
	if c.PromptType == nil || *c.PromptType != "" {
		return nil
	}
	p := joinPath(path, "promptType")
	if dir == toUpstream {
		return []Loss{{Path: p, Reason: `carried, but read differently: Pachyderm's Dex fork sends prompt=consent for an empty promptType, upstream Dex sends no prompt; write "consent" to keep the fork's behaviour`}}
	}
	return []Loss{{Path: p, Reason: `carried, but read differently: upstream Dex sends no prompt for an empty promptType, Pachyderm's Dex fork sends prompt=consent instead; the provider may ask users for consent again`}}
}

// pachydermLosses reports the set keys of c that Pachyderm's Dex fork ignores
// or reads differently. pos, when not nil, gives positions for the paths.
func pachydermLosses(c *OIDCConfig, path string, pos func(path string) Position) []Loss {
	if c == nil {
		return nil
	}
	var out []Loss
	rv := reflect.ValueOf(c).Elem()
	for _, f := range structFields(rv.Type()).order {
		if !contains(upstreamOnlyKeys(), f.name) {
			continue
		}
		if _, set := fieldValue(rv.Field(f.index)); !set {
			continue
		}
		reason := "carried, but Pachyderm's Dex fork ignores it"
		switch f.name {
		case "hostedDomains", "allowedGroups":
			reason += ": the restriction is lost, anyone the provider authenticates can log in; restrict access at the provider"
		case "rootCAs":
			reason += ": pachd trusts only its system roots, so the provider's certificate must chain to one"
		case "insecureSkipVerify":
			reason += ": Pachyderm's Dex verifies the provider's TLS certificate"
		case "pkceChallenge":
			reason += " (no PKCE); note that Dex's Open writes the PKCE method it detected into its Config, so an opened Config carries it unasked"
		case "claimModifications":
			reason += ": groups are not rewritten"
		case "issuerAlias", "providerDiscoveryOverrides":
			reason += ": discovery uses the issuer as is"
		}
		out = append(out, Loss{Path: joinPath(path, f.name), Reason: reason})
	}
	out = append(out, promptTypeLoss(c, path, toPachyderm)...)
	if pos != nil {
		for i := range out {
			out[i].Pos = pos(out[i].Path)
		}
	}
	return out
}

// typeOnly keeps a JSON error's message free of values, which may be secrets.
func typeOnly(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("%s: want %s, got a JSON %s", te.Field, te.Type, te.Value)
	}
	return "invalid config"
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// ---------------------------------------------------------------------------
// Dex config files

// DexFileOptions tunes DecodeDexConnectors. The zero value reads a file the
// way a default Dex does, expanding nothing and reporting every $VAR.
type DexFileOptions struct {
	// LookupEnv, when set, expands $VAR and ${VAR} references in connector
	// configs the way Dex does (os.Expand syntax), looking each variable up
	// with it: pass os.LookupEnv to use the current environment. A variable
	// it does not find expands to "", as in Dex, and is reported.
	//
	// When nil, values holding references are carried verbatim and each is
	// reported: pachd does not expand them, so the entry would log in with
	// the literal text "$VAR".
	LookupEnv func(name string) (string, bool)

	// EnvExpansionDisabled says the Dex that read the file ran with
	// DEX_EXPAND_ENV=false: "$" is then literal for Dex too, so nothing is
	// expanded or reported, and LookupEnv is not used.
	EnvExpansionDisabled bool
}

// dexEntryKeys are the keys Dex reads in a `connectors:` entry.
var dexEntryKeys = []string{"type", "id", "name", "config"}

// DecodeDexConnectors reads the connectors of a Dex config file (YAML or
// JSON): the `connectors:` list of the mapping Dex reads at start, or such a
// list alone. It returns them as entries of Pachyderm's Helm values. (Helm's
// own list is read by DecodeUpstreamIDPs, pachctl's connector files by
// DecodePachctlConnector.)
//
//	connectors:
//	- type: ldap
//	  id: corp
//	  name: Corp LDAP
//	  config:
//	    host: ldap.corp.example:636
//	    bindPW: $LDAP_BIND_PW    # Dex expands this; pachd would not
//
// The file's other top-level keys (issuer, storage, web, staticClients,
// staticPasswords, ...) configure Dex itself, not connectors: they are
// ignored and not reported. A mapping without a connectors key is an error,
// since it is most likely not a Dex config file.
//
// Keys are matched case-insensitively, as Dex's JSON decoder does, and
// written back in their canonical case. The losses are:
//   - entry keys other than type, id, name and config (Dex ignores them);
//   - strings of a config holding $VAR references (see DexFileOptions);
//   - for "oidc" entries, what Pachyderm's Dex fork reads differently from
//     upstream Dex: upstream-only keys it ignores, and the fork-only keys
//     (insecureSkipIssuerCallbackDomainCheck, forwardedLoginParams) that
//     upstream Dex ignored but the fork will apply.
//
// Errors are *SyntaxError: the document cannot be read, or Dex itself would
// refuse it (an entry that is not a mapping, a config that is not one, an
// id that is not a string).
func DecodeDexConnectors(data []byte, opts DexFileOptions) ([]UpstreamIDP, []Loss, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return nil, nil, err
	}
	if doc == nil {
		return nil, nil, &SyntaxError{Msg: "empty input: expected a Dex config file with a connectors: list"}
	}
	pos := positions{}
	v, err := toValue(doc, "", pos)
	if err != nil {
		return nil, nil, err
	}
	listPath := ""
	switch x := v.(type) {
	case []any:
	case map[string]any:
		picked, _, _ := pickFolded(x, []string{"connectors"})
		k, ok := picked["connectors"]
		if !ok {
			return nil, nil, &SyntaxError{Msg: "no connectors: key: pass a Dex config file with a top-level connectors: list, or the list itself"}
		}
		listPath, v = k, x[k]
		if v == nil {
			return nil, nil, nil
		}
	default:
		return nil, nil, &SyntaxError{Msg: fmt.Sprintf("a Dex config file is a mapping with a connectors: list, got %s", typeName(v))}
	}
	list, ok := v.([]any)
	if !ok {
		return nil, nil, &SyntaxError{Path: listPath, Pos: pos.at(listPath),
			Msg: fmt.Sprintf("connectors must be a list of {type, id, name, config}, got %s", typeName(v))}
	}
	out := make([]UpstreamIDP, 0, len(list))
	var losses []Loss
	var budget *expansionBudget
	if opts.LookupEnv != nil && !opts.EnvExpansionDisabled {
		budget = &expansionBudget{left: maxExpansion}
		opts.LookupEnv = budget.lookup(opts.LookupEnv)
	}
	for i, item := range list {
		e, l, err := dexConnectorFromValue(item, indexPath(listPath, i), pos, opts)
		if err == nil && budget != nil && budget.over != "" {
			err = &SyntaxError{Path: indexPath(listPath, i), Pos: pos.at(indexPath(listPath, i)),
				Msg: fmt.Sprintf("expanding $%s makes the connectors' values larger than %d MiB, the cap of an input: a variable this large (or used this often) is not a connector setting; check what it holds", budget.over, maxExpansion>>20)}
		}
		if err != nil {
			return nil, nil, err
		}
		out = append(out, e)
		losses = append(losses, l...)
	}
	return out, losses, nil
}

func dexConnectorFromValue(v any, path string, pos positions, opts DexFileOptions) (UpstreamIDP, []Loss, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return UpstreamIDP{}, nil, &SyntaxError{Path: path, Pos: pos.at(path),
			Msg: fmt.Sprintf("a connector must be a mapping with type, id, name and config, got %s", typeName(v))}
	}
	var losses []Loss
	picked, shadowed, unknown := pickFolded(m, dexEntryKeys)
	for _, k := range shadowed {
		p := joinPath(path, k)
		losses = append(losses, Loss{Path: p, Pos: pos.at(p),
			Reason: fmt.Sprintf("Dex reads only one of keys differing in case, here %q; not carried", picked[strings.ToLower(k)])})
	}
	for _, k := range unknown {
		p := joinPath(path, k)
		losses = append(losses, Loss{Path: p, Pos: pos.at(p),
			Reason: "not a key of Dex's connectors entries (type, id, name, config): Dex ignores it; not carried"})
	}
	canon := map[string]any{}
	for _, name := range dexEntryKeys {
		k, ok := picked[name]
		if !ok {
			continue
		}
		val := m[k]
		p := joinPath(path, k)
		if name != "config" {
			if _, isString := val.(string); !isString && val != nil {
				return UpstreamIDP{}, nil, &SyntaxError{Path: p, Pos: pos.at(p),
					Msg: fmt.Sprintf("Dex cannot read %s as the connector's %s: quote it", typeName(val), name)}
			}
		} else if _, isMap := val.(map[string]any); !isMap && val != nil {
			return UpstreamIDP{}, nil, &SyntaxError{Path: p, Pos: pos.at(p),
				Msg: fmt.Sprintf("a connector's config must be a mapping, got %s", typeName(val))}
		}
		if k != name {
			copyPositions(pos, p, joinPath(path, name))
		}
		canon[name] = val
	}
	if cfg, ok := canon["config"].(map[string]any); ok && !opts.EnvExpansionDisabled {
		cfgPath := joinPath(path, "config")
		canon["config"] = expandDex(cfg, cfgPath, opts.LookupEnv, func(p string, reason string) {
			losses = append(losses, Loss{Path: p, Pos: pos.at(p), Reason: reason})
		})
	}
	e, err := entryFromValue(canon, path, pos)
	if err != nil {
		return UpstreamIDP{}, nil, err
	}
	if e.OIDC != nil {
		cfgPath := joinPath(path, "config")
		losses = append(losses, pachydermLosses(e.OIDC, cfgPath, pos.at)...)
		rv := reflect.ValueOf(e.OIDC).Elem()
		for _, f := range structFields(rv.Type()).order {
			if !contains(forkOnlyKeys(), f.name) {
				continue
			}
			if _, set := fieldValue(rv.Field(f.index)); set {
				p := joinPath(cfgPath, f.name)
				losses = append(losses, Loss{Path: p, Pos: pos.at(p),
					Reason: "carried, but upstream Dex ignored it and Pachyderm's Dex fork will apply it: check that you want it"})
			}
		}
	}
	sortByLine(losses)
	return e, losses, nil
}

// sortByLine orders losses read from one document by their line.
func sortByLine(ls []Loss) {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Pos.Line < ls[j].Pos.Line })
}

// copyPositions makes the positions recorded under one path (and its
// children) reachable under another.
func copyPositions(pos positions, from, to string) {
	if pos == nil {
		return
	}
	for q, at := range pos {
		if q == from || strings.HasPrefix(q, from+".") || strings.HasPrefix(q, from+"[") {
			pos[to+q[len(from):]] = at
		}
	}
}

// pickFolded finds, for each canonical name, the key of m that Go's
// encoding/json would fill it from. Dex and pachctl both marshal a generic
// map (keys sorted) before decoding it into a struct whose fields match keys
// case-insensitively, so the last matching key in sorted order wins. It also
// returns the keys that lost (shadowed) and the keys matching no name.
func pickFolded(m map[string]any, names []string) (picked map[string]string, shadowed, unknown []string) {
	picked = map[string]string{}
	for _, k := range sortedKeys(m) {
		matched := false
		for _, n := range names {
			if strings.EqualFold(k, n) {
				if prev, ok := picked[n]; ok {
					shadowed = append(shadowed, prev)
				}
				picked[n] = k
				matched = true
				break
			}
		}
		if !matched {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(shadowed)
	return picked, shadowed, unknown
}

// maxExpansion caps the text that DexFileOptions.LookupEnv may add to a
// Dex file's connectors, all variables together: the cap of an input
// (16 MiB). Without it a 100 KB variable written 40,000 times in a 20 KB
// file expanded to gigabytes.
const maxExpansion = atomicfile.MaxValuesFileSize

// expansionBudget counts the bytes the variables expand to.
type expansionBudget struct {
	left int64
	over string // the variable that went past the cap, "" while within it
}

// lookup wraps a LookupEnv: past the cap every variable expands to "" and
// over names the one that went past it.
func (b *expansionBudget) lookup(get func(string) (string, bool)) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := get(name)
		if b.over != "" {
			return "", ok
		}
		if int64(len(v)) > b.left {
			b.over = name
			return "", ok
		}
		b.left -= int64(len(v))
		return v, ok
	}
}

// expandDex walks a connector config the way Dex's expandEnvInMap does
// (strings in mappings, strings and mappings in lists, recursively; lists
// directly inside lists are left alone) and handles every string Dex's
// os.ExpandEnv would change: expanded with lookup when it is set, reported
// as a loss otherwise. It returns the config to carry.
func expandDex(m map[string]any, path string, lookup func(string) (string, bool), report func(path, reason string)) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		p := joinPath(path, k)
		switch x := v.(type) {
		case string:
			out[k] = expandString(x, p, isSecretKey(k), lookup, report)
		case map[string]any:
			out[k] = expandDex(x, p, lookup, report)
		case []any:
			list := make([]any, len(x))
			for i, item := range x {
				switch y := item.(type) {
				case map[string]any:
					list[i] = expandDex(y, indexPath(p, i), lookup, report)
				case string:
					list[i] = expandString(y, indexPath(p, i), isSecretKey(k), lookup, report)
				default:
					list[i] = item
				}
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

func expandString(s, path string, secret bool, lookup func(string) (string, bool), report func(path, reason string)) string {
	names, changes := dexExpansion(s)
	if !changes {
		return s
	}
	if lookup == nil {
		what := fmt.Sprintf("Dex expands %s from its environment", quoteNames(names))
		if secret || len(names) == 0 {
			what = "Dex expands the $ references in this value from its environment"
		}
		report(path, what+", but pachd does not expand $VAR: write the value, or keep it in a Secret (oidc.upstreamIDPsSecretName); carried verbatim")
		return s
	}
	var unset []string
	out := os.Expand(s, func(name string) string {
		v, ok := lookup(name)
		if !ok {
			unset = append(unset, name)
		}
		return v
	})
	if len(unset) > 0 {
		what := quoteNames(unset) + " not set"
		if secret {
			what = "a variable in this secret is not set"
		}
		report(path, what+`: expanded to "", as Dex does`)
	}
	return out
}

// dexExpansion reports whether Dex's os.ExpandEnv would change s, and the
// variable names it would look up.
func dexExpansion(s string) (names []string, changes bool) {
	if !strings.Contains(s, "$") {
		return nil, false
	}
	out := os.Expand(s, func(name string) string {
		names = append(names, name)
		return ""
	})
	return names, len(names) > 0 || out != s
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote("$" + n)
	}
	return strings.Join(q, ", ")
}

// EncodeDexConnectors writes entries as the `connectors:` list of a Dex
// config file, for upstream Dex v2.45.1:
//
//	connectors:
//	- type: oidc
//	  id: auth0
//	  name: Auth0
//	  config:
//	    issuer: https://acme.us.auth0.com/
//	    ...
//
// Paste the list into a Dex config file (beside issuer, storage, web, ...).
// The output holds secrets. It is not Helm's format: write Helm values with
// EncodeUpstreamIDPs.
//
// What Dex's connectors entries cannot hold is left out and reported:
// configVersion (Dex has no such key), Extra keys, and, for "oidc" entries,
// the keys only Pachyderm's Dex fork reads and the config's Extra keys (as in
// dexconv.ToDex). A legacy jsonConfig becomes the config when the entry has
// none, and is a loss otherwise (pachd ignores it too). Config strings
// holding "$" are carried but reported: Dex expands them from its
// environment unless it runs with DEX_EXPAND_ENV=false, and has no escape.
func EncodeDexConnectors(idps []UpstreamIDP) ([]byte, []Loss, error) {
	if err := checkEntries(idps); err != nil {
		return nil, nil, err
	}
	list := make([]any, 0, len(idps))
	var losses []Loss
	for i, e := range idps {
		prefix := indexPath("", i)
		add := func(rel string, reason string) {
			losses = append(losses, Loss{Path: prefix + "." + rel, Pos: e.Pos(rel), Reason: reason})
		}
		e = withJSONConfigResolved(e, add)
		if e.ConfigVersion != 0 {
			add("configVersion", "Dex's connectors entries have no configVersion: not carried")
		}
		for _, k := range sortedKeys(e.Extra) {
			add(k, "not a key of Dex's connectors entries (type, id, name, config): not carried")
		}
		item := orderedMap{}
		put := func(k, v string) {
			if v != "" {
				item = append(item, mapItem{k, v})
			}
		}
		put("type", e.Type)
		put("id", e.ID)
		put("name", e.Name)
		var config orderedMap
		switch {
		case e.OIDC != nil:
			config = upstreamView(reflect.ValueOf(e.OIDC).Elem(), "config", true, func(l Loss) {
				add(l.Path, l.Reason)
			})
			for _, l := range promptTypeLoss(e.OIDC, "config", toUpstream) {
				add(l.Path, l.Reason)
			}
		case e.Config != nil:
			config = orderGeneric(e.Config)
		}
		if e.OIDC != nil && e.Config != nil {
			add("config", bothConfigsReason)
		}
		if config != nil {
			reportDollars(config, "config", func(rel string) {
				add(rel, `holds "$": Dex expands $VAR references in config strings from its environment (unless it runs with DEX_EXPAND_ENV=false) and has no escape for "$", so this value would change`)
			})
			item = append(item, mapItem{"config", config})
		}
		list = append(list, item)
	}
	out, err := marshalYAML(orderedMap{{"connectors", list}})
	if err != nil {
		return nil, nil, err
	}
	return out, losses, nil
}

const bothConfigsReason = "the entry has both OIDC and Config set: OIDC is written, Config is not carried"

// reportDollars calls report for every string Dex's env expansion would
// change in a config about to be written (the strings expandDex visits).
func reportDollars(v any, path string, report func(path string)) {
	m, ok := v.(orderedMap)
	if !ok {
		return
	}
	for _, it := range m {
		p := joinPath(path, it.Key)
		switch y := it.Value.(type) {
		case string:
			if _, changes := dexExpansion(y); changes {
				report(p)
			}
		case []any:
			for i, item := range y {
				if s, ok := item.(string); ok {
					if _, changes := dexExpansion(s); changes {
						report(indexPath(p, i))
					}
				} else if _, ok := item.(orderedMap); ok {
					reportDollars(item, indexPath(p, i), report)
				}
			}
		case orderedMap:
			reportDollars(y, p, report)
		}
	}
}

// withJSONConfigResolved returns the entry with a legacy jsonConfig turned
// into its config when it has none (pachd does the same), reporting a
// jsonConfig that cannot be carried.
func withJSONConfigResolved(e UpstreamIDP, add func(rel, reason string)) UpstreamIDP {
	if e.JSONConfig == "" {
		return e
	}
	js := e.JSONConfig
	e.JSONConfig = ""
	if e.OIDC != nil || e.Config != nil || hasKey(e.Extra, "config") {
		add("jsonConfig", "pachd ignores jsonConfig when the entry has a config: not carried")
		return e
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		add("jsonConfig", "not valid JSON (pachd would fail on it too): not carried")
		return e
	}
	m, ok := normalize(v).(map[string]any)
	if !ok {
		add("jsonConfig", fmt.Sprintf("holds %s, not a JSON object: not carried", typeName(normalize(v))))
		return e
	}
	if e.Type == typeOIDC {
		c := &OIDCConfig{}
		decodeStruct(m, reflect.ValueOf(c).Elem(), "config", nil)
		e.OIDC = c
	} else {
		e.Config = ConnectorConfig(m)
	}
	return e
}
