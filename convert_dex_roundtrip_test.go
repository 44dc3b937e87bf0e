package pachidp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// Round trips: a property test over generated configs.

// clearExtra sets every Extra map reachable from v to nil.
func clearExtra(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			clearExtra(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearExtra(v.Index(i))
		}
	case reflect.Struct:
		if f := v.FieldByName("Extra"); f.IsValid() && f.CanSet() {
			f.Set(reflect.Zero(f.Type()))
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				clearExtra(v.Field(i))
			}
		}
	}
}

// forUpstream is c as upstream Dex can hold it: no fork-only keys, no Extra.
func forUpstream(c *OIDCConfig) *OIDCConfig {
	w := deepCopy(c)
	w.InsecureSkipIssuerCallbackDomainCheck = nil
	w.ForwardedLoginParams = nil
	clearExtra(reflect.ValueOf(w))
	return w
}

// wantFromDex is what dexconv.FromDex(dexconv.ToDex(c)) must give (see
// convert_dexconv_roundtrip_test.go): the
// upstream fields of c, with the documented normalisation of Dex's plain
// bools (false comes back nil) and of empty sections (nil).
func wantFromDex(c *OIDCConfig) *OIDCConfig {
	w := forUpstream(c)
	for _, p := range []**bool{&w.InsecureSkipEmailVerified, &w.InsecureEnableGroups, &w.InsecureSkipVerify,
		&w.GetUserInfo, &w.OverrideClaimMapping} {
		if *p != nil && !**p {
			*p = nil
		}
	}
	if o := w.ProviderDiscoveryOverrides; o != nil && o.TokenURL == "" && o.AuthURL == "" && o.JWKSURL == "" {
		w.ProviderDiscoveryOverrides = nil
	}
	if m := w.ClaimMapping; m != nil && m.PreferredUsername == "" && m.Email == "" && m.Groups == "" {
		w.ClaimMapping = nil
	}
	if cm := w.ClaimModifications; cm != nil {
		for i := range cm.NewGroupFromClaims {
			if b := cm.NewGroupFromClaims[i].ClearDelimiter; b != nil && !*b {
				cm.NewGroupFromClaims[i].ClearDelimiter = nil
			}
		}
		if f := cm.FilterGroupClaims; f != nil && f.GroupsFilter == "" {
			cm.FilterGroupClaims = nil
		}
		if m := cm.ModifyGroupNames; m != nil && m.Prefix == "" && m.Suffix == "" {
			cm.ModifyGroupNames = nil
		}
		if cm.NewGroupFromClaims == nil && cm.FilterGroupClaims == nil && cm.ModifyGroupNames == nil {
			w.ClaimModifications = nil
		}
	}
	return w
}

// secretsOf lists an entry's secrets, for comparing them apart from printing.
func secretsOf(e UpstreamIDP) []any {
	var out []any
	if e.OIDC != nil {
		out = append(out, e.OIDC.ClientSecret)
	}
	if e.Config != nil {
		out = append(out, e.Config["bindPW"])
	}
	return out
}

// withoutSecrets is a copy of v (an UpstreamIDP or *OIDCConfig) with its
// secrets cleared, safe to print.
func withoutSecrets[T any](v T) T {
	c := deepCopy(v)
	switch x := any(c).(type) {
	case UpstreamIDP:
		if x.OIDC != nil {
			x.OIDC.ClientSecret = ""
		}
		if x.Config != nil {
			x.Config["bindPW"] = ""
		}
	case *OIDCConfig:
		if x != nil {
			x.ClientSecret = ""
		}
	}
	return c
}

func checkRoundTrip[T any](t *testing.T, what string, got, want T, secretsGot, secretsWant []any) {
	t.Helper()
	if !reflect.DeepEqual(secretsGot, secretsWant) {
		t.Errorf("%s: a secret differs (not shown)", what)
	}
	g, w := withoutSecrets(got), withoutSecrets(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: round trip differs:\n  %s\n got: %v\nwant: %v", what, strings.Join(diffPaths(g, w), "\n  "), g, w)
	}
}

