package githubtest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestClockTimers(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := githubtest.NewClock(start)
	var fired []string
	at := map[string]time.Time{}
	timer := func(name string, d time.Duration) func() bool {
		return clk.AfterFunc(d, func() { fired = append(fired, name); at[name] = clk.Now() })
	}
	timer("3s", 3*time.Second)
	timer("1s", time.Second)
	stop := timer("2s", 2*time.Second)
	timer("10s", 10*time.Second)

	clk.Advance(500 * time.Millisecond)
	if len(fired) != 0 {
		t.Fatalf("fired %v before their time", fired)
	}
	if !stop() || stop() {
		t.Error("stop: want true once, then false")
	}
	clk.Sleep(context.Background(), 4*time.Second) // to 4.5s: 1s and 3s fire, in order, at their times
	if !slices.Equal(fired, []string{"1s", "3s"}) {
		t.Errorf("fired %v, want [1s 3s]", fired)
	}
	if at["1s"] != start.Add(time.Second) || at["3s"] != start.Add(3*time.Second) {
		t.Errorf("fired at %v, want each at its own time", at)
	}
	if got := clk.Now(); got != start.Add(4500*time.Millisecond) {
		t.Errorf("now = %v, want start + 4.5s", got)
	}
	if clk.Timers() != 1 || !slices.Equal(clk.Waits(), []time.Duration{4 * time.Second}) {
		t.Errorf("%d timers left, waits %v; want 1 and [4s]", clk.Timers(), clk.Waits())
	}
}
