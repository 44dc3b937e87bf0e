package pachidp

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/pachidp/pachidp/internal/suggest"
)

// Severity says whether a finding makes pachd or a login fail (SeverityError)
// or is a risk the user should know about (SeverityWarning).
type Severity int

const (
	// SeverityError marks a problem that makes pachd fail to start, a login
	// fail, or an access restriction disappear.
	SeverityError Severity = iota
	// SeverityWarning marks a risk or a key that has no effect.
	SeverityWarning
)

// MarshalText writes "error" or "warning", so findings read well as JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("unknown severity %q: use error or warning", b)
	}
	return nil
}

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Finding is one problem in an entry or in the values. It implements error.
// Validate's findings name no file (File, Detail, Suppressed and Reason are
// empty); ValidateValues and Layers.Locate say which file and line they are
// about, and ValidateValues adds the rule's explanation and whether an
// ignore silenced it.
type Finding struct {
	// File is the file whose line Pos is: a values file, a layer or the
	// Secret manifest; "" for Validate's findings and values in memory.
	File     string   `json:"file,omitempty"`
	Path     string   `json:"path"`     // "oidc.upstreamIDPs[0].config.issuer"
	Pos      Position `json:"position"` // line and column when the entry came from a document
	Rule     Rule     `json:"rule"`     // the rule, such as RuleAuth0IssuerSlash ("auth0-issuer-slash")
	Severity Severity `json:"severity"` // "error" or "warning" in JSON
	// Fate is what the cluster does because of it (pachd-crash,
	// login-fails, ignored, ...); empty for findings about pachidp's input.
	Fate    Fate   `json:"fate,omitempty"`
	Message string `json:"message"` // what is wrong and how to fix it; never holds a secret
	// Detail is the rule's explanation and fix (Rule.Detail), set by
	// ValidateValues.
	Detail string `json:"detail,omitempty"`
	// Suppressed reports that ValidateValuesOptions.Ignore or a
	// `# pachidp:ignore` comment silenced it; Reason is the comment's reason,
	// or "ValidateValuesOptions.Ignore".
	Suppressed bool   `json:"suppressed,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// Error formats a finding without File as `path (line L): message`, and one
// with File as `file:line:col: path: message` (`file: path: message` when
// the line is unknown), the command's line; "warning: " comes before the
// path of a warning.
func (f Finding) Error() string {
	var b strings.Builder
	if f.File != "" {
		b.WriteString(location(f.File, f.Pos))
	}
	if f.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(f.Path)
	if f.File == "" && f.Pos.IsValid() {
		fmt.Fprintf(&b, " (line %d)", f.Pos.Line)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// Findings is every problem found, in document order.
type Findings []Finding

// Errors returns the findings of SeverityError.
func (fs Findings) Errors() Findings { return fs.filter(SeverityError) }

// Warnings returns the findings of SeverityWarning.
func (fs Findings) Warnings() Findings { return fs.filter(SeverityWarning) }

func (fs Findings) filter(s Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// Err returns nil when no finding is an error, and otherwise the findings
// themselves, warnings included, as the error: get them back with
// errors.As(err, &fs) for a Findings fs (the way of go/scanner.ErrorList).
func (fs Findings) Err() error {
	if len(fs.Errors()) == 0 {
		return nil
	}
	return fs
}

// Error counts the errors and warnings and lists every finding, one per
// line: "2 errors, 1 warning:\n...". It makes Findings the error that Err
// and UpstreamIDPsSecret.Manifest return; use Err to get an error only when one
// of them is an error.
func (fs Findings) Error() string {
	nerr, nwarn := len(fs.Errors()), len(fs.Warnings())
	lines := make([]string, 0, len(fs))
	for _, f := range fs {
		lines = append(lines, f.Error())
	}
	count := fmt.Sprintf("%d error%s", nerr, plural(nerr, "", "s"))
	if nwarn > 0 {
		count += fmt.Sprintf(", %d warning%s", nwarn, plural(nwarn, "", "s"))
	}
	return count + ":\n" + strings.Join(lines, "\n")
}

// messageWidth is the width, in characters, that messages aim at: a
// message past it, in a line of its own, is what a report printed one
// finding a line (the command's) has to shorten.
const messageWidth = 120

// location is where a finding's line starts: "file:line:col: ",
// "file: " when the line is unknown, "line L: " without a file, "" without
// either.
func location(file string, pos Position) string {
	switch {
	case file != "" && pos.IsValid():
		return fmt.Sprintf("%s:%d:%d: ", file, pos.Line, pos.Column)
	case file != "":
		return file + ": "
	case pos.IsValid():
		return fmt.Sprintf("line %d: ", pos.Line)
	}
	return ""
}

// ValidateOptions tunes Validate. The zero value validates for the newest
// Pachyderm release, with no Dex issuer to compare redirect URIs against.
type ValidateOptions struct {
	// Target is what will read the entries: a Pachyderm release line (see
	// ParseTarget) or TargetUpstreamDex. The zero Target is the newest
	// Pachyderm.
	Target Target
	// DexIssuer, when set, is the issuer of Pachyderm's own Dex as the chart
	// renders it (ChartIdentity.Issuer), such as "https://pachyderm.example.com/dex":
	// every redirectURI must then be its callback, DexIssuer + "/callback",
	// byte for byte.
	DexIssuer string
	// ProxyHost is a shortcut for DexIssuer "https://<ProxyHost>/dex": Pachyderm's
	// proxy.host, possibly with a port. DexIssuer wins when both are set.
	ProxyHost string
	// InsecureAllowHTTPLoopback accepts http issuers on loopback hosts
	// (localhost, 127.0.0.0/8, ::1) without a warning, for local test clusters.
	InsecureAllowHTTPLoopback bool
	// Path is the path of the list in the values file; default
	// "oidc.upstreamIDPs".
	Path string

	// dexCreds is whether the chart mounts /dexcreds in pachd's pod, when
	// the caller sees the values (ValidateValues); Validate alone does not.
	dexCreds dexCredsMount
}

// Validate checks a list of upstream IdP entries the way the target's pachd
// and Dex will read them, and returns every problem at once, entry by entry
// and, within an entry, in document order (field order for entries built in
// Go). Use Findings.Err to get an error when any finding is an error.
//
// Each finding carries the path of the offending key under opts.Path
// ("oidc.upstreamIDPs[0].config.issuer"), its line and column when the entry
// was decoded from a document (a missing key points at its parent), a stable
// rule name, the fate of the cluster (which decides the severity) and a
// message saying what happens and how to fix it. No message ever contains a
// secret: values of clientSecret, of any key that IsSecretKey names, of
// unknown keys and of jsonConfig are never shown.
//
// The entry goes through the stages the cluster runs: pachd's strict decode
// of the entry and its choice between config and jsonConfig, then Dex's
// decode of that config into the connector type's struct (every type: the
// key tables of each Dex are in dexconfig/), then the oidc connector's Open
// and LoginURL rules. A config written as a jsonConfig string is checked
// exactly like a config mapping.
//
// The rules (generated from the registry: Rules, and docs/rules.md, which
// explains each with its fix; fate: what happens; errors break the cluster,
// warnings do not).
// The fate shown is that of Pachyderm 2.3 and later; on 2.0-2.2 the config
// Job drops a connector it cannot create (login-fails) and ignores unknown
// keys, and upstream Dex skips a connector it cannot open unless none opens:
//
//	Rule                                        Fate                                    Title
//	invalid-option                              invalid                                 ProxyHost or DexIssuer option is not usable
//	required                                    pachd-crash, login-fails                a key the entry or its connector needs is missing
//	wrong-type                                  pachd-crash, login-fails, render-fails  a value of the wrong type
//	duplicate-id                                pachd-crash, login-fails                two entries share an id
//	unknown-type                                pachd-crash, login-fails                type is not a connector type of the target's Dex
//	pachctl-version-key                         pachd-crash, login-fails                version is a key of pachctl's connector file
//	unknown-entry-key                           pachd-crash, ignored                    a key pachd's strict decoder rejects
//	config-unsupported                          pachd-crash, ignored                    a config mapping on Pachyderm 2.0-2.2
//	config-missing                              pachd-crash, login-fails                no config and no jsonConfig
//	json-config-invalid                         pachd-crash, login-fails                jsonConfig is not a JSON object
//	config-version-managed                      ignored                                 configVersion is set, and pachd overwrites it
//	config-and-json-config                      ignored                                 both config and jsonConfig: config wins
//	config-field-mismatch                       invalid                                 (Go API) the config field does not match the type
//	unknown-config-key                          ignored                                 a config key no Dex knows
//	ignored-by-target                           ignored                                 a config key the target's Dex does not read
//	access-restriction-ignored                  access-wider                            an access restriction the target's Dex ignores
//	surrounding-space                           pachd-crash, login-fails                white space around a value
//	placeholder-value                           risk                                    clientID or clientSecret is a placeholder
//	issuer-url                                  pachd-crash, login-fails                issuer is not an absolute URL with a host
//	issuer-https                                risk, pachd-crash, login-fails          issuer over plain http
//	issuer-userinfo                             pachd-crash, login-fails                issuer carries user:password@
//	issuer-query                                pachd-crash, login-fails                issuer has a query or fragment
//	issuer-discovery-url                        pachd-crash, login-fails                issuer ends with /.well-known/openid-configuration
//	issuer-case                                 pachd-crash, login-fails                issuer's scheme or host in upper case
//	issuer-trailing-slash                       risk                                    issuer ends with "/"
//	auth0-issuer-slash                          pachd-crash, login-fails                Auth0 issuer is not https://<tenant>/
//	okta-issuer                                 pachd-crash, login-fails                Okta issuer is not an org or /oauth2/<id> URL
//	keycloak-issuer                             pachd-crash, login-fails                Keycloak issuer is not .../realms/<realm>
//	entra-issuer                                pachd-crash, login-fails                Entra ID issuer does not name the tenant GUID
//	google-issuer                               pachd-crash, login-fails                Google issuer is not https://accounts.google.com
//	redirect-uri-url                            login-fails, risk                       redirectURI is not an absolute URL with a host
//	redirect-uri-https                          login-fails, risk                       redirectURI's scheme is not the callback's
//	redirect-uri-query                          login-fails, risk                       redirectURI has user info, a query or fragment
//	redirect-uri-host                           login-fails, risk                       redirectURI's host is not the callback's
//	redirect-uri-path                           login-fails, risk                       redirectURI's path is not the callback's
//	pkce-challenge                              pachd-crash, login-fails                pkceChallenge is not "", "plain" or "S256"
//	root-ca-invalid                             pachd-crash, login-fails                a CA certificate the target's Dex cannot read
//	root-ca-file                                pachd-crash, login-fails, risk          a rootCAs file path must exist in pachd's pod
//	file-path                                   pachd-crash, login-fails, risk          a file path that must exist in pachd's pod
//	exclusive-keys                              pachd-crash, login-fails                keys the connector's Open refuses together
//	requires-key                                pachd-crash, login-fails                a key Open refuses without another
//	unknown-value                               pachd-crash, login-fails                a value the connector's Open does not know
//	insecure-skip-email-verified                risk                                    insecureSkipEmailVerified: true
//	insecure-skip-verify                        risk                                    insecureSkipVerify: true: TLS verification off
//	insecure-skip-issuer-callback-domain-check  risk                                    insecureSkipIssuerCallbackDomainCheck: true
//	hosted-domains-refused                      pachd-crash, login-fails                hostedDomains under upstream Dex
//	prompt-type-empty                           ignored                                 promptType: "" under Pachyderm's Dex
func Validate(idps []UpstreamIDP, opts ValidateOptions) Findings {
	base := opts.Path
	if base == "" {
		base = "oidc.upstreamIDPs"
	}
	for i := range idps {
		if err := checkTree(idps[i]); err != nil {
			// No rule can read it: the caller built a tree no file can be.
			return Findings{{Path: indexPath(base, i), Rule: RuleInvalidOption, Severity: SeverityError, Fate: FateInvalid, Message: err.Error()}}
		}
	}
	v := &validation{opts: opts, base: base, ids: map[string]int{}}
	var out Findings
	// Validate returns findings only: an unusable option is one.
	cb, err := opts.Callback()
	if oe := (*optionError)(nil); errors.As(err, &oe) {
		msg := oe.msg
		if oe.option == "ValidateOptions.ProxyHost" {
			msg = "not a host[:port]: " + msg
		}
		out = append(out, Finding{Path: oe.option, Rule: RuleInvalidOption, Severity: SeverityError, Fate: FateInvalid,
			Message: msg + "; redirect URIs were not compared with it"})
	}
	v.dexCallback = cb
	if fields := map[decoderKind][]string{decoderConfigPod: configPodFields, decoderDexFile: dexFileFields}[opts.Target.rl().pachd.kind]; fields != nil {
		folded := make([]UpstreamIDP, len(idps))
		for i, e := range idps {
			folded[i] = foldEntryKeys(e, fields)
		}
		idps = folded
	}
	checks := make([]*entryCheck, len(idps))
	allOpenFail := len(idps) > 0 && opts.Target.rl().pachd.kind == decoderDexFile
	for i, e := range idps {
		c := &entryCheck{validation: v, e: e, index: i, path: indexPath(base, i), dex: opts.Target.rl().dex}
		c.check(idps)
		checks[i] = c
		allOpenFail = allOpenFail && c.openFailed
	}
	for _, c := range checks {
		if allOpenFail {
			// Upstream Dex stops when no connector opens (server.go,
			// "failed to open all connectors").
			for i := range c.found {
				if f := &c.found[i]; f.open {
					f.Fate, f.Severity = FatePachdCrash, SeverityError
					f.Message += " (and no connector of this list opens, so Dex does not start at all)"
				}
			}
		}
		out = append(out, c.sorted()...)
	}
	return out
}

// Callback returns the redirect URI Validate requires of every entry with
// these options: Dex's callback, DexIssuer + "/callback", or with
// ProxyHost alone "https://<ProxyHost>/dex/callback", the guide's form,
// which the presets write. It is "" when neither is set. An unusable
// option is an option error naming it (see the package doc, Errors).
func (o ValidateOptions) Callback() (string, error) {
	issuer := o.DexIssuer
	if issuer == "" && o.ProxyHost != "" {
		host, err := proxyHostOf(o.ProxyHost)
		if err != nil {
			return "", &optionError{option: "ValidateOptions.ProxyHost", msg: err.Error()}
		}
		issuer = "https://" + host + "/dex"
	}
	if issuer == "" {
		return "", nil
	}
	cb, err := dexCallbackOf(issuer)
	if err != nil {
		return "", &optionError{option: "ValidateOptions.DexIssuer", msg: err.Error() + ": pass the issuer of Pachyderm's Dex, such as https://pachyderm.example.com/dex"}
	}
	return cb, nil
}

// proxyHostOf normalises opts.ProxyHost to a lower-case host[:port].
func proxyHostOf(s string) (string, error) {
	r, err := redirectURI(s)
	if err != nil {
		var pe *PresetError
		if errors.As(err, &pe) {
			return "", errors.New(pe.Msg)
		}
		return "", err
	}
	return strings.TrimSuffix(strings.TrimPrefix(r, "https://"), "/dex/callback"), nil
}

// ---------------------------------------------------------------------------
// The declarative part, on validator/v10.

// RegisterValidations prepares a validator/v10 Validate to check the
// validate tags of UpstreamIDP and OIDCConfig as Validate does: it names
// fields by their json key ("clientID", not "ClientID"; the tag-name
// function replaces any v had) and registers the tags pachidp adds, which
// see a value without the white space around it (Validate reports that
// space as its own finding, surrounding-space):
//
//	trimmed_required  validator's required: white space alone is missing
//	trimmed_url       validator's url
//
// A tag of the same name v had is replaced; without this call, v panics on
// the model's unknown tags. It returns an error only for a nil v.
// Validate's findings say more than these tags do (the provider's issuer
// form, Dex's callback, the target's rules): the tags are the shape a
// config must have before those rules apply.
func RegisterValidations(v *validator.Validate) error {
	if v == nil {
		return errors.New("pachidp.RegisterValidations: nil *validator.Validate: pass validator.New()")
	}
	v.RegisterTagNameFunc(jsonName)
	for tag, fn := range customTags {
		if err := v.RegisterValidation(tag, fn); err != nil {
			return fmt.Errorf("pachidp.RegisterValidations: %w", err)
		}
	}
	return nil
}

// jsonName names a field by its json key, as findings' paths do.
func jsonName(f reflect.StructField) string {
	return strings.Split(f.Tag.Get("json"), ",")[0]
}

// customTags are pachidp's validate tags: validator's own required and url
// on the value without surrounding white space (strings.TrimSpace), as the
// checks behind Validate read it; they report the space apart.
var customTags = map[string]validator.Func{
	"trimmed_required": func(fl validator.FieldLevel) bool { return trimmed(fl) != "" },
	"trimmed_url":      func(fl validator.FieldLevel) bool { return builtin.Var(trimmed(fl), "url") == nil },
}

// trimmed returns a string field without surrounding white space; like
// validator's own string tags, it panics on a field of another kind.
func trimmed(fl validator.FieldLevel) string {
	if f := fl.Field(); f.Kind() != reflect.String {
		panic("pachidp: validate tag " + fl.GetTag() + " on " + f.Type().String() + ", not a string")
	}
	return strings.TrimSpace(fl.Field().String())
}

// builtin is a validator with no custom tags: trimmed_url runs its url.
var builtin = validator.New()

// shapes is built once; a *validator.Validate is safe for concurrent use.
var shapes = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	if err := RegisterValidations(v); err != nil {
		panic(err)
	}
	return v
}()

// shapeErrors runs validator/v10 on the fields of UpstreamIDP or
// OIDCConfig that carry a validate tag (an entry's config is checked once
// Dex gets it); FieldErrors become findings through the tables of
// tagFinding. Their default text, and their Value, which may be a secret,
// are never used in a message.
func shapeErrors(s any) validator.ValidationErrors {
	var ve validator.ValidationErrors
	if err := shapes.StructFiltered(s, untagged); err != nil && !errors.As(err, &ve) {
		panic("pachidp: validating " + reflect.TypeOf(s).String() + ": " + err.Error())
	}
	return ve
}

// untagged is shapeErrors' filter: it skips every field without a validate
// tag, which validator would otherwise box to look for a Valuer, an
// allocation each for nothing.
func untagged(ns []byte) bool { return !taggedFields[string(ns)] }

// taggedFields are the namespaces ("OIDCConfig.Issuer") of the fields of
// the model that carry a validate tag.
var taggedFields = func() map[string]bool {
	out := map[string]bool{}
	for _, t := range []reflect.Type{reflect.TypeFor[UpstreamIDP](), reflect.TypeFor[OIDCConfig]()} {
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("validate") != "" {
				out[t.Name()+"."+t.Field(i).Name] = true
			}
		}
	}
	return out
}()

// tagFinding is what Validate reports when a validate tag fails on a field:
// a finding of rule, fate and message (msg gets the field's key, never its
// value), or, when report is set, what report says of the trimmed value.
type tagFinding struct {
	rule   Rule
	fate   func(*entryCheck) Fate
	open   bool // the connector's Open fails (fate is then the open fate)
	msg    func(c *entryCheck, key string) string
	report func(c *entryCheck, val string)
}

// reportTag adds the finding a FieldError stands for: table is keyed by
// "tag key" (one field) or "tag" (every field); rel is the field's path
// relative to the entry.
func (c *entryCheck) reportTag(table map[string]tagFinding, fe validator.FieldError, rel string) {
	key := fe.Field()
	t, ok := table[fe.Tag()+" "+key]
	if !ok {
		t, ok = table[fe.Tag()]
	}
	if !ok {
		// Every tag of the model has its finding (TestTagFindings); keep a new one loud.
		panic("pachidp: no finding for validate tag " + fe.Tag() + " on " + key)
	}
	if t.report != nil {
		val, _ := fe.Value().(string)
		t.report(c, strings.TrimSpace(val))
		return
	}
	if t.open {
		c.addOpen(rel, t.rule, "%s", t.msg(c, key))
		return
	}
	c.add(rel, t.rule, t.fate(c), "%s", t.msg(c, key))
}

// text is a msg of tagFinding that does not depend on the entry.
func text(s string) func(*entryCheck, string) string {
	return func(*entryCheck, string) string { return s }
}

// ---------------------------------------------------------------------------
// Our rules.

// oidcKeys is oidcConfigKeys, computed on first use: the field tables it
// reads are filled by an init function, after package variables.
var oidcKeys = sync.OnceValue(oidcConfigKeys)

// validation is the state shared by the entries of one Validate call.
type validation struct {
	opts        ValidateOptions
	base        string         // opts.Path or its default
	dexCallback string         // Dex's callback URL, "" when its issuer is unknown
	ids         map[string]int // id -> index of its first entry
}

// entryCheck collects the findings of one entry.
type entryCheck struct {
	*validation
	e     UpstreamIDP
	index int
	path  string      // "oidc.upstreamIDPs[3]"
	dex   *dexVersion // the target's Dex
	// cfgKey is the key whose config Dex gets ("config" or "jsonConfig") and
	// cfg that config as JSON values, once pickConfig chose.
	cfgKey string
	cfg    map[string]any
	found  []ranked
	// openFailed: a finding says Open fails (upstream Dex skips such a
	// connector, unless every connector fails).
	openFailed bool
}

// ranked is a finding with its sort keys for entries without positions.
type ranked struct {
	Finding
	rank, seq int
	open      bool // the finding says the connector's Open fails
}

// add records a finding at rel, a path relative to the entry such as
// "config.issuer". A key that is not in the document (a missing one) gets
// the position of its nearest ancestor that is.
func (c *entryCheck) add(rel string, rule Rule, fate Fate, format string, args ...any) {
	path := c.path
	switch {
	case rel == "":
	case strings.HasPrefix(rel, "["):
		path += rel
	default:
		path += "." + rel
	}
	var pos Position
	for r := rel; ; r = parentPath(r) {
		if pos = c.e.Pos(r); pos.IsValid() || r == "" {
			break
		}
	}
	c.found = append(c.found, ranked{
		Finding: Finding{Path: path, Pos: pos, Rule: rule, Severity: fate.Severity(), Fate: fate, Message: fmt.Sprintf(format, args...)},
		rank:    rankOf(rel),
		seq:     len(c.found),
	})
}

// addOpen records a finding that makes the connector's Open fail.
func (c *entryCheck) addOpen(rel string, rule Rule, format string, args ...any) {
	c.add(rel, rule, c.openFate(), format, args...)
	c.found[len(c.found)-1].open = true
	c.openFailed = true
}

// sorted returns the findings in document order: by position, then by field
// order, then in the order they were found.
func (c *entryCheck) sorted() Findings {
	sort.SliceStable(c.found, func(i, j int) bool {
		a, b := c.found[i], c.found[j]
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.seq < b.seq
	})
	out := make(Findings, len(c.found))
	for i, r := range c.found {
		out[i] = r.Finding
	}
	return out
}

// parentPath drops the last segment of a relative path:
// `config.claimMapping.email` -> `config.claimMapping`, `config.rootCAs[1]`
// -> `config.rootCAs`, `config["a.b"]` -> `config`.
func parentPath(rel string) string {
	i := -1
	switch {
	case strings.HasSuffix(rel, `"]`):
		i = strings.LastIndex(rel, `["`)
	case strings.HasSuffix(rel, "]"):
		i = strings.LastIndex(rel, "[")
	default:
		i = strings.LastIndex(rel, ".")
	}
	if i < 0 {
		return ""
	}
	return rel[:i]
}

