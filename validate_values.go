package pachidp

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ignoreOptionReason is the Reason of a finding silenced by
// ValidateValuesOptions.Ignore.
const ignoreOptionReason = "ValidateValuesOptions.Ignore"

// ValidateValuesOptions tunes ValidateValues. The zero value checks for the
// newest Pachyderm release, with redirect URIs compared with the host the
// values give Dex.
type ValidateValuesOptions struct {
	// Target is the Pachyderm release (or upstream Dex) the values are for.
	Target Target
	// ProxyHost, when set, is Pachyderm's host[:port] every redirectURI
	// must name (https://<ProxyHost>/dex/callback); DexIssuer, when set,
	// the issuer of Pachyderm's Dex instead. When both are empty the
	// issuer is the one the chart renders from the values (oidc.issuerURI,
	// else ingress.host, else proxy.host, in its https form).
	ProxyHost, DexIssuer string
	// InsecureAllowHTTPLoopback accepts http issuers on loopback hosts.
	InsecureAllowHTTPLoopback bool
	// NoPrerequisites checks the entries only, not the chart's
	// prerequisites.
	NoPrerequisites bool
	// Ignore silences rules everywhere (ids of Rules; an unknown id is an
	// error). Silenced findings stay in the report, Suppressed.
	Ignore []Rule
	// Strict makes warnings fail the report too (Report.Failed).
	Strict bool
	// Secret is the manifest of the Secret named by
	// oidc.upstreamIDPsSecretName, whose entries are then checked instead
	// of the inline list; SecretFile is its name in findings. Without it,
	// values that name a Secret get an entries-not-checked warning.
	Secret     *UpstreamIDPsSecret
	SecretFile string
	// File is the name findings give a *Document or HelmValues input
	// ("values.yaml"); a *Layers names its own layers.
	File string
}

// Report is what ValidateValues found in one values document or layered
// set: what `pachidp validate` prints for it.
type Report struct {
	// Files are the files read, in order: the values file or the layers,
	// then the Secret manifest when given.
	Files []string
	// Entries is the number of upstream IdP entries checked.
	Entries int
	// Findings are every finding, suppressed ones included, in file order
	// and then in document order, each with its File, its rule's Detail and
	// whether it is Suppressed.
	Findings Findings
	// Errors and Warnings count the findings not suppressed; Suppressed
	// counts the others.
	Errors, Warnings, Suppressed int
	// Strict is ValidateValuesOptions.Strict.
	Strict bool
}

// Failed reports whether the values fail the check: an error, or with
// Strict a warning, that is not suppressed.
func (r *Report) Failed() bool { return r != nil && (r.Errors > 0 || r.Strict && r.Warnings > 0) }

