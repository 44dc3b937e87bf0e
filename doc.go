// Package pachidp models, builds, converts, validates and edits the upstream
// identity providers of Pachyderm clusters: the oidc.upstreamIDPs list of
// Pachyderm's Helm values.
//
// # Where an entry goes
//
// An upstream IdP entry tells Pachyderm's identity service (a Dex) how to
// send users to a login provider such as Auth0, Okta or Keycloak:
//
//	oidc:
//	  upstreamIDPs:
//	  - type: oidc
//	    id: auth0
//	    name: Auth0
//	    config:
//	      issuer: https://acme.us.auth0.com/
//	      clientID: ...
//	      clientSecret: ...
//	      redirectURI: https://pachyderm.acme.com/dex/callback
//	      insecureEnableGroups: true
//	      insecureSkipEmailVerified: true
//	      insecureSkipIssuerCallbackDomainCheck: false
//
// The chart renders the list into the Secret pachyderm-identity, key
// upstream-idps (or reads that key from the Secret named by
// oidc.upstreamIDPsSecretName). pachd gets the text in its environment
// variable IDP_CONNECTORS, decodes each entry strictly (a key it does not
// know is an error), requires id, name and type, and hands each connector to
// Dex. The list is authoritative: pachd deletes stored connectors whose id is
// missing from it. Any mistake on that path means pachd fails to start (its
// pod in CrashLoopBackOff), and nothing checks the entries before: the chart's
// schema only says the list is a list. This package does that checking
// beforehand, with errors that name the line and the fix.
//
// # The model
//
// [UpstreamIDP] is one entry: ID, Name, Type, the legacy JSONConfig and the
// pachd-managed ConfigVersion. Its config is typed for type "oidc", the
// connector every OpenID Connect provider uses: [OIDCConfig] has every field
// of Dex v2.45.1's oidc connector plus the two fields only Pachyderm's Dex
// fork reads, with pointers for booleans so that false is written when set
// and nothing is written when unset. Entries of other types (ldap, github,
// saml, ...) keep their config as a generic [ConnectorConfig] map. Keys that
// pachd or Dex do not know, and known keys whose value has the wrong type,
// are kept as written in the Extra maps, so that a decode/encode round trip
// loses nothing and validation can report them.
//
// [DecodeUpstreamIDPs] reads YAML or JSON, resolving
// plain scalars the way Helm's YAML 1.1 reader does (clientID: 0123 is the
// number 83, yes is true), following aliases and merge keys, and remembering
// where each key was ([UpstreamIDP.Pos]). A document that cannot be read at
// all gives a [*SyntaxError] with the path and line. [UpstreamIDPFromMap]
// takes an entry of a values tree from Helm's Go SDK or encoding/json
// ([HelmValues.UpstreamIDPs] the whole list). [EncodeUpstreamIDPs] writes the
// guide's key order (type, id, name, config; issuer, clientID, clientSecret,
// redirectURI first), only the keys that are set.
//
// # Presets
//
// A preset is a small struct whose UpstreamIDP method builds a checked entry
// for one provider, with the issuer in the exact form that provider's
// discovery document uses (Dex compares issuers byte for byte): [Auth0]
// ("https://<tenant>/", with the slash), [Okta] (org or custom authorization
// server, no slash), [Keycloak] ("https://<host>/realms/<realm>"), [EntraID]
// ("https://login.microsoftonline.com/<tenant GUID>/v2.0" and the email
// claim mapping Pachyderm's guide asks for), [Google], and [GenericOIDC] for
// any other issuer, used verbatim. Each derives the redirect URI from
// Pachyderm's proxy.host ([ValidateOptions.Callback]) and defaults the guide's three flags.
// Malformed input gives a [*PresetError] that names the field and says what
// to pass instead.
//
// # Three formats, and the version trap
//
// Three formats describe a connector and they are not interchangeable:
//
//   - The Helm entry (this package's [UpstreamIDP]): id, name, type, config,
//     configVersion, jsonConfig, and nothing else.
//   - The connector file of `pachctl idp create-connector --config`: id, name,
//     type, version and config, matched case-insensitively.
//   - Dex's own config file: a connectors list of type, id, name and config,
//     where Dex expands $VARIABLES (pachd does not).
//
// Pachyderm's guide shows a connector file with `version: 1` next to the Helm
// values, and users copy it into values.yaml. In the Helm entry version is an
// unknown key: pachd's strict decoder rejects it and pachd crashes. The Helm
// name is configVersion, and pachd manages it (an existing id gets its stored
// version plus one on every start), so leave it out. The decoder keeps
// version in Extra, where validation reports it with the fix.
//
// # Targets: Pachyderm versions
//
// What happens to an entry depends on the Pachyderm release that reads it.
// Releases 2.0-2.2 hand the list to a lenient config Job that drops a
// connector it cannot create; 2.3-2.6 decode it with gogo jsonpb and 2.7 and
// later with protojson, both strict, and stop pachd on any error. Each
// release line pins its own fork of Dex, and the forks read different keys:
// only the 2.7+ forks read rootCAs (as file paths only) and
// insecureSkipVerify, only 2.0-2.6 read forwardedLoginParams, only 2.0-2.3
// enforce hostedDomains, and none reads allowedGroups, pkceChallenge or
// claimModifications. A [Target] names one release line ([ParseTarget] reads
// "2.11.6"; [Targets] lists them; the zero Target is the newest) or
// [TargetUpstreamDex], Dex v2.45.1 reading its own configuration file.
// Validation speaks for one target and reports a key the target ignores
// instead of accepting it silently; for hostedDomains and allowedGroups that
// is an access restriction that disappears.
//
// Every finding has a [Fate], the cluster's fate because of it, which decides
// its severity: [FateRenderFails], [FatePachdCrash] and [FateLoginFails] are
// errors; [FateIgnored] and [FateRisk] are warnings. The conformance suite in
// conformance/ runs a corpus of values files through the real reader of the
// list and the real Dex of every target, and the package's tests fail when a
// verdict of Validate differs from what the real code does.
//
// # Converting to and from Dex and pachctl
//
// Package github.com/pachidp/pachidp/dexconv converts to and from upstream
// Dex's own oidc.Config (it imports Dex; this package does not);
// [DecodeDexConnectors] and [EncodeDexConnectors] read and
// write the connectors list of a Dex config file; [DecodePachctlConnector]
// and [EncodePachctlConnector] read and write pachctl's connector file. Each
// returns what it could not carry as [Loss] values: a fork-only key going to
// upstream Dex, a $VAR that pachd would not expand, a version that Helm
// values do not have.
//
// # Validation
//
// [Validate] checks a list the way the target's pachd and Dex will read it:
// the entry's keys and types, the choice between config and jsonConfig (a
// jsonConfig string is checked like a config mapping), every connector
// type's config against the key table of the target's Dex, what Open refuses
// (the issuer in the provider's exact form, files, required keys) and what
// LoginURL refuses (a redirect URI that is not Dex's callback, byte for
// byte). It returns every problem at once as [Findings], each a [Finding]
// with the path, line, a stable rule name, a fate, a severity and a message
// that says the fix; [Findings.Err] gives them as an error when one of
// them is an error. [ValidateOptions] selects the target and Dex's issuer.
//
// [ValidateValues] is the one call for a whole values file, what `pachidp
// validate` prints: on the [Values] of a release, a [*Document], a [*Layers]
// (each finding then names the file and line that set the value) or a
// [HelmValues] (a chartutil.Values converts with HelmValues(m)), it checks
// the chart's keys against the setup guide's prerequisites (TLS, a host, the
// enterprise license before chart 2.12, oidc.issuerURI ending in /dex) and
// runs Validate with redirect URIs compared with the
// issuer the chart renders, reads the Secret the values name when given, and
// applies the rules silenced by [ValidateValuesOptions].Ignore and by
// comments in the files (`# pachidp:ignore RULE reason`, on the line or on
// an entry's first line for the whole entry). Its [Report] holds the
// findings with their file, rule, fate, message and the rule's Detail, the
// counts and [Report.Failed]. Every finding names its [Rule], a typed
// constant ([RuleAuth0IssuerSlash], ...) whose methods give its title, its
// fates and the long explanation with the fix (`pachidp explain RULE`);
// [Rules] lists them.
//
// # Editing values files
//
// Decoding a whole values file into a YAML tree and encoding it again
// rewrites it: blank lines go, comments move. [OpenDocument] reads a values
// document (YAML or JSON) and its edits ([Document.UpsertUpstreamIDP],
// [Document.RemoveUpstreamIDP], [Document.SetUpstreamIDPs], ...) replace only the
// bytes of the region that changes, leave every other byte alone, and re-read
// the result to check it holds exactly the intended values before returning
// it, so that `git diff` shows only the lines of the change. [EditFile]
// applies such an edit to a file atomically, holding the file's lock from
// the read to the rename, so that concurrent edits serialize and none is
// lost; another edit of the file makes it fail with [ErrFileChanged] or
// [ErrLocked] (errors.Is) and write nothing. A values file larger than 16
// MiB is refused with [ErrTooLarge].
//
// A [Document] is not a map: it keeps the bytes of the file.
// Installers that hand a map[string]any to Helm's Go SDK (Helm's
// chartutil.Values is such a map) use [HelmValues] instead: the same entry
// edits, in place, on the map, refused with the same [*EditError]s.
//
// # Layered values files
//
// Helm users pass several -f files (base, environment, secrets). [Layers]
// merges them as helm install does ([NewLayers], [OpenLayerFiles]): maps key
// by key, lists and scalars replaced, null deleting a chart default. Lookup
// says which file and line set a value, LocateAll maps findings back to
// them (each [Finding] with its File), and EditTarget names the one file an
// edit of oidc.upstreamIDPs must change, or says why none can be chosen
// ([*LayerError] with its Candidates).
//
// # Editors: a JSON Schema
//
// [Target.JSONSchema] writes a JSON Schema (draft 2020-12) of the oidc section for a
// target, from the same tables Validate reads: an editor with
// yaml-language-server then flags the version trap, a wrong type or an
// unknown connector type as people type.
//
// # What pachd receives
//
// [Document.ChartIdentity] says what a release's chart renders from a values
// file: whether it renders at all, Dex's issuer ([ChartIdentity].Issuer; the
// callback every redirectURI must equal is the issuer + "/callback"), whether
// the upstream IdPs reach pachd and from which Secret, and the text, byte for
// byte; the conformance module conformance/chart proves it against the real
// chart rendered by Helm. [RenderUpstreamIDPs] renders entries in their
// canonical form as the chart's toYaml does, and [UpstreamIDPsSecret.PachdUpstreamIDPs] reads
// such text with pachd's strictness, as a preflight against pachd failing to
// start (CrashLoopBackOff). [UpstreamIDPsSecret] is the Secret that
// oidc.upstreamIDPsSecretName names: [UpstreamIDPsSecret.Manifest] writes it,
// [DecodeSecretManifest] reads one back, [EditSecretFile] edits a manifest
// file in place, and [Document.UseUpstreamIDPsSecret] switches a values file
// to it.
// [Document.PachdUpstreamIDPs] gives the text pachd will receive for a values
// file, from its inline list or its Secret.
//
// # Preflight against the provider
//
// Package github.com/pachidp/pachidp/preflight (its Run) fetches each oidc
// entry's discovery document, compares the issuer byte for byte (saying
// which value to write when only a trailing slash differs), checks the grant
// types, and opens the entry with Dex's real connector, with a context and a
// timeout. It is a package of its own, with dexconv, so that a program that
// imports only this one builds without the Dex module and the network.
//
// # Errors
//
// Errors say the place and the fix and never hold a secret. Inspect them
// with errors.As and errors.Is:
//
//   - [*SyntaxError]: a document that cannot be read, with its path and
//     line; [*EditError]: an edit refused, wrapping [ErrIDPNotFound],
//     [ErrAnchor] or [ErrSelfCheck]; [*LayerError]: a layer of a set;
//     [*RenderError]: values Helm would not render; [*PresetError]: preset
//     input, with the input to pass instead.
//   - [Findings]: a validation that found errors ([Findings.Err]), and
//     entries pachd would refuse ([UpstreamIDPsSecret.Manifest]).
//   - [ErrFileChanged], [ErrLocked], [ErrTooLarge], [ErrSecretNotGiven]:
//     conditions, for errors.Is.
//   - An option of a call that cannot be used (ValidateValuesOptions.Ignore,
//     ValidateOptions.ProxyHost, UpstreamIDPsSecret.Name, ...) is an error
//     with two methods, Option (the option as the Go caller writes it) and
//     Message (what is wrong, without it), for a program that took the
//     option under another name, such as a command's flag.
//
// For the last:
//
//	var oe interface{ Option() string; Message() string }
//	if errors.As(err, &oe) {
//		fmt.Printf("--%s: %s\n", flagFor[oe.Option()], oe.Message())
//	}
//
// # Secrets
//
// Entries hold client secrets (and ldap bindPW, passwords, ...); which keys
// are secrets is decided in one place, redact.go ([IsSecretKey]: a
// conservative rule that also hides misspellings such as cilentSecert). Printing an entry or a config, with String,
// GoString, any fmt verb (but %p of a non-pointer, which go vet reports) or
// log/slog (their LogValue methods), shows the [Redacted] placeholder
// instead, and so do the presets, a [*Document], [HelmValues] and an
// [UpstreamIDPsSecret]; error messages and findings never include a secret.
// slog's JSON handler writes a slice, map or struct holding an entry with
// encoding/json, which writes the secrets: pass [RedactAttr] as the
// handler's ReplaceAttr to hide them there too.
// [HelmValues.Redacted] is a printable copy of a whole values tree. The
// encoders ([EncodeUpstreamIDPs], [UpstreamIDP.Map],
// MarshalJSON, [Document.Bytes]) write the real values, since their output is
// meant for a values file or a Secret: do not log it. The Extra maps are
// plain maps and print as they are.
package pachidp
