//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keychain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// sessionBusCheck reports ErrNoSessionBus when godbus would find no session
// bus address and fall back to autolaunching one with dbus-launch. It mirrors
// godbus: DBUS_SESSION_BUS_ADDRESS, then /run/user/UID/bus, then
// /run/user/UID/dbus-session.
func sessionBusCheck() error {
	return sessionBusCheckIn(os.Getenv("DBUS_SESSION_BUS_ADDRESS"), filepath.Join("/run/user", strconv.Itoa(os.Getuid())))
}

func sessionBusCheckIn(address, runtimeDir string) error {
	if address != "" && address != "autolaunch:" {
		return nil
	}
	for _, name := range []string{"bus", "dbus-session"} {
		// Like godbus, anything but "does not exist" counts as there.
		if _, err := os.Stat(filepath.Join(runtimeDir, name)); !errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	return fmt.Errorf("%w: DBUS_SESSION_BUS_ADDRESS is not set and %s has no bus", ErrNoSessionBus, runtimeDir)
}
