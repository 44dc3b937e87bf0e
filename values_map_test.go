package pachidp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const valuesYAML = `deployTarget: LOCAL
pachd:
  replicas: 1
  resources: {}
  storage:
    uploadConcurrencyLimit: 100
oidc:
  mockIDP: false
  issuerURI: ""
  IDTokenExpiry: 24h
  upstreamIDPs:
    - type: oidc
      id: okta
      name: Okta
      config:
        issuer: https://acme.okta.com
        clientID: okta-client
        clientSecret: fake-client-secret-do-not-print
        redirectURI: https://pachyderm.example.com/dex/callback
        insecureEnableGroups: true
    - type: github
      id: github
      name: GitHub
      configVersion: 2
      jsonConfig: '{"clientID": "gh-client"}'
  upstreamIDPsSecretName: ""
proxy:
  enabled: true
  host: pachyderm.example.com
  timeoutSeconds: 1.5
`

// valuesSources returns the same values tree as produced by yaml.v3, by
// encoding/json (numbers as float64), as Go literals with []map[string]any,
// and as yaml.v2 would (map[any]any).
func valuesSources(t testing.TB) map[string]func() map[string]any {
	t.Helper()
	var probe map[string]any
	if err := yaml.Unmarshal([]byte(valuesYAML), &probe); err != nil {
		t.Fatal(err)
	}
	jsonText, err := json.Marshal(probe)
	if err != nil {
		t.Fatal(err)
	}
	okta := func() map[string]any {
		return map[string]any{"type": "oidc", "id": "okta", "name": "Okta", "config": map[string]any{
			"issuer": "https://acme.okta.com", "clientID": "okta-client", "clientSecret": fakeSecret,
			"redirectURI": "https://pachyderm.example.com/dex/callback", "insecureEnableGroups": true}}
	}
	github := func() map[string]any {
		return map[string]any{"type": "github", "id": "github", "name": "GitHub", "configVersion": 2, "jsonConfig": `{"clientID": "gh-client"}`}
	}
	rest := func(oidc any) map[string]any {
		return map[string]any{
			"deployTarget": "LOCAL",
			"pachd":        map[string]any{"replicas": 1, "resources": map[string]any{}, "storage": map[string]any{"uploadConcurrencyLimit": 100}},
			"oidc":         oidc,
			"proxy":        map[string]any{"enabled": true, "host": "pachyderm.example.com", "timeoutSeconds": 1.5},
		}
	}
	toAnyKeys := func(m map[string]any) map[any]any {
		out := map[any]any{}
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				inner := map[any]any{}
				for k2, v2 := range sub {
					inner[k2] = v2
				}
				v = inner
			}
			out[k] = v
		}
		return out
	}
	return map[string]func() map[string]any{
		"yaml.v3": func() map[string]any {
			var m map[string]any
			if err := yaml.Unmarshal([]byte(valuesYAML), &m); err != nil {
				t.Fatal(err)
			}
			return m
		},
		"encoding/json": func() map[string]any {
			var m map[string]any
			if err := json.Unmarshal(jsonText, &m); err != nil {
				t.Fatal(err)
			}
			return m
		},
		"literal": func() map[string]any {
			return rest(map[string]any{"mockIDP": false, "issuerURI": "", "IDTokenExpiry": "24h",
				"upstreamIDPs": []map[string]any{okta(), github()}, "upstreamIDPsSecretName": ""})
		},
		"yaml.v2 style": func() map[string]any {
			return rest(map[any]any{"mockIDP": false, "issuerURI": "", "IDTokenExpiry": "24h",
				"upstreamIDPs": []any{toAnyKeys(okta()), toAnyKeys(github())}, "upstreamIDPsSecretName": ""})
		},
	}
}

// withoutKeys returns a deep copy of vals without the oidc keys named.
func withoutKeys(vals map[string]any, keys ...string) map[string]any {
	c := deepCopy(vals)
	if oidc := asGenericMap(c["oidc"]); oidc.valid() {
		for _, k := range keys {
			oidc.rv.SetMapIndex(oidc.key(k), reflect.Value{})
		}
	}
	return c
}

