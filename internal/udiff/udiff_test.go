package udiff

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"replace middle", "a\nb\nc\n", "a\nB\nc\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"insert at start", "b\n", "a\nb\n", "--- old\n+++ new\n@@ -1 +1,2 @@\n+a\n b\n"},
		{"from empty", "", "a\n", "--- old\n+++ new\n@@ -0,0 +1 @@\n+a\n"},
		{"to empty", "a\n", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n"},
		{"no final newline", "a\nb", "a\nc", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "x\n2\n3\n4\n5\n6\n7\n8\n9\ny\n",
			"--- old\n+++ new\n@@ -1,2 +1,2 @@\n-1\n+x\n 2\n@@ -9,2 +9,2 @@\n 9\n-10\n+y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := 3
			if tt.name == "two hunks" {
				ctx = 1
			}
			got := string(Unified("old", "new", []byte(tt.a), []byte(tt.b), ctx))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// apply applies a unified diff made by Unified to a, as patch(1) would;
// it trusts the hunk headers.
func apply(t *testing.T, a []byte, d []byte) []byte {
	t.Helper()
	if d == nil {
		return a
	}
	old := splitLines(a)
	lines := splitLines(d)[2:]
	var out []byte
	at := 0
	for len(lines) > 0 {
		var os, oc, ns, nc int
		h := strings.TrimSuffix(string(lines[0]), "\n")
		parseRange := func(s string) (int, int) {
			start, count := 0, 1
			if i := strings.IndexByte(s, ','); i >= 0 {
				start, count = atoi(s[:i]), atoi(s[i+1:])
			} else {
				start = atoi(s)
			}
			return start, count
		}
		f := strings.Fields(h)
		os, oc = parseRange(f[1][1:])
		ns, nc = parseRange(f[2][1:])
		_, _ = ns, nc
		first := os - 1
		if oc == 0 {
			first = os
		}
		for ; at < first; at++ {
			out = append(out, old[at]...)
		}
		lines = lines[1:]
		for len(lines) > 0 && lines[0][0] != '@' {
			l := lines[0]
			lines = lines[1:]
			noEOL := len(lines) > 0 && bytes.HasPrefix(lines[0], []byte("\\ "))
			body := l[1:]
			if noEOL {
				body = body[:len(body)-1]
				lines = lines[1:]
			}
			switch l[0] {
			case ' ':
				out = append(out, body...)
				at++
			case '-':
				at++
			case '+':
				out = append(out, body...)
			}
		}
	}
	for ; at < len(old); at++ {
		out = append(out, old[at]...)
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestUnifiedApplies checks on random texts that the diff applied to the
// old text gives the new one, with every amount of context.
func TestUnifiedApplies(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	words := []string{"a\n", "b\n", "c\n", "d\n", "e"}
	gen := func() []byte {
		var b []byte
		for n := r.Intn(12); n > 0; n-- {
			b = append(b, words[r.Intn(len(words))]...)
		}
		return b
	}
	for i := 0; i < 3000; i++ {
		a, b := gen(), gen()
		for ctx := 0; ctx <= 3; ctx++ {
			d := Unified("a", "b", a, b, ctx)
			if got := apply(t, a, d); !bytes.Equal(got, b) {
				t.Fatalf("context %d: applying\n%s\nto %q gives %q, want %q", ctx, d, a, got, b)
			}
		}
	}
}

// TestUnifiedPatch checks with the system's patch(1), when there is one.
func TestUnifiedPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch(1) here")
	}
	a := []byte("oidc:\n  upstreamIDPs:\n  - id: a\n    name: A\n  issuerURI: x\nproxy:\n  host: h\n")
	b := []byte("oidc:\n  upstreamIDPs:\n  - id: a\n    name: A\n  - id: b\n    name: B\n  issuerURI: x\nproxy:\n  host: h\n")
	dir := t.TempDir()
	f := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(f, a, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patch, "-s", f)
	cmd.Stdin = bytes.NewReader(Unified("values.yaml", "values.yaml", a, b, 3))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v: %s", err, out)
	}
	got, _ := os.ReadFile(f)
	if !bytes.Equal(got, b) {
		t.Fatalf("patched: %q, want %q", got, b)
	}
}

// BenchmarkUnifiedSmallEdit is one entry added to a large file.
func BenchmarkUnifiedSmallEdit(b *testing.B) {
	var a bytes.Buffer
	for i := 0; i < 5000; i++ {
		a.WriteString("key: value\n")
	}
	c := append(append([]byte(nil), a.Bytes()[:27500]...), append([]byte("- id: new\n"), a.Bytes()[27500:]...)...)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Unified("a", "b", a.Bytes(), c, 3)
	}
}

func FuzzUnified(f *testing.F) {
	f.Add([]byte("a\nb\n"), []byte("a\nc\n"), 3)
	f.Fuzz(func(t *testing.T, a, b []byte, ctx int) {
		if len(a) > 4096 || len(b) > 4096 {
			return
		}
		ctx = ctx % 5
		if ctx < 0 {
			ctx = -ctx
		}
		if got := apply(t, a, Unified("a", "b", a, b, ctx)); !bytes.Equal(got, b) {
			t.Fatalf("applying the diff of %q and %q gives %q", a, b, got)
		}
	})
}

// TestUnifiedShown: the changes are found on the texts and printed from the
// shown copies; a change the hiding makes invisible still shows; shown
// texts with other lines fall back to a diff of the shown texts.
func TestUnifiedShown(t *testing.T) {
	a, b := []byte("x: 1\ns: old\ny: 2\n"), []byte("x: 1\ns: new\ny: 2\n")
	sa, sb := []byte("x: 1\ns: HIDDEN\ny: 2\n"), []byte("x: 1\ns: HIDDEN\ny: 2\n")
	want := "--- a\n+++ b\n@@ -1,3 +1,3 @@\n x: 1\n-s: HIDDEN\n+s: HIDDEN\n y: 2\n"
	if got := string(UnifiedShown("a", "b", a, b, sa, sb, 3)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := UnifiedShown("a", "b", a, a, sa, sa, 3); got != nil {
		t.Errorf("equal texts: %q", got)
	}
	if got := string(UnifiedShown("a", "b", a, b, []byte("HIDDEN\n"), sb, 3)); strings.Contains(got, "old") || strings.Contains(got, "new") {
		t.Errorf("fallback shows a hidden text: %q", got)
	}
}
