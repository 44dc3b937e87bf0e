package pachidp

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

// TestTextLineWidth runs ValidateValues over every values file the
// repository and the shared Pachyderm fixtures hold, and the values of every
// case of conformance/corpus (which fire every rule), each named
// "values.yaml" as a user has it, for the newest release, 2.11.6 and 2.2.7,
// and checks that every text line fits textWidth (120 columns). A line may
// be longer only when its prefix "values.yaml:L:C: severity: PATH: " alone
// leaves under 50 columns for the message and the rule id (a deep path):
// ShortMessage never cuts a message under 50 characters. It logs the
// distribution of the line widths (go test -v -run TestTextLineWidth).
// The messages themselves (JSON's message) stay within textWidth too,
// unless a long quoted value (an issuer, the chart's error) makes them
// longer.
func TestTextLineWidth(t *testing.T) {
	var files []string
	shared := fixtures.Dir(t)
	for _, dir := range []string{"testdata", "cmd/pachidp/testdata", shared} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if dir != shared {
			filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".yaml") {
					files = append(files, path)
				}
				return err
			})
			continue
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".yaml") {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	docs := map[string][]byte{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs[path] = data
	}
	for _, c := range loadCorpus(t) {
		docs["conformance/corpus/"+c.name+".yaml"] = c.values(t)
	}
	var widths []int
	long := map[string]bool{}
	for _, path := range slices.Sorted(maps.Keys(docs)) {
		v, err := OpenDocument(docs[path])
		if err != nil {
			continue // not a values document (a multi-document file, a Dex config)
		}
		for _, target := range []string{"", "2.11.6", "2.2.7"} {
			opts := ValidateValuesOptions{File: "values.yaml"}
			if target != "" {
				opts.Target = mustTarget(target)
			}
			r, err := ValidateValues(v, opts)
			if err != nil {
				continue // an oidc section of the wrong shape: an error, not a line
			}
			for _, line := range r.TextLines() {
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
			for _, f := range r.Findings {
				if len(f.Message) <= textWidth {
					continue
				}
				long[string(f.Rule)+": "+f.Message] = true
				if !longQuote.MatchString(f.Message) {
					t.Errorf("%s (target %q): a message of %d characters without a long quoted value: %s", path, target, len(f.Message), f.Message)
				}
			}
		}
	}
	for _, m := range slices.Sorted(maps.Keys(long)) {
		t.Logf("message over %d: %s", textWidth, m)
	}
	if len(widths) == 0 {
		t.Fatal("no finding")
	}
	slices.Sort(widths)
	over := len(widths) - sortIndexAbove(widths, textWidth)
	t.Logf("%d lines from %d files: median %d, p90 %d, max %d, over %d: %d",
		len(widths), len(docs), widths[len(widths)/2], widths[len(widths)*9/10], widths[len(widths)-1], textWidth, over)
}

// linePrefix matches a text line: its prefix "values.yaml:L:C: severity:
// PATH: " and its rule id " [rule]".
var linePrefix = regexp.MustCompile(`^(values\.yaml(?::\d+:\d+)?: (?:error|warning): (?:[^ ]+: )?).*( \[[a-z0-9-]+\])$`)

// longQuote matches a quoted text of 30 characters or more: a value of the
// file or the text to write, which may make a message longer than a line.
var longQuote = regexp.MustCompile(`"[^"]{30,}"`)

// sortIndexAbove returns the index of the first width over n.
func sortIndexAbove(widths []int, n int) int {
	i, _ := slices.BinarySearch(widths, n+1)
	return i
}
