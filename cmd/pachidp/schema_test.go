package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
)

func TestSchemaCommand(t *testing.T) {
	target, err := pachidp.ParseTarget("2.11.6")
	if err != nil {
		t.Fatal(err)
	}
	want, err := target.JSONSchema(pachidp.JSONSchemaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := pachidpRun(t, "", "schema", "--chart-version", "2.11.6")
	if r.code != exitOK || r.stderr != "" || r.stdout != string(want) {
		t.Errorf("schema --chart-version 2.11.6: exit %d, stderr %q, stdout is the library's schema: %v", r.code, r.stderr, r.stdout == string(want))
	}
	strict, _ := pachidp.Target{}.JSONSchema(pachidp.JSONSchemaOptions{StrictConfig: true})
	if r := pachidpRun(t, "", "schema", "--strict-config"); r.code != exitOK || r.stdout != string(strict) {
		t.Errorf("schema --strict-config: exit %d, not the newest target's strict schema", r.code)
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "schemas", "pachidp.json")
	values := filepath.Join(dir, "values.yaml")
	if err := os.Mkdir(filepath.Join(dir, "schemas"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(values, []byte("oidc: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = pachidpRun(t, "", "schema", "--chart-version", "2.11.6", "-o", out, "-f", values)
	got, err := os.ReadFile(out)
	if r.code != exitOK || r.stdout != "" || err != nil || string(got) != string(want) {
		t.Errorf("schema -o: exit %d, stdout %q, file %v", r.code, r.stdout, err)
	}
	line := "# yaml-language-server: $schema=./schemas/pachidp.json"
	if !strings.Contains(r.stderr, "put this line at the top of") || !strings.Contains(r.stderr, line) {
		t.Errorf("schema -o -f: stderr %q lacks the modeline %q", r.stderr, line)
	}
	if err := os.WriteFile(values, []byte(line+"\noidc: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := pachidpRun(t, "", "schema", "-o", out, "-f", values); !strings.Contains(r.stderr, "has the modeline") {
		t.Errorf("schema -o -f, modeline present: stderr %q", r.stderr)
	}
	if r := pachidpRun(t, "", "schema", "--chart-version", "1.9"); r.code != exitUsage {
		t.Errorf("schema --chart-version 1.9: exit %d, want %d", r.code, exitUsage)
	}
	if r := pachidpRun(t, "", "schema", "extra"); r.code != exitUsage {
		t.Errorf("schema extra: exit %d, want %d", r.code, exitUsage)
	}
}
