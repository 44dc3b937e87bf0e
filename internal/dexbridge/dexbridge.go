// Package dexbridge hands package dexconv the steps of the root package's
// Dex conversions that need the root's unexported machinery (the reflection
// over OIDCConfig's fields, the key tables of dexconfig/), without exporting
// them from the root and without the root importing Dex's types.
//
// The root package sets both functions in an init function (convert_dex.go).
// dexconv imports the root, so they are set before any of its code runs.
package dexbridge

var (
	// DecodeUpstream takes a *pachidp.OIDCConfig and a *oidc.Config of
	// upstream Dex, decodes into the latter what upstream Dex reads of the
	// former, and returns the []pachidp.Loss of what it did not carry.
	DecodeUpstream func(c, out any) (losses any, err error)

	// PachydermLosses takes a *pachidp.OIDCConfig read from upstream Dex's
	// Config and returns, as []pachidp.Loss, the keys Pachyderm's Dex fork
	// ignores or reads differently.
	PachydermLosses func(c any) (losses any)
)
