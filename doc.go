// Package pachidp models, converts, validates and edits the upstream identity
// providers of Pachyderm clusters: the oidc.upstreamIDPs list of Pachyderm's
// Helm values.
package pachidp
