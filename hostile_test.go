package pachidp

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
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

// TestEditFileChecksWithoutLock: EditFile does not hold the file's lock
// while opts.Check validates the result: another edit can take it then.
// When that edit changes the file, EditFile runs again on the new content
// and neither change is lost. Before, the lock was held from the read on,
// so a slow check made every other edit of the file wait, and fail after
// its 10 s wait.
func TestEditFileChecksWithoutLock(t *testing.T) {
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o644)
	checks := 0
	changed, err := EditFile(path, FileOptions{Check: func(*Document) error {
		checks++
		if checks > 1 {
			return nil
		}
		// Another edit, meanwhile: it gets the lock at once and adds an entry.
		other, err := EditFile(path, FileOptions{LockWait: 50 * time.Millisecond}, func(v *Document) error {
			return v.UpsertUpstreamIDP(safetyEntry(t, "other"))
		})
		if err != nil || !other {
			t.Errorf("the other edit: changed %v, %v (the lock is held during Check)", other, err)
		}
		return nil
	}}, upsertAuth0(t))
	if err != nil || !changed {
		t.Fatalf("EditFile: changed %v, %v", changed, err)
	}
	if checks != 2 {
		t.Errorf("Check ran %d times, want 2 (once more on the other edit's content)", checks)
	}
	assertIDs(t, path, []string{"other", "auth0"})
}

// memoryBudget is what reading and validating a values document may
// allocate, in all (an upper bound of its peak heap): 200 bytes per input
// byte (yaml.v3 alone builds a node of about 100 bytes for each "[" of
// nested lists), plus what aliases may add, bounded by MaxAliasValues.
func memoryBudget(input int) uint64 { return 200*uint64(input) + 32<<20 }

// TestMemoryBudget: validate on each hostile shape of BenchmarkHostileShapes
// (deep nesting, many keys, a long line, many entries, aliases as far as
// they may expand, one-line JSON) allocates within memoryBudget. Before,
// each value carried a copy of its whole path: lists nested 150 deep took
// 561 bytes per input byte (a 7.9 MB file peaked at 1.69 GB).
func TestMemoryBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector inflates allocations (sync.Pool drops); .ci/run runs this test without it")
	}
	for name, gen := range hostileShapes {
		data := gen(1 << 20)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if err := validateBytes(data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runtime.ReadMemStats(&after)
		got := after.TotalAlloc - before.TotalAlloc
		if budget := memoryBudget(len(data)); got > budget {
			t.Errorf("%s: %d bytes allocated for %d bytes of input (%.0f per byte), budget %d", name, got, len(data), float64(got)/float64(len(data)), budget)
		} else {
			t.Logf("%s: %.0f bytes allocated per input byte", name, float64(got)/float64(len(data)))
		}
	}
}
