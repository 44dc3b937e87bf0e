package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ErrLocked is wrapped by *LockError: another edit held the file's lock for
// the whole wait.
var ErrLocked = errors.New("another edit holds the file's lock")

// LockError is returned when another edit holds a file's lock longer than
// the wait. Holder is the pid the lock file names ("pid 4242"), "" when it
// names none: nothing else of the file's text.
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

// Lock is the exclusive lock of one file, taken by Acquire.
type Lock struct {
	path     string // as given
	lockPath string
	f        *os.File
}

// Path returns the path of the locked file, as given to Acquire.
func (l *Lock) Path() string {
	if l == nil {
		return ""
	}
	return l.path
}

// Acquire takes the exclusive advisory lock of the file at path, which may
// not exist yet (a file the holder is about to create), waiting up
// to wait for another holder (polling, from 2 ms up to 50 ms apart), and
// returns it; call Unlock when done. On timeout it returns a *LockError
// naming the holder the lock file names.
//
// The lock is an flock (on unix) on a lock file beside the file's target
// (symbolic links followed): for values.yaml, .values.yaml.pachidp.lock.
// It cannot be the file itself: an edit replaces the file by renaming a new
// one over it, so a lock on the file would stay on the old inode while the
// next edit locks the new one, and both would run.
//
// Why two holders never coexist: the holder removes the lock file on Unlock
// while still holding it, so a waiter that then gets the flock of the
// removed file checks that the path still names the file it locked (same
// identity) and otherwise starts again with the new one. A lock file left
// by a crash holds no lock: flock locks die with their process. The lock
// file is opened without following a symbolic link planted in its place.
// Where flock does not exist, the lock file's existence (O_EXCL) is the
// lock, and a crash leaves it behind (the *LockError says which to remove).
//
// Every program that edits the file must take the lock for this to hold;
// others are caught, except in one instant, by State.Replace's check.
func Acquire(path string, wait time.Duration) (*Lock, error) {
	lockPath, err := lockFileFor(path)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	delay := 2 * time.Millisecond
	for {
		// 0644: another user who edits the same file can open it to
		// flock it; it holds no secret, only the holder's pid.
		f, err := os.OpenFile(lockPath, openLockFlags, 0o644)
		if errors.Is(err, fs.ErrPermission) && !exclusiveCreate {
			f, err = os.OpenFile(lockPath, openLockReadOnlyFlags, 0)
		}
		if err == nil {
			// A named pipe or device planted as the lock file would block
			// a read (or a write) of it for ever: refused, never locked.
			if fi, serr := f.Stat(); serr != nil || !fi.Mode().IsRegular() {
				f.Close()
				return nil, fmt.Errorf("%s: the lock file %s is not a regular file (someone put it there): remove it and run the edit again", path, lockPath)
			}
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
					return &Lock{path: path, lockPath: lockPath, f: f}, nil
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

// lockFileFor returns the lock file of path: beside the file path names
// (symbolic links followed), or, for a file that does not exist yet, beside
// where it will be created (its folder's links followed). A file about to be
// created needs the lock as much as one about to be replaced: two edits that
// both find it missing would otherwise both create it, and the second rename
// would drop what the first wrote.
func lockFileFor(path string) (string, error) {
	var target string
	var err error
	// Again when the file appears between the two looks (another edit
	// created it); a link to nothing fails each time.
	for range 3 {
		target, err = filepath.EvalSymlinks(path)
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
		if _, lerr := os.Lstat(path); errors.Is(lerr, fs.ErrNotExist) {
			dir, derr := filepath.EvalSymlinks(filepath.Dir(path))
			if derr != nil {
				return "", derr
			}
			target, err = filepath.Join(dir, filepath.Base(path)), nil
			break
		}
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".pachidp.lock"), nil
}

// Unlock removes the lock file (while still holding it) and releases the
// lock. It may be called more than once, and on a nil *Lock.
func (l *Lock) Unlock() error {
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

// readHolder returns the holder a lock file names, or "": "pid N" alone,
// whatever else the file says, so that a planted lock file cannot put its
// text (instructions, control characters) into an error message. It reads
// a regular file only, without waiting: a named pipe is never read.
func readHolder(lockPath string) string {
	f, err := os.OpenFile(lockPath, openLockReadOnlyFlags, 0)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	buf := make([]byte, 32)
	n, _ := f.Read(buf)
	return holderPID(buf[:n])
}

// holderPID returns "pid N" when text starts as holderText writes it, with
// N a positive decimal of at most 10 digits, else "".
func holderPID(text []byte) string {
	rest, ok := bytes.CutPrefix(text, []byte("pid "))
	if !ok {
		return ""
	}
	n := 0
	for n < len(rest) && n <= 10 && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n == 0 || n > 10 || rest[0] == '0' || n < len(rest) && rest[n] != ' ' && rest[n] != '\n' {
		return ""
	}
	return "pid " + string(rest[:n])
}

// DefaultWait is how long an edit waits for another edit of the same file
// before giving up with a *LockError: EditFile's and the command's wait.
const DefaultWait = 10 * time.Second

// ReplaceFile replaces the file at path with data, atomically, provided it
// still holds old (the bytes it was read as); otherwise it returns an error
// wrapping ErrChanged and writes nothing. It takes the file's lock (waiting
// up to DefaultWait) for the check and the rename.
func ReplaceFile(path string, old, data []byte) error {
	l, err := Acquire(path, DefaultWait)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
		return err
	}
	defer l.Unlock()
	return l.Replace(old, data)
}

// Replace is ReplaceFile for the file l locks, which it already holds.
func (l *Lock) Replace(old, data []byte) error {
	path := l.Path()
	st, err := Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
		return err
	}
	return st.Replace(data, old)
}

// ReplaceSecret is WriteSecret for the file l locks, provided the file
// still holds old, the bytes it was read as, or, for old == nil, still does
// not exist: otherwise it returns an error wrapping ErrChanged and writes
// nothing. The check runs just before the rename, after the new content is
// synced, like State.Replace's, so that a program that does not take the
// lock (an editor, a script) and changed the file since it was read is
// caught, except in that instant, instead of silently overwritten.
func (l *Lock) ReplaceSecret(old, data []byte) error {
	path := l.Path()
	return writeSecret(path, data, func() error {
		if !Holds(path, old) {
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
		return nil
	})
}

// Holds reports whether the file at path holds old, or, for old == nil,
// does not exist. It reads at most len(old)+1 bytes.
func Holds(path string, old []byte) bool {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return old == nil
	}
	if err != nil || old == nil {
		if f != nil {
			f.Close()
		}
		return false
	}
	defer f.Close()
	current, err := io.ReadAll(io.LimitReader(f, int64(len(old))+1))
	return err == nil && bytes.Equal(current, old)
}
