package pachidp

import "fmt"

// String describes the document without its content, which holds secrets
// when the values do: its format and size. Print v.Bytes() only where a
// secret may be shown.
//
// The receiver is a value so that a Values printed by value is described
// too. (Values has no Format(fmt.State, rune) method, as its Format method
// reports the syntax, so %d and the like still print the fields: use %v.)
func (v Values) String() string {
	return fmt.Sprintf("%s values document (%d bytes, %s)", v.format, len(v.data), Redacted)
}

// GoString is like String, so that %#v does not show the content either.
func (v Values) GoString() string { return "pachidp.Values(" + v.String() + ")" }
