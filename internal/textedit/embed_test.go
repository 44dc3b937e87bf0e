package textedit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

var valuesPath = []any{"spec", "values"}

// manifestWith writes doc as the values of a manifest: a block mapping
// under `values:`, or the content of a literal block with the header
// given, each line indented by indent spaces (empty lines stay empty).
func manifestWith(doc []byte, header string, indent int) []byte {
	var b bytes.Buffer
	b.WriteString("apiVersion: v1\nkind: Thing\nspec:\n  before: 1\n  values:")
	if header != "" {
		b.WriteString(" " + header)
	}
	b.WriteString("\n")
	pad := strings.Repeat(" ", indent)
	for _, l := range splitLines(doc) {
		if strings.TrimRight(l, "\r\n") != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	if len(doc) > 0 && !endsWithBreak(doc) {
		b.WriteString("\n")
	}
	b.WriteString("  after: 2\n# the end\n")
	return b.Bytes()
}

// TestEmbedded: the values inside a manifest are a document of their own;
// an edit rewrites the lines it changes, re-indented, and no other byte.
func TestEmbedded(t *testing.T) {
	doc := []byte("# head\noidc:\n  upstreamIDPs:\n  - id: a\n    name: A\n\n  # tail of oidc\nproxy:\n  host: h\n")
	for _, c := range []struct {
		name, header string
		indent       int
		want         string // the outer lines of the edited values
	}{
		{"mapping", "", 4, "    # head\n    oidc:\n      upstreamIDPs:\n      - id: a\n        name: A\n      - id: b\n      mockIDP: false\n\n      # tail of oidc\n    proxy:\n      host: h\n"},
		{"literal", "|", 4, "    # head\n    oidc:\n      upstreamIDPs:\n      - id: a\n        name: A\n      - id: b\n      mockIDP: false\n\n      # tail of oidc\n    proxy:\n      host: h\n"},
		{"literal strip, deep", "|-", 8, "        # head\n        oidc:\n          upstreamIDPs:\n          - id: a\n            name: A\n          - id: b\n          mockIDP: false\n\n          # tail of oidc\n        proxy:\n          host: h\n"},
		{"literal indicator", "|2", 4, "    # head\n    oidc:\n      upstreamIDPs:\n      - id: a\n        name: A\n      - id: b\n      mockIDP: false\n\n      # tail of oidc\n    proxy:\n      host: h\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := doc
			if c.header == "" {
				in = bytes.TrimPrefix(doc, []byte("# head\n")) // a mapping's lines start with a key
				c.want = strings.TrimPrefix(c.want, strings.Repeat(" ", c.indent)+"# head\n")
			}
			data := manifestWith(in, c.header, c.indent)
			o, err := Open(data, 0)
			if err != nil {
				t.Fatal(err)
			}
			e, err := Embed(o, valuesPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.Inner.Bytes(), in) {
				t.Fatalf("Inner = %q, want %q", e.Inner.Bytes(), in)
			}
			if p := e.Positions()["oidc.upstreamIDPs[0].name"]; p.Column != c.indent+5 {
				t.Errorf("position of name: %v", p)
			}
			d, err := e.Inner.EditList([]string{"oidc", "upstreamIDPs"}, ListAppend, 1, OrderedMap{{Key: "id", Value: "b"}},
				[]any{map[string]any{"id": "a", "name": "A"}, map[string]any{"id": "b"}})
			if err != nil {
				t.Fatal(err)
			}
			if d, err = d.SetPath([]string{"oidc", "mockIDP"}, false); err != nil {
				t.Fatal(err)
			}
			e2, err := e.With(d)
			if err != nil {
				t.Fatal(err)
			}
			header := "  values:"
			if c.header != "" {
				header += " " + c.header
			}
			want := "apiVersion: v1\nkind: Thing\nspec:\n  before: 1\n" + header + "\n" + c.want + "  after: 2\n# the end\n"
			if got := string(e2.Bytes()); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			if e2.Inner != d {
				t.Error("Inner is not the edited document")
			}
		})
	}
}

