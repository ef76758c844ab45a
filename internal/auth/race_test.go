//go:build race

package auth_test

// raceEnabled: the race detector makes bcrypt ~10× slower, so the timing
// test lowers its cost to stay within seconds.
const raceEnabled = true
