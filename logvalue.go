package pachidp

import (
	"fmt"
	"log/slog"
)

// log/slog's JSON handler writes a value with encoding/json, which for an
// entry calls MarshalJSON (the real secrets, as a values file needs them)
// and for a struct such as a preset writes every field, ClientSecret
// included. These LogValue methods make slog show what String shows, with
// any handler.

// LogValue makes log/slog show the entry as String does, secrets redacted.
func (e UpstreamIDP) LogValue() slog.Value { return slog.StringValue(e.String()) }

// LogValue makes log/slog show the config as String does, secrets redacted.
func (c OIDCConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// LogValue makes log/slog show the config as String does, secrets redacted.
func (c ConnectorConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// LogValue makes log/slog show the Secret as String does, without its text.
func (s UpstreamIDPsSecret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// LogValue makes log/slog show the values tree as Redacted returns it.
func (v HelmValues) LogValue() slog.Value { return slog.AnyValue(v.Redacted()) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (a Auth0) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(a)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (o Okta) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(o)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (k Keycloak) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(k)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (e EntraID) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(e)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (g Google) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(g)) }

// LogValue makes log/slog show the preset as fmt does, client secret redacted.
func (g GenericOIDC) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(g)) }
