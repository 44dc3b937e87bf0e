package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// DefaultDexIssuer is the Dex issuer a case has when it names none; the
// callback Dex gives connectors is its issuer + "/callback".
const DefaultDexIssuer = "https://pachyderm.example.com/dex"

// Case is one corpus file, conformance/corpus/<name>.yaml.
type Case struct {
	Name      string            `json:"-"`
	About     string            `json:"about"`
	Fires     []string          `json:"fires"`
	Silent    []string          `json:"silent"`
	DexIssuer string            `json:"dexIssuer"`
	IDPIssuer map[string]string `json:"idpIssuer"`
	// Values is the Helm values document, as Helm 3 reads it: the corpus
	// file is read with sigs.k8s.io/yaml, the library Helm 3 reads values
	// files with (chartutil.ReadValues), so the map is the one Helm builds.
	Values map[string]any `json:"values"`
}

// Callback is the URL Dex passes to LoginURL: its issuer + "/callback".
func (c Case) Callback() string {
	iss := c.DexIssuer
	if iss == "" {
		iss = DefaultDexIssuer
	}
	return iss + "/callback"
}

// LoadCorpus reads every *.yaml file of dir, sorted by name. Unknown keys at
// the top of a case are errors, so a misspelt field cannot be silently lost.
func LoadCorpus(dir string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no corpus cases in %s", dir)
	}
	sort.Strings(paths)
	var cases []Case
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var c Case
		if err := yaml.UnmarshalStrict(data, &c); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		c.Name = strings.TrimSuffix(filepath.Base(p), ".yaml")
		if c.About == "" {
			return nil, fmt.Errorf("%s: no about", p)
		}
		if c.Values == nil {
			return nil, fmt.Errorf("%s: no values", p)
		}
		cases = append(cases, c)
	}
	return cases, nil
}
