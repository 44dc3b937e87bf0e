package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The console blocks of README.md and docs/*.md are what the commands they
// show print. TestREADMEBlocks finds every ```console block, and runs each
// `$ pachidp ...` line in-process (run, standard output and standard error
// interleaved as a terminal shows them) in a temporary copy of the files
// the block uses, from the folder the block says, and compares the output
// with the block. A block is keyed by its first `$ pachidp` line (else its
// first line), so that a block keeps its key when it moves between pages.
// Every block is either in docBlocks (run) or in unrunBlocks (with the
// reason): a new block that is in neither fails the test, and so does an
// entry that names no block.

// docBlock says how to run one console block.
type docBlock struct {
	// files are copied from the repository into a temporary folder at the
	// same relative paths (a folder is copied whole; * globs).
	files []string
	// repo: the block runs in a copy of testdata/repo, as inRepo makes it.
	repo bool
	// dir is the folder, relative to the temporary root, where the block's
	// commands start.
	dir string
	// env is the environment of run; unset variables are empty.
	env map[string]string
	// after names blocks whose commands run first, in the same folder, with
	// their own env, unchecked: the state the prose says the block starts
	// from (an earlier block's edits).
	after []string
	// edits are hand edits the prose describes, made after the replay.
	edits []handEdit
	// until is the prefix of the first command not run, and why the reason:
	// the commands from there to the block's end are shown, not checked.
	until, why string
}

type handEdit struct{ file, old, new string }

// The secrets of the blocks: the fake ones of the shipped files.
var blockEnv = map[string]string{
	"AUTH0_CLIENT_SECRET":    "fake-auth0-secret",
	"OKTA_CLIENT_SECRET":     "fake-okta-secret",
	"KEYCLOAK_CLIENT_SECRET": "fake-keycloak-secret",
	"ENTRA_CLIENT_SECRET":    "fake-entra-secret",
}

// valuesYAML is the sample values file of the command's sections.
var valuesYAML = docBlock{files: []string{"cmd/pachidp/testdata/values.yaml"}, dir: "cmd/pachidp/testdata"}

func with(b docBlock, f func(*docBlock)) docBlock { f(&b); return b }

const (
	blockQuickValidate = "$ pachidp validate -f values.yaml"
	blockQuickAdd      = "$ pachidp add okta -f values.yaml --domain acme.okta.com --client-id 0oa1b2c3d4e5f6g7h8i9 --client-secret-env OKTA_CLIENT_SECRET --in-place"
	blockAdd           = "$ pachidp add auth0 -f values.yaml --domain acme.us.auth0.com \\"
	blockUpdate        = "$ pachidp add okta -f values.yaml --domain acme.okta.com --client-id 0oa1b2c3d4e5f6g7h8i9 \\"
	blockSecret        = "$ pachidp secret -f values.yaml --namespace pachyderm --in-place --manifest-out upstream-idps-secret.yaml"
	blockSecretAdd     = "$ pachidp add keycloak -f values.yaml --host keycloak.example.com --realm pachyderm --client-id pachyderm \\"
	blockImportDex     = "$ pachidp import --from dex -f values.yaml --in-place dex-config.yaml"
	blockMany          = "$ pachidp validate --base common.yaml clusters/*/values.yaml --chart-version 2.11.6"
)