func TestRoundTripProperty(t *testing.T) {
	cases := 0
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		for i := range 100 {
			cases++
			e := genEntry(r)
			name := fmt.Sprintf("seed %d case %d", seed, i)

			// Helm values YAML.
			y, err := e.encodeYAML()
			if err != nil {
				t.Fatalf("%s: encodeYAML: %v", name, err)
			}
			got, err := decodeUpstreamIDP(y)
			if err != nil {
				t.Fatalf("%s: decodeUpstreamIDP(YAML): %v", name, err)
			}
			got.src = nil
			checkRoundTrip(t, name+": Helm YAML", got, e, secretsOf(got), secretsOf(e))

			// JSON.
			j, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("%s: json.Marshal: %v", name, err)
			}
			got = UpstreamIDP{}
			if err := json.Unmarshal(j, &got); err != nil {
				t.Fatalf("%s: json.Unmarshal: %v", name, err)
			}
			got.src = nil
			checkRoundTrip(t, name+": JSON", got, e, secretsOf(got), secretsOf(e))

			// Dex config file: what upstream Dex can hold comes back whole.
			df, _, err := EncodeDexConnectors([]UpstreamIDP{e})
			if err != nil {
				t.Fatalf("%s: EncodeDexConnectors: %v", name, err)
			}
			list, _, err := DecodeDexConnectors(df, DexFileOptions{})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s: DecodeDexConnectors: %d entries, %v", name, len(list), err)
			}
			list[0].src = nil
			wantDex := deepCopy(e)
			wantDex.ConfigVersion, wantDex.Extra = 0, nil
			if wantDex.OIDC != nil {
				wantDex.OIDC = forUpstream(wantDex.OIDC)
			}
			checkRoundTrip(t, name+": Dex file", list[0], wantDex, secretsOf(list[0]), secretsOf(wantDex))

			// pachctl connector file: everything but the version.
			pf, _, err := EncodePachctlConnector(e)
			if err != nil {
				t.Fatalf("%s: EncodePachctlConnector: %v", name, err)
			}
			pc, _, err := DecodePachctlConnector(pf)
			if err != nil {
				t.Fatalf("%s: DecodePachctlConnector: %v", name, err)
			}
			pc.src = nil
			wantPC := deepCopy(e)
			wantPC.ConfigVersion, wantPC.Extra = 0, nil
			checkRoundTrip(t, name+": pachctl file", pc, wantPC, secretsOf(pc), secretsOf(wantPC))

			if t.Failed() {
				t.FailNow()
			}
		}
	}
	if cases != 500 {
		t.Errorf("ran %d cases, want 500", cases)
	}
}

// TestGeneratorCoversFields makes sure the property test's generator sets
// every field of OIDCConfig (and each pointer state) somewhere, so that a
// field added later cannot escape the round trips silently.
func TestGeneratorCoversFields(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 0x5eed))
	set := map[string]bool{}
	states := map[string]bool{}
	for range 500 {
		c := genOIDC(r)
		rv := reflect.ValueOf(c).Elem()
		for i := range rv.NumField() {
			f := rv.Type().Field(i)
			if _, ok := fieldValue(rv.Field(i)); ok || (f.Name == "Extra" && !rv.Field(i).IsNil()) {
				set[f.Name] = true
			}
		}
		if c.PromptType == nil {
			states["promptType nil"] = true
		} else {
			states["promptType "+*c.PromptType] = true
		}
		if b := c.InsecureEnableGroups; b == nil {
			states["bool nil"] = true
		} else {
			states[fmt.Sprint("bool ", *b)] = true
		}
		if cm := c.ClaimModifications; cm != nil && len(cm.NewGroupFromClaims) > 0 && cm.FilterGroupClaims != nil && cm.ModifyGroupNames != nil {
			states["all claimModifications"] = true
		}
	}
	for i := range reflect.TypeFor[OIDCConfig]().NumField() {
		if name := reflect.TypeFor[OIDCConfig]().Field(i).Name; !set[name] {
			t.Errorf("the generator never sets OIDCConfig.%s", name)
		}
	}
	for _, s := range []string{"promptType nil", "promptType ", "promptType login", "bool nil", "bool true", "bool false", "all claimModifications"} {
		if !states[s] {
			t.Errorf("the generator never produces %q", s)
		}
	}
}

