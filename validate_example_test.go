package pachidp_test

import (
	"errors"
	"fmt"

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

	var ve *pachidp.ValidationError
	if errors.As(findings.Err(), &ve) {
		fmt.Println(len(ve.Findings.Errors()), "errors")
	}
	// Output:
	// oidc.upstreamIDPs[0].version (line 4): version belongs to pachctl's connector file (pachctl idp create-connector --config), not to Helm values: pachd's strict decoder rejects it and pachd fails to start (CrashLoopBackOff); delete it (pachd manages configVersion itself) [pachctl-version-key]
	// oidc.upstreamIDPs[0].config.issuer (line 6): Auth0 issuers end with "/" (Dex compares the issuer byte for byte with Auth0's discovery document, so pachd fails to start (CrashLoopBackOff) without it): use "https://acme.us.auth0.com/" [auth0-issuer-slash]
	// warning: oidc.upstreamIDPs[0].config.insecureSkipEmailVerified (line 11): Dex then treats every email as verified: anyone who can log in to the provider with any email (a Gmail account, for a Google or Auth0 social login) gets in unless the provider restricts users; set it to false when the provider sends email_verified [insecure-skip-email-verified]
	// 2 errors
}
