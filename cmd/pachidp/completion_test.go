package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// complete runs the bash completion script the command prints on a command
// line (words typed so far, the last one being completed) and returns
// bash's candidates.
func complete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash here")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "c.bash")
	if err := os.WriteFile(f, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, "'"+w+"'")
	}
	prog := "source " + f + "\nCOMP_WORDS=(pachidp " + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
		itoa(len(words)) + "\n_pachidp\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v: %s", err, out)
	}
	return strings.Fields(string(out))
}

func itoa(n int) string { return strconv.Itoa(n) }

func noEnv(string) string { return "" }

func TestCompletionBash(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"completion", "bash"}, nil, &out, &errb, noEnv); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	script := out.String()
	tests := []struct {
		words []string
		want  []string // each must be among the candidates
		not   []string // none may be
	}{
		{[]string{"va"}, []string{"validate"}, []string{"add"}},
		{[]string{"add", ""}, []string{"auth0", "okta", "entra", "google", "oidc"}, nil},
		{[]string{"add", "auth0", "--cl"}, []string{"--client-id", "--client-secret-env", "--client-secret-file"}, []string{"--client-secret"}},
		{[]string{"validate", "--chart-version", "2.1"}, []string{"2.12", "2.12.0-rc.1"}, []string{"dex-v2.45.1"}},
		{[]string{"list", "-o", ""}, []string{"text", "json"}, nil},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"help", "se"}, []string{"secret", "set-secret"}, nil},
	}
	for _, tt := range tests {
		got := complete(t, script, tt.words...)
		for _, w := range tt.want {
			if !contains(got, w) {
				t.Errorf("%q: %q not among %q", tt.words, w, got)
			}
		}
		for _, w := range tt.not {
			if contains(got, w) {
				t.Errorf("%q: %q among %q", tt.words, w, got)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCompletionEveryFlag: every flag of every subcommand is in every
// shell's script, so a flag added later completes without a change.
func TestCompletionEveryFlag(t *testing.T) {
	for _, shell := range shells {
		var out bytes.Buffer
		if code := run([]string{"completion", shell}, nil, &out, &bytes.Buffer{}, noEnv); code != exitOK {
			t.Fatalf("%s: exit %d", shell, code)
		}
		for _, s := range commandSpecs() {
			if len(s.flags) == 0 && s.name != "completion" && s.name != "explain" {
				t.Errorf("%s: no flag probed", s.name)
			}
			for _, f := range s.flags {
				word := f.typed()
				if shell == "fish" {
					word = map[bool]string{true: "-s ", false: "-l "}[len(f.name) == 1] + f.name
				}
				if !strings.Contains(out.String(), word) {
					t.Errorf("%s: %s %s missing", shell, s.name, word)
				}
			}
		}
	}
}

// TestCompletionShellsParse checks the scripts' syntax with the shells that
// are installed.
func TestCompletionShellsParse(t *testing.T) {
	for _, tt := range []struct{ shell, flag string }{{"bash", "-n"}, {"zsh", "-n"}, {"fish", "--no-execute"}} {
		bin, err := exec.LookPath(tt.shell)
		if err != nil {
			t.Logf("no %s here", tt.shell)
			continue
		}
		var out bytes.Buffer
		run([]string{"completion", tt.shell}, nil, &out, &bytes.Buffer{}, noEnv)
		f := filepath.Join(t.TempDir(), "c")
		os.WriteFile(f, out.Bytes(), 0o600)
		if msg, err := exec.Command(bin, tt.flag, f).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v: %s", tt.shell, tt.flag, err, msg)
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	var errb bytes.Buffer
	if code := run([]string{"completion", "bsh"}, nil, &bytes.Buffer{}, &errb, noEnv); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "did you mean bash?") {
		t.Errorf("stderr: %s", errb.String())
	}
}