// ---------------------------------------------------------------------------
// Fuzzing

func FuzzDecodeDexConnectors(f *testing.F) {
	for _, name := range []string{"dex/dex-config.yaml", "dex/helm-entries.yaml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte("connectors:\n- {type: oidc, id: a, name: A, config: {issuer: $X, forwardedLoginParams: [a], Issuer: y}}"))
	f.Add([]byte(`[{"type": "ldap", "ID": "l", "config": {"a": [[1]], "b": {"c": "${"}}}]`))
	f.Add([]byte("- {type: oidc, config: {claimModifications: {newGroupFromClaims: [{claims: [a], x: 1}]}, promptType: ''}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		idps, _, err := DecodeDexConnectors(data, DexFileOptions{})
		if err != nil {
			return
		}
		b1, _, err := EncodeDexConnectors(idps)
		if err != nil {
			t.Fatalf("encoding decoded connectors: %v", err)
		}
		idps2, _, err := DecodeDexConnectors(b1, DexFileOptions{})
		if err != nil {
			t.Fatalf("decoding encoded connectors: %v", err)
		}
		if len(idps2) != len(idps) {
			t.Fatalf("%d connectors became %d", len(idps), len(idps2))
		}
		b2, _, err := EncodeDexConnectors(idps2)
		if err != nil {
			t.Fatalf("encoding again: %v", err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("decode->encode->decode is not stable: %s", firstDiffLine(b1, b2))
		}
	})
}

// firstDiffLine names the first differing line without showing it.
func firstDiffLine(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			return fmt.Sprintf("first difference at line %d", i+1)
		}
	}
	return "no difference"
}

// Generators of random entries for the round-trip property test, and a
// diff that names differing paths without printing secrets.

// trickyStrings are values YAML, JSON or Dex's env expansion could mangle.
var trickyStrings = []string{
	"yes", "no", "on", "off", "y", "N", "true", "False", "null", "~", "NULL",
	"0123", "0o17", "0x1F", "0b101", "1_000", "1e3", ".5", "+1", "-0", "1:20", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
	" leading", "trailing ", "multi\nline", "tab\tin", "cr\rin", "#hash", "a: b", "a #b", "- dash", "[x]", "{y}", "'q'", `"dq"`,
	"$HOME", "${X}", "pa$$word", "$", "${", "cost $5", "ünïcödé", "*star", "&anchor", "!tag", "%pct", "@at", "`bt`",
	"|", ">", "? q", "=", "<<", "---", "...", "\\back", "https://acme.us.auth0.com/", "S256", "login", "consent",
}

func genString(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return trickyStrings[r.IntN(len(trickyStrings))]
	case 1:
		return ""
	default:
		const chars = "abcXYZ019 -_./:#$@{}[]'\"\\\n"
		n := 1 + r.IntN(12)
		var b strings.Builder
		for range n {
			b.WriteByte(chars[r.IntN(len(chars))])
		}
		return b.String()
	}
}

func genNonEmpty(r *rand.Rand) string {
	for {
		if s := genString(r); s != "" {
			return s
		}
	}
}

func genBool(r *rand.Rand) *bool {
	switch r.IntN(3) {
	case 0:
		return nil
	case 1:
		return new(false)
	}
	return new(true)
}

func genStrings(r *rand.Rand) []string {
	switch r.IntN(4) {
	case 0, 1:
		return nil
	case 2:
		return []string{}
	}
	out := make([]string, 1+r.IntN(3))
	for i := range out {
		out[i] = genString(r)
	}
	return out
}

