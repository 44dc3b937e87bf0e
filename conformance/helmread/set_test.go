package helmread

import (
	"reflect"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/strvals"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/internal/fixtures"
	ours "github.com/pachidp/pachidp/internal/strvals"
)

// setInputs are --set arguments: the prerequisites' keys and every case
// of Helm's typing and escaping.
var setInputs = []string{
	"proxy.host=pachyderm.example.com",
	"proxy.enabled=true,proxy.tls.enabled=true,proxy.tls.secretName=tls",
	"ingress.enabled=TRUE", "ingress.host=pach.example.com", "oidc.mockIDP=False",
	"oidc.issuerURI=https://pach.example.com/dex", "pachd.enterpriseLicenseKeySecretName=license",
	"a=null", "a=NULL", "a=Null", "a=0", "a=00", "a=007", "a=42", "a=-7", "a=+7", "a=1.5", "a=-0", "a=1e3",
	"a=0x1f", "a=yes", "a=on", "a=~", "a=9223372036854775807", "a=9223372036854775808", "a=-9223372036854775808",
	"a=", "a= x ", "a=x=y", "a=1,b=two", "a=1,", `a=x\,y`, `a\.b=1`, `a=x\`, `a=\{x}`, `a=\\`,
	`annotations.kubernetes\.io/ingress\.class=nginx`, "a.b.c.d=deep", "a=ünïcode", "a=true,a=false",
}

// TestSetMatchesHelm: for every input, pachidp's parser (internal/strvals,
// used by pachidp set and add --set) reads what Helm's strvals.ParseInto
// (helm install --set) reads, and --set-string what ParseIntoString reads.
func TestSetMatchesHelm(t *testing.T) {
	for _, str := range []bool{false, true} {
		for _, in := range setInputs {
			helm := map[string]any{}
			parse := strvals.ParseInto
			if str {
				parse = strvals.ParseIntoString
			}
			if err := parse(in, helm); err != nil {
				t.Errorf("helm refuses %q: %v", in, err)
				continue
			}
			as, err := ours.Parse(in, str)
			if err != nil {
				t.Errorf("pachidp refuses %q: %v", in, err)
				continue
			}
			got := map[string]any{}
			for _, a := range as {
				m := got
				for _, k := range a.Keys[:len(a.Keys)-1] {
					next, _ := m[k].(map[string]any)
					if next == nil {
						next = map[string]any{}
						m[k] = next
					}
					m = next
				}
				m[a.Keys[len(a.Keys)-1]] = a.Value
			}
			if !reflect.DeepEqual(got, helm) {
				t.Errorf("%q (string %v): pachidp reads %#v, helm %#v", in, str, got, helm)
			}
		}
	}
}

// TestSetRefusals: what pachidp refuses, Helm either refuses too or reads
// as something set does not write (a list, or nothing at all).
func TestSetRefusals(t *testing.T) {
	tests := []struct{ in, helm string }{
		{"a", "error"},
		{"a,b=1", "error"},
		{"a[0]=1", "list"},
		{"a={1,2}", "list"},
		{"=1", "nothing"},
		{"a..b=1", "error"},
		{strings.Repeat("a.", 31) + "a=1", "error"},
	}
	for _, tt := range tests {
		if _, err := ours.Parse(tt.in, false); err == nil {
			t.Errorf("pachidp accepts %q", tt.in)
		}
		helm := map[string]any{}
		err := strvals.ParseInto(tt.in, helm)
		var what string
		switch {
		case err != nil:
			what = "error"
		case len(helm) == 0:
			what = "nothing"
		default:
			what = "list"
			for _, v := range helm {
				if _, ok := v.([]any); !ok {
					what = "other"
				}
			}
		}
		if what != tt.helm {
			t.Errorf("helm on %q: %s (%v, %v), want %s", tt.in, what, helm, err, tt.helm)
		}
	}
}

// TestSetReadsBackAsHelm: the values pachidp set writes into Pachyderm's
// own values file are read by Helm's reader (chartutil.ReadValues) as
// helm --set would have set them, and every other value is unchanged.
func TestSetReadsBackAsHelm(t *testing.T) {
	data := fixtures.Read(t, "values-2.11.x.yaml")
	in := "proxy.host=pach.example.com,proxy.tls.enabled=true,proxy.tls.secretName=tls,pachd.replicas=2,oidc.mockIDP=false,ingress.annotations.kubernetes\\.io/ingress\\.class=nginx"
	as, err := ours.Parse(in, false)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pachidp.OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		p := ""
		for _, k := range a.Keys {
			if strings.ContainsAny(k, ".[]\"") {
				p += `["` + k + `"]`
			} else if p == "" {
				p = k
			} else {
				p += "." + k
			}
		}
		if err := doc.Set(p, a.Value); err != nil {
			t.Fatalf("Set(%s): %v", p, err)
		}
	}
	want, err := helmRead(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := strvals.ParseInto(in, want); err != nil {
		t.Fatal(err)
	}
	got, err := helmRead(doc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// Helm's reader gives numbers as float64 (sigs.k8s.io/yaml via JSON),
	// strvals int64: compare through the reader's types.
	want["pachd"].(map[string]any)["replicas"] = float64(2)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("helm reads the set file differently from the file with --set")
	}
}

// FuzzSetMatchesHelm: on any input pachidp's parser accepts, Helm's
// accepts too and reads the same values (when no path of the input runs
// through another's value: Helm then keeps the last, and pachidp set
// refuses to turn a scalar into a mapping when it writes).
func FuzzSetMatchesHelm(f *testing.F) {
	for _, s := range setInputs {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, in string, str bool) {
		as, err := ours.Parse(in, str)
		if err != nil {
			return
		}
		got := map[string]any{}
		for _, a := range as {
			m := got
			for _, k := range a.Keys[:len(a.Keys)-1] {
				next, isMap := m[k].(map[string]any)
				if _, exists := m[k]; exists && !isMap {
					return // through another path's value
				}
				if next == nil {
					next = map[string]any{}
					m[k] = next
				}
				m = next
			}
			last := a.Keys[len(a.Keys)-1]
			if _, isMap := m[last].(map[string]any); isMap {
				return // over another path's mapping
			}
			m[last] = a.Value
		}
		helm := map[string]any{}
		parse := strvals.ParseInto
		if str {
			parse = strvals.ParseIntoString
		}
		if err := parse(in, helm); err != nil {
			t.Fatalf("pachidp reads %q, helm refuses it: %v", in, err)
		}
		if !reflect.DeepEqual(got, helm) {
			t.Fatalf("%q: pachidp reads %#v, helm %#v", in, got, helm)
		}
	})
}
