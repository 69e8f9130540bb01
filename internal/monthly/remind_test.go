package monthly

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// seedIssues adds the period's issues as an earlier opener run left them,
// and one whose subject owes nothing any more.
func seedIssues(srv *githubtest.Server, plan []Planned) map[string]int {
	nums := map[string]int{}
	for _, p := range plan {
		nums[p.Subject.ID] = srv.AddIssue(githubtest.Issue{Title: p.Title, Body: p.Body, Labels: []string{"report/2026-12"}, Assignees: p.Assignees})
	}
	nums["e1011"] = srv.AddIssue(githubtest.Issue{Title: "left over", Body: Key("2026-12", "e1011"), Labels: []string{"report/2026-12"}})
	return nums
}

func remindOpts(t *testing.T, today string, merged ...string) RemindOptions {
	people, devices := demo(t)
	have := map[string]bool{}
	for _, m := range merged {
		have[m] = true
	}
	return RemindOptions{Period: "2026-12", Today: today, Due: "2026-12-10", Subjects: Due(people, devices, "2026-12"), People: people,
		Merged: func(p string) bool { return have[p] },
		Links:  map[string][]string{"reports/2026-12/d-e1001-laptop.yaml": {"#41"}, "reports/2026-12/d-e1001-phone.yaml": {"#42", "#45"}}}
}

func remind(t *testing.T, c *forge.Client, opts RemindOptions) (RemindResult, string) {
	t.Helper()
	var out bytes.Buffer
	opts.Out = &out
	res, err := Remind(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String()
}

func TestRemindSteps(t *testing.T) {
	c, srv, _ := setup(t)
	nums := seedIssues(srv, demoPlan(t, "2026-12"))
	merged := []string{"reports/2026-12/d-e1001-laptop.yaml", "reports/2026-12/d-e1001-phone.yaml", "reports/2026-12/d-e1004-laptop.yaml"}

	// Before the due day: e1001 is done and closed; everyone else reminded once.
	res, _ := remind(t, c, remindOpts(t, "2026-12-05", merged...))
	if res.Closed != 1 || res.Commented != 10 || res.Skipped != 1 {
		t.Errorf("first run: %+v", res)
	}
	done, _ := srv.Issue(nums["e1001"])
	cms := srv.Comments(nums["e1001"])
	if done.State != "closed" || len(cms) != 1 || !strings.Contains(cms[0].Body, "`reports/2026-12/d-e1001-phone.yaml` (#42, #45)") ||
		!strings.Contains(cms[0].Body, StepMarker("2026-12", "e1001", StepDone)) {
		t.Errorf("e1001: %s, comments %+v", done.State, cms)
	}
	cms = srv.Comments(nums["e1004"])
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "@yuki-nakamura-example, a reminder: the 2026-12 reports of `d-e1004-tablet` are due on 2026-12-10") {
		t.Errorf("e1004: %+v", cms)
	}
	if len(srv.Comments(nums["e1011"])) != 0 {
		t.Error("commented on the issue of someone who owes nothing")
	}

	// Again the same day: nothing new.
	posts := countPOSTs(srv)
	if res, _ := remind(t, c, remindOpts(t, "2026-12-07", merged...)); res.Commented != 0 || res.Closed != 0 || countPOSTs(srv) != posts {
		t.Errorf("second run: %+v", res)
	}

	// After the due day: the supervisor is mentioned, once.
	res, _ = remind(t, c, remindOpts(t, "2026-12-11", merged...))
	if res.Commented != 9 {
		t.Errorf("overdue run: %+v", res)
	}
	cms = srv.Comments(nums["e1004"])
	if len(cms) != 2 || !strings.Contains(cms[1].Body, "were due on 2026-12-10") || !strings.Contains(cms[1].Body, "@kenji-watanabe-example, as Yuki Nakamura's supervisor") {
		t.Errorf("e1004 overdue: %+v", cms)
	}
	if res, _ := remind(t, c, remindOpts(t, "2026-12-12", merged...)); res.Commented != 0 {
		t.Errorf("overdue again: %+v", res)
	}

	// The tablet's report is merged: the issue closes.
	res, _ = remind(t, c, remindOpts(t, "2026-12-13", append(merged, "reports/2026-12/d-e1004-tablet.yaml")...))
	if res.Closed != 1 || res.Commented != 1 {
		t.Errorf("closing run: %+v", res)
	}
	if is, _ := srv.Issue(nums["e1004"]); is.State != "closed" {
		t.Errorf("e1004 still %s", is.State)
	}
}

