package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/synth"
)

// countdown is a context that is cancelled when its error has been asked
// for more than times times: a cancellation at a known point of the work,
// whatever the speed of the machine. Its Done channel closes then too, so
// that policy evaluations under way stop as well.
type countdown struct {
	context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	times  int
	asked  int
}

func newCountdown(times int) *countdown {
	ctx, cancel := context.WithCancel(context.Background())
	return &countdown{Context: ctx, cancel: cancel, times: times}
}

func (c *countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.asked++; c.asked > c.times {
		c.cancel()
	}
	return c.Context.Err()
}

func (c *countdown) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.asked
}

// TestFullStopsWhenCancelled cancels a full check partway through its
// records: it fails with context.Canceled, and each worker stops at its
// next look at the context instead of judging the rest.
func TestFullStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Employees: 300, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	all := newCountdown(1 << 30)
	res, err := Full(all, Options{Dir: dir, Now: checkTime})
	if err != nil {
		t.Fatal(err)
	}
	if all.count() < res.Checked {
		t.Fatalf("a check of %d records looked at its context %d times; want at least once per record", res.Checked, all.count())
	}
	at := res.Checked * 2 / 3
	ctx := newCountdown(at)
	if _, err := Full(ctx, Options{Dir: dir, Now: checkTime}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled after %d looks: %v, want context.Canceled", at, err)
	}
	// Past the cancellation each worker looks once more and stops, and each
	// stage that follows looks once.
	if extra := ctx.count() - at; extra > 16+4*runtime.GOMAXPROCS(0) {
		t.Errorf("the check looked at its context %d more times after it was cancelled: it went on judging records", extra)
	}
}

// TestHistoryStopsWhenCancelled dates the records of a committed working
// tree under a cancelled context: the walk of the history fails with
// context.Canceled, not with an error about the clone.
func TestHistoryStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Employees: 400, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	initRepo(t, dir).Commit("seed", checkTime.Add(-24*time.Hour))
	fsys := os.DirFS(dir)
	tr, _, err := loadRules(fsys)
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := walk(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	stamps := make([]stamp, len(files))
	for i, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.path))
		if err != nil {
			t.Fatal(err)
		}
		stamps[i] = stamp{hash: gitrepo.BlobHash(data), ok: true}
	}
	h, err := openHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	if _, err := h.refDates(tr, files, stamps, checkTime); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ctx = ctx
	if _, err := h.refDates(tr, files, stamps, checkTime); !errors.Is(err, context.Canceled) {
		t.Errorf("dating %d records under a cancelled context: %v, want context.Canceled", len(files), err)
	}
}
