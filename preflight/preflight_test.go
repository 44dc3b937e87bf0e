package preflight

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pachidp/pachidp"
)

// preflightSecret is the client secret of every test entry. It is long and odd so
// that no message can contain it by chance.
const preflightSecret = "pf-Secret-9f8e7d6c5b4a"

// provider is a discovery endpoint for tests.
type provider struct {
	tls bool
	// serve answers /.well-known/openid-configuration; base is the server's URL.
	serve func(base string, w http.ResponseWriter, r *http.Request)
}

// start runs the provider on an httptest server closed at the end of the test.
// done is closed before the server, so that slow handlers return.
func (p provider) start(t *testing.T) (srv *httptest.Server, caPEM []byte) {
	t.Helper()
	done := make(chan struct{})
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		p.serve(srv.URL, w, withDone(r, done))
	}))
	// TLS handshake errors of the no-CA cases are expected: keep them quiet.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if p.tls {
		srv.StartTLS()
		caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs before srv.Close
	return srv, caPEM
}

type doneKey struct{}

func withDone(r *http.Request, done chan struct{}) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), doneKey{}, done))
}

// sleep waits d, or until the test ends or the client goes away.
func sleep(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Value(doneKey{}).(chan struct{}):
	case <-r.Context().Done():
	}
}

// discoveryJSON is a discovery document for issuer.
func discoveryJSON(issuer string, extra map[string]any) []byte {
	doc := map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                issuer + "/authorize",
		"token_endpoint":                        issuer + "/token",
		"jwks_uri":                              issuer + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	}
	for k, v := range extra {
		doc[k] = v
	}
	b, _ := json.Marshal(doc)
	return b
}

// serveDoc serves a discovery document whose issuer is issuer(base).
func serveDoc(issuer func(base string) string, extra map[string]any) func(string, http.ResponseWriter, *http.Request) {
	return func(base string, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(discoveryJSON(issuer(base), extra))
	}
}

func same(base string) string      { return base }
func withSlash(base string) string { return base + "/" }

var authCode = map[string]any{"grant_types_supported": []string{"authorization_code", "refresh_token"}}

// preflightEntry is an oidc entry for issuer.
func preflightEntry(issuer string) pachidp.UpstreamIDP {
	return pachidp.UpstreamIDP{ID: "test", Name: "Test", Type: "oidc", OIDC: &pachidp.OIDCConfig{
		Issuer: issuer, ClientID: "client", ClientSecret: preflightSecret,
		RedirectURI: "https://pachyderm.example/dex/callback",
	}}
}

// want is the expected outcome of one check: its status and substrings of
// its message ("{base}" stands for the server's URL).
type want struct {
	status CheckStatus
	msg    []string
}

var (
	allPass = map[string]want{
		"config": {CheckPassed, nil}, "discovery": {CheckPassed, nil}, "issuer": {CheckPassed, nil},
		"grant-types": {CheckPassed, nil}, "dex-open": {CheckPassed, []string{"opened"}},
	}
	afterDiscoveryFailed = map[string]want{
		"issuer":      {CheckSkipped, []string{"discovery failed"}},
		"grant-types": {CheckSkipped, []string{"discovery failed"}},
		"dex-open":    {CheckSkipped, []string{"discovery failed"}},
	}
	afterConfigFailed = map[string]want{
		"discovery":   {CheckSkipped, []string{"config invalid"}},
		"issuer":      {CheckSkipped, []string{"config invalid"}},
		"grant-types": {CheckSkipped, []string{"config invalid"}},
		"dex-open":    {CheckSkipped, []string{"config invalid"}},
	}
)

