// Command pachidp reads, checks and edits the upstream identity providers
// (oidc.upstreamIDPs) of Pachyderm's Helm values.
//
//	pachidp add auth0 -f values.yaml --domain acme.us.auth0.com --client-id ID \
//	    --client-secret-env AUTH0_CLIENT_SECRET --in-place
//	pachidp validate -f values.yaml
//
// Every subcommand is a thin layer over the pachidp library: what it does, a
// Go program can do with the same calls. Run `pachidp help` for the list of
// subcommands and `pachidp SUBCOMMAND --help` for each one's flags and an
// example.
//
// Data (documents, manifests, reports) goes to standard output; messages,
// warnings and errors go to standard error. Client secrets are read from an
// environment variable or a file, never from a flag, and never printed on
// standard error. The exit status is 0 on success, 1 when findings, a failed
// check or a missing entry stop the command, and 2 for usage errors, input
// that cannot be read and I/O errors. A command that fails never changes a
// file.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
	didyoumean "github.com/pachidp/pachidp/internal/suggest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1 // findings, a failed check, an entry not found
	exitUsage    = 2 // usage errors, unreadable input, I/O errors
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
	args    func() []string // the words its positional arguments take, for completion
}

var commands []command

func init() {
	commands = []command{
		{"add", "add or replace an entry built from a provider preset", runAdd, presetArgs},
		{"remove", "remove entries by id", runRemove, nil},
		{"list", "list the entries (without secrets)", runList, nil},
		{"validate", "check the entries and the chart's prerequisites", runValidate, nil},
		{"dex", "print the entries as a Dex config connectors: list", runDex, nil},
		{"pachctl", "print an entry as a pachctl connector file (idp create-connector)", runPachctl, nil},
		{"import", "add entries from a Dex config file or pachctl connector files", runImport, nil},
		{"set", "set chart keys (proxy.host, proxy.tls.*, ...) with helm --set syntax, byte for byte", runSet, nil},
		{"set-secret", "rotate the client secret of one entry", runSetSecret, nil},
		{"secret", "move the entries into a Kubernetes Secret manifest (merging into an existing one)", runSecret, nil},
		{"inline", "move the entries of a Secret manifest back into the values", runInline, nil},
		{"render", "print the upstream-idps text pachd will receive, checked strictly", runRender, nil},
		{"check", "check each entry online against its provider (preflight)", runCheck, nil},
		{"explain", "say what a rule of validate checks and how to fix it", runExplain, ruleArgs},
		{"schema", "print a JSON Schema of the oidc section for editors", runSchema, nil},
		{"completion", "print a shell completion script (bash, zsh or fish)", runCompletion, func() []string { return shells }},
	}
}

// env is what a subcommand runs with.
type env struct {
	cmd    string // the subcommand, for messages
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	stdinUsedBy string // what already read standard input
	// checked: the entries an edit writes were already checked, and their
	// findings printed, where they came from (import).
	checked bool

	locks []*atomicfile.Lock // held until the subcommand returns

	// optimistic: the files an in-place edit writes are read without their
	// locks, so that the edit and the validation of its result run without
	// holding them; expect records what each held, and verify, before the
	// first write, takes the locks and checks that each still holds it. If
	// one changed, redo is set and the subcommand runs again as before
	// (lock, then read), from scratch: run discards the first run's output.
	optimistic bool
	expected   []expectedFile
	verified   bool
	redo       bool

	// probe, when set, receives the subcommand's flag set in parse, which
	// then stops the subcommand before it reads anything (completion).
	probe func(*flagSet)
	// diff is --diff: edits print a unified diff of each output and write
	// nothing (emit).
	diff bool
	// report, when set, is the -o json report of an edit: it is printed
	// instead of the document, by run once the edit returns.
	report *editReport
	// man is what the flags say about manifests (manifest.go).
	man manifestFlags
	// strict is --strict of an edit: a result that fails validate
	// --strict is not written (result.go).
	strict bool
	// printed holds the findings the edit printed itself, pending those
	// of the check of its result, printed by runEnv once the edit said
	// what it wrote (result.go).
	printed map[string]bool
	pending pachidp.Findings
	// setNote says what add's --set set, for the line that says what
	// was written.
	setNote string
	// resultFile names the values in the findings of the check of the
	// result when they are written elsewhere than their file
	// (--values-out).
	resultFile string
}

