package main

import (
	"bytes"
	"context"
	"encoding/json"
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
func (e *env) outputFormat(o string) (string, int, bool) {
	switch o {
	case "", "text", "table":
		return "text", 0, true
	case "json":
		return "json", 0, true
	}
	return "", e.usageError("-o %q: pass text or json", o), false
}

func (e *env) writeJSON(v any) int {
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
	return exitOK
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

func runList(e *env, args []string) int {
	fs := e.newFlags(listUsage)
	files := fs.valuesFiles()
	output := fs.String("o", "text", "output `format`: text or json")
	secret := fs.secretManifest()
	if code, ok := e.parseFlags(fs, args); !ok {
		return code
	}
	format, code, ok := e.outputFormat(*output)
	if !ok {
		return code
	}
	set, code, ok := e.openSet(*files)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(set, *secret)
	if !ok {
		return code
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
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tNAME\tISSUER")
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", orDash(it.ID), orDash(it.Type), orDash(it.Name), orDash(it.Issuer))
	}
	if err := tw.Flush(); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return exitOK
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

func runDex(e *env, args []string) int {
	fs := e.newFlags(dexUsage)
	files := fs.valuesFiles()
	secret := fs.secretManifest()
	output := fs.String("o", "yaml", "output `format`: yaml or json (secrets hidden)")
	if code, ok := e.parseFlags(fs, args); !ok {
		return code
	}
	asJSON, code, ok := e.yamlOrJSON(*output)
	if !ok {
		return code
	}
	set, code, ok := e.openSet(*files)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(set, *secret)
	if !ok {
		return code
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
	return exitOK
}

// yamlOrJSON checks -o of a command that prints YAML by default.
func (e *env) yamlOrJSON(o string) (bool, int, bool) {
	switch o {
	case "", "yaml", "text":
		return false, 0, true
	case "json":
		return true, 0, true
	}
	return false, e.usageError("-o %q: pass yaml or json", o), false
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

func runRender(e *env, args []string) int {
	fs := e.newFlags(renderUsage)
	files := fs.valuesFiles()
	secretPath := fs.secretManifest()
	target := fs.chartVersion()
	proxyHost := fs.String("proxy-host", "", "Pachyderm's `host`[:port]: also compare each redirect URI with https://HOST/dex/callback")
	output := fs.String("o", "text", "output `format`: text or json (secrets hidden)")
	if code, ok := e.parseFlags(fs, args); !ok {
		return code
	}
	if target.IsUpstreamDex() {
		return e.usageError("--chart-version %s: upstream Dex has no chart; render prints what a Pachyderm chart renders (pachidp dex prints a Dex config's connectors)", target.Name())
	}
	format, code, ok := e.outputFormat(*output)
	if !ok {
		return code
	}
	if code, ok := e.checkProxyHost(*proxyHost); !ok {
		return code
	}
	set, code, ok := e.openSet(*files)
	if !ok {
		return code
	}
	out := renderJSON{Findings: []jsonFinding{}}
	finish := func(code int) int {
		if format == "json" {
			if c := e.writeJSON(out); c != exitOK {
				return c
			}
		}
		return code
	}
	report := func(file string, f pachidp.Finding) {
		e.finding(file, f)
		out.Findings = append(out.Findings, newJSONFinding(file, f))
	}
	values := set.values()
	ci, err := values.ChartIdentity(*target)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(set.name, err))
	}
	for _, re := range ci.RenderErrors {
		report(set.locate(pachidp.Finding{Path: re.Path, Pos: re.Pos, Rule: "chart-refuses", Severity: pachidp.SeverityError,
			Message: fmt.Sprintf("chart %s refuses to render: %q; %s", re.Version, re.Chart, re.Msg)}))
	}
	if len(ci.RenderErrors) > 0 {
		return finish(e.failf(exitFindings, "helm install would fail: nothing printed"))
	}
	var secret *pachidp.UpstreamIDPsSecret
	if *secretPath != "" {
		if secret, code, ok = e.readSecret(*secretPath); !ok {
			return code
		}
	}
	text, findings, err := values.PachdUpstreamIDPs(secret)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(set.name, err))
	}
	for _, f := range findings {
		file := set.name
		if strings.HasPrefix(f.Path, pachidp.UpstreamIDPsSecretKey) {
			// Lines of the key's text, not of the manifest.
			file, f.Pos = displayName(*secretPath), pachidp.Position{}
		} else {
			file, f = set.locate(f)
		}
		report(file, f)
	}
	if errs := findings.Errors(); len(errs) > 0 {
		return finish(e.failf(exitFindings, "pachd would refuse this (%d error%s): nothing printed", len(errs), plural(len(errs))))
	}
	if *proxyHost != "" {
		idps, src := []pachidp.UpstreamIDP(nil), source{file: set.name, base: "oidc.upstreamIDPs"}
		if secret != nil && secretName(values) != "" {
			idps, _ = secret.UpstreamIDPs()
			src = source{file: displayName(*secretPath), fromSecret: true, base: "upstream-idps"}
		} else if set.layered() {
			var from pachidp.Origin
			idps, from, _ = set.layers.UpstreamIDPs()
			src.file = from.Name
		} else {
			idps, _ = values.UpstreamIDPs()
		}
		for _, f := range e.redirectFindings(set, idps, src, *proxyHost, *target) {
			f.Finding.Severity = pachidp.SeverityWarning
			report(f.file, f.Finding)
		}
	}
	if text == nil {
		e.notef("%s: the chart renders no upstream IdPs", set.name)
		return finish(exitOK)
	}
	if !ci.UserSecret && ci.Text != nil {
		// The chart's own text: for 2.0-2.2 the bootstrap Secret's idps.
		text = ci.Text
	}
	if !ci.Connectors {
		e.notef("%s: chart %s does not pass these to pachd (no enterprise license: set pachd.enterpriseLicenseKeySecretName)", set.name, target.Name())
	}
	if format == "json" {
		redacted := string(pachidp.RedactText(text))
		out.Text, out.Rendered, out.Connectors = &redacted, true, ci.Connectors
		return finish(exitOK)
	}
	if _, err := e.stdout.Write(text); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return exitOK
}

// renderJSON is what render -o json prints.
type renderJSON struct {
	Text       *string       `json:"text"`
	Rendered   bool          `json:"rendered"`
	Connectors bool          `json:"connectors"`
	Findings   []jsonFinding `json:"findings"`
}

// checkProxyHost checks --proxy-host.
func (e *env) checkProxyHost(h string) (int, bool) {
	if h == "" {
		return 0, true
	}
	if _, err := pachidp.RedirectURI(h); err != nil {
		return e.usageError("--proxy-host: %s", presetMessage(err)), false
	}
	return 0, true
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
		if !strings.HasPrefix(f.Rule, "redirect-uri-") {
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

func runCheck(e *env, args []string) int {
	fs := e.newFlags(checkUsage)
	files := fs.valuesFiles()
	caFile := fs.String("ca-file", "", "PEM `FILE` of CA certificates to trust besides the system's (a private CA)")
	timeout := fs.Duration("timeout", preflightTimeout, "time allowed for each entry's checks (`duration`, such as 5s)")
	secret := fs.secretManifest()
	target := fs.chartVersion()
	proxyHost := fs.String("proxy-host", "", "Pachyderm's `host`[:port]: also compare each redirect URI with https://HOST/dex/callback")
	output := fs.String("o", "text", "output `format`: text or json")
	if code, ok := e.parseFlags(fs, args); !ok {
		return code
	}
	if *timeout <= 0 {
		return e.usageError("--timeout %v: pass a positive duration such as 10s", *timeout)
	}
	format, code, ok := e.outputFormat(*output)
	if !ok {
		return code
	}
	if code, ok := e.checkProxyHost(*proxyHost); !ok {
		return code
	}
	opts := preflight.Options{Timeout: *timeout}
	if *caFile != "" {
		data, code, ok := e.readInput(*caFile, "--ca-file")
		if !ok {
			return code
		}
		opts.RootCAs = data
	}
	set, code, ok := e.openSet(*files)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(set, *secret)
	if !ok {
		return code
	}
	if len(idps) == 0 {
		return e.failf(exitFindings, "%s: no entries to check", src.file)
	}
	opts.Path = src.base
	out := checkJSON{Results: []checkResultJSON{}, Findings: []jsonFinding{}}
	// What the chart does with the entries, before asking the providers.
	if !target.IsUpstreamDex() {
		for _, f := range pachidp.CheckPrerequisites(set.values(), pachidp.PrerequisiteOptions{Target: *target}) {
			if f.Severity == pachidp.SeverityError {
				file, lf := set.locate(f)
				e.finding(file, lf)
				out.Findings = append(out.Findings, newJSONFinding(file, lf))
			}
		}
	}
	if *proxyHost != "" {
		for _, f := range e.redirectFindings(set, idps, src, *proxyHost, *target) {
			e.finding(f.file, f.Finding)
			out.Findings = append(out.Findings, newJSONFinding(f.file, f.Finding))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	results := preflight.Run(ctx, idps, opts)
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
	if format == "json" {
		if code := e.writeJSON(out); code != exitOK {
			return code
		}
	}
	elapsed := time.Since(start).Round(10 * time.Millisecond)
	if failed > 0 {
		return e.failf(exitFindings, "%d check%s failed (%s, %v)", failed, plural(failed), countEntries(len(results)), elapsed)
	}
	e.notef("all checks passed (%s, %v)", countEntries(len(results)), elapsed)
	return exitOK
}

// preflightTimeout is the default of preflight's --timeout: preflight.Run's own
// default (preflight.Options.Timeout 0), written out for the flag's help.
const preflightTimeout = 10 * time.Second
