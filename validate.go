package pachidp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
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

// Finding is one problem in an entry. It implements error.
type Finding struct {
	Path     string   `json:"path"`     // "oidc.upstreamIDPs[0].config.issuer"
	Pos      Position `json:"position"` // line and column when the entry came from a document
	Rule     string   `json:"rule"`     // stable rule name, such as "auth0-issuer-slash"
	Severity Severity `json:"severity"` // "error" or "warning" in JSON
	Message  string   `json:"message"`  // what is wrong and how to fix it; never holds a secret
}

// Error formats the finding as
// `path (line L): message`, with "warning: " in front of warnings.
func (f Finding) Error() string {
	var b strings.Builder
	if f.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(f.Path)
	if f.Pos.IsValid() {
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

// Err returns nil when no finding is an error, and a *ValidationError holding
// all findings (warnings included) otherwise.
func (fs Findings) Err() error {
	if len(fs.Errors()) == 0 {
		return nil
	}
	return &ValidationError{Findings: fs}
}

// ValidationError is the error of a validation that found errors. Use
// errors.As to get at every finding.
type ValidationError struct {
	Findings Findings
}

// Error counts the errors and warnings and lists every finding, one per
// line: "2 errors, 1 warning:\n...".
func (e *ValidationError) Error() string {
	nerr, nwarn := len(e.Findings.Errors()), len(e.Findings.Warnings())
	lines := make([]string, 0, len(e.Findings))
	for _, f := range e.Findings {
		lines = append(lines, f.Error())
	}
	count := fmt.Sprintf("%d error%s", nerr, plural(nerr, "", "s"))
	if nwarn > 0 {
		count += fmt.Sprintf(", %d warning%s", nwarn, plural(nwarn, "", "s"))
	}
	return count + ":\n" + strings.Join(lines, "\n")
}

// ValidateOptions tunes Validate. The zero value validates for Pachyderm's
// Dex fork with no proxy host to compare against.
type ValidateOptions struct {
	// Target is the Dex that will read the entries.
	Target Target
	// ProxyHost, when set, is Pachyderm's proxy.host (possibly with a port):
	// every redirectURI must then be https://<ProxyHost>/dex/callback.
	ProxyHost string
	// InsecureAllowHTTPLoopback accepts http issuers and redirect URIs on
	// loopback hosts (localhost, 127.0.0.0/8, ::1), for local test clusters.
	InsecureAllowHTTPLoopback bool
	// Path is the path of the list in the values file; default
	// "oidc.upstreamIDPs".
	Path string
}

// Validate checks a list of upstream IdP entries the way pachd and Dex will
// read them, and returns every problem at once, entry by entry and, within an
// entry, in document order (field order for entries built in Go). Use
// Findings.Err to get an error when any finding is an error.
//
// Each finding carries the path of the offending key under opts.Path
// ("oidc.upstreamIDPs[0].config.issuer"), its line and column when the entry
// was decoded from a document (a missing key points at its parent), a stable
// rule name, a severity and a message saying what is wrong and how to fix it.
// No message ever contains a secret: values of clientSecret, of any key that
// IsSecretKey names, of unknown keys and of jsonConfig are never shown.
//
// Some findings depend on opts.Target: Pachyderm's Dex fork and upstream Dex
// read different OIDC keys. Value checks (pkceChallenge, rootCAs) apply
// whatever the target.
//
// The rules:
//
//	Rule                           Severity  What
//	invalid-option                 error     opts.ProxyHost is not a host[:port]
//	required                       error     id, name, type; issuer, clientID, clientSecret or redirectURI missing or empty
//	wrong-type                     error     a known key with a value of the wrong type (id: 12, config: "x", clientID: 12345, insecureEnableGroups: "yes")
//	duplicate-id                   error     two entries share an id (pachd upserts by id)
//	duplicate-key                  error     both configVersion and config_version, or jsonConfig and json_config
//	unknown-type                   error     type is not a Dex connector type ("OIDC": use "oidc")
//	pachctl-version-key            error     version: a key of pachctl's connector file, fatal in Helm values
//	unknown-entry-key              error     any other key pachd's strict decoder rejects (CrashLoopBackOff)
//	config-version-managed         warning   configVersion set: pachd overwrites it
//	config-and-json-config         warning   both config and jsonConfig: config wins
//	json-config-legacy             warning   jsonConfig alone: the legacy form of charts 2.0-2.2
//	json-config-invalid            error     jsonConfig is not a JSON object
//	config-missing                 error     neither config nor jsonConfig
//	config-field-mismatch          error     (Go API) type oidc with the generic Config, or another type with OIDC
//	surrounding-space              error     issuer, clientID, clientSecret or redirectURI has white space around it
//	issuer-url                     error     issuer is not an absolute URL with a host
//	issuer-https                   error     issuer not https (http only on loopback with InsecureAllowHTTPLoopback)
//	issuer-userinfo                error     issuer carries user:password@
//	issuer-query                   error     issuer has a query or fragment
//	issuer-discovery-url           error     issuer ends with /.well-known/openid-configuration
//	issuer-case                    warning   scheme or host in upper case (Dex compares issuers byte for byte)
//	auth0-issuer-slash             error     Auth0 issuer (*.auth0.com) is not "https://<tenant>/"
//	okta-issuer                    warning   Okta issuer is not https://<org>.okta.com or .../oauth2/<id>
//	keycloak-issuer                warning   Keycloak issuer is not .../realms/<realm>
//	entra-issuer                   warning   Entra ID issuer is not https://login.microsoftonline.com/<tenant>/v2.0
//	google-issuer                  warning   Google issuer is not exactly https://accounts.google.com
//	redirect-uri-url               error     redirectURI is not an absolute URL with a host
//	redirect-uri-https             error     redirectURI not https (http only on loopback with InsecureAllowHTTPLoopback)
//	redirect-uri-query             error     redirectURI has user information, a query or a fragment
//	redirect-uri-path              error     redirectURI path is not /dex/callback
//	redirect-uri-host              error     redirectURI host[:port] is not opts.ProxyHost (warning when the fork's callback check is off)
//	pkce-challenge                 error     pkceChallenge is not "", "plain" or "S256"
//	root-ca-invalid                error     a rootCAs item is neither a PEM certificate, base64 of one, nor a file path
//	root-ca-relative-path          warning   a rootCAs item is a relative path
//	insecure-skip-email-verified   warning   insecureSkipEmailVerified: true
//	insecure-skip-verify           warning   insecureSkipVerify: true (upstream Dex target: TLS verification off)
//	insecure-skip-issuer-callback-domain-check
//	                               warning   insecureSkipIssuerCallbackDomainCheck: true (Pachyderm's Dex target)
//	ignored-by-target              warning   a key the target does not read (upstream-only keys for the fork, fork-only keys for upstream)
//	access-restriction-ignored     error     hostedDomains or allowedGroups under Pachyderm's Dex, which ignores them
//	hosted-domains-refused         error     hostedDomains under upstream Dex, whose Open refuses it
//	prompt-type-empty              warning   promptType: "" under Pachyderm's Dex, which then prompts for consent
//	unknown-config-key             warning   a config key Dex does not know (with a did-you-mean)
//
// Entries of types other than oidc are passed through by pachd: Validate
// checks only that their config is present and is a mapping.
func Validate(idps []UpstreamIDP, opts ValidateOptions) Findings {
	base := opts.Path
	if base == "" {
		base = "oidc.upstreamIDPs"
	}
	v := &validation{opts: opts, base: base, ids: map[string]int{}}
	var out Findings
	if opts.ProxyHost != "" {
		host, err := proxyHostOf(opts.ProxyHost)
		if err != nil {
			out = append(out, Finding{Path: "ValidateOptions.ProxyHost", Rule: "invalid-option", Severity: SeverityError,
				Message: "not a host[:port]: " + err.Error() + "; redirect URIs were not compared with it"})
		}
		v.proxy = host
	}
	for i, e := range idps {
		c := &entryCheck{validation: v, e: e, index: i, path: indexPath(base, i)}
		c.check(idps)
		out = append(out, c.sorted()...)
	}
	return out
}

// proxyHostOf normalises opts.ProxyHost to a lower-case host[:port].
func proxyHostOf(s string) (string, error) {
	r, err := RedirectURI(s)
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

// entryShape and oidcShape hold the values validator/v10 checks; the
// exported types carry no validation tags.
type entryShape struct {
	Type string `json:"type" validate:"required"`
	ID   string `json:"id" validate:"required"`
	Name string `json:"name" validate:"required"`
}

type oidcShape struct {
	Issuer        string `json:"issuer" validate:"required,url"`
	ClientID      string `json:"clientID" validate:"required"`
	ClientSecret  string `json:"clientSecret" validate:"required"`
	RedirectURI   string `json:"redirectURI" validate:"required,url"`
	PKCEChallenge string `json:"pkceChallenge" validate:"omitempty,oneof=plain S256"`
}

// shapes is built once; a *validator.Validate is safe for concurrent use.
var shapes = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		return strings.Split(f.Tag.Get("json"), ",")[0]
	})
	return v
}()

