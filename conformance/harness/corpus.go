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
	Name      string   `json:"-"`
	About     string   `json:"about"`
	Fires     []string `json:"fires"`
	Silent    []string `json:"silent"`
	DexIssuer string   `json:"dexIssuer"`
	// IDPIssuer declares the hosts of providers that are not a known SaaS
	// provider's: host -> the issuer its discovery writes, exactly (World).
	// A host no case declares does not resolve.
	IDPIssuer map[string]string `json:"idpIssuer"`
	// IDPCA declares a host's CA: host -> "private" (PrivateCA, in no
	// system pool). A host listed only here resolves and serves https on
	// 443 without a discovery document.
	IDPCA map[string]string `json:"idpCA"`
	// DexCreds are the keys of the Secret oidc.dexCredentialSecretName,
	// which the chart mounts at /dexcreds (PodFS): file name -> content;
	// "@private-ca" in a content stands for PrivateCA's PEM.
	DexCreds map[string]string `json:"dexCreds"`
	// Values is the Helm values document, as Helm 3 reads it: the corpus
	// file is read with sigs.k8s.io/yaml, the library Helm 3 reads values
	// files with (chartutil.ReadValues), so the map is the one Helm builds.
	Values map[string]any `json:"values"`
}

// Callback is the URL Dex passes to LoginURL: its issuer's path joined with
// "/callback", as Dex builds it (DexCallback).
func (c Case) Callback() string {
	iss := c.DexIssuer
	if iss == "" {
		iss = DefaultDexIssuer
	}
	return DexCallback(iss)
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
		for h, ca := range c.IDPCA {
			if ca != "private" {
				return nil, fmt.Errorf("%s: idpCA %s: %q is not \"private\"", p, h, ca)
			}
		}
		if len(c.DexCreds) > 0 && !c.MountsDexCreds() {
			return nil, fmt.Errorf("%s: dexCreds without oidc.dexCredentialSecretName: the chart mounts nothing", p)
		}
		cases = append(cases, c)
	}
	return cases, nil
}
