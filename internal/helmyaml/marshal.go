package helmyaml

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Problem says why Marshal refuses a value.
type Problem int

const (
	// InvalidUTF8 is a string that is not valid UTF-8: encoding/json, and
	// so Helm's toYaml, would replace its bad bytes with U+FFFD, changing
	// the value (a client secret would become another one).
	InvalidUTF8 Problem = iota + 1
	// InvalidUTF8Key is a mapping key that is not valid UTF-8; the path
	// names the mapping.
	InvalidUTF8Key
	// NotJSON is a value encoding/json cannot write; Err is its error.
	NotJSON
	// NotJSONReadBack is JSON that does not read back; Err is the error.
	NotJSONReadBack
	// NEL is a string or key holding U+0085, which Helm's YAML reader takes
	// for a line break and folds into a space or a break.
	NEL
	// ControlChar is a string or key holding a character that Helm's YAML
	// reader refuses (U+007F, U+0080-U+009F but NEL, U+FFFE, U+FFFF): Helm's
	// toYaml then swallows the error and renders nothing at all. Char is the
	// character.
	ControlChar
	// LongKey is a mapping key longer than 1022 characters once written as
	// JSON: YAML allows at most 1024 characters from a key's start to its
	// ":", so Helm's toYaml fails on the whole document. The path's last
	// step is the key's first 32 characters followed by "...".
	LongKey
)

// MarshalError is Marshal's error. It never holds a value, only where it is
// and what is wrong with it.
type MarshalError struct {
	// Path leads from the value given to Marshal to the one refused: each
	// step is a string (a mapping key) or an int (a list index).
	Path    []any
	Problem Problem
	Char    rune  // the character, for ControlChar
	Err     error // the encoding/json error, for NotJSON and NotJSONReadBack
}

// Error describes the problem without the value.
func (e *MarshalError) Error() string {
	var b []byte
	for _, s := range e.Path {
		switch s := s.(type) {
		case int:
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s), 10)
			b = append(b, ']')
		case string:
			b = append(b, '[')
			b = strconv.AppendQuote(b, s)
			b = append(b, ']')
		}
	}
	where := "value" + string(b)
	switch e.Problem {
	case InvalidUTF8:
		return where + ": not valid UTF-8"
	case InvalidUTF8Key:
		return where + ": a key is not valid UTF-8"
	case NotJSON:
		return where + ": cannot be written as JSON: " + e.Err.Error()
	case NotJSONReadBack:
		return where + ": cannot be read back from JSON: " + e.Err.Error()
	case NEL:
		return where + ": holds U+0085 (NEL)"
	case ControlChar:
		return where + ": holds the control character " + strconv.QuoteRune(e.Char)
	case LongKey:
		return where + ": a key of more than 1022 characters as JSON"
	}
	return where + ": cannot be rendered"
}

// Unwrap returns the encoding/json error, if any.
func (e *MarshalError) Unwrap() error { return e.Err }

// Marshal returns what sigs.k8s.io/yaml.Marshal, and so Helm's toYaml before
// its final trim, returns for v, trailing newline included: v is written as
// JSON, read back (objects as map[string]any, numbers as json.Number) and
// emitted as yaml.v2 v2.4.0 emits it. It refuses, with a *MarshalError,
// what Helm would not render as written (see Problem), so that what it
// returns is what Helm renders.
func Marshal(v any) ([]byte, error) {
	if err := checkUTF8(v); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, &MarshalError{Problem: NotJSON, Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, &MarshalError{Problem: NotJSONReadBack, Err: err}
	}
	if err := checkHelmStrings(tree, longJSONKeys(j)); err != nil {
		return nil, err
	}
	e := newYAML2Emitter()
	e.node(tree, true, false, false, false)
	// Document end: a line break unless the output already ends with one.
	e.writeIndent()
	return e.buf, nil
}

// under puts e below step s: the checks build an error's path on their
// way back, so that the values Marshal renders cost no path at all.
func (e *MarshalError) under(s any) *MarshalError {
	e.Path = append([]any{s}, e.Path...)
	return e
}

// longJSONKeys returns the object keys of the compact JSON j that the YAML
// reader of sigs.k8s.io/yaml refuses: YAML allows at most 1024 characters
// from the start of a key to its ":", so a key longer than 1022 characters
// once written as JSON (quotes excluded, escapes included) fails the whole
// document.
func longJSONKeys(j []byte) map[string]bool {
	var long map[string]bool
	for i := 0; i < len(j); i++ {
		if j[i] != '"' {
			continue
		}
		start := i
		for i++; i < len(j) && j[i] != '"'; i++ {
			if j[i] == '\\' {
				i++
			}
		}
		if i+1 < len(j) && j[i+1] == ':' && utf8.RuneCount(j[start:i+1]) > 1024 {
			var k string
			if json.Unmarshal(j[start:i+1], &k) == nil {
				if long == nil {
					long = map[string]bool{}
				}
				long[k] = true
			}
		}
	}
	return long
}

// checkUTF8 refuses strings that are not valid UTF-8. encoding/json, and so
// Helm's toYaml, would replace their bad bytes with U+FFFD: a client secret
// would silently become another one. Only Go callers can build such strings:
// a values file cannot hold them.
func checkUTF8(v any) *MarshalError {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return &MarshalError{Problem: InvalidUTF8}
		}
	case []any:
		for i, it := range x {
			if err := checkUTF8(it); err != nil {
				return err.under(i)
			}
		}
	case map[string]any:
		for _, k := range keysInOrder(x) {
			if !utf8.ValidString(k) {
				return &MarshalError{Problem: InvalidUTF8Key}
			}
			if err := checkUTF8(x[k]); err != nil {
				return err.under(k)
			}
		}
	}
	return nil
}

// checkHelmStrings finds what does not survive Helm's toYaml: keys in
// longKeys, and characters that encoding/json writes raw and that the YAML
// reader of sigs.k8s.io/yaml then either refuses (toYaml swallows the error
// and renders nothing at all) or, for NEL (U+0085), reads as a line break and
// folds into a space.
func checkHelmStrings(v any, longKeys map[string]bool) *MarshalError {
	switch x := v.(type) {
	case string:
		return checkChars(x)
	case []any:
		for i, it := range x {
			if err := checkHelmStrings(it, longKeys); err != nil {
				return err.under(i)
			}
		}
	case map[string]any:
		for _, k := range keysInOrder(x) {
			if longKeys[k] {
				// Do not show a path holding a whole key that long.
				return (&MarshalError{Problem: LongKey}).under(string([]rune(k)[:32]) + "...")
			}
			if err := checkChars(k); err != nil {
				return err.under(k)
			}
			if err := checkHelmStrings(x[k], longKeys); err != nil {
				return err.under(k)
			}
		}
	}
	return nil
}

// checkChars refuses NEL and the characters Helm's YAML reader refuses.
func checkChars(s string) *MarshalError {
	for _, r := range s {
		switch {
		case r == 0x85:
			return &MarshalError{Problem: NEL}
		case r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfffe || r == 0xffff:
			return &MarshalError{Problem: ControlChar, Char: r}
		}
	}
	return nil
}

// keysInOrder returns the keys of m in byte order, so that the first problem
// found is always the same one.
func keysInOrder(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
