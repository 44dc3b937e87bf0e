package harness

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// fakeGitHub is a connector config with github's rules, written here so
// that the probes can be tested without a Dex: org and orgs refused
// together, rootCA only with hostName (and read as a file), teamNameField
// one of name, slug, both; redirectURI compared with the callback.
type fakeGitHub struct {
	ClientID     string `json:"clientID"`
	ClientSecret string `json:"clientSecret"`
	RedirectURI  string `json:"redirectURI"`
	Org          string `json:"org"`
	Orgs         []struct {
		Name string `json:"name"`
	} `json:"orgs"`
	HostName      string `json:"hostName"`
	RootCA        string `json:"rootCA"`
	TeamNameField string `json:"teamNameField"`
	LoadAllGroups bool   `json:"loadAllGroups"`
}

type fakeConn struct{ redirect string }

func fakeDex() Dex {
	return Dex{
		Module: "fake",
		Types:  []string{"github"},
		New: func(typ string) (any, bool) {
			if typ != "github" {
				return nil, false
			}
			return &fakeGitHub{}, true
		},
		Open: func(conf any, id string) (any, error) {
			c := conf.(*fakeGitHub)
			if c.Org != "" && len(c.Orgs) > 0 {
				return nil, errors.New("cannot use both org and orgs")
			}
			if c.RootCA != "" {
				if c.HostName == "" {
					return nil, errors.New("hostName required for rootCA")
				}
				if _, err := os.ReadFile(c.RootCA); err != nil {
					return nil, err
				}
			}
			switch c.TeamNameField {
			case "", "name", "slug", "both":
			default:
				return nil, fmt.Errorf("unsupported team name field %q", c.TeamNameField)
			}
			return &fakeConn{c.RedirectURI}, nil
		},
		Login: func(conn any, callback string) error {
			if r := conn.(*fakeConn).redirect; r != callback {
				return fmt.Errorf("expected callback %q, got %q", callback, r)
			}
			return nil
		},
	}
}

// TestProbeRules: the probes find each rule of a connector whose rules are
// known, and nothing else.
func TestProbeRules(t *testing.T) {
	d := fakeDex()
	kt := BuildKeyTable(d)
	rules := ProbeRules(t, d, kt)["github"]
	if rules == nil {
		t.Fatal("no rules")
	}
	keys := func(rs []KeyRule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%s/%v@%s", r.Key, r.Other, r.Stage))
		}
		return out
	}
	if got, want := keys(rules.Required), []string{"redirectURI/[]@login-url"}; !reflect.DeepEqual(got, want) {
		t.Errorf("required = %v, want %v", got, want)
	}
	if got, want := keys(rules.Requires), []string{"rootCA/[hostName]@open"}; !reflect.DeepEqual(got, want) {
		t.Errorf("requires = %v, want %v", got, want)
	}
	if got, want := keys(rules.Conflicts), []string{"org/[orgs]@open"}; !reflect.DeepEqual(got, want) {
		t.Errorf("conflicts = %v, want %v", got, want)
	}
	if len(rules.Enums) != 1 || rules.Enums[0].Key != "teamNameField" || !rules.Enums[0].CaseSensitive ||
		!reflect.DeepEqual(rules.Enums[0].Values, []string{"", "name", "slug", "both"}) {
		t.Errorf("enums = %+v", rules.Enums)
	}
	if !reflect.DeepEqual(rules.Files, []string{"rootCA"}) {
		t.Errorf("files = %v", rules.Files)
	}
	if len(rules.Refused) != 0 {
		t.Errorf("refused = %v", keys(rules.Refused))
	}
	for _, r := range append(append(rules.Required, rules.Requires...), rules.Conflicts...) {
		if stage, err := d.try("github", r.Config); err == nil || stage != r.Stage {
			t.Errorf("%s: the recorded config is not refused at %s (%s, %v)", r.Key, r.Stage, stage, err)
		}
	}
}

func TestCaseVariants(t *testing.T) {
	if got, want := caseVariants("sub"), []string{"SUB", "Sub"}; !reflect.DeepEqual(got, want) {
		t.Errorf("caseVariants(sub) = %v, want %v", got, want)
	}
	if got, want := caseVariants("S256"), []string{"s256"}; !reflect.DeepEqual(got, want) {
		t.Errorf("caseVariants(S256) = %v, want %v", got, want)
	}
}
