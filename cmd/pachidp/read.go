package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/preflight"
)

// outputFormat checks -o.
func (e *env) outputFormat(o string) (string, error) {
	switch o {
	case "", "text", "table":
		return "text", nil
	case "json":
		return "json", nil
	}
	return "", e.usageError("-o %q: pass text or json", o)
}

func (e *env) writeJSON(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return e.failf(exitUsage, "encoding JSON: %v", err)
	}
	if _, err := e.stdout.Write(b.Bytes()); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

const listUsage = `usage: pachidp list -f FILE... [-o text|json] [--secret MANIFEST]

Lists the entries: id, type, name and issuer, never a secret. When the values
keep the entries in a Secret (oidc.upstreamIDPsSecretName), pass its
manifest with --secret. -o json prints an array of objects with the keys id,
type, name, issuer, path, line and column (line and column are 0 when the
entry comes from a Secret); it holds no config and no secret.

Repeated -f flags are one layered set, merged as helm install -f a.yaml -f
b.yaml merges them (-f - reads standard input, once): the entries are those
of the file Helm takes the list from, and -o json adds its name (file).

Example:
  pachidp list -f values.yaml
`

// listItem is one entry in list -o json.
type listItem struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Issuer string `json:"issuer"`
	Path   string `json:"path"`
	File   string `json:"file,omitempty"` // with several -f: the file that sets the list
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func runList(e *env, args []string) error {
	fs := e.newFlags(listUsage)
	files := fs.valuesFiles()
	output := fs.String("o", "text", "output `format`: text or json")
	secret := fs.secretManifest()
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	format, err := e.outputFormat(*output)
	if err != nil {
		return err
	}
	set, err := e.openSet(*files)
	if err != nil {
		return err
	}
	idps, src, err := e.entries(set, *secret)
	if err != nil {
		return err
	}
	items := make([]listItem, 0, len(idps))
	for i, d := range idps {
		it := listItem{ID: d.ID, Type: d.Type, Name: d.Name, Path: fmt.Sprintf("%s[%d]", src.base, i)}
		if set.layered() {
			it.File = src.file
		}
		if d.OIDC != nil {
			it.Issuer = d.OIDC.Issuer
		}
		if p := d.Pos(""); p.IsValid() && !src.fromSecret {
			it.Line, it.Column = p.Line, p.Column
		}
		items = append(items, it)
	}
	if format == "json" {
		return e.writeJSON(items)
	}
	if len(items) == 0 {
		e.notef("%s: no entries", src.file)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tNAME\tISSUER")
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", orDash(it.ID), orDash(it.Type), orDash(it.Name), orDash(it.Issuer))
	}
	if err := tw.Flush(); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

const dexUsage = `usage: pachidp dex -f FILE... [--secret MANIFEST] [-o yaml|json]

Prints the entries as the connectors: list of a Dex config file, for a
standalone Dex or to compare with one. What Dex's connectors cannot hold
(configVersion, keys only Pachyderm's Dex fork reads, unknown keys) is left
out and printed as a warning with its place. The output holds the client
secrets.

-o json prints instead an object: connectors (the list, every secret shown
as ` + pachidp.Redacted + `) and warnings (objects with file, line, column,
path, rule, severity and message). Repeated -f flags are one layered set,
merged as helm -f merges them; warnings name the file that sets the list.

Example:
  pachidp dex -f values.yaml > connectors.yaml
`

// dexJSON is what dex -o json prints.
type dexJSON struct {
	Connectors any           `json:"connectors"`
	Warnings   []jsonFinding `json:"warnings"`
}

func runDex(e *env, args []string) error {
	fs := e.newFlags(dexUsage)
	files := fs.valuesFiles()
	secret := fs.secretManifest()
	output := fs.String("o", "yaml", "output `format`: yaml or json (secrets hidden)")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	asJSON, err := e.yamlOrJSON(*output)
	if err != nil {
		return err
	}
	set, err := e.openSet(*files)
	if err != nil {
		return err
	}
	idps, src, err := e.entries(set, *secret)
	if err != nil {
		return err
	}
	if len(idps) == 0 {
		return e.failf(exitFindings, "%s: no entries to convert", src.file)
	}
	out, losses, err := pachidp.EncodeDexConnectors(idps)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(src.file, err))
	}
	warnings := []jsonFinding{}
	for _, l := range losses {
		e.notef("%s", located(src.file, l.Pos, "warning: "+src.base+l.Path, l.Reason))
		warnings = append(warnings, newJSONFinding(src.file, lossFinding(src.base, l)))
	}
	if asJSON {
		list, err := redactedTree(out)
		if err != nil {
			return e.failf(exitUsage, "reading back the connectors: %v", err)
		}
		if m, ok := list.(map[string]any); ok {
			list = m["connectors"]
		}
		return e.writeJSON(dexJSON{Connectors: list, Warnings: warnings})
	}
	if _, err := e.stdout.Write(out); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

