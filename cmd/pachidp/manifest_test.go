package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// manifestDir copies the named files of the root's testdata/manifests into
// a temporary directory and makes it the working directory.
func manifestDir(t *testing.T, files ...string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "manifests", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// at returns "FILE:LINE:COL" of the only occurrence of text in the file.
func at(t *testing.T, file, text string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte(text))
	if i < 0 || bytes.Count(data, []byte(text)) != 1 {
		t.Fatalf("%q is not in %s once", text, file)
	}
	line := bytes.Count(data[:i], []byte("\n")) + 1
	col := i - (bytes.LastIndexByte(data[:i], '\n') + 1) + 1
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// valuesLines returns the lines (1-based, inclusive) below the line holding
// key that are indented deeper than it: the values of a manifest.
func valuesLines(t *testing.T, data []byte, key string) (from, to int) {
	t.Helper()
	lines := strings.Split(string(data), "\n")
	k := -1
	for i, l := range lines {
		if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")) == key || strings.HasPrefix(strings.TrimSpace(l), key+" ") {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("no line %q", key)
	}
	indent := len(lines[k]) - len(strings.TrimLeft(lines[k], " "))
	to = k + 1
	for l := k + 1; l < len(lines); l++ {
		if strings.TrimSpace(lines[l]) == "" {
			continue
		}
		if len(lines[l])-len(strings.TrimLeft(lines[l], " ")) <= indent {
			break
		}
		to = l + 1
	}
	return k + 2, to
}

// onlyValuesChanged fails when before and after differ outside the values
// under the key line (byte comparison of the lines around them).
func onlyValuesChanged(t *testing.T, before, after []byte, key string) {
	t.Helper()
	if bytes.Equal(before, after) {
		t.Fatal("the file did not change")
	}
	from, to := valuesLines(t, before, key)
	a, b := strings.SplitAfter(string(before), "\n"), strings.SplitAfter(string(after), "\n")
	first := 0
	for first < len(a) && first < len(b) && a[first] == b[first] {
		first++
	}
	endA, endB := len(a), len(b)
	for endA > first && endB > first && a[endA-1] == b[endB-1] {
		endA--
		endB--
	}
	if first+1 < from || endA > to {
		t.Errorf("lines %d-%d changed, outside the values (lines %d-%d)", first+1, endA, from, to)
	}
}

var manifestCmdCases = []struct {
	file, valuesKey, note string
}{
	{"argo-application.yaml", "valuesObject:", `Application "pachyderm" (chart pachyderm 2.11.6): the values at spec.source.helm.valuesObject`},
	{"argo-values-string.yaml", "values: |", `Application "pachyderm-prod" (chart pachyderm 2.12.x): the values at spec.source.helm.values`},
	{"argo-multisource.yaml", "valuesObject:", `Application "data-platform" (chart pachyderm ~2.12.0): the values at spec.sources[2].helm.valuesObject`},
	{"argo-applicationset.yaml", "valuesObject:", `ApplicationSet "pachyderm-{{cluster}}" (chart pachyderm 2.12.1): the values at spec.template.spec.source.helm.valuesObject`},
	{"flux-helmrelease.yaml", "values:", `HelmRelease "pachyderm" (chart pachyderm >=2.12.0 <2.13.0): the values at spec.values`},
	{"kustomization.yaml", "valuesInline:", `Kustomization "pachyderm" (chart pachyderm 2.12.1): the values at helmCharts[1].valuesInline`},
	{"multi-document.yaml", "", `HelmRelease "pachyderm" (chart pachyderm 2.12.1): the values at spec.values`},
	{"helm-get-values.txt", "", "helm get values output: the values below its header"},
}

// TestManifestValidate: validate finds the planted problems at the
// manifest's lines, with the manifest's chart version as the target.
func TestManifestValidate(t *testing.T) {
	for _, c := range manifestCmdCases {
		t.Run(c.file, func(t *testing.T) {
			manifestDir(t, c.file, "values-base.yaml")
			r := pachidpRun(t, "", "validate", "-f", c.file)
			if r.code != exitFindings {
				t.Fatalf("exit %d:\n%s%s", r.code, redactLine(r.stdout), redactLine(r.stderr))
			}
			for _, want := range []string{
				at(t, c.file, "version: 1") + ": error: oidc.upstreamIDPs[0].version: version is a key of pachctl's connector file [pachctl-version-key]",
				at(t, c.file, "issuer: https://acme.okta.com/") + `: error: oidc.upstreamIDPs[0].config.issuer: Okta issuers have no trailing "/" [okta-issuer]`,
			} {
				if !strings.Contains(r.stdout, want+"\n") {
					t.Errorf("no line %q in:\n%s", want, redactLine(r.stdout))
				}
			}
			if !strings.Contains(r.stderr, c.file+": "+c.note) {
				t.Errorf("stderr does not name the manifest (%q):\n%s", c.note, redactLine(r.stderr))
			}
			if strings.Contains(r.stdout, "host-missing") || strings.Contains(r.stdout, "mock-idp") {
				t.Errorf("the values were not read whole:\n%s", redactLine(r.stdout))
			}
			// -o json names the manifest's lines too.
			r = pachidpRun(t, "", "validate", "-f", c.file, "-o", "json")
			var fs []jsonFinding
			if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range fs {
				found = found || f.Rule == "pachctl-version-key" && fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column) == at(t, c.file, "version: 1")
			}
			if !found {
				t.Errorf("-o json: no pachctl-version-key at %s", at(t, c.file, "version: 1"))
			}
		})
	}
}

