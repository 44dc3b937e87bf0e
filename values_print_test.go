package pachidp

import (
	"fmt"
	"strings"
	"testing"
)

// TestValuesPrinting: a *Values holds the document's bytes and the tree Helm
// reads, client secrets included; printing it must show neither.
func TestValuesPrinting(t *testing.T) {
	v, err := OpenValues([]byte("oidc:\n  upstreamIDPs:\n  - id: a\n    config:\n      clientSecret: " + fakeSecret + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	shown := []string{fakeSecret, fmt.Sprint([]byte(fakeSecret))[1 : len(fakeSecret)*2]}
	for _, x := range []any{v, *v, []*Values{v}} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			got := fmt.Sprintf(format, x)
			for _, secret := range shown {
				if strings.Contains(got, secret) {
					t.Errorf("%s of a %T shows the document", format, x)
				}
			}
		}
	}
	if got, want := fmt.Sprint(v), "YAML values document (96 bytes, REDACTED)"; got != want {
		t.Errorf("fmt.Sprint(v) = %q, want %q", got, want)
	}
}