// ValidateValues checks a whole values document the way `pachidp validate`
// does, and returns what it prints: the chart's prerequisites (the keys
// the chart reads besides the entries, unless NoPrerequisites), then every upstream IdP
// entry (Validate), with redirect URIs compared with the issuer the chart
// renders from the values, the entries of the Secret the values name when
// its manifest is given, and the rules silenced by opts.Ignore and by
// comments in the files.
//
// v is one of (see Values):
//
//   - *Document: one document; findings name opts.File and its lines.
//   - *Layers: a layered set (helm -f a.yaml -f b.yaml), checked as Helm
//     merges it; each finding names the file and line that set the value
//     (Layers.Locate), or the last layer for a key no file sets.
//   - HelmValues: a values map in memory (a chartutil.Values converts with
//     HelmValues(m)); findings name opts.File without lines, and no comment
//     silences anything.
//
// A comment `# pachidp:ignore RULE reason` (several rules separated by
// commas) silences RULE on the line it ends, or, alone on its line, on the
// next line; when that line is an entry's first line (`- id: ...`), RULE is
// silenced for the whole entry. A comment naming an unknown rule is an
// unknown-ignore-rule finding.
//
// The error is for what stops the check: an unknown id in opts.Ignore, an
// unusable opts.ProxyHost or DexIssuer (an option error naming it, see the package doc:
// a bad option is never a finding), a document pachidp cannot read
// (*SyntaxError, in a *LayerError for a layered set). What Helm, pachd or
// Dex would do with a document that reads is a finding, never an error.
// Messages never hold a secret.
//
// The rules ValidateValues adds to Validate's, for the chart's keys and the
// files (generated from the registry; docs/rules.md explains each):
//
//	Rule                        Fate                                    Title
//	issuer-uri-invalid          error                                   oidc.issuerURI is not an https issuer URL
//	wrong-type                  pachd-crash, login-fails, render-fails  a value of the wrong type
//	values-unreadable           render-fails                            YAML that Helm's reader refuses
//	issuer-uri-dex-suffix       error                                   oidc.issuerURI does not end in /dex
//	ingress-host-missing        error                                   ingress.enabled without ingress.host
//	no-upstream-idps            error, warning                          no upstream IdP and no mock IdP
//	host-scheme                 error                                   proxy.host or ingress.host starts with a scheme
//	tls-disabled                error                                   TLS is off, so Dex's issuer is http://
//	host-missing                error                                   no host to build Dex's issuer from
//	host-mismatch               warning                                 proxy.host differs from ingress.host
//	proxy-unsupported           warning                                 proxy.* set for a chart without a proxy
//	tls-secret-missing          error                                   proxy.tls.enabled without a certificate
//	enterprise-license-missing  error                                   this chart needs an enterprise license for IdPs
//	mock-idp-in-use             warning                                 the chart configures its mock IdP
//	mock-idp-ignored            warning                                 oidc.mockIDP: true has no effect
//	lookalike-key               error                                   a chart key spelled with look-alike characters
//	inline-list-ignored         warning                                 entries ignored: upstreamIDPsSecretName is set
//	not-a-bool                  warning                                 a flag written as a string
//	entries-not-checked         warning                                 the entries are in a Secret that was not given
//	duplicate-key               ignored                                 a key written twice in one mapping
//	manifest-values-ignored     warning                                 values the manifest's tool never passes to Helm
//	values-from                 warning                                 values from elsewhere can change the entries
//	unknown-ignore-rule         warning                                 a pachidp:ignore comment names no rule
//
// The values are read as given: keys absent from the document are taken at
// the chart's defaults. A document that is one of several values files
// passed to helm gets findings the other files may settle: pass them all as
// *Layers.
func ValidateValues(v Values, opts ValidateValuesOptions) (*Report, error) {
	for _, id := range opts.Ignore {
		if !id.Known() {
			msg := fmt.Sprintf("%q: no such rule", id)
			if s := suggestRule(string(id)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, &optionError{option: "ValidateValuesOptions.Ignore", msg: msg}
		}
	}
	// A bad option is the caller's error, returned as one (optionError),
	// never a finding.
	if opts.ProxyHost != "" {
		if _, err := proxyHostOf(opts.ProxyHost); err != nil {
			return nil, &optionError{option: "ValidateValuesOptions.ProxyHost", msg: fmt.Sprintf("%q: %v", opts.ProxyHost, err)}
		}
	}
	if opts.DexIssuer != "" {
		if _, err := dexCallbackOf(opts.DexIssuer); err != nil {
			return nil, &optionError{option: "ValidateValuesOptions.DexIssuer", msg: err.Error() + ": pass the issuer of Pachyderm's Dex, such as https://pachyderm.example.com/dex"}
		}
	}
	if v == nil {
		return nil, fmt.Errorf("pachidp: ValidateValues of nil Values")
	}
	in, err := v.validateInput(opts)
	if err != nil {
		return nil, err
	}
	return in.check(opts)
}

// valuesInput is the input of ValidateValues made uniform.
type valuesInput struct {
	merged *Document // the values as Helm sees them
	files  []inputFile
	// locate maps a finding about merged to its file and position.
	locate func(Finding) (string, Position)
	// entries reads the merged list: the entries, the file their
	// positions are in ("" to drop the positions).
	entries func() ([]UpstreamIDP, string, error)
	// dupes are the keys written twice in the files, with their file.
	dupes Findings
	// manifest are the findings about the manifests holding the values
	// (Manifest.Findings), their File set.
	manifest Findings
}

// manifestFindings returns the findings of v's manifest, named file.
func manifestFindings(v *Document, file string) Findings {
	var out Findings
	if v != nil && v.man != nil {
		for _, f := range v.man.Findings {
			f.File = file
			out = append(out, f)
		}
	}
	return out
}

// inputFile is a file whose comments may silence findings.
type inputFile struct {
	name string
	data []byte
}

// Values is the values of a release as ValidateValues reads them: one
// document (*Document), a layered set merged as Helm merges -f files
// (*Layers), or a map in memory (HelmValues; Helm's chartutil.Values
// converts with HelmValues(m)). Only these three implement it.
type Values interface {
	// validateInput makes the values the uniform input of ValidateValues.
	validateInput(opts ValidateValuesOptions) (*valuesInput, error)
}

var (
	_ Values = (*Document)(nil)
	_ Values = (*Layers)(nil)
	_ Values = HelmValues(nil)
)

func (v *Document) validateInput(opts ValidateValuesOptions) (*valuesInput, error) {
	if v == nil {
		return nil, fmt.Errorf("pachidp: ValidateValues of a nil *Document")
	}
	return &valuesInput{
		merged: v,
		dupes:  v.duplicates(opts.File),
		files:  []inputFile{{opts.File, v.Bytes()}},
		locate: func(f Finding) (string, Position) { return opts.File, f.Pos },
		entries: func() ([]UpstreamIDP, string, error) {
			idps, err := v.UpstreamIDPs()
			return idps, opts.File, err
		},
		manifest: manifestFindings(v, opts.File),
	}, nil
}

func (v *Layers) validateInput(ValidateValuesOptions) (*valuesInput, error) {
	if v == nil {
		return nil, fmt.Errorf("pachidp: ValidateValues of a nil *Layers")
	}
	mv, err := v.MergedValues()
	var le *LayerError
	var se *SyntaxError
	if errors.As(err, &le) && errors.As(err, &se) && refusedByHelm(se) {
		// A layer Helm's reader refuses: helm install fails on it, which
		// check reports (values-unreadable) in that layer.
		if i, ok := v.Index(le.Layer); ok {
			l := v.Layer(i)
			in := &valuesInput{merged: l.Values,
				locate:  func(f Finding) (string, Position) { return l.Name, f.Pos },
				entries: func() ([]UpstreamIDP, string, error) { return nil, "", nil }}
			for j := range v.Len() {
				in.files = append(in.files, inputFile{v.Layer(j).Name, v.Layer(j).Values.Bytes()})
			}
			return in, nil
		}
	}
	if err != nil {
		return nil, err
	}
	in := &valuesInput{merged: mv}
	for i := range v.Len() {
		l := v.Layer(i)
		in.files = append(in.files, inputFile{l.Name, l.Values.Bytes()})
		in.dupes = append(in.dupes, l.Values.duplicates(l.Name)...)
		in.manifest = append(in.manifest, manifestFindings(l.Values, l.Name)...)
	}
	last := v.Layer(v.Len() - 1).Name
	in.locate = func(f Finding) (string, Position) {
		lf := v.Locate(f)
		if lf.File == "" {
			return last, Position{}
		}
		return lf.File, lf.Pos
	}
	in.entries = func() ([]UpstreamIDP, string, error) {
		idps, from, err := v.UpstreamIDPs()
		if from.Layer < 0 {
			return idps, "", err
		}
		return idps, from.Name, err
	}
	return in, nil
}

func (v HelmValues) validateInput(opts ValidateValuesOptions) (*valuesInput, error) {
	if err := checkTree(map[string]any(v)); err != nil {
		return nil, err
	}
	return helmInput(map[string]any(v), opts)
}

// helmInput reads a map as a document without positions.
func helmInput(m map[string]any, opts ValidateValuesOptions) (*valuesInput, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(plainTree(m)); err != nil {
		return nil, fmt.Errorf("pachidp: the values cannot be written as JSON: %w", err)
	}
	v, err := OpenDocument(b.Bytes())
	if err != nil {
		return nil, err
	}
	return &valuesInput{
		merged: v,
		files:  []inputFile{{name: opts.File}},
		locate: func(Finding) (string, Position) { return opts.File, Position{} },
		entries: func() ([]UpstreamIDP, string, error) {
			idps, err := v.UpstreamIDPs()
			for i := range idps {
				idps[i] = withoutPos(idps[i])
			}
			return idps, opts.File, err
		},
	}, nil
}

// withoutPos drops the positions of an entry.
func withoutPos(e UpstreamIDP) UpstreamIDP {
	out, err := UpstreamIDPFromMap(e.Map())
	if err != nil {
		return e
	}
	return out
}

func (in *valuesInput) check(opts ValidateValuesOptions) (*Report, error) {
	r := &Report{Strict: opts.Strict}
	for _, f := range in.files {
		r.Files = append(r.Files, f.name)
	}
	var found Findings
	add := func(file string, f Finding) {
		f.File = file
		found = append(found, f)
	}
	for _, f := range in.manifest {
		add(f.File, f)
	}
	// addShape adds the findings of a list of the wrong shape, but not
	// twice (ValidateValues reports an upstreamIDPs that is not a list).
	addShape := func(fs Findings) {
		for _, f := range fs {
			if !slices.ContainsFunc(found, func(g Finding) bool { return g.Rule == f.Rule && g.Path == f.Path }) {
				file, pos := in.locate(f)
				f.Pos = pos
				add(file, f)
			}
		}
	}
	if f, ok := in.unreadable(); ok {
		// Helm reads nothing: no other check means anything.
		file, pos := in.locate(f)
		f.Pos = pos
		add(file, f)
		return in.finish(r, found, nil, "", pathIDPs, opts), nil
	}
	if !opts.NoPrerequisites {
		for _, f := range prerequisites(in.merged, opts.Target) {
			file, pos := in.locate(f)
			f.Pos = pos
			add(file, f)
		}
	}

	for _, f := range in.dupes {
		add(f.File, f)
	}

	// The options were checked (ValidateValues); an issuer the values make
	// unusable is a finding at oidc.issuerURI. Validate is then called with
	// usable options only, so none of its findings is an option's.
	vopts := ValidateOptions{Target: opts.Target, ProxyHost: opts.ProxyHost, DexIssuer: opts.DexIssuer,
		InsecureAllowHTTPLoopback: opts.InsecureAllowHTTPLoopback, Path: pathIDPs,
		dexCreds: dexCredsOf(in.merged)}
	if vopts.ProxyHost == "" && vopts.DexIssuer == "" {
		vopts.DexIssuer = in.merged.RedirectIssuer(opts.Target)
		if _, err := dexCallbackOf(vopts.DexIssuer); vopts.DexIssuer != "" && err != nil {
			// The values' own oidc.issuerURI: a finding there, and the
			// redirect URIs are not compared with it.
			f := Finding{Path: "oidc.issuerURI", Pos: in.merged.at("oidc.issuerURI"), Rule: RuleIssuerURIInvalid,
				Severity: SeverityError, Fate: FateInvalid,
				Message: err.Error() + ": pass the issuer of Pachyderm's Dex, such as https://pachyderm.example.com/dex; redirect URIs were not compared with it"}
			file, pos := in.locate(f)
			f.Pos = pos
			add(file, f)
			vopts.DexIssuer = ""
		}
	}
	var (
		idps      []UpstreamIDP
		entryFile string
		err       error
	)
	name, _ := chartValues{in.merged}.raw("oidc.upstreamIDPsSecretName", nil).(string)
	switch {
	case name != "" && opts.Secret == nil:
		f := Finding{Path: "oidc.upstreamIDPsSecretName", Pos: in.merged.at("oidc.upstreamIDPsSecretName"), Rule: RuleEntriesNotChecked,
			Severity: SeverityWarning, Message: fmt.Sprintf("the entries are in the Secret %q and were not checked: pass its manifest", name)}
		file, pos := in.locate(f)
		f.Pos = pos
		add(file, f)
		// The inline list, which the chart ignores, is still read for its
		// shape (the chart's schema applies to it).
		if _, _, err := in.entries(); err != nil {
			fs, serr := in.shapeFindings(err, opts.Target)
			if serr != nil {
				return nil, serr
			}
			addShape(fs)
		}
	case name != "":
		idps, err = opts.Secret.UpstreamIDPs()
		if err != nil {
			// What pachd does with a text it cannot read as a list of
			// entries is a finding in the Secret's file (pachd-yaml,
			// pachd-not-a-list, pachd-entry-type: pachd fails to start).
			_, pfs := decodePachdStrict(opts.Secret.Text)
			n := 0
			for _, f := range pfs {
				if strings.HasPrefix(string(f.Rule), "pachd-") && f.Severity == SeverityError {
					f.Pos = Position{} // a line of the text, not of the manifest
					add(opts.SecretFile, f)
					n++
				}
			}
			if n == 0 {
				return nil, fmt.Errorf("%s (upstream-idps): %w", opts.SecretFile, err)
			}
			r.Files = append(r.Files, opts.SecretFile)
			return in.finish(r, found, nil, "", pathIDPs, opts), nil
		}
		for i := range idps {
			idps[i] = withoutPos(idps[i])
		}
		entryFile, vopts.Path = opts.SecretFile, UpstreamIDPsSecretKey
		r.Files = append(r.Files, opts.SecretFile)
	default:
		if idps, entryFile, err = in.entries(); err != nil {
			fs, serr := in.shapeFindings(err, opts.Target)
			if serr != nil {
				return nil, serr
			}
			addShape(fs)
			idps = nil
		}
	}
	r.Entries = len(idps)
	for _, f := range Validate(idps, vopts) {
		add(entryFile, f)
	}

	return in.finish(r, found, idps, entryFile, vopts.Path, opts), nil
}

// finish silences, sorts and counts the findings: idps are the entries
// checked, read from entryFile under base.
func (in *valuesInput) finish(r *Report, found Findings, idps []UpstreamIDP, entryFile, base string, opts ValidateValuesOptions) *Report {
	sup := in.suppressions(idps, entryFile, base)
	found = append(found, sup.unknown...)
	order := func(file string) int {
		if i := slices.Index(r.Files, file); i >= 0 {
			return i
		}
		return len(r.Files)
	}
	slices.SortStableFunc(found, func(a, b Finding) int {
		if c := cmp.Compare(order(a.File), order(b.File)); c != 0 {
			return c
		}
		return comparePositions(a.Pos, b.Pos)
	})

	for i := range found {
		f := &found[i]
		f.Detail = f.Rule.Detail()
		if slices.Contains(opts.Ignore, f.Rule) {
			f.Suppressed, f.Reason = true, ignoreOptionReason
		} else if reason, ok := sup.match(f); ok {
			f.Suppressed, f.Reason = true, reason
		}
		switch {
		case f.Suppressed:
			r.Suppressed++
		case f.Severity == SeverityError:
			r.Errors++
		default:
			r.Warnings++
		}
	}
	r.Findings = found
	return r
}

// unreadable returns the finding for values Helm's own reader refuses (a
// null key, .inf, a tag the value does not fit): helm install fails
// reading them, before any template.
func (in *valuesInput) unreadable() (Finding, bool) {
	_, err := in.merged.values()
	var se *SyntaxError
	if !errors.As(err, &se) || !refusedByHelm(se) {
		return Finding{}, false
	}
	return Finding{Path: se.Path, Pos: se.Pos, Rule: RuleValuesUnreadable, Severity: SeverityError, Fate: FateRenderFails,
		Message: se.Msg + ": helm refuses to read the values"}, true
}

// shapeFindings turns the error of reading oidc.upstreamIDPs into
// findings where the cluster's code decides its fate: oidc not a mapping or
// the list not a list is refused by the chart's values.schema.json (every
// chart from 2.2.7 to master has oidc "type": "object" and upstreamIDPs
// "type": "array"), and an item that is not a mapping makes the reader of
// the list refuse all of it (conformance case entry-not-a-map: pachd 2.3+
// and upstream Dex fail to start, the 2.0-2.2 config Job fails and creates
// no connector). Another error is returned as it is.
func (in *valuesInput) shapeFindings(err error, target Target) (Findings, error) {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return nil, err
	}
	switch se.Path {
	case keyOIDC, pathIDPs:
		want := "an object"
		if se.Path == pathIDPs {
			want = "an array"
		}
		return Findings{{Path: se.Path, Pos: se.Pos, Rule: RuleWrongType, Severity: SeverityError, Fate: FateRenderFails,
			Message: fmt.Sprintf("%s: %s (the chart's schema wants %s)", se.Msg, fateWords[FateRenderFails], want)}}, nil
	}
	list, _, lerr := in.merged.idpList()
	if lerr != nil || !strings.HasPrefix(se.Path, pathIDPs+"[") {
		return nil, err
	}
	fate, what := FatePachdCrash, "pachd refuses the whole list and fails to start"
	switch target.rl().pachd.kind {
	case decoderConfigPod:
		fate, what = FateLoginFails, "the 2.0-2.2 config Job refuses the list"
	case decoderDexFile:
		what = "Dex refuses its config and fails to start"
	}
	var fs Findings
	for i, item := range list {
		if _, ok := item.(map[string]any); ok {
			continue
		}
		p := indexPath(pathIDPs, i)
		fs = append(fs, Finding{Path: p, Pos: in.merged.at(p), Rule: RuleWrongType, Severity: SeverityError, Fate: fate,
			Message: fmt.Sprintf("%s, not an entry (a mapping with type, id, name and config): %s", typeName(item), what)})
	}
	if len(fs) == 0 {
		return nil, err
	}
	return fs, nil
}

