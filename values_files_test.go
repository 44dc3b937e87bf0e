package pachidp

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/fixtures"
	"github.com/pachidp/pachidp/internal/textedit"
)

// pachydermFiles returns Pachyderm's own values files from the shared
// fixtures (internal/fixtures: skipped on a developer's machine without
// them, a failure in CI).
func pachydermFiles(t testing.TB) []string {
	t.Helper()
	return fixtures.Glob(t, "values-*.yaml")
}

// withoutIDPs returns a copy of a tree without oidc.upstreamIDPs, and without
// oidc when nothing else is left in it.
func withoutIDPs(tree any) map[string]any {
	root, _ := copyValue(tree).(map[string]any)
	if root == nil {
		root = map[string]any{}
	}
	if o, ok := root["oidc"].(map[string]any); ok {
		delete(o, "upstreamIDPs")
		if len(o) == 0 {
			delete(root, "oidc")
		}
	} else if root["oidc"] == nil {
		delete(root, "oidc")
	}
	return root
}

// changedLines returns the lines of a and b between their common first and
// last lines: [from, toA) in a and [from, toB) in b, 0-based.
func changedLines(a, b []string) (from, toA, toB int) {
	for from < len(a) && from < len(b) && a[from] == b[from] {
		from++
	}
	toA, toB = len(a), len(b)
	for toA > from && toB > from && a[toA-1] == b[toB-1] {
		toA--
		toB--
	}
	return from, toA, toB
}

// TestPachydermFiles adds Auth0 to each of Pachyderm's own values files: only
// lines of oidc.upstreamIDPs change, the result reads as before plus the
// entry, and removing it again gives the original bytes.
func TestPachydermFiles(t *testing.T) {
	auth0 := testAuth0(t)
	for _, file := range pachydermFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v, err := OpenDocument(in)
			if err != nil {
				t.Fatal(err)
			}
			before := mustValues(t, v)
			_, keyPos, ok := v.Lookup("oidc.upstreamIDPs")
			_, nextPos, ok2 := v.Lookup("oidc.upstreamIDPsSecretName")
			if !ok || !ok2 || nextPos.Line <= keyPos.Line {
				t.Fatalf("fixture: oidc.upstreamIDPs at %v, upstreamIDPsSecretName at %v", keyPos, nextPos)
			}
			if err := v.UpsertUpstreamIDP(auth0); err != nil {
				t.Fatal(err)
			}
			out := v.Bytes()

			// Line by line: only the list's lines differ.
			a, b := strings.Split(string(in), "\n"), strings.Split(string(out), "\n")
			from, toA, toB := changedLines(a, b)
			if from+1 < keyPos.Line || toA > nextPos.Line-1 {
				t.Errorf("lines %d to %d changed, outside oidc.upstreamIDPs (lines %d to %d)", from+1, toA, keyPos.Line, nextPos.Line-1)
			}
			indent := keyPos.Column - 1
			for i := from; i < toB; i++ {
				if i+1 == keyPos.Line {
					continue
				}
				if len(b[i])-len(strings.TrimLeft(b[i], " ")) <= indent {
					t.Errorf("new line %d is not inside the list: %s", i+1, redactLine(b[i]))
				}
			}

			// Read afresh: the same values plus the entry.
			again, err := OpenDocument(out)
			if err != nil {
				t.Fatal(err)
			}
			if p, same := firstDiff(withoutIDPs(mustValues(t, again)), withoutIDPs(before), ""); !same {
				t.Errorf("%s changed", p)
			}
			got, err := again.UpstreamIDPs()
			if err != nil || len(got) != 1 {
				t.Fatalf("entries after the edit: %d, %v", len(got), err)
			}
			if _, same := firstDiff(normalize(got[0].Map()), normalize(auth0.Map()), ""); !same {
				t.Errorf("the entry reads back as %v", got[0])
			}

			// Pos of the new entry points into the list.
			if p := got[0].Pos("config.issuer"); p.Line <= keyPos.Line || p.Line >= keyPos.Line+20 {
				t.Errorf("Pos(config.issuer) = %v", p)
			}

			if err := again.RemoveUpstreamIDP("auth0"); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), in) {
				from, toA, _ := changedLines(a, strings.Split(string(again.Bytes()), "\n"))
				t.Errorf("add then remove did not restore the file: lines %d to %d differ", from+1, toA)
			}

			// Disabling the mock changes one line.
			if err := again.DisableMockIDP(); err != nil {
				t.Fatal(err)
			}
			from, toA, toB = changedLines(a, strings.Split(string(again.Bytes()), "\n"))
			if toA-from != 1 || toB-from != 1 {
				t.Errorf("DisableMockIDP changed lines %d to %d", from+1, toA)
			}
		})
	}
}

