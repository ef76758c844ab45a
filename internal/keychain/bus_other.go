//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package keychain

// sessionBusCheck: only the Secret Service backend talks to D-Bus.
func sessionBusCheck() error { return nil }