// TestEmbeddedRefusals: what cannot be edited in place is read, and With
// refuses with the reason; a bad splice is refused by the self-check.
func TestEmbeddedRefusals(t *testing.T) {
	for _, c := range []struct{ name, values, want string }{
		{"flow", "  values: {oidc: {mockIDP: true}}\n", "flow mapping"},
		{"folded", "  values: >\n    oidc: {}\n", "quoted or folded"},
		{"anchor", "  values: &v\n    oidc: {}\n", "anchor or alias"},

		{"first key on the dash line", "  values:\n    - a\n", "must be a mapping or a string"},
	} {
		o, err := Open([]byte("spec:\n"+c.values), 0)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Embed(o, valuesPath)
		if err != nil {
			if strings.Contains(err.Error(), c.want) {
				continue
			}
			t.Fatalf("%s: %v", c.name, err)
		}
		d, err := e.Inner.SetPath([]string{"x"}, "y")
		if err != nil {
			d = nil
		}
		if _, err := e.With(d); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: With = %v, want %q", c.name, err, c.want)
		}
	}
	// A keep-chomped block written last keeps its final line breaks.
	o, err := Open([]byte("spec:\n  values:\n    a: |+\n      x\n\n  other: 1\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Embed(o, valuesPath)
	if err != nil || e.ReadOnly() != "" {
		t.Fatalf("a keep-chomped block: %v, read only %q", err, e.ReadOnly())
	}
	if v, _ := e.Inner.Value(); v.(map[string]any)["a"] != "x\n\n" {
		t.Errorf("value %q", v)
	}
	// Values whose lines do not read alone as they read in the document
	// are read, and edits refused (here: a quoted string continued at a
	// lesser indentation than its key's, which YAML allows).
	o, err = Open([]byte("spec:\n  values:\n    a: \"b\n  c\"\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := Embed(o, valuesPath); err != nil || !strings.Contains(e.ReadOnly(), "do not read alone") {
		t.Errorf("a region that does not read alone: %v", err)
	} else if v, _ := e.Inner.Value(); v.(map[string]any)["a"] != "b c" {
		t.Errorf("read only value %q", v)
	}
	// The self-check: an Inner whose lines re-extract differently (a
	// first line indented deeper than the others in a literal block).
	o, err = Open(manifestWith([]byte("a: 1\n"), "|", 4), 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err = Embed(o, valuesPath)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := Open([]byte("  # indented\na: 1\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.With(bad); !errors.Is(err, ErrSelfCheck) {
		t.Errorf("With of a block that re-reads differently: %v", err)
	}
}

// TestEmbeddedMissing: values not yet in the document are written with
// their key on the first edit, under keys only (a list index on the path
// is refused, saying what to add).
func TestEmbeddedMissing(t *testing.T) {
	o, err := Open([]byte("spec:\n  other: 1\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Embed(o, valuesPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Inner.SetPath([]string{"oidc", "mockIDP"}, false)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := e.With(d)
	if err != nil || string(e2.Bytes()) != "spec:\n  other: 1\n  values:\n    oidc:\n      mockIDP: false\n" {
		t.Errorf("%q, %v", e2.Bytes(), err)
	}
	o, err = Open([]byte("spec:\n  sources:\n  - a: 1\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if e, err = Embed(o, []any{"spec", "sources", 0, "values"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.With(d); err == nil || !strings.Contains(err.Error(), "spec.sources[0].values is not in the document: add it") {
		t.Errorf("missing under a list item: %v", err)
	}
}

// TestEmbedBelow: a document below header lines.
func TestEmbedBelow(t *testing.T) {
	e, err := EmbedBelow([]byte("USER-SUPPLIED VALUES:\noidc:\n  mockIDP: true\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p := e.Positions()["oidc.mockIDP"]; p.Line != 3 || p.Column != 3 {
		t.Errorf("position %v", p)
	}
	d, err := e.Inner.SetPath([]string{"oidc", "mockIDP"}, false)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := e.With(d)
	if err != nil || string(e2.Bytes()) != "USER-SUPPLIED VALUES:\noidc:\n  mockIDP: false\n" {
		t.Errorf("%q, %v", e2.Bytes(), err)
	}
}

// FuzzEmbedded writes any values document inside a manifest (a block
// mapping, or a literal block with each chomping), opens it, makes the
// edits pachidp makes, and checks that an accepted edit changes no byte
// outside the values' lines, that the values read back as the edited
// document, and that a refusal is an *EditError.
func FuzzEmbedded(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, uint8(i), uint8(i/3))
	}
	headers := []string{"", "|", "|-", "|+", "|2", "| # c"}
	f.Fuzz(func(t *testing.T, doc []byte, mode, extra uint8) {
		header := headers[int(mode)%len(headers)]
		indent := 4 + int(extra)%4
		if header == "|2" {
			indent = 4
		}
		data := manifestWith(doc, header, indent)
		o, err := Open(data, 0)
		if err != nil {
			return
		}
		e, err := Embed(o, valuesPath)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Embed: %T %v", err, err)
			}
			return
		}
		edits := []func(d *Doc) (*Doc, error){
			func(d *Doc) (*Doc, error) { return d.SetPath([]string{"oidc", "mockIDP"}, false) },
			func(d *Doc) (*Doc, error) {
				v, _ := d.valueAt([]string{"oidc", "upstreamIDPs"})
				l, _ := v.([]any)
				return d.EditList([]string{"oidc", "upstreamIDPs"}, ListAppend, len(l), OrderedMap{{Key: "id", Value: "new"}},
					append(append([]any(nil), l...), map[string]any{"id": "new"}))
			},
			func(d *Doc) (*Doc, error) {
				v, _ := d.valueAt([]string{"oidc", "upstreamIDPs"})
				l, _ := v.([]any)
				if len(l) == 0 {
					return d.EditList([]string{"oidc", "upstreamIDPs"}, ListSetAll, 0, nil, []any{})
				}
				return d.EditList([]string{"oidc", "upstreamIDPs"}, ListRemove, 0, nil, l[1:])
			},
		}
		for _, edit := range edits {
			d, err := edit(e.Inner)
			if err != nil {
				continue
			}
			e2, err := e.With(d)
			if err != nil {
				var ee *EditError
				if !errors.As(err, &ee) {
					t.Fatalf("With: %T %v", err, err)
				}
				if e.ReadOnly() == "" && errors.Is(err, ErrSelfCheck) && e.kind == embedMapping {
					t.Fatalf("a block mapping's edit refused by the self-check: %v", err)
				}
				continue
			}
			out := e2.Bytes()
			// The lines above the values' first line (the key's line
			// excluded, whose `{}` an empty embed removes) and below its
			// last line are byte for byte the same.
			above := o.lineStart(e.first - 1)
			below := len(data) - o.lineStart(e.first+e.n)
			if e.first+e.n > o.nlines() {
				below = 0
			}
			if !bytes.Equal(out[:above], data[:above]) || !bytes.Equal(out[len(out)-below:], data[len(data)-below:]) {
				t.Fatalf("bytes outside the values changed:\n%q\n%q", data, out)
			}
			e3, err := Embed(mustOpen(t, out), valuesPath)
			if err != nil || !bytes.Equal(e3.Inner.Bytes(), d.Bytes()) {
				t.Fatalf("the values do not read back: %v", err)
			}
			e = e2
			o = e2.outer
			data = out
		}
	})
}

func mustOpen(t *testing.T, data []byte) *Doc {
	t.Helper()
	d, err := Open(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
