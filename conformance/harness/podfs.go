package harness

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// PodFS is the filesystem of pachd's pod (where Dex runs) for one case:
// only what the chart mounts for the case's values exists.
//
// What the chart mounts that a connector's file could be in: the Secret
// oidc.dexCredentialSecretName at /dexcreds, in every chart version of the
// fixtures (templates/pachd/deployment.yaml: 2.2.7:251-254 and :280-285,
// 2.3.9:395-398 and :449-454, 2.6.0:478-481 and :532-537, 2.11.6:530-533 and
// :584-589, 2.12.0-rc.3 and master :513-516 and :567-572). No release has a
// generic volumes key for pachd; its other mounts (/tmp, /pach,
// /pachyderm-storage-secret, /pachd-tls-cert) hold nothing a user chooses
// for a connector, so they are modelled as absent. The Secret's keys are the
// case's (Case.DexCreds): the files of /dexcreds.
//
// How the real code is made to see it: Open reads files with os.ReadFile
// and tls.LoadX509KeyPair on the paths of its config, so before
// json.Unmarshal the harness rewrites every path in a file key (FileKeys)
// into a per-case root directory that holds only the mounted files, and
// rewrites the paths back in any error. An absolute path P becomes
// <root>P; a relative one is resolved from the container's working
// directory, taken to be "/" (pachd's image sets none the chart overrides),
// so it becomes <root>/P. What is not a path stays as it is: a PEM (it has
// "-----BEGIN" or a line break) or, where Dex also accepts base64, a string
// that decodes as base64 and does not start with "/" (upstream's
// pkg/httpclient extractCAs tries os.ReadFile first, then base64, then the
// raw bytes; the forks' NewHTTPClient reads files only, and such a string
// is no file in a pod either).
type PodFS struct {
	Root string
	// back maps a rewritten path to the path as written, for errors.
	back map[string]string
}

// FileKeys are the config keys whose values Dex's connectors open as files
// (lower case: encoding/json matches names case-insensitively):
// oidc and oauth rootCAs (pkg/httpclient NewHTTPClient, os.ReadFile),
// ldap rootCA, clientCert, clientKey (connector/ldap/ldap.go:262 and :274
// at 706aec2), github rootCA (github.go:107), openshift rootCA
// (openshift.go:71), google serviceAccountFilePath (google.go:320), saml ca
// (saml.go:197).
var FileKeys = map[string]bool{
	"rootcas": true, "rootca": true, "clientcert": true, "clientkey": true,
	"serviceaccountfilepath": true, "ca": true,
}

// MountedDir is where oidc.dexCredentialSecretName is mounted.
const MountedDir = "/dexcreds"

// NewPodFS builds the pod filesystem of a case under dir (a fresh
// directory): /dexcreds with the case's DexCreds when its values name
// oidc.dexCredentialSecretName, nothing otherwise.
func NewPodFS(dir string, c Case) (*PodFS, error) {
	p := &PodFS{Root: dir, back: map[string]string{}}
	if len(c.DexCreds) > 0 && !c.MountsDexCreds() {
		return nil, fmt.Errorf("%s: dexCreds without oidc.dexCredentialSecretName: the chart mounts nothing", c.Name)
	}
	if !c.MountsDexCreds() {
		return p, nil
	}
	mount := filepath.Join(dir, MountedDir)
	if err := os.MkdirAll(mount, 0o755); err != nil {
		return nil, err
	}
	for name, content := range c.DexCreds {
		if name == "" || strings.ContainsAny(name, "/\\") || name == "." || name == ".." {
			return nil, fmt.Errorf("%s: dexCreds key %q is not a Secret key", c.Name, name)
		}
		if err := os.WriteFile(filepath.Join(mount, name), []byte(expandContent(content)), 0o644); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// expandContent replaces the token "@private-ca" by PrivateCA's PEM, so
// that a case can put the CA in the Secret without copying it.
func expandContent(s string) string {
	return strings.ReplaceAll(s, "@private-ca", string(PrivateCA().PEM()))
}

// MountsDexCreds reports whether the chart mounts /dexcreds for the case's
// values: oidc.dexCredentialSecretName is a non-empty string (the
// templates test it with `if`).
func (c Case) MountsDexCreds() bool {
	oidc, _ := c.Values["oidc"].(map[string]any)
	s, _ := oidc["dexCredentialSecretName"].(string)
	return s != ""
}

// Rewrite returns config (a connector's JSON config) with the paths of its
// file keys moved under Root; config that is not a JSON object is returned
// as it is (Dex's json.Unmarshal reports it). The object is rebuilt key by
// key in its order, duplicates included, so that which of two keys
// encoding/json matches case-insensitively wins stays as pachd passed it.
func (p *PodFS) Rewrite(config []byte) []byte {
	if p == nil {
		return config
	}
	dec := json.NewDecoder(bytes.NewReader(config))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return config
	}
	var out bytes.Buffer
	out.WriteByte('{')
	changed := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return config
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return config
		}
		if FileKeys[strings.ToLower(key)] {
			if r, ok := p.rewriteValue(raw); ok {
				raw, changed = r, true
			}
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(raw)
	}
	if !changed {
		return config
	}
	out.WriteByte('}')
	return out.Bytes()
}

// rewriteValue rewrites a file key's value: a string or a list of strings.
func (p *PodFS) rewriteValue(raw json.RawMessage) (json.RawMessage, bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		r, ok := p.path(one)
		if !ok {
			return raw, false
		}
		b, _ := json.Marshal(r)
		return b, true
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return raw, false
	}
	changed := false
	for i, it := range list {
		if json.Unmarshal(it, &one) != nil {
			continue
		}
		if r, ok := p.path(one); ok {
			list[i], _ = json.Marshal(r)
			changed = true
		}
	}
	if !changed {
		return raw, false
	}
	b, _ := json.Marshal(list)
	return b, true
}

// path rewrites one value of a file key, when it is a path.
func (p *PodFS) path(s string) (string, bool) {
	if s == "" || strings.Contains(s, "-----BEGIN") || strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	if !strings.HasPrefix(s, "/") {
		if _, err := base64.StdEncoding.DecodeString(s); err == nil {
			return "", false
		}
	}
	r := filepath.Join(p.Root, path.Clean("/"+s))
	if strings.HasSuffix(s, "/") {
		r += "/"
	}
	p.back[r] = s
	return r, true
}

// Unrewrite puts the paths as written back into an error text.
func (p *PodFS) Unrewrite(s string) string {
	if p == nil {
		return s
	}
	keys := make([]string, 0, len(p.back))
	for k := range p.back {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, p.back[k])
	}
	return strings.ReplaceAll(s, p.Root, "")
}
