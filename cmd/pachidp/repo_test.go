package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// inRepo copies testdata/repo into a new git work tree (a .git folder
// marks its top; pachidp.yaml and gitignore become .pachidp.yaml and
// .gitignore) and makes it the working directory.
func inRepo(t testing.TB) string {
	t.Helper()
	src := filepath.Join(testdataDir, "repo")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		switch rel {
		case "pachidp.yaml":
			rel = repoConfigName
		case "gitignore":
			rel = ".gitignore"
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dst, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dst)
	return dst
}

// TestRepositoryMode: validate with no FILE checks the repository below the
// working directory: each cluster of .pachidp.yaml as its layered set, with
// its own target and ignores, and every other Pachyderm values file on its
// own; what .gitignore ignores and files that are not Pachyderm values are
// left alone. The output is the same on every run, whatever finishes first.
func TestRepositoryMode(t *testing.T) {
	inRepo(t)
	r := pachidpRun(t, "", "validate")
	if r.code != exitFindings {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "repo-validate.golden", r.stdout+"-- stderr\n"+r.stderr)
	for _, not := range []string{"ignored/", "override.local", "workflow", "other.json", "grafana", "web.yaml", "canary-secret"} {
		if strings.Contains(r.stdout+r.stderr, not) {
			t.Errorf("the output names %s:\n%s", not, redactLine(r.stdout))
		}
	}
	// common.yaml's Okta issuer is reported for both clusters; dev's TLS
	// for dev only; staging on its own.
	for _, want := range []string{"common.yaml:10:7: error: ", "clusters/dev/values.yaml:4:5: error: ", "clusters/staging/values.yaml:",
		"apps/pachyderm.yaml:37:15: error: "} { // an Argo CD Application of the pachyderm chart; not grafana's, not a Deployment
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, redactLine(r.stdout))
		}
	}
	if !strings.Contains(r.stderr, "2 clusters, 2 files: ") {
		t.Errorf("stderr %q: want a summary of 2 clusters and 2 files", r.stderr)
	}
	for range 5 {
		if again := pachidpRun(t, "", "validate"); again.stdout != r.stdout || again.stderr != r.stderr {
			t.Fatalf("another run printed another output")
		}
	}
	// A folder argument: the same, below it, with the .pachidp.yaml found
	// above it.
	if sub := pachidpRun(t, "", "validate", "clusters"); sub.code != exitFindings || !strings.Contains(sub.stdout, "clusters/staging/values.yaml:") ||
		!strings.Contains(sub.stderr, "2 clusters, 1 file: ") {
		t.Errorf("validate clusters: exit %d, stdout %q, stderr %q", sub.code, sub.stdout, sub.stderr)
	}
}

// TestRepositoryChanged: --changed (the pre-commit hook) checks again every
// cluster whose layers include a changed file, every cluster when
// .pachidp.yaml changed, a changed values file of no cluster on its own,
// and nothing for files that are not Pachyderm values.
func TestRepositoryChanged(t *testing.T) {
	inRepo(t)
	for _, tt := range []struct {
		changed []string
		units   []string // the clusters and files checked, in order
		code    int
	}{
		{[]string{"common.yaml"}, []string{"cluster dev", "cluster prod"}, exitFindings},
		{[]string{"clusters/prod/values.yaml"}, []string{"cluster prod"}, exitFindings},
		{[]string{".pachidp.yaml"}, []string{"cluster dev", "cluster prod"}, exitFindings},
		{[]string{"clusters/staging/values.yaml", "ci/workflow.yaml"}, []string{"clusters/staging/values.yaml"}, exitFindings},
		{[]string{"ci/workflow.yaml", "notes/other.json"}, nil, exitOK},
	} {
		r := pachidpRun(t, "", append([]string{"validate", "--changed"}, tt.changed...)...)
		if r.code != tt.code {
			t.Errorf("--changed %v: exit %d, want %d; stderr %q", tt.changed, r.code, tt.code, r.stderr)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			if name, _, ok := strings.Cut(strings.TrimPrefix(l, "pachidp validate: "), ": "); ok && !strings.HasSuffix(name, "clusters") {
				got = append(got, strings.Split(name, " (")[0])
			}
		}
		if len(tt.units) == 0 {
			if !strings.Contains(r.stderr, "nothing to check") {
				t.Errorf("--changed %v: stderr %q", tt.changed, r.stderr)
			}
			continue
		}
		if len(tt.units) == 1 && strings.Join(got, ",") != tt.units[0] {
			t.Errorf("--changed %v checked %q, want %q", tt.changed, got, tt.units)
		}
		if len(tt.units) > 1 && !strings.Contains(r.stderr, "2 clusters: ") {
			t.Errorf("--changed %v: stderr %q, want 2 units", tt.changed, r.stderr)
		}
	}
}

// TestRepositoryConfigErrors: a .pachidp.yaml pachidp cannot follow is a
// usage error that names its line, never a check of something else.
func TestRepositoryConfigErrors(t *testing.T) {
	for _, tt := range []struct{ config, want string }{
		{"clusters:\n  prod:\n    layer: [common.yaml]\n", ".pachidp.yaml:3: field layer not found (the keys are"},
		{"clusters:\n  prod:\n    layers: []\n", ".pachidp.yaml:2: cluster \"prod\" has no layers"},
		{"clusters:\n  prod:\n    layers: [missing.yaml]\n", ".pachidp.yaml:2: cluster \"prod\": layer missing.yaml is not a file"},
		{"chartVersion: 1.9\n", ".pachidp.yaml:1: chartVersion: "},
		{"clusters:\n  prod:\n    layers: [common.yaml]\n    ignore: [okta-isuer]\n", `did you mean "okta-issuer"?`},
	} {
		inRepo(t)
		writeFile(t, repoConfigName, tt.config)
		r := pachidpRun(t, "", "validate")
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", tt.config, r.code, r.stderr, tt.want)
		}
	}
}

// BenchmarkValidateRepository checks a repository of 200 clusters with
// every core and with one, alternating the two in each round; it reports
// their ratio (time with every core / time with one), below 1 when the
// cores share the work.
func BenchmarkValidateRepository(b *testing.B) {
	inRepo(b)
	data, err := os.ReadFile("clusters/staging/values.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		dir := filepath.Join("many", strings.Repeat("x", i%7+1), "c"+time.Duration(i).String())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "values.yaml"), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cores := runtime.GOMAXPROCS(0)
	var one, all time.Duration
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range []int{1, cores} {
			prev := runtime.GOMAXPROCS(n)
			start := time.Now()
			if code := run([]string{"validate", "many"}, nil, io.Discard, io.Discard, getenv); code != exitFindings {
				b.Fatalf("exit %d", code)
			}
			if n == 1 {
				one += time.Since(start)
			} else {
				all += time.Since(start)
			}
			runtime.GOMAXPROCS(prev)
		}
	}
	b.ReportMetric(float64(all)/float64(one), "all/one-core")
	b.ReportMetric(float64(cores), "cores")
}
