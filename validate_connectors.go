package pachidp

import (
	"strings"
)

// This file is the table of what each connector type's LoginURL compares,
// beyond the JSON shape of its config (the generated key tables,
// versions.go) and what its Open refuses (the generated probe rules,
// validate_open.go), and checks the files Open reads, which the probes
// find per Dex (openRules.Files and FileRequires). Sources:
// connector/<type>/<type>.go of Pachyderm's fork 292f1ae and of Dex
// v2.45.1; each row is proven by the corpus cases type-<type>-* run by the
// conformance modules.

// connectorRule is one row.
type connectorRule struct {
	// callbackChecked: LoginURL compares redirectURI with Dex's callback
	// URL byte for byte and fails every login when they differ.
	callbackChecked bool
	// routed: no LoginURL compares redirectURI (SAML's POSTData takes no
	// callback), but the provider sends the browser there, so it must
	// reach Dex's callback (checkRoute).
	routed bool
}

var connectorRules = map[string]connectorRule{
	"oidc":             {callbackChecked: true},
	"oauth":            {callbackChecked: true},
	"github":           {callbackChecked: true},
	"gitlab":           {callbackChecked: true},
	"google":           {callbackChecked: true},
	"microsoft":        {callbackChecked: true},
	"linkedin":         {callbackChecked: true},
	"bitbucket-cloud":  {callbackChecked: true},
	"gitea":            {callbackChecked: true},
	"openshift":        {callbackChecked: true},
	"ldap":             {},
	"saml":             {routed: true},
	"samlExperimental": {routed: true},
}

// lookupFold returns the value of key in m as encoding/json would match it,
// and the key as written.
func lookupFold(m map[string]any, key string) (any, string) {
	if v, ok := m[key]; ok {
		return v, key
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, k
		}
	}
	return nil, ""
}

// lookupPath follows a dotted path of keys.
func lookupPath(m map[string]any, path string) (any, string) {
	var v any = m
	var written []string
	for _, seg := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil, ""
		}
		var k string
		v, k = lookupFold(mm, seg)
		if k == "" {
			return nil, ""
		}
		written = append(written, k)
	}
	return v, strings.Join(written, ".")
}

// checkConnectorRules applies to the config Dex gets the files the
// target's Dex reads (probed) and the table's row of the entry's type (the
// callback). The oidc connector has rules of its own (validate_oidc.go:
// rootCAs); what else Open refuses is checkOpenRules.
func (c *entryCheck) checkConnectorRules() {
	typ := c.e.Type
	if c.cfg == nil {
		return
	}
	if typ != typeOIDC {
		c.checkFiles(c.dex.openRulesOf(typ).fileKeys(c.cfg))
	}
	r, ok := connectorRules[typ]
	if !ok {
		return
	}
	if (r.routed || r.callbackChecked) && typ != typeOIDC && !c.probedRequired(typ, "redirectURI") {
		// No Open or LoginURL of this Dex refuses a missing redirectURI
		// (oauth on 2.4-2.6), but the provider then sends the browser
		// nowhere Dex serves: the routing stage of the conformance world.
		if v, _ := lookupFold(c.cfg, "redirectURI"); v == nil || v == "" {
			want := c.dexCallback
			if want == "" {
				want = "https://<Pachyderm's host>/dex/callback"
			}
			c.add(c.rel("redirectURI"), "required", FateLoginFails,
				"missing: the provider sends the browser back to redirectURI, and only Dex's callback completes a login: add redirectURI: %q", want)
		}
	}
	if r.routed {
		if v, written := lookupFold(c.cfg, "redirectURI"); v != nil {
			if s, ok := v.(string); ok {
				c.checkRoute(c.rel(written), s)
			}
		}
	}
	if r.callbackChecked && typ != typeOIDC {
		if v, written := lookupFold(c.cfg, "redirectURI"); v != nil {
			if s, ok := v.(string); ok {
				c.compareCallback(c.rel(written), s, false)
			}
		}
	}
}

// checkFiles checks the paths of the file keys of the config.
func (c *entryCheck) checkFiles(keys []string) {
	for _, k := range keys {
		v, _ := lookupPath(c.cfg, k)
		paths := []string{}
		switch x := v.(type) {
		case string:
			paths = append(paths, x)
		case []any:
			for _, it := range x {
				if s, ok := it.(string); ok {
					paths = append(paths, s)
				}
			}
		}
		for _, p := range paths {
			if p == "" {
				continue
			}
			c.checkPodFile(c.relPath(k), RuleFilePath, p)
		}
	}
}
