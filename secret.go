package pachidp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// The Secret that holds the entries when the values name it
// (oidc.upstreamIDPsSecretName).
const (
	// UpstreamIDPsSecretKey is the key of the Secret that holds the list
	// of upstream IdPs. Pachyderm's chart reads this key, and only this
	// key, from the Secret named by oidc.upstreamIDPsSecretName.
	UpstreamIDPsSecretKey = "upstream-idps"

	// DefaultUpstreamIDPsSecretName is the Secret name
	// UpstreamIDPsSecret.Manifest writes when Name is empty. It
	// differs from pachyderm-identity, the Secret the chart renders itself
	// when oidc.upstreamIDPsSecretName is empty, so that the two never
	// fight over one object.
	DefaultUpstreamIDPsSecretName = "pachyderm-upstream-idps"
)

// UpstreamIDPsSecret is a Kubernetes Secret that holds the entries, for
// Helm values that set oidc.upstreamIDPsSecretName instead of listing
// oidc.upstreamIDPs: DecodeSecretManifest reads one, SetUpstreamIDPs and
// Merge put entries in it, Manifest writes it, EditSecretFile edits a
// manifest file in place. Text holds secrets; printing never shows it.
type UpstreamIDPsSecret struct {
	// Name is the Secret's name, to be set as oidc.upstreamIDPsSecretName
	// in the Helm values; Manifest writes DefaultUpstreamIDPsSecretName
	// when it is empty. It must be a DNS-1123 subdomain, as Kubernetes
	// requires.
	Name string
	// Namespace is the namespace of the Pachyderm release. When empty the
	// manifest has none, and kubectl applies it to its current namespace.
	Namespace string
	// Text is the value of the key upstream-idps: the YAML list pachd
	// receives in IDP_CONNECTORS.
	Text []byte
	// FromData reports that Text came from the base64 data field rather
	// than from stringData.
	FromData bool
}

// UpstreamIDPs decodes Text. Positions in the entries (and in findings
// about them) are lines of Text, not of the manifest.
func (s *UpstreamIDPsSecret) UpstreamIDPs() ([]UpstreamIDP, error) {
	if s == nil {
		return nil, &SyntaxError{Msg: "nil *UpstreamIDPsSecret: read one with DecodeSecretManifest"}
	}
	return DecodeUpstreamIDPs(s.Text)
}

// SetUpstreamIDPs makes idps the Secret's entries: Text becomes their list
// as RenderUpstreamIDPs writes it, what the chart would have rendered from
// oidc.upstreamIDPs, so pachd reads the same connectors either way
// (FromData is cleared: Manifest writes stringData). On error (an entry
// that cannot be rendered) the Secret is unchanged.
func (s *UpstreamIDPsSecret) SetUpstreamIDPs(idps []UpstreamIDP) error {
	if s == nil {
		return &optionError{option: "*UpstreamIDPsSecret", msg: "is nil: use a new(UpstreamIDPsSecret)"}
	}
	text, err := RenderUpstreamIDPs(idps)
	if err != nil {
		return err
	}
	s.Text, s.FromData = text, false
	return nil
}

// Merge adds idps to the Secret's entries, which stay: an entry with the id
// of one the Secret holds replaces it where it stands, and the others are
// appended in their order. It returns how many of the Secret's entries it
// replaced (two of idps with one new id replace none, the second wins). Text
// is then the merged list as RenderUpstreamIDPs writes it (FromData is
// cleared: Manifest writes stringData). On error (Text that does not
// decode, an entry that cannot be rendered) the Secret is unchanged.
//
// Merge is how entries move into an existing Secret: a manifest of the new
// entries alone would, applied, delete the connectors of the others.
func (s *UpstreamIDPsSecret) Merge(idps []UpstreamIDP) (replaced int, err error) {
	if s == nil {
		return 0, &optionError{option: "*UpstreamIDPsSecret", msg: "is nil: use a new(UpstreamIDPsSecret)"}
	}
	merged, err := s.UpstreamIDPs()
	if err != nil {
		return 0, err
	}
	held := len(merged) // entries of the Secret before the merge
	gone := map[int]bool{}
	for _, e := range idps {
		if i := slices.IndexFunc(merged, func(x UpstreamIDP) bool { return x.ID == e.ID }); i >= 0 {
			merged[i] = e
			if i < held && !gone[i] {
				gone[i] = true
				replaced++
			}
		} else {
			merged = append(merged, e)
		}
	}
	text, err := RenderUpstreamIDPs(merged)
	if err != nil {
		return 0, err
	}
	s.Text, s.FromData = text, false
	return replaced, nil
}

