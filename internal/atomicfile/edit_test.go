package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestEdit: Edit reads, edits and replaces a file, for a values file (which
// must exist, keeps its mode) and a secret (which may not exist yet, and is
// always a new file of mode 0600); an edit that changes nothing writes
// nothing, and a refused path is left as it was.
func TestEdit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		secret  bool
		initial *string // nil: no file
		link    bool    // the path is a symbolic link to the file
		edit    func([]byte) ([]byte, error)
		changed bool
		want    string // the file afterwards
		mode    os.FileMode
		err     error // errors.Is
		errText string
	}{
		{name: "values", initial: ptr("a"), edit: appendB, changed: true, want: "ab", mode: 0o640},
		{name: "values unchanged", initial: ptr("a"), edit: same, want: "a", mode: 0o640},
		{name: "values missing", edit: appendB, err: fs.ErrNotExist},
		{name: "values link followed", initial: ptr("a"), link: true, edit: appendB, changed: true, want: "ab", mode: 0o640},
		{name: "secret new", secret: true, edit: appendB, changed: true, want: "b", mode: 0o600},
		{name: "secret existing", secret: true, initial: ptr("a"), edit: appendB, changed: true, want: "ab", mode: 0o600},
		{name: "secret empty file", secret: true, initial: ptr(""), edit: func(old []byte) ([]byte, error) {
			if old == nil {
				return nil, errors.New("an empty file read as a missing one")
			}
			return appendB(old)
		}, changed: true, want: "b", mode: 0o600},
		{name: "secret link refused", secret: true, initial: ptr("a"), link: true, edit: appendB, want: "a", mode: 0o640, errText: "symbolic link"},
		{name: "edit error", initial: ptr("a"), edit: func([]byte) ([]byte, error) { return nil, fs.ErrInvalid }, want: "a", mode: 0o640, err: fs.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "f.yaml")
			if tc.initial != nil {
				if err := os.WriteFile(file, []byte(*tc.initial), 0o640); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(file, 0o640); err != nil {
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
			changed, err := Edit(path, EditOptions{Limit: 1 << 10, Secret: tc.secret}, tc.edit)
			switch {
			case tc.err != nil && !errors.Is(err, tc.err), tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)),
				tc.err == nil && tc.errText == "" && err != nil:
				t.Fatalf("Edit: %v, want %v %q", err, tc.err, tc.errText)
			}
			if changed != tc.changed {
				t.Errorf("changed = %v, want %v", changed, tc.changed)
			}
			if tc.want == "" && tc.initial == nil && !tc.changed {
				return
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(file)
			if string(got) != tc.want || fi.Mode().Perm() != tc.mode {
				t.Errorf("file holds %q mode %v, want %q mode %v", got, fi.Mode().Perm(), tc.want, tc.mode)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func appendB(old []byte) ([]byte, error) { return append(append([]byte{}, old...), 'b'), nil }

func same(old []byte) ([]byte, error) { return old, nil }

// TestEditConcurrent: edits of one file, a secret that does not exist yet,
// run at once; each reads, edits and writes, and none is lost: the edits
// that found the file changed ran again with the lock held.
func TestEditConcurrent(t *testing.T) {
	for _, secret := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "counter")
		if !secret {
			if err := os.WriteFile(path, []byte("0"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				_, err := Edit(path, EditOptions{Limit: 64, Secret: secret}, func(old []byte) ([]byte, error) {
					i, _ := strconv.Atoi(string(old)) // nil: 0
					return []byte(strconv.Itoa(i + 1)), nil
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
		if got, _ := os.ReadFile(path); string(got) != strconv.Itoa(n) {
			t.Errorf("secret %v: content %q after %d concurrent increments: an edit was lost", secret, got, n)
		}
	}
}
