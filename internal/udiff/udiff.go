package udiff

import (
	"bytes"
	"fmt"
)

// Unified returns the unified diff that turns a into b, with the given
// number of context lines around each change (3 is diff -u's), under the
// headers "--- oldName" and "+++ newName". It returns nil when a and b are
// equal.
func Unified(oldName, newName string, a, b []byte, context int) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	if context < 0 {
		context = 0
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, context) {
		writeHunk(&out, h, x, y)
	}
	return out.Bytes()
}

// UnifiedShown is Unified of a and b, with the lines printed taken from
// showA and showB instead: the same texts with some bytes hidden (secrets)
// and the same lines. The changes are found on a and b, so that a change
// the hiding makes invisible (one secret for another) still shows as a
// changed line. When a shown text does not have the lines of its text, the
// diff is made of the shown texts alone.
func UnifiedShown(oldName, newName string, a, b, showA, showB []byte, context int) []byte {
	x, y := splitLines(a), splitLines(b)
	sx, sy := splitLines(showA), splitLines(showB)
	if len(sx) != len(x) || len(sy) != len(y) {
		return Unified(oldName, newName, showA, showB, context)
	}
	if bytes.Equal(a, b) {
		return nil
	}
	if context < 0 {
		context = 0
	}
	ops := diffLines(x, y)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, context) {
		writeHunk(&out, h, sx, sy)
	}
	return out.Bytes()
}

// splitLines cuts data after each '\n'; the last line may lack one.
func splitLines(data []byte) [][]byte {
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i+1])
		data = data[i+1:]
	}
	return lines
}

// op is one line of the edit script: kept (x[i] == y[j]), deleted (x[i])
// or inserted (y[j]).
type op struct {
	kind byte // ' ', '-' or '+'
	i, j int  // line of x for ' ' and '-', line of y for ' ' and '+'
}

// diffLines returns a shortest edit script from x to y. The common prefix
// and suffix are matched first, so that the cost of Myers' algorithm
// (O((N+M)·D) time, O(N+M) memory per step of D) depends on the changed
// middle only: an edit of a values file changes a few lines of thousands.
func diffLines(x, y [][]byte) []op {
	pre := 0
	for pre < len(x) && pre < len(y) && bytes.Equal(x[pre], y[pre]) {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && bytes.Equal(x[len(x)-1-suf], y[len(y)-1-suf]) {
		suf++
	}
	ops := make([]op, 0, len(x)+len(y)-pre-suf)
	for k := 0; k < pre; k++ {
		ops = append(ops, op{' ', k, k})
	}
	ops = append(ops, myers(x[pre:len(x)-suf], y[pre:len(y)-suf], pre, pre)...)
	for k := 0; k < suf; k++ {
		i, j := len(x)-suf+k, len(y)-suf+k
		ops = append(ops, op{' ', i, j})
	}
	return ops
}

// myers is Myers' O(ND) difference algorithm ("An O(ND) Difference
// Algorithm and Its Variations", 1986) on x and y, whose lines are numbered
// from xo and yo in the ops it returns. For each D it records the
// furthest-reaching point of every diagonal k = i-j, then walks the records
// back from (n, m): the script it returns is a shortest one.
func myers(x, y [][]byte, xo, yo int) []op {
	n, m := len(x), len(y)
	if n == 0 && m == 0 {
		return nil
	}
	max := n + m
	off := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	for d := 0; d <= max; d++ {
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = v[off+k+1] // down from diagonal k+1: an insertion
			} else {
				i = v[off+k-1] + 1 // right from diagonal k-1: a deletion
			}
			j := i - k
			for i < n && j < m && bytes.Equal(x[i], y[j]) {
				i, j = i+1, j+1
			}
			v[off+k] = i
			if i >= n && j >= m {
				trace = append(trace, append([]int(nil), v...))
				return backtrack(trace, x, y, off, xo, yo)
			}
		}
		trace = append(trace, append([]int(nil), v...))
	}
	panic("udiff: no edit script found")
}

// backtrack walks the recorded frontiers from (len(x), len(y)) back to
// (0, 0) and returns the edit script in order. Every op carries its place
// on both sides (for an insertion, i is the number of old lines before it;
// for a deletion, j the number of new lines), which the hunk headers use.
func backtrack(trace [][]int, x, y [][]byte, off, xo, yo int) []op {
	var rev []op
	i, j := len(x), len(y)
	for d := len(trace) - 1; d > 0; d-- {
		v := trace[d-1]
		k := i - j
		var pk int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		pi := v[off+pk]
		pj := pi - pk
		for i > pi && j > pj {
			i, j = i-1, j-1
			rev = append(rev, op{' ', xo + i, yo + j})
		}
		if pk == k+1 {
			j--
			rev = append(rev, op{'+', xo + i, yo + j})
		} else {
			i--
			rev = append(rev, op{'-', xo + i, yo + j})
		}
		i, j = pi, pj
	}
	for i > 0 && j > 0 {
		i, j = i-1, j-1
		rev = append(rev, op{' ', xo + i, yo + j})
	}
	out := make([]op, len(rev))
	for k := range rev {
		out[k] = rev[len(rev)-1-k]
	}
	return out
}

// hunk is a run of ops to print together: the changes and their context.
type hunk struct{ ops []op }

// hunks groups the script into hunks: each change with up to context kept
// lines around it, and changes closer than 2*context lines in one hunk.
func hunks(ops []op, context int) []hunk {
	var out []hunk
	var cur []op
	kept := 0 // kept lines at the end of cur since its last change
	for idx, o := range ops {
		if o.kind != ' ' {
			if cur == nil {
				from := idx - context
				if from < 0 {
					from = 0
				}
				cur = append(cur, ops[from:idx]...)
			}
			cur = append(cur, o)
			kept = 0
			continue
		}
		if cur == nil {
			continue
		}
		if kept < 2*context {
			cur = append(cur, o)
			kept++
			continue
		}
		// More than 2*context kept lines: close the hunk after context of them.
		cur = cur[:len(cur)-(kept-context)]
		out = append(out, hunk{cur})
		cur, kept = nil, 0
	}
	if cur != nil {
		if kept > context {
			cur = cur[:len(cur)-(kept-context)]
		}
		out = append(out, hunk{cur})
	}
	return out
}

// writeHunk prints one hunk with its "@@ -l,s +l,s @@" header.
func writeHunk(out *bytes.Buffer, h hunk, x, y [][]byte) {
	var na, nb int
	for _, o := range h.ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", rangeText(h.ops[0].i, na), rangeText(h.ops[0].j, nb))
	for _, o := range h.ops {
		var line []byte
		if o.kind == '+' {
			line = y[o.j]
		} else {
			line = x[o.i]
		}
		out.WriteByte(o.kind)
		out.Write(line)
		if line[len(line)-1] != '\n' {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeText is diff -u's "start,count": the 1-based first line, "start"
// alone for one line, and for none the number of lines before with ",0".
func rangeText(before, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", before)
	case 1:
		return fmt.Sprintf("%d", before+1)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}
