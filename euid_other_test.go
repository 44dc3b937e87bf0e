//go:build !linux

package pachidp

import (
	"os"
	"testing"
)

// asUnprivileged runs f; as root, who may write any folder, the test is
// skipped (the euid switch is Linux's here).
func asUnprivileged(t *testing.T, dir string, f func()) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders; the switch to nobody is implemented for Linux")
	}
	f()
}
