package pachidp_test

import (
	"fmt"

	"github.com/pachidp/pachidp"
)

// A target is the Pachyderm release that reads the entries. The same entry
// can be fine for one release and stop pachd on another: rootCAs is ignored
// by Pachyderm 2.6's Dex fork, and read as file paths only by 2.7 and later,
// so a PEM certificate there makes Open fail.
func ExampleParseTarget() {
	entry := pachidp.UpstreamIDP{Type: "oidc", ID: "okta", Name: "Okta", OIDC: &pachidp.OIDCConfig{
		Issuer:       "https://acme.okta.com",
		ClientID:     "0oa1b2c3d4",
		ClientSecret: "example-secret",
		RedirectURI:  "https://pachyderm.example.com/dex/callback",
		RootCAs:      []string{"-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"},
	}}
	for _, version := range []string{"2.6.0", "2.11.6"} {
		target, err := pachidp.ParseTarget(version)
		if err != nil {
			panic(err)
		}
		fmt.Printf("Pachyderm %s (%s, Dex %s):\n", version, target, target.Dex())
		for _, f := range pachidp.Validate([]pachidp.UpstreamIDP{entry}, pachidp.ValidateOptions{Target: target}) {
			fmt.Printf("  %s %s [%s, %s]\n", f.Severity, f.Path, f.Rule, f.Fate)
		}
	}
	// Output:
	// Pachyderm 2.6.0 (Pachyderm 2.5-2.6, Dex github.com/pachyderm/dex v0.0.0-20220913162337-97a077e960b3):
	//   warning oidc.upstreamIDPs[0].config.rootCAs [ignored-by-target, ignored]
	// Pachyderm 2.11.6 (Pachyderm 2.7-2.11, Dex github.com/pachyderm/dex v0.0.0-20230426001747-706aec218aba):
	//   error oidc.upstreamIDPs[0].config.rootCAs[0] [root-ca-invalid, pachd-crash]
}
