package main

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/udiff"
)

// diffUsage is the help of --diff, the same on every edit.
const diffUsage = "print a unified diff of what would be written (client secrets shown as " + pachidp.Redacted + ") and write nothing"

// diffFlag declares --diff on an edit.
func (fs *flagSet) diffFlag(e *env) { fs.BoolVar(&e.diff, "diff", false, diffUsage) }

// emit prints, for --diff, the diff of one output of an edit (the values
// document or a manifest) against old: "--- a/NAME" "+++ b/NAME", or
// "--- /dev/null" when old is nil (a file that does not exist yet). Secret
// values never reach the diff: see redactDiff.
func (e *env) emit(name string, old, out []byte) error {
	oldName := "a/" + name
	if old == nil {
		oldName = "/dev/null"
	}
	d := udiff.Unified(oldName, "b/"+name, old, out, 3)
	_, err := e.stdout.Write(redactDiff(d, secretValues(e.release(), old, out)))
	return err
}

// done says what an edit did, once it is written: on the file with
// --in-place; in the document printed on standard output without it; in
// the diff with --diff, which writes nothing.
func (e *env) done(name, what string, inPlace bool) {
	if e.report != nil {
		e.report.Notes = append(e.report.Notes, what)
	}
	switch {
	case e.report != nil && !inPlace:
		e.notef("%s: %s; nothing was written (-o json; --in-place writes it)", name, what)
	case e.diff:
		e.notef("%s: %s in the diff above; nothing was written (--diff)", name, what)
	case inPlace:
		e.notef("%s: %s", name, what)
	default:
		e.notef("%s: %s, on standard output (the file is unchanged: --in-place writes it)", name, what)
	}
}

// secretLine matches a line of a diff that sets a key: YAML ("  key: v",
// "- key: v") or JSON (`"key": "v",`).
var secretLine = regexp.MustCompile(`^([-+ ]\s*(?:-\s+)?)("?)([A-Za-z0-9_.-]+)("?\s*:\s*)(.*?)(,?)$`)

// redactDiff hides secrets in a diff: the value of every line whose key is
// a secret key (pachidp.IsSecretKey), and every occurrence of the secret
// values found in the two texts, wherever they stand (flow mappings,
// jsonConfig strings).
func redactDiff(d []byte, secrets []string) []byte {
	lines := strings.SplitAfter(string(d), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "@@") {
			continue
		}
		body, nl := strings.CutSuffix(l, "\n")
		if m := secretLine.FindStringSubmatch(body); m != nil && m[5] != "" && pachidp.IsSecretKey("", m[3]) {
			body = m[1] + m[2] + m[3] + m[4] + pachidp.Redacted + m[6]
		}
		for _, s := range secrets {
			body = strings.ReplaceAll(body, s, pachidp.Redacted)
		}
		if nl {
			body += "\n"
		}
		lines[i] = body
	}
	return []byte(strings.Join(lines, ""))
}

// secretValues returns the secret values of the entries in documents
// (values files, the values of release in a manifest, or Secret
// manifests), longest first so that a secret that
// contains another is hidden whole. Values shorter than 4 bytes are left to
// the key rule of redactDiff: replacing them everywhere would garble the
// diff.
func secretValues(release string, docs ...[]byte) []string {
	var all []pachidp.UpstreamIDP
	for _, d := range docs {
		if len(d) == 0 {
			continue
		}
		var idps []pachidp.UpstreamIDP
		// The values of the release the command reads, in a manifest
		// of several (--release); a values file has no release.
		v, err := pachidp.OpenDocumentWith(d, pachidp.FileOptions{Release: release})
		if err != nil {
			v, err = pachidp.OpenDocument(d)
		}
		if err == nil {
			idps, _ = v.UpstreamIDPs()
		}
		if s, err := pachidp.DecodeSecretManifest(d); err == nil {
			more, _ := s.UpstreamIDPs()
			idps = append(idps, more...)
		}
		all = append(all, idps...)
	}
	return secretsOf(all)
}

// secretsOf returns the secret values of entries, longest first (see
// secretValues).
func secretsOf(idps []pachidp.UpstreamIDP) []string {
	seen := map[string]bool{}
	for _, idp := range idps {
		j, err := idp.MarshalJSON()
		if err != nil {
			continue
		}
		var m map[string]any
		if json.Unmarshal(j, &m) != nil {
			continue
		}
		collectSecrets(m["type"], m, seen)
	}
	var out []string
	for s := range seen {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

// collectSecrets adds the string values of secret keys under v.
func collectSecrets(connType any, v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		t, _ := connType.(string)
		for k, x := range v {
			if s, ok := x.(string); ok && pachidp.IsSecretKey(t, k) {
				into[s] = true
				for _, f := range []func(string) string{jsonQuoted} {
					into[f(s)] = true
				}
			}
			collectSecrets(connType, x, into)
		}
	case []any:
		for _, x := range v {
			collectSecrets(connType, x, into)
		}
	}
}

// jsonQuoted is s as it appears inside a JSON or double-quoted YAML string.
func jsonQuoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
