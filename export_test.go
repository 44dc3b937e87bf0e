package pachidp

// For the external test convert_dexconv_roundtrip_test.go, which round-trips the
// property test's generated configs through package dexconv (that package
// imports this one, so only an external test can call it): the generator and
// the comparisons stay with the root's other round trips.
var (
	GenOIDC        = genOIDC
	WantFromDex    = wantFromDex
	CheckRoundTrip = checkRoundTrip[*OIDCConfig]
)
