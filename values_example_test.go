package pachidp_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pachidp/pachidp"
)

// OpenValues edits a values document without re-serialising it: the
// comments, the blank line and the quoting of the other keys stay, and only
// the new entry's lines are added. The entries read back know their lines,
// so Validate points into the file.
func ExampleOpenValues() {
	data := []byte(`# Pachyderm on the acme cluster.
proxy:
  enabled: true
  host: pachyderm.acme.com   # users reach Pachyderm here

oidc:
  mockIDP: false
`)
	v, err := pachidp.OpenValues(data)
	if err != nil {
		log.Fatal(err)
	}
	host, _ := v.RedirectHost() // proxy.host: the host every redirectURI must name
	entry, err := pachidp.Okta{
		Domain:       "acme.okta.com",
		ClientID:     "0oa1b2c3d4e5f6g7h8i9",
		ClientSecret: "example-client-secret",
		ProxyHost:    host,
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	if err := v.UpsertUpstreamIDP(entry); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(v.Bytes()))

	idps, err := v.UpstreamIDPs()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range pachidp.Validate(idps, pachidp.ValidateOptions{ProxyHost: host}) {
		fmt.Println(f.Pos, f.Path, f.Rule)
	}
	// Output:
	// # Pachyderm on the acme cluster.
	// proxy:
	//   enabled: true
	//   host: pachyderm.acme.com   # users reach Pachyderm here
	//
	// oidc:
	//   mockIDP: false
	//   upstreamIDPs:
	//   - type: oidc
	//     id: okta
	//     name: Okta
	//     config:
	//       issuer: https://acme.okta.com
	//       clientID: "0oa1b2c3d4e5f6g7h8i9"
	//       clientSecret: example-client-secret
	//       redirectURI: https://pachyderm.acme.com/dex/callback
	//       insecureEnableGroups: true
	//       insecureSkipEmailVerified: true
	//       insecureSkipIssuerCallbackDomainCheck: false
	//       scopes:
	//       - profile
	//       - email
	//       - groups
	// 18:7 oidc.upstreamIDPs[0].config.insecureSkipEmailVerified insecure-skip-email-verified
}

// RemoveUpstreamIDP takes an entry's lines out, with the comment above it.
// An id that no entry has is an *EditError wrapping ErrIDPNotFound, which a
// caller that wants removal to be idempotent can ignore.
func ExampleValues_RemoveUpstreamIDP() {
	v, err := pachidp.OpenValues([]byte(`oidc:
  upstreamIDPs:
    # Retired on 2025-01-31.
    - {type: oidc, id: old-sso, name: Old SSO, config: {issuer: "https://sso.acme.com"}}
    - {type: ldap, id: corp-ldap, name: Corp LDAP, config: {host: "ldap.acme.com:636"}}
`))
	if err != nil {
		log.Fatal(err)
	}
	if err := v.RemoveUpstreamIDP("old-sso"); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(v.Bytes()))

	err = v.RemoveUpstreamIDP("old-sso")
	fmt.Println(errors.Is(err, pachidp.ErrIDPNotFound), err)
	// Output:
	// oidc:
	//   upstreamIDPs:
	//     - {type: ldap, id: corp-ldap, name: Corp LDAP, config: {host: "ldap.acme.com:636"}}
	// true oidc.upstreamIDPs: no entry has id "old-sso"
}

// EditFile edits a values file in place: it writes a temporary file and
// renames it over the original only when the edit and the check passed, so
// the file is never left half written. Here the check validates the entries
// against the file's own host.
func ExampleEditFile() {
	dir, err := os.MkdirTemp("", "pachidp-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte("proxy:\n  host: pachyderm.acme.com\n"), 0o600); err != nil {
		log.Fatal(err)
	}

	entry, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		ClientSecret: "example-client-secret",
		ProxyHost:    "pachyderm.acme.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	check := func(v *pachidp.Values) error {
		idps, err := v.UpstreamIDPs()
		if err != nil {
			return err
		}
		host, _ := v.RedirectHost()
		return pachidp.Validate(idps, pachidp.ValidateOptions{ProxyHost: host}).Err()
	}
	changed, err := pachidp.EditFile(path, pachidp.FileOptions{Check: check}, func(v *pachidp.Values) error {
		return v.UpsertUpstreamIDP(entry)
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("changed:", changed)

	edited, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(edited))
	// Output:
	// changed: true
	// proxy:
	//   host: pachyderm.acme.com
	// oidc:
	//   upstreamIDPs:
	//   - type: oidc
	//     id: auth0
	//     name: Auth0
	//     config:
	//       issuer: https://acme.us.auth0.com/
	//       clientID: hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks
	//       clientSecret: example-client-secret
	//       redirectURI: https://pachyderm.acme.com/dex/callback
	//       insecureEnableGroups: true
	//       insecureSkipEmailVerified: true
	//       insecureSkipIssuerCallbackDomainCheck: false
}

// RenderUpstreamIDPs gives the text pachd receives in IDP_CONNECTORS, byte
// for byte as the chart's toYaml writes it: keys sorted, lists not
// indented.
func ExampleRenderUpstreamIDPs() {
	idps, err := pachidp.DecodeUpstreamIDPs([]byte(`- type: ldap
  id: corp-ldap
  name: Corp LDAP
  config:
    host: ldap.acme.com:636
    bindDN: cn=pachyderm,ou=services,dc=acme,dc=com
    bindPW: example-password
    userSearch: {baseDN: "ou=people,dc=acme,dc=com", username: uid}
`))
	if err != nil {
		log.Fatal(err)
	}
	text, err := pachidp.RenderUpstreamIDPs(idps)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(text))
	// Output:
	// - config:
	//     bindDN: cn=pachyderm,ou=services,dc=acme,dc=com
	//     bindPW: example-password
	//     host: ldap.acme.com:636
	//     userSearch:
	//       baseDN: ou=people,dc=acme,dc=com
	//       username: uid
	//   id: corp-ldap
	//   name: Corp LDAP
	//   type: ldap
}
