package harness

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files (outcomes and key tables)")

// Updating reports whether -update was given.
func Updating() bool { return *update }

// Dex is the version-specific glue one conformance/dex/<name> module
// supplies; everything else is shared.
type Dex struct {
	// Module is the Dex module that really runs, as "path version"
	// (the replacement's path for a fork).
	Module string
	// New is server.ConnectorsConfig[typ](): a pointer to a fresh config.
	New func(typ string) (any, bool)
	// Types lists the keys of server.ConnectorsConfig.
	Types []string
	// Open calls the config's Open(id, logger) with the version's logger.
	Open func(conf any, id string) (conn any, err error)
	// Login asks the opened connector for its login URL with callbackURL
	// as Dex's callback (LoginURL for callback connectors, POSTData for
	// SAML; nil error for password connectors, which have no URL).
	Login func(conn any, callbackURL string) error
	// Close closes an opened connector; nil closes it when it is an
	// io.Closer, as every Dex version's connectors are.
	Close func(conn any)
	// Callback runs an opened callback connector's login to the end: its
	// LoginURL, then HandleCallback of a request to callbackURL with code
	// and state "state", as Dex's server does when the provider redirects
	// back. It returns the identity's EmailVerified. Nil skips
	// RunEmailVerified.
	Callback func(conn any, callbackURL, code string) (emailVerified bool, err error)
}

// Configs gives Dex.Types and Dex.New from the version's
// server.ConnectorsConfig, whatever its config type:
//
//	types, newConf := harness.Configs(server.ConnectorsConfig)
func Configs[C any](m map[string]func() C) (types []string, newConf func(typ string) (any, bool)) {
	for k := range m {
		types = append(types, k)
	}
	sort.Strings(types)
	return types, func(typ string) (any, bool) {
		f, ok := m[typ]
		if !ok {
			return nil, false
		}
		return f(), true
	}
}

// close closes an opened connector with Close, or as an io.Closer.
func (d Dex) close(conn any) {
	if d.Close != nil {
		d.Close(conn)
	} else if c, ok := conn.(io.Closer); ok {
		c.Close()
	}
}

// Setup is one module's run.
type Setup struct {
	Name string // e.g. fork-706aec2: outcomes/<Name>.json, dexconfig/<Name>.json
	// Pachd is nil for upstream Dex, which reads each entry from its own
	// config file (cmd/dex/config.go:457-497 at v2.45.1).
	Pachd *Pachd
	Dex   Dex
	// RepoRoot is the repository root relative to the test's directory.
	RepoRoot string
}

// Outcomes is the golden file conformance/outcomes/<name>.json.
type Outcomes struct {
	Dex   string             `json:"dex"`
	Proto string             `json:"proto"`
	Pachd string             `json:"pachdDecoder"`
	Cases map[string]Outcome `json:"cases"`
}

// Outcome is what really happens to one case.
type Outcome struct {
	// Pachd is "ok", "n/a" (upstream Dex, no pachd) or "<stage>: <error>"
	// for the first error that stops pachd's start (2.3+), the config-pod
	// Job (2.0-2.2) or Dex's start (upstream).
	Pachd   string         `json:"pachd"`
	Entries []EntryOutcome `json:"entries"`
	// Chart is what the module's chart version does with the case's
	// values, when the entries do not simply reach pachd
	// (conformance/outcomes/chart/corpus.json): "render: <error>", a gate
	// ("no license", "no pachd", "enterprise member", "mock IdP") or
	// "idps: secret <name>/<key>". The entries above are run as if they
	// reached pachd all the same.
	Chart string `json:"chart,omitempty"`
}

