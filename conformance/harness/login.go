package harness

import (
	"encoding/json"
	"strings"
	"testing"
)

// RunEmailVerified runs a whole login through the version's real oidc
// connector against the World's Auth0 tenant, whose ID tokens carry
// email_verified true, false or nothing, with insecureSkipEmailVerified
// false and true. It proves, per Dex version, the rule the presets'
// default rests on (connector/oidc/oidc.go, the email_verified lookup in
// HandleCallback): the setting is read only when the claim is missing.
func RunEmailVerified(t *testing.T, s Setup) {
	if s.Dex.Callback == nil {
		t.Skip("no Callback glue")
	}
	if _, err := Install(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	tests := []struct {
		claim        *bool
		skip         bool
		wantErr      string
		wantVerified bool
	}{
		{&yes, false, "", true},
		{&no, false, "", false},
		{nil, false, `missing "email_verified" claim`, false},
		{nil, true, "", true},
		{&yes, true, "", true},
	}
	const callback = "https://pachyderm.example.com/dex/callback"
	for _, tt := range tests {
		code := LoginCode(tt.claim)
		t.Run(strings.TrimPrefix(code, codePrefix)+map[bool]string{true: "/skip", false: "/noskip"}[tt.skip], func(t *testing.T) {
			conf, ok := s.Dex.New("oidc")
			if !ok {
				t.Fatal("no oidc connector type")
			}
			config, _ := json.Marshal(map[string]any{
				"issuer": "https://acme.us.auth0.com/", "clientID": "pachyderm", "clientSecret": "fake-world-secret",
				"redirectURI": callback, "insecureSkipEmailVerified": tt.skip,
			})
			if err := json.Unmarshal(config, conf); err != nil {
				t.Fatal(err)
			}
			conn, err := s.Dex.Open(conf, "auth0")
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Dex.close(conn)
			verified, err := s.Dex.Callback(conn, callback, code)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("login: err = %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("login: %v", err)
			case verified != tt.wantVerified:
				t.Errorf("EmailVerified = %v, want %v", verified, tt.wantVerified)
			}
		})
	}
}
