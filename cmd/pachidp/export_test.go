package main

import (
	"os"
	"strings"
	"testing"
)

// TestPachctlExport: an entry exported as a pachctl connector file reads
// back (import --from pachctl) as the same entry, and the file is private.
func TestPachctlExport(t *testing.T) {
	inDir(t, "values.yaml")
	r := pachidpRun(t, "", "pachctl", "okta", "-f", "values.yaml")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "pachctl-okta.golden", r.stdout)
	before := snap(t, "values.yaml")
	r = pachidpRun(t, "", "pachctl", "okta", "-f", "values.yaml", "--out", "okta.yaml", "--config-version", "3")
	if r.code != exitOK {
		t.Fatalf("--out: exit %d, stderr %q", r.code, r.stderr)
	}
	fi, err := os.Stat("okta.yaml")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("okta.yaml: %v, mode %v", err, fi.Mode())
	}
	data, _ := os.ReadFile("okta.yaml")
	if !strings.Contains(string(data), "\nversion: 3\n") {
		t.Errorf("--config-version 3 not written:\n%s", redactLine(string(data)))
	}
	// The round trip: importing the file changes nothing.
	r = pachidpRun(t, "", "import", "--from", "pachctl", "-f", "values.yaml", "--in-place", "okta.yaml")
	if r.code != exitOK || !strings.Contains(r.stderr, `kept (unchanged) entry "okta"`) {
		t.Fatalf("import: exit %d, stderr %q", r.code, r.stderr)
	}
	before.unchanged(t)
	// A wrong id is a finding with a suggestion.
	if r = pachidpRun(t, "", "pachctl", "oktaa", "-f", "values.yaml"); r.code != exitFindings || !strings.Contains(r.stderr, `did you mean "okta"?`) {
		t.Errorf("wrong id: exit %d, stderr %q", r.code, r.stderr)
	}
}
