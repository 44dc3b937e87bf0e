package pachidp

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// This file is the one table of what each Pachyderm release runs: its
// chart's rules for oidc, the pachd decoder it has, and the Dex it pins.
// Every rule that differs by version reads it. Each row is proven by the
// conformance suite (conformance/): the chart rows by rendering the real
// chart with Helm, the Dex rows by running the real fork, and pachd's proto by
// decoding with the real protojson.
//
// Sources (pachyderm/pachyderm at each release tag): the Dex pin is the
// replace line of go.mod (`git show v2.6.0:go.mod`); the proto is
// src/identity/identity.proto; the chart is etc/helm/pachyderm.

// Target is what will read the entries: a Pachyderm release line (its chart,
// its pachd and the Dex fork it pins) or upstream Dex v2.45.1 reading a Dex
// configuration file. Validation, prerequisites and conversions speak for one
// target, because the forks read different keys and the chart changed its
// rules.
//
// The zero Target is the newest Pachyderm release pachidp models. Get
// others with [ParseTarget]; [Targets] lists them all. Targets are
// comparable with ==.
type Target struct{ line *releaseLine }

// TargetUpstreamDex is upstream Dex v2.45.1 reading a Dex configuration
// file's connectors: no pachd and no chart in between.
var TargetUpstreamDex = Target{line: upstreamLine}

// releaseLine is one row of the table: a set of Pachyderm versions that share
// chart rules, pachd's decoder and a Dex pin.
type releaseLine struct {
	name string // "2.7-2.11": how messages and --chart-version name it
	// first and last bound the versions of the line (inclusive); last may be
	// a pre-release. versions, when set, lists exact versions instead.
	first, last semver
	versions    []string
	chart       chartRules
	pachd       pachdDecoder
	dex         *dexVersion
}

// chartRules are the chart's rules that decide what pachd gets. Each field
// names the release tag and template that decide it; the conformance module
// (conformance/chart) renders the real chart to prove them.
type chartRules struct {
	// bootstrap: charts 2.0-2.2 pass the IdPs and the issuer through the
	// config job's Secret pachyderm-bootstrap-config (keys idps and
	// identityServiceConfig, templates/pachd/config-secret.yaml), rendered
	// only with a license or pachd.activateEnterprise; the list is rendered
	// with `toYaml | indent 4` behind a blank line, and the mock IdP with
	// jsonConfig. From v2.3.0 the Secret pachyderm-identity, key
	// upstream-idps (templates/pachd/idp-secret.yaml), reaches pachd as
	// IDP_CONNECTORS (templates/pachd/deployment.yaml).
	bootstrap bool
	// issuerFromEnabledOnly: the chart infers Dex's issuer from ingress.host
	// only when ingress.enabled (v2.3.0, _helpers.tpl "pachyderm.issuerURI").
	// Before, ingress.host was used whether enabled or not, and an enabled
	// ingress without a host made the chart fail.
	issuerFromEnabledOnly bool
	// issuerFromProxyHost: with proxy.enabled, Dex's issuer is
	// <scheme>://<proxy.host>/dex (commit db904adced, first in v2.3.6 and
	// v2.4.0); v2.3.0-v2.3.5 render http://pachd:30658/dex whatever the host.
	issuerFromProxyHost bool
	// httpsOverride: ingress.uriHttpsProtoOverride makes the inferred issuer
	// https (commit c5a99793c6, first in v2.0.3; "pachyderm.ingressproto").
	httpsOverride bool
	// enterpriseGated: IDP_CONNECTORS reaches pachd only when an enterprise
	// license is configured (templates/pachd/deployment.yaml up to
	// v2.12.0-rc.1; removed by 50db2ce76f, first in v2.12.0-alpha.4, and
	// again absent from v2.12.0-rc.2).
	enterpriseGated bool
	// proxy: the chart has the proxy (proxy.host, proxy.tls); 2.0-2.2 do not.
	proxy bool
	// proxyDefault is the chart's default of proxy.enabled: false up to
	// v2.4.x, true from v2.5.0 (commit fb86bc1c59, values.yaml).
	proxyDefault bool
}

