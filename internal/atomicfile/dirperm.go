package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ExplainDir turns the error of an edit of path that could not create a
// file beside it (the lock file, the temporary file) into one that says
// what is true: the folder is not writable. Opening the lock file for
// reading after the create was refused reports "no such file or
// directory", which is false: the file exists, its folder refuses new
// files. Other errors are returned as they are.
func ExplainDir(path string, err error) error {
	if err == nil || !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	if _, serr := os.Stat(path); serr != nil {
		return err // the file itself is missing: the error says so
	}
	target, lerr := filepath.EvalSymlinks(path)
	if lerr != nil {
		return err
	}
	dir := filepath.Dir(target)
	if abs, aerr := filepath.Abs(dir); aerr == nil {
		dir = abs
	}
	probe, perr := os.CreateTemp(dir, ".pachidp-probe-*")
	if perr == nil {
		probe.Close()
		os.Remove(probe.Name())
		return err // the folder takes new files: the cause is elsewhere
	}
	if !errors.Is(perr, fs.ErrPermission) {
		return err
	}
	return &DirError{Path: path, Dir: dir}
}

// DirError is an edit refused because the folder of the file does not let
// the caller create files: an edit writes its lock file and the new
// content beside the file, then renames the new file over it.
type DirError struct {
	Path string // the file, as given
	Dir  string // its folder (of the file a link names)
}

func (e *DirError) Error() string {
	return fmt.Sprintf("%s: permission denied on its folder %s: an edit creates its lock file and the new file beside the file and renames it over the file; make the folder writable (chmod u+w %s, or ask its owner) or edit a copy in a writable folder", e.Path, e.Dir, e.Dir)
}

// Unwrap makes errors.Is(err, fs.ErrPermission) true.
func (e *DirError) Unwrap() error { return fs.ErrPermission }