// rankOf orders relative paths the way entries are written: entry keys in
// pachd's order, config keys in oidcConfigKeys order, unknown keys last.
func rankOf(rel string) int {
	top, rest, _ := strings.Cut(rel, ".")
	if i := strings.IndexByte(top, '['); i > 0 {
		top = top[:i]
	}
	r := index(entryKeys, top) * 1000
	if top == "config" && rest != "" {
		key := rest
		if i := strings.IndexAny(key, ".["); i > 0 {
			key = key[:i]
		}
		if f, ok := structFields(reflect.TypeOf(OIDCConfig{})).lookup(key); ok {
			key = f.name // as Dex matches it: without case
		}
		r += index(oidcKeys(), key)
	}
	return r
}

// index returns the place of s in list, or len(list) when it is not there.
func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

// check runs the stages of the cluster on one entry.
func (c *entryCheck) check(all []UpstreamIDP) {
	e := c.e
	c.checkEntryShape()
	if !c.opts.Target.IsUpstreamDex() {
		// Dex's own file needs no unique ids to start.
		c.checkDuplicateID(all)
	}
	c.checkType()
	c.checkEntryExtra()
	if c.checkFieldMismatch() || !c.pickConfig() {
		return
	}
	c.checkConfigShape()
	if e.Type == typeOIDC && c.dex.connector(typeOIDC) != nil {
		c.checkOIDC(c.typedOIDC())
	}
	if c.dex.connector(e.Type) != nil {
		c.checkConnectorRules()
		c.checkOpenRules()
	}
}

