//go:build linux

package pachidp

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// asUnprivileged runs f with the effective user id of nobody (65534) when
// the test runs as root, who may write any folder, so that permission
// checks apply; as another user it runs f as it is. The folders above dir
// are opened for nobody to reach it. The test must not be parallel: the
// effective id is the whole process's.
func asUnprivileged(t *testing.T, dir string, f func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		f()
		return
	}
	for d := dir; d != "/" && d != "." && d != os.TempDir(); d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil { // search for others
			t.Fatal(err)
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := syscall.Setresuid(-1, 65534, -1); err != nil {
		t.Fatalf("cannot take the effective user id 65534 to test a permission: %v", err)
	}
	defer func() {
		if err := syscall.Setresuid(-1, 0, -1); err != nil {
			panic("cannot return to root: " + err.Error())
		}
	}()
	f()
}
