package pachidp

import (
	"slices"
	"strings"
	"testing"
)

// TestDexConfigTables loads the key table of every Dex of the version table
// and checks what the rules rely on. The tables themselves are checked
// against the real config structs by the conformance modules.
func TestDexConfigTables(t *testing.T) {
	for _, d := range allDexVersions() {
		tab := d.table()
		if !strings.HasPrefix(d.module, tab.Dex) {
			t.Errorf("dexconfig/%s.json is of %q, the version table says %q", d.name, tab.Dex, d.module)
		}
		oidc := d.connector(TypeOIDC)
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
	oidc := newestLine.dex.connector(TypeOIDC)
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
