package textedit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "values", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readAt returns what the document out reads at path, as Helm reads it.
func readAt(out []byte, index int, path []string) (any, bool) {
	docs, err := decodeYAMLStream(out)
	if err != nil || index >= len(docs) {
		return nil, false
	}
	tree, err := helmyaml.ToValue(docs[index], "", nil)
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

// differential runs the local check on splices of v's bytes meant to set
// path to want and, when it accepts, the full check on the same splices: the
// full check must accept too, with the same bytes, lines and nodes. It
// reports whether the local check accepted.
func differential(t testing.TB, v *Doc, sp []splice, path []string, want any) bool {
	t.Helper()
	sp = append([]splice(nil), sp...)
	out := applySplices(v.data, sp)
	local := v.localCheck(out, sp, path, want)
	if local == nil {
		return false
	}
	full := *v
	full.FullCheck = true
	fullDoc, err := full.commit(append([]splice(nil), sp...), path, want)
	if err != nil {
		t.Fatalf("the local check accepted what the full check refuses: %v\nin:  %q\nout: %q", err, v.data, out)
	}
	if !bytes.Equal(local.data, fullDoc.data) || !slices.Equal(local.lines, fullDoc.lines) || local.stop != fullDoc.stop {
		t.Fatalf("local and full checks give different documents (stop %d vs %d)", local.stop, fullDoc.stop)
	}
	if err := sameTree(local.docs, fullDoc.docs); err != nil {
		t.Fatalf("local and full checks give different trees: %v\nout: %q", err, out)
	}
	return true
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
			v, err := Open([]byte(tt.doc), index)
			if err != nil {
				t.Fatal(err)
			}
			out := applySplices(v.data, append([]splice(nil), tt.sp...))
			want, ok := readAt(out, index, []string{"oidc"})
			if !ok {
				want = "unreadable"
			}
			got := differential(t, v, tt.sp, []string{"oidc"}, want)
			if got != tt.accept {
				t.Errorf("local check accepted = %v, want %v\nout: %q", got, tt.accept, out)
			}
			// commit gives the full check's verdict either way.
			full := *v
			full.FullCheck = true
			_, errFull := full.commit(append([]splice(nil), tt.sp...), []string{"oidc"}, want)
			w := *v
			_, errAuto := w.commit(append([]splice(nil), tt.sp...), []string{"oidc"}, want)
			if (errFull == nil) != (errAuto == nil) || errAuto != nil && !errors.Is(errAuto, ErrSelfCheck) {
				t.Errorf("commit: %v, with FullCheck: %v", errAuto, errFull)
			}
		})
	}
}

// FuzzLocalCheck splices arbitrary text into arbitrary documents and passes
// what the result reads at oidc as the intended value: the local check must
// never accept what the full check refuses, and must give the same document.
func FuzzLocalCheck(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		for _, text := range []string{"\n  x: 1", "\n  s: |", "\n---", "\n  x: [1,\n  2]", "\n ", "\nz: 1", " # c", "\n  - a", "\n    - id: x\n      k: |"} {
			f.Add(s, uint16(len(s)/2+i), uint8(0), text)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint16, cut uint8, text string) {
		checkStrippedParse(t, data)
		v, err := Open(data, 0)
		if err != nil || len(data) == 0 {
			return
		}
		s := int(at) % (len(data) + 1)
		e := min(s+int(cut), len(data))
		sp := []splice{{s, e, text}}
		out := applySplices(v.data, append([]splice(nil), sp...))
		for _, path := range [][]string{{"oidc"}, {"oidc", "upstreamIDPs"}} {
			want, ok := readAt(out, 0, path)
			if !ok {
				continue
			}
			differential(t, v, sp, path, want)
		}
	})
}