// fuzzSeeds are the values files of testdata/values and the hand-written
// edge cases of YAML and JSON in testdata/values-seeds.json, shared with
// internal/textedit's fuzz target.
func fuzzSeeds(f *testing.F) [][]byte {
	dir := "testdata"
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join(dir, "values", "*"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			seeds = append(seeds, data)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "values-seeds.json"))
	if err != nil {
		f.Fatal(err)
	}
	var docs []string
	if err := json.Unmarshal(data, &docs); err != nil {
		f.Fatal(err)
	}
	for _, s := range docs {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func FuzzOpenValues(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for doc := range 2 {
			v, err := OpenDocumentWith(data, FileOptions{Document: new(doc)})
			if err != nil {
				continue
			}
			// What OpenDocument accepts reads, except nesting too deep
			// through aliases, which its checks do not follow.
			if _, err := v.values(); err != nil && !strings.Contains(err.Error(), "nested too deeply") {
				t.Errorf("opened, but does not read: %v", err)
			}
			_, _ = v.UpstreamIDPs()
			for _, p := range []string{"", "oidc", "oidc.upstreamIDPs[0].id", "proxy.host", `a["b"]`, "[0]", "a[", "a.["} {
				_, _, _ = v.Lookup(p)
			}
			if v.IsJSON() && !json.Valid(v.Bytes()) {
				t.Error("JSON document that encoding/json rejects")
			}
		}
	})
}

// FuzzEditValues edits arbitrary documents: no panic; a failed edit changes
// nothing; a successful one reads back with the intended change and every
// other path as it was; errors never show the client secret. Every edit is
// also made with FullCheck, which must agree with the default (local) check.
func FuzzEditValues(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, "okta", "https://acme.okta.com", uint8(i))
	}
	// Manifests whose first document holds the values: the same edits
	// inside them (values_manifest.go).
	manifests, _ := filepath.Glob(filepath.Join("testdata", "manifests", "*.yaml"))
	for i, m := range manifests {
		if data, err := os.ReadFile(m); err == nil {
			for op := range 5 {
				f.Add(data, "okta", "https://acme.okta.com", uint8(i*5+op))
			}
		}
	}
	const secret = "fuzz-client-secret-value"
	f.Fuzz(func(t *testing.T, data []byte, id, issuer string, op uint8) {
		v, err := OpenDocumentWith(data, FileOptions{Document: new(0)})
		if err != nil {
			return
		}
		before := v.Bytes()
		oldTree, err := v.values()
		if err != nil {
			return // nested too deeply through aliases: refused on first read
		}
		oldList, _, listErr := v.idpList()
		e := UpstreamIDP{Type: typeOIDC, ID: id, Name: "Fuzz", OIDC: &OIDCConfig{Issuer: issuer, ClientID: "c", ClientSecret: secret}}
		do := func(v *Document) error {
			switch op % 5 {
			case 0:
				return v.UpsertUpstreamIDP(e)
			case 1:
				return v.RemoveUpstreamIDP(id)
			case 2:
				return v.SetUpstreamIDPs([]UpstreamIDP{e})
			case 3:
				return v.UseUpstreamIDPsSecret(issuer)
			}
			return v.DisableMockIDP()
		}
		// The same edit with the full-document check: the same verdict,
		// bytes and nodes.
		full, err := OpenDocumentWith(data, FileOptions{Document: new(0)})
		if err != nil {
			t.Fatal(err)
		}
		full.FullCheck = true
		errFull := do(full)
		err = do(v)
		if (err == nil) != (errFull == nil) {
			t.Fatalf("edit: %v; with FullCheck: %v", err, errFull)
		}
		if !bytes.Equal(v.Bytes(), full.Bytes()) {
			t.Fatal("the edit with FullCheck gives other bytes")
		}
		if d := textedit.SameTree(v.doc, full.doc); d != nil {
			t.Fatalf("the edit with FullCheck gives other nodes: %v", d)
		}
		if err != nil {
			if strings.Contains(err.Error(), secret) {
				t.Error("an error shows the client secret")
			}
			if errors.Is(err, ErrSelfCheck) {
				t.Errorf("self-check failed: %v", err)
			}
			if !bytes.Equal(v.Bytes(), before) {
				t.Error("a failed edit changed the document")
			}
			return
		}
		again, err := OpenDocumentWith(v.Bytes(), FileOptions{Document: new(0)})
		if err != nil {
			t.Fatalf("the edited document does not parse: %v", err)
		}
		if op%5 >= 3 {
			return // left to the self-check
		}
		newList, _, err := again.idpList()
		if err != nil {
			t.Fatalf("the edited list does not read: %v", err)
		}
		if listErr != nil {
			t.Fatalf("edit of a malformed list succeeded: %v", listErr)
		}
		if p, same := firstDiff(withoutIDPs(mustValues(t, again)), withoutIDPs(oldTree), ""); !same {
			t.Errorf("%s changed", p)
		}
		want := normalize(e.Map())
		var others, oldOthers []any
		found := 0
		for _, item := range newList {
			if m, ok := item.(map[string]any); ok && m["id"] == id {
				found++
				if _, same := firstDiff(item, want, ""); !same {
					t.Error("the entry reads back differently")
				}
				continue
			}
			others = append(others, item)
		}
		for _, item := range oldList {
			if m, ok := item.(map[string]any); !ok || m["id"] != id {
				oldOthers = append(oldOthers, item)
			}
		}
		if wantFound := map[uint8]int{0: 1, 1: 0, 2: 1}[op%5]; found != wantFound {
			t.Errorf("%d entries with the id, want %d", found, wantFound)
		}
		if op%5 == 2 {
			oldOthers = nil
		}
		if _, same := firstDiff(anyList(others), anyList(oldOthers), ""); !same {
			t.Error("other entries changed")
		}
	})
}