// pachdDecoder is how a release turns the list into connectors.
type pachdDecoder struct {
	kind  decoderKind
	proto string // the identity.proto the conformance suite decodes with
	// configField: IDPConnector has the config map (2.3 and later); before,
	// settings travel only as the jsonConfig string.
	configField bool
}

// decoderKind is who reads the list and what a refused entry costs. The
// conformance harness (conformance/harness/pachd.go) cites the code of each.
type decoderKind int

const (
	// decoderProtojson (2.7 and later): pachd decodes each entry with
	// protojson at start (unknown keys are errors), then validates each
	// connector with Dex; any error stops pachd.
	decoderProtojson decoderKind = iota
	// decoderGogo (2.3-2.6): pachd decodes the whole list with gogo jsonpb
	// (unknown keys are errors), then validates each connector; any error
	// stops pachd.
	decoderGogo
	// decoderConfigPod (2.0-2.2): pachd does not read the list; the
	// config-pod Job decodes it leniently (ghodss/yaml, encoding/json:
	// unknown keys ignored) and creates each connector, discarding the
	// error: a refused connector is dropped and its logins fail; a list it
	// cannot decode at all makes the Job fail, and no connector is created.
	decoderConfigPod
	// decoderDexFile: upstream Dex reads its own configuration file; a
	// connector it cannot decode stops Dex, one it cannot open is skipped
	// (continue_on_connector_failure) unless all fail.
	decoderDexFile
)

// rootCAsMode is how a Dex reads the oidc connector's rootCAs items.
type rootCAsMode int

const (
	rootCAsIgnored   rootCAsMode = iota // the key does not exist
	rootCAsPathsOnly                    // each item is a file path (the forks since 706aec2)
	rootCAsAnyForm                      // a file path, a PEM certificate or base64 of one (upstream)
)

// dexVersion is one Dex: a Pachyderm fork pin or upstream.
type dexVersion struct {
	// name names the conformance module (conformance/dex/<name>) and the key
	// table (dexconfig/<name>.json) of this Dex.
	name   string
	module string // the module and version, as in go.mod
	// upstream: Dex's own behaviour (Open refuses hostedDomains, rootCAs
	// takes PEM and base64), not Pachyderm's fork.
	upstream bool
	rootCAs  rootCAsMode
	// enforcesHostedDomains: the fork reads hostedDomains and restricts
	// logins to them (the oldest forks); later forks ignore the key.
	enforcesHostedDomains bool
	// forcesOfflineAccess: Open always adds the offline_access scope.
	forcesOfflineAccess bool
}

var (
	dexForkEbfeda6 = &dexVersion{name: "fork-ebfeda6", module: "github.com/pachyderm/dex v0.0.0-20211020185745-ebfeda600c26",
		enforcesHostedDomains: true, forcesOfflineAccess: true}
	dexFork8eefbbc = &dexVersion{name: "fork-8eefbbc", module: "github.com/pachyderm/dex v0.0.0-20220719152724-8eefbbcd5fcf",
		enforcesHostedDomains: true, forcesOfflineAccess: true}
	dexFork97a077e = &dexVersion{name: "fork-97a077e", module: "github.com/pachyderm/dex v0.0.0-20220913162337-97a077e960b3",
		forcesOfflineAccess: true}
	dexFork706aec2 = &dexVersion{name: "fork-706aec2", module: "github.com/pachyderm/dex v0.0.0-20230426001747-706aec218aba",
		rootCAs: rootCAsPathsOnly}
	dexFork292f1ae = &dexVersion{name: "fork-292f1ae", module: "github.com/pachyderm/dex v0.0.0-20250103170744-292f1ae604a3",
		rootCAs: rootCAsPathsOnly}
	dexUpstream = &dexVersion{name: "upstream-" + upstreamDexVersion, module: "github.com/dexidp/dex v0.0.0-20260303133905-11d2eeb52b42 (" + upstreamDexVersion + ")",
		upstream: true, rootCAs: rootCAsAnyForm}
)

