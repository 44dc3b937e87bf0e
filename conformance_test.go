package pachidp

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// This test holds pachidp's verdicts to the real code. The conformance
// modules (conformance/dex/<name>) run every case of conformance/corpus
// through pachd's real protojson decoder and each Dex's real connector code,
// and record what happened in conformance/outcomes/<name>.json; they fail
// when the record no longer matches the code. Here, pachidp's Validate must
// reach the same fate for every entry of every case, for every target that
// runs that Dex: an entry the real code refuses needs an error of the same
// fate, and an entry it accepts may have warnings only.

// corpusCase is one file of conformance/corpus, as far as pachidp reads it.
type corpusCase struct {
	name      string
	About     string    `yaml:"about"`
	Fires     []string  `yaml:"fires"`
	Silent    []string  `yaml:"silent"`
	DexIssuer string    `yaml:"dexIssuer"`
	IDPIssuer yaml.Node `yaml:"idpIssuer"`
	// IDPCA: hosts whose certificate is from a private CA (the harness's
	// Case.IDPCA).
	IDPCA  map[string]string `yaml:"idpCA"`
	Values yaml.Node         `yaml:"values"`
}

// defaultDexIssuer is the harness's (conformance/harness DefaultDexIssuer).
const defaultDexIssuer = "https://pachyderm.example.com/dex"

// outcomeFile is one file of conformance/outcomes.
type outcomeFile struct {
	Dex   string `json:"dex"`
	Proto string `json:"proto"`
	Cases map[string]struct {
		Pachd   string `json:"pachd"`
		Entries []struct {
			Fate  string `json:"fate"`
			Stage string `json:"stage"`
			Error string `json:"error"`
		} `json:"entries"`
	} `json:"cases"`
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	paths, err := filepath.Glob("conformance/corpus/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus in conformance/corpus: %v", err)
	}
	var out []corpusCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var c corpusCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c.name = strings.TrimSuffix(filepath.Base(p), ".yaml")
		out = append(out, c)
	}
	return out
}

// values returns the case's values document as bytes.
func (c corpusCase) values(t *testing.T) []byte {
	t.Helper()
	data, err := yaml.Marshal(&c.Values)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return data
}

// verdict runs pachidp on a case for a target: the fate of each entry (the
// worst fate among its errors, "ok" without one) and the rules found.
func (c corpusCase) verdict(t *testing.T, target Target) (fates []Fate, findings Findings, err error) {
	v, err := OpenDocument(c.values(t))
	if err != nil {
		return nil, nil, err
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		return nil, nil, err
	}
	issuer := c.DexIssuer
	if issuer == "" {
		issuer = defaultDexIssuer
	}
	// What ValidateValues passes Validate: whether the chart mounts
	// /dexcreds for these values.
	findings = Validate(idps, ValidateOptions{Target: target, DexIssuer: issuer, dexCreds: dexCredsOf(v)})
	fates = make([]Fate, len(idps))
	for i := range fates {
		fates[i] = "ok"
		prefix := indexPath("oidc.upstreamIDPs", i)
		for _, f := range findings {
			// access-wider is an error by policy while the cluster runs
			// (the real outcome is ok): the corpus's fires/silent lists
			// hold it, not the fate.
			if f.Severity != SeverityError || f.Fate == FateAccessWider || !(f.Path == prefix || strings.HasPrefix(f.Path, prefix+".") || strings.HasPrefix(f.Path, prefix+"[")) {
				continue
			}
			if fates[i] == "ok" || f.Fate == FatePachdCrash {
				fates[i] = f.Fate
			}
		}
	}
	return fates, findings, nil
}

