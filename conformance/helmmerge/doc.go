// Package helmmerge proves pachidp's layered values (pachidp.Layers)
// against Helm's own code: generated sets of 2 to 4 values files are merged
// by helm.sh/helm/v3's values.Options.MergeValues (what `helm install -f a
// -f b` runs) and coalesced with a chart's defaults by
// chartutil.CoalesceValues (what the chart's templates see), and the
// results must equal pachidp's Merged tree, with Lookup naming the file and
// line that set every leaf.
package helmmerge
