package suggest

import "strings"

// Nearest returns the candidate closest to s when it differs from s only in
// case, or else by at most two edits (Levenshtein, case ignored) and by
// fewer edits than s has bytes; "" otherwise. A candidate equal to s but for
// case wins over any other; among equally close candidates the first wins.
func Nearest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := Levenshtein(ls, strings.ToLower(c)); d < bestD && d < len(ls) {
			best, bestD = c, d
		}
	}
	return best
}

// ForCommand returns the candidate closest to s for a did-you-mean line of
// the command: the first candidate at the smallest distance of at most two
// edits (Levenshtein, case ignored); when none is that close, the first
// candidate three edits away that is a prefix of s or that s is a prefix of
// (case kept); else the first candidate that starts with s, if s has at
// least two bytes; else "".
func ForCommand(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := Levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d < bestD || d == bestD && best == "" && (strings.HasPrefix(c, s) || strings.HasPrefix(s, c)) {
			best, bestD = c, d
		}
	}
	if best == "" {
		for _, c := range candidates {
			if len(s) >= 2 && strings.HasPrefix(c, s) {
				return c
			}
		}
	}
	return best
}

// Levenshtein is the edit distance between a and b in runes: insertions,
// deletions and substitutions each count one.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// OSA is the optimal string alignment distance between a and b in runes:
// insertions, deletions, substitutions and swaps of two neighbours each
// count one, so that cilentsecert is two edits from clientsecret. (Unlike
// the full Damerau distance, a swapped pair is not edited again.)
func OSA(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// ID returns the candidate id closest to id for a did-you-mean of a rule id:
// Nearest, or else the first candidate that holds id (lowercased) when id
// has at least four bytes; "" otherwise.
func ID(id string, candidates []string) string {
	if s := Nearest(id, candidates); s != "" {
		return s
	}
	for _, c := range candidates {
		if len(id) >= 4 && strings.Contains(c, strings.ToLower(id)) {
			return c
		}
	}
	return ""
}
