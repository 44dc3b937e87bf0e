package pachidp

// Fate is what a cluster does because of a finding. It decides the
// severity: render-fails, pachd-crash, login-fails, invalid and
// access-wider are errors (access-wider by policy: the cluster runs, and
// lets in more users than meant), ignored and risk warnings.
//
// Each fate is proven against the real code by the conformance suite
// (conformance/): a finding whose fate is FatePachdCrash must match a case
// where the real pachd decoder or the real Dex fork refuses the entry, and a
// case where the real code accepts an entry must have no error.
type Fate string

const (
	// FateRenderFails: Helm refuses to render the chart.
	FateRenderFails Fate = "render-fails"
	// FatePachdCrash: pachd fails to start (CrashLoopBackOff): its strict
	// decoder rejects the entry, or Dex cannot decode or open the connector.
	FatePachdCrash Fate = "pachd-crash"
	// FateLoginFails: pachd starts, but every login through the entry fails
	// (or no upstream IdP reaches pachd at all).
	FateLoginFails Fate = "login-fails"
	// FateInvalid: the input is not a usable value for pachidp itself (a Go
	// value built inconsistently, an option that is not a host).
	FateInvalid Fate = "invalid"
	// FateAccessWider: it works, but an access restriction (hostedDomains,
	// allowedGroups, orgs, ...) is dropped, so more users can log in than
	// the values say. An error by default; a `# pachidp:ignore
	// access-restriction-ignored REASON` comment accepts it.
	FateAccessWider Fate = "access-wider"

	// FateIgnored: it works, but a setting is silently dropped (an access
	// restriction dropped is FateAccessWider).
	FateIgnored Fate = "ignored"
	// FateRisk: it works, with a security risk (TLS or email verification
	// off, plain http, credentials that are placeholders) or with something
	// pachidp cannot see (a file that must exist in pachd's pod).
	FateRisk Fate = "risk"
)

// Severity returns SeverityError for the fates that break the cluster
// (render, start or every login), that let in more users than the values
// say, or that make the input unusable, and SeverityWarning for the
// others.
func (f Fate) Severity() Severity {
	switch f {
	case FateRenderFails, FatePachdCrash, FateLoginFails, FateInvalid, FateAccessWider:
		return SeverityError
	}
	return SeverityWarning
}

// fateWords says in a message what happens, for each fate.
var fateWords = map[Fate]string{
	FateRenderFails: "helm refuses to render",
	FatePachdCrash:  "pachd fails to start",
	FateLoginFails:  "logins fail",
	FateAccessWider: "more users can log in than meant",
}

// What a refused entry costs depends on who refuses it, and that differs by
// target (versions.go, decoderKind).

// refusedFate is the fate of an entry the reader of the list refuses: a
// value of the wrong type for pachd's decoder.
func (c *entryCheck) refusedFate() Fate {
	if c.opts.Target.rl().pachd.kind == decoderConfigPod {
		// The config Job cannot decode the list and creates no connector.
		return FateLoginFails
	}
	return FatePachdCrash
}

// dexFate is the fate of a connector Dex refuses to create: an unknown type,
// a config it cannot decode, a missing id.
func (c *entryCheck) dexFate() Fate {
	if c.opts.Target.rl().pachd.kind == decoderConfigPod {
		return FateLoginFails // the Job drops the connector
	}
	return FatePachdCrash
}

// openFate is the fate of a connector whose Open fails.
func (c *entryCheck) openFate() Fate {
	switch c.opts.Target.rl().pachd.kind {
	case decoderConfigPod:
		return FateLoginFails
	case decoderDexFile:
		// Dex skips it (continue_on_connector_failure) unless all fail:
		// Validate raises the fate when every entry fails to open.
		return FateLoginFails
	}
	return FatePachdCrash
}

// words says what a fate does, for messages.
func (c *entryCheck) words(f Fate) string {
	if f == FateLoginFails {
		switch c.opts.Target.rl().pachd.kind {
		case decoderConfigPod:
			return "the 2.0-2.2 config Job drops the connector"
		case decoderDexFile:
			return "Dex skips the connector and every login through it fails"
		}
	}
	return fateWords[f]
}
