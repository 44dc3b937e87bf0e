// Package schema proves pachidp's JSON Schema (Target.JSONSchema) against the
// real outcomes of the conformance corpus, with the validator Helm uses
// (github.com/santhosh-tekuri/jsonschema/v6, compiled as Helm compiles
// values.schema.json: no format or content assertion).
//
// For every target and every case of conformance/corpus, the case's values
// are read as Helm reads them (sigs.k8s.io/yaml, then JSON) and validated
// with the target's schema; the outcome the real code recorded for the
// target's Dex (conformance/outcomes/<dex>.json) decides what the schema
// must say:
//
//   - an entry the real code refuses for its shape (pachd's protojson or
//     gogo jsonpb decode, the 2.0-2.2 config Job's decode, Dex's
//     json.Unmarshal of the config, an unknown connector type) must fail the
//     schema at that entry. When its settings are a jsonConfig string, only
//     a validator that asserts content can see inside: the entry must then
//     fail the schema with content assertion on (AssertContent).
//   - an entry pachd refuses before Dex sees it (create: id, type or name
//     missing or empty; pick-config: no config and no jsonConfig) must fail
//     it too, but for a duplicate id: JSON Schema cannot compare a key
//     across items.
//   - a case the real code accepts (pachd ok, every entry ok) must pass,
//     with and without content assertion.
//   - a case that fails later (a duplicate id, open, login-url: issuer
//     forms, files, redirect URIs) is out of the schema's reach: nothing is
//     required; the test logs how many the schema flags anyway, and which.
//
// The strict schema (JSONSchemaOptions.StrictConfig) must fail every entry
// the default one fails; a case the real code accepts may fail it only for
// config keys the target's Dex ignores (additionalProperties).
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pachidp/pachidp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"sigs.k8s.io/yaml"
)

const corpusDir = "../corpus"
const outcomesDir = "../outcomes"

type outcomeFile struct {
	Dex   string `json:"dex"`
	Cases map[string]struct {
		Pachd   string `json:"pachd"`
		Entries []struct {
			Fate  string `json:"fate"`
			Stage string `json:"stage"`
			Error string `json:"error"`
		} `json:"entries"`
	} `json:"cases"`
}

// shapeStages are the stages whose failure is the shape of an entry: who
// decodes it refuses a key or a JSON type, or Dex knows no such type.
var shapeStages = map[string]bool{"protojson": true, "unmarshal": true, "connector-type": true}

// listShapeStages are failures of the whole list before any entry: the
// readers' decode of the list (gogo jsonpb, the config Job, Dex's file).
var listShapeStages = map[string]bool{"protojson": true, "config-pod": true, "config": true, "yaml-to-json": true}

type corpusCase struct {
	name   string
	values any // as Helm holds them, for the validator
}

func loadCorpus(t *testing.T) []corpusCase {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus in %s: %v", corpusDir, err)
	}
	var out []corpusCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Values json.RawMessage `json:"values"`
		}
		// Helm: sigs.k8s.io/yaml (YAML to JSON), then the validator's
		// own JSON reader.
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc.Values))
		if err != nil {
			t.Fatalf("%s: values: %v", p, err)
		}
		out = append(out, corpusCase{name: strings.TrimSuffix(filepath.Base(p), ".yaml"), values: v})
	}
	return out
}

func loadOutcomes(t *testing.T) []outcomeFile {
	paths, _ := filepath.Glob(filepath.Join(outcomesDir, "*.json"))
	if len(paths) == 0 {
		t.Fatalf("no outcomes in %s", outcomesDir)
	}
	var out []outcomeFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var o outcomeFile
		if err := json.Unmarshal(data, &o); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, o)
	}
	return out
}

// outcomesOf returns the outcomes recorded for the target's Dex.
func outcomesOf(t *testing.T, all []outcomeFile, target pachidp.Target) outcomeFile {
	for _, o := range all {
		if o.Dex != "" && strings.HasPrefix(target.Dex(), o.Dex) {
			return o
		}
	}
	t.Fatalf("no outcomes in %s for %s (%s)", outcomesDir, target, target.Dex())
	return outcomeFile{}
}

