package pachidp

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// pachctl's connector file is a different format from Helm's entries.
//
// Helm values, oidc.upstreamIDPs (and the Secret key upstream-idps): a list
// of entries {type, id, name, configVersion, jsonConfig, config}, read by
// pachd strictly (an unknown key such as "version" crashes pachd); YAML 1.1
// as Helm reads it. DecodeUpstreamIDPs and EncodeUpstreamIDPs read and write
// it; UpstreamIDP keeps a stray "version" in Extra for Validate to report.
//
// pachctl's connector file, `pachctl idp create-connector --config FILE` and
// `pachctl idp update-connector --config FILE`: one connector
// {id, name, type, version, config}, read by pachctl with YAML 1.2 (yaml.v3),
// converted to JSON and decoded case-insensitively by encoding/json, so
// "ID:" and "Version:" work and unknown keys are silently ignored.
// DecodePachctlConnector and EncodePachctlConnector read and write it.

// pachctlKeys are the keys pachctl reads in a connector file (its Go struct
// has fields ID, Name, Type, Version and Config, no JSON tags).
var pachctlKeys = []string{"type", "id", "name", "version", "config"}

// DecodePachctlConnector reads the connector file of
// `pachctl idp create-connector --config FILE` (YAML or JSON) as pachctl
// does, and returns it as an entry of Pachyderm's Helm values:
//
//	id: auth0
//	name: Auth0
//	type: oidc
//	version: 1
//	config:
//	  issuer: https://acme.us.auth0.com/
//	  ...
//
// This is not the format of Helm's oidc.upstreamIDPs entries: read those with
// DecodeUpstreamIDPs or decodeUpstreamIDP.
//
// Keys match case-insensitively and are written back in their canonical case.
// Plain scalars resolve as YAML 1.2 (yaml.v3), as pachctl reads them: "yes"
// is a string, not a bool.
//
// The file's version is not carried: in Helm values pachd manages
// configVersion itself (it stores the previous version plus one on every
// start), so the entry's ConfigVersion stays 0 and a present version is
// reported as a loss. Keys pachctl ignores (configVersion, jsonConfig and any
// other) are losses too. A Helm entry holding the guide's stray "version"
// therefore decodes here without complaint, while decodeUpstreamIDP keeps it
// in Extra and Validate reports it.
//
// Errors are *SyntaxError: the document cannot be read, or pachctl itself
// would refuse it (a non-string id, a version that is not a whole number, a
// config that is not a mapping).
func DecodePachctlConnector(data []byte) (UpstreamIDP, []Loss, error) {
	doc, err := parseDocument(data)
	if err != nil {
		return UpstreamIDP{}, nil, err
	}
	if doc == nil {
		return UpstreamIDP{}, nil, &SyntaxError{Msg: "empty input: expected a pachctl connector file with id, name, type, version and config"}
	}
	// Positions come from the document as Helm's reader sees it; paths are
	// the same whichever YAML version resolves the scalars.
	// toValue also refuses what yaml.v3 would refuse with the offending
	// value in its message (a key that is a mapping, a duplicate key).
	pos := positions{}
	if _, err := toValue(doc, "", pos); err != nil {
		return UpstreamIDP{}, nil, err
	}

	// The values, as pachctl sees them: yaml.v3, then JSON.
	var holder any
	if err := doc.Decode(&holder); err != nil {
		return UpstreamIDP{}, nil, yamlV3DecodeError(err, doc)
	}
	js, err := json.Marshal(holder)
	if err != nil {
		return UpstreamIDP{}, nil, &SyntaxError{Msg: "pachctl cannot convert this document to JSON: " + jsonMarshalProblem(err)}
	}
	jdoc, err := parseDocument(js)
	if err != nil {
		return UpstreamIDP{}, nil, err
	}
	v, err := toValue(jdoc, "", nil)
	if err != nil {
		return UpstreamIDP{}, nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return UpstreamIDP{}, nil, &SyntaxError{Msg: fmt.Sprintf("a pachctl connector file is a mapping with id, name, type, version and config, got %s", typeName(v))}
	}

	var losses []Loss
	loss := func(k, reason string) { losses = append(losses, Loss{Path: k, Pos: pos.at(k), Reason: reason}) }
	picked, shadowed, unknown := pickFolded(m, pachctlKeys)
	for _, k := range shadowed {
		loss(k, fmt.Sprintf("pachctl reads only one of keys differing in case, here %q; not carried", picked[strings.ToLower(k)]))
	}
	for _, k := range unknown {
		camel := k
		if c, ok := snakeKeys[strings.ToLower(k)]; ok {
			camel = c
		}
		switch strings.ToLower(camel) {
		case "configversion":
			loss(k, "not a key of pachctl's connector file (its key is version): pachctl ignores it; not carried")
		case "jsonconfig":
			loss(k, "not a key of pachctl's connector file (write config): pachctl ignores it; not carried")
		default:
			loss(k, "not a key of pachctl's connector file (id, name, type, version, config): pachctl ignores it; not carried")
		}
	}
	canon := map[string]any{}
	for _, name := range pachctlKeys {
		k, ok := picked[name]
		if !ok {
			continue
		}
		val := m[k]
		if val == nil {
			continue
		}
		switch name {
		case "type", "id", "name":
			if _, ok := val.(string); !ok {
				return UpstreamIDP{}, nil, &SyntaxError{Path: k, Pos: pos.at(k),
					Msg: fmt.Sprintf("pachctl cannot read %s as the connector's %s: quote it", typeName(val), name)}
			}
		case "version":
			n, ok := val.(int64)
			if !ok {
				return UpstreamIDP{}, nil, &SyntaxError{Path: k, Pos: pos.at(k),
					Msg: fmt.Sprintf("pachctl reads version as a whole number, got %s", typeName(val))}
			}
			loss(k, fmt.Sprintf("version %d not carried: in Helm values pachd manages configVersion (the stored version plus one on every start)", n))
			continue
		case "config":
			if _, ok := val.(map[string]any); !ok {
				return UpstreamIDP{}, nil, &SyntaxError{Path: k, Pos: pos.at(k),
					Msg: fmt.Sprintf("a connector's config must be a mapping, got %s", typeName(val))}
			}
		}
		if k != name {
			copyPositions(pos, k, name)
		}
		canon[name] = val
	}
	e, err := entryFromValue(canon, "", pos)
	sortByLine(losses)
	return e, losses, err
}

