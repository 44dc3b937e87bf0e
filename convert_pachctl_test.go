package pachidp

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDecodePachctlConnectorFile(t *testing.T) {
	e, losses, err := DecodePachctlConnector(readTestdata(t, "pachctl/auth0-connector.yaml"))
	if err != nil {
		t.Fatalf("DecodePachctlConnector: %v", err)
	}
	if e.ID != "auth0" || e.Name != "Auth0" || e.Type != typeOIDC || e.ConfigVersion != 0 || e.Extra != nil {
		t.Errorf("entry = %v, want id auth0, name Auth0, no configVersion, no Extra", e)
	}
	// pachctl reads YAML 1.2: "yes" is a string, which Dex would refuse for
	// a bool. The entry keeps it in Extra, where Validate reports it.
	if e.OIDC.InsecureEnableGroups != nil || e.OIDC.Extra["insecureEnableGroups"] != "yes" {
		t.Errorf("insecureEnableGroups: yes should stay the string \"yes\" (in Extra), got field %v, extra %v",
			e.OIDC.InsecureEnableGroups, e.OIDC.Extra)
	}
	if got, want := lossPaths(losses), []string{"configVersion", "version"}; !slices.Equal(got, want) {
		t.Errorf("losses at %q, want %q", got, want)
	}
	if l, _ := findLoss(losses, "version"); l.Pos.Line != 6 || !strings.Contains(l.Reason, "version 1 not carried: in Helm values pachd manages configVersion") {
		t.Errorf("version loss = %v", l)
	}
	if p := e.Pos("id"); p.Line != 4 {
		t.Errorf("position of id (written ID) = %v, want line 4", p)
	}
	noSecretIn(t, losses, "fake-")
	out, err := e.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "pachctl/auth0-decoded.golden", out)
	golden(t, "pachctl/auth0-losses.golden", lossLines(losses))
}

func TestDecodePachctlConnector(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		check  func(t *testing.T, e UpstreamIDP)
		losses []string
	}{
		{"JSON", `{"id": "a", "name": "A", "type": "ldap", "version": 3, "config": {"host": "h"}}`,
			func(t *testing.T, e UpstreamIDP) {
				if e.ID != "a" || e.Config["host"] != "h" {
					t.Errorf("entry = %v", e)
				}
			}, []string{"version"}},
		{"no version, no loss", "id: a\nname: A\ntype: ldap", nil, nil},
		{"version null", "id: a\nversion: null", nil, nil},
		{"version 1.0 is a whole number", "id: a\nversion: 1.0", nil, []string{"version"}},
		{"Helm's keys are ignored by pachctl", "id: a\nconfigVersion: 2\njsonConfig: '{}'\nconfig_version: 1", func(t *testing.T, e UpstreamIDP) {
			if e.ConfigVersion != 0 || e.JSONConfig != "" {
				t.Errorf("configVersion %d, jsonConfig %q carried", e.ConfigVersion, e.JSONConfig)
			}
		}, []string{"configVersion", "config_version", "jsonConfig"}},
		{"keys differing in case: the last in sorted order wins", "ID: b\nid: a", func(t *testing.T, e UpstreamIDP) {
			if e.ID != "a" {
				t.Errorf("id = %q, want a (pachctl reads the JSON keys sorted, so \"id\" comes after \"ID\")", e.ID)
			}
		}, []string{"ID"}},
		{"a date is a string, as pachctl's JSON step writes it", "type: ldap\nconfig: {since: 2001-12-14}", func(t *testing.T, e UpstreamIDP) {
			if e.Config["since"] != "2001-12-14T00:00:00Z" {
				t.Errorf("since = %#v", e.Config["since"])
			}
		}, nil},
		{"a hex number is an int", "type: ldap\nconfig: {port: 0x10}", func(t *testing.T, e UpstreamIDP) {
			if e.Config["port"] != int64(16) {
				t.Errorf("port = %#v", e.Config["port"])
			}
		}, nil},
		{"unknown keys", "id: a\ncolour: blue", nil, []string{"colour"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, losses, err := DecodePachctlConnector([]byte(tt.in))
			if err != nil {
				t.Fatalf("DecodePachctlConnector: %v", err)
			}
			if got := lossPaths(losses); !slices.Equal(got, tt.losses) && !(len(got) == 0 && len(tt.losses) == 0) {
				t.Errorf("losses at %q, want %q", got, tt.losses)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestDecodePachctlConnectorErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"a list", "- id: a", "got a list"},
		{"numeric id", "id: 12", "cannot read a number as the connector's id"},
		{"version string", "version: '1'", "version as a whole number, got a string"},
		{"version fraction", "version: 1.5", "whole number, got a number"},
		{"config a list", "config: [a]", "config must be a mapping"},
		{"NaN", "config: {a: .nan}", "reads .inf or .nan here"},
		{"non-string key", "config: {1: a}", "key that is not a string"},
		{"two documents", "id: a\n---\nid: b", "more than one YAML document"},
		{"invalid YAML", "id: [", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodePachctlConnector([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *SyntaxError containing %q", err, tt.want)
			}
		})
	}
}

// TestDecodePachctlConnectorErrorHidesValues: yaml.v3 quotes a scalar whose
// explicit tag does not fit its text ("cannot decode !!str `...` as a
// !!int"), and a key that is a mapping; the error must show neither.
func TestDecodePachctlConnectorErrorHidesValues(t *testing.T) {
	const secret = "fake-secret-tagged"
	tests := []struct {
		name, in string
		path     string
		line     int
	}{
		{"!!int", "id: a\nconfig:\n  clientSecret: !!int " + secret, "config.clientSecret", 3},
		{"!!bool", "id: a\nconfig:\n  bindPW: !!bool " + secret, "config.bindPW", 3},
		{"!!float in a list", "id: a\nconfig:\n  passwords: [x, !!float " + secret + "]", "config.passwords[1]", 3},
		{"!!timestamp", "config: {clientSecret: !!timestamp " + secret + "}", "config.clientSecret", 1},
		{"mapping key", "config:\n  ? {clientSecret: " + secret + "}\n  : x", "config", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodePachctlConnector([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err is %T, want a *SyntaxError", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the value")
			}
			if se.Path != tt.path || se.Pos.Line != tt.line {
				t.Errorf("error at %s (line %d), want %s (line %d)", se.Path, se.Pos.Line, tt.path, tt.line)
			}
		})
	}
}

