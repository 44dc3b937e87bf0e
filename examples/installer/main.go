// Command installer shows how a Go program that installs Pachyderm with
// Helm's Go SDK adds an Auth0 login to the values it passes to the chart.
//
// It builds the values as such an installer does (its own default values,
// decoded into a map[string]any, plus the user's overrides), builds the
// Auth0 entry from the preset, validates it against the values' proxy.host
// and merges it into oidc.upstreamIDPs with HelmValues. A real installer
// then passes the map to Helm; this example prints it instead, with the
// client secret REDACTED:
//
//	go run ./examples/installer
//
// Flags replace the built-in example tenant. The client secret is read from
// an environment variable, never from the command line:
//
//	export AUTH0_CLIENT_SECRET=...
//	go run ./examples/installer -domain acme.us.auth0.com -client-id hQ9p... \
//	    -client-secret-env AUTH0_CLIENT_SECRET -proxy-host pachyderm.acme.com
//
// The values go to standard output; warnings and errors go to standard
// error. The exit status is 2 for bad flags or values, 1 for other errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp"
)

// defaultValues are the installer's own defaults, layered by Helm over the
// chart's values.yaml. An installer typically embeds them (go:embed).
const defaultValues = `# Defaults of the installer, on top of the chart's values.yaml.
deployTarget: LOCAL
proxy:
  enabled: true
  host: pachyderm.acme.com
  tls:
    enabled: true
    secretName: pachyderm-tls
oidc:
  mockIDP: false
`

// The built-in example tenant.
const (
	exampleDomain   = "acme.us.auth0.com"
	exampleClientID = "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks"
	exampleSecret   = "fake-client-secret"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run is the command with its environment passed in; it returns the exit
// status.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("installer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	domain := fs.String("domain", exampleDomain, "Auth0 tenant `domain`")
	clientID := fs.String("client-id", exampleClientID, "client `ID` of the Auth0 application")
	secretEnv := fs.String("client-secret-env", "", "environment `variable` holding the client secret (default: a fake secret)")
	proxyHost := fs.String("proxy-host", "", "`host` that replaces proxy.host of the default values")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "installer: unexpected argument %q: every value is passed with a flag\n", fs.Arg(0))
		return 2
	}
	secret, err := clientSecret(*secretEnv, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "installer: %v\n", err)
		return 2
	}
	if *secretEnv == "" {
		fmt.Fprintln(stderr, "installer: no -client-secret-env: using the example's fake client secret")
	}

	vals, err := installValues(*domain, *clientID, secret, *proxyHost, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "installer: %v\n", err)
		return 2
	}

	// A real installer now hands the map to Helm, and never prints it:
	//
	//	install := action.NewInstall(cfg)
	//	rel, err := install.RunWithContext(ctx, chart, vals)
	//
	// This example prints it instead, with every client secret REDACTED.
	enc := yaml.NewEncoder(stdout)
	enc.SetIndent(2)
	err = enc.Encode(pachidp.HelmValues(vals).Redacted())
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "installer: writing the values: %v\n", err)
		return 1
	}
	return 0
}

// installValues builds the values an installer passes to the chart: its
// defaults, the user's proxy.host (when not empty) and the Auth0 entry.
// Validation warnings are written to warn.
func installValues(domain, clientID, secret, proxyHost string, warn io.Writer) (map[string]any, error) {
	// 1. The installer's defaults, decoded as Helm decodes a values file...
	vals := map[string]any{}
	if err := yaml.Unmarshal([]byte(defaultValues), &vals); err != nil {
		return nil, fmt.Errorf("default values: %w", err)
	}
	// ...plus the user's overrides.
	proxy, _ := vals["proxy"].(map[string]any)
	if proxyHost != "" {
		proxy["host"] = proxyHost
	}
	host, _ := proxy["host"].(string)

	// 2. The Auth0 entry of Pachyderm's guide; its redirect URI comes from proxy.host.
	idp, err := pachidp.Auth0{Domain: domain, ClientID: clientID, ClientSecret: secret, ProxyHost: host}.UpstreamIDP()
	var pe *pachidp.PresetError
	if errors.As(err, &pe) && pe.Field == "ProxyHost" {
		return nil, fmt.Errorf("proxy.host: %s", pe.Msg) // name the value the user knows
	} else if err != nil {
		return nil, err
	}

	// 3. Validate it as pachd and Dex will read it: errors stop the install, warnings are shown.
	findings := pachidp.Validate([]pachidp.UpstreamIDP{idp}, pachidp.ValidateOptions{ProxyHost: host})
	if err := findings.Err(); err != nil {
		return nil, err // lists the warnings too
	}
	for _, f := range findings {
		fmt.Fprintf(warn, "installer: %v\n", f)
	}

	// 4. Merge it into oidc.upstreamIDPs: it replaces an entry with id "auth0", or is appended.
	if err := pachidp.HelmValues(vals).UpsertUpstreamIDP(idp); err != nil {
		return nil, err
	}
	return vals, nil
}

// clientSecret reads the secret from the environment variable named by the
// flag, or returns the example's fake secret when the flag is empty.
func clientSecret(env string, getenv func(string) string) (string, error) {
	if env == "" {
		return exampleSecret, nil
	}
	if s := getenv(env); s != "" {
		return s, nil
	}
	return "", fmt.Errorf("environment variable %s is unset or empty: export the application's client secret in it", env)
}
