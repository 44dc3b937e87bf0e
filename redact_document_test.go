package pachidp

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/leaktest"
)

// TestRedactTextShapes (issue 15): RedactText hides the canary in every
// shape of leaktest (block, folded, quoted, escaped, multi-line, flow maps
// with a secret under 4 bytes, jsonConfig, a config written as a string,
// an alias, JSON), with any indentation and line ending, keeps the lines
// (line N of the result is line N of the text) and the other values.
// Before, the diff's redaction worked line by line on the text and let
// nine of these shapes through.
func TestRedactTextShapes(t *testing.T) {
	shapes := append(leaktest.Shapes(), leaktest.ShapesWith(`a "quoted" # not a comment, {flow}: ok \ 'x' ünï ☃ 𝄞`)...)
	for _, s := range shapes {
		for _, indent := range []int{2, 4} {
			for _, crlf := range []bool{false, true} {
				if crlf && s.JSON {
					continue
				}
				in := []byte(leaktest.Values(s, indent, crlf))
				if _, err := OpenDocument(in); err != nil {
					t.Fatalf("%s: the values do not read: %v", s.Name, err)
				}
				out := RedactText(in)
				if leaks := leaktest.Leaks(string(out)); len(leaks) > 0 {
					t.Errorf("%s (indent %d, crlf %v): shows %q:\n%s", s.Name, indent, crlf, leaks, out)
				}
				if bytes.Count(out, []byte("\n")) != bytes.Count(in, []byte("\n")) {
					t.Errorf("%s (indent %d, crlf %v): %d lines, want %d", s.Name, indent, crlf, bytes.Count(out, []byte("\n")), bytes.Count(in, []byte("\n")))
				}
				for _, keep := range []string{"https://keep.example.com", "id: leak", "redirectURI", "pachyderm.example.com/dex/callback"} {
					if s.JSON {
						keep = strings.Replace(keep, "id: leak", `"id": "leak"`, 1)
					}
					if !bytes.Contains(out, []byte(keep)) {
						t.Errorf("%s (indent %d, crlf %v): %q was hidden too:\n%s", s.Name, indent, crlf, keep, out)
					}
				}
				if bytes.Contains(out, []byte("keep-secret-value")) {
					t.Errorf("%s: the other entry's secret shows", s.Name)
				}
			}
		}
	}
}

// TestRedactTextOthers: a Secret manifest's stringData text and data, a
// secret key holding a mapping, a text that does not parse.
func TestRedactTextOthers(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"manifest", "apiVersion: v1\nkind: Secret\nstringData:\n  upstream-idps: |\n    - id: a\n      type: oidc\n      config:\n        clientSecret: " + leaktest.Secret + "\n        issuer: https://x\ndata:\n  other: " + leaktest.PieceA + "\n",
			"apiVersion: v1\nkind: Secret\nstringData:\n  upstream-idps: |\n    - id: a\n      type: oidc\n      config:\n        clientSecret: REDACTED\n        issuer: https://x\ndata:\n  other: REDACTED\n"},
		{"mapping", "password:\n  a: " + leaktest.PieceA + "\n  b: [" + leaktest.PieceB + "]\nc: 1\n", "password:\n  REDACTED: REDACTED\n  REDACTED: [REDACTED]\nc: 1\n"},
		{"no parse", "a: [" + leaktest.PieceA + "\nb: 1\n", "REDACTED\n\n"},
		{"ldap", "- type: ldap\n  config: {bindPW: " + leaktest.Short + ", host: h}\n", "- type: ldap\n  config: {bindPW: REDACTED, host: h}\n"},
		{"pasted elsewhere", "clientSecret: " + leaktest.Secret + "\nissuer: https://" + leaktest.Secret + "\n", "clientSecret: REDACTED\nissuer: https://REDACTED\n"},
		{"json", `{"a":{"clientSecret":"` + leaktest.Short + `"}}`, `{"a":{"clientSecret":"REDACTED"}}`},
		{"list of Secrets", "kind: List\nitems:\n- kind: Secret\n  data:\n    upstream-idps: " + leaktest.PieceA + "\n", "kind: List\nitems:\n- kind: Secret\n  data:\n    upstream-idps: REDACTED\n"},
	} {
		if got := string(RedactText([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// secretValuesOf returns the string values of secret keys in a decoded
// YAML tree, at any depth.
func secretValuesOf(v any, into *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && IsSecretKey("", k) {
				*into = append(*into, s)
			}
			secretValuesOf(val, into)
		}
	case []any:
		for _, val := range x {
			secretValuesOf(val, into)
		}
	}
}

// FuzzRedactText: on any input RedactText returns, keeps the line breaks,
// and shows no value of a secret key of 4 bytes or more that the input
// holds (as Helm reads it).
func FuzzRedactText(f *testing.F) {
	for _, s := range leaktest.Shapes() {
		f.Add([]byte(leaktest.Values(s, 2, false)))
	}
	f.Add([]byte("a: &x {clientSecret: s3cr3t}\nb: *x\nc: [{password: \"p\\x41ss\"}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := RedactText(data)
		if bytes.Count(out, []byte("\n")) != bytes.Count(data, []byte("\n")) {
			t.Fatalf("%d lines, want %d", bytes.Count(out, []byte("\n")), bytes.Count(data, []byte("\n")))
		}
		d, err := OpenDocument(data)
		if err != nil {
			return
		}
		v, err := d.values()
		if err != nil {
			return
		}
		var secrets []string
		secretValuesOf(v, &secrets)
		for _, s := range secrets {
			if len(s) >= 4 && !strings.ContainsAny(s, "\r\n") && strings.TrimSpace(s) == s && bytes.Contains(out, []byte(s)) &&
				!bytes.Contains([]byte(Redacted), []byte(s)) {
				t.Fatalf("the secret %q shows:\n%s", s, out)
			}
		}
	})
}
