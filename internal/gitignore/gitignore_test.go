package gitignore

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree is a work tree: file -> content (a .gitignore's content is its
// patterns).
type tree map[string]string

var files = []string{
	"values.yaml", "a.json", "build/out.yaml", "build/keep.yaml", "clusters/prod/values.yaml",
	"clusters/prod/secret.values.yaml", "clusters/dev/values.yaml", "clusters/dev/tmp/x.yaml",
	"docs/a/b/c.yaml", "foo bar.yaml", "#hash.yaml", "!bang.yaml", "deep/x/y/z/values.yaml",
	"deep/x/values.yaml", "x.yml", "vendor/m/values.yaml", "a[1].yaml", "node_modules/p/values.yaml",
}

// cases are sets of .gitignore files; each is held to the real git.
var cases = []tree{
	{".gitignore": "build/\n"},
	{".gitignore": "build\n!build/keep.yaml\n"},   // nothing is re-included inside an ignored folder
	{".gitignore": "build/*\n!build/keep.yaml\n"}, // but a file can be
	{".gitignore": "*.json\n# a comment\n\n  \nx.yml   \n"},
	{".gitignore": "/values.yaml\n"},
	{".gitignore": "values.yaml\n"},
	{".gitignore": "clusters/*/secret*\n"},
	{".gitignore": "**/tmp\n"},
	{".gitignore": "deep/**/values.yaml\n"},
	{".gitignore": "docs/**\n"},
	{".gitignore": "*.yaml\n!**/values.yaml\n"},
	{".gitignore": "\\#hash.yaml\n\\!bang.yaml\n"},
	{".gitignore": "foo\\ bar.yaml\n"},
	{".gitignore": "a[0-9].yaml\n[!x].yml\n"},
	{".gitignore": "a\\[1\\].yaml\n"},
	{".gitignore": "?.yml\nd*p\n"},
	{".gitignore": "vendor\nnode_modules/\n", "clusters/.gitignore": "dev/\n", "clusters/prod/.gitignore": "*.yaml\n!values.yaml\n"},
	{".gitignore": "clusters/prod/\n", "clusters/.gitignore": "!prod/\n"},
	{".gitignore": "*\n!*/\n!*.yaml\n"},
	{".gitignore": "deep/x\n", "deep/.gitignore": "!x\n"},
	{"clusters/.gitignore": "/prod\n"},
	{".git/info/exclude": "*.json\n", ".gitignore": "!a.json\n"},
	{".gitignore": "**/values.yaml\n!/values.yaml\n"},
	{".gitignore": "build/**/\n"},
	{".gitignore": "a**.json\n"},
}

// TestWalkMatchesGit: Walk lists exactly the files `git ls-files --others
// --exclude-standard` lists, from the top and from a subfolder.
func TestWalkMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git is required in CI: it is this test's oracle")
		}
		t.Skip("git is not installed")
	}
	for i, c := range cases {
		dir := t.TempDir()
		run(t, dir, "git", "init", "-q")
		run(t, dir, "git", "config", "core.excludesFile", "/dev/null")
		for _, f := range files {
			write(t, filepath.Join(dir, f), "x: 1\n")
		}
		for f, content := range c {
			write(t, filepath.Join(dir, f), content)
		}
		for _, sub := range []string{"", "clusters", "deep/x"} {
			args := []string{"ls-files", "--others", "--exclude-standard", "-z"}
			if sub != "" {
				args = append(args, "--", sub)
			}
			out := run(t, dir, "git", args...)
			var want []string
			for _, f := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
				if f != "" && !strings.HasSuffix(f, ".gitignore") {
					want = append(want, f)
				}
			}
			var got []string
			err := Walk(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				if !strings.HasSuffix(rel, ".gitignore") {
					got = append(got, filepath.ToSlash(rel))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("case %d %q from %q:\n got %q\nwant %q (git)", i, c, sub, got, want)
			}
		}
	}
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzCompile: any .gitignore line compiles to a pattern or to nothing,
// never a panic, and a pattern matches paths without panicking.
func FuzzCompile(f *testing.F) {
	for _, c := range cases {
		for _, content := range c {
			for _, l := range strings.Split(content, "\n") {
				f.Add(l, "clusters/prod/values.yaml")
			}
		}
	}
	f.Add("[", "a")
	f.Add("**/**/***", "a/b/c")
	f.Add("\\", "\\")
	f.Fuzz(func(t *testing.T, line, rel string) {
		p, ok := compile(line, "")
		if !ok {
			return
		}
		if p.re == nil {
			t.Fatalf("compile(%q): a pattern without its expression", line)
		}
		matcher{p}.ignored(rel, true)
		matcher{p}.ignored(rel, false)
	})
}
