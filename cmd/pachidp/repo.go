package main

// Repository mode of validate: a GitOps repository of clusters checked in
// one command. Without a FILE, or with a folder, validate finds every
// Pachyderm values file below it (what git would not ignore), and the
// clusters that .pachidp.yaml declares as layered sets; with --changed the
// FILE arguments are the files a commit changes, and every cluster whose
// layers include one is checked again (the pre-commit hook).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
	"github.com/pachidp/pachidp/internal/gitignore"
)

// repoConfigName is the file at a repository's root that says which files
// are the layers of each cluster.
const repoConfigName = ".pachidp.yaml"

// repoConfig is .pachidp.yaml:
//
//	chartVersion: 2.11.6        # the default target of every cluster
//	ignore: [rule-id]           # silenced in every cluster
//	clusters:
//	  prod:
//	    layers: [common.yaml, clusters/prod/values.yaml]  # as helm -f, in order
//	    chartVersion: 2.12.0    # this cluster's target
//	    ignore: [rule-id]       # silenced in this cluster too
//
// Layer paths are relative to the folder of .pachidp.yaml.
type repoConfig struct {
	ChartVersion string                 `yaml:"chartVersion"`
	Ignore       []string               `yaml:"ignore"`
	Clusters     map[string]repoCluster `yaml:"clusters"`

	path string // as read, for messages
	dir  string // its folder
}

type repoCluster struct {
	Layers       []string `yaml:"layers"`
	ChartVersion string   `yaml:"chartVersion"`
	Ignore       []string `yaml:"ignore"`

	target *pachidp.Target // parsed ChartVersion (or the config's)
	files  []string        // Layers, as paths from the working directory
	line   int             // of its name in .pachidp.yaml
}

// yamlLineError picks the line and the words out of yaml.v3's messages,
// without the Go type they name.
var yamlLineError = regexp.MustCompile(`^line (\d+): (.*?)(?: in type \S+)?$`)

// findRepoConfig returns the path of the .pachidp.yaml that governs dir:
// the first found in dir or its ancestors, up to the top of the git work
// tree that holds dir (a config outside the repository is never read). ""
// when there is none.
func findRepoConfig(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	top := gitignore.WorkTreeTop(abs)
	for d := abs; ; d = filepath.Dir(d) {
		p := filepath.Join(d, repoConfigName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		if d == top || d == filepath.Dir(d) {
			return "" // the top of the work tree, or of the file system
		}
	}
}

// readRepoConfig reads and checks .pachidp.yaml: unknown keys, clusters
// without layers, layers that do not exist, versions and rules pachidp
// does not know are usage errors that name the file and line.
func (e *env) readRepoConfig(path string) (*repoConfig, error) {
	data, err := e.readInput(path, repoConfigName)
	if err != nil {
		return nil, err
	}
	name := relToWD(path)
	cfg := &repoConfig{path: name, dir: filepath.Dir(path)}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && err != io.EOF { // io.EOF: an empty file
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
			msg = te.Errors[0] // "line 3: field layer not found in type main.repoCluster"
		}
		if m := yamlLineError.FindStringSubmatch(msg); m != nil {
			return nil, e.usageError("%s:%s: %s (the keys are chartVersion, ignore and clusters; a cluster's are layers, chartVersion and ignore)", name, m[1], m[2])
		}
		return nil, e.usageError("%s: %s", name, msg)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	lines := clusterLines(&root)
	bad := func(line int, format string, a ...any) (*repoConfig, error) {
		return nil, e.usageError("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	checkIgnore := func(line int, ids []string) (string, bool) {
		for _, id := range ids {
			if !pachidp.Rule(id).Known() {
				msg := fmt.Sprintf("ignore: no rule %q", id)
				if s := suggestRule(id); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return msg, false
			}
		}
		return "", true
	}
	if msg, ok := checkIgnore(1, cfg.Ignore); !ok {
		return bad(1, "%s", msg)
	}
	var def *pachidp.Target
	if cfg.ChartVersion != "" {
		t, err := pachidp.ParseTarget(cfg.ChartVersion)
		if err != nil {
			return bad(1, "chartVersion: %v", err)
		}
		def = &t
	}
	for cname, c := range cfg.Clusters {
		line := lines[cname]
		if len(c.Layers) == 0 {
			return bad(line, "cluster %q has no layers: list its values files, in helm -f order", cname)
		}
		if msg, ok := checkIgnore(line, c.Ignore); !ok {
			return bad(line, "cluster %q: %s", cname, msg)
		}
		c.target, c.line = def, line
		if c.ChartVersion != "" {
			t, err := pachidp.ParseTarget(c.ChartVersion)
			if err != nil {
				return bad(line, "cluster %q: chartVersion: %v", cname, err)
			}
			c.target = &t
		}
		for _, l := range c.Layers {
			p := filepath.Join(cfg.dir, filepath.FromSlash(l))
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return bad(line, "cluster %q: layer %s is not a file (paths are relative to %s)", cname, l, repoConfigName)
			}
			c.files = append(c.files, relToWD(p))
		}
		cfg.Clusters[cname] = c
	}
	return cfg, nil
}

// clusterLines maps each cluster name to its line in .pachidp.yaml.
func clusterLines(root *yaml.Node) map[string]int {
	out := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "clusters" && m.Content[i+1].Kind == yaml.MappingNode {
			c := m.Content[i+1]
			for j := 0; j+1 < len(c.Content); j += 2 {
				out[c.Content[j].Value] = c.Content[j].Line
			}
		}
	}
	return out
}

