// Package helmread proves that pachidp reads a values file as Helm does:
// pachidp.Document.Values against helm.sh/helm/v3's chartutil.ReadValues
// (sigs.k8s.io/yaml over go.yaml.in/yaml/v2, then encoding/json, which is
// what `helm install -f FILE` and a chart's values.yaml go through), on
// every YAML file of the repository's corpus and test data and on the
// Pachyderm values files of ../shared, and under FuzzReadValues on
// generated documents: YAML 1.1 scalars (0o17, 0x1F, 1_000, yes, on, ~),
// keys that are numbers or booleans, a key written twice, anchors,
// aliases, merge keys (<<) before and after a mapping's own keys, tags,
// and what Helm refuses (.inf, a null key). It is a module of its own: the
// library's go.mod stays small.
package helmread
