package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
)

// ErrChanged is returned, wrapped with the file's path, by State.Replace when
// the file changed on disk since it was stated and read: nothing was
// written, and the other change is intact.
var ErrChanged = errors.New("the file changed on disk during the edit; nothing was written: run the edit again")

// State is an existing regular file as Stat found it: the path as given,
// the file it names (symbolic links followed) and that file's identity,
// size, modification time and mode.
type State struct {
	Path   string      // as given, for errors
	Target string      // the file Path names, links followed: read and replace this one
	Info   fs.FileInfo // of Target when stated
}

// Stat follows symbolic links and checks that path names a regular file
// that may be written: a write permission bit set (a read-only file is
// refused with fs.ErrPermission) and an open for writing that succeeds. A
// missing file is an error wrapping fs.ErrNotExist.
func Stat(path string) (*State, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return nil, fmt.Errorf("%s is read-only (mode %v): make it writable to edit it: %w", path, fi.Mode().Perm(), fs.ErrPermission)
	}
	if f, err := os.OpenFile(target, os.O_WRONLY, 0); err != nil {
		return nil, fmt.Errorf("%s: cannot be written: %w", path, err)
	} else if err := f.Close(); err != nil {
		return nil, err
	}
	return &State{Path: path, Target: target, Info: fi}, nil
}

// Replace writes data over the file, atomically (see Write), provided the
// file still is the one s describes and still holds old, the bytes it was
// read as: same identity (no rename over it), size and modification time,
// same bytes. Otherwise it returns an error wrapping ErrChanged and writes
// nothing. The new file keeps s's mode and, where the process may set it,
// its owner.
//
// The check runs after the new content is written and synced to the
// temporary file, just before the rename, to leave the smallest window for
// a program that does not take the file's Lock.
//
// Call it while holding the file's Lock: it first removes the temporary
// files of this naming that a killed edit left beside the file
// (removeOrphans), which hold that edit's content, secrets included.
func (s *State) Replace(data, old []byte) error {
	removeOrphans(s.Target)
	return writeAtomic(s.Path, s.Target, s.Info, 0, data, func() error {
		if !s.unchanged(old) {
			return fmt.Errorf("%s: %w", s.Path, ErrChanged)
		}
		return nil
	})
}

// unchanged reports whether Target still is the file of s and holds old.
func (s *State) unchanged(old []byte) bool {
	now, err := os.Stat(s.Target)
	if err != nil || !os.SameFile(s.Info, now) || now.Size() != s.Info.Size() || !now.ModTime().Equal(s.Info.ModTime()) {
		return false
	}
	f, err := os.Open(s.Target)
	if err != nil {
		return false
	}
	defer f.Close()
	// One byte more than old tells a longer file apart.
	current, err := io.ReadAll(io.LimitReader(f, int64(len(old))+1))
	return err == nil && bytes.Equal(current, old)
}

// Write writes data to path atomically (temporary file in the same folder,
// sync, rename): a reader sees the old content or the new one, never a mix,
// and a crash leaves one or the other. An existing file is replaced (links
// followed) and keeps its mode and owner; a read-only one is refused with
// fs.ErrPermission. A new file gets perm.
func Write(path string, data []byte, perm os.FileMode) error {
	s, err := Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeAtomic(path, path, nil, perm, data, nil)
	case err != nil:
		return err
	}
	return writeAtomic(path, s.Target, s.Info, 0, data, nil)
}

// writeAtomic is the one writer behind Replace and Write: a temporary file
// beside target (so that the rename stays in one file system and is
// atomic), the ACL and user extended attributes of target (copyXattrs; an
// attribute that cannot be kept refuses the write), the mode (and owner)
// of before or perm for a new file, then the content, sync, check (when
// set) and rename, then a sync of the folder to make the rename durable.
// The content goes in last, once the file's access is the old file's.
// Every failure before the rename removes the temporary file and leaves
// target untouched; errors name path and never hold the content.
func writeAtomic(path, target string, before fs.FileInfo, perm os.FileMode, out []byte, check func() error) (err error) {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, tempPattern(target))
	if err != nil {
		return fmt.Errorf("%s: cannot create a temporary file next to it: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if before != nil {
		if err = copyXattrs(path, target, tmp.Name()); err != nil {
			return err
		}
	}
	mode := perm
	if before != nil {
		mode = before.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("%s: keeping the file mode: %w", path, err)
	}
	if before != nil {
		if uid, gid, ok := Owner(before); ok {
			_ = tmp.Chown(uid, gid) // allowed for root, or to one's own group; best effort
		}
	}
	if _, err = tmp.Write(out); err != nil {
		return fmt.Errorf("%s: writing the new content: %w", path, err)
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

// Owner returns the owner of a file on systems that have one (the Uid and
// Gid fields of syscall.Stat_t), without naming a platform's type.
func Owner(fi fs.FileInfo) (uid, gid int, ok bool) {
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
