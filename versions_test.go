package pachidp

import (
	"slices"
	"strings"
	"testing"
)

// mustTarget is ParseTarget for tests.
func mustTarget(s string) Target {
	t, err := ParseTarget(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in, want string // want: the line's name, or "" for an error
	}{
		{"2.0.0", "2.0.0-2.0.2"},
		{"2.0.2", "2.0.0-2.0.2"},
		{"2.0.3", "2.0.3-2.2"},
		{"v2.2.7", "2.0.3-2.2"},
		{"pachyderm-2.3.9", "2.3.6-2.3.9"},
		{"2.3.6", "2.3.6-2.3.9"},
		{"2.3.5", "2.3.0-2.3.5"},
		{"2.3", "2.3.0-2.3.5"},
		{"2.4.0", "2.4"},
		{"2.4.6", "2.4"},
		{"2.5.0", "2.5-2.6"},
		{"2.6.0", "2.5-2.6"},
		{"2.7.0", "2.7-2.11"},
		{"2.11.6", "2.7-2.11"},
		{"2.11.6+build.3", "2.7-2.11"},
		{"2.11.0-rc.1", "2.7-2.11"},
		{"2.12.0-alpha.1", "2.12.0-rc.1"},
		{"2.12.0-alpha.3", "2.12.0-rc.1"},
		{"2.12.0-rc.1", "2.12.0-rc.1"},
		{"2.12.0-alpha.4", "2.12"},
		{"2.12.0-rc.2", "2.12"},
		{"2.12.0-rc.3", "2.12"},
		{"2.12.0", "2.12"},
		{"2.12.3", "2.12"},
		{"master", "2.12"},
		{"", "2.12"},
		{"2.7-2.11", "2.7-2.11"},
		{"dex-v2.45.1", "dex-v2.45.1"},
		{"upstream", "dex-v2.45.1"},
		{"1.13.0", ""},
		{"2.13.0", ""},
		{"3.0", ""},
		{"2", ""},
		{"2.x", ""},
		{"2..1", ""},
		{"2.11.3.4", ""},
		{"2.-1", ""},
		{"2.11.0-", ""},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseTarget(%q) = %s, want an error", tt.in, got.Name())
		case tt.want != "" && err != nil:
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
		case tt.want != "" && got.Name() != tt.want:
			t.Errorf("ParseTarget(%q) = %s, want %s", tt.in, got.Name(), tt.want)
		}
	}
}

func TestParseTargetErrorNamesTheLines(t *testing.T) {
	_, err := ParseTarget("2.13.0")
	if err == nil || !strings.Contains(err.Error(), "2.0.3-2.2") || !strings.Contains(err.Error(), "dex-v2.45.1") {
		t.Fatalf("ParseTarget(2.13.0) error = %v, want one naming the modelled lines", err)
	}
}

func TestTargets(t *testing.T) {
	ts := Targets()
	if len(ts) != len(releaseLines)+1 || ts[len(ts)-1] != TargetUpstreamDex {
		t.Fatalf("Targets() = %v", ts)
	}
	seen := map[string]bool{}
	for _, tg := range ts {
		if seen[tg.Name()] {
			t.Errorf("two targets named %s", tg.Name())
		}
		seen[tg.Name()] = true
		back, err := ParseTarget(tg.Name())
		if err != nil || back != tg {
			t.Errorf("ParseTarget(%q) = %v, %v; want the same target back", tg.Name(), back, err)
		}
	}
	if (Target{}).Name() != newestLine.name || (Target{}).IsUpstreamDex() {
		t.Errorf("the zero Target is %s, want the newest Pachyderm line", Target{}.Name())
	}
	if !TargetUpstreamDex.IsUpstreamDex() || TargetUpstreamDex.String() != "upstream Dex v2.45.1" {
		t.Errorf("TargetUpstreamDex = %s", TargetUpstreamDex)
	}
}

