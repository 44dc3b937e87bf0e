package pachidp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fileTestValues = "# Pachyderm values\nproxy:\n  host: pachyderm.acme.com\n\noidc:\n  # IdPs below\n  upstreamIDPs: []\n"

func fileTestEntry(t *testing.T) UpstreamIDP {
	t.Helper()
	e, err := Auth0{Domain: "acme.us.auth0.com", ClientID: "cid", ClientSecret: "file-test-secret", ProxyHost: "pachyderm.acme.com"}.UpstreamIDP()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func writeTestFile(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-proof
		t.Fatal(err)
	}
	return path
}

// leftovers fails the test when the folder holds anything but want.
func leftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("folder holds %v, want %v (a temporary file was left behind?)", names, want)
	}
}

func TestEditFileUpsert(t *testing.T) {
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o640)
	e := fileTestEntry(t)
	changed, err := EditFile(path, FileOptions{}, func(v *Values) error { return v.UpsertUpstreamIDP(e) })
	if err != nil || !changed {
		t.Fatalf("EditFile: changed=%v err=%v", changed, err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("# Pachyderm values\nproxy:\n  host: pachyderm.acme.com\n\noidc:\n  # IdPs below\n  upstreamIDPs:\n")) {
		t.Errorf("the lines before the list changed:\n%s", redactLine(string(got)))
	}
	v, err := OpenValues(got)
	if err != nil {
		t.Fatal(err)
	}
	idps, err := v.UpstreamIDPs()
	if err != nil || len(idps) != 1 || idps[0].ID != "auth0" || idps[0].OIDC.ClientSecret != e.OIDC.ClientSecret {
		t.Fatalf("the file does not hold the entry (err %v)", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %04o, want 0640 kept", st.Mode().Perm())
	}
	leftovers(t, filepath.Dir(path), "values.yaml")
}

// An edit that changes nothing leaves the file, its time stamps included.
func TestEditFileUnchanged(t *testing.T) {
	path := writeTestFile(t, "values.yaml", fileTestValues, 0o644)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	changed, err := EditFile(path, FileOptions{}, func(v *Values) error { return v.SetUpstreamIDPs(nil) })
	if err != nil || changed {
		t.Fatalf("EditFile: changed=%v err=%v, want no change", changed, err)
	}
	st, _ := os.Stat(path)
	if !st.ModTime().Equal(old) {
		t.Errorf("an edit without change rewrote the file")
	}
}

// Nothing is written when parsing, the edit, the check or the file's state
// stops the edit; the file keeps its bytes and no temporary file remains.
func TestEditFileWritesNothingOnFailure(t *testing.T) {
	e := fileTestEntry(t)
	upsert := func(v *Values) error { return v.UpsertUpstreamIDP(e) }
	errCheck := errors.New("check says no")
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		opts    FileOptions
		edit    func(path string) func(*Values) error
		wantErr error  // errors.Is target, when set
		wantMsg string // substring of the error
		after   string // the file's content afterwards; "" means as before
	}{
		{name: "invalid YAML", content: "oidc: [\n", mode: 0o644, wantMsg: "values.yaml"},
		{name: "wrong shape", content: "oidc:\n  upstreamIDPs: {a: 1}\n", mode: 0o644, wantMsg: "line 2"},
		{name: "edit fails", content: fileTestValues, mode: 0o644, wantErr: ErrIDPNotFound,
			edit: func(string) func(*Values) error { return func(v *Values) error { return v.RemoveUpstreamIDP("nope") } }},
		{name: "check fails", content: fileTestValues, mode: 0o644, wantErr: errCheck,
			opts: FileOptions{Check: func(*Values) error { return errCheck }}},
		{name: "validation in check", content: fileTestValues, mode: 0o644, wantMsg: "redirect",
			opts: FileOptions{Check: func(v *Values) error {
				idps, err := v.UpstreamIDPs()
				if err != nil {
					return err
				}
				return Validate(idps, ValidateOptions{ProxyHost: "other.acme.com"}).Err()
			}}},
		{name: "read-only file", content: fileTestValues, mode: 0o444, wantErr: ErrFileReadOnly},
		{name: "multi-document without a choice", content: "a: 1\n---\noidc: {}\n", mode: 0o644, wantMsg: "document"},
		{name: "changed on disk mid-edit", content: fileTestValues, mode: 0o644, wantErr: ErrFileChanged,
			after: "# edited by someone else\n" + fileTestValues,
			edit: func(path string) func(*Values) error {
				return func(v *Values) error {
					if err := os.WriteFile(path, []byte("# edited by someone else\n"+fileTestValues), 0o644); err != nil {
						return err
					}
					return v.UpsertUpstreamIDP(e)
				}
			}},
		{name: "replaced mid-edit", content: fileTestValues, mode: 0o644, wantErr: ErrFileChanged,
			after: "oidc:\n  upstreamIDPs: []\n",
			edit: func(path string) func(*Values) error {
				return func(v *Values) error {
					other := path + ".new"
					if err := os.WriteFile(other, []byte("oidc:\n  upstreamIDPs: []\n"), 0o644); err != nil {
						return err
					}
					if err := os.Rename(other, path); err != nil {
						return err
					}
					return v.UpsertUpstreamIDP(e)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTestFile(t, "values.yaml", tc.content, tc.mode)
			edit := upsert
			if tc.edit != nil {
				edit = tc.edit(path)
			}
			changed, err := EditFile(path, tc.opts, edit)
			if err == nil || changed {
				t.Fatalf("EditFile succeeded (changed=%v), want an error", changed)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %q does not wrap %v", err, tc.wantErr)
			}
			if tc.wantMsg != "" && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q lacks %q", err, tc.wantMsg)
			}
			if strings.Contains(err.Error(), "file-test-secret") {
				t.Error("the error shows the client secret")
			}
			want := tc.content
			if tc.after != "" {
				want = tc.after
			}
			got, _ := os.ReadFile(path)
			if string(got) != want {
				t.Errorf("the file changed although the edit failed")
			}
			st, _ := os.Stat(path)
			if st.Mode().Perm() != tc.mode {
				t.Errorf("mode %04o, want %04o", st.Mode().Perm(), tc.mode)
			}
			leftovers(t, filepath.Dir(path), "values.yaml")
		})
	}
}

