package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/gitignore"
	didyoumean "github.com/pachidp/pachidp/internal/suggest"
)

const validateUsage = `usage: pachidp validate [-f FILE]... [FILE|DIR...] [--changed] [--ignore RULE]... [-o text|json|sarif] [flags]

Checks every entry the way pachd and Dex will read it, and the chart's
prerequisites on the whole values (TLS on, a host, the enterprise license for
charts before 2.12, oidc.issuerURI ending in /dex, the mock IdP rules).

Each FILE is checked on its own, on top of the --base files when given
(a repository of clusters: pachidp validate --base common.yaml
clusters/*/values.yaml). Repeated -f flags are one layered set,
merged as helm install -f a.yaml -f b.yaml merges them (-f - reads standard
input, once): each finding names the file and line that set the value.
--document N picks document N (from 0) of files holding several.

A DIR, or no FILE at all (the working directory), is a repository: every
YAML or JSON file below it with oidc or pachd at the top is checked, on all
cores, in a stable order; .git and what .gitignore ignores are skipped. A
.pachidp.yaml at the repository's root (or above DIR) lists clusters, each
a layered set checked as one, with its own chartVersion and ignore:

  chartVersion: 2.11.6
  ignore: [RULE]
  clusters:
    prod:
      layers: [common.yaml, clusters/prod/values.yaml]
      chartVersion: 2.12.0

--changed takes the FILEs as the files a commit changes (the pre-commit
hook): every cluster with a changed layer is checked again (every cluster
when .pachidp.yaml changed), other changed values files on their own, and
files that hold no Pachyderm values are skipped.

Prints every finding on standard output, one a line:

  FILE:LINE:COL: error|warning: PATH: short message [rule-id]

A finding repeated in several entries of a file is printed once, with the
other entries' indexes. 'pachidp explain RULE' says why a rule matters and
how to fix it. -o json prints an array of objects with the keys file, line,
column, path, rule, severity, fate, message and detail (and suppressed and
reason for silenced findings); -o sarif prints a SARIF 2.1.0 log for GitHub
code scanning. A summary line goes to standard error. The exit status is that
of the worst file: 1 when there are errors, or warnings with --strict.

Silence a rule everywhere with --ignore RULE, or in the values file with a
comment '# pachidp:ignore RULE reason' at the end of the line it speaks for
or alone on the line above it; on an entry's first line ('- id: ...') it
silences the rule for the whole entry. Silenced findings are not printed
(the summary counts them) and are in the JSON with "suppressed": true.

Redirect URIs are compared with --proxy-host, or else with the values' host
(the host of oidc.issuerURI, else ingress.host, else proxy.host). The
rules are those of the Pachyderm version given with --chart-version
(default: the newest modelled). When the values keep the entries in a
Secret, pass its manifest with --secret; findings about those entries name
the manifest file without lines. --no-prerequisites checks the entries only.

Example:
  pachidp validate -f values.yaml --chart-version 2.11.3 --strict
  pachidp validate -f values.yaml -f prod.yaml
  pachidp validate dev.yaml prod.yaml -o sarif > pachidp.sarif
  pachidp validate                       # the repository below .
  pachidp validate --changed common.yaml # the clusters that use it
`

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// validateUnit is what is checked on its own: one file, or a layered set.
type validateUnit struct {
	name  string   // for the summary
	files []string // as given
	// A cluster of .pachidp.yaml names itself in the summary (its layers'
	// lines are shared with other clusters), and may set its own target
	// and silence rules.
	cluster bool
	target  *pachidp.Target
	ignore  []string
}

// validateFlags are the flags of pachidp validate.
type validateFlags struct {
	layers, ignore, bases      stringList
	proxyHost, output, secret  *string
	strict, noPrereq, loopback *bool
	changed                    *bool
	document                   *int
	target                     *pachidp.Target
	format                     string // -o, checked
}