// entryMaps returns the entry maps of oidc.upstreamIDPs.
func entryMaps(t *testing.T, vals map[string]any) []any {
	t.Helper()
	items, _, err := HelmValues(vals).readList()
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func sameObject(a, b any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func auth0Entry(t testing.TB) UpstreamIDP {
	t.Helper()
	e, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "aBcD1234", ClientSecret: fakeSecret, ProxyHost: "pachyderm.example.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestHelmValuesEdits(t *testing.T) {
	for name, source := range valuesSources(t) {
		t.Run(name, func(t *testing.T) {
			check := func(t *testing.T, vals, before map[string]any, origItems []any, want []string, kept map[int]int) {
				t.Helper()
				// Every other key is untouched, types included.
				if !reflect.DeepEqual(withoutKeys(vals, helmIDPs), withoutKeys(before, helmIDPs)) {
					t.Errorf("keys other than oidc.upstreamIDPs changed")
				}
				items := entryMaps(t, vals)
				entries, err := HelmValues(vals).UpstreamIDPs()
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, e := range entries {
					ids = append(ids, e.ID)
				}
				if !reflect.DeepEqual(ids, want) {
					t.Errorf("ids %v, want %v", ids, want)
				}
				for now, orig := range kept {
					if !sameObject(items[now], origItems[orig]) {
						t.Errorf("entry %d is not the original map of entry %d", now, orig)
					}
				}
			}
			run := func(t *testing.T, edit func(v HelmValues) error, want []string, kept map[int]int) map[string]any {
				vals := source()
				before := deepCopy(vals)
				orig := entryMaps(t, vals)
				if err := edit(HelmValues(vals)); err != nil {
					t.Fatal(err)
				}
				check(t, vals, before, orig, want, kept)
				return vals
			}

			t.Run("upsert new", func(t *testing.T) {
				vals := run(t, func(v HelmValues) error { return v.UpsertUpstreamIDP(auth0Entry(t)) },
					[]string{"okta", "github", "auth0"}, map[int]int{0: 0, 1: 1})
				got, _ := HelmValues(vals).UpstreamIDPs()
				if !reflect.DeepEqual(got[2].Map(), auth0Entry(t).Map()) {
					t.Error("the upserted entry differs")
				}
			})
			t.Run("upsert replaces in place", func(t *testing.T) {
				vals := run(t, func(v HelmValues) error {
					entries, err := v.UpstreamIDPs()
					if err != nil {
						return err
					}
					okta := entries[0]
					okta.OIDC.ClientID = "new-client"
					return v.UpsertUpstreamIDP(okta)
				}, []string{"okta", "github"}, map[int]int{1: 1})
				got, _ := HelmValues(vals).UpstreamIDPs()
				if got[0].OIDC.ClientID != "new-client" {
					t.Error("the entry was not replaced")
				}
			})
			t.Run("upsert unchanged is a no-op", func(t *testing.T) {
				var before map[string]any
				run(t, func(v HelmValues) error {
					before = deepCopy(map[string]any(v))
					entries, err := v.UpstreamIDPs()
					if err != nil {
						return err
					}
					for _, e := range entries {
						if err := v.UpsertUpstreamIDP(e); err != nil {
							return err
						}
					}
					if !reflect.DeepEqual(map[string]any(v), before) {
						t.Error("upserting unchanged entries changed the values")
					}
					return nil
				}, []string{"okta", "github"}, map[int]int{0: 0, 1: 1})
			})
			t.Run("remove", func(t *testing.T) {
				run(t, func(v HelmValues) error { return v.RemoveUpstreamIDP("okta") },
					[]string{"github"}, map[int]int{0: 1})
			})
			t.Run("remove missing", func(t *testing.T) {
				var missing error
				run(t, func(v HelmValues) error {
					missing = v.RemoveUpstreamIDP("nope")
					return nil
				}, []string{"okta", "github"}, map[int]int{0: 0, 1: 1})
				if !errors.Is(missing, ErrIDPNotFound) {
					t.Errorf("removing a missing id: %v, want ErrIDPNotFound", missing)
				}
			})
			t.Run("set keeps unchanged maps", func(t *testing.T) {
				run(t, func(v HelmValues) error {
					entries, err := v.UpstreamIDPs()
					if err != nil {
						return err
					}
					return v.SetUpstreamIDPs([]UpstreamIDP{entries[1], auth0Entry(t), entries[0]})
				}, []string{"github", "auth0", "okta"}, map[int]int{0: 1, 2: 0})
			})
			t.Run("switch to a Secret", func(t *testing.T) {
				vals := source()
				before := deepCopy(vals)
				v := HelmValues(vals)
				if err := v.SetUpstreamIDPs(nil); err != nil {
					t.Fatal(err)
				}
				if err := v.setUpstreamIDPsSecretName("acme-idps"); err != nil {
					t.Fatal(err)
				}
				if name, err := v.UpstreamIDPsSecretName(); err != nil || name != "acme-idps" {
					t.Errorf("secret name %q, %v", name, err)
				}
				if entries, err := v.UpstreamIDPs(); err != nil || len(entries) != 0 {
					t.Errorf("%d entries left, %v", len(entries), err)
				}
				if !reflect.DeepEqual(withoutKeys(vals, helmIDPs, helmSecretName), withoutKeys(before, helmIDPs, helmSecretName)) {
					t.Error("other keys changed")
				}
			})
		})
	}
}

// TestHelmValuesRenderAfterEdit checks that what Helm renders from edited
// values is RenderUpstreamIDPs of the entries.
func TestHelmValuesRenderAfterEdit(t *testing.T) {
	vals := valuesSources(t)["yaml.v3"]()
	v := HelmValues(vals)
	if err := v.UpsertUpstreamIDP(auth0Entry(t)); err != nil {
		t.Fatal(err)
	}
	want, err := helmToYAMLReference(vals["oidc"].(map[string]any)["upstreamIDPs"])
	if err != nil {
		t.Fatal(err)
	}
	entries, err := v.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	got, err := RenderUpstreamIDPs(entries)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Helm renders the edited values differently from RenderUpstreamIDPs")
	}
}

func TestHelmValuesCreatesOIDC(t *testing.T) {
	for name, vals := range map[string]map[string]any{
		"no oidc":       {"pachd": map[string]any{"enabled": true}},
		"null oidc":     {"oidc": nil},
		"no list":       {"oidc": map[string]any{"mockIDP": true}},
		"null list":     {"oidc": map[string]any{"upstreamIDPs": nil}},
		"empty literal": {"oidc": map[string]any{"upstreamIDPs": []map[string]any{}}},
	} {
		v := HelmValues(vals)
		if err := v.UpsertUpstreamIDP(auth0Entry(t)); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		entries, err := v.UpstreamIDPs()
		if err != nil || len(entries) != 1 || entries[0].ID != "auth0" {
			t.Errorf("%s: got %d entries, %v", name, len(entries), err)
		}
	}
	// A literal []map[string]any stays one.
	vals := map[string]any{"oidc": map[string]any{"upstreamIDPs": []map[string]any{}}}
	if err := HelmValues(vals).UpsertUpstreamIDP(auth0Entry(t)); err != nil {
		t.Fatal(err)
	}
	if _, ok := vals["oidc"].(map[string]any)["upstreamIDPs"].([]map[string]any); !ok {
		t.Error("the []map[string]any list changed type")
	}
}

func TestHelmValuesWrongShapes(t *testing.T) {
	ops := map[string]func(HelmValues) error{
		"UpstreamIDPs":           func(v HelmValues) error { _, err := v.UpstreamIDPs(); return err },
		"UpsertUpstreamIDP":      func(v HelmValues) error { return v.UpsertUpstreamIDP(auth0Entry(t)) },
		"RemoveUpstreamIDP":      func(v HelmValues) error { return v.RemoveUpstreamIDP("okta") },
		"SetUpstreamIDPs":        func(v HelmValues) error { return v.SetUpstreamIDPs(nil) },
		"UpstreamIDPsSecretName": func(v HelmValues) error { _, err := v.UpstreamIDPsSecretName(); return err },
	}
	for _, tc := range []struct {
		name  string
		vals  map[string]any
		path  string
		msg   string
		skips []string // operations that do not look at the broken part
	}{
		{"oidc a string", map[string]any{"oidc": "x"}, "oidc", "must be a mapping, got a string", nil},
		{"oidc a list", map[string]any{"oidc": []any{1}}, "oidc", "got a list", nil},
		{"list a mapping", map[string]any{"oidc": map[string]any{"upstreamIDPs": map[string]any{"id": "okta"}}},
			"oidc.upstreamIDPs", "must be a list of entries, got a mapping", []string{"UpstreamIDPsSecretName", "SetUpstreamIDPs"}},
		{"list a string", map[string]any{"oidc": map[string]any{"upstreamIDPs": "- id: okta"}},
			"oidc.upstreamIDPs", "got a string", []string{"UpstreamIDPsSecretName", "SetUpstreamIDPs"}},
		{"entry a string", map[string]any{"oidc": map[string]any{"upstreamIDPs": []any{map[string]any{"id": "a"}, "okta"}}},
			"oidc.upstreamIDPs[1]", "an entry must be a mapping", []string{"UpstreamIDPsSecretName", "SetUpstreamIDPs"}},
		{"secret name a number", map[string]any{"oidc": map[string]any{"upstreamIDPsSecretName": 12}},
			"oidc.upstreamIDPsSecretName", "must be a string, got a number",
			[]string{"UpstreamIDPs", "UpsertUpstreamIDP", "RemoveUpstreamIDP", "SetUpstreamIDPs"}},
		{"oidc cannot hold a list", map[string]any{"oidc": map[string]string{"mockIDP": "true"}},
			"oidc", "cannot hold", []string{"UpstreamIDPs", "RemoveUpstreamIDP", "UpstreamIDPsSecretName"}},
	} {
		for opName, op := range ops {
			if strings.Contains(strings.Join(tc.skips, " "), opName) {
				continue
			}
			before := deepCopy(tc.vals)
			err := op(HelmValues(tc.vals))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%s, %s: got %v, want a *SyntaxError", tc.name, opName, err)
				continue
			}
			if se.Path != tc.path || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("%s, %s: got %q: %q", tc.name, opName, se.Path, se.Msg)
			}
			if !reflect.DeepEqual(tc.vals, before) {
				t.Errorf("%s, %s: the values changed on error", tc.name, opName)
			}
		}
	}
}

