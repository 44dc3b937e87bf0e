package atomicfile

import (
	"bytes"
	"errors"
	"io/fs"
	"time"
)

// EditOptions says how Edit reads and writes a file.
type EditOptions struct {
	// Wait is how long Edit waits for another edit of the file (Acquire);
	// 0 means DefaultWait.
	Wait time.Duration
	// Limit caps the read (ReadFile): past it Edit fails with a *SizeError
	// naming the path as given.
	Limit int64
	// Secret: the file holds secrets. It is refused before it is read when
	// WriteSecret would refuse it (CheckSecret: a symbolic link, another
	// user's file), it may not exist yet (edit then gets nil), and it is
	// written as WriteSecret writes, a new file of mode 0600 of the caller
	// (Lock.ReplaceSecret). Otherwise the file must exist and be writable
	// (Stat), and State.Replace keeps its mode and owner.
	Secret bool
}

// Edit is the one edit in place of a file that never damages it nor loses
// a concurrent edit: it reads the file, runs edit on what it holds (nil:
// the file does not exist, with Secret only) and replaces the file with
// what edit returns, provided the file still holds what was read. It
// reports whether it wrote; output equal to the input writes nothing (nil
// for a missing file: it stays missing).
//
// The first run reads and edits without the file's lock, so that a slow
// edit holds up no other; the lock is taken for the check and the rename.
// If the file changed since the read (another edit ran), edit runs again
// holding the lock from the read to the rename, so that it edits the new
// content; when the file changes during that run too (a program that takes
// no lock), Edit fails with an error wrapping ErrChanged. edit may thus
// run twice, each time on the file as it then is.
//
// Errors of the read, of edit and of the write are returned as they are:
// a *SizeError, a *LockError (ErrLocked), fs.ErrNotExist, fs.ErrPermission,
// ErrChanged, CheckSecret's refusal, or edit's error.
func Edit(path string, o EditOptions, edit func(old []byte) ([]byte, error)) (changed bool, err error) {
	if o.Wait <= 0 {
		o.Wait = DefaultWait
	}
	changed, retry, err := editOnce(path, o, edit, false)
	if retry {
		changed, _, err = editOnce(path, o, edit, true)
	}
	return changed, err
}

// editOnce is one run of Edit: locked, the lock is held from the read to
// the rename; otherwise it is taken for the rename only, and retry reports
// that the file changed since the read.
func editOnce(path string, o EditOptions, edit func([]byte) ([]byte, error), locked bool) (changed, retry bool, err error) {
	var lock *Lock
	acquire := func() error {
		l, err := Acquire(path, o.Wait)
		if err != nil {
			return ExplainDir(path, err)
		}
		lock = l
		return nil
	}
	if locked {
		if err := acquire(); err != nil {
			return false, false, err
		}
		defer lock.Unlock()
	}
	data, st, err := readForEdit(path, o)
	if err != nil {
		return false, false, err
	}
	out, err := edit(data)
	if err != nil {
		return false, false, err
	}
	if bytes.Equal(out, data) && (data != nil || out == nil) {
		return false, false, nil // nil for a missing file: it stays missing
	}
	if !locked {
		if err := acquire(); err != nil {
			return false, false, err
		}
		defer lock.Unlock()
	}
	if o.Secret {
		// Refused when the file changed since the read, or was created
		// (data nil: two edits that both found none would each write one,
		// and the second would drop the first's).
		err = lock.ReplaceSecret(data, out)
	} else {
		err = st.Replace(out, data)
	}
	if err != nil {
		if !locked && errors.Is(err, ErrChanged) {
			return false, true, nil
		}
		return false, false, err
	}
	return true, false, nil
}

// readForEdit reads the file Edit edits: for a secret, after CheckSecret,
// nil when it does not exist; otherwise after Stat, whose State replaces it.
func readForEdit(path string, o EditOptions) ([]byte, *State, error) {
	if o.Secret {
		if err := CheckSecret(path); err != nil {
			return nil, nil, err
		}
		data, err := ReadFile(path, o.Limit, path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		if err == nil && data == nil {
			data = []byte{} // an empty file, not a missing one
		}
		return data, nil, err
	}
	st, err := Stat(path)
	if err != nil {
		return nil, nil, err
	}
	data, err := ReadFile(st.Target, o.Limit, path)
	if err == nil && data == nil {
		data = []byte{}
	}
	return data, st, err
}