// TestPachctlAndHelmDecodersDiffer shows the two formats side by side: the
// guide's entry with "version" is a valid pachctl file, and a Helm entry
// whose "version" pachd would crash on.
func TestPachctlAndHelmDecodersDiffer(t *testing.T) {
	in := []byte("type: oidc\nid: auth0\nname: Auth0\nversion: 1\nconfig:\n  issuer: https://acme.us.auth0.com/\n")
	helm, err := decodeUpstreamIDP(in)
	if err != nil {
		t.Fatal(err)
	}
	if helm.Extra["version"] != int64(1) {
		t.Errorf("Helm decoder: Extra = %v, want version kept for Validate to report", helm.Extra)
	}
	pc, losses, err := DecodePachctlConnector(in)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Extra != nil || len(losses) != 1 || losses[0].Path != "version" {
		t.Errorf("pachctl decoder: Extra = %v, losses = %v; want no Extra and the version loss", pc.Extra, losses)
	}
}

func TestEncodePachctlConnector(t *testing.T) {
	auth0, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "fake-auth0-client-id",
		ClientSecret: "fake-auth0-client-secret", ProxyHost: "pachyderm.example.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	out, losses, err := EncodePachctlConnector(auth0)
	if err != nil || losses != nil {
		t.Fatalf("EncodePachctlConnector(Auth0 preset): losses %v, err %v", losses, err)
	}
	golden(t, "pachctl/auth0-connector.golden", out)

	ldap := UpstreamIDP{Type: "ldap", ID: "corp-ldap", Name: "Corp LDAP", ConfigVersion: 4,
		Config: ConnectorConfig{"host": "ldap.corp.example:636", "bindPW": "fake-bind-pw",
			"userSearch": map[string]any{"baseDN": "ou=people,dc=corp,dc=example", "username": "uid"}},
		Extra: map[string]any{"version": int64(1), "colour": "blue"}}
	out, losses, err = EncodePachctlConnector(ldap)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "pachctl/ldap-connector.golden", out)
	if !bytes.Contains(out, []byte("version: 4\n")) {
		t.Error("version is not the entry's ConfigVersion")
	}
	if got := lossPaths(losses); !slices.Equal(got, []string{"colour", "version"}) {
		t.Errorf("losses at %q", got)
	}
	if l, _ := findLoss(losses, "version"); !strings.Contains(l.Reason, "configVersion") {
		t.Errorf("a stray Helm version should point at configVersion: %q", l.Reason)
	}

	t.Run("jsonConfig", func(t *testing.T) {
		e := UpstreamIDP{Type: typeOIDC, ID: "o", Name: "O", JSONConfig: `{"issuer": "https://x", "forwardedLoginParams": ["login_hint"]}`}
		out, losses, err := EncodePachctlConnector(e)
		if err != nil || losses != nil {
			t.Fatalf("losses %v, err %v", losses, err)
		}
		back, _, err := DecodePachctlConnector(out)
		if err != nil || back.OIDC == nil || back.OIDC.Issuer != "https://x" || !slices.Equal(back.OIDC.ForwardedLoginParams, []string{"login_hint"}) {
			t.Errorf("jsonConfig not written as the config (fork-only keys kept: pachctl feeds Pachyderm's Dex)")
		}
		e.Config = ConnectorConfig{}
		e.Type = "ldap"
		if _, losses, _ := EncodePachctlConnector(e); len(losses) != 1 || losses[0].Path != "jsonConfig" {
			t.Errorf("jsonConfig beside a config: losses %v", losses)
		}
	})
}

