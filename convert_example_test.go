package pachidp_test

import (
	"fmt"
	"log"

	"github.com/pachidp/pachidp"
)

// Writing Helm entries as a Dex config file's connectors. The output is the
// file format being demonstrated, so it shows the (fake) secrets.
func ExampleEncodeDexConnectors() {
	idps, err := pachidp.DecodeUpstreamIDPs([]byte(`
- type: oidc
  id: okta
  name: Okta
  configVersion: 2
  config:
    issuer: https://acme.okta.com
    clientID: example-client-id
    clientSecret: example-client-secret
    redirectURI: https://dex.example.com/dex/callback
    forwardedLoginParams: [login_hint]
`))
	if err != nil {
		log.Fatal(err)
	}
	out, losses, err := pachidp.EncodeDexConnectors(idps)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	for _, l := range losses {
		fmt.Println("lost:", l.Path)
	}
	// Output:
	// connectors:
	//   - type: oidc
	//     id: okta
	//     name: Okta
	//     config:
	//       issuer: https://acme.okta.com
	//       clientID: example-client-id
	//       clientSecret: example-client-secret
	//       redirectURI: https://dex.example.com/dex/callback
	// lost: [0].configVersion
	// lost: [0].config.forwardedLoginParams
}

// Reading a Dex config file whose secrets come from Dex's environment: with
// LookupEnv the references are expanded as Dex would; without it each is
// reported, since pachd does not expand them.
func ExampleDecodeDexConnectors() {
	file := []byte(`
issuer: https://dex.example.com/dex
storage: {type: memory}
connectors:
  - type: github
    id: github
    name: GitHub
    config:
      clientID: $GITHUB_CLIENT_ID
      clientSecret: $GITHUB_CLIENT_SECRET
      redirectURI: https://dex.example.com/dex/callback
`)
	_, losses, err := pachidp.DecodeDexConnectors(file, pachidp.DexFileOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range losses {
		fmt.Println(l.Path)
	}

	env := map[string]string{"GITHUB_CLIENT_ID": "example-id", "GITHUB_CLIENT_SECRET": "example-secret"}
	idps, losses, err := pachidp.DecodeDexConnectors(file, pachidp.DexFileOptions{
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, // or os.LookupEnv
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(idps[0].Config["clientID"], len(losses))
	// Output:
	// connectors[0].config.clientID
	// connectors[0].config.clientSecret
	// example-id 0
}

// Reading a connector file written for pachctl: keys are matched as pachctl
// matches them (case-insensitively), and its version, which pachd manages
// as configVersion in Helm values, is reported rather than carried.
func ExampleDecodePachctlConnector() {
	entry, losses, err := pachidp.DecodePachctlConnector([]byte(`
ID: keycloak
Name: Keycloak
Type: oidc
Version: 1
config:
  issuer: https://sso.example.com/realms/data
  clientID: pachyderm
  clientSecret: example-client-secret
  redirectURI: https://pachyderm.example.com/dex/callback
`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(entry) // String redacts secrets
	for _, l := range losses {
		fmt.Println("lost:", l)
	}
	// Output:
	// type: oidc
	// id: keycloak
	// name: Keycloak
	// config:
	//   issuer: https://sso.example.com/realms/data
	//   clientID: pachyderm
	//   clientSecret: REDACTED
	//   redirectURI: https://pachyderm.example.com/dex/callback
	// lost: Version (line 5): version 1 not carried: in Helm values pachd manages configVersion (the stored version plus one on every start)
}

// Writing an entry as a pachctl connector file: its version is the entry's
// configVersion, or 1 (what Pachyderm's docs write for create-connector).
func ExampleEncodePachctlConnector() {
	entry := pachidp.UpstreamIDP{Type: "ldap", ID: "corp", Name: "Corp LDAP",
		Config: pachidp.ConnectorConfig{"host": "ldap.corp.example:636"}}
	out, losses, err := pachidp.EncodePachctlConnector(entry)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	fmt.Println("losses:", len(losses))
	// Output:
	// type: ldap
	// id: corp
	// name: Corp LDAP
	// version: 1
	// config:
	//   host: ldap.corp.example:636
	// losses: 0
}