var docBlocks = map[string]docBlock{
	// README: the quick start, on examples/quickstart.
	blockQuickValidate: {files: []string{"examples/quickstart/values.yaml"}},
	blockQuickAdd:      {files: []string{"examples/quickstart/values.yaml"}, after: []string{blockQuickValidate}},
	"$ pachidp add auth0 -f values.yaml --domain acme.us.auth0.com --client-id hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks --client-secret-env AUTH0_CLIENT_SECRET --replace --in-place": {
		files: []string{"examples/quickstart/values.yaml"}, after: []string{blockQuickValidate, blockQuickAdd}},

	// README: the command's tasks, on cmd/pachidp/testdata.
	blockAdd: valuesYAML,
	"$ pachidp set proxy.host=pachyderm.acme.com -f values.yaml --in-place":                                                                   valuesYAML,
	"$ pachidp add okta -f values.yaml --domain https://acme.okta.com/oauth2/default --client-id 0oa9 --client-secret-env OKTA_CLIENT_SECRET": valuesYAML,
	blockUpdate: with(valuesYAML, func(b *docBlock) {
		b.after = []string{blockAdd}
		b.env = map[string]string{"OKTA_CLIENT_SECRET": "fake-okta-secret-2"}
	}),
	"$ pachidp add okta -f values.yaml --domain acme.okta.com --client-id 0oa1b2c3d4e5f6g7h8i9 \\\n    --client-secret-env OKTA_CLIENT_SECRET --replace > /dev/null": with(valuesYAML, func(b *docBlock) {
		// "here after insecureEnableGroups: false and getUserInfo: true
		// were set by hand"
		b.after = []string{blockAdd, blockUpdate}
		b.env = map[string]string{"OKTA_CLIENT_SECRET": "fake-okta-secret-2"} // the secret of the update above
		b.edits = []handEdit{{"values.yaml", "        insecureEnableGroups: true\n        insecureSkipEmailVerified: true\n",
			"        insecureEnableGroups: false\n        insecureSkipEmailVerified: true\n        getUserInfo: true\n"}}
	}),
	"$ pachidp set-secret okta -f values.yaml --client-secret-env OKTA_CLIENT_SECRET --in-place": with(valuesYAML, func(b *docBlock) {
		b.env = map[string]string{"OKTA_CLIENT_SECRET": "fake-okta-secret-3"} // a rotated secret
	}),
	"$ pachidp remove okta -f values.yaml --in-place": with(valuesYAML, func(b *docBlock) {
		b.after = []string{blockAdd, blockUpdate}
	}),
	"$ pachidp remove okta -f values.yaml --in-place --ignore-missing": with(valuesYAML, func(b *docBlock) {
		b.after = []string{blockAdd, blockUpdate, "$ pachidp remove okta -f values.yaml --in-place"}
	}),
	"$ pachidp add auth0 -f values.yaml --domain acme.us.auth0.com --client-id hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks --client-secret-env AUTH0_CLIENT_SECRET --in-place --diff": valuesYAML,
	"$ pachidp validate -f guide-values.yaml --chart-version 2.11.3":                      {files: []string{"cmd/pachidp/testdata/guide-values.yaml"}, dir: "cmd/pachidp/testdata"},
	"$ pachidp explain auth0-issuer-slash":                                                {},
	"$ pachidp validate -f values.yaml --strict -o json":                                  valuesYAML,
	"$ pachidp validate -f base.yaml -f prod.yaml -f secrets.yaml --chart-version 2.11.6": {files: []string{"testdata/layers"}, dir: "testdata/layers"},
	"$ pachidp validate -f chart-values.yaml":                                             {files: []string{"cmd/pachidp/testdata/readme"}, dir: "cmd/pachidp/testdata/readme"},
	"$ pachidp secret -f values.yaml --in-place --manifest-out ./values.yaml":             valuesYAML,
	blockSecret:    valuesYAML,
	blockSecretAdd: with(valuesYAML, func(b *docBlock) { b.after = []string{blockSecret} }),
	"$ pachidp inline -f values.yaml --secret upstream-idps-secret.yaml --in-place": with(valuesYAML, func(b *docBlock) {
		b.after = []string{blockSecret, blockSecretAdd}
	}),
	"$ pachidp render -f values.yaml --secret upstream-idps-secret.yaml": with(valuesYAML, func(b *docBlock) {
		b.after = []string{blockSecret}
	}),
	"$ pachidp dex -f values.yaml > connectors.yaml": valuesYAML,
	blockImportDex: with(valuesYAML, func(b *docBlock) {
		b.files = append(b.files, "cmd/pachidp/testdata/dex-config.yaml")
	}),
	"$ pachidp import --from pachctl -f values.yaml --in-place pachctl-connector.yaml": with(valuesYAML, func(b *docBlock) {
		b.files = append(b.files, "cmd/pachidp/testdata/dex-config.yaml", "cmd/pachidp/testdata/pachctl-connector.yaml")
		b.after = []string{blockImportDex}
	}),
	"$ pachidp pachctl okta -f values.yaml --out okta-connector.yaml": with(valuesYAML, func(b *docBlock) {
		b.until, b.why = "$ pachctl ", "pachctl needs a running Pachyderm cluster"
	}),
	"$ pachidp schema --chart-version 2.11.6 -o pachidp-2.11.json -f values.yaml": valuesYAML,
	"$ pachidp list -f base.yaml -f prod.yaml -f secrets.yaml":                    {files: []string{"testdata/layers"}, dir: "testdata/layers"},
	"$ pachidp add auth0 -f base.yaml -f prod.yaml --domain acme.us.auth0.com --client-id hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks --client-secret-env AUTH0_CLIENT_SECRET --in-place": {
		files: []string{"testdata/layers"}, dir: "testdata/layers"},
	"$ pachidp remove okta -f values.yaml -o json": valuesYAML,

	// README: workflows.
	"$ pachidp validate -f flux-helmrelease.yaml": {files: []string{"testdata/manifests"}, dir: "testdata/manifests"},
	blockMany:            {files: []string{"cmd/pachidp/testdata/readme/many"}, dir: "cmd/pachidp/testdata/readme/many"},
	"$ pachidp validate": {repo: true},
	"$ pachidp validate --changed common.yaml": {repo: true},
	"$ pachidp validate --base common.yaml clusters/*/values.yaml --chart-version 2.11.6 -o sarif > pachidp.sarif": {
		files: []string{"cmd/pachidp/testdata/readme/many"}, dir: "cmd/pachidp/testdata/readme/many"},

	// docs/guide-differences.md.
	"$ pachidp render -f guide-values.yaml": {files: []string{"cmd/pachidp/testdata/guide-values.yaml"}, dir: "cmd/pachidp/testdata"},
	"$ pachidp add entra -f values.yaml --tenant-id 8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c \\": {
		files: []string{"cmd/pachidp/testdata/readme/entra"}, dir: "cmd/pachidp/testdata/readme/entra",
		until: "$ grep ", why: "the comment is a hand edit the reader makes; TestAddThenStrict checks that the acknowledged entry passes --strict"},
}