// shapeErrors runs validator/v10 on a shape struct. Its FieldErrors are
// translated into findings with our own messages; their default text (and
// their Value, which may be a secret) is never used.
func shapeErrors(s any) validator.ValidationErrors {
	var ve validator.ValidationErrors
	if err := shapes.Struct(s); err != nil && !errors.As(err, &ve) {
		panic("pachidp: validating " + reflect.TypeOf(s).String() + ": " + err.Error())
	}
	return ve
}

// ---------------------------------------------------------------------------
// Our rules.

// entryKeys are the keys pachd's strict decoder accepts, in the order
// findings without positions are sorted.
var entryKeys = []string{"type", "id", "name", "configVersion", "config_version", "jsonConfig", "json_config", "config"}

// oidcKeys is OIDCConfigKeys, computed on first use: the field tables it
// reads are filled by an init function, after package variables.
var oidcKeys = sync.OnceValue(OIDCConfigKeys)

// validation is the state shared by the entries of one Validate call.
type validation struct {
	opts  ValidateOptions
	base  string         // opts.Path or its default
	proxy string         // normalised opts.ProxyHost, "" when unset or invalid
	ids   map[string]int // id -> index of its first entry
}

// entryCheck collects the findings of one entry.
type entryCheck struct {
	*validation
	e     UpstreamIDP
	index int
	path  string // "oidc.upstreamIDPs[3]"
	found []ranked
}

// ranked is a finding with its sort keys for entries without positions.
type ranked struct {
	Finding
	rank, seq int
}

// add records a finding at rel, a path relative to the entry such as
// "config.issuer". A key that is not in the document (a missing one) gets
// the position of its nearest ancestor that is.
func (c *entryCheck) add(rel, rule string, sev Severity, format string, args ...any) {
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
		Finding: Finding{Path: path, Pos: pos, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)},
		rank:    rankOf(rel),
		seq:     len(c.found),
	})
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
// pachd's order, config keys in OIDCConfigKeys order, unknown keys last.
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

