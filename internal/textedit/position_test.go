package textedit

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPositionOffsetLongLines: position and offset, which use the block
// index of continuation bytes, agree with counting characters from the
// start of the line, on long lines of mixed 1- to 4-byte characters.
func TestPositionOffsetLongLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	chars := []string{"a", "b", " ", "é", "€", "😀", "\u200b"}
	for trial := range 20 {
		var b strings.Builder
		for range r.IntN(3) + 1 {
			for range r.IntN(3000) {
				b.WriteString(chars[r.IntN(len(chars))])
			}
			b.WriteString("\n")
		}
		v := &Doc{data: []byte(b.String())}
		v.lines = lineStarts(v.data, true)
		for off := 0; off <= len(v.data); off++ {
			if off < len(v.data) && !utf8.RuneStart(v.data[off]) {
				continue
			}
			p := v.position(off)
			ls := v.lineStart(p.Line)
			if want := utf8.RuneCount(v.data[ls:off]) + 1; p.Column != want {
				t.Fatalf("trial %d: position(%d) column %d, want %d", trial, off, p.Column, want)
			}
			if off < v.lineEnd(p.Line) || off == ls {
				if got := v.offset(p.Line, p.Column); got != off {
					t.Fatalf("trial %d: offset(%d, %d) = %d, want %d", trial, p.Line, p.Column, got, off)
				}
			}
		}
		// A column past the end of its line stops at the line's end.
		if got, end := v.offset(1, 1<<20), v.lineEnd(1); got != end {
			t.Fatalf("trial %d: offset past the end = %d, want %d", trial, got, end)
		}
	}
}
