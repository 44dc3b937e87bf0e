package pachidp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/textedit"
)

// TestLocalCheckAgrees runs every edit of the golden tests, and edits of
// Pachyderm's values files, with the local check and with FullCheck: same
// bytes, same errors, same nodes; Pachyderm's files use the local check.
func TestLocalCheckAgrees(t *testing.T) {
	edits := map[string]func(*Document) error{
		"upsert auth0":   func(v *Document) error { return v.UpsertUpstreamIDP(testAuth0(t)) },
		"upsert okta":    func(v *Document) error { return v.UpsertUpstreamIDP(testOkta()) },
		"remove okta":    func(v *Document) error { return v.RemoveUpstreamIDP("okta") },
		"set":            func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{testOkta()}) },
		"secret":         func(v *Document) error { return v.UseUpstreamIDPsSecret("pachyderm-idps") },
		"inline":         func(v *Document) error { return v.UseInlineUpstreamIDPs([]UpstreamIDP{testOkta()}) },
		"mock":           func(v *Document) error { return v.DisableMockIDP() },
		"upsert, remove": func(v *Document) error { _ = v.UpsertUpstreamIDP(testOkta()); return v.RemoveUpstreamIDP("okta") },
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "values", "*"))
	pach := pachydermFiles(t)
	files = append(files, pach...)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for name, edit := range edits {
			local, err := OpenDocument(data)
			if err != nil {
				continue
			}
			full, _ := OpenDocument(data)
			full.FullCheck = true
			errL, errF := edit(local), edit(full)
			if (errL == nil) != (errF == nil) || errL != nil && errL.Error() != errF.Error() {
				t.Errorf("%s, %s: error %v, with FullCheck %v", filepath.Base(file), name, errL, errF)
				continue
			}
			if !bytes.Equal(local.Bytes(), full.Bytes()) {
				t.Errorf("%s, %s: different bytes", filepath.Base(file), name)
			}
			if err := textedit.SameTree(local.doc, full.doc); err != nil {
				t.Errorf("%s, %s: different trees: %v", filepath.Base(file), name, err)
			}
			if full.doc.LastCheck() == textedit.CheckLocal {
				t.Errorf("%s, %s: FullCheck used the local check", filepath.Base(file), name)
			}
			if errL == nil && strings.HasPrefix(name, "upsert") && slicesContain(pach, file) && local.doc.LastCheck() != textedit.CheckLocal && local.doc.LastCheck() != textedit.CheckLocalList {
				t.Errorf("%s, %s: the local check was not used", filepath.Base(file), name)
			}
		}
	}
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLocalListCheck: edits of the list parse only the items they touch,
// in the layouts the list is written in; what the item window cannot prove
// goes to the wider checks.
func TestLocalListCheck(t *testing.T) {
	list := func(dash string, n int) string {
		var b strings.Builder
		b.WriteString("a: 1\noidc:\n  upstreamIDPs:\n")
		for i := range n {
			fmt.Fprintf(&b, "%s# entry %d\n%s- id: e%d\n%s  type: oidc\n%s  name: E\n", dash, i, dash, i, dash, dash)
		}
		b.WriteString("  mockIDP: false\nz: 2\n")
		return b.String()
	}
	okta := testOkta()
	tests := []struct {
		name string
		in   string
		edit func(*Document) error
		want textedit.Check
	}{
		{"append", list("    ", 3), func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckLocalList},
		{"replace", list("    ", 3), func(v *Document) error { return v.UpsertUpstreamIDP(okta.withID("e1")) }, textedit.CheckLocalList},
		{"remove middle", list("    ", 3), func(v *Document) error { return v.RemoveUpstreamIDP("e1") }, textedit.CheckLocalList},
		{"remove first", list("    ", 3), func(v *Document) error { return v.RemoveUpstreamIDP("e0") }, textedit.CheckLocal},
		{"remove last", list("    ", 3), func(v *Document) error { return v.RemoveUpstreamIDP("e2") }, textedit.CheckLocalList},
		{"indentless append", list("  ", 3), func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckLocalList},
		{"indentless replace", list("  ", 3), func(v *Document) error { return v.UpsertUpstreamIDP(okta.withID("e2")) }, textedit.CheckLocalList},
		{"comment at column 0", strings.Replace(list("    ", 2), "    # entry 1", "# entry 1", 1), func(v *Document) error { return v.UpsertUpstreamIDP(okta.withID("e0")) }, textedit.CheckLocalList},
		{"CRLF", strings.ReplaceAll(list("    ", 2), "\n", "\r\n"), func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckLocalList},
		{"last in the document", "oidc:\n  upstreamIDPs:\n  - id: a\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckLocalList},
		{"set", list("    ", 3), func(v *Document) error { return v.SetUpstreamIDPs([]UpstreamIDP{okta}) }, textedit.CheckLocal},
		{"flow list", "oidc:\n  upstreamIDPs: [{id: a}]\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckLocal},
		{"anchor in the list", "oidc:\n  upstreamIDPs:\n  - &x {id: a}\n", func(v *Document) error { return v.UpsertUpstreamIDP(okta) }, textedit.CheckFull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := OpenDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			full, _ := OpenDocument([]byte(tt.in))
			full.FullCheck = true
			if err := tt.edit(v); err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(full); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.Bytes(), full.Bytes()) {
				t.Fatal("different bytes with FullCheck")
			}
			if err := textedit.SameTree(v.doc, full.doc); err != nil {
				t.Fatalf("different nodes with FullCheck: %v", err)
			}
			if v.doc.LastCheck() != tt.want {
				t.Errorf("checked by %d, want %d", v.doc.LastCheck(), tt.want)
			}
			// The Document goes on working: positions and another edit.
			if _, pos, ok := v.Lookup("z"); strings.Contains(tt.in, "z:") && (!ok || pos != full.positions().at("z")) {
				t.Errorf("z at %v, want %v", pos, full.positions().at("z"))
			}
			if err := v.UpsertUpstreamIDP(okta.withID("again")); err != nil {
				t.Fatal(err)
			}
			if err := full.UpsertUpstreamIDP(okta.withID("again")); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.Bytes(), full.Bytes()) {
				t.Fatal("different bytes after a second edit")
			}
		})
	}
}
