package pachidp

import (
	"slices"

	"github.com/pachidp/pachidp/internal/suggest"
)

// Rule names one check pachidp runs: the stable id its findings carry
// (Finding.Rule), such as RuleAuth0IssuerSlash ("auth0-issuer-slash"). The
// constants below are every rule; Rules lists them. Its methods give what
// the cluster does when it fires (Fates, which decide the severity), a
// one-line Title and the long explanation with the fix (Detail), which
// `pachidp explain RULE` prints and ValidateValues puts in each finding's
// Detail. docs/rules.md is generated from them.
type Rule string

// ruleInfo is what the registry knows of a rule.
type ruleInfo struct {
	rule Rule
	// fates are the fates its findings can carry (the first is the usual
	// one); empty for the rules of the chart's keys and of the command,
	// whose findings carry a severity only.
	fates []Fate
	// severities are the severities its findings can carry (derived from
	// fates when not written).
	severities []Severity
	// checks names the calls that emit it: "Validate", "ValidateValues",
	// "PachdUpstreamIDPs", or a command.
	checks []string
	title  string // one line, lower case, no period
	detail string // why it matters and how to fix it
}

// Rules returns every rule, sorted by id, in a new slice.
func Rules() []Rule {
	out := make([]Rule, len(ruleList))
	for i, r := range ruleList {
		out[i] = r.rule
	}
	slices.Sort(out)
	return out
}

// Known reports whether the rule is one of pachidp's (a Rule read from a
// command line or a comment may not be).
func (r Rule) Known() bool { _, ok := ruleIndex[r]; return ok }

// Title is the rule's title: one line, lower case, no period; "" for an
// unknown rule.
func (r Rule) Title() string { return ruleIndex[r].title }

// Detail explains why the rule matters and how to fix what it finds.
func (r Rule) Detail() string { return ruleIndex[r].detail }

// Fates returns the fates its findings can carry, the usual one first, in
// a new slice; none for the rules whose findings carry a severity only.
func (r Rule) Fates() []Fate { return slices.Clone(ruleIndex[r].fates) }

// Severities returns the severities its findings can carry, in a new slice.
func (r Rule) Severities() []Severity { return slices.Clone(ruleIndex[r].severities) }

// Checks names the calls (or, for the command's own rules, the commands)
// that report it, in a new slice.
func (r Rule) Checks() []string { return slices.Clone(ruleIndex[r].checks) }

// suggestRule returns a rule close to id (a typo, another case), or "".
func suggestRule(id string) Rule {
	ids := make([]string, len(ruleList))
	for i, r := range ruleList {
		ids[i] = string(r.rule)
	}
	return Rule(suggest.ID(id, ids))
}

