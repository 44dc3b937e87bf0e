package helmyaml

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	ghodss "github.com/ghodss/yaml"
)

// helmToYAMLReference is Helm's toYaml pipeline without the final trim:
// github.com/ghodss/yaml v1.0.0 (which sigs.k8s.io/yaml forked) on
// gopkg.in/yaml.v2 v2.4.0 (which sigs.k8s.io/yaml v1.4.0 vendors as
// goyaml.v2), both from Dex's module graph. Marshal is json.Marshal, then
// yaml.v2 Unmarshal and Marshal, exactly as in sigs.k8s.io/yaml.
func helmToYAMLReference(v any) ([]byte, error) { return ghodss.Marshal(v) }

// TestMarshalMatchesReference compares the emitter with Helm's toYaml
// pipeline on the corner cases of yaml.v2's emitter.
func TestMarshalMatchesReference(t *testing.T) {
	long := strings.Repeat("x", 130)
	cases := map[string]any{
		"scalars": []any{"yes", "No", "ON", "y", "~", "null", "", " ", "012", "0x1F", "0o17", "0b101", "-0b11", "+1", "1_000", "08",
			"1e3", ".5", "+.5", "._5", ".", "1.2.3", "1e400", ".inf", "-.Inf", ".NaN", "<<", "1:20", "-1:20:30.5", "2001-12-14",
			"2001-12-14 21:59:43.10", "2001-12-14t21:59:43.10-05:00", "2001-1-2", "12345-1-1"},
		"indicators": []any{"*", "&a", "!tag", "|", ">", "'", `"`, "%", "@", "`", "#", "a #b", "a#b", "- a", "-a", "-", "--", "---", "...x",
			"? a", "?a", ": a", ":a", "a: b", "a:b", "a:", "[", "]", "{x}", "a,b", "a, b", "a [b]"},
		"spaces": []any{" lead", "trail ", "in  side", "a\tb", "\t", "a\n", "\na", "a\n\n", "a\n\nb", "a \nb", "a\n b", "\n", "\n\n",
			"a\r\nb", "line one\nline two", " a\nb", "a\u2028b", "a\u2029\nb"},
		"unicode": []any{"Zürich", "é\n", "\u00a0", "a\u00a0b", "✓", "🔑", "a🔑b\nc", "\ufeffbom", "bom\ufeff", "\u200b", "\ue000", "\ufffd"},
		"numbers": []any{0, -0.0, 1, -1, 1.5, 1e6, 1e21, 1e-7, 123456789.0, 1234567.5, math.MaxInt64, int64(math.MinInt64),
			uint64(math.MaxUint64), float64(1 << 53), 0.1, 100.0},
		"other": []any{true, false, nil, []any{}, map[string]any{}, []any{[]any{}}, []any{[]any{1, []any{2, map[string]any{"a": []any{}}}}}},
		"wrap": []any{strings.Repeat("word ", 30), strings.Repeat("word  ", 20), "'" + strings.Repeat("q ", 60), strings.Repeat("a ", 50) + "\t",
			strings.Repeat("é ", 60), strings.Repeat("x", 200), strings.Repeat("w ", 45) + ": x", "\ufeff" + strings.Repeat("b ", 50),
			strings.Repeat("multi line ", 10) + "\n" + strings.Repeat("z ", 50)},
		"keys": map[string]any{"n": 1, "y": 2, "yes": 3, "": 4, "a10": 5, "a9": 6, "a09": 7, "A": 8, "_": 9, "1": 10, "01": 11,
			"a b": 12, "a: b": 13, "k\nl": 14, long: 15, long + "\n": []any{1}, "é": 16, "e": 17, "-x": 18, "?": 19,
			"nested": map[string]any{"list": []any{map[string]any{"a": 1, "b": []any{"c"}}, []any{"d"}}}},
		"deep": map[string]any{"a": map[string]any{"b": map[string]any{"c": []any{map[string]any{"d": []any{[]any{map[string]any{"e": "f\ng"}}}}}}}},
	}
	for name, v := range cases {
		for _, root := range []any{v, []any{v}, map[string]any{"k": v}} {
			want, werr := helmToYAMLReference(root)
			got, err := Marshal(root)
			if werr != nil || err != nil {
				t.Errorf("%s: errors: got %v, reference %v", name, err, werr)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: differs from Helm's toYaml:\n got: %q\nwant: %q", name, got, want)
			}
		}
	}
}

