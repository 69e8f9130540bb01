package githubtest

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock to inject as the GitHub client's Now, Sleep and
// AfterFunc (forge.Options): Sleep records the wait and moves Now forward
// instead of sleeping, so tests of retries and pacing run at once and can
// check the waits; AfterFunc's timers fire when the clock passes their
// time, so an attempt times out when the fake says so (a held answer, see
// Server.SetClock) and never because the machine is busy. It is safe for
// concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	timers []*timer
}

// timer is a function AfterFunc will call at a time.
type timer struct {
	at time.Time
	f  func()
}

// NewClock returns a clock that starts at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records the wait d and moves the clock on by d, firing the timers
// it passes; it returns the context's error, as a sleep that a cancelled
// context ends would.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	c.move(d, nil)
	return ctx.Err()
}

// Advance moves the clock on by d without recording a wait, as time that
// passes between two calls; it fires the timers it passes.
func (c *Clock) Advance(d time.Duration) { c.move(d, nil) }

// AfterFunc calls f, in the goroutine that moves the clock, once the clock
// has moved d past now, and returns the function that stops the timer
// (true if that kept f from being called), as time.AfterFunc does. Inject
// it as forge.Options.AfterFunc: the attempt timer then runs on this clock.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	t := &timer{f: f}
	c.mu.Lock()
	t.at = c.now.Add(d)
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	if d <= 0 {
		c.move(0, nil)
	}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(c.timers, t)
		if i < 0 {
			return false
		}
		c.timers = slices.Delete(c.timers, i, i+1)
		return true
	}
}

// move moves the clock on by d, stopping at each timer's time on the way
// to fire it, earliest first. done, asked after each timer fired, ends the
// move there; move reports whether it did. Time moved by another goroutine
// while a timer runs adds to d, as two sleeps do.
func (c *Clock) move(d time.Duration, done func() bool) bool {
	c.mu.Lock()
	for {
		next := -1
		for i, t := range c.timers {
			if !t.at.After(c.now.Add(d)) && (next < 0 || t.at.Before(c.timers[next].at)) {
				next = i
			}
		}
		if next < 0 {
			c.now = c.now.Add(d)
			c.mu.Unlock()
			return false
		}
		t := c.timers[next]
		c.timers = slices.Delete(c.timers, next, next+1)
		if step := t.at.Sub(c.now); step > 0 {
			c.now, d = t.at, d-step
		}
		c.mu.Unlock()
		t.f()
		if done != nil && done() {
			return true
		}
		c.mu.Lock()
	}
}

// Timers returns how many timers are waiting to fire.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
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