// A symbolic link stays a link; its target gets the edit.
func TestEditFileSymlink(t *testing.T) {
	target := writeTestFile(t, "real.yaml", fileTestValues, 0o600)
	link := filepath.Join(filepath.Dir(target), "values.yaml")
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	e := fileTestEntry(t)
	if _, err := EditFile(link, FileOptions{}, func(v *Values) error { return v.UpsertUpstreamIDP(e) }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file (err %v)", err)
	}
	got, _ := os.ReadFile(target)
	if !bytes.Contains(got, []byte("id: auth0")) {
		t.Error("the link's target did not get the edit")
	}
}

// CRLF files stay CRLF through a file edit.
func TestEditFileCRLF(t *testing.T) {
	path := writeTestFile(t, "values.yaml", strings.ReplaceAll(fileTestValues, "\n", "\r\n"), 0o644)
	e := fileTestEntry(t)
	if _, err := EditFile(path, FileOptions{}, func(v *Values) error { return v.UpsertUpstreamIDP(e) }); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
		t.Error("the edit wrote LF line endings into a CRLF file")
	}
}

// The document of a multi-document file can be chosen.
func TestEditFileMultiDocument(t *testing.T) {
	path := writeTestFile(t, "values.yaml", "first: 1\n---\noidc:\n  upstreamIDPs: []\n", 0o644)
	e := fileTestEntry(t)
	if _, err := EditFile(path, FileOptions{MultiDocument: true, Document: 1}, func(v *Values) error { return v.UpsertUpstreamIDP(e) }); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.HasPrefix(got, []byte("first: 1\n---\noidc:\n  upstreamIDPs:\n")) || !bytes.Contains(got, []byte("id: auth0")) {
		t.Errorf("the second document did not get the edit, or the first changed")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.yaml")
	if err := WriteFileAtomic(path, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %04o, want 0600", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("a: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ = os.Stat(path)
	got, _ := os.ReadFile(path)
	if st.Mode().Perm() != 0o640 || string(got) != "a: 2\n" {
		t.Errorf("replacing: mode %04o content %q, want 0640 kept and the new content", st.Mode().Perm(), got)
	}
	if err := WriteFileAtomic(dir, []byte("x"), 0o600); err == nil {
		t.Error("writing over a folder succeeded")
	}
	leftovers(t, dir, "secret.yaml")
}

func TestReplaceFile(t *testing.T) {
	path := writeTestFile(t, "values.yaml", "a: 1\n", 0o644)
	if err := ReplaceFile(path, []byte("a: 0\n"), []byte("a: 2\n")); !errors.Is(err, ErrFileChanged) {
		t.Fatalf("ReplaceFile over other content: %v, want ErrFileChanged", err)
	}
	if err := ReplaceFile(path, []byte("a: 1\n"), []byte("a: 2\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a: 2\n" {
		t.Errorf("content %q, want the new content", got)
	}
	missing := filepath.Join(t.TempDir(), "gone.yaml")
	if err := ReplaceFile(missing, []byte("a: 1\n"), []byte("a: 2\n")); !errors.Is(err, ErrFileChanged) {
		t.Errorf("ReplaceFile of a removed file: %v, want ErrFileChanged", err)
	}
}