func FuzzDecodePachctlConnector(f *testing.F) {
	f.Add(readTestdata(f, "pachctl/auth0-connector.yaml"))
	f.Add([]byte(`{"ID": "a", "Version": 2, "config": {"issuer": "x", "extra": [1, {"b": null}]}}`))
	f.Add([]byte("type: oidc\nconfig: {promptType: '', claimMapping: {email: 1}, Scopes: [a]}\nversion: 0x10"))
	f.Add([]byte("id: a\nID: b\nconfig: {since: 2001-12-14, n: .inf}"))
	f.Add([]byte("config: {clientSecret: !!int fake-tagged-secret, bindPW: !!bool fake-pw-value}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, _, err := DecodePachctlConnector(data)
		if err != nil {
			for _, s := range secretScalars(data) {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("the error shows the value of a secret key")
				}
			}
			return
		}
		b1, _, err := EncodePachctlConnector(e)
		if err != nil {
			t.Fatalf("encoding a decoded connector: %v", err)
		}
		e2, _, err := DecodePachctlConnector(b1)
		if err != nil {
			t.Fatalf("decoding an encoded connector: %v", err)
		}
		b2, _, err := EncodePachctlConnector(e2)
		if err != nil {
			t.Fatalf("encoding again: %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("decode->encode->decode is not stable: %s", firstDiffLine(b1, b2))
		}
	})
}

func BenchmarkDecodePachctlConnector(b *testing.B) {
	data := readTestdata(b, "pachctl/auth0-connector.yaml")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodePachctlConnector(data); err != nil {
			b.Fatal(err)
		}
	}
}

// secretScalars returns the texts of the scalars of a YAML document that are
// values of secret keys (IsSecretKey), at least eight bytes long (shorter
// ones could be words of any message), and that no key or other scalar of
// the document contains (those may be shown).
func secretScalars(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	var secrets, shown []string
	var walk func(n *yaml.Node, secret bool)
	walk = func(n *yaml.Node, secret bool) {
		switch n.Kind {
		case yaml.ScalarNode:
			if secret {
				secrets = append(secrets, n.Value)
			} else {
				shown = append(shown, n.Value)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i], false)
				walk(n.Content[i+1], secret || isSecretKey(n.Content[i].Value))
			}
		default:
			for _, c := range n.Content {
				walk(c, secret)
			}
		}
	}
	walk(&doc, false)
	var out []string
	for _, s := range secrets {
		if len(s) >= 8 && !slices.ContainsFunc(shown, func(o string) bool { return strings.Contains(o, s) }) {
			out = append(out, s)
		}
	}
	return out
}
