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

// ErrFileChanged is returned by EditFile and ReplaceFile when the file
// changed on disk between reading it and replacing it: nothing was written,
// and the other change is intact. Run the edit again.
var ErrFileChanged = errors.New("the file changed on disk during the edit; nothing was written: run the edit again")

// FileOptions tunes EditFile. The zero value edits a file of one document
// and writes without further checks.
type FileOptions struct {
	// Document picks the document (0-based) of a YAML file holding several
	// documents separated by "---", such as new(1). When it is nil, a file
	// of several documents is an error: Helm reads only the first, so
	// editing another must be a choice.
	Document *int

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
	target, before, err := statWritable(path)
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return false, err
	}
	var v *Values
	if opts.Document != nil {
		v, err = OpenValuesDocument(data, *opts.Document)
	} else {
		v, err = OpenValues(data)
	}
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
	if err := replaceAtomic(path, target, before, out, data); err != nil {
		return false, err
	}
	return true, nil
}

// ReplaceFile replaces the file at path with data, atomically and with the
// guarantees of EditFile, provided it still holds old: the bytes it was read
// as. Otherwise it returns an error wrapping ErrFileChanged and writes
// nothing. Use it when the read and the write are apart in your program.
func ReplaceFile(path string, old, data []byte) error {
	target, before, err := statWritable(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", path, ErrFileChanged)
		}
		return err
	}
	return replaceAtomic(path, target, before, data, old)
}

// WriteFileAtomic writes data to path atomically (temporary file in the same
// folder, sync, rename). An existing file is replaced and keeps its mode and
// owner (a read-only one is refused with fs.ErrPermission); a new file gets
// perm. Use it for files that hold secrets, such as a Secret manifest, with
// perm 0600.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	target, before, err := statWritable(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeAtomic(path, path, nil, perm, data, nil)
	case err != nil:
		return err
	}
	return writeAtomic(path, target, before, 0, data, nil)
}

// statWritable follows symbolic links and checks that the file is a regular
// file its owner may write.
func statWritable(path string) (target string, fi fs.FileInfo, err error) {
	target, err = filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, err
	}
	fi, err = os.Stat(target)
	if err != nil {
		return "", nil, err
	}
	if !fi.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return "", nil, fmt.Errorf("%s is read-only (mode %v): make it writable to edit it: %w", path, fi.Mode().Perm(), fs.ErrPermission)
	}
	if f, err := os.OpenFile(target, os.O_WRONLY, 0); err != nil {
		return "", nil, fmt.Errorf("%s: cannot be written: %w", path, err)
	} else if err := f.Close(); err != nil {
		return "", nil, err
	}
	return target, fi, nil
}

// replaceAtomic writes out over target unless target no longer is the file
// (identity, size, time) that held old.
func replaceAtomic(path, target string, before fs.FileInfo, out, old []byte) error {
	return writeAtomic(path, target, before, 0, out, func() error {
		now, statErr := os.Stat(target)
		current, readErr := os.ReadFile(target)
		if statErr != nil || readErr != nil || !os.SameFile(before, now) || now.Size() != before.Size() ||
			!now.ModTime().Equal(before.ModTime()) || !bytes.Equal(current, old) {
			return fmt.Errorf("%s: %w", path, ErrFileChanged)
		}
		return nil
	})
}

// writeAtomic is the one writer behind EditFile, ReplaceFile and
// WriteFileAtomic: a temporary file beside target, the mode (and owner) of
// before or perm for a new file, sync, then check (when set) and rename.
func writeAtomic(path, target string, before fs.FileInfo, perm os.FileMode, out []byte, check func() error) (err error) {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".pachidp-*")
	if err != nil {
		return fmt.Errorf("%s: cannot create a temporary file next to it: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(out); err != nil {
		return fmt.Errorf("%s: writing the new content: %w", path, err)
	}
	mode := perm
	if before != nil {
		mode = before.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("%s: keeping the file mode: %w", path, err)
	}
	if before != nil {
		if uid, gid, ok := fileOwner(before); ok {
			_ = tmp.Chown(uid, gid) // allowed for root, or to one's own group; best effort
		}
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("%s: writing the new content: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("%s: writing the new content: %w", path, err)
	}
	if check != nil {
		if err = check(); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("%s: replacing the file: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable; best effort
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
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
