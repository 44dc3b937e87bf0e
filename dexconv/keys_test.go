package dexconv_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dexidp/dex/connector/oidc"

	"github.com/pachidp/pachidp"
	"github.com/pachidp/pachidp/dexconv"
)

// TestOIDCConfigKeys: OIDCConfig's keys (its json tags) are exactly the keys
// of the real oidc.Config of Dex v2.45.1 (as encoding/json writes them) plus
// the keys ToDex reports as read only by Pachyderm's Dex fork, when every
// field is set.
func TestOIDCConfigKeys(t *testing.T) {
	data, err := json.Marshal(oidc.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var dex map[string]any
	if err := json.Unmarshal(data, &dex); err != nil {
		t.Fatal(err)
	}
	var dexKeys []string
	for k := range dex {
		dexKeys = append(dexKeys, k)
	}
	sort.Strings(dexKeys)

	var c pachidp.OIDCConfig
	rv := reflect.ValueOf(&c).Elem()
	var keys []string
	for i := range rv.NumField() {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		keys = append(keys, name)
		f := rv.Field(i)
		switch {
		case f.Kind() == reflect.String:
			f.SetString("x")
		case f.Kind() == reflect.Slice:
			f.Set(reflect.ValueOf([]string{"x"}))
		case f.Kind() == reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
			switch e := f.Elem(); e.Kind() {
			case reflect.Bool:
				e.SetBool(true)
			case reflect.String:
				e.SetString("x")
			}
		default:
			t.Fatalf("field %s: set a value of kind %s here", name, f.Kind())
		}
	}
	_, losses, err := dexconv.ToDex(&c)
	if err != nil {
		t.Fatal(err)
	}
	var forkOnly []string
	for _, l := range losses {
		if strings.Contains(l.Reason, "read only by Pachyderm's Dex fork") {
			forkOnly = append(forkOnly, strings.TrimPrefix(l.Path, "config."))
		}
	}
	if len(forkOnly) == 0 {
		t.Fatal("ToDex reports no fork-only key: the test sets no field")
	}
	var ours []string
	for _, k := range keys {
		if !slices.Contains(forkOnly, k) {
			ours = append(ours, k)
		}
	}
	sort.Strings(ours)
	if !slices.Equal(ours, dexKeys) {
		t.Errorf("OIDCConfig keys without the fork's %q = %q,\nDex's oidc.Config keys = %q", forkOnly, ours, dexKeys)
	}
}
