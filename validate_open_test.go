package pachidp

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"slices"
	"strings"
	"testing"
)

// TestOpenRulesFromProbes holds the library to what the probes of each
// Dex's conformance module found by running Open and LoginURL
// (dexconfig/<name>.json, "rules"): for every target, every type its Dex
// registers, the realistic config the real code accepts has no error, and
// every config the real code refused has an error at the key the rule names
// with the fate of the stage that refused on that target. A probe that finds
// a rule the library does not apply fails here.
func TestOpenRulesFromProbes(t *testing.T) {
	checked := 0
	for _, target := range Targets() {
		d := target.rl().dex
		configPod := target.rl().pachd.kind == decoderConfigPod
		for _, typ := range d.types() {
			r := d.openRulesOf(typ)
			if r == nil {
				t.Errorf("dexconfig/%s.json has no probed rules for %s: run its conformance module with -update", d.name, typ)
				continue
			}
			if r.Realistic == nil {
				t.Errorf("dexconfig/%s.json: %s has no realistic config", d.name, typ)
				continue
			}
			fs := validateOne(t, target, typ, r.Realistic, configPod)
			if errs := fs.Errors(); len(errs) > 0 {
				t.Errorf("%s %s: the realistic config the real Open accepts has errors:%s", target.Name(), typ, describeFindings(errs))
			}
			check := func(kind string, key string, other []string, stage, realErr string, cfg map[string]any) {
				t.Helper()
				checked++
				want := FateLoginFails
				if stage == "open" {
					want = openFateOf(target)
				}
				fs := validateOne(t, target, typ, cfg, configPod)
				cfgKey := "config"
				if configPod {
					cfgKey = "jsonConfig"
				}
				base := "oidc.upstreamIDPs[0]." + cfgKey
				paths := []string{base, base + "." + key}
				for _, o := range other {
					paths = append(paths, base+"."+o)
				}
				for _, f := range fs.Errors() {
					at := slices.Contains(paths, f.Path) || strings.HasPrefix(f.Path, base+"."+key+".") || strings.HasPrefix(f.Path, base+"."+key+"[")
					if at && (f.Fate == want || target.IsUpstreamDex() && f.Fate == FatePachdCrash) {
						return
					}
				}
				t.Errorf("%s %s: the real %s refuses %s %s (%s: %s); pachidp has no %s error there:%s",
					target.Name(), typ, stage, kind, key, stage, realErr, want, describeFindings(fs))
			}
			for _, q := range r.Required {
				check("without", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Requires {
				check("alone", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Conflicts {
				check("together with "+strings.Join(q.Other, ", "), q.Key, q.Other, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Enums {
				check("a value of", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Refused {
				check("any value of", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Forms {
				check("the form "+q.Form+" of", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.Certificates {
				check("base64 DER in", q.Key, nil, q.Stage, q.Error, q.Config)
			}
			for _, q := range r.FileRequires {
				if !target.IsUpstreamDex() {
					check("a missing file, with "+strings.Join(q.Other, " or ")+", in", q.Key, q.Other, q.Stage, q.Error, q.Config)
					continue
				}
				// Upstream Dex's pod is its operator's: the file is a risk.
				if !slices.ContainsFunc(validateOne(t, target, typ, q.Config, configPod), func(f Finding) bool {
					return f.Rule == "file-path" && strings.HasSuffix(f.Path, "."+q.Key)
				}) {
					t.Errorf("%s %s: Open reads the file of %s with %v set; pachidp has no file-path finding there", target.Name(), typ, q.Key, q.Other)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d probed rules: dexconfig/ has lost its rules", checked)
	}
}

// validateOne validates one entry of typ with cfg as its config (as
// jsonConfig on 2.0-2.2, whose config Job reads nothing else).
func validateOne(t *testing.T, target Target, typ string, cfg map[string]any, configPod bool) Findings {
	t.Helper()
	m := map[string]any{"type": typ, "id": "probe", "name": "Probe"}
	if configPod {
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m["jsonConfig"] = string(b)
	} else {
		m["config"] = cfg
	}
	e, err := UpstreamIDPFromMap(m)
	if err != nil {
		t.Fatalf("%s %s: %v", target.Name(), typ, err)
	}
	return Validate([]UpstreamIDP{e}, ValidateOptions{Target: target, DexIssuer: defaultDexIssuer})
}

// openFateOf is the fate of a failing Open on a target (rules.go, openFate).
func openFateOf(target Target) Fate {
	c := &entryCheck{validation: &validation{opts: ValidateOptions{Target: target}}}
	return c.openFate()
}

// TestOpenRuleMessages: the findings of probed rules name the place and the
// fix.
func TestOpenRuleMessages(t *testing.T) {
	for _, tt := range []struct {
		typ  string
		cfg  map[string]any
		rule string
		path string
		msg  string
	}{
		{"ldap", map[string]any{"host": "ldap.example.com", "userSearch": map[string]any{"baseDN": "dc=example", "username": "uid", "scope": "SUB"}},
			"unknown-value", "config.userSearch.scope", `the ldap connector's Open refuses "SUB" (values are case-sensitive): use "sub"`},
		{"ldap", map[string]any{"host": "ldap.example.com", "userSearch": map[string]any{"baseDN": "dc=example", "username": "uid", "scope": "everything"}},
			"unknown-value", "config.userSearch.scope", `the ldap connector's Open refuses "everything": use "sub" or "one", or delete the key`},
		{"ldap", map[string]any{"host": "ldap.example.com", "userSearch": map[string]any{"baseDN": "dc=example"}},
			"required", "config.userSearch.username", `missing: the ldap connector's Open needs userSearch.username`},
		{"github", map[string]any{"clientID": "x", "clientSecret": "canary-secret-0000", "redirectURI": defaultDexIssuer + "/callback", "rootCA": "/dexcreds/ca.pem"},
			"requires-key", "config.rootCA", `the github connector's Open refuses rootCA without hostName: set hostName, or delete rootCA`},
		{"github", map[string]any{"clientID": "x", "clientSecret": "canary-secret-0000"},
			"required", "config.redirectURI", `missing: the github connector's LoginURL compares redirectURI with Dex's callback, so every login fails: add redirectURI: "https://pachyderm.example.com/dex/callback"`},
		{"saml", map[string]any{"ssoURL": "https://idp.example.com/sso", "redirectURI": defaultDexIssuer + "/callback", "usernameAttr": "name", "emailAttr": "email"},
			"required", "config.caData", `missing: the saml connector's Open needs caData (or ca, or insecureSkipSignatureValidation: true)`},
		{"saml", map[string]any{"ssoURL": "https://idp.example.com/sso", "redirectURI": defaultDexIssuer + "/callback", "usernameAttr": "name", "emailAttr": "email", "insecureSkipSignatureValidation": true, "nameIDPolicyFormat": "EmailAddress"},
			"unknown-value", "config.nameIDPolicyFormat", `the saml connector's Open refuses "EmailAddress" (values are case-sensitive): use "emailAddress"`},
		{"microsoft", map[string]any{"clientID": "x", "clientSecret": "canary-secret-0000", "redirectURI": defaultDexIssuer + "/callback", "groupNameFormat": "displayName"},
			"unknown-value", "config.groupNameFormat", `the microsoft connector's Open refuses "displayName": use "id" or "name", or delete the key`},
		{"github", map[string]any{"clientID": "x", "clientSecret": "canary-secret-0000", "redirectURI": defaultDexIssuer + "/callback", "hostName": "https://github.acme.com"},
			"unknown-value", "config.hostName", `the github connector's Open refuses a hostName with "/": write the host name only, such as "github.acme.com" (no scheme, no path)`},
		{"saml", map[string]any{"ssoURL": "https://idp.example.com/sso", "redirectURI": defaultDexIssuer + "/callback", "usernameAttr": "name", "emailAttr": "email", "caData": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"},
			"root-ca-invalid", "config.caData", `caData is the base64 of DER, not of PEM: give the base64 of the PEM file, BEGIN/END lines too (base64 -w0 ca.pem)`},
	} {
		fs := validateOne(t, Target{}, tt.typ, tt.cfg, false)
		found := false
		for _, f := range fs {
			if string(f.Rule) == tt.rule && f.Path == "oidc.upstreamIDPs[0]."+tt.path {
				found = true
				if f.Message != tt.msg {
					t.Errorf("%s %s: message %q, want %q", tt.typ, tt.path, f.Message, tt.msg)
				}
				if f.Fate != FatePachdCrash && f.Fate != FateLoginFails {
					t.Errorf("%s %s: fate %s", tt.typ, tt.path, f.Fate)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s at %s:%s", tt.typ, tt.rule, tt.path, describeFindings(fs))
		}
	}
}

// TestCertificateDecoding: a certificate followed by text or by a key block
// is what AppendCertsFromPEM reads (ldap, gitlab: decoding "some"), and what
// saml's own loop refuses (decoding "all"); the base64 of the DER fails
// both (corpus type-*-root-ca-data-trailing, type-saml-ca-data-trailing,
// type-*-der).
func TestCertificateDecoding(t *testing.T) {
	pemData, err := base64.StdEncoding.DecodeString(testCAData)
	if err != nil {
		t.Fatal(err)
	}
	keyBlock := []byte("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n")
	b, _ := pem.Decode(pemData)
	der := b.Bytes
	for _, tc := range []struct {
		name     string
		data     []byte
		some, al bool // no problem for "some", for "all"
	}{
		{"pem", pemData, true, true},
		{"comment after", append(slices.Clip(pemData), "# comment\n"...), true, false},
		{"key after", append(slices.Clip(pemData), keyBlock...), true, false},
		{"key only", keyBlock, false, false},
		{"der", der, false, false},
	} {
		if got := someCertProblem(tc.data) == ""; got != tc.some {
			t.Errorf("%s: someCertProblem = %q", tc.name, someCertProblem(tc.data))
		}
		if got := notPEMCertificates(tc.data) == ""; got != tc.al {
			t.Errorf("%s: notPEMCertificates = %q", tc.name, notPEMCertificates(tc.data))
		}
	}
	if got := someCertProblem(der); got != "is the base64 of DER, not of PEM" {
		t.Errorf("someCertProblem(der) = %q", got)
	}
}

// testCAData is the base64 PEM of conformance/corpus/type-saml-ok.yaml.
const testCAData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFekNDQWZ1Z0F3SUJBZ0lVRU5hbWtHbjlsR01lZHZZLytxTFZaM1daRU4wd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0dURVhNQlVHQTFVRUF3d09ZMkZ1WVhKNUlHWmhhMlVnUTBFd0hoY05Nall4TWpBeE1ERTFOekk0V2hjTgpNell4TVRJNE1ERTFOekk0V2pBWk1SY3dGUVlEVlFRRERBNWpZVzVoY25rZ1ptRnJaU0JEUVRDQ0FTSXdEUVlKCktvWklodmNOQVFFQkJRQURnZ0VQQURDQ0FRb0NnZ0VCQUxXdXprRWNyZ3dVQTNXcW5UL1NlT000YjFCV2NDemEKcVlYM2FmRXlIWUFFemFyMlk3RkRKL2UzQjdMYUE0Ritnb05NY3NRUW5JWDFqS2RDR1pMckJKd1FUbmpMMlpIVQpKZG5QbVE0SURKOU5HcWhLN21iK3hrV2srN0xUMHVRd0FJaGxMTGRJaWsvNmR0UWpZQmpQK2w1RXFtUnN5OTFECmRhbHpyZVMrbjRKZkxBRHZMdmNJNU5IUE9HTUw5d1UzcmZmWnlUa3pHT2xyazdoM2VudXN3a0U3Ukc3K3BYZUEKd3crVTJOOEpJTVRSaXpId25vVG4wSXg4ZnJKKzAvMGVlV3F4TFJ1Q2ZQbE1HYWVDRlFaTWNIZE1KMnBOMGh3UwpDczcvRVhPbGpRUU4zWjhaOFhsamh1NHBpN3UralJ3Yk9RQ0svMWdNQmQvcnpaRFk5UkJkaVVjQ0F3RUFBYU5UCk1GRXdIUVlEVlIwT0JCWUVGRDQ0VUIrWVJzMlJDdDFGWlhodkp6U29KSWdqTUI4R0ExVWRJd1FZTUJhQUZENDQKVUIrWVJzMlJDdDFGWlhodkp6U29KSWdqTUE4R0ExVWRFd0VCL3dRRk1BTUJBZjh3RFFZSktvWklodmNOQVFFTApCUUFEZ2dFQkFLb080bDN6bmE0VVVJMktQYzZjV0dORGI0R2JUVU80SnBsMGxOdDZyVGlsY2t5VmlLbUtJL2t0CjhkU2VNWGE3cFRVV3B0ZGJPbTlVMFQyRWFPTmx1bHRXZ1RnK2EzQlovcUx4YVhvL240M1AzZVJxclRsZ2hPN1EKSVBvSkxDdG53dlpBTWVONWQweTZLbmtBYlpPL0MwVFZ5REZOVTg5dXFPdXpOVitURmRxOHpCZ0Rzb1NRQ0h2TQpGRkdqS2RaYjNiRVl1THMvZHR5YXEvaFF5ZFg1RzZaUlJEM1lSRmJya3Zvc2d2RUtnUHVGVVNVSldKYnNTanpaCmZwNkpiZHF4ZUxYMkh2dGxmNjl0eU45bmt6ejk5QllBYTlnZzN5VUoycyt5V0o2djJvVVQzYitZN3RDNitSeTMKYlNGOXZXVHBOY0hHMkcrSzJqZTl6RmRIaUl2dEJsWT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
