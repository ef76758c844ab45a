// Command auth measures the account service in-process, as the desktop runs
// it, for scripts/bench.sh (issue 3, "Performance"):
//
//   - login: one sign-in at the production bcrypt cost (12), which should
//     cost about one bcrypt-12 hash comparison (also timed, for the ratio),
//     and the same for an unknown e-mail (timing-equalised);
//   - verify: one access-token check (JWT parse + one session read);
//   - refresh: one refresh-token rotation (a bbolt write transaction).
//
// The store is the real one: internal/bolt over a bbolt file in a temporary
// directory. bbolt fsyncs every commit and nothing here turns that off, so a
// refresh costs at least one fsync of the disk under -dir; the fsync
// latency of that disk is measured too, so the refresh figure can be read
// against it. The directory's file system is printed (on tmpfs an fsync is
// free and the figures flatter a real disk).
//
//	auth [-dir DIR] [-logins 10] [-verifies 20000] [-refreshes 1000]
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/bolt"
)

// Targets from issue 3.
const (
	verifyTarget  = 50 * time.Microsecond // judged on p99
	refreshTarget = time.Millisecond      // p99
	// A sign-in is one bcrypt comparison plus a few small transactions;
	// "about one hash" is taken as at most 1.5 times the median comparison.
	loginTargetRatio = 1.5
)

func main() {
	dir := flag.String("dir", "", "directory for the temporary database (default: the system temp dir)")
	logins := flag.Int("logins", 10, "sign-ins to time (each ≈ 0.25 s at cost 12)")
	verifies := flag.Int("verifies", 20000, "access-token checks to time")
	refreshes := flag.Int("refreshes", 1000, "refresh-token rotations to time")
	syncs := flag.Int("fsyncs", 200, "fsyncs to time, for reference")
	flag.Parse()
	if err := run(*dir, *logins, *verifies, *refreshes, *syncs); err != nil {
		fmt.Fprintln(os.Stderr, "auth bench:", err)
		os.Exit(1)
	}
}

