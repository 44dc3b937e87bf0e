package pachidp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
)

// docTable reads the rule table of a function's doc comment: rule id ->
// the fates (or severities) of its lines.
func docTable(t *testing.T, file, fn string) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn && fd.Recv == nil {
			doc = fd.Doc.Text()
		}
	}
	table := map[string][]string{}
	in, id := false, ""
	for _, l := range strings.Split(doc, "\n") {
		if strings.HasPrefix(l, "\tRule ") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if !strings.HasPrefix(l, "\t") {
			break
		}
		body := l[1:]
		fields := strings.Fields(body)
		if len(fields) == 0 {
			continue
		}
		if !strings.HasPrefix(body, " ") {
			id = fields[0]
			table[id] = table[id] // present, even on a line of its own
			fields = fields[1:]
		}
		if len(fields) > 0 {
			table[id] = append(table[id], fields[0])
		}
	}
	if len(table) < 10 {
		t.Fatalf("%s: found no rule table in the doc of %s", file, fn)
	}
	return table
}

// TestRuleRegistryMatchesDocTables holds Validate's and CheckPrerequisites'
// doc tables and the registry together, both ways.
func TestRuleRegistryMatchesDocTables(t *testing.T) {
	for _, tt := range []struct{ file, fn, check string }{
		{"validate.go", "Validate", checkValidate},
		{"prereq.go", "CheckPrerequisites", checkPrerequisites},
	} {
		table := docTable(t, tt.file, tt.fn)
		for id, col := range table {
			r, ok := LookupRule(id)
			if !ok {
				t.Errorf("%s's table has %s, the registry (rules.go) does not", tt.fn, id)
				continue
			}
			if !slices.Contains(r.Checks, tt.check) {
				t.Errorf("%s: Checks %v lack %s, whose table lists it", id, r.Checks, tt.check)
			}
			for _, c := range col {
				if tt.check == checkValidate && !slices.Contains(r.Fates, Fate(c)) {
					t.Errorf("%s: the table of %s says fate %s, the registry %v", id, tt.fn, c, r.Fates)
				}
				if tt.check == checkPrerequisites && !slices.ContainsFunc(r.Severities, func(s Severity) bool { return s.String() == c }) {
					t.Errorf("%s: the table of %s says severity %s, the registry %v", id, tt.fn, c, r.Severities)
				}
			}
		}
		for _, r := range Rules() {
			if _, ok := table[r.ID]; slices.Contains(r.Checks, tt.check) && !ok {
				t.Errorf("the registry says %s emits %s, its doc table does not list it", tt.fn, r.ID)
			}
		}
	}
}

func TestRuleRegistryShape(t *testing.T) {
	for _, r := range Rules() {
		if !regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`).MatchString(r.ID) {
			t.Errorf("rule id %q", r.ID)
		}
		if r.Title == "" || len(r.Title) > 50 || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q: want one line of at most 50 characters, without a period", r.ID, r.Title)
		}
		if len(r.Detail) < 40 || !strings.HasSuffix(r.Detail, ".") {
			t.Errorf("%s: detail %q: want the reason and the fix, in sentences", r.ID, r.Detail)
		}
		if len(r.Severities) == 0 || len(r.Checks) == 0 {
			t.Errorf("%s: no severity or no check", r.ID)
		}
	}
	if got := suggestRule("auth0-issuer"); got != "auth0-issuer-slash" {
		t.Errorf("suggestRule(auth0-issuer) = %q", got)
	}
	if got := suggestRule("tls-disable"); got != "tls-disabled" {
		t.Errorf("suggestRule(tls-disable) = %q", got)
	}
}

// ruleLiteral finds the rule ids written in the source: an argument of
// add/addOpen, a Rule: field, a rule: field or variable.
var ruleLiteral = regexp.MustCompile(`(?:\badd(?:Open)?\([^"\n]*|Rule:\s*|rule:\s*|rule\s*:?=\s*map\[string\]string\{[^}]*?: )"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"`)

// TestRuleLiteralsRegistered: every rule id the library and the command
// write is in the registry.
func TestRuleLiteralsRegistered(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	cmd, _ := filepath.Glob("cmd/pachidp/*.go")
	n := 0
	for _, f := range append(files, cmd...) {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ruleLiteral.FindAllStringSubmatch(string(data), -1) {
			n++
			if _, ok := LookupRule(m[1]); !ok {
				t.Errorf("%s writes the rule %q, which is not in the registry (rules.go)", f, m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d rule ids in the source: the pattern is stale", n)
	}
}

// TestRegisteredRulesWritten: every rule of the registry is written by
// some source file, so the registry holds no rule that was renamed or
// retired (explain would describe a finding that never comes).
func TestRegisteredRulesWritten(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	cmd, _ := filepath.Glob("cmd/pachidp/*.go")
	var src strings.Builder
	for _, f := range append(files, cmd...) {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(data)
	}
	for _, r := range Rules() {
		if !strings.Contains(src.String(), `"`+r.ID+`"`) {
			t.Errorf("rule %q is in the registry, but no source file writes it", r.ID)
		}
	}
}

// TestFindingsRulesRegistered runs ValidateValues on every values file of
// the repository and the fixtures, for every target: each finding's rule
// is in the registry, with its severity and fate.
func TestFindingsRulesRegistered(t *testing.T) {
	var paths []string
	for _, g := range []string{"testdata/*/*.yaml", "cmd/pachidp/testdata/*.yaml", "examples/*.yaml", "examples/*/*.yaml", filepath.Join(fixtures.Dir(t), "*.yaml")} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := OpenDocument(data)
		if err != nil {
			continue // not a values document
		}
		for _, tg := range Targets() {
			r, err := ValidateValues(v, ValidateValuesOptions{Target: tg, File: p})
			if err != nil {
				continue
			}
			for _, f := range r.Findings {
				seen[f.Rule] = true
				rule, ok := LookupRule(f.Rule)
				if !ok {
					t.Errorf("%s (%s): finding %s has a rule not in the registry", p, tg.Name(), f.Error())
					continue
				}
				if !slices.Contains(rule.Severities, f.Severity) {
					t.Errorf("%s (%s): %s is a %s, the registry says %v", p, tg.Name(), f.Rule, f.Severity, rule.Severities)
				}
				if f.Fate != "" && !slices.Contains(rule.Fates, f.Fate) {
					t.Errorf("%s (%s): %s has fate %s, the registry says %v", p, tg.Name(), f.Rule, f.Fate, rule.Fates)
				}
				if f.Detail != rule.Detail {
					t.Errorf("%s: detail of %s is not the registry's", p, f.Rule)
				}
			}
		}
	}
	if len(seen) < 10 {
		t.Errorf("only %d rules seen: %v", len(seen), seen)
	}
}