// EntryOutcome is one entry's own fate.
type EntryOutcome struct {
	// Fate: "ok"; "pachd-crash" (this entry makes pachd exit at start,
	// CrashLoopBackOff; for upstream Dex: Dex exits at start);
	// "login-fails" (the cluster runs but login through this entry cannot
	// work: LoginURL or the routing stage fails, or the connector is dropped — on 2.0-2.2 the
	// config-pod ignores CreateIDPConnector's error; upstream Dex skips a
	// connector whose Open fails, continue_on_connector_failure).
	Fate string `json:"fate"`
	// Stage: protojson (the release's entry decoder), create (id, type,
	// name checks; duplicate ids), pick-config, connector-type, unmarshal,
	// open, login-url, route (the redirect URI does not reach Dex's
	// callback as the chart routes it: Route), or "".
	Stage string `json:"stage"`
	Error string `json:"error"`
}

// Main is TestMain for a module: it installs the fake world first.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "pachidp-world-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := Install(dir); err != nil {
		fmt.Fprintln(os.Stderr, "fake world:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// CorpusDir is conformance/corpus under root.
func CorpusDir(root string) string { return filepath.Join(root, "conformance", "corpus") }

// RunAll runs every corpus case and returns the outcomes.
func RunAll(s Setup) (*Outcomes, error) {
	w, err := Install(os.TempDir())
	if err != nil {
		return nil, err
	}
	cases, err := LoadCorpus(CorpusDir(s.RepoRoot))
	if err != nil {
		return nil, err
	}
	o := &Outcomes{Dex: s.Dex.Module, Proto: "none", Pachd: "none", Cases: map[string]Outcome{}}
	if s.Pachd != nil {
		o.Proto, o.Pachd = s.Pachd.Proto, string(s.Pachd.Decoder)
	}
	record, err := chartRecord(s, cases)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		// Dex's issuer is the one the chart renders for the case's values
		// on this module's chart version (conformance/chart holds each
		// case's dexIssuer to it on 2.3 and later); where the chart renders
		// none, the case's own.
		rec, recorded := record[c.Name]
		if recorded && rec.DexIssuer != "" && rec.Render == "" {
			c.DexIssuer = rec.DexIssuer
		}
		dir, err := os.MkdirTemp("", "pachidp-pod-")
		if err != nil {
			return nil, err
		}
		pod, err := NewPodFS(dir, c)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		w.SetCase(&c, pod)
		out := s.RunCase(c)
		out.Chart = chartNote(rec, recorded)
		o.Cases[c.Name] = out
		w.SetCase(nil, nil)
		os.RemoveAll(dir)
	}
	return o, nil
}

// RunCase runs one case.
func (s Setup) RunCase(c Case) Outcome {
	secrets := collectSecrets(c.Values)
	list, _ := UpstreamIDPs(c.Values)
	var out Outcome
	if s.Pachd == nil {
		out = s.runUpstream(list, c.Callback())
	} else {
		out = s.runPachd(list, c.Callback())
	}
	out.Pachd = redact(out.Pachd, secrets)
	for i := range out.Entries {
		out.Entries[i].Error = redact(out.Entries[i].Error, secrets)
	}
	if out.Entries == nil {
		out.Entries = []EntryOutcome{}
	}
	return out
}

func (s Setup) runPachd(list any, callback string) Outcome {
	text, err := Render(list)
	if err != nil {
		return Outcome{Pachd: "render: " + err.Error()}
	}
	entries, lerr := s.Pachd.Decode(text)
	if lerr != nil {
		return Outcome{Pachd: lerr.Error()}
	}
	pod := s.Pachd.Decoder == ConfigPod
	fatal := "pachd-crash"
	if pod {
		fatal = "login-fails"
	}
	var out Outcome
	first := ""
	for _, e := range entries {
		if e.Stage == "protojson" && first == "" {
			// EnvBootstrap stops before creating anything
			// (api_server.go:86-88 at e237475).
			first = "protojson: " + e.Err.Error()
		}
	}
	created := map[string]bool{}
	for _, e := range entries {
		eo := EntryOutcome{Fate: "ok"}
		stage, err := e.Stage, e.Err
		if err == nil && created[e.ID] {
			// EnvBootstrap lists the stored connectors once, then creates
			// each new id; the second create of an id fails in storage
			// (identity.ErrAlreadyExists, src/identity/identity.go:15).
			stage, err = "create", errors.New("rpc error: code = Internal desc = ID already exists")
		}
		if err == nil {
			stage, err = s.dexStages(e.ID, e.Type, e.Config, callback)
			if err == nil || stage == "login-url" || stage == "route" {
				created[e.ID] = true
			}
		}
		if err != nil {
			eo.Stage, eo.Error = stage, clip(err.Error())
			if stage == "login-url" || stage == "route" {
				eo.Fate = "login-fails"
			} else {
				eo.Fate = fatal
				if first == "" && !pod {
					first = stage + ": " + eo.Error
				}
			}
		}
		out.Entries = append(out.Entries, eo)
	}
	out.Pachd = "ok"
	if first != "" {
		out.Pachd = clip(first)
	}
	return out
}