// The rules, by id.
const (
	RuleAccessRestrictionIgnored              Rule = "access-restriction-ignored"
	RuleAuth0IssuerSlash                      Rule = "auth0-issuer-slash"
	RuleChartRefuses                          Rule = "chart-refuses"
	RuleConfigAndJSONConfig                   Rule = "config-and-json-config"
	RuleConfigFieldMismatch                   Rule = "config-field-mismatch"
	RuleConfigMissing                         Rule = "config-missing"
	RuleConfigUnsupported                     Rule = "config-unsupported"
	RuleConfigVersionManaged                  Rule = "config-version-managed"
	RuleDuplicateID                           Rule = "duplicate-id"
	RuleDuplicateKey                          Rule = "duplicate-key"
	RuleEnterpriseLicenseMissing              Rule = "enterprise-license-missing"
	RuleEntraIssuer                           Rule = "entra-issuer"
	RuleEntriesNotChecked                     Rule = "entries-not-checked"
	RuleExclusiveKeys                         Rule = "exclusive-keys"
	RuleFilePath                              Rule = "file-path"
	RuleGoogleIssuer                          Rule = "google-issuer"
	RuleHostMismatch                          Rule = "host-mismatch"
	RuleHostMissing                           Rule = "host-missing"
	RuleHostScheme                            Rule = "host-scheme"
	RuleHostedDomainsRefused                  Rule = "hosted-domains-refused"
	RuleIgnoredByTarget                       Rule = "ignored-by-target"
	RuleIngressHostMissing                    Rule = "ingress-host-missing"
	RuleInlineListIgnored                     Rule = "inline-list-ignored"
	RuleInsecureSkipEmailVerified             Rule = "insecure-skip-email-verified"
	RuleInsecureSkipIssuerCallbackDomainCheck Rule = "insecure-skip-issuer-callback-domain-check"
	RuleInsecureSkipVerify                    Rule = "insecure-skip-verify"
	RuleInvalidOption                         Rule = "invalid-option"
	RuleIssuerCase                            Rule = "issuer-case"
	RuleIssuerDiscoveryURL                    Rule = "issuer-discovery-url"
	RuleIssuerHTTPS                           Rule = "issuer-https"
	RuleIssuerQuery                           Rule = "issuer-query"
	RuleIssuerTrailingSlash                   Rule = "issuer-trailing-slash"
	RuleIssuerURIDexSuffix                    Rule = "issuer-uri-dex-suffix"
	RuleIssuerURIInvalid                      Rule = "issuer-uri-invalid"
	RuleIssuerURL                             Rule = "issuer-url"
	RuleIssuerUserinfo                        Rule = "issuer-userinfo"
	RuleJSONConfigInvalid                     Rule = "json-config-invalid"
	RuleKeycloakIssuer                        Rule = "keycloak-issuer"
	RuleLookalikeKey                          Rule = "lookalike-key"
	RuleManifestValuesIgnored                 Rule = "manifest-values-ignored"
	RuleMockIDPIgnored                        Rule = "mock-idp-ignored"
	RuleMockIDPInUse                          Rule = "mock-idp-in-use"
	RuleNoUpstreamIDPs                        Rule = "no-upstream-idps"
	RuleNotABool                              Rule = "not-a-bool"
	RuleNotCarried                            Rule = "not-carried"
	RuleOktaIssuer                            Rule = "okta-issuer"
	RulePachctlVersionKey                     Rule = "pachctl-version-key"
	RulePachdEmpty                            Rule = "pachd-empty"
	RulePachdEntryType                        Rule = "pachd-entry-type"
	RulePachdNotAList                         Rule = "pachd-not-a-list"
	RulePachdYAML                             Rule = "pachd-yaml"
	RulePKCEChallenge                         Rule = "pkce-challenge"
	RulePlaceholderValue                      Rule = "placeholder-value"
	RulePromptTypeEmpty                       Rule = "prompt-type-empty"
	RuleProxyUnsupported                      Rule = "proxy-unsupported"
	RuleRedirectURIHost                       Rule = "redirect-uri-host"
	RuleRedirectURIHTTPS                      Rule = "redirect-uri-https"
	RuleRedirectURIPath                       Rule = "redirect-uri-path"
	RuleRedirectURIQuery                      Rule = "redirect-uri-query"
	RuleRedirectURIURL                        Rule = "redirect-uri-url"
	RuleRequired                              Rule = "required"
	RuleRequiresKey                           Rule = "requires-key"
	RuleRootCAFile                            Rule = "root-ca-file"
	RuleRootCAInvalid                         Rule = "root-ca-invalid"
	RuleSecretNameMismatch                    Rule = "secret-name-mismatch"
	RuleSecretUnused                          Rule = "secret-unused"
	RuleSurroundingSpace                      Rule = "surrounding-space"
	RuleTLSDisabled                           Rule = "tls-disabled"
	RuleTLSSecretMissing                      Rule = "tls-secret-missing"
	RuleUnknownConfigKey                      Rule = "unknown-config-key"
	RuleUnknownEntryKey                       Rule = "unknown-entry-key"
	RuleUnknownIgnoreRule                     Rule = "unknown-ignore-rule"
	RuleUnknownType                           Rule = "unknown-type"
	RuleUnknownValue                          Rule = "unknown-value"
	RuleValuesFrom                            Rule = "values-from"
	RuleValuesUnreadable                      Rule = "values-unreadable"
	RuleWrongType                             Rule = "wrong-type"
)

// Check names for Rule.Checks.
const (
	checkValidate       = "Validate"
	checkPachd          = "PachdUpstreamIDPs"
	checkValidateValues = "ValidateValues"
)

var ruleIndex = func() map[Rule]ruleInfo {
	m := make(map[Rule]ruleInfo, len(ruleList))
	for i := range ruleList {
		r := &ruleList[i]
		if len(r.severities) == 0 {
			seen := map[Severity]bool{}
			for _, f := range r.fates {
				if s := f.Severity(); !seen[s] {
					seen[s] = true
					r.severities = append(r.severities, s)
				}
			}
		}
		if _, dup := m[r.rule]; dup {
			panic("pachidp: rule " + string(r.rule) + " registered twice")
		}
		m[r.rule] = *r
	}
	return m
}()

func fates(f ...Fate) []Fate        { return f }
func sevs(s ...Severity) []Severity { return s }
func checks(c ...string) []string   { return c }

var (
	errorOnly   = sevs(SeverityError)
	warningOnly = sevs(SeverityWarning)
	both        = sevs(SeverityError, SeverityWarning)
)

