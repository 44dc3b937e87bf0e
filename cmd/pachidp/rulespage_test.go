package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
)

// rulesPage renders the rule registry as docs/rules.md: an index, then a
// section per rule whose anchor is the rule id, so that SARIF's helpUri
// (rulesPageURL + id) lands on it.
func rulesPage() []byte {
	var b bytes.Buffer
	b.WriteString("<!-- Generated from the rule registry (rules.go) by TestRulesPage in cmd/pachidp:\n" +
		"     go test ./cmd/pachidp -run TestRulesPage -update. Do not edit by hand. -->\n\n")
	b.WriteString("# pachidp's rules\n\n")
	b.WriteString("Every finding of `pachidp validate` (and of the library's `ValidateValues`) names one of these\n" +
		"rules. An error breaks the cluster (Helm refuses to render, pachd fails to start, logins\n" +
		"fail) or makes the input unusable; a warning works with a risk or a silent loss.\n" +
		"`pachidp explain RULE` prints the same text.\n\n")
	b.WriteString("| rule | severity | title |\n|---|---|---|\n")
	rules := pachidp.Rules()
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", string(r), string(r), mdText(severities(r)), mdText(r.Title()))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n\n", string(r), mdText(strings.ToUpper(r.Title()[:1])+r.Title()[1:]))
		fmt.Fprintf(&b, "- Severity: %s\n", severities(r))
		if len(r.Fates()) > 0 {
			fmt.Fprintf(&b, "- Fate: %s\n", fates(r))
		}
		fmt.Fprintf(&b, "- Checked by: %s\n\n", strings.Join(r.Checks(), ", "))
		b.WriteString(mdText(wrap(r.Detail(), 88)))
		fmt.Fprintf(&b, "\nSilence it with `--ignore %s`, or with the comment `# pachidp:ignore %s REASON`\n"+
			"on the line (or the entry's first line) it speaks for.\n", string(r), string(r))
	}
	return b.Bytes()
}

// mdText escapes what Markdown would read as HTML or as emphasis.
func mdText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "|", `\|`).Replace(s)
}

// TestRulesPage: docs/rules.md is the registry as it is now; a rule added,
// renamed or reworded without regenerating the page fails here. Every rule
// has its section (the anchor SARIF's helpUri points at).
func TestRulesPage(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	got := rulesPage()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run TestRulesPage -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/rules.md is not the registry's page: run go test ./cmd/pachidp -run TestRulesPage -update")
	}
	for _, r := range pachidp.Rules() {
		if !bytes.Contains(want, []byte("\n## "+string(r)+"\n")) {
			t.Errorf("docs/rules.md has no section for %s (helpUri %s%s)", string(r), rulesPageURL, string(r))
		}
	}
}
