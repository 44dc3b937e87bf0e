package dexconv_test

import (
	"fmt"
	"log"

	"github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
)

// Converting the Auth0 preset's entry to upstream Dex's oidc.Config: the
// one key only Pachyderm's Dex fork reads is reported, not dropped silently.
func ExampleToDex() {
	entry, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "example-client-id",
		ClientSecret: "example-client-secret",
		ProxyHost:    "pachyderm.example.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	cfg, losses, err := dexconv.ToDex(entry.OIDC)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issuer:", cfg.Issuer)
	fmt.Println("groups:", cfg.InsecureEnableGroups)
	for _, l := range losses {
		fmt.Println("lost:", l)
	}
	// Output:
	// issuer: https://acme.us.auth0.com/
	// groups: true
	// lost: config.insecureSkipIssuerCallbackDomainCheck: read only by Pachyderm's Dex fork; upstream Dex ignores it (false changes nothing: upstream Dex always compares the callback URL with redirectURI); not carried
}

// Converting Dex's oidc.Config into a Helm entry's config: Dex's false
// bools come back unset, and keys Pachyderm's Dex fork ignores are carried
// but reported.
func ExampleFromDex() {
	var dc oidc.Config
	dc.Issuer = "https://accounts.google.com"
	dc.ClientID = "example-client-id"
	dc.ClientSecret = "example-client-secret"
	dc.RedirectURI = "https://pachyderm.example.com/dex/callback"
	dc.InsecureEnableGroups = false
	dc.AllowedGroups = []string{"data-eng@example.com"}

	cfg, losses := dexconv.FromDex(&dc)
	fmt.Println("insecureEnableGroups set:", cfg.InsecureEnableGroups != nil)
	for _, l := range losses {
		fmt.Println("lost:", l)
	}
	// Output:
	// insecureEnableGroups set: false
	// lost: config.allowedGroups: carried, but Pachyderm's Dex fork ignores it: the restriction is lost, anyone the provider authenticates can log in; restrict access at the provider
}
