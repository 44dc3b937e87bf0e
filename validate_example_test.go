package pachidp_test

import (
	"errors"
	"fmt"

	"github.com/go-playground/validator/v10"

	"github.com/pachidp/pachidp"
)

// The entry of a common Auth0 setup guide, pasted into Helm values: the
// `version: 1` of pachctl's connector file crashes pachd, and the Auth0
// issuer lacks its trailing slash.
func ExampleValidate() {
	values := []byte(`- type: oidc
  id: auth0
  name: Auth0
  version: 1
  config:
    issuer: https://acme.us.auth0.com
    clientID: 5AbCdEfGhIjKlMnO
    clientSecret: not-a-real-secret
    redirectURI: https://pachyderm.acme.com/dex/callback
    insecureEnableGroups: true
    insecureSkipEmailVerified: true
    insecureSkipIssuerCallbackDomainCheck: false
`)
	idps, err := pachidp.DecodeUpstreamIDPs(values)
	if err != nil {
		fmt.Println(err)
		return
	}
	findings := pachidp.Validate(idps, pachidp.ValidateOptions{ProxyHost: "pachyderm.acme.com"})
	for _, f := range findings {
		fmt.Printf("%s [%s]\n", f.Error(), f.Rule)
	}

	var all pachidp.Findings
	if errors.As(findings.Err(), &all) {
		fmt.Println(len(all.Errors()), "errors")
	}
	// Output:
	// oidc.upstreamIDPs[0].version (line 4): version is for pachctl's connector file, not Helm values: delete it [pachctl-version-key]
	// oidc.upstreamIDPs[0].config.issuer (line 6): Auth0 issuers end with "/": use "https://acme.us.auth0.com/" [auth0-issuer-slash]
	// warning: oidc.upstreamIDPs[0].config.insecureSkipEmailVerified (line 11): Auth0 sends email_verified: set it to false [insecure-skip-email-verified]
	// 2 errors
}

// A program that checks an oidc config with its own validator/v10: the
// fields are named by their json keys, and an issuer of spaces alone is
// missing (trimmed_required), as Validate sees it.
func ExampleRegisterValidations() {
	v := validator.New()
	if err := pachidp.RegisterValidations(v); err != nil {
		panic(err)
	}
	cfg := pachidp.OIDCConfig{
		Issuer:       "   ",
		ClientID:     "5AbCdEfGhIjKlMnO",
		ClientSecret: "s3cr3t",
		RedirectURI:  "pachyderm.example.com/dex/callback",
	}
	var ve validator.ValidationErrors
	if errors.As(v.Struct(cfg), &ve) {
		for _, fe := range ve {
			fmt.Println(fe.Namespace(), fe.Tag())
		}
	}
	// Output:
	// OIDCConfig.issuer trimmed_required
	// OIDCConfig.redirectURI trimmed_url
}
