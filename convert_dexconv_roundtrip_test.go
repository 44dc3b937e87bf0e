package pachidp_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
)

// TestDexConvRoundTripProperty: for generated configs (every field of
// OIDCConfig, nested sections and pointer states, Extra keys at any depth;
// TestGeneratorCoversFields keeps the generator whole), converting to Dex's
// oidc.Config and back gives the upstream fields with the documented
// normalisation (wantFromDex). It is the Dex part of TestRoundTripProperty,
// here because it calls package dexconv.
func TestDexConvRoundTripProperty(t *testing.T) {
	cases := 0
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		for i := range 100 {
			cases++
			c := pachidp.GenOIDC(r)
			name := fmt.Sprintf("seed %d case %d", seed, i)
			dc, _, err := dexconv.ToDex(c)
			if err != nil {
				t.Fatalf("%s: ToDex: %v", name, err)
			}
			back, _ := dexconv.FromDex(dc)
			want := pachidp.WantFromDex(c)
			pachidp.CheckRoundTrip(t, name+": Dex oidc.Config", back, want, []any{back.ClientSecret}, []any{want.ClientSecret})
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	if cases != 500 {
		t.Errorf("ran %d cases, want 500", cases)
	}
}
