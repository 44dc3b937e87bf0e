package pachidp

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/<name> (goldentest.Check), secrets
// hidden in a failure.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update, redactLine)
}

// redactLine hides the value of a line that names a secret key.
func redactLine(s string) string {
	if i := strings.Index(s, ":"); i >= 0 && isSecretKey(strings.Trim(strings.TrimSpace(s[:i]), `"- `)) {
		return s[:i+1] + " " + Redacted
	}
	return s
}