// yamlOrJSON checks -o of a command that prints YAML by default.
func (e *env) yamlOrJSON(o string) (bool, error) {
	switch o {
	case "", "yaml", "text":
		return false, nil
	case "json":
		return true, nil
	}
	return false, e.usageError("-o %q: pass yaml or json", o)
}

const renderUsage = `usage: pachidp render -f FILE... [--secret MANIFEST] [--chart-version V] [--proxy-host H] [-o text|json]

Prints the text pachd will receive in IDP_CONNECTORS (the key upstream-idps),
byte for byte as the chart of --chart-version renders it: Helm's toYaml of
oidc.upstreamIDPs as written (keys keep their names, empty strings and
nulls are kept), or, when the values set oidc.upstreamIDPsSecretName, that
Secret's text, from its manifest given with --secret. For charts 2.0-2.2 it
is the key idps of the Secret pachyderm-bootstrap-config. When the chart
refuses to render the values, the reason goes to standard error and the
exit status is 1; when it renders but does not pass the text to pachd (no
enterprise license up to 2.12.0-rc.1), a note says so. The text is checked the way pachd decodes it (unknown keys
such as version, missing id, name or type, duplicate ids) and with the
chart's mock IdP rules. Findings go to standard error; with errors nothing
is printed and the exit status is 1. The text holds the client secrets.

With --proxy-host, each entry's redirect URI is also compared with
https://HOST/dex/callback (warnings: pachd takes the text, logins fail).
Repeated -f flags are one layered set, merged as helm -f merges them:
findings name the file and line that set the value. -o json prints one
object: text (the text pachd receives, every secret shown as ` + pachidp.Redacted + `;
null when nothing is rendered), rendered (false when the chart refuses or
pachd would), connectors (false when the chart does not pass the text to
pachd) and findings (objects with file, line, column, path, rule, severity
and message); the exit status is as without it.

Example:
  pachidp render -f values.yaml --secret upstream-idps-secret.yaml
`

// renderCmd is a run of pachidp render: its flags, the values and the -o
// json object it fills.
type renderCmd struct {
	e                     *env
	files                 *stringList
	secretPath, proxyHost *string
	output                *string
	target                *pachidp.Target
	format                string
	set                   *valueSet
	out                   renderJSON
}

func runRender(e *env, args []string) error {
	c := &renderCmd{e: e, out: renderJSON{Findings: []jsonFinding{}}}
	if err := c.parse(args); err != nil {
		return err
	}
	set, err := e.openSet(*c.files)
	if err != nil {
		return err
	}
	c.set = set
	values := set.values()
	ci, err := values.ChartIdentity(*c.target)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(set.name, err))
	}
	for _, re := range ci.RenderErrors {
		c.report(set.locate(pachidp.Finding{Path: re.Path, Pos: re.Pos, Rule: pachidp.RuleChartRefuses, Severity: pachidp.SeverityError,
			Message: fmt.Sprintf("chart %s refuses to render: %q; %s", re.Version, re.Chart, re.Msg)}))
	}
	if len(ci.RenderErrors) > 0 {
		return c.finish(e.failf(exitFindings, "helm install would fail: nothing printed"))
	}
	var secret *pachidp.UpstreamIDPsSecret
	if *c.secretPath != "" {
		if secret, err = e.readSecret(*c.secretPath); err != nil {
			return err
		}
	}
	text, err := c.pachdText(values, secret)
	if err != nil {
		return err
	}
	if *c.proxyHost != "" {
		c.redirectWarnings(values, secret)
	}
	return c.print(text, ci)
}