func (c *entryCheck) check(all []UpstreamIDP) {
	e := c.e
	c.checkEntryShape()
	c.checkDuplicateID(all)
	if e.Type != "" && !contains(dexConnectorTypes, e.Type) {
		c.add("type", "unknown-type", SeverityError, "Dex has no connector type %q, so pachd fails to start (CrashLoopBackOff): %s", e.Type, suggestType(e.Type))
	}
	c.checkEntryExtra()
	c.checkConfigPresence()
	if e.OIDC != nil {
		c.checkOIDC(e.OIDC)
	}
}

func (c *entryCheck) checkEntryShape() {
	e := c.e
	for _, fe := range shapeErrors(entryShape{Type: e.Type, ID: e.ID, Name: e.Name}) {
		key := fe.Field()
		if _, wrongType := e.Extra[key]; wrongType {
			continue // reported as wrong-type
		}
		switch key {
		case "id":
			c.add(key, "required", SeverityError, "missing: pachd requires an id and keeps connectors by it; add one, such as id: auth0")
		case "name":
			c.add(key, "required", SeverityError, "missing: pachd requires a name, which Dex shows on its login page; add one, such as name: Auth0")
		case "type":
			c.add(key, "required", SeverityError, "missing: pachd requires a type; add one, such as type: oidc")
		}
	}
}

func (c *entryCheck) checkDuplicateID(all []UpstreamIDP) {
	id := c.e.ID
	if id == "" {
		return
	}
	first, seen := c.ids[id]
	if !seen {
		c.ids[id] = c.index
		return
	}
	other := indexPath(c.base, first)
	if p := all[first].Pos("id"); p.IsValid() {
		other += fmt.Sprintf(" (line %d)", p.Line)
	}
	c.add("id", "duplicate-id", SeverityError,
		"id %q is also the id of %s: pachd keeps connectors by id, so one entry replaces the other; give each entry its own id", id, other)
}

// suggestType proposes the Dex connector type meant by t.
func suggestType(t string) string {
	for _, k := range dexConnectorTypes {
		if strings.EqualFold(k, t) {
			return fmt.Sprintf("types are case-sensitive; use %q", k)
		}
	}
	if k := nearest(t, dexConnectorTypes); k != "" {
		return fmt.Sprintf("use %q", k)
	}
	return "use one of " + strings.Join(dexConnectorTypes, ", ")
}

// checkEntryExtra reports the keys pachd's strict decoder does not accept,
// and known keys that hold a value of the wrong type.
func (c *entryCheck) checkEntryExtra() {
	e := c.e
	present := func(k string) bool {
		_, inExtra := e.Extra[k]
		return inExtra || e.Pos(k).IsValid()
	}
	dup := map[string]bool{}
	for _, pair := range [][2]string{{"configVersion", "config_version"}, {"jsonConfig", "json_config"}} {
		if present(pair[0]) && present(pair[1]) {
			dup[pair[1]] = true
			c.add(pair[1], "duplicate-key", SeverityError,
				"both %s and %s are set: pachd's decoder rejects a field given twice and pachd fails to start (CrashLoopBackOff); %s",
				pair[0], pair[1], map[string]string{
					"config_version": "delete both, pachd manages the version",
					"json_config":    "keep one, better: move the settings under config and delete both",
				}[pair[1]])
		}
	}
	for _, k := range sortedKeys(e.Extra) {
		v := e.Extra[k]
		switch k {
		case "id", "name", "type":
			fix := "quote the value"
			switch v.(type) {
			case []any, map[string]any:
				fix = "give a single string"
			}
			c.add(k, "wrong-type", SeverityError,
				"%s is %s, but pachd reads a string: it rejects the entry and fails to start (CrashLoopBackOff); %s", k, typeName(v), fix)
		case "configVersion", "config_version":
			if _, isInt := int64Value(v); isInt && dup[k] {
				continue
			}
			c.add(k, "wrong-type", SeverityError,
				"%s is %s, but pachd reads a whole number: it rejects the entry and fails to start (CrashLoopBackOff); delete the key, pachd manages the version", k, typeName(v))
		case "jsonConfig", "json_config":
			c.add(k, "wrong-type", SeverityError,
				"%s is %s, but pachd reads a string of JSON: it rejects the entry and fails to start (CrashLoopBackOff); write the settings as a mapping under config instead", k, typeName(v))
		case "config":
			c.add(k, "wrong-type", SeverityError,
				"config is %s, but pachd reads a mapping of connector settings: it rejects the entry and fails to start (CrashLoopBackOff); write the settings as key: value lines indented under config", typeName(v))
		case "version":
			c.add(k, "pachctl-version-key", SeverityError,
				"version belongs to pachctl's connector file (pachctl idp create-connector --config), not to Helm values: pachd's strict decoder rejects it and pachd fails to start (CrashLoopBackOff); delete it (pachd manages configVersion itself)")
		default:
			fix := "delete it"
			if _, ok := structFields(reflect.TypeOf(OIDCConfig{})).lookup(k); ok {
				fix = "it is a connector setting: move it under config"
			} else if s := nearest(k, entryKeys); s != "" {
				fix = fmt.Sprintf("rename it to %q", s)
			}
			c.add(joinPath("", k), "unknown-entry-key", SeverityError,
				"pachd's strict decoder rejects the key %q and pachd fails to start (CrashLoopBackOff); entries take only id, name, type, config, jsonConfig and configVersion: %s", k, fix)
		}
	}
	if e.ConfigVersion != 0 {
		c.add(c.written("configVersion", "config_version"), "config-version-managed", SeverityWarning,
			"pachd overwrites configVersion with its stored version plus one on every start: delete it")
	}
}

