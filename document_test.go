package pachidp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// withoutSource drops where entries were decoded from, so that entries read
// from different documents compare equal.
func withoutSource(es []UpstreamIDP) []UpstreamIDP {
	out := make([]UpstreamIDP, len(es))
	for i, e := range es {
		e.src = nil
		out[i] = e
	}
	return out
}

// TestDecodeEncodeYAMLGolden decodes a hand-written list (keys in any order,
// a pachctl-only key, unknown config keys, other connector types, the legacy
// jsonConfig) and pins the encoding: the guide's key order, only the keys
// that were set, everything unknown kept.
func TestDecodeEncodeYAMLGolden(t *testing.T) {
	idps, err := DecodeUpstreamIDPs(readTestdata(t, "idp/entries.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(idps) != 5 {
		t.Fatalf("decoded %d entries, want 5", len(idps))
	}
	out, err := EncodeUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "idp/entries.yaml.golden", out)

	// The encoding decodes to the same entries and encodes to the same bytes.
	again, err := DecodeUpstreamIDPs(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutSource(again), withoutSource(idps)) {
		t.Errorf("decoding the encoding gives other entries:\n got %v\nwant %v", again, idps)
	}
	out2, err := EncodeUpstreamIDPs(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, out2) {
		t.Error("second encoding differs from the first")
	}
}

