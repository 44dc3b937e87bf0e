package preflight

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/<name> (goldentest.Check), the values
// of secret keys hidden in a failure.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update, func(l string) string {
		return string(pachidp.RedactText([]byte(l)))
	})
}
