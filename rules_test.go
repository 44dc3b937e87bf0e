package pachidp

import (
	"fmt"
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

// ruleTable renders the rule table of a doc comment from the registry: the
// rules whose Checks hold check, in the registry's order, with their fates
// (or severities, for rules without fates) and titles.
func ruleTable(check string) []string {
	rows := [][3]string{{"Rule", "Fate", "Title"}}
	for _, r := range ruleList {
		if !slices.Contains(r.checks, check) {
			continue
		}
		var col []string
		for _, f := range r.fates {
			col = append(col, string(f))
		}
		if len(col) == 0 {
			for _, s := range r.severities {
				col = append(col, s.String())
			}
		}
		rows = append(rows, [3]string{string(r.rule), strings.Join(col, ", "), r.title})
	}
	w0, w1 := 0, 0
	for _, row := range rows {
		w0, w1 = max(w0, len(row[0])), max(w1, len(row[1]))
	}
	lines := make([]string, len(rows))
	for i, row := range rows {
		lines[i] = fmt.Sprintf("//\t%-*s  %-*s  %s", w0, row[0], w1, row[1], row[2])
	}
	return lines
}

// TestRuleDocTables: the rule tables in the doc comments of Validate and
// ValidateValues are the registry's, rendered by ruleTable; a rule added,
// retired or retitled without regenerating them fails here (go test -run
// TestRuleDocTables -update rewrites them).
func TestRuleDocTables(t *testing.T) {
	for _, tt := range []struct{ file, fn, check string }{
		{"validate.go", "Validate", checkValidate},
		{"validate_values.go", "ValidateValues", checkValidateValues},
	} {
		data, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, tt.file, data, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		var doc *ast.CommentGroup
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == tt.fn && fd.Recv == nil {
				doc = fd.Doc
			}
		}
		if doc == nil {
			t.Fatalf("%s: no doc comment on %s", tt.file, tt.fn)
		}
		lines := strings.Split(string(data), "\n")
		first, last := fset.Position(doc.Pos()).Line-1, fset.Position(doc.End()).Line-1
		start := slices.IndexFunc(lines[first:last+1], func(l string) bool { return strings.HasPrefix(l, "//\tRule ") })
		if start < 0 {
			t.Fatalf("%s: the doc of %s has no rule table (a line \"//\\tRule ...\")", tt.file, tt.fn)
		}
		start += first
		end := start + 1
		for end <= last && strings.HasPrefix(lines[end], "//\t") {
			end++
		}
		want := ruleTable(tt.check)
		if slices.Equal(lines[start:end], want) {
			continue
		}
		if !*update {
			t.Errorf("%s: the rule table of %s is not the registry's: run go test -run TestRuleDocTables -update", tt.file, tt.fn)
			continue
		}
		out := slices.Concat(lines[:start], want, lines[end:])
		if err := os.WriteFile(tt.file, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRuleRegistryShape(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	for _, r := range Rules() {
		if !kebab.MatchString(string(r)) {
			t.Errorf("rule id %q", r)
		}
		if r.Title() == "" || len(r.Title()) > 50 || strings.HasSuffix(r.Title(), ".") {
			t.Errorf("%s: title %q: want one line of at most 50 characters, without a period", r, r.Title())
		}
		if len(r.Detail()) < 40 || !strings.HasSuffix(r.Detail(), ".") {
			t.Errorf("%s: detail %q: want the reason and the fix, in sentences", r, r.Detail())
		}
		if len(r.Severities()) == 0 || len(r.Checks()) == 0 {
			t.Errorf("%s: no severity or no check", r)
		}
	}
	if Rule("no-such-rule").Known() || Rule("no-such-rule").Title() != "" || !RuleTLSDisabled.Known() {
		t.Error("Known or Title of an unknown rule")
	}
	if got := suggestRule("auth0-issuer"); got != RuleAuth0IssuerSlash {
		t.Errorf("suggestRule(auth0-issuer) = %q", got)
	}
	if got := suggestRule("tls-disable"); got != RuleTLSDisabled {
		t.Errorf("suggestRule(tls-disable) = %q", got)
	}
	// The accessors hand out copies: the registry cannot be changed
	// through them.
	RuleRequired.Fates()[0] = FateRisk
	if RuleRequired.Fates()[0] != FatePachdCrash {
		t.Error("Fates returned the registry's slice")
	}
}

// TestEveryRuleEmitted: every rule of the registry is named by the code
// that emits findings (its constant appears outside rules.go, in the
// library or the command), so the registry holds no rule that was renamed
// or retired. Read with go/parser: identifiers, not text.
func TestEveryRuleEmitted(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	cmd, _ := filepath.Glob("cmd/pachidp/*.go")
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range append(files, cmd...) {
		if strings.HasSuffix(name, "_test.go") || name == "rules.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				used[id.Name] = true
			}
			return true
		})
	}
	rf, err := parser.ParseFile(fset, "rules.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range rf.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			for _, name := range s.(*ast.ValueSpec).Names {
				if !strings.HasPrefix(name.Name, "Rule") {
					continue
				}
				n++
				if !used[name.Name] {
					t.Errorf("%s is in the registry, but no source file emits it", name.Name)
				}
			}
		}
	}
	if n != len(ruleList) {
		t.Errorf("%d Rule constants, %d rules registered: each rule is one constant", n, len(ruleList))
	}
}

func TestFindingsRulesRegistered(t *testing.T) {
	var paths []string
	for _, g := range []string{"testdata/*/*.yaml", "cmd/pachidp/testdata/*.yaml", "examples/*.yaml", "examples/*/*.yaml", filepath.Join(fixtures.Dir(t), "*.yaml")} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	seen := map[Rule]bool{}
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
				rule := f.Rule
				if !rule.Known() {
					t.Errorf("%s (%s): finding %s has a rule not in the registry", p, tg.Name(), f.Error())
					continue
				}
				if !slices.Contains(rule.Severities(), f.Severity) {
					t.Errorf("%s (%s): %s is a %s, the registry says %v", p, tg.Name(), f.Rule, f.Severity, rule.Severities())
				}
				if f.Fate != "" && !slices.Contains(rule.Fates(), f.Fate) {
					t.Errorf("%s (%s): %s has fate %s, the registry says %v", p, tg.Name(), f.Rule, f.Fate, rule.Fates())
				}
				if f.Detail != rule.Detail() {
					t.Errorf("%s: detail of %s is not the registry's", p, f.Rule)
				}
			}
		}
	}
	if len(seen) < 10 {
		t.Errorf("only %d rules seen: %v", len(seen), seen)
	}
}
