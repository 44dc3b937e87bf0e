package pachidp

import (
	"errors"
	"strings"
	"testing"
)

// TestLookalikeKeys: a key pachidp reads, written with a look-alike or an
// invisible character, is a lookalike-key error of ValidateValues (the chart's keys) at
// its line, and the edits refuse the document, naming the line, instead of
// appending a second key. Before, add appended a second oidc: and the
// check said nothing.
func TestLookalikeKeys(t *testing.T) {
	const tmpl = "proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: tls\nOIDC:\n  UPSTREAM:\n    - type: oidc\n      id: a\n      name: A\n      config:\n        issuer: https://a.example.com/\n        clientID: c\n        clientSecret: s\n        redirectURI: https://pachyderm.example.com/dex/callback\n"
	for _, tc := range []struct {
		name, oidc, upstream, want string
		line                       int
	}{
		{"Cyrillic o", "\u043eidc", "upstreamIDPs", `U+043E (a Cyrillic letter) at character 1`, 6},
		{"zero-width space", "oidc\u200b", "upstreamIDPs", `U+200B (an invisible character) at character 5`, 6},
		{"escaped zero-width space", `"oidc\u200b"`, "upstreamIDPs", `U+200B (an invisible character) at character 5`, 6},
		{"full-width", "\uff4fidc", "upstreamIDPs", `U+FF4F (a full-width letter) at character 1`, 6},
		{"Greek omicron", "\u03bfidc", "upstreamIDPs", `U+03BF (a Greek letter) at character 1`, 6},
		{"soft hyphen in upstreamIDPs", "oidc", "upstream\u00adIDPs", `U+00AD (an invisible character) at character 9`, 7},
		{"Cyrillic dze in upstreamIDPs", "oidc", "upstreamIDP\u0455", `U+0455 (a Cyrillic letter) at character 12`, 7},
		{"right", "oidc", "upstreamIDPs", "", 0},
		{"an ASCII typo is not a look-alike", "odic", "upstreamIDPs", "", 0},
		{"another script's own word", "\u043e\u043e\u043e", "upstreamIDPs", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(strings.Replace(tmpl, "OIDC", tc.oidc, 1), "UPSTREAM", tc.upstream, 1)
			v, err := OpenDocument([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range prerequisites(v, Target{}) {
				if f.Rule == "lookalike-key" {
					got = append(got, f)
				}
			}
			err = v.UpsertUpstreamIDP(safetyEntry(t, "b"))
			if tc.want == "" {
				if len(got) > 0 {
					t.Errorf("findings %v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Pos.Line != tc.line || got[0].Severity != SeverityError || !strings.Contains(got[0].Message, tc.want) {
				t.Fatalf("findings %+v, want one error at line %d saying %q", got, tc.line, tc.want)
			}
			var ee *EditError
			if !errors.As(err, &ee) || ee.Pos.Line != tc.line || !strings.Contains(ee.Msg, tc.want) {
				t.Errorf("upsert: %v, want a refusal at line %d", err, tc.line)
			}
			if string(v.Bytes()) != src {
				t.Error("the refused edit changed the document")
			}
		})
	}
}