// Manifest returns the Secret's manifest (YAML), the entries of Text under
// the key upstream-idps:
//
//	apiVersion: v1
//	kind: Secret
//	metadata:
//	  name: pachyderm-upstream-idps
//	  namespace: pachyderm
//	stringData:
//	  upstream-idps: |
//	    - config:
//	    ...
//	type: Opaque
//
// The manifest holds every client secret in clear text (stringData is not
// even base64): write it with file mode 0600 (EditSecretFile does), keep
// it out of version control or encrypt it (SOPS, Sealed Secrets), and
// never log it.
//
// Manifest refuses entries that pachd would refuse (see UpstreamIDPsSecret.PachdUpstreamIDPs:
// the error is then the Findings listing them) and a Name or Namespace
// Kubernetes would refuse (an option error naming UpstreamIDPsSecret.Name
// or .Namespace).
func (s *UpstreamIDPsSecret) Manifest() ([]byte, error) {
	if s == nil {
		return nil, &optionError{option: "*UpstreamIDPsSecret", msg: "is nil: use a new(UpstreamIDPsSecret)"}
	}
	name := s.Name
	if name == "" {
		name = DefaultUpstreamIDPsSecretName
	}
	if err := checkDNSSubdomain("UpstreamIDPsSecret.Name", name); err != nil {
		return nil, err
	}
	if s.Namespace != "" {
		if err := checkDNSLabel("UpstreamIDPsSecret.Namespace", s.Namespace); err != nil {
			return nil, err
		}
	}
	idps, err := s.UpstreamIDPs()
	if err != nil {
		return nil, err
	}
	// The text as the chart renders it, which pachd reads strictly.
	text, err := RenderUpstreamIDPs(idps)
	if err != nil {
		return nil, err
	}
	if _, fs := decodePachdStrict(text); fs.Err() != nil {
		return nil, fs.Err()
	}
	meta := map[string]any{"name": name}
	if s.Namespace != "" {
		meta["namespace"] = s.Namespace
	}
	return helmYAML(map[string]any{
		"apiVersion": "v1",
		"kind":       "Secret",
		"metadata":   meta,
		"type":       "Opaque",
		"stringData": map[string]any{UpstreamIDPsSecretKey: string(text)},
	}, "secret")
}

// EditSecretFile edits the Secret manifest at path in place, as EditFile
// edits a values file: it reads the manifest, runs edit on the Secret it
// holds, and replaces the file with the edited Secret's Manifest. It
// reports whether the file changed; an edit that leaves the Secret as it
// was writes nothing. edit may run twice (see below), each time on the
// file as it then is.
//
// A missing or empty file is a new, empty Secret: edit names it (Name,
// Namespace; Manifest writes DefaultUpstreamIDPsSecretName when Name stays
// empty), and a missing file stays missing when edit changes nothing. An
// existing manifest keeps its name and namespace unless edit changes them.
//
// The file holds secrets, so it is always written as a new file of mode
// 0600 owned by the caller (a temporary file in the same folder, synced
// and renamed over path: a crash leaves the old or the new manifest), and
// it is refused, before it is read, when path is a symbolic link, not a
// regular file, or a file another user owns.
//
// The file is never damaged, and no concurrent edit is lost: the edit runs
// first without the file's lock, which is taken for the final check and
// the rename; if the file changed since the read (another edit ran, or
// created it), edit runs again holding the lock from the read to the
// rename, waiting up to 10 seconds for another holder (ErrLocked past
// that), and a change during that run too (a program that takes no lock)
// fails with ErrFileChanged. The lock is EditFile's.
//
// Errors name the file and wrap the cause: *SyntaxError (a manifest that
// is not a Secret with the key upstream-idps), Findings or
// an option error (from Manifest), ErrFileChanged, ErrLocked, ErrTooLarge (past
// 16 MiB), fs.ErrPermission, or the error of edit. They never hold a value
// of the manifest.
func EditSecretFile(path string, edit func(*UpstreamIDPsSecret) error) (changed bool, err error) {
	if edit == nil {
		return false, &optionError{option: "EditSecretFile's edit", msg: "is nil: pass the function that edits the Secret"}
	}
	return atomicfile.Edit(path, atomicfile.EditOptions{Limit: atomicfile.MaxManifestSize, Secret: true}, func(data []byte) ([]byte, error) {
		out, err := editSecret(data, edit)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return out, nil
	})
}