// written returns the spelling of a key the entry was decoded with: the
// proto name (config_version) when the document used it.
func (c *entryCheck) written(camel, snake string) string {
	if !c.e.Pos(camel).IsValid() && c.e.Pos(snake).IsValid() {
		return snake
	}
	return camel
}

func (c *entryCheck) checkConfigPresence() {
	e := c.e
	hasConfig := e.OIDC != nil || e.Config != nil
	_, configWrong := e.Extra["config"]
	_, jsonWrong := e.Extra["jsonConfig"]
	_, jsonWrong2 := e.Extra["json_config"]
	jsonKey := c.written("jsonConfig", "json_config")
	switch {
	case hasConfig && e.JSONConfig != "":
		c.add(jsonKey, "config-and-json-config", SeverityWarning,
			"both config and %s are set: pachd uses config and ignores %s; delete %s", jsonKey, jsonKey, jsonKey)
	case !hasConfig && e.JSONConfig != "":
		var v any
		err := json.Unmarshal([]byte(e.JSONConfig), &v)
		var se *json.SyntaxError
		switch _, isObject := v.(map[string]any); {
		case errors.As(err, &se):
			c.add(jsonKey, "json-config-invalid", SeverityError,
				"%s is not valid JSON (error at byte %d): Dex cannot decode it and pachd fails to start (CrashLoopBackOff); better, write the settings as a mapping under config and delete %s", jsonKey, se.Offset, jsonKey)
		case err != nil || !isObject:
			c.add(jsonKey, "json-config-invalid", SeverityError,
				"%s is not a JSON object: Dex cannot decode it and pachd fails to start (CrashLoopBackOff); write the settings as a mapping under config and delete %s", jsonKey, jsonKey)
		default:
			c.add(jsonKey, "json-config-legacy", SeverityWarning,
				"%s is the legacy form of charts 2.0 to 2.2: move its settings, as a mapping, under config and delete %s", jsonKey, jsonKey)
		}
	case !hasConfig && !configWrong && !jsonWrong && !jsonWrong2:
		what := "the connector's settings"
		if e.Type == TypeOIDC {
			what = "issuer, clientID, clientSecret and redirectURI"
		}
		c.add("config", "config-missing", SeverityError,
			"the entry has no config: Dex cannot open the connector and pachd fails to start (CrashLoopBackOff); add a config mapping with %s", what)
	}
	switch {
	case e.Type == TypeOIDC && e.OIDC == nil && e.Config != nil:
		c.add("config", "config-field-mismatch", SeverityError,
			"an entry of type oidc keeps its config in the OIDC field (*OIDCConfig), but this one has only the generic Config, which is not validated: set OIDC, or build the entry with UpstreamIDPFromMap")
	case e.Type == TypeOIDC && e.OIDC != nil && e.Config != nil:
		c.add("config", "config-field-mismatch", SeverityError,
			"both OIDC and the generic Config are set: an oidc entry is written from OIDC and Config is dropped; clear Config")
	case e.Type != TypeOIDC && e.Type != "" && e.OIDC != nil:
		c.add("config", "config-field-mismatch", SeverityError,
			"type %q keeps its config in the generic Config field, but this entry has an OIDC config: set type to oidc, or move the settings to Config", e.Type)
	}
}

// ---------------------------------------------------------------------------
// OIDC config.

func (c *entryCheck) checkOIDC(cfg *OIDCConfig) {
	// White space first: the other checks see trimmed values.
	for _, f := range []struct {
		key, val string
	}{{"issuer", cfg.Issuer}, {"clientID", cfg.ClientID}, {"clientSecret", cfg.ClientSecret}, {"redirectURI", cfg.RedirectURI}} {
		trimmed := strings.TrimSpace(f.val)
		if trimmed == f.val || trimmed == "" {
			continue
		}
		if IsSecretKey(f.key) {
			c.add("config."+f.key, "surrounding-space", SeverityError,
				"the client secret has white space before or after it (a newline from a file?) that the provider will not accept: remove it")
		} else {
			c.add("config."+f.key, "surrounding-space", SeverityError,
				"%s has white space before or after it: use %q", f.key, trimmed)
		}
	}
	shape := oidcShape{
		Issuer:        strings.TrimSpace(cfg.Issuer),
		ClientID:      strings.TrimSpace(cfg.ClientID),
		ClientSecret:  strings.TrimSpace(cfg.ClientSecret),
		RedirectURI:   strings.TrimSpace(cfg.RedirectURI),
		PKCEChallenge: cfg.PKCEChallenge,
	}
	bad := map[string]bool{}
	for _, fe := range shapeErrors(shape) {
		key := fe.Field()
		bad[key] = true
		if fe.Tag() == "required" && c.inOIDCExtra(cfg, key) {
			continue // reported as wrong-type
		}
		c.translate(fe, shape)
	}
	if shape.Issuer != "" && !bad["issuer"] {
		c.checkIssuer(shape.Issuer)
	}
	if shape.RedirectURI != "" && !bad["redirectURI"] {
		c.checkRedirectURI(shape.RedirectURI, cfg)
	}
	for i, ca := range cfg.RootCAs {
		c.checkRootCA(indexPath("config.rootCAs", i), ca)
	}
	if isTrue(cfg.InsecureSkipEmailVerified) {
		c.add("config.insecureSkipEmailVerified", "insecure-skip-email-verified", SeverityWarning,
			"with it, Dex treats every email as verified, so anyone who can log in to the provider (for example anyone with a Gmail account, for a Google or Auth0 social login) can then log in to Pachyderm unless users are restricted at the provider: restrict who may use the application at the provider, or set it to false when the provider sends email_verified")
	}
	if isTrue(cfg.InsecureSkipVerify) && c.opts.Target.IsUpstreamDex() {
		c.add("config.insecureSkipVerify", "insecure-skip-verify", SeverityWarning,
			"TLS verification of the provider is off, so anyone on the network path can impersonate it: trust the provider's CA with rootCAs instead and delete insecureSkipVerify")
	}
	if isTrue(cfg.InsecureSkipIssuerCallbackDomainCheck) && !c.opts.Target.IsUpstreamDex() {
		c.add("config.insecureSkipIssuerCallbackDomainCheck", "insecure-skip-issuer-callback-domain-check", SeverityWarning,
			"with it, Pachyderm's Dex stops checking that redirectURI is its own callback URL, so a wrong redirectURI goes unnoticed: set it to false (the guide's value) unless the callback host really differs from proxy.host")
	}
	c.checkTargetKeys(cfg)
	c.checkExtras(reflect.ValueOf(cfg).Elem(), "config", c.reads)
}

