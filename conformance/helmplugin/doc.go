// Package helmplugin proves the repository's plugin.yaml with the real helm
// binary: `helm plugin install` of a checkout builds pachidp through the
// install hook, and `helm pachidp ...` runs it with Helm's argument handling
// (helm.sh/helm/v3 v3.22.0, built from source by the test: the go.mod's tool
// directive pins it).
//
// It is a module of its own so that the library's go.mod stays small.
package helmplugin
