package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameTree compares two parsed streams as the Values reads them: kind,
// style, tag, value, anchor, line and column of every node, and aliases
// pointing to twins (comments are not compared: Values never reads them).
func sameTree(a, b []*yaml.Node) error {
	twin := map[*yaml.Node]*yaml.Node{}
	var cmp func(x, y *yaml.Node, at string) error
	cmp = func(x, y *yaml.Node, at string) error {
		if x.Kind != y.Kind || x.Style != y.Style || x.Tag != y.Tag || x.Value != y.Value || x.Anchor != y.Anchor ||
			x.Line != y.Line || x.Column != y.Column || len(x.Content) != len(y.Content) {
			return fmt.Errorf("%s: %d:%d %v %q vs %d:%d %v %q", at, x.Line, x.Column, x.Kind, x.Value, y.Line, y.Column, y.Kind, y.Value)
		}
		twin[x] = y
		if x.Kind == yaml.AliasNode {
			if twin[x.Alias] != y.Alias {
				return fmt.Errorf("%s: alias to another node", at)
			}
			return nil
		}
		for i := range x.Content {
			if err := cmp(x.Content[i], y.Content[i], fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(a) != len(b) {
		return fmt.Errorf("%d documents vs %d", len(a), len(b))
	}
	for i := range a {
		if err := cmp(a[i], b[i], fmt.Sprint(i)); err != nil {
			return err
		}
	}
	return nil
}

// differential runs the local check on splices of v's bytes meant to set
// path to want and, when it accepts, the full check on the same splices: the
// full check must accept too, with the same bytes, lines and nodes. It
// reports whether the local check accepted.
func differential(t testing.TB, v *Values, sp []splice, path []string, want any) bool {
	t.Helper()
	sp = append([]splice(nil), sp...)
	out := applySplices(v.data, sp)
	local := v.localCheck(out, sp, path, want)
	if local == nil {
		return false
	}
	full := *v
	full.FullCheck = true
	if err := full.commit(append([]splice(nil), sp...), path, want); err != nil {
		t.Fatalf("the local check accepted what the full check refuses: %v\nin:  %q\nout: %q", err, v.data, out)
	}
	if !bytes.Equal(local.data, full.data) || !slices.Equal(local.lines, full.lines) || local.stop != full.stop {
		t.Fatalf("local and full checks give different documents (stop %d vs %d)", local.stop, full.stop)
	}
	if err := sameTree(local.docs, full.docs); err != nil {
		t.Fatalf("local and full checks give different trees: %v\nout: %q", err, out)
	}
	return true
}

// readAt returns what the document out reads at path, as Helm reads it.
func readAt(out []byte, index int, path []string) (any, bool) {
	docs, err := decodeYAMLStream(out)
	if err != nil || index >= len(docs) {
		return nil, false
	}
	tree, err := toValue(docs[index], "", nil)
	if err != nil {
		return nil, false
	}
	for _, k := range path {
		m, ok := tree.(map[string]any)
		if !ok {
			return nil, false
		}
		if tree, ok = m[k]; !ok {
			return nil, false
		}
	}
	return tree, true
}

// TestLocalCheckCases splices text that must be refused, or that only the
// full check can judge, into a document, around the oidc entry: what the
// edited document reads at oidc is passed as the intended value, so only a
// change elsewhere makes the full check refuse; the local check must then
// refuse (or leave it to the full check), and accept what it can prove.
func TestLocalCheckCases(t *testing.T) {
	const doc = "a: 1\noidc:\n  upstreamIDPs: []\n  mockIDP: true\nz:\n  k: v\n"
	at := strings.Index(doc, "  mockIDP")
	end := strings.Index(doc, "z:")
	tests := []struct {
		name   string
		doc    string
		sp     []splice
		accept bool // the local check proves it
	}{
		{"replace a value", doc, []splice{{at + 11, at + 15, "false"}}, true},
		{"insert a key", doc, []splice{{end - 1, end - 1, "\n  x: 1"}}, true},
		{"remove a key", doc, []splice{{at - 1, end - 1, ""}}, true},
		{"block scalar header at the end", doc, []splice{{end - 1, end - 1, "\n  s: |"}}, true},
		{"block scalar swallows next key", "oidc:\n  a: 1\nz:\n  k: v\n", []splice{{12, 12, "\n  s: |"}}, true},
		{"dedent re-parents next key", doc, []splice{{end - 1, end, "\n  x:\n "}}, false},
		{"next key into the entry", doc, []splice{{end - 1, end, "\n  "}}, false},
		{"document start inside", doc, []splice{{end - 1, end - 1, "\n---"}}, false},
		{"document end inside", doc, []splice{{end - 1, end - 1, "\n..."}}, false},
		{"directive inside", doc, []splice{{end - 1, end - 1, "\n%YAML 1.1"}}, false},
		{"tab indentation", doc, []splice{{end - 1, end - 1, "\n\tx: 1"}}, false},
		{"tab in a value", doc, []splice{{end - 1, end - 1, "\n  x:\t1"}}, true},
		{"open flow list", doc, []splice{{end - 1, end - 1, "\n  x: [1,"}}, false},
		{"open quote", doc, []splice{{end - 1, end - 1, "\n  x: \"1"}}, false},
		{"flow list over lines", doc, []splice{{end - 1, end - 1, "\n  x: [1,\n  2]"}}, true},
		{"no line break before the next key", doc, []splice{{end - 1, end, ""}}, false},
		{"anchor inserted", doc, []splice{{end - 1, end - 1, "\n  x: &q 1"}}, false},
		{"alias inserted", "a: &q 1\n" + doc[5:], []splice{{end - 1, end - 1, "\n  x: *q"}}, false},
		{"anchor used later", "oidc:\n  m: &q 1\nz: *q\n", []splice{{9, 10, "2"}}, false},
		{"change outside the window", doc, []splice{{end - 1, end - 1, "\n  x: 1"}, {len(doc) - 2, len(doc) - 1, "w"}}, false},
		{"change before the first key", "# c\n" + doc, []splice{{0, 3, "# d"}, {4 + end - 1, 4 + end - 1, "\n  x: 1"}}, false},
		{"BOM before", "\ufeff" + doc, []splice{{3 + end - 1, 3 + end - 1, "\n  x: 1"}}, true},
		{"BOM inserted", doc, []splice{{5, 5, "\ufeff"}}, false},
		{"CRLF", strings.ReplaceAll(doc, "\n", "\r\n"), []splice{{strings.Index(strings.ReplaceAll(doc, "\n", "\r\n"), "z:") - 2, strings.Index(strings.ReplaceAll(doc, "\n", "\r\n"), "z:") - 2, "\r\n  x: 1"}}, true},
		{"CR then LF", strings.ReplaceAll(doc, "\n", "\r"), []splice{{5, 5, "\n"}}, false},
		{"key renamed", doc, []splice{{0, 1, "b"}}, false},
		{"key duplicated", doc, []splice{{end - 1, end - 1, "\nz: 1"}}, false},
		{"flow root", "{a: 1, oidc: {}}\n", []splice{{13, 15, "{b: 1}"}}, false},
		{"second document", "x: 1\n---\noidc:\n  a: 1\n---\ny: 2\n", []splice{{20, 21, "2\n  b: 3"}}, true},
		{"last key, document end follows", "oidc:\n  a: 1\n...\n", []splice{{11, 12, "2\n  b: 3"}}, true},
		{"indented root", "  a: 1\n  oidc:\n    b: 2\n  z: 3\n", []splice{{22, 23, "4\n    c: 5"}}, true},
		{"tail with anchors", "oidc:\n  a: 1\nx: &q 1\ny: *q\n", []splice{{11, 12, "2\n  b: 3"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			index := 0
			if strings.HasPrefix(tt.name, "second document") {
				index = 1
			}
			v, err := OpenValuesDocument([]byte(tt.doc), index)
			if err != nil {
				t.Fatal(err)
			}
			out := applySplices(v.data, append([]splice(nil), tt.sp...))
			want, ok := readAt(out, index, []string{keyOIDC})
			if !ok {
				want = "unreadable"
			}
			got := differential(t, v, tt.sp, []string{keyOIDC}, want)
			if got != tt.accept {
				t.Errorf("local check accepted = %v, want %v\nout: %q", got, tt.accept, out)
			}
			// commit gives the full check's verdict either way.
			full := *v
			full.FullCheck = true
			errFull := full.commit(append([]splice(nil), tt.sp...), []string{keyOIDC}, want)
			w := *v
			errAuto := w.commit(append([]splice(nil), tt.sp...), []string{keyOIDC}, want)
			if (errFull == nil) != (errAuto == nil) || errAuto != nil && !errors.Is(errAuto, ErrSelfCheck) {
				t.Errorf("commit: %v, with FullCheck: %v", errAuto, errFull)
			}
		})
	}
}

// TestLocalCheckAgrees runs every edit of the golden tests, and edits of
// Pachyderm's values files, with the local check and with FullCheck: same
// bytes, same errors, same nodes; Pachyderm's files use the local check.
func TestLocalCheckAgrees(t *testing.T) {
	edits := map[string]func(*Values) error{
		"upsert auth0":   func(v *Values) error { return v.UpsertUpstreamIDP(testAuth0(t)) },
		"upsert okta":    func(v *Values) error { return v.UpsertUpstreamIDP(testOkta()) },
		"remove okta":    func(v *Values) error { return v.RemoveUpstreamIDP("okta") },
		"set":            func(v *Values) error { return v.SetUpstreamIDPs([]UpstreamIDP{testOkta()}) },
		"secret":         func(v *Values) error { return v.UseUpstreamIDPsSecret("pachyderm-idps") },
		"inline":         func(v *Values) error { return v.UseInlineUpstreamIDPs([]UpstreamIDP{testOkta()}) },
		"mock":           func(v *Values) error { return v.DisableMockIDP() },
		"upsert, remove": func(v *Values) error { _ = v.UpsertUpstreamIDP(testOkta()); return v.RemoveUpstreamIDP("okta") },
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "values", "*"))
	pach := pachydermFiles(t)
	files = append(files, pach...)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for name, edit := range edits {
			local, err := OpenValues(data)
			if err != nil {
				continue
			}
			full, _ := OpenValues(data)
			full.FullCheck = true
			errL, errF := edit(local), edit(full)
			if (errL == nil) != (errF == nil) || errL != nil && errL.Error() != errF.Error() {
				t.Errorf("%s, %s: error %v, with FullCheck %v", filepath.Base(file), name, errL, errF)
				continue
			}
			if !bytes.Equal(local.Bytes(), full.Bytes()) {
				t.Errorf("%s, %s: different bytes", filepath.Base(file), name)
			}
			if err := sameTree(local.docs, full.docs); err != nil {
				t.Errorf("%s, %s: different trees: %v", filepath.Base(file), name, err)
			}
			if full.lastCheck == checkLocal {
				t.Errorf("%s, %s: FullCheck used the local check", filepath.Base(file), name)
			}
			if errL == nil && strings.HasPrefix(name, "upsert") && slicesContain(pach, file) && local.lastCheck != checkLocal && local.lastCheck != checkLocalList {
				t.Errorf("%s, %s: the local check was not used", filepath.Base(file), name)
			}
		}
	}
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FuzzLocalCheck splices arbitrary text into arbitrary documents and passes
// what the result reads at oidc as the intended value: the local check must
// never accept what the full check refuses, and must give the same document.
func FuzzLocalCheck(f *testing.F) {
	for i, s := range append(fuzzSeeds(f), entriesDocument(3), bytes.ReplaceAll(entriesDocument(2), []byte("    "), []byte("  "))) {
		for _, text := range []string{"\n  x: 1", "\n  s: |", "\n---", "\n  x: [1,\n  2]", "\n ", "\nz: 1", " # c", "\n  - a", "\n    - id: x\n      k: |"} {
			f.Add(s, uint16(len(s)/2+i), uint8(0), text)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint16, cut uint8, text string) {
		v, err := OpenValuesDocument(data, 0)
		if err != nil || len(data) == 0 {
			return
		}
		s := int(at) % (len(data) + 1)
		e := min(s+int(cut), len(data))
		sp := []splice{{s, e, text}}
		out := applySplices(v.data, append([]splice(nil), sp...))
		for _, path := range [][]string{{keyOIDC}, idpsPath} {
			want, ok := readAt(out, 0, path)
			if !ok {
				continue
			}
			differential(t, v, sp, path, want)
		}
	})
}

// TestLocalListCheck: edits of the list parse only the items they touch,
// in the layouts the list is written in; what the item window cannot prove
// goes to the wider checks.
func TestLocalListCheck(t *testing.T) {
	list := func(dash string, n int) string {
		var b strings.Builder
		b.WriteString("a: 1\noidc:\n  upstreamIDPs:\n")
		for i := range n {
			fmt.Fprintf(&b, "%s# entry %d\n%s- id: e%d\n%s  type: oidc\n%s  name: E\n", dash, i, dash, i, dash, dash)
		}
		b.WriteString("  mockIDP: false\nz: 2\n")
		return b.String()
	}
	okta := testOkta()
	tests := []struct {
		name string
		in   string
		edit func(*Values) error
		want checkKind
	}{
		{"append", list("    ", 3), func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkLocalList},
		{"replace", list("    ", 3), func(v *Values) error { return v.UpsertUpstreamIDP(okta.withID("e1")) }, checkLocalList},
		{"remove middle", list("    ", 3), func(v *Values) error { return v.RemoveUpstreamIDP("e1") }, checkLocalList},
		{"remove first", list("    ", 3), func(v *Values) error { return v.RemoveUpstreamIDP("e0") }, checkLocal},
		{"remove last", list("    ", 3), func(v *Values) error { return v.RemoveUpstreamIDP("e2") }, checkLocalList},
		{"indentless append", list("  ", 3), func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkLocalList},
		{"indentless replace", list("  ", 3), func(v *Values) error { return v.UpsertUpstreamIDP(okta.withID("e2")) }, checkLocalList},
		{"comment at column 0", strings.Replace(list("    ", 2), "    # entry 1", "# entry 1", 1), func(v *Values) error { return v.UpsertUpstreamIDP(okta.withID("e0")) }, checkLocalList},
		{"CRLF", strings.ReplaceAll(list("    ", 2), "\n", "\r\n"), func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkLocalList},
		{"last in the document", "oidc:\n  upstreamIDPs:\n  - id: a\n", func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkLocalList},
		{"set", list("    ", 3), func(v *Values) error { return v.SetUpstreamIDPs([]UpstreamIDP{okta}) }, checkLocal},
		{"flow list", "oidc:\n  upstreamIDPs: [{id: a}]\n", func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkLocal},
		{"anchor in the list", "oidc:\n  upstreamIDPs:\n  - &x {id: a}\n", func(v *Values) error { return v.UpsertUpstreamIDP(okta) }, checkFull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := OpenValues([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			full, _ := OpenValues([]byte(tt.in))
			full.FullCheck = true
			if err := tt.edit(v); err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(full); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.Bytes(), full.Bytes()) {
				t.Fatal("different bytes with FullCheck")
			}
			if err := sameTree(v.docs, full.docs); err != nil {
				t.Fatalf("different nodes with FullCheck: %v", err)
			}
			if v.lastCheck != tt.want {
				t.Errorf("checked by %d, want %d", v.lastCheck, tt.want)
			}
			// The Values goes on working: positions and another edit.
			if _, pos, ok := v.Lookup("z"); strings.Contains(tt.in, "z:") && (!ok || pos != full.positions().at("z")) {
				t.Errorf("z at %v, want %v", pos, full.positions().at("z"))
			}
			if err := v.UpsertUpstreamIDP(okta.withID("again")); err != nil {
				t.Fatal(err)
			}
			if err := full.UpsertUpstreamIDP(okta.withID("again")); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.Bytes(), full.Bytes()) {
				t.Fatal("different bytes after a second edit")
			}
		})
	}
}