// TestHelmValuesEditErrorsMatchValues: HelmValues and Values refuse the same
// edits with the same *EditError (path, message, sentinel), so that a caller
// handles both alike.
func TestHelmValuesEditErrorsMatchValues(t *testing.T) {
	noID := auth0Entry(t)
	noID.ID = ""
	const dupList = "oidc:\n  upstreamIDPs:\n  - id: auth0\n  - id: auth0\n"
	tests := []struct {
		name     string
		doc      string
		edit     func(HelmValues) error
		editFile func(*Document) error
		sentinel error
	}{
		{"upsert without id", "{}\n",
			func(v HelmValues) error { return v.UpsertUpstreamIDP(noID) },
			func(v *Document) error { return v.UpsertUpstreamIDP(noID) }, nil},
		{"set without id", "{}\n",
			func(v HelmValues) error { return v.SetUpstreamIDPs([]UpstreamIDP{auth0Entry(t), noID}) },
			func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{auth0Entry(t), noID}) }, nil},
		{"set with duplicate ids", "{}\n",
			func(v HelmValues) error { return v.SetUpstreamIDPs([]UpstreamIDP{auth0Entry(t), auth0Entry(t)}) },
			func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{auth0Entry(t), auth0Entry(t)}) }, nil},
		{"upsert into duplicate ids", dupList,
			func(v HelmValues) error { return v.UpsertUpstreamIDP(auth0Entry(t)) },
			func(v *Document) error { return v.UpsertUpstreamIDP(auth0Entry(t)) }, nil},
		{"empty Secret name", "{}\n",
			func(v HelmValues) error { return v.setUpstreamIDPsSecretName("") },
			func(v *Document) error { return v.setUpstreamIDPsSecretName("") }, nil},
		{"remove a missing id", dupList,
			func(v HelmValues) error { return v.RemoveUpstreamIDP("okta") },
			func(v *Document) error { return v.RemoveUpstreamIDP("okta") }, ErrIDPNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vals map[string]any
			if err := yaml.Unmarshal([]byte(tt.doc), &vals); err != nil {
				t.Fatal(err)
			}
			before := deepCopy(vals)
			herr := tt.edit(HelmValues(vals))
			v, err := OpenDocument([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			verr := tt.editFile(v)
			var he, ve *EditError
			if !errors.As(herr, &he) || !errors.As(verr, &ve) {
				t.Fatalf("errors %T and %T, want two *EditError", herr, verr)
			}
			if he.Path != ve.Path || he.Msg != ve.Msg {
				t.Errorf("HelmValues: %s: %s\n   Values: %s: %s", he.Path, he.Msg, ve.Path, ve.Msg)
			}
			if errors.Is(herr, tt.sentinel) != errors.Is(verr, tt.sentinel) || (tt.sentinel != nil && !errors.Is(herr, tt.sentinel)) {
				t.Errorf("errors.Is(%v): HelmValues %v, Values %v", tt.sentinel, errors.Is(herr, tt.sentinel), errors.Is(verr, tt.sentinel))
			}
			if !reflect.DeepEqual(vals, before) {
				t.Error("the values changed on error")
			}
		})
	}
}