// TestManifestTargetFlag: the manifest's chart version is the default
// target; --chart-version overrides it; a range over several lines is
// reported and the newest release checked.
func TestManifestTargetFlag(t *testing.T) {
	manifestDir(t, "argo-application.yaml")
	r := pachidpRun(t, "", "validate", "-f", "argo-application.yaml")
	if !strings.Contains(r.stderr, "argo-application.yaml: checking for chart 2.7-2.11, the manifest's version") {
		t.Errorf("no note of the target:\n%s", redactLine(r.stderr))
	}
	r = pachidpRun(t, "", "validate", "-f", "argo-application.yaml", "--chart-version", "2.12.1")
	if strings.Contains(r.stderr, "checking for chart") {
		t.Errorf("--chart-version did not override the manifest's version:\n%s", redactLine(r.stderr))
	}
	data, _ := os.ReadFile("argo-application.yaml")
	writeFile(t, "open.yaml", strings.Replace(string(data), "targetRevision: 2.11.6", "targetRevision: '>=2.11'", 1))
	r = pachidpRun(t, "", "validate", "-f", "open.yaml")
	if !strings.Contains(r.stderr, `warning: open.yaml: chart version ">=2.11" has no upper bound, so it spans release lines: pass the version the cluster runs (--chart-version V); checking for 2.12`) {
		t.Errorf("a range over several lines is not reported:\n%s", redactLine(r.stderr))
	}
}

// TestManifestEditCommands: add, remove, set-secret and set change only the
// lines of the values inside each manifest, in a values: | block too;
// none appends a top-level oidc: to the manifest.
func TestManifestEditCommands(t *testing.T) {
	edits := []struct {
		name string
		args []string
	}{
		{"add", []string{"add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET"}},
		{"remove", []string{"remove", "okta"}},
		{"set-secret", []string{"set-secret", "okta", "--client-secret-env", "AUTH0_CLIENT_SECRET"}},
		{"set", []string{"set", "proxy.host=pach.example.org", "pachd.enterpriseLicenseKeySecretName=license"}},
	}
	for _, c := range manifestCmdCases {
		if c.valuesKey == "" {
			continue
		}
		for _, ed := range edits {
			t.Run(c.file+"/"+ed.name, func(t *testing.T) {
				manifestDir(t, c.file, "values-base.yaml")
				base := snap(t, "values-base.yaml")
				before, _ := os.ReadFile(c.file)
				r := pachidpRun(t, "", append(ed.args, "-f", c.file, "--in-place")...)
				if r.code != exitOK {
					t.Fatalf("exit %d: %s", r.code, redactLine(r.stderr))
				}
				after, _ := os.ReadFile(c.file)
				onlyValuesChanged(t, before, after, c.valuesKey)
				if regexp.MustCompile(`(?m)^oidc:`).Match(after) {
					t.Error("a top-level oidc: was written into the manifest")
				}
				base.unchanged(t)
				r = pachidpRun(t, "", "list", "-f", c.file)
				switch ed.name {
				case "add":
					if !strings.Contains(r.stdout, "auth0") || !strings.Contains(r.stdout, "okta") {
						t.Errorf("list after add:\n%s", redactLine(r.stdout))
					}
				case "remove":
					if strings.Contains(r.stdout, "okta") {
						t.Errorf("list after remove:\n%s", redactLine(r.stdout))
					}
				case "set":
					if !strings.Contains(string(after), "pach.example.org") || !strings.Contains(string(after), "enterpriseLicenseKeySecretName: license") {
						t.Errorf("set did not write the keys:\n%s", after)
					}
				}
			})
		}
	}
}