func TestConformance(t *testing.T) {
	cases := loadCorpus(t)
	files, _ := filepath.Glob("conformance/outcomes/*.json")
	if len(files) == 0 {
		t.Fatal("no outcomes in conformance/outcomes: run the conformance modules with -update")
	}
	checked := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var out outcomeFile
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		for _, target := range Targets() {
			l := target.rl()
			if l.dex.name != name {
				continue
			}
			checked[target.Name()] = true
			wantProto := l.pachd.proto
			if target.IsUpstreamDex() {
				wantProto = "none"
			}
			if out.Proto != wantProto {
				t.Errorf("%s ran pachd's %s, but the version table gives %s %s", file, out.Proto, target, wantProto)
			}
			if !strings.HasPrefix(l.dex.module, out.Dex) {
				t.Errorf("%s ran %s, but the version table gives %s %s", file, out.Dex, target, l.dex.module)
			}
			for _, c := range cases {
				real, ok := out.Cases[c.name]
				if !ok {
					t.Errorf("%s: no outcome for case %s: run the module with -update", file, c.name)
					continue
				}
				fates, findings, err := c.verdict(t, target)
				if err != nil {
					// pachidp refuses to read the list: the real code
					// must refuse it too.
					if real.Pachd == "ok" && !anyFate(real.Entries, "pachd-crash", "login-fails") {
						t.Errorf("%s on %s: pachidp cannot read the values (%v), the real code accepts them", c.name, target.Name(), err)
					}
					continue
				}
				if len(real.Entries) == 0 && real.Pachd != "ok" && real.Pachd != "n/a" {
					// The whole list is refused before any entry (gogo
					// jsonpb decodes the list at once; the config Job
					// fails): pachidp needs an error.
					if len(findings.Errors()) == 0 {
						t.Errorf("%s on %s: the real code refuses the list (%s), pachidp has no error:%s", c.name, target.Name(), real.Pachd, describeFindings(findings))
					}
					continue
				}
				if len(fates) != len(real.Entries) {
					t.Errorf("%s on %s: pachidp sees %d entries, the real code %d", c.name, target.Name(), len(fates), len(real.Entries))
					continue
				}
				for i, e := range real.Entries {
					if string(fates[i]) == e.Fate || unverifiable(c, target, e.Fate, e.Stage, e.Error, findings, i) {
						continue
					}
					t.Errorf("%s on %s, entry %d: pachidp says %s, the real code %s (%s: %s)\n  pachidp:%s",
						c.name, target.Name(), i, fates[i], e.Fate, e.Stage, e.Error, describeFindings(findings))
				}
			}
		}
	}
	for _, target := range Targets() {
		if !checked[target.Name()] {
			t.Errorf("no outcomes for %s (%s): add conformance/dex/%s", target, target.Dex(), target.rl().dex.name)
		}
	}
}

func anyFate(entries []struct {
	Fate  string `json:"fate"`
	Stage string `json:"stage"`
	Error string `json:"error"`
}, fates ...string) bool {
	for _, e := range entries {
		if slices.Contains(fates, e.Fate) {
			return true
		}
	}
	return false
}

