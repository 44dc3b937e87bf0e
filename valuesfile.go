package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
)

// ErrFileChanged is returned by EditFile when the file changed on disk
// between reading it and replacing it: nothing was written, and the other
// change is intact. Run the edit again.
var ErrFileChanged = errors.New("the file changed on disk during the edit; nothing was written: run the edit again")

// FileOptions tunes EditFile. The zero value edits the first (usually the
// only) document and writes without further checks.
type FileOptions struct {
	// Document picks the document of a YAML file holding several documents
	// separated by "---" (0-based). Helm reads the first one.
	Document int

	// Check, when set, runs on the edited values before anything is
	// written; an error stops the write and is returned. Use it to
	// validate the result, for example:
	//
	//	Check: func(v *pachidp.Values) error {
	//		idps, err := v.UpstreamIDPs()
	//		if err != nil {
	//			return err
	//		}
	//		return pachidp.Validate(idps, pachidp.ValidateOptions{}).Err()
	//	}
	Check func(*Values) error
}

// EditFile edits the values file at path in place: it reads the file, runs
// edit on it, runs opts.Check, and replaces the file with the result. It
// reports whether the file changed; an edit that changes nothing writes
// nothing.
//
// The file is never damaged. Nothing is written when the file does not
// parse, when edit, the self-check of every edit or opts.Check fails, or
// when the file is read-only. The new content goes to a temporary file in
// the same folder, which is synced and then renamed over the original, so a
// crash leaves either the old or the new file. The file's mode is kept, and
// its owner when the process may set it. Just before the rename the file is
// read again: if it changed on disk meanwhile (content, size, modification
// time or identity), EditFile refuses with ErrFileChanged. Nothing can stop
// another program from writing between that last check and the rename; use
// version control or a lock for that.
//
// A symbolic link is followed: its target is replaced and the link stays. A
// file with several hard links loses them: the path then names a new file.
//
// Errors name the file and wrap the cause: *SyntaxError, *EditError (with
// ErrIDPNotFound, ErrAnchor, ErrSelfCheck), ErrFileChanged, fs.ErrPermission,
// fs.ErrNotExist or the error of Check.
func EditFile(path string, opts FileOptions, edit func(*Values) error) (changed bool, err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false, err
	}
	before, err := os.Stat(target)
	if err != nil {
		return false, err
	}
	if !before.Mode().IsRegular() {
		return false, fmt.Errorf("%s is not a regular file", path)
	}
	if before.Mode().Perm()&0o222 == 0 {
		return false, fmt.Errorf("%s is read-only (mode %v): make it writable to edit it: %w", path, before.Mode().Perm(), fs.ErrPermission)
	}
	if f, err := os.OpenFile(target, os.O_WRONLY, 0); err != nil {
		return false, fmt.Errorf("%s: cannot be written: %w", path, err)
	} else if err := f.Close(); err != nil {
		return false, err
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return false, err
	}

	v, err := OpenValuesDocument(data, opts.Document)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if err := edit(v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if opts.Check != nil {
		if err := opts.Check(v); err != nil {
			return false, fmt.Errorf("%s: %w", path, err)
		}
	}
	out := v.Bytes()
	if bytes.Equal(out, data) {
		return false, nil
	}

	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".pachidp-*")
	if err != nil {
		return false, fmt.Errorf("%s: cannot create a temporary file next to it: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(out); err != nil {
		return false, fmt.Errorf("%s: writing the new content: %w", path, err)
	}
	if err = tmp.Chmod(before.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return false, fmt.Errorf("%s: keeping the file mode: %w", path, err)
	}
	if uid, gid, ok := fileOwner(before); ok {
		_ = tmp.Chown(uid, gid) // allowed for root, or to one's own group; best effort
	}
	if err = tmp.Sync(); err != nil {
		return false, fmt.Errorf("%s: writing the new content: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return false, fmt.Errorf("%s: writing the new content: %w", path, err)
	}

	// Refuse if the file changed since it was read.
	now, statErr := os.Stat(target)
	current, readErr := os.ReadFile(target)
	if statErr != nil || readErr != nil || !os.SameFile(before, now) || now.Size() != before.Size() ||
		!now.ModTime().Equal(before.ModTime()) || !bytes.Equal(current, data) {
		err = ErrFileChanged
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return false, fmt.Errorf("%s: replacing the file: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable; best effort
		_ = d.Sync()
		_ = d.Close()
	}
	return true, nil
}

// fileOwner returns the owner of a file on systems that have one (the Uid
// and Gid fields of syscall.Stat_t), without naming a platform's type.
func fileOwner(fi fs.FileInfo) (uid, gid int, ok bool) {
	sys := reflect.ValueOf(fi.Sys())
	if sys.Kind() == reflect.Pointer {
		sys = sys.Elem()
	}
	if sys.Kind() != reflect.Struct {
		return 0, 0, false
	}
	u, g := sys.FieldByName("Uid"), sys.FieldByName("Gid")
	if !u.IsValid() || !g.IsValid() || !u.CanUint() || !g.CanUint() {
		return 0, 0, false
	}
	return int(u.Uint()), int(g.Uint()), true
}