func TestHelmValuesClearUpstreamIDPsSecretName(t *testing.T) {
	for _, tt := range []struct {
		name string
		oidc any // the value of oidc, absent when nil
		want any // the value of oidc after the edit
	}{
		{"set", map[string]any{"upstreamIDPsSecretName": "idps", "mockIDP": false},
			map[string]any{"upstreamIDPsSecretName": "", "mockIDP": false}},
		{"empty is left alone", map[string]any{"upstreamIDPsSecretName": ""}, map[string]any{"upstreamIDPsSecretName": ""}},
		{"absent key is not created", map[string]any{"mockIDP": true}, map[string]any{"mockIDP": true}},
		{"absent oidc is not created", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vals := HelmValues{"proxy": map[string]any{"host": "h"}}
			if tt.oidc != nil {
				vals["oidc"] = tt.oidc
			}
			if err := vals.clearUpstreamIDPsSecretName(); err != nil {
				t.Fatal(err)
			}
			if got := vals["oidc"]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("oidc = %v, want %v", got, tt.want)
			}
		})
	}
	wrong := HelmValues{"oidc": map[string]any{"upstreamIDPsSecretName": 12}}
	var se *SyntaxError
	if err := wrong.clearUpstreamIDPsSecretName(); !errors.As(err, &se) || se.Path != "oidc.upstreamIDPsSecretName" {
		t.Errorf("a name that is a number: got %v, want a *SyntaxError at oidc.upstreamIDPsSecretName", err)
	}
}

