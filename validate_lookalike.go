package pachidp

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Look-alike keys: a key of the chart that pachidp reads, written with a
// character that looks like the right one but is not (Cyrillic о for o,
// a full-width letter) or with an invisible one (a zero-width space, a
// soft hyphen). Helm and the chart read it as another key: `оidc:` leaves
// oidc at its defaults and the entries under it are ignored, and an edit
// that looks for oidc would append a second one. ValidateValues reports
// each (rule lookalike-key) and the edits of a Document refuse to run.

// lookalikeKeys are the mappings whose keys are compared, by path, and the
// keys pachidp reads there.
var lookalikeKeys = map[string][]string{
	"":            {keyOIDC, "proxy", "pachd", "ingress"},
	keyOIDC:       {keyIDPs, keySecretName, keyMockIDP, "issuerURI"},
	"proxy":       {"enabled", "host", "tls"},
	"proxy.tls":   {"enabled", "secretName", "secret"},
	"ingress":     {"enabled", "host", "tls", "uriHttpsProtoOverride"},
	"ingress.tls": {"enabled"},
	"pachd":       {"enabled", "enterpriseLicenseKey", "enterpriseLicenseKeySecretName", "activateAuth", "activateEnterprise", "activateEnterpriseMember"},
}

// confusables maps letters of other scripts to the Latin letter they look
// like (the common ones of Unicode's confusables.txt for the letters of the
// keys above).
var confusables = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'B', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's',
	'ԁ': 'd', 'һ': 'h', 'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g', 'к': 'k', 'м': 'M', 'н': 'H', 'т': 'T', 'п': 'n',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X',
	'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ү': 'Y', 'Ԁ': 'D', 'Ԍ': 'G', 'Ԛ': 'Q', 'Ԝ': 'W', 'ԃ': 'd',
	// Greek
	'α': 'a', 'ο': 'o', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T',
	'Υ': 'Y', 'Χ': 'X', 'Ζ': 'Z',
	// Latin look-alikes
	'ı': 'i', 'ℓ': 'l', 'ǀ': 'l', 'ɑ': 'a',
}

// invisible reports a character that shows nothing, or nothing of its own:
// format characters (zero-width space and joiners, soft hyphen, byte order
// mark, bidirectional controls), combining marks, control characters and
// spaces other than the ASCII one.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Cc) || unicode.Is(unicode.Zs, r) && r != ' '
}

// skeleton returns what key looks like: invisible characters dropped,
// look-alike and full-width letters replaced by the Latin ones.
func skeleton(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case invisible(r):
			return -1
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			return r - 0xFEE0
		}
		if l, ok := confusables[r]; ok {
			return l
		}
		return r
	}, key)
}

// lookalike is a key that looks like one pachidp reads.
type lookalike struct {
	path, key, looksLike string
	pos                  Position
}

// message says what is wrong with the key and what to do.
func (l lookalike) message() string {
	var what []string
	i := 0
	for _, r := range l.key {
		i++
		switch {
		case invisible(r):
			what = append(what, fmt.Sprintf("%U (an invisible character) at character %d", r, i))
		case r >= 0x80:
			script := "a letter of another script"
			for name, table := range map[string]*unicode.RangeTable{"a Cyrillic letter": unicode.Cyrillic, "a Greek letter": unicode.Greek} {
				if unicode.Is(table, r) {
					script = name
				}
			}
			if r >= 0xFF01 && r <= 0xFF5E {
				script = "a full-width letter"
			}
			what = append(what, fmt.Sprintf("%U (%s) at character %d", r, script, i))
		}
	}
	return fmt.Sprintf("the key %q looks like %s but is another key: it holds %s, so Helm and the chart read it as a key they do not know and ignore what is under it; retype it as %s",
		l.key, l.looksLike, strings.Join(what, ", "), l.looksLike)
}

// lookalikes returns the look-alike keys of the mappings of lookalikeKeys,
// in path order.
func (v *Document) lookalikes() []lookalike {
	if plainASCII(v.doc.Bytes()) {
		return nil // no key can hold a look-alike: skip reading the tree
	}
	root, err := v.values()
	if err != nil {
		return nil
	}
	var out []lookalike
	for prefix, known := range lookalikeKeys {
		m, ok := root.(map[string]any)
		if prefix != "" {
			x, _, found := lookupIn(root, prefix)
			m, ok = x.(map[string]any)
			ok = ok && found
		}
		if !ok {
			continue
		}
		for k := range m {
			if strings.ContainsFunc(k, func(r rune) bool { return r >= 0x80 || invisible(r) }) {
				if s := skeleton(k); s != k && contains(known, s) {
					p := joinPath(prefix, k)
					out = append(out, lookalike{path: p, key: k, looksLike: s})
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	for i := range out {
		out[i].pos = v.positions().at(out[i].path)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// plainASCII reports text that cannot spell a look-alike key: ASCII
// without control characters (but tab and line breaks) and without a
// backslash, which could write one as an escape in a quoted key.
func plainASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 || c == '\\' || c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// lookupIn follows a dotted path of plain keys through maps.
func lookupIn(root any, path string) (any, bool, bool) {
	cur := root
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false, false
		}
	}
	return cur, true, true
}

// lookalikeFindings reports each look-alike key (rule lookalike-key).
func lookalikeFindings(v *Document) Findings {
	var fs Findings
	for _, l := range v.lookalikes() {
		fs = append(fs, Finding{Path: l.path, Pos: l.pos, Rule: RuleLookalikeKey, Severity: SeverityError, Message: l.message()})
	}
	return fs
}

// checkLookalikes refuses an edit of a document with a look-alike key: the
// edit would look for the real key, not find it, and write a second one
// beside the user's. A document found clean stays clean through edits
// (they write only the keys pachidp names), so it is checked once.
func (v *Document) checkLookalikes() error {
	if v.noLookalikes {
		return nil
	}
	if ls := v.lookalikes(); len(ls) > 0 {
		return &EditError{Path: ls[0].path, Pos: ls[0].pos, Msg: ls[0].message()}
	}
	v.noLookalikes = true
	return nil
}
