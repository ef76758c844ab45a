//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSessionBusCheck(t *testing.T) {
	empty := t.TempDir()
	withBus := t.TempDir()
	if err := os.WriteFile(filepath.Join(withBus, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	withFile := t.TempDir()
	if err := os.WriteFile(filepath.Join(withFile, "dbus-session"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		address, dir string
		ok           bool
	}{
		{"unix:path=/run/user/1000/bus", empty, true},
		{"unix:path=/nonexistent", empty, true}, // godbus reports the dial error fast
		{"", empty, false},
		{"autolaunch:", empty, false},
		{"", withBus, true},
		{"autolaunch:", withFile, true},
		{"", "/nonexistent/run/user/1000", false},
	} {
		err := sessionBusCheckIn(tt.address, tt.dir)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrNoSessionBus)) {
			t.Errorf("sessionBusCheckIn(%q, %q) = %v, want ok=%v", tt.address, tt.dir, err, tt.ok)
		}
	}
}
