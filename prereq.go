package pachidp

import (
	"fmt"
	"net/url"
	"strings"
)

// PrerequisiteOptions tunes CheckPrerequisites.
type PrerequisiteOptions struct {
	// Target is the Pachyderm release the values are for (see ParseTarget);
	// the zero Target is the newest. It decides, among others, the
	// enterprise license check: charts up to 2.11 pass the upstream IdPs to
	// pachd only when a license is configured.
	Target Target
}

// CheckPrerequisites checks the whole values document for what Pachyderm's
// chart needs before any upstream IdP can log in (the guide's prerequisites
// and the chart's rules for oidc), and returns every problem at once.
//
// The values are read as given: keys absent from the document are taken at
// the chart's defaults (proxy.enabled and oidc.mockIDP true, everything else
// off or empty). A document that is one of several values files passed to
// helm therefore gets findings the other files may settle; check the merged
// values (`helm get values --all`) in that case.
//
// Findings carry the path of the key to change ("proxy.tls.enabled") and
// its position, or the position of its closest present parent when the key
// is absent. The rules:
//
//	Rule                           Severity  What
//	invalid-option                 error     opts.ChartVersion is not a version such as "2.11.3"
//	tls-disabled                   error     neither proxy.tls.enabled nor ingress.tls.enabled is true: Dex's issuer is http://..., so the https redirectURI never matches
//	                               warning   the same with ingress.uriHttpsProtoOverride: true (TLS terminated before the chart)
//	tls-secret-missing             error     proxy.tls.enabled without proxy.tls.secretName: the proxy has no certificate
//	host-missing                   error     neither proxy.host nor ingress.host is set: no redirectURI can match
//	host-mismatch                  warning   proxy.host and ingress.host differ: Dex's issuer uses ingress.host
//	enterprise-license-missing     error     a chart before 2.12 without pachd.enterpriseLicenseKey(SecretName): the IdPs are silently ignored
//	                               warning   the same when opts.ChartVersion is empty
//	issuer-uri-dex-suffix          error     oidc.issuerURI set while proxy.enabled, not ending in /dex: the chart refuses to render
//	no-upstream-idps               error     no entries, no oidc.upstreamIDPsSecretName and oidc.mockIDP false: the chart refuses to render
//	mock-idp-in-use                warning   no entries and no Secret name: the chart configures its mock IdP instead
//	mock-idp-ignored               warning   oidc.mockIDP: true next to entries or a Secret name, which win over it
//	inline-list-ignored            warning   entries in oidc.upstreamIDPs while oidc.upstreamIDPsSecretName is set: the chart ignores them
//	not-a-bool                     warning   a flag above written as a string: Helm takes every non-empty string as true
//	wrong-type                     error     a key above with a value of the wrong type (a host that is a number, oidc.upstreamIDPs a string)
//
// The entries themselves are Validate's job.
func CheckPrerequisites(v *Values, opts PrerequisiteOptions) Findings {
	c := prereqCheck{v: v, chart: opts.Target.rl().chart}
	c.tls()
	c.host()
	c.license()
	c.issuerURI()
	c.fs = append(c.fs, mockIDPFindings(v)...)
	return c.fs
}

type prereqCheck struct {
	v     *Values
	fs    Findings
	chart chartRules
}

func (c *prereqCheck) add(path string, pos Position, rule string, sev Severity, msg string) {
	c.fs = append(c.fs, Finding{Path: path, Pos: pos, Rule: rule, Severity: sev, Message: msg})
}

