//go:build !race

package pachidp

// raceEnabled: the race detector is on (see race_test.go).
const raceEnabled = false