// unrunBlocks are the console blocks this test does not run, and why.
var unrunBlocks = map[string]string{
	"$ pachidp check -f local.yaml --ca-file ca.pem --timeout 5s":                             "needs an OpenID provider listening at 127.0.0.1:8443 with a private CA, and prints a duration; TestCheck (cmd/pachidp) and TestPreflight run check against a local provider",
	"$ pachidp schema --chart-version 2.11.6 -o /tmp/pachidp-2.11.json":                       "runs npm, node and yaml-language-server (docs/schema.md), or the validator of conformance/schema: TestEditorDiagnostics and TestREADMEValidatorOutput (conformance/schema) check these lines",
	"values.yaml:15:7: error: Property issuerURL is not allowed.":                             "the editor's diagnostic with --strict-config: TestEditorDiagnostics (conformance/schema, needs node)",
	"      - at '/oidc/upstreamIDPs/0/config': additional properties 'issuerURL' not allowed": "the validator's strict line: TestREADMEValidatorOutput (conformance/schema)",
	"proxy.host = pachyderm.prod.example.com (testdata/layers/prod.yaml:4:3)":                 "ExampleLayers' output, not a command's: TestREADMELayersBlock (root package)",
}

// consoleBlock is one ```console block of a page.
type consoleBlock struct {
	page  string
	start int // index of the block's first line in the page's lines
	lines []string
}

