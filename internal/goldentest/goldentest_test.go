package goldentest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failure instead of failing.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.msg = fmtS(f, a...) }
func (r *recorder) Fatalf(f string, a ...any) { r.msg = fmtS(f, a...) }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	Check(t, path, []byte("a\nclientSecret: s3cr3t\n"), true, nil)
	if data, err := os.ReadFile(path); err != nil || string(data) != "a\nclientSecret: s3cr3t\n" {
		t.Fatalf("update wrote %q, %v", data, err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nclientSecret: s3cr3t\n"), false, nil)
	if r.msg != "" {
		t.Errorf("equal output failed: %s", r.msg)
	}
	hide := func(s string) string {
		if strings.HasPrefix(s, "clientSecret:") {
			return "clientSecret: REDACTED"
		}
		return s
	}
	Check(r, path, []byte("a\nclientSecret: other\n"), false, hide)
	if !strings.Contains(r.msg, "line 2") || strings.Contains(r.msg, "s3cr3t") || strings.Contains(r.msg, "other") {
		t.Errorf("mismatch message %q: want line 2, no secret", r.msg)
	}
	r.msg = ""
	Check(r, filepath.Join(t.TempDir(), "none"), nil, false, nil)
	if !strings.Contains(r.msg, "-update") {
		t.Errorf("missing file: %q", r.msg)
	}
	if line, g, w := FirstDiff("a\nb", "a\nb\nc"); line != 3 || g != "" || w != "c" {
		t.Errorf("FirstDiff = %d %q %q", line, g, w)
	}
}

func fmtS(f string, a ...any) string { return fmt.Sprintf(f, a...) }
