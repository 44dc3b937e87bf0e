package suggest

import (
	"fmt"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"ab", "ba", 2},
		{"clientsecret", "cilentsecert", 4},
		{"zürich", "zurich", 1}, // runes, not bytes
		{"🔑", "", 1},
	} {
		if got := Levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestOSA(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"ab", "ba", 1},
		{"clientsecret", "cilentsecert", 2},
		{"password", "pasword", 1},
		{"passwd", "password", 2},
		{"ca", "abc", 3}, // a swapped pair is not edited again
		{"zürich", "zrüich", 1},
	} {
		if got := OSA(tc.a, tc.b); got != tc.want {
			t.Errorf("OSA(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := OSA(tc.b, tc.a); got != tc.want {
			t.Errorf("OSA(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"issuer", "clientID", "clientSecret", "redirectURI", "id", "ID"}
	for _, tc := range []struct{ in, want string }{
		{"issuer", "issuer"},
		{"Issuer", "issuer"},
		{"isuer", "issuer"},
		{"clientid", "clientID"}, // case only wins
		{"clientSecert", "clientSecret"},
		{"redirectUrl", "redirectURI"},
		{"x", ""},    // one edit, but as many as the key has characters
		{"iD", "id"}, // the first equal but for case
		{"scopes", ""},
		{"", ""},
	} {
		if got := Nearest(tc.in, keys); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestForCommand(t *testing.T) {
	names := []string{"add", "remove", "list", "validate", "dex", "import", "secret", "render", "check"}
	for _, tc := range []struct{ in, want string }{
		{"ad", "add"},
		{"remvoe", "remove"},
		{"valid", "validate"}, // a prefix, too far for an edit
		{"secrets", "secret"},
		{"chek", "check"},
		{"xyzzy", ""},
		{"renderer", "render"}, // three edits, but a prefix
		{"Validate", "validate"},
		{"v", ""}, // too short for a prefix
	} {
		if got := ForCommand(tc.in, names); got != tc.want {
			t.Errorf("ForCommand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The two modes differ on a short input.
func ExampleNearest() {
	types := []string{"oidc", "ldap", "github"}
	fmt.Printf("%q %q %q\n", Nearest("OIDC", types), Nearest("ldpa", types), Nearest("od", types))
	fmt.Printf("%q\n", ForCommand("od", types))
	// Output:
	// "oidc" "ldap" ""
	// "oidc"
}
