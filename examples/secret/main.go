// Command secret shows how to keep Pachyderm's upstream IdP entries out of
// the Helm values, in a Kubernetes Secret that the chart reads through
// oidc.upstreamIDPsSecretName.
//
// It builds an Auth0 and an Okta entry from the presets, prints the Secret
// manifest that holds them, then "---", then a sample values file switched
// to that Secret: upstreamIDPsSecretName set, the inline list emptied, every
// other line as it was:
//
//	go run ./examples/secret
//
// The manifest holds the client secrets in clear text. Built in, they are
// fake ("example-client-secret"); real ones are read from environment
// variables, never from the command line, and then the output must not be
// logged or committed unencrypted:
//
//	export AUTH0_CLIENT_SECRET=... OKTA_CLIENT_SECRET=...
//	go run ./examples/secret -auth0-secret-env AUTH0_CLIENT_SECRET \
//	    -okta-secret-env OKTA_CLIENT_SECRET -namespace pachyderm > out.yaml
//
// The YAML goes to standard output; warnings and errors go to standard
// error. The exit status is 2 for bad flags or values, 1 for other errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pachidp/pachidp"
)

// sampleValues is a values file that lists its entries inline, client
// secret included.
const sampleValues = `# Pachyderm on the acme production cluster.
proxy:
  enabled: true
  host: pachyderm.acme.com
  tls:
    enabled: true
    secretName: pachyderm-tls

oidc:
  # Logins through the company's identity providers.
  upstreamIDPs:
    - type: oidc
      id: okta
      name: Okta
      config:
        issuer: https://acme.okta.com
        clientID: 0oa1b2c3d4e5f6g7h8i9
        clientSecret: example-client-secret
        redirectURI: https://pachyderm.acme.com/dex/callback
  mockIDP: false
`

// The built-in example applications, with an obviously fake secret.
const (
	auth0Domain   = "acme.us.auth0.com"
	auth0ClientID = "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks"
	oktaDomain    = "acme.okta.com"
	oktaClientID  = "0oa1b2c3d4e5f6g7h8i9"
	exampleSecret = "example-client-secret"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run is the command with its environment passed in; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("secret", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", pachidp.DefaultUpstreamIDPsSecretName, "`name` of the Secret")
	namespace := fs.String("namespace", "pachyderm", "`namespace` of the Pachyderm release")
	auth0Env := fs.String("auth0-secret-env", "", "environment `variable` holding Auth0's client secret (default: a fake secret)")
	oktaEnv := fs.String("okta-secret-env", "", "environment `variable` holding Okta's client secret (default: a fake secret)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "secret: unexpected argument %q: every value is passed with a flag\n", fs.Arg(0))
		return 2
	}
	auth0Secret, err := clientSecret(*auth0Env, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secret: %v\n", err)
		return 2
	}
	oktaSecret, err := clientSecret(*oktaEnv, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "secret: %v\n", err)
		return 2
	}
	if *auth0Env == "" || *oktaEnv == "" {
		fmt.Fprintf(stderr, "secret: the manifest holds the fake client secret %q: replace it, or pass -auth0-secret-env and -okta-secret-env\n", exampleSecret)
	}

	manifest, values, err := switchToSecret([]byte(sampleValues), auth0Secret, oktaSecret, pachidp.UpstreamIDPsSecret{Name: *name, Namespace: *namespace}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "secret: %v\n", err)
		return 2
	}

	// Print both documents. The manifest holds the client secrets in clear
	// text (fake ones here): a real tool writes it to a file of mode 0600 or
	// pipes it to `kubectl apply -f -`, and never logs it.
	for _, doc := range [][]byte{manifest, []byte("---\n"), values} {
		if _, err := stdout.Write(doc); err != nil {
			fmt.Fprintf(stderr, "secret: %v\n", err)
			return 1
		}
	}
	return 0
}

// switchToSecret builds the Auth0 and Okta entries for the values' proxy.host
// and returns the Secret manifest holding them and the values switched to
// that Secret. Validation warnings are written to warn.
func switchToSecret(valuesFile []byte, auth0Secret, oktaSecret string, secret pachidp.UpstreamIDPsSecret, warn io.Writer) (manifest, values []byte, err error) {
	// 1. Open the values file; its proxy.host gives the redirect URI.
	v, err := pachidp.OpenDocument(valuesFile)
	if err != nil {
		return nil, nil, err
	}
	host, _, _ := v.Lookup("proxy.host")
	proxyHost, _ := host.(string)

	// 2. The two entries, from the presets.
	auth0, err := pachidp.Auth0{Domain: auth0Domain, ClientID: auth0ClientID, ClientSecret: auth0Secret, ProxyHost: proxyHost}.UpstreamIDP()
	if err != nil {
		return nil, nil, err
	}
	okta, err := pachidp.Okta{Domain: oktaDomain, ClientID: oktaClientID, ClientSecret: oktaSecret, ProxyHost: proxyHost}.UpstreamIDP()
	if err != nil {
		return nil, nil, err
	}
	idps := []pachidp.UpstreamIDP{auth0, okta}

	// 3. Validate them as pachd and Dex will read them: errors stop, warnings are shown.
	findings := pachidp.Validate(idps, pachidp.ValidateOptions{ProxyHost: proxyHost})
	if err := findings.Err(); err != nil {
		return nil, nil, err // lists the warnings too
	}
	for _, f := range findings {
		fmt.Fprintf(warn, "secret: %v\n", f)
	}

	// 4. The Secret manifest: the entries under the key upstream-idps.
	if err := secret.SetUpstreamIDPs(idps); err != nil {
		return nil, nil, err
	}
	if manifest, err = secret.Manifest(); err != nil {
		return nil, nil, err
	}

	// 5. The values: upstreamIDPsSecretName set, the inline list emptied (no secret left in the file).
	if err := v.UseUpstreamIDPsSecret(secret.Name); err != nil {
		return nil, nil, err
	}
	return manifest, v.Bytes(), nil
}

// clientSecret reads a secret from the environment variable named by a flag,
// or returns the example's fake secret when the flag is empty.
func clientSecret(env string, getenv func(string) string) (string, error) {
	if env == "" {
		return exampleSecret, nil
	}
	if s := getenv(env); s != "" {
		return s, nil
	}
	return "", fmt.Errorf("environment variable %s is unset or empty: export the client secret in it", env)
}
