package dexconv

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
)

// lossPaths returns the paths of losses, sorted.
func lossPaths(ls []pachidp.Loss) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Path
	}
	sort.Strings(out)
	return out
}

func findLoss(ls []pachidp.Loss, path string) (pachidp.Loss, bool) {
	for _, l := range ls {
		if l.Path == path {
			return l, true
		}
	}
	return pachidp.Loss{}, false
}

// noSecretIn fails when a secret value shows in any loss.
func noSecretIn(t *testing.T, ls []pachidp.Loss, secrets ...string) {
	t.Helper()
	for _, l := range ls {
		for _, s := range secrets {
			if strings.Contains(l.String(), s) {
				t.Errorf("loss at %s shows a secret", l.Path)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// ToDex

func TestToDexLosses(t *testing.T) {
	const secret = "fake-secret-dexconfig"
	tests := []struct {
		name       string
		cfg        pachidp.OIDCConfig
		wantLosses []string
		check      func(t *testing.T, c *oidc.Config)
	}{
		{
			name: "upstream fields carried, nothing lost",
			cfg: pachidp.OIDCConfig{Issuer: "https://idp.example.com", ClientID: "id", ClientSecret: secret,
				RedirectURI: "https://pachyderm.example.com/dex/callback", InsecureEnableGroups: new(true),
				BasicAuthUnsupported: new(false), Scopes: []string{"groups"}, PromptType: new("login"),
				ClaimMapping:       &pachidp.ClaimMapping{Groups: "roles"},
				ClaimModifications: &pachidp.ClaimModifications{NewGroupFromClaims: []pachidp.NewGroupFromClaims{{Claims: []string{"org"}, ClearDelimiter: new(true)}}}},
			check: func(t *testing.T, c *oidc.Config) {
				if c.Issuer != "https://idp.example.com" || c.ClientID != "id" || !c.InsecureEnableGroups ||
					c.BasicAuthUnsupported == nil || *c.BasicAuthUnsupported || c.PromptType == nil || *c.PromptType != "login" ||
					c.ClaimMapping.GroupsKey != "roles" || !slices.Equal(c.Scopes, []string{"groups"}) ||
					len(c.ClaimMutations.NewGroupFromClaims) != 1 || !c.ClaimMutations.NewGroupFromClaims[0].ClearDelimiter {
					t.Errorf("fields not carried: %+v", *c)
				}
				if c.ClientSecret != secret {
					t.Error("client secret not carried")
				}
			},
		},
		{
			name: "fork-only keys are losses",
			cfg: pachidp.OIDCConfig{Issuer: "https://idp.example.com", InsecureSkipIssuerCallbackDomainCheck: new(true),
				ForwardedLoginParams: []string{"login_hint"}},
			wantLosses: []string{"config.forwardedLoginParams", "config.insecureSkipIssuerCallbackDomainCheck"},
		},
		{
			name: "Extra keys at every depth are losses, and left out",
			cfg: pachidp.OIDCConfig{Issuer: "https://idp.example.com", Extra: map[string]any{"colour": "blue", "getUserInfo": "yes"},
				ClaimMapping:       &pachidp.ClaimMapping{Email: "upn", Extra: map[string]any{"email_key": "x"}},
				ClaimModifications: &pachidp.ClaimModifications{NewGroupFromClaims: []pachidp.NewGroupFromClaims{{Extra: map[string]any{"delim": 1}}}}},
			wantLosses: []string{"config.claimMapping.email_key", "config.claimModifications.newGroupFromClaims[0].delim",
				"config.colour", "config.getUserInfo"},
			check: func(t *testing.T, c *oidc.Config) {
				if c.ClaimMapping.EmailKey != "upn" || c.GetUserInfo {
					t.Errorf("carried fields wrong: email %q, getUserInfo %v", c.ClaimMapping.EmailKey, c.GetUserInfo)
				}
			},
		},
		{
			name:       "empty promptType is carried but reported",
			cfg:        pachidp.OIDCConfig{PromptType: new("")},
			wantLosses: []string{"config.promptType"},
			check: func(t *testing.T, c *oidc.Config) {
				if c.PromptType == nil || *c.PromptType != "" {
					t.Errorf("promptType = %v, want a pointer to \"\"", c.PromptType)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, losses, err := ToDex(&tt.cfg)
			if err != nil {
				t.Fatalf("ToDex: %v", err)
			}
			if got := lossPaths(losses); !slices.Equal(got, tt.wantLosses) && !(len(got) == 0 && len(tt.wantLosses) == 0) {
				t.Errorf("losses = %q, want %q", got, tt.wantLosses)
			}
			noSecretIn(t, losses, secret)
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}

	t.Run("wrong-typed Extra value names its field", func(t *testing.T) {
		_, losses, _ := ToDex(&pachidp.OIDCConfig{Extra: map[string]any{"GetUserInfo": "yes"}})
		if len(losses) != 1 || !strings.Contains(losses[0].Reason, "a string is not a valid value for getUserInfo") {
			t.Errorf("losses = %v", losses)
		}
	})
	t.Run("nil config is an error", func(t *testing.T) {
		var c *pachidp.OIDCConfig
		if _, _, err := ToDex(c); err == nil {
			t.Error("ToDex of nil: no error")
		}
	})
	t.Run("false callback check says it changes nothing", func(t *testing.T) {
		_, losses, _ := ToDex(&pachidp.OIDCConfig{InsecureSkipIssuerCallbackDomainCheck: new(false)})
		if len(losses) != 1 || !strings.Contains(losses[0].Reason, "false changes nothing") {
			t.Errorf("losses = %v", losses)
		}
	})
}

// ---------------------------------------------------------------------------
// FromDex

func TestFromDex(t *testing.T) {
	const secret = "fake-secret-fromdex"
	var dc oidc.Config
	dc.Issuer = "https://idp.example.com"
	dc.ClientID = "id"
	dc.ClientSecret = secret
	dc.InsecureEnableGroups = true
	dc.InsecureSkipEmailVerified = false // plain false: comes back unset
	dc.BasicAuthUnsupported = new(false) // *bool false: kept
	dc.HostedDomains = []string{"example.com"}
	dc.AllowedGroups = []string{"admins"}
	dc.RootCAs = []string{"/etc/ca.pem"}
	dc.InsecureSkipVerify = true
	dc.PKCEChallenge = "S256"
	dc.IssuerAlias = "https://alias.example.com"
	dc.ProviderDiscoveryOverrides.TokenURL = "https://idp.example.com/token"
	dc.PromptType = new("")
	dc.ClaimMapping.EmailKey = "upn"
	dc.ClaimMutations.ModifyGroupNames.Prefix = "idp:"
	dc.Scopes = []string{}

	c, losses := FromDex(&dc)
	if c.ClientSecret != secret {
		t.Error("client secret not carried")
	}
	if c.InsecureSkipEmailVerified != nil {
		t.Errorf("insecureSkipEmailVerified = %v, want nil for Dex's false", *c.InsecureSkipEmailVerified)
	}
	if c.InsecureEnableGroups == nil || !*c.InsecureEnableGroups {
		t.Error("insecureEnableGroups: true not carried")
	}
	if c.BasicAuthUnsupported == nil || *c.BasicAuthUnsupported {
		t.Error("basicAuthUnsupported: a *bool false must stay set to false")
	}
	if c.Scopes == nil || len(c.Scopes) != 0 {
		t.Errorf("scopes = %#v, want an empty, non-nil list", c.Scopes)
	}
	if c.ClaimModifications == nil || c.ClaimModifications.ModifyGroupNames == nil ||
		c.ClaimModifications.FilterGroupClaims != nil || c.ClaimModifications.NewGroupFromClaims != nil {
		t.Errorf("claimModifications = %v, want only modifyGroupNames", c.ClaimModifications)
	}
	// The newest fork reads rootCAs and insecureSkipVerify (fork 706aec2 and
	// later): they are not lost.
	want := []string{"config.allowedGroups", "config.claimModifications", "config.hostedDomains",
		"config.issuerAlias", "config.pkceChallenge", "config.promptType",
		"config.providerDiscoveryOverrides"}
	if got := lossPaths(losses); !slices.Equal(got, want) {
		t.Errorf("losses = %q\nwant %q", got, want)
	}
	if l, _ := findLoss(losses, "config.allowedGroups"); !strings.Contains(l.Reason, "anyone the provider authenticates can log in") {
		t.Errorf("allowedGroups loss does not say the restriction is lost: %q", l.Reason)
	}
	if l, _ := findLoss(losses, "config.pkceChallenge"); !strings.Contains(l.Reason, "Open writes") {
		t.Errorf("pkceChallenge loss does not warn that Open writes it: %q", l.Reason)
	}
	noSecretIn(t, losses, secret)

	if c, l := FromDex(nil); c != nil || l != nil {
		t.Error("FromDex(nil) is not nil")
	}
	empty, l := FromDex(&oidc.Config{})
	if !reflect.DeepEqual(empty, &pachidp.OIDCConfig{}) || l != nil {
		t.Errorf("zero Dex config gives %v with losses %v, want an empty config", empty, l)
	}
}