// merge returns base with the given checks replaced.
func merge(base map[string]want, over map[string]want) map[string]want {
	out := map[string]want{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

type preflightCase struct {
	name     string
	provider *provider // nil: no server
	// entry builds the entry from the server's URL ("" when there is none).
	entry   func(base string) pachidp.UpstreamIDP
	noCA    bool          // do not pass the server's CA
	timeout time.Duration // default 5s
	cancel  bool          // cancel the context before calling Preflight
	// osDependent keeps failure messages that quote the OS's errors out of
	// the golden file.
	osDependent bool
	want        map[string]want
}

func preflightCases(t *testing.T) []preflightCase {
	closedAddr := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}()
	var dexCalls atomic.Int32
	return []preflightCase{
		{
			name:     "good provider over TLS",
			provider: &provider{tls: true, serve: serveDoc(same, authCode)},
			entry:    preflightEntry,
			want:     allPass,
		},
		{
			name:     "good provider, plain HTTP, no grant types listed",
			provider: &provider{serve: serveDoc(same, nil)},
			entry:    preflightEntry,
			want: merge(allPass, map[string]want{
				"grant-types": {CheckSkipped, []string{"does not list grant_types_supported"}},
			}),
		},
		{
			name:     "provider adds a trailing slash",
			provider: &provider{tls: true, serve: serveDoc(withSlash, authCode)},
			entry:    preflightEntry,
			want: merge(allPass, map[string]want{
				"issuer":   {CheckFailed, []string{`the provider says its issuer is "{base}/"; Dex compares byte for byte: use "{base}/"`}},
				"dex-open": {CheckFailed, []string{"did not match the issuer URL returned by provider"}},
			}),
		},
		{
			name:     "config adds a trailing slash",
			provider: &provider{tls: true, serve: serveDoc(same, authCode)},
			entry:    func(base string) pachidp.UpstreamIDP { return preflightEntry(base + "/") },
			want: merge(allPass, map[string]want{
				"issuer":   {CheckFailed, []string{`the provider says its issuer is "{base}"; Dex compares byte for byte: use "{base}"`}},
				"dex-open": {CheckFailed, []string{"did not match"}},
			}),
		},
		{
			name:     "provider names another issuer",
			provider: &provider{serve: serveDoc(func(string) string { return "https://other.example" }, nil)},
			entry:    preflightEntry,
			want: merge(allPass, map[string]want{
				"issuer":      {CheckFailed, []string{`says its issuer is "https://other.example", not "{base}"`, `use "https://other.example" if`}},
				"grant-types": {CheckSkipped, nil},
				"dex-open":    {CheckFailed, []string{"did not match"}},
			}),
		},
		{
			name:     "issuer alias does not help Pachyderm's Dex",
			provider: &provider{serve: serveDoc(func(string) string { return "https://alias.example" }, authCode)},
			entry: func(base string) pachidp.UpstreamIDP {
				e := preflightEntry(base)
				e.OIDC.IssuerAlias = "https://alias.example"
				return e
			},
			want: merge(allPass, map[string]want{
				"issuer": {CheckFailed, []string{"config.issuerAlias matches it, but Pachyderm's Dex ignores issuerAlias"}},
			}),
		},
		{
			name:        "unreachable host",
			osDependent: true,
			entry:       func(string) pachidp.UpstreamIDP { return preflightEntry("http://" + closedAddr) },
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"GET http://" + closedAddr + "/.well-known/openid-configuration: cannot connect:", "check the host and port of config.issuer"}},
			}),
		},
		{
			name: "provider slower than the timeout",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				sleep(r, 5*time.Second)
				serveDoc(same, nil)(base, w, r)
			}},
			entry:   preflightEntry,
			timeout: 200 * time.Millisecond,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"no answer within 200ms", "raise the timeout"}},
			}),
		},
		{
			name: "provider slow only for Dex",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				if dexCalls.Add(1) > 1 { // the first GET is Preflight's, the second Dex's
					sleep(r, 5*time.Second)
				}
				serveDoc(same, authCode)(base, w, r)
			}},
			entry:   preflightEntry,
			timeout: 1 * time.Second,
			want: merge(allPass, map[string]want{
				"dex-open": {CheckFailed, []string{"did not open the connector within 1s"}},
			}),
		},
		{
			name:     "context cancelled",
			provider: &provider{serve: serveDoc(same, nil)},
			entry:    preflightEntry,
			cancel:   true,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"stopped: context canceled"}},
			}),
		},
		{
			name: "malformed JSON",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"issuer": "`+base+`",`)
			}},
			entry: preflightEntry,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"malformed discovery document: unexpected end of JSON input"}},
			}),
		},
		{
			name: "HTML page instead of discovery",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<html><body>Welcome</body></html>")
			}},
			entry: preflightEntry,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"malformed discovery document: invalid character '<'", `Content-Type "text/html; charset=utf-8"`}},
			}),
		},
		{
			name: "document not an object",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `["issuer"]`)
			}},
			entry: preflightEntry,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"malformed discovery document: want a JSON object, got a JSON array"}},
			}),
		},
		{
			name: "document without issuer",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"authorization_endpoint": "x"}`)
			}},
			entry: preflightEntry,
			want: merge(allPass, map[string]want{
				"issuer":      {CheckFailed, []string{"has no issuer"}},
				"grant-types": {CheckSkipped, nil},
				"dex-open":    {CheckFailed, []string{"did not match"}},
			}),
		},
		{
			name: "document too large",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(bytes.Repeat([]byte(" "), maxDiscoverySize+1))
			}},
			entry: preflightEntry,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"larger than 1 MiB"}},
			}),
		},
		{
			name:     "404",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }},
			entry:    func(base string) pachidp.UpstreamIDP { return preflightEntry(base + "/wrong/") },
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"GET {base}/wrong/.well-known/openid-configuration: 404 Not Found, want 200 OK: check config.issuer"}},
			}),
		},
		{
			name: "500",
			provider: &provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
				http.Error(w, "boom", http.StatusInternalServerError)
			}},
			entry: preflightEntry,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"500 Internal Server Error, want 200 OK: the provider failed"}},
			}),
		},
		{
			name:     "grant types without authorization_code",
			provider: &provider{tls: true, serve: serveDoc(same, map[string]any{"grant_types_supported": []string{"implicit", "client_credentials"}})},
			entry:    preflightEntry,
			want: merge(allPass, map[string]want{
				"grant-types": {CheckFailed, []string{`grant types ["implicit" "client_credentials"] but not "authorization_code"`, "enable the Authorization Code grant"}},
			}),
		},
		{
			name:     "grant types of the wrong type",
			provider: &provider{serve: serveDoc(same, map[string]any{"grant_types_supported": "authorization_code"})},
			entry:    preflightEntry,
			want: merge(allPass, map[string]want{
				"grant-types": {CheckSkipped, []string{"not a list of strings"}},
			}),
		},
		{
			name:     "TLS provider without its CA",
			provider: &provider{tls: true, serve: serveDoc(same, authCode)},
			entry:    preflightEntry,
			noCA:     true,
			want: merge(afterDiscoveryFailed, map[string]want{
				"config":    {CheckPassed, nil},
				"discovery": {CheckFailed, []string{"signed by an unknown authority: pass its CA bundle (--ca-file, preflight.Options.RootCAs)"}},
			}),
		},
		{
			name:     "hosted domains: Dex refuses to open",
			provider: &provider{serve: serveDoc(same, authCode)},
			entry: func(base string) pachidp.UpstreamIDP {
				e := preflightEntry(base)
				e.OIDC.HostedDomains = []string{"acme.com"}
				return e
			},
			want: merge(allPass, map[string]want{
				"dex-open": {CheckFailed, []string{"upstream Dex v2.45.1 cannot open the connector: support for the Hosted domains option had been deprecated"}},
			}),
		},
		{
			name:     "legacy jsonConfig",
			provider: &provider{serve: serveDoc(same, authCode)},
			entry: func(base string) pachidp.UpstreamIDP {
				return pachidp.UpstreamIDP{ID: "test", Name: "Test", Type: "oidc",
					JSONConfig: `{"issuer": "` + base + `", "clientID": "client", "clientSecret": "` + preflightSecret + `"}`}
			},
			want: allPass,
		},
		{
			name: "invalid jsonConfig",
			entry: func(string) pachidp.UpstreamIDP {
				return pachidp.UpstreamIDP{ID: "test", Type: "oidc", JSONConfig: `{"issuer": `}
			},
			want: merge(afterConfigFailed, map[string]want{
				"config": {CheckFailed, []string{"is not a JSON object"}},
			}),
		},
		{
			name:  "no config",
			entry: func(string) pachidp.UpstreamIDP { return pachidp.UpstreamIDP{ID: "test", Type: "oidc"} },
			want: merge(afterConfigFailed, map[string]want{
				"config": {CheckFailed, []string{"missing: an oidc entry needs a config"}},
			}),
		},
		{
			name: "no issuer",
			entry: func(string) pachidp.UpstreamIDP {
				e := preflightEntry("")
				return e
			},
			want: merge(afterConfigFailed, map[string]want{
				"config": {CheckFailed, []string{"empty: set it to the provider's issuer URL"}},
			}),
		},
		{
			name: "issuer of the wrong type",
			entry: func(string) pachidp.UpstreamIDP {
				e := preflightEntry("")
				e.OIDC.Extra = map[string]any{"issuer": 12}
				return e
			},
			want: merge(afterConfigFailed, map[string]want{
				"config": {CheckFailed, []string{"must be a string, got a number"}},
			}),
		},
		{
			name:  "secret pasted into the issuer",
			entry: func(string) pachidp.UpstreamIDP { return preflightEntry(preflightSecret) },
			want: merge(afterConfigFailed, map[string]want{
				"config": {CheckFailed, []string{`"REDACTED" is not an http(s) URL`}},
			}),
		},
		{
			name: "not an oidc entry",
			entry: func(string) pachidp.UpstreamIDP {
				return pachidp.UpstreamIDP{ID: "ldap", Name: "LDAP", Type: "ldap", Config: pachidp.ConnectorConfig{"host": "ldap.example:636", "bindPW": preflightSecret}}
			},
			want: map[string]want{
				"config": {CheckSkipped, []string{`type "ldap" is not checked: preflight checks oidc entries only`}},
			},
		},
	}
}