func TestHelmValuesInvalidInput(t *testing.T) {
	var nilValues HelmValues
	if entries, err := nilValues.UpstreamIDPs(); err != nil || entries != nil {
		t.Errorf("nil values: got %v, %v", entries, err)
	}
	if err := nilValues.UpsertUpstreamIDP(auth0Entry(t)); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("nil values: got %v", err)
	}
	vals := HelmValues{}
	if err := vals.setUpstreamIDPsSecretName("Bad_Name"); err == nil || !strings.Contains(err.Error(), "not a valid Kubernetes Secret name") {
		t.Errorf("bad secret name: got %v", err)
	}
	if len(vals) != 0 {
		t.Errorf("failed edits changed the values: %d keys", len(vals))
	}
	// Duplicates are all removed.
	dup := HelmValues{"oidc": map[string]any{"upstreamIDPs": []any{map[string]any{"id": "a"}, map[string]any{"id": "b"}, map[string]any{"id": "a"}}}}
	if err := dup.RemoveUpstreamIDP("a"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := dup.UpstreamIDPs(); len(entries) != 1 || entries[0].ID != "b" {
		t.Errorf("left %v", entries)
	}
}

// TestHelmValuesPachydermFiles edits Pachyderm's own values files.
func TestHelmValuesPachydermFiles(t *testing.T) {
	// The folder sits next to the main checkout, two levels up from a worktree.
	files, _ := filepath.Glob("../shared/fixtures/pachyderm/values-*.yaml")
	if len(files) == 0 {
		files, _ = filepath.Glob("../../shared/fixtures/pachyderm/values-*.yaml")
	}
	if len(files) == 0 {
		t.Skip("Pachyderm's values files are not available")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var vals map[string]any
		if err := yaml.Unmarshal(data, &vals); err != nil {
			t.Fatal(err)
		}
		before := deepCopy(vals)
		v := HelmValues(vals)
		if err := v.UpsertUpstreamIDP(auth0Entry(t)); err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		if !reflect.DeepEqual(withoutKeys(vals, helmIDPs), withoutKeys(before, helmIDPs)) {
			t.Errorf("%s: keys other than oidc.upstreamIDPs changed", filepath.Base(file))
		}
		entries, err := v.UpstreamIDPs()
		if err != nil || len(entries) == 0 || entries[len(entries)-1].ID != "auth0" {
			t.Errorf("%s: got %d entries, %v", filepath.Base(file), len(entries), err)
		}
	}
}

