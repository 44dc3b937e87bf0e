// Package atomicfile writes files so that no reader, crash or concurrent
// edit ever sees or makes a damaged one: atomic replacement, replacement
// only if unchanged, the per-file edit lock, and files that hold secrets.
//
// It guarantees:
//   - A reader sees the old bytes or the new ones, never a mix, and a crash
//     leaves one or the other: new content goes to a temporary file in the
//     same folder, which is synced and renamed over the file, and the folder
//     is synced after the rename (Write, State.Replace, WriteSecret). A
//     failure before the rename removes the temporary file.
//   - A replaced file keeps its mode (set-id and sticky bits included) and,
//     where the process may set it, its owner and group. A symbolic link is
//     followed: its target is replaced and the link stays. A read-only file
//     is refused with fs.ErrPermission rather than replaced.
//   - An edit never overwrites a concurrent change: State.Replace writes only
//     if the file still is the one stated (same identity, size and
//     modification time) and still holds the bytes it was read as, checked
//     after the new content is synced, just before the rename; otherwise it
//     returns ErrChanged and the other change is intact.
//   - Edits that take the file's Lock serialize: a second one waits (up to
//     its wait, then a *LockError naming the holder) and then reads the new
//     content, so no edit is lost. The lock lives in a lock file beside the
//     file, which survives the file's replacement by rename; a lock file
//     left by a crash holds no lock where flock exists.
//   - A file that holds secrets (WriteSecret) is always a new file of mode
//     0600 owned by the caller, never written through a symbolic link or
//     into a file another user owns.
//   - Errors name the file and say what to do; they never hold its content.
//
// What it cannot guarantee: a program that does not take the lock and
// writes in the instant between State.Replace's check and its rename loses
// its change; and a file with several hard links loses them (the path then
// names a new file).
package atomicfile