// comparePositions orders positions in document order, unknown ones last.
func comparePositions(a, b Position) int {
	switch {
	case !a.IsValid() && !b.IsValid():
		return 0
	case !a.IsValid():
		return 1
	case !b.IsValid():
		return -1
	}
	return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// ---------------------------------------------------------------------------
// Ignore comments

// ignoreComment matches `# pachidp:ignore RULE[,RULE] reason`.
var ignoreComment = regexp.MustCompile(`(?:^|\s)#\s*pachidp:ignore\s+([^\s,]+(?:\s*,\s*[^\s,]+)*)\s*(.*)$`)

// blockScalar matches a line that starts a block scalar (`key: |`), whose
// next lines are text, not comments.
var blockScalar = regexp.MustCompile(`^\s*(?:-\s+)?[^#\s][^#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$`)

// inQuotes reports whether the end of prefix is inside a quoted scalar. A
// quote opens one only where a scalar starts (after ": ", "- ", "[", "{",
// "," or at the start of the line); elsewhere it is a plain character.
func inQuotes(prefix string) bool {
	var quote byte
	prev := byte(0) // the last character that is not a space, outside quotes
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
			prev = c
		case quote != 0:
		case (c == '"' || c == '\'') && (prev == 0 || strings.IndexByte(":-[{,", prev) >= 0):
			quote = c
		case c != ' ' && c != '\t':
			prev = c
		}
	}
	return quote != 0
}

