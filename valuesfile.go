package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
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

	// LockWait is how long EditFile waits for another edit of the same
	// file to finish (see LockFile); 0 means DefaultLockWait.
	LockWait time.Duration
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
// time or identity), EditFile refuses with ErrFileChanged.
//
// Edits of one file serialize: EditFile holds the file's lock (LockFile)
// from the read to the rename, so a second EditFile, ReplaceFile or pachidp
// command on the same file waits for the first (up to opts.LockWait) and
// then edits the new content; no edit is lost. A program that does not take
// the lock (an editor) is caught by the check above, except in the instant
// between that check and the rename.
//
// A symbolic link is followed: its target is replaced and the link stays. A
// file with several hard links loses them: the path then names a new file.
//
// Errors name the file and wrap the cause: *SyntaxError, *EditError (with
// ErrIDPNotFound, ErrAnchor, ErrSelfCheck), ErrFileChanged, fs.ErrPermission,
// fs.ErrNotExist or the error of Check.
func EditFile(path string, opts FileOptions, edit func(*Values) error) (changed bool, err error) {
	wait := opts.LockWait
	if wait <= 0 {
		wait = DefaultLockWait
	}
	lock, err := LockFile(path, wait)
	if err != nil {
		return false, err
	}
	defer lock.Unlock()
	target, before, err := statWritable(path)
	if err != nil {
		return false, err
	}
	data, err := ReadFileLimited(target, MaxValuesFileSize, path)
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
//
// It takes the file's lock (LockFile) for the check and the rename; to hold
// the lock from your read on, use LockFile and FileLock.ReplaceFile.
func ReplaceFile(path string, old, data []byte) error {
	lock, err := LockFile(path, DefaultLockWait)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", path, ErrFileChanged)
		}
		return err
	}
	defer lock.Unlock()
	return lock.ReplaceFile(old, data)
}

// ReplaceFile is the package's ReplaceFile for the file l locks, which it
// already holds.
func (l *FileLock) ReplaceFile(old, data []byte) error {
	path := l.path
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
		current, readErr := ReadFileLimited(target, MaxValuesFileSize, path)
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

// ---------------------------------------------------------------------------
// Locking

// DefaultLockWait is how long EditFile, ReplaceFile and the pachidp command
// wait for another edit of the same file before giving up with a
// *LockError.
const DefaultLockWait = 10 * time.Second

// ErrLocked is wrapped by *LockError: another edit held the file's lock for
// the whole wait.
var ErrLocked = errors.New("another edit holds the file's lock")

// LockError is returned when another edit holds a file's lock longer than
// the wait. Holder is what the lock file says of its holder ("pid 4242
// (pachidp)"), "" when it says nothing.
type LockError struct {
	Path   string        // the file to edit, as given
	Lock   string        // the lock file
	Holder string        // the holder, when the lock file names it
	Waited time.Duration // how long the edit waited
}

// Error names the file, the lock file and its holder, and what to do.
func (e *LockError) Error() string {
	holder := "another edit"
	if e.Holder != "" {
		holder = "another edit, " + e.Holder + ","
	}
	return fmt.Sprintf("%s: %s held the lock %s for the %v this one waited: run the edit again when it is done; if no pachidp runs on this file, remove %s",
		e.Path, holder, e.Lock, e.Waited, e.Lock)
}

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockError) Unwrap() error { return ErrLocked }

// FileLock is the exclusive lock of one values file, taken by LockFile.
type FileLock struct {
	path     string // as given
	lockPath string
	f        *os.File
}