// translate turns a validator/v10 FieldError into a finding with our message.
func (c *entryCheck) translate(fe validator.FieldError, s oidcShape) {
	key := fe.Field()
	rel := "config." + key
	switch fe.Tag() + " " + key {
	case "required issuer":
		c.add(rel, "required", SeverityError,
			"missing: set the provider's issuer URL exactly as its discovery document shows it, such as %q for Auth0", "https://acme.us.auth0.com/")
	case "required clientID":
		c.add(rel, "required", SeverityError, "missing: set the client ID of the application registered at the provider")
	case "required clientSecret":
		c.add(rel, "required", SeverityError,
			"missing: set the application's client secret (or keep the whole list in a Secret named by oidc.upstreamIDPsSecretName)")
	case "required redirectURI":
		c.add(rel, "required", SeverityError,
			"missing: set Dex's callback URL, use %q", c.callback(""))
	case "url issuer":
		c.issuerNotURL(s.Issuer)
	case "url redirectURI":
		c.redirectNotURL(s.RedirectURI)
	case "oneof pkceChallenge":
		fix := `use "S256", or delete the key to let Dex pick what the provider supports`
		if strings.EqualFold(s.PKCEChallenge, "plain") {
			fix = `values are case-sensitive; use "plain"`
		} else if strings.EqualFold(s.PKCEChallenge, "S256") {
			fix = `values are case-sensitive; use "S256"`
		}
		c.add(rel, "pkce-challenge", SeverityError,
			"%q is not a PKCE method Dex knows (\"S256\", \"plain\", or empty to auto-detect), so every login fails: %s", s.PKCEChallenge, fix)
	default:
		// Every tag of oidcShape is handled above; keep this loud if one is added.
		c.add(rel, fe.Tag(), SeverityError, "invalid (%s)", fe.Tag())
	}
}

func (c *entryCheck) issuerNotURL(raw string) {
	if fixed, ok := c.guessURL(raw, c.fixIssuer); ok {
		c.add("config.issuer", "issuer-url", SeverityError, "not an absolute URL: the issuer starts with https://; use %q", fixed)
		return
	}
	c.add("config.issuer", "issuer-url", SeverityError,
		"not an absolute URL with a host: write the provider's issuer as its discovery document shows it, such as %q", "https://acme.us.auth0.com/")
}

func (c *entryCheck) redirectNotURL(raw string) {
	fixed := c.callback("")
	if g, ok := c.guessURL(raw, func(u *url.URL) string { return c.callback(strings.ToLower(u.Host)) }); ok {
		fixed = g
	}
	c.add("config.redirectURI", "redirect-uri-url", SeverityError, "not an absolute URL with a host: use %q", fixed)
}

// guessURL fixes a URL written without a scheme ("acme.us.auth0.com").
func (c *entryCheck) guessURL(s string, fix func(*url.URL) string) (string, bool) {
	if strings.Contains(s, "://") || strings.ContainsAny(s, " @") {
		return "", false
	}
	u, err := url.Parse("https://" + s)
	if err != nil || u.Hostname() == "" || !(strings.Contains(u.Hostname(), ".") || isLoopback(u.Hostname())) {
		return "", false
	}
	return fix(u), true
}

