package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pachidp/pachidp"
)

// textWidth is the width, in characters, of validate's text lines.
const textWidth = 120

// textLines returns the findings of a report that are not suppressed as
// validate prints them, one a line:
//
//	FILE:LINE:COL: error|warning: PATH: short message [rule-id]
//
// (FILE: alone when the line is unknown). The message is shortened so the
// line fits 120 characters; the full message and the rule's detail are in
// the Finding and in `pachidp explain RULE`. A finding whose rule, relative
// path and message repeat in other entries of the same file is said once,
// at its first entry, followed by "(and 2 more: [1], [3])".
func textLines(r *pachidp.Report) []string {
	if r == nil {
		return nil
	}
	type group struct {
		first   pachidp.Finding
		entries []string // the indexes of the later entries, "[3]"
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		if m := entryPath.FindStringSubmatch(f.Path); m != nil {
			key := strings.Join([]string{f.File, string(f.Rule), f.Severity.String(), m[1], m[3], f.Message}, "\x00")
			if g, ok := byKey[key]; ok {
				g.entries = append(g.entries, "["+m[2]+"]")
				continue
			}
			g := &group{first: f}
			byKey[key] = g
			groups = append(groups, g)
			continue
		}
		groups = append(groups, &group{first: f})
	}
	lines := make([]string, 0, len(groups))
	for _, g := range groups {
		more := ""
		if n := len(g.entries); n > 0 {
			list := g.entries
			if n > 3 {
				list = append(list[:3:3], "...")
			}
			more = fmt.Sprintf(" (and %d more: %s)", n, strings.Join(list, ", "))
		}
		lines = append(lines, textLine(g.first, more))
	}
	return lines
}

// entryPath splits the path of a finding about an entry: the list, the
// index, the rest.
var entryPath = regexp.MustCompile(`^(oidc\.upstreamIDPs|upstream-idps)\[(\d+)\](.*)$`)

// textLine is formatFinding's line with the message shortened to fit
// textWidth, and more (the other entries it speaks for) before the rule.
func textLine(f pachidp.Finding, more string) string {
	path := f.Severity.String()
	if f.Path != "" {
		path += ": " + f.Path
	}
	start := located(f.File, f.Pos, path, "")
	tail := more + " [" + string(f.Rule) + "]"
	msg := shortMessage(f, textWidth-len(start)-len(tail))
	return strings.ReplaceAll(start+msg+tail, "\n", "; ")
}

// minShort is the room shortMessage takes even past the width.
const minShort = 50

// shortMessage returns the message of f in at most n characters (at least
// 50), for one line of text:
//
//   - the message itself when it fits;
//   - else its longest beginning that fits and ends where a clause ends (before
//     ": ", "; " or " (", outside quotes and parentheses), when that
//     beginning has at least 12 characters;
//   - else the title of its rule (Rule.Title, at most 50 characters);
//   - else, for a rule not in Rules, the message cut at n characters,
//     ending with "...".
//
// The full message stays in the finding (JSON's message), and the rule's
// explanation in Rule.Detail.
func shortMessage(f pachidp.Finding, n int) string {
	n = max(n, minShort)
	msg := strings.ReplaceAll(f.Message, "\n", " ")
	if len(msg) <= n {
		return msg
	}
	best := ""
	depth, quoted := 0, false
	for i := 0; i < len(msg) && i <= n; i++ {
		switch c := msg[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			if depth == 0 && i > 0 && msg[i-1] == ' ' {
				best = msg[:i-1]
			}
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == ':' || c == ';') && i+1 < len(msg) && msg[i+1] == ' ':
			best = msg[:i]
		}
	}
	if len(best) >= 12 && len(best) <= n {
		return best
	}
	if f.Rule.Known() {
		return f.Rule.Title()
	}
	return msg[:n-3] + "..."
}