// TestDecodeJSON reads the same list written as JSON (what `helm get values
// -o json` prints): it must give the same entries as the YAML.
func TestDecodeJSON(t *testing.T) {
	fromYAML, err := DecodeUpstreamIDPs(readTestdata(t, "idp/entries.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := DecodeUpstreamIDPs(readTestdata(t, "idp/entries.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutSource(fromJSON), withoutSource(fromYAML)) {
		t.Errorf("JSON and YAML decode differently:\nJSON %v\nYAML %v", fromJSON, fromYAML)
	}
	// Positions come from the JSON document too.
	if p := fromJSON[0].Pos("config.issuer"); p.Line != 7 {
		t.Errorf("JSON position of config.issuer = %v, want line 7", p)
	}
}

// TestJSONRoundTripGolden pins MarshalJSON's output and checks UnmarshalJSON
// reads it back to the same entries.
func TestJSONRoundTripGolden(t *testing.T) {
	idps, err := DecodeUpstreamIDPs(readTestdata(t, "idp/entries.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(idps, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	golden(t, "idp/entries.json.golden", data)

	var back []UpstreamIDP
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutSource(back), withoutSource(idps)) {
		t.Errorf("json.Unmarshal of MarshalJSON's output gives other entries:\n got %v\nwant %v", back, idps)
	}
}

// TestYAMLUnmarshaler checks that yaml.v3's Unmarshal, through UnmarshalYAML,
// reads what DecodeUpstreamIDPs reads.
func TestYAMLUnmarshaler(t *testing.T) {
	data := readTestdata(t, "idp/entries.yaml")
	want, err := DecodeUpstreamIDPs(data)
	if err != nil {
		t.Fatal(err)
	}
	var got []UpstreamIDP
	if err := yaml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutSource(got), withoutSource(want)) {
		t.Errorf("yaml.Unmarshal gives other entries:\n got %v\nwant %v", got, want)
	}
	if p := got[0].Pos("config.issuer"); p != (Position{Line: 7, Column: 5}) {
		t.Errorf("position of config.issuer through UnmarshalYAML = %v, want 7:5", p)
	}
}

// TestExtraSurvives checks that keys pachd or Dex do not know, at the entry
// and in the config, survive YAML and JSON round trips untouched.
func TestExtraSurvives(t *testing.T) {
	in := `- type: oidc
  id: a
  name: A
  version: 1
  x-owner: {team: data, since: 2021}
  config:
    issuer: https://idp.acme.com
    myFutureKey: [a, b]
    clientID: 12345
    claimMapping: {email: mail, nickname: nick}
- type: saml
  id: s
  name: S
  config: {ssoURL: "https://idp.acme.com/sso", someOption: true}
`
	idps, err := DecodeUpstreamIDPs([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, idps []UpstreamIDP) {
		t.Helper()
		e := idps[0]
		if got, want := e.Extra["version"], int64(1); got != want {
			t.Errorf("Extra[version] = %#v, want %#v", got, want)
		}
		if got, want := e.Extra["x-owner"], map[string]any{"team": "data", "since": int64(2021)}; !reflect.DeepEqual(got, want) {
			t.Errorf("Extra[x-owner] = %#v, want %#v", got, want)
		}
		if got, want := e.OIDC.Extra["myFutureKey"], []any{"a", "b"}; !reflect.DeepEqual(got, want) {
			t.Errorf("config Extra[myFutureKey] = %#v, want %#v", got, want)
		}
		// A known key with the wrong type is kept as written, not dropped.
		if got, want := e.OIDC.Extra["clientID"], int64(12345); got != want || e.OIDC.ClientID != "" {
			t.Errorf("config Extra[clientID] = %#v and ClientID %q, want %#v and empty", got, e.OIDC.ClientID, want)
		}
		if got, want := e.OIDC.ClaimMapping.Extra["nickname"], "nick"; got != want || e.OIDC.ClaimMapping.Email != "mail" {
			t.Errorf("claimMapping = %+v, want email mail and Extra[nickname] nick", e.OIDC.ClaimMapping)
		}
		if got, want := idps[1].Config, (ConnectorConfig{"ssoURL": "https://idp.acme.com/sso", "someOption": true}); !reflect.DeepEqual(got, want) {
			t.Errorf("saml config = %#v, want %#v", got, want)
		}
	}
	check(t, idps)

	y, err := EncodeUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := DecodeUpstreamIDPs(y)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("yaml", func(t *testing.T) { check(t, fromYAML) })

	j, err := json.MarshalIndent(idps, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := DecodeUpstreamIDPs(j)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("json", func(t *testing.T) { check(t, fromJSON) })
}

// TestOnlySetKeysWritten checks the encoding writes the keys that are set and
// no others (Dex's own Config marshals every key, nulls included), and that a
// *bool false is a set key.
func TestOnlySetKeysWritten(t *testing.T) {
	e := UpstreamIDP{Type: "oidc", ID: "a", Name: "A", OIDC: &OIDCConfig{
		Issuer:               "https://idp.acme.com",
		GetUserInfo:          new(false),
		PromptType:           new(""),
		OverrideClaimMapping: new(true),
		Scopes:               []string{},
	}}
	out, err := e.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	want := `type: oidc
id: a
name: A
config:
  issuer: https://idp.acme.com
  scopes: []
  getUserInfo: false
  promptType: ""
  overrideClaimMapping: true
`
	if string(out) != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", out, want)
	}
	j, err := e.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":"oidc","id":"a","name":"A","config":{"issuer":"https://idp.acme.com","scopes":[],"getUserInfo":false,"promptType":"","overrideClaimMapping":true}}`; string(j) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", j, want)
	}

	// An empty entry writes an empty mapping, not nulls.
	out, err = UpstreamIDP{}.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "{}\n" {
		t.Errorf("empty entry = %q, want {}", out)
	}
}

// TestKeyOrder checks the guide's order whatever the input order.
func TestKeyOrder(t *testing.T) {
	in := `config: {zeta: 1, insecureEnableGroups: true, redirectURI: r, clientSecret: fake-s, issuer: https://i, clientID: c, alpha: 2}
name: Okta
configVersion: 2
id: i
extra: 1
type: oidc
`
	e, err := decodeUpstreamIDP([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.encodeYAML()
	if err != nil {
		t.Fatal(err)
	}
	want := `type: oidc
id: i
name: Okta
configVersion: 2
config:
  issuer: https://i
  clientID: c
  clientSecret: fake-s
  redirectURI: r
  insecureEnableGroups: true
  alpha: 2
  zeta: 1
extra: 1
`
	if string(out) != want {
		t.Errorf("order:\n%s\nwant:\n%s", redactText(out), redactText([]byte(want)))
	}
}

func TestPositions(t *testing.T) {
	block := `# comment
- type: oidc
  id: a
  name: A
  config:
    issuer: https://idp.acme.com
    claimMapping:
      email: mail
    scopes:
      - profile
      - groups
- type: github
  id: gh
  config: {clientID: x, orgs: [{name: acme}]}
`
	flow := `[{type: oidc, id: a, name: A, config: {issuer: "https://idp.acme.com", scopes: [profile, groups]}},
 {type: github, id: gh, config: {clientID: x}}]`
	tests := []struct {
		name string
		doc  string
		item int
		rel  string
		want Position
	}{
		{"block entry", block, 0, "", Position{Line: 2, Column: 3}},
		{"block id", block, 0, "id", Position{Line: 3, Column: 3}},
		{"block config", block, 0, "config", Position{Line: 5, Column: 3}},
		{"block issuer", block, 0, "config.issuer", Position{Line: 6, Column: 5}},
		{"block nested", block, 0, "config.claimMapping.email", Position{Line: 8, Column: 7}},
		{"block list item", block, 0, "config.scopes[1]", Position{Line: 11, Column: 9}},
		{"block second entry", block, 1, "config.clientID", Position{Line: 14, Column: 12}},
		{"block generic nested", block, 1, "config.orgs[0].name", Position{Line: 14, Column: 33}},
		{"block missing key", block, 0, "config.clientSecret", Position{}},
		{"flow entry", flow, 0, "", Position{Line: 1, Column: 2}},
		{"flow issuer", flow, 0, "config.issuer", Position{Line: 1, Column: 40}},
		{"flow list item", flow, 0, "config.scopes[1]", Position{Line: 1, Column: 90}},
		{"flow second line", flow, 1, "config.clientID", Position{Line: 2, Column: 34}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idps, err := DecodeUpstreamIDPs([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := idps[tt.item].Pos(tt.rel); got != tt.want {
				t.Errorf("Pos(%q) = %v, want %v", tt.rel, got, tt.want)
			}
		})
	}

	// A key matched case-insensitively is found under its canonical name.
	e, err := decodeUpstreamIDP([]byte("type: oidc\nconfig:\n  ISSUER: https://i\n  ClaimMapping: {Email: m}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.OIDC.Issuer != "https://i" || e.OIDC.ClaimMapping.Email != "m" {
		t.Errorf("case-insensitive keys not matched: %v", e)
	}
	if got := e.Pos("config.issuer"); got != (Position{Line: 3, Column: 3}) {
		t.Errorf("Pos(config.issuer) of ISSUER = %v, want 3:3", got)
	}
	if got := e.Pos("config.claimMapping.email"); got != (Position{Line: 4, Column: 18}) {
		t.Errorf("Pos(config.claimMapping.email) = %v, want 4:18", got)
	}
	// Entries built in Go have no positions.
	if got := (UpstreamIDP{ID: "a"}).Pos("id"); got.IsValid() {
		t.Errorf("Pos of an entry built in Go = %v, want invalid", got)
	}
}

// TestYAML11Scalars checks how plain scalars resolve: as Helm's YAML 1.1
// reader sees them, not as YAML 1.2 would.
func TestYAML11Scalars(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{"yes", true}, {"Yes", true}, {"YES", true}, {"on", true}, {"On", true}, {"ON", true},
		{"y", true}, {"Y", true}, {"true", true}, {"True", true},
		{"no", false}, {"No", false}, {"off", false}, {"OFF", false}, {"n", false}, {"N", false}, {"false", false},
		{"~", nil}, {"null", nil}, {"Null", nil}, {"", nil},
		{"0123", int64(83)},    // YAML 1.1 octal
		{"0o17", int64(15)},    // Helm's yaml.v2 parses ints with Go's base prefixes (conformance/helmread)
		{"0O17", int64(15)},    //
		{"0X1f", int64(31)},    //
		{"1__0", int64(10)},    // every underscore is dropped
		{"0_x1F", int64(31)},   // even inside the prefix
		{"0x1F", int64(31)},    // hex
		{"-0x10", int64(-16)},  // signed hex
		{"0b101", int64(5)},    // binary
		{"1_000", int64(1000)}, // underscores
		{"0129", float64(129)}, // leading zero, not octal: a float
		{"1e3", float64(1000)}, // exponent without a dot
		{"1.5", 1.5},           //
		{".5", 0.5},            //
		{"18446744073709551615", float64(18446744073709551615)}, // uint64 in yaml.v2, float64 in Helm's templates
		{"!!float 1", float64(1)},                               // a tag resolves the text
		{"!!int '12'", int64(12)},                               // even quoted
		{"!!binary aGk=", "hi"},                                 // base64 decoded
		{"!custom 12", "12"},                                    // an unknown tag leaves the text
		{"12345678901234567890", 1.2345678901234567e19},         // overflows int64
		{"1:20", "1:20"},                                        // no base 60
		{"2001-12-14", "2001-12-14"},                            // timestamps stay strings
		{"0oa1b2c3d4E5f6G7h8i9", "0oa1b2c3d4E5f6G7h8i9"},        // an Okta client ID
		{"abc", "abc"},
		{`"yes"`, "yes"}, {`'0123'`, "0123"}, {`"~"`, "~"}, {`""`, ""}, // quoted: strings
		{"!!str yes", "yes"}, {"!!str 0123", "0123"}, {"!!str ~", "~"}, // tagged: strings
		{"|\n    0123", "0123\n"}, // literal block: string
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			doc, err := parseDocument([]byte("v: " + tt.src + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			v, err := toValue(doc, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			got := v.(map[string]any)["v"]
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("v: %s = %#v (%T), want %#v (%T)", tt.src, got, got, tt.want, tt.want)
			}
		})
	}

	// What that means for an entry.
	e, err := decodeUpstreamIDP([]byte("type: oidc\nconfig:\n  clientID: 0123\n  insecureEnableGroups: on\n  getUserInfo: 'yes'\n  issuer: ~\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.OIDC.ClientID != "" || e.OIDC.Extra["clientID"] != int64(83) {
		t.Errorf("clientID: 0123 = %q / Extra %#v, want Extra 83 (a number, as Helm reads it)", e.OIDC.ClientID, e.OIDC.Extra["clientID"])
	}
	if e.OIDC.InsecureEnableGroups == nil || !*e.OIDC.InsecureEnableGroups {
		t.Error("insecureEnableGroups: on is not true")
	}
	if e.OIDC.GetUserInfo != nil || e.OIDC.Extra["getUserInfo"] != "yes" {
		t.Errorf("getUserInfo: 'yes' should be kept as a (wrongly typed) string, got %v / %#v", e.OIDC.GetUserInfo, e.OIDC.Extra["getUserInfo"])
	}
	if e.OIDC.Issuer != "" || hasKey(e.OIDC.Extra, "issuer") {
		t.Error("issuer: ~ should leave the issuer unset")
	}
}

func TestAliasesAndMerges(t *testing.T) {
	in := `- &base
  type: oidc
  id: a
  name: A
  config: &cfg
    issuer: https://idp.acme.com
    clientID: c
    scopes: &scopes [profile, email]
- <<: *base
  id: b
  config:
    <<: *cfg
    clientID: d
    acrValues: *scopes
`
	idps, err := DecodeUpstreamIDPs([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	b := idps[1]
	if b.ID != "b" || b.Name != "A" || b.Type != "oidc" {
		t.Errorf("merged entry id, name, type = %q, %q, %q, want b, A, oidc", b.ID, b.Name, b.Type)
	}
	if b.OIDC.Issuer != "https://idp.acme.com" || b.OIDC.ClientID != "d" {
		t.Errorf("merged config issuer, clientID = %q, %q, want the base issuer and d", b.OIDC.Issuer, b.OIDC.ClientID)
	}
	if !reflect.DeepEqual(b.OIDC.AcrValues, []string{"profile", "email"}) || !reflect.DeepEqual(b.OIDC.Scopes, []string{"profile", "email"}) {
		t.Errorf("aliased lists = %q, %q", b.OIDC.AcrValues, b.OIDC.Scopes)
	}
	// A merged key points where its value is written, in the merged
	// mapping; an own key at itself.
	if got := b.Pos("name"); got != (Position{Line: 4, Column: 3}) {
		t.Errorf("Pos(name) of a merged key = %v, want 4:3 (in the anchored base mapping)", got)
	}
	if got := b.Pos("config.clientID"); got != (Position{Line: 13, Column: 5}) {
		t.Errorf("Pos(config.clientID) = %v, want 13:5", got)
	}
	// The encoding has no anchors: every entry stands alone.
	out, err := EncodeUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(out, "&*<") {
		t.Errorf("encoding keeps anchors or merges:\n%s", out)
	}
}

// TestDecodeErrors checks inputs that cannot be read at all: each gives a
// *SyntaxError with the place and the fix, never a panic.
func TestDecodeErrors(t *testing.T) {
	deepList := "- type: oidc\n  config:\n    x: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n"
	tests := []struct {
		name     string
		in       string
		wantPath string
		wantLine int
		want     []string
	}{
		{"not a list", "type: oidc\nid: a\n", "", 1, []string{"must be a list of entries, got a mapping"}},
		{"a string", "oidc\n", "", 1, []string{"got a string"}},
		{"entry not a mapping", "- type: oidc\n  id: a\n- just a string\n", "[1]", 3, []string{"an entry must be a mapping with type, id, name and config, got a string"}},
		{"entry a list", "- [type, oidc]\n", "[0]", 1, []string{"got a list"}},
		{"multi-document", "- id: a\n---\n- id: b\n", "", 2, []string{"more than one YAML document: pass one document"}},
		{"invalid YAML", "- id: a\n  name: [\n", "", 0, []string{"did not find expected"}},
		{"invalid JSON", `[{"id": "a"]`, "", 0, []string{"did not find expected"}},
		{"tab indentation", "- id: a\n\tname: b\n", "", 0, []string{"tab"}},
		{"deep nesting", deepList, "", 3, []string{"nested more than 200 levels deep: flatten the value"}},
		{"alias cycle", "- &a\n  type: oidc\n  config: {x: *a}\n", "", 3, []string{"alias *a points into its own anchor"}},
		{"alias cycle in breadth", "- &a [*a, *a, *a, *a, *a, *a, *a, *a]\n", "", 1, []string{"alias *a points into its own anchor"}},
		{"merge of a scalar", "- type: oidc\n  <<: oops\n", "[0]", 2, []string{"a merge key (<<) needs a mapping or a list of mappings"}},
		{"mapping key", "- {[a]: 1}\n", "[0]", 1, []string{"a mapping key is a mapping or a list"}},
		{"null key", "- {~: 1}\n", "[0]", 1, []string{"a key YAML reads as null"}},
		{"infinity", "- {x: .inf}\n", "[0].x", 1, []string{"YAML reads .inf or .nan here"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeUpstreamIDPs([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
			}
			if tt.wantPath != "" && se.Path != tt.wantPath {
				t.Errorf("path = %q, want %q (%v)", se.Path, tt.wantPath, err)
			}
			if tt.wantLine != 0 && se.Pos.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", se.Pos.Line, tt.wantLine, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "fake-") {
				t.Error("the error shows a secret value")
			}
			if len(err.Error()) > 300 {
				t.Errorf("error is %d bytes long; keep messages readable", len(err.Error()))
			}
		})
	}

	// Very deep input is refused by the YAML parser itself, without a panic.
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	if _, err := DecodeUpstreamIDPs([]byte(deep)); err == nil {
		t.Error("20000 nested lists decoded without an error")
	}

	// decodeUpstreamIDP wants exactly one entry.
	if _, err := decodeUpstreamIDP(nil); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Errorf("decodeUpstreamIDP(nil) = %v, want an empty input error", err)
	}
	if _, err := decodeUpstreamIDP([]byte("- type: oidc\n")); err == nil {
		t.Error("decodeUpstreamIDP of a list did not fail")
	}
}

// TestAliasBomb checks that a document whose aliases expand exponentially
// ("billion laughs") is refused quickly instead of expanded.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("- type: oidc\n  config:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "    l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	_, err := DecodeUpstreamIDPs([]byte(b.String()))
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "aliases") {
		t.Fatalf("alias bomb: err = %v, want a *SyntaxError about aliases", err)
	}
}

func TestEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n", "# only a comment\n", "~\n", "null\n", "[]\n"} {
		idps, err := DecodeUpstreamIDPs([]byte(in))
		if err != nil || len(idps) != 0 {
			t.Errorf("DecodeUpstreamIDPs(%q) = %v, %v, want no entries", in, idps, err)
		}
	}
}

func TestUpstreamIDPsFromValue(t *testing.T) {
	// As encoding/json gives it: float64 numbers, []any, map[string]any.
	v := []any{map[string]any{
		"type": "oidc", "id": "a", "name": "A", "configVersion": float64(2),
		"config": map[string]any{"issuer": "https://i", "scopes": []any{"email"}, "insecureEnableGroups": true},
	}, map[any]any{"type": "github", "id": "g", "config": map[any]any{"orgs": []map[string]any{{"name": "acme"}}}}}
	idps, err := upstreamIDPsFromValue(v)
	if err != nil {
		t.Fatal(err)
	}
	if idps[0].ConfigVersion != 2 || idps[0].OIDC.Issuer != "https://i" || !reflect.DeepEqual(idps[0].OIDC.Scopes, []string{"email"}) {
		t.Errorf("entry 0 = %v", idps[0])
	}
	if got, want := idps[1].Config["orgs"], []any{map[string]any{"name": "acme"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("generic config orgs = %#v, want %#v", got, want)
	}
	// Map gives back what UpstreamIDPFromMap reads.
	back, err := UpstreamIDPFromMap(idps[0].Map())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, idps[0]) {
		t.Errorf("UpstreamIDPFromMap(Map()) = %v, want %v", back, idps[0])
	}
	_, err = upstreamIDPsFromValue(map[string]any{"type": "oidc"})
	var se *SyntaxError
	if !errors.As(err, &se) || se.Path != "oidc.upstreamIDPs" {
		t.Errorf("a mapping as the list: err = %v, want a *SyntaxError at oidc.upstreamIDPs", err)
	}
}

// TestStringsRoundTrip writes strings that YAML makes hard (line breaks at
// the edges, tabs, words that YAML 1.1 reads as bools or numbers, indicator
// characters) as values and as keys, and reads them back unchanged.
func TestStringsRoundTrip(t *testing.T) {
	pem := "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Vy\n-----END CERTIFICATE-----\n"
	tricky := []string{
		"\n", "\n\n", "\na", "a\n", "a\n\n", "a\n\tb", "\ta", "a\r\nb", "\r", " lead", "trail ", " \n ",
		"yes", "No", "on", "y", "0123", "0x1F", "1e3", "1_000", ".5", "~", "null", "", "2001-12-14",
		"a: b", "- x", "#c", "<<", "*a", "&a", "!tag", "%x", "@x", "`x", "'q", "\"dq", "{a}", "[a]", "a #b",
		"\u2028", "\u0085", "é", pem,
	}
	for _, str := range tricky {
		t.Run(fmt.Sprintf("%q", str), func(t *testing.T) {
			e := UpstreamIDP{Type: "ldap", ID: str, Config: ConnectorConfig{"value": str, str: "key", str + "k": "key"}}
			first, err := EncodeUpstreamIDPs([]UpstreamIDP{e})
			if err != nil {
				t.Fatal(err)
			}
			back, err := DecodeUpstreamIDPs(first)
			if err != nil {
				t.Fatalf("reading back: %v\n%s", err, first)
			}
			if !reflect.DeepEqual(withoutSource(back), []UpstreamIDP{e}) {
				t.Fatalf("read back %#v\nfrom\n%s", back[0].Map(), first)
			}
			second, err := EncodeUpstreamIDPs(back)
			if err != nil || !bytes.Equal(first, second) {
				t.Errorf("second encoding differs (%v):\n%s\n%s", err, first, second)
			}
		})
	}
	// Multi-line text that block style can carry stays readable.
	out, err := EncodeUpstreamIDPs([]UpstreamIDP{{Type: "oidc", OIDC: &OIDCConfig{RootCAs: []string{pem}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("- |\n")) {
		t.Errorf("a PEM certificate is not written as a literal block:\n%s", out)
	}
}

// FuzzDecodeUpstreamIDPs checks that no input makes the decoder panic, and
// that decode -> encode -> decode -> encode is stable: what pachidp writes,
// it reads back to the same entries and writes to the same bytes.
func FuzzDecodeUpstreamIDPs(f *testing.F) {
	for _, name := range []string{"idp/entries.yaml", "idp/entries.json", "presets/auth0.golden"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte("- type: oidc\n  config: {issuer: 'https://i', clientID: 0123, insecureEnableGroups: yes}\n"))
	f.Add([]byte("- &a {type: oidc, id: a}\n- <<: *a\n  id: b\n"))
	f.Add([]byte(`[{"type":"ldap","config":{"bindPW":"x","port":636}}]`))
	f.Add([]byte("- {type: oidc, config: {clientSecret: [fake-secret-in-a-list], issuer: fake-secret-issuer}, jsonConfig: '{\"clientSecret\": 1}'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secrets := secretScalars(data)
		noSecret := func(what, text string) {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Fatalf("%s shows the value of a secret key", what)
				}
			}
		}
		idps, err := DecodeUpstreamIDPs(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is %T, not a *SyntaxError", err)
			}
			noSecret("the error", err.Error())
			return
		}
		noSecret("printing the entries", fmt.Sprintf("%v %+v %#v", idps, idps, idps))
		for _, target := range Targets() {
			for _, f := range Validate(idps, ValidateOptions{Target: target, ProxyHost: "pachyderm.example.com"}) {
				noSecret("a finding", f.Error())
			}
		}
		_, strict := decodePachdStrict(data)
		for _, f := range strict {
			noSecret("a strict finding", f.Error())
		}
		first, err := EncodeUpstreamIDPs(idps)
		if err != nil {
			t.Fatalf("encoding decoded entries: %v", err)
		}
		again, err := DecodeUpstreamIDPs(first)
		if err != nil {
			t.Fatalf("decoding our own encoding: %v\n%s", err, redactText(first))
		}
		if len(again) != len(idps) {
			t.Fatalf("decoding our own encoding gives %d entries, want %d", len(again), len(idps))
		}
		second, err := EncodeUpstreamIDPs(again)
		if err != nil {
			t.Fatalf("encoding again: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("second encoding differs from the first:\nfirst:\n%s\nsecond:\n%s", redactText(first), redactText(second))
		}
	})
}

// redactText hides the values of lines that name a secret key, for failure
// messages that show a whole document.
func redactText(b []byte) string {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		lines[i] = redactLine(l)
	}
	return strings.Join(lines, "\n")
}

// TestPachydermValuesFiles reads Pachyderm's own values files, as Helm
// would, and finds their (empty) oidc.upstreamIDPs list.
func TestPachydermValuesFiles(t *testing.T) {
	for _, file := range pachydermFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data := readFile(t, file)
			doc, err := parseDocument(data)
			if err != nil {
				t.Fatal(err)
			}
			pos := positions{}
			v, err := toValue(doc, "", pos)
			if err != nil {
				t.Fatal(err)
			}
			oidc, ok := v.(map[string]any)["oidc"].(map[string]any)
			if !ok {
				t.Fatal("no oidc mapping")
			}
			idps, err := upstreamIDPsFromValue(oidc["upstreamIDPs"])
			if err != nil || len(idps) != 0 {
				t.Errorf("oidc.upstreamIDPs = %v, %v, want an empty list", idps, err)
			}
			if p := pos["oidc.upstreamIDPs"]; !p.IsValid() {
				t.Error("no position for oidc.upstreamIDPs")
			}
		})
	}
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func BenchmarkDecodeUpstreamIDPs(b *testing.B) {
	data := readTestdata(b, "idp/entries.yaml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeUpstreamIDPs(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeUpstreamIDPs(b *testing.B) {
	idps, err := DecodeUpstreamIDPs(readTestdata(b, "idp/entries.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeUpstreamIDPs(idps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadValuesFile reads a whole Pachyderm values file (about 1,500
// lines) into values with positions, as Helm would.
func BenchmarkReadValuesFile(b *testing.B) {
	data := readFile(b, pachydermFiles(b)[0])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := parseDocument(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := toValue(doc, "", positions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDuplicateKeysKeepTheLast: a key written twice keeps its last value,
// as Helm's reader and pachd's (yaml.v2 through sigs.k8s.io/yaml, not
// strict) do; conformance/helmread holds it to Helm's own code.
func TestDuplicateKeysKeepTheLast(t *testing.T) {
	in := "- type: oidc\n  id: a\n  name: A\n  id: b\n  config:\n    clientSecret: fake-1\n    issuer: x\n    clientSecret: fake-2\n"
	idps, err := DecodeUpstreamIDPs([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if idps[0].ID != "b" || idps[0].OIDC.ClientSecret != "fake-2" {
		t.Errorf("id, clientSecret = %q, %q, want the last ones", idps[0].ID, idps[0].OIDC.ClientSecret)
	}
	if got := idps[0].Pos("id"); got.Line != 4 {
		t.Errorf("Pos(id) = %v, want line 4 (the value Helm keeps)", got)
	}
}

// TestAliasDocsShowFields: Position and SyntaxError are aliases of the
// internal reader's types, which go doc does not expand: their doc comments
// show the struct, and this test fails when a field is added there and not
// to the comment.
func TestAliasDocsShowFields(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "document.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE && g.Doc != nil {
			docs[g.Specs[0].(*ast.TypeSpec).Name.Name] = g.Doc.Text()
		}
	}
	for name, typ := range map[string]reflect.Type{"Position": reflect.TypeFor[Position](), "SyntaxError": reflect.TypeFor[SyntaxError]()} {
		for i := range typ.NumField() {
			fld := typ.Field(i)
			if !fld.IsExported() {
				continue
			}
			decl := fmt.Sprintf("%s %s", fld.Name, fld.Type.Name())
			if fld.Type.Kind() == reflect.Slice {
				decl = fld.Name + " []" + fld.Type.Elem().Name()
			}
			if fields := strings.Fields(docs[name]); !strings.Contains(strings.Join(fields, " "), decl) {
				t.Errorf("the doc comment of %s does not show its field %s (%q)", name, fld.Name, decl)
			}
		}
	}
}