func FuzzMarshalMatchesReference(f *testing.F) {
	for _, s := range []string{"yes", "012", "*", ": x", "", "a\nb", " lead", "trail ", "a\u2028b", "\ufeffx", "0x1F", "1:20", "2001-12-14",
		"a # b", "- a", "@x", "x: y", "1e400", "0b101", "-0b11", "+.5", "~", "<<", "a\n\n", "\n", "\t", "😀 é"} {
		f.Add(s, s+" "+s, 1.5, int64(7))
	}
	f.Add("~", strings.Repeat(".", 1030)+"\x01", 1.5, int64(7)) // a key longer than YAML allows
	f.Fuzz(func(t *testing.T, a, b string, x float64, n int64) {
		v := []any{
			map[string]any{a: b, b: []any{a, x, n, map[string]any{"k" + a: b}}, "x": a, "long": a + " " + b + " " + a + " " + b},
			a, []any{b, []any{}},
		}
		want, werr := helmToYAMLReference(v)
		got, gerr := Marshal(v)
		if gerr != nil {
			var re *MarshalError
			if !errors.As(gerr, &re) {
				t.Fatalf("error of type %T: %v", gerr, gerr)
			}
			// Helm renders NEL folded and invalid UTF-8 replaced: both
			// refused on purpose.
			if werr == nil && !strings.ContainsRune(a+b, 0x85) && utf8.ValidString(a) && utf8.ValidString(b) {
				t.Fatalf("refused what Helm renders: %v", gerr)
			}
			return
		}
		if werr != nil {
			t.Fatalf("rendered what Helm refuses (%v)", werr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("differs from Helm's toYaml:\ngot:  %q\nwant: %q", got, want)
		}
	})
}

// YAML allows at most 1024 characters from the start of a key to its colon:
// Helm's toYaml fails on longer keys of the JSON it reads back.
func TestMarshalLongKeys(t *testing.T) {
	for _, tc := range []struct {
		key  string
		fail bool
	}{
		{strings.Repeat("k", 1022), false},
		{strings.Repeat("k", 1023), true},
		{strings.Repeat("é", 1022), false}, // characters, not bytes
		{strings.Repeat("é", 1023), true},
		{strings.Repeat("<", 170), false}, // 170 × \u003c = 1020 characters
		{strings.Repeat("<", 171), true},
		{strings.Repeat("\n", 511), false},
		{strings.Repeat("\n", 512), true},
	} {
		v := []any{map[string]any{"config": map[string]any{tc.key: 1, "short": 2}}}
		_, herr := helmToYAMLReference(v)
		if (herr != nil) != tc.fail {
			t.Fatalf("key of %d bytes: Helm's toYaml error %v, want failure %v", len(tc.key), herr, tc.fail)
		}
		_, err := Marshal(v)
		var me *MarshalError
		switch {
		case tc.fail && !errors.As(err, &me):
			t.Errorf("key of %d bytes: got %v, want a *MarshalError", len(tc.key), err)
		case tc.fail && (me.Problem != LongKey || len(me.Path) != 3 || me.Path[0] != 0 || me.Path[1] != "config" ||
			me.Path[2] != string([]rune(tc.key)[:32])+"..."):
			t.Errorf("key of %d bytes: got %#v", len(tc.key), me)
		case !tc.fail && err != nil:
			t.Errorf("key of %d bytes: %v", len(tc.key), err)
		}
	}
}

func TestMarshalRefuses(t *testing.T) {
	const secret = "fake-client-secret-do-not-print"
	for _, tc := range []struct {
		name    string
		v       any
		problem Problem
		path    []any
		char    rune
	}{
		{"bad UTF-8", []any{map[string]any{"s": secret + "\xff"}}, InvalidUTF8, []any{0, "s"}, 0},
		{"bad UTF-8 key", map[string]any{"m": map[string]any{"k\xff": secret}}, InvalidUTF8Key, []any{"m"}, 0},
		{"NEL", map[string]any{"s": secret + "\u0085"}, NEL, []any{"s"}, 0},
		{"NEL in a key", map[string]any{"k\u0085": 1}, NEL, []any{"k\u0085"}, 0},
		{"DEL", []any{"a", secret + "\u007f"}, ControlChar, []any{1}, 0x7f},
		{"C1", map[string]any{"s": secret + "\u0090"}, ControlChar, []any{"s"}, 0x90},
		{"U+FFFF", map[string]any{"s": secret + "\uffff"}, ControlChar, []any{"s"}, 0xffff},
		{"not JSON", map[string]any{"f": math.NaN()}, NotJSON, nil, 0},
		{"not JSON either", []any{make(chan int)}, NotJSON, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Marshal(tc.v)
			var me *MarshalError
			if !errors.As(err, &me) {
				t.Fatalf("got %v, want a *MarshalError", err)
			}
			if me.Problem != tc.problem || fmt.Sprint(me.Path) != fmt.Sprint(tc.path) || me.Char != tc.char {
				t.Errorf("got %#v, want problem %d at %v", me, tc.problem, tc.path)
			}
			if (me.Err != nil) != (tc.problem == NotJSON) {
				t.Errorf("Err = %v", me.Err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the value: %v", err)
			}
		})
	}
}

// Typed Go values go through encoding/json first, as in Helm.
func TestMarshalGoValues(t *testing.T) {
	type conf struct {
		ClientID string   `json:"clientID"`
		Scopes   []string `json:"scopes,omitempty"`
		Port     int      `json:"port"`
	}
	for _, v := range []any{
		conf{ClientID: "yes", Scopes: []string{"openid", "012"}, Port: 8080},
		map[string]any{"c": &conf{}, "n": nil, "list": []string{}},
		[]any{int64(math.MaxInt64), uint64(math.MaxUint64), float32(1.5)},
		"top",
	} {
		got, err := Marshal(v)
		want, werr := helmToYAMLReference(v)
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			t.Errorf("%#v:\n got %q, %v\nwant %q, %v", v, got, err, want, werr)
		}
	}
}

func ExampleMarshal() {
	out, err := Marshal([]any{map[string]any{
		"id":     "no", // a YAML 1.1 boolean: quoted
		"name":   "Okta",
		"config": map[string]any{"issuer": "https://x.okta.com", "a10": 1, "a9": 2, "scopes": []any{}},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Print(string(out))
	// Output:
	// - config:
	//     a9: 2
	//     a10: 1
	//     issuer: https://x.okta.com
	//     scopes: []
	//   id: "no"
	//   name: Okta
}

func BenchmarkMarshal(b *testing.B) {
	entry := map[string]any{
		"type": "oidc", "id": "keycloak", "name": "Keycloak",
		"config": map[string]any{
			"issuer": "https://keycloak.example.com/realms/pachyderm", "clientID": "pachyderm",
			"clientSecret": "fake-client-secret-do-not-print", "redirectURI": "https://pachyderm.example.com/dex/callback",
			"scopes": []any{"openid", "profile", "email", "groups"}, "insecureEnableGroups": true,
			"claimMapping": map[string]any{"groups": "roles"}, "long": strings.Repeat("word ", 25) + "end",
		},
	}
	v := []any{entry, entry, entry, entry}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}
