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
)

// TestREADMENamesExist: every test, Example, fuzz target and benchmark the
// README and the pages under docs/ name, and every pachidp.Name their code
// uses, exists, so that a rename cannot leave them pointing at nothing.
func TestREADMENamesExist(t *testing.T) {
	readme := readDocs(t)
	funcs := map[string]bool{}
	exported := map[string]bool{} // the root's names, and dexconv.X and preflight.X of the sub-packages
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	for _, sub := range subPackages {
		more, _ := filepath.Glob(filepath.Join(sub, "*.go"))
		files = append(files, more...)
	}
	for _, dir := range []string{"cmd/pachidp", "internal/*", "examples/*", "conformance/*", "conformance/dex/*"} {
		more, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		files = append(files, more...)
	}
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		root := !strings.Contains(f, "/") && af.Name.Name == "pachidp"
		prefix := ""
		if slices.Contains(subPackages, filepath.Dir(f)) && af.Name.Name == filepath.Dir(f) {
			root, prefix = true, af.Name.Name+"."
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				funcs[d.Name.Name] = true
				if root && d.Recv == nil && d.Name.IsExported() {
					exported[prefix+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if root {
							exported[prefix+s.Name.Name] = s.Name.IsExported()
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if root && n.IsExported() {
								exported[prefix+n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	for _, m := range regexp.MustCompile("`((?:Test|Example|Fuzz|Benchmark)[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(readme), -1) {
		if !funcs[m[1]] {
			t.Errorf("README.md or docs/ names %s, which no test file declares", m[1])
		}
	}
	n := 0
	for _, m := range regexp.MustCompile(`\bpachidp\.([A-Z][A-Za-z0-9]*)`).FindAllStringSubmatch(string(readme), -1) {
		n++
		if !exported[m[1]] {
			t.Errorf("README.md or docs/ uses pachidp.%s, which the package does not export", m[1])
		}
	}
	if n < 10 {
		t.Errorf("found only %d pachidp.Name uses in README.md and docs/: the pattern is stale", n)
	}
	n = 0
	for _, m := range regexp.MustCompile(`\b((?:`+strings.Join(subPackages, "|")+`)\.[A-Z][A-Za-z0-9]*)`).FindAllStringSubmatch(string(readme), -1) {
		n++
		if !exported[m[1]] {
			t.Errorf("README.md or docs/ uses %s, which the package does not export", m[1])
		}
	}
	if n < 3 {
		t.Errorf("found only %d dexconv.Name or preflight.Name uses in README.md and docs/: the pattern is stale", n)
	}
}

// subPackages are the module's library packages besides the root, each in
// the folder of its name.
var subPackages = []string{"dexconv", "preflight"}

// readDocs returns README.md and every page under docs/, one after the
// other, failing when docs/ holds fewer pages than the README links to.
func readDocs(t *testing.T) []byte {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("docs", "*.md"))
	if len(names) < 2 {
		t.Fatalf("docs/ holds %d pages: the glob is stale", len(names))
	}
	var all []byte
	for _, name := range append([]string{"README.md"}, names...) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(append(all, data...), '\n')
	}
	return all
}

// TestDocLinks: every relative link of README.md and of the pages under
// docs/ names a file or folder of the repository, and every #anchor a
// heading of the page it points to (as GitHub makes anchors of headings),
// so that moving a section cannot leave a link pointing at nothing.
func TestDocLinks(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("docs", "*.md"))
	pages = append([]string{"README.md"}, pages...)
	anchors := map[string]map[string]bool{}
	anchorsOf := func(page string) map[string]bool {
		if a, ok := anchors[page]; ok {
			return a
		}
		a := map[string]bool{}
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		fence := false
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "```") {
				fence = !fence
			}
			if fence || !strings.HasPrefix(l, "#") {
				continue
			}
			h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(l, "#")))
			h = regexp.MustCompile(`[^a-z0-9 _-]`).ReplaceAllString(h, "")
			a[strings.ReplaceAll(h, " ", "-")] = true
		}
		anchors[page] = a
		return a
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	n := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			n++
			file, anchor, _ := strings.Cut(target, "#")
			dest := page
			if file != "" {
				dest = filepath.Join(filepath.Dir(page), file)
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s links to %s, which does not exist", page, target)
					continue
				}
			}
			if anchor != "" && !anchorsOf(dest)[anchor] {
				t.Errorf("%s links to %s: %s has no heading with that anchor", page, target, dest)
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d relative links: the pattern is stale", n)
	}
}
