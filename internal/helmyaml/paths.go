package helmyaml

import "strconv"

// The paths of values, and their positions, are recorded down to
// MaxPathDepth levels of nesting and MaxPathLen bytes of path: deeper
// values share the path of their last recorded ancestor (an error there
// names it, and the line), and have no position of their own. pachidp
// reports nothing that deep, and without the bound each value of a deeply
// nested or long-keyed document carried a copy of its whole path: 2.8 GB
// for an 8 MB document of nested lists (the memory budget of issue 15).
const (
	MaxPathDepth = 32
	MaxPathLen   = 256
)

// ChildPath returns the path of a mapping value under path (key) at depth,
// and whether it is recorded (see MaxPathDepth).
func ChildPath(path string, depth int, key string) (string, bool) {
	if depth > MaxPathDepth || len(path) > MaxPathLen {
		return path, false
	}
	return JoinPath(path, key), true
}

// ChildIndex is ChildPath for list item i.
func ChildIndex(path string, depth int, i int) (string, bool) {
	if depth > MaxPathDepth || len(path) > MaxPathLen {
		return path, false
	}
	return path + "[" + strconv.Itoa(i) + "]", true
}
