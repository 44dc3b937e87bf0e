//go:build install

// This test is behind the build tag install: it links Helm's action package
// and with it the Kubernetes client, which dominates this module's build.
// Run it with go test -tags install ./... when the rendering path changes.

package chart

import (
	"fmt"
	"path/filepath"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// TestInstallMatchesEngine renders one combination per chart through
// action.Install (client-only dry run) and checks that the objects this
// suite reads are the ones engine.Render gives.
func TestInstallMatchesEngine(t *testing.T) {
	dir := chartsDir(t)
	row := make([]int, len(dimensions))
	for d, dim := range dimensions {
		switch dim.name {
		case "proxy.enabled", "proxy.host", "proxy.tls", "oidc.mockIDP", "license":
			row[d] = 1
		case "oidc.upstreamIDPs":
			row[d] = 2
		}
	}
	doc := document(row)
	for _, version := range versions {
		c := loadChart(t, dir, version)
		files, err := render(c, doc)
		want := observe(t, version, files, err)

		inst := action.NewInstall(&action.Configuration{})
		inst.DryRun, inst.ClientOnly, inst.ReleaseName, inst.Namespace = true, true, "pachyderm", "default"
		vals, err := chartutil.ReadValues(doc)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := loader.Load(filepath.Join(dir, version))
		if err != nil {
			t.Fatal(err)
		}
		rel, err := inst.Run(fresh, vals)
		var got rendered
		if err != nil {
			got = rendered{err: err}
		} else {
			all := map[string]string{"install.yaml": rel.Manifest}
			for i, h := range rel.Hooks {
				all[fmt.Sprintf("hook%d.yaml", i)] = h.Manifest
			}
			got = observe(t, version, all, nil)
		}
		if (got.err == nil) != (want.err == nil) || got.issuer != want.issuer || got.connectors != want.connectors ||
			got.secretName != want.secretName || got.secretKey != want.secretKey ||
			(got.text == nil) != (want.text == nil) || got.text != nil && *got.text != *want.text {
			t.Errorf("chart %s: action.Install and engine.Render disagree:\ninstall: %+v %v\nengine:  %+v %v", version, got, deref(got.text), want, deref(want.text))
		}
	}
}
