// Command auth0 prints the Helm values that connect Pachyderm to an Auth0
// application: the oidc.upstreamIDPs entry of Pachyderm's Auth0 guide,
// ready to paste into a values file.
//
// Run without flags, it prints the entry of a built-in example tenant, with an
// obviously fake client secret:
//
//	go run ./examples/auth0
//
// Flags replace the example's values. The client secret is read from an
// environment variable, never from the command line, where it would end up
// in the shell's history and the process list:
//
//	export AUTH0_CLIENT_SECRET=...
//	go run ./examples/auth0 -domain acme.us.auth0.com -client-id hQ9p... \
//	    -client-secret-env AUTH0_CLIENT_SECRET -proxy-host pachyderm.acme.com >> values.yaml
//
// Only the values go to standard output; notes and errors go to standard
// error. The exit status is 2 for bad flags or values, 1 for other errors.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pachidp/pachidp"
)

// The built-in example tenant.
const (
	exampleDomain    = "acme.us.auth0.com"
	exampleClientID  = "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks"
	exampleSecret    = "fake-client-secret"
	exampleProxyHost = "pachyderm.acme.com"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run is the command with its environment passed in: arguments without the
// program name, the two output streams, and the lookup of environment
// variables. It returns the exit status.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("auth0", flag.ContinueOnError)
	fs.SetOutput(stderr)
	domain := fs.String("domain", exampleDomain, "Auth0 tenant `domain`, or its custom domain")
	clientID := fs.String("client-id", exampleClientID, "client `ID` of the Auth0 application")
	secretEnv := fs.String("client-secret-env", "", "environment `variable` that holds the application's client secret\n(default: the example's fake secret)")
	proxyHost := fs.String("proxy-host", exampleProxyHost, "Pachyderm's `proxy.host`, possibly with a port")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: auth0 [-domain d] [-client-id id] [-client-secret-env VAR] [-proxy-host host]\n\n"+
			"Prints the oidc.upstreamIDPs values of Pachyderm's Auth0 guide.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "auth0: unexpected argument %q: every value is passed with a flag\n", fs.Arg(0))
		fs.Usage()
		return 2
	}

	secret := exampleSecret
	secretSet := false
	fs.Visit(func(f *flag.Flag) { secretSet = secretSet || f.Name == "client-secret-env" })
	switch {
	case secretSet && *secretEnv == "":
		fmt.Fprintln(stderr, "auth0: -client-secret-env is empty: pass the name of the environment variable that holds the client secret")
		return 2
	case secretSet:
		secret = getenv(*secretEnv)
		if secret == "" {
			fmt.Fprintf(stderr, "auth0: environment variable %s is unset or empty: export the application's client secret in it\n", *secretEnv)
			return 2
		}
	default:
		fmt.Fprintf(stderr, "auth0: no -client-secret-env: the output holds the example's fake secret %q; replace it\n", exampleSecret)
	}

	idp, err := pachidp.Auth0{
		Domain:       *domain,
		ClientID:     *clientID,
		ClientSecret: secret,
		ProxyHost:    *proxyHost,
	}.UpstreamIDP()
	if err != nil {
		// A *PresetError names the field; say which flag that is.
		fmt.Fprintf(stderr, "auth0: %v\n", flagError(err))
		return 2
	}
	out, err := valuesSnippet(idp)
	if err != nil {
		fmt.Fprintf(stderr, "auth0: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "auth0: writing the values: %v\n", err)
		return 1
	}
	return 0
}

// flagError rewrites a preset error to name the flag of the field.
func flagError(err error) error {
	var pe *pachidp.PresetError
	if !errors.As(err, &pe) {
		return err
	}
	flags := map[string]string{
		"Domain":       "-domain",
		"ClientID":     "-client-id",
		"ClientSecret": "the client secret (-client-secret-env)",
		"ProxyHost":    "-proxy-host",
	}
	if name, ok := flags[pe.Field]; ok {
		return fmt.Errorf("%s: %s", name, pe.Msg)
	}
	return err
}

// valuesSnippet writes the entry under oidc.upstreamIDPs, with the list
// items at the key's indentation as Pachyderm's guide writes them.
func valuesSnippet(idp pachidp.UpstreamIDP) ([]byte, error) {
	list, err := pachidp.EncodeUpstreamIDPs([]pachidp.UpstreamIDP{idp})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("oidc:\n  upstreamIDPs:\n")
	for _, line := range bytes.SplitAfter(list, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			b.WriteString("  ")
		}
		b.Write(line)
	}
	return b.Bytes(), nil
}
