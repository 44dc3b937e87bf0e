package pachidp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// The writing and locking of files is internal/atomicfile's; this file
// holds the public surface and EditFile, which knows values files.

// ErrFileChanged is returned by EditFile and ReplaceFile when the file
// changed on disk between reading it and replacing it: nothing was written,
// and the other change is intact. Run the edit again.
var ErrFileChanged = atomicfile.ErrChanged

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
	st, err := atomicfile.Stat(path)
	if err != nil {
		return false, err
	}
	data, err := ReadFileLimited(st.Target, MaxValuesFileSize, path)
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
	if err := st.Replace(out, data); err != nil {
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
	path := l.l.Path()
	st, err := atomicfile.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", path, ErrFileChanged)
		}
		return err
	}
	return st.Replace(data, old)
}

// WriteFileAtomic writes data to path atomically (temporary file in the same
// folder, sync, rename). An existing file is replaced and keeps its mode and
// owner (a read-only one is refused with fs.ErrPermission); a new file gets
// perm. Use it for files that hold secrets, such as a Secret manifest, with
// perm 0600.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return atomicfile.Write(path, data, perm)
}

// fileOwner returns the owner of a file on systems that have one.
func fileOwner(fi fs.FileInfo) (uid, gid int, ok bool) { return atomicfile.Owner(fi) }

// ---------------------------------------------------------------------------
// Locking

// DefaultLockWait is how long EditFile, ReplaceFile and the pachidp command
// wait for another edit of the same file before giving up with a
// *LockError.
const DefaultLockWait = 10 * time.Second

// ErrLocked is wrapped by *LockError: another edit held the file's lock for
// the whole wait.
var ErrLocked = atomicfile.ErrLocked

// LockError is returned when another edit holds a file's lock longer than
// the wait: Path is the file to edit (as given), Lock the lock file, Holder
// what the lock file says of its holder ("pid 4242 (pachidp)", "" when it
// says nothing) and Waited how long the edit waited. errors.Is(err,
// ErrLocked) holds for it.
type LockError = atomicfile.LockError

// FileLock is the exclusive lock of one values file, taken by LockFile.
type FileLock struct {
	l *atomicfile.Lock
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
	l, err := atomicfile.Acquire(path, wait)
	if err != nil {
		return nil, err
	}
	return &FileLock{l: l}, nil
}

// Unlock removes the lock file (while still holding it) and releases the
// lock. It may be called more than once.
func (l *FileLock) Unlock() error {
	if l == nil {
		return nil
	}
	return l.l.Unlock()
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
func WriteSecretFile(path string, data []byte) error { return atomicfile.WriteSecret(path, data) }

// CheckSecretFile reports why WriteSecretFile would refuse path (nil when it
// would write it): a symbolic link, not a regular file, or a file another
// user owns. Call it before reading a file you mean to replace with secrets.
func CheckSecretFile(path string) error { return atomicfile.CheckSecret(path) }