func (b consoleBlock) key() string {
	for i, l := range b.lines {
		if strings.HasPrefix(l, "$ pachidp") {
			// A command continued on the next line keeps its first two
			// lines when the first alone would name another block.
			if strings.HasSuffix(l, "\\") && i+1 < len(b.lines) {
				if _, ok := docBlocks[l+"\n"+b.lines[i+1]]; ok {
					return l + "\n" + b.lines[i+1]
				}
			}
			return l
		}
	}
	if len(b.lines) == 0 {
		return ""
	}
	return b.lines[0]
}

// step is one command of a block and the output the block shows for it.
type step struct {
	raw  []string // the command's lines as written
	cmd  string   // joined, without the "$ "
	want string
}

func (b consoleBlock) steps() []step {
	var steps []step
	for i := 0; i < len(b.lines); i++ {
		l := b.lines[i]
		if !strings.HasPrefix(l, "$ ") {
			if len(steps) == 0 {
				steps = append(steps, step{})
			}
			steps[len(steps)-1].want += l + "\n"
			continue
		}
		s := step{raw: []string{l}, cmd: strings.TrimPrefix(l, "$ ")}
		for strings.HasSuffix(s.cmd, "\\") && i+1 < len(b.lines) {
			i++
			s.raw = append(s.raw, b.lines[i])
			s.cmd = strings.TrimSuffix(s.cmd, "\\") + " " + strings.TrimSpace(b.lines[i])
		}
		steps = append(steps, s)
	}
	return steps
}

func consoleBlocks(t *testing.T) (map[string][]string, []consoleBlock) {
	t.Helper()
	pages, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	pages = append([]string{filepath.Join("..", "..", "README.md")}, pages...)
	texts := map[string][]string{}
	var blocks []consoleBlock
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		texts[page] = lines
		for i := 0; i < len(lines); i++ {
			if lines[i] != "```console" {
				continue
			}
			b := consoleBlock{page: page, start: i + 1}
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				b.lines = append(b.lines, lines[i])
			}
			blocks = append(blocks, b)
		}
	}
	if len(blocks) < 30 {
		t.Fatalf("found %d console blocks: the search is stale", len(blocks))
	}
	return texts, blocks
}

// TestREADMEBlocks: see above.
func TestREADMEBlocks(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for the blocks' git diff: install it") // fail, never skip: CI has it
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	texts, blocks := consoleBlocks(t)
	byKey := map[string]consoleBlock{}
	seen := map[string]bool{}
	for _, b := range blocks {
		byKey[b.key()] = b
	}
	type replacement struct {
		page       string
		start, end int
		lines      []string
	}
	var repl []replacement
	for _, b := range blocks {
		key := b.key()
		seen[key] = true
		where := fmt.Sprintf("%s:%d", strings.TrimPrefix(b.page, "../../"), b.start)
		if _, ok := unrunBlocks[key]; ok {
			continue
		}
		spec, ok := docBlocks[key]
		if !ok {
			t.Errorf("%s: the console block %q is neither run (docBlocks) nor listed with a reason (unrunBlocks)", where, key)
			continue
		}
		t.Run(where, func(t *testing.T) {
			got, ok := runBlock(t, root, spec, b, byKey)
			if !ok || got == strings.Join(b.lines, "\n") {
				return
			}
			if *update {
				repl = append(repl, replacement{b.page, b.start, b.start + len(b.lines), strings.Split(got, "\n")})
				return
			}
			t.Errorf("the block is not what its commands print (go test ./cmd/pachidp -run TestREADMEBlocks -update):\n--- the page\n%s\n--- the commands\n%s", strings.Join(b.lines, "\n"), got)
		})
	}
	// Rewrite from the last block of a page to the first, so that the
	// line numbers of the blocks not yet rewritten stay right.
	for i := len(repl) - 1; i >= 0; i-- {
		r := repl[i]
		texts[r.page] = slices.Concat(texts[r.page][:r.start], r.lines, texts[r.page][r.end:])
		writePage(t, r.page, texts[r.page])
	}
	for key := range docBlocks {
		if !seen[key] {
			t.Errorf("docBlocks names a block no page has: %q", key)
		}
	}
	for key := range unrunBlocks {
		if !seen[key] {
			t.Errorf("unrunBlocks names a block no page has: %q", key)
		}
	}
}

