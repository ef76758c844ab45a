package keychain

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// backend is the raw keychain OS drives: go-keyring's functions in
// production, fakes in tests. It returns go-keyring's errors (OS maps them
// with mapErr), and its calls may block forever (OS bounds them).
type backend interface {
	Get(service, key string) (string, error)
	Set(service, key, value string) error
	Delete(service, key string) error
}

// goKeyring is go-keyring's package-level API. On Linux it first checks that a
// session bus exists: without one, go-keyring's D-Bus library would run
// dbus-launch, start a session bus (and, through it, a keyring daemon) that
// outlives Cara, and still find no unlocked keyring.
type goKeyring struct{}

func (goKeyring) Get(service, key string) (string, error) {
	if err := sessionBusCheck(); err != nil {
		return "", err
	}
	return keyring.Get(service, key)
}

func (goKeyring) Set(service, key, value string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return keyring.Set(service, key, value)
}

func (goKeyring) Delete(service, key string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return keyring.Delete(service, key)
}

// mapErr turns go-keyring's sentinels into ours, keeping the original in the
// chain for logs.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%w (%w)", ErrTooLarge, err)
	}
	return err
}
