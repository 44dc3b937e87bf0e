package pachidp

import (
	"fmt"
	"strings"
)

// ChartIdentity is what Pachyderm's chart renders, for one target, from the
// values that decide logging in through Dex: whether it renders at all,
// Dex's issuer, and which text of upstream IdPs reaches pachd. It is the
// library's one model of the chart's oidc templates; ValidateValues,
// Document.RedirectHost and PachdUpstreamIDPs read it, and the conformance module
// (conformance/chart) proves it against the real chart rendered by Helm.
type ChartIdentity struct {
	// Target is the release whose chart this is.
	Target Target

	// RenderErrors, when not empty, are the causes for which the chart
	// refuses to render these values: helm install fails with the message
	// of whichever template it reaches first. The other fields are then what
	// the chart would have rendered had it gone on.
	RenderErrors []*RenderError

	// Issuer is Dex's issuer exactly as the chart renders it (the
	// identity config's issuer); Dex's callback is Issuer + "/callback".
	Issuer string
	// IssuerFrom is the key the issuer comes from: "oidc.issuerURI",
	// "ingress.host", "proxy.host", or, for the chart's in-cluster fallback
	// (http://pachd:30658...), "proxy.enabled" or "pachd.service.type".
	IssuerFrom string

	// Connectors reports whether the upstream IdP text reaches pachd (the
	// environment variable IDP_CONNECTORS; in charts 2.0-2.2 the config
	// job's bootstrap Secret). False means any entries are silently ignored.
	Connectors bool
	// SecretName and SecretKey name where the text is read from:
	// "pachyderm-identity" and "upstream-idps", the Secret named by
	// oidc.upstreamIDPsSecretName and "upstream-idps", or, in charts
	// 2.0-2.2, "pachyderm-bootstrap-config" and "idps". Both are "" when the
	// chart renders no IdP text at all.
	SecretName, SecretKey string
	// UserSecret reports that SecretName is the user's own Secret
	// (oidc.upstreamIDPsSecretName): the chart renders no text for it.
	UserSecret bool
	// Mock reports that the chart renders its mock IdP (id test, type
	// mockPassword, user admin) instead of upstream IdPs.
	Mock bool
	// Text is the value of SecretKey byte for byte as the chart renders it,
	// nil when UserSecret or when the chart renders no IdP text. It holds
	// the client secrets: never log it.
	Text []byte
}

// chartValues reads the values as the chart's templates see them: a key
// absent from the document has the chart's default, and a null removes the
// key (Helm deletes it when it merges the values), so it reads as false or "".
type chartValues struct {
	v *Document
}

func (c chartValues) raw(path string, def any) any {
	val, _, ok := c.v.Lookup(path)
	if !ok {
		return def
	}
	return val
}

