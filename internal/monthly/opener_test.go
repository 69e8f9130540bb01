package monthly

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// want is the demo organisation's subjects for 2026-12: every active
// person with a device; e1011 is inactive, and e1009's old laptop is
// retired but the new one is due.
var want = []string{"e1001", "e1002", "e1003", "e1004", "e1005", "e1006", "e1007", "e1008", "e1009", "e1010"}

func TestDue(t *testing.T) {
	people, devices := demo(t)
	var got []string
	for _, s := range Due(people, devices, "2026-12") {
		got = append(got, s.ID)
		if s.ID == "e1009" && (len(s.Devices) != 1 || s.Devices[0].ID != "d-e1009-laptop") {
			t.Errorf("e1009 owes %v, want only d-e1009-laptop (the old one is retired)", s.Devices)
		}
		if s.ID == "e1004" && len(s.Devices) != 2 {
			t.Errorf("e1004 owes %v, want laptop and tablet", s.Devices)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("due = %v, want %v", got, want)
	}
	// Before the tablet was registered (2026-01-13), e1004 owed the laptop only.
	for _, s := range Due(people, devices, "2026-01") {
		if s.ID == "e1004" && len(s.Devices) != 1 {
			t.Errorf("2026-01: e1004 owes %v", s.Devices)
		}
	}
	// The old laptop was retired on 2026-08-21 and the new one registered
	// on 2026-08-24: August is owed for the old one, September for the new.
	for period, dev := range map[string]string{"2026-08": "d-e1009-old-laptop", "2026-09": "d-e1009-laptop"} {
		for _, s := range Due(people, devices, period) {
			if s.ID == "e1009" && (len(s.Devices) != 1 || s.Devices[0].ID != dev) {
				t.Errorf("%s: e1009 owes %v, want %s", period, s.Devices, dev)
			}
		}
	}
}

func TestOpenOncePerEmployee(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")
	res, _, err := openWith(t, c, clk, plan, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != len(want) || res.Existing != 0 {
		t.Errorf("result %+v", res)
	}
	got := keys(t, srv)
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("%s has %d issues", id, got[id])
		}
	}
	is, _ := srv.Issue(res.Created[3]) // e1004
	if !slices.Equal(is.Assignees, []string{"yuki-nakamura-example"}) || !slices.Equal(is.Labels, []string{"report/2026-12"}) ||
		is.Title != "Device security report 2026-12: Yuki Nakamura (e1004)" {
		t.Errorf("issue = %+v", is)
	}
	for _, s := range []string{"<!-- posture:report 2026-12/e1004 -->", "by **2026-12-10** (Asia/Tokyo)", "### d-e1004-tablet",
		"issues/new?device=d-e1004-tablet&period=2026-12&template=monthly-report.yml", "`antivirus: not_applicable`",
		"`posture report new --device d-e1004-laptop --period 2026-12`", "`last_quick_scan`"} {
		if !strings.Contains(is.Body, s) {
			t.Errorf("body lacks %q:\n%s", s, is.Body)
		}
	}
	if labels := srv.Labels(); len(labels) != 1+len(formLabels) {
		t.Errorf("labels = %+v, want the period's and the forms'", labels)
	}

	// A re-run opens nothing and creates no label.
	posts := countPOSTs(srv)
	res, out, err := openWith(t, c, clk, plan, 50)
	if err != nil || len(res.Created) != 0 || res.Existing != len(want) {
		t.Errorf("re-run: %+v, %v", res, err)
	}
	if n := countPOSTs(srv) - posts; n != 0 || !strings.Contains(out, "10 issues exist, 0 to open") {
		t.Errorf("re-run made %d POSTs:\n%s", n, out)
	}
}

func TestOpenUnderFaults(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")
	srv.Inject(
		githubtest.ServerError("GET", "issues", 502),                                         // the first listing, retried
		githubtest.ServerError("POST", "issues", 500),                                        // not created: listed, then tried again
		githubtest.Lost("POST", "issues", 502),                                               // created, answer lost: found by its key
		githubtest.SecondaryRateLimit("POST", "issues", http.StatusForbidden, 3*time.Second), // 403 with retry-after
		githubtest.SecondaryRateLimit("POST", "issues", http.StatusTooManyRequests, 0),       // 429 without: a minute or more
		githubtest.Slow("POST", "issues", 2*time.Second),                                     // times out unanswered: not created
		githubtest.Lost("POST", "issues", 504),
		githubtest.ServerError("GET", "issues", 503), // the first listing's retry
		githubtest.ServerError("POST", "issues", 503),
	)
	res, out, err := openWith(t, c, clk, plan, 50)
	if err != nil {
		t.Fatal(err)
	}
	got := keys(t, srv)
	if len(got) != len(want) || len(srv.Issues()) != len(want) {
		t.Errorf("%d issues for %d subjects, want exactly one each: %v", len(srv.Issues()), len(got), got)
	}
	if len(res.Created) != len(want) {
		t.Errorf("result %+v", res)
	}
	if n := strings.Count(out, "found #"); n != 2 {
		t.Errorf("%d issues found after a lost answer, want 2:\n%s", n, out)
	}
	// One POST per issue (the two whose answer was lost included), plus
	// the five that created nothing: 500, 403, 429, the timeout and 503.
	if n := srv.Calls("POST", "issues"); n != len(want)+5 {
		t.Errorf("%d POSTs of issues, want %d", n, len(want)+5)
	}
	if clk.Waited() < time.Minute {
		t.Errorf("waited %s in all, want at least the minute a secondary limit without retry-after asks", clk.Waited())
	}
	// And a re-run after all that opens nothing.
	if res, _, err := openWith(t, c, clk, plan, 50); err != nil || len(res.Created) != 0 {
		t.Errorf("re-run: %+v %v", res, err)
	}
}

