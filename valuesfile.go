package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Errors EditFile, ReplaceFile and WriteFileAtomic wrap; test for them with
// errors.Is.
var (
	// ErrFileChanged: the file changed on disk between the read and the
	// write of an edit. Nothing was written; read it again and redo the edit.
	ErrFileChanged = errors.New("the file changed on disk since it was read")
	// ErrFileReadOnly: the file has no write permission for its owner.
	// Nothing was written.
	ErrFileReadOnly = errors.New("the file is read-only")
)

// FileOptions tunes EditFile.
type FileOptions struct {
	// Document is the index of the document to edit in a file that holds
	// several (separated by ---). A file of one document needs 0, and a file
	// of several is an error unless Document is given with MultiDocument.
	Document int
	// MultiDocument says Document was chosen on purpose.
	MultiDocument bool
	// Check, when set, runs on the edited document before anything is
	// written: an error stops the write. Use it to validate, for example:
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

// EditFile applies edit to the values file at path, in place and atomically:
// it reads the file, opens it (YAML or JSON), runs edit and then opts.Check,
// and when the document changed it writes a temporary file in the same
// folder, syncs it and renames it over the original, which keeps its mode.
// A symbolic link is followed and its target replaced.
//
// Nothing is written when the file cannot be parsed, when edit, opts.Check or
// the edit's own re-parse check fails, when the file is read-only
// (ErrFileReadOnly), or when it changed on disk while the edit ran
// (ErrFileChanged). changed reports whether the file was rewritten; an edit
// that leaves the document as it was does not touch the file.
func EditFile(path string, opts FileOptions, edit func(*Values) error) (changed bool, err error) {
	path, err = resolveFile(path)
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var v *Values
	if opts.MultiDocument {
		v, err = OpenValuesDocument(data, opts.Document)
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
	if bytes.Equal(v.Bytes(), data) {
		return false, nil
	}
	if err := ReplaceFile(path, data, v.Bytes()); err != nil {
		return false, err
	}
	return true, nil
}

// ReplaceFile replaces the file at path with data, atomically, provided it
// still holds old: the bytes it was read as. Otherwise it returns an error
// wrapping ErrFileChanged and writes nothing. The file keeps its mode; a
// read-only file is refused (ErrFileReadOnly).
func ReplaceFile(path string, old, data []byte) error {
	return writeAtomic(path, data, 0, func(current []byte, exists bool) error {
		if !exists || !bytes.Equal(current, old) {
			return ErrFileChanged
		}
		return nil
	})
}

// WriteFileAtomic writes data to path atomically (temporary file in the same
// folder, sync, rename). An existing file is replaced and keeps its mode
// (a read-only one is refused with ErrFileReadOnly); a new file gets perm.
// Use it for files that hold secrets, such as a Secret manifest, with perm
// 0600.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return writeAtomic(path, data, perm, nil)
}

// resolveFile follows symbolic links, so that an edit replaces the file and
// not the link.
func resolveFile(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	return real, nil
}

// writeAtomic is the one writer behind the exported calls. expect, when set,
// sees the file's current content just before the rename and can refuse.
func writeAtomic(path string, data []byte, perm os.FileMode, expect func(current []byte, exists bool) error) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := perm
	if mode == 0 {
		mode = 0o600
	}
	st, statErr := os.Stat(path)
	exists := statErr == nil
	switch {
	case exists && !st.Mode().IsRegular():
		return &fs.PathError{Op: "write", Path: path, Err: errors.New("not a regular file")}
	case exists && st.Mode().Perm()&0o200 == 0:
		return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("%w (mode %04o): make it writable to edit it in place", ErrFileReadOnly, st.Mode().Perm())}
	case exists:
		mode = st.Mode().Perm()
	case !errors.Is(statErr, fs.ErrNotExist):
		return statErr
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".pachidp-*")
	if err != nil {
		return fmt.Errorf("cannot write beside %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if expect != nil {
		current, readErr := os.ReadFile(path)
		if readErr != nil && !errors.Is(readErr, fs.ErrNotExist) {
			return readErr
		}
		if err = expect(current, readErr == nil); err != nil {
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
