package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func writeTestFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-proof
		t.Fatal(err)
	}
	return path
}

// leftovers fails the test when the folder holds anything but want.
func leftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("folder holds %v, want %v (a temporary file was left behind?)", names, want)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.yaml")
	if err := Write(path, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %04o, want 0600", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("secret.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("a: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	got, _ := os.ReadFile(path)
	if st.Mode().Perm() != 0o640 || string(got) != "a: 2\n" {
		t.Errorf("replacing through a link: mode %04o content %q, want 0640 kept and the new content", st.Mode().Perm(), got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if err := Write(dir, []byte("x"), 0o600); err == nil {
		t.Error("writing over a folder succeeded")
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("a: 3\n"), 0o600); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("writing a read-only file: %v, want fs.ErrPermission", err)
	}
	leftovers(t, dir, "link.yaml", "secret.yaml")
}

func TestReplace(t *testing.T) {
	const old = "a: 1\n"
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, path string) // between Stat and Replace
		stale  bool
	}{
		{name: "unchanged"},
		{name: "written in place", stale: true, change: func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("a: 9\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "grown", stale: true, change: func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("b: 2\n")
			f.Close()
		}},
		{name: "same bytes, new file", stale: true, change: func(t *testing.T, path string) {
			if err := os.WriteFile(path+".new", []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(path+".new", path); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "removed", stale: true, change: func(t *testing.T, path string) { os.Remove(path) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTestFile(t, old, 0o644)
			st, err := Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.change != nil {
				tc.change(t, path)
			}
			before, _ := os.ReadFile(path)
			err = st.Replace([]byte("a: 2\n"), []byte(old))
			after, _ := os.ReadFile(path)
			switch {
			case tc.stale && !errors.Is(err, ErrChanged):
				t.Errorf("err = %v, want ErrChanged", err)
			case tc.stale && string(after) != string(before):
				t.Errorf("the other change was overwritten: %q", after)
			case !tc.stale && (err != nil || string(after) != "a: 2\n"):
				t.Errorf("err = %v, content %q", err, after)
			}
			if tc.stale && err != nil && !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("the error does not name the file: %v", err)
			}
			var want []string
			if _, err := os.Stat(path); err == nil {
				want = []string{"values.yaml"}
			}
			leftovers(t, filepath.Dir(path), want...)
		})
	}
}

func TestLock(t *testing.T) {
	path := writeTestFile(t, "a: 1\n", 0o644)
	l, err := Acquire(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock")
	if got, _ := os.ReadFile(lockPath); !strings.HasPrefix(string(got), "pid "+strconv.Itoa(os.Getpid())+" (") {
		t.Errorf("lock file holds %q, want the holder", got)
	}
	_, err = Acquire(path, 30*time.Millisecond)
	var le *LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire: %v, want a *LockError", err)
	}
	if le.Path != path || le.Lock != lockPath || !strings.HasPrefix(le.Holder, "pid ") || le.Waited < 30*time.Millisecond {
		t.Errorf("LockError %+v", le)
	}
	if l.Path() != path {
		t.Errorf("Path() = %q", l.Path())
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Errorf("second Unlock: %v", err)
	}
	if _, err := os.Stat(lockPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the lock file stays after Unlock: %v", err)
	}
	var nilLock *Lock
	if nilLock.Unlock() != nil || nilLock.Path() != "" {
		t.Error("a nil *Lock is not inert")
	}
	l2, err := Acquire(path, time.Second)
	if err != nil {
		t.Fatalf("Acquire after Unlock: %v", err)
	}
	l2.Unlock()
}

// A planted lock file cannot put its text into the error: the pid alone.
func TestLockHolderText(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the lock file's existence is the lock")
	}
	path := writeTestFile(t, "a: 1\n", 0o644)
	lockPath := filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock")
	for content, want := range map[string]string{
		"pid 42 (pachidp)\n":   "pid 42",
		"pid 42 \x1b[31mred\n": "pid 42",
		"pid 42\x1b[31mred\n":  "",
		"pid 0042\n":           "",
		"pid 12345678901\n":    "",
		"something else\n":     "",
		"":                     "",
	} {
		if err := os.WriteFile(lockPath, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readHolder(lockPath); got != want {
			t.Errorf("readHolder(%q) = %q, want %q", content, got, want)
		}
	}
}

// Edits that take the lock serialize: none is lost.
func TestLockSerializes(t *testing.T) {
	path := writeTestFile(t, "0", 0o644)
	var wg sync.WaitGroup
	const n = 8
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			l, err := Acquire(path, 10*time.Second)
			if err != nil {
				errs <- err
				return
			}
			defer l.Unlock()
			st, err := Stat(path)
			if err != nil {
				errs <- err
				return
			}
			old, err := os.ReadFile(st.Target)
			if err != nil {
				errs <- err
				return
			}
			i, _ := strconv.Atoi(string(old))
			errs <- st.Replace([]byte(strconv.Itoa(i+1)), old)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != fmt.Sprint(n) {
		t.Errorf("content %q after %d locked increments", got, n)
	}
	leftovers(t, filepath.Dir(path), "values.yaml")
}

// TestWriteSecret: a file holding secrets is a new file (a new inode, not
// the old file rewritten) of mode 0600 owned by the caller, whatever the
// mode of the file it replaces; a symbolic link, a folder or another user's
// file in its place is refused and left as it was, and no refusal shows
// the secret.
func TestWriteSecret(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.yaml")
	const secret = "fake-client-secret-do-not-print"
	if err := os.WriteFile(path, []byte("old"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := WriteSecret(path, []byte(secret)); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(path); fi.Mode() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode())
	}
	if after, _ := os.Stat(path); os.SameFile(before, after) {
		t.Error("the secrets were written into the existing inode")
	}
	if os.Geteuid() == 0 {
		theirs := filepath.Join(dir, "theirs.yaml")
		if err := os.WriteFile(theirs, []byte("their content"), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(theirs, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		err := WriteSecret(theirs, []byte(secret))
		if err == nil || !strings.Contains(err.Error(), "another user (uid 65534)") {
			t.Errorf("WriteSecret over another user's file = %v, want a refusal naming the owner", err)
		}
		if got, _ := os.ReadFile(theirs); string(got) != "their content" {
			t.Error("another user's file was written")
		}
		os.Remove(theirs)
	}
	if got, _ := os.ReadFile(path); string(got) != secret {
		t.Errorf("content %q", got)
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{link: "symbolic link", dir: "not a regular file"} {
		err := WriteSecret(p, []byte(secret))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), secret) {
			t.Errorf("WriteSecret(%s) = %v, want a refusal saying %q", filepath.Base(p), err, want)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "theirs" {
		t.Error("written through a link")
	}
	if err := CheckSecret(filepath.Join(dir, "new.yaml")); err != nil {
		t.Errorf("CheckSecret of a new file: %v", err)
	}
	leftovers(t, dir, "link.yaml", "secret.yaml", "target")
}
