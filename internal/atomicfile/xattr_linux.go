//go:build linux

package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// keptXattrs reports whether a file's extended attribute is copied to its
// replacement: the POSIX access ACL (system.posix_acl_access, which setfacl
// writes) and every user.* attribute. Others (security.selinux, set by
// the policy for a new file; trusted.*, root's) are left to the system.
func keptXattr(name string) bool {
	return name == "system.posix_acl_access" || strings.HasPrefix(name, "user.")
}

// copyXattrs gives the temporary file tmp the ACL and user attributes of
// target, the file it replaces, so that the rename does not widen who may
// read it: with an ACL that denies a group, a new file without it would let
// that group read the new secrets. Called before any content is written.
// An attribute that cannot be kept is an error: the edit is refused rather
// than made with looser access.
func copyXattrs(path, target, tmp string) error {
	names, err := listXattrs(target)
	if err != nil {
		if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOENT) {
			// No extended attributes on this file system; or the file is
			// gone, which the check before the rename reports (ErrChanged).
			return nil
		}
		return fmt.Errorf("%s: reading its extended attributes (ACL), to keep them: %w", path, err)
	}
	for _, name := range names {
		if !keptXattr(name) {
			continue
		}
		val, err := getXattr(target, name)
		if errors.Is(err, syscall.ENODATA) {
			continue // removed meanwhile
		}
		if err != nil {
			return fmt.Errorf("%s: reading its extended attribute %s, to keep it: %w", path, name, err)
		}
		if err := syscall.Setxattr(tmp, name, val, 0); err != nil {
			what := "extended attribute " + name
			if name == "system.posix_acl_access" {
				what = "ACL (" + name + ")"
			}
			return fmt.Errorf("%s: cannot keep its %s on the new file (%w), nothing was written: remove it (setfacl -b, setfattr -x) to edit the file, or edit it where the attribute can be set", path, what, err)
		}
	}
	return nil
}

// listXattrs returns the names of a file's extended attributes.
func listXattrs(path string) ([]string, error) {
	buf, err := readSized(func(b []byte) (int, error) { return syscall.Listxattr(path, b) })
	if err != nil || len(buf) == 0 {
		return nil, err
	}
	var names []string
	for _, n := range bytes.Split(bytes.TrimSuffix(buf, []byte{0}), []byte{0}) {
		names = append(names, string(n))
	}
	return names, nil
}

// getXattr returns the value of a file's extended attribute.
func getXattr(path, name string) ([]byte, error) {
	return readSized(func(b []byte) (int, error) { return syscall.Getxattr(path, name, b) })
}

// readSized calls a listxattr/getxattr-like function with a buffer of the
// size it asks for, again when the attribute grew in between (ERANGE).
func readSized(call func([]byte) (int, error)) ([]byte, error) {
	for range 8 {
		n, err := call(nil)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		buf := make([]byte, n)
		n, err = call(buf)
		if errors.Is(err, syscall.ERANGE) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
	return nil, syscall.ERANGE
}