func TestRemindWaitsForTheLead(t *testing.T) {
	c, srv, _ := setup(t)
	nums := seedIssues(srv, demoPlan(t, "2026-12"))
	opts := remindOpts(t, "2026-12-02", "reports/2026-12/d-e1001-laptop.yaml", "reports/2026-12/d-e1001-phone.yaml")
	opts.RemindFrom = "2026-12-07"
	res, _ := remind(t, c, opts)
	if res.Closed != 1 || res.Commented != 1 || res.Waiting != 9 {
		t.Errorf("%+v: want e1001 closed and nobody reminded yet", res)
	}
	if n := len(srv.Comments(nums["e1004"])); n != 0 {
		t.Errorf("e1004 reminded on the 2nd: %d comments", n)
	}
	opts.Today = "2026-12-07"
	if res, _ := remind(t, c, opts); res.Commented != 9 || res.Waiting != 0 {
		t.Errorf("on the 7th: %+v", res)
	}
}

func TestRemindAfterALostAnswer(t *testing.T) {
	c, srv, _ := setup(t)
	nums := seedIssues(srv, demoPlan(t, "2026-12")[:2])
	srv.Inject(githubtest.Lost("POST", "issues/*/comments", 502), githubtest.ServerError("POST", "issues/*/comments", 503))
	res, _ := remind(t, c, remindOpts(t, "2026-12-03"))
	if res.Commented != 2 {
		t.Errorf("%+v", res)
	}
	for _, id := range []string{"e1001", "e1002"} {
		if n := len(srv.Comments(nums[id])); n != 1 {
			t.Errorf("%s has %d comments, want 1", id, n)
		}
	}
}

func TestRemindDryRun(t *testing.T) {
	c, srv, _ := setup(t)
	seedIssues(srv, demoPlan(t, "2026-12")[:3])
	opts := remindOpts(t, "2026-12-11", "reports/2026-12/d-e1001-laptop.yaml", "reports/2026-12/d-e1001-phone.yaml")
	opts.DryRun = true
	_, out := remind(t, c, opts)
	if countPOSTs(srv) != 0 || srv.Calls("PATCH", "issues/*") != 0 || !strings.Contains(out, "would take step done") || !strings.Contains(out, "would take step overdue") {
		t.Errorf("dry run wrote, or said:\n%s", out)
	}
}

func TestSupervisorEscalates(t *testing.T) {
	people, _ := demo(t)
	// e1004's supervisor e1002 answers; a subject whose supervisor is
	// missing from people/ gets nobody rather than a guess.
	if p := Supervisor(people, Subject{ID: "e1004", Supervisor: "e1002"}); p == nil || p.String("id") != "e1002" {
		t.Errorf("e1004: %v", p)
	}
	if p := Supervisor(people, Subject{ID: "e1004", Supervisor: "e1011"}); p == nil || p.String("id") != "e1002" {
		t.Errorf("past the inactive e1011: %v", p) // e1011 is inactive; their supervisor is e1002
	}
	if p := Supervisor(people, Subject{ID: "e1001"}); p != nil {
		t.Errorf("e1001 has no supervisor, got %v", p)
	}
	if p := Supervisor(people, Subject{ID: "e1004", Supervisor: "e9999"}); p != nil {
		t.Errorf("unknown supervisor: %v", p)
	}
}

// TestOpenByPeriod: one listing of the open issues, a page at a time,
// grouped by their report/YYYY-MM label; other labels, closed issues and
// labels that only look like a period's are not counted.
func TestOpenByPeriod(t *testing.T) {
	c, srv, _ := setup(t)
	for i := 0; i < 120; i++ {
		srv.AddIssue(githubtest.Issue{Title: "december", Body: Key("2026-12", "e1001"), Labels: []string{"report/2026-12"}})
	}
	srv.AddIssue(githubtest.Issue{Title: "november", Body: Key("2026-11", "e1004"), Labels: []string{"help", "report/2026-11"}})
	srv.AddIssue(githubtest.Issue{Title: "october, done", Body: Key("2026-10", "e1004"), Labels: []string{"report/2026-10"}, State: "closed"})
	srv.AddIssue(githubtest.Issue{Title: "a form's issue", Labels: []string{"report"}})
	srv.AddIssue(githubtest.Issue{Title: "not a period", Labels: []string{"report/december", "report/2026-13"}})
	open, err := OpenByPeriod(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 2 || len(open["2026-12"]) != 120 || len(open["2026-11"]) != 1 || open["2026-11"][0].GetTitle() != "november" {
		t.Errorf("grouped: %d periods, 2026-12: %d, 2026-11: %v", len(open), len(open["2026-12"]), open["2026-11"])
	}
	for _, cl := range srv.Log() {
		if cl.Method == "GET" && cl.Path == "issues" && (cl.Query.Get("state") != "open" || cl.Query.Get("labels") != "") {
			t.Errorf("listed %v, want the open issues, any label", cl.Query)
		}
	}
	if n := srv.Calls("GET", "issues"); n != 2 {
		t.Errorf("%d listings, want 2 pages of 100", n)
	}
}