// ruleList is the registry. The rule tables in the docs of Validate and
// ValidateValues, and docs/rules.md, are generated from it.
var ruleList = []ruleInfo{
	// Validate: the entries.
	{rule: RuleInvalidOption, fates: fates(FateInvalid), checks: checks(checkValidate),
		title:  "ProxyHost or DexIssuer option is not usable",
		detail: "The host or issuer given to compare redirect URIs with is not a host[:port] or an https URL, so redirect URIs were not compared. Pass Pachyderm's host, such as pachyderm.example.com, or the issuer of its Dex, such as https://pachyderm.example.com/dex."},
	{rule: RuleIssuerURIInvalid, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "oidc.issuerURI is not an https issuer URL",
		detail: "oidc.issuerURI is the issuer of Pachyderm's Dex, and every redirectURI must be its callback (issuer + \"/callback\"). It must be an absolute https URL such as https://pachyderm.example.com/dex."},
	{rule: RuleRequired, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "a key the entry or its connector needs is missing",
		detail: "pachd refuses an entry without id, name or type, and Dex's oidc connector one without issuer: pachd fails to start. Without clientID, clientSecret or redirectURI the provider refuses every login. Other connector types need their own keys (ldap host, userSearch.baseDN and userSearch.username; saml ssoURL, usernameAttr, emailAttr, redirectURI and ca or caData, the certificate that signs the provider's responses; a redirectURI for every type whose LoginURL compares it with Dex's callback): their Open refuses to start without them, or every login fails. Add the key. Found by running each Dex's Open (dexconfig/)."},
	{rule: RuleWrongType, fates: fates(FatePachdCrash, FateLoginFails, FateRenderFails), severities: errorOnly, checks: checks(checkValidate, checkValidateValues),
		title:  "a value of the wrong type",
		detail: "pachd and Dex decode their keys into typed fields: a number where a string is read (id: 12, clientID: 12345), a string where a boolean is read (basicAuthUnsupported: \"false\"), fails the decode: pachd fails to start (on 2.0-2.2 the config Job drops the connector). YAML reads unquoted digits, yes/no and true/false as numbers and booleans; configVersion is pachd's own (delete it); config is a mapping and jsonConfig a string of JSON. In the chart's keys, a host that is a number, an oidc that is not a mapping or an oidc.upstreamIDPs that is not a list breaks the chart (its values.schema.json refuses them); an item of the list that is not a mapping makes pachd refuse the whole list. Quote strings, write booleans without quotes."},
	{rule: RuleValuesUnreadable, fates: fates(FateRenderFails), checks: checks(checkValidateValues),
		title:  "YAML that Helm's reader refuses",
		detail: "Helm reads values with sigs.k8s.io/yaml, which converts them to JSON: a key that YAML reads as null (~, null) or as a whole number above 2^63-1, a value .inf or .nan (JSON has no such numbers), or a tag the value does not fit (!!int abc) makes helm install fail before any template runs, and nothing is checked further. Quote the key or value, or remove the tag."},
	{rule: RuleDuplicateID, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "two entries share an id",
		detail: "Dex stores connectors by id and pachd refuses a list with a repeated id: pachd fails to start. Give each entry its own id."},
	{rule: RuleUnknownType, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "type is not a connector type of the target's Dex",
		detail: "Dex knows its connector types by exact, lower-case name (\"oidc\", not \"OIDC\"); an unknown type cannot be created and pachd fails to start (on 2.0-2.2 the config Job drops the connector). The message says when other Dex versions have the type. Use one of the types the target's Dex has (pachidp schema lists them)."},
	{rule: RulePachctlVersionKey, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "version is a key of pachctl's connector file",
		detail: "version belongs to the file of pachctl idp create-connector --config, not to Helm values: pachd's strict decoder rejects it and pachd fails to start. Delete it; pachd manages configVersion itself."},
	{rule: RuleUnknownEntryKey, fates: fates(FatePachdCrash, FateIgnored), checks: checks(checkValidate),
		title:  "a key pachd's strict decoder rejects",
		detail: "An entry has the keys id, name, type, config, jsonConfig and configVersion only; pachd decodes it strictly and fails to start on any other (config_version and json_config included). Move the key under config, or delete it."},
	{rule: RuleConfigUnsupported, fates: fates(FatePachdCrash, FateIgnored), checks: checks(checkValidate),
		title:  "a config mapping on Pachyderm 2.0-2.2",
		detail: "The pachd of Pachyderm 2.0-2.2 reads only jsonConfig, a JSON string: on 2.0.0-2.0.2 its strict decoder refuses a config mapping and pachd fails to start, on 2.0.3-2.2 the config Job ignores it. Write the config as jsonConfig, or target a later release."},
	{rule: RuleConfigMissing, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "no config and no jsonConfig",
		detail: "pachd refuses an entry with neither config nor jsonConfig (or jsonConfig \"null\"): \"no configs are defined\". Add the connector's config."},
	{rule: RuleJSONConfigInvalid, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "jsonConfig is not a JSON object",
		detail: "jsonConfig is decoded as a JSON object into the connector's settings; invalid JSON or anything but an object fails the decode and pachd fails to start (on 2.0-2.2 the config Job drops the connector). Write it as a JSON object, such as {\"issuer\": \"...\"}, or use a config mapping."},
	{rule: RuleConfigVersionManaged, fates: fates(FateIgnored), checks: checks(checkValidate),
		title:  "configVersion is set, and pachd overwrites it",
		detail: "pachd manages configVersion itself: on every start it overwrites the value written with its stored version plus one. Delete it."},
	{rule: RuleConfigAndJSONConfig, fates: fates(FateIgnored), checks: checks(checkValidate),
		title:  "both config and jsonConfig: config wins",
		detail: "When both are set pachd uses config and drops jsonConfig. Keep one of them."},
	{rule: RuleConfigFieldMismatch, fates: fates(FateInvalid), checks: checks(checkValidate),
		title:  "(Go API) the config field does not match the type",
		detail: "An entry of type oidc keeps its config in UpstreamIDP.OIDC, any other type in UpstreamIDP.Config; the other field is dropped when the entry is written. Set the right field, or build the entry with UpstreamIDPFromMap."},
	{rule: RuleUnknownConfigKey, fates: fates(FateIgnored), checks: checks(checkValidate),
		title:  "a config key no Dex knows",
		detail: "Dex ignores config keys it does not know, so the setting has no effect; a misspelt key (clientSecert) leaves the real one unset. Fix the name (the message suggests the closest key) or delete it."},
	{rule: RuleIgnoredByTarget, fates: fates(FateIgnored), checks: checks(checkValidate),
		title:  "a config key the target's Dex does not read",
		detail: "Other Dex versions read this key, the target's does not, so it has no effect there; the message says what that means and, when it fits, which Dex versions read it (pachidp schema --chart-version VERSION lists a release's keys). Delete it, or target a release whose Dex reads it (--chart-version)."},
	{rule: RuleAccessRestrictionIgnored, fates: fates(FateAccessWider), checks: checks(checkValidate),
		title:  "an access restriction the target's Dex ignores",
		detail: "A key whose purpose is to narrow who may log in (oidc hostedDomains and allowedGroups, google hostedDomains and groups, github org and orgs, gitea orgs, gitlab, microsoft, openshift and atlassian-crowd groups, bitbucket-cloud teams, saml allowedGroups) where the target's Dex does not read it: the restriction is dropped and more users can log in than the values say, so it is an error. Restrict users at the provider, or target a Dex that reads the key; to accept it, write \"# pachidp:ignore access-restriction-ignored REASON\" at the end of the key's line."},
	{rule: RuleSurroundingSpace, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "white space around a value",
		detail: "Dex compares the issuer byte for byte with the provider's discovery document (pachd fails to start), and the provider compares clientID, clientSecret and redirectURI byte for byte (every login fails); Dex and pachd use the value as written. Remove the spaces or line breaks (a | block keeps the final newline: use |-)."},
	{rule: RulePlaceholderValue, fates: fates(FateRisk), checks: checks(checkValidate),
		title:  "clientID or clientSecret is a placeholder",
		detail: "Neither Helm nor pachd expands $VARIABLES or <placeholders> in values: the provider gets the text as written and refuses every login. Put the real value, or keep the list in a Secret (oidc.upstreamIDPsSecretName) (pachidp add --client-secret-env VAR, or a Secret with pachidp secret)."},
	{rule: RuleIssuerURL, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer is not an absolute URL with a host",
		detail: "Dex's oidc connector fetches issuer + \"/.well-known/openid-configuration\" when it opens: without a scheme and host it fails. Write the provider's issuer exactly, such as https://acme.us.auth0.com/."},
	{rule: RuleIssuerHTTPS, fates: fates(FateRisk, FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer over plain http",
		detail: "Tokens and the discovery document travel unencrypted and can be forged on the way. Use the provider's https issuer (InsecureAllowHTTPLoopback accepts http on localhost for test clusters)."},
	{rule: RuleIssuerUserinfo, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer carries user:password@",
		detail: "No provider's issuer has user information, and the discovery document's issuer never equals one that does, so Open fails. Remove it."},
	{rule: RuleIssuerQuery, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer has a query or fragment",
		detail: "Dex appends /.well-known/openid-configuration to the issuer and compares it with the discovery document byte for byte: a query or fragment breaks both. Remove it."},
	{rule: RuleIssuerDiscoveryURL, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer ends with /.well-known/openid-configuration",
		detail: "The issuer is the URL before /.well-known/openid-configuration: Dex appends that path itself. Remove it from the issuer."},
	{rule: RuleIssuerCase, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "issuer's scheme or host in upper case",
		detail: "Dex compares the issuer byte for byte with the discovery document's, which is lower case: Open fails. Write the scheme and host in lower case."},
	{rule: RuleIssuerTrailingSlash, fates: fates(FateRisk), checks: checks(checkValidate),
		title:  "issuer ends with \"/\"",
		detail: "Dex compares the issuer byte for byte with the provider's discovery document; most providers (not Auth0) have no trailing slash, and then Open fails. Check the issuer in https://<issuer>/.well-known/openid-configuration and copy it exactly."},
	{rule: RuleAuth0IssuerSlash, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "Auth0 issuer is not https://<tenant>/",
		detail: "Auth0's discovery document gives the issuer as the tenant URL with a trailing slash and no path; Dex compares byte for byte, so any other form fails Open. Use https://<tenant domain>/."},
	{rule: RuleOktaIssuer, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "Okta issuer is not an org or /oauth2/<id> URL",
		detail: "Okta's issuers are the org URL or an authorization server's, https://<org>.okta.com/oauth2/<id>, without a trailing slash. Copy it from the discovery document."},
	{rule: RuleKeycloakIssuer, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "Keycloak issuer is not .../realms/<realm>",
		detail: "A Keycloak issuer is https://<host>/realms/<realm> (or .../auth/realms/<realm> before Keycloak 17), with nothing after the realm and no trailing slash."},
	{rule: RuleEntraIssuer, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "Entra ID issuer does not name the tenant GUID",
		detail: "Entra ID's v2.0 discovery document names the tenant by its GUID; common, organizations, consumers or a domain give an issuer Dex never matches. Use https://login.microsoftonline.com/<tenant id>/v2.0."},
	{rule: RuleGoogleIssuer, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "Google issuer is not https://accounts.google.com",
		detail: "Google's issuer is https://accounts.google.com, with no path and no trailing slash."},
	{rule: RuleRedirectURIURL, fates: fates(FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "redirectURI is not an absolute URL with a host",
		detail: "The provider sends the browser back to redirectURI, which must be Dex's callback, https://<Pachyderm's host>/dex/callback. Write that URL."},
	{rule: RuleRedirectURIHTTPS, fates: fates(FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "redirectURI's scheme is not the callback's",
		detail: "Dex compares its callback URL with the redirect URI byte for byte: http against https fails every login. Use the callback URL (https when TLS is on)."},
	{rule: RuleRedirectURIQuery, fates: fates(FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "redirectURI has user info, a query or fragment",
		detail: "Dex's callback URL has none of these, and it is compared byte for byte. Remove them."},
	{rule: RuleRedirectURIHost, fates: fates(FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "redirectURI's host is not the callback's",
		detail: "Dex's callback is built from the host users reach Pachyderm at (proxy.host, ingress.host or oidc.issuerURI) and compared byte for byte, case and :443 included. Use the same host, and register the same URL with the provider."},
	{rule: RuleRedirectURIPath, fates: fates(FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "redirectURI's path is not the callback's",
		detail: "Dex's callback path is <issuer path>/callback, /dex/callback under Pachyderm, without a trailing slash. Use that path."},
	{rule: RulePKCEChallenge, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "pkceChallenge is not \"\", \"plain\" or \"S256\"",
		detail: "Dex knows the PKCE methods \"S256\" and \"plain\" (case-sensitive), or empty to pick what the provider supports; with any other value the connector's Open or the login URL fails. Use S256, or leave it out."},
	{rule: RuleRootCAInvalid, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "a CA certificate the target's Dex cannot read",
		detail: "Upstream Dex reads rootCAs items as file paths, PEM or base64 PEM (on one line); Pachyderm's Dex forks read file paths only (pkg/httpclient/httpclient.go), so a PEM or base64 item, or an empty one, fails Open and pachd fails to start. Give a form the target reads: on Pachyderm, /dexcreds/<key>, the certificate as a key of the Secret oidc.dexCredentialSecretName, which the chart mounts at /dexcreds. The saml connector's caData and the ldap and gitlab connectors' rootCAData are the base64 of a PEM file, BEGIN/END lines included: the base64 of the DER (a PEM body without its lines) fails Open too."},
	{rule: RuleRootCAFile, fates: fates(FatePachdCrash, FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "a rootCAs file path must exist in pachd's pod",
		detail: "Dex reads the file in pachd's container when it opens the connector. The chart mounts one place of the user's choosing there, the Secret oidc.dexCredentialSecretName at /dexcreds (no release has a generic volumes key), so a path elsewhere does not exist: Open fails and pachd fails to start. Put the certificate in that Secret and write /dexcreds/<key>, or give the PEM where the target reads it."},
	{rule: RuleFilePath, fates: fates(FatePachdCrash, FateLoginFails, FateRisk), checks: checks(checkValidate),
		title:  "a file path that must exist in pachd's pod",
		detail: "ldap rootCA, saml ca, google serviceAccountFilePath and similar keys name files Dex reads in pachd's pod. The chart mounts one place of the user's choosing there, the Secret oidc.dexCredentialSecretName at /dexcreds, so a path elsewhere does not exist: Open fails and pachd fails to start. Put the file in that Secret and write /dexcreds/<key>."},
	{rule: RuleExclusiveKeys, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "keys the connector's Open refuses together",
		detail: "Some connectors refuse two keys at once (github org and orgs, saml ca and caData): Open fails and pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). Keep one of them. Found by running each Dex's Open (dexconfig/)."},
	{rule: RuleRequiresKey, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "a key Open refuses without another",
		detail: "Some connector settings only work with another: github's rootCA is the CA of a GitHub Enterprise host, and Open refuses it without hostName. The connector's Open fails, so pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). The message names the key to add; or delete the first one. These rules are found by running each Dex's Open (dexconfig/)."},
	{rule: RuleUnknownValue, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "a value the connector's Open does not know",
		detail: "A key with a fixed set of values (ldap userSearch.scope, microsoft groupNameFormat, github teamNameField, saml nameIDPolicyFormat) holds another one, and Open fails: pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). Dex compares them case-sensitively: \"SUB\" is not \"sub\". Use one of the values the message lists (pachidp schema lists them all). Found by running each Dex's Open (dexconfig/)."},
	{rule: RuleInsecureSkipEmailVerified, fates: fates(FateRisk), checks: checks(checkValidate),
		title:  "insecureSkipEmailVerified: true",
		detail: "When the ID token has no email_verified claim, Dex counts the email as verified instead of refusing the login (connector/oidc/oidc.go): anyone who can log in to the provider with an email that is not verified gets in unless the provider restricts users. Set it to false when the provider sends email_verified (Auth0, Okta, Google, Keycloak; pachidp add does). Microsoft Entra ID's v2.0 tokens have no email_verified, so false refuses every login: keep true, restrict sign-in at the provider (assignment required), and acknowledge it with a comment \"# pachidp:ignore insecure-skip-email-verified REASON\" at the end of the key's line or above the entry's first line, or with --ignore insecure-skip-email-verified."},
	{rule: RuleInsecureSkipVerify, fates: fates(FateRisk), checks: checks(checkValidate),
		title:  "insecureSkipVerify: true: TLS verification off",
		detail: "Dex accepts any certificate from the provider, so anyone on the path can impersonate it. Give the provider's CA in rootCAs instead."},
	{rule: RuleInsecureSkipIssuerCallbackDomainCheck, fates: fates(FateRisk), checks: checks(checkValidate),
		title:  "insecureSkipIssuerCallbackDomainCheck: true",
		detail: "Dex no longer checks that the callback is on the issuer's domain, which hides redirect URI mistakes from Dex. Make the redirect URI the callback and set it to false."},
	{rule: RuleHostedDomainsRefused, fates: fates(FatePachdCrash, FateLoginFails), checks: checks(checkValidate),
		title:  "hostedDomains under upstream Dex",
		detail: "Upstream Dex's oidc connector refuses hostedDomains (deprecated, then removed) when it opens. Use the google connector (type: google), which reads hostedDomains, or restrict users at the provider."},
	{rule: RulePromptTypeEmpty, fates: fates(FateIgnored), checks: checks(checkValidate),
		title:  "promptType: \"\" under Pachyderm's Dex",
		detail: "Pachyderm's Dex takes an empty promptType as unset and prompts for consent (\"consent\"), where upstream Dex sends no prompt. Leave it out to state that default, or set the prompt you want, such as \"login\" or \"select_account\"."},

	// ValidateValues: the chart's keys.
	{rule: RuleIssuerURIDexSuffix, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "oidc.issuerURI does not end in /dex",
		detail: "With proxy.enabled the chart (2.3 and later) refuses to render an oidc.issuerURI that does not end in /dex. Write https://<host>/dex."},
	{rule: RuleIngressHostMissing, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "ingress.enabled without ingress.host",
		detail: "The chart refuses to render an enabled ingress without a host. Set ingress.host, or disable the ingress."},
	{rule: RuleNoUpstreamIDPs, severities: both, checks: checks(checkValidateValues),
		title:  "no upstream IdP and no mock IdP",
		detail: "oidc.upstreamIDPs is empty, oidc.upstreamIDPsSecretName is empty and oidc.mockIDP is false: charts 2.0-2.2 refuse to render (\"either oidc.upstreamIDPs or oidc.mockIDP must be set in non-LOCAL deployments\"), later charts render and nobody logs in through Dex. Add an entry (pachidp add) or name the Secret holding them."},
	{rule: RuleHostScheme, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "proxy.host or ingress.host starts with a scheme",
		detail: "The chart puts the host after a scheme of its own, so Dex's issuer becomes https://https://... Write the host alone; the scheme follows proxy.tls.enabled, ingress.tls.enabled and ingress.uriHttpsProtoOverride."},
	{rule: RuleTLSDisabled, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "TLS is off, so Dex's issuer is http://",
		detail: "With upstream IdPs in use and Dex's issuer inferred from a host, the chart renders an http issuer whose callback never equals an https redirectURI. Set proxy.tls.enabled: true and proxy.tls.secretName, or enable TLS on the ingress (or ingress.uriHttpsProtoOverride when TLS ends at a load balancer)."},
	{rule: RuleHostMissing, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "no host to build Dex's issuer from",
		detail: "Without proxy.host, ingress.host or oidc.issuerURI the chart renders the in-cluster issuer http://pachd:30658/..., which no browser reaches and no redirectURI can match. Set proxy.host (with proxy.enabled and TLS), or oidc.issuerURI."},
	{rule: RuleHostMismatch, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "proxy.host differs from ingress.host",
		detail: "The chart builds Dex's issuer from ingress.host, so redirect URIs must name it. Make the two hosts equal."},
	{rule: RuleProxyUnsupported, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "proxy.* set for a chart without a proxy",
		detail: "Charts 2.0-2.2 have no proxy, so proxy.* is ignored: Dex's issuer comes from oidc.issuerURI or ingress.host."},
	{rule: RuleTLSSecretMissing, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "proxy.tls.enabled without a certificate",
		detail: "The proxy has no certificate to serve. Set proxy.tls.secretName to a Secret of type kubernetes.io/tls (kubectl create secret tls NAME --cert=tls.crt --key=tls.key, or cert-manager)."},
	{rule: RuleEnterpriseLicenseMissing, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "this chart needs an enterprise license for IdPs",
		detail: "Charts up to 2.12.0-rc.1 pass the upstream IdPs to pachd only with an enterprise license: without one they are silently ignored. Set pachd.enterpriseLicenseKeySecretName (or pachd.enterpriseLicenseKey), or use chart 2.12.0-rc.2 or later."},
	{rule: RuleMockIDPInUse, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "the chart configures its mock IdP",
		detail: "With no entries and no Secret name the chart configures its mock IdP (oidc.mockIDP, on by default) and no real provider. Add an entry (pachidp add)."},
	{rule: RuleMockIDPIgnored, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "oidc.mockIDP: true has no effect",
		detail: "Upstream IdPs win over the mock IdP. Set oidc.mockIDP to false to say what the chart does."},
	{rule: RuleLookalikeKey, severities: errorOnly, checks: checks(checkValidateValues),
		title:  "a chart key spelled with look-alike characters",
		detail: "A key such as oidc or upstreamIDPs is written with a character that looks like the right one but is not (a Cyrillic or Greek letter, a full-width letter) or with an invisible one (a zero-width space, a soft hyphen). Helm and the chart read it as a key they do not know: the real key keeps its default and what is under the look-alike is ignored, and an edit would add the real key beside it. Delete the key and type it again; the message names the character and its place."},
	{rule: RuleInlineListIgnored, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "entries ignored: upstreamIDPsSecretName is set",
		detail: "When oidc.upstreamIDPsSecretName is set the chart reads the Secret and ignores oidc.upstreamIDPs. Move the entries into the Secret (pachidp secret) or clear the name."},
	{rule: RuleNotABool, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "a flag written as a string",
		detail: "Helm's templates take every non-empty string as true, \"false\" included. Write true or false without quotes."},

	// PachdUpstreamIDPs: what pachd receives.
	{rule: RuleSecretNameMismatch, severities: warningOnly, checks: checks(checkPachd),
		title:  "the manifest is not of the Secret named",
		detail: "oidc.upstreamIDPsSecretName names another Secret than the manifest given. Check that the manifest is the one the cluster will hold."},
	{rule: RuleSecretUnused, severities: warningOnly, checks: checks(checkPachd),
		title:  "a Secret manifest given, but the values name none",
		detail: "Without oidc.upstreamIDPsSecretName the chart renders oidc.upstreamIDPs and never reads the Secret. Set the name (pachidp secret) or leave the Secret out."},
	{rule: RulePachdYAML, severities: errorOnly, checks: checks(checkPachd),
		title:  "pachd cannot decode the upstream IdP text",
		detail: "pachd decodes the text of upstream-idps strictly as YAML; a text it cannot read makes it fail to start. Fix the text (pachidp render shows it)."},
	{rule: RulePachdEmpty, severities: warningOnly, checks: checks(checkPachd),
		title:  "the upstream IdP text is empty",
		detail: "pachd gets no IdP, so nobody logs in through Dex. Add entries."},
	{rule: RulePachdNotAList, severities: errorOnly, checks: checks(checkPachd),
		title:  "the upstream IdP text is not a list",
		detail: "pachd decodes the text as a list of entries and fails to start on anything else."},
	{rule: RulePachdEntryType, severities: errorOnly, checks: checks(checkPachd),
		title:  "an item of the upstream IdP list is not a mapping",
		detail: "Each item must be an entry, a mapping with id, name, type and config."},

	// ValidateValues and the command.
	{rule: RuleEntriesNotChecked, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "the entries are in a Secret that was not given",
		detail: "oidc.upstreamIDPsSecretName names a Secret; its entries were not checked. Pass its manifest (pachidp validate --secret FILE; kubectl get secret NAME -o yaml > FILE)."},
	{rule: RuleChartRefuses, severities: errorOnly, checks: checks("render"),
		title:  "the chart refuses to render the values",
		detail: "helm install fails with the chart's message. Change the key named, as the message says."},
	{rule: RuleNotCarried, severities: warningOnly, checks: checks("dex", "pachctl", "import"),
		title:  "a key the other format cannot hold is left out",
		detail: "Converting between Helm values, a Dex config's connectors and a pachctl connector file loses what the target cannot hold: keys only Pachyderm's Dex fork reads (upstream Dex ignores them), configVersion (pachd manages it in Helm values), a legacy jsonConfig next to config, unknown keys. Each is left out and named with its place (Loss, from EncodeDexConnectors, DecodeDexConnectors, EncodePachctlConnector, DecodePachctlConnector); check that the converted entry does not need it."},
	{rule: RuleDuplicateKey, fates: fates(FateIgnored), checks: checks(checkValidateValues, checkPachd),
		title:  "a key written twice in one mapping",
		detail: "Helm reads values with sigs.k8s.io/yaml, which keeps the value of a key's last occurrence and drops the others without a word (pachd reads its upstream-idps text the same way), so the value written first is not the one the cluster gets. pachidp reads the file the same way and points at the occurrence that counts. Delete the others."},
	{rule: RuleManifestValuesIgnored, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "values the manifest's tool never passes to Helm",
		detail: "Argo CD passes spec.source.helm.valuesObject when it is set and then ignores the values string (argo-cd ApplicationSourceHelm.ValuesYAML); Kustomize's valuesMerge: merge lets valuesFile win over valuesInline. Keep the values in the one place the tool reads."},
	{rule: RuleValuesFrom, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "values from elsewhere can change the entries",
		detail: "Flux merges each spec.valuesFrom reference (ConfigMap, Secret) under spec.values, and Kustomize passes additionalValuesFiles after valuesInline: what they set was not read by pachidp. Set oidc.upstreamIDPs and oidc.upstreamIDPsSecretName where pachidp reads them, or validate the other values as layers."},
	{rule: RuleUnknownIgnoreRule, severities: warningOnly, checks: checks(checkValidateValues),
		title:  "a pachidp:ignore comment names no rule",
		detail: "A comment # pachidp:ignore RULE reason silences RULE on its line, or on the whole entry when on the entry's line; this one names a rule pachidp does not have, so it silences nothing. Fix the id (pachidp explain lists them)."},
}

// Fate is what a cluster does because of a finding. It decides the
// severity: render-fails, pachd-crash, login-fails, invalid and
// access-wider are errors (access-wider by policy: the cluster runs, and
// lets in more users than meant), ignored and risk warnings.
//
// Each fate is proven against the real code by the conformance suite
// (conformance/): a finding whose fate is FatePachdCrash must match a case
// where the real pachd decoder or the real Dex fork refuses the entry, and a
// case where the real code accepts an entry must have no error.
type Fate string

const (
	// FateRenderFails: Helm refuses to render the chart.
	FateRenderFails Fate = "render-fails"
	// FatePachdCrash: pachd fails to start (CrashLoopBackOff): its strict
	// decoder rejects the entry, or Dex cannot decode or open the connector.
	FatePachdCrash Fate = "pachd-crash"
	// FateLoginFails: pachd starts, but every login through the entry fails
	// (or no upstream IdP reaches pachd at all).
	FateLoginFails Fate = "login-fails"
	// FateInvalid: the input is not a usable value for pachidp itself (a Go
	// value built inconsistently, an option that is not a host).
	FateInvalid Fate = "invalid"
	// FateAccessWider: it works, but an access restriction (hostedDomains,
	// allowedGroups, orgs, ...) is dropped, so more users can log in than
	// the values say. An error by default; a `# pachidp:ignore
	// access-restriction-ignored REASON` comment accepts it.
	FateAccessWider Fate = "access-wider"

	// FateIgnored: it works, but a setting is silently dropped (an access
	// restriction dropped is FateAccessWider).
	FateIgnored Fate = "ignored"
	// FateRisk: it works, with a security risk (TLS or email verification
	// off, plain http, credentials that are placeholders) or with something
	// pachidp cannot see (a file that must exist in pachd's pod).
	FateRisk Fate = "risk"
)

// Severity returns SeverityError for the fates that break the cluster
// (render, start or every login), that let in more users than the values
// say, or that make the input unusable, and SeverityWarning for the
// others.
func (f Fate) Severity() Severity {
	switch f {
	case FateRenderFails, FatePachdCrash, FateLoginFails, FateInvalid, FateAccessWider:
		return SeverityError
	}
	return SeverityWarning
}

// fateWords says in a message what happens, for each fate.
var fateWords = map[Fate]string{
	FateRenderFails: "helm refuses to render",
	FatePachdCrash:  "pachd fails to start",
	FateLoginFails:  "logins fail",
	FateAccessWider: "more users can log in than meant",
}

// What a refused entry costs depends on who refuses it, and that differs by
// target (versions.go, decoderKind).

// refusedFate is the fate of an entry the reader of the list refuses: a
// value of the wrong type for pachd's decoder.
func (c *entryCheck) refusedFate() Fate {
	if c.opts.Target.rl().pachd.kind == decoderConfigPod {
		// The config Job cannot decode the list and creates no connector.
		return FateLoginFails
	}
	return FatePachdCrash
}

// dexFate is the fate of a connector Dex refuses to create: an unknown type,
// a config it cannot decode, a missing id.
func (c *entryCheck) dexFate() Fate {
	if c.opts.Target.rl().pachd.kind == decoderConfigPod {
		return FateLoginFails // the Job drops the connector
	}
	return FatePachdCrash
}

// openFate is the fate of a connector whose Open fails.
func (c *entryCheck) openFate() Fate {
	switch c.opts.Target.rl().pachd.kind {
	case decoderConfigPod:
		return FateLoginFails
	case decoderDexFile:
		// Dex skips it (continue_on_connector_failure) unless all fail:
		// Validate raises the fate when every entry fails to open.
		return FateLoginFails
	}
	return FatePachdCrash
}

// words says what a fate does, for messages.
func (c *entryCheck) words(f Fate) string {
	if f == FateLoginFails {
		switch c.opts.Target.rl().pachd.kind {
		case decoderConfigPod:
			return "the 2.0-2.2 config Job drops the connector"
		case decoderDexFile:
			return "Dex skips the connector and every login through it fails"
		}
	}
	return fateWords[f]
}
