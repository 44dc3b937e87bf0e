package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ChartVersions maps a Dex module (Setup.Name) to the chart version of the
// fixtures its Pachyderm releases ship (conformance/README.md's table); an
// upstream Dex has none.
var ChartVersions = map[string]string{
	"fork-ebfeda6": "2.2.7",
	"fork-8eefbbc": "2.3.9",
	"fork-97a077e": "2.6.0",
	"fork-706aec2": "2.11.6",
	"fork-292f1ae": "master",
}

// ChartOutcome is one case on one chart version, as conformance/chart's
// TestCorpusChart records it in conformance/outcomes/chart/corpus.json.
type ChartOutcome struct {
	Render    string `json:"render"`
	DexIssuer string `json:"dexIssuer"`
	Callback  string `json:"callback"`
	IDPs      string `json:"idps"`
	Gate      string `json:"gate"`
}

// chartFix is what to do when the chart record lacks something.
const chartFix = "run go test -run TestCorpusChart -update in conformance/chart"

// chartRecord reads the chart record for the module's chart version: case
// name -> what the chart rendered, for every case. Nil for a module with no
// chart (upstream Dex). For a module of ChartVersions, a record that is
// missing, broken, or lacks one of the cases is an error: without it Dex
// would run with the case's own issuer and no chart gate, and record
// outcomes the chart never produces.
func chartRecord(s Setup, cases []Case) (map[string]ChartOutcome, error) {
	version, ok := ChartVersions[s.Name]
	if !ok {
		return nil, nil
	}
	file := filepath.Join(s.RepoRoot, "conformance", "outcomes", "chart", "corpus.json")
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s needs the chart record of chart %s: %w: %s", s.Name, version, err, chartFix)
	}
	var all map[string]map[string]ChartOutcome
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", file, err, chartFix)
	}
	out := map[string]ChartOutcome{}
	for name, versions := range all {
		if o, ok := versions[version]; ok {
			out[name] = o
		}
	}
	var missing []string
	for _, c := range cases {
		if _, ok := out[c.Name]; !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%s has no chart %s record of %d case(s) (%s): %s", file, version, len(missing), strings.Join(missing, ", "), chartFix)
	}
	return out, nil
}

// chartNote is what an outcome says of the chart (Outcome.Chart): "" when
// the case's entries reach pachd, else the render error or the gate.
func chartNote(o ChartOutcome, ok bool) string {
	switch {
	case !ok:
		return ""
	case o.Render != "":
		return "render: " + o.Render
	case o.Gate != "":
		return o.Gate
	case o.IDPs != "values":
		return "idps: " + o.IDPs
	}
	return ""
}