func runValidate(e *env, args []string) error {
	var f validateFlags
	rest, err := e.parseValidate(&f, args)
	if err != nil {
		return err
	}
	units, err := e.validateUnitsOf(&f, rest)
	if err != nil || units == nil {
		return err // nil: nothing to check
	}
	var sec *pachidp.UpstreamIDPsSecret
	if *f.secret != "" {
		if sec, err = e.readSecret(*f.secret); err != nil {
			return err
		}
	}
	opts := pachidp.ValidateValuesOptions{Target: *f.target, ProxyHost: *f.proxyHost, InsecureAllowHTTPLoopback: *f.loopback,
		NoPrerequisites: *f.noPrereq, Ignore: rules(f.ignore), Strict: *f.strict, Secret: sec, SecretFile: displayName(*f.secret)}
	return e.reportUnits(units, e.validateUnits(units, *f.document, opts), f.format)
}

// parseValidate defines and parses the flags of pachidp validate, and
// checks them; it returns the arguments.
func (e *env) parseValidate(f *validateFlags, args []string) ([]string, error) {
	fs := e.newFlags(validateUsage)
	fs.Var(&f.layers, "f", "a Helm values `FILE` (- for standard input); repeated: one layered set, merged as helm -f merges it")
	fs.Var(&f.bases, "base", "a values `FILE` layered under every FILE checked (repeatable: the files every cluster shares, as helm -f base.yaml -f FILE)")
	f.proxyHost = fs.String("proxy-host", "", "Pachyderm's `host`[:port] redirect URIs must name (default: from FILE)")
	f.strict = fs.Bool("strict", false, "fail (exit 1) on warnings too")
	f.output = fs.String("o", "text", "output `format`: text, json or sarif")
	f.target = fs.chartVersion()
	f.noPrereq = fs.Bool("no-prerequisites", false, "check the entries only, not the chart's prerequisites")
	f.loopback = fs.Bool("insecure-allow-http-loopback", false, "accept http issuers and redirect URIs on localhost (test clusters)")
	f.secret = fs.secretManifest()
	f.document = fs.Int("document", -1, "the document `N` (from 0) to check in files holding several YAML documents")
	fs.releaseFlag()
	fs.Var(&f.ignore, "ignore", "silence the `RULE` everywhere (repeatable; pachidp explain lists the rules)")
	f.changed = fs.Bool("changed", false, "the FILEs are changed files (pre-commit): check every cluster of .pachidp.yaml with a changed layer, and each other changed values file; skip the rest")
	rest, err := e.parse(fs, args)
	if err != nil {
		return nil, err
	}
	f.format = *f.output
	switch f.format {
	case "", "table":
		f.format = "text"
	case "text", "json", "sarif":
	default:
		return nil, e.usageError("-o %q: pass text, json or sarif", *f.output)
	}
	if err := e.checkProxyHost(*f.proxyHost); err != nil {
		return nil, err
	}
	for _, id := range f.ignore {
		if !pachidp.Rule(id).Known() {
			msg := fmt.Sprintf("--ignore %q: no such rule", id)
			if s := suggestRule(id); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, e.usageError("%s; pachidp explain lists the rules", msg)
		}
	}
	return rest, nil
}

