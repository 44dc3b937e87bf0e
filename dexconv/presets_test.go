package dexconv_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
)

// TestPresetsToDex: each preset's entry, as the root's TestPresetGolden pins
// it (../testdata/presets), is accepted by Dex v2.45.1's own oidc.Config,
// with only the fork's flag lost.
func TestPresetsToDex(t *testing.T) {
	files, err := filepath.Glob("../testdata/presets/*.golden")
	if err != nil || len(files) < 7 {
		t.Fatalf("preset goldens: %d files, %v", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".golden")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := yaml.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			e, err := pachidp.UpstreamIDPFromMap(m)
			if err != nil || e.OIDC == nil {
				t.Fatalf("UpstreamIDPFromMap: %v", err)
			}
			dc, losses, err := dexconv.ToDex(e.OIDC)
			if err != nil {
				t.Fatalf("Dex's oidc.Config refuses the config: %v", err)
			}
			if dc.Issuer != e.OIDC.Issuer || dc.RedirectURI != e.OIDC.RedirectURI || !dc.InsecureEnableGroups || dc.InsecureSkipEmailVerified != (name == "entra-id") {
				t.Errorf("Dex's oidc.Config differs: issuer %q, redirectURI %q", dc.Issuer, dc.RedirectURI)
			}
			// Only the fork's flag is unknown to upstream Dex.
			if len(losses) != 1 || losses[0].Path != "config.insecureSkipIssuerCallbackDomainCheck" {
				t.Errorf("losses = %v, want only config.insecureSkipIssuerCallbackDomainCheck", losses)
			}
		})
	}
}
