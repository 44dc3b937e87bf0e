// Package leaktest writes a canary secret into Helm values in every shape
// YAML and JSON allow (plain, quoted, escaped, block, folded, over several
// lines, in flow mappings, inside a jsonConfig or a config written as a
// string, behind an alias), for the tests and fuzz targets that check no
// output shows it. It holds no test logic of its own.
package leaktest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The canary is built of two pieces; an output that holds either piece
// leaks (part of) the secret. Short is a secret under 4 bytes, which no
// search for the secret's text may look for.
const (
	PieceA = "A7Qx9kq"
	PieceB = "B4Wz2vm"
	Short  = "Ж9"
	// Secret is the canary as one line.
	Secret = "cnry" + PieceA + "-cnry" + PieceB
)

// Pieces are the strings no output may hold.
var Pieces = []string{PieceA, PieceB, Short}

// Shape is one way of writing the canary as the client secret of the entry
// "leak" (type oidc) of a values file.
type Shape struct {
	Name string
	// Config is the entry's config: lines (indented by 6 spaces in the
	// file) after "config:" or in place of it (a "jsonConfig:" or
	// "config:" line written whole). The secret stands for itself.
	Config string
	JSON   bool // the whole file is JSON (Config then is the JSON config object)
}

const (
	issuer   = "https://leak.example.com"
	redirect = "https://pachyderm.example.com/dex/callback"
)

// Shapes returns every shape of Secret.
func Shapes() []Shape { return ShapesWith("") }

// ShapesWith returns every shape of a secret that holds filler between the
// canary's two pieces (a fuzz target's bytes): each shape writes it as its
// syntax allows, escaped in quoted styles, and keeps of it only the
// characters a plain scalar may hold in the others.
func ShapesWith(filler string) []Shape {
	plainSafe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+=~@$%^*()!?", r) {
			return r
		}
		return -1
	}, filler)
	printable := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0xfeff || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 {
			return -1
		}
		return r
	}, filler)
	Secret := "cnry" + PieceA + "-" + plainSafe + "-cnry" + PieceB
	quoted := "cnry" + PieceA + "-" + printable + "-cnry" + PieceB
	dq := func(s string) string { b, _ := jsonString(s); return b }
	sq := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	json := `{"issuer": "` + issuer + `", "clientID": "leak", "clientSecret": ` + dq(quoted) + `, "redirectURI": "` + redirect + `"}`
	return []Shape{
		{Name: "plain", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: " + Secret + "\n  redirectURI: " + redirect},
		{Name: "double-quoted", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: " + dq(quoted) + "\n  redirectURI: " + redirect},
		{Name: "single-quoted", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: " + sq(quoted) + "\n  redirectURI: " + redirect},
		{Name: "literal block", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: |\n    " + strings.TrimSpace(quoted) + "\n  redirectURI: " + redirect},
		{Name: "folded block", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: >-\n    cnry" + PieceA + "\n    cnry" + PieceB + "\n  redirectURI: " + redirect},
		{Name: "multi-line plain", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: cnry" + PieceA + "\n    cnry" + PieceB + "\n  redirectURI: " + redirect},
		{Name: "multi-line double-quoted", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: \"cnry" + PieceA + "\n    cnry" + PieceB + "\"\n  redirectURI: " + redirect},
		{Name: `\x63 escapes`, Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: \"" + escape(Secret, `\x%02x`) + "\"\n  redirectURI: " + redirect},
		{Name: `\u0063 escapes`, Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: \"" + escapeRunes(quoted, false) + "\"\n  redirectURI: " + redirect},
		{Name: "short secret in a flow map", Config: "config: {issuer: " + issuer + ", clientID: leak, clientSecret: " + Short + ", redirectURI: " + redirect + "}"},
		{Name: "flow map", Config: "config: {issuer: " + issuer + ", clientID: leak, clientSecret: " + Secret + ", redirectURI: " + redirect + "}"},
		{Name: "jsonConfig", Config: "jsonConfig: " + sq(json)},
		{Name: "jsonConfig block", Config: "jsonConfig: |\n  " + json},
		{Name: "config as a string", Config: "config: " + q(json)},
		{Name: "alias", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: *canary\n  redirectURI: " + redirect},
		{Name: "comment after", Config: "config:\n  issuer: " + issuer + "\n  clientID: leak\n  clientSecret: " + Secret + " # rotated in May\n  redirectURI: " + redirect},
		{Name: "JSON file", JSON: true, Config: `{"issuer": "` + issuer + `", "clientID": "leak", "clientSecret": ` + dq(quoted) + `, "redirectURI": "` + redirect + `"}`},
		{Name: "JSON file with escapes", JSON: true, Config: `{"issuer": "` + issuer + `", "clientID": "leak", "clientSecret": "` + escapeRunes(quoted, true) + `", "redirectURI": "` + redirect + `"}`},
	}
}

// jsonString quotes s as JSON does (a double-quoted YAML scalar reads it
// back the same).
func jsonString(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// escapeRunes writes every rune of s as \uXXXX; past U+FFFF as YAML's
// \UXXXXXXXX, or for JSON written as it is (yaml.v3, which reads JSON
// values files too, takes no surrogate pairs).
func escapeRunes(s string, json bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		case json:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

// escape writes every byte of s with format (such as \x%02x).
func escape(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// Values returns a values file whose entry "leak" holds the secret in
// shape s, after an entry "keep" with a plain secret of its own. crlf
// writes "\r\n" line breaks (YAML only); indent is the indentation step
// (2 or more).
func Values(s Shape, indent int, crlf bool) string {
	if s.JSON {
		return `{"proxy": {"host": "pachyderm.example.com"}, "oidc": {"upstreamIDPs": [` +
			`{"id": "keep", "name": "Keep", "type": "oidc", "config": {"issuer": "https://keep.example.com", "clientID": "keep", "clientSecret": "keep-secret-value", "redirectURI": "` + redirect + `"}}, ` +
			`{"id": "leak", "name": "Leak", "type": "oidc", "config": ` + s.Config + `}]}}` + "\n"
	}
	indent = max(indent, 2)
	in := func(n int) string { return strings.Repeat(" ", n*indent) }
	var b strings.Builder
	b.WriteString("# values\nproxy:\n" + in(1) + "host: pachyderm.example.com\n")
	if strings.Contains(s.Config, "*canary") {
		b.WriteString("canary: &canary " + Secret + "\n")
	}
	b.WriteString("oidc:\n" + in(1) + "upstreamIDPs:\n")
	item := in(1) + "  " // the keys of an entry, after "- "
	b.WriteString(in(1) + "- id: keep\n" + item + "name: Keep\n" + item + "type: oidc\n" + item + "config:\n" +
		item + in(1) + "issuer: https://keep.example.com\n" + item + in(1) + "clientID: keep\n" + item + in(1) + "clientSecret: keep-secret-value\n" + item + in(1) + "redirectURI: " + redirect + "\n")
	b.WriteString(in(1) + "- id: leak\n" + item + "name: Leak\n" + item + "type: oidc\n")
	for _, l := range strings.Split(s.Config, "\n") {
		// The shapes' lines are indented by two spaces a level.
		lead := len(l) - len(strings.TrimLeft(l, " "))
		b.WriteString(item + strings.Repeat(" ", lead/2*indent) + strings.TrimLeft(l, " ") + "\n")
	}
	out := b.String()
	if crlf {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	return out
}

// Leaks returns the pieces of the canary that out holds.
func Leaks(out string) []string {
	var found []string
	for _, p := range Pieces {
		if strings.Contains(out, p) {
			found = append(found, p)
		}
	}
	return found
}