// at returns the position of path, or of its closest present parent.
func (v *Values) at(path string) Position {
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

func helmFlag(v *Values, path string, def bool, fs *Findings) bool {
	val, pos, ok := v.Lookup(path)
	if !ok || val == nil {
		return def
	}
	switch x := val.(type) {
	case bool:
		return x
	case string:
		*fs = append(*fs, Finding{Path: path, Pos: pos, Rule: "not-a-bool", Severity: SeverityWarning,
			Message: fmt.Sprintf("is a string, and Helm's templates take every non-empty string as true (here: %t): write true or false without quotes", x != "")})
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	*fs = append(*fs, Finding{Path: path, Pos: pos, Rule: "wrong-type", Severity: SeverityError,
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
		c.add(path, pos, "wrong-type", SeverityError, fmt.Sprintf("must be a string, got %s: quote it", typeName(val)))
		return ""
	}
	return s
}

func (c *prereqCheck) tls() {
	proxyTLS := c.flag("proxy.tls.enabled", false)
	ingressTLS := c.flag("ingress.tls.enabled", false)
	if proxyTLS && strings.TrimSpace(c.text("proxy.tls.secretName")) == "" {
		if s, _, _ := c.v.Lookup("proxy.tls.secret"); !isNonEmptyMap(s) {
			c.add("proxy.tls.secretName", c.v.at("proxy.tls.secretName"), "tls-secret-missing", SeverityError,
				"proxy.tls.enabled is true but no certificate is named: set proxy.tls.secretName to a Secret of type kubernetes.io/tls (kubectl create secret tls NAME --cert=tls.crt --key=tls.key, or cert-manager)")
		}
	}
	if proxyTLS || ingressTLS {
		return
	}
	if c.flag("ingress.uriHttpsProtoOverride", false) {
		c.add("proxy.tls.enabled", c.v.at("proxy.tls.enabled"), "tls-disabled", SeverityWarning,
			"the chart serves no TLS (proxy.tls.enabled and ingress.tls.enabled are not true); ingress.uriHttpsProtoOverride makes Dex's issuer https, so TLS must be terminated before the cluster (a load balancer): make sure https://<host>/dex reaches Dex")
		return
	}
	c.add("proxy.tls.enabled", c.v.at("proxy.tls.enabled"), "tls-disabled", SeverityError,
		"TLS is off (neither proxy.tls.enabled nor ingress.tls.enabled is true), so Dex's issuer is http://<host>/dex and its callback never equals the https redirectURI the guide writes: set proxy.tls.enabled: true and proxy.tls.secretName, or enable TLS on the ingress")
}

func isNonEmptyMap(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) > 0
}

func (c *prereqCheck) host() {
	proxy := strings.TrimSpace(c.text("proxy.host"))
	ingress := strings.TrimSpace(c.text("ingress.host"))
	switch {
	case proxy == "" && ingress == "":
		c.add("proxy.host", c.v.at("proxy.host"), "host-missing", SeverityError,
			"no host is set (proxy.host and ingress.host are empty): Dex's issuer and callback are built from it and no redirectURI can match; set proxy.host to the name users reach Pachyderm at, such as pachyderm.example.com (with the port when it is not 443)")
	case proxy != "" && ingress != "" && !strings.EqualFold(proxy, ingress):
		c.add("proxy.host", c.v.at("proxy.host"), "host-mismatch", SeverityWarning,
			fmt.Sprintf("differs from ingress.host %q, and the chart builds Dex's issuer from ingress.host: redirect URIs must name %q; make the two equal", ingress, ingress))
	}
}

func (c *prereqCheck) license() {
	if !c.chart.enterpriseGated {
		return
	}
	if c.text("pachd.enterpriseLicenseKey") != "" || c.text("pachd.enterpriseLicenseKeySecretName") != "" {
		return
	}
	path := "pachd.enterpriseLicenseKey"
	c.add(path, c.v.at(path), "enterprise-license-missing", SeverityError,
		"charts up to 2.11.x pass the upstream IdPs to pachd only with an enterprise license, and this one has none: set pachd.enterpriseLicenseKeySecretName (or pachd.enterpriseLicenseKey), or use chart 2.12 or later")
}

func (c *prereqCheck) issuerURI() {
	uri := c.text("oidc.issuerURI")
	if uri == "" || !c.flag("proxy.enabled", true) {
		return
	}
	if !strings.HasSuffix(uri, "/dex") {
		c.add("oidc.issuerURI", c.v.at("oidc.issuerURI"), "issuer-uri-dex-suffix", SeverityError,
			fmt.Sprintf("%q does not end in /dex, and with proxy.enabled the chart refuses to render it: write %q, or leave it empty to have it inferred from the host",
				uri, suggestDexIssuer(uri)))
	}
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
func mockIDPFindings(v *Values) Findings {
	var fs Findings
	secretName, _, _ := v.Lookup("oidc.upstreamIDPsSecretName")
	name, isString := secretName.(string)
	if secretName != nil && !isString {
		fs = append(fs, Finding{Path: "oidc.upstreamIDPsSecretName", Pos: v.at("oidc.upstreamIDPsSecretName"), Rule: "wrong-type",
			Severity: SeverityError, Message: fmt.Sprintf("must be the name of a Secret, got %s: quote it", typeName(secretName))})
	}
	n := 0
	if list, pos, ok := v.Lookup("oidc.upstreamIDPs"); ok && list != nil {
		l, isList := list.([]any)
		if !isList {
			return append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: pos, Rule: "wrong-type", Severity: SeverityError,
				Message: fmt.Sprintf("must be a list of entries, got %s", typeName(list))})
		}
		n = len(l)
	}
	mockVal, mockPos, mockSet := v.Lookup("oidc.mockIDP")
	mock := helmFlag(v, "oidc.mockIDP", true, &fs)
	switch {
	case n == 0 && name == "" && !mock:
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: "no-upstream-idps", Severity: SeverityError,
			Message: "is empty, oidc.upstreamIDPsSecretName is empty and oidc.mockIDP is false: the chart refuses to render; add an entry (pachidp add) or name the Secret holding them"})
	case n == 0 && name == "":
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: "mock-idp-in-use", Severity: SeverityWarning,
			Message: "is empty and oidc.upstreamIDPsSecretName is empty, so the chart configures its mock IdP (oidc.mockIDP, on by default) and no real provider: add an entry (pachidp add)"})
	case mockSet && mockVal != nil && mock:
		fs = append(fs, Finding{Path: "oidc.mockIDP", Pos: mockPos, Rule: "mock-idp-ignored", Severity: SeverityWarning,
			Message: "is true but has no effect: upstream IdPs win over the mock IdP; set it to false to say what the chart does"})
	}
	if n > 0 && name != "" {
		fs = append(fs, Finding{Path: "oidc.upstreamIDPs", Pos: v.at("oidc.upstreamIDPs"), Rule: "inline-list-ignored", Severity: SeverityWarning,
			Message: fmt.Sprintf("holds %d entr%s, but oidc.upstreamIDPsSecretName is set and the chart reads the Secret %q instead: move them into the Secret (pachidp secret) or clear the name", n, plural(n, "y", "ies"), name)})
	}
	return fs
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RedirectHost returns the host[:port] of Pachyderm's Dex issuer as the
// chart derives it, which is the host every redirectURI must name (the
// value for ValidateOptions.ProxyHost and the presets' ProxyHost): the host
// of oidc.issuerURI when it is set, else ingress.host when set, else
// proxy.host. path is the key it came from ("proxy.host"); both are "" when
// none is set.
func (v *Values) RedirectHost() (host, path string) {
	if s, _, _ := v.Lookup("oidc.issuerURI"); s != nil {
		if uri, ok := s.(string); ok && uri != "" {
			if u, err := url.Parse(uri); err == nil && u.Host != "" {
				return u.Host, "oidc.issuerURI"
			}
		}
	}
	for _, p := range []string{"ingress.host", "proxy.host"} {
		if s, _, _ := v.Lookup(p); s != nil {
			if h, ok := s.(string); ok && strings.TrimSpace(h) != "" {
				return strings.TrimSpace(h), p
			}
		}
	}
	return "", ""
}
