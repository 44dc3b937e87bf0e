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

const listUsage = `usage: pachidp list -f FILE [-o text|json] [--secret MANIFEST]

Lists the entries: id, type, name and issuer, never a secret. When the values
keep the entries in a Secret (oidc.upstreamIDPsSecretName), pass its
manifest with --secret. -o json prints an array of objects with the keys id,
type, name, issuer, path, line and column (line and column are 0 when the
entry comes from a Secret); it holds no config and no secret.

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
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func runList(e *env, args []string) int {
	fs := e.newFlags(listUsage)
	file := fs.valuesFile()
	output := fs.String("o", "text", "output `format`: text or json")
	secret := fs.secretManifest()
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	format, code, ok := e.outputFormat(*output)
	if !ok {
		return code
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(vf, *secret)
	if !ok {
		return code
	}
	items := make([]listItem, 0, len(idps))
	for i, d := range idps {
		it := listItem{ID: d.ID, Type: d.Type, Name: d.Name, Path: fmt.Sprintf("%s[%d]", src.base, i)}
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

const dexUsage = `usage: pachidp dex -f FILE [--secret MANIFEST]

Prints the entries as the connectors: list of a Dex config file, for a
standalone Dex or to compare with one. What Dex's connectors cannot hold
(configVersion, keys only Pachyderm's Dex fork reads, unknown keys) is left
out and printed as a warning with its place. The output holds the client
secrets.

Example:
  pachidp dex -f values.yaml > connectors.yaml
`

func runDex(e *env, args []string) int {
	fs := e.newFlags(dexUsage)
	file := fs.valuesFile()
	secret := fs.secretManifest()
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(vf, *secret)
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
	for _, l := range losses {
		e.notef("%s", located(src.file, l.Pos, "warning: "+src.base+l.Path, l.Reason))
	}
	if _, err := e.stdout.Write(out); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return exitOK
}

const renderUsage = `usage: pachidp render -f FILE [--secret MANIFEST] [--chart-version V]

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

Example:
  pachidp render -f values.yaml --secret upstream-idps-secret.yaml
`

func runRender(e *env, args []string) int {
	fs := e.newFlags(renderUsage)
	file := fs.valuesFile()
	secretPath := fs.secretManifest()
	target := fs.chartVersion()
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	if target.IsUpstreamDex() {
		return e.usageError("--chart-version %s: upstream Dex has no chart; render prints what a Pachyderm chart renders (pachidp dex prints a Dex config's connectors)", target.Name())
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	ci, err := vf.v.ChartIdentity(*target)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	for _, re := range ci.RenderErrors {
		fmt.Fprintln(e.stderr, formatFinding(vf.name, pachidp.Finding{Path: re.Path, Pos: re.Pos, Rule: "chart-refuses", Severity: pachidp.SeverityError,
			Message: fmt.Sprintf("chart %s refuses to render: %q; %s", re.Version, re.Chart, re.Fix)}))
	}
	if len(ci.RenderErrors) > 0 {
		return e.failf(exitFindings, "helm install would fail: nothing printed")
	}
	var secret *pachidp.UpstreamIDPsSecret
	if *secretPath != "" {
		if secret, code, ok = e.readSecret(*secretPath); !ok {
			return code
		}
	}
	text, findings, err := vf.v.PachdUpstreamIDPs(secret)
	if err != nil {
		return e.failf(exitUsage, "%s", describe(vf.name, err))
	}
	for _, f := range findings {
		file := vf.name
		if strings.HasPrefix(f.Path, pachidp.UpstreamIDPsSecretKey) {
			// Lines of the key's text, not of the manifest.
			file, f.Pos = displayName(*secretPath), pachidp.Position{}
		}
		fmt.Fprintln(e.stderr, formatFinding(file, f))
	}
	if errs := findings.Errors(); len(errs) > 0 {
		return e.failf(exitFindings, "pachd would refuse this (%d error%s): nothing printed", len(errs), plural(len(errs)))
	}
	if text == nil {
		e.notef("%s: the chart renders no upstream IdPs", vf.name)
		return exitOK
	}
	if !ci.UserSecret && ci.Text != nil {
		// The chart's own text: for 2.0-2.2 the bootstrap Secret's idps.
		text = ci.Text
	}
	if !ci.Connectors {
		e.notef("%s: chart %s does not pass these to pachd (no enterprise license: set pachd.enterpriseLicenseKeySecretName)", vf.name, target.Name())
	}
	if _, err := e.stdout.Write(text); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return exitOK
}

const checkUsage = `usage: pachidp check -f FILE [--ca-file F] [--timeout D] [--secret MANIFEST] [--chart-version V]

Checks online, before a cluster starts, that each oidc entry works with its
provider the way Dex will use it: the discovery document answers, its issuer
equals config.issuer byte for byte, the provider offers the
authorization_code grant, and upstream Dex's oidc connector opens the entry.
Entries of other types are skipped. The chart's errors for the values
(validate's prerequisites for --chart-version) are noted on standard error
first. Prints each entry's checks on standard
output; exit status 1 when a check failed.

Example:
  pachidp check -f values.yaml --timeout 5s
`

func runCheck(e *env, args []string) int {
	fs := e.newFlags(checkUsage)
	file := fs.valuesFile()
	caFile := fs.String("ca-file", "", "PEM `FILE` of CA certificates to trust besides the system's (a private CA)")
	timeout := fs.Duration("timeout", preflightTimeout, "time allowed for each entry's checks (`duration`, such as 5s)")
	secret := fs.secretManifest()
	target := fs.chartVersion()
	rest, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	if *timeout <= 0 {
		return e.usageError("--timeout %v: pass a positive duration such as 10s", *timeout)
	}
	opts := pachidp.PreflightOptions{Timeout: *timeout}
	if *caFile != "" {
		data, code, ok := e.readInput(*caFile, "--ca-file")
		if !ok {
			return code
		}
		opts.RootCAs = data
	}
	vf, code, ok := e.openValues(*file)
	if !ok {
		return code
	}
	idps, src, code, ok := e.entries(vf, *secret)
	if !ok {
		return code
	}
	if len(idps) == 0 {
		return e.failf(exitFindings, "%s: no entries to check", src.file)
	}
	opts.Path = src.base
	// What the chart does with the entries, before asking the providers.
	if !target.IsUpstreamDex() {
		for _, f := range pachidp.CheckPrerequisites(vf.v, pachidp.PrerequisiteOptions{Target: *target}) {
			if f.Severity == pachidp.SeverityError {
				e.notef("%s", formatFinding(vf.name, f))
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	results := pachidp.Preflight(ctx, idps, opts)
	failed := 0
	for _, r := range results {
		head := fmt.Sprintf("%s %s (%s)", r.Path, orDash(r.ID), orDash(r.Type))
		if r.Issuer != "" {
			head += " " + r.Issuer
		}
		fmt.Fprintln(e.stdout, head)
		for _, c := range r.Checks {
			if c.Status == pachidp.CheckFailed {
				failed++
			}
			p := c.Pos
			if src.fromSecret {
				p = pachidp.Position{}
			}
			fmt.Fprintf(e.stdout, "  %-7s %-11s %s\n", c.Status, c.Name, located(src.file, p, c.Path, c.Message))
		}
	}
	elapsed := time.Since(start).Round(10 * time.Millisecond)
	if failed > 0 {
		return e.failf(exitFindings, "%d check%s failed (%s, %v)", failed, plural(failed), countEntries(len(results)), elapsed)
	}
	e.notef("all checks passed (%s, %v)", countEntries(len(results)), elapsed)
	return exitOK
}

// validateIssuer is the Dex issuer the entries' redirect URIs are validated
// against (ValidateOptions.DexIssuer): the chart's own (DexIssuer) when
// oidc.issuerURI sets it, as written; when the chart infers it from a host,
// its https form (an http issuer is the tls-disabled prerequisite, and once
// TLS is on the redirect URI must be the https callback); "" when the chart
// renders none a browser reaches (no host, a host with a scheme: the
// prerequisites say so) or refuses to render.
func validateIssuer(v *pachidp.Document, t pachidp.Target) string {
	if t.IsUpstreamDex() {
		return ""
	}
	issuer, from, err := v.DexIssuer(t)
	if err != nil {
		return ""
	}
	switch from {
	case "oidc.issuerURI":
		return issuer
	case "proxy.host", "ingress.host":
		if rest, found := strings.CutPrefix(issuer, "http://"); found {
			issuer = "https://" + rest
		}
		if strings.Count(issuer, "://") != 1 {
			return ""
		}
		return issuer
	}
	return ""
}

// preflightTimeout is the default of preflight's --timeout: Preflight's own
// default (PreflightOptions.Timeout 0), written out for the flag's help.
const preflightTimeout = 10 * time.Second
