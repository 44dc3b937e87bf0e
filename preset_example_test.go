package pachidp_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/pachidp/pachidp"
)

// Build the entry of Pachyderm's Auth0 guide and print it as the YAML list
// that goes under oidc.upstreamIDPs. The secret here is a placeholder: the
// output of EncodeUpstreamIDPs holds the real secret, so write it to a file
// or a Secret, not to a log.
func ExampleAuth0() {
	idp, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		ClientSecret: "fake-client-secret",
		ProxyHost:    "pachyderm.acme.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	out, err := pachidp.EncodeUpstreamIDPs([]pachidp.UpstreamIDP{idp})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	// Output:
	// - type: oidc
	//   id: auth0
	//   name: Auth0
	//   config:
	//     issuer: https://acme.us.auth0.com/
	//     clientID: hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks
	//     clientSecret: fake-client-secret
	//     redirectURI: https://pachyderm.acme.com/dex/callback
	//     insecureEnableGroups: true
	//     insecureSkipEmailVerified: false
	//     insecureSkipIssuerCallbackDomainCheck: false
}

// Microsoft Entra ID names the tenant by its GUID in the issuer, and
// Pachyderm's guide maps the email claim to preferred_username.
func ExampleEntraID() {
	idp, err := pachidp.EntraID{
		TenantID:     "8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c",
		ClientID:     "3c9d2b1a-7e6f-4a5b-9c8d-0e1f2a3b4c5d",
		ClientSecret: "fake-client-secret",
		ProxyHost:    "pachyderm.acme.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	out, err := pachidp.EncodeUpstreamIDPs([]pachidp.UpstreamIDP{idp})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	// Output:
	// - type: oidc
	//   id: entra-id
	//   name: Microsoft Entra ID
	//   config:
	//     issuer: https://login.microsoftonline.com/8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c/v2.0
	//     clientID: 3c9d2b1a-7e6f-4a5b-9c8d-0e1f2a3b4c5d
	//     clientSecret: fake-client-secret
	//     redirectURI: https://pachyderm.acme.com/dex/callback
	//     insecureEnableGroups: true
	//     insecureSkipEmailVerified: true
	//     insecureSkipIssuerCallbackDomainCheck: false
	//     claimMapping:
	//       email: preferred_username
}

// A preset refuses malformed input with a *PresetError that names the field
// and what to pass instead.
func ExamplePresetError() {
	_, err := pachidp.Okta{
		Domain:       "https://acme.okta.com/oauth2/default",
		ClientID:     "0oa1b2c3d4E5f6G7h8i9",
		ClientSecret: "fake-client-secret",
		ProxyHost:    "pachyderm.acme.com",
	}.UpstreamIDP()
	var pe *pachidp.PresetError
	if errors.As(err, &pe) {
		fmt.Println("field:", pe.Field)
	}
	fmt.Println(err)
	// Output:
	// field: Domain
	// okta: Domain: "https://acme.okta.com/oauth2/default" includes an authorization server: pass Domain "acme.okta.com" and AuthorizationServerID "default"
}

// Decode the list from a values file's oidc.upstreamIDPs (or the Secret key
// upstream-idps). Keys pachd does not accept, such as pachctl's version, are
// kept in Extra, and every key knows its line.
func ExampleDecodeUpstreamIDPs() {
	idps, err := pachidp.DecodeUpstreamIDPs([]byte(`
- type: oidc
  id: auth0
  name: Auth0
  version: 1
  config:
    issuer: https://acme.us.auth0.com/
    clientID: hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks
    clientSecret: fake-client-secret
- type: github
  id: github
  name: GitHub
  config:
    orgs: [{name: acme}]
`))
	if err != nil {
		log.Fatal(err)
	}
	for _, idp := range idps {
		fmt.Printf("%s (%s) at line %d\n", idp.ID, idp.Type, idp.Pos("").Line)
		if idp.OIDC != nil {
			fmt.Printf("  issuer %s, line %d\n", idp.OIDC.Issuer, idp.Pos("config.issuer").Line)
		}
		for key := range idp.Extra {
			fmt.Printf("  unexpected key %q at line %d\n", key, idp.Pos(key).Line)
		}
	}
	// Output:
	// auth0 (oidc) at line 2
	//   issuer https://acme.us.auth0.com/, line 7
	//   unexpected key "version" at line 5
	// github (github) at line 10
}

// Printing an entry, with any verb, never shows its secrets.
func ExampleUpstreamIDP_String() {
	idp, err := pachidp.Google{
		ClientID:     "123456789012-abcdefghijklmnop.apps.googleusercontent.com",
		ClientSecret: "fake-client-secret",
		ProxyHost:    "pachyderm.acme.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(idp)
	// Output:
	// type: oidc
	// id: google
	// name: Google
	// config:
	//   issuer: https://accounts.google.com
	//   clientID: 123456789012-abcdefghijklmnop.apps.googleusercontent.com
	//   clientSecret: REDACTED
	//   redirectURI: https://pachyderm.acme.com/dex/callback
	//   insecureEnableGroups: true
	//   insecureSkipEmailVerified: false
	//   insecureSkipIssuerCallbackDomainCheck: false
}
