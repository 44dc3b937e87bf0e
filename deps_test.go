package pachidp

import (
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
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
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
