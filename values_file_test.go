package pachidp

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTemp writes a fixture into a fresh folder and returns its path.
func writeTemp(t *testing.T, fixture string, mode fs.FileMode) (string, []byte) {
	t.Helper()
	data := readFixture(t, fixture)
	path := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // not filtered by the umask
		t.Fatal(err)
	}
	return path, data
}

// assertOnlyFile checks that the folder holds the file alone: no temporary
// file was left behind.
func assertOnlyFile(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func assertContent(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s holds other content than expected", filepath.Base(path))
	}
}

func upsertAuth0(t *testing.T) func(*Document) error {
	e := testAuth0(t)
	return func(v *Document) error { return v.UpsertUpstreamIDP(e) }
}

// edited returns what the edit makes of data in memory.
func edited(t *testing.T, data []byte, doc int, edit func(*Document) error) []byte {
	t.Helper()
	v, err := OpenDocumentWith(data, FileOptions{Document: new(doc)})
	if err != nil {
		t.Fatal(err)
	}
	if err := edit(v); err != nil {
		t.Fatal(err)
	}
	return v.Bytes()
}

func TestEditFile(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		mode    fs.FileMode
	}{
		{"comments.yaml", 0o600},
		{"crlf.yaml", 0o640},
		{"json-tab.json", 0o644},
		{"no-final-newline.yaml", 0o600},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			path, data := writeTemp(t, tt.fixture, tt.mode)
			changed, err := EditFile(path, FileOptions{}, upsertAuth0(t))
			if err != nil || !changed {
				t.Fatalf("EditFile = %v, %v", changed, err)
			}
			assertContent(t, path, edited(t, data, 0, upsertAuth0(t)))
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != tt.mode {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tt.mode)
			}
			assertOnlyFile(t, path)
			if tt.fixture == "crlf.yaml" {
				got, _ := os.ReadFile(path)
				if n := bytes.Count(got, []byte("\n")); n != bytes.Count(got, []byte("\r\n")) {
					t.Errorf("%d line breaks, not all CRLF", n)
				}
			}
		})
	}
}

func TestEditFileNoChangeWritesNothing(t *testing.T) {
	path, data := writeTemp(t, "compact.yaml", 0o600)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	changed, err := EditFile(path, FileOptions{}, func(v *Document) error {
		idps, err := v.UpstreamIDPs()
		if err != nil {
			return err
		}
		return v.UpsertUpstreamIDP(idps[0])
	})
	if err != nil || changed {
		t.Fatalf("EditFile = %v, %v; want no change", changed, err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || !after.ModTime().Equal(old) {
		t.Error("the file was rewritten")
	}
	assertContent(t, path, data)
}

func TestEditFileMultiDocument(t *testing.T) {
	path, data := writeTemp(t, "multidoc.yaml", 0o644)
	if _, err := EditFile(path, FileOptions{Document: new(2)}, upsertAuth0(t)); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, edited(t, data, 2, upsertAuth0(t)))
}

func TestEditFileFollowsSymlink(t *testing.T) {
	path, data := writeTemp(t, "comments.yaml", 0o600)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := EditFile(link, FileOptions{}, upsertAuth0(t)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	assertContent(t, path, edited(t, data, 0, upsertAuth0(t)))
}

// TestEditFileRefuses: every failure leaves the file as it was, with no
// temporary file around, and says why.
func TestEditFileRefuses(t *testing.T) {
	check := errors.New("validation failed")
	tests := []struct {
		name    string
		fixture string
		mode    fs.FileMode
		opts    FileOptions
		edit    func(*Document) error
		is      error // errors.Is target, or nil
		as      any   // errors.As target, or nil
		msg     string
	}{
		{name: "read-only", fixture: "comments.yaml", mode: 0o444, edit: upsertAuth0(t),
			is: fs.ErrPermission, msg: "is read-only (mode -r--r--r--): make it writable"},
		{name: "check fails", fixture: "comments.yaml", mode: 0o600, edit: upsertAuth0(t),
			opts: FileOptions{Check: func(*Document) error { return check }}, is: check, msg: "validation failed"},
		{name: "edit fails", fixture: "comments.yaml", mode: 0o600,
			edit: func(v *Document) error { return v.RemoveUpstreamIDP("okta") }, is: ErrIDPNotFound, as: new(*EditError), msg: `no entry has id "okta"`},
		{name: "anchors", fixture: "anchors.yaml", mode: 0o600,
			edit: func(v *Document) error { return v.RemoveUpstreamIDP("okta") }, is: ErrAnchor, msg: "holds the anchor &oktaconfig"},
		{name: "several documents, bad index", fixture: "multidoc.yaml", mode: 0o600, opts: FileOptions{Document: new(5)},
			edit: upsertAuth0(t), as: new(*SyntaxError), msg: "document index 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, data := writeTemp(t, tt.fixture, tt.mode)
			changed, err := EditFile(path, tt.opts, tt.edit)
			if err == nil || changed {
				t.Fatalf("EditFile = %v, %v; want an error", changed, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.is)
			}
			if tt.as != nil && !errors.As(err, tt.as) {
				t.Errorf("err = %v, want a %T", err, tt.as)
			}
			if !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not name the file and say %q", err, tt.msg)
			}
			assertContent(t, path, data)
			if fi, _ := os.Stat(path); fi.Mode().Perm() != tt.mode {
				t.Errorf("mode changed to %v", fi.Mode().Perm())
			}
			assertOnlyFile(t, path)
		})
	}
}