// lock takes the lock of a file the subcommand reads and then replaces
// (atomicfile.Acquire), held until the subcommand returns: from the read to
// the rename, so that a concurrent edit waits and then edits the new
// content.
func (e *env) lock(path string) error {
	l, err := atomicfile.Acquire(path, lockWait)
	if err != nil {
		// A *LockError names the file, the lock and its holder; any other
		// error (the file's folder is not writable, ...) is named here.
		msg := path + ": " + unwrapPath(err).Error()
		if le := (*atomicfile.LockError)(nil); errors.As(err, &le) {
			msg = le.Error()
		} else if de := (*atomicfile.DirError)(nil); errors.As(atomicfile.ExplainDir(path, err), &de) {
			msg = de.Error()
		}
		return e.failf(exitUsage, "%s; nothing was written", msg)
	}
	e.locks = append(e.locks, l)
	return nil
}

// lockWait is how long an edit waits for another edit of the same file.
var lockWait = atomicfile.DefaultWait

func (e *env) unlockAll() {
	for _, l := range e.locks {
		l.Unlock()
	}
	e.locks = nil
}

// run is the command with its environment passed in: arguments without the
// program name, the standard streams and the lookup of environment
// variables. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return exitUsage
	}
	// Before anything else, wherever it is (before the subcommand, after
	// help): a flag that carries a secret is refused without its value.
	if name, ok := secretFlag(args); ok {
		cmd := "pachidp"
		if i := slices.IndexFunc(args, func(a string) bool { return slices.Contains(commandNames(), a) }); i >= 0 {
			cmd += " " + args[i]
		}
		fmt.Fprintf(stderr, "%s: --%s %s (run '%s --help')\n", cmd, name, secretFlagRefusal, cmd)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "version", "-version", "--version":
		fmt.Fprint(stdout, versionText())
		return exitOK
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			return run([]string{args[1], "--help"}, stdin, stdout, stderr, getenv)
		}
		fmt.Fprint(stdout, mainUsage())
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			if !slices.Contains(editCommands, name) {
				return runEnv(c, &env{cmd: name, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}, args[1:])
			}
			// An edit runs first without holding the locks of the files it
			// writes while it edits and validates (optimistic); its output
			// is kept until it is known to stand.
			var out, errs bytes.Buffer
			in := &recorder{r: stdin}
			e := &env{cmd: name, stdin: in, stdout: &out, stderr: &errs, getenv: getenv, optimistic: true}
			code := runEnv(c, e, args[1:])
			if !e.redo {
				stderr.Write(errs.Bytes())
				if _, err := stdout.Write(out.Bytes()); err != nil && out.Len() > 0 {
					fmt.Fprintf(stderr, "pachidp %s: writing to standard output: %v\n", name, err)
					return max(code, exitUsage)
				}
				return code
			}
			// A file changed between its read and the write (another edit
			// ran): again, holding the locks from the reads on.
			if testRedoHook != nil {
				testRedoHook()
			}
			replay := io.MultiReader(bytes.NewReader(in.buf.Bytes()), stdin)
			return runEnv(c, &env{cmd: name, stdin: replay, stdout: stdout, stderr: stderr, getenv: getenv}, args[1:])
		}
	}
	msg := fmt.Sprintf("pachidp: unknown subcommand %q", name)
	if strings.HasPrefix(name, "-") {
		// Never the value, nor a name that is no flag's: either may be a
		// secret pasted in the wrong place.
		flagName, _, _ := strings.Cut(name, "=")
		if !flagLike.MatchString(flagName) {
			flagName = "a flag"
		}
		msg = fmt.Sprintf("pachidp: %s before a subcommand: the flags come after it, as in pachidp validate -f values.yaml", flagName)
	} else if s := suggest(name, commandNames()); s != "" {
		msg += fmt.Sprintf(": did you mean %q?", s)
	}
	fmt.Fprintf(stderr, "%s (run 'pachidp help' for the list)\n", msg)
	return exitUsage
}