var (
	pachdProtojson = pachdDecoder{kind: decoderProtojson, proto: "identity.proto", configField: true}
	pachdGogo      = pachdDecoder{kind: decoderGogo, proto: "identity.proto", configField: true}
	pachdConfigPod = pachdDecoder{kind: decoderConfigPod, proto: "identity-2.2.7.proto"}

	chart200 = chartRules{bootstrap: true, enterpriseGated: true}
	chart203 = chartRules{bootstrap: true, enterpriseGated: true, httpsOverride: true}
	chart230 = chartRules{issuerFromEnabledOnly: true, httpsOverride: true, enterpriseGated: true, proxy: true}
	chart236 = chartRules{issuerFromEnabledOnly: true, issuerFromProxyHost: true, httpsOverride: true, enterpriseGated: true, proxy: true}
	chart250 = chartRules{issuerFromEnabledOnly: true, issuerFromProxyHost: true, httpsOverride: true, enterpriseGated: true, proxy: true, proxyDefault: true}
	chart212 = chartRules{issuerFromEnabledOnly: true, issuerFromProxyHost: true, httpsOverride: true, proxy: true, proxyDefault: true}
)

// releaseLines is the table, oldest first. The last line is the default
// target.
var releaseLines = []*releaseLine{
	{name: "2.0.0-2.0.2", first: semver{2, 0, 0, ""}, last: semver{2, 0, 2, ""}, chart: chart200, pachd: pachdConfigPod, dex: dexForkEbfeda6},
	{name: "2.0.3-2.2", first: semver{2, 0, 3, ""}, last: semver{2, 2, 999, ""}, chart: chart203, pachd: pachdConfigPod, dex: dexForkEbfeda6},
	{name: "2.3.0-2.3.5", first: semver{2, 3, 0, ""}, last: semver{2, 3, 5, ""}, chart: chart230, pachd: pachdGogo, dex: dexFork8eefbbc},
	{name: "2.3.6-2.3.9", first: semver{2, 3, 6, ""}, last: semver{2, 3, 999, ""}, chart: chart236, pachd: pachdGogo, dex: dexFork8eefbbc},
	{name: "2.4", first: semver{2, 4, 0, ""}, last: semver{2, 4, 999, ""}, chart: chart236, pachd: pachdGogo, dex: dexFork97a077e},
	{name: "2.5-2.6", first: semver{2, 5, 0, ""}, last: semver{2, 6, 999, ""}, chart: chart250, pachd: pachdGogo, dex: dexFork97a077e},
	{name: "2.7-2.11", first: semver{2, 7, 0, ""}, last: semver{2, 11, 999, ""}, chart: chart250, pachd: pachdProtojson, dex: dexFork706aec2},
	// The first 2.12 pre-releases still pinned the 2.7 fork, and their
	// chart still gated the IdPs on a license (v2.12.0-rc.1
	// templates/pachd/deployment.yaml).
	{name: "2.12.0-rc.1", versions: []string{"2.12.0-alpha.1", "2.12.0-alpha.2", "2.12.0-alpha.3", "2.12.0-rc.1"},
		chart: chart250, pachd: pachdProtojson, dex: dexFork706aec2},
	{name: "2.12", first: semver{2, 12, 0, "alpha.4"}, last: semver{2, 12, 999, ""}, chart: chart212, pachd: pachdProtojson, dex: dexFork292f1ae},
}

// upstreamDexVersion is the upstream Dex pachidp models, written once: the
// go.mod pin (v0.0.0-20260303133905-11d2eeb52b42) is this release, and
// conformance/dex/upstream-v2.45.1 runs it. Messages name it through
// upstreamDexName and the target's name.
const upstreamDexVersion = "v2.45.1"

// upstreamDexName is how messages name upstream Dex.
const upstreamDexName = "upstream Dex " + upstreamDexVersion

var upstreamLine = &releaseLine{name: "dex-" + upstreamDexVersion, pachd: pachdDecoder{kind: decoderDexFile, proto: "none", configField: true}, dex: dexUpstream}

// newestLine is the default target's line.
var newestLine = releaseLines[len(releaseLines)-1]

// Targets returns every target pachidp models: the Pachyderm release lines,
// oldest first, then upstream Dex.
func Targets() []Target {
	out := make([]Target, 0, len(releaseLines)+1)
	for _, l := range releaseLines {
		out = append(out, Target{line: l})
	}
	return append(out, TargetUpstreamDex)
}

