package pachidp

import (
	"fmt"
	"time"

	"github.com/pachidp/pachidp/internal/atomicfile"
)

// The writing and locking of files is internal/atomicfile's; this file
// holds the public surface and EditFile, which knows values files.

// FileOptions tunes EditFile (and OpenDocumentWith, which takes Document
// and Release). The zero value edits a file of one document, or the only
// Pachyderm release of a manifest, and writes without further checks.
type FileOptions struct {
	// Document picks the document (0-based) of a YAML file holding several
	// documents separated by "---", such as new(1). When it is nil, a file
	// of several documents is an error: Helm reads only the first, so
	// editing another must be a choice.
	Document *int

	// Release chooses, by its name, the Pachyderm release of a manifest
	// that holds several (Manifest.Name). Empty: the only one.
	Release string

	// Check, when set, runs on the edited values before anything is
	// written; an error stops the write and is returned. Use it to
	// validate the result, for example:
	//
	//	Check: func(v *pachidp.Document) error {
	//		idps, err := v.UpstreamIDPs()
	//		if err != nil {
	//			return err
	//		}
	//		return pachidp.Validate(idps, pachidp.ValidateOptions{}).Err()
	//	}
	Check func(*Document) error

	// LockWait is how long EditFile waits for another edit of the same
	// file to finish; 0 means 10 seconds. Past it, EditFile fails with an
	// error wrapping ErrLocked.
	LockWait time.Duration
}

// EditFile edits the values file at path in place: it reads the file, runs
// edit on it, runs opts.Check, and replaces the file with the result. It
// reports whether the file changed; an edit that changes nothing writes
// nothing. edit and opts.Check may run twice (see below): each run gets a
// fresh Document of the file as it then is.
//
// The file is never damaged. Nothing is written when the file does not
// parse, when edit, the self-check of every edit or opts.Check fails, or
// when the file is read-only. The new content goes to a temporary file in
// the same folder, which is synced and then renamed over the original, so a
// crash leaves either the old or the new file. The file's mode is kept, and
// its owner when the process may set it. Just before the rename the file is
// read again: if it changed on disk meanwhile (content, size, modification
// time or identity), EditFile runs again holding the lock (below), and
// refuses with ErrFileChanged when the file changes during that run too.
//
// Edits of one file serialize: EditFile first reads, edits and checks
// without the file's lock, then takes it for the final check and the
// rename; if the file changed since the read (another edit ran), it runs
// edit and opts.Check again, holding the lock from the read to the rename,
// so a second EditFile or pachidp command on the same file waits for the
// first (up to opts.LockWait) and then edits the new content;
// no edit is lost. The lock is an flock (on unix) on a lock file beside the
// file's target: for values.yaml, .values.yaml.pachidp.lock, which its
// holder removes; one left by a crash holds no lock. A program that does not
// take the lock (an editor) is caught by the check above, except in the
// instant between that check and the rename.
//
// A symbolic link is followed: its target is replaced and the link stays. A
// file with several hard links loses them: the path then names a new file.
//
// Errors name the file and wrap the cause: *SyntaxError, *EditError (with
// ErrIDPNotFound, ErrAnchor, ErrSelfCheck), ErrFileChanged, fs.ErrPermission,
// fs.ErrNotExist, ErrLocked, ErrTooLarge or the error of Check.
func EditFile(path string, opts FileOptions, edit func(*Document) error) (changed bool, err error) {
	if edit == nil {
		return false, &optionError{option: "EditFile's edit", msg: "is nil: pass the function that edits the document"}
	}
	// One implementation of the lock, the check and the second run with
	// the lock held, for values files and Secret manifests: atomicfile.Edit.
	return atomicfile.Edit(path, atomicfile.EditOptions{Wait: opts.LockWait, Limit: atomicfile.MaxValuesFileSize}, func(data []byte) ([]byte, error) {
		v, err := OpenDocumentWith(data, opts)
		if err == nil {
			err = edit(v)
		}
		if err == nil && opts.Check != nil {
			err = opts.Check(v)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return v.Bytes(), nil
	})
}
