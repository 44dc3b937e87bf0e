package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// TestExitCode: the exit status a subcommand's error maps to, and the line
// runEnv prints for it (once; none for an error whose reason was printed
// already).
func TestExitCode(t *testing.T) {
	e := &env{cmd: "list"}
	tests := []struct {
		name string
		err  error
		code int
		line string
	}{
		{"nil", nil, exitOK, ""},
		{"stop (--help)", errStop, exitOK, ""},
		{"findings printed", errFindings, exitFindings, ""},
		{"usage", e.usageError("-o %q: pass text or json", "xml"), exitUsage, "pachidp list: -o \"xml\": pass text or json (run 'pachidp list --help')\n"},
		{"failure", e.failf(exitFindings, "%s: no entries to check", "values.yaml"), exitFindings, "pachidp list: values.yaml: no entries to check\n"},
		{"wrapped", fmt.Errorf("context: %w", e.failf(exitFindings, "x")), exitFindings, "context: pachidp list: x\n"},
		{"other error", errors.New("boom"), exitUsage, "boom\n"},
		{"silent usage", silent(exitUsage), exitUsage, ""},
		{"silent ok", silent(exitOK), exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.code {
				t.Errorf("exitCode = %d, want %d", got, tt.code)
			}
			var stderr bytes.Buffer
			c := command{name: "list", run: func(*env, []string) error { return tt.err }}
			if code := runEnv(c, &env{cmd: "list", stderr: &stderr}, nil); code != tt.code {
				t.Errorf("runEnv = %d, want %d", code, tt.code)
			}
			if stderr.String() != tt.line {
				t.Errorf("runEnv printed %q, want %q", stderr.String(), tt.line)
			}
		})
	}
}
