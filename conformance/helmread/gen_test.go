package helmread

import (
	"fmt"
	"strings"
	"testing"
)

// docGen writes a YAML values document driven by the fuzzer's bytes: block
// and flow collections whose scalars and keys come from vocabularies of
// what YAML 1.1 resolves differently from YAML 1.2 or from a plain string,
// anchors and aliases, merge keys before and after a mapping's own keys,
// and keys written twice.
type docGen struct {
	data    []byte
	i       int
	b       strings.Builder
	anchors []string // anchors defined so far (aliases use them)
	maps    []string // the ones on mappings (merge keys use them)
	n       int
}

func (g *docGen) next() int {
	if g.i >= len(g.data) {
		return 0
	}
	c := g.data[g.i]
	g.i++
	return int(c)
}

func (g *docGen) pick(n int) int { return g.next() % n }

// scalars are plain scalars whose YAML 1.1 reading is the point.
var scalars = []string{
	"0o17", "0O17", "0x1F", "0X1f", "-0x1F", "+0x1F", "0b101", "-0b101", "0B11", "017", "08", "0_1",
	"1_000", "1__0", "_1", "1_", "0_x1F", "1e3", "1E3", "1e1_0", "1.5", "1.", "+.5", ".5", "-.5e2",
	"+12", "-0", "00", "-", "+", ".", "0x", "0b", "0o", "1_000.5_5", "0.1", "1e400", "-1e400",
	"9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "99999999999999999999", "0xFFFFFFFFFFFFFFFF", "0x8000000000000000",
	"9007199254740993", "0x_1F", "0b_1", "-0b1_1", "0b102",
	"yes", "Yes", "YES", "yEs", "no", "No", "on", "On", "ON", "off", "OFF", "y", "n", "Y", "N",
	"true", "True", "tRue", "false", "FALSE", "~", "null", "Null", "NULL", "nULL",
	".inf", "-.Inf", "+.INF", ".nan", ".NaN", "inf", "nan", "Infinity",
	"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-1-2", "1:20", "12:30:45",
	"okta", "a b", "https://a.example.com/", "=", "<<", "x_y", "0.", "-.5", "+0b1", "+0o7", "-0o7", "0o8",
}

// keys are mapping keys: a few strings that collide, and keys that YAML
// 1.1 reads as numbers, booleans or null.
var keys = []string{
	"a", "b", "a", "oidc", "c", "1", "01", "0x10", "1.5", "0.1", "1e3", "3.14159265358979", "yes", "on",
	"true", "Off", "~", "null", "2001-12-14", ".inf", "-1", "+1", "1_0", "0o7", "18446744073709551615",
	"9223372036854775808",
}

var tags = []string{"!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!map", "!!seq", "!custom"}

func (g *docGen) scalar(flow bool) string {
	switch g.pick(10) {
	case 0:
		s := scalars[g.pick(len(scalars))]
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case 1:
		return fmt.Sprintf("%q", scalars[g.pick(len(scalars))])
	case 2:
		t := tags[g.pick(len(tags))]
		switch g.pick(4) {
		case 0:
			return t + " aGk="
		case 1:
			return t + ` "12"`
		}
		return t + " " + g.plain(flow)
	}
	return g.plain(flow)
}