// inOIDCExtra reports whether the config's Extra holds key under any case:
// a known key with a value of the wrong type.
func (c *entryCheck) inOIDCExtra(cfg *OIDCConfig, key string) bool {
	for k := range cfg.Extra {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

var (
	oktaCustomServer   = regexp.MustCompile(`^/oauth2/([^/]+)(/.*)?$`)
	keycloakIssuerPath = regexp.MustCompile(`^(.*/realms/[^/]+)(/.*)?$`)
)

// fixIssuer returns the issuer as it should be written: https (unless
// http on loopback is allowed), no user information, query or fragment,
// lower-case host, no discovery suffix, and the provider's path form.
func (c *entryCheck) fixIssuer(u *url.URL) string {
	f := *u
	f.Scheme = strings.ToLower(f.Scheme)
	if !(f.Scheme == "http" && isLoopback(f.Hostname()) && c.opts.InsecureAllowHTTPLoopback) {
		f.Scheme = "https"
	}
	f.User, f.RawQuery, f.Fragment, f.RawFragment, f.ForceQuery = nil, "", "", "", false
	f.Host = strings.ToLower(f.Host)
	f.Path = strings.TrimSuffix(f.Path, "/.well-known/openid-configuration")
	f.RawPath = ""
	if p, ok := providerPath(f.Hostname(), f.Path); ok {
		f.Path = p
	}
	return f.String()
}

// providerPath returns the issuer path a known provider uses, given the
// host and the path written; ok is false when the provider or the right
// path is unknown.
func providerPath(host, path string) (string, bool) {
	switch {
	case strings.HasSuffix(host, ".auth0.com"):
		return "/", true
	case strings.HasSuffix(host, ".okta.com") || strings.HasSuffix(host, ".oktapreview.com"):
		if path == "" || path == "/" {
			return "", true
		}
		if m := oktaCustomServer.FindStringSubmatch(path); m != nil {
			return "/oauth2/" + m[1], true
		}
	case host == "login.microsoftonline.com":
		if tenant, _, _ := strings.Cut(strings.Trim(path, "/"), "/"); tenant != "" {
			return "/" + tenant + "/v2.0", true
		}
	case host == "accounts.google.com":
		return "", true
	case keycloakIssuerPath.MatchString(path):
		return keycloakIssuerPath.FindStringSubmatch(path)[1], true
	}
	return path, false
}

func (c *entryCheck) checkIssuer(raw string) {
	const rel = "config.issuer"
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" { // validator's url accepts "localhost:5556"
		c.issuerNotURL(raw)
		return
	}
	fixed := c.fixIssuer(u)
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "https":
	case scheme == "http" && isLoopback(u.Hostname()):
		if !c.opts.InsecureAllowHTTPLoopback {
			c.add(rel, "issuer-https", SeverityError,
				"http is accepted only for loopback test issuers, with ValidateOptions.InsecureAllowHTTPLoopback; a cluster needs https: use %q", fixed)
		}
	default:
		c.add(rel, "issuer-https", SeverityError,
			"the issuer must use https (Dex fetches the provider's discovery document and keys from it): use %q", fixed)
	}
	if u.User != nil {
		c.add(rel, "issuer-userinfo", SeverityError,
			"the issuer must not carry user information (user:password@): Dex would never match the provider's issuer; use %q", fixed)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		c.add(rel, "issuer-query", SeverityError,
			"the issuer must not have a query or fragment: Dex appends /.well-known/openid-configuration to it; use %q", fixed)
	}
	if strings.HasSuffix(u.Path, "/.well-known/openid-configuration") {
		c.add(rel, "issuer-discovery-url", SeverityError,
			"this is the discovery URL, not the issuer: Dex appends /.well-known/openid-configuration itself; use %q", fixed)
	}
	if host := u.Host; u.Scheme != raw[:len(u.Scheme)] || host != strings.ToLower(host) {
		c.add(rel, "issuer-case", SeverityWarning,
			"Dex compares the issuer byte for byte with the provider's discovery document, which writes scheme and host in lower case: use %q", fixed)
	}
	host := strings.ToLower(u.Hostname())
	path := strings.TrimSuffix(u.Path, "/.well-known/openid-configuration")
	want, known := providerPath(host, path)
	switch {
	case strings.HasSuffix(host, ".auth0.com"):
		if path == "" {
			c.add(rel, "auth0-issuer-slash", SeverityError,
				"Auth0 issuers end with \"/\" (Dex compares the issuer byte for byte with Auth0's discovery document, so every login fails without it): use %q", fixed)
		} else if path != "/" {
			c.add(rel, "auth0-issuer-slash", SeverityError,
				"Auth0 issuers are the tenant URL ending with \"/\", with no path (Dex compares them byte for byte): use %q", fixed)
		}
	case strings.HasSuffix(host, ".okta.com") || strings.HasSuffix(host, ".oktapreview.com"):
		if !known {
			c.add(rel, "okta-issuer", SeverityWarning,
				"Okta issuers are https://<org>.okta.com (org server) or https://<org>.okta.com/oauth2/<server id> (custom server), without a trailing slash: copy the issuer from the server's discovery document")
		} else if want != path {
			c.add(rel, "okta-issuer", SeverityWarning,
				"Okta issuers have no trailing slash: https://<org>.okta.com for the org server, https://<org>.okta.com/oauth2/<server id> for a custom one; use %q", fixed)
		}
	case host == "login.microsoftonline.com":
		if !known {
			c.add(rel, "entra-issuer", SeverityWarning,
				"Microsoft Entra ID issuers are https://login.microsoftonline.com/<tenant id>/v2.0: put your tenant id in the path")
		} else if want != path {
			c.add(rel, "entra-issuer", SeverityWarning,
				"Microsoft Entra ID issuers are https://login.microsoftonline.com/<tenant id>/v2.0: use %q", fixed)
		}
	case host == "accounts.google.com":
		if path != "" {
			c.add(rel, "google-issuer", SeverityWarning, "Google's issuer is exactly %q, with no path or trailing slash", fixed)
		}
	case known && want != path:
		c.add(rel, "keycloak-issuer", SeverityWarning,
			"Keycloak issuers end with /realms/<realm>, with nothing after the realm and no trailing slash: use %q", fixed)
	}
}

// isLoopback reports whether host is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// callback returns the redirect URI to propose: Dex's callback on the proxy
// host when known, else on host (the one written), else a placeholder.
func (c *entryCheck) callback(host string) string {
	if c.proxy != "" {
		host = c.proxy
	}
	if host == "" {
		host = "<proxy.host>"
	}
	return "https://" + host + "/dex/callback"
}