func TestEditFileSyntaxError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "values.yaml")
	bad := []byte("oidc:\n  upstreamIDPs: [\n")
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := EditFile(path, FileOptions{}, upsertAuth0(t))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos.Line == 0 {
		t.Errorf("err = %v, want a *SyntaxError with a line", err)
	}
	assertContent(t, path, bad)
}

func TestEditFileMissing(t *testing.T) {
	_, err := EditFile(filepath.Join(t.TempDir(), "nope.yaml"), FileOptions{}, upsertAuth0(t))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

// TestEditFileChangedDuringEdit: another program writes the file while the
// edit runs; EditFile refuses and the other program's content stays.
func TestEditFileChangedDuringEdit(t *testing.T) {
	other := []byte("proxy:\n  host: other.acme.com\n")
	tests := map[string]func(path string) error{
		"written in place": func(path string) error { return os.WriteFile(path, other, 0o600) },
		"replaced by rename": func(path string) error {
			tmp := path + ".other"
			if err := os.WriteFile(tmp, other, 0o600); err != nil {
				return err
			}
			return os.Rename(tmp, path)
		},
		"same content, new file": func(path string) error {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			other = data
			tmp := path + ".other"
			if err := os.WriteFile(tmp, data, 0o600); err != nil {
				return err
			}
			return os.Rename(tmp, path)
		},
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			path, _ := writeTemp(t, "comments.yaml", 0o600)
			_, err := EditFile(path, FileOptions{Check: func(*Document) error { return change(path) }}, upsertAuth0(t))
			if !errors.Is(err, ErrFileChanged) {
				t.Fatalf("err = %v, want ErrFileChanged", err)
			}
			assertContent(t, path, other)
			assertOnlyFile(t, path)
		})
	}
}

// TestEditFileReadOnlyFolder: a file in a folder the caller may not write
// cannot be edited (the lock file and the new file are created beside it),
// and the error says so: "permission denied on its folder", with the fix.
// Before (issue 15) it said "no such file or directory", which was false.
// As root the edit runs with nobody's effective user id.
func TestEditFileReadOnlyFolder(t *testing.T) {
	path, data := writeTemp(t, "comments.yaml", 0o600)
	dir := filepath.Dir(path)
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	var err error
	asUnprivileged(t, dir, func() { _, err = EditFile(path, FileOptions{}, upsertAuth0(t)) })
	if err == nil || !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "permission denied on its folder "+dir) ||
		!strings.Contains(err.Error(), "chmod u+w") || strings.Contains(err.Error(), "no such file") {
		t.Errorf("err = %v", err)
	}
	assertContent(t, path, data)
}

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

// Nothing is written when parsing, the edit, the check or the file's state
// stops the edit; the file keeps its bytes and no temporary file remains.
func TestEditFileWritesNothingOnFailure(t *testing.T) {
	e := fileTestEntry(t)
	upsert := func(v *Document) error { return v.UpsertUpstreamIDP(e) }
	errCheck := errors.New("check says no")
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		opts    FileOptions
		edit    func(path string) func(*Document) error
		wantErr error  // errors.Is target, when set
		wantMsg string // substring of the error
		after   string // the file's content afterwards; "" means as before
	}{
		{name: "invalid YAML", content: "oidc: [\n", mode: 0o644, wantMsg: "values.yaml"},
		{name: "wrong shape", content: "oidc:\n  upstreamIDPs: {a: 1}\n", mode: 0o644, wantMsg: "line 2"},
		{name: "edit fails", content: fileTestValues, mode: 0o644, wantErr: ErrIDPNotFound,
			edit: func(string) func(*Document) error {
				return func(v *Document) error { return v.RemoveUpstreamIDP("nope") }
			}},
		{name: "check fails", content: fileTestValues, mode: 0o644, wantErr: errCheck,
			opts: FileOptions{Check: func(*Document) error { return errCheck }}},
		{name: "validation in check", content: fileTestValues, mode: 0o644, wantMsg: "redirect",
			opts: FileOptions{Check: func(v *Document) error {
				idps, err := v.UpstreamIDPs()
				if err != nil {
					return err
				}
				return Validate(idps, ValidateOptions{ProxyHost: "other.acme.com"}).Err()
			}}},
		{name: "read-only file", content: fileTestValues, mode: 0o444, wantErr: fs.ErrPermission},
		{name: "multi-document without a choice", content: "a: 1\n---\noidc: {}\n", mode: 0o644, wantMsg: "document"},
		{name: "changed on disk mid-edit", content: fileTestValues, mode: 0o644, wantErr: ErrFileChanged,
			after: "# edited by someone else\n" + fileTestValues,
			edit: func(path string) func(*Document) error {
				return func(v *Document) error {
					if err := os.WriteFile(path, []byte("# edited by someone else\n"+fileTestValues), 0o644); err != nil {
						return err
					}
					return v.UpsertUpstreamIDP(e)
				}
			}},
		{name: "replaced mid-edit", content: fileTestValues, mode: 0o644, wantErr: ErrFileChanged,
			after: "oidc:\n  upstreamIDPs: []\n",
			edit: func(path string) func(*Document) error {
				return func(v *Document) error {
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

// CRLF files stay CRLF through a file edit.
func TestEditFileCRLF(t *testing.T) {
	path := writeTestFile(t, "values.yaml", strings.ReplaceAll(fileTestValues, "\n", "\r\n"), 0o644)
	e := fileTestEntry(t)
	if _, err := EditFile(path, FileOptions{}, func(v *Document) error { return v.UpsertUpstreamIDP(e) }); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
		t.Error("the edit wrote LF line endings into a CRLF file")
	}
}
