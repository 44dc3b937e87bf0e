package pachidp_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/pachidp/pachidp"
)

// Read and edit the Pachyderm values of an Argo CD Application, kept as a
// values: | string: findings name the manifest's lines, the chart version
// is the target, and the edit changes the block's lines only.
func ExampleOpenDocument_manifest() {
	app := []byte(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: pachyderm
spec:
  source:
    repoURL: https://helm.pachyderm.com
    chart: pachyderm
    targetRevision: 2.11.6
    helm:
      values: |
        oidc:
          upstreamIDPs:
          - id: okta
            name: Okta
            type: oidc
            version: 1
            config:
              issuer: https://acme.okta.com
              clientID: 0oa1b2c3d4
              clientSecret: example-client-secret
              redirectURI: https://pachyderm.acme.com/dex/callback
  destination:
    namespace: pachyderm
`)
	v, err := pachidp.OpenDocument(app)
	if err != nil {
		log.Fatal(err)
	}
	m := v.Manifest()
	target, err := m.Target()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q: %s, for Pachyderm %s\n", m.Kind, m.Name, m.ValuesPath, target.Name())
	idps, err := v.UpstreamIDPs()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range pachidp.Validate(idps, pachidp.ValidateOptions{Target: target}) {
		if f.Severity == pachidp.SeverityError {
			fmt.Printf("line %d: %s [%s]\n", f.Pos.Line, f.Path, f.Rule)
		}
	}
	if err := v.DisableMockIDP(); err != nil {
		log.Fatal(err)
	}
	// The manifest's last lines: the key went into the block.
	lines := strings.SplitAfter(string(v.Bytes()), "\n")
	fmt.Print(strings.Join(lines[21:], ""))
	// Output:
	// Application "pachyderm": spec.source.helm.values, for Pachyderm 2.7-2.11
	// line 17: oidc.upstreamIDPs[0].version [pachctl-version-key]
	//               redirectURI: https://pachyderm.acme.com/dex/callback
	//           mockIDP: false
	//   destination:
	//     namespace: pachyderm
}
