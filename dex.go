package pachidp

import (
	"encoding/json"
	"fmt"

	dexoidc "github.com/dexidp/dex/connector/oidc"
)

// Loss is something a conversion could not carry to its target: a key the
// target does not read, a value it would treat differently. Conversions
// return their losses instead of dropping anything silently.
type Loss struct {
	Path   string // relative to the entry, such as "config.forwardedLoginParams"
	Reason string // what happens to it and what to do; never holds a secret
}

func (l Loss) String() string { return l.Path + ": " + l.Reason }

// forkOnlyKeys are the OIDC config keys only Pachyderm's Dex fork reads.
var forkOnlyKeys = []string{"insecureSkipIssuerCallbackDomainCheck", "forwardedLoginParams"}

// DexConfig converts the config to upstream Dex v2.45.1's connector/oidc.Config.
// Keys upstream Dex does not read (the Pachyderm fork's, and unknown ones)
// come back as losses. Remember that Open mutates its receiver: convert again
// rather than reuse a Config that was opened.
func (c *OIDCConfig) DexConfig() (*dexoidc.Config, []Loss, error) {
	m := c.ordered()
	var losses []Loss
	carried := orderedMap{}
	for _, it := range m {
		switch {
		case contains(forkOnlyKeys, it.Key):
			losses = append(losses, Loss{Path: "config." + it.Key,
				Reason: "read only by Pachyderm's Dex fork; upstream Dex ignores it"})
		case c.Extra != nil && hasKey(c.Extra, it.Key):
			losses = append(losses, Loss{Path: "config." + it.Key,
				Reason: fmt.Sprintf("not a field of Dex's oidc config (or a value of the wrong type, %s); upstream Dex ignores or rejects it", typeName(c.Extra[it.Key]))})
		default:
			carried = append(carried, it)
		}
	}
	data, err := carried.MarshalJSON()
	if err != nil {
		return nil, nil, err
	}
	var out dexoidc.Config
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, losses, fmt.Errorf("pachidp: converting to Dex's oidc.Config: %s", typeOnly(err))
	}
	return &out, losses, nil
}

// typeOnly keeps a JSON error's message free of values, which may be secrets.
func typeOnly(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("%s: want %s, got a JSON %s", te.Field, te.Type, te.Value)
	}
	return "invalid config"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// Compile-time guard for the Dex pin (facts: a stray `go get` can move Dex to
// v2.13.0+incompatible, whose oidc.Config lacks these fields and has another API).
var _ = dexoidc.Config{}.PKCEChallenge
var _ = dexoidc.Config{}.RootCAs
