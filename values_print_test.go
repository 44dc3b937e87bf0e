package pachidp

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestValuesPrinting: a *Document holds the document's bytes and the tree Helm
// reads, client secrets included; printing it must show neither.
func TestValuesPrinting(t *testing.T) {
	v, err := OpenDocument([]byte("oidc:\n  upstreamIDPs:\n  - id: a\n    config:\n      clientSecret: " + fakeSecret + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	shown := []string{fakeSecret, fmt.Sprint([]byte(fakeSecret))[1 : len(fakeSecret)*2], hex.EncodeToString([]byte(fakeSecret))}
	for _, x := range []any{v, *v, []*Document{v}} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%X", "%10.3v"} {
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

// Values refuses Secret names Kubernetes refuses, as HelmValues and
// UpstreamIDPsSecret.Manifest do, and leaves the document as it was.
func TestValuesSecretNameChecked(t *testing.T) {
	for _, name := range []string{"Bad_Name", "-x-", "UPPER", strings.Repeat("a", 254)} {
		v, err := OpenDocument([]byte("oidc:\n  upstreamIDPs: []\n"))
		if err != nil {
			t.Fatal(err)
		}
		before := string(v.Bytes())
		for what, edit := range map[string]func(string) error{"setUpstreamIDPsSecretName": v.setUpstreamIDPsSecretName, "UseUpstreamIDPsSecret": v.UseUpstreamIDPsSecret} {
			err := edit(name)
			var ee *EditError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), "not a valid Kubernetes Secret name") {
				t.Errorf("%s(%.20q): %v, want an *EditError about the name", what, name, err)
			}
			if string(v.Bytes()) != before {
				t.Errorf("%s(%.20q) changed the document", what, name)
			}
		}
		if err := (HelmValues{}).setUpstreamIDPsSecretName(name); err == nil {
			t.Errorf("HelmValues accepted %.20q", name)
		}
	}
}