// dexStages is validateConnector (src/server/identity/server/dex_api.go:
// 238-251 at e237475, the same messages at v2.2.7:217-231 and
// v2.3.9:236-249) in the pod's filesystem (PodFS), then LoginURL, then the
// routing stage (Route).
func (s Setup) dexStages(id, typ string, config []byte, callback string) (string, error) {
	pod := theWorldPod()
	stage, err := s.dexStagesIn(pod, id, typ, config, callback)
	if err != nil {
		err = errors.New(pod.Unrewrite(err.Error()))
	}
	return stage, err
}

func (s Setup) dexStagesIn(pod *PodFS, id, typ string, config []byte, callback string) (string, error) {
	conf, ok := s.Dex.New(typ)
	if !ok {
		return "connector-type", fmt.Errorf("unknown connector type %q", typ)
	}
	if err := json.Unmarshal(pod.Rewrite(config), conf); err != nil {
		return "unmarshal", fmt.Errorf("unable to deserialize JSON: %v", err)
	}
	conn, err := s.Dex.Open(conf, id)
	if err != nil {
		return "open", fmt.Errorf("unable to open connector: %v", err)
	}
	defer s.Dex.close(conn)
	if err := s.Dex.Login(conn, callback); err != nil {
		return "login-url", err
	}
	if err := Route(conf, id, callback); err != nil {
		return "route", err
	}
	return "", nil
}

// theWorldPod is the current case's pod filesystem, nil outside RunAll.
func theWorldPod() *PodFS {
	if theWorld == nil {
		return nil
	}
	return theWorld.podFS()
}

func (s Setup) runUpstream(list any, callback string) Outcome {
	items, ok := list.([]any)
	if !ok {
		return Outcome{Pachd: "config: oidc.upstreamIDPs is not a list"}
	}
	out := Outcome{Pachd: "n/a"}
	pod := theWorldPod()
	opened := 0
	var openFailed []int
	for i, it := range items {
		eo := EntryOutcome{Fate: "ok"}
		// cmd/dex/config.go:457-497 at v2.45.1: the entry's type, id, name
		// and raw config; the type is looked up, config decoded with
		// encoding/json; errors stop Dex (config parse).
		b, _ := json.Marshal(it)
		var conn struct {
			Type   string          `json:"type"`
			Name   string          `json:"name"`
			ID     string          `json:"id"`
			Config json.RawMessage `json:"config"`
		}
		stage, err := "", error(nil)
		if err = json.Unmarshal(b, &conn); err != nil {
			stage = "unmarshal"
		} else if cf, ok := s.Dex.New(conn.Type); !ok {
			stage, err = "connector-type", fmt.Errorf("unknown connector type %q", conn.Type)
		} else if err = unmarshalIfAny(pod.Rewrite(conn.Config), cf); err != nil {
			stage, err = "unmarshal", fmt.Errorf("parse connector config: %v", err)
		} else if conn.ID == "" || conn.Name == "" || conn.Type == "" {
			// cmd/dex/serve.go:245-248 at v2.45.1, before any Open.
			stage, err = "create", errors.New("invalid config: ID, Type and Name fields are required for a connector")
		} else if c, oerr := s.Dex.Open(cf, conn.ID); oerr != nil {
			// server.go:327-341 at v2.45.1: with the default
			// continue_on_connector_failure=true a failing connector is
			// skipped, unless all fail.
			stage, err = "open", fmt.Errorf("failed to open connector: %v", oerr)
			openFailed = append(openFailed, i)
		} else {
			opened++
			if lerr := s.Dex.Login(c, callback); lerr != nil {
				stage, err = "login-url", lerr
			} else if rerr := Route(cf, conn.ID, callback); rerr != nil {
				stage, err = "route", rerr
			}
			s.Dex.close(c)
		}
		if err != nil {
			eo.Stage, eo.Error = stage, clip(pod.Unrewrite(err.Error()))
			eo.Fate = "pachd-crash"
			if stage == "open" || stage == "login-url" || stage == "route" {
				eo.Fate = "login-fails"
			}
			if eo.Fate == "pachd-crash" && out.Pachd == "n/a" {
				out.Pachd = "config: " + eo.Error
			}
		}
		out.Entries = append(out.Entries, eo)
	}
	if out.Pachd == "n/a" && len(items) > 0 && opened == 0 && len(openFailed) > 0 {
		for _, i := range openFailed {
			out.Entries[i].Fate = "pachd-crash"
		}
		out.Pachd = fmt.Sprintf("open: server: failed to open all connectors (%d/%d)", len(openFailed), len(items))
	}
	return out
}