// silence is one rule silenced by a comment.
type silence struct {
	file, reason string
	rule         Rule
	line         int    // the line silenced
	entry        string // the entry's path when line is its first line
}

type suppressions struct {
	rules   []silence
	unknown Findings // comments naming an unknown rule
}

// suppressions reads the ignore comments of the input's files. entries are
// the entries checked, read from entryFile, under base.
func (in *valuesInput) suppressions(entries []UpstreamIDP, entryFile, base string) suppressions {
	var s suppressions
	entryAt := map[int]string{} // line of an entry's first key -> its path
	for i, e := range entries {
		if p := e.Pos(""); p.IsValid() {
			entryAt[p.Line] = indexPath(base, i)
		}
	}
	for _, f := range in.files {
		if !bytes.Contains(f.data, []byte("pachidp:ignore")) {
			continue // the common case: no line to read
		}
		lines := strings.Split(string(f.data), "\n")
		block := -1 // the indentation of the key of a block scalar being read
		for i, text := range lines {
			indent := len(text) - len(strings.TrimLeft(text, " "))
			if block >= 0 {
				if strings.TrimSpace(text) == "" || indent > block {
					continue // a line of a block scalar, which may be a secret
				}
				block = -1
			}
			if blockScalar.MatchString(text) {
				block = indent
			}
			if !strings.Contains(text, "pachidp:ignore") {
				continue
			}
			m := ignoreComment.FindStringSubmatchIndex(text)
			if m == nil || inQuotes(text[:m[0]+1]) {
				continue // not a comment: the text of a quoted scalar
			}
			ids, reason := text[m[2]:m[3]], strings.TrimSpace(text[m[4]:m[5]])
			if reason == "" {
				reason = "pachidp:ignore comment"
			}
			col := strings.Index(text[m[0]:], "#") + m[0] + 1
			target := i + 1
			if strings.TrimSpace(text[:col-1]) == "" {
				// Alone on its line: it speaks for the next line that is not
				// blank or a comment.
				for j := i + 1; j < len(lines); j++ {
					if t := strings.TrimSpace(lines[j]); t != "" && !strings.HasPrefix(t, "#") {
						target = j + 1
						break
					}
				}
			}
			entry := ""
			if f.name == entryFile {
				entry = entryAt[target]
			}
			for _, id := range strings.Split(ids, ",") {
				id = strings.TrimSpace(id)
				if !Rule(id).Known() {
					// The fix comes first: a text line keeps the first
					// clause of a long message.
					msg := fmt.Sprintf("no rule %q, so it silences nothing (pachidp explain lists the rules)", id)
					if sg := suggestRule(id); sg != "" {
						msg = fmt.Sprintf("use %q: no rule %q, so it silences nothing", sg, id)
					}
					s.unknown = append(s.unknown, Finding{File: f.name,
						Path: "pachidp:ignore", Pos: Position{Line: i + 1, Column: col}, Rule: RuleUnknownIgnoreRule,
						Severity: SeverityWarning, Message: msg})
					continue
				}
				s.rules = append(s.rules, silence{file: f.name, rule: Rule(id), reason: reason, line: target, entry: entry})
			}
		}
	}
	return s
}

// match returns the reason of the comment silencing f.
func (s suppressions) match(f *Finding) (string, bool) {
	for _, x := range s.rules {
		if x.rule != f.Rule || x.file != f.File {
			continue
		}
		if x.entry != "" && (f.Path == x.entry || strings.HasPrefix(f.Path, x.entry+".") || strings.HasPrefix(f.Path, x.entry+"[")) {
			return x.reason, true
		}
		if f.Pos.IsValid() && f.Pos.Line == x.line {
			return x.reason, true
		}
	}
	return "", false
}
