package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pachidp/pachidp"
)

const completionUsage = `usage: pachidp completion bash|zsh|fish

Prints a shell completion script for pachidp: subcommands, each
subcommand's flags, the providers of add, the versions of --chart-version,
the formats of -o, and file names where a flag takes a file.

Example:
  source <(pachidp completion bash)    # bash; or save it in /etc/bash_completion.d/pachidp
  source <(pachidp completion zsh)     # zsh (through bashcompinit)
  pachidp completion fish > ~/.config/fish/completions/pachidp.fish
`

// runCompletion prints the completion script of a shell. The scripts are
// generated from the subcommands' own flag sets (probed, see env.probe), so
// a new flag completes without a change here.
func runCompletion(e *env, args []string) error {
	fs := e.newFlags(completionUsage)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return e.usageError("name one shell: bash, zsh or fish")
	}
	specs := commandSpecs()
	switch rest[0] {
	case "bash":
		io.WriteString(e.stdout, bashCompletion(specs))
	case "zsh":
		io.WriteString(e.stdout, "#compdef pachidp\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion(specs))
	case "fish":
		io.WriteString(e.stdout, fishCompletion(specs))
	default:
		msg := fmt.Sprintf("unknown shell %q: use bash, zsh or fish", rest[0])
		if s := suggest(rest[0], shells); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return e.usageError("%s", msg)
	}
	return nil
}

var shells = []string{"bash", "zsh", "fish"}

// commandSpec is what completion knows of a subcommand.
type commandSpec struct {
	name, summary string
	flags         []flagSpec
	args          []string // words its positional arguments take, if fixed
}

// flagSpec is a flag as typed: "-f" or "--in-place".
type flagSpec struct {
	name   string // without dashes
	usage  string
	bool   bool     // takes no value
	file   bool     // takes a file name
	values []string // the values it takes, when they are few
}

func (f flagSpec) typed() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

// commandSpecs probes every subcommand for its flags: run with a probe, a
// subcommand returns as soon as it has declared them (env.parse).
func commandSpecs() []commandSpec {
	var out []commandSpec
	for _, c := range commands {
		s := commandSpec{name: c.name, summary: c.summary}
		if c.args != nil {
			s.args = c.args()
		}
		e := &env{cmd: c.name, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
		e.probe = func(fs *flagSet) {
			fs.VisitAll(func(f *flag.Flag) { s.flags = append(s.flags, specOf(f)) })
		}
		c.run(e, nil)
		e.unlockAll()
		out = append(out, s)
	}
	return out
}

// specOf reads what a flag takes from its declaration: a bool flag takes
// nothing, a `FILE` or `MANIFEST` argument a file, --chart-version a target,
// -o the formats its usage names.
func specOf(f *flag.Flag) flagSpec {
	arg, usage := flag.UnquoteUsage(f)
	s := flagSpec{name: f.Name, usage: usage}
	if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
		s.bool = true
		return s
	}
	switch {
	case f.Name == "chart-version":
		s.values = strings.Split(targetList(), ", ")
	case arg == "FILE" || arg == "MANIFEST" || strings.Contains(f.Usage, "`FILE`"):
		s.file = true
	case f.Name == "o":
		for _, w := range []string{"text", "json", "yaml", "sarif"} {
			if strings.Contains(usage, w) {
				s.values = append(s.values, w)
			}
		}
	}
	return s
}

// bashCompletion is a bash completion function for commandSpecs.
func bashCompletion(specs []commandSpec) string {
	var b strings.Builder
	var names []string
	for _, s := range specs {
		names = append(names, s.name)
	}
	names = append(names, "help", "version")
	b.WriteString("# bash completion for pachidp: source <(pachidp completion bash)\n")
	b.WriteString("_pachidp() {\n")
	b.WriteString("\tlocal cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
	b.WriteString("\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n")
	fmt.Fprintf(&b, "\t\tCOMPREPLY=($(compgen -W %q -- \"$cur\"))\n\t\treturn\n\tfi\n", strings.Join(names, " "))
	b.WriteString("\tlocal flags=\"\" args=\"\"\n")
	b.WriteString("\tcase \"${COMP_WORDS[1]}\" in\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "\t%s)\n", s.name)
		var typed []string
		var files []string
		for _, f := range s.flags {
			typed = append(typed, f.typed())
			if f.file {
				files = append(files, f.typed())
			}
		}
		if len(files) > 0 {
			fmt.Fprintf(&b, "\t\tcase \"$prev\" in %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;; esac\n", strings.Join(files, "|"))
		}
		for _, f := range s.flags {
			if len(f.values) > 0 {
				fmt.Fprintf(&b, "\t\tif [ \"$prev\" = %s ]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", f.typed(), strings.Join(f.values, " "))
			}
		}
		fmt.Fprintf(&b, "\t\tflags=%q\n", strings.Join(typed, " "))
		if len(s.args) > 0 {
			fmt.Fprintf(&b, "\t\targs=%q\n", strings.Join(s.args, " "))
		}
		b.WriteString("\t\t;;\n")
	}
	fmt.Fprintf(&b, "\thelp) args=%q ;;\n", strings.Join(names[:len(specs)], " "))
	b.WriteString("\tesac\n")
	b.WriteString("\tif [[ \"$cur\" == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n")
	b.WriteString("\telif [ -n \"$args\" ]; then\n\t\tCOMPREPLY=($(compgen -W \"$args\" -- \"$cur\"))\n")
	b.WriteString("\telse\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\tfi\n")
	b.WriteString("}\ncomplete -F _pachidp pachidp\n")
	return b.String()
}

// fishCompletion is a fish completion script for commandSpecs.
func fishCompletion(specs []commandSpec) string {
	var b strings.Builder
	b.WriteString("# fish completion for pachidp: pachidp completion fish > ~/.config/fish/completions/pachidp.fish\n")
	b.WriteString("complete -c pachidp -f\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "complete -c pachidp -n __fish_use_subcommand -a %s -d %s\n", s.name, fishQuote(s.summary))
	}
	for _, s := range specs {
		cond := "'__fish_seen_subcommand_from " + s.name + "'"
		if len(s.args) > 0 {
			fmt.Fprintf(&b, "complete -c pachidp -n %s -a %s\n", cond, fishQuote(strings.Join(s.args, " ")))
		}
		for _, f := range s.flags {
			opt := "-l " + f.name
			if len(f.name) == 1 {
				opt = "-s " + f.name
			}
			line := fmt.Sprintf("complete -c pachidp -n %s %s", cond, opt)
			switch {
			case f.bool:
			case f.file:
				line += " -r -F"
			case len(f.values) > 0:
				line += " -x -a " + fishQuote(strings.Join(f.values, " "))
			default:
				line += " -x"
			}
			line += " -d " + fishQuote(firstClause(f.usage))
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// fishQuote quotes s for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// firstClause shortens a flag's usage for a completion menu.
func firstClause(s string) string {
	if i := strings.IndexAny(s, ";("); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// presetArgs are the words `add` takes as its provider.
func presetArgs() []string {
	out := slices.Clone(presetNames)
	for alias := range presetAliases {
		out = append(out, alias)
	}
	slices.Sort(out[len(presetNames):])
	return out
}

// ruleArgs are the words `explain` takes: the rule ids.
func ruleArgs() []string {
	var ids []string
	for _, r := range pachidp.Rules() {
		ids = append(ids, string(r))
	}
	return ids
}
