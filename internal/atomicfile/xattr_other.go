//go:build !linux

package atomicfile

// copyXattrs keeps nothing where the syscall package reads no extended
// attributes: a replaced file there has its mode and owner, not its ACL.
func copyXattrs(path, target, tmp string) error { return nil }
