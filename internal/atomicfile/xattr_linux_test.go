//go:build linux

package atomicfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"testing"
)

// aclXattr builds a POSIX access ACL as the kernel stores it in
// system.posix_acl_access (linux/posix_acl_xattr.h: a version 2 header,
// then entries tag u16, perm u16, id u32, sorted by tag and id): mode 0644
// plus a group that may read nothing.
func aclXattr(deniedGID uint32) []byte {
	const (
		userObj, group, groupObj, mask, other = 0x01, 0x08, 0x04, 0x10, 0x20
		undefined                             = 0xffffffff
	)
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	w(uint32(2))
	for _, e := range []struct {
		tag, perm uint16
		id        uint32
	}{{userObj, 6, undefined}, {groupObj, 4, undefined}, {group, 0, deniedGID}, {mask, 4, undefined}, {other, 4, undefined}} {
		w(e.tag)
		w(e.perm)
		w(e.id)
	}
	return b.Bytes()
}

// TestReplaceKeepsACLAndXattrs (issue 15): the rename of a new file over
// the old one dropped its POSIX ACL and user.* attributes, so a group the
// ACL denied could read the secrets of the next set-secret. The new file
// gets the old one's ACL and user attributes, byte for byte. It runs in
// t.TempDir() (ext4, tmpfs from Linux 6.6 and most file systems take user
// xattrs and ACLs); it says why when the file system takes neither.
func TestReplaceKeepsACLAndXattrs(t *testing.T) {
	path := writeTestFile(t, "clientSecret: old\n", 0o644)
	acl := aclXattr(4242)
	if err := syscall.Setxattr(path, "user.origin", []byte("kept"), 0); err != nil {
		if errors.Is(err, syscall.ENOTSUP) {
			t.Skipf("the file system of %s takes no user extended attributes (ENOTSUP)", path)
		}
		t.Fatal(err)
	}
	if err := syscall.Setxattr(path, "system.posix_acl_access", acl, 0); err != nil {
		if errors.Is(err, syscall.ENOTSUP) {
			t.Skipf("the file system of %s takes no POSIX ACLs (ENOTSUP)", path)
		}
		t.Fatal(err)
	}
	before, err := getXattr(path, "system.posix_acl_access")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(path, DefaultWait)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if err := l.Replace([]byte("clientSecret: old\n"), []byte("clientSecret: new\n")); err != nil {
		t.Fatal(err)
	}
	after, err := getXattr(path, "system.posix_acl_access")
	if err != nil {
		t.Fatalf("the ACL is gone after the edit: %v", err)
	}
	if !bytes.Equal(after, before) {
		t.Errorf("ACL after the edit %x, want %x", after, before)
	}
	if v, err := getXattr(path, "user.origin"); err != nil || string(v) != "kept" {
		t.Errorf("user.origin after the edit: %q, %v", v, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// Write keeps them too.
	if err := Write(path, []byte("clientSecret: newer\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if after, err := getXattr(path, "system.posix_acl_access"); err != nil || !bytes.Equal(after, before) {
		t.Errorf("ACL after Write: %x, %v", after, err)
	}
}
