package githubtest

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock to inject as the GitHub client's Now and Sleep
// (forge.Options): Sleep records the wait and moves Now forward instead of
// sleeping, so tests of retries and pacing run at once and can check the
// waits. It is safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// NewClock returns a clock that starts at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records the wait d and moves the clock on by d; it returns the
// context's error, as a sleep that a cancelled context ends would.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// Advance moves the clock on by d without recording a wait, as time that
// passes between two calls.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Waits returns the waits Sleep recorded, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// Waited returns the sum of the waits Sleep recorded.
func (c *Clock) Waited() time.Duration {
	var total time.Duration
	for _, w := range c.Waits() {
		total += w
	}
	return total
}

// TestLog returns a writer that sends each write to t.Log without its
// final newline, for the client's retry log (forge.Options.Log).
func TestLog(t testing.TB) io.Writer { return testLog{t} }

type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