// testRedoHook, set by tests, is called when an edit runs again.
var testRedoHook func()

// editCommands are the subcommands that write files in place.
var editCommands = []string{"add", "remove", "import", "set", "set-secret", "secret", "inline"}

// runEnv runs a subcommand in e, prints the error it returns, then the
// -o json report of an edit, and returns the exit status.
func runEnv(c command, e *env, args []string) int {
	defer e.unlockAll()
	err := c.run(e, args)
	code := exitCode(err)
	if e.redo {
		return code // run runs it again
	}
	e.printError(err)
	if code == exitOK {
		// What validate will say of the result, after the line that says
		// what was written (result.go).
		e.flushResult()
	}
	if e.report != nil && code != exitUsage {
		// -o json of an edit: what it did, or why it did not.
		if err := e.writeJSON(e.report); err != nil {
			e.printError(err)
			return exitCode(err)
		}
	}
	return code
}

// recorder keeps what is read from r, for a second run to read it again.
type recorder struct {
	r   io.Reader
	buf bytes.Buffer
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.buf.Write(p[:n])
	return n, err
}

// expectedFile is a file an optimistic edit read and will write: what it
// held (absent: it did not exist; any: it is replaced whatever it holds).
type expectedFile struct {
	path        string
	data        []byte
	absent, any bool
}

// expect records a file an edit read (data) and will replace in place.
// Outside an optimistic run it does nothing: the file was locked before
// its read.
func (e *env) expect(f expectedFile) {
	if e.optimistic {
		e.expected = append(e.expected, f)
	}
}

// verify, in an optimistic run and before its first write, takes the
// locks of the files the edit writes (in the order they were read, as a
// run that locks before reading takes them) and checks that each still
// holds what was read. When one changed, it sets redo and returns an
// error (whose output run discards): run runs the subcommand again, locking before reading. The locks are then
// held to the end, so that the writes are checked and renamed under them.
func (e *env) verify() error {
	if !e.optimistic || e.verified {
		return nil
	}
	for _, f := range e.expected {
		if e.lockOf(f.path) != nil {
			continue // expected twice: locked once
		}
		if err := e.lock(f.path); err != nil {
			return err
		}
	}
	for _, f := range e.expected {
		var old []byte
		if !f.absent {
			old = f.data
			if old == nil {
				old = []byte{}
			}
		}
		if !f.any && !atomicfile.Holds(f.path, old) {
			e.unlockAll()
			e.redo = true
			return silent(exitUsage)
		}
	}
	e.verified = true
	return nil
}

// lockOf returns the lock this run holds on path, nil if none.
func (e *env) lockOf(path string) *atomicfile.Lock {
	for _, l := range e.locks {
		if l.Path() == path {
			return l
		}
	}
	return nil
}

// versionText says which pachidp this is and what it models: the Dex
// versions and the Pachyderm release lines --chart-version takes.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pachidp %s\n\nModelled targets (--chart-version; default %s):\n", buildVersion(), pachidp.Target{}.Name())
	for _, t := range pachidp.Targets() {
		fmt.Fprintf(&b, "  %-12s %s\n", t.Name(), t.Dex())
	}
	return b.String()
}

// buildVersion is the module version the command was built as, or
// "(devel)" when built from a clone.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func commandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString(`pachidp reads, checks and edits the upstream identity providers
(oidc.upstreamIDPs) of Pachyderm's Helm values.

usage: pachidp SUBCOMMAND -f FILE [flags]

