package forge_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// start is the clock's starting time (see newClock).
var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func TestRateLimitsAreWaitedOutAndRetried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []githubtest.Fault
		waits  [][2]time.Duration
	}{
		{"429 retry-after", []githubtest.Fault{
			githubtest.SecondaryRateLimit("POST", "issues", 429, 30*time.Second)},
			[][2]time.Duration{exactly(30 * time.Second)}},
		{"403 secondary retry-after", []githubtest.Fault{
			githubtest.SecondaryRateLimit("POST", "issues", 403, 7*time.Second)},
			[][2]time.Duration{exactly(7 * time.Second)}},
		{"403 x-ratelimit-reset", []githubtest.Fault{
			githubtest.PrimaryRateLimit("POST", "issues", 403, start.Add(90*time.Second))},
			[][2]time.Duration{exactly(90 * time.Second)}},
		{"429 x-ratelimit-reset", []githubtest.Fault{
			githubtest.PrimaryRateLimit("POST", "issues", 429, start.Add(10*time.Minute))},
			[][2]time.Duration{exactly(10 * time.Minute)}},
		{"403 secondary without headers, twice", []githubtest.Fault{
			githubtest.SecondaryRateLimit("POST", "issues", 403, 0),
			githubtest.SecondaryRateLimit("POST", "issues", 403, 0)},
			[][2]time.Duration{{time.Minute, 66 * time.Second}, {2 * time.Minute, 132 * time.Second}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t)
			srv.Inject(tc.faults...)

			is, err := c.CreateIssue(context.Background(), "Device report 2026-11: e1001", "", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if is.GetNumber() == 0 {
				t.Error("no issue number in the answer")
			}
			if got, want := srv.Calls("POST", "issues"), len(tc.faults)+1; got != want {
				t.Errorf("POST issues sent %d times, want %d", got, want)
			}
			if got := len(srv.Issues()); got != 1 {
				t.Errorf("%d issues exist, want exactly 1", got)
			}
			checkWaits(t, clk.Waits(), tc.waits...)
		})
	}
}

func TestPermissionErrorIsNotRetried(t *testing.T) {
	c, srv, clk := setup(t)
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	srv.Inject(githubtest.Forbidden("GET", "pulls/*", "Resource not accessible by integration"))

	_, err := c.PullRequest(context.Background(), n)
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 403 || er.Message != "Resource not accessible by integration" {
		t.Fatalf("err = %v, want GitHub's 403", err)
	}
	var rl *forge.RateLimitError
	if errors.As(err, &rl) {
		t.Errorf("a permission error became %v", rl)
	}
	if got := srv.Calls("GET", "pulls/*"); got != 1 || len(clk.Waits()) != 0 {
		t.Errorf("sent %d times with waits %v, want once and none", got, clk.Waits())
	}
}

func TestWaitBeyondMaxWaitStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  githubtest.Fault
		resume time.Time
	}{
		{"retry-after an hour", githubtest.SecondaryRateLimit("GET", "issues/*/comments", 429, time.Hour),
			start.Add(time.Hour)},
		{"reset in 20 minutes", githubtest.PrimaryRateLimit("GET", "issues/*/comments", 403, start.Add(20*time.Minute)),
			start.Add(20 * time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t)
			n := srv.AddIssue(githubtest.Issue{Title: "x"})
			srv.Inject(tc.fault)

			_, err := c.Comments(context.Background(), n)
			var rl *forge.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("err = %v, want *forge.RateLimitError", err)
			}
			if !rl.ResumeAt.Equal(tc.resume) {
				t.Errorf("ResumeAt = %v, want %v", rl.ResumeAt, tc.resume)
			}
			if !strings.HasPrefix(err.Error(), "list comments on #") {
				t.Errorf("err = %q, want the verb phrase first", err)
			}
			// While the limit lasts, nothing more is sent.
			_, err = c.Issue(context.Background(), n)
			if !errors.As(err, &rl) || !rl.ResumeAt.Equal(tc.resume) {
				t.Errorf("second call: err = %v, want the same *forge.RateLimitError", err)
			}
			if got := len(srv.Log()); got != 1 {
				t.Errorf("%d requests sent, want 1", got)
			}
			if len(clk.Waits()) != 0 {
				t.Errorf("waits = %v, want none", clk.Waits())
			}
			// Once it has passed, requests go out again.
			clk.Advance(tc.resume.Sub(clk.Now()))
			if _, err := c.Issue(context.Background(), n); err != nil {
				t.Errorf("after ResumeAt: %v", err)
			}
		})
	}
}

func TestRateLimitRetriesAreBounded(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.MaxRetries = 2 })
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	for range 3 {
		srv.Inject(githubtest.SecondaryRateLimit("GET", "issues/*", 429, 5*time.Second))
	}
	_, err := c.Issue(context.Background(), n)
	var rl *forge.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *forge.RateLimitError", err)
	}
	if got := srv.Calls("GET", "issues/*"); got != 3 {
		t.Errorf("sent %d times, want 3", got)
	}
	checkWaits(t, clk.Waits(), exactly(5*time.Second), exactly(5*time.Second))
}

func TestCancelWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waited time.Duration
	c, srv, _ := setup(t, func(o *forge.Options) {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			waited = d
			cancel() // the user gives up during the wait
			return ctx.Err()
		}
	})
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	srv.Inject(githubtest.SecondaryRateLimit("GET", "issues/*", 429, 5*time.Second))

	if _, err := c.Issue(ctx, n); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if waited != 5*time.Second || srv.Calls("GET", "issues/*") != 1 {
		t.Errorf("waited %v after %d requests, want 5s after 1", waited, srv.Calls("GET", "issues/*"))
	}
}
