package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/leaktest"
)

// leakOutputs writes values (the canary in some shape, leaktest) into a
// new folder and runs every command that prints something of it: the
// edits' --diff (of the values and of a Secret manifest), render -o json,
// validate as text, JSON and SARIF, list, dex and pachctl as text and
// JSON. It reports each output that holds a piece of the canary, and
// returns how many commands succeeded.
func leakOutputs(t *testing.T, values string) int {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(f, []byte(values), 0o644); err != nil {
		t.Fatal(err)
	}
	newSecret := filepath.Join(dir, "new.txt")
	if err := os.WriteFile(newSecret, []byte("n3w"+leaktest.PieceA+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "m.yaml")
	ok := 0
	for _, args := range [][]string{
		{"remove", "leak", "-f", f, "--diff"},
		{"remove", "keep", "-f", f, "--diff"},
		{"set-secret", "leak", "-f", f, "--client-secret-file", newSecret, "--diff"},
		{"set-secret", "keep", "-f", f, "--client-secret-file", newSecret, "--diff"},
		{"add", "okta", "-f", f, "--domain", "acme.okta.com", "--client-id", "c", "--client-secret-file", newSecret, "--diff"},
		{"secret", "-f", f, "--in-place", "--manifest-out", m, "--diff"},
		{"render", "-f", f, "-o", "json"},
		{"render", "-f", f, "-o", "json", "--chart-version", "2.2.0"},
		{"validate", "-f", f}, {"validate", "-f", f, "-o", "json"}, {"validate", "-f", f, "-o", "sarif"},
		{"validate", "-f", f, "--strict", "--chart-version", "2.2.0"},
		{"list", "-f", f}, {"list", "-f", f, "-o", "json"},
		{"dex", "-f", f, "-o", "json"}, {"pachctl", "leak", "-f", f, "-o", "json"},
		{"remove", "leak", "-f", f, "-o", "json"},
		// set, whose check of the result prints findings of the values.
		{"set", "proxy.host=x.example.com", "-f", f, "--diff"}, {"set", "proxy.host=x.example.com", "-f", f, "-o", "json"},
		{"set", "--value-file", "pachd.rootToken=" + newSecret, "-f", f, "--diff"},
	} {
		r := runIn(nil, nil, args...)
		if r.code == exitOK {
			ok++
		}
		if leaks := leaktest.Leaks(r.stdout + r.stderr); len(leaks) > 0 {
			out := strings.NewReplacer(leaktest.PieceA, "<A>", leaktest.PieceB, "<B>", leaktest.Short, "<short>").Replace(r.stdout + r.stderr)
			t.Errorf("pachidp %s shows %d piece(s) of the secret:\n%s", strings.Join(args[:2], " "), len(leaks), out)
		}
	}
	return ok
}

// TestRedactionShapes (issue 15): whatever its shape, a secret of the
// values reaches no output of any command: --diff printed it in nine
// shapes (inside a jsonConfig string, a config written as a string, block
// scalars, multi-line plain and double-quoted values, \x63 and \u0063
// escapes, secrets under 4 bytes in flow maps), render -o json a
// block-scalar secret.
func TestRedactionShapes(t *testing.T) {
	for _, s := range leaktest.Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			if ok := leakOutputs(t, leaktest.Values(s, 2, false)); ok < 5 {
				t.Errorf("only %d commands succeeded: the sweep proves little", ok)
			}
		})
	}
}

// FuzzRedaction generates the shapes of leaktest (block, folded, quoted,
// escaped, jsonConfig, flow, multi-line, alias, JSON) of a canary secret
// holding the fuzzer's bytes, with any indentation and line ending, and
// checks every output of leakOutputs: --diff, render -o json, SARIF,
// validate's and list's text and JSON, dex and pachctl's JSON, standard
// error.
func FuzzRedaction(f *testing.F) {
	for i := range leaktest.Shapes() {
		f.Add(uint8(i), uint8(2), false, "")
	}
	f.Add(uint8(1), uint8(4), true, `a "quoted" # not a comment, {flow}: ok \ 'x'`)
	f.Add(uint8(3), uint8(0), false, "ünïcødé ☃ 𝄞")
	f.Fuzz(func(t *testing.T, shape, indent uint8, crlf bool, filler string) {
		if len(filler) > 64 {
			filler = filler[:64]
		}
		shapes := leaktest.ShapesWith(filler)
		s := shapes[int(shape)%len(shapes)]
		t.Logf("%s, indent %d, crlf %v", s.Name, 2+int(indent)%6, crlf)
		leakOutputs(t, leaktest.Values(s, 2+int(indent)%6, crlf))
	})
}
