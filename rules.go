package pachidp

import (
	"sort"

	"github.com/pachidp/pachidp/internal/suggest"
)

// Rule is one check pachidp runs: the stable id its findings carry
// (Finding.Rule), what the cluster does when it fires (its fates, which
// decide the severity), a one-line title and the long explanation with the
// fix, which `pachidp explain RULE` prints and ValidateValues puts in each
// finding's Detail.
type Rule struct {
	ID string `json:"id"`
	// Fates are the fates its findings can carry (the first is the usual
	// one); empty for the rules of CheckPrerequisites and of the command,
	// whose findings carry a severity only.
	Fates []Fate `json:"fates,omitempty"`
	// Severities are the severities its findings can carry.
	Severities []Severity `json:"severities"`
	// Checks names the calls that emit it: "Validate",
	// "CheckPrerequisites", "PachdUpstreamIDPs", "ValidateValues".
	Checks []string `json:"checks"`
	Title  string   `json:"title"`  // one line, lower case, no period
	Detail string   `json:"detail"` // why it matters and how to fix it
}

// Rules returns every rule, sorted by id. The slice is a copy.
func Rules() []Rule {
	out := make([]Rule, len(ruleList))
	copy(out, ruleList)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupRule returns the rule with the id given.
func LookupRule(id string) (Rule, bool) {
	r, ok := ruleIndex[id]
	return r, ok
}

// suggestRule returns the id of a rule close to id (a typo, another case),
// or "".
func suggestRule(id string) string {
	ids := make([]string, len(ruleList))
	for i, r := range ruleList {
		ids[i] = r.ID
	}
	return suggest.ID(id, ids)
}

// Check names for Rule.Checks.
const (
	checkValidate       = "Validate"
	checkPrerequisites  = "CheckPrerequisites"
	checkPachd          = "PachdUpstreamIDPs"
	checkValidateValues = "ValidateValues"
)

var ruleIndex = func() map[string]Rule {
	m := make(map[string]Rule, len(ruleList))
	for i := range ruleList {
		r := &ruleList[i]
		if len(r.Severities) == 0 {
			seen := map[Severity]bool{}
			for _, f := range r.Fates {
				if s := f.Severity(); !seen[s] {
					seen[s] = true
					r.Severities = append(r.Severities, s)
				}
			}
		}
		if _, dup := m[r.ID]; dup {
			panic("pachidp: rule " + r.ID + " registered twice")
		}
		m[r.ID] = *r
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

// ruleList is the registry. Validate's and CheckPrerequisites' doc tables
// list the same ids (a test holds them together).
var ruleList = []Rule{
	// Validate: the entries.
	{ID: "invalid-option", Fates: fates(FateInvalid), Checks: checks(checkValidate),
		Title:  "ProxyHost or DexIssuer option is not usable",
		Detail: "The host or issuer given to compare redirect URIs with is not a host[:port] or an https URL, so redirect URIs were not compared. Pass Pachyderm's host, such as pachyderm.example.com, or the issuer of its Dex, such as https://pachyderm.example.com/dex."},
	{ID: "issuer-uri-invalid", Severities: errorOnly, Checks: checks(checkValidateValues),
		Title:  "oidc.issuerURI is not an https issuer URL",
		Detail: "oidc.issuerURI is the issuer of Pachyderm's Dex, and every redirectURI must be its callback (issuer + \"/callback\"). It must be an absolute https URL such as https://pachyderm.example.com/dex."},
	{ID: "required", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "a key the entry or its connector needs is missing",
		Detail: "pachd refuses an entry without id, name or type, and Dex's oidc connector one without issuer: pachd fails to start. Without clientID, clientSecret or redirectURI the provider refuses every login. Other connector types need their own keys (ldap host, userSearch.baseDN and userSearch.username; saml ssoURL, usernameAttr, emailAttr, redirectURI and ca or caData, the certificate that signs the provider's responses; a redirectURI for every type whose LoginURL compares it with Dex's callback): their Open refuses to start without them, or every login fails. Add the key. Found by running each Dex's Open (dexconfig/)."},
	{ID: "wrong-type", Fates: fates(FatePachdCrash, FateLoginFails, FateRenderFails), Severities: errorOnly, Checks: checks(checkValidate, checkPrerequisites),
		Title:  "a value of the wrong type",
		Detail: "pachd and Dex decode their keys into typed fields: a number where a string is read (id: 12, clientID: 12345), a string where a boolean is read (basicAuthUnsupported: \"false\"), fails the decode: pachd fails to start (on 2.0-2.2 the config Job drops the connector). YAML reads unquoted digits, yes/no and true/false as numbers and booleans; configVersion is pachd's own (delete it); config is a mapping and jsonConfig a string of JSON. In the chart's keys, a host that is a number, an oidc that is not a mapping or an oidc.upstreamIDPs that is not a list breaks the chart (its values.schema.json refuses them); an item of the list that is not a mapping makes pachd refuse the whole list. Quote strings, write booleans without quotes."},
	{ID: "values-unreadable", Fates: fates(FateRenderFails), Checks: checks(checkValidateValues),
		Title:  "YAML that Helm's reader refuses",
		Detail: "Helm reads values with sigs.k8s.io/yaml, which converts them to JSON: a key that YAML reads as null (~, null) or as a whole number above 2^63-1, a value .inf or .nan (JSON has no such numbers), or a tag the value does not fit (!!int abc) makes helm install fail before any template runs, and nothing is checked further. Quote the key or value, or remove the tag."},
	{ID: "duplicate-id", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "two entries share an id",
		Detail: "Dex stores connectors by id and pachd refuses a list with a repeated id: pachd fails to start. Give each entry its own id."},
	{ID: "unknown-type", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "type is not a connector type of the target's Dex",
		Detail: "Dex knows its connector types by exact, lower-case name (\"oidc\", not \"OIDC\"); an unknown type cannot be created and pachd fails to start (on 2.0-2.2 the config Job drops the connector). The message says when other Dex versions have the type. Use one of the types the target's Dex has (pachidp schema lists them)."},
	{ID: "pachctl-version-key", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "version is a key of pachctl's connector file",
		Detail: "version belongs to the file of pachctl idp create-connector --config, not to Helm values: pachd's strict decoder rejects it and pachd fails to start. Delete it; pachd manages configVersion itself."},
	{ID: "unknown-entry-key", Fates: fates(FatePachdCrash, FateIgnored), Checks: checks(checkValidate),
		Title:  "a key pachd's strict decoder rejects",
		Detail: "An entry has the keys id, name, type, config, jsonConfig and configVersion only; pachd decodes it strictly and fails to start on any other (config_version and json_config included). Move the key under config, or delete it."},
	{ID: "config-unsupported", Fates: fates(FatePachdCrash, FateIgnored), Checks: checks(checkValidate),
		Title:  "a config mapping on Pachyderm 2.0-2.2",
		Detail: "The pachd of Pachyderm 2.0-2.2 reads only jsonConfig, a JSON string: on 2.0.0-2.0.2 its strict decoder refuses a config mapping and pachd fails to start, on 2.0.3-2.2 the config Job ignores it. Write the config as jsonConfig, or target a later release."},
	{ID: "config-missing", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "no config and no jsonConfig",
		Detail: "pachd refuses an entry with neither config nor jsonConfig (or jsonConfig \"null\"): \"no configs are defined\". Add the connector's config."},
	{ID: "json-config-invalid", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "jsonConfig is not a JSON object",
		Detail: "jsonConfig is decoded as a JSON object into the connector's settings; invalid JSON or anything but an object fails the decode and pachd fails to start (on 2.0-2.2 the config Job drops the connector). Write it as a JSON object, such as {\"issuer\": \"...\"}, or use a config mapping."},
	{ID: "config-version-managed", Fates: fates(FateIgnored), Checks: checks(checkValidate),
		Title:  "configVersion is set, and pachd overwrites it",
		Detail: "pachd manages configVersion itself: on every start it overwrites the value written with its stored version plus one. Delete it."},
	{ID: "config-and-json-config", Fates: fates(FateIgnored), Checks: checks(checkValidate),
		Title:  "both config and jsonConfig: config wins",
		Detail: "When both are set pachd uses config and drops jsonConfig. Keep one of them."},
	{ID: "config-field-mismatch", Fates: fates(FateInvalid), Checks: checks(checkValidate),
		Title:  "(Go API) the config field does not match the type",
		Detail: "An entry of type oidc keeps its config in UpstreamIDP.OIDC, any other type in UpstreamIDP.Config; the other field is dropped when the entry is written. Set the right field, or build the entry with UpstreamIDPFromMap."},
	{ID: "unknown-config-key", Fates: fates(FateIgnored), Checks: checks(checkValidate),
		Title:  "a config key no Dex knows",
		Detail: "Dex ignores config keys it does not know, so the setting has no effect; a misspelt key (clientSecert) leaves the real one unset. Fix the name (the message suggests the closest key) or delete it."},
	{ID: "ignored-by-target", Fates: fates(FateIgnored), Checks: checks(checkValidate),
		Title:  "a config key the target's Dex does not read",
		Detail: "Other Dex versions read this key, the target's does not, so it has no effect there; the message says what that means and, when it fits, which Dex versions read it (pachidp schema --target lists a release's keys). Delete it, or target a release whose Dex reads it (--chart-version)."},
	{ID: "access-restriction-ignored", Fates: fates(FateAccessWider), Checks: checks(checkValidate),
		Title:  "an access restriction the target's Dex ignores",
		Detail: "A key whose purpose is to narrow who may log in (oidc hostedDomains and allowedGroups, google hostedDomains and groups, github org and orgs, gitea orgs, gitlab, microsoft, openshift and atlassian-crowd groups, bitbucket-cloud teams, saml allowedGroups) where the target's Dex does not read it: the restriction is dropped and more users can log in than the values say, so it is an error. Restrict users at the provider, or target a Dex that reads the key; to accept it, write \"# pachidp:ignore access-restriction-ignored REASON\" at the end of the key's line."},
	{ID: "surrounding-space", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "white space around a value",
		Detail: "Dex compares the issuer byte for byte with the provider's discovery document (pachd fails to start), and the provider compares clientID, clientSecret and redirectURI byte for byte (every login fails); Dex and pachd use the value as written. Remove the spaces or line breaks (a | block keeps the final newline: use |-)."},
	{ID: "placeholder-value", Fates: fates(FateRisk), Checks: checks(checkValidate),
		Title:  "clientID or clientSecret is a placeholder",
		Detail: "Neither Helm nor pachd expands $VARIABLES or <placeholders> in values: the provider gets the text as written and refuses every login. Put the real value, or keep the list in a Secret (oidc.upstreamIDPsSecretName) (pachidp add --client-secret-env VAR, or a Secret with pachidp secret)."},
	{ID: "issuer-url", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer is not an absolute URL with a host",
		Detail: "Dex's oidc connector fetches issuer + \"/.well-known/openid-configuration\" when it opens: without a scheme and host it fails. Write the provider's issuer exactly, such as https://acme.us.auth0.com/."},
	{ID: "issuer-https", Fates: fates(FateRisk, FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer over plain http",
		Detail: "Tokens and the discovery document travel unencrypted and can be forged on the way. Use the provider's https issuer (InsecureAllowHTTPLoopback accepts http on localhost for test clusters)."},
	{ID: "issuer-userinfo", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer carries user:password@",
		Detail: "No provider's issuer has user information, and the discovery document's issuer never equals one that does, so Open fails. Remove it."},
	{ID: "issuer-query", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer has a query or fragment",
		Detail: "Dex appends /.well-known/openid-configuration to the issuer and compares it with the discovery document byte for byte: a query or fragment breaks both. Remove it."},
	{ID: "issuer-discovery-url", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer ends with /.well-known/openid-configuration",
		Detail: "The issuer is the URL before /.well-known/openid-configuration: Dex appends that path itself. Remove it from the issuer."},
	{ID: "issuer-case", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "issuer's scheme or host in upper case",
		Detail: "Dex compares the issuer byte for byte with the discovery document's, which is lower case: Open fails. Write the scheme and host in lower case."},
	{ID: "issuer-trailing-slash", Fates: fates(FateRisk), Checks: checks(checkValidate),
		Title:  "issuer ends with \"/\"",
		Detail: "Dex compares the issuer byte for byte with the provider's discovery document; most providers (not Auth0) have no trailing slash, and then Open fails. Check the issuer in https://<issuer>/.well-known/openid-configuration and copy it exactly."},
	{ID: "auth0-issuer-slash", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "Auth0 issuer is not https://<tenant>/",
		Detail: "Auth0's discovery document gives the issuer as the tenant URL with a trailing slash and no path; Dex compares byte for byte, so any other form fails Open. Use https://<tenant domain>/."},
	{ID: "okta-issuer", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "Okta issuer is not an org or /oauth2/<id> URL",
		Detail: "Okta's issuers are the org URL or an authorization server's, https://<org>.okta.com/oauth2/<id>, without a trailing slash. Copy it from the discovery document."},
	{ID: "keycloak-issuer", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "Keycloak issuer is not .../realms/<realm>",
		Detail: "A Keycloak issuer is https://<host>/realms/<realm> (or .../auth/realms/<realm> before Keycloak 17), with nothing after the realm and no trailing slash."},
	{ID: "entra-issuer", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "Entra ID issuer does not name the tenant GUID",
		Detail: "Entra ID's v2.0 discovery document names the tenant by its GUID; common, organizations, consumers or a domain give an issuer Dex never matches. Use https://login.microsoftonline.com/<tenant id>/v2.0."},
	{ID: "google-issuer", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "Google issuer is not https://accounts.google.com",
		Detail: "Google's issuer is https://accounts.google.com, with no path and no trailing slash."},
	{ID: "redirect-uri-url", Fates: fates(FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "redirectURI is not an absolute URL with a host",
		Detail: "The provider sends the browser back to redirectURI, which must be Dex's callback, https://<Pachyderm's host>/dex/callback. Write that URL."},
	{ID: "redirect-uri-https", Fates: fates(FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "redirectURI's scheme is not the callback's",
		Detail: "Dex compares its callback URL with the redirect URI byte for byte: http against https fails every login. Use the callback URL (https when TLS is on)."},
	{ID: "redirect-uri-query", Fates: fates(FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "redirectURI has user info, a query or fragment",
		Detail: "Dex's callback URL has none of these, and it is compared byte for byte. Remove them."},
	{ID: "redirect-uri-host", Fates: fates(FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "redirectURI's host is not the callback's",
		Detail: "Dex's callback is built from the host users reach Pachyderm at (proxy.host, ingress.host or oidc.issuerURI) and compared byte for byte, case and :443 included. Use the same host, and register the same URL with the provider."},
	{ID: "redirect-uri-path", Fates: fates(FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "redirectURI's path is not the callback's",
		Detail: "Dex's callback path is <issuer path>/callback, /dex/callback under Pachyderm, without a trailing slash. Use that path."},
	{ID: "pkce-challenge", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "pkceChallenge is not \"\", \"plain\" or \"S256\"",
		Detail: "Dex knows the PKCE methods \"S256\" and \"plain\" (case-sensitive), or empty to pick what the provider supports; with any other value the connector's Open or the login URL fails. Use S256, or leave it out."},
	{ID: "root-ca-invalid", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "a CA certificate the target's Dex cannot read",
		Detail: "Upstream Dex reads rootCAs items as file paths, PEM or base64 PEM (on one line); Pachyderm's Dex forks read file paths only (pkg/httpclient/httpclient.go), so a PEM or base64 item, or an empty one, fails Open and pachd fails to start. Give a form the target reads: on Pachyderm, /dexcreds/<key>, the certificate as a key of the Secret oidc.dexCredentialSecretName, which the chart mounts at /dexcreds. The saml connector's caData and the ldap and gitlab connectors' rootCAData are the base64 of a PEM file, BEGIN/END lines included: the base64 of the DER (a PEM body without its lines) fails Open too."},
	{ID: "root-ca-file", Fates: fates(FatePachdCrash, FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "a rootCAs file path must exist in pachd's pod",
		Detail: "Dex reads the file in pachd's container when it opens the connector. The chart mounts one place of the user's choosing there, the Secret oidc.dexCredentialSecretName at /dexcreds (no release has a generic volumes key), so a path elsewhere does not exist: Open fails and pachd fails to start. Put the certificate in that Secret and write /dexcreds/<key>, or give the PEM where the target reads it."},
	{ID: "file-path", Fates: fates(FatePachdCrash, FateLoginFails, FateRisk), Checks: checks(checkValidate),
		Title:  "a file path that must exist in pachd's pod",
		Detail: "ldap rootCA, saml ca, google serviceAccountFilePath and similar keys name files Dex reads in pachd's pod. The chart mounts one place of the user's choosing there, the Secret oidc.dexCredentialSecretName at /dexcreds, so a path elsewhere does not exist: Open fails and pachd fails to start. Put the file in that Secret and write /dexcreds/<key>."},
	{ID: "exclusive-keys", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "keys the connector's Open refuses together",
		Detail: "Some connectors refuse two keys at once (github org and orgs, saml ca and caData): Open fails and pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). Keep one of them. Found by running each Dex's Open (dexconfig/)."},
	{ID: "requires-key", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "a key Open refuses without another",
		Detail: "Some connector settings only work with another: github's rootCA is the CA of a GitHub Enterprise host, and Open refuses it without hostName. The connector's Open fails, so pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). The message names the key to add; or delete the first one. These rules are found by running each Dex's Open (dexconfig/)."},
	{ID: "unknown-value", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "a value the connector's Open does not know",
		Detail: "A key with a fixed set of values (ldap userSearch.scope, microsoft groupNameFormat, github teamNameField, saml nameIDPolicyFormat) holds another one, and Open fails: pachd fails to start (on 2.0-2.2 the config Job drops the connector; upstream Dex skips it). Dex compares them case-sensitively: \"SUB\" is not \"sub\". Use one of the values the message lists (pachidp schema lists them all). Found by running each Dex's Open (dexconfig/)."},
	{ID: "insecure-skip-email-verified", Fates: fates(FateRisk), Checks: checks(checkValidate),
		Title:  "insecureSkipEmailVerified: true",
		Detail: "When the ID token has no email_verified claim, Dex counts the email as verified instead of refusing the login (connector/oidc/oidc.go): anyone who can log in to the provider with an email that is not verified gets in unless the provider restricts users. Set it to false when the provider sends email_verified (Auth0, Okta, Google, Keycloak; pachidp add does). Microsoft Entra ID's v2.0 tokens have no email_verified, so false refuses every login: keep true, restrict sign-in at the provider (assignment required), and acknowledge it with a comment \"# pachidp:ignore insecure-skip-email-verified REASON\" at the end of the key's line or above the entry's first line, or with --ignore insecure-skip-email-verified."},
	{ID: "insecure-skip-verify", Fates: fates(FateRisk), Checks: checks(checkValidate),
		Title:  "insecureSkipVerify: true: TLS verification off",
		Detail: "Dex accepts any certificate from the provider, so anyone on the path can impersonate it. Give the provider's CA in rootCAs instead."},
	{ID: "insecure-skip-issuer-callback-domain-check", Fates: fates(FateRisk), Checks: checks(checkValidate),
		Title:  "insecureSkipIssuerCallbackDomainCheck: true",
		Detail: "Dex no longer checks that the callback is on the issuer's domain, which hides redirect URI mistakes from Dex. Make the redirect URI the callback and set it to false."},
	{ID: "hosted-domains-refused", Fates: fates(FatePachdCrash, FateLoginFails), Checks: checks(checkValidate),
		Title:  "hostedDomains under upstream Dex",
		Detail: "Upstream Dex's oidc connector refuses hostedDomains (deprecated, then removed) when it opens. Use the google connector (type: google), which reads hostedDomains, or restrict users at the provider."},
	{ID: "prompt-type-empty", Fates: fates(FateIgnored), Checks: checks(checkValidate),
		Title:  "promptType: \"\" under Pachyderm's Dex",
		Detail: "Pachyderm's Dex takes an empty promptType as unset and prompts for consent (\"consent\"), where upstream Dex sends no prompt. Leave it out to state that default, or set the prompt you want, such as \"login\" or \"select_account\"."},

	// CheckPrerequisites: the chart.
	{ID: "issuer-uri-dex-suffix", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "oidc.issuerURI does not end in /dex",
		Detail: "With proxy.enabled the chart (2.3 and later) refuses to render an oidc.issuerURI that does not end in /dex. Write https://<host>/dex."},
	{ID: "ingress-host-missing", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "ingress.enabled without ingress.host",
		Detail: "The chart refuses to render an enabled ingress without a host. Set ingress.host, or disable the ingress."},
	{ID: "no-upstream-idps", Severities: both, Checks: checks(checkPrerequisites),
		Title:  "no upstream IdP and no mock IdP",
		Detail: "oidc.upstreamIDPs is empty, oidc.upstreamIDPsSecretName is empty and oidc.mockIDP is false: charts 2.0-2.2 refuse to render (\"either oidc.upstreamIDPs or oidc.mockIDP must be set in non-LOCAL deployments\"), later charts render and nobody logs in through Dex. Add an entry (pachidp add) or name the Secret holding them."},
	{ID: "host-scheme", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "proxy.host or ingress.host starts with a scheme",
		Detail: "The chart puts the host after a scheme of its own, so Dex's issuer becomes https://https://... Write the host alone; the scheme follows proxy.tls.enabled, ingress.tls.enabled and ingress.uriHttpsProtoOverride."},
	{ID: "tls-disabled", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "TLS is off, so Dex's issuer is http://",
		Detail: "With upstream IdPs in use and Dex's issuer inferred from a host, the chart renders an http issuer whose callback never equals an https redirectURI. Set proxy.tls.enabled: true and proxy.tls.secretName, or enable TLS on the ingress (or ingress.uriHttpsProtoOverride when TLS ends at a load balancer)."},
	{ID: "host-missing", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "no host to build Dex's issuer from",
		Detail: "Without proxy.host, ingress.host or oidc.issuerURI the chart renders the in-cluster issuer http://pachd:30658/..., which no browser reaches and no redirectURI can match. Set proxy.host (with proxy.enabled and TLS), or oidc.issuerURI."},
	{ID: "host-mismatch", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "proxy.host differs from ingress.host",
		Detail: "The chart builds Dex's issuer from ingress.host, so redirect URIs must name it. Make the two hosts equal."},
	{ID: "proxy-unsupported", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "proxy.* set for a chart without a proxy",
		Detail: "Charts 2.0-2.2 have no proxy, so proxy.* is ignored: Dex's issuer comes from oidc.issuerURI or ingress.host."},
	{ID: "tls-secret-missing", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "proxy.tls.enabled without a certificate",
		Detail: "The proxy has no certificate to serve. Set proxy.tls.secretName to a Secret of type kubernetes.io/tls (kubectl create secret tls NAME --cert=tls.crt --key=tls.key, or cert-manager)."},
	{ID: "enterprise-license-missing", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "this chart needs an enterprise license for IdPs",
		Detail: "Charts up to 2.12.0-rc.1 pass the upstream IdPs to pachd only with an enterprise license: without one they are silently ignored. Set pachd.enterpriseLicenseKeySecretName (or pachd.enterpriseLicenseKey), or use chart 2.12.0-rc.2 or later."},
	{ID: "mock-idp-in-use", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "the chart configures its mock IdP",
		Detail: "With no entries and no Secret name the chart configures its mock IdP (oidc.mockIDP, on by default) and no real provider. Add an entry (pachidp add)."},
	{ID: "mock-idp-ignored", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "oidc.mockIDP: true has no effect",
		Detail: "Upstream IdPs win over the mock IdP. Set oidc.mockIDP to false to say what the chart does."},
	{ID: "lookalike-key", Severities: errorOnly, Checks: checks(checkPrerequisites),
		Title:  "a chart key spelled with look-alike characters",
		Detail: "A key such as oidc or upstreamIDPs is written with a character that looks like the right one but is not (a Cyrillic or Greek letter, a full-width letter) or with an invisible one (a zero-width space, a soft hyphen). Helm and the chart read it as a key they do not know: the real key keeps its default and what is under the look-alike is ignored, and an edit would add the real key beside it. Delete the key and type it again; the message names the character and its place."},
	{ID: "inline-list-ignored", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "entries ignored: upstreamIDPsSecretName is set",
		Detail: "When oidc.upstreamIDPsSecretName is set the chart reads the Secret and ignores oidc.upstreamIDPs. Move the entries into the Secret (pachidp secret) or clear the name."},
	{ID: "not-a-bool", Severities: warningOnly, Checks: checks(checkPrerequisites),
		Title:  "a flag written as a string",
		Detail: "Helm's templates take every non-empty string as true, \"false\" included. Write true or false without quotes."},

	// PachdUpstreamIDPs: what pachd receives.
	{ID: "secret-name-mismatch", Severities: warningOnly, Checks: checks(checkPachd),
		Title:  "the manifest is not of the Secret named",
		Detail: "oidc.upstreamIDPsSecretName names another Secret than the manifest given. Check that the manifest is the one the cluster will hold."},
	{ID: "secret-unused", Severities: warningOnly, Checks: checks(checkPachd),
		Title:  "a Secret manifest given, but the values name none",
		Detail: "Without oidc.upstreamIDPsSecretName the chart renders oidc.upstreamIDPs and never reads the Secret. Set the name (pachidp secret) or leave the Secret out."},
	{ID: "pachd-yaml", Severities: errorOnly, Checks: checks(checkPachd),
		Title:  "pachd cannot decode the upstream IdP text",
		Detail: "pachd decodes the text of upstream-idps strictly as YAML; a text it cannot read makes it fail to start. Fix the text (pachidp render shows it)."},
	{ID: "pachd-empty", Severities: warningOnly, Checks: checks(checkPachd),
		Title:  "the upstream IdP text is empty",
		Detail: "pachd gets no IdP, so nobody logs in through Dex. Add entries."},
	{ID: "pachd-not-a-list", Severities: errorOnly, Checks: checks(checkPachd),
		Title:  "the upstream IdP text is not a list",
		Detail: "pachd decodes the text as a list of entries and fails to start on anything else."},
	{ID: "pachd-entry-type", Severities: errorOnly, Checks: checks(checkPachd),
		Title:  "an item of the upstream IdP list is not a mapping",
		Detail: "Each item must be an entry, a mapping with id, name, type and config."},

	// ValidateValues and the command.
	{ID: "entries-not-checked", Severities: warningOnly, Checks: checks(checkValidateValues),
		Title:  "the entries are in a Secret that was not given",
		Detail: "oidc.upstreamIDPsSecretName names a Secret; its entries were not checked. Pass its manifest (pachidp validate --secret FILE; kubectl get secret NAME -o yaml > FILE)."},
	{ID: "chart-refuses", Severities: errorOnly, Checks: checks("render"),
		Title:  "the chart refuses to render the values",
		Detail: "helm install fails with the chart's message. Change the key named, as the message says."},
	{ID: "not-carried", Severities: warningOnly, Checks: checks("dex", "pachctl", "import"),
		Title:  "a key the other format cannot hold is left out",
		Detail: "Converting between Helm values, a Dex config's connectors and a pachctl connector file loses what the target cannot hold: keys only Pachyderm's Dex fork reads (upstream Dex ignores them), configVersion (pachd manages it in Helm values), a legacy jsonConfig next to config, unknown keys. Each is left out and named with its place (Loss, from EncodeDexConnectors, DecodeDexConnectors, EncodePachctlConnector, DecodePachctlConnector); check that the converted entry does not need it."},
	{ID: "duplicate-key", Fates: fates(FateIgnored), Checks: checks(checkValidateValues, checkPachd),
		Title:  "a key written twice in one mapping",
		Detail: "Helm reads values with sigs.k8s.io/yaml, which keeps the value of a key's last occurrence and drops the others without a word (pachd reads its upstream-idps text the same way), so the value written first is not the one the cluster gets. pachidp reads the file the same way and points at the occurrence that counts. Delete the others."},
	{ID: "manifest-values-ignored", Severities: warningOnly, Checks: checks(checkValidateValues),
		Title:  "values the manifest's tool never passes to Helm",
		Detail: "Argo CD passes spec.source.helm.valuesObject when it is set and then ignores the values string (argo-cd ApplicationSourceHelm.ValuesYAML); Kustomize's valuesMerge: merge lets valuesFile win over valuesInline. Keep the values in the one place the tool reads."},
	{ID: "values-from", Severities: warningOnly, Checks: checks(checkValidateValues),
		Title:  "values from elsewhere can change the entries",
		Detail: "Flux merges each spec.valuesFrom reference (ConfigMap, Secret) under spec.values, and Kustomize passes additionalValuesFiles after valuesInline: what they set was not read by pachidp. Set oidc.upstreamIDPs and oidc.upstreamIDPsSecretName where pachidp reads them, or validate the other values as layers."},
	{ID: "unknown-ignore-rule", Severities: warningOnly, Checks: checks(checkValidateValues),
		Title:  "a pachidp:ignore comment names no rule",
		Detail: "A comment # pachidp:ignore RULE reason silences RULE on its line, or on the whole entry when on the entry's line; this one names a rule pachidp does not have, so it silences nothing. Fix the id (pachidp explain lists them)."},
}