// checkFieldMismatch reports Go values whose config field does not match
// their type: they would be written other than meant. It returns true when
// it reported one: the rest of the entry is not checked then.
func (c *entryCheck) checkFieldMismatch() bool {
	e := c.e
	n := len(c.found)
	switch {
	case e.Type == typeOIDC && e.OIDC == nil && e.Config != nil:
		c.add("config", RuleConfigFieldMismatch, FateInvalid,
			"an entry of type oidc keeps its config in the OIDC field (*OIDCConfig), but this one has only the generic Config: set OIDC, or build the entry with UpstreamIDPFromMap")
	case e.Type == typeOIDC && e.OIDC != nil && e.Config != nil:
		c.add("config", RuleConfigFieldMismatch, FateInvalid,
			"both OIDC and the generic Config are set: an oidc entry is written from OIDC and Config is dropped; clear Config")
	case e.Type != typeOIDC && e.Type != "" && e.OIDC != nil:
		c.add("config", RuleConfigFieldMismatch, FateInvalid,
			"type %q keeps its config in the generic Config field, but this entry has an OIDC config: set type to oidc, or move the settings to Config", e.Type)
	}
	return len(c.found) > n
}

// nearest returns the candidate closest to s when it differs only in case or
// by at most two edits, or "" (suggest.Nearest).
func nearest(s string, candidates []string) string { return suggest.Nearest(s, candidates) }
