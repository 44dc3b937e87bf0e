package pachidp

import (
	"fmt"
	"strings"
	"testing"
)

// Tests of issue 15 ("Slow or unbounded"), the library's side; each failed
// on the code before the fix.

// TestExpandEnvCapped: LookupEnv may add at most the cap of an input
// (16 MiB) to a Dex file's connectors; past it DecodeDexConnectors stops
// with an error naming the variable, not its value. Before, a 100 KB
// variable used in every value of a 20 KB file expanded without bound
// (out of memory at 3.7 GB).
func TestExpandEnvCapped(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	var b strings.Builder
	b.WriteString("connectors:\n- type: oidc\n  id: big\n  name: Big\n  config:\n    issuer: https://big.example.com/\n")
	for i := range 200 { // 200 x 100 KB = 20 MB expanded, from a 5 KB file
		fmt.Fprintf(&b, "    k%d: $BIG\n", i)
	}
	lookup := func(name string) (string, bool) { return big, name == "BIG" }
	_, _, err := DecodeDexConnectors([]byte(b.String()), DexFileOptions{LookupEnv: lookup})
	if err == nil || !strings.Contains(err.Error(), "expanding $BIG makes the connectors' values larger than 16 MiB") {
		t.Fatalf("err = %v, want the expansion cap", err)
	}
	if strings.Contains(err.Error(), "xxxx") {
		t.Error("the error holds the variable's value")
	}
	// Within the cap, the same variable expands.
	idps, _, err := DecodeDexConnectors([]byte("connectors:\n- type: oidc\n  id: a\n  name: A\n  config:\n    issuer: https://a.example.com/\n    k: $BIG\n"), DexFileOptions{LookupEnv: lookup})
	if err != nil || len(idps) != 1 {
		t.Fatalf("one expansion: %v", err)
	}
}
