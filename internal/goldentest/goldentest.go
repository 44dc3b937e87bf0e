// Package goldentest compares a test's output with a golden file, the one
// implementation every package of the module uses (the root, the command,
// preflight, the examples): go test -update rewrites the files.
package goldentest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check compares got with the file at path. With update it writes got
// there instead (creating the folder). On a mismatch it reports the first
// line that differs, both sides passed through redact, never the whole
// content, so that a secret in the output cannot reach the failure message
// wholesale; redact nil shows lines as they are.
func Check(t testing.TB, path string, got []byte, update bool, redact func(line string) string) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if redact == nil {
		redact = func(s string) string { return s }
	}
	line, g, w := FirstDiff(string(got), string(want))
	t.Errorf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(run go test -update to accept)", path, line, redact(g), redact(w))
}

// FirstDiff returns the first line (1-based) where got and want differ,
// and that line of each ("" past the end).
func FirstDiff(got, want string) (line int, g, w string) {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gl), len(wl)) {
		g, w = "", ""
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			return i + 1, g, w
		}
	}
	return 0, "", ""
}