// truthy is Go template truth, as {{ if }} tests a value.
func truthy(val any) bool {
	switch x := val.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func (c chartValues) flag(path string, def bool) bool { return truthy(c.raw(path, def)) }

// text is a value as {{ .Values.x }} prints it, for the string keys the
// model reads (a host, a URI, a name).
func (c chartValues) text(path string) string {
	switch x := c.raw(path, nil).(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// ChartIdentity returns what the target's chart renders from these values
// (see ChartIdentity). The error is for what stops the model itself: a
// wrongly shaped document (*SyntaxError), a value Helm cannot render
// (*RenderError), or the upstream Dex target, which has no chart.
func (v *Document) ChartIdentity(t Target) (*ChartIdentity, error) {
	if err := v.ready(); err != nil {
		return nil, err
	}
	if t.IsUpstreamDex() {
		return nil, fmt.Errorf("%s reads a Dex configuration file, not Helm values: use the Target of the Pachyderm release the values are for (ParseTarget)", t)
	}
	r := t.rl().chart
	c := chartValues{v}
	out := &ChartIdentity{Target: t}
	fail := func(path, chartMsg, fix string) {
		out.RenderErrors = append(out.RenderErrors, &RenderError{Path: path, Pos: v.at(path), Msg: fix, Chart: chartMsg, Version: t.Name()})
	}

	list, _, err := v.idpList()
	if err != nil {
		return nil, err
	}
	secretName := c.text("oidc.upstreamIDPsSecretName")
	hasIDPs := len(list) > 0
	mock := c.flag("oidc.mockIDP", true)

	// Dex's issuer: _helpers.tpl, define "pachyderm.issuerURI".
	issuerURI := c.text("oidc.issuerURI")
	proxyOn := r.proxy && c.flag("proxy.enabled", r.proxyDefault)
	ingressOn := c.flag("ingress.enabled", false)
	ingressHost := c.text("ingress.host")
	https := c.flag("ingress.tls.enabled", false) ||
		r.httpsOverride && c.flag("ingress.uriHttpsProtoOverride", false) ||
		r.proxy && c.flag("proxy.tls.enabled", false)
	scheme := "http"
	if https {
		scheme = "https"
	}
	fallback := func() {
		out.IssuerFrom = "pachd.service.type"
		if c.text("pachd.service.type") == "NodePort" {
			out.Issuer = "http://pachd:1658"
		} else {
			out.Issuer = "http://pachd:30658"
		}
	}
	// templates/ingress/ingress.yaml:23 (every version): an enabled
	// ingress needs its host. Other templates fail on the same cause with
	// their own messages (RenderError.Chart says which are possible).
	if ingressOn && ingressHost == "" {
		fail("ingress.host", "ingress.host is required when ingress.enabled",
			"set ingress.host to the name users reach Pachyderm at, or set ingress.enabled: false")
	}
	switch {
	case issuerURI != "":
		out.Issuer, out.IssuerFrom = issuerURI, "oidc.issuerURI"
		if proxyOn && !strings.HasSuffix(issuerURI, "/dex") {
			fail("oidc.issuerURI", "With the proxy enabled, oidc.issuerURI must end with /dex, not "+issuerURI,
				fmt.Sprintf("write %q, or leave oidc.issuerURI empty to have it inferred from the host", suggestDexIssuer(issuerURI)))
		}
	case !r.issuerFromEnabledOnly && ingressHost != "":
		out.Issuer, out.IssuerFrom = scheme+"://"+ingressHost+"/dex", "ingress.host"
	case !r.issuerFromEnabledOnly && !ingressOn:
		fallback()
	case !r.issuerFromEnabledOnly:
		// "For Authentication, an OIDC Issuer for this pachd must be set.",
		// on the cause reported above: an enabled ingress without a host.
	case ingressOn && ingressHost != "":
		out.Issuer, out.IssuerFrom = scheme+"://"+ingressHost+"/dex", "ingress.host"
	case r.issuerFromProxyHost && proxyOn && c.text("proxy.host") != "":
		out.Issuer, out.IssuerFrom = scheme+"://"+c.text("proxy.host")+"/dex", "proxy.host"
	case proxyOn:
		out.Issuer, out.IssuerFrom = "http://pachd:30658/dex", "proxy.enabled"
	default:
		fallback()
	}

	licensed := c.text("pachd.enterpriseLicenseKey") != "" || c.text("pachd.enterpriseLicenseKeySecretName") != ""
	if r.bootstrap {
		// Charts 2.0-2.2: templates/pachd/config-secret.yaml renders the
		// Secret pachyderm-bootstrap-config only with a license (on install)
		// or pachd.activateEnterprise, and its idps and issuer only with
		// pachd.activateAuth and without pachd.activateEnterpriseMember.
		member := c.flag("pachd.activateEnterpriseMember", false)
		block := c.flag("pachd.activateEnterprise", false) || licensed || member
		auth := block && !member && c.flag("pachd.activateAuth", true)
		if !auth {
			return out, nil
		}
		out.Connectors = true
		switch {
		case secretName != "":
			out.SecretName, out.SecretKey, out.UserSecret = secretName, UpstreamIDPsSecretKey, true
			return out, nil
		case hasIDPs:
			text, err := helmYAML(list, pathIDPs)
			if err != nil {
				return nil, err
			}
			out.Text = append([]byte("\n"), text...)
		case mock:
			out.Mock = true
			out.Text = []byte("\n- id: test\n  name: test\n  type: mockPassword\n  jsonConfig: '{\"username\": \"admin\", \"password\": \"password\"}'\n")
		default:
			fail("oidc.upstreamIDPs", "either oidc.upstreamIDPs or oidc.mockIDP must be set in non-LOCAL deployments",
				"run pachidp add")
			return out, nil
		}
		out.SecretName, out.SecretKey = "pachyderm-bootstrap-config", "idps"
		return out, nil
	}

	// Charts 2.3 and later: templates/pachd/idp-secret.yaml renders the
	// Secret pachyderm-identity, and templates/pachd/deployment.yaml passes
	// the Secret named by "pachyderm.upstreamIDPsSecretName" to pachd as
	// IDP_CONNECTORS (up to 2.12.0-rc.1, only with a license).
	switch {
	case secretName != "":
		out.SecretName, out.SecretKey, out.UserSecret = secretName, UpstreamIDPsSecretKey, true
	case hasIDPs:
		text, err := helmYAML(list, pathIDPs)
		if err != nil {
			return nil, err
		}
		out.SecretName, out.SecretKey, out.Text = "pachyderm-identity", UpstreamIDPsSecretKey, text
	case mock:
		out.Mock = true
		out.SecretName, out.SecretKey = "pachyderm-identity", UpstreamIDPsSecretKey
		out.Text = []byte("- id: test\n  name: test\n  type: mockPassword\n  config:\n    username: admin\n    password: password\n")
	}
	out.Connectors = out.SecretName != "" && c.flag("pachd.enabled", true) && (!r.enterpriseGated || licensed)
	return out, nil
}

// dexIssuer returns Dex's issuer exactly as the target's chart renders it
// from these values, and the key it came from (see ChartIdentity.IssuerFrom).
// Dex's callback, which every redirectURI must equal, is the issuer +
// "/callback". The error is ChartIdentity's, or a *RenderError when the
// chart refuses to render these values: it then renders no issuer at all.
func (v *Document) dexIssuer(t Target) (issuer, from string, err error) {
	ci, err := v.ChartIdentity(t)
	if err != nil {
		return "", "", err
	}
	if len(ci.RenderErrors) > 0 {
		return "", "", ci.RenderErrors[0]
	}
	return ci.Issuer, ci.IssuerFrom, nil
}

// RedirectIssuer is the Dex issuer the entries' redirect URIs must match
// (ValidateOptions.DexIssuer), as the chart of t renders it from the
// values: oidc.issuerURI as written when set; when the chart infers it
// from a host, its https form (an http issuer is the tls-disabled
// prerequisite, and once TLS is on a redirect URI must be the https
// callback); "" when the chart renders none a browser reaches (no host, a
// host with a scheme) or refuses to render, and for upstream Dex.
func (v *Document) RedirectIssuer(t Target) string {
	if t.IsUpstreamDex() {
		return ""
	}
	issuer, from, err := v.dexIssuer(t)
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
