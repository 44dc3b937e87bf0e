package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PachdFor returns pachd's stage for a release line, with IDPConnector
// compiled from the fixture proto, or skips the test when the shared
// fixtures are absent.
func PachdFor(t testing.TB, repoRoot string, d Decoder, protoFile string) *Pachd {
	t.Helper()
	dir, ok := FindShared(repoRoot)
	if !ok {
		if os.Getenv("CI") != "" { // CI must check them, not skip
			t.Fatal("shared/fixtures/pachyderm/proto is absent (set PACHIDP_FIXTURES or put shared/ beside the repository)")
		}
		t.Skip("shared/fixtures/pachyderm/proto is absent (set PACHIDP_FIXTURES or put shared/ beside the repository)")
	}
	desc, err := LoadIDPConnector(filepath.Join(dir, "proto"), protoFile)
	if err != nil {
		t.Fatalf("compile %s: %v", protoFile, err)
	}
	return &Pachd{Decoder: d, Proto: protoFile, Desc: desc}
}

// CheckModule fails unless the module under test really resolves Dex to
// module ("path version" of github.com/dexidp/dex or of its replacement).
// Test binaries carry no dependency list in their build info, so this asks
// the go command, as the build did.
func CheckModule(t testing.TB, module string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f",
		"{{with .Replace}}{{.Path}} {{.Version}}{{else}}{{.Path}} {{.Version}}{{end}}",
		"github.com/dexidp/dex").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m github.com/dexidp/dex: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != module {
		t.Fatalf("this module resolves Dex to %s, its glue says %s", got, module)
	}
}
