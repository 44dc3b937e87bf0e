package pachidp_test

import (
	"fmt"
	"log"

	"github.com/pachidp/pachidp"
)

// A cluster deployed with three values files, as with
//
//	helm install pachyderm pachyderm/pachyderm -f base.yaml -f prod.yaml -f secrets.yaml
//
// base.yaml sets TLS and the host for every cluster, prod.yaml changes the
// host and turns TLS off, secrets.yaml holds the upstream IdPs. The merged
// values are checked as one, and every finding names the file and line to
// change.
func ExampleLayers() {
	files := []string{"testdata/layers/base.yaml", "testdata/layers/prod.yaml", "testdata/layers/secrets.yaml"}
	layers, err := pachidp.OpenLayerFiles(files, nil, pachidp.LayersOptions{})
	if err != nil {
		log.Fatal(err)
	}

	// Where each value comes from.
	for _, path := range []string{"proxy.host", "proxy.tls.secretName", "oidc.mockIDP"} {
		v, from, _ := layers.Lookup(path)
		fmt.Printf("%s = %v (%s)\n", path, v, from)
	}

	// The entries, from the one file that sets the list.
	idps, from, err := layers.UpstreamIDPs()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d entry from %s\n", len(idps), from)
	// The chart's keys and the entries checked as Helm merges the files,
	// against the merged host; each finding names the file that set the
	// key.
	report, err := pachidp.ValidateValues(layers, pachidp.ValidateValuesOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range report.Findings {
		fmt.Printf("%s [%s]\n", f.Error(), f.Rule)
	}

	// An edit goes to the file that defines oidc.upstreamIDPs.
	target, err := layers.EditTarget("")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("edit", target.Name)
	// Output:
	// proxy.host = pachyderm.prod.example.com (testdata/layers/prod.yaml:4:3)
	// proxy.tls.secretName = pachyderm-tls (testdata/layers/base.yaml:11:5)
	// oidc.mockIDP = false (testdata/layers/base.yaml:14:3)
	// 1 entry from testdata/layers/secrets.yaml:3:3
	// testdata/layers/prod.yaml:6:5: proxy.tls.enabled: TLS off, so Dex's issuer is "http://pachyderm.prod.example.com/dex": set it to true, with proxy.tls.secretName [tls-disabled]
	// testdata/layers/secrets.yaml:11:9: oidc.upstreamIDPs[0].config.redirectURI: host "pachyderm.example.com" is not the callback's: use "https://pachyderm.prod.example.com/dex/callback" [redirect-uri-host]
	// edit testdata/layers/secrets.yaml
}
