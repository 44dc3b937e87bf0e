package pachidp

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRootImportsNoDex (issue 16): a program that imports only this package
// builds without the Dex module, go-oidc, x/oauth2 or go-jose; Dex's Go
// types live in package dexconv, the online preflight in package preflight.
// It asks the go command for the package's import graph, as `go list -deps .`
// prints it.
func TestRootImportsNoDex(t *testing.T) {
	goCmd := goCommand(t)
	out, err := exec.Command(goCmd, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps .: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 || !strings.Contains(string(out), "gopkg.in/yaml.v3") {
		t.Fatalf("go list -deps . printed %d packages, without yaml.v3: not the import graph", len(deps))
	}
	for _, p := range deps {
		for _, heavy := range []string{"github.com/dexidp/dex", "github.com/coreos/go-oidc", "golang.org/x/oauth2", "github.com/go-jose/go-jose"} {
			if p == heavy || strings.HasPrefix(p, heavy+"/") {
				t.Errorf("the root package imports %s (through %s): move the code that needs it to package dexconv or preflight", heavy, p)
			}
		}
	}
}

// TestRootAPISize: the root's API stays one a newcomer can read at a
// glance: `go doc -short .` prints at most 75 lines (issue 16). A name only
// the command needs belongs in internal/ or cmd/pachidp; a helper that
// another call already covers is not a separate entry point.
func TestRootAPISize(t *testing.T) {
	goCmd := goCommand(t)
	out, err := exec.Command(goCmd, "doc", "-short", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go doc -short .: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 40 || !strings.Contains(string(out), "func ValidateValues(") {
		t.Fatalf("go doc -short . printed %d lines without ValidateValues: not the API", len(lines))
	}
	if len(lines) > 75 {
		t.Errorf("go doc -short . prints %d lines, want at most 75:\n%s", len(lines), out)
	}
}

// goCommand is the go command the test asks, or a skip where there is
// none; CI has one, so there the test fails instead.
func goCommand(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no go command on PATH, in CI")
		}
		t.Skip("no go command on PATH")
	}
	return goCmd
}