func unmarshalIfAny(b json.RawMessage, v any) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

// clip keeps the first 200 bytes of an error. protojson puts a space or a
// no-break space after "proto:" at random per build (internal/detrand), so
// that callers do not match its text; the golden files would flap, so a
// no-break space is written as a space.
func clip(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	if len(s) <= 200 {
		return s
	}
	s = s[:200]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

var secretKey = regexp.MustCompile(`(?i)secret|password`)

// collectSecrets returns every string under a key whose name contains
// "secret" or "password", anywhere in v, including inside JSON strings
// (jsonConfig).
func collectSecrets(v any) []string {
	var out []string
	var walk func(v any, hot bool)
	walk = func(v any, hot bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, hot || secretKey.MatchString(k))
			}
		case []any:
			for _, e := range x {
				walk(e, hot)
			}
		case string:
			if hot && len(x) >= 4 {
				out = append(out, x)
			}
			var inner any
			if strings.ContainsAny(x, "{[") && json.Unmarshal([]byte(x), &inner) == nil {
				walk(inner, hot)
			}
		default:
			if hot && x != nil {
				if s := fmt.Sprint(x); len(s) >= 4 {
					out = append(out, s)
				}
			}
		}
	}
	walk(v, false)
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func redact(s string, secrets []string) string {
	for _, x := range secrets {
		s = strings.ReplaceAll(s, x, "<redacted>")
	}
	return s
}

// Marshal writes v as the golden files are written: sorted keys (maps),
// 2-space indent, trailing newline, no HTML escaping.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Golden compares got with the file at path, or rewrites it with -update.
// The error names the first differing case when there is one.
func Golden(path string, got []byte) error {
	if *update {
		return os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%v (run go test ./... -update to create it)", err)
	}
	if bytes.Equal(want, got) {
		return nil
	}
	return fmt.Errorf("%s differs from the real outcome:\n%s\n(after checking the change is real: go test ./... -update)", path, firstDiff(want, got))
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			ctx := ""
			for j := i; j >= 0 && j < len(gl); j-- {
				if strings.HasPrefix(gl[j], "    \"") {
					ctx = strings.TrimSpace(gl[j])
					break
				}
			}
			return fmt.Sprintf("line %d (in %s)\n- golden: %s\n+ real:   %s", i+1, ctx, w, g)
		}
	}
	return ""
}

// RunOutcomes is the outcome test of one module.
func RunOutcomes(t *testing.T, s Setup) *Outcomes {
	t.Helper()
	o, err := RunAll(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := Golden(filepath.Join(s.RepoRoot, "conformance", "outcomes", s.Name+".json"), b); err != nil {
		t.Error(err)
	}
	return o
}
