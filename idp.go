package pachidp

import (
	"strings"
)

// dexConnectorTypes returns the connector types that upstream Dex v2.45.1
// registers, sorted, in a new slice. pachd hands an entry's type to Dex, and
// Dex refuses a type it does not know. Pachyderm's forks register fewer
// (Pachyderm 2.0-2.3 have no oauth): Validate checks the target's.
func dexConnectorTypes() []string { return dexUpstream.types() }

// typeOIDC is the connector type of OpenID Connect providers (Auth0, Okta,
// Keycloak, Entra ID, Google, ...): the one pachidp models field by field.
const typeOIDC = "oidc"

// UpstreamIDP is one entry of Helm's oidc.upstreamIDPs list: a simplified Dex
// connector as pachd decodes it.
//
// For type "oidc" the configuration is the typed OIDC field; for every other
// type it is the generic Config map, passed through untouched. Keys that pachd's
// strict decoder does not accept (such as the guide's "version") are kept in
// Extra, so that a decode/encode round trip keeps them and Validate reports them.
type UpstreamIDP struct {
	ID   string `json:"id" validate:"required"`   // connector id; pachd upserts by it, so it must be unique
	Name string `json:"name" validate:"required"` // shown on Dex's login page
	Type string `json:"type" validate:"required"` // Dex connector type, such as "oidc"

	// ConfigVersion is managed by pachd: on every start an existing id gets
	// its stored version plus one, whatever the values file says. Leave it 0.
	ConfigVersion int64

	// JSONConfig is the legacy form of the config (charts 2.0 to 2.2): a JSON
	// string. pachd uses it only when no config is present.
	JSONConfig string

	// OIDC is the config of an entry of type "oidc".
	OIDC *OIDCConfig

	// Config is the config of an entry of any other type, as a generic map.
	Config ConnectorConfig

	// Extra holds entry keys that pachd's strict decoder rejects, and keys
	// whose value has the wrong type (such as id: 12), as they were written.
	Extra map[string]any

	src *source // where the entry was decoded from, for positions in findings
}

// source ties a decoded entry to the positions of its document.
type source struct {
	pos  positions
	path string // absolute path of the entry in its document
}

// ---------------------------------------------------------------------------
// Positions

// Pos returns where a key of the entry was read from, given a path relative to
// the entry such as "config.issuer" or "id" ("" for the entry itself). The zero
// Position means the entry was not decoded from a document.
func (e UpstreamIDP) Pos(rel string) Position {
	if e.src == nil {
		return Position{}
	}
	p := e.src.path
	if rel != "" {
		if p == "" {
			p = rel
		} else if strings.HasPrefix(rel, "[") {
			p += rel
		} else {
			p += "." + rel
		}
	}
	return e.src.pos.at(p)
}
