package session

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Clock is the time source and timer factory the Manager uses. Tests pass a
// fake one that they move by hand; production uses the system clock.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed. It must not
	// call f before returning.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call. *time.Timer satisfies it.
type Timer interface {
	Stop() bool
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// DeviceLabel names this computer in the signed-in sessions list, e.g.
// "Cara on studio (Linux)".
func DeviceLabel() string {
	host, err := os.Hostname()
	host = strings.TrimSpace(host)
	if err != nil || host == "" {
		host = "this computer"
	}
	return fmt.Sprintf("Cara on %s (%s)", host, osName(runtime.GOOS))
}

func osName(goos string) string {
	switch goos {
	case "darwin":
		return "macOS"
	case "linux":
		return "Linux"
	case "windows":
		return "Windows"
	case "freebsd":
		return "FreeBSD"
	}
	return goos
}
