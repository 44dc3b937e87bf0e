package pachidp

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// prerequisites checks the whole values document for what the target's
// chart needs before any upstream IdP can log in (the guide's prerequisites
// and the chart's rules for oidc): ValidateValues's check of the chart's
// keys, whose rules its doc lists. It speaks only for what the real chart of
// that release does (ChartIdentity models it; the conformance module proves
// the model against the chart rendered by Helm): no TLS or host finding when
// oidc.issuerURI is set (the chart renders exactly that issuer) or when no
// upstream IdP is in use, "refuses to render" only where the chart fails.
//
// The values are read as given: keys absent from the document are taken at
// the chart's defaults (proxy.enabled true from 2.5 on, oidc.mockIDP true,
// everything else off or empty). The upstream Dex target has no chart: it
// gets no findings. Findings carry the path of the key to change
// ("proxy.tls.enabled") and its position, or the position of its closest
// present parent when the key is absent. A nil *Document has none.
func prerequisites(v *Document, target Target) Findings {
	if target.IsUpstreamDex() || v.ready() != nil {
		return nil
	}
	c := prereqCheck{v: v, chart: target.rl().chart, target: target}
	c.fs = append(c.fs, lookalikeFindings(v)...)
	for _, p := range []string{"proxy.enabled", "proxy.tls.enabled", "ingress.enabled", "ingress.tls.enabled", "ingress.uriHttpsProtoOverride"} {
		c.flag(p, false) // not-a-bool and wrong-type
	}
	for _, p := range []string{"proxy.host", "ingress.host", "oidc.issuerURI", "pachd.enterpriseLicenseKey", "pachd.enterpriseLicenseKeySecretName"} {
		c.text(p)
	}
	for _, f := range mockIDPFindings(v) {
		if f.Rule == RuleNoUpstreamIDPs && c.chart.bootstrap {
			continue // charts 2.0-2.2 refuse to render instead (below)
		}
		c.fs = append(c.fs, f)
	}
	ci, err := v.ChartIdentity(target)
	if err != nil {
		return c.fs // a wrongly shaped document: mockIDPFindings reported it
	}
	c.ci = ci
	c.refusal()
	c.hostScheme()
	c.issuer()
	c.tlsSecret()
	c.license()
	sortFindings(c.fs)
	return c.fs
}

type prereqCheck struct {
	v      *Document
	fs     Findings
	chart  chartRules
	target Target
	ci     *ChartIdentity
}

// upstreamInUse reports whether the chart renders upstream IdPs (entries or
// a Secret name), not the mock IdP nor nothing.
func (c *prereqCheck) upstreamInUse() bool {
	list, _, _ := c.v.idpList()
	name, _ := chartValues{c.v}.raw("oidc.upstreamIDPsSecretName", nil).(string)
	return len(list) > 0 || name != ""
}

func (c *prereqCheck) add(path string, pos Position, rule Rule, sev Severity, msg string) {
	c.fs = append(c.fs, Finding{Path: path, Pos: pos, Rule: rule, Severity: sev, Message: msg})
}

