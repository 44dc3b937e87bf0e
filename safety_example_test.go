package pachidp_test

import (
	"log/slog"
	"os"

	"github.com/pachidp/pachidp"
)

// RedactAttr hides secrets in values slog would otherwise write with
// encoding/json: a slice of entries, a map, a struct field.
func ExampleRedactAttr() {
	idp, _ := pachidp.Okta{Domain: "acme.okta.com", ClientID: "0oa1", ClientSecret: "hunter2hunter2",
		ProxyHost: "pachyderm.example.com"}.UpstreamIDP()
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable example
			}
			return pachidp.RedactAttr(groups, a)
		},
	}))
	logger.Info("entries", "count", 1, "ids", map[string]string{"okta": idp.ID}, "settings", map[string]any{"clientSecret": idp.OIDC.ClientSecret, "issuer": idp.OIDC.Issuer})
	// Output:
	// {"level":"INFO","msg":"entries","count":1,"ids":{"okta":"okta"},"settings":{"clientSecret":"REDACTED","issuer":"https://acme.okta.com"}}
}
