package pachidp

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/presetflag"
)

// TestProviderIssuerRoundTrip: every issuer a preset builds is recognised
// by validation as its own provider's, in the form the provider uses, so
// that the one path function of a row serves both.
func TestProviderIssuerRoundTrip(t *testing.T) {
	shared := sharedFields{ClientID: "c", ClientSecret: "s", ProxyHost: "pachyderm.example.com"}
	tests := []struct {
		p     *knownProvider
		parts issuerParts
		want  string
	}{
		{auth0Provider, issuerParts{host: "acme.us.auth0.com"}, "https://acme.us.auth0.com/"},
		{oktaProvider, issuerParts{host: "acme.okta.com"}, "https://acme.okta.com"},
		{oktaProvider, issuerParts{host: "acme.okta.com", serverID: "default"}, "https://acme.okta.com/oauth2/default"},
		{keycloakProvider, issuerParts{host: "kc.acme.com", realm: "pachyderm"}, "https://kc.acme.com/realms/pachyderm"},
		{keycloakProvider, issuerParts{host: "kc.acme.com", base: "/auth", realm: "pachyderm"}, "https://kc.acme.com/auth/realms/pachyderm"},
		{entraProvider, issuerParts{tenant: "8F2E1C4A-0B9D-4E6F-A1C3-5D7B9E0F2A4C"}, "https://login.microsoftonline.com/8f2e1c4a-0b9d-4e6f-a1c3-5d7b9e0f2a4c/v2.0"},
		{googleProvider, issuerParts{}, googleIssuer},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			e, err := tc.p.entry(tc.parts, shared)
			if err != nil {
				t.Fatal(err)
			}
			if e.OIDC.Issuer != tc.want {
				t.Fatalf("issuer %q, want %q", e.OIDC.Issuer, tc.want)
			}
			u, err := url.Parse(e.OIDC.Issuer)
			if err != nil {
				t.Fatal(err)
			}
			if got := providerOf(u.Hostname(), u.Path); got != tc.p {
				t.Fatalf("recognised as %v, want %s", got, tc.p.name)
			}
			if path, ok := providerPath(u.Hostname(), u.Path); !ok || path != u.Path {
				t.Errorf("providerPath = %q, %v; want %q", path, ok, u.Path)
			}
		})
	}
}

// TestProviderTable: every row names a preset whose fields its flags name,
// and every preset of the package has a row.
func TestProviderTable(t *testing.T) {
	names := map[string]bool{}
	for _, p := range providers {
		for _, n := range append([]string{p.name}, p.aliases...) {
			if names[n] {
				t.Errorf("%s: the name %q is taken", p.name, n)
			}
			names[n] = true
		}
		if p.title == "" || p.id == "" || p.preset == nil {
			t.Errorf("%s: title, id and preset are needed", p.name)
			continue
		}
		if !reflect.PointerTo(p.preset).Implements(reflect.TypeFor[preset]()) {
			t.Errorf("%s: %s is no Preset", p.name, p.preset)
		}
		for _, f := range p.flags {
			if sf, ok := p.preset.FieldByName(f.Field); !ok || sf.Type.Kind() != reflect.String {
				t.Errorf("%s: --%s sets %s, which is no string field of %s", p.name, f.Flag, f.Field, p.preset)
			}
		}
		if (p.path == nil) != (p.parse == nil) || p.path != nil && (p.rule == "" || p.form == "") {
			t.Errorf("%s: an issuer form needs parse, path, rule and form", p.name)
		}
	}
}

// TestPresetFlagTable: the command line's table (internal/presetflag) is
// the providers' table: each Info builds its row's preset from fields named
// as the preset's Go fields, and refuses a field it lacks or a value of the
// wrong type.
func TestPresetFlagTable(t *testing.T) {
	infos := presetflag.Presets()
	if len(infos) != len(providers) {
		t.Fatalf("%d presets for the command line, %d providers", len(infos), len(providers))
	}
	for i, info := range infos {
		fields := map[string]any{"ClientID": "c", "ClientSecret": "s", "ID": "x", "InsecureEnableGroups": new(false), "InsecureSkipEmailVerified": nil}
		for _, f := range info.Flags {
			fields[f.Field] = "v"
		}
		p, err := info.New(fields)
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		if info.Name != providers[i].name || reflect.TypeOf(p) != providers[i].preset {
			t.Errorf("%s: got a %T", info.Name, p)
		}
		if _, ok := p.(preset); !ok {
			t.Errorf("%s: %T is not a Preset", info.Name, p)
		}
		v := reflect.ValueOf(p)
		if v.FieldByName("ID").String() != "x" || *v.FieldByName("InsecureEnableGroups").Interface().(*bool) {
			t.Errorf("%s: fields not set: %v", info.Name, p)
		}
	}
	for _, bad := range []map[string]any{{"Nope": "x"}, {"ClientID": 1}} {
		if _, err := infos[0].New(bad); err == nil {
			t.Errorf("New(%v): no error", bad)
		}
	}
	var okta presetflag.Info
	for _, info := range infos {
		if info.Name == "okta" {
			okta = info
		}
	}
	var flags []string
	for _, f := range okta.Flags {
		flags = append(flags, "--"+f.Flag+"="+f.Field)
	}
	if got := strings.Join(flags, " "); got != "--domain=Domain --authorization-server=AuthorizationServerID" {
		t.Errorf("okta's flags: %s", got)
	}
}
