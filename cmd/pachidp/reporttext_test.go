package main

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/fixtures"
)

// TestTextLinesGroupsEntries: a finding whose rule, relative path and
// message repeat in other entries of the same file is said once, at its
// first entry; suppressed findings are not printed; the message is
// shortened at a clause to fit the line.
func TestTextLinesGroupsEntries(t *testing.T) {
	warn := func(i, line int) pachidp.Finding {
		return pachidp.Finding{File: "v.yaml", Path: "oidc.upstreamIDPs[" + itoa(i) + "].config.insecureSkipEmailVerified",
			Pos: pachidp.Position{Line: line, Column: 9}, Rule: pachidp.RuleInsecureSkipEmailVerified, Severity: pachidp.SeverityWarning,
			Message: "every email counts as verified: anyone the provider authenticates, with any email, can log in unless the provider restricts its users"}
	}
	r := &pachidp.Report{Findings: pachidp.Findings{
		warn(1, 25), warn(2, 34), warn(4, 50), warn(5, 60), warn(6, 70),
		{File: "v.yaml", Path: "proxy.tls.enabled", Pos: pachidp.Position{Line: 4, Column: 5}, Rule: pachidp.RuleTLSDisabled,
			Severity: pachidp.SeverityError, Message: "TLS off", Suppressed: true, Reason: "--ignore"},
		{File: "other.yaml", Path: "oidc.upstreamIDPs[1].config.insecureSkipEmailVerified", Pos: pachidp.Position{Line: 3, Column: 1},
			Rule: pachidp.RuleInsecureSkipEmailVerified, Severity: pachidp.SeverityWarning, Message: "short"},
	}}
	want := []string{
		"v.yaml:25:9: warning: oidc.upstreamIDPs[1].config.insecureSkipEmailVerified: every email counts as verified (and 4 more: [2], [4], [5], ...) [insecure-skip-email-verified]",
		"other.yaml:3:1: warning: oidc.upstreamIDPs[1].config.insecureSkipEmailVerified: short [insecure-skip-email-verified]",
	}
	if got := textLines(r); !slices.Equal(got, want) {
		t.Errorf("text\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if textLines(nil) != nil {
		t.Error("textLines(nil) is not nil")
	}
}

// TestTextLineWidth runs ValidateValues over every values file the
// repository and the shared Pachyderm fixtures hold, and the values of every
// case of conformance/corpus (which fire every rule), each named
// "values.yaml" as a user has it, for the newest release, 2.11.6 and 2.2.7,
// and checks that every text line fits textWidth (120 columns). A line may
// be longer only when its prefix "values.yaml:L:C: severity: PATH: " alone
// leaves under 50 columns for the message and the rule id (a deep path):
// shortMessage never cuts a message under 50 characters. It logs the
// distribution of the line widths (go test -v -run TestTextLineWidth).
func TestTextLineWidth(t *testing.T) {
	root := filepath.Join("..", "..")
	docs := map[string][]byte{}
	shared := fixtures.Dir(t)
	for _, dir := range []string{filepath.Join(root, "testdata"), "testdata", shared} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") || (dir == shared && filepath.Dir(path) != shared) {
				return err
			}
			data, err := os.ReadFile(path)
			docs[path] = data
			return err
		})
	}
	corpus, _ := filepath.Glob(filepath.Join(root, "conformance", "corpus", "*.yaml"))
	if len(corpus) < 100 {
		t.Fatalf("%d corpus cases under conformance/corpus", len(corpus))
	}
	for _, p := range corpus {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Values yaml.Node `yaml:"values"`
		}
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if docs[p], err = yaml.Marshal(&c.Values); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	var widths []int
	for _, path := range slices.Sorted(maps.Keys(docs)) {
		v, err := pachidp.OpenDocument(docs[path])
		if err != nil {
			continue // not a values document (a multi-document file, a Dex config)
		}
		for _, target := range []string{"", "2.11.6", "2.2.7"} {
			opts := pachidp.ValidateValuesOptions{File: "values.yaml"}
			if target != "" {
				if opts.Target, err = pachidp.ParseTarget(target); err != nil {
					t.Fatal(err)
				}
			}
			r, err := pachidp.ValidateValues(v, opts)
			if err != nil {
				continue // an oidc section of the wrong shape: an error, not a line
			}
			for _, line := range textLines(r) {
				widths = append(widths, len(line))
				if len(line) <= textWidth {
					continue
				}
				m := linePrefix.FindStringSubmatch(line)
				if m == nil {
					t.Errorf("%s (target %q): not a finding line: %s", path, target, line)
					continue
				}
				if textWidth-len(m[1])-len(m[2]) >= minShort {
					t.Errorf("%s (target %q): %d columns:\n%s", path, target, len(line), line)
				}
			}
		}
	}
	if len(widths) < 1000 {
		t.Fatalf("only %d lines", len(widths))
	}
	slices.Sort(widths)
	over, _ := slices.BinarySearch(widths, textWidth+1)
	t.Logf("%d lines from %d files: median %d, p90 %d, max %d, over %d: %d",
		len(widths), len(docs), widths[len(widths)/2], widths[len(widths)*9/10], widths[len(widths)-1], textWidth, len(widths)-over)
}

// linePrefix matches a text line: its prefix "values.yaml:L:C: severity:
// PATH: " and its rule id " [rule]".
var linePrefix = regexp.MustCompile(`^(values\.yaml(?::\d+:\d+)?: (?:error|warning): (?:[^ ]+: )?).*( \[[a-z0-9-]+\])$`)

// TestWithFlags: the command names --ignore for the rules it passed as
// ValidateValuesOptions.Ignore, whatever a comment's reason says, and
// --secret for the entries it could not check.
func TestWithFlags(t *testing.T) {
	r := &pachidp.Report{Findings: pachidp.Findings{
		{Rule: pachidp.RuleTLSDisabled, Suppressed: true, Reason: "ValidateValuesOptions.Ignore"},
		{Rule: pachidp.RuleInsecureSkipEmailVerified, Suppressed: true, Reason: "ValidateValuesOptions.Ignore"},
		{Rule: pachidp.RuleEntriesNotChecked, Message: `the entries are in the Secret "idps" and were not checked: pass its manifest`},
	}}
	withFlags(r, pachidp.ValidateValuesOptions{Ignore: []pachidp.Rule{pachidp.RuleInsecureSkipEmailVerified}})
	if got := r.Findings[0].Reason; got != "ValidateValuesOptions.Ignore" {
		t.Errorf("a comment's reason was rewritten to %q", got)
	}
	if got := r.Findings[1].Reason; got != "--ignore" {
		t.Errorf("reason of a rule passed with --ignore: %q", got)
	}
	if got := r.Findings[2].Message; !strings.HasSuffix(got, "pass its manifest with --secret FILE") {
		t.Errorf("entries-not-checked: %q", got)
	}
}
