package pachidp

import (
	"encoding/base64"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
)

// This file checks a connector's config the way the target's Dex decodes it:
// plain encoding/json into the connector type's config struct, whose shape
// comes from the key table of that Dex (versions.go, from dexconfig/). encoding/json ignores
// keys the struct lacks and matches names without case; a value of the wrong
// JSON type fails the decode, and pachd fails to start with it
// (src/server/identity/server/dex_api.go, validateConnector).

// checkConfigShape walks the config Dex gets against its struct's shape.
func (c *entryCheck) checkConfigShape() {
	node := c.dex.connector(c.e.Type)
	if node == nil || c.cfg == nil {
		return
	}
	c.checkObject(c.cfg, node, c.cfgKey, c.e.Type)
}

// checkObject checks the keys of one JSON object against an object node.
func (c *entryCheck) checkObject(m map[string]any, node *schemaNode, rel, typ string) {
	for _, k := range sortedKeys(m) {
		krel := joinPath(rel, k)
		_, f := node.field(k)
		if f == nil {
			c.unknownKey(krel, k, m[k], node, rel, typ)
			continue
		}
		c.checkValue(m[k], f, krel, k, false, typ)
	}
}

// checkValue checks one value against its node: the JSON type encoding/json
// needs, then the inside of objects, lists and maps. key is the key as
// written; item says v is an item of the list under key.
func (c *entryCheck) checkValue(v any, node *schemaNode, rel, key string, item bool, typ string) {
	if v == nil || node.Kind == "any" || node.Kind == "custom" {
		return // null leaves the field as it is; any and custom take what they take
	}
	if !jsonFits(v, node) {
		what, fix := key, shortKindFix(node, key, v)
		if item {
			what = "an item of " + key
			switch node.Kind {
			case "string":
				fix = "quote the items that are numbers or booleans"
			case "object":
				fix = "make every item a mapping"
			}
		}
		c.add(rel, RuleWrongType, c.dexFate(), "%s is %s; %s reads %s: %s",
			what, typeName(v), c.dexName(), kindWords(node), fix)
		return
	}
	switch node.Kind {
	case "object":
		c.checkObject(v.(map[string]any), node, rel, typ)
	case "array":
		for i, item := range v.([]any) {
			c.checkValue(item, node.Items, indexPath(rel, i), key, true, typ)
		}
	case "map":
		m := v.(map[string]any)
		for _, k := range sortedKeys(m) {
			c.checkValue(m[k], node.Values, joinPath(rel, k), k, false, typ)
		}
	}
}

// jsonFits reports whether encoding/json decodes v into a value of node's
// kind without an error.
func jsonFits(v any, node *schemaNode) bool {
	switch node.Kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "bool":
		_, ok := v.(bool)
		return ok
	case "int", "uint":
		var f float64
		switch n := v.(type) {
		case int64:
			f = float64(n)
		case float64:
			f = n
		default:
			return false
		}
		return f == math.Trunc(f) && !math.IsInf(f, 0) && (node.Kind == "int" || f >= 0)
	case "float":
		switch v.(type) {
		case int64, float64:
			return true
		}
		return false
	case "bytes":
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, err := base64.StdEncoding.DecodeString(s)
		return err == nil
	case "array":
		_, ok := v.([]any)
		return ok
	case "map", "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return true
}

// kindWords names what a node takes, for messages.
func kindWords(node *schemaNode) string {
	switch node.Kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int":
		return "a whole number"
	case "uint":
		return "a whole number of at least 0"
	case "float":
		return "a number"
	case "bytes":
		return "a base64 string"
	case "array":
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(kindWords(node.Items), "a "), "an ") + "s"
	case "map", "object":
		return "a mapping"
	}
	return node.Kind
}

