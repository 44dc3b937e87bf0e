package oidctest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

const (
	clientID     = "client-1"
	clientSecret = "fake-secret-oidctest"
	redirect     = "https://rp.example.com/callback"
)

// authorize runs /authorize and returns the code.
func authorize(t *testing.T, p *Provider, extra url.Values) string {
	t.Helper()
	q := url.Values{"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"openid email"}, "state": {"st"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := p.Client().Get(p.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st" {
		t.Fatalf("state not returned")
	}
	return loc.Query().Get("code")
}

// exchange posts to /token and returns the status and decoded body.
func exchange(t *testing.T, p *Provider, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	if !basic {
		form.Set("client_id", clientID)
		form.Set("client_secret", form.Get("secret"))
	}
	secret := form.Get("secret")
	form.Del("secret")
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	resp, err := p.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestProvider(t *testing.T) {
	p := New(t, Options{ClientID: clientID, ClientSecret: clientSecret, IssuerTrailingSlash: true,
		User: User{Subject: "s1", Email: "a@example.com", EmailVerified: true, Groups: []string{"g"}}})

	t.Run("discovery names the configured issuer", func(t *testing.T) {
		resp, err := p.Client().Get(p.URL + "/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var doc map[string]any
		json.NewDecoder(resp.Body).Decode(&doc)
		if doc["issuer"] != p.URL+"/" || p.Issuer != p.URL+"/" {
			t.Errorf("issuer = %v, Provider.Issuer = %q, want %q", doc["issuer"], p.Issuer, p.URL+"/")
		}
	})

	t.Run("token with basic auth, ID token verifies with the JWKS", func(t *testing.T) {
		code := authorize(t, p, url.Values{"nonce": {"n1"}})
		status, body := exchange(t, p, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {redirect}, "secret": {clientSecret}}, true)
		if status != http.StatusOK {
			t.Fatalf("token: status %d, %v", status, body["error"])
		}
		raw, _ := body["id_token"].(string)
		jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := p.Client().Get(p.URL + "/keys")
		if err != nil {
			t.Fatal(err)
		}
		var set jose.JSONWebKeySet
		json.NewDecoder(resp.Body).Decode(&set)
		resp.Body.Close()
		payload, err := jws.Verify(set.Keys[0].Key)
		if err != nil {
			t.Fatalf("ID token does not verify: %v", err)
		}
		var claims map[string]any
		json.Unmarshal(payload, &claims)
		if claims["iss"] != p.Issuer || claims["aud"] != clientID || claims["sub"] != "s1" ||
			claims["email"] != "a@example.com" || claims["email_verified"] != true || claims["nonce"] != "n1" {
			t.Errorf("claims = %v", claims)
		}

		// userinfo accepts the access token, and only it.
		req, _ := http.NewRequest(http.MethodGet, p.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+body["access_token"].(string))
		resp, err = p.Client().Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("userinfo: %v, %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		req.Header.Set("Authorization", "Bearer nope")
		if resp, _ = p.Client().Do(req); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("userinfo with an unknown token: status %d", resp.StatusCode)
		}
		resp.Body.Close()
	})

	tests := []struct {
		name  string
		authz url.Values // extra /authorize parameters
		form  url.Values // /token form beyond grant_type and code
		basic bool
		want  string // OAuth error, "" for success
	}{
		{"client_secret_post", nil, url.Values{"redirect_uri": {redirect}, "secret": {clientSecret}}, false, ""},
		{"wrong secret", nil, url.Values{"redirect_uri": {redirect}, "secret": {"other"}}, true, "invalid_client"},
		{"other redirect_uri", nil, url.Values{"redirect_uri": {redirect + "2"}, "secret": {clientSecret}}, true, "invalid_grant"},
		{"PKCE S256 met", url.Values{"code_challenge": {s256("verifier-1")}, "code_challenge_method": {"S256"}},
			url.Values{"redirect_uri": {redirect}, "secret": {clientSecret}, "code_verifier": {"verifier-1"}}, true, ""},
		{"PKCE S256 wrong verifier", url.Values{"code_challenge": {s256("verifier-1")}, "code_challenge_method": {"S256"}},
			url.Values{"redirect_uri": {redirect}, "secret": {clientSecret}, "code_verifier": {"verifier-2"}}, true, "invalid_grant"},
		{"PKCE missing verifier", url.Values{"code_challenge": {"abc"}, "code_challenge_method": {"plain"}},
			url.Values{"redirect_uri": {redirect}, "secret": {clientSecret}}, true, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := authorize(t, p, tt.authz)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
			for k, v := range tt.form {
				form[k] = v
			}
			status, body := exchange(t, p, form, tt.basic)
			got, _ := body["error"].(string)
			if got != tt.want || (tt.want == "" && status != http.StatusOK) {
				t.Errorf("token: status %d error %q, want error %q", status, got, tt.want)
			}
		})
	}

	t.Run("codes are single use", func(t *testing.T) {
		code := authorize(t, p, nil)
		form := func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "secret": {clientSecret}}
		}
		if status, _ := exchange(t, p, form(), true); status != http.StatusOK {
			t.Fatalf("first exchange: status %d", status)
		}
		if _, body := exchange(t, p, form(), true); body["error"] != "invalid_grant" {
			t.Errorf("second exchange: %v, want invalid_grant", body["error"])
		}
	})

	t.Run("authorize refuses an unknown client", func(t *testing.T) {
		resp, err := p.Client().Get(p.URL + "/authorize?client_id=other&response_type=code&scope=openid&redirect_uri=" + url.QueryEscape(redirect))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d, want 400", resp.StatusCode)
		}
	})
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