func FuzzHelmValuesEdit(f *testing.F) {
	f.Add([]byte(valuesYAML))
	f.Add([]byte(`{"oidc":{"upstreamIDPs":[{"id":"auth0","type":"oidc","name":"A","config":{"issuer":1}}],"mockIDP":true},"x":[1.5]}`))
	f.Add([]byte("oidc:\n  upstreamIDPs:\n  - id: auth0\n  - 5\n"))
	f.Add([]byte("oidc: {1: 2, upstreamIDPs: {a: b}}\n"))
	f.Add([]byte("00:\n")) // no oidc: the mapping is created
	f.Fuzz(func(t *testing.T, data []byte) {
		var vals map[string]any
		if json.Unmarshal(data, &vals) != nil {
			vals = nil
			if yaml.Unmarshal(data, &vals) != nil || vals == nil {
				return
			}
		}
		entry := auth0Entry(t)
		before := deepCopy(vals)
		v := HelmValues(vals)
		err := v.UpsertUpstreamIDP(entry)
		if err != nil {
			var se *SyntaxError
			var ee *EditError
			if !errors.As(err, &se) && !errors.As(err, &ee) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if !reflect.DeepEqual(map[string]any(vals), before) {
				t.Fatal("the values changed on error")
			}
			return
		}
		after, prior := withoutKeys(vals, helmIDPs), withoutKeys(before, helmIDPs)
		if before["oidc"] == nil {
			// The oidc mapping was created, holding only the list.
			if m := asGenericMap(after["oidc"]); !m.valid() || m.rv.Len() != 0 {
				t.Fatal("the created oidc mapping holds more than upstreamIDPs")
			}
			delete(after, "oidc")
			delete(prior, "oidc")
		}
		if !reflect.DeepEqual(after, prior) {
			t.Fatal("keys other than oidc.upstreamIDPs changed")
		}
		entries, err := v.UpstreamIDPs()
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		found := false
		for _, e := range entries {
			found = found || e.ID == "auth0" && reflect.DeepEqual(e.Map(), entry.Map())
		}
		if !found {
			t.Fatal("the upserted entry is not in the list")
		}
		if err := v.RemoveUpstreamIDP("auth0"); err != nil {
			t.Fatalf("remove: %v", err)
		}
		if err := v.SetUpstreamIDPs(nil); err != nil {
			t.Fatalf("set: %v", err)
		}
	})
}

