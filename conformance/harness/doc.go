// Package harness is the shared half of pachidp's real-code oracle: it runs a
// corpus of Helm values documents through pachd's real entry decoding and
// through one real Dex (supplied by a small per-version module under
// conformance/dex/), and records what really happens as golden files.
//
// What it guarantees:
//
//   - pachd's stage is the real code path, not a model of it: values are read
//     the way Helm 3 reads them (sigs.k8s.io/yaml), rendered with the chart's
//     toYaml (sigs.k8s.io/yaml.Marshal), converted with YAMLToJSON, then
//     decoded by the decoder that the Pachyderm release really used:
//     google.golang.org/protobuf/encoding/protojson through dynamicpb against
//     a descriptor compiled from the fixture identity.proto (2.7 and later),
//     gogo/protobuf's jsonpb against a copy of the generated IDPConnector
//     struct (2.3 to 2.6), or the config-pod's ghodss/yaml + encoding/json
//     (2.0 to 2.2, where pachd itself does not read IDP_CONNECTORS). The few
//     lines of pachd that are not library calls (PickConfig, createConnector's
//     checks, validateConnector's messages, EnvBootstrap's loop) are copied
//     with a citation of file:line at the tag they come from.
//   - Dex's stage is the real connector code of one Dex version: the module
//     plugs in server.ConnectorsConfig, Open and LoginURL; the harness only
//     calls encoding/json.Unmarshal in between, exactly as validateConnector.
//   - Every network fetch Dex makes goes to a fake world of identity
//     providers on loopback only (see World): a CA made per process, a TLS
//     server that mints a certificate per SNI name, and an HTTP proxy that
//     routes every host to it (hosts ending in .invalid are refused). The
//     discovery documents write issuers the way each real provider does.
//   - What each connector type's Open and LoginURL refuse is found by
//     running them (ProbeRules, openrules.go): from a realistic config per
//     type, keys deleted, set, paired, and set to bogus values, candidate
//     values read from the source, and forms users get wrong. The rules are
//     written into dexconfig/<name>.json beside the key tables; the library
//     makes its per-type rules from them.
//   - Outcomes are compared with golden files; -update rewrites them. No error
//     text recorded can carry a value of a key whose name contains "secret"
//     or "password": such values are replaced by <redacted>.
//
// The harness has no Dex dependency; each conformance/dex/<name> module has one.
package harness
