//go:build !unix

package atomicfile

import "os"

// Without flock (Windows, Plan 9, wasm), the lock file's existence is the
// lock: it is created with O_EXCL and removed by its holder. A holder that
// crashes leaves it behind; the *LockError then says which file to remove.

func tryLockFile(f *os.File) (held bool, err error) { return false, nil }

const openLockFlags = os.O_RDWR | os.O_CREATE | os.O_EXCL

const exclusiveCreate = true

const openLockReadOnlyFlags = openLockFlags
