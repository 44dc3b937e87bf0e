// Package scrub hides secrets in messages: the redaction by value that the
// root package (its documents' redaction) and package preflight (its check
// messages) share.
package scrub

import (
	"sort"
	"strings"
)

// Secrets replaces every occurrence of the secrets in msg with replacement, as written
// and as they stand inside a JSON or double-quoted string, longest first.
// Secrets shorter than 4 bytes, or holding a line break, are left alone:
// they would match ordinary words (and the redaction of a text must keep
// its lines); the redaction by position hides those.
func Secrets(msg, replacement string, secrets ...string) string {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if len(s) < 4 || strings.ContainsAny(s, "\r\n") {
			continue
		}
		for _, f := range []string{s, jsonQuoted(s)} {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return msg
	}
	// One pass for all of them (a Replacer tries them in argument order
	// at each place: longest first), so that the cost is linear in msg,
	// not in msg times the number of secrets.
	sort.Slice(forms, func(i, j int) bool {
		return len(forms[i]) > len(forms[j]) || len(forms[i]) == len(forms[j]) && forms[i] < forms[j]
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, replacement)
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// jsonQuoted is s as written inside a JSON or double-quoted YAML string.
func jsonQuoted(s string) string {
	q := doubleQuoteJSON(s)
	return q[1 : len(q)-1]
}

// doubleQuoteJSON quotes s as encoding/json does, without HTML escaping.
func doubleQuoteJSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
