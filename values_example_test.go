package pachidp_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pachidp/pachidp"
)

// Add Auth0 to a values file kept in Git: only the list's lines change, the
// comments and the rest of the file stay as they were.
func ExampleOpenDocument() {
	values := []byte(`# Pachyderm on acme's cluster.
proxy:
  host: pachyderm.acme.com   # the public name

oidc:
  # Log in with the company IdP (see the platform wiki).
  upstreamIDPs: []
  mockIDP: true
`)
	v, err := pachidp.OpenDocument(values)
	if err != nil {
		log.Fatal(err)
	}
	host, _, _ := v.Lookup("proxy.host")
	auth0, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "pachyderm-client-id",
		ClientSecret: "example-client-secret",
		ProxyHost:    host.(string),
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	if err := v.UpsertUpstreamIDP(auth0); err != nil {
		log.Fatal(err)
	}
	if err := v.DisableMockIDP(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(v.Bytes()))
	// Output:
	// # Pachyderm on acme's cluster.
	// proxy:
	//   host: pachyderm.acme.com   # the public name
	//
	// oidc:
	//   # Log in with the company IdP (see the platform wiki).
	//   upstreamIDPs:
	//   - type: oidc
	//     id: auth0
	//     name: Auth0
	//     config:
	//       issuer: https://acme.us.auth0.com/
	//       clientID: pachyderm-client-id
	//       clientSecret: example-client-secret
	//       redirectURI: https://pachyderm.acme.com/dex/callback
	//       insecureEnableGroups: true
	//       insecureSkipEmailVerified: false
	//       insecureSkipIssuerCallbackDomainCheck: false
	//   mockIDP: false
}

// Remove an IdP from a values file on disk, refusing to write unless every
// remaining entry's redirect URI matches proxy.host.
func ExampleEditFile() {
	dir, err := os.MkdirTemp("", "pachidp-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "values.yaml")
	err = os.WriteFile(path, []byte(`proxy:
  host: pachyderm.acme.com
oidc:
  upstreamIDPs:
    - type: oidc
      id: okta
      name: Okta
      config:
        issuer: https://acme.okta.com
        redirectURI: https://pachyderm.acme.com/dex/callback
    # Retired in June.
    - type: oidc
      id: legacy
      name: Legacy SSO
      config:
        issuer: https://sso.acme.com
        redirectURI: https://pachyderm.acme.com/dex/callback
`), 0o600)
	if err != nil {
		log.Fatal(err)
	}

	redirectsMatchHost := func(v *pachidp.Document) error {
		host, _, _ := v.Lookup("proxy.host")
		want, err := pachidp.ValidateOptions{ProxyHost: fmt.Sprint(host)}.Callback()
		if err != nil {
			return err
		}
		idps, err := v.UpstreamIDPs()
		if err != nil {
			return err
		}
		for _, e := range idps {
			if e.OIDC != nil && e.OIDC.RedirectURI != want {
				return fmt.Errorf("%s: redirectURI must be %s", e.ID, want)
			}
		}
		return nil
	}
	changed, err := pachidp.EditFile(path, pachidp.FileOptions{Check: redirectsMatchHost}, func(v *pachidp.Document) error {
		return v.RemoveUpstreamIDP("legacy")
	})
	fmt.Println(changed, err)

	// Removing it again: nothing to remove, nothing written.
	_, err = pachidp.EditFile(path, pachidp.FileOptions{}, func(v *pachidp.Document) error {
		return v.RemoveUpstreamIDP("legacy")
	})
	fmt.Println(errors.Is(err, pachidp.ErrIDPNotFound))

	out, _ := os.ReadFile(path)
	fmt.Print(string(out))
	// Output:
	// true <nil>
	// true
	// proxy:
	//   host: pachyderm.acme.com
	// oidc:
	//   upstreamIDPs:
	//     - type: oidc
	//       id: okta
	//       name: Okta
	//       config:
	//         issuer: https://acme.okta.com
	//         redirectURI: https://pachyderm.acme.com/dex/callback
}

// RemoveUpstreamIDP takes an entry's lines out, with the comment above it.
// An id that no entry has is an *EditError wrapping ErrIDPNotFound, which a
// caller that wants removal to be idempotent can ignore.
func ExampleDocument_RemoveUpstreamIDP() {
	v, err := pachidp.OpenDocument([]byte(`oidc:
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
