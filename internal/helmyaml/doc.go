// Package helmyaml writes YAML as Helm writes it: Marshal returns, byte for
// byte, what Helm's toYaml template function returns for a value before its
// final newline is trimmed.
//
// Helm's toYaml is sigs.k8s.io/yaml.Marshal: the value goes through
// encoding/json, the JSON is read back by a fork of gopkg.in/yaml.v2 v2.4.0
// and written by that library's emitter. This package keeps the
// encoding/json step and ports the parts of yaml.v2 v2.4.0's emitter that
// this path uses: scalar analysis and style choice, the YAML 1.1 resolver
// that decides quoting, the "natural" key sort (a9 before a10), block and
// empty-flow collections, and 80-column line folding.
//
// It guarantees:
//   - Output identical to yaml.v2 v2.4.0 through sigs.k8s.io/yaml for every
//     value it accepts: TestMarshalMatchesReference covers the emitter's
//     corner cases and FuzzMarshalMatchesReference compares random values,
//     both against github.com/ghodss/yaml on gopkg.in/yaml.v2 v2.4.0 (the
//     pipeline sigs.k8s.io/yaml forked), taken from Dex's module graph.
//   - What it returns reads back, with YAML 1.1 rules, as the value given:
//     a string that would read as a bool, a null, a number or a timestamp
//     is quoted.
//   - It refuses, with a *MarshalError, what Helm would not render as
//     written, instead of returning other bytes than Helm or bytes Helm
//     would not produce: strings that are not valid UTF-8 (encoding/json
//     would replace bytes, changing a secret), U+0085 (read back as a line
//     break), control characters that Helm's YAML reader refuses (Helm then
//     renders nothing at all), keys longer than YAML allows, and values
//     encoding/json cannot write.
//   - A *MarshalError never holds a value, only the path to it and the
//     problem: values are often secrets.
//
// Known differences from a real Helm render are those of the input, not of
// the emitter: Helm reads values files into float64 (a whole number above
// 2^53 reaches toYaml rounded), and Helm builds made with yaml.v2 v2.3.0 did
// not fold lines. yaml.v2's natural key order is not a strict order for
// some keys with leading zeros; Helm's order is then not even stable, and
// Marshal picks one.
//
// The package is also the home of the YAML 1.1 reader with positions (how
// Helm reads values files), in read*.go files.
package helmyaml