`)
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString(`
-f FILE names the values file, -f - reads it from standard input; repeated
-f flags are one layered set, merged as helm -f merges them. Edits (add,
remove, import, set, set-secret, secret, inline) print the edited document on
standard output, or with --in-place replace the file atomically: of a
layered set, the file that sets oidc.upstreamIDPs (or --edit FILE). -o json
prints data and findings as JSON (never a secret). Client secrets come from
--client-secret-env VAR or --client-secret-file FILE, never from a flag.

Every edit then checks its result as validate does and prints the
findings; with --strict a result that fails validate --strict is not
written. pachidp set sets chart keys (proxy.host, proxy.tls.enabled, ...)
with helm --set syntax.

Exit status: 0 success, 1 findings or a failed check, 2 usage or I/O errors.

Rules follow the Pachyderm version given with --chart-version (default:
the newest modelled); 'pachidp --version' lists the versions modelled.

Run 'pachidp SUBCOMMAND --help' for a subcommand's flags and an example.
`)
	return b.String()
}

// ---------------------------------------------------------------------------
// Flags

// newFlags returns the flag set of the subcommand. usage is printed by
// --help on standard output, after the usage line.
func (e *env) newFlags(usage string) *flagSet {
	fs := flag.NewFlagSet("pachidp "+e.cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, usage: usage}
}

type flagSet struct {
	*flag.FlagSet
	usage string
	man   manifestFlags // --release and --chart-version (manifest.go)
}

// secretManifest declares --secret, the Secret manifest that holds the
// entries when the values name one.
func (fs *flagSet) secretManifest() *string {
	return fs.String("secret", "", "the `MANIFEST` of the Secret named by oidc.upstreamIDPsSecretName")
}

// chartVersion declares --chart-version, the target the values are read
// for: a Pachyderm release, or upstream Dex.
func (fs *flagSet) chartVersion() *pachidp.Target {
	t := new(pachidp.Target)
	fs.man.target = t
	fs.TextVar(t, "chart-version", pachidp.Target{}, "the Pachyderm `version` the values are for, such as 2.11.6, or "+pachidp.TargetUpstreamDex.Name()+" for upstream Dex (modelled: "+targetList()+"; default: the newest)")
	return t
}

// targetList names the modelled targets.
func targetList() string {
	var names []string
	for _, t := range pachidp.Targets() {
		names = append(names, t.Name())
	}
	return strings.Join(names, ", ")
}

// printDefaults lists the flags as they are typed: -f and -o with one
// dash, long names with two.
func (fs *flagSet) printDefaults(w io.Writer) {
	fs.VisitAll(func(f *flag.Flag) {
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		arg, usage := flag.UnquoteUsage(f)
		line := "  " + dash + f.Name
		if arg != "" {
			line += " " + arg
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			usage += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, usage)
	})
}

// explain rewrites the flag package's errors with the dashes people type,
// and suggests a flag for an unknown one.
func (fs *flagSet) explain(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		msg = "unknown flag " + dashed(name)
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", dashed(s))
		}
		return msg
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return dashed(name) + " needs a value"
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s %s: %s", dashed(m[2]), m[1], m[3])
	}
	return msg
}

var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-([^:]+): (.*)$`)

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// secretFlagNames are flags people try for a secret; parse refuses them
// before the flag package could echo their value.
var secretFlagNames = []string{"client-secret", "secret-value", "password", "client-secret-value"}

// flagLike is the shape of a flag name messages may repeat.
var flagLike = regexp.MustCompile(`^--?[a-z][a-z0-9-]{0,29}$`)

// secretFlagRefusal says why a flag of secretFlagNames is refused.
const secretFlagRefusal = "is not accepted: a secret on the command line ends up in the shell's history and the process list; pass --client-secret-env VAR (an environment variable holding it) or --client-secret-file FILE (- for standard input)"

// secretFlag finds a flag of secretFlagNames among args, after "--" too:
// there it would be an argument, and an argument may be echoed in a usage
// message ("unexpected argument"), secret and all.
func secretFlag(args []string) (string, bool) {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && slices.Contains(secretFlagNames, name) {
			return name, true
		}
	}
	return "", false
}