// validateUnitsOf returns what validate checks: the -f set, the changed
// files (--changed), the files and the repositories named by the
// arguments, or the repository below the working directory. It returns
// nil, nil when --changed leaves nothing to check.
func (e *env) validateUnitsOf(f *validateFlags, rest []string) ([]validateUnit, error) {
	var units []validateUnit
	if len(f.layers) > 0 {
		files := append(slices.Clone(f.bases), f.layers...)
		units = append(units, validateUnit{name: strings.Join(displayNames(files), " + "), files: files})
	}
	if *f.changed {
		u, err := e.changedUnits(rest, f.bases)
		if err != nil {
			return nil, err
		}
		if len(u) == 0 && len(units) == 0 {
			e.notef("no changed file holds Pachyderm values or is a cluster's layer: nothing to check")
			return nil, nil
		}
		return append(units, u...), nil
	}
	if len(rest) == 0 && len(f.layers) == 0 {
		rest = []string{"."} // the repository below the working directory
	}
	for _, p := range rest {
		if st, err := os.Stat(p); p != "-" && err == nil && st.IsDir() {
			u, err := e.repoUnits(p, f.bases)
			if err != nil {
				return nil, err
			}
			if len(u) == 0 {
				return nil, e.usageError("%s: no Pachyderm values file below it (a YAML or JSON file with oidc or pachd at the top), and no cluster in %s", p, repoConfigName)
			}
			units = append(units, u...)
			continue
		}
		units = append(units, fileUnit(f.bases, p))
	}
	return units, nil
}

// reportUnits prints the units' reports in format, the summaries, and
// returns the exit status of the worst.
func (e *env) reportUnits(units []validateUnit, results []unitResult, format string) error {
	worst := exitOK
	var (
		reports []*pachidp.Report
		total   pachidp.Report
	)
	for _, res := range results {
		u, r := res.unit, res.report
		worst = max(worst, res.code)
		if r == nil {
			continue
		}
		reports = append(reports, r)
		total.Errors += r.Errors
		total.Warnings += r.Warnings
		total.Suppressed += r.Suppressed
		total.Entries += r.Entries
		if format == "text" {
			for _, l := range textLines(r) {
				fmt.Fprintln(e.stdout, l)
			}
		}
		if len(units) == 1 || u.cluster {
			e.notef("%s: %s", u.name, summary(r))
		}
		if r.Failed() {
			worst = max(worst, exitFindings)
		}
	}
	if err := e.writeReports(reports, format); err != nil {
		return err
	}
	if len(units) > 1 {
		e.notef("%s: %s", unitCount(units), summary(&total))
	}
	return silent(worst)
}

// writeReports writes the reports as JSON or SARIF (text was printed unit
// by unit).
func (e *env) writeReports(reports []*pachidp.Report, format string) error {
	switch format {
	case "json":
		all := validateJSON{}
		for _, r := range reports {
			for _, f := range r.Findings {
				all = append(all, newJSONFinding(f.File, f).withReport(f))
			}
		}
		return e.writeJSON(all)
	case "sarif":
		return e.writeJSON(sarifLog(reports))
	}
	return nil
}

// unitCount says "3 files", or "2 clusters, 1 file" when some units are
// clusters of .pachidp.yaml.
func unitCount(units []validateUnit) string {
	clusters := 0
	for _, u := range units {
		if u.cluster {
			clusters++
		}
	}
	files := len(units) - clusters
	count := func(n int, what string) string { return fmt.Sprintf("%d %s%s", n, what, plural(n)) }
	switch {
	case clusters == 0:
		return count(files, "file")
	case files == 0:
		return count(clusters, "cluster")
	}
	return count(clusters, "cluster") + ", " + count(files, "file")
}

// unitResult is a unit's report and exit code, and what it wrote on
// standard error.
type unitResult struct {
	unit   validateUnit
	report *pachidp.Report
	code   int
}

