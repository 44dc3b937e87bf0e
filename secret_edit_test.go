package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// secretEntries decodes entries of ids (type oidc), each holding canary.
func secretEntries(t *testing.T, ids ...string) []UpstreamIDP {
	t.Helper()
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "- id: %s\n  name: %s\n  type: oidc\n  config:\n    issuer: https://%s.example.com\n    clientID: c-%s\n    clientSecret: %s\n    redirectURI: https://p.example.com/dex/callback\n", id, id, id, id, canary)
	}
	idps, err := DecodeUpstreamIDPs([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return idps
}

// secretIDs returns the ids of the Secret's entries, and its clientID of
// each (to tell a replaced entry from the one it replaced).
func secretIDs(t *testing.T, s *UpstreamIDPsSecret) string {
	t.Helper()
	idps, err := s.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range idps {
		cfg, _ := e.Map()["config"].(map[string]any)
		out = append(out, e.ID+"="+fmt.Sprint(cfg["clientID"]))
	}
	return strings.Join(out, ",")
}

// TestUpstreamIDPsSecretMerge: the Secret's entries stay, an entry with the
// id of one it holds replaces it where it stands, new ones are appended;
// on error the Secret is unchanged.
func TestUpstreamIDPsSecretMerge(t *testing.T) {
	base := func(ids ...string) *UpstreamIDPsSecret {
		text, err := RenderUpstreamIDPs(secretEntries(t, ids...))
		if err != nil {
			t.Fatal(err)
		}
		return &UpstreamIDPsSecret{Name: "s", Text: text, FromData: true}
	}
	renamed, err := DecodeUpstreamIDPs([]byte("- {id: b, name: B, type: oidc, config: {issuer: https://b.example.com, clientID: new, clientSecret: " + canary + ", redirectURI: https://p.example.com/dex/callback}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		secret   *UpstreamIDPsSecret
		add      []UpstreamIDP
		replaced int
		want     string
		err      bool
	}{
		{name: "into an empty Secret", secret: &UpstreamIDPsSecret{}, add: secretEntries(t, "a", "b"), want: "a=c-a,b=c-b"},
		{name: "others stay", secret: base("a"), add: secretEntries(t, "b"), want: "a=c-a,b=c-b"},
		{name: "same id replaced in place", secret: base("a", "b", "c"), add: renamed, replaced: 1, want: "a=c-a,b=new,c=c-c"},
		{name: "nothing to add", secret: base("a"), want: "a=c-a"},
		{name: "a new id twice: the second wins, nothing replaced", secret: base("a"), add: append(secretEntries(t, "b"), renamed...), want: "a=c-a,b=new"},
		{name: "a held id twice: replaced once", secret: base("a", "b"), add: append(renamed, renamed...), replaced: 1, want: "a=c-a,b=new"},
		{name: "text that does not decode", secret: &UpstreamIDPsSecret{Text: []byte("- [")}, add: secretEntries(t, "a"), err: true},
		{name: "nil Secret", secret: nil, add: secretEntries(t, "a"), err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before UpstreamIDPsSecret
			if tc.secret != nil {
				before = *tc.secret
			}
			replaced, err := tc.secret.Merge(tc.add)
			if tc.err {
				if err == nil {
					t.Fatal("Merge: no error")
				}
				if tc.secret != nil && !bytes.Equal(tc.secret.Text, before.Text) {
					t.Error("a failed Merge changed the Secret")
				}
				return
			}
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			if got := secretIDs(t, tc.secret); got != tc.want || replaced != tc.replaced {
				t.Errorf("Merge: entries %s, replaced %d; want %s, %d", got, replaced, tc.want, tc.replaced)
			}
			if tc.secret.FromData || tc.secret.Name != before.Name {
				t.Errorf("Merge: FromData %v, Name %q: want false, %q", tc.secret.FromData, tc.secret.Name, before.Name)
			}
		})
	}
}

// TestEditSecretFile: the manifest file is read (missing or empty: a new
// Secret, which the edit names), edited and replaced by a new file of mode 0600, or left
// byte for byte as it was when the edit changes nothing or fails; no error
// shows a client secret.
func TestEditSecretFile(t *testing.T) {
	existing, err := secretManifest(secretEntries(t, "a", "b"), UpstreamIDPsSecret{Name: "acme", Namespace: "pachyderm"})
	if err != nil {
		t.Fatal(err)
	}
	merge := func(ids ...string) func(*UpstreamIDPsSecret) error {
		return func(s *UpstreamIDPsSecret) error {
			_, err := s.Merge(secretEntries(t, ids...))
			return err
		}
	}
	noop := func(*UpstreamIDPsSecret) error { return nil }
	// named names a new Secret, as a caller of EditSecretFile does.
	named := func(edit func(*UpstreamIDPsSecret) error) func(*UpstreamIDPsSecret) error {
		return func(s *UpstreamIDPsSecret) error {
			if s.Name == "" {
				s.Name, s.Namespace = "default", "ns"
			}
			return edit(s)
		}
	}
	for _, tc := range []struct {
		name    string
		initial []byte // nil: no file
		mode    os.FileMode
		link    bool // path is a symbolic link to the file
		edit    func(*UpstreamIDPsSecret) error
		changed bool
		want    string // ids=clientIDs, name and namespace of the file afterwards; "" : as it was
		err     func(error) bool
	}{
		{name: "new file", edit: named(merge("a")), changed: true, want: "a=c-a default/ns"},
		{name: "new file, not named", edit: merge("a"), changed: true, want: "a=c-a pachyderm-upstream-idps/"},
		{name: "empty file", initial: []byte("\n"), mode: 0o600, edit: named(merge("a")), changed: true, want: "a=c-a default/ns"},
		{name: "merged into, name kept, mode 0600", initial: existing, mode: 0o644, edit: merge("b", "c"), changed: true, want: "a=c-a,b=c-b,c=c-c acme/pachyderm"},
		{name: "unchanged", initial: existing, mode: 0o644, edit: noop},
		{name: "missing stays missing", edit: noop},
		{name: "renamed", initial: existing, mode: 0o600, edit: func(s *UpstreamIDPsSecret) error { s.Name = "other"; return nil }, changed: true, want: "a=c-a,b=c-b other/pachyderm"},
		{name: "bad name", initial: existing, mode: 0o600, edit: func(s *UpstreamIDPsSecret) error { s.Name = "BAD NAME"; return nil },
			err: func(err error) bool {
				var oe *optionError
				return errors.As(err, &oe) && oe.option == "UpstreamIDPsSecret.Name"
			}},
		{name: "entries pachd refuses", initial: existing, mode: 0o600, edit: func(s *UpstreamIDPsSecret) error {
			s.Text = []byte("- id: a\n  type: oidc\n  config: {clientSecret: " + canary + "}\n")
			return nil
		}, err: func(err error) bool { var refused Findings; return errors.As(err, &refused) }},
		{name: "not a Secret", initial: []byte("kind: ConfigMap\napiVersion: v1\ndata: {x: " + canary + "}\n"), mode: 0o600, edit: merge("a"),
			err: func(err error) bool { var se *SyntaxError; return errors.As(err, &se) }},
		{name: "edit fails", initial: existing, mode: 0o600, edit: func(*UpstreamIDPsSecret) error { return fs.ErrInvalid },
			err: func(err error) bool { return errors.Is(err, fs.ErrInvalid) }},
		{name: "symbolic link refused", initial: existing, mode: 0o600, link: true, edit: merge("c"),
			err: func(err error) bool { return err != nil && strings.Contains(err.Error(), "symbolic link") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "secret.yaml")
			if tc.initial != nil {
				if err := os.WriteFile(file, tc.initial, tc.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(file, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			path := file
			if tc.link {
				path = filepath.Join(dir, "link.yaml")
				if err := os.Symlink(file, path); err != nil {
					t.Fatal(err)
				}
			}
			changed, err := EditSecretFile(path, tc.edit)
			if err != nil && strings.Contains(err.Error(), canary) {
				t.Fatal("the error shows the client secret")
			}
			if tc.err != nil && !tc.err(err) || tc.err == nil && err != nil {
				t.Fatalf("EditSecretFile: unexpected error %v", err)
			}
			if changed != tc.changed {
				t.Errorf("changed = %v, want %v", changed, tc.changed)
			}
			got, rerr := os.ReadFile(file)
			if tc.want == "" {
				if !bytes.Equal(got, tc.initial) || tc.initial == nil && !errors.Is(rerr, fs.ErrNotExist) {
					t.Errorf("the file changed: %d bytes, %v (want it as it was)", len(got), rerr)
				}
				return
			}
			sec, err := DecodeSecretManifest(got)
			if err != nil {
				t.Fatal(err)
			}
			if s := secretIDs(t, sec) + " " + sec.Name + "/" + sec.Namespace; s != tc.want {
				t.Errorf("file holds %s, want %s", s, tc.want)
			}
			if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("file mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}
		})
	}
}

// TestEditSecretFileConcurrent: edits that each add their own entry to a
// manifest that does not exist yet run at once; none is lost (an edit
// that found the file created or changed ran again under the lock).
func TestEditSecretFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.yaml")
	const n = 6
	entries := make([][]UpstreamIDP, n)
	for i := range n {
		entries[i] = secretEntries(t, fmt.Sprintf("e%d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := EditSecretFile(path, func(s *UpstreamIDPsSecret) error {
				_, err := s.Merge(entries[i])
				return err
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := DecodeSecretManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := sec.UpstreamIDPs()
	if err != nil {
		t.Fatal(err)
	}
	if len(idps) != n {
		t.Errorf("%d entries after %d concurrent edits that each added one: an edit was lost", len(idps), n)
	}
}
