// Package dexconv converts the "oidc" entries of Pachyderm's Helm values to
// and from upstream Dex v2.45.1's own Go type, connector/oidc.Config: import
// it to hand an entry to Dex's code (connector/oidc's Open), or to read one
// that a program holds as Dex's Config.
//
// It is a package of its own because it imports github.com/dexidp/dex: a
// program that only validates, edits or converts values files imports the
// root package, github.com/pachidp/pachidp, and builds without the Dex module.
// (Dex's config files, as text, need no Dex type: the root's
// EncodeDexConnectors and DecodeDexConnectors read and write them.)
//
// Its name says what it does, conversions to Dex; the repository's dexconfig/
// folder is data, not a package: the generated key tables of each Dex version
// that the root embeds.
//
// Every conversion returns what it could not carry as []pachidp.Loss, never
// dropping anything silently.
package dexconv
