//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecretManifestChangedDuringEdit: `import --secret m.yaml --in-place`
// refuses, as it does for a values file, when another program (one that
// does not take the lock: an editor, a script) rewrote the manifest between
// its read and the rename, and that program's change stays. The command is
// held between the two by its INPUT, a named pipe the test writes only
// after changing the manifest. Before, the manifest was overwritten.
func TestSecretManifestChangedDuringEdit(t *testing.T) {
	dir := inDir(t, "values.yaml", "pachctl-connector.yaml")
	if r := pachidpRun(t, "", "secret", "-f", "values.yaml", "--in-place", "--manifest-out", "m.yaml"); r.code != exitOK {
		t.Fatalf("secret: %d %s", r.code, r.stderr)
	}
	fifo := filepath.Join(dir, "input.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	connector, err := os.ReadFile("pachctl-connector.yaml")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan result, 1)
	m := filepath.Join(dir, "m.yaml")
	go func() {
		done <- runIn(nil, nil, "import", "--from", "pachctl", "-f", filepath.Join(dir, "values.yaml"), "--secret", m, "--in-place", fifo)
	}()
	// The command has read the manifest once it opens the pipe: opening
	// the write end waits for it.
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(m)
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(string(data), "name: pachyderm-upstream-idps", "name: pachyderm-upstream-idps\n  labels:\n    changed-by: another-program", 1)
	if other == string(data) {
		t.Fatal("the manifest has no name line to change")
	}
	if err := os.WriteFile(m, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	w.Write(connector)
	w.Close()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not return")
	}
	if r.code != exitUsage || !strings.Contains(r.stderr, "changed on disk") {
		t.Errorf("exit %d, stderr %q, want a refusal: the manifest changed", r.code, redactLine(r.stderr))
	}
	if after, _ := os.ReadFile(m); string(after) != other {
		t.Error("the other program's change to the manifest was overwritten")
	}
}
