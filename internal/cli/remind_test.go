package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/monthly"
)

func TestRemindCommand(t *testing.T) {
	// November: the demo lacks the reports of e1004's tablet, e1006's two
	// devices and e1009's laptop; the due day (the 10th) has passed.
	e := newCycleEnv(t, time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC))
	if code, out, errOut := e.run("open-issues", "--period", "2026-11"); code != ExitOK {
		t.Fatalf("open-issues: %d\n%s%s", code, out, errOut)
	}
	code, stdout, stderr := e.run("remind", "--period", "2026-11")
	if code != ExitOK || !strings.Contains(stdout, "2026-11: 10 comments, 7 issues closed, 0 not reminded yet, 0 left alone") {
		t.Fatalf("remind: exit %d\n%s%s", code, stdout, stderr)
	}
	byID := map[string]int{}
	for _, is := range e.gh.Issues() {
		_, id, _ := monthly.ParseKey(is.Body)
		byID[id] = is.Number
		want := "closed"
		if id == "e1004" || id == "e1006" || id == "e1009" {
			want = "open"
		}
		if is.State != want {
			t.Errorf("%s: %s, want %s", id, is.State, want)
		}
	}
	cms := e.gh.Comments(byID["e1004"])
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "`d-e1004-tablet` were due on 2026-11-10") ||
		!strings.Contains(cms[0].Body, "@kenji-watanabe-example, as Yuki Nakamura's supervisor") {
		t.Errorf("e1004: %+v", cms)
	}

	// Run again: nothing new.
	if code, stdout, _ = e.run("remind", "--period", "2026-11"); code != ExitOK || !strings.Contains(stdout, "0 comments, 0 issues closed") {
		t.Errorf("again: exit %d\n%s", code, stdout)
	}

	// The tablet's report is merged on main: the issue closes, naming the pull request.
	e.write("reports/2026-11/d-e1004-tablet.yaml", "period: \"2026-11\"\n")
	e.commit("Merge pull request #77 from acme/posture/issue-31\n\nReport 2026-11 for d-e1004-tablet", time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC))
	e.now = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	if code, stdout, _ = e.run("remind", "--period", "2026-11"); code != ExitOK || !strings.Contains(stdout, "1 comments, 1 issues closed") {
		t.Errorf("after the merge: exit %d\n%s", code, stdout)
	}
	cms = e.gh.Comments(byID["e1004"])
	if last := cms[len(cms)-1].Body; !strings.Contains(last, "`reports/2026-11/d-e1004-tablet.yaml` (#77)") {
		t.Errorf("closing comment: %s", last)
	}
}

// remindDays reads the schedule of remind.yml (09:00 in the
// organisation's timezone, on the days of month its cron names) and
// returns whether it runs on a day of month.
func remindDays(t *testing.T) func(day int) bool {
	t.Helper()
	var wf struct {
		On struct {
			Schedule []struct{ Cron string } `yaml:"schedule"`
		} `yaml:"on"`
	}
	readYAML(t, "../../.github/workflows/remind.yml", &wf)
	if len(wf.On.Schedule) != 1 {
		t.Fatalf("remind.yml schedules %+v, want one cron", wf.On.Schedule)
	}
	f := strings.Fields(wf.On.Schedule[0].Cron)
	if len(f) != 5 || f[0] != "0" || f[1] != "9" || f[3] != "*" || f[4] != "*" {
		t.Fatalf("remind.yml cron %q, want 09:00 on days of month", wf.On.Schedule[0].Cron)
	}
	return func(day int) bool {
		for _, r := range strings.Split(f[2], ",") {
			if r == "*" {
				return true
			}
			lo, hi, _ := strings.Cut(r, "-")
			a, err := strconv.Atoi(lo)
			b := a
			if hi != "" {
				b, err = strconv.Atoi(hi)
			}
			if err != nil {
				t.Fatalf("remind.yml cron day of month %q", f[2])
			}
			if a <= day && day <= b {
				return true
			}
		}
		return false
	}
}