// parse parses flags anywhere among args (`remove auth0 -f values.yaml`
// works) and returns the other arguments. After "--" everything is an
// argument. A non-nil error is what the caller returns: errStop after
// --help, a usage error.
func (e *env) parse(fs *flagSet, args []string) (rest []string, err error) {
	if e.probe != nil {
		e.probe(fs)
		return nil, errStop
	}
	if name, found := secretFlag(args); found {
		return nil, e.usageError("--%s %s", name, secretFlagRefusal)
	}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, fs.usage)
			fmt.Fprintln(e.stdout, "\nFlags:")
			fs.printDefaults(e.stdout)
			return nil, errStop
		}
		if err != nil {
			return nil, e.usageError("%s", fs.explain(err))
		}
		remaining := fs.Args()
		if consumed := len(args) - len(remaining); consumed > 0 && args[consumed-1] == "--" {
			e.noteFlags(fs)
			return append(rest, remaining...), nil
		}
		if len(remaining) == 0 {
			e.noteFlags(fs)
			return rest, nil
		}
		rest = append(rest, remaining[0])
		args = remaining[1:]
	}
}

// parseFlags parses a subcommand that takes flags only: an argument that
// is no flag's value is a usage error.
func (e *env) parseFlags(fs *flagSet, args []string) error {
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return e.usageError("unexpected argument %q: every value is passed with a flag", rest[0])
	}
	return nil
}

// extraArguments refuses arguments past the ones a subcommand that takes a
// secret (add, set-secret) expects, saying how many and never what: a
// secret typed as an argument (set-secret okta SECRET) would otherwise be
// echoed on standard error, into terminals, CI logs and bug reports.
func (e *env) extraArguments(n int, after string) error {
	return e.usageError("%d unexpected argument%s after %s, not repeated here (it may be a secret typed in the wrong place): every value is passed with a flag, a secret with --client-secret-env VAR or --client-secret-file FILE", n, plural(n), after)
}

// exitError is how a subcommand fails: the exit status (exitFindings or
// exitUsage; exitOK for a stop that is no failure, such as --help) and the
// one line that says why, printed by runEnv; "" when the subcommand said it
// already (the findings that stop it).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

var (
	// errFindings: findings or a failed check, printed already (exit 1).
	errFindings error = &exitError{code: exitFindings}
	// errStop: the subcommand is done and succeeded before its work
	// (--help, a completion probe).
	errStop error = &exitError{code: exitOK}
)

// exitCode maps the error of a subcommand to the exit status: 0 for nil,
// an exitError's code, exitUsage for any other error.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	if ee := (*exitError)(nil); errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage
}

// printError prints the line of an error on standard error: where a
// subcommand's error ends up (runEnv), or one of several failures a
// subcommand reports before it goes on (validate's units). An error
// without a line (nil, errFindings, errStop) prints nothing.
func (e *env) printError(err error) {
	if err != nil && err.Error() != "" {
		fmt.Fprintln(e.stderr, err.Error())
	}
}

// silent returns the error of the exit status code, whose reason the
// subcommand printed already (nil for exitOK).
func silent(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// usageError returns a usage error: exitUsage, with its line.
func (e *env) usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf("pachidp %s: %s (run 'pachidp %s --help')", e.cmd, fmt.Sprintf(format, a...), e.cmd)}
}

// failf returns the error of exit status code, with its line.
func (e *env) failf(code int, format string, a ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf("pachidp %s: %s", e.cmd, fmt.Sprintf(format, a...))}
}

// notef writes a message line on standard error.
func (e *env) notef(format string, a ...any) {
	fmt.Fprintf(e.stderr, "pachidp %s: %s\n", e.cmd, fmt.Sprintf(format, a...))
}

// suggest returns the candidate closest to s when it is close enough
// (didyoumean.ForCommand).
func suggest(s string, candidates []string) string { return didyoumean.ForCommand(s, candidates) }