// LockFile takes the exclusive advisory lock of the file at path, waiting
// up to wait for another holder, and returns it; call Unlock when done.
// EditFile and ReplaceFile take it themselves; the pachidp command holds it
// from its read of a file to its rename over it.
//
// The lock is an flock (on unix) on a lock file beside the file's target
// (symbolic links followed): for values.yaml, .values.yaml.pachidp.lock.
// It cannot be the file itself: an edit replaces the file by renaming a new
// one over it, so a lock on the file would stay on the old inode while the
// next edit locks the new one, and both would run. The lock file is removed
// by its holder on Unlock; a waiter that then holds the lock of a removed
// file sees that the path names another file (or none) and tries again, so
// two holders never coexist. A lock file left by a crash holds no lock:
// flock locks die with their process. Where flock does not exist, the lock
// file's existence (O_EXCL) is the lock.
//
// Every program that edits the file must take the lock for this to hold;
// others are caught, except in one instant, by ErrFileChanged.
func LockFile(path string, wait time.Duration) (*FileLock, error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	lockPath := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".pachidp.lock")
	start := time.Now()
	delay := 2 * time.Millisecond
	for {
		// 0644: another user who edits the same file can open it to
		// flock it; it holds no secret, only the holder's pid.
		f, err := os.OpenFile(lockPath, openLockFlags, 0o644)
		if errors.Is(err, fs.ErrPermission) && !exclusiveCreate {
			f, err = os.OpenFile(lockPath, openLockReadOnlyFlags, 0)
		}
		switch {
		case err == nil:
			held, err := tryLockFile(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: cannot lock %s: %w", path, lockPath, err)
			}
			if !held {
				// Ours, if the path still names the file we locked: its
				// holder may have removed it between our open and our lock.
				fi, err1 := f.Stat()
				now, err2 := os.Lstat(lockPath)
				if err1 == nil && err2 == nil && os.SameFile(fi, now) {
					if f.Truncate(0) == nil {
						_, _ = f.WriteAt([]byte(holderText()+"\n"), 0)
					}
					return &FileLock{path: path, lockPath: lockPath, f: f}, nil
				}
				f.Close()
				continue
			}
			f.Close()
		case exclusiveCreate && errors.Is(err, fs.ErrExist):
		default:
			return nil, fmt.Errorf("%s: cannot create the lock file %s next to it: %w", path, lockPath, err)
		}
		if waited := time.Since(start); waited >= wait {
			return nil, &LockError{Path: path, Lock: lockPath, Holder: readHolder(lockPath), Waited: waited.Round(time.Millisecond)}
		}
		time.Sleep(delay)
		delay = min(delay*2, 50*time.Millisecond)
	}
}

// Unlock removes the lock file (while still holding it) and releases the
// lock. It may be called more than once.
func (l *FileLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = os.Remove(l.lockPath) // best effort: a lock file left behind holds no lock
	err := l.f.Close()
	l.f = nil
	return err
}

// holderText is what a holder writes into the lock file.
func holderText() string {
	return "pid " + strconv.Itoa(os.Getpid()) + " (" + filepath.Base(os.Args[0]) + ")"
}

// readHolder returns the holder a lock file names, or "".
func readHolder(lockPath string) string {
	f, err := os.OpenFile(lockPath, openLockReadOnlyFlags, 0)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 128)
	n, _ := f.Read(buf)
	s := strings.TrimSpace(string(buf[:n]))
	if !strings.HasPrefix(s, "pid ") || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
		return ""
	}
	return s
}

// ---------------------------------------------------------------------------
// Files that hold secrets

// WriteSecretFile writes data, which holds secrets, to path as a new file of
// mode 0600 owned by the caller: a temporary file created exclusively (0600)
// in the same folder, synced and renamed over path. It never writes through
// a link or into an existing file: it refuses when path is a symbolic link
// or a file another user owns, or not a regular file. An existing file of
// the caller is replaced (a new inode: its old mode, its other hard links
// and anyone's open descriptor keep the old content, not the secrets).
//
// Errors name path and say what to do; they never hold data.
func WriteSecretFile(path string, data []byte) error {
	if err := CheckSecretFile(path); err != nil {
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

// CheckSecretFile reports why WriteSecretFile would refuse path (nil when it
// would write it): a symbolic link, not a regular file, or a file another
// user owns. Call it before reading a file you mean to replace with secrets.
func CheckSecretFile(path string) error {
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
	if uid, _, ok := fileOwner(fi); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to another user (uid %d): a file that holds secrets is only written as the caller's own new file; remove it or pass another path", path, uid)
	}
	return nil
}