// TestRemindDaily runs the cycle of December 2026 and January 2027 as the
// workflows do: open-issues on the 1st, remind on the days remind.yml's
// cron names, without --period. Whatever the due day, each issue is
// reminded a few days before it and escalated the day after it, once;
// an issue of December whose reports are merged in January closes then.
func TestRemindDaily(t *testing.T) {
	runs := remindDays(t)
	for _, dueDay := range []int{28, 10} {
		t.Run(fmt.Sprintf("due day %d", dueDay), func(t *testing.T) {
			e := newCycleEnv(t, dec1)
			conf, err := os.ReadFile(filepath.Join(e.dir, "posture.yaml"))
			if err != nil || !strings.Contains(string(conf), "report_due_day: 10\n") {
				t.Fatalf("posture.yaml: %v\n%s", err, conf)
			}
			if dueDay != 10 {
				e.write("posture.yaml", strings.Replace(string(conf), "report_due_day: 10\n", fmt.Sprintf("report_due_day: %d\n", dueDay), 1))
				e.commit("due day", dec1.Add(-12*time.Hour))
			}

			merges := map[string][]string{
				"2026-12-05": {"reports/2026-12/d-e1001-laptop.yaml", "reports/2026-12/d-e1001-phone.yaml"},
				"2027-01-06": {"reports/2026-12/d-e1004-laptop.yaml", "reports/2026-12/d-e1004-tablet.yaml"},
			}
			// first is the day each step's comment was first seen, by marker.
			first := map[string]string{}
			pr := 80
			for day := dec1; day.Before(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)); day = day.AddDate(0, 0, 1) {
				date := day.Format(time.DateOnly) // 00:00 UTC is 09:00 in Tokyo
				e.now = day
				for _, p := range merges[date] {
					e.write(p, "period: \""+p[8:15]+"\"\n")
					pr++
					e.commit(fmt.Sprintf("Merge pull request #%d from acme/posture/issue-1\n\nReport", pr), day.Add(-time.Hour))
				}
				if day.Day() == 1 {
					if code, out, errOut := e.run("open-issues"); code != ExitOK {
						t.Fatalf("%s: open-issues: exit %d\n%s%s", date, code, out, errOut)
					}
				}
				if !runs(day.Day()) {
					continue
				}
				if code, out, errOut := e.run("remind"); code != ExitOK {
					t.Fatalf("%s: remind: exit %d\n%s%s", date, code, out, errOut)
				}
				for _, is := range e.gh.Issues() {
					seen := map[string]bool{}
					for _, cm := range e.gh.Comments(is.Number) {
						marker, _, _ := strings.Cut(cm.Body, "\n")
						if seen[marker] {
							t.Fatalf("%s: issue #%d has %s twice", date, is.Number, marker)
						}
						seen[marker] = true
						if first[marker] == "" {
							first[marker] = date
						}
					}
				}
			}

			dec, jan := fmt.Sprintf("2026-12-%02d", dueDay), fmt.Sprintf("2027-01-%02d", dueDay)
			// The day after a due day, and the first of the three before it
			// (--lead).
			after := func(d string) string {
				day, _ := time.Parse(time.DateOnly, d)
				return day.AddDate(0, 0, 1).Format(time.DateOnly)
			}
			before := func(d string) string {
				day, _ := time.Parse(time.DateOnly, d)
				return day.AddDate(0, 0, -3).Format(time.DateOnly)
			}
			for _, want := range []struct{ period, subject, step, on string }{
				{"2026-12", "e1001", monthly.StepDone, "2026-12-05"},
				{"2026-12", "e1004", monthly.StepReminder, before(dec)},
				{"2026-12", "e1004", monthly.StepOverdue, after(dec)},
				{"2026-12", "e1004", monthly.StepDone, "2027-01-06"},
				{"2026-12", "e1006", monthly.StepReminder, before(dec)},
				{"2026-12", "e1006", monthly.StepOverdue, after(dec)},
				{"2027-01", "e1006", monthly.StepReminder, before(jan)},
				{"2027-01", "e1006", monthly.StepOverdue, after(jan)},
			} {
				if got := first[monthly.StepMarker(want.period, want.subject, want.step)]; got != want.on {
					t.Errorf("%s %s %s: first seen on %q, want %s", want.period, want.subject, want.step, got, want.on)
				}
			}
			for _, is := range e.gh.Issues() {
				period, id, _ := monthly.ParseKey(is.Body)
				want := "open"
				if period == "2026-12" && (id == "e1001" || id == "e1004") {
					want = "closed"
				}
				if is.State != want {
					t.Errorf("%s %s: %s, want %s", period, id, is.State, want)
				}
				if period == "2026-12" && id == "e1004" {
					if cms := e.gh.Comments(is.Number); len(cms) != 3 || !strings.Contains(cms[2].Body, "`reports/2026-12/d-e1004-tablet.yaml` (#84)") {
						t.Errorf("e1004's December comments: %+v", cms)
					}
				}
			}
		})
	}
}

// TestRemindLooksBack: without --period remind walks the open issues of
// the 12 months before the current one, oldest first, and names those of
// older months without touching them; its dry run says which month each
// step is of.
func TestRemindLooksBack(t *testing.T) {
	e := newCycleEnv(t, dec1)
	old := e.gh.AddIssue(githubtest.Issue{Title: "2025-11", Body: monthly.Key("2025-11", "e1006"), Labels: []string{monthly.Label("2025-11")}})
	e.gh.AddIssue(githubtest.Issue{Title: "2025-12", Body: monthly.Key("2025-12", "e1006"), Labels: []string{monthly.Label("2025-12")}})
	e.gh.AddIssue(githubtest.Issue{Title: "2026-11", Body: monthly.Key("2026-11", "e1006"), Labels: []string{monthly.Label("2026-11")}})
	e.gh.AddIssue(githubtest.Issue{Title: "2027-01, ahead", Body: monthly.Key("2027-01", "e1006"), Labels: []string{monthly.Label("2027-01")}})

	code, stdout, stderr := e.run("remind", "--dry-run")
	if code != ExitOK || !strings.Contains(stdout, "2025-11: 1 open issues, more than 12 months back: left alone; posture remind --period 2025-11 walks them\n") ||
		!strings.Contains(stdout, "2025-12, due 2025-12-10:\n") ||
		!strings.Contains(stdout, "2026-11, due 2026-11-10:\n#3 e1006: would take step overdue (taken already: false)\n2026-12, due 2026-12-10:\n") ||
		strings.Contains(stdout, "2027-01") || len(e.gh.Comments(3)) != 0 {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = e.run("remind")
	if code != ExitOK || !strings.Contains(stdout, "2026-11: 1 comments, 0 issues closed, 0 not reminded yet, 0 left alone\n2026-12: 0 comments") {
		t.Fatalf("remind: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := e.gh.Calls("", fmt.Sprintf("issues/%d/*", old)); n != 0 {
		t.Errorf("%d requests about the issue of 2025-11, want none", n)
	}
	if cms := e.gh.Comments(3); len(cms) != 1 || !strings.Contains(cms[0].Body, monthly.StepMarker("2026-11", "e1006", monthly.StepOverdue)) {
		t.Errorf("2026-11's issue: %+v", cms)
	}
	if n := e.gh.Calls("GET", "issues"); n != 2 {
		t.Errorf("%d listings of the issues, want one a run", n)
	}
}