// TestChartRules pins the table's chart rows to the release tags that
// decide them (git show <tag>:etc/helm/pachyderm/...; see chartRules).
func TestChartRules(t *testing.T) {
	tests := []struct {
		version                                       string
		bootstrap, fromEnabledOnly, fromProxyHost     bool
		httpsOverride, gated, proxy, proxyOnByDefault bool
	}{
		{"2.0.0", true, false, false, false, true, false, false},
		{"2.0.3", true, false, false, true, true, false, false},
		{"2.2.7", true, false, false, true, true, false, false},
		{"2.3.0", false, true, false, true, true, true, false},
		{"2.3.5", false, true, false, true, true, true, false},
		{"2.3.6", false, true, true, true, true, true, false},
		{"2.4.6", false, true, true, true, true, true, false},
		{"2.5.0", false, true, true, true, true, true, true},
		{"2.11.6", false, true, true, true, true, true, true},
		{"2.12.0-alpha.3", false, true, true, true, true, true, true},
		{"2.12.0-rc.1", false, true, true, true, true, true, true},
		{"2.12.0-alpha.4", false, true, true, true, false, true, true},
		{"2.12.0-rc.2", false, true, true, true, false, true, true},
		{"2.12.0", false, true, true, true, false, true, true},
	}
	for _, tt := range tests {
		r := mustTarget(tt.version).rl().chart
		want := chartRules{bootstrap: tt.bootstrap, issuerFromEnabledOnly: tt.fromEnabledOnly, issuerFromProxyHost: tt.fromProxyHost,
			httpsOverride: tt.httpsOverride, enterpriseGated: tt.gated, proxy: tt.proxy, proxyDefault: tt.proxyOnByDefault}
		if r != want {
			t.Errorf("%s: chart rules %+v, want %+v", tt.version, r, want)
		}
	}
}

// TestDexConfigTables loads the key table of every Dex of the version table
// and checks what the rules rely on. The tables themselves are checked
// against the real config structs by the conformance modules.
func TestDexConfigTables(t *testing.T) {
	for _, d := range allDexVersions() {
		tab := d.table()
		if !strings.HasPrefix(d.module, tab.Dex) {
			t.Errorf("dexconfig/%s.json is of %q, the version table says %q", d.name, tab.Dex, d.module)
		}
		oidc := d.connector(typeOIDC)
		if oidc == nil || oidc.Kind != "object" {
			t.Fatalf("%s: no oidc connector", d.name)
		}
		for _, k := range []string{"issuer", "clientID", "clientSecret", "redirectURI", "insecureSkipEmailVerified"} {
			if _, f := oidc.field(k); f == nil {
				t.Errorf("%s: oidc has no %s", d.name, k)
			}
		}
		_, roots := oidc.field("rootCAs")
		if (roots != nil) != (d.rootCAs != rootCAsIgnored) {
			t.Errorf("%s: rootCAs in the table: %t; the version table says mode %d", d.name, roots != nil, d.rootCAs)
		}
		_, skip := oidc.field("insecureSkipIssuerCallbackDomainCheck")
		if (skip != nil) == d.upstream {
			t.Errorf("%s: insecureSkipIssuerCallbackDomainCheck in the table: %t", d.name, skip != nil)
		}
		if !slices.Contains(d.types(), "samlExperimental") {
			t.Errorf("%s: no samlExperimental type", d.name)
		}
	}
}

func TestSchemaFieldMatchesLikeEncodingJSON(t *testing.T) {
	oidc := newestLine.dex.connector(typeOIDC)
	for _, k := range []string{"clientID", "ClientID", "CLIENTID", "clientid"} {
		if name, f := oidc.field(k); f == nil || name != "clientID" {
			t.Errorf("field(%q) = %q, want clientID", k, name)
		}
	}
	if _, f := oidc.field("client_id"); f != nil {
		t.Errorf("field(client_id) matched: encoding/json does not fold underscores")
	}
}

func TestJSONFits(t *testing.T) {
	n := func(kind string) *schemaNode { return &schemaNode{Kind: kind} }
	tests := []struct {
		v    any
		node *schemaNode
		want bool
	}{
		{"x", n("string"), true},
		{int64(5), n("string"), false},
		{true, n("bool"), true},
		{"false", n("bool"), false},
		{int64(5), n("int"), true},
		{5.5, n("int"), false},
		{int64(-1), n("uint"), false},
		{"5", n("int"), false},
		{1.5, n("float"), true},
		{"aGVsbG8=", n("bytes"), true},
		{"not base64!", n("bytes"), false},
		{[]any{"a"}, n("array"), true},
		{"a", n("array"), false},
		{map[string]any{}, n("object"), true},
		{[]any{}, n("object"), false},
	}
	for _, tt := range tests {
		if got := jsonFits(tt.v, tt.node); got != tt.want {
			t.Errorf("jsonFits(%#v, %s) = %t, want %t", tt.v, tt.node.Kind, got, tt.want)
		}
	}
}
