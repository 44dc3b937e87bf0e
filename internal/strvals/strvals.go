// Package strvals parses Helm's --set syntax for scalars: PATH=VALUE,
// several joined by commas, as helm install --set and --set-string read
// them (helm.sh/helm/v3 v3.22.0 pkg/strvals/parser.go), restricted to
// scalar values at paths of keys. It knows nothing of Pachyderm.
//
// What it accepts it reads as Helm does (conformance/helmread proves it
// against strvals.ParseInto on the same inputs); what Helm would read as a
// list, an index or an empty key it refuses with an error saying so,
// where Helm would build a list or silently drop the assignment.
package strvals

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxNestedNameLevel is Helm's cap on the number of dots of a path
// (parser.go:38, MaxNestedNameLevel = 30): a path of more keys is refused,
// as Helm refuses it.
const MaxNestedNameLevel = 30

// Assignment is one PATH=VALUE: the keys of the path, unescaped, and the
// value typed as Helm types it.
type Assignment struct {
	Keys  []string
	Value any // string, bool, int64 or nil
	// Raw is the value as typed (unescaped), before typing.
	Raw string
}

// Path returns the keys joined by dots, with the dots of a key escaped
// (\.), as they are typed: for messages.
func (a Assignment) Path() string {
	ks := make([]string, len(a.Keys))
	for i, k := range a.Keys {
		ks[i] = escapeKey(k)
	}
	return strings.Join(ks, ".")
}

func escapeKey(k string) string {
	r := strings.NewReplacer(`\`, `\\`, `.`, `\.`, `=`, `\=`, `,`, `\,`, `[`, `\[`)
	return r.Replace(k)
}

// Error is a refusal of Parse. Its message never holds a value: the value
// may be a secret typed on the command line.
type Error struct {
	Path string // the path as typed (escaped), "" when none was read
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Parse reads one --set argument: PATH=VALUE[,PATH=VALUE...]. With
// forceString every value is a string (--set-string).
//
// As Helm's parser: a path is keys separated by '.', a key runs to '=',
// '.', ',' or '[' (parser.go:185, key); a value runs to ',' (parser.go:473,
// val); a backslash takes the next character literally in both
// (parser.go:503-521, runesUntil), so `a\.b=1` sets the key "a.b" and
// `v=x\,y` the value "x,y". A value is typed by typedVal (parser.go:528-561):
// true and false (any case) are booleans, null (any case) is nil, 0 and an
// integer not starting with 0 that fits int64 are int64, everything else
// (1.5, 0755, 1e3, yes, "") is a string.
//
// Refused, with an error naming the path: a value in braces (a list for
// Helm, parser.go:456-475), a list index (parser.go:201), an empty key
// (Helm drops the assignment, parser.go:302-307), a path without '='
// (Helm: "key has no value"), and more than MaxNestedNameLevel dots.
func Parse(s string, forceString bool) ([]Assignment, error) {
	r := []rune(s)
	var out []Assignment
	i := 0
	for i < len(r) {
		var keys []string
		var cur []rune
		path := func() string { return pathSoFar(keys, cur) }
	key:
		for {
			if i >= len(r) {
				if len(keys) == 0 && len(cur) == 0 {
					return out, nil
				}
				return nil, &Error{Path: path(), Msg: "no value: write PATH=VALUE (PATH= sets the empty string, PATH=null sets null)"}
			}
			c := r[i]
			i++
			switch c {
			case '\\':
				if i < len(r) {
					cur = append(cur, r[i])
					i++
				}
			case '.':
				if len(cur) == 0 {
					return nil, &Error{Path: path(), Msg: "an empty key: the path has two dots in a row, or starts or ends with one"}
				}
				keys = append(keys, string(cur))
				cur = nil
				if len(keys) > MaxNestedNameLevel {
					return nil, &Error{Path: path(), Msg: fmt.Sprintf("more than %d levels of keys (Helm's limit)", MaxNestedNameLevel)}
				}
			case '[':
				return nil, &Error{Path: path(), Msg: "a list index: only scalars at paths of keys are set here (write a key holding [ as \\[)"}
			case ',':
				return nil, &Error{Path: path(), Msg: "no value before ',': write PATH=VALUE"}
			case '=':
				break key
			default:
				cur = append(cur, c)
			}
		}
		if len(cur) == 0 {
			return nil, &Error{Path: path(), Msg: "an empty key: write PATH=VALUE"}
		}
		keys = append(keys, string(cur))
		a := Assignment{Keys: keys}
		if i < len(r) && r[i] == '{' {
			return nil, &Error{Path: a.Path(), Msg: "a value in braces is a list for Helm: only scalars are set here (write a value starting with { as \\{)"}
		}
		var val []rune
		for i < len(r) && r[i] != ',' {
			if r[i] == '\\' {
				i++
				if i < len(r) {
					val = append(val, r[i])
				}
				i++
				continue
			}
			val = append(val, r[i])
			i++
		}
		if i < len(r) {
			i++ // the comma
		}
		a.Raw = string(val)
		a.Value = Type(a.Raw, forceString)
		out = append(out, a)
	}
	return out, nil
}

// pathSoFar is the path read so far, escaped, for messages.
func pathSoFar(keys []string, cur []rune) string {
	a := Assignment{Keys: append(append([]string{}, keys...), string(cur))}
	return strings.TrimSuffix(a.Path(), ".")
}

// Type types a value as Helm's typedVal does (parser.go:528-561); with
// forceString it is the string itself (--set-string).
func Type(val string, forceString bool) any {
	if forceString {
		return val
	}
	switch {
	case strings.EqualFold(val, "true"):
		return true
	case strings.EqualFold(val, "false"):
		return false
	case strings.EqualFold(val, "null"):
		return nil
	case val == "0":
		return int64(0)
	}
	if val != "" && val[0] != '0' {
		if n, err := strconv.ParseInt(val, 10, 64); err == nil {
			return n
		}
	}
	return val
}
