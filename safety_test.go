package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// Tests of issue 8 ("Safety") for the library: locked edits, files that
// hold secrets, size caps, aliases. The command's side is in
// cmd/pachidp/safety_test.go.

// safetyEntry is a GenericOIDC entry with the given id.
func safetyEntry(t testing.TB, id string) UpstreamIDP {
	t.Helper()
	e, err := GenericOIDC{Issuer: "https://sso.example.com", ClientID: "cid-" + id, ClientSecret: "secret-" + id,
		ProxyHost: "pachyderm.example.com", ID: id, Name: id}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// assertIDs checks that the file lists exactly the ids want, in any order.
func assertIDs(t *testing.T, path string, want []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range idps {
		got[e.ID] = true
	}
	var lost []string
	for _, id := range want {
		if !got[id] {
			lost = append(lost, id)
		}
	}
	if len(lost) > 0 || len(got) != len(want) {
		t.Errorf("%d edits, the file lists %d entries; lost: %v", len(want), len(got), lost)
	}
}

// TestEditFileConcurrent (issue 8, case 1): many goroutines and processes
// add an entry each to one file at the same moment; every entry is there
// afterwards and every edit succeeded. Before the lock, edits failed with
// ErrFileChanged or were lost in the instant between the check and the
// rename.
func TestEditFileConcurrent(t *testing.T) {
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o644)
	const goroutines, processes, perProcess = 12, 4, 3
	var want []string
	var wg sync.WaitGroup
	errs := make(chan error, goroutines+processes)
	start := make(chan struct{})
	for i := range goroutines {
		id := fmt.Sprintf("g%d", i)
		want = append(want, id)
		e := safetyEntry(t, id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := EditFile(path, FileOptions{LockWait: time.Minute}, func(v *Document) error { return v.UpsertUpstreamIDP(e) }); err != nil {
				errs <- err
			}
		}()
	}
	for p := range processes {
		var ids []string
		for i := range perProcess {
			ids = append(ids, fmt.Sprintf("p%d-%d", p, i))
		}
		want = append(want, ids...)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperEditProcess$")
		cmd.Env = append(os.Environ(), "PACHIDP_EDIT_FILE="+path, "PACHIDP_EDIT_IDS="+strings.Join(ids, ","))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("process: %v: %s", err, out)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assertIDs(t, path, want)
	leftovers(t, filepath.Dir(path), "values.yaml")
}

// TestHelperEditProcess is the process TestEditFileConcurrent starts: it
// adds the entries PACHIDP_EDIT_IDS names, one EditFile each.
func TestHelperEditProcess(t *testing.T) {
	path := os.Getenv("PACHIDP_EDIT_FILE")
	if path == "" {
		t.Skip("started by TestEditFileConcurrent")
	}
	for _, id := range strings.Split(os.Getenv("PACHIDP_EDIT_IDS"), ",") {
		e := safetyEntry(t, id)
		if _, err := EditFile(path, FileOptions{LockWait: time.Minute}, func(v *Document) error { return v.UpsertUpstreamIDP(e) }); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLockWaitBounded: an edit waits for the lock's holder, then gives up
// with a *atomicfile.LockError naming the lock file and the holder; nothing written.
func TestLockWaitBounded(t *testing.T) {
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o644)
	lock, err := atomicfile.Acquire(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = EditFile(path, FileOptions{LockWait: 150 * time.Millisecond}, upsertAuth0(t))
	var le *atomicfile.LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want a *atomicfile.LockError", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 3*time.Second {
		t.Errorf("waited %v, want about 150ms", d)
	}
	wantLock := filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock")
	if le.Lock != wantLock || le.Holder != "pid "+strconv.Itoa(os.Getpid()) {
		t.Errorf("LockError = %+v", le)
	}
	for _, want := range []string{wantLock, "pid ", "remove"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	assertContent(t, path, []byte(fileTestValues))
	// Released: the next edit goes through and leaves no lock file.
	if err := lock.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := EditFile(path, FileOptions{}, upsertAuth0(t)); err != nil {
		t.Fatal(err)
	}
	leftovers(t, filepath.Dir(path), "values.yaml")
}

// TestLockLeftByCrash: a lock file without a holder (its process died)
// does not stop an edit.
func TestLockLeftByCrash(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("without flock the lock file is the lock")
	}
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o644)
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), ".values.yaml.pachidp.lock"), []byte("pid 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := EditFile(path, FileOptions{LockWait: time.Second}, upsertAuth0(t)); err != nil {
		t.Fatal(err)
	}
}

