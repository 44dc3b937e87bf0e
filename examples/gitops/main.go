// Command gitops shows how a GitOps tool adds an Auth0 login to a Pachyderm
// values file kept in git: it upserts the entry into oidc.upstreamIDPs of
// the file, in place, so that `git diff` shows the entry's lines and nothing
// else. Comments, blank lines, key order and quoting stay byte for byte.
//
// The example works on a sample values.yaml written to a temporary folder,
// prints the change as a diff (client secrets REDACTED) and removes the
// folder:
//
//	go run ./examples/gitops
//
// Flags replace the built-in example tenant; proxy.host is read from the
// file. The client secret is read from an environment variable, never from
// the command line:
//
//	export AUTH0_CLIENT_SECRET=...
//	go run ./examples/gitops -domain acme.us.auth0.com -client-id hQ9p... \
//	    -client-secret-env AUTH0_CLIENT_SECRET
//
// A values file that holds client secrets must not be committed in clear
// text: encrypt it (SOPS, for example), or keep the entries in a Secret as
// examples/secret does.
//
// The diff goes to standard output; warnings and errors go to standard
// error. The exit status is 2 for bad flags or values, 1 for other errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pachidp/pachidp"
)

// sampleValues is the values file of the example, as a team keeps it in git.
const sampleValues = `# Pachyderm on the acme production cluster.
# Argo CD deploys this file; change it through pull requests.

deployTarget: AMAZON

proxy:
  enabled: true
  host: pachyderm.acme.com   # Console and pachd are reached here
  tls:
    enabled: true
    secretName: pachyderm-tls

oidc:
  # Okta, for employees. Secrets are encrypted with SOPS in git.
  upstreamIDPs:
    - type: oidc
      id: okta
      name: Okta
      config:
        issuer: https://acme.okta.com
        clientID: 0oa1b2c3d4e5f6g7h8i9
        clientSecret: example-okta-secret
        redirectURI: https://pachyderm.acme.com/dex/callback
        insecureEnableGroups: true
        insecureSkipEmailVerified: false
        scopes: [profile, email, groups]

  # No mock login in production.
  mockIDP: false

console:
  enabled: true
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
	fs := flag.NewFlagSet("gitops", flag.ContinueOnError)
	fs.SetOutput(stderr)
	domain := fs.String("domain", exampleDomain, "Auth0 tenant `domain`")
	clientID := fs.String("client-id", exampleClientID, "client `ID` of the Auth0 application")
	secretEnv := fs.String("client-secret-env", "", "environment `variable` holding the client secret (default: a fake secret)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gitops: unexpected argument %q: every value is passed with a flag\n", fs.Arg(0))
		return 2
	}
	secret := exampleSecret
	if *secretEnv != "" {
		if secret = getenv(*secretEnv); secret == "" {
			fmt.Fprintf(stderr, "gitops: environment variable %s is unset or empty: export the application's client secret in it\n", *secretEnv)
			return 2
		}
	}

	// 1. A checkout of the repository: values.yaml in a temporary folder.
	dir, err := os.MkdirTemp("", "pachidp-gitops-")
	if err != nil {
		fmt.Fprintf(stderr, "gitops: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte(sampleValues), 0o600); err != nil {
		fmt.Fprintf(stderr, "gitops: %v\n", err)
		return 1
	}

	// 2. Upsert the Auth0 entry into the file, in place.
	auth0 := pachidp.Auth0{Domain: *domain, ClientID: *clientID, ClientSecret: secret}
	if err := upsertAuth0(path, auth0, stderr); err != nil {
		fmt.Fprintf(stderr, "gitops: %v\n", err)
		return 2
	}

	// 3. Show what `git diff` would show: the entry's lines only.
	after, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "gitops: %v\n", err)
		return 1
	}
	if _, err := io.WriteString(stdout, diff("values.yaml", []byte(sampleValues), after)); err != nil {
		fmt.Fprintf(stderr, "gitops: writing the diff: %v\n", err)
		return 1
	}
	return 0
}

// upsertAuth0 writes the entry of a into the values file at path, with the
// redirect URI of the file's proxy.host. It validates the file's whole list
// as it will be, and writes nothing when there is an error. Warnings, with
// their lines in the new file, are written to warn.
func upsertAuth0(path string, a pachidp.Auth0, warn io.Writer) error {
	_, err := pachidp.EditFile(path, pachidp.FileOptions{}, func(v *pachidp.Document) error {
		// The redirect URI must match proxy.host: take it from the file.
		host, _, _ := v.Lookup("proxy.host")
		a.ProxyHost, _ = host.(string)
		idp, err := a.UpstreamIDP()
		var pe *pachidp.PresetError
		if errors.As(err, &pe) && pe.Field == "ProxyHost" {
			return fmt.Errorf("proxy.host: %s", pe.Msg) // name the value the user knows
		} else if err != nil {
			return err
		}
		// Replace the entry with id "auth0", or append it after the last entry.
		if err := v.UpsertUpstreamIDP(idp); err != nil {
			return err
		}
		// Validate every entry as pachd and Dex will read it, with lines of the new file.
		idps, err := v.UpstreamIDPs()
		if err != nil {
			return err
		}
		findings := pachidp.Validate(idps, pachidp.ValidateOptions{ProxyHost: a.ProxyHost})
		if err := findings.Err(); err != nil {
			return err // lists the warnings too
		}
		for _, f := range findings {
			fmt.Fprintf(warn, "gitops: %s: %v\n", path, f)
		}
		return nil
	})
	return err
}

// diff returns the lines that differ between before and after as a unified
// diff without context (diff -U0), for an edit that changes one region, as
// an upsert does. Values of secret keys are shown as REDACTED.
func diff(name string, before, after []byte) string {
	a := strings.SplitAfter(string(before), "\n")
	b := strings.SplitAfter(string(after), "\n")
	// Skip the lines the two have in common at the start and at the end.
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	endA, endB := len(a), len(b)
	for endA > start && endB > start && a[endA-1] == b[endB-1] {
		endA, endB = endA-1, endB-1
	}
	if start == endA && start == endB {
		return "" // no change
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n@@ -%s +%s @@\n", name, name, hunkRange(start, endA-start), hunkRange(start, endB-start))
	for _, line := range a[start:endA] {
		out.WriteString("-" + redactLine(line))
	}
	for _, line := range b[start:endB] {
		out.WriteString("+" + redactLine(line))
	}
	return out.String()
}

// hunkRange writes a hunk's "line,count"; an empty hunk names the line before it.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// redactLine replaces the value of a "key: value" line whose key holds a
// secret (pachidp.IsSecretKey) with REDACTED.
func redactLine(line string) string {
	key, _, ok := strings.Cut(strings.TrimLeft(line, " -"), ":")
	if !ok || !pachidp.IsSecretKey("", key) {
		return line
	}
	i := strings.Index(line, ":")
	return line[:i+1] + " " + pachidp.Redacted + "\n"
}