func writePage(t *testing.T, page string, lines []string) {
	if err := os.WriteFile(page, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runBlock prepares the block's folder, replays the blocks it comes after,
// runs its commands and returns the block as they print it; false when a
// command cannot be run.
func runBlock(t *testing.T, root string, spec docBlock, b consoleBlock, byKey map[string]consoleBlock) (string, bool) {
	tmp := t.TempDir()
	if spec.repo {
		tmp = inRepo(t)
	} else {
		for _, f := range spec.files {
			copyInto(t, root, tmp, f)
		}
		t.Chdir(filepath.Join(tmp, spec.dir))
	}
	sh := &shell{t: t}
	usesGit := func(steps []step) bool {
		return slices.ContainsFunc(steps, func(s step) bool { return strings.HasPrefix(s.cmd, "git ") })
	}
	git := usesGit(b.steps())
	for _, key := range spec.after {
		git = git || usesGit(byKey[key].steps())
	}
	if git {
		// git diff shows what the block changed: each block starts
		// from a commit of the folder as the blocks before it left it.
		sh.git("init", "-q", tmp)
	}
	baseline := func() {
		if git {
			sh.git("-C", tmp, "add", "-A")
			sh.git("-C", tmp, "commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", "before the block")
		}
	}
	for _, key := range spec.after {
		prev, ok := byKey[key]
		if !ok {
			t.Fatalf("after: no block %q", key)
		}
		baseline()
		sh.env = docBlocks[key].env
		for _, s := range prev.steps() {
			if s.cmd != "" {
				if _, err := sh.exec(s.cmd); err != nil {
					t.Fatalf("replaying %q: %v", key, err)
				}
			}
		}
	}
	for _, e := range spec.edits {
		data, err := os.ReadFile(e.file)
		if err != nil || !bytes.Contains(data, []byte(e.old)) {
			t.Fatalf("hand edit of %s: %q is not in it (%v)", e.file, e.old, err)
		}
		writeFile(t, e.file, strings.Replace(string(data), e.old, e.new, 1))
	}
	sh.env = spec.env
	steps := b.steps()
	baseline()
	var out []string
	stopped := false
	for _, s := range steps {
		if s.cmd == "" || stopped || (spec.until != "" && strings.HasPrefix("$ "+s.cmd, spec.until)) {
			stopped = stopped || s.cmd != ""
			out = append(out, s.raw...)
			if s.want != "" {
				out = append(out, strings.Split(strings.TrimSuffix(s.want, "\n"), "\n")...)
			}
			continue
		}
		got, err := sh.exec(s.cmd)
		if err != nil {
			t.Errorf("%s: %v", s.cmd, err)
			return "", false
		}
		out = append(out, s.raw...)
		if got != "" {
			out = append(out, strings.Split(strings.TrimSuffix(got, "\n"), "\n")...)
		}
	}
	if spec.until != "" && !stopped {
		t.Errorf("until %q: the block has no such command", spec.until)
	}
	return strings.Join(out, "\n"), true
}

// copyInto copies the repository's file or folder rel (or the files its
// glob matches) to the same relative path under tmp.
func copyInto(t *testing.T, root, tmp, rel string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(root, rel))
	if len(matches) == 0 {
		t.Fatalf("%s is not in the repository", rel)
	}
	for _, m := range matches {
		err := filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			r, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			dst := filepath.Join(tmp, r)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// shell runs the commands the pages show: pachidp in-process, and the few
// others the blocks use, each as the named program prints it.
type shell struct {
	t    *testing.T
	env  map[string]string
	code int
}

func (sh *shell) getenv(k string) string {
	if v, ok := sh.env[k]; ok {
		return v
	}
	return blockEnv[k]
}

func (sh *shell) git(args ...string) string {
	cmd := exec.Command("git", append([]string{"-c", "user.name=pachidp", "-c", "user.email=pachidp@example.com", "-c", "core.autocrlf=false"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		sh.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (sh *shell) exec(line string) (string, error) {
	words, redirect, err := shellWords(line)
	if err != nil {
		return "", err
	}
	if len(words) == 0 {
		return "", fmt.Errorf("no command")
	}
	switch {
	case words[0] == "pachidp":
		var args []string
		for _, w := range words[1:] {
			if strings.Contains(w, "*") {
				m, _ := filepath.Glob(w)
				if len(m) == 0 {
					return "", fmt.Errorf("%s matches no file", w)
				}
				args = append(args, m...)
				continue
			}
			args = append(args, w)
		}
		var out, stdout bytes.Buffer
		so := &out
		if redirect != "" {
			so = &stdout
		}
		var stderr bytes.Buffer
		sh.code = run(args, strings.NewReader(""), so, io.MultiWriter(&out, &stderr), sh.getenv)
		for _, secret := range append(slices.Collect(maps.Values(blockEnv)), append(testSecrets, "FAKE-SECRET", "fake-okta-secret-2", "fake-okta-secret-3")...) {
			if strings.Contains(stderr.String(), secret) {
				return "", fmt.Errorf("standard error shows a client secret")
			}
		}
		if redirect != "" && redirect != "/dev/null" {
			if err := os.WriteFile(redirect, stdout.Bytes(), 0o644); err != nil {
				return "", err
			}
		}
		return out.String(), nil
	case line == "echo $?":
		return fmt.Sprintln(sh.code), nil
	case words[0] == "export" && len(words) == 2 && strings.HasSuffix(words[1], "=..."):
		return "", nil // the value is the block's env
	case words[0] == "cd" && len(words) == 2:
		return "", os.Chdir(words[1])
	case words[0] == "ls" && len(words) == 1:
		entries, err := os.ReadDir(".")
		var names []string
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		return strings.Join(names, "  ") + "\n", err
	case words[0] == "cat" && len(words) == 2:
		data, err := os.ReadFile(words[1])
		return string(data), err
	case words[0] == "printf" && len(words) == 3 && words[1] == `%s\n` && strings.HasPrefix(words[2], "$") && redirect != "":
		return "", os.WriteFile(redirect, []byte(sh.getenv(words[2][1:])+"\n"), 0o644)
	case words[0] == "git" && len(words) == 3 && words[1] == "diff":
		// git diff without its header lines, as the pages show it.
		out := sh.git("--no-pager", "diff", "--no-color", words[2])
		if i := strings.Index(out, "\n@@"); i >= 0 {
			out = out[i+1:]
		}
		return out, nil
	case words[0] == "jq" && len(words) == 3 && words[1] == ".runs[0].results[0]":
		data, err := os.ReadFile(words[2])
		if err != nil {
			return "", err
		}
		var log struct {
			Runs []struct{ Results []json.RawMessage }
		}
		if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) == 0 || len(log.Runs[0].Results) == 0 {
			return "", fmt.Errorf("%s has no .runs[0].results[0] (%v)", words[2], err)
		}
		var b bytes.Buffer
		err = json.Indent(&b, log.Runs[0].Results[0], "", "  ") // jq's layout: two spaces, keys in order
		return b.String() + "\n", err
	}
	return "", fmt.Errorf("the test does not run %q: run it in the shell's emulation (shell.exec), stop the block before it (until) or list the block in unrunBlocks", words[0])
}

// shellWords splits a command line as sh does for the pages' commands:
// quotes, an unquoted # starting a comment, and "> FILE".
func shellWords(line string) (words []string, redirect string, err error) {
	var w strings.Builder
	in := false // inside a word
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		case r == '#' && !in:
			goto done
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, "", fmt.Errorf("unterminated quote in %q", line)
	}
done:
	if in {
		words = append(words, w.String())
	}
	if i := slices.Index(words, ">"); i >= 0 {
		if i != len(words)-2 {
			return nil, "", fmt.Errorf("> must be followed by one file, at the end: %q", line)
		}
		redirect, words = words[i+1], words[:i]
	}
	return words, redirect, nil
}
