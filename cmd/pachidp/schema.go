package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"

	"github.com/pachidp/pachidp"
)

const schemaUsage = `usage: pachidp schema [--chart-version V] [--strict-config] [-o FILE|json [-f VALUES]...]

Prints a JSON Schema (draft 2020-12) of the values file's oidc section as
the Pachyderm version given with --chart-version reads it: the entry keys its
pachd accepts (version, config_version and json_config are refused, with
the reason), the connector types of its Dex and each type's config keys with
their JSON types. Editors that speak JSON Schema (VS Code, Neovim, ... with
yaml-language-server) then complete keys and flag, as you type, what pachd
or Dex would refuse. Issuer forms, files and redirect URIs are beyond a
schema: pachidp validate checks them.

Config keys the target's Dex does not read are ignored by Dex, so the
schema lets them pass; --strict-config flags them too (most are typos).

With -o FILE and -f VALUES, it also says on standard error which line to put
at the top of VALUES (the path of FILE relative to it), or that it is there;
-f may be repeated (a layered set), one line for each file. The schema is
JSON: -o json prints it on standard output, as without -o, so that every
command takes -o json (write to a file named json with -o ./json).

Example:
  pachidp schema --chart-version 2.11.6 -o pachidp-2.11.json -f values.yaml
  # then, as the first line of values.yaml:
  # yaml-language-server: $schema=./pachidp-2.11.json
`

func runSchema(e *env, args []string) error {
	fs := e.newFlags(schemaUsage)
	target := fs.chartVersion()
	strict := fs.Bool("strict-config", false, "also flag config keys the target's Dex ignores (typos, settings of other Dex versions)")
	out := fs.String("o", "", "write the schema to `FILE` instead of standard output")
	var values stringList
	fs.Var(&values, "f", "the Helm values `FILE` the schema is for: with -o, say which modeline it needs (repeatable)")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	data, err := target.JSONSchema(pachidp.JSONSchemaOptions{StrictConfig: *strict})
	if err != nil {
		return e.failf(exitUsage, "%v", err)
	}
	if *out != "" && *out != "-" && *out != "json" {
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			return e.failf(exitUsage, "%v", err)
		}
		for _, v := range values {
			if v != "" && v != "-" {
				e.notef("%s", modelineNote(v, *out))
			}
		}
		return nil
	}
	if _, err := e.stdout.Write(data); err != nil {
		return e.failf(exitUsage, "writing to standard output: %v", err)
	}
	return nil
}

// modelineNote says which yaml-language-server modeline the values file
// needs to use the schema written to out, or that it has it.
func modelineNote(values, out string) string {
	ref := out
	if absV, err := filepath.Abs(filepath.Dir(values)); err == nil {
		if absO, err := filepath.Abs(out); err == nil {
			if rel, err := filepath.Rel(absV, absO); err == nil {
				ref = filepath.ToSlash(rel)
				if !strings.HasPrefix(ref, "../") {
					ref = "./" + ref
				}
			}
		}
	}
	line := "# yaml-language-server: $schema=" + ref
	if f, err := os.Open(values); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == line {
				return displayName(values) + " has the modeline: " + line
			}
		}
	}
	return "put this line at the top of " + displayName(values) + ": " + line
}
