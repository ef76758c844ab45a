package memstore_test

import (
	"testing"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/authtest"
	"github.com/cara-coach/cara/internal/auth/memstore"
)

func TestStoreConformance(t *testing.T) {
	authtest.RunStoreTests(t, func(*testing.T) auth.Store { return memstore.New() })
}
