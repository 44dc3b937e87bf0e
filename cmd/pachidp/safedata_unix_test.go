//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// heldByPipe starts `pachidp args...` in a goroutine whose INPUT is a named
// pipe, so that the command stops after reading its values (and manifest)
// until feed writes the pipe. It returns the pipe's path and the channel of
// the command's result.
func heldByPipe(t *testing.T, dir string, args func(fifo string) []string) (string, <-chan result) {
	t.Helper()
	fifo := filepath.Join(dir, "input.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan result, 1)
	go func() { done <- runIn(nil, nil, args(fifo)...) }()
	return fifo, done
}

// onRedo returns a channel closed when the next edit runs again (its
// first, optimistic run found a file changed), for the duration of t.
func onRedo(t *testing.T) <-chan struct{} {
	ch := make(chan struct{})
	testRedoHook = func() { close(ch); testRedoHook = nil }
	t.Cleanup(func() { testRedoHook = nil })
	return ch
}

func waitRedo(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("the edit did not run again")
	}
}

// feed waits until the command opens the pipe (it has then read its
// files), calls between, then writes content into the pipe.
func feed(t *testing.T, fifo string, between func(), content []byte) {
	t.Helper()
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	between()
	w.Write(content)
	w.Close()
}

func waitResult(t *testing.T, done <-chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not return")
	}
	return result{}
}

// TestSecretManifestChangedDuringEdit: `import --secret m.yaml --in-place`
// never overwrites a change another program made to the manifest after it
// was read. A change before the locks are taken (the edit runs first
// without them) makes the edit run again on the new manifest; a change
// while it holds them (a program that does not take the lock: an editor, a
// script) makes it refuse, as it does for a values file, and the change
// stays. The command is held between its read and its write by its INPUT,
// a named pipe. Before, the manifest was overwritten.
func TestSecretManifestChangedDuringEdit(t *testing.T) {
	dir := inDir(t, "values.yaml", "pachctl-connector.yaml")
	if r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml"); r.code != exitOK {
		t.Fatalf("secret: %d %s", r.code, r.stderr)
	}
	connector, err := os.ReadFile("pachctl-connector.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "m.yaml")
	data, err := os.ReadFile(m)
	if err != nil {
		t.Fatal(err)
	}
	label := func(v string) string {
		return strings.Replace(string(data), "name: pachyderm-upstream-idps", "name: pachyderm-upstream-idps\n  labels:\n    changed-by: "+v, 1)
	}
	if label("x") == string(data) {
		t.Fatal("the manifest has no name line to change")
	}
	redo := onRedo(t)
	fifo, done := heldByPipe(t, dir, func(fifo string) []string {
		return []string{"import", "--from", "pachctl", "-f", filepath.Join(dir, "values.yaml"), "--secret", m, "--in-place", fifo}
	})
	change := func(v string) func() {
		return func() {
			if err := os.WriteFile(m, []byte(label(v)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	feed(t, fifo, change("first"), connector) // the optimistic run: it runs again
	waitRedo(t, redo)
	feed(t, fifo, change("second"), connector) // the run under the locks: refused
	r := waitResult(t, done)
	if r.code != exitUsage || !strings.Contains(r.stderr, "changed on disk") {
		t.Errorf("exit %d, stderr %q, want a refusal: the manifest changed", r.code, redactLine(r.stderr))
	}
	if after, _ := os.ReadFile(m); string(after) != label("second") {
		t.Error("the other program's change to the manifest was overwritten")
	}
}

// TestEditNotLockedWhileValidating: an in-place edit does not hold the
// values file's lock between its read and its write (where it edits and
// validates): another edit can take it meanwhile. When that other edit
// changes the file, this one runs again on the new content, so neither
// change is lost. Before, the lock was held from the read on, so a slow
// validation (11.7 s for set-secret on a large one-line JSON) made a
// concurrent edit fail after its 10 s wait.
func TestEditNotLockedWhileValidating(t *testing.T) {
	dir := inDir(t, "values.yaml", "pachctl-connector.yaml")
	values := filepath.Join(dir, "values.yaml")
	connector, err := os.ReadFile("pachctl-connector.yaml")
	if err != nil {
		t.Fatal(err)
	}
	redo := onRedo(t)
	fifo, done := heldByPipe(t, dir, func(fifo string) []string {
		return []string{"import", "--from", "pachctl", "-f", values, "--in-place", fifo}
	})
	// The other edit: takes the lock (it is free), adds an entry, releases.
	other := func() {
		l, err := atomicfile.Acquire(values, 100*time.Millisecond)
		if err != nil {
			t.Fatalf("the lock is held while the edit runs: %v", err)
		}
		defer l.Unlock()
		old, err := os.ReadFile(values)
		if err != nil {
			t.Fatal(err)
		}
		next := strings.Replace(string(old), "    - type: oidc\n      id: okta\n", "    - type: oidc\n      id: other\n      name: Other\n      config:\n        issuer: https://other.example.com/\n        clientID: o\n        clientSecret: fake-other-secret\n        redirectURI: https://pachyderm.example.com/dex/callback\n        insecureSkipEmailVerified: false\n    - type: oidc\n      id: okta\n", 1)
		if next == string(old) {
			t.Fatal("no okta entry to insert before")
		}
		if err := l.Replace(old, []byte(next)); err != nil {
			t.Fatal(err)
		}
	}
	feed(t, fifo, other, connector)
	waitRedo(t, redo)
	feed(t, fifo, func() {}, connector) // it runs again, on the new content
	r := waitResult(t, done)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, redactLine(r.stderr))
	}
	if strings.Count(r.stderr, "added entry") != 1 {
		t.Errorf("stderr %q: want the second run's messages only", r.stderr)
	}
	got := strings.Join(idsOf(t, values), ",")
	if !strings.Contains(got, "other") || !strings.Contains(got, "auth0") {
		t.Errorf("entries %s: a change was lost", got)
	}
}