// genGeneric returns a value as decoders produce them: string, int64,
// float64 (never whole), bool, nil, []any, map[string]any.
func genGeneric(r *rand.Rand, depth int) any {
	k := r.IntN(7)
	if depth > 2 && k >= 5 {
		k = 0
	}
	switch k {
	case 0:
		return genString(r)
	case 1:
		return int64(r.IntN(100000)) - 500
	case 2:
		return float64(r.IntN(1000)) + 0.5
	case 3:
		return r.IntN(2) == 0
	case 4:
		return nil
	case 5:
		out := make([]any, r.IntN(3))
		for i := range out {
			out[i] = genGeneric(r, depth+1)
		}
		return out
	}
	m := map[string]any{}
	for range r.IntN(3) {
		m["k"+genNonEmpty(r)] = genGeneric(r, depth+1)
	}
	return m
}

// genExtra returns nil or unknown keys ("x-" keys match no field).
func genExtra(r *rand.Rand) map[string]any {
	if r.IntN(4) != 0 {
		return nil
	}
	m := map[string]any{}
	for range 1 + r.IntN(2) {
		m["x-"+genNonEmpty(r)] = genGeneric(r, 1)
	}
	return m
}

// genOIDC sets every field of OIDCConfig at random, nested sections and
// the nil/false/true and nil/""/"login" states of pointers included.
func genOIDC(r *rand.Rand) *OIDCConfig {
	c := &OIDCConfig{
		Issuer: genString(r), ClientID: genString(r), ClientSecret: genString(r), RedirectURI: genString(r),
		InsecureEnableGroups: genBool(r), InsecureSkipEmailVerified: genBool(r),
		InsecureSkipIssuerCallbackDomainCheck: genBool(r),
		IssuerAlias:                           genString(r), BasicAuthUnsupported: genBool(r),
		Scopes: genStrings(r), HostedDomains: genStrings(r), RootCAs: genStrings(r),
		AllowedGroups: genStrings(r), AcrValues: genStrings(r), InsecureSkipVerify: genBool(r),
		GetUserInfo: genBool(r), UserIDKey: genString(r), UserNameKey: genString(r),
		PKCEChallenge: genString(r), OverrideClaimMapping: genBool(r), ForwardedLoginParams: genStrings(r),
		Extra: genExtra(r),
	}
	switch r.IntN(4) {
	case 1:
		c.PromptType = new("")
	case 2:
		c.PromptType = new("login")
	case 3:
		c.PromptType = new(genString(r))
	}
	if r.IntN(2) == 0 {
		c.ProviderDiscoveryOverrides = &ProviderDiscoveryOverrides{TokenURL: genString(r), AuthURL: genString(r),
			JWKSURL: genString(r), Extra: genExtra(r)}
	}
	if r.IntN(2) == 0 {
		c.ClaimMapping = &ClaimMapping{PreferredUsername: genString(r), Email: genString(r), Groups: genString(r),
			Extra: genExtra(r)}
	}
	if r.IntN(2) == 0 {
		cm := &ClaimModifications{Extra: genExtra(r)}
		switch r.IntN(3) {
		case 1:
			cm.NewGroupFromClaims = []NewGroupFromClaims{}
		case 2:
			for range 1 + r.IntN(2) {
				cm.NewGroupFromClaims = append(cm.NewGroupFromClaims, NewGroupFromClaims{Claims: genStrings(r),
					Delimiter: genString(r), ClearDelimiter: genBool(r), Prefix: genString(r), Extra: genExtra(r)})
			}
		}
		if r.IntN(2) == 0 {
			cm.FilterGroupClaims = &FilterGroupClaims{GroupsFilter: genString(r), Extra: genExtra(r)}
		}
		if r.IntN(2) == 0 {
			cm.ModifyGroupNames = &ModifyGroupNames{Prefix: genString(r), Suffix: genString(r), Extra: genExtra(r)}
		}
		c.ClaimModifications = cm
	}
	return c
}