// TestSelfCheckRefusesMismatch drives the self-check with a splice that
// does not do what the intended tree says.
func TestSelfCheckRefusesMismatch(t *testing.T) {
	in := []byte("a: 1\nb: 2\n")
	v, err := Open(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	a := []string{"a"}
	_, err = v.commit([]splice{{3, 4, "6"}}, a, int64(5))
	if !errors.Is(err, ErrSelfCheck) || !strings.Contains(err.Error(), "a: internal error") {
		t.Errorf("err = %v, want ErrSelfCheck at a", err)
	}
	_, err = v.commit([]splice{{3, 4, "[\n"}}, a, int64(5))
	if !errors.Is(err, ErrSelfCheck) {
		t.Errorf("err = %v, want ErrSelfCheck", err)
	}
	if !bytes.Equal(v.Bytes(), in) {
		t.Error("a refused edit changed the document")
	}
	if _, err := v.commit([]splice{{0, 1, "c"}}, a, int64(5)); !errors.Is(err, ErrSelfCheck) {
		t.Errorf("renaming a key: err = %v, want ErrSelfCheck", err)
	}
	if _, err := v.commit([]splice{{8, 9, "3"}}, a, int64(5)); !errors.Is(err, ErrSelfCheck) {
		t.Errorf("changing another key: err = %v, want ErrSelfCheck", err)
	}
	if _, err := v.commit([]splice{{3, 4, "5"}}, a, int64(5)); err != nil {
		t.Errorf("a matching edit was refused: %v", err)
	}

	// Changing an anchored value changes its aliases too: refused.
	// (Not y: Helm's reader makes the key y "true", as yes and on.)
	v, err = Open([]byte("x: &a 1\nz: *a\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.commit([]splice{{6, 7, "2"}}, []string{"x"}, int64(2)); !errors.Is(err, ErrSelfCheck) || !strings.HasPrefix(err.Error(), "z:") {
		t.Errorf("changing an aliased value: err = %v, want ErrSelfCheck at z", err)
	}
}

func TestStyleDetection(t *testing.T) {
	tests := []struct {
		name                    string
		unit, seqOffset, itemOf int
	}{
		{"comments.yaml", 2, 0, 2},
		{"indent4.yaml", 4, 4, 4},
		{"compact.yaml", 2, 0, 2},
		{"blank-separated.yaml", 2, 2, 2},
	}
	for _, tt := range tests {
		v, err := Open(readFixture(t, tt.name), 0)
		if err != nil {
			t.Fatal(err)
		}
		st := v.detectStyle()
		if st.unit != tt.unit || st.seqOffset != tt.seqOffset || st.itemOff != tt.itemOf {
			t.Errorf("%s: unit %d, seqOffset %d, itemOff %d; want %d, %d, %d", tt.name, st.unit, st.seqOffset, st.itemOff, tt.unit, tt.seqOffset, tt.itemOf)
		}
	}
	for name, want := range map[string]string{"json2.json": "  ", "json-tab.json": "\t", "json-compact.json": ""} {
		v, err := Open(readFixture(t, name), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.detectStyle().jsonIndent; got != want {
			t.Errorf("%s: JSON indent %q, want %q", name, got, want)
		}
	}
}

// checkStrippedParse compares the comment-stripped parse of data, when it
// is accepted, with yaml.v3's faithful parse: same nodes, same values.
func checkStrippedParse(t *testing.T, data []byte) (used bool) {
	t.Helper()
	if !utf8.Valid(data) {
		return false
	}
	v := &Doc{data: data, lines: lineStarts(data, true)}
	fast, err := v.parseWithoutComments()
	if fast == nil || err != nil {
		return false
	}
	slow, err := decodeYAMLStream(data)
	if err != nil {
		t.Fatalf("the stripped parse was accepted, the faithful parse fails: %v", err)
	}
	if len(fast) != len(slow) {
		t.Fatalf("%d documents stripped, %d faithful", len(fast), len(slow))
	}
	for i := range slow {
		c := isoCheck{corr: map[*yaml.Node]*yaml.Node{}}
		if !c.equalNode(slow[i], fast[i], 0) {
			t.Fatalf("document %d: the stripped parse differs from the faithful one", i)
		}
		a, errA := helmyaml.ToValue(slow[i], "", nil)
		b, errB := helmyaml.ToValue(fast[i], "", nil)
		if _, same := firstDiff(a, b, ""); !same || (errA == nil) != (errB == nil) {
			t.Fatalf("document %d reads differently without comments", i)
		}
	}
	return true
}

// TestParseWithoutComments: the fast parse is used on Pachyderm's files,
// and refused wherever an emptied comment line would change a scalar.
func TestParseWithoutComments(t *testing.T) {
	tests := []struct {
		name, in string
		used     bool
	}{
		{"comments between keys", "# head\na: 1\n  # inner\nb:\n  # before\n  c: 2\n", true},
		{"comment inside a block scalar", "a: |\n  x\n  # not a comment\nb: 1\n# c\n", true},
		{"comment under a kept block scalar", "a: |+\n  x\n# ends the scalar\nb: 1\n", false},
		{"comment inside a quoted scalar", "# c\na: \"x\n  # in the string\"\n", false},
		{"comment inside a single-quoted scalar", "# c\na: 'x\n  # in the string'\n", false},
		{"indented comment after a plain scalar", "# c\na: x\n  y\n  # c\nb: 1\n", true},
		{"comment in a flow list", "a: [1,\n  # c\n  2]\n", true},
		{"block scalar header with a comment", "a: |-  # script\n  # shebang\n  echo\n# c\n", true},
		{"tagged and anchored scalars", "# c\na: !!str &x 12\nb: *x\n", true},
		{"no comments", "a: 1\n", false},
		{"comment after a plain scalar", "a: x\n  y\n# c\nb: 1\n", true},
		{"comment inside a plain scalar", "a: x\n# c\n  y\nb: 1\n", false},
		{"comment after a quoted scalar", "a: \"x\n  y\"\n# c\nb: 1\n", true},
		{"comment under a block scalar, then content", "a: |\n  x\n# c\n  y\nb: 1\n", false},
		{"comment after a kept block scalar", "a: >+\n  x\n\n# c\n\nb: 1\n", false},
		{"comment after a stripped block scalar", "a: >-\n  x\n\n# c\n\nb: 1\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if used := checkStrippedParse(t, []byte(tt.in)); used != tt.used {
				t.Errorf("stripped parse used = %v, want %v", used, tt.used)
			}
		})
	}
	for _, file := range pachydermFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !checkStrippedParse(t, data) {
			t.Errorf("%s: the stripped parse is not used", filepath.Base(file))
		}
	}
}

// fuzzSeeds are the values files of the repository's testdata/values and
// the hand-written edge cases of testdata/values-seeds.json, shared with the
// root package's editor fuzz targets.
func fuzzSeeds(f *testing.F) [][]byte {
	root := filepath.Join("..", "..", "testdata")
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join(root, "values", "*"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			seeds = append(seeds, data)
		}
	}
	data, err := os.ReadFile(filepath.Join(root, "values-seeds.json"))
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

// pachydermFiles returns Pachyderm's own values files from the shared
// fixtures, or skips the test when they are not there.
func pachydermFiles(t testing.TB) []string {
	t.Helper()
	for _, dir := range []string{
		filepath.Join("..", "..", "..", "shared", "fixtures", "pachyderm"),
		filepath.Join("..", "..", "..", "..", "shared", "fixtures", "pachyderm"),
	} {
		if files, _ := filepath.Glob(filepath.Join(dir, "*.yaml")); len(files) > 0 {
			return files
		}
	}
	t.Skip("Pachyderm's values files are not there (../shared/fixtures/pachyderm)")
	return nil
}