// compile compiles a schema as Helm does (pkg/chartutil/jsonschema.go),
// with content assertion when content is true.
func compile(t *testing.T, target pachidp.Target, opts pachidp.JSONSchemaOptions, content bool) *jsonschema.Schema {
	t.Helper()
	data, err := target.JSONSchema(opts)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: the schema is not JSON: %v", target.Name(), err)
	}
	c := jsonschema.NewCompiler()
	if content {
		c.AssertContent()
	}
	const url = "file:///values.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", target.Name(), err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: the real validator does not compile the schema: %v", target.Name(), err)
	}
	return s
}

// TestSchemasCompile: the schema of every target, default and strict,
// compiles with the real validator and declares draft 2020-12.
func TestSchemasCompile(t *testing.T) {
	for _, target := range pachidp.Targets() {
		for _, strict := range []bool{false, true} {
			compile(t, target, pachidp.JSONSchemaOptions{StrictConfig: strict}, false)
			compile(t, target, pachidp.JSONSchemaOptions{StrictConfig: strict}, true)
		}
	}
}

// verdict is what a schema says about one case.
type verdict struct {
	err     *jsonschema.ValidationError
	entries map[int]bool // entries with an error inside
	other   bool         // an error outside any entry
	leaves  []*jsonschema.ValidationError
}

func validate(s *jsonschema.Schema, values any) verdict {
	v := verdict{entries: map[int]bool{}}
	err := s.Validate(values)
	if err == nil {
		return v
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		v.other = true
		return v
	}
	v.err = ve
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		// The causes of a contentSchema error are located inside the
		// decoded string: the error is the jsonConfig's.
		if _, ok := e.ErrorKind.(*kind.ContentSchema); !ok && len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		v.leaves = append(v.leaves, e)
		loc := e.InstanceLocation
		if len(loc) >= 3 && loc[0] == "oidc" && loc[1] == "upstreamIDPs" {
			if i, err := strconv.Atoi(loc[2]); err == nil {
				v.entries[i] = true
				return
			}
		}
		v.other = true
	}
	walk(ve)
	return v
}

func (v verdict) failed() bool { return v.err != nil || v.other }

// hasJSONConfig reports whether entry i of the case's list has a key that
// folds to jsonConfig.
func hasJSONConfig(values any, i int) bool {
	m, _ := values.(map[string]any)
	oidc, _ := m["oidc"].(map[string]any)
	list, _ := oidc["upstreamIDPs"].([]any)
	if i >= len(list) {
		return false
	}
	e, _ := list[i].(map[string]any)
	for k := range e {
		if strings.EqualFold(k, "jsonConfig") {
			return true
		}
	}
	return false
}

func stageOf(pachd string) string {
	s, _, _ := strings.Cut(pachd, ":")
	return s
}

