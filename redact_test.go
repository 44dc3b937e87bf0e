package pachidp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// canary is the secret value the sweeps below look for in every output.
const canary = "canary-S3cr3t-7f1e"

// TestSecretKeysFallback: the conservative rule hides ldap's other spellings
// of a bind password, passwd, and near misspellings of clientSecret (issue
// 8, case 6), and still shows keys that hold no secret.
func TestSecretKeysFallback(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"bindPW", true}, {"bindPwd", true}, {"bindPass", true}, {"bindPassword", true}, {"passwd", true},
		{"password", true}, {"secret", true}, {"token", true}, {"credential", true}, {"privateKeyPEM", true},
		{"cilentSecert", true}, {"clientScret", true}, {"client-secret", true}, {"secert", true}, {"pasword", true},
		{"clientID", false}, {"issuer", false}, {"bindDN", false}, {"userNameKey", false}, {"tokenURL", false},
		{"secretName", false}, {"passwordFile", false}, {"insecureSkipEmailVerified", false}, {"scopes", false},
		{"host", false}, {"redirectURI", false}, {"IDTokenExpiry", false}, {"rootCAs", false}, {"claimMapping", false},
	} {
		if got := IsSecretKey("ldap", tc.key); got != tc.want {
			t.Errorf("IsSecretKey(ldap, %q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

// TestConnectorSecretKeysTable: a key a type's schema declares is hidden
// for that type only, on top of the fallback.
func TestConnectorSecretKeysTable(t *testing.T) {
	connectorSecretKeys["example"] = map[string]bool{"signingmaterial": true}
	defer delete(connectorSecretKeys, "example")
	e, err := DecodeUpstreamIDPs([]byte("- type: example\n  id: a\n  name: A\n  config:\n    signingMaterial: " + canary +
		"\n- type: other\n  id: b\n  name: B\n  config:\n    signingMaterial: visible\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(e); strings.Contains(s, canary) || !strings.Contains(s, "visible") {
		t.Errorf("per-type table not applied (secret shown, or a key of another type hidden)")
	}
}

// TestRedactAttrKeepsOthers: values without secrets are logged as they are.
func TestRedactAttrKeepsOthers(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: RedactAttr}))
	l.Info("m", "n", 3, "s", []string{"a"}, "m", map[string]int{"x": 1}, "st", struct{ A int }{2})
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got["s"], got["m"], got["st"]) != "[a] map[x:1] map[A:2]" {
		t.Errorf("plain values changed: %s", buf.String())
	}
}

// TestConnectorSecretKeysMatchTables: the per-type secret keys are keys of
// the real config structs (dexconfig/), and every key of those structs whose
// name says secret, password or credential is listed.
func TestConnectorSecretKeysMatchTables(t *testing.T) {
	known := map[string]map[string]bool{} // type -> folded key -> present
	for _, d := range allDexVersions() {
		for _, typ := range d.types() {
			if known[typ] == nil {
				known[typ] = map[string]bool{}
			}
			for name, f := range d.connector(typ).Fields {
				if f.Kind == "string" {
					known[typ][foldKey(name)] = true
				}
			}
		}
	}
	for typ, keys := range connectorSecretKeys {
		for k := range keys {
			if !known[typ][k] {
				t.Errorf("connectorSecretKeys[%s] lists %s, which no Dex's %s config has", typ, k, typ)
			}
		}
	}
	for typ, keys := range known {
		for k := range keys {
			looks := strings.Contains(k, "secret") || strings.Contains(k, "password") || strings.HasSuffix(k, "pw") || strings.Contains(k, "credential")
			if looks && !connectorSecretKeys[typ][k] {
				t.Errorf("%s's config key %s looks like a secret but is not in connectorSecretKeys", typ, k)
			}
			if looks && !IsSecretKey(typ, k) {
				t.Errorf("IsSecretKey(%s, %s) = false", typ, k)
			}
		}
	}
}
