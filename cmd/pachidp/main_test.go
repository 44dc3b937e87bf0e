package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pachidp/pachidp/internal/goldentest"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// The fake secrets of the test data. Tests check that none of them appears
// on standard error, and never print them.
var testSecrets = []string{"fake-okta-secret", "fake-auth0-secret", "fake-keycloak-secret", "s3cr3t-From-Env", "s3cr3t-From-File"}

// fakeSecret matches the fake secrets of testdata/manifests
// (FAKE-SECRET-okta-1, ...).
var fakeSecret = regexp.MustCompile(`FAKE-SECRET[A-Za-z0-9-]*`)

// result is the outcome of one run.
type result struct {
	code           int
	stdout, stderr string
}

// env is the environment the tests run the command with.
var testEnv = map[string]string{
	"AUTH0_CLIENT_SECRET": "s3cr3t-From-Env",
	"LDAP_BIND_PW":        "fake-ldap-password",
}

func getenv(k string) string { return testEnv[k] }

// pachidpRun runs the command with args and stdin, and checks what every
// run must respect: no secret on standard error, nothing on standard error
// ever longer than one line per message, and a code in {0, 1, 2}.
func pachidpRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr, getenv)
	r := result{code, stdout.String(), stderr.String()}
	for _, s := range testSecrets {
		if strings.Contains(r.stderr, s) {
			t.Errorf("pachidp %s: standard error shows a client secret", strings.Join(args, " "))
		}
	}
	if fakeSecret.MatchString(r.stderr) {
		t.Errorf("pachidp %s: standard error shows a client secret", strings.Join(args, " "))
	}
	if code < 0 || code > 2 {
		t.Errorf("pachidp %s: exit status %d", strings.Join(args, " "), code)
	}
	return r
}

// inDir copies the named files of testdata/ into a temporary directory and
// makes it the working directory, so that messages name files as users see
// them ("values.yaml:12:5: ...").
func inDir(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// writeFile writes a file of the test's directory.
func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot records a file's bytes and modification time.
type snapshot struct {
	name string
	data []byte
	mod  time.Time
}

func snap(t *testing.T, name string) snapshot {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{name, data, st.ModTime()}
}

// unchanged fails the test when the file changed in any way.
func (s snapshot) unchanged(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(s.name)
	if err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	st, _ := os.Stat(s.name)
	if !bytes.Equal(data, s.data) || !st.ModTime().Equal(s.mod) {
		t.Errorf("%s was changed", s.name)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(s.name), ".*.pachidp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// golden compares got with testdata/<name> (goldentest.Check), secrets
// hidden in a failure.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	goldentest.Check(t, filepath.Join(testdataDir, name), []byte(got), *update, redactLine)
}

// testdataDir is the absolute path of testdata/, which tests that change
// directory still reach.
var testdataDir = func() string {
	d, err := filepath.Abs("testdata")
	if err != nil {
		panic(err)
	}
	return d
}()

func redactLine(s string) string {
	if i := strings.Index(s, ":"); i >= 0 && pachidp.IsSecretKey("", strings.Trim(strings.TrimSpace(s[:i]), `"- `)) {
		return s[:i+1] + " " + pachidp.Redacted
	}
	for _, sec := range testSecrets {
		s = strings.ReplaceAll(s, sec, pachidp.Redacted)
	}
	return fakeSecret.ReplaceAllString(s, pachidp.Redacted)
}

func TestMainUsage(t *testing.T) {
	r := pachidpRun(t, "")
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "usage: pachidp SUBCOMMAND") {
		t.Errorf("no arguments: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		r := pachidpRun(t, "", args...)
		if r.code != exitOK || r.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, c := range commands {
			if !strings.Contains(r.stdout, "  "+c.name+" ") {
				t.Errorf("%v: the list lacks %s", args, c.name)
			}
		}
	}
	golden(t, "help.golden", pachidpRun(t, "", "help").stdout)
}

// TestSubcommandHelp checks that every subcommand has --help (also as
// `pachidp help NAME`) with a usage line, an example and its flags, on
// standard output with exit status 0.
func TestSubcommandHelp(t *testing.T) {
	for _, c := range commands {
		calls := [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}, {c.name, "-f", "x.yaml", "--help"}}
		wants := []string{"usage: pachidp " + c.name, "Example:\n", "\n  pachidp " + c.name + " ", "Flags:\n", "  -f FILE\n"}
		if c.name == "explain" || c.name == "completion" {
			// They read no values file.
			calls, wants = calls[:3], wants[:4]
		}
		for _, args := range calls {
			r := pachidpRun(t, "", args...)
			if r.code != exitOK || r.stderr != "" {
				t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
			}
			for _, want := range wants {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("%v: the help lacks %q", args, want)
				}
			}
		}
	}
	// A flag's placeholder names what to pass, not one of the values.
	if r := pachidpRun(t, "", "validate", "--help"); !strings.Contains(r.stdout, "\n  --chart-version version\n") {
		t.Errorf("validate --help does not show --chart-version version")
	}
}

