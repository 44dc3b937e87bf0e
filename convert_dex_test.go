package pachidp

import (
	"bytes"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
)

// lossPaths returns the paths of losses, sorted.
func lossPaths(ls []Loss) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Path
	}
	sort.Strings(out)
	return out
}

func findLoss(ls []Loss, path string) (Loss, bool) {
	for _, l := range ls {
		if l.Path == path {
			return l, true
		}
	}
	return Loss{}, false
}

func lossLines(ls []Loss) []byte {
	var b bytes.Buffer
	for _, l := range ls {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// noSecretIn fails when a secret value shows in any loss.
func noSecretIn(t *testing.T, ls []Loss, secrets ...string) {
	t.Helper()
	for _, l := range ls {
		for _, s := range secrets {
			if strings.Contains(l.String(), s) {
				t.Errorf("loss at %s shows a secret", l.Path)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Dex config files

func TestDecodeDexConnectorsFile(t *testing.T) {
	data := readTestdata(t, "dex/dex-config.yaml")
	idps, losses, err := DecodeDexConnectors(data, DexFileOptions{})
	if err != nil {
		t.Fatalf("DecodeDexConnectors: %v", err)
	}
	if len(idps) != 4 {
		t.Fatalf("got %d connectors, want 4 (staticClients are not connectors)", len(idps))
	}
	gh := idps[2]
	if gh.Type != "github" || gh.ID != "gh" || gh.Name != "GitHub" || gh.Extra != nil || gh.ConfigVersion != 0 {
		t.Errorf("case-insensitive keys not read as Dex does: type %q id %q name %q extra %v", gh.Type, gh.ID, gh.Name, gh.Extra)
	}
	if got := idps[0].OIDC.ClientID; got != "$AUTH0_CLIENT_ID" {
		t.Errorf("clientID = %q, want the reference carried verbatim", got)
	}
	// Positions point into the file.
	l, ok := findLoss(losses, "connectors[1].config.bindPW")
	if !ok || l.Pos.Line != 37 {
		t.Errorf("bindPW loss = %+v, want one at line 37", l)
	}
	if p := idps[1].Pos("config.bindPW"); p.Line != 37 {
		t.Errorf("entry position of config.bindPW = %v, want line 37", p)
	}
	noSecretIn(t, losses, "fake-")
	if l, _ := findLoss(losses, "connectors[0].config.clientID"); !strings.Contains(l.Reason, `"$AUTH0_CLIENT_ID"`) ||
		!strings.Contains(l.Reason, "oidc.upstreamIDPsSecretName") {
		t.Errorf("clientID loss should name the variable and the Secret way out: %q", l.Reason)
	}
	if l, _ := findLoss(losses, "connectors[0].config.clientSecret"); strings.Contains(l.Reason, "AUTH0_CLIENT_SECRET") {
		t.Errorf("a secret's loss shows what the secret holds: %q", l.Reason)
	}

	entries, err := EncodeUpstreamIDPs(idps)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "dex/decoded-entries.golden", entries)
	golden(t, "dex/decoded-losses.golden", lossLines(losses))
}

func TestDecodeDexConnectorsExpandEnv(t *testing.T) {
	env := map[string]string{"AUTH0_CLIENT_ID": "client-from-env", "AUTH0_CLIENT_SECRET": "fake-secret-from-env"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	idps, losses, err := DecodeDexConnectors(readTestdata(t, "dex/dex-config.yaml"), DexFileOptions{LookupEnv: lookup})
	if err != nil {
		t.Fatal(err)
	}
	if idps[0].OIDC.ClientID != "client-from-env" {
		t.Errorf("clientID = %q, want it expanded", idps[0].OIDC.ClientID)
	}
	if idps[0].OIDC.ClientSecret != "fake-secret-from-env" {
		t.Error("clientSecret ${VAR} not expanded")
	}
	if got := idps[1].Config["bindPW"]; got != "" {
		t.Error(`bindPW of an unset variable should expand to "", as in Dex`)
	}
	l, ok := findLoss(losses, "connectors[1].config.bindPW")
	if !ok || !strings.Contains(l.Reason, "not set") || strings.Contains(l.Reason, "LDAP_BIND_PW") {
		t.Errorf("unset variable in a secret: loss = %+v, want 'not set' without the name", l)
	}
	for _, l := range losses {
		if strings.Contains(l.Reason, "pachd does not expand") {
			t.Errorf("expanded value still reported as verbatim: %s", l.Path)
		}
	}

	idps, losses, err = DecodeDexConnectors(readTestdata(t, "dex/dex-config.yaml"), DexFileOptions{LookupEnv: lookup, EnvExpansionDisabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if idps[0].OIDC.ClientID != "$AUTH0_CLIENT_ID" {
		t.Error("EnvExpansionDisabled: value expanded anyway")
	}
	for _, l := range losses {
		if strings.Contains(l.Reason, "$") {
			t.Errorf("EnvExpansionDisabled: $ reported at %s", l.Path)
		}
	}
}

func TestDecodeDexConnectorsDollars(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		reported []string // loss paths
		inReason string   // must be in the first loss's reason
		notIn    string   // must be in no loss's reason
	}{
		{"plain $VAR named", "host: $LDAP_HOST", []string{"[0].config.host"}, `"$LDAP_HOST"`, ""},
		{"${VAR} named", "host: ldap-${SITE}.corp", []string{"[0].config.host"}, `"$SITE"`, ""},
		{"secret names hidden", "bindPW: pa$$word", []string{"[0].config.bindPW"}, "in this value", "word"},
		{"positional $5", "prompt: costs $5", []string{"[0].config.prompt"}, `"$5"`, ""},
		{"unterminated ${ is eaten by Dex", "prompt: a${b", []string{"[0].config.prompt"}, "", ""},
		{"trailing $ is left alone", "prompt: cash$", nil, "", ""},
		{"$ before a space is left alone", "prompt: a $ b", nil, "", ""},
		{"strings in lists", "orgs: [a, $ORG]", []string{"[0].config.orgs[1]"}, `"$ORG"`, ""},
		{"mappings in lists", "orgs: [{name: $ORG}]", []string{"[0].config.orgs[0].name"}, "", ""},
		{"lists in lists are not expanded by Dex", "m: [[$X]]", nil, "", ""},
		{"nested mappings", "userSearch: {baseDN: $BASE}", []string{"[0].config.userSearch.baseDN"}, "", ""},
		{"keys are not expanded", "$KEY: x", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "- type: ldap\n  id: l\n  name: L\n  config:\n    " + tt.yaml + "\n"
			_, losses, err := DecodeDexConnectors([]byte(doc), DexFileOptions{})
			if err != nil {
				t.Fatalf("DecodeDexConnectors: %v", err)
			}
			if got := lossPaths(losses); !slices.Equal(got, tt.reported) && !(len(got) == 0 && len(tt.reported) == 0) {
				t.Fatalf("losses at %q, want %q", got, tt.reported)
			}
			if tt.inReason != "" && !strings.Contains(losses[0].Reason, tt.inReason) {
				t.Errorf("reason %q lacks %q", losses[0].Reason, tt.inReason)
			}
			if tt.notIn != "" {
				for _, l := range losses {
					if strings.Contains(l.Reason, tt.notIn) {
						t.Errorf("reason shows part of a secret")
					}
				}
			}
		})
	}
}

func TestDecodeDexConnectorsShapes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		n       int    // entries, when no error
		wantErr string // substring of the *SyntaxError
		losses  []string
	}{
		{"bare list", "- {type: oidc, id: a, name: A, config: {issuer: https://x}}", 1, "", nil},
		{"JSON file", `{"issuer": "https://dex", "connectors": [{"type": "ldap", "id": "l", "name": "L", "config": {"host": "h"}}]}`, 1, "", nil},
		{"Connectors key in another case", "Connectors:\n- {type: ldap, id: l, name: L}", 1, "", nil},
		{"null connectors", "issuer: https://dex\nconnectors:\n", 0, "", nil},
		{"empty list", "connectors: []", 0, "", nil},
		{"unknown entry keys are losses", "- {type: ldap, id: l, name: L, configVersion: 2, jsonConfig: '{}', extra: 1}", 1, "",
			[]string{"[0].configVersion", "[0].extra", "[0].jsonConfig"}},
		{"keys differing in case", "- {type: ldap, id: l, ID: L2, name: L}", 1, "", []string{"[0].ID"}},
		{"fork-only key is reported", "- {type: oidc, id: o, name: O, config: {forwardedLoginParams: [login_hint]}}", 1, "",
			[]string{"[0].config.forwardedLoginParams"}},
		{"no connectors key", "issuer: https://dex\nstorage: {type: memory}", 0, "no connectors: key", nil},
		{"empty input", "", 0, "empty input", nil},
		{"not a mapping", "just text", 0, "got a string", nil},
		{"connectors not a list", "connectors: {type: ldap}", 0, "connectors must be a list", nil},
		{"entry not a mapping", "connectors: [ldap]", 0, "a connector must be a mapping", nil},
		{"numeric id", "- {type: ldap, id: 12, name: L}", 0, "cannot read a number as the connector's id", nil},
		{"config a list", "- {type: ldap, id: l, name: L, config: [a]}", 0, "config must be a mapping", nil},
		{"invalid YAML", "connectors: [", 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idps, losses, err := DecodeDexConnectors([]byte(tt.in), DexFileOptions{})
			if tt.wantErr != "" || tt.name == "invalid YAML" {
				var se *SyntaxError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a *SyntaxError containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeDexConnectors: %v", err)
			}
			if len(idps) != tt.n {
				t.Errorf("got %d entries, want %d", len(idps), tt.n)
			}
			if got := lossPaths(losses); !slices.Equal(got, tt.losses) && !(len(got) == 0 && len(tt.losses) == 0) {
				t.Errorf("losses at %q, want %q", got, tt.losses)
			}
		})
	}
}

func TestEncodeDexConnectors(t *testing.T) {
	idps, err := DecodeUpstreamIDPs(readTestdata(t, "dex/helm-entries.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, losses, err := EncodeDexConnectors(idps)
	if err != nil {
		t.Fatalf("EncodeDexConnectors: %v", err)
	}
	golden(t, "dex/connectors.golden", out)
	golden(t, "dex/connectors-losses.golden", lossLines(losses))
	noSecretIn(t, losses, "fake-")

	want := []string{
		"[0].config.claimMapping.colour", "[0].config.forwardedLoginParams",
		"[0].config.insecureSkipIssuerCallbackDomainCheck", "[0].configVersion",
		"[1].config.bindPW", "[2].version", "[3].config.promptType", "[3].jsonConfig",
	}
	if got := lossPaths(losses); !slices.Equal(got, want) {
		t.Errorf("losses at %q\nwant %q", got, want)
	}
	if l, _ := findLoss(losses, "[0].configVersion"); l.Pos.Line != 6 {
		t.Errorf("configVersion loss at line %d, want 6 (the entry's position in its file)", l.Pos.Line)
	}

	// Dex reads what was written, jsonConfig turned into a config included.
	back, _, err := DecodeDexConnectors(out, DexFileOptions{})
	if err != nil {
		t.Fatalf("decoding the output: %v", err)
	}
	if len(back) != 4 || back[2].Config["clientID"] != "fake-gh-client-id" || back[0].OIDC.ForwardedLoginParams != nil {
		t.Errorf("output does not read back as expected")
	}
	if bytes.Contains(out, []byte("forwardedLoginParams")) || bytes.Contains(out, []byte("colour")) {
		t.Error("keys reported as losses are still in the output")
	}

	empty, losses, err := EncodeDexConnectors(nil)
	if err != nil || string(empty) != "connectors: []\n" || losses != nil {
		t.Errorf("EncodeDexConnectors(nil) = %q, %v, %v", empty, losses, err)
	}
}

func TestEncodeDexConnectorsJSONConfig(t *testing.T) {
	tests := []struct {
		name, js string
		loss     string
	}{
		{"not JSON", "{issuer", "not valid JSON"},
		{"not an object", "[1]", "a list, not a JSON object"},
		{"trailing data", `{"a": 1} {}`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, losses, err := EncodeDexConnectors([]UpstreamIDP{{Type: "ldap", ID: "l", Name: "L", JSONConfig: tt.js}})
			if err != nil {
				t.Fatal(err)
			}
			if len(losses) != 1 || losses[0].Path != "[0].jsonConfig" || !strings.Contains(losses[0].Reason, tt.loss) {
				t.Errorf("losses = %v, want one at [0].jsonConfig saying %q", losses, tt.loss)
			}
		})
	}
	t.Run("oidc jsonConfig becomes the typed config", func(t *testing.T) {
		out, losses, err := EncodeDexConnectors([]UpstreamIDP{{Type: typeOIDC, ID: "o", Name: "O",
			JSONConfig: `{"issuer": "https://x", "forwardedLoginParams": ["login_hint"]}`}})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte("issuer: https://x")) || bytes.Contains(out, []byte("forwardedLoginParams")) {
			t.Errorf("output:\n%s", out)
		}
		if got := lossPaths(losses); !slices.Equal(got, []string{"[0].config.forwardedLoginParams"}) {
			t.Errorf("losses at %q", got)
		}
	})
}
