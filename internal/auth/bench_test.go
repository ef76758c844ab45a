package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

// latencies records one duration per operation and reports the median and
// 99th percentile next to ns/op (make bench prints them).
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(l[len(l)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkLogin is one sign-in at the production bcrypt cost (12): it
// should cost about one bcrypt hash.
func BenchmarkLogin(b *testing.B) {
	e := newEnv(b, auth.WithBcryptCost(auth.DefaultBcryptCost))
	e.register(b, "ana@example.com")
	ctx := context.Background()
	var lat latencies
	for b.Loop() {
		start := time.Now()
		if _, err := e.svc.Login(ctx, "ana@example.com", goodPassword, "bench"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkLoginUnknownEmail is the same for an unknown address: it must
// cost the same (the dummy-hash comparison).
func BenchmarkLoginUnknownEmail(b *testing.B) {
	e := newEnv(b, auth.WithBcryptCost(auth.DefaultBcryptCost))
	ctx := context.Background()
	_, _ = e.svc.Login(ctx, "warm@example.com", goodPassword, "bench")
	var lat latencies
	for b.Loop() {
		e.clock.Advance(time.Hour) // stay clear of throttling
		start := time.Now()
		if _, err := e.svc.Login(ctx, "nobody@example.com", goodPassword, "bench"); err == nil {
			b.Fatal("unknown email signed in")
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkVerify is one access-token check: parse, HMAC, claims and the
// session lookup (memstore).
func BenchmarkVerify(b *testing.B) {
	e := newEnv(b)
	a := e.register(b, "ana@example.com")
	ctx := context.Background()
	var lat latencies
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		if _, err := e.svc.Verify(ctx, a.Tokens.AccessToken); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkRefresh is one rotation: look-ups, a new token, sealing the
// successor, the atomic rotation and a new access token.
func BenchmarkRefresh(b *testing.B) {
	e := newEnv(b)
	a := e.register(b, "ana@example.com")
	ctx := context.Background()
	tok := a.Tokens.RefreshToken
	var lat latencies
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		next, err := e.svc.Refresh(ctx, tok)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		tok = next.RefreshToken
	}
	lat.report(b)
}

// BenchmarkRefreshGrace is the second refresh with one token inside the
// grace window: it opens the sealed successor instead of rotating.
func BenchmarkRefreshGrace(b *testing.B) {
	e := newEnv(b)
	a := e.register(b, "ana@example.com")
	ctx := context.Background()
	if _, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyOversized is the rejection of an 8 KB token.
func BenchmarkVerifyOversized(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	dots := strings.Repeat(".", 8192)
	for b.Loop() {
		if _, err := e.svc.Verify(ctx, dots); err == nil {
			b.Fatal("accepted")
		}
	}
}
