package bolt

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

// latencies reports the median and 99th percentile next to ns/op.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(l[len(l)*99/100].Nanoseconds()), "p99-ns")
}

func benchSession(b *testing.B) (*DB, auth.Session, auth.RefreshToken) {
	b.Helper()
	db, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.CreateUser(ctx, testUser(ana, "ana@example.com")); err != nil {
		b.Fatal(err)
	}
	s := testSession("01SESSION", ana)
	first := testToken(9, s.ID)
	if err := db.CreateSession(ctx, s, first); err != nil {
		b.Fatal(err)
	}
	return db, s, first
}

// BenchmarkSession is the store's part of every access-token check.
func BenchmarkSession(b *testing.B) {
	db, s, _ := benchSession(b)
	ctx := context.Background()
	var lat latencies
	for b.Loop() {
		start := time.Now()
		if _, err := db.Session(ctx, s.ID); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkRotateRefresh is the store's part of a refresh: one write
// transaction, committed (fsync) to disk.
func BenchmarkRotateRefresh(b *testing.B) {
	db, s, tok := benchSession(b)
	ctx := context.Background()
	var lat latencies
	i := uint64(0)
	for b.Loop() {
		i++
		next := tok
		next.Hash = auth.TokenHash{}
		binary.BigEndian.PutUint64(next.Hash[:], i)
		next.Hash[31] = 1 // never the zero hash
		next.SessionID = s.ID
		start := time.Now()
		if _, err := db.RotateRefresh(ctx, auth.Rotation{Old: tok.Hash, Successor: next, Sealed: make([]byte, 80), Now: t0}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		tok = next
	}
	lat.report(b)
}
