package app

import (
	"context"
	"testing"
	"time"
)

// alive counts the EventAppAlive events recorded so far, checking their payload.
func alive(t *testing.T, ta *testApp, want string) int {
	t.Helper()
	beats := ta.events.heartbeats()
	for _, data := range beats {
		if data != want {
			t.Errorf("%s payload %s, want %s", EventAppAlive, data, want)
		}
	}
	return len(beats)
}

// TestHeartbeat: the app says it is alive at start-up and then every
// interval, with the interval in the event, and stops at Shutdown.
func TestHeartbeat(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		want     string
	}{
		{"the default, five seconds", 0, `[{"intervalMs":5000}]`},
		{"a short one for tests", 20 * time.Millisecond, `[{"intervalMs":20}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t, func(ta *testApp) {
				if tt.interval > 0 {
					ta.heartbeat = tt.interval
				}
			})
			deadline := time.Now().Add(2 * time.Second)
			for alive(t, ta, tt.want) < 1 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if n := alive(t, ta, tt.want); n < 1 {
				t.Fatalf("no %s event at start-up", EventAppAlive)
			}
			if tt.interval == 0 {
				return
			}
			time.Sleep(10 * tt.interval)
			if n := alive(t, ta, tt.want); n < 3 {
				t.Errorf("%d %s events in 10 intervals, want several", n, EventAppAlive)
			}
			ta.Shutdown(context.Background())
			time.Sleep(2 * tt.interval) // one may have been on its way
			stopped := alive(t, ta, tt.want)
			time.Sleep(5 * tt.interval)
			if n := alive(t, ta, tt.want); n != stopped {
				t.Errorf("%d %s events after Shutdown", n-stopped, EventAppAlive)
			}
		})
	}
}
