package pachidp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The Secret that holds the entries when the values name it
// (oidc.upstreamIDPsSecretName).
const (
	// UpstreamIDPsSecretKey is the key of the Secret that holds the list
	// of upstream IdPs. Pachyderm's chart reads this key, and only this
	// key, from the Secret named by oidc.upstreamIDPsSecretName.
	UpstreamIDPsSecretKey = "upstream-idps"

	// DefaultUpstreamIDPsSecretName is the Secret name
	// EncodeSecretManifest uses when SecretOptions.Name is empty. It
	// differs from pachyderm-identity, the Secret the chart renders itself
	// when oidc.upstreamIDPsSecretName is empty, so that the two never
	// fight over one object.
	DefaultUpstreamIDPsSecretName = "pachyderm-upstream-idps"
)

// SecretOptions names the Secret that EncodeSecretManifest writes.
type SecretOptions struct {
	// Name is the Secret's name, to be set as oidc.upstreamIDPsSecretName
	// in the Helm values; default DefaultUpstreamIDPsSecretName. It must be a
	// DNS-1123 subdomain, as Kubernetes requires.
	Name string
	// Namespace is the namespace of the Pachyderm release. When empty the
	// manifest has none, and kubectl applies it to its current namespace.
	Namespace string
}

// EncodeSecretManifest returns a Kubernetes Secret manifest (YAML) holding
// the entries under the key upstream-idps, for Helm values that set
// oidc.upstreamIDPsSecretName instead of listing oidc.upstreamIDPs:
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
// The value of upstream-idps is RenderUpstreamIDPs's text: what the chart
// would have rendered from oidc.upstreamIDPs, so pachd reads the same
// connectors either way.
//
// The manifest holds every client secret in clear text (stringData is not
// even base64): write it with file mode 0600, keep it out of version control
// or encrypt it (SOPS, Sealed Secrets), and never log it.
//
// EncodeSecretManifest refuses entries that pachd would refuse (see
// DecodePachdStrict): the error is then the Findings listing them.
func EncodeSecretManifest(idps []UpstreamIDP, opts SecretOptions) ([]byte, error) {
	name := opts.Name
	if name == "" {
		name = DefaultUpstreamIDPsSecretName
	}
	if err := checkDNSSubdomain("SecretOptions.Name", name); err != nil {
		return nil, err
	}
	if opts.Namespace != "" {
		if err := checkDNSLabel("SecretOptions.Namespace", opts.Namespace); err != nil {
			return nil, err
		}
	}
	text, err := RenderUpstreamIDPs(idps)
	if err != nil {
		return nil, err
	}
	if _, fs := DecodePachdStrict(text); fs.Err() != nil {
		return nil, fs.Err()
	}
	meta := map[string]any{"name": name}
	if opts.Namespace != "" {
		meta["namespace"] = opts.Namespace
	}
	return helmYAML(map[string]any{
		"apiVersion": "v1",
		"kind":       "Secret",
		"metadata":   meta,
		"type":       "Opaque",
		"stringData": map[string]any{UpstreamIDPsSecretKey: string(text)},
	}, "secret")
}

// UpstreamIDPsSecret is what DecodeSecretManifest reads from a Secret
// manifest. Text holds secrets; String and GoString never show it.
type UpstreamIDPsSecret struct {
	Name      string
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

// DecodeSecretManifest reads a Kubernetes Secret manifest (YAML or JSON,
// one document) and returns its key upstream-idps: the Secret named by
// oidc.upstreamIDPsSecretName, a Secret written by EncodeSecretManifest, or
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
		return nil, &SyntaxError{Pos: Position{doc.Content[0].Line, doc.Content[0].Column},
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

// OptionError reports an option or argument of a call that cannot be
// used, such as SecretOptions.Name "BAD NAME". Option names it as the Go
// caller wrote it, so that a program that took it under another name (a
// command's flag) can say that name instead.
type OptionError struct {
	Option string // "SecretOptions.Name", "SecretOptions.Namespace", "Secret name", ...
	Msg    string // what is wrong and what to pass, without the option's name
}

// Error formats the error as "Option Msg".
func (e *OptionError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Option + " " + e.Msg
}

// checkDNSSubdomain checks a Kubernetes object name (RFC 1123 subdomain).
func checkDNSSubdomain(field, s string) error {
	if len(s) > 253 || !dnsSubdomain.MatchString(s) {
		return &OptionError{field, fmt.Sprintf("%q is not a valid Kubernetes Secret name: use at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, such as %q",
			s, DefaultUpstreamIDPsSecretName)}
	}
	return nil
}

// checkDNSLabel checks a Kubernetes namespace name (RFC 1123 label).
func checkDNSLabel(field, s string) error {
	if len(s) > 63 || !dnsLabel.MatchString(s) {
		return &OptionError{field, fmt.Sprintf("%q is not a valid Kubernetes namespace: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit, such as \"pachyderm\"", s)}
	}
	return nil
}
