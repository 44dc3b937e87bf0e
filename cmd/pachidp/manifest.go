package main

// Values inside manifests: --release, the chart version of a manifest as
// the default --chart-version, and a kustomization's valuesFile read as a
// layer. The library finds the values (pachidp.OpenDocumentWith); these are
// the command's hooks around it.

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"unicode"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

// manifestFlags is what the flags of a subcommand say about manifests.
type manifestFlags struct {
	release   *string         // --release, when the subcommand has it
	target    *pachidp.Target // --chart-version, when it has it
	targetSet bool            // --chart-version was given
	noted     map[string]bool // files whose manifest was already named
}

// releaseFlag declares --release, which chooses among several Pachyderm
// releases of a manifest.
func (fs *flagSet) releaseFlag() {
	fs.man.release = fs.String("release", "", "in a manifest holding several Pachyderm releases: the `NAME` of the one to read (Argo CD Application, HelmRelease or helmCharts releaseName)")
}

// noteFlags records, once the flags are parsed, what they say about
// manifests.
func (e *env) noteFlags(fs *flagSet) {
	e.man.release, e.man.target, e.man.targetSet = fs.man.release, fs.man.target, false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "chart-version" {
			e.man.targetSet = true
		}
	})
}

// release returns --release ("" when not given or not a flag of the
// subcommand).
func (e *env) release() string {
	if e.man.release == nil {
		return ""
	}
	return *e.man.release
}

// openDocument opens a values document, or the Pachyderm values inside a
// manifest, with --release; index < 0 reads a file of one document (or a
// stream of manifests).
func (e *env) openDocument(data []byte, index int) (*pachidp.Document, error) {
	opts := pachidp.FileOptions{Release: e.release()}
	if index >= 0 {
		opts.Document = &index
	}
	return pachidp.OpenDocumentWith(data, opts)
}

// manifestOpened names, once per file, the manifest whose values were
// read, and makes its chart version the target when --chart-version was
// not given. It returns the target the file asks for (ok false when none).
func (e *env) manifestOpened(vf *valuesFile) (pachidp.Target, bool) {
	m := vf.v.Manifest()
	if m == nil {
		return pachidp.Target{}, false
	}
	if e.man.noted == nil {
		e.man.noted = map[string]bool{}
	}
	first := !e.man.noted[vf.name]
	e.man.noted[vf.name] = true
	if first {
		e.notef("%s: %s", vf.name, describeManifest(m))
	}
	if e.man.target == nil || e.man.targetSet || m.Version == "" {
		return pachidp.Target{}, false
	}
	t, err := m.Target()
	if err != nil {
		if first {
			e.notef("warning: %s: %v (--chart-version V); checking for %s", vf.name, err, e.man.target.Name())
		}
		return pachidp.Target{}, false
	}
	if first {
		e.notef("%s: checking for chart %s, the manifest's version (--chart-version overrides it)", vf.name, t.Name())
	}
	*e.man.target = t
	vf.target = &t
	return t, true
}

// describeManifest says where the values are: `Application "pachyderm"
// (chart pachyderm 2.11.6): spec.source.helm.valuesObject`.
func describeManifest(m *pachidp.Manifest) string {
	if m.Kind == "helm get values" {
		return "helm get values output: the values below its header"
	}
	s := m.Kind
	if m.Name != "" {
		s += " " + strconv.Quote(m.Name)
	}
	chart := "chart " + plain(m.Chart)
	if m.Version != "" {
		chart += " " + plain(m.Version)
	}
	return s + " (" + chart + "): the values at " + m.ValuesPath
}

// plain writes a name read from an untrusted file as it is when it is
// printable text (spaces included: a version range), else quoted with Go's escapes, so that a
// control character (a newline, an ANSI sequence) never reaches a
// terminal.
func plain(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// withValuesFiles returns the -f files with, before each kustomization
// whose Pachyderm chart names a valuesFile, that file: kustomize merges
// valuesInline over it (pachidp.Manifest.ValuesFile), which the set then
// models as two layers. Kustomize reads a kustomization only under one of
// kustomizationNames, so other files are not read twice. Files that cannot
// be read are left to the open that follows, which reports them.
func (e *env) withValuesFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == "-" || !slices.Contains(kustomizationNames, filepath.Base(p)) {
			out = append(out, p)
			continue
		}
		data, err := atomicfile.ReadFile(p, atomicfile.MaxValuesFileSize, p)
		if err == nil {
			if v, err := e.openDocument(data, -1); err == nil {
				if m := v.Manifest(); m != nil && m.ValuesFile != "" {
					vf := filepath.Join(filepath.Dir(p), filepath.FromSlash(m.ValuesFile))
					if _, err := os.Stat(vf); err == nil {
						e.notef("%s: reading its valuesFile %s under valuesInline, as kustomize merges them", p, vf)
						out = append(out, vf)
					} else {
						e.notef("warning: %s: its valuesFile %s cannot be read (%v): reading valuesInline alone", p, vf, unwrapPath(err))
					}
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// kustomizationNames are the file names kustomize reads a kustomization
// from (kustomize api/konfig/general.go:10-16,
// RecognizedKustomizationFileNames).
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}