// parse defines and parses the flags of pachidp render, and checks them.
func (c *renderCmd) parse(args []string) error {
	e := c.e
	fs := e.newFlags(renderUsage)
	c.files = fs.valuesFiles()
	c.secretPath = fs.secretManifest()
	c.target = fs.chartVersion()
	c.proxyHost = fs.String("proxy-host", "", "Pachyderm's `host`[:port]: also compare each redirect URI with https://HOST/dex/callback")
	c.output = fs.String("o", "text", "output `format`: text or json (secrets hidden)")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if c.target.IsUpstreamDex() {
		return e.usageError("--chart-version %s: upstream Dex has no chart; render prints what a Pachyderm chart renders (pachidp dex prints a Dex config's connectors)", c.target.Name())
	}
	format, err := e.outputFormat(*c.output)
	if err != nil {
		return err
	}
	c.format = format
	return e.checkProxyHost(*c.proxyHost)
}

// finish writes the -o json object, and returns err.
func (c *renderCmd) finish(err error) error {
	if c.format == "json" {
		if werr := c.e.writeJSON(c.out); werr != nil {
			c.e.printError(err) // said before the write's error, as ever
			return werr
		}
	}
	return err
}

// report prints a finding, and adds it to the -o json object.
func (c *renderCmd) report(file string, f pachidp.Finding) {
	c.e.finding(file, f)
	c.out.Findings = append(c.out.Findings, newJSONFinding(file, f))
}

// pachdText returns the text pachd receives, once checked as pachd decodes
// it: errors stop the command.
func (c *renderCmd) pachdText(values *pachidp.Document, secret *pachidp.UpstreamIDPsSecret) ([]byte, error) {
	e, set := c.e, c.set
	text, findings, err := values.PachdUpstreamIDPs(secret)
	if errors.Is(err, pachidp.ErrSecretNotGiven) {
		name, file, pos, _ := set.lookup("oidc.upstreamIDPsSecretName")
		return nil, e.failf(exitUsage, "%s", needSecret(file, pos, fmt.Sprint(name)))
	}
	if err != nil {
		return nil, e.failf(exitUsage, "%s", describe(set.name, err))
	}
	for _, f := range findings {
		file := set.name
		if strings.HasPrefix(f.Path, pachidp.UpstreamIDPsSecretKey) {
			// Lines of the key's text, not of the manifest.
			file, f.Pos = displayName(*c.secretPath), pachidp.Position{}
		} else {
			file, f = set.locate(f)
		}
		c.report(file, f)
	}
	if errs := findings.Errors(); len(errs) > 0 {
		return nil, c.finish(e.failf(exitFindings, "pachd would refuse this (%d error%s): nothing printed", len(errs), plural(len(errs))))
	}
	return text, nil
}

// redirectWarnings compares each entry's redirect URI with --proxy-host's
// callback: warnings (pachd takes the text, logins fail).
func (c *renderCmd) redirectWarnings(values *pachidp.Document, secret *pachidp.UpstreamIDPsSecret) {
	set := c.set
	idps, src := []pachidp.UpstreamIDP(nil), source{file: set.name, base: "oidc.upstreamIDPs"}
	if secret != nil && secretName(values) != "" {
		idps, _ = secret.UpstreamIDPs()
		src = source{file: displayName(*c.secretPath), fromSecret: true, base: "upstream-idps"}
	} else if set.layered() {
		var from pachidp.Origin
		idps, from, _ = set.layers.UpstreamIDPs()
		src.file = from.Name
	} else {
		idps, _ = values.UpstreamIDPs()
	}
	for _, f := range c.e.redirectFindings(set, idps, src, *c.proxyHost, *c.target) {
		f.Finding.Severity = pachidp.SeverityWarning
		c.report(f.file, f.Finding)
	}
}