func (c *entryCheck) checkRedirectURI(raw string, cfg *OIDCConfig) {
	const rel = "config.redirectURI"
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		c.redirectNotURL(raw)
		return
	}
	host := strings.ToLower(u.Host)
	fixed := c.callback(host)
	scheme := strings.ToLower(u.Scheme)
	httpOK := scheme == "http" && isLoopback(u.Hostname()) && c.opts.InsecureAllowHTTPLoopback
	if httpOK && c.proxy == "" {
		fixed = "http://" + host + "/dex/callback"
	}
	switch {
	case scheme == "https" || httpOK:
	case scheme == "http" && isLoopback(u.Hostname()):
		c.add(rel, "redirect-uri-https", SeverityError,
			"http is accepted only for loopback test clusters, with ValidateOptions.InsecureAllowHTTPLoopback; Pachyderm's guide requires https: use %q", fixed)
	default:
		c.add(rel, "redirect-uri-https", SeverityError, "Dex's callback is served over https (Pachyderm's guide requires TLS): use %q", fixed)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		c.add(rel, "redirect-uri-query", SeverityError,
			"the redirect URI must be exactly Dex's callback URL, with no user information, query or fragment: use %q", fixed)
	}
	if u.Path != "/dex/callback" {
		c.add(rel, "redirect-uri-path", SeverityError,
			"Dex's callback is its issuer, https://<proxy.host>/dex, plus /callback, and Dex compares it with redirectURI as strings: use %q", fixed)
	}
	if c.proxy != "" && host != c.proxy {
		sev := SeverityError
		why := "Dex compares its callback URL with redirectURI as strings, so every login fails"
		if !c.opts.Target.IsUpstreamDex() && isTrue(cfg.InsecureSkipIssuerCallbackDomainCheck) {
			sev = SeverityWarning
			why = "insecureSkipIssuerCallbackDomainCheck hides the difference from Dex, but the provider sends users to this host"
		}
		c.add(rel, "redirect-uri-host", sev, "the host is not proxy.host %q: %s; use %q", c.proxy, why, fixed)
	}
}

// checkRootCA checks one rootCAs item the way Dex reads it: a file path, else
// base64 of PEM, else PEM.
func (c *entryCheck) checkRootCA(rel, ca string) {
	const how = "give a PEM certificate, its base64 (base64 -w0 ca.pem), or the absolute path of a mounted file"
	switch {
	case ca == "":
		return // Dex skips empty items
	case strings.Contains(ca, "-----BEGIN"):
		if msg := pemCertProblem([]byte(ca)); msg != "" {
			c.add(rel, "root-ca-invalid", SeverityError, "this PEM %s, so Dex fails to open the connector: %s", msg, how)
		}
		return
	}
	if data, err := base64.StdEncoding.DecodeString(ca); err == nil {
		if msg := pemCertProblem(data); msg != "" {
			c.add(rel, "root-ca-invalid", SeverityError, "this base64 value decodes to data that %s, so Dex fails to open the connector: %s", msg, how)
		}
		return
	}
	compact := strings.Join(strings.Fields(ca), "")
	if data, err := base64.StdEncoding.DecodeString(compact); err == nil && compact != ca && pemCertProblem(data) == "" {
		c.add(rel, "root-ca-invalid", SeverityError,
			"this base64 value has line breaks or spaces, which Dex's base64 decoder rejects: write it on one line (base64 -w0 ca.pem)")
		return
	}
	switch {
	case strings.HasPrefix(ca, "/"):
		// An absolute path: Dex reads it in pachd's container; not read here.
	case !strings.ContainsAny(ca, " \t\r\n") && (strings.Contains(ca, "/") || hasCertExt(ca)):
		c.add(rel, "root-ca-relative-path", SeverityWarning,
			"a relative path is read from pachd's working directory: use the absolute path where the file is mounted in pachd's container")
	default:
		c.add(rel, "root-ca-invalid", SeverityError, "not a PEM certificate, base64 of one, or a file path, so Dex fails to open the connector: %s", how)
	}
}

