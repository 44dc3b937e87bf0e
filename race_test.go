//go:build race

package pachidp

// raceEnabled: the race detector is on. It drops sync.Pool items at random
// (fmt's printers among them), which multiplies some allocations by ten:
// allocation budgets are measured without it (.ci/run runs them so).
const raceEnabled = true
