package forge_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestServerErrorOnGETIsRetried(t *testing.T) {
	c, srv, clk := setup(t)
	n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Title: "report"}, Head: "report/e1001"})
	srv.Inject(githubtest.ServerError("GET", "pulls/*", 502), githubtest.ServerError("GET", "pulls/*", 503))

	pr, err := c.PullRequest(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetNumber() != n {
		t.Errorf("number = %d, want %d", pr.GetNumber(), n)
	}
	if got := srv.Calls("GET", "pulls/*"); got != 3 {
		t.Errorf("GET pulls/%d sent %d times, want 3", n, got)
	}
	checkWaits(t, clk.Waits(), [2]time.Duration{time.Second, 1250 * time.Millisecond},
		[2]time.Duration{2 * time.Second, 2500 * time.Millisecond})
}

func TestServerErrorRetriesAreBounded(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.MaxRetries = 2 })
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	srv.FailNext("GET", "pulls/*", 3, 500, nil, "")

	_, err := c.PullRequest(context.Background(), n)
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 500 {
		t.Fatalf("err = %v, want GitHub's 500", err)
	}
	if got := srv.Calls("GET", "pulls/*"); got != 3 {
		t.Errorf("sent %d times, want 3 (1 + MaxRetries)", got)
	}
	if len(clk.Waits()) != 2 {
		t.Errorf("waits = %v, want 2", clk.Waits())
	}
}

func TestPOSTIsNotRepeatedAfterServerError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   githubtest.Fault
		created int // issues GitHub made
	}{
		{"502 before applying", githubtest.ServerError("POST", "issues", 502), 0},
		{"502 after applying", githubtest.Lost("POST", "issues", 502), 1},
		{"timeout", githubtest.Slow("POST", "issues", 5*time.Second), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, clk := setup(t, func(o *forge.Options) { o.AttemptTimeout = 100 * time.Millisecond })
			srv.Inject(tc.fault)

			_, err := c.CreateIssue(context.Background(), "Device report 2026-11: e1001", "", nil, nil)
			var unsure *forge.UncertainError
			if !errors.As(err, &unsure) {
				t.Fatalf("err = %v, want *forge.UncertainError", err)
			}
			if !strings.Contains(err.Error(), "create issue") {
				t.Errorf("err = %q, want the verb phrase", err)
			}
			if got := srv.Calls("POST", "issues"); got != 1 {
				t.Errorf("POST issues sent %d times, want 1", got)
			}
			if got := len(srv.Issues()); got != tc.created {
				t.Errorf("%d issues exist, want %d", got, tc.created)
			}
			if len(clk.Waits()) != 0 {
				t.Errorf("waits = %v, want none", clk.Waits())
			}
		})
	}
}

func TestTimeoutOnGETIsRetried(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.AttemptTimeout = 100 * time.Millisecond })
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	srv.Inject(githubtest.Slow("GET", "pulls/*", 5*time.Second))

	if _, err := c.PullRequest(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("GET", "pulls/*"); got != 2 {
		t.Errorf("sent %d times, want 2", got)
	}
	checkWaits(t, clk.Waits(), [2]time.Duration{time.Second, 1250 * time.Millisecond})
}

// TestAttemptTimerIsTheClocks shows that an attempt times out on the
// injected clock only: with an attempt timeout of a nanosecond, an answer
// that is not held arrives however long the machine takes (no fake time
// passes), and one held for longer than the timeout, on the same clock,
// times out with an error that says so.
func TestAttemptTimerIsTheClocks(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.AttemptTimeout, o.MaxRetries = time.Nanosecond, 1 })
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	if _, err := c.Issue(context.Background(), n); err != nil {
		t.Fatalf("an answer that was not held: %v", err)
	}
	srv.Inject(githubtest.Slow("GET", "issues/*", time.Microsecond), githubtest.Slow("GET", "issues/*", time.Microsecond))
	_, err := c.Issue(context.Background(), n)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "attempt timed out after 1ns") {
		t.Errorf("held answers: err = %v, want the attempt timeout", err)
	}
	if got := srv.Calls("GET", "issues/*"); got != 3 {
		t.Errorf("sent %d times, want 3 (one, then one and its retry)", got)
	}
	if clk.Timers() != 0 {
		t.Errorf("%d attempt timers left running", clk.Timers())
	}
}