func TestUnknownSubcommand(t *testing.T) {
	tests := []struct {
		arg, want string
	}{
		{"valdate", `pachidp: unknown subcommand "valdate": did you mean "validate"? (run 'pachidp help' for the list)`},
		{"rm", `pachidp: unknown subcommand "rm" (run 'pachidp help' for the list)`},
		{"lst", `pachidp: unknown subcommand "lst": did you mean "list"?`},
		{"imprt", `did you mean "import"?`},
		{"-f", "pachidp: -f before a subcommand: the flags come after it"},
	}
	for _, tt := range tests {
		r := pachidpRun(t, "", tt.arg)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q, want one line with %q", tt.arg, r.code, r.stderr, tt.want)
		}
	}
}

// TestFlagErrors checks the usage errors every subcommand shares: one line
// on standard error naming the flag, exit status 2, nothing on standard
// output.
func TestFlagErrors(t *testing.T) {
	inDir(t, "values.yaml")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"list", "-f", "values.yaml", "--secrt", "x"}, "unknown flag --secrt (did you mean --secret?)"},
		{[]string{"list", "-f"}, "-f needs a value"},
		{[]string{"list"}, "-f FILE is required"},
		{[]string{"list", "-f", "values.yaml", "-o", "yaml"}, `-o "yaml": pass text or json`},
		{[]string{"list", "-f", "values.yaml", "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "-f", "values.yaml", "--timeout", "soon"}, `--timeout "soon": parse error`},
		{[]string{"check", "-f", "values.yaml", "--timeout", "-1s"}, "--timeout -1s: pass a positive duration"},
		{[]string{"validate", "-f", "values.yaml", "--chart-version", "2.13.0"}, `Pachyderm 2.13.0 is not modelled: pachidp knows 2.0.0-2.0.2, 2.0.3-2.2, 2.3.0-2.3.5`},
		{[]string{"validate", "-f", "values.yaml", "--chart-version", "2.x"}, `"2.x" is not a Pachyderm version`},
		{[]string{"validate", "-f", "values.yaml", "--proxy-host", "http://x.example.com"}, "--proxy-host: "},
		{[]string{"add", "auth0", "--insecure-enable-groups=maybe"}, `--insecure-enable-groups "maybe": pass true or false`},
		{[]string{"remove", "-f", "values.yaml"}, "which entry? pass its id"},
		{[]string{"import", "-f", "values.yaml", "x"}, "--from is required"},
		{[]string{"import", "--from", "dx", "-f", "values.yaml", "x"}, `--from "dx": pass dex or pachctl (did you mean "dex"?)`},
		{[]string{"import", "--from", "pachctl", "--expand-env", "-f", "values.yaml", "x"}, "--expand-env is for --from dex"},
		{[]string{"import", "--from", "dex", "-f", "values.yaml"}, "no INPUT"},
	}
	for _, tt := range tests {
		r := pachidpRun(t, "", tt.args...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

// TestFlagsAnywhere checks that flags may follow the arguments, and that
// "--" ends the flags.
func TestFlagsAnywhere(t *testing.T) {
	inDir(t, "values.yaml")
	want := pachidpRun(t, "", "remove", "-f", "values.yaml", "okta")
	if want.code != exitOK {
		t.Fatalf("remove: exit %d, stderr %q", want.code, want.stderr)
	}
	for _, args := range [][]string{
		{"remove", "okta", "-f", "values.yaml"},
		{"remove", "okta", "-f=values.yaml"},
		{"remove", "-f", "values.yaml", "--", "okta"},
	} {
		if r := pachidpRun(t, "", args...); r.code != exitOK || r.stdout != want.stdout {
			t.Errorf("%v: exit %d, stderr %q, or another document", args, r.code, r.stderr)
		}
	}
	// After "--", "-f" is an id.
	r := pachidpRun(t, "", "remove", "-f", "values.yaml", "--", "-f")
	if r.code != exitFindings || !strings.Contains(r.stderr, `no entry has id "-f"`) {
		t.Errorf("remove -- -f: exit %d, stderr %q", r.code, r.stderr)
	}
	// Flags after the provider of add, and before it.
	for _, args := range [][]string{
		{"add", "auth0", "-f", "values.yaml", "--domain", "acme.us.auth0.com", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET"},
		{"add", "-f", "values.yaml", "--domain", "acme.us.auth0.com", "auth0", "--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET"},
	} {
		if r := pachidpRun(t, "", args...); r.code != exitOK || !strings.Contains(r.stdout, "id: auth0") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestDuplicateKeyFile: a key written twice is read as Helm reads it (the
// last one counts): list and validate run, validate warns at the line that
// counts, and an edit along the key is refused (exit 2), the file
// untouched.
func TestDuplicateKeyFile(t *testing.T) {
	inDir(t)
	writeFile(t, "dup.yaml", "oidc: {mockIDP: true}\noidc: {upstreamIDPs: []}\n")
	before := snap(t, "dup.yaml")
	if r := pachidpRun(t, "", "list", "-f", "dup.yaml"); r.code != exitOK {
		t.Errorf("list: exit %d, stderr %q", r.code, r.stderr)
	}
	r := pachidpRun(t, "", "validate", "-f", "dup.yaml", "--no-prerequisites")
	if r.code != exitOK || !strings.Contains(r.stdout+r.stderr, "dup.yaml:2:1: warning: oidc: written twice (lines 1 and 2)") {
		t.Errorf("validate: exit %d, stdout %q, stderr %q; want exit 0 and a warning at dup.yaml:2:1", r.code, r.stdout, r.stderr)
	}
	r = pachidpRun(t, "", "add", "google", "-f", "dup.yaml", "--in-place", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", "AUTH0_CLIENT_SECRET", "--proxy-host", "p.example.com")
	if r.code != exitUsage || !strings.Contains(r.stderr, "dup.yaml:2:1: oidc: the key is written twice (lines 1 and 2)") {
		t.Errorf("add: exit %d, stderr %q; want exit 2 naming dup.yaml:2", r.code, r.stderr)
	}
	before.unchanged(t)
}

// TestBadValuesFiles checks every kind of bad values file: one line on
// standard error saying what and where, exit status 2, the file untouched
// even with --in-place.
func TestBadValuesFiles(t *testing.T) {
	inDir(t)
	tests := []struct {
		name, content, want string
	}{
		{"syntax.yaml", "oidc:\n  upstreamIDPs: [\n", "syntax.yaml:2: did not find expected node content"},
		{"tab.yaml", "oidc:\n\tupstreamIDPs: []\n", "tab.yaml:2: found character that cannot start any token"},
		{"list.yaml", "- a\n- b\n", "list.yaml:1:1: a values document must be a mapping, got a list"},
		// validate reports these shapes as findings (TestValidateShapes).
		{"oidc.yaml", "oidc: [x]\n", "oidc.yaml:1:1: oidc: oidc must be a mapping, got a list"},
		{"idps.yaml", "oidc:\n  upstreamIDPs: okta\n", "idps.yaml:2:3: oidc.upstreamIDPs: upstream IdPs must be a list of entries, got a string"},
		{"entry.yaml", "oidc:\n  upstreamIDPs:\n    - okta\n", "entry.yaml:3:7: oidc.upstreamIDPs[0]: "},
		{"null-key.yaml", "oidc:\n  ~: x\n", "null-key.yaml:2:3: oidc: a key YAML reads as null"},
		{"two.yaml", "a: 1\n---\nb: 2\n", "two.yaml:2:1: the input holds 2 YAML documents: a values file is one document; split it"},
	}
	for _, tt := range tests {
		writeFile(t, tt.name, tt.content)
		before := snap(t, tt.name)
		for _, args := range [][]string{
			{"list", "-f", tt.name},
			{"validate", "-f", tt.name},
			{"remove", "x", "-f", tt.name, "--in-place"},
			{"add", "google", "-f", tt.name, "--in-place", "--client-id", "1.apps.googleusercontent.com", "--client-secret-env", "AUTH0_CLIENT_SECRET", "--proxy-host", "p.example.com"},
		} {
			if args[0] == "validate" && tt.name != "syntax.yaml" && tt.name != "tab.yaml" && tt.name != "list.yaml" && tt.name != "two.yaml" {
				continue
			}
			r := pachidpRun(t, "", args...)
			if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("%s: %v: exit %d, stderr %q; want one line with %q", tt.name, args[0], r.code, r.stderr, tt.want)
			}
		}
		before.unchanged(t)
	}
	r := pachidpRun(t, "", "list", "-f", "missing.yaml")
	if r.code != exitUsage || r.stderr != "pachidp list: missing.yaml: cannot read the values file (-f): no such file or directory\n" {
		t.Errorf("missing file: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "", "list", "-f", ".")
	if r.code != exitUsage || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("directory: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestStdin checks -f - and its conflicts with other readers of standard
// input.
func TestStdin(t *testing.T) {
	inDir(t, "values.yaml", "pachctl-connector.yaml")
	values, _ := os.ReadFile("values.yaml")
	r := pachidpRun(t, string(values), "list", "-f", "-")
	if r.code != exitOK || !strings.Contains(r.stdout, "okta") {
		t.Errorf("list -f -: exit %d, stderr %q", r.code, r.stderr)
	}
	r = pachidpRun(t, "oidc: [\n", "list", "-f", "-")
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "pachidp list: <stdin>:") {
		t.Errorf("bad stdin: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"add", "google", "-f", "-", "--client-id", "1.apps.googleusercontent.com", "--client-secret-file", "-"},
		{"import", "--from", "pachctl", "-f", "-", "-"},
		{"render", "-f", "-", "--secret", "-"},
	} {
		r := pachidpRun(t, string(values), args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "both read standard input (-)") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"remove", "okta", "-f", "-", "--in-place"},
		{"secret", "-f", "-", "--in-place"},
	} {
		r := pachidpRun(t, string(values), args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--in-place needs a file") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"add", "remove", "list", "validate", "dex", "import", "secret", "render", "check"}
	for in, want := range map[string]string{
		"ad": "add", "remvoe": "remove", "valid": "validate", "secrets": "secret", "chek": "check",
		"xyzzy": "", "renderer": "render", "Validate": "validate",
	} {
		if got := suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBinary builds the command and runs it as a user would: exit status,
// the streams, and an in-place edit.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "pachidp")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	inDir(t, "values.yaml")
	cmd := exec.Command(bin, "add", "auth0", "-f", "values.yaml", "--domain", "acme.us.auth0.com",
		"--client-id", "abc", "--client-secret-env", "AUTH0_CLIENT_SECRET", "--in-place")
	cmd.Env = append(os.Environ(), "AUTH0_CLIENT_SECRET=s3cr3t-From-Env")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("add: %v, stderr %q", err, redactLine(stderr.String()))
	}
	if stdout.Len() != 0 || strings.Contains(stderr.String(), "s3cr3t") || !strings.Contains(stderr.String(), `added entry "auth0"`) {
		t.Errorf("add --in-place: stdout %d bytes, stderr %q", stdout.Len(), redactLine(stderr.String()))
	}
	out, err := exec.Command(bin, "list", "-f", "values.yaml").Output()
	if err != nil || !strings.Contains(string(out), "auth0  oidc  Auth0  https://acme.us.auth0.com/") {
		t.Errorf("list after add: %v\n%s", err, out)
	}
	err = exec.Command(bin, "remove", "nope", "-f", "values.yaml").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFindings {
		t.Errorf("remove of a missing id: %v, want exit status 1", err)
	}
	err = exec.Command(bin, "frobnicate").Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitUsage {
		t.Errorf("unknown subcommand: %v, want exit status 2", err)
	}
}

// fuzzTokens are the words FuzzRun builds command lines from: every
// subcommand, flag and kind of value, and only files of the fuzz directory.
var fuzzTokens = []string{
	"add", "remove", "list", "validate", "dex", "import", "secret", "render", "help",
	"auth0", "okta", "keycloak", "entra", "google", "oidc", "bogus",
	"-f", "values.yaml", "-", "--in-place", "--", "-o", "json", "text", "--strict",
	"--client-id", "abc", "--client-secret-env", secretEnv, "NOPE", "--client-secret-file", "secret.txt", "--client-secret", "s3cr3t-From-Env",
	"--domain", "acme.us.auth0.com", "http://x", "--proxy-host", "p.example.com", "--id", "--name", "okta", "x y",
	"--issuer", "https://idp.example.com", "--tenant-id", "--host", "--realm", "--from", "dex", "pachctl", "dex-config.yaml",
	"pachctl-connector.yaml", "--expand-env", "--rewrite-redirect-uri", "--values-out", "out.yaml", "--manifest-out", "secret.yaml",
	"--secret", "--chart-version", "2.11.3", "--no-prerequisites", "--chart-version", "dex-v2.45.1", "--disable-mock-idp", "-h", "--help",
	"--insecure-enable-groups=false", "--timeout", "1s", "=", "",
	"set-secret", "inline", "--replace", "--key", "bindPW", "./values.yaml", "--client-secret=s3cr3t-From-Env",
	// Newer subcommands and flags.
	// (check is left out: it would ask the providers of values.yaml.)
	"explain", "completion", "bash", "schema", "pachctl", "--ignore", "redirect-uri-host", "--document", "1",
	"sarif", "--diff", "--ignore-missing", "--edit", "base.yaml", "prod.yaml", "--out", "conn.yaml", "--strict-config",
}

// FuzzRun runs command lines made of fuzzTokens against real files. Whatever
// the line, the exit status is 0, 1 or 2, standard error never shows a
// secret, and a run that fails leaves the values file as it was.
func FuzzRun(f *testing.F) {
	f.Add([]byte{0, 16, 17, 19})                     // add -f values.yaml --in-place
	f.Add([]byte{9, 16, 17, 21, 22, 23, 24, 25, 26}) // auth0 -f values.yaml -o json text --strict ...
	f.Add([]byte{1, 44, 16, 17, 19})                 // remove okta -f values.yaml --in-place
	f.Add([]byte{6, 16, 17, 19, 55, 56, 57, 58})     // secret ...
	f.Add([]byte{5, 50, 51, 16, 17, 53})             // import --from dex -f values.yaml dex-config.yaml
	dir := f.TempDir()
	files := map[string][]byte{}
	for _, name := range []string{"values.yaml", "dex-config.yaml", "pachctl-connector.yaml", "../../../testdata/layers/base.yaml", "../../../testdata/layers/prod.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		name = filepath.Base(name)
		if err != nil {
			f.Fatal(err)
		}
		files[name] = data
	}
	files["secret.txt"] = []byte("s3cr3t-From-File\n")
	f.Fuzz(func(t *testing.T, words []byte) {
		if len(words) > 24 {
			return
		}
		t.Chdir(dir) // flag values such as "--values-out abc" write here
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		os.Remove(filepath.Join(dir, "out.yaml"))
		os.Remove(filepath.Join(dir, "secret.yaml"))
		os.Remove(filepath.Join(dir, "conn.yaml"))
		args := make([]string, len(words))
		for i, w := range words {
			tok := fuzzTokens[int(w)%len(fuzzTokens)]
			if strings.HasSuffix(tok, ".yaml") || tok == "secret.txt" {
				tok = filepath.Join(dir, tok)
			}
			args[i] = tok
		}
		var stdout, stderr bytes.Buffer
		code := run(args, strings.NewReader(string(files["values.yaml"])), &stdout, &stderr, getenv)
		if code != exitOK && code != exitFindings && code != exitUsage {
			t.Fatalf("exit %d", code)
		}
		for _, s := range testSecrets {
			// A word typed on the command line may be echoed ("unknown
			// subcommand"); a secret the command read must not be.
			if strings.Contains(stderr.String(), s) && !slices.Contains(args, s) {
				t.Fatalf("standard error shows a secret for %q", words)
			}
		}
		if code != exitOK {
			for _, name := range []string{"values.yaml", "base.yaml", "prod.yaml"} {
				got, _ := os.ReadFile(filepath.Join(dir, name))
				if !bytes.Equal(got, files[name]) {
					t.Fatalf("exit %d changed %s: %q", code, name, words)
				}
			}
		}
	})
}

// BenchmarkValidatePachydermValues runs `pachidp validate` on Pachyderm's
// own values file with an entry added.
func BenchmarkValidatePachydermValues(b *testing.B) {
	data := fixtures.Read(b, "values-2.11.x.yaml")
	path := filepath.Join(b.TempDir(), "values.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if code := run([]string{"add", "google", "-f", path, "--in-place", "--client-id", "1.apps.googleusercontent.com",
		"--client-secret-env", secretEnv, "--proxy-host", "pachyderm.example.com"}, nil, &out, &out, getenv); code != exitOK {
		b.Fatalf("add: exit %d: %s", code, redactLine(out.String()))
	}
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if code := run([]string{"validate", "-f", path, "--chart-version", "2.11.3"}, nil, &out, &out, getenv); code != exitFindings {
			b.Fatalf("validate: exit %d", code)
		}
	}
}

// BenchmarkAddInPlace measures an in-place edit of Pachyderm's own values
// file: read, splice, check, atomic write.
func BenchmarkAddInPlace(b *testing.B) {
	data := fixtures.Read(b, "values-2.11.x.yaml")
	path := filepath.Join(b.TempDir(), "values.yaml")
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if code := run([]string{"add", "google", "-f", path, "--in-place", "--client-id", "1.apps.googleusercontent.com",
			"--client-secret-env", secretEnv, "--proxy-host", "pachyderm.example.com"}, nil, &out, &out, getenv); code != exitOK {
			b.Fatalf("add: exit %d", code)
		}
	}
}

func TestVersion(t *testing.T) {
	r := pachidpRun(t, "", "--version")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"pachidp ", "2.0.3-2.2 ", "github.com/pachyderm/dex v0.0.0-20211020185745-ebfeda600c26", "2.12 ", "dex-v2.45.1 ", "default 2.12"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--version lacks %q:\n%s", want, r.stdout)
		}
	}
	if r2 := pachidpRun(t, "", "version"); r2.stdout != r.stdout {
		t.Errorf("version and --version differ")
	}
}