// ParseTarget reads a target: a Pachyderm version as helm list or a chart
// shows it ("2.11.6", "v2.11", "pachyderm-2.12.0-rc.3", "master" for the
// newest), the name of a release line as Targets prints it ("2.7-2.11"), or
// "dex-v2.45.1" (also "dex", "upstream") for upstream Dex.
func ParseTarget(s string) (Target, error) {
	in := strings.TrimSpace(s)
	switch strings.ToLower(in) {
	case "dex", "upstream", "upstream-dex", upstreamLine.name, upstreamDexVersion:
		return TargetUpstreamDex, nil
	case "", "master", "latest", "newest":
		return Target{line: newestLine}, nil
	}
	for _, l := range releaseLines {
		if in == l.name {
			return Target{line: l}, nil
		}
	}
	v, err := parseSemver(in)
	if err != nil {
		return Target{}, err
	}
	for _, l := range releaseLines {
		if l.contains(v) {
			return Target{line: l}, nil
		}
	}
	return Target{}, fmt.Errorf("Pachyderm %s is not modelled: pachidp knows %s (and %s for upstream Dex); pass the nearest of them", v, targetNames(), upstreamLine.name)
}

func targetNames() string {
	names := make([]string, len(releaseLines))
	for i, l := range releaseLines {
		names[i] = l.name
	}
	return strings.Join(names, ", ")
}

func (l *releaseLine) contains(v semver) bool {
	if l.versions != nil {
		for _, s := range l.versions {
			if w, err := parseSemver(s); err == nil && w == v {
				return true
			}
		}
		return false
	}
	// A pre-release of a version a listed line claims belongs there.
	for _, other := range releaseLines {
		if other != l && other.versions != nil && other.contains(v) {
			return false
		}
	}
	return !v.less(l.first) && !l.last.less(v)
}

func (t Target) rl() *releaseLine {
	if t.line == nil {
		return newestLine
	}
	return t.line
}

// String names the target as messages do: "Pachyderm 2.7-2.11" or
// "upstream Dex v2.45.1".
func (t Target) String() string {
	if t.IsUpstreamDex() {
		return upstreamDexName
	}
	return "Pachyderm " + t.rl().name
}

// Name is the target's short name, the one ParseTarget and --chart-version
// take: "2.7-2.11", "2.12", "dex-v2.45.1".
func (t Target) Name() string { return t.rl().name }

// IsUpstreamDex reports whether the target is upstream Dex rather than a
// Pachyderm release.
func (t Target) IsUpstreamDex() bool { return t.rl().dex.upstream }

// Dex returns the Dex module the target runs, as a go.mod names it:
// "github.com/pachyderm/dex v0.0.0-20230426001747-706aec218aba".
func (t Target) Dex() string { return t.rl().dex.module }

// MarshalText writes the target's Name.
func (t Target) MarshalText() ([]byte, error) { return []byte(t.Name()), nil }

// UnmarshalText reads a target as ParseTarget does.
func (t *Target) UnmarshalText(b []byte) error {
	if t == nil {
		return &optionError{option: "Target", msg: "UnmarshalText into a nil *Target"}
	}
	p, err := ParseTarget(string(b))
	if err != nil {
		return err
	}
	*t = p
	return nil
}

// semver is a Pachyderm version: major.minor.patch and a pre-release.
type semver struct {
	major, minor, patch int
	pre                 string
}

func (v semver) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch)
	if v.pre != "" {
		s += "-" + v.pre
	}
	return s
}

// less orders versions; a pre-release comes before its release, and
// pre-releases compare by their dot-separated parts (numbers as numbers).
func (v semver) less(w semver) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	if v.patch != w.patch {
		return v.patch < w.patch
	}
	switch {
	case v.pre == w.pre:
		return false
	case v.pre == "":
		return false
	case w.pre == "":
		return true
	}
	a, b := strings.Split(v.pre, "."), strings.Split(w.pre, ".")
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		na, errA := strconv.Atoi(a[i])
		nb, errB := strconv.Atoi(b[i])
		if errA == nil && errB == nil {
			return na < nb
		}
		return a[i] < b[i]
	}
	return len(a) < len(b)
}

