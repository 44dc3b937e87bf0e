package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeManifestCommands are the commands of the README's section on
// manifests, run in a folder holding testdata/manifests.
var readmeManifestCommands = [][]string{
	{"validate", "-f", "flux-helmrelease.yaml"},
	{"remove", "okta", "-f", "argo-values-string.yaml", "--diff"},
	{"list", "-f", "two-releases.yaml"},
	{"list", "-f", "two-releases.yaml", "--release", "pachyderm-prod"},
	{"validate", "-f", "deployment.yaml"},
}

const readmeManifestsMarker = "<!-- manifests example: checked by TestREADMEManifests (go test ./cmd/pachidp -update) -->\n```console\n"

// TestREADMEManifests: the README's console block on manifests is what
// these commands print (standard output and standard error as a terminal
// shows them, interleaved).
func TestREADMEManifests(t *testing.T) {
	readmePath, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "manifests", "*.*"))
	var names []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".golden") {
			names = append(names, filepath.Base(f))
		}
	}
	manifestDir(t, names...)
	var b strings.Builder
	for _, args := range readmeManifestCommands {
		b.WriteString("$ pachidp " + strings.Join(args, " ") + "\n")
		var out bytes.Buffer
		run(args, strings.NewReader(""), &out, &out, getenv)
		b.WriteString(out.String())
	}
	got := b.String()
	for _, s := range []string{"FAKE-SECRET"} {
		if strings.Contains(got, s) {
			t.Fatal("the README block would show a client secret")
		}
	}
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, readmeManifestsMarker)
	if i < 0 {
		t.Fatalf("README.md has no block after %q", readmeManifestsMarker)
	}
	start := i + len(readmeManifestsMarker)
	end := strings.Index(s[start:], "```\n")
	if end < 0 {
		t.Fatal("the README's block does not end")
	}
	if s[start:start+end] == got {
		return
	}
	if *update {
		if err := os.WriteFile(readmePath, []byte(s[:start]+got+s[start+end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's manifests block is not what the commands print (go test ./cmd/pachidp -run TestREADMEManifests -update):\n%s", got)
}
