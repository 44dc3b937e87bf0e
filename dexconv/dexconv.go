package dexconv

import (
	"fmt"
	"slices"

	"github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/dexbridge"
)

// ToDex converts c to upstream Dex v2.45.1's connector/oidc.Config.
//
// Keys upstream Dex does not read come back as losses and are left out: the
// keys only Pachyderm's Dex fork reads (insecureSkipIssuerCallbackDomainCheck,
// forwardedLoginParams), and the keys of Extra at any depth (unknown keys,
// and known keys whose value has the wrong type). An empty promptType is
// carried but reported, because the two Dex versions read it differently.
//
// Dex's Open mutates its receiver (it writes the detected PKCE method into
// PKCEChallenge): convert again rather than reuse a Config that was opened.
// The error reports a config Dex's JSON decoder would refuse; it never holds
// a value.
func ToDex(c *pachidp.OIDCConfig) (*oidc.Config, []pachidp.Loss, error) {
	if c == nil {
		return nil, nil, fmt.Errorf("pachidp: dexconv.ToDex of a nil *OIDCConfig")
	}
	var out oidc.Config
	losses, err := dexbridge.DecodeUpstream(c, &out)
	ls, _ := losses.([]pachidp.Loss)
	if err != nil {
		return nil, ls, err
	}
	return &out, ls, nil
}

// FromDex converts upstream Dex v2.45.1's connector/oidc.Config
// into an OIDCConfig, the config of an "oidc" entry of Pachyderm's Helm values.
//
// Every field is carried. Dex's Config has plain bools where OIDCConfig has
// *bool: a false bool comes back unset (nil), which means the same to Dex and
// keeps the entry minimal. Likewise an empty claimMapping,
// providerDiscoveryOverrides or claimModifications section comes back nil.
// A *bool or *string Dex field keeps its nil, false or "" as is.
//
// The losses are losses of effect for Pachyderm's Dex fork, which ignores
// every upstream-only key (hostedDomains, allowedGroups, rootCAs,
// insecureSkipVerify, pkceChallenge, issuerAlias, providerDiscoveryOverrides,
// claimModifications) and reads an empty promptType as "consent": such keys
// are carried, and each is reported. Note that Dex's Open writes the PKCE
// method it detected into its receiver's PKCEChallenge, so a Config that was
// opened carries a pkceChallenge its author did not write.
//
// A nil c gives nil and no losses.
func FromDex(c *oidc.Config) (*pachidp.OIDCConfig, []pachidp.Loss) {
	if c == nil {
		return nil, nil
	}
	out := &pachidp.OIDCConfig{
		Issuer:                    c.Issuer,
		IssuerAlias:               c.IssuerAlias,
		ClientID:                  c.ClientID,
		ClientSecret:              c.ClientSecret,
		RedirectURI:               c.RedirectURI,
		BasicAuthUnsupported:      cloneBool(c.BasicAuthUnsupported),
		Scopes:                    slices.Clone(c.Scopes),
		HostedDomains:             slices.Clone(c.HostedDomains),
		RootCAs:                   slices.Clone(c.RootCAs),
		InsecureSkipEmailVerified: trueOrNil(c.InsecureSkipEmailVerified),
		InsecureEnableGroups:      trueOrNil(c.InsecureEnableGroups),
		AllowedGroups:             slices.Clone(c.AllowedGroups),
		AcrValues:                 slices.Clone(c.AcrValues),
		InsecureSkipVerify:        trueOrNil(c.InsecureSkipVerify),
		GetUserInfo:               trueOrNil(c.GetUserInfo),
		UserIDKey:                 c.UserIDKey,
		UserNameKey:               c.UserNameKey,
		PKCEChallenge:             c.PKCEChallenge,
		OverrideClaimMapping:      trueOrNil(c.OverrideClaimMapping),
	}
	if c.PromptType != nil {
		out.PromptType = new(*c.PromptType)
	}
	if o := c.ProviderDiscoveryOverrides; !o.Empty() {
		out.ProviderDiscoveryOverrides = &pachidp.ProviderDiscoveryOverrides{TokenURL: o.TokenURL, AuthURL: o.AuthURL, JWKSURL: o.JWKSURL}
	}
	if m := c.ClaimMapping; m.PreferredUsernameKey != "" || m.EmailKey != "" || m.GroupsKey != "" {
		out.ClaimMapping = &pachidp.ClaimMapping{PreferredUsername: m.PreferredUsernameKey, Email: m.EmailKey, Groups: m.GroupsKey}
	}
	cm := &pachidp.ClaimModifications{}
	if c.ClaimMutations.NewGroupFromClaims != nil {
		cm.NewGroupFromClaims = make([]pachidp.NewGroupFromClaims, len(c.ClaimMutations.NewGroupFromClaims))
		for i, g := range c.ClaimMutations.NewGroupFromClaims {
			cm.NewGroupFromClaims[i] = pachidp.NewGroupFromClaims{Claims: slices.Clone(g.Claims), Delimiter: g.Delimiter,
				ClearDelimiter: trueOrNil(g.ClearDelimiter), Prefix: g.Prefix}
		}
	}
	if f := c.ClaimMutations.FilterGroupClaims; f.GroupsFilter != "" {
		cm.FilterGroupClaims = &pachidp.FilterGroupClaims{GroupsFilter: f.GroupsFilter}
	}
	if m := c.ClaimMutations.ModifyGroupNames; m.Prefix != "" || m.Suffix != "" {
		cm.ModifyGroupNames = &pachidp.ModifyGroupNames{Prefix: m.Prefix, Suffix: m.Suffix}
	}
	if cm.NewGroupFromClaims != nil || cm.FilterGroupClaims != nil || cm.ModifyGroupNames != nil {
		out.ClaimModifications = cm
	}
	losses, _ := dexbridge.PachydermLosses(out).([]pachidp.Loss)
	return out, losses
}

func trueOrNil(b bool) *bool {
	if b {
		return new(true)
	}
	return nil
}

func cloneBool(p *bool) *bool {
	if p == nil {
		return nil
	}
	return new(*p)
}

// Compile-time guard for the Dex pin (facts: a stray `go get` can move Dex to
// v2.13.0+incompatible, whose oidc.Config lacks these fields and has another API).
var _ = oidc.Config{}.PKCEChallenge
var _ = oidc.Config{}.RootCAs
