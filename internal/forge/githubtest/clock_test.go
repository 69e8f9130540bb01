package githubtest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
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

// TestHeldAnswer holds answers on the clock: the client's timer, on the
// same clock, fires at its own time during the hold and the request ends
// unanswered with nothing done; a shorter hold is answered.
func TestHeldAnswer(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := githubtest.NewClock(start)
	srv := githubtest.New(t)
	srv.SetClock(clk)
	create := func(hold time.Duration) error {
		srv.Inject(githubtest.Slow("POST", "issues", hold))
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		stop := clk.AfterFunc(time.Second, func() { cancel(errors.New("timed out")) })
		defer stop()
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL()+"repos/"+githubtest.Owner+"/"+githubtest.Repo+"/issues",
			strings.NewReader(`{"title": "t"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := create(time.Hour); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("held for an hour: err = %v, want the client's timeout", err)
	}
	if got := clk.Now(); got != start.Add(time.Second) {
		t.Errorf("clock at %v, want start + 1s: the hold ends when the client gives up", got)
	}
	if n := len(srv.Issues()); n != 0 {
		t.Errorf("%d issues after a request the client gave up on, want 0", n)
	}
	if err := create(999 * time.Millisecond); err != nil || len(srv.Issues()) != 1 {
		t.Errorf("held for less than the timeout: err = %v, %d issues", err, len(srv.Issues()))
	}
}

func TestHeldAnswerNeedsTheClock(t *testing.T) {
	rec := &recorder{TB: t}
	srv := githubtest.New(rec)
	srv.Inject(githubtest.Slow("GET", "issues", time.Hour))
	status, _, _ := do(t, srv, "GET", srv.URL()+"repos/"+githubtest.Owner+"/"+githubtest.Repo+"/issues", "")
	if errs := rec.errors(); status != http.StatusOK || len(errs) != 1 || !strings.Contains(errs[0], "call SetClock") {
		t.Errorf("status %d, errors %q: want an answer and one error saying to call SetClock", status, errs)
	}
}