// validateUnits checks the units on every core and returns their results
// in the units' order, each unit's messages written on standard error in
// that order too, so that the output does not depend on which finished
// first. A unit reading standard input runs alone, on this goroutine.
func (e *env) validateUnits(units []validateUnit, document int, opts pachidp.ValidateValuesOptions) []unitResult {
	results := make([]unitResult, len(units))
	stderrs := make([]bytes.Buffer, len(units))
	check := func(i int, ue *env) {
		o := opts
		if u := units[i]; u.target != nil || len(u.ignore) > 0 {
			if u.target != nil {
				o.Target = *u.target
			}
			o.Ignore = slices.Concat(opts.Ignore, rules(u.ignore))
		}
		r, err := ue.validateUnit(units[i], document, o)
		ue.printError(err) // in the unit's place among the others'

		results[i] = unitResult{units[i], r, exitCode(err)}
	}
	usesStdin := func(u validateUnit) bool { return slices.Contains(u.files, "-") }
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ue := *e
				ue.stderr = &stderrs[i]
				check(i, &ue)
			}
		}()
	}
	for i, u := range units {
		if !usesStdin(u) {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	for i, u := range units {
		if usesStdin(u) {
			check(i, e)
			continue
		}
		e.stderr.Write(stderrs[i].Bytes())
	}
	return results
}

// validateUnit reads and checks one unit. The report is nil when its files
// cannot be read; the error then says why.
func (e *env) validateUnit(u validateUnit, document int, opts pachidp.ValidateValuesOptions) (*pachidp.Report, error) {
	var values pachidp.Values
	var merged interface {
		Lookup(string) (any, pachidp.Position, bool)
	}
	files := e.withValuesFiles(u.files)
	if len(files) == 1 {
		vf, err := e.openFile(files[0], openOptions{document: document})
		if err != nil {
			return nil, err
		}
		values, merged, opts.File = vf.v, vf.v, vf.name
		if vf.target != nil {
			opts.Target = *vf.target
		}
	} else {
		// Not openLayered: a unit's files are checked as given (no merge
		// before the validation, standard input named by readInput).
		vfs := make([]*valuesFile, 0, len(files))
		for _, f := range files {
			vf, err := e.openFile(f, openOptions{document: document})
			if err != nil {
				return nil, err
			}
			if vf.target != nil {
				opts.Target = *vf.target
			}
			vfs = append(vfs, vf)
		}
		l, err := layersOf(vfs)
		if err != nil {
			return nil, e.failf(exitUsage, "%s", describe("", err))
		}
		values, merged = l, layerLookup{l}
	}
	name := ""
	if s, _, _ := merged.Lookup("oidc.upstreamIDPsSecretName"); s != nil {
		name, _ = s.(string)
	}
	switch {
	case opts.Secret != nil && name == "":
		e.notef("warning: %s does not set oidc.upstreamIDPsSecretName, so the chart uses oidc.upstreamIDPs and never reads the Secret given with --secret", u.name)
	case opts.Secret != nil && opts.Secret.Name != name:
		e.notef("warning: %s names the Secret %q (oidc.upstreamIDPsSecretName), and %s is the manifest of %q", u.name, name, opts.SecretFile, opts.Secret.Name)
	}
	r, err := pachidp.ValidateValues(values, opts)
	if err != nil {
		return nil, e.failf(exitUsage, "%s", describe(opts.File, err))
	}
	withFlags(r, opts)
	return r, nil
}

// withFlags says the command's flags where the library speaks of its
// options: a finding of a rule in opts.Ignore was silenced by --ignore
// (Ignore wins over comments), and the manifest of the Secret whose
// entries were not checked is passed with --secret.
func withFlags(r *pachidp.Report, opts pachidp.ValidateValuesOptions) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed && slices.Contains(opts.Ignore, f.Rule) {
			f.Reason = "--ignore"
		}
		if f.Rule == pachidp.RuleEntriesNotChecked {
			f.Message += " with --secret FILE"
		}
	}
}

// layerLookup gives a *Layers the Lookup of a *Document.
type layerLookup struct{ l *pachidp.Layers }

func (l layerLookup) Lookup(p string) (any, pachidp.Position, bool) {
	v, from, ok := l.l.Lookup(p)
	return v, from.Pos, ok
}

func displayNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = displayName(p)
	}
	return out
}

