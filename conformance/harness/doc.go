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
//     providers on loopback only (see World), as strict as a cluster's
//     network: the known SaaS providers' hosts resolve, serve https on 443
//     only (plain http is a 301 to https, another port is refused) and write
//     their issuer as the provider does, whatever the request; every other
//     host resolves only when the case declares it (Case.IDPIssuer: its
//     document is served at that issuer only and writes it exactly;
//     Case.IDPCA: a certificate of PrivateCA, in no system pool), and
//     otherwise fails as DNS does ("no such host"), placeholders included.
//   - Open runs in pachd's pod filesystem (PodFS): only what the chart
//     mounts for the case's values exists (/dexcreds, from
//     oidc.dexCredentialSecretName, holding Case.DexCreds); paths in the
//     connector's file keys are rewritten into a per-case root before
//     json.Unmarshal and back in errors.
//   - Dex's callback is path.Join(issuer path, "/callback") (DexCallback),
//     and after LoginURL a routing stage (Route) requires the connector's
//     redirectURI to reach that callback as the chart routes it (scheme,
//     host, port, path), for every connector type, SAML and
//     insecureSkipIssuerCallbackDomainCheck included.
//   - What the chart itself does with a case (its issuer, whether the
//     entries reach pachd) is recorded by conformance/chart
//     (outcomes/chart/corpus.json), which also holds each case's dexIssuer
//     to the chart's rendering of its values; each module takes Dex's
//     issuer from that record for its chart version (ChartVersions) and
//     writes the chart's gate into the outcome (Outcome.Chart); RunAll
//     fails when that record, or a case in it, is missing.
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