func run(parent string, nLogin, nVerify, nRefresh, nSync int) error {
	if nLogin < 1 || nVerify < 1 || nRefresh < 1 || nSync < 1 {
		return errors.New("every count must be at least 1")
	}
	dir, err := os.MkdirTemp(parent, "cara-authbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	fmt.Printf("store:   internal/bolt (bbolt, fsync on every commit) in %s (%s)\n", dir, fsType(dir))
	fmt.Printf("auth:    bcrypt cost %d, HS256 access tokens, GOMAXPROCS=%d, load average %s\n",
		auth.DefaultBcryptCost, runtime.GOMAXPROCS(0), loadAverage())

	fsync, err := timeFsync(dir, nSync)
	if err != nil {
		return err
	}
	fmt.Printf("%-22s %s   (4 KiB write + fsync, for reference)\n", "disk fsync:", fsync)

	db, err := bolt.Open(dir)
	if err != nil {
		return err
	}
	defer db.Close()
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	svc, err := auth.New(db,
		auth.WithBcryptCost(auth.DefaultBcryptCost),
		auth.WithSigningKeys("bench", map[string][]byte{"bench": secret}))
	if err != nil {
		return err
	}

	const email, password = "bench.user@example.com", "Granite-Harbor-4821"

	// The reference: one bcrypt-12 comparison of the right password.
	hash, err := bcrypt.GenerateFromPassword([]byte(password), auth.DefaultBcryptCost)
	if err != nil {
		return err
	}
	bc := measure(nLogin, func(int) error {
		return bcrypt.CompareHashAndPassword(hash, []byte(password))
	})
	if bc.err != nil {
		return bc.err
	}
	fmt.Printf("%-22s %s\n", "bcrypt-12 compare:", bc)

	start := time.Now()
	if _, err := svc.Register(ctx, auth.Registration{Email: email, Name: "Bench User", Password: password, Device: "bench"}); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	fmt.Printf("%-22s %s (one)\n", "register:", fmtDur(time.Since(start)))

	var last auth.Tokens
	login := measure(nLogin, func(int) error {
		a, err := svc.Login(ctx, email, password, "bench")
		last = a.Tokens
		return err
	})
	if login.err != nil {
		return fmt.Errorf("login: %w", login.err)
	}
	ratio := float64(login.median) / float64(bc.median)
	fmt.Printf("%-22s %s = %.2f× one bcrypt-12 comparison   target ≈ 1 hash (≤ %.1f×): %s\n",
		"login:", login, ratio, loginTargetRatio, verdict(ratio <= loginTargetRatio))

	// A fresh unknown address each time: the same address failing five
	// times would be throttled, which answers at once.
	unknown := measure(nLogin, func(i int) error {
		_, err := svc.Login(ctx, fmt.Sprintf("nobody.%d@example.com", i), password, "bench")
		if !errors.Is(err, auth.ErrInvalidCredentials) {
			return fmt.Errorf("unknown e-mail: got %v, want invalid credentials", err)
		}
		return nil
	})
	if unknown.err != nil {
		return unknown.err
	}
	fmt.Printf("%-22s %s = %.2f× a known e-mail's sign-in\n", "login, unknown e-mail:",
		unknown, float64(unknown.median)/float64(login.median))

	access := last.AccessToken
	for range 200 { // warm-up
		if _, err := svc.Verify(ctx, access); err != nil {
			return fmt.Errorf("verify: %w", err)
		}
	}
	verify := measure(nVerify, func(int) error {
		_, err := svc.Verify(ctx, access)
		return err
	})
	if verify.err != nil {
		return fmt.Errorf("verify: %w", verify.err)
	}
	fmt.Printf("%-22s %s   target ≤ %s: median %s, p99 %s\n", "verify:", verify, fmtDur(verifyTarget),
		verdict(verify.median <= verifyTarget), verdict(verify.p99 <= verifyTarget))
	fmt.Printf("%-22s %s\n", "", verify.memory())

	// Each refresh uses the token the previous one returned, as the desktop
	// does: one lookup and one write transaction (rotation) per call.
	token := last.RefreshToken
	rotate := func(int) error {
		t, err := svc.Refresh(ctx, token)
		if err != nil {
			return err
		}
		token = t.RefreshToken
		return nil
	}
	for i := range 20 { // warm-up
		if err := rotate(i); err != nil {
			return fmt.Errorf("refresh: %w", err)
		}
	}
	refresh := measure(nRefresh, rotate)
	if refresh.err != nil {
		return fmt.Errorf("refresh: %w", refresh.err)
	}
	fmt.Printf("%-22s %s   target p99 ≤ %s: %s\n", "refresh:", refresh, fmtDur(refreshTarget), verdict(refresh.p99 <= refreshTarget))
	fmt.Printf("%-22s %s; each one commits a bbolt write transaction (fsync; this disk's fsync p99 is %s)\n",
		"", refresh.memory(), fmtDur(fsync.p99))
	return nil
}

// stats are one measured operation's latencies.
type stats struct {
	n             int
	median, p99   time.Duration
	max           time.Duration
	allocs, bytes float64 // per operation
	gcs           uint32  // garbage collections during the run
	err           error
}

func (s stats) String() string {
	return fmt.Sprintf("median %9s, p99 %9s, max %9s (n=%d)", fmtDur(s.median), fmtDur(s.p99), fmtDur(s.max), s.n)
}

// memory is the allocation profile: allocations and bytes per operation,
// and how many garbage collections ran while measuring.
func (s stats) memory() string {
	return fmt.Sprintf("%.0f allocs/op, %.1f KiB/op, %d GCs", s.allocs, s.bytes/1024, s.gcs)
}

// measure runs f n times and returns the median and the 99th percentile
// (nearest rank) of its durations. It stops at the first error.
func measure(n int, f func(i int) error) stats {
	d := make([]time.Duration, 0, n)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range n {
		start := time.Now()
		if err := f(i); err != nil {
			return stats{err: err}
		}
		d = append(d, time.Since(start))
	}
	runtime.ReadMemStats(&after)
	slices.Sort(d)
	rank := int(math.Ceil(0.99*float64(n))) - 1
	return stats{
		n: n, median: d[(n-1)/2], p99: d[rank], max: d[n-1],
		allocs: float64(after.Mallocs-before.Mallocs) / float64(n),
		bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
		gcs:    after.NumGC - before.NumGC,
	}
}

// timeFsync times a 4 KiB write followed by fsync, n times, on one file in
// dir: the floor under any bbolt commit on that disk.
func timeFsync(dir string, n int) (stats, error) {
	f, err := os.Create(filepath.Join(dir, "fsync-probe"))
	if err != nil {
		return stats{}, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := make([]byte, 4096)
	s := measure(n, func(i int) error {
		if _, err := f.WriteAt(buf, int64(i%64)*4096); err != nil {
			return err
		}
		return f.Sync()
	})
	return s, s.err
}

func verdict(ok bool) string {
	if ok {
		return "MET"
	}
	return "MISSED"
}

// fmtDur prints a duration with three significant digits in µs or ms.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

// loadAverage is the 1-minute load average: on a busy machine the tails
// (p99) grow.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	var one string
	fmt.Sscan(string(b), &one)
	return one
}

// fsType names the file system dir is on, from statfs's magic number.
func fsType(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "file system unknown"
	}
	names := map[int64]string{
		0xEF53:     "ext4",
		0x01021994: "tmpfs: fsync is free here, a disk is slower",
		0x58465342: "xfs",
		0x9123683E: "btrfs",
		0x794C7630: "overlayfs",
		0x2FC12FC1: "zfs",
		0x6969:     "nfs",
		0x65735546: "fuse",
	}
	if name, ok := names[int64(st.Type)]; ok {
		return name
	}
	return fmt.Sprintf("file system 0x%X", st.Type)
}
