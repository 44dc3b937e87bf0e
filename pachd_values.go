package pachidp

import (
	"fmt"
	"sort"
	"strings"
)

// MissingSecretError reports that the values keep their entries in a
// Kubernetes Secret (oidc.upstreamIDPsSecretName) and no manifest of that
// Secret was given to read them from.
type MissingSecretError struct {
	Name string   // the Secret's name, the value of oidc.upstreamIDPsSecretName
	Pos  Position // where oidc.upstreamIDPsSecretName is
}

// Error names the Secret and says how to pass its manifest.
func (e *MissingSecretError) Error() string {
	if e == nil {
		return "<nil>"
	}
	line := ""
	if e.Pos.IsValid() {
		line = fmt.Sprintf(" (line %d)", e.Pos.Line)
	}
	return fmt.Sprintf("oidc.upstreamIDPsSecretName%s: the chart reads the entries from the key %s of the Secret %q: pass its manifest (DecodeSecretManifest; kubectl get secret %s -o yaml shows it)",
		line, UpstreamIDPsSecretKey, e.Name, e.Name)
}

// PachdUpstreamIDPs returns the text pachd receives in IDP_CONNECTORS for
// these values, as Pachyderm's chart chooses it, and what pachd's strict
// decoder (DecodePachdStrict) and the chart would refuse in it.
//
// When oidc.upstreamIDPsSecretName is set, the chart ignores the inline list
// and the text is the key upstream-idps of that Secret: pass the Secret's
// manifest (DecodeSecretManifest) as secret, or get a *MissingSecretError.
// Findings about the text then have paths such as "upstream-idps[0].id" and
// positions in secret.Text. Otherwise the text is RenderUpstreamIDPs of
// oidc.upstreamIDPs (secret, when given, is unused and reported) and the
// findings have paths and positions in the values document.
//
// The chart's choice between the upstream IdPs and its mock IdP is applied
// too (see ValidateValues: no-upstream-idps, mock-idp-in-use,
// mock-idp-ignored, inline-list-ignored). When the chart would render no
// upstream list at all, the text is nil.
//
// The error is for what stops the text from being built: a wrongly shaped
// document (*SyntaxError), a missing Secret (*MissingSecretError) or a value
// Helm cannot render (*RenderError). Findings with errors are returned with
// the text, so that a caller can show both; check Findings.Err before using
// the text. The text holds secrets: never log it.
func (v *Document) PachdUpstreamIDPs(secret *UpstreamIDPsSecret) ([]byte, Findings, error) {
	if err := v.ready(); err != nil {
		return nil, nil, err
	}
	const namePath = "oidc.upstreamIDPsSecretName"
	nameVal, namePos, _ := v.Lookup(namePath)
	name, isString := nameVal.(string)
	if nameVal != nil && !isString {
		return nil, nil, &SyntaxError{Path: namePath, Pos: namePos,
			Msg: fmt.Sprintf("must be the name of a Secret, got %s: quote it", typeName(nameVal))}
	}
	chart := mockIDPFindings(v)
	if name != "" {
		if secret == nil {
			return nil, nil, &MissingSecretError{Name: name, Pos: namePos}
		}
		var fs Findings
		if secret.Name != name {
			fs = append(fs, Finding{Path: namePath, Pos: namePos, Rule: RuleSecretNameMismatch, Severity: SeverityWarning,
				Message: fmt.Sprintf("names the Secret %q, but the manifest given is of the Secret %q: check that it is the one the cluster will hold", name, secret.Name)})
		}
		_, pfs := DecodePachdStrict(secret.Text)
		return secret.Text, append(append(fs, chart...), pfs...), nil
	}

	var fs Findings
	if secret != nil {
		fs = append(fs, Finding{Path: namePath, Pos: v.at(namePath), Rule: RuleSecretUnused, Severity: SeverityWarning,
			Message: fmt.Sprintf("is not set, so the chart renders oidc.upstreamIDPs and never reads the Secret %q given: set it (pachidp secret) or leave the Secret out", secret.Name)})
	}
	// The entries are checked for their shape, and the list is rendered as
	// written: Helm's toYaml keeps every key and every empty string.
	if _, err := v.UpstreamIDPs(); err != nil {
		return nil, nil, err
	}
	list, _, err := v.idpList()
	if err != nil {
		return nil, nil, err
	}
	fs = append(fs, chart...)
	if len(list) == 0 {
		return nil, fs, nil
	}
	text, err := helmYAML(list, pathIDPs)
	if err != nil {
		return nil, nil, err
	}
	_, pfs := DecodePachdStrict(text)
	for i := range pfs {
		if rest, ok := strings.CutPrefix(pfs[i].Path, UpstreamIDPsSecretKey); ok {
			pfs[i].Path = pathIDPs + rest
			pfs[i].Pos = v.at(pfs[i].Path)
		}
	}
	sort.SliceStable(pfs, func(i, j int) bool { return posLess(pfs[i].Pos, pfs[j].Pos) })
	return text, append(fs, pfs...), nil
}

// posLess orders positions in document order, unknown positions last.
func posLess(a, b Position) bool {
	switch {
	case !a.IsValid():
		return false
	case !b.IsValid():
		return true
	}
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}
