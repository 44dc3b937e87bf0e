package pachidp_test

import (
	"errors"
	"fmt"

	"github.com/pachidp/pachidp"
)

// ValidateValues checks a whole values file as `pachidp validate` does:
// the chart's prerequisites and every entry, with redirect URIs compared
// with the host the values give Dex. A comment silences a rule on its line.
func ExampleValidateValues() {
	v, err := pachidp.OpenDocument([]byte(`proxy:
  host: pachyderm.example.com
  tls:
    enabled: false # pachidp:ignore tls-disabled TLS ends at the load balancer
oidc:
  upstreamIDPs:
    - id: auth0
      name: Auth0
      type: oidc
      config:
        issuer: https://acme.us.auth0.com
        clientID: hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks
        clientSecret: fake-auth0-secret
        redirectURI: https://pachyderm.example.com/dex/callback
`))
	if err != nil {
		panic(err)
	}
	r, err := pachidp.ValidateValues(v, pachidp.ValidateValuesOptions{File: "values.yaml"})
	if err != nil {
		panic(err)
	}
	for _, f := range r.Findings {
		if !f.Suppressed {
			fmt.Printf("%s [%s]\n", f.Error(), f.Rule)
		}
	}
	fmt.Printf("%d error(s), %d warning(s), %d suppressed; failed: %t\n", r.Errors, r.Warnings, r.Suppressed, r.Failed())
	for _, f := range r.Findings {
		if f.Suppressed {
			fmt.Printf("suppressed %s at line %d: %s\n", f.Rule, f.Pos.Line, f.Reason)
		}
	}
	// Output:
	// values.yaml:11:9: oidc.upstreamIDPs[0].config.issuer: Auth0 issuers end with "/": use "https://acme.us.auth0.com/" [auth0-issuer-slash]
	// 1 error(s), 0 warning(s), 1 suppressed; failed: true
	// suppressed tls-disabled at line 4: TLS ends at the load balancer
}

// A bad option is an error naming the option as the Go caller writes it,
// for a program that took it under another name (here, a flag).
func ExampleValidateValues_badOption() {
	v, err := pachidp.OpenDocument([]byte("oidc: {}\n"))
	if err != nil {
		panic(err)
	}
	_, err = pachidp.ValidateValues(v, pachidp.ValidateValuesOptions{Ignore: []pachidp.Rule{"tls-disable"}})
	var oe interface {
		Option() string
		Message() string
	}
	if errors.As(err, &oe) {
		fmt.Printf("--ignore (%s): %s\n", oe.Option(), oe.Message())
	}
	// Output:
	// --ignore (ValidateValuesOptions.Ignore): "tls-disable": no such rule (did you mean "tls-disabled"?)
}