// TestManifestWithoutValues: a manifest without Pachyderm values is
// refused by every command with a message saying so (exit 2), and nothing
// is written.
func TestManifestWithoutValues(t *testing.T) {
	manifestDir(t, "deployment.yaml", "argo-other-chart.yaml", "two-releases.yaml")
	for _, c := range []struct{ file, want string }{
		{"deployment.yaml", `deployment.yaml: the manifest (Deployment apps/v1 "web") holds no Pachyderm values`},
		{"argo-other-chart.yaml", `argo-other-chart.yaml:12:7: the manifest holds no Pachyderm values: its releases are "ingress" (Application, chart "ingress-nginx"), and none installs the chart "pachyderm"`},
		{"two-releases.yaml", `two-releases.yaml:28:3: the manifest holds 2 Pachyderm releases`},
	} {
		s := snap(t, c.file)
		for _, args := range [][]string{
			{"validate", "-f", c.file},
			{"list", "-f", c.file},
			{"render", "-f", c.file},
			{"add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET", "-f", c.file, "--in-place"},
			{"remove", "okta", "-f", c.file, "--in-place"},
		} {
			r := pachidpRun(t, "", args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Errorf("pachidp %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(args, " "), r.code, redactLine(r.stderr), c.want)
			}
		}
		s.unchanged(t)
	}
}

// TestManifestRelease: --release chooses among several Pachyderm
// releases, for reading and for edits.
func TestManifestRelease(t *testing.T) {
	manifestDir(t, "two-releases.yaml")
	r := pachidpRun(t, "", "validate", "-f", "two-releases.yaml", "--release", "pachyderm-prod")
	if r.code != exitFindings || !strings.Contains(r.stdout, at(t, "two-releases.yaml", "version: 1")+": error") {
		t.Errorf("validate --release pachyderm-prod: exit %d\n%s%s", r.code, redactLine(r.stdout), redactLine(r.stderr))
	}
	before, _ := os.ReadFile("two-releases.yaml")
	r = pachidpRun(t, "", "add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET",
		"-f", "two-releases.yaml", "--release", "pachyderm-staging", "--in-place")
	if r.code != exitOK {
		t.Fatalf("add --release pachyderm-staging: %s", redactLine(r.stderr))
	}
	after, _ := os.ReadFile("two-releases.yaml")
	// The staging release's values end at its proxy.tls.secretName.
	i := bytes.Index(before, []byte("---"))
	if !bytes.Equal(after[len(after)-(len(before)-i):], before[i:]) {
		t.Error("the other release changed")
	}
	r = pachidpRun(t, "", "list", "-f", "two-releases.yaml", "--release", "pachyderm-staging")
	if !strings.Contains(r.stdout, "auth0") {
		t.Errorf("the entry is not in pachyderm-staging:\n%s", redactLine(r.stdout))
	}
	r = pachidpRun(t, "", "list", "-f", "two-releases.yaml", "--release", "nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, `no release is named "nope"`) {
		t.Errorf("unknown release: %d %s", r.code, redactLine(r.stderr))
	}
}

// TestManifestKustomizeValuesFile: a kustomization's valuesFile is read as
// the layer under valuesInline (its proxy settings count), and an edit of
// the list goes into the kustomization, which sets it.
func TestManifestKustomizeValuesFile(t *testing.T) {
	manifestDir(t, "kustomization.yaml", "values-base.yaml")
	r := pachidpRun(t, "", "validate", "-f", "kustomization.yaml")
	if !strings.Contains(r.stderr, "kustomization.yaml: reading its valuesFile values-base.yaml under valuesInline") || strings.Contains(r.stdout, "host-missing") {
		t.Errorf("valuesFile not read as a layer:\n%s%s", redactLine(r.stdout), redactLine(r.stderr))
	}
	if err := os.Remove("values-base.yaml"); err != nil {
		t.Fatal(err)
	}
	r = pachidpRun(t, "", "validate", "-f", "kustomization.yaml")
	if !strings.Contains(r.stderr, "warning: kustomization.yaml: its valuesFile values-base.yaml cannot be read") || !strings.Contains(r.stdout, "host-missing") {
		t.Errorf("a missing valuesFile is not said:\n%s%s", redactLine(r.stdout), redactLine(r.stderr))
	}
}

// TestManifestNoSecretShown: the outputs that never show a client secret
// (findings, lists, JSON reports) do not show the ones inside manifests
// either, values: | blocks included.
func TestManifestNoSecretShown(t *testing.T) {
	var files []string
	for _, c := range manifestCmdCases {
		files = append(files, c.file)
	}
	manifestDir(t, append(files, "values-base.yaml")...)
	// Without the planted problems too, so that render and dex print.
	for _, f := range files {
		data, _ := os.ReadFile(f)
		clean := regexp.MustCompile(`(?m)^ *version: 1\n`).ReplaceAll(data, nil)
		clean = bytes.ReplaceAll(clean, []byte("https://acme.okta.com/"), []byte("https://acme.okta.com"))
		writeFile(t, "clean-"+f, string(clean))
		files = append(files, "clean-"+f)
	}
	printed := 0
	for _, f := range files {
		for _, args := range [][]string{
			{"validate", "-f", f}, {"validate", "-f", f, "-o", "json"}, {"validate", "-f", f, "-o", "sarif"},
			{"list", "-f", f}, {"list", "-f", f, "-o", "json"},
			{"render", "-f", f, "-o", "json"}, {"dex", "-f", f, "-o", "json"},
			{"remove", "okta", "-f", f, "-o", "json"}, {"remove", "okta", "-f", f, "--diff"},
			{"add", "auth0", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET", "-f", f, "-o", "json"},
		} {
			r := pachidpRun(t, "", args...)
			if args[0] == "render" && strings.Contains(r.stdout, `"text": "- `) {
				printed++
			}
			if strings.Contains(r.stdout+r.stderr, "FAKE-SECRET") || strings.Contains(r.stdout+r.stderr, testEnv["AUTH0_CLIENT_SECRET"]) {
				t.Errorf("pachidp %s shows a client secret", strings.Join(args, " "))
			}
		}
	}
	if printed < len(manifestCmdCases) {
		t.Errorf("render printed the text of %d manifests, want %d", printed, len(manifestCmdCases))
	}
}

// TestManifestReleaseSecretsHidden: with --release, the diff and render -o
// json hide the secret values of the release read, in whichever key they
// appear.
func TestManifestReleaseSecretsHidden(t *testing.T) {
	manifestDir(t, "two-releases.yaml")
	data, _ := os.ReadFile("two-releases.yaml")
	// The secret also in a key that is not a secret key, where only the
	// value sweep finds it.
	data = regexp.MustCompile(`(?m)^ *version: 1\n`).ReplaceAll(data, nil)
	data = bytes.Replace(data, []byte("https://acme.okta.com/"), []byte("https://acme.okta.com"), 1)
	data = bytes.Replace(data, []byte("name: Okta\n"), []byte("name: FAKE-SECRET-okta-9\n"), 1)
	writeFile(t, "two-releases.yaml", string(data))
	for _, args := range [][]string{
		{"remove", "okta", "-f", "two-releases.yaml", "--release", "pachyderm-prod", "--diff"},
		{"render", "-f", "two-releases.yaml", "--release", "pachyderm-prod", "-o", "json"},
	} {
		r := pachidpRun(t, "", args...)
		if r.code != exitOK || strings.Contains(r.stdout, "FAKE-SECRET") || !strings.Contains(r.stdout, "REDACTED") {
			t.Errorf("pachidp %s: exit %d, the secret shown or nothing hidden", strings.Join(args, " "), r.code)
		}
	}
}
