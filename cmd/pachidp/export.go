package main

import (
	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/atomicfile"
)

// pachctlJSON is what pachctl -o json prints.
type pachctlJSON struct {
	ID        string        `json:"id"`
	Connector any           `json:"connector"`
	File      *string       `json:"file"`
	Warnings  []jsonFinding `json:"warnings"`
}

const pachctlUsage = `usage: pachidp pachctl ID -f FILE... [--secret MANIFEST] [--out FILE] [-o yaml|json]

Prints the entry ID as a pachctl connector file, for
  pachctl idp create-connector --config FILE
(or update-connector): the keys of Pachyderm's docs, type, id, name,
version and config. The version is the entry's configVersion when set,
else 1; update-connector needs the stored version plus one, so set it with
--config-version. What pachctl cannot hold (keys pachd does not know) is left
out and printed as a warning with its place. The file holds the client
secret: --out writes it as a new file of mode 0600.

-o json prints instead an object: id, connector (the file's keys, the
secret shown as ` + pachidp.Redacted + `), file (--out, or null) and warnings
(objects with file, line, column, path, rule, severity and message).
Repeated -f flags are one layered set, merged as helm -f merges them.

This is not a Helm values entry: the version key makes pachd crash when it
comes from Helm values (pachidp import --from reads such a file back).

Example:
  pachidp pachctl okta -f values.yaml --out okta-connector.yaml
  pachctl idp create-connector --config okta-connector.yaml
`

// runPachctl exports one entry as a pachctl connector file.
func runPachctl(e *env, args []string) error {
	fs := e.newFlags(pachctlUsage)
	files := fs.valuesFiles()
	secret := fs.secretManifest()
	output := fs.String("o", "yaml", "output `format`: yaml or json (the secret hidden)")
	out := fs.String("out", "", "write the connector file to `FILE` (a new file of mode 0600) instead of standard output")
	version := fs.Int64("config-version", 0, "the connector's `version` (default: the entry's configVersion, else 1)")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return e.usageError("name one entry by its id, as in pachidp pachctl okta -f values.yaml (pachidp list shows the ids)")
	}
	if *version < 0 {
		return e.usageError("--config-version %d: a version is 1 or more", *version)
	}
	asJSON, err := e.yamlOrJSON(*output)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := atomicfile.CheckSecret(*out); err != nil {
			return e.failf(exitUsage, "%v; nothing was written", err)
		}
	}
	set, err := e.openSet(*files)
	if err != nil {
		return err
	}
	idps, src, err := e.entries(set, *secret)
	if err != nil {
		return err
	}
	id := rest[0]
	for _, idp := range idps {
		if idp.ID != id {
			continue
		}
		if *version > 0 {
			idp.ConfigVersion = *version
		}
		data, losses, err := pachidp.EncodePachctlConnector(idp)
		if err != nil {
			return e.failf(exitUsage, "%s", describe(src.file, err))
		}
		report := pachctlJSON{ID: id, Warnings: []jsonFinding{}}
		for _, l := range losses {
			e.notef("%s", located(src.file, l.Pos, "warning: "+src.base+l.Path, l.Reason))
			report.Warnings = append(report.Warnings, newJSONFinding(src.file, lossFinding(src.base, l)))
		}
		if asJSON {
			conn, err := redactedTree(data)
			if err != nil {
				return e.failf(exitUsage, "reading back the connector: %v", err)
			}
			report.Connector = conn
		}
		if *out != "" {
			if err := atomicfile.WriteSecret(*out, data); err != nil {
				return e.failf(exitUsage, "%v; nothing was written", err)
			}
			e.notef("%s: wrote entry %q to %s (it holds the client secret)", src.file, id, *out)
			if asJSON {
				report.File = out
				return e.writeJSON(report)
			}
			return nil
		}
		if asJSON {
			return e.writeJSON(report)
		}
		if _, err := e.stdout.Write(data); err != nil {
			return e.failf(exitUsage, "writing to standard output: %v", err)
		}
		return nil
	}
	return e.failf(exitFindings, "%s", noEntry(src.file, id, idps))
}
