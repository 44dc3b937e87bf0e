package pachidp_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/pachidp/pachidp"
)

// An installer edits the values it passes to Helm's Go SDK
// (action.Install.Run(chart, vals)), here decoded with encoding/json.
func ExampleHelmValues_UpsertUpstreamIDP() {
	var vals map[string]any
	if err := json.Unmarshal([]byte(`{
		"proxy": {"enabled": true, "host": "pachyderm.example.com"},
		"oidc": {"mockIDP": false, "upstreamIDPs": []}
	}`), &vals); err != nil {
		log.Fatal(err)
	}
	entry, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "aBcD1234",
		ClientSecret: "example-client-secret",
		ProxyHost:    "pachyderm.example.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	if err := pachidp.HelmValues(vals).UpsertUpstreamIDP(entry); err != nil {
		log.Fatal(err)
	}

	// vals itself was edited. Print it without secrets: entries redact them.
	entries, err := pachidp.HelmValues(vals).UpstreamIDPs()
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println(e)
	}
	fmt.Println("mockIDP:", vals["oidc"].(map[string]any)["mockIDP"])
	// Output:
	// type: oidc
	// id: auth0
	// name: Auth0
	// config:
	//   issuer: https://acme.us.auth0.com/
	//   clientID: aBcD1234
	//   clientSecret: REDACTED
	//   redirectURI: https://pachyderm.example.com/dex/callback
	//   insecureEnableGroups: true
	//   insecureSkipEmailVerified: false
	//   insecureSkipIssuerCallbackDomainCheck: false
	// mockIDP: false
}

// Keep client secrets out of the values: put them in a Secret and name it
// in oidc.upstreamIDPsSecretName. The manifest holds the secret in clear
// text (here an obviously fake one): never commit or log it.
func ExampleUpstreamIDPsSecret_Manifest() {
	entry, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "aBcD1234",
		ClientSecret: "example-client-secret",
		ProxyHost:    "pachyderm.example.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	secret := pachidp.UpstreamIDPsSecret{Name: "acme-idps", Namespace: "pachyderm"}
	if err := secret.SetUpstreamIDPs([]pachidp.UpstreamIDP{entry}); err != nil {
		log.Fatal(err)
	}
	manifest, err := secret.Manifest()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(manifest))

	vals := pachidp.HelmValues{}
	if err := vals.UseUpstreamIDPsSecret("acme-idps"); err != nil {
		log.Fatal(err)
	}
	if err := vals.SetUpstreamIDPs(nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(vals)
	// Output:
	// apiVersion: v1
	// kind: Secret
	// metadata:
	//   name: acme-idps
	//   namespace: pachyderm
	// stringData:
	//   upstream-idps: |
	//     - config:
	//         clientID: aBcD1234
	//         clientSecret: example-client-secret
	//         insecureEnableGroups: true
	//         insecureSkipEmailVerified: false
	//         insecureSkipIssuerCallbackDomainCheck: false
	//         issuer: https://acme.us.auth0.com/
	//         redirectURI: https://pachyderm.example.com/dex/callback
	//       id: auth0
	//       name: Auth0
	//       type: oidc
	// type: Opaque
	// map[oidc:map[upstreamIDPs:[] upstreamIDPsSecretName:acme-idps]]
}

// The guide's entry carries version: 1, which pachd refuses.
func ExampleUpstreamIDPsSecret_PachdUpstreamIDPs() {
	text := []byte(`- type: oidc
  id: auth0
  name: Auth0
  version: 1
  config:
    issuer: https://acme.us.auth0.com/
`)
	secret := &pachidp.UpstreamIDPsSecret{Text: text}
	_, findings := secret.PachdUpstreamIDPs()
	for _, f := range findings {
		fmt.Println(f.Rule)
		fmt.Println(f)
	}
	// Output:
	// pachctl-version-key
	// upstream-idps[0].version (line 4): version is for pachctl's connector file, not Helm values: delete it
}

// Check a Secret before pointing oidc.upstreamIDPsSecretName at it.
func ExampleDecodeSecretManifest() {
	manifest := []byte(`{
  "apiVersion": "v1",
  "kind": "Secret",
  "metadata": {"name": "acme-idps", "namespace": "pachyderm"},
  "data": {"upstream-idps": "LSBpZDogYXV0aDAKICB0eXBlOiBvaWRjCg=="}
}`)
	secret, err := pachidp.DecodeSecretManifest(manifest)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret)
	_, findings := secret.PachdUpstreamIDPs()
	for _, f := range findings {
		fmt.Println(f.Rule, f.Path)
	}
	// Output:
	// Secret pachyderm/acme-idps (upstream-idps: 25 bytes, REDACTED)
	// required upstream-idps[0].name
	// config-missing upstream-idps[0].config
}
