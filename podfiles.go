package pachidp

import (
	"path"
	"strings"
)

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
