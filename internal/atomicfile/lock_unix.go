//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// tryLockFile takes an exclusive flock on the open lock file without
// waiting; held reports that another process (or another open of the file
// in this one) holds it.
func tryLockFile(f *os.File) (held bool, err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EAGAIN) {
		return true, nil
	}
	return false, err
}

// openLockFlags opens the lock file without following a symbolic link
// planted in its place, and without waiting (O_NONBLOCK) if a named pipe or
// a device was planted there: Acquire then refuses it (not a regular file).
const openLockFlags = os.O_RDWR | os.O_CREATE | syscall.O_NOFOLLOW | syscall.O_CLOEXEC | syscall.O_NONBLOCK

// exclusiveCreate: with flock, the lock file may exist (left by a crash);
// the flock, not its existence, is the lock.
const exclusiveCreate = false

// openLockReadOnlyFlags open a lock file another user created (its mode
// keeps others from writing the holder into it): flock needs no write
// access.
const openLockReadOnlyFlags = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_CLOEXEC | syscall.O_NONBLOCK