func TestHeldAnswerWithinTheTimeout(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.AttemptTimeout = time.Second })
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	before := clk.Now()
	srv.Inject(githubtest.Slow("GET", "issues/*", 999*time.Millisecond))
	if _, err := c.Issue(context.Background(), n); err != nil {
		t.Fatalf("held for less than the timeout: %v", err)
	}
	if got := clk.Now().Sub(before); got != 999*time.Millisecond || len(clk.Waits()) != 0 {
		t.Errorf("clock moved %s with waits %v; want the 999ms held, no wait", got, clk.Waits())
	}
}

func TestRetryReplaysTheBody(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddIssue(githubtest.Issue{Title: "old"})
	srv.Inject(githubtest.ServerError("PATCH", "issues/*", 503))

	if _, err := c.EditIssue(context.Background(), n, &github.IssueRequest{Title: github.String("new")}); err != nil {
		t.Fatal(err)
	}
	log := srv.Log()
	if len(log) != 2 || log[0].Body != log[1].Body || !strings.Contains(log[1].Body, `"new"`) {
		t.Errorf("requests = %+v, want the same body twice", log)
	}
	if is, _ := srv.Issue(n); is.Title != "new" {
		t.Errorf("title = %q, want new", is.Title)
	}
}

// TestNetworkErrors uses a transport that fails before GitHub answers.
func TestNetworkErrors(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	for _, tc := range []struct {
		name, method string
		err          error
		wantCalls    int
		wantUnsure   bool
	}{
		{"GET after a reset is retried", "GET", reset, 2, false},
		{"POST never sent is retried", "POST", dial, 2, false},
		{"POST cut off is uncertain", "POST", reset, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				calls++
				if r.Body != nil {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
				}
				if calls == 1 {
					return nil, tc.err
				}
				return &http.Response{StatusCode: 201, Header: http.Header{}, Request: r,
					Body: io.NopCloser(strings.NewReader(`{"number": 1}`))}, nil
			})
			clk := newClock()
			c, err := forge.New(forge.Options{HTTPClient: &http.Client{Transport: rt}, Owner: "o", Repo: "r",
				Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc})
			if err != nil {
				t.Fatal(err)
			}
			if tc.method == "GET" {
				_, err = c.Issue(context.Background(), 1)
			} else {
				_, err = c.CreateIssue(context.Background(), "t", "", nil, nil)
			}
			var unsure *forge.UncertainError
			if got := errors.As(err, &unsure); got != tc.wantUnsure {
				t.Errorf("err = %v, uncertain = %v, want %v", err, got, tc.wantUnsure)
			}
			if !tc.wantUnsure && err != nil {
				t.Errorf("err = %v", err)
			}
			if calls != tc.wantCalls {
				t.Errorf("sent %d times, want %d", calls, tc.wantCalls)
			}
		})
	}
}

func TestHeadersAndBaseURL(t *testing.T) {
	srv := githubtest.New(t)
	srv.RequireToken(token)
	var ua, auth string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		ua, auth = r.Header.Get("User-Agent"), r.Header.Get("Authorization")
		return srv.Client().Transport.RoundTrip(r)
	})
	c, err := forge.New(forge.Options{HTTPClient: &http.Client{Transport: rt}, BaseURL: srv.URL(),
		Token: token, Owner: githubtest.Owner, Repo: githubtest.Repo, AfterFunc: newClock().AfterFunc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListIssues(context.Background(), nil, "all"); err != nil {
		t.Fatal(err)
	}
	if ua != "posture" || auth != "Bearer "+token {
		t.Errorf("User-Agent %q, Authorization %q", ua, auth)
	}
	if _, err := forge.New(forge.Options{BaseURL: "https://ghe.example/api/v3", Owner: "o", Repo: "r"}); err == nil {
		t.Error("a base URL without a trailing slash was accepted")
	}
}
