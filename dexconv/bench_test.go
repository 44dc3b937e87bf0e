package dexconv_test

import (
	"testing"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
)

func BenchmarkToDex(b *testing.B) {
	e, err := pachidp.Auth0{Domain: "acme.us.auth0.com", ClientID: "id", ClientSecret: "fake-secret", ProxyHost: "p.example.com"}.UpstreamIDP()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := dexconv.ToDex(e.OIDC); err != nil {
			b.Fatal(err)
		}
	}
}
