package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
)

// tempPattern is the name of writeAtomic's temporary file for target:
// .BASE.pachidp-DIGITS (os.CreateTemp puts the digits in place of *).
func tempPattern(target string) string { return "." + filepath.Base(target) + ".pachidp-*" }

// isOwnTemp reports whether name is a temporary file that writeAtomic (or
// WriteSecret) made for the file named base: "." + base + ".pachidp-" and
// digits only. The lock file (.BASE.pachidp.lock) is not one.
func isOwnTemp(name, base string) bool {
	digits, ok := strings.CutPrefix(name, "."+base+".pachidp-")
	if !ok || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeOrphans removes the temporary files of target that an edit killed
// between their creation and their rename (kill -9 during the fsync, a
// power cut) left behind: they hold the new content, secrets included, with
// the file's mode, and `git add -A` would stage them. Only files of this
// naming, regular, owned by the caller where files have owners, are
// removed. It must run under target's Lock: another edit that holds it
// cannot be writing one of them then. Best effort: an error leaves the
// orphan for the next edit.
func removeOrphans(target string) {
	dir, base := filepath.Dir(target), filepath.Base(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	uid := os.Geteuid()
	for _, e := range entries {
		if !isOwnTemp(e.Name(), base) || !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if owner, _, ok := Owner(fi); ok && uid >= 0 && owner != uid {
			continue
		}
		_ = os.Remove(p)
	}
}