// jsonMarshalProblem names what encoding/json could not marshal, without
// the value.
// yamlV3DecodeError returns an error of yaml.v3's decoding of doc without the
// values yaml.v3 quotes in it: a scalar whose explicit tag does not fit its
// text (clientSecret: !!int ...) is quoted in full, and may be a secret.
func yamlV3DecodeError(err error, doc *yaml.Node) error {
	if se := badTag(doc, ""); se != nil {
		return se
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.Contains(msg, "`") {
		// yaml.v3 quotes values between backquotes.
		msg = "pachctl cannot read a value of the document: check the tags (such as !!int) and the types"
	}
	return &SyntaxError{Msg: msg}
}

// badTag finds the first scalar under n whose explicit tag yaml.v3 cannot
// decode its text as.
func badTag(n *yaml.Node, path string) *SyntaxError {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if se := badTag(c, path); se != nil {
				return se
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if se := badTag(c, indexPath(path, i)); se != nil {
				return se
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if se := badTag(n.Content[i], path); se != nil {
				return se
			}
			if se := badTag(n.Content[i+1], joinPath(path, n.Content[i].Value)); se != nil {
				return se
			}
		}
	case yaml.ScalarNode:
		var v any
		if n.Style&yaml.TaggedStyle != 0 && n.Decode(&v) != nil {
			return &SyntaxError{Path: path, Pos: Position{Line: n.Line, Column: n.Column},
				Msg: fmt.Sprintf("pachctl cannot read this value as the %s its tag names: remove the tag or fix the value", n.ShortTag())}
		}
	}
	return nil
}

func jsonMarshalProblem(err error) string {
	switch err.(type) {
	case *json.UnsupportedTypeError:
		return "a mapping has a key that is not a string"
	case *json.UnsupportedValueError:
		return "a number is infinite or not a number (.inf, .nan)"
	}
	return "unsupported value"
}

// EncodePachctlConnector writes the entry as a connector file for
// `pachctl idp create-connector --config FILE`, in YAML with the keys in the
// order of Pachyderm's docs (type, id, name, version, config). The output
// holds secrets. It is not a Helm entry (pachd crashes on "version"): write
// Helm values with EncodeUpstreamIDPs.
//
// The file's version is the entry's ConfigVersion when set, else 1, the
// version Pachyderm's docs write for create-connector (which stores any
// version; update-connector requires the stored version plus one, so set
// ConfigVersion for it).
//
// The config is written whole: pachctl passes it to Pachyderm's Dex as the
// Helm chart does, so nothing in it is lost. The entry's Extra keys are
// losses (pachctl ignores unknown keys), and so is a legacy jsonConfig when
// the entry has a config; without one, jsonConfig becomes the config.
func EncodePachctlConnector(e UpstreamIDP) ([]byte, []Loss, error) {
	if err := checkTree(e); err != nil {
		return nil, nil, err
	}
	var losses []Loss
	add := func(rel, reason string) { losses = append(losses, Loss{Path: rel, Pos: e.Pos(rel), Reason: reason}) }
	e = withJSONConfigResolved(e, add)
	for _, k := range sortedKeys(e.Extra) {
		reason := "not a key of pachctl's connector file (id, name, type, version, config): not carried"
		if strings.EqualFold(k, "version") {
			reason = "not a key of Helm entries (pachd's is configVersion); the file's version comes from ConfigVersion: not carried"
		}
		add(k, reason)
	}
	version := e.ConfigVersion
	if version == 0 {
		version = 1
	}
	out := orderedMap{}
	put := func(k, v string) {
		if v != "" {
			out = append(out, mapItem{k, v})
		}
	}
	put("type", e.Type)
	put("id", e.ID)
	put("name", e.Name)
	out = append(out, mapItem{"version", version})
	if e.OIDC != nil && e.Config != nil {
		add("config", bothConfigsReason)
	}
	switch {
	case e.OIDC != nil:
		out = append(out, mapItem{"config", e.OIDC.ordered()})
	case e.Config != nil:
		out = append(out, mapItem{"config", orderGeneric(e.Config)})
	}
	data, err := marshalYAML(out)
	if err != nil {
		return nil, nil, err
	}
	return data, losses, nil
}