func anyList(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// TestJSONReadAsHelmDoes: Helm reads JSON values files with its YAML reader,
// and so does Values; edits write JSON that reads the same both ways.
func TestJSONReadAsHelmDoes(t *testing.T) {
	v, err := OpenDocument([]byte("{\"a\": \"x\u0085y\"}"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := v.Lookup("a"); got != "x y" {
		t.Errorf("a = %q, want the YAML reading %q", got, "x y")
	}
	e := UpstreamIDP{ID: "x", Type: "ldap", Name: "X", Config: ConnectorConfig{"k": "x\u0085y\x7f"}}
	if err := v.UpsertUpstreamIDP(e); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(v.Bytes()) || !strings.Contains(string(v.Bytes()), `x\u0085y\u007f`) {
		t.Errorf("output %q: want valid JSON with NEL and DEL escaped", v.Bytes())
	}
}

// nestedEntry holds every shape the writers render: nested lists and
// mappings, empty ones, keys that need quotes, numbers of several Go types.
func nestedEntry() UpstreamIDP {
	return UpstreamIDP{Type: "ldap", ID: "ldap", Name: "LDAP", Config: ConnectorConfig{
		"host":          "ldap.acme.com:636",
		"bindPW":        "ldap-test-secret",
		"weird key: x":  "v",
		"yes":           true,
		"empty":         map[string]any{},
		"none":          []any{},
		"ratio":         1.5,
		"port":          636,
		"small":         int32(7),
		"names":         []string{"a", "b"},
		"matrix":        []any{[]any{"a", "b"}, []any{}, map[string]any{"x": 1, "y": []any{"z"}}, map[string]any{}},
		"userSearch":    map[string]any{"baseDN": "ou=People,dc=acme,dc=com", "filter": "(objectClass=person)", "emailAttr": "mail"},
		"multiline":     "line one\nline two",
		"needs quoting": "- not a list",
	}}
}

func TestRenderNested(t *testing.T) {
	for _, fixture := range []string{"indent4.yaml", "compact.yaml", "json2.json"} {
		t.Run(fixture, func(t *testing.T) {
			v, err := OpenDocument(readFixture(t, fixture))
			if err != nil {
				t.Fatal(err)
			}
			e := nestedEntry()
			if err := v.UpsertUpstreamIDP(e); err != nil {
				t.Fatal(err)
			}
			idps, err := v.UpstreamIDPs()
			if err != nil {
				t.Fatal(err)
			}
			got := idps[len(idps)-1]
			if _, same := firstDiff(normalize(got.Map()), normalize(e.Map()), ""); !same {
				t.Errorf("the entry reads back as %v", got)
			}
			golden(t, "values/nested-"+strings.TrimSuffix(strings.TrimSuffix(fixture, ".yaml"), ".json")+".golden", v.Bytes())
		})
	}
}

func TestRenderRefusesUnwritableValues(t *testing.T) {
	tests := []struct {
		name string
		val  any
		msg  string
	}{
		{"channel", make(chan int), "oidc.upstreamIDPs.config.k: a value of Go type chan int cannot be written"},
		{"invalid UTF-8", "a\xffb", "oidc.upstreamIDPs.config.k: the string is not valid UTF-8"},
		{"map of strings", map[string]string{"a": "b"}, "Go type map[string]string"},
	}
	for _, tt := range tests {
		v, err := OpenDocument(nil)
		if err != nil {
			t.Fatal(err)
		}
		err = v.UpsertUpstreamIDP(UpstreamIDP{ID: "x", Type: "ldap", Config: ConnectorConfig{"k": tt.val}})
		var ee *EditError
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want an *EditError saying %q", tt.name, err, tt.msg)
		}
	}
	// JSON cannot hold NaN.
	v, err := OpenDocument([]byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.UpsertUpstreamIDP(UpstreamIDP{ID: "x", Type: "ldap", Config: ConnectorConfig{"k": math.NaN()}}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN in JSON: err = %v", err)
	}
}

func TestFlowListWithAnchorsRefused(t *testing.T) {
	for _, in := range []string{
		"x: &x {id: a}\noidc:\n  upstreamIDPs: [*x, {id: b}]\n",
		"x: &x {type: oidc}\noidc:\n  upstreamIDPs: [{<<: *x, id: b}]\n",
		"oidc:\n  upstreamIDPs: [&y {id: b}]\n",
	} {
		v, err := OpenDocument([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.UpsertUpstreamIDP(testOkta()); !errors.Is(err, ErrAnchor) {
			t.Errorf("%q: err = %v, want ErrAnchor", in, err)
		}
	}
}