// kindFix says how to write a value of node's kind. It never shows the value
// itself, except the yes/no words YAML 1.1 users mean as booleans.
func kindFix(node *schemaNode, key string, v any) string {
	switch node.Kind {
	case "string":
		if _, isList := v.([]any); isList {
			return "give a single value"
		}
		return fmt.Sprintf("quote it (%s: \"...\"), as YAML reads unquoted digits, yes/no and true/false as other types", key)
	case "bool":
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "yes", "y", "on":
				return fmt.Sprintf("write %s: true, without quotes", key)
			case "false", "no", "n", "off":
				return fmt.Sprintf("write %s: false, without quotes", key)
			}
		}
		return fmt.Sprintf("write %s: true or %s: false, without quotes", key, key)
	case "int", "uint", "float":
		return fmt.Sprintf("write a number without quotes (%s: 5)", key)
	case "bytes":
		return "write the base64 of the data on one line (base64 -w0 FILE)"
	case "array":
		if _, isList := v.([]any); isList {
			return "quote the items that are numbers or booleans"
		}
		return fmt.Sprintf("write a list, one \"- item\" per line under %s", key)
	}
	return fmt.Sprintf("write key: value lines indented under %s", key)
}

// shortKindFix is kindFix for a finding's message: shorter, as the
// finding's path names the key and the rule's Detail says why.
func shortKindFix(node *schemaNode, key string, v any) string {
	switch node.Kind {
	case "string":
		if _, isList := v.([]any); isList {
			return "give a single value"
		}
		return fmt.Sprintf("quote it (%s: \"...\")", key)
	case "bool":
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "yes", "y", "on":
				return "write true, without quotes"
			case "false", "no", "n", "off":
				return "write false, without quotes"
			}
		}
		return "write true or false, without quotes"
	case "int", "uint", "float":
		return fmt.Sprintf("write a number without quotes (%s: 5)", key)
	case "bytes":
		return "write its base64 on one line (base64 -w0 FILE)"
	case "array":
		if _, isList := v.([]any); isList {
			return "quote the items that are numbers or booleans"
		}
		return "write one \"- item\" per line"
	}
	return "write key: value lines indented under it"
}

// unknownKey reports a key the struct lacks: Dex ignores it. A key that
// another Dex version reads is a setting this target drops; one no Dex
// knows is most likely a typo.
func (c *entryCheck) unknownKey(krel, k string, v any, node *schemaNode, parent, typ string) {
	if others := c.readersOf(parent, k, typ); len(others) > 0 {
		c.ignoredByTarget(krel, k, v, others, typ, parent == c.cfgKey)
		return
	}
	fix := "delete it, or fix its spelling"
	if s := nearest(k, node.fieldNames()); s != "" {
		fix = fmt.Sprintf("rename it to %q", s)
	}
	where := parent
	if parent == c.cfgKey {
		where = "the " + typ + " connector's config"
	}
	c.add(krel, RuleUnknownConfigKey, FateIgnored, "%q is not a key of %s: %s", k, where, fix)
}

// readersOf lists the other Dex versions whose struct has key k at the
// same place (parent, relative to the config) for type typ.
func (c *entryCheck) readersOf(parent, k, typ string) []string {
	inner := strings.TrimPrefix(strings.TrimPrefix(parent, c.cfgKey), ".")
	var out []string
	for _, d := range allDexVersions() {
		if d == c.dex {
			continue
		}
		node := d.connector(typ)
		segs, _ := splitPath(inner)
		for _, seg := range segs {
			if node == nil {
				break
			}
			switch {
			case node.Kind == "object" && seg.index < 0:
				_, node = node.field(seg.key)
			case node.Kind == "array" && seg.index >= 0:
				node = node.Items
			case node.Kind == "map" && seg.index < 0:
				node = node.Values
			default:
				node = nil
			}
		}
		if _, f := node.field(k); f != nil {
			out = append(out, d.label())
		}
	}
	return out
}

// label names a Dex for messages by what runs it: "upstream Dex v2.45.1"
// or "Pachyderm 2.4-2.6".
func (d *dexVersion) label() string {
	if d.upstream {
		return upstreamDexName
	}
	var lines []string
	for _, l := range releaseLines {
		if l.dex == d {
			lines = append(lines, l.name)
		}
	}
	return "Pachyderm " + strings.Join(lines, ", ")
}

