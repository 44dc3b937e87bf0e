package pachidp

import (
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"
)

// OIDCConfig is the config of an "oidc" connector: every field of Dex
// v2.45.1's connector/oidc.Config, plus the two fields only Pachyderm's Dex
// fork reads (InsecureSkipIssuerCallbackDomainCheck, ForwardedLoginParams).
//
// Pointers and nil slices mean "not set": only set fields are written. Go 1.26
// lets you write new(true) for a *bool.
//
// Pachyderm's Dex fork reads only some of these fields; upstream Dex ignores
// the fork's. Validate and the conversions in convert_dex.go report which.
//
// The validate tags are validator/v10's, with pachidp's own tags
// (RegisterValidations); Validate reports what each failing tag means.
type OIDCConfig struct {
	Issuer       string `json:"issuer" validate:"trimmed_required,trimmed_url"`
	ClientID     string `json:"clientID" validate:"trimmed_required"`
	ClientSecret string `json:"clientSecret" validate:"trimmed_required"`
	RedirectURI  string `json:"redirectURI" validate:"trimmed_required,trimmed_url"`

	// InsecureEnableGroups makes Dex read the groups claim.
	InsecureEnableGroups *bool `json:"insecureEnableGroups"`
	// InsecureSkipEmailVerified treats every email as verified: anyone the
	// provider authenticates, with any email, can log in unless the provider
	// restricts its users.
	InsecureSkipEmailVerified *bool `json:"insecureSkipEmailVerified"`
	// InsecureSkipIssuerCallbackDomainCheck (Pachyderm's fork only) skips the
	// exact comparison of Dex's callback URL with RedirectURI.
	InsecureSkipIssuerCallbackDomainCheck *bool `json:"insecureSkipIssuerCallbackDomainCheck"`

	IssuerAlias                string                      `json:"issuerAlias"`
	ProviderDiscoveryOverrides *ProviderDiscoveryOverrides `json:"providerDiscoveryOverrides"`
	BasicAuthUnsupported       *bool                       `json:"basicAuthUnsupported"`
	Scopes                     []string                    `json:"scopes"`
	// HostedDomains is deprecated in Dex: upstream Dex refuses to open a
	// connector that sets it, and Pachyderm's fork ignores it.
	HostedDomains []string `json:"hostedDomains"`
	// RootCAs are CA certificates to trust: file paths, PEM or base64 PEM.
	RootCAs              []string `json:"rootCAs"`
	AllowedGroups        []string `json:"allowedGroups"`
	AcrValues            []string `json:"acrValues"`
	InsecureSkipVerify   *bool    `json:"insecureSkipVerify"`
	GetUserInfo          *bool    `json:"getUserInfo"`
	UserIDKey            string   `json:"userIDKey"`
	UserNameKey          string   `json:"userNameKey"`
	PromptType           *string  `json:"promptType"`
	PKCEChallenge        string   `json:"pkceChallenge"`
	OverrideClaimMapping *bool    `json:"overrideClaimMapping"`
	// ForwardedLoginParams (Pachyderm's fork only) lists login query
	// parameters, such as login_hint, passed on to the provider.
	ForwardedLoginParams []string            `json:"forwardedLoginParams"`
	ClaimMapping         *ClaimMapping       `json:"claimMapping"`
	ClaimModifications   *ClaimModifications `json:"claimModifications"`

	// Extra holds config keys Dex does not know, and known keys whose value
	// has the wrong type, as they were written.
	Extra map[string]any `json:"-"`
}

// ProviderDiscoveryOverrides replaces endpoints found by discovery.
type ProviderDiscoveryOverrides struct {
	TokenURL string         `json:"tokenURL"`
	AuthURL  string         `json:"authURL"`
	JWKSURL  string         `json:"jwksURL"`
	Extra    map[string]any `json:"-"`
}

// ClaimMapping names the claims Dex reads for the username, email and groups.
type ClaimMapping struct {
	PreferredUsername string         `json:"preferred_username"`
	Email             string         `json:"email"`
	Groups            string         `json:"groups"`
	Extra             map[string]any `json:"-"`
}

// ClaimModifications is Dex's claimModifications (Go field ClaimMutations).
type ClaimModifications struct {
	NewGroupFromClaims []NewGroupFromClaims `json:"newGroupFromClaims"`
	FilterGroupClaims  *FilterGroupClaims   `json:"filterGroupClaims"`
	ModifyGroupNames   *ModifyGroupNames    `json:"modifyGroupNames"`
	Extra              map[string]any       `json:"-"`
}

// NewGroupFromClaims builds a group from several claims.
type NewGroupFromClaims struct {
	Claims         []string       `json:"claims"`
	Delimiter      string         `json:"delimiter"`
	ClearDelimiter *bool          `json:"clearDelimiter"`
	Prefix         string         `json:"prefix"`
	Extra          map[string]any `json:"-"`
}

// FilterGroupClaims keeps only the groups matching a regular expression.
type FilterGroupClaims struct {
	GroupsFilter string         `json:"groupsFilter"`
	Extra        map[string]any `json:"-"`
}

// ModifyGroupNames adds a prefix or suffix to each group.
type ModifyGroupNames struct {
	Prefix string         `json:"prefix"`
	Suffix string         `json:"suffix"`
	Extra  map[string]any `json:"-"`
}

// ConnectorConfig is the config of a connector of a type other than "oidc":
// a generic map, passed through untouched. Printing it redacts secrets.
type ConnectorConfig map[string]any

// MarshalJSON writes the config's set keys in the guide's order, its Extra
// keys included, as the entry's MarshalJSON does. The output holds the
// client secret.
func (c OIDCConfig) MarshalJSON() ([]byte, error) {
	if err := checkTree(c); err != nil {
		return nil, err
	}
	return c.ordered().MarshalJSON()
}

// MarshalYAML writes the config's set keys in the guide's order, its Extra
// keys included. The output holds the client secret.
func (c OIDCConfig) MarshalYAML() (any, error) {
	if err := checkTree(c); err != nil {
		return nil, err
	}
	return toNode(c.ordered())
}

// UnmarshalJSON reads a config the way Dex does (key names matched
// case-insensitively); unknown keys and values of the wrong type go to Extra.
func (c *OIDCConfig) UnmarshalJSON(data []byte) error {
	if c == nil {
		return &SyntaxError{Msg: "UnmarshalJSON into a nil *OIDCConfig"}
	}
	doc, err := parseDocument(data)
	if err != nil {
		return err
	}
	if doc == nil {
		return &SyntaxError{Msg: "empty input: expected an oidc config mapping"}
	}
	v, err := toValue(doc, "", nil)
	if err != nil {
		return err
	}
	return c.fromValue(v)
}

// UnmarshalYAML reads a config from a yaml.v3 node, with Helm's YAML 1.1
// reading of plain scalars.
func (c *OIDCConfig) UnmarshalYAML(n *yaml.Node) error {
	if c == nil || n == nil {
		return &SyntaxError{Msg: "UnmarshalYAML needs a non-nil *OIDCConfig and node"}
	}
	v, err := toValue(n, "", nil)
	if err != nil {
		return err
	}
	return c.fromValue(v)
}

func (c *OIDCConfig) fromValue(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return &SyntaxError{Msg: fmt.Sprintf("an oidc config must be a mapping, got %s", typeName(v))}
	}
	var out OIDCConfig
	decodeStruct(m, reflect.ValueOf(&out).Elem(), "config", nil)
	*c = out
	return nil
}
