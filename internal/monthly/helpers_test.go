package monthly

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/record"
)

// setup returns a client of a fresh fake GitHub, the two sharing a fake
// clock: an answer held longer than the attempt timeout (on that clock)
// times out, and nothing else does.
func setup(t *testing.T, tweak ...func(*forge.Options)) (*forge.Client, *githubtest.Server, *githubtest.Clock) {
	t.Helper()
	srv := githubtest.New(t)
	srv.RequireToken("ghs_test")
	clk := githubtest.NewClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	srv.SetClock(clk)
	opts := forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Token: "ghs_test",
		Owner: githubtest.Owner, Repo: githubtest.Repo, Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc,
		AttemptTimeout: 200 * time.Millisecond, Log: githubtest.TestLog(t)}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := forge.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, clk
}

// demo reads the people and devices of a copy of the demo organisation
// (testdata/demo).
func demo(t testing.TB) (people, devices map[string]*record.Record) {
	t.Helper()
	read := func(dir string, kind record.Kind) map[string]*record.Record {
		out := map[string]*record.Record{}
		paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "demo", dir, "*.yaml"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel := dir + "/" + filepath.Base(p)
			rec, fs := record.Parse(rel, kind, data)
			if rec == nil {
				t.Fatalf("%s: %v", p, fs)
			}
			out[record.IDOf(rel)] = rec
		}
		return out
	}
	return read("people", record.Person), read("devices", record.Device)
}

func demoPlan(t testing.TB, period string) []Planned {
	people, devices := demo(t)
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL = period+"-10", "Asia/Tokyo", "https://github.com/acme/device-reports"
	return Plan(period, Due(people, devices, period), g)
}

// keys returns the subjects of the fake's issues, failing on an issue
// without a key and counting duplicates.
func keys(t *testing.T, srv *githubtest.Server) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, is := range srv.Issues() {
		_, s, ok := ParseKey(is.Body)
		if !ok {
			t.Errorf("issue #%d has no key", is.Number)
		}
		out[s]++
	}
	return out
}

func openWith(t *testing.T, c *forge.Client, clk *githubtest.Clock, plan []Planned, max int) (Result, string, error) {
	t.Helper()
	var out bytes.Buffer
	res, err := Open(context.Background(), c, plan, OpenOptions{Period: "2026-12", Max: max, Out: &out, Sleep: clk.Sleep})
	t.Log(out.String())
	return res, out.String(), err
}

// countPOSTs counts every POST the fake received.
func countPOSTs(srv *githubtest.Server) int {
	n := 0
	for _, c := range srv.Log() {
		if c.Method == "POST" {
			n++
		}
	}
	return n
}