// endless is a reader that never ends, as a pipe from `yes` or /dev/zero.
type endless struct{ n int64 }

// endlessBlock is what an endless reader returns, again and again.
var endlessBlock = bytes.Repeat([]byte("a"), 64<<10)

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, endlessBlock)
	e.n += int64(n)
	return n, nil
}

// TestReadLimited (issue 8, case 7): an endless input fails after the cap
// plus one byte, with the cap in the message.
func TestReadLimited(t *testing.T) {
	r := &endless{}
	_, err := atomicfile.ReadLimited(r, atomicfile.MaxStdinSize, "standard input")
	var se *atomicfile.SizeError
	if !errors.As(err, &se) || se.Limit != atomicfile.MaxStdinSize {
		t.Fatalf("err = %v, want an *atomicfile.SizeError", err)
	}
	if err.Error() != "standard input is larger than 16 MiB: pass the right file (a values file, manifest or secret is far smaller), or split it" {
		t.Errorf("message: %v", err)
	}
	if r.n > atomicfile.MaxStdinSize+64<<10 {
		t.Errorf("read %d bytes of an endless input, want at most the cap and a buffer", r.n)
	}
	if data, err := atomicfile.ReadLimited(strings.NewReader("abc"), 3, "x"); err != nil || string(data) != "abc" {
		t.Errorf("input of exactly the cap: %q, %v", data, err)
	}
}

// TestReadFileLimited: a regular file past the cap is refused before it is
// read; /dev/zero after the cap; EditFile refuses a file past
// atomicfile.MaxValuesFileSize.
func TestReadFileLimited(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		start := time.Now()
		_, err := atomicfile.ReadFile("/dev/zero", atomicfile.MaxSecretFileSize, "--client-secret-file")
		if err == nil || err.Error() != "--client-secret-file is larger than 64 KiB: pass the right file (a values file, manifest or secret is far smaller), or split it" {
			t.Errorf("/dev/zero: err = %v", err)
		}
		if d := time.Since(start); d > 30*time.Second { // generous: CI machines are shared
			t.Errorf("/dev/zero took %v", d)
		}
	}
	path := filepath.Join(t.TempDir(), "values.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(atomicfile.MaxValuesFileSize + 1); err != nil { // sparse: costs nothing
		t.Fatal(err)
	}
	f.Close()
	_, err = EditFile(path, FileOptions{}, upsertAuth0(t))
	if !errors.Is(err, ErrTooLarge) ||
		err.Error() != path+" is larger than 16 MiB: pass the right file (a values file, manifest or secret is far smaller), or split it" {
		t.Errorf("EditFile of a file past the cap: err = %v, want ErrTooLarge", err)
	}
}

// TestAliasLimitAnywhere (issue 8, case 8): aliases past the limit outside
// oidc are an error when the values are opened, not a "not set" later.
func TestAliasLimitAnywhere(t *testing.T) {
	var many strings.Builder
	many.WriteString("proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\nanchor: &a x\nmany:\n")
	for range 200_000 {
		many.WriteString("  - *a\n")
	}
	var laughs strings.Builder
	laughs.WriteString("proxy:\n  host: pachyderm.example.com\nlol:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&laughs, "  l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	for name, doc := range map[string]string{"200000 aliases": many.String(), "billion laughs": laughs.String()} {
		t.Run(name, func(t *testing.T) {
			_, err := OpenDocument([]byte(doc))
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "aliases expand the document by more than 100000 values") {
				t.Fatalf("OpenDocument: err = %v, want the alias limit", err)
			}
		})
	}
}

var _ io.Reader = (*endless)(nil)