func TestPreflight(t *testing.T) {
	cases := preflightCases(t)
	var report strings.Builder // every case's checks, for the golden file
	ran := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ran++
			base := ""
			opts := Options{Timeout: tc.timeout}
			if opts.Timeout == 0 {
				opts.Timeout = 5 * time.Second
			}
			if tc.provider != nil {
				srv, caPEM := tc.provider.start(t)
				base = srv.URL
				if !tc.noCA {
					opts.RootCAs = caPEM
				}
			}
			var logs bytes.Buffer
			opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				cancel()
			}

			start := time.Now()
			results := Run(ctx, []pachidp.UpstreamIDP{tc.entry(base)}, opts)
			elapsed := time.Since(start)

			if len(results) != 1 {
				t.Fatalf("got %d results, want 1", len(results))
			}
			r := results[0]
			fmt.Fprintf(&report, "## %s\n", tc.name)
			for _, c := range r.Checks {
				line := c.String()
				if base != "" {
					line = strings.ReplaceAll(line, base, "{base}")
				}
				line = randomAddr.ReplaceAllString(line, "{addr}")
				if tc.osDependent && c.Status == CheckFailed {
					line = c.Name + " " + c.Status.String() + ": (message depends on the OS)"
				}
				fmt.Fprintln(&report, line)
			}
			if r.Index != 0 || r.Path != "oidc.upstreamIDPs[0]" {
				t.Errorf("Index, Path = %d, %q; want 0, oidc.upstreamIDPs[0]", r.Index, r.Path)
			}
			wantNames := []string{"config", "discovery", "issuer", "grant-types", "dex-open"}
			if len(tc.want) == 1 {
				wantNames = wantNames[:1]
			}
			if len(r.Checks) != len(wantNames) {
				t.Fatalf("got %d checks, want %d:\n%s", len(r.Checks), len(wantNames), checksText(r))
			}
			anyFailed := false
			for i, c := range r.Checks {
				if c.Name != wantNames[i] {
					t.Errorf("check %d is %q, want %q", i, c.Name, wantNames[i])
				}
				w, ok := tc.want[c.Name]
				if !ok {
					t.Errorf("no expectation for check %q", c.Name)
					continue
				}
				if c.Status != w.status {
					t.Errorf("%s: status %v, want %v (%s)", c.Name, c.Status, w.status, c.Message)
				}
				for _, sub := range w.msg {
					sub = strings.ReplaceAll(sub, "{base}", base)
					if !strings.Contains(c.Message, sub) {
						t.Errorf("%s: message\n  %s\ndoes not contain\n  %s", c.Name, c.Message, sub)
					}
				}
				if !strings.HasPrefix(c.Path, "oidc.upstreamIDPs[0].") {
					t.Errorf("%s: path %q does not name the entry", c.Name, c.Path)
				}
				if c.Message == "" {
					t.Errorf("%s: empty message", c.Name)
				}
				anyFailed = anyFailed || c.Status == CheckFailed
			}

			// Err agrees with the checks and is inspectable.
			err := results.Err()
			if (err != nil) != anyFailed {
				t.Errorf("Err() = %v, want an error: %v", err, anyFailed)
			}
			var pe *Error
			if err != nil && (!errors.As(err, &pe) || len(pe.Failed) == 0) {
				t.Errorf("Err() is %T, want *Error with failed checks", err)
			}
			if (r.Err() == nil) != (err == nil) {
				t.Errorf("result Err and results Err disagree")
			}

			// The secret never shows: not in messages, errors, strings or logs.
			var all strings.Builder
			for _, c := range r.Checks {
				fmt.Fprintln(&all, c.String())
			}
			if err != nil {
				fmt.Fprintln(&all, err.Error())
			}
			all.Write(logs.Bytes())
			if strings.Contains(all.String(), preflightSecret) {
				t.Errorf("the client secret appears in the report or logs")
			}
			if !strings.Contains(logs.String(), "check=discovery") && len(r.Checks) > 1 {
				t.Errorf("the logger got no line for the discovery check")
			}

			// Slow providers do not hold Preflight: it returns at the timeout,
			// well before the handlers' 5s sleep.
			if elapsed > 4*time.Second {
				t.Errorf("Preflight took %v, want well under the handler's 5s", elapsed)
			}
		})
	}
	if ran == len(cases) { // not under -run filters that pick some cases
		golden(t, "preflight/cases.golden", []byte(report.String()))
	}
}

