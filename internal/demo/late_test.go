package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/posture-dev/posture/internal/audit"
	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/record"
)

// plannedLate is the one report the plan makes late: e1008's in lateMonth
// of a year whose first period is from.
func plannedLate(from string) []string {
	return []string{"reports/" + plus(from, lateMonth) + "/d-e1008-laptop.yaml"}
}

// TestLateReportsArePlanned: whatever the due day and timezone, the plan's
// pull requests merge every report of the closed periods by its due day, as
// calendar.Judge (which the audit uses) reads it, but the one it means to
// be late.
func TestLateReportsArePlanned(t *testing.T) {
	for _, tz := range []string{"Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney"} {
		dir := t.TempDir()
		standIn{timezone: tz}.make(t, dir)
		for due := 1; due <= calendar.LastDueDay; due++ {
			t.Run(fmt.Sprintf("%s, due on day %d", tz, due), func(t *testing.T) {
				repo, err := git.PlainOpen(dir)
				if err != nil {
					t.Fatal(err)
				}
				o, err := readOrg(repo)
				if err != nil {
					t.Fatal(err)
				}
				o.settings.ReportDueDay = due
				p, err := newPlan(o, now)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.make(); err != nil {
					t.Fatal(err)
				}
				var late []string
				for _, pr := range p.pulls {
					for _, c := range pr.commits {
						for path := range c.files {
							period := record.PeriodOf(path)
							if !pr.posture || !strings.HasPrefix(path, record.ReportsDir+"/") || period >= p.period(current) || slices.Contains(late, path) {
								continue
							}
							st, err := calendar.Judge(period, due, o.settings.Location, now, pr.merged)
							if err != nil {
								t.Fatal(err)
							}
							if st.Status == calendar.Late {
								late = append(late, path)
								t.Logf("%s is merged %s", path, pr.merged.In(o.settings.Location).Format("2006-01-02 15:04"))
							}
						}
					}
				}
				slices.Sort(late)
				if want := plannedLate(p.period(0)); !slices.Equal(late, want) {
					t.Errorf("late reports %v, want %v", late, want)
				}
			})
		}
	}
}

// TestEarlyDueDay: a demo whose reports are due on the 1st or the 2nd, the
// days new devices arrive, is clean, and its audit finds late only the
// planned report.
func TestEarlyDueDay(t *testing.T) {
	for _, due := range []int{1, 2} {
		t.Run(fmt.Sprintf("due on day %d", due), func(t *testing.T) {
			dir := populated(t, standIn{dueDay: due}, now)
			ctx := context.Background()
			res, err := check.Full(ctx, check.Options{Dir: dir, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Findings {
				t.Errorf("%s", f)
			}
			loc, err := time.LoadLocation("Asia/Tokyo")
			if err != nil {
				t.Fatal(err)
			}
			from, to, _ := year(now, loc)
			a, err := audit.Run(ctx, audit.Options{Repo: openRepo(t, dir), From: from, To: to, Version: "test",
				Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			var late []string
			for _, row := range a.Evidence {
				if row.Late {
					late = append(late, row.Path)
				}
			}
			if want := plannedLate(from); !slices.Equal(late, want) {
				t.Errorf("late reports %v, want %v", late, want)
			}
		})
	}
}