func TestOpenResumesAfterACrash(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")
	// The sixth creation is refused outright (not a rate limit): the run
	// stops there, as a crash would.
	for range 5 {
		srv.Inject(githubtest.Fault{Method: "POST", Path: "issues", Delay: time.Millisecond}) // answered normally
	}
	srv.Inject(githubtest.Forbidden("POST", "issues", "Resource not accessible by integration"))
	res, _, err := openWith(t, c, clk, plan, 50)
	if err == nil || len(res.Created) != 5 || res.Remaining != 5 {
		t.Fatalf("first run: %+v, %v", res, err)
	}
	res, _, err = openWith(t, c, clk, plan, 50)
	if err != nil || len(res.Created) != 5 || res.Existing != 5 {
		t.Errorf("second run: %+v, %v", res, err)
	}
	for id, n := range keys(t, srv) {
		if n != 1 {
			t.Errorf("%s has %d issues", id, n)
		}
	}
}

func TestOpenCapAndDryRun(t *testing.T) {
	c, srv, clk := setup(t)
	plan := demoPlan(t, "2026-12")

	var out strings.Builder
	res, err := Open(context.Background(), c, plan, OpenOptions{Period: "2026-12", Max: 3, DryRun: true, Out: &out})
	if err != nil || len(res.Created) != 0 || res.Remaining != 10 || writes(srv) != 0 || len(srv.Labels()) != 0 {
		t.Errorf("dry run: %+v %v, %d writes, labels %v", res, err, writes(srv), srv.Labels())
	}
	for _, s := range []string{"0 issues exist, 10 to open (cap 3)",
		"would open 3 of 10 issues, then stop at the cap of 3 with 7 still to open",
		"  e1003 ", "  -- the cap stops the run here", "  e1004 Yuki Nakamura, @yuki-nakamura-example: d-e1004-laptop, d-e1004-tablet\n",
		"title: Device security report 2026-12: Haruka Sato (e1001)\n", plan[0].Body} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("dry run output lacks %q:\n%s", s, out.String())
		}
	}
	if strings.Index(out.String(), "  e1003 ") > strings.Index(out.String(), "the cap stops") {
		t.Errorf("the cap is marked after the third issue, want it after:\n%s", out.String())
	}

	res, _, err = openWith(t, c, clk, plan, 3)
	var capErr *CapError
	if !errors.As(err, &capErr) || capErr.Remaining != 7 || len(res.Created) != 3 || len(srv.Issues()) != 3 {
		t.Fatalf("cap: %+v, %v, %d issues", res, err, len(srv.Issues()))
	}
	if !strings.Contains(err.Error(), "cap of 3 issues in one run with 7 still to open") {
		t.Errorf("message: %v", err)
	}
	res, _, err = openWith(t, c, clk, plan, 3)
	if !errors.As(err, &capErr) || capErr.Remaining != 4 || len(srv.Issues()) != 6 {
		t.Errorf("second capped run: %+v, %v", res, err)
	}
}

func TestOpenStopsWhenTheHourIsSpent(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.CreateBudget = 4 })
	for _, l := range []string{"report/2026-12", "form/monthly-report", "form/register-device", "form/retire-device", "form/request-exception"} {
		srv.AddLabel(githubtest.Label{Name: l})
	}
	plan := demoPlan(t, "2026-12")
	res, _, err := openWith(t, c, clk, plan, 50)
	var rl *forge.RateLimitError
	if !errors.As(err, &rl) || len(res.Created) != 4 || res.Remaining != 6 || !strings.Contains(rl.Reason, "budget of 4 an hour") {
		t.Fatalf("%+v, %v", res, err)
	}
	// GitHub's own primary limit, reset an hour away, stops a run the same way.
	c2, err2 := forge.New(forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Token: "ghs_test",
		Owner: githubtest.Owner, Repo: githubtest.Repo, Sleep: clk.Sleep, Now: clk.Now, AfterFunc: clk.AfterFunc, Log: io.Discard})
	if err2 != nil {
		t.Fatal(err2)
	}
	srv.Inject(githubtest.PrimaryRateLimit("POST", "issues", http.StatusForbidden, clk.Now().Add(time.Hour)))
	res, _, err = openWith(t, c2, clk, plan, 50)
	if !errors.As(err, &rl) || len(res.Created) != 0 || res.Remaining != 6 {
		t.Fatalf("primary limit: %+v, %v", res, err)
	}
	clk.Sleep(context.Background(), time.Hour)
	res, _, err = openWith(t, c2, clk, plan, 50)
	if err != nil || len(res.Created) != 6 || len(srv.Issues()) != 10 {
		t.Errorf("resumed: %+v, %v", res, err)
	}
}

func TestOpenUnassignable(t *testing.T) {
	c, srv, clk := setup(t)
	srv.AddCollaborators("haruka-sato-example") // everyone else cannot be assigned
	plan := demoPlan(t, "2026-12")[:2]
	res, out, err := openWith(t, c, clk, plan, 50)
	if err != nil || len(res.Created) != 2 {
		t.Fatal(res, err)
	}
	a, _ := srv.Issue(res.Created[0])
	b, _ := srv.Issue(res.Created[1])
	if len(a.Assignees) != 1 || len(b.Assignees) != 0 || !strings.Contains(out, "opening") || !strings.Contains(b.Body, "@") {
		t.Errorf("assignees %v and %v\n%s", a.Assignees, b.Assignees, out)
	}
}
