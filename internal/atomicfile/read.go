package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Size caps of the inputs pachidp reads. A values file is at most a few
// hundred kilobytes; manifests and connector files are a few kilobytes; a
// client secret a few hundred bytes. Past its cap an input is refused with a
// *SizeError, after reading at most the cap plus one byte, so /dev/zero or an
// endless pipe cannot exhaust memory.
const (
	MaxValuesFileSize = 16 << 20 // a values file (-f), or an INPUT file of import
	MaxStdinSize      = 16 << 20 // standard input, whatever it holds
	MaxManifestSize   = 16 << 20 // a Secret manifest (--secret)
	MaxSecretFileSize = 64 << 10 // a file holding one secret (--client-secret-file)
)

// ErrTooLarge is what every *SizeError is (errors.Is).
var ErrTooLarge = errors.New("input larger than its cap")

// SizeError is returned when an input is larger than its cap.
type SizeError struct {
	What  string // what was read: "values.yaml", "standard input", ...
	Limit int64  // the cap in bytes
}

// Error names the input and the cap: "values.yaml is larger than 16 MiB: ...".
func (e *SizeError) Error() string {
	return fmt.Sprintf("%s is larger than %s: pass the right file (a values file, manifest or secret is far smaller), or split it", e.What, formatSize(e.Limit))
}

// Unwrap makes a *SizeError ErrTooLarge.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// formatSize writes a size the way the caps are written: 16 MiB, 64 KiB.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadLimited reads r to its end, or fails with a *SizeError naming what
// once more than limit bytes came: it never holds more than limit+1 bytes.
func ReadLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &SizeError{What: what, Limit: limit}
	}
	return data, nil
}

// ReadFile reads the file at path like os.ReadFile, but fails with a
// *SizeError naming what when it holds more than limit bytes: at once for a
// regular file, after limit+1 bytes for a device or a pipe.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, &SizeError{What: what, Limit: limit}
	}
	return ReadLimited(f, limit, what)
}