// unverifiable accepts a real failure of Open that Validate, which reads
// the values only, cannot see, provided it says what to check:
//   - a file under /dexcreds when the case sets
//     oidc.dexCredentialSecretName: the Secret's keys are pachidp's blind
//     spot, the oracle's pod holds the case's dexCreds only
//     (conformance/harness/podfs.go): a root-ca-file or file-path warning
//     on the entry. Without the name the chart mounts nothing there and
//     pachidp must say so (an error), so no warning excuses it. Upstream
//     Dex runs in a pod its operator builds: any path is such a risk;
//   - an issuer of a provider pachidp does not know, which the oracle's
//     provider writes without the trailing slash: issuer-trailing-slash;
//   - a self-hosted host that does not resolve in the oracle's world ("no
//     such host" for a host the case does not declare and no known SaaS
//     provider owns), a certificate from a private CA (only in a case
//     with idpCA), and a case whose provider writes an unusual issuer
//     (idpIssuer): only preflight.Run, which fetches discovery, can tell. (A
//     known SaaS host always resolves there, and a host no resolver can
//     look up, such as a placeholder, is pachidp's issuer-url error.)
func unverifiable(c corpusCase, target Target, realFate, stage, realErr string, fs Findings, entry int) bool {
	if realFate != "pachd-crash" && realFate != "login-fails" || stage != "open" {
		return false
	}
	if strings.Contains(realErr, "failed to verify certificate") && len(c.IDPCA) > 0 {
		// The case's provider has a private CA: only Preflight sees it.
		return true
	}
	if m := lookupFailed.FindStringSubmatch(realErr); m != nil && !c.declares(m[1]) {
		// A self-hosted host no case declares. A known SaaS host resolves
		// in the oracle's world (and in a cluster): it is not excused.
		if p := providerOf(strings.ToLower(m[1]), ""); p == nil || p.anyHost {
			return true
		}
	}
	if c.IDPIssuer.Kind != 0 && (strings.Contains(realErr, "did not match") || strings.Contains(realErr, "404 Not Found")) {
		// What the declared provider's discovery says of the issuer.
		return true
	}
	prefix := indexPath("oidc.upstreamIDPs", entry)
	// Upstream Dex runs in a pod its operator builds: any file there is
	// beyond the values.
	mounted := target.IsUpstreamDex() || c.dexCredsMounted()
	for _, f := range fs {
		if !strings.HasPrefix(f.Path, prefix+".") {
			continue
		}
		switch {
		case mounted && f.Fate == FateRisk && (f.Rule == "root-ca-file" || f.Rule == "file-path") && (strings.Contains(realErr, "no such file or directory") || strings.Contains(realErr, "is not in PEM format")),
			f.Rule == "issuer-trailing-slash" && strings.Contains(realErr, "did not match"):
			return true
		}
	}
	return false
}

// lookupFailed is the world's DNS failure, "lookup <host>: no such host"
// (conformance/harness/world.go, serveProxy).
var lookupFailed = regexp.MustCompile(`lookup ([^\s:]+): no such host`)

// declares reports whether the case declares host (idpIssuer, as host or
// host:port).
func (c corpusCase) declares(host string) bool {
	var m map[string]string
	if err := c.IDPIssuer.Decode(&m); err != nil {
		return false
	}
	for k := range m {
		if h, _, err := net.SplitHostPort(k); err == nil && strings.EqualFold(h, host) || strings.EqualFold(k, host) {
			return true
		}
	}
	return false
}

// dexCredsMounted reports whether the chart mounts /dexcreds for the case's
// values (oidc.dexCredentialSecretName set).
func (c corpusCase) dexCredsMounted() bool {
	data, err := yaml.Marshal(&c.Values)
	if err != nil {
		return false
	}
	v, err := OpenDocument(data)
	return err == nil && dexCredsOf(v) == dexCredsMounted
}

func describeFindings(fs Findings) string {
	if len(fs) == 0 {
		return " (none)"
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n    %s %s %s [%s]", f.Severity, f.Fate, f.Path, f.Rule)
	}
	return b.String()
}