// TestSchemaConformance holds every target's schema to the real outcomes.
func TestSchemaConformance(t *testing.T) {
	cases := loadCorpus(t)
	outcomes := loadOutcomes(t)
	type tally struct {
		checked, mustFail, mustFailContent, mustFailEarly, mustPass, beyond, beyondFlagged, strictFlagged int
	}
	var total tally
	beyondStages := map[string]int{}
	beyondCases := map[string]map[string]bool{} // stage -> cases, any target
	for _, target := range pachidp.Targets() {
		out := outcomesOf(t, outcomes, target)
		helm := compile(t, target, pachidp.JSONSchemaOptions{}, false)
		content := compile(t, target, pachidp.JSONSchemaOptions{}, true)
		strict := compile(t, target, pachidp.JSONSchemaOptions{StrictConfig: true}, false)
		var n tally
		for _, c := range cases {
			real, ok := out.Cases[c.name]
			if !ok {
				t.Errorf("%s: no outcome for case %s in the file of %s", target.Name(), c.name, out.Dex)
				continue
			}
			n.checked++
			hv, cv, sv := validate(helm, c.values), validate(content, c.values), validate(strict, c.values)
			where := fmt.Sprintf("%s on %s", c.name, target.Name())
			if real.Pachd != "ok" && real.Pachd != "n/a" && len(real.Entries) == 0 {
				// The whole list is refused before any entry.
				if listShapeStages[stageOf(real.Pachd)] {
					n.mustFail++
					if !hv.failed() {
						t.Errorf("%s: the real code refuses the list (%s), the schema passes it", where, real.Pachd)
					}
					if !sv.failed() {
						t.Errorf("%s: the strict schema passes a list the real code refuses (%s)", where, real.Pachd)
					}
				} else {
					n.beyond++
					beyondStages[stageOf(real.Pachd)]++
				}
				continue
			}
			allOK := real.Pachd == "ok" || real.Pachd == "n/a"
			later := false
			for i, e := range real.Entries {
				if e.Fate != "ok" {
					allOK = false
				}
				switch {
				case e.Fate == "ok":
				case shapeStages[e.Stage]:
					n.mustFail++
					if !hv.entries[i] {
						if !hasJSONConfig(c.values, i) {
							t.Errorf("%s, entry %d: the real code refuses it (%s: %s), the schema passes it%s", where, i, e.Stage, e.Error, describe(hv))
							continue
						}
						// Its settings are a jsonConfig string: only
						// content assertion sees them.
						n.mustFailContent++
						if !cv.entries[i] {
							t.Errorf("%s, entry %d: the real code refuses its jsonConfig (%s: %s), the schema passes it even with content assertion%s", where, i, e.Stage, e.Error, describe(cv))
						}
					}
					if !sv.entries[i] && !cv.entries[i] {
						t.Errorf("%s, entry %d: the strict schema passes an entry the real code refuses (%s: %s)", where, i, e.Stage, e.Error)
					}
				case (e.Stage == "create" || e.Stage == "pick-config") && !strings.Contains(e.Error, "already exists"):
					// pachd's checks before Dex: id, type, name not empty,
					// a config or jsonConfig (a duplicate id, also refused
					// at create, is beyond JSON Schema: it cannot compare
					// a key across items).
					n.mustFailEarly++
					if !hv.entries[i] && !(hasJSONConfig(c.values, i) && cv.entries[i]) {
						t.Errorf("%s, entry %d: pachd refuses it (%s: %s), the schema passes it%s", where, i, e.Stage, e.Error, describe(hv))
					}
				default:
					later = true
					beyondStages[e.Stage]++
					if beyondCases[e.Stage] == nil {
						beyondCases[e.Stage] = map[string]bool{}
					}
					beyondCases[e.Stage][c.name] = true
				}
			}
			switch {
			case allOK:
				n.mustPass++
				if hv.failed() {
					t.Errorf("%s: the real code accepts it, the schema refuses it:%s", where, describe(hv))
				}
				if cv.failed() {
					t.Errorf("%s: the real code accepts it, the schema with content assertion refuses it:%s", where, describe(cv))
				}
				if sv.failed() {
					n.strictFlagged++
					for _, l := range sv.leaves {
						if _, ok := l.ErrorKind.(*kind.AdditionalProperties); !ok || !underConfig(l.InstanceLocation) {
							t.Errorf("%s: the real code accepts it, the strict schema refuses it for more than a config key Dex ignores: %s", where, l.Error())
						}
					}
				}
			case later:
				n.beyond++
				if hv.failed() {
					n.beyondFlagged++
				}
			}
		}
		t.Logf("%-12s %s: %d cases: %d entries refused for their shape (%d inside jsonConfig), %d by pachd's create checks, %d cases accepted, %d failing later (schema flags %d anyway), strict flags %d accepted cases",
			target.Name(), out.Dex, n.checked, n.mustFail, n.mustFailContent, n.mustFailEarly, n.mustPass, n.beyond, n.beyondFlagged, n.strictFlagged)
		total.checked += n.checked
		total.mustFail += n.mustFail
		total.mustFailContent += n.mustFailContent
		total.mustFailEarly += n.mustFailEarly
		total.mustPass += n.mustPass
		total.beyond += n.beyond
		total.beyondFlagged += n.beyondFlagged
		total.strictFlagged += n.strictFlagged
	}
	for _, stage := range []string{"create", "open", "login-url"} {
		var names []string
		for n := range beyondCases[stage] {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Logf("out of the schema's reach, failing at %s on some target (%d cases): %s", stage, len(names), strings.Join(names, " "))
	}
	var stages []string
	for s, k := range beyondStages {
		stages = append(stages, fmt.Sprintf("%s %d", s, k))
	}
	sort.Strings(stages)
	t.Logf("total: %d case×target checks (%d cases × %d targets): %d shape refusals must fail (%d of them inside jsonConfig, content assertion), %d refusals of pachd's create checks must fail, %d accepted must pass, %d out of the schema's reach (flagged anyway: %d; their stages: %s); strict schema flags %d accepted cases for ignored config keys",
		total.checked, len(cases), len(pachidp.Targets()), total.mustFail, total.mustFailContent, total.mustFailEarly, total.mustPass, total.beyond, total.beyondFlagged, strings.Join(stages, ", "), total.strictFlagged)
}

// underConfig: the location is inside an entry's config.
func underConfig(loc []string) bool {
	return len(loc) >= 4 && loc[0] == "oidc" && loc[1] == "upstreamIDPs" && strings.EqualFold(loc[3], "config")
}

func describe(v verdict) string {
	if !v.failed() {
		return ""
	}
	var b strings.Builder
	for _, l := range v.leaves {
		fmt.Fprintf(&b, "\n    /%s: %s", strings.Join(l.InstanceLocation, "/"), l.ErrorKind)
	}
	return b.String()
}

// TestREADMEValidatorOutput: the validator's output docs/schema.md shows for
// testdata/schema/values.yaml is the real one, default and strict.
func TestREADMEValidatorOutput(t *testing.T) {
	readme, err := os.ReadFile("../../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../testdata/schema/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(m)
	values, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	target, err := pachidp.ParseTarget("2.11.6")
	if err != nil {
		t.Fatal(err)
	}
	got := compile(t, target, pachidp.JSONSchemaOptions{}, false).Validate(values)
	if got == nil || !strings.Contains(string(readme), "values.yaml\n"+got.Error()+"\n```") {
		t.Errorf("docs/schema.md does not show the validator's output for testdata/schema/values.yaml:\n%v", got)
	}
	strict := compile(t, target, pachidp.JSONSchemaOptions{StrictConfig: true}, false).Validate(values)
	if strict == nil {
		t.Fatal("the strict schema passes testdata/schema/values.yaml")
	}
	lines := strings.Split(strict.Error(), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, "issuerURL") || !strings.Contains(string(readme), "```console\n"+last+"\n```") {
		t.Errorf("docs/schema.md does not show the strict schema's last line for testdata/schema/values.yaml:\n%v", strict)
	}
}

// TestEditorDiagnostics runs the real yaml-language-server (editor/, after
// npm ci there; skipped without it or without node) on
// testdata/schema/values.yaml and checks that docs/schema.md shows what it
// publishes, default and strict.
func TestEditorDiagnostics(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat("editor/node_modules/yaml-language-server"); err != nil {
		t.Skip("yaml-language-server is not installed: run npm ci in conformance/schema/editor")
	}
	readme, err := os.ReadFile("../../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	target, err := pachidp.ParseTarget("2.11.6")
	if err != nil {
		t.Fatal(err)
	}
	for _, strict := range []bool{false, true} {
		data, err := target.JSONSchema(pachidp.JSONSchemaOptions{StrictConfig: strict})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "pachidp-2.11.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(node, "editor/lsp.js", "../../testdata/schema/values.yaml", path).Output()
		if err != nil {
			t.Fatalf("lsp.js: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 3 {
			t.Errorf("strict %v: yaml-language-server published %d diagnostics, want the version trap and the type error at least:\n%s", strict, len(lines), out)
		}
		for _, l := range lines {
			if !strings.Contains(string(readme), "\n"+l+"\n") {
				t.Errorf("strict %v: docs/schema.md does not show the diagnostic %q", strict, l)
			}
		}
	}
}