// editSecret is one run of EditSecretFile's edit on the bytes read (nil:
// no file): the bytes to write, the same bytes when nothing changed.
func editSecret(data []byte, edit func(*UpstreamIDPsSecret) error) ([]byte, error) {
	s := &UpstreamIDPsSecret{}
	if len(bytes.TrimSpace(data)) > 0 {
		var err error
		if s, err = DecodeSecretManifest(data); err != nil {
			return nil, err
		}
	}
	before := *s
	before.Text = bytes.Clone(s.Text)
	if err := edit(s); err != nil {
		return nil, err
	}
	if s.Name == before.Name && s.Namespace == before.Namespace && s.FromData == before.FromData && bytes.Equal(s.Text, before.Text) {
		return data, nil
	}
	return s.Manifest()
}

// DecodeSecretManifest reads a Kubernetes Secret manifest (YAML or JSON,
// one document) and returns its key upstream-idps: the Secret named by
// oidc.upstreamIDPsSecretName, a Secret written by UpstreamIDPsSecret.Manifest, or
// the chart's own pachyderm-identity as `kubectl get secret -o yaml` shows it.
//
// The key may be in stringData (text) or in data (base64). When both hold
// it, stringData wins, as when Kubernetes stores the Secret: the API server
// writes stringData over data.
//
// Errors (a *SyntaxError with the path and line) say what is wrong without
// showing any value: not a Secret, no key upstream-idps, a value that is not
// a string, invalid base64.
func DecodeSecretManifest(data []byte) (*UpstreamIDPsSecret, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, &SyntaxError{Msg: "empty input: expected a Secret manifest (apiVersion: v1, kind: Secret)"}
	}
	pos := positions{}
	v, err := toValue(doc, "", pos)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &SyntaxError{Pos: Position{Line: doc.Content[0].Line, Column: doc.Content[0].Column},
			Msg: fmt.Sprintf("expected a Secret manifest (a mapping with apiVersion: v1 and kind: Secret), got %s", typeName(v))}
	}
	if kind, _ := m["kind"].(string); kind != "Secret" {
		got := "no kind"
		if m["kind"] != nil {
			got = fmt.Sprintf("kind %q", fmt.Sprint(m["kind"]))
		}
		return nil, &SyntaxError{Path: "kind", Pos: pos.at("kind"),
			Msg: fmt.Sprintf("the manifest has %s: expected kind: Secret", got)}
	}
	if api, _ := m["apiVersion"].(string); api != "v1" {
		return nil, &SyntaxError{Path: "apiVersion", Pos: pos.at("apiVersion"),
			Msg: "a Secret has apiVersion: v1"}
	}
	s := &UpstreamIDPsSecret{}
	if meta, ok := m["metadata"].(map[string]any); ok {
		s.Name, _ = meta["name"].(string)
		s.Namespace, _ = meta["namespace"].(string)
	} else if m["metadata"] != nil {
		return nil, &SyntaxError{Path: "metadata", Pos: pos.at("metadata"),
			Msg: fmt.Sprintf("must be a mapping, got %s", typeName(m["metadata"]))}
	}

	section := func(field string) (map[string]any, error) {
		switch sm := m[field].(type) {
		case nil:
			return nil, nil
		case map[string]any:
			return sm, nil
		default:
			return nil, &SyntaxError{Path: field, Pos: pos.at(field),
				Msg: fmt.Sprintf("must be a mapping of keys to strings, got %s", typeName(sm))}
		}
	}
	stringData, err := section("stringData")
	if err != nil {
		return nil, err
	}
	dataMap, err := section("data")
	if err != nil {
		return nil, err
	}
	valueAt := func(field string, val any) (string, error) {
		p := joinPath(field, UpstreamIDPsSecretKey)
		str, ok := val.(string)
		if !ok {
			msg := fmt.Sprintf("must be a string, got %s", typeName(val))
			if _, isList := val.([]any); isList {
				msg += ": the list must be text inside the Secret; write `" + UpstreamIDPsSecretKey + ": |` and indent the list under it"
			}
			return "", &SyntaxError{Path: p, Pos: pos.at(p), Msg: msg}
		}
		return str, nil
	}
	if val, ok := stringData[UpstreamIDPsSecretKey]; ok {
		str, err := valueAt("stringData", val)
		if err != nil {
			return nil, err
		}
		s.Text = []byte(str)
		return s, nil
	}
	if val, ok := dataMap[UpstreamIDPsSecretKey]; ok {
		str, err := valueAt("data", val)
		if err != nil {
			return nil, err
		}
		text, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			p := joinPath("data", UpstreamIDPsSecretKey)
			msg := "is not valid base64"
			var ce base64.CorruptInputError
			if errors.As(err, &ce) {
				msg = fmt.Sprintf("is not valid base64 (at byte %d)", int64(ce))
			}
			return nil, &SyntaxError{Path: p, Pos: pos.at(p),
				Msg: msg + ": values under data are base64; put the plain text under stringData instead"}
		}
		s.Text, s.FromData = text, true
		return s, nil
	}
	var keys []string
	for k := range stringData {
		keys = append(keys, "stringData."+k)
	}
	for k := range dataMap {
		keys = append(keys, "data."+k)
	}
	sort.Strings(keys)
	have := "it has no keys"
	if len(keys) > 0 {
		have = "it has " + strings.Join(keys, ", ")
	}
	name := s.Name
	if name == "" {
		name = "(unnamed)"
	}
	return nil, &SyntaxError{Msg: fmt.Sprintf("the Secret %s has no key %s in stringData or data (%s): Pachyderm reads the list of upstream IdPs from that key only",
		name, UpstreamIDPsSecretKey, have)}
}

