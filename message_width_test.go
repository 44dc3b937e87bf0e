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

// TestMessageWidth runs ValidateValues over every values file the
// repository and the shared Pachyderm fixtures hold, and the values of every
// case of conformance/corpus (which fire every rule), for the newest
// release, 2.11.6 and 2.2.7: every message stays within messageWidth (120
// columns), unless a long quoted value (an issuer, the chart's error) makes
// it longer. (The command's one-line form, shortened to fit, is tested in
// cmd/pachidp.)
func TestMessageWidth(t *testing.T) {
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
	long := map[string]bool{}
	n := 0
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
				continue // an oidc section of the wrong shape: an error, not a finding
			}
			for _, f := range r.Findings {
				n++
				if len(f.Message) <= messageWidth {
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
		t.Logf("message over %d: %s", messageWidth, m)
	}
	if n == 0 {
		t.Fatal("no finding")
	}
}

// longQuote matches a quoted text of 30 characters or more: a value of the
// file or the text to write, which may make a message longer than a line.
var longQuote = regexp.MustCompile(`"[^"]{30,}"`)