// genEntry returns an "oidc" entry most of the time, else an entry of
// another type with a generic config.
func genEntry(r *rand.Rand) UpstreamIDP {
	e := UpstreamIDP{ID: genNonEmpty(r), Name: genNonEmpty(r), Type: typeOIDC}
	if r.IntN(5) == 0 {
		e.Type = "ldap"
		e.Config = ConnectorConfig{"host": genString(r), "bindPW": genString(r)}
		for range r.IntN(3) {
			e.Config["k"+genNonEmpty(r)] = genGeneric(r, 0)
		}
	} else {
		e.OIDC = genOIDC(r)
	}
	if r.IntN(4) == 0 {
		e.ConfigVersion = int64(1 + r.IntN(9))
	}
	if r.IntN(6) == 0 {
		e.Extra = map[string]any{"version": int64(1)}
	}
	return e
}

// diffPaths lists where a and b differ, by Go path. Values are shown only
// for scalars whose path names no secret; types are shown where they differ.
func diffPaths(a, b any) []string {
	var out []string
	walkDiff(reflect.ValueOf(a), reflect.ValueOf(b), "", false, &out)
	sort.Strings(out)
	return out
}

func walkDiff(a, b reflect.Value, path string, secret bool, out *[]string) {
	if len(*out) > 20 {
		return
	}
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			*out = append(*out, path+": missing on one side")
		}
		return
	}
	if a.Type() != b.Type() {
		*out = append(*out, fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type()))
		return
	}
	show := func() string {
		if secret {
			return "(secret, not shown)"
		}
		return fmt.Sprintf("%q vs %q", fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				*out = append(*out, fmt.Sprintf("%s: nil vs set (nil on the %s side)", path, map[bool]string{true: "first", false: "second"}[a.IsNil()]))
			}
			return
		}
		walkDiff(a.Elem(), b.Elem(), path, secret, out)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			*out = append(*out, fmt.Sprintf("%s: nil vs empty slice", path))
			return
		}
		if a.Len() != b.Len() {
			*out = append(*out, fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len()))
			return
		}
		for i := range a.Len() {
			walkDiff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), secret, out)
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			*out = append(*out, fmt.Sprintf("%s: nil vs empty map", path))
			return
		}
		keys := map[string]reflect.Value{}
		for _, k := range a.MapKeys() {
			keys[k.String()] = k
		}
		for _, k := range b.MapKeys() {
			keys[k.String()] = k
		}
		for ks, k := range keys {
			walkDiff(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%q]", path, ks), secret || isSecretKey(ks), out)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			walkDiff(a.Field(i), b.Field(i), path+"."+f.Name, secret || isSecretKey(f.Name), out)
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			*out = append(*out, path+": "+show())
		}
	}
}

func TestEncodersReportBothConfigs(t *testing.T) {
	e := UpstreamIDP{Type: typeOIDC, ID: "o", Name: "O", OIDC: &OIDCConfig{Issuer: "https://x"}, Config: ConnectorConfig{"a": "b"}}
	_, dl, err := EncodeDexConnectors([]UpstreamIDP{e})
	if err != nil {
		t.Fatal(err)
	}
	_, pl, err := EncodePachctlConnector(e)
	if err != nil {
		t.Fatal(err)
	}
	if got := lossPaths(dl); !slices.Equal(got, []string{"[0].config"}) {
		t.Errorf("Dex file losses at %q, want [0].config", got)
	}
	if got := lossPaths(pl); !slices.Equal(got, []string{"config"}) {
		t.Errorf("pachctl losses at %q, want config", got)
	}
}

func BenchmarkDecodeDexConnectors(b *testing.B) {
	data := readTestdata(b, "dex/dex-config.yaml")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeDexConnectors(data, DexFileOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDexConnectors(b *testing.B) {
	idps, err := DecodeUpstreamIDPs(readTestdata(b, "dex/helm-entries.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := EncodeDexConnectors(idps); err != nil {
			b.Fatal(err)
		}
	}
}
