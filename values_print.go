package pachidp

import "fmt"

// String describes the document without its content, which holds secrets
// when the values do: its format and size. Print v.Bytes() only where a
// secret may be shown.
//
// The receiver is a value so that a Document printed by value is described
// too.
func (v Document) String() string {
	return fmt.Sprintf("%s values document (%d bytes, %s)", v.formatName(), len(v.Bytes()), Redacted)
}

// GoString is like String, so that %#v does not show the content either.
func (v Document) GoString() string { return "pachidp.Document(" + v.String() + ")" }

// Format makes every fmt verb (%v, %s, %d, %x, %#v, ...) print the
// description of String or GoString, never the document's bytes.
func (v Document) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, v.GoString())
		return
	}
	fmt.Fprint(f, v.String())
}
