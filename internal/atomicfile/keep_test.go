package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReplaceRemovesOrphans (issue 15): an edit killed during its fsync
// (kill -9) leaves its temporary file, .values.yaml.pachidp-DIGITS, holding
// the new content (secrets) with the file's mode; `git add -A` stages it.
// The next edit, which holds the lock, removes such files of its own
// naming, and nothing else.
func TestReplaceRemovesOrphans(t *testing.T) {
	path := writeTestFile(t, "a: 1\n", 0o644)
	dir := filepath.Dir(path)
	orphans := []string{".values.yaml.pachidp-123456789", ".values.yaml.pachidp-42"}
	kept := []string{".values.yaml.pachidp-notdigits", ".other.yaml.pachidp-123", "values.yaml.pachidp-7", ".values.yaml.pachidp.lock.bak"}
	for _, n := range append(append([]string{}, orphans...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("clientSecret: new-secret\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A directory of the naming is no orphan file.
	if err := os.Mkdir(filepath.Join(dir, ".values.yaml.pachidp-99"), 0o755); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, ".values.yaml.pachidp-99")
	l, err := Acquire(path, DefaultWait)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Replace([]byte("a: 1\n"), []byte("a: 2\n")); err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	for _, n := range orphans {
		if _, err := os.Lstat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("the orphan %s is still there (%v)", n, err)
		}
	}
	for _, n := range kept {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s, not an orphan of this file, was removed: %v", n, err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != "a: 2\n" {
		t.Errorf("content %q", got)
	}
}

func TestIsOwnTemp(t *testing.T) {
	for name, want := range map[string]bool{
		".v.yaml.pachidp-1": true, ".v.yaml.pachidp-": false, ".v.yaml.pachidp.lock": false,
		".v.yaml.pachidp-1x": false, "v.yaml.pachidp-1": false, ".w.yaml.pachidp-1": false,
	} {
		if got := isOwnTemp(name, "v.yaml"); got != want {
			t.Errorf("isOwnTemp(%q) = %v", name, got)
		}
	}
}