// randomAddr matches loopback addresses with their random ports.
var randomAddr = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

func checksText(r Result) string {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintln(&b, c.String())
	}
	return b.String()
}

// TestPreflightManyEntries checks order, indexes, paths and positions across
// a decoded list, and that entries run concurrently: three slow entries take
// about one timeout, not three.
func TestPreflightManyEntries(t *testing.T) {
	good, _ := provider{serve: serveDoc(same, authCode)}.start(t)
	slow, _ := provider{serve: func(base string, w http.ResponseWriter, r *http.Request) {
		sleep(r, 5*time.Second)
	}}.start(t)
	doc := fmt.Sprintf(`- type: oidc
  id: good
  name: Good
  config:
    issuer: %[1]s
    clientID: c
    clientSecret: %[3]s
- type: ldap
  id: ldap
  name: LDAP
  config: {host: "ldap.example:636"}
- type: oidc
  id: slow1
  name: Slow 1
  config: {issuer: %[2]s}
- type: oidc
  id: slow2
  name: Slow 2
  config: {issuer: %[2]s}
- type: oidc
  id: slow3
  name: Slow 3
  config:
    issuer: %[2]s
`, good.URL, slow.URL, preflightSecret)
	idps, err := pachidp.DecodeUpstreamIDPs([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results := Run(context.Background(), idps, Options{Timeout: 1500 * time.Millisecond, Path: "values.oidc.upstreamIDPs"})
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Errorf("Preflight took %v for three slow entries of 1.5s each: entries should run concurrently", elapsed)
	}
	wantIDs := []string{"good", "ldap", "slow1", "slow2", "slow3"}
	if len(results) != len(wantIDs) {
		t.Fatalf("got %d results, want %d", len(results), len(wantIDs))
	}
	for i, r := range results {
		if r.ID != wantIDs[i] || r.Index != i || r.Path != fmt.Sprintf("values.oidc.upstreamIDPs[%d]", i) {
			t.Errorf("result %d: ID %q, Index %d, Path %q", i, r.ID, r.Index, r.Path)
		}
	}
	if err := results[0].Err(); err != nil {
		t.Errorf("good entry: %v", err)
	}
	if results[0].Issuer != good.URL {
		t.Errorf("Issuer = %q, want %q", results[0].Issuer, good.URL)
	}
	if c := results[1].Checks; len(c) != 1 || c[0].Status != CheckSkipped || c[0].Path != "values.oidc.upstreamIDPs[1].type" {
		t.Errorf("ldap entry: %s", checksText(results[1]))
	}
	// Positions: the issuer of slow3 is on line 24.
	d := results[4].Checks[1]
	if d.Status != CheckFailed || d.Path != "values.oidc.upstreamIDPs[4].config.issuer" || d.Pos.Line != 24 {
		t.Errorf("slow3 discovery: %s (pos %v)", d, d.Pos)
	}
	if !strings.Contains(d.String(), "(line 24)") {
		t.Errorf("String() %q lacks the line", d.String())
	}

	var pe *Error
	if !errors.As(results.Err(), &pe) || len(pe.Failed) != 3 {
		t.Fatalf("Err() = %v, want 3 failed checks", results.Err())
	}
	msg := pe.Error()
	if !strings.HasPrefix(msg, "3 preflight check(s) failed:\n") || !strings.Contains(msg, "values.oidc.upstreamIDPs[2].config.issuer (line 15): GET ") {
		t.Errorf("Error:\n%s", msg)
	}
}

func TestPreflightRootCAsNotPEM(t *testing.T) {
	srv, _ := provider{tls: true, serve: serveDoc(same, authCode)}.start(t)
	results := Run(context.Background(), []pachidp.UpstreamIDP{preflightEntry(srv.URL)}, Options{RootCAs: []byte("not a certificate")})
	c := results[0].Checks[1]
	if c.Status != CheckFailed || !strings.Contains(c.Message, "holds no PEM certificate") {
		t.Errorf("discovery: %s", c)
	}
}

// TestPreflightHTTPClient: a given client fetches discovery; RootCAs still
// reach Dex's own client.
func TestPreflightHTTPClient(t *testing.T) {
	srv, caPEM := provider{tls: true, serve: serveDoc(same, authCode)}.start(t)
	var used atomic.Bool
	client := srv.Client()
	inner := client.Transport
	client.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return inner.RoundTrip(r)
	})
	results := Run(context.Background(), []pachidp.UpstreamIDP{preflightEntry(srv.URL)}, Options{HTTPClient: client, RootCAs: caPEM})
	if err := results.Err(); err != nil {
		t.Fatal(err)
	}
	if !used.Load() {
		t.Errorf("the given HTTPClient was not used")
	}

	// Without RootCAs, Dex's own client does not trust the test server,
	// even though the given client does.
	results = Run(context.Background(), []pachidp.UpstreamIDP{preflightEntry(srv.URL)}, Options{HTTPClient: client})
	c := results[0].Checks[4]
	if c.Status != CheckFailed || !strings.Contains(c.Message, "certificate") {
		t.Errorf("dex-open without RootCAs: %s", c)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestPreflightDoesNotMutate: Preflight converts afresh for Dex, whose Open
// writes into its Config; the caller's entry stays as it was.
func TestPreflightDoesNotMutate(t *testing.T) {
	srv, caPEM := provider{tls: true, serve: serveDoc(same, map[string]any{"code_challenge_methods_supported": []string{"S256"}})}.start(t)
	e := preflightEntry(srv.URL)
	e.OIDC.RootCAs = []string{}
	before := e.String()
	if err := Run(context.Background(), []pachidp.UpstreamIDP{e}, Options{RootCAs: caPEM}).Err(); err != nil {
		t.Fatal(err)
	}
	if e.OIDC.PKCEChallenge != "" || len(e.OIDC.RootCAs) != 0 || e.String() != before {
		t.Errorf("Preflight changed the entry")
	}
}

func TestCheckStatusString(t *testing.T) {
	for s, want := range map[CheckStatus]string{CheckPassed: "passed", CheckFailed: "failed", CheckSkipped: "skipped", 7: "CheckStatus(7)"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(s), s.String(), want)
		}
	}
}

// FuzzParseDiscovery: any body gives either a document or a message, never a
// panic, and a message never quotes the body (which could hold anything).
func FuzzParseDiscovery(f *testing.F) {
	const marker = "Quoted-Body-Marker-77"
	for _, seed := range []string{
		`{"issuer": "https://idp.example/", "grant_types_supported": ["authorization_code"]}`,
		`{"issuer": "` + marker + `"`,
		`{"issuer": 12, "x": "` + marker + `"}`,
		`["` + marker + `"]`,
		`null`, ``, `<html>` + marker,
		`{"grant_types_supported": "` + marker + `"}`,
	} {
		f.Add([]byte(seed), "application/json")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		const wellKnown = "https://idp.example/.well-known/openid-configuration"
		doc, msg := parseDiscovery(body, contentType, wellKnown)
		if msg == "" {
			if !json.Valid(body) {
				t.Errorf("invalid JSON accepted")
			}
			return
		}
		if doc.issuer != "" || doc.grantTypes != nil {
			t.Errorf("a failed parse returned fields")
		}
		if strings.Contains(string(body), marker) && strings.Contains(msg, marker) && !strings.Contains(contentType, marker) {
			t.Errorf("the message quotes the body")
		}
	})
}
