package strvals

import (
	"reflect"
	"strings"
	"testing"
)

// TestParse: what is accepted is typed as Helm's typedVal types it
// (helm.sh/helm/v3 v3.22.0 pkg/strvals/parser.go:528-561); the
// conformance module conformance/helmread runs Helm's parser on the same
// inputs (TestSetMatchesHelm).
func TestParse(t *testing.T) {
	type kv struct {
		path string
		val  any
	}
	tests := []struct {
		in     string
		str    bool
		want   []kv
		refuse string // part of the error
	}{
		{in: "proxy.host=pachyderm.example.com", want: []kv{{"proxy.host", "pachyderm.example.com"}}},
		{in: "proxy.tls.enabled=true", want: []kv{{"proxy.tls.enabled", true}}},
		{in: "a=TRUE", want: []kv{{"a", true}}},
		{in: "a=False", want: []kv{{"a", false}}},
		{in: "a=null", want: []kv{{"a", nil}}},
		{in: "a=NULL", want: []kv{{"a", nil}}},
		{in: "a=0", want: []kv{{"a", int64(0)}}},
		{in: "a=42", want: []kv{{"a", int64(42)}}},
		{in: "a=-7", want: []kv{{"a", int64(-7)}}},
		{in: "a=+7", want: []kv{{"a", int64(7)}}},
		{in: "a=0755", want: []kv{{"a", "0755"}}},
		{in: "a=1.5", want: []kv{{"a", "1.5"}}},
		{in: "a=1e3", want: []kv{{"a", "1e3"}}},
		{in: "a=yes", want: []kv{{"a", "yes"}}},
		{in: "a=9223372036854775808", want: []kv{{"a", "9223372036854775808"}}},
		{in: "a=", want: []kv{{"a", ""}}},
		{in: "a=x=y", want: []kv{{"a", "x=y"}}},
		{in: "a=1,b=two", want: []kv{{"a", int64(1)}, {"b", "two"}}},
		{in: "a=1,", want: []kv{{"a", int64(1)}}},
		{in: `a=x\,y`, want: []kv{{"a", "x,y"}}},
		{in: `a\.b=1`, want: []kv{{"a.b", int64(1)}}},
		{in: `annotations.kubernetes\.io/ingress\.class=nginx`, want: []kv{{"annotations.kubernetes.io/ingress.class", "nginx"}}},
		{in: `a=x\`, want: []kv{{"a", "x"}}},
		{in: "a=true", str: true, want: []kv{{"a", "true"}}},
		{in: "a=42", str: true, want: []kv{{"a", "42"}}},
		{in: "a=null", str: true, want: []kv{{"a", "null"}}},
		{in: "", want: nil},

		{in: "a", refuse: "no value"},
		{in: "a.b", refuse: "no value"},
		{in: "a,b=1", refuse: "no value before ','"},
		{in: "=1", refuse: "an empty key"},
		{in: "a..b=1", refuse: "an empty key"},
		{in: ".a=1", refuse: "an empty key"},
		{in: "a.=1", refuse: "an empty key"},
		{in: "a[0]=1", refuse: "a list index"},
		{in: "a={1,2}", refuse: "a value in braces"},
		{in: strings.Repeat("a.", 31) + "a=1", refuse: "levels of keys"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.str)
		if tt.refuse != "" {
			if err == nil || !strings.Contains(err.Error(), tt.refuse) {
				t.Errorf("Parse(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.refuse)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		var kvs []kv
		for _, a := range got {
			kvs = append(kvs, kv{strings.Join(a.Keys, "."), a.Value})
		}
		if !reflect.DeepEqual(kvs, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, kvs, tt.want)
		}
	}
}

// TestErrorsHoldNoValue: a refusal names the path, never the value (it may
// be a secret typed on the command line).
func TestErrorsHoldNoValue(t *testing.T) {
	for _, in := range []string{"a={canary-s3cret}", "a[0]=canary-s3cret", "a..b=canary-s3cret"} {
		_, err := Parse(in, false)
		if err == nil || strings.Contains(err.Error(), "canary") {
			t.Errorf("Parse(%q): %v", in, err)
		}
	}
}

// FuzzParse: Parse never panics, each assignment it accepts reads back the
// same from its Path and escaped value, and its values are of the types
// Helm gives.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"proxy.host=x", `a\.b=1,c=true`, "a=null", "a=0755", "a[0]=1", `a=x\,y`, "a={b}", "..=", `\`} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, str bool) {
		as, err := Parse(s, str)
		if err != nil {
			return
		}
		for _, a := range as {
			switch a.Value.(type) {
			case nil, bool, int64, string:
			default:
				t.Fatalf("%q: value of type %T", s, a.Value)
			}
			if a.Value != Type(a.Raw, str) {
				t.Fatalf("%q: value %#v is not Type(%q)", s, a.Value, a.Raw)
			}
			again, err := Parse(a.Path()+"="+escapeValue(a.Raw), str)
			if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0].Keys, a.Keys) || again[0].Raw != a.Raw {
				t.Fatalf("%q: %q does not read back: %v %v", s, a.Path(), again, err)
			}
		}
	})
}

func escapeValue(v string) string {
	v = strings.NewReplacer(`\`, `\\`, `,`, `\,`).Replace(v)
	if strings.HasPrefix(v, "{") {
		v = `\` + v
	}
	return v
}