// summary says "1 entry, no problems" or "2 errors, 1 warning (1
// suppressed)".
func summary(r *pachidp.Report) string {
	s := fmt.Sprintf("%d error%s, %d warning%s", r.Errors, plural(r.Errors), r.Warnings, plural(r.Warnings))
	if r.Errors+r.Warnings == 0 {
		s = countEntries(r.Entries) + ", no problems"
	}
	if r.Suppressed > 0 {
		s += fmt.Sprintf(" (%d suppressed)", r.Suppressed)
	}
	return s
}

// ---------------------------------------------------------------------------
// explain

const explainUsage = `usage: pachidp explain [RULE]

Says what a rule of validate (the id in brackets at the end of each line)
checks, what the cluster does when it fires, and how to fix it. Without a
RULE, lists every rule.

Example:
  pachidp explain auth0-issuer-slash
`

func runExplain(e *env, args []string) error {
	fs := e.newFlags(explainUsage)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	switch len(rest) {
	case 0:
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tTITLE")
		for _, r := range pachidp.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r, severities(r), r.Title())
		}
		if err := tw.Flush(); err != nil {
			return e.failf(exitUsage, "writing to standard output: %v", err)
		}
		return nil
	case 1:
	default:
		return e.usageError("explain takes one RULE, got %d arguments", len(rest))
	}
	r := pachidp.Rule(rest[0])
	if !r.Known() {
		msg := fmt.Sprintf("no rule %q", rest[0])
		if s := suggestRule(rest[0]); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
		}
		return e.usageError("%s; pachidp explain lists the rules", msg)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", r, r.Title())
	fmt.Fprintf(&b, "Severity:   %s\n", severities(r))
	if len(r.Fates()) > 0 {
		fmt.Fprintf(&b, "Fate:       %s\n", fates(r))
	}
	fmt.Fprintf(&b, "Checked by: %s\n\n", strings.Join(r.Checks(), ", "))
	b.WriteString(wrap(r.Detail(), 76))
	fmt.Fprintf(&b, "\nSilence it with --ignore %s, or with the comment\n# pachidp:ignore %s REASON on the line (or the entry) it speaks for.\n", r, r)
	if _, err := fmt.Fprint(e.stdout, b.String()); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

// fates lists a rule's fates, the usual one first.
func fates(r pachidp.Rule) string {
	fs := make([]string, len(r.Fates()))
	for i, f := range r.Fates() {
		fs[i] = string(f)
	}
	return strings.Join(fs, ", ")
}