// dexName names the target's Dex for messages.
func (c *entryCheck) dexName() string {
	if c.opts.Target.IsUpstreamDex() {
		return upstreamDexName
	}
	return c.opts.Target.String() + "'s Dex"
}

// ignoredByTarget reports a key this target's Dex does not read, while
// others do. An access restriction (accessKeys, at the top of the config
// of type typ) that is set is an error: more users get in.
func (c *entryCheck) ignoredByTarget(krel, k string, v any, readers []string, typ string, top bool) {
	who := readers[len(readers)-1]
	if len(readers) > 1 {
		who = strings.Join(readers[:len(readers)-1], ", ") + " and " + who
	}
	list, _ := v.([]any)
	str, _ := v.(string)
	if top && slices.Contains(accessKeys[typ], k) && (len(list) > 0 || str != "") {
		c.add(krel, RuleAccessRestrictionIgnored, FateAccessWider,
			"%s ignores %s, so anyone can log in: restrict users at the provider",
			c.dexName(), k)
		return
	}
	// "Pachyderm 2.7-2.11's Dex ignores it" is the short message; then
	// the Dex versions that read it when they fit, and what ignoring it
	// means.
	tail := ignoredEffect[k] + ": delete it"
	msg := fmt.Sprintf("%s ignores it (read by %s)%s", c.dexName(), who, tail)
	if len(msg) > messageWidth {
		msg = c.dexName() + " ignores it" + tail
	}
	c.add(krel, RuleIgnoredByTarget, FateIgnored, "%s", msg)
}

// accessKeys are, per connector type, the config keys whose purpose is to
// narrow who may log in: each makes the connector refuse the login of a
// user outside it (upstream Dex v2.45.1, connector/...):
//   - oidc hostedDomains: the hd claim must be one of them (Pachyderm's
//     forks ebfeda6 and 8eefbbc, connector/oidc/oidc.go:378 at ebfeda6;
//     upstream's Open refuses the key instead, hosted-domains-refused);
//     allowedGroups: "user not a member of allowed groups" (oidc/oidc.go:668-674).
//   - google hostedDomains: "unexpected hd claim" (google/google.go:250-261);
//     groups: "not in any of the required groups" (google/google.go:275).
//   - github org, orgs: "not in required orgs or teams" (github/github.go:375).
//   - gitea orgs: "User does not belong to any of the approved groups" (gitea/gitea.go:318-320).
//   - gitlab groups (gitlab/gitlab.go:380), microsoft groups
//     (microsoft/microsoft.go:405-407, UserNotInRequiredGroupsError), openshift
//     groups (openshift/openshift.go:211), atlassian-crowd groups
//     (atlassiancrowd/atlassiancrowd.go:395): "not in any of the required groups".
//   - bitbucket-cloud teams: "not in any of the required teams" (bitbucketcloud/bitbucketcloud.go:362).
//   - saml allowedGroups: "user not a member of allowed groups" (saml/saml.go:413, 442).
//
// Only the keys some modelled Dex does not read can fire today (oidc
// hostedDomains and allowedGroups, gitea orgs); the others are listed so
// that a fork that drops one is caught.
var accessKeys = map[string][]string{
	"oidc":            {"hostedDomains", "allowedGroups"},
	"google":          {"hostedDomains", "groups"},
	"github":          {"org", "orgs"},
	"gitea":           {"orgs"},
	"gitlab":          {"groups"},
	"microsoft":       {"groups"},
	"openshift":       {"groups"},
	"atlassian-crowd": {"groups"},
	"bitbucket-cloud": {"teams"},
	"saml":            {"allowedGroups"},
}