// at returns the position of path, or of its closest present parent.
func (v *Document) at(path string) Position {
	for p := path; p != ""; {
		if _, pos, ok := v.Lookup(p); ok && pos.IsValid() {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return Position{}
}

// flag reads a boolean key as Helm's templates test it: absent and null are
// def, a string is true when not empty (with a not-a-bool warning), a number
// when not zero.
func (c *prereqCheck) flag(path string, def bool) bool {
	return helmFlag(c.v, path, def, &c.fs)
}

func helmFlag(v *Document, path string, def bool, fs *Findings) bool {
	val, pos, ok := v.Lookup(path)
	if !ok || val == nil {
		return def
	}
	switch x := val.(type) {
	case bool:
		return x
	case string:
		*fs = append(*fs, Finding{Path: path, Pos: pos, Rule: RuleNotABool, Severity: SeverityWarning,
			Message: fmt.Sprintf("is a string, and Helm's templates take every non-empty string as true (here: %t): write true or false without quotes", x != "")})
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	*fs = append(*fs, Finding{Path: path, Pos: pos, Rule: RuleWrongType, Severity: SeverityError,
		Message: fmt.Sprintf("must be true or false, got %s", typeName(val))})
	return true
}

// text reads a string key; absent and null are "". Values that are not
// strings are reported.
func (c *prereqCheck) text(path string) string {
	val, pos, ok := c.v.Lookup(path)
	if !ok || val == nil {
		return ""
	}
	s, isString := val.(string)
	if !isString {
		c.add(path, pos, RuleWrongType, SeverityError, fmt.Sprintf("must be a string, got %s: quote it", typeName(val)))
		return ""
	}
	return s
}

// refusal reports the chart's refusal to render.
func (c *prereqCheck) refusal() {
	for _, e := range c.ci.RenderErrors {
		rule := map[string]Rule{"oidc.issuerURI": RuleIssuerURIDexSuffix, "ingress.host": RuleIngressHostMissing, "oidc.upstreamIDPs": RuleNoUpstreamIDPs}[e.Path]
		c.add(e.Path, e.Pos, rule, SeverityError, fmt.Sprintf("chart %s refuses to render: %q; %s", c.target.Name(), e.Chart, e.Msg))
	}
}

func (c *prereqCheck) hostScheme() {
	for _, p := range []string{"proxy.host", "ingress.host"} {
		h, _, _ := c.v.Lookup(p)
		s, _ := h.(string)
		scheme, rest, found := strings.Cut(s, "://")
		if !found {
			continue
		}
		if p == "proxy.host" && !c.chart.proxy {
			continue // proxy-unsupported says it
		}
		fix := strings.TrimSuffix(rest, "/")
		c.add(p, c.v.at(p), RuleHostScheme, SeverityError,
			fmt.Sprintf("%q carries the scheme %s://: write %q", s, scheme, fix))
	}
	if !c.chart.proxy {
		if p, _, ok := c.v.Lookup("proxy"); ok && isNonEmptyMap(p) {
			c.add("proxy", c.v.at("proxy"), RuleProxyUnsupported, SeverityWarning,
				fmt.Sprintf("chart %s has no proxy: proxy.* is ignored", c.target.Name()))
		}
	}
}

// issuer checks that Dex's issuer, when the chart infers it, is one a
// browser reaches over https.
func (c *prereqCheck) issuer() {
	ci := c.ci
	if len(ci.RenderErrors) > 0 || !c.upstreamInUse() || ci.IssuerFrom == "oidc.issuerURI" {
		return
	}
	switch ci.IssuerFrom {
	case "proxy.enabled", "pachd.service.type":
		msg := fmt.Sprintf("no host: Dex's issuer is %q; ", ci.Issuer)
		switch {
		case !c.chart.proxy:
			msg += "set ingress.host or oidc.issuerURI"
		case !c.chart.issuerFromProxyHost && c.text("proxy.host") != "":
			msg += fmt.Sprintf("set oidc.issuerURI: %q", "https://"+c.text("proxy.host")+"/dex")
		case c.chart.issuerFromProxyHost:
			msg += "set proxy.host (proxy.enabled) or oidc.issuerURI"
		default:
			msg += "set oidc.issuerURI: https://<host>/dex, or ingress.host"
		}
		path := "proxy.host"
		if !c.chart.proxy {
			path = "ingress.host"
		}
		c.add(path, c.v.at(path), RuleHostMissing, SeverityError, msg)
		return
	}
	if strings.HasPrefix(ci.Issuer, "http://") {
		fix := "set it to true, with proxy.tls.secretName"
		if !c.chart.proxy {
			fix = "set it to true (or ingress.uriHttpsProtoOverride)"
		}
		path := "proxy.tls.enabled"
		if !c.chart.proxy {
			path = "ingress.tls.enabled"
		}
		c.add(path, c.v.at(path), RuleTLSDisabled, SeverityError,
			fmt.Sprintf("TLS off, so Dex's issuer is %q: %s", ci.Issuer, fix))
	}
	if ci.IssuerFrom == "ingress.host" && c.chart.proxy {
		proxy := strings.TrimSpace(c.text("proxy.host"))
		ingress := c.text("ingress.host")
		if proxy != "" && !strings.EqualFold(proxy, ingress) {
			c.add("proxy.host", c.v.at("proxy.host"), RuleHostMismatch, SeverityWarning,
				fmt.Sprintf("differs from ingress.host %q, which Dex's issuer uses: make them equal", ingress))
		}
	}
}

func (c *prereqCheck) tlsSecret() {
	if !c.chart.proxy || !truthy(chartValues{c.v}.raw("proxy.tls.enabled", false)) {
		return
	}
	if strings.TrimSpace(c.text("proxy.tls.secretName")) != "" {
		return
	}
	if s, _, _ := c.v.Lookup("proxy.tls.secret"); isNonEmptyMap(s) {
		return
	}
	c.add("proxy.tls.secretName", c.v.at("proxy.tls.secretName"), RuleTLSSecretMissing, SeverityError,
		"TLS on without a certificate: name a kubernetes.io/tls Secret here")
}

func isNonEmptyMap(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) > 0
}

func (c *prereqCheck) license() {
	if !c.chart.enterpriseGated || c.ci.Connectors || !c.upstreamInUse() {
		return
	}
	// The entries miss pachd for another reason than a missing license
	// (conformance/chart TestCorpusChart reads the gate off the rendered
	// objects): a license is configured, there is no pachd
	// (pachd.enabled false), or pachd is an enterprise member, whose login
	// the enterprise server's Dex serves.
	for _, p := range []string{"pachd.enterpriseLicenseKey", "pachd.enterpriseLicenseKeySecretName", "pachd.activateEnterpriseMember"} {
		if val, _, _ := c.v.Lookup(p); truthy(val) {
			return
		}
	}
	if val, _, ok := c.v.Lookup("pachd.enabled"); ok && !truthy(val) {
		return
	}
	path := "pachd.enterpriseLicenseKey"
	c.add(path, c.v.at(path), RuleEnterpriseLicenseMissing, SeverityError,
		fmt.Sprintf("chart %s ignores the IdPs without a license: set enterpriseLicenseKeySecretName", c.target.Name()))
}

func suggestDexIssuer(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return "https://pachyderm.example.com/dex"
	}
	return u.Scheme + "://" + u.Host + "/dex"
}

// mockIDPFindings applies the chart's choice between the upstream IdPs and
// its mock IdP.
func mockIDPFindings(v *Document) Findings {
	var fs Findings
	secretName, _, _ := v.Lookup("oidc.upstreamIDPsSecretName")
	name, isString := secretName.(string)
	if secretName != nil && !isString {
		fs = append(fs, Finding{Path: "oidc.upstreamIDPsSecretName", Pos: v.at("oidc.upstreamIDPsSecretName"), Rule: RuleWrongType,
			Severity: SeverityError, Message: fmt.Sprintf("must be the name of a Secret, got %s: quote it", typeName(secretName))})
	}
	n := 0
	if list, pos, ok := v.Lookup("oidc.upstreamIDPs"); ok && list != nil {
		l, isList := list.([]any)
		if !isList {
			return append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: pos, Rule: RuleWrongType, Severity: SeverityError, Fate: FateRenderFails,
				Message: fmt.Sprintf("must be a list of entries, got %s: %s (the chart's schema wants an array)", typeName(list), fateWords[FateRenderFails])})
		}
		n = len(l)
	}
	mockVal, mockPos, mockSet := v.Lookup("oidc.mockIDP")
	mock := helmFlag(v, "oidc.mockIDP", true, &fs)
	switch {
	case n == 0 && name == "" && !mock:
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: RuleNoUpstreamIDPs, Severity: SeverityWarning,
			Message: "no entry, no Secret name, no mock IdP: nobody can log in; run pachidp add"})
	case n == 0 && name == "":
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: RuleMockIDPInUse, Severity: SeverityWarning,
			Message: "no entry and no Secret name: the chart uses its mock IdP; run pachidp add"})
	case mockSet && mockVal != nil && mock:
		fs = append(fs, Finding{Path: "oidc.mockIDP", Pos: mockPos, Rule: RuleMockIDPIgnored, Severity: SeverityWarning,
			Message: "true has no effect (upstream IdPs win): set it to false"})
	}
	if n > 0 && name != "" {
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: RuleInlineListIgnored, Severity: SeverityWarning,
			Message: fmt.Sprintf("%d entr%s ignored: the chart reads the Secret %q; move them there", n, plural(n, "y", "ies"), name)})
	}
	return fs
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RedirectHost returns the host[:port] of Dex's issuer as the target's
// chart renders it (ChartIdentity.Issuer), when that issuer is
// https://<host>/dex: the
// form the presets' ProxyHost and ValidateOptions.ProxyHost express (they
// write and expect https://<host>/dex/callback). from is the key the issuer
// came from ("proxy.host", "ingress.host", "oidc.issuerURI"). ok is false
// when the chart renders another issuer (http, a custom path, the in-cluster
// fallback, a host with a scheme) or none: the redirectURI is then
// ChartIdentity.Issuer + "/callback", if anything.
func (v *Document) RedirectHost(t Target) (host, from string, ok bool) {
	issuer, from, err := v.dexIssuer(t)
	if err != nil {
		return "", from, false
	}
	h, found := strings.CutPrefix(issuer, "https://")
	if !found {
		return "", from, false
	}
	h, found = strings.CutSuffix(h, "/dex")
	if !found || h == "" || strings.ContainsAny(h, "/?#@ ") {
		return "", from, false
	}
	if u, err := redirectURI(h); err != nil || u != issuer+"/callback" {
		return "", from, false
	}
	return h, from, true
}

// sortFindings orders findings in document order, unknown positions last.
func sortFindings(fs Findings) {
	sort.SliceStable(fs, func(i, j int) bool { return posLess(fs[i].Pos, fs[j].Pos) })
}
