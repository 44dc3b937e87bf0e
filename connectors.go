package pachidp

import (
	"fmt"
	"strings"
)

// This file is the one table of what each connector type's Open and
// LoginURL check, beyond the JSON shape of its config (which comes from the
// generated key tables, dexconfig.go). Sources: connector/<type>/<type>.go
// of Pachyderm's fork 292f1ae and of Dex v2.45.1; each row is proven by the
// corpus cases type-<type>-* run by the conformance modules.

// connectorRule is one row.
type connectorRule struct {
	// callbackChecked: LoginURL compares redirectURI with Dex's callback
	// URL byte for byte and fails every login when they differ.
	callbackChecked bool
	// routed: no LoginURL compares redirectURI (SAML's POSTData takes no
	// callback), but the provider sends the browser there, so it must
	// reach Dex's callback (checkRoute).
	routed bool
	// required lists keys Open refuses to do without.
	required []string
	// oneOf lists keys of which Open needs at least one, unless the bool key
	// oneOfUnless is true.
	oneOf       []string
	oneOfUnless string
	// exclusive lists keys Open refuses to see together.
	exclusive []string
	// enums lists keys (dotted paths) whose string value Open checks.
	enums map[string][]string
	// files lists keys whose values are file paths Open reads in pachd's
	// pod (or Dex's): a file that is not there makes Open fail.
	files []string
}

var connectorRules = map[string]connectorRule{
	"oidc":            {callbackChecked: true},
	"oauth":           {callbackChecked: true, files: []string{"rootCAs"}},
	"github":          {callbackChecked: true, exclusive: []string{"org", "orgs"}, files: []string{"rootCA"}},
	"gitlab":          {callbackChecked: true},
	"google":          {callbackChecked: true, files: []string{"serviceAccountFilePath"}},
	"microsoft":       {callbackChecked: true, enums: map[string][]string{"groupNameFormat": {"", "id", "name"}}},
	"linkedin":        {callbackChecked: true},
	"bitbucket-cloud": {callbackChecked: true},
	"gitea":           {callbackChecked: true},
	"openshift":       {callbackChecked: true, files: []string{"rootCA"}},
	"ldap": {required: []string{"host"}, files: []string{"rootCA", "clientCert", "clientKey"},
		enums: map[string][]string{"userSearch.scope": {"", "sub", "one"}, "groupSearch.scope": {"", "sub", "one"}}},
	"saml":             {routed: true, required: []string{"ssoURL"}, oneOf: []string{"ca", "caData"}, oneOfUnless: "insecureSkipSignatureValidation", files: []string{"ca"}},
	"samlExperimental": {routed: true, required: []string{"ssoURL"}, oneOf: []string{"ca", "caData"}, oneOfUnless: "insecureSkipSignatureValidation", files: []string{"ca"}},
	"mockPassword":     {required: []string{"username", "password"}},
	"atlassian-crowd":  {required: []string{"baseURL"}},
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

// checkConnectorRules applies the table's row of the entry's type to the
// config Dex gets. The oidc connector has rules of its own (validate_oidc.go).
func (c *entryCheck) checkConnectorRules() {
	typ := c.e.Type
	r, ok := connectorRules[typ]
	if !ok || c.cfg == nil {
		return
	}
	for _, k := range r.required {
		if v, _ := lookupFold(c.cfg, k); v == nil || v == "" {
			c.addOpen(c.rel(k), "required", "missing: the %s connector's Open needs %s", typ, k)
		}
	}
	if len(r.oneOf) > 0 {
		skip, _ := lookupFold(c.cfg, r.oneOfUnless)
		has := false
		for _, k := range r.oneOf {
			if v, _ := lookupFold(c.cfg, k); v != nil && v != "" {
				has = true
			}
		}
		if !has && skip != true {
			c.addOpen(c.cfgKey, "required", "missing: the %s connector's Open needs %s (the provider's signing certificate)",
				typ, strings.Join(r.oneOf, " or "))
		}
	}
	if len(r.exclusive) == 2 {
		a, ka := lookupFold(c.cfg, r.exclusive[0])
		b, _ := lookupFold(c.cfg, r.exclusive[1])
		if a != nil && a != "" && b != nil {
			c.addOpen(c.rel(ka), "exclusive-keys", "the %s connector's Open refuses %s and %s together: keep one", typ, r.exclusive[0], r.exclusive[1])
		}
	}
	for path, allowed := range r.enums {
		v, written := lookupPath(c.cfg, path)
		s, isString := v.(string)
		if !isString || contains(allowed, s) {
			continue
		}
		var quoted []string
		for _, a := range allowed {
			if a != "" {
				quoted = append(quoted, fmt.Sprintf("%q", a))
			}
		}
		rel := c.cfgKey
		for _, seg := range strings.Split(written, ".") {
			rel = joinPath(rel, seg)
		}
		c.addOpen(rel, "unknown-value", "the %s connector's Open does not know %q: use %s, or delete the key",
			typ, s, strings.Join(quoted, " or "))
	}
	for _, k := range r.files {
		v, written := lookupFold(c.cfg, k)
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
			c.checkPodFile(c.rel(written), "file-path", p)
		}
	}
	if r.routed {
		if v, written := lookupFold(c.cfg, "redirectURI"); v != nil {
			if s, ok := v.(string); ok {
				c.checkRoute(c.rel(written), s)
			}
		}
	}
	if r.callbackChecked && typ != TypeOIDC {
		if v, written := lookupFold(c.cfg, "redirectURI"); v != nil {
			if s, ok := v.(string); ok {
				c.compareCallback(c.rel(written), s, false)
			}
		}
	}
}
