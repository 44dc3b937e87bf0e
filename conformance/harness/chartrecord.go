package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
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

// chartRecord reads the chart record for the module's chart version: case
// name -> what the chart rendered. Nil when the module has no chart or the
// record is absent.
func chartRecord(s Setup) map[string]ChartOutcome {
	version, ok := ChartVersions[s.Name]
	if !ok {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(s.RepoRoot, "conformance", "outcomes", "chart", "corpus.json"))
	if err != nil {
		return nil
	}
	var all map[string]map[string]ChartOutcome
	if json.Unmarshal(data, &all) != nil {
		return nil
	}
	out := map[string]ChartOutcome{}
	for name, versions := range all {
		if o, ok := versions[version]; ok {
			out[name] = o
		}
	}
	return out
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
