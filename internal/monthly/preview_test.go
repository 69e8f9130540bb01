package monthly

import (
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

// previewSubjects are three people: one with two devices, one without a
// GitHub login, one whose supervisor is the first.
func previewSubjects() ([]Subject, map[string]*record.Record) {
	subjects := []Subject{
		{ID: "e1", Name: "Ann Lee", Login: "ann-l", Devices: []Device{
			{ID: "d-e1-laptop", Type: "laptop", Platform: "macos", Model: "MacBook"},
			{ID: "d-e1-phone", Type: "phone", Platform: "android", Model: "Pixel"}}},
		{ID: "e2", Name: "Bo Chan", Devices: []Device{{ID: "d-e2-laptop", Type: "laptop", Platform: "linux", Model: "X1"}}},
		{ID: "e3", Name: "Cy Dee", Login: "cy-d", Supervisor: "e1", Devices: []Device{{ID: "d-e3-laptop", Type: "laptop", Platform: "windows", Model: "T14"}}},
	}
	people := map[string]*record.Record{
		"e1": {Data: map[string]any{"id": "e1", "active": true, "github": "ann-l"}},
		"e2": {Data: map[string]any{"id": "e2", "active": true}},
		"e3": {Data: map[string]any{"id": "e3", "active": true, "github": "cy-d", "supervisor": "e1"}},
	}
	return subjects, people
}

func TestWriteOfflinePlan(t *testing.T) {
	subjects, _ := previewSubjects()
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL = "2026-12-10", "Asia/Tokyo", "https://github.com/acme/device-reports"
	plan := Plan("2026-12", subjects, g)
	for _, tc := range []struct {
		name    string
		max     int
		maxFrom string
		want    []string
		not     []string
	}{
		{"within the cap", 50, "max_auto_issues in posture.yaml", []string{
			"2026-12: 3 people owe reports (offline: GitHub was not asked which issues exist",
			"would open 3 issues, within the cap of 50 (max_auto_issues in posture.yaml)\n",
			"  e1 Ann Lee, @ann-l: d-e1-laptop, d-e1-phone\n",
			"  e2 Bo Chan, no GitHub login: d-e2-laptop\n",
			"  e3 Cy Dee, @cy-d: d-e3-laptop\n",
			"title: Device security report 2026-12: Ann Lee (e1)\nassignees: @ann-l\nlabels: report/2026-12\n\n" + plan[0].Body,
		}, []string{"the cap stops"}},
		{"stopped by the cap", 1, "--max", []string{
			"would open 1 of 3 issues, then stop at the cap of 1 (--max) with 2 still to open",
			"  e1 Ann Lee, @ann-l: d-e1-laptop, d-e1-phone\n  -- the cap stops the run here; a later run opens:\n  e2 ",
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			WriteOfflinePlan(&b, "2026-12", plan, tc.max, tc.maxFrom)
			for _, s := range tc.want {
				if !strings.Contains(b.String(), s) {
					t.Errorf("plan lacks %q:\n%s", s, b.String())
				}
			}
			for _, s := range tc.not {
				if strings.Contains(b.String(), s) {
					t.Errorf("plan has %q:\n%s", s, b.String())
				}
			}
		})
	}
	var b strings.Builder
	WriteOfflinePlan(&b, "2026-12", nil, 50, "--max")
	if !strings.Contains(b.String(), "0 people owe reports") || !strings.Contains(b.String(), "would open no issue") {
		t.Errorf("empty plan:\n%s", b.String())
	}
}

func TestWriteOfflineRemindPlan(t *testing.T) {
	subjects, people := previewSubjects()
	merged := map[string]bool{"reports/2026-12/d-e1-laptop.yaml": true, "reports/2026-12/d-e1-phone.yaml": true}
	opts := RemindOptions{Period: "2026-12", Due: "2026-12-10", RemindFrom: "2026-12-07", Subjects: subjects, People: people,
		Merged: func(p string) bool { return merged[p] }, Links: map[string][]string{"reports/2026-12/d-e1-laptop.yaml": {"#41"}}}
	for _, tc := range []struct {
		today string
		want  []string
	}{
		{"2026-12-02", []string{
			"2026-12: 3 people owe reports, due 2026-12-10 (offline:",
			"  e1 Ann Lee, @ann-l: every report merged: would comment and close the issue\n",
			"  e2 Bo Chan, no GitHub login: missing d-e2-laptop; not reminded before 2026-12-07\n",
			"would close 1 issues and comment on 0 more (0 reminders, 0 overdue notes); 2 not reminded yet\n",
			"the first comment, on e1's issue:\n\n<!-- posture:remind 2026-12/e1 done -->\nEvery report for 2026-12 is merged: `reports/2026-12/d-e1-laptop.yaml` (#41)",
		}},
		{"2026-12-08", []string{
			"  e3 Cy Dee, @cy-d: would remind them of d-e3-laptop\n",
			"(2 reminders, 0 overdue notes)",
		}},
		{"2026-12-11", []string{
			"  e2 Bo Chan, no GitHub login: overdue (d-e2-laptop): would tell the IT admins (no active supervisor on record)\n",
			"  e3 Cy Dee, @cy-d: overdue (d-e3-laptop): would tell their supervisor @ann-l\n",
			"(0 reminders, 2 overdue notes); 0 not reminded yet",
		}},
	} {
		t.Run(tc.today, func(t *testing.T) {
			o := opts
			o.Today = tc.today
			var b strings.Builder
			o.WriteOfflinePlan(&b)
			for _, s := range tc.want {
				if !strings.Contains(b.String(), s) {
					t.Errorf("plan lacks %q:\n%s", s, b.String())
				}
			}
		})
	}
}
