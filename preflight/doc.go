// Package preflight checks, before a cluster starts, that each "oidc" entry
// of Pachyderm's Helm values works against its provider the way Dex will use
// it: [Run] fetches the discovery document, compares its issuer with
// config.issuer byte for byte, checks that the provider offers the
// authorization_code grant, and opens the entry with upstream Dex v2.45.1's
// real oidc connector (`pachidp check` prints its results).
//
// It is a package of its own because it goes on the network and imports Dex
// (through package dexconv): a program that only validates or edits values
// imports the root package, github.com/pachidp/pachidp, which does neither.
package preflight
