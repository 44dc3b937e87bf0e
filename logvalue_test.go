package pachidp

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestLogValueRedacts: values logged with log/slog, through its JSON and
// text handlers, directly or by pointer, never show a secret.
func TestLogValueRedacts(t *testing.T) {
	const secret = "fake-secret-logged-7f3e"
	entry, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "c", ClientSecret: secret, ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"entry":      entry,
		"entry ptr":  &entry,
		"config":     entry.OIDC,
		"generic":    ConnectorConfig{"bindPW": secret, "host": "ldap"},
		"secret":     &UpstreamIDPsSecret{Name: "s", Text: []byte("- config: {clientSecret: " + secret + "}\n")},
		"helm":       HelmValues{"oidc": map[string]any{"upstreamIDPs": []any{entry.Map()}}},
		"auth0":      Auth0{ClientSecret: secret},
		"okta":       Okta{ClientSecret: secret},
		"keycloak":   Keycloak{ClientSecret: secret},
		"entra":      EntraID{ClientSecret: secret},
		"google":     Google{ClientSecret: secret},
		"oidc":       GenericOIDC{ClientSecret: secret},
		"preset ptr": &Google{ClientSecret: secret},
	}
	for name, v := range values {
		for handler, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("logged", "value", v)
			if strings.Contains(buf.String(), secret) {
				t.Errorf("%s, %s handler: the log line shows the secret", name, handler)
			}
			if !strings.Contains(buf.String(), "value=") && !strings.Contains(buf.String(), `"value":`) {
				t.Errorf("%s, %s handler: the log line lacks the value", name, handler)
			}
		}
	}
}
