// Package udiff writes unified diffs (diff -u) of two texts, line by line.
//
// It guarantees that the diff, applied with patch(1), turns the old text
// into the new one byte for byte: lines keep their own line ending, and a
// last line without one is marked "\ No newline at end of file". The edit
// script is a shortest one (Myers' algorithm) after the common prefix and
// suffix are matched, so a small edit of a large file costs little. It
// knows nothing of YAML or values files.
package udiff