// clusterNames returns the names of the clusters, sorted.
func (c *repoConfig) clusterNames() []string {
	names := make([]string, 0, len(c.Clusters))
	for n := range c.Clusters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// clusterUnit is the unit that checks one cluster.
func (c *repoConfig) clusterUnit(name string) validateUnit {
	cl := c.Clusters[name]
	return validateUnit{
		name:    "cluster " + name + " (" + strings.Join(cl.files, " + ") + ")",
		files:   cl.files,
		cluster: true,
		target:  cl.target,
		ignore:  slices.Concat(c.Ignore, cl.Ignore),
	}
}

// inLayers reports whether path is a layer of some cluster.
func (c *repoConfig) inLayers(path string) bool {
	for _, cl := range c.Clusters {
		if slices.ContainsFunc(cl.files, func(f string) bool { return samePath(f, path) }) {
			return true
		}
	}
	return false
}

// repoUnits finds what to check below dir: each cluster of the
// .pachidp.yaml that governs it, then each Pachyderm values file found
// below it that is no cluster's layer, on its own (on top of bases).
func (e *env) repoUnits(dir string, bases []string) ([]validateUnit, error) {
	var units []validateUnit
	cfg, err := e.repoConfigFor(dir)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		for _, n := range cfg.clusterNames() {
			units = append(units, cfg.clusterUnit(n))
		}
	}
	found, err := findValuesFiles(dir)
	if err != nil {
		return nil, e.failf(exitUsage, "%v", err)
	}
	for _, f := range found {
		if cfg != nil && cfg.inLayers(f) || slices.ContainsFunc(bases, func(b string) bool { return samePath(b, f) }) {
			continue
		}
		units = append(units, fileUnit(bases, f))
	}
	return units, nil
}

// repoConfigFor reads the .pachidp.yaml that governs dir, or returns nil.
func (e *env) repoConfigFor(dir string) (*repoConfig, error) {
	p := findRepoConfig(dir)
	if p == "" {
		return nil, nil
	}
	return e.readRepoConfig(p)
}

// changedUnits are what a change of files asks to check again (the
// pre-commit hook): every cluster with a changed layer (all of them when
// .pachidp.yaml itself changed), and each other changed file that holds
// Pachyderm values, on its own. Other files are none of pachidp's
// business and are left alone.
func (e *env) changedUnits(changed, bases []string) ([]validateUnit, error) {
	cfg, err := e.repoConfigFor(".")
	if err != nil {
		return nil, err
	}
	var units []validateUnit
	clusters := map[string]bool{}
	for _, f := range changed {
		if cfg != nil {
			if filepath.Base(f) == repoConfigName && samePath(filepath.Join(cfg.dir, repoConfigName), f) {
				for _, n := range cfg.clusterNames() {
					clusters[n] = true
				}
				continue
			}
			hit := false
			for n, cl := range cfg.Clusters {
				if slices.ContainsFunc(cl.files, func(l string) bool { return samePath(l, f) }) {
					clusters[n], hit = true, true
				}
			}
			if hit {
				continue
			}
		}
		if holds, err := holdsValues(f); err != nil {
			return nil, e.failf(exitUsage, "%v", err)
		} else if holds {
			units = append(units, fileUnit(bases, f))
		}
	}
	var cu []validateUnit
	if cfg != nil {
		for _, n := range cfg.clusterNames() {
			if clusters[n] {
				cu = append(cu, cfg.clusterUnit(n))
			}
		}
	}
	return append(cu, units...), nil
}

// fileUnit checks one file on top of the bases.
func fileUnit(bases []string, f string) validateUnit {
	files := append(slices.Clone(bases), f)
	return validateUnit{name: strings.Join(displayNames(files), " + "), files: files}
}

// findValuesFiles lists the files below dir that hold Pachyderm values,
// sorted, skipping .git and what .gitignore ignores.
func findValuesFiles(dir string) ([]string, error) {
	var found []string
	err := gitignore.Walk(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		if d.Name() == repoConfigName || !d.Type().IsRegular() {
			return nil
		}
		holds, err := holdsValues(p)
		if holds {
			found = append(found, p)
		}
		return err
	})
	sort.Strings(found)
	return found, err
}

// holdsValues reports whether a file holds Pachyderm values: a document
// whose top-level mapping has oidc or pachd, the keys only Pachyderm's
// chart reads, or a manifest (Argo CD, Flux, Kustomize, helm get values)
// that installs the pachyderm chart, as pachidp.OpenDocument finds it. A
// file that is not YAML at all holds none; one over the size cap is an
// error (*atomicfile.SizeError).
func holdsValues(path string) (bool, error) {
	data, err := atomicfile.ReadFile(path, atomicfile.MaxValuesFileSize, path)
	if err != nil {
		return false, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil {
			break
		}
		if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
			m := doc.Content[0]
			for i := 0; i+1 < len(m.Content); i += 2 {
				switch m.Content[i].Value {
				case "oidc", "pachd":
					return true, nil
				case "apiVersion", "kind", "helmCharts":
					// A manifest: Pachyderm's if a release of it installs
					// the chart (several releases need --release, still
					// Pachyderm's).
					v, err := pachidp.OpenDocument(data)
					if err == nil {
						return v.Manifest() != nil, nil
					}
					var se *pachidp.SyntaxError
					return errors.As(err, &se) && len(se.Releases) > 0, nil
				}
			}
		}
	}
	return false, nil
}

// relToWD names path from the working directory when it is below it.
func relToWD(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