// TestHelmValuesRedactedShapes: the tree may hold maps and lists of any
// type (yaml.v2's map[any]any, []map[any]any, map[string]string, named types
// such as chartutil.Values) and legacy jsonConfig text; none may carry a
// secret through Redacted, and the result must be writable as JSON.
func TestHelmValuesRedactedShapes(t *testing.T) {
	const secret = "redact-Me-shapes-5d2a"
	type chartValues map[string]any // like Helm's chartutil.Values
	vals := map[string]any{
		"oidc": chartValues{
			"upstreamIDPs": []map[any]any{
				{"type": "oidc", "id": "a", "config": map[string]string{"clientID": "c", "clientSecret": secret}},
				{"type": "oidc", "id": "j", "jsonConfig": `{"issuer": "https://x", "clientSecret": "` + secret + `"}`},
				{"type": "ldap", "id": "l", "config": chartValues{"bindPW": secret}},
			},
		},
		"pachd": chartValues{"storage": map[any]any{"password": []byte(secret)}},
	}
	out, err := json.Marshal(HelmValues(vals).Redacted())
	if err != nil {
		t.Fatalf("the redacted values cannot be written as JSON: %v", err)
	}
	if strings.Contains(string(out), secret) || strings.Contains(string(out), base64.StdEncoding.EncodeToString([]byte(secret))) {
		t.Fatal("a secret survived Redacted")
	}
	for _, want := range []string{`"clientID":"c"`, `"clientSecret":"REDACTED"`, `"jsonConfig":"REDACTED"`, `"bindPW":"REDACTED"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("redacted values lack %s", want)
		}
	}
}

// Redacted hides every secret key at any depth, keeps names of Secrets, and
// leaves the original tree as it was.
func TestHelmValuesRedacted(t *testing.T) {
	const secret = "redact-Me-7c1f"
	vals := map[string]any{
		"proxy": map[string]any{"host": "pachyderm.acme.com", "tls": map[string]any{"secretName": "tls-cert"}},
		"oidc": map[string]any{
			"upstreamIDPsSecretName": "",
			"upstreamIDPs": []any{
				map[string]any{"type": "oidc", "id": "a", "config": map[string]any{"clientID": "c", "clientSecret": secret}},
				map[any]any{"type": "ldap", "id": "l", "config": map[any]any{"bindPW": secret}},
			},
		},
		"pachd": map[string]any{"rootToken": secret, "enterpriseSecret": secret, "enterpriseLicenseKey": secret,
			"storage":        map[string]any{"google": map[string]any{"cred": secret}},
			"serviceAccount": map[string]any{"automountServiceAccountToken": false}},
	}
	before := deepCopy(vals)
	got := HelmValues(vals).Redacted()
	if !reflect.DeepEqual(vals, before) {
		t.Fatal("Redacted changed the values it was given")
	}
	out, err := yaml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), secret) {
		t.Fatal("a secret survived Redacted")
	}
	for _, want := range []string{"secretName: tls-cert", "clientID: c", "host: pachyderm.acme.com", "clientSecret: " + Redacted, "bindPW: " + Redacted,
		"automountServiceAccountToken: false"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("redacted values lack %q", want)
		}
	}
}

// The Secret-mode edits of HelmValues do what Values' do, on the map.
func TestHelmValuesSecretMode(t *testing.T) {
	entry := map[string]any{"type": "ldap", "id": "corp", "name": "Corp", "config": map[string]any{"host": "ldap.acme.com"}}
	vals := HelmValues{"proxy": map[string]any{"host": "h"}, "oidc": map[string]any{"upstreamIDPs": []any{entry}, "mockIDP": true}}
	if err := vals.UseUpstreamIDPsSecret("Bad_Name"); err == nil {
		t.Fatal("an invalid Secret name was accepted")
	}
	if list := vals["oidc"].(map[string]any)["upstreamIDPs"].([]any); len(list) != 1 {
		t.Fatal("a refused switch changed the list")
	}
	idps, err := vals.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	if err := vals.UseUpstreamIDPsSecret("pachyderm-upstream-idps"); err != nil {
		t.Fatal(err)
	}
	oidc := vals["oidc"].(map[string]any)
	if list, ok := oidc["upstreamIDPs"].([]any); !ok || len(list) != 0 || oidc["upstreamIDPsSecretName"] != "pachyderm-upstream-idps" {
		t.Fatalf("after UseUpstreamIDPsSecret: %v", vals.Redacted())
	}
	if err := vals.DisableMockIDP(); err != nil || oidc["mockIDP"] != false {
		t.Fatalf("DisableMockIDP: %v, mockIDP %v", err, oidc["mockIDP"])
	}
	if err := vals.UseInlineUpstreamIDPs(idps); err != nil {
		t.Fatal(err)
	}
	back, err := vals.UpstreamIDPs()
	if err != nil || len(back) != 1 || back[0].ID != "corp" {
		t.Fatalf("after UseInlineUpstreamIDPs: %v %v", back, err)
	}
	if name, _ := vals.UpstreamIDPsSecretName(); name != "" {
		t.Errorf("the Secret name %q was not cleared", name)
	}
	if vals["proxy"].(map[string]any)["host"] != "h" {
		t.Error("another key changed")
	}
	// A missing list stays missing when switching to a Secret.
	empty := HelmValues{}
	if err := empty.UseUpstreamIDPsSecret("s"); err != nil {
		t.Fatal(err)
	}
	if _, has := empty["oidc"].(map[string]any)["upstreamIDPs"]; has {
		t.Error("UseUpstreamIDPsSecret created an inline list")
	}
}
