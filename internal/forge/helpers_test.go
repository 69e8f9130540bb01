package forge_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

const token = "ghs_test"

// newClock returns a fake clock at the tests' starting time.
func newClock() *githubtest.Clock {
	return githubtest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
}

// setup returns a client for a fresh fake GitHub that requires the token;
// the client and the fake share a fake clock.
func setup(t *testing.T, tweak ...func(*forge.Options)) (*forge.Client, *githubtest.Server, *githubtest.Clock) {
	t.Helper()
	srv := githubtest.New(t)
	srv.RequireToken(token)
	clk := newClock()
	srv.SetClock(clk)
	opts := forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Token: token,
		Owner: githubtest.Owner, Repo: githubtest.Repo, Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc,
		Log: githubtest.TestLog(t)}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := forge.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, clk
}

// checkWaits fails the test unless the waits are as many as bounds and
// each lies within its [lo, hi].
func checkWaits(t *testing.T, got []time.Duration, bounds ...[2]time.Duration) {
	t.Helper()
	if len(got) != len(bounds) {
		t.Fatalf("waits = %v, want %d of them within %v", got, len(bounds), bounds)
	}
	for i, b := range bounds {
		if got[i] < b[0] || got[i] > b[1] {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, got[i], b[0], b[1])
		}
	}
}

// exactly is a bound for a wait that must be d.
func exactly(d time.Duration) [2]time.Duration { return [2]time.Duration{d, d} }

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