// print prints the text the chart passes to pachd (or, -o json, the
// object), with a note when it passes none.
func (c *renderCmd) print(text []byte, ci *pachidp.ChartIdentity) error {
	e, set := c.e, c.set
	if text == nil {
		e.notef("%s: the chart renders no upstream IdPs", set.name)
		return c.finish(nil)
	}
	if !ci.UserSecret && ci.Text != nil {
		// The chart's own text: for 2.0-2.2 the bootstrap Secret's idps.
		text = ci.Text
	}
	if !ci.Connectors {
		e.notef("%s: chart %s does not pass these to pachd (no enterprise license: set pachd.enterpriseLicenseKeySecretName)", set.name, c.target.Name())
	}
	if c.format == "json" {
		redacted := string(pachidp.RedactText(text))
		c.out.Text, c.out.Rendered, c.out.Connectors = &redacted, true, ci.Connectors
		return c.finish(nil)
	}
	if _, err := e.stdout.Write(text); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

// renderJSON is what render -o json prints.
type renderJSON struct {
	Text       *string       `json:"text"`
	Rendered   bool          `json:"rendered"`
	Connectors bool          `json:"connectors"`
	Findings   []jsonFinding `json:"findings"`
}

// checkProxyHost checks --proxy-host.
func (e *env) checkProxyHost(h string) error {
	if h == "" {
		return nil
	}
	if _, err := (pachidp.ValidateOptions{ProxyHost: h}).Callback(); err != nil {
		return e.usageError("--proxy-host: %s", optionMessage(err))
	}
	return nil
}

// locatedFinding is a finding with the file it names.
type locatedFinding struct {
	file string
	pachidp.Finding
}

// redirectFindings compares the redirect URI of each entry with Dex's
// callback at proxyHost (validate's redirect-uri-* rules), and locates the
// findings: in the file that sets the list, or, for entries of a Secret
// manifest (src.fromSecret), in the manifest without lines.
func (e *env) redirectFindings(set *valueSet, idps []pachidp.UpstreamIDP, src source, proxyHost string, t pachidp.Target) []locatedFinding {
	var out []locatedFinding
	for _, f := range pachidp.Validate(idps, pachidp.ValidateOptions{Target: t, ProxyHost: proxyHost, Path: src.base}) {
		if !strings.HasPrefix(string(f.Rule), "redirect-uri-") {
			continue
		}
		if src.fromSecret {
			f.Pos = pachidp.Position{}
			out = append(out, locatedFinding{src.file, f})
			continue
		}
		out = append(out, locatedFinding{src.file, f})
	}
	return out
}

const checkUsage = `usage: pachidp check -f FILE... [--ca-file F] [--timeout D] [--secret MANIFEST] [--chart-version V] [--proxy-host H] [-o text|json]

Checks online, before a cluster starts, that each oidc entry works with its
provider the way Dex will use it: the discovery document answers, its issuer
equals config.issuer byte for byte, the provider offers the
authorization_code grant, and upstream Dex's oidc connector opens the entry.
Entries of other types are skipped. The chart's errors for the values
(validate's prerequisites for --chart-version) are noted on standard error
first; with --proxy-host, so are the redirect URIs that are not
https://HOST/dex/callback. Prints each entry's checks on standard
output; exit status 1 when a check failed.

Repeated -f flags are one layered set, merged as helm -f merges them:
findings and checks name the file and line that set the value. -o json
prints one object: results (per entry: index, path, file, id, type, issuer
and checks, each with name, status, path, line, column and message),
findings (the notes above, objects with file, line, column, path, rule,
severity and message) and failed (the number of failed checks).

Example:
  pachidp check -f values.yaml --timeout 5s
`

// checkJSON is what check -o json prints.
type checkJSON struct {
	Results  []checkResultJSON `json:"results"`
	Findings []jsonFinding     `json:"findings"`
	Failed   int               `json:"failed"`
}

type checkResultJSON struct {
	Index  int             `json:"index"`
	Path   string          `json:"path"`
	File   string          `json:"file"`
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Issuer string          `json:"issuer"`
	Checks []checkItemJSON `json:"checks"`
}

type checkItemJSON struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// checkFlags are the flags of pachidp check.
type checkFlags struct {
	files                     *stringList
	caFile, secret, proxyHost *string
	output                    *string
	timeout                   *time.Duration
	target                    *pachidp.Target
	format                    string
}

func runCheck(e *env, args []string) error {
	var f checkFlags
	if err := e.parseCheck(&f, args); err != nil {
		return err
	}
	opts := preflight.Options{Timeout: *f.timeout}
	if *f.caFile != "" {
		data, err := e.readInput(*f.caFile, "--ca-file")
		if err != nil {
			return err
		}
		opts.RootCAs = data
	}
	set, err := e.openSet(*f.files)
	if err != nil {
		return err
	}
	idps, src, err := e.entries(set, *f.secret)
	if err != nil {
		return err
	}
	if len(idps) == 0 {
		return e.failf(exitFindings, "%s: no entries to check", src.file)
	}
	opts.Path = src.base
	out := checkJSON{Results: []checkResultJSON{}, Findings: []jsonFinding{}}
	e.checkChart(&f, set, idps, src, &out)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	results := preflight.Run(ctx, idps, opts)
	failed := e.printPreflight(results, src, f.format, &out)
	if f.format == "json" {
		if err := e.writeJSON(out); err != nil {
			return err
		}
	}
	elapsed := time.Since(start).Round(10 * time.Millisecond)
	if failed > 0 {
		return e.failf(exitFindings, "%d check%s failed (%s, %v)", failed, plural(failed), countEntries(len(results)), elapsed)
	}
	e.notef("all checks passed (%s, %v)", countEntries(len(results)), elapsed)
	return nil
}

// parseCheck defines and parses the flags of pachidp check, and checks
// them.
func (e *env) parseCheck(f *checkFlags, args []string) error {
	fs := e.newFlags(checkUsage)
	f.files = fs.valuesFiles()
	f.caFile = fs.String("ca-file", "", "PEM `FILE` of CA certificates to trust besides the system's (a private CA)")
	f.timeout = fs.Duration("timeout", preflightTimeout, "time allowed for each entry's checks (`duration`, such as 5s)")
	f.secret = fs.secretManifest()
	f.target = fs.chartVersion()
	f.proxyHost = fs.String("proxy-host", "", "Pachyderm's `host`[:port]: also compare each redirect URI with https://HOST/dex/callback")
	f.output = fs.String("o", "text", "output `format`: text or json")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *f.timeout <= 0 {
		return e.usageError("--timeout %v: pass a positive duration such as 10s", *f.timeout)
	}
	format, err := e.outputFormat(*f.output)
	if err != nil {
		return err
	}
	f.format = format
	return e.checkProxyHost(*f.proxyHost)
}

// checkChart prints what the chart does with the entries, before the
// providers are asked: the errors of its prerequisites, and with
// --proxy-host the redirect URIs that do not name it.
func (e *env) checkChart(f *checkFlags, set *valueSet, idps []pachidp.UpstreamIDP, src source, out *checkJSON) {
	if !f.target.IsUpstreamDex() {
		// The chart's keys: ValidateValues' findings outside the entries,
		// which the providers' answers speak for below.
		var chart pachidp.Findings
		r, err := pachidp.ValidateValues(set.values(), pachidp.ValidateValuesOptions{Target: *f.target})
		if err != nil {
			e.notef("warning: the chart's keys were not checked: %s", describe(set.name, err))
		} else {
			chart = r.Findings
		}
		for _, fd := range chart {
			if fd.Severity == pachidp.SeverityError && !strings.HasPrefix(fd.Path, "oidc.upstreamIDPs[") {
				file, lf := set.locate(fd)
				e.finding(file, lf)
				out.Findings = append(out.Findings, newJSONFinding(file, lf))
			}
		}
	}
	if *f.proxyHost != "" {
		for _, fd := range e.redirectFindings(set, idps, src, *f.proxyHost, *f.target) {
			e.finding(fd.file, fd.Finding)
			out.Findings = append(out.Findings, newJSONFinding(fd.file, fd.Finding))
		}
	}
}

// printPreflight prints the results of the checks (text), adds them to
// out, and returns the number that failed.
func (e *env) printPreflight(results []preflight.Result, src source, format string, out *checkJSON) int {
	failed := 0
	for _, r := range results {
		head := fmt.Sprintf("%s %s (%s)", r.Path, orDash(r.ID), orDash(r.Type))
		if r.Issuer != "" {
			head += " " + r.Issuer
		}
		if format == "text" {
			fmt.Fprintln(e.stdout, head)
		}
		jr := checkResultJSON{Index: r.Index, Path: r.Path, File: src.file, ID: r.ID, Type: r.Type, Issuer: r.Issuer, Checks: []checkItemJSON{}}
		for _, c := range r.Checks {
			if c.Status == preflight.CheckFailed {
				failed++
			}
			p := c.Pos
			if src.fromSecret {
				p = pachidp.Position{}
			}
			if format == "text" {
				fmt.Fprintf(e.stdout, "  %-7s %-11s %s\n", c.Status, c.Name, located(src.file, p, c.Path, c.Message))
			}
			jr.Checks = append(jr.Checks, checkItemJSON{Name: c.Name, Status: c.Status.String(), Path: c.Path, Line: p.Line, Column: p.Column, Message: c.Message})
		}
		out.Results = append(out.Results, jr)
	}
	out.Failed = failed
	return failed
}

// preflightTimeout is the default of preflight's --timeout: preflight.Run's own
// default (preflight.Options.Timeout 0), written out for the flag's help.
const preflightTimeout = 10 * time.Second