func hasCertExt(s string) bool {
	for _, ext := range []string{".pem", ".crt", ".cer", ".ca-bundle"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

// pemCertProblem returns "" when data holds at least one PEM certificate
// that parses (what Go's AppendCertsFromPEM needs), else what is wrong.
func pemCertProblem(data []byte) string {
	blocks := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		blocks++
		if b.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err == nil {
			return ""
		}
	}
	if blocks == 0 {
		return "is not valid PEM"
	}
	return "holds no certificate that parses"
}

// reads reports whether the target Dex reads an OIDC config key.
func (c *entryCheck) reads(key string) bool {
	if c.opts.Target.IsUpstreamDex() {
		return !contains(forkOnlyKeys, key)
	}
	return !contains(upstreamOnlyKeys, key)
}

// checkTargetKeys reports the set keys the target does not read.
func (c *entryCheck) checkTargetKeys(cfg *OIDCConfig) {
	rv := reflect.ValueOf(cfg).Elem()
	for _, f := range structFields(rv.Type()).order {
		rel, set := "config."+f.name, isSet(rv.Field(f.index))
		nonEmpty := set && !(rv.Field(f.index).Kind() == reflect.Slice && rv.Field(f.index).Len() == 0)
		if !set {
			for k, v := range cfg.Extra {
				if strings.EqualFold(k, f.name) {
					rel, set, nonEmpty = joinPath("config", k), true, true
					if l, ok := v.([]any); ok && len(l) == 0 {
						nonEmpty = false
					}
					break
				}
			}
		}
		if !set {
			continue
		}
		switch {
		case !c.opts.Target.IsUpstreamDex() && (f.name == "hostedDomains" || f.name == "allowedGroups") && nonEmpty:
			c.add(rel, "access-restriction-ignored", SeverityError,
				"Pachyderm's Dex ignores %s, so this access restriction silently disappears: anyone the provider authenticates can log in to Pachyderm; restrict users at the provider (assign the application only to the allowed users or groups) or in Pachyderm's role bindings, then delete %s", f.name, f.name)
		case c.opts.Target.IsUpstreamDex() && f.name == "hostedDomains" && nonEmpty:
			c.add(rel, "hosted-domains-refused", SeverityError,
				"upstream Dex refuses to open an oidc connector with hostedDomains (deprecated and removed): switch to the google connector (type: google), which supports hostedDomains, or delete the key")
		case !c.reads(f.name):
			other := "upstream Dex"
			if c.opts.Target.IsUpstreamDex() {
				other = "Pachyderm's Dex fork"
			}
			c.add(rel, "ignored-by-target", SeverityWarning, "%s ignores it (only %s reads %s)%s: delete it",
				c.opts.Target, other, f.name, ignoredEffect[f.name])
		}
	}
	if cfg.PromptType != nil && *cfg.PromptType == "" && !c.opts.Target.IsUpstreamDex() {
		c.add("config.promptType", "prompt-type-empty", SeverityWarning,
			"Pachyderm's Dex treats an empty promptType as \"consent\" (upstream Dex sends no prompt): delete the key to state the default, or set the prompt you want, such as \"login\" or \"select_account\"")
	}
}

// ignoredEffect says what ignoring a key means in a Pachyderm cluster.
var ignoredEffect = map[string]string{
	"rootCAs":                    ", so the provider's certificate must chain to a CA that pachd's image trusts",
	"insecureSkipVerify":         ", so TLS verification stays on",
	"pkceChallenge":              ", so no PKCE is used",
	"issuerAlias":                ", so the issuer must match the discovery document exactly",
	"providerDiscoveryOverrides": ", so the endpoints of the discovery document are used",
	"claimModifications":         ", so group claims reach Pachyderm unchanged",
}

// isSet reports whether a config field was given a value.
func isSet(fv reflect.Value) bool {
	switch fv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return !fv.IsNil()
	case reflect.String:
		return fv.Len() > 0
	case reflect.Bool:
		return fv.Bool()
	}
	return false
}

func isTrue(b *bool) bool { return b != nil && *b }

// checkExtras reports the Extra keys of a config struct and, recursively,
// of its nested structs: known keys with a value of the wrong type (errors,
// for keys the target reads) and unknown keys (warnings).
func (c *entryCheck) checkExtras(rv reflect.Value, rel string, reads func(string) bool) {
	table := structFields(rv.Type())
	extra, _ := rv.FieldByName("Extra").Interface().(map[string]any)
	for _, k := range sortedKeys(extra) {
		krel := joinPath(rel, k)
		f, known := table.lookup(k)
		if !known {
			var names []string
			for _, f := range table.order {
				names = append(names, f.name)
			}
			fix := "delete it, or check its spelling against Dex's oidc connector documentation"
			if s := nearest(k, names); s != "" {
				fix = fmt.Sprintf("did you mean %q? rename it", s)
			}
			where := rel
			if rel == "config" {
				where = "the oidc connector's config"
			}
			c.add(krel, "unknown-config-key", SeverityWarning, "%s ignores it: %q is not a key of %s; %s", c.opts.Target, k, where, fix)
			continue
		}
		if !reads(f.name) {
			continue // reported by checkTargetKeys
		}
		c.add(krel, "wrong-type", SeverityError, "%s is %s, but Dex reads %s: it fails to decode the config and pachd fails to start (CrashLoopBackOff); %s",
			k, typeName(extra[k]), need(rv.Type().Field(f.index).Type), typeFix(rv.Type().Field(f.index).Type, k, extra[k]))
	}
	all := func(string) bool { return true }
	for _, f := range table.order {
		if !reads(f.name) {
			continue
		}
		fv := rv.Field(f.index)
		switch {
		case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct && !fv.IsNil():
			c.checkExtras(fv.Elem(), joinPath(rel, f.name), all)
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct:
			for i := 0; i < fv.Len(); i++ {
				c.checkExtras(fv.Index(i), indexPath(joinPath(rel, f.name), i), all)
			}
		}
	}
}

// need names the JSON type a config field takes.
func need(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct:
		return "a mapping"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "a list of mappings"
		}
		return "a list of strings"
	}
	return t.String()
}

// typeFix says how to write a value of the type t takes. It never shows the
// value itself, except the yes/no words YAML 1.1 users mean as booleans.
func typeFix(t reflect.Type, key string, v any) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		if _, isList := v.([]any); isList {
			return "give a single value"
		}
		return fmt.Sprintf("quote it (%s: \"...\"), as YAML reads unquoted digits, yes/no and true/false as other types", key)
	case reflect.Bool:
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "yes", "y", "on":
				return fmt.Sprintf("write %s: true, without quotes", key)
			case "false", "no", "n", "off":
				return fmt.Sprintf("write %s: false, without quotes", key)
			}
		}
		return fmt.Sprintf("write %s: true or %s: false, without quotes", key, key)
	case reflect.Slice:
		if _, isList := v.([]any); isList {
			if t.Elem().Kind() == reflect.Struct {
				return "make every item a mapping"
			}
			return "quote the items that are numbers or booleans"
		}
		return fmt.Sprintf("write a list, one \"- item\" per line under %s", key)
	}
	return fmt.Sprintf("write key: value lines indented under %s", key)
}

// nearest returns the candidate closest to s when it differs only in case or
// by at most two edits, or "".
func nearest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := editDistance(ls, strings.ToLower(c)); d < bestD && d < len(ls) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