// parseSemver reads "2.11.3", "v2.11", "pachyderm-2.12.0-rc.1" or
// "2.11.3+build" (the build is dropped; a missing patch is 0).
func parseSemver(s string) (semver, error) {
	bad := fmt.Errorf("%q is not a Pachyderm version: pass one such as \"2.11.6\" (helm list shows it as pachyderm-2.11.6), a line such as %q, or %s", s, newestLine.name, upstreamLine.name)
	v := strings.TrimPrefix(strings.TrimSpace(s), "pachyderm-")
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i]
	}
	var out semver
	if i := strings.IndexByte(v, '-'); i >= 0 {
		v, out.pre = v[:i], v[i+1:]
		if out.pre == "" {
			return semver{}, bad
		}
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return semver{}, bad
	}
	nums := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' || p[0] == '-' {
			return semver{}, bad
		}
		nums[i] = n
	}
	out.major, out.minor, out.patch = nums[0], nums[1], nums[2]
	return out, nil
}

// The key tables of every Dex pachidp models: for each connector type its
// Dex registers (server.ConnectorsConfig), the JSON shape of its config
// struct. They are written by reflection over the real structs, by the
// conformance module of that Dex (conformance/dex/<name>, go test -update),
// and checked there on every run, so they cannot drift from the code.
//
//go:embed dexconfig/*.json
var dexConfigFiles embed.FS

// schemaNode is the JSON shape of one Go value as encoding/json decodes it.
type schemaNode struct {
	Kind    string                 `json:"kind"` // string bool int uint float array map object any bytes custom
	Pointer bool                   `json:"pointer,omitempty"`
	Items   *schemaNode            `json:"items,omitempty"`
	Values  *schemaNode            `json:"values,omitempty"`
	Fields  map[string]*schemaNode `json:"fields,omitempty"`
	GoType  string                 `json:"goType,omitempty"`
}

// dexConfigTable is one file of dexconfig/.
type dexConfigTable struct {
	Dex        string                 `json:"dex"`
	Connectors map[string]*schemaNode `json:"connectors"`
	// Rules are what each type's Open and LoginURL refuse, found by running
	// them (validate_open.go).
	Rules map[string]*openRules `json:"rules"`
}

var dexTables sync.Map // *dexVersion -> *dexConfigTable

// table returns the key table of d, read from dexconfig/<name>.json. A
// missing or broken file is a build defect, caught by TestDexConfigTables.
func (d *dexVersion) table() *dexConfigTable {
	if t, ok := dexTables.Load(d); ok {
		return t.(*dexConfigTable)
	}
	t := &dexConfigTable{}
	data, err := dexConfigFiles.ReadFile("dexconfig/" + d.name + ".json")
	if err == nil {
		err = json.Unmarshal(data, t)
	}
	if err != nil {
		panic("pachidp: the key table of " + d.name + ": " + err.Error())
	}
	v, _ := dexTables.LoadOrStore(d, t)
	return v.(*dexConfigTable)
}

// connector returns the config shape of a connector type, nil when this Dex
// has no such type.
func (d *dexVersion) connector(typ string) *schemaNode { return d.table().Connectors[typ] }

// types returns the connector types this Dex registers, sorted.
func (d *dexVersion) types() []string {
	out := make([]string, 0, len(d.table().Connectors))
	for k := range d.table().Connectors {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// field finds a key of an object the way encoding/json does: the exact name
// first, then any name equal under Unicode case folding. It returns the name
// as the struct declares it.
func (n *schemaNode) field(key string) (string, *schemaNode) {
	if n == nil || n.Kind != "object" {
		return "", nil
	}
	if f, ok := n.Fields[key]; ok {
		return key, f
	}
	for name, f := range n.Fields {
		if strings.EqualFold(name, key) {
			return name, f
		}
	}
	return "", nil
}

// fieldNames returns the keys of an object node, sorted.
func (n *schemaNode) fieldNames() []string {
	out := make([]string, 0, len(n.Fields))
	for k := range n.Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// allDexVersions returns each Dex of the table once, oldest first.
func allDexVersions() []*dexVersion {
	var out []*dexVersion
	for _, t := range Targets() {
		d := t.rl().dex
		if len(out) == 0 || out[len(out)-1] != d {
			out = append(out, d)
		}
	}
	return out
}
