package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteSecret writes data, which holds secrets, to path as a new file of
// mode 0600 owned by the caller: a temporary file created exclusively (0600)
// in the same folder, synced and renamed over path. It never writes through
// a link or into an existing file: it refuses when path is a symbolic link
// or a file another user owns, or not a regular file (CheckSecret). An
// existing file of the caller is replaced (a new inode: its old mode, its
// other hard links and anyone's open descriptor keep the old content, not
// the secrets).
//
// Errors name path and say what to do; they never hold data.
func WriteSecret(path string, data []byte) error { return writeSecret(path, data, nil) }

// writeSecret is WriteSecret with check, when set, run just before the
// rename (after the new content is synced): its error stops the write.
func writeSecret(path string, data []byte, check func() error) error {
	if err := CheckSecret(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".pachidp-*")
	if err != nil {
		return fmt.Errorf("%s: cannot create a temporary file next to it: %w", path, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("%s: setting mode 0600: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("%s: writing: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: writing: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: writing: %w", path, err)
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	// rename replaces the directory entry itself: a link planted after the
	// check above is replaced, never followed.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapLink(err))
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// CheckSecret reports why WriteSecret would refuse path (nil when it would
// write it): a symbolic link, not a regular file, or a file another user
// owns. Call it before reading a file you mean to replace with secrets.
func CheckSecret(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: a file that holds secrets is never written through a link (it could point into another user's file); remove the link or pass another path", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file: pass the path of a file", path)
	}
	if uid, _, ok := Owner(fi); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to another user (uid %d): a file that holds secrets is only written as the caller's own new file; remove it or pass another path", path, uid)
	}
	return nil
}
