package pachidp

import (
	"fmt"
	"strings"

	"github.com/go-playground/validator/v10"
)

// Severity says whether a finding makes pachd or a login fail (SeverityError)
// or is a risk the user should know about (SeverityWarning).
type Severity int

const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Target is the Dex that will read the entries. Validation and conversions
// speak for one target, because Pachyderm's Dex fork and upstream Dex read
// different sets of OIDC keys.
type Target int

const (
	// TargetPachydermDex is the Dex fork Pachyderm runs (based on Dex 2.36).
	// It is the default.
	TargetPachydermDex Target = iota
	// TargetUpstreamDex is upstream Dex v2.45.1.
	TargetUpstreamDex
)

func (t Target) String() string {
	if t == TargetUpstreamDex {
		return "upstream Dex v2.45.1"
	}
	return "Pachyderm's Dex"
}

// Finding is one problem in an entry. It implements error.
type Finding struct {
	Path     string   // "oidc.upstreamIDPs[0].config.issuer"
	Pos      Position // line and column when the entry came from a document
	Rule     string   // stable rule name, such as "auth0-issuer-slash"
	Severity Severity
	Message  string // what is wrong and how to fix it; never holds a secret
}

// Error formats the finding as
// `path (line L): message`, with "warning: " in front of warnings.
func (f Finding) Error() string {
	var b strings.Builder
	if f.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(f.Path)
	if f.Pos.IsValid() {
		fmt.Fprintf(&b, " (line %d)", f.Pos.Line)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// Findings is every problem found, in document order.
type Findings []Finding

// Errors returns the findings of SeverityError.
func (fs Findings) Errors() Findings { return fs.filter(SeverityError) }

// Warnings returns the findings of SeverityWarning.
func (fs Findings) Warnings() Findings { return fs.filter(SeverityWarning) }

func (fs Findings) filter(s Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// Err returns nil when no finding is an error, and a *ValidationError holding
// all findings (warnings included) otherwise.
func (fs Findings) Err() error {
	if len(fs.Errors()) == 0 {
		return nil
	}
	return &ValidationError{Findings: fs}
}

// ValidationError is the error of a validation that found errors. Use
// errors.As to get at every finding.
type ValidationError struct {
	Findings Findings
}

func (e *ValidationError) Error() string {
	errs := e.Findings.Errors()
	lines := make([]string, 0, len(e.Findings))
	for _, f := range e.Findings {
		lines = append(lines, f.Error())
	}
	return fmt.Sprintf("%d problem(s) in upstream IdPs:\n%s", len(errs), strings.Join(lines, "\n"))
}

// ValidateOptions tunes Validate. The zero value validates for Pachyderm's
// Dex fork with no proxy host to compare against.
type ValidateOptions struct {
	// Target is the Dex that will read the entries.
	Target Target
	// ProxyHost, when set, is Pachyderm's proxy.host (possibly with a port):
	// every redirectURI must then be https://<ProxyHost>/dex/callback.
	ProxyHost string
	// InsecureAllowHTTPLoopback accepts http issuers on loopback hosts
	// (localhost, 127.0.0.0/8, ::1), for local test clusters.
	InsecureAllowHTTPLoopback bool
	// Path is the path of the list in the values file; default
	// "oidc.upstreamIDPs".
	Path string
}

var _ = validator.New