func (g *docGen) plain(flow bool) string {
	s := scalars[g.pick(len(scalars))]
	if flow && strings.ContainsAny(s, ":,[]{}#") || s == "-" || s == "<<" || strings.HasPrefix(s, "- ") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

func (g *docGen) key() string {
	k := keys[g.pick(len(keys))]
	switch g.pick(8) {
	case 0:
		return "'" + k + "'"
	case 1:
		return "!!str " + k
	}
	return k
}

func (g *docGen) anchor(mapping bool) string {
	if g.pick(4) != 0 {
		return ""
	}
	g.n++
	a := fmt.Sprintf("a%d", g.n)
	g.anchors = append(g.anchors, a)
	if mapping {
		g.maps = append(g.maps, a)
	}
	return "&" + a + " "
}

func (g *docGen) flow(depth int) string {
	if depth > 2 {
		return g.scalar(true)
	}
	switch g.pick(3) {
	case 0:
		var items []string
		for range g.pick(4) {
			items = append(items, g.flow(depth+1))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case 1:
		var items []string
		for range g.pick(4) {
			items = append(items, g.key()+": "+g.flow(depth+1))
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	return g.scalar(true)
}

// value writes the value of a key or a list item that starts after
// "key:" or "-".
func (g *docGen) value(indent, depth int) {
	pad := strings.Repeat(" ", indent+2)
	kind := g.pick(8)
	if depth > 3 && kind >= 4 {
		kind = 0
	}
	switch kind {
	case 0, 1:
		g.b.WriteString(" " + g.anchor(false) + g.scalar(false) + "\n")
	case 2:
		if len(g.anchors) > 0 {
			g.b.WriteString(" *" + g.anchors[g.pick(len(g.anchors))] + "\n")
			return
		}
		g.b.WriteString(" " + g.scalar(false) + "\n")
	case 3:
		g.b.WriteString(" " + g.anchor(false) + g.flow(0) + "\n")
	case 4, 5:
		a := g.anchor(true)
		g.b.WriteString(" " + strings.TrimSpace(a) + "\n")
		g.mapping(indent+2, depth+1)
	case 6:
		g.b.WriteString(" " + strings.TrimSpace(g.anchor(false)) + "\n")
		for range 1 + g.pick(3) {
			g.b.WriteString(pad + "-")
			g.value(indent+2, depth+1)
		}
	case 7:
		g.b.WriteString(" |\n" + pad + g.plain(false) + "\n")
	}
}

func (g *docGen) mapping(indent, depth int) {
	pad := strings.Repeat(" ", indent)
	for range 1 + g.pick(4) {
		if g.pick(6) == 0 && len(g.maps) > 0 {
			switch g.pick(3) {
			case 0:
				g.b.WriteString(pad + "<<: *" + g.maps[g.pick(len(g.maps))] + "\n")
			case 1:
				g.b.WriteString(pad + "<<: [*" + g.maps[g.pick(len(g.maps))] + ", *" + g.maps[g.pick(len(g.maps))] + "]\n")
			default:
				g.b.WriteString(pad + "<<: {a: " + g.scalar(true) + ", " + g.key() + ": x}\n")
			}
			continue
		}
		g.b.WriteString(pad + g.key() + ":")
		g.value(indent, depth)
	}
}

// generate returns the document the bytes describe: YAML in block style,
// or, when the first byte is odd, JSON (which Helm reads with its YAML
// reader, and pachidp with its JSON editor and the same YAML reader).
func generate(data []byte) []byte {
	g := &docGen{data: data}
	if g.next()%2 == 1 {
		g.json(0, true)
		return []byte(g.b.String())
	}
	g.mapping(0, 0)
	return []byte(g.b.String())
}

// jsonNumbers are JSON numbers whose YAML 1.1 reading matters: exponents,
// a negative zero, numbers JSON allows and float64 cannot hold.
var jsonNumbers = []string{"0", "-0", "12", "-12", "1e3", "1E3", "1e+3", "1.5e-3", "0.1", "1e400", "-1e400",
	"9007199254740993", "9223372036854775808", "18446744073709551616", "123456789012345678901234567890"}

// json writes a JSON value: an object at the top.
func (g *docGen) json(depth int, top bool) {
	kind := g.pick(6)
	if top {
		kind = 0
	} else if depth > 3 && kind < 2 {
		kind = 2
	}
	switch kind {
	case 0:
		g.b.WriteString("{")
		for i := range g.pick(4) + 1 {
			if i > 0 {
				g.b.WriteString(", ")
			}
			fmt.Fprintf(&g.b, "%q: ", keys[g.pick(len(keys))])
			g.json(depth+1, false)
		}
		g.b.WriteString("}")
	case 1:
		g.b.WriteString("[")
		for i := range g.pick(4) {
			if i > 0 {
				g.b.WriteString(", ")
			}
			g.json(depth+1, false)
		}
		g.b.WriteString("]")
	case 2:
		g.b.WriteString(jsonNumbers[g.pick(len(jsonNumbers))])
	case 3:
		fmt.Fprintf(&g.b, "%q", scalars[g.pick(len(scalars))])
	case 4:
		g.b.WriteString([]string{"true", "false", "null"}[g.pick(3)])
	default:
		g.b.WriteString(`"\u00e9\n\t\"x\\"`)
	}
}

// FuzzReadValues: pachidp and Helm read every generated document alike
// (both refuse it, or both read the same values).
func FuzzReadValues(f *testing.F) {
	for i := range 64 {
		seed := make([]byte, 48)
		for j := range seed {
			seed[j] = byte(i*31 + j*17 + i*j)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := generate(data)
		if d := compare(doc); d != "" {
			t.Fatalf("%s\ndocument:\n%s", d, doc)
		}
	})
}

// TestGeneratedDocuments runs the fuzz target's comparison on a fixed set
// of generated documents, so that `go test` alone covers it.
func TestGeneratedDocuments(t *testing.T) {
	fails := 0
	for i := range 3000 {
		data := make([]byte, 64)
		x := uint32(i)*2654435761 + 1
		for j := range data {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			data[j] = byte(x)
		}
		doc := generate(data)
		if d := compare(doc); d != "" {
			fails++
			if fails <= 15 {
				t.Errorf("%s\ndocument:\n%s", d, doc)
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d of 3000 documents differ", fails)
	}
}