func severities(r pachidp.Rule) string {
	s := make([]string, len(r.Severities()))
	for i, v := range r.Severities() {
		s[i] = v.String()
	}
	return strings.Join(s, "|")
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	b.WriteByte('\n')
	return b.String()
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0

// The subset of SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/)
// GitHub code scanning reads.
type (
	sarifLogT struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string       `json:"id"`
		HelpURI              string       `json:"helpUri"`
		ShortDescription     sarifText    `json:"shortDescription"`
		FullDescription      sarifText    `json:"fullDescription"`
		Help                 sarifText    `json:"help"`
		DefaultConfiguration sarifDefault `json:"defaultConfiguration"`
	}
	sarifDefault struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
		// PartialFingerprints identify a finding across commits, whatever
		// line it moves to: code scanning matches results by them.
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

const (
	// repositoryURL is pachidp's home; docs/rules.md there has a section
	// per rule (generated from the registry: TestRulesPage).
	repositoryURL = "https://github.com/pachidp/pachidp"
	rulesPageURL  = repositoryURL + "/blob/main/docs/rules.md#"
	// srcRoot is the uriBaseId of every file: the root of the repository
	// that holds it (its nearest ancestor with a .git), where code
	// scanning checks it out, so a finding's path is the same on every
	// machine and in every working directory.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names pachidp's partial fingerprint (versioned, as
	// SARIF 2.1.0 section 3.27.17 recommends).
	fingerprintKey = "pachidpFinding/v1"
)

// sarifLog is one run over every report, with every rule of the registry.
func sarifLog(reports []*pachidp.Report) sarifLogT {
	rules := pachidp.Rules()
	index := map[pachidp.Rule]int{}
	driver := sarifDriver{Name: "pachidp", Version: buildVersion(), InformationURI: repositoryURL, Rules: make([]sarifRule, len(rules))}
	for i, r := range rules {
		index[r] = i
		driver.Rules[i] = sarifRule{ID: string(r), HelpURI: rulesPageURL + string(r), ShortDescription: sarifText{r.Title()}, FullDescription: sarifText{r.Detail()},
			Help: sarifText{r.Detail()}, DefaultConfiguration: sarifDefault{r.Severities()[0].String()}}
	}
	results := []sarifResult{}
	seen := map[string]int{}
	for _, rep := range reports {
		for _, f := range rep.Findings {
			res := sarifResult{RuleID: string(f.Rule), RuleIndex: index[f.Rule], Level: f.Severity.String(),
				Message: sarifText{f.Path + ": " + f.Message}}
			art := sarifArtifact{}
			if f.File != "" {
				art = sarifArtifactOf(f.File)
			}
			res.PartialFingerprints = map[string]string{fingerprintKey: fingerprint(seen, string(f.Rule), art.URI, f.Path)}
			if f.File != "" {
				loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: art}}
				if f.Pos.IsValid() {
					loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Pos.Line, StartColumn: f.Pos.Column}
				}
				res.Locations = []sarifLocation{loc}
			}
			if f.Suppressed {
				kind := "inSource"
				if f.Reason == "--ignore" {
					kind = "external"
				}
				res.Suppressions = []sarifSuppression{{Kind: kind, Justification: f.Reason}}
			}
			results = append(results, res)
		}
	}
	return sarifLogT{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
}

// fingerprint identifies a finding by what does not move with its line:
// the rule, the file and the path in the values (the n-th repeat of the
// three in one log counts too, so two findings never share one).
func fingerprint(seen map[string]int, rule, uri, path string) string {
	key := rule + "\x00" + uri + "\x00" + path
	n := seen[key]
	seen[key]++
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:16])
}

// sarifArtifactOf names a file as code scanning finds it: relative to the
// root of the repository that holds it (uriBaseId %SRCROOT%), else to the
// working directory; a file outside both is an absolute file: URI.
func sarifArtifactOf(name string) sarifArtifact {
	if name == stdinName {
		return sarifArtifact{URI: "stdin"}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return sarifArtifact{URI: uriPath(name)}
	}
	base := gitignore.WorkTreeTop(filepath.Dir(abs))
	if base == "" {
		base, _ = os.Getwd()
	}
	if rel, err := filepath.Rel(base, abs); err == nil && base != "" && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarifArtifact{URI: uriPath(rel), URIBaseID: srcRoot}
	}
	return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
}

// uriPath writes a relative file name as a URI reference: slashes, and
// each segment percent-encoded.
func uriPath(name string) string {
	parts := strings.Split(filepath.ToSlash(name), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// suggestRule returns the id of a rule close to id (a typo, another case),
// or "".
func suggestRule(id string) string {
	var ids []string
	for _, r := range pachidp.Rules() {
		ids = append(ids, string(r))
	}
	return didyoumean.ID(id, ids)
}

// rules converts rule ids given on the command line.
func rules(ids []string) []pachidp.Rule {
	out := make([]pachidp.Rule, len(ids))
	for i, id := range ids {
		out[i] = pachidp.Rule(id)
	}
	return out
}

// validateJSON is validate -o json: its findings with fate, detail, and
// suppressed and reason when silenced. It escapes <, > and & (\u003c, ...),
// as validate -o json always has, where the command's other JSON outputs
// write them as they are.
type validateJSON []jsonFinding

// MarshalJSON writes the findings with json.Marshal's HTML escaping.
func (v validateJSON) MarshalJSON() ([]byte, error) { return json.Marshal([]jsonFinding(v)) }