// ignoredEffect says what ignoring a key means in a Pachyderm cluster.
var ignoredEffect = map[string]string{
	"rootCAs":                    ", so the provider's certificate must chain to a CA that pachd's image trusts",
	"insecureSkipVerify":         ", so TLS verification stays on",
	"pkceChallenge":              ", so the PKCE method is not forced",
	"issuerAlias":                ", so the issuer must match the discovery document exactly",
	"providerDiscoveryOverrides": ", so the discovery document's endpoints are used",
	"claimModifications":         ", so group claims reach Pachyderm unchanged",
	"forwardedLoginParams":       ", so no login parameter is passed on to the provider",
	"acrValues":                  ", so no authentication context is requested",
	"overrideClaimMapping":       ", so the provider's standard claims win over claimMapping",
}

// Files Dex opens in pachd's pod. The chart mounts exactly one place a user
// chooses the files of: the Secret oidc.dexCredentialSecretName, at
// /dexcreds, in every release (templates/pachd/deployment.yaml of the
// charts 2.2.7 to master in the fixtures: the dex-creds volume and its
// mount). No release has a generic volumes key for pachd, and its other
// mounts (/tmp, /pach, /pachyderm-storage-secret, /pachd-tls-cert) hold
// nothing a user puts there for a connector. So a path elsewhere does not
// exist in the pod, and Open fails there. The conformance harness runs
// every Dex in such a pod filesystem (conformance/harness/podfs.go).

// dexCredsDir is where the chart mounts oidc.dexCredentialSecretName.
const dexCredsDir = "/dexcreds"

// inDexCreds reports whether a path names a file of the mounted Secret.
func inDexCreds(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	c := path.Clean(p)
	return strings.HasPrefix(c, dexCredsDir+"/") && !strings.Contains(strings.TrimPrefix(c, dexCredsDir+"/"), "/")
}

// dexCredsMount is what pachidp knows of the /dexcreds mount: the chart
// mounts it only when oidc.dexCredentialSecretName is set ({{- if
// .Values.oidc.dexCredentialSecretName }} around the dex-creds volume and
// its mount in templates/pachd/deployment.yaml, every chart in the
// fixtures; the corpus case pod-root-ca-no-secret-name is pachd-crash on
// every fork). Validate sees the entries only (dexCredsUnknown);
// ValidateValues sees the values.
type dexCredsMount int

const (
	dexCredsUnknown dexCredsMount = iota
	dexCredsMounted
	dexCredsNotMounted
)

// dexCredsOf is the mount the chart renders for the values.
func dexCredsOf(v *Document) dexCredsMount {
	if (chartValues{v}).flag("oidc.dexCredentialSecretName", false) {
		return dexCredsMounted
	}
	return dexCredsNotMounted
}

// checkPodFile reports a file path Dex opens when it opens the connector:
// under /dexcreds it exists only if the Secret has that key (a risk
// pachidp cannot see), and only if the Secret is mounted at all; anywhere else, on Pachyderm, it does not exist and
// Open fails. Upstream Dex runs in a pod its operator builds: a risk.
func (c *entryCheck) checkPodFile(rel string, rule Rule, p string) {
	switch {
	case c.opts.Target.IsUpstreamDex() && strings.HasPrefix(p, "/"):
		c.add(rel, rule, FateRisk,
			"Dex reads this file when it opens the connector: if it is not there, Open fails; mount it at exactly this path")
	case c.opts.Target.IsUpstreamDex():
		c.add(rel, rule, FateRisk,
			"a relative path is read from Dex's working directory: if the file is not there, Open fails; use the absolute path where the file is mounted")
	case inDexCreds(p) && c.opts.dexCreds == dexCredsNotMounted:
		c.addOpen(rel, rule,
			"%q is under /dexcreds, which the chart mounts only when oidc.dexCredentialSecretName is set: set oidc.dexCredentialSecretName to the Secret holding the key %q", p, path.Base(p))
	case inDexCreds(p):
		c.add(rel, rule, FateRisk,
			"Dex opens %q in pachd's pod: it is there if oidc.dexCredentialSecretName's Secret has the key %q", p, path.Base(p))
	default:
		c.addOpen(rel, rule,
			"%q is not in pachd's pod: use /dexcreds/<key> of the Secret oidc.dexCredentialSecretName", p)
	}
}