var (
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	dnsLabel     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// optionError reports an option or argument of a call that cannot be
// used, such as UpstreamIDPsSecret.Name "BAD NAME". Its Option method
// names the option as the Go caller wrote it, so that a program that took
// it under another name (a command's flag) can say that name instead, with
// Message, what is wrong without the option's name:
//
//	var oe interface{ Option() string; Message() string }
//	if errors.As(err, &oe) { ... }
type optionError struct {
	option string // "UpstreamIDPsSecret.Name", "ValidateValuesOptions.ProxyHost", ...
	msg    string // what is wrong and what to pass, without the option's name
}

// Error formats the error as "Option Message".
func (e *optionError) Error() string { return e.option + " " + e.msg }

// Option names the option as the Go caller wrote it.
func (e *optionError) Option() string { return e.option }

// Message says what is wrong and what to pass, without the option's name.
func (e *optionError) Message() string { return e.msg }

// checkDNSSubdomain checks a Kubernetes object name (RFC 1123 subdomain).
func checkDNSSubdomain(field, s string) error {
	if len(s) > 253 || !dnsSubdomain.MatchString(s) {
		return &optionError{field, fmt.Sprintf("%q is not a valid Kubernetes Secret name: use at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, such as %q",
			s, DefaultUpstreamIDPsSecretName)}
	}
	return nil
}

// checkDNSLabel checks a Kubernetes namespace name (RFC 1123 label).
func checkDNSLabel(field, s string) error {
	if len(s) > 63 || !dnsLabel.MatchString(s) {
		return &optionError{field, fmt.Sprintf("%q is not a valid Kubernetes namespace: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit, such as \"pachyderm\"", s)}
	}
	return nil
}