// TestConformanceRuleCoverage: every rule Validate documents has a corpus
// case where it must fire (on some target) and one where it must stay
// silent (on every target), and pachidp keeps those promises.
func TestConformanceRuleCoverage(t *testing.T) {
	cases := loadCorpus(t)
	fires, silent := map[string][]string{}, map[string][]string{}
	for _, c := range cases {
		got := c.rulesOnAnyTarget(t)
		for _, r := range c.Fires {
			fires[r] = append(fires[r], c.name)
			if !got[r] {
				t.Errorf("%s: rule %s must fire on some target, pachidp never reports it", c.name, r)
			}
		}
		for _, r := range c.Silent {
			silent[r] = append(silent[r], c.name)
			if got[r] {
				t.Errorf("%s: rule %s must stay silent on every target, pachidp reports it", c.name, r)
			}
		}
	}
	var missing []string
	for _, r := range documentedRules(t) {
		if len(fires[r]) == 0 {
			missing = append(missing, r+" (no must-fail case)")
		}
		if len(silent[r]) == 0 {
			missing = append(missing, r+" (no must-pass case)")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("corpus: rule %s", m)
	}
}

// rulesOnAnyTarget returns the rules pachidp reports on the case for any
// target.
func (c corpusCase) rulesOnAnyTarget(t *testing.T) map[string]bool {
	got := map[string]bool{}
	for _, target := range Targets() {
		_, findings, err := c.verdict(t, target)
		if err != nil {
			continue
		}
		for _, f := range findings {
			got[string(f.Rule)] = true
		}
	}
	return got
}

// documentedRules returns the rule names of Validate's doc table, but those
// about pachidp's own input (invalid-option, config-field-mismatch), which
// a values file cannot trigger.
func documentedRules(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("validate.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "//\tRule ") {
			in = true
			continue
		}
		if in && !strings.HasPrefix(line, "//\t") {
			break
		}
		if !in {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, "//\t"))
		if len(f) == 0 || strings.HasPrefix(line, "//\t ") {
			continue
		}
		if f[0] != "invalid-option" && f[0] != "config-field-mismatch" {
			out = append(out, f[0])
		}
	}
	return out
}

// pachdStages are the stages of an outcome that are pachd's own, before
// Dex: its decode of the list, PickConfig, the create of an id.
var pachdStages = map[string]bool{"protojson": true, "pick-config": true, "create": true}

// TestConformanceDecodePachdStrict holds what `pachidp render` says of the
// text pachd receives (PachdUpstreamIDPs, UpstreamIDPsSecret.PachdUpstreamIDPs) to pachd's
// real protojson decoder and PickConfig, as the Pachyderm 2.7+ modules
// recorded them: an entry pachd itself refuses needs an error at that
// entry, and an entry on which pachd does not crash may have none.
func TestConformanceDecodePachdStrict(t *testing.T) {
	cases := loadCorpus(t)
	compared := 0
	for _, name := range []string{"fork-292f1ae", "fork-706aec2"} {
		data, err := os.ReadFile(filepath.Join("conformance", "outcomes", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			outcomeFile
			PachdDecoder string `json:"pachdDecoder"`
		}
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatal(err)
		}
		if out.PachdDecoder != "protojson" {
			t.Fatalf("%s: pachd's decoder is %s, this test models protojson", name, out.PachdDecoder)
		}
		for _, c := range cases {
			real, ok := out.Cases[c.name]
			if !ok || len(real.Entries) == 0 {
				continue // refused before any entry, or no list: TestConformance
			}
			v, err := OpenDocument(c.values(t))
			if err != nil {
				continue
			}
			text, _, err := v.PachdUpstreamIDPs(nil)
			if err != nil || text == nil {
				continue // no text pachd would receive (a Secret, the mock IdP)
			}
			_, findings := decodePachdStrict(text)
			for i, e := range real.Entries {
				prefix := indexPath("upstream-idps", i)
				var errs []string
				for _, f := range findings.Errors() {
					if f.Path == prefix || strings.HasPrefix(f.Path, prefix+".") || strings.HasPrefix(f.Path, prefix+"[") {
						errs = append(errs, string(f.Rule))
					}
				}
				compared++
				switch {
				case pachdStages[e.Stage] && len(errs) == 0:
					t.Errorf("%s on %s, entry %d: pachd refuses it (%s: %s), decodePachdStrict has no error", c.name, name, i, e.Stage, e.Error)
				case e.Fate != "pachd-crash" && len(errs) > 0:
					// (A jsonConfig that is not a JSON object fails at
					// Dex's unmarshal, inside pachd: a crash all the same.)
					t.Errorf("%s on %s, entry %d: pachd does not crash on it (%s), decodePachdStrict refuses it: %v", c.name, name, i, e.Fate, errs)
				}
			}
		}
	}
	if compared < 100 {
		t.Errorf("compared only %d entries: the corpus or the outcomes are missing", compared)
	}
}
