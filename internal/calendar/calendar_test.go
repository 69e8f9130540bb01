package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestJudge(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	none := time.Time{}
	tests := []struct {
		name          string
		period        string
		now, accepted time.Time
		status        string
		days          int
	}{
		{"the 1st: nothing is due yet", "2026-12", at("2026-12-01 09:00"), none, NotDue, 0},
		{"before the month", "2026-12", at("2026-11-20 09:00"), none, NotDue, 0},
		{"the due day itself, late at night", "2026-12", at("2026-12-10 23:59"), none, NotDue, 0},
		{"the day after", "2026-12", at("2026-12-11 00:00"), none, Overdue, 1},
		{"weeks after", "2026-12", at("2026-12-31 12:00"), none, Overdue, 21},
		{"in the next year", "2026-12", at("2027-01-10 08:00"), none, Overdue, 31},
		// 2026-12-10 15:30 UTC is already 2026-12-11 in Tokyo.
		{"the timezone decides the day", "2026-12", time.Date(2026, 12, 10, 15, 30, 0, 0, time.UTC), none, Overdue, 1},
		{"accepted before the due day", "2026-12", at("2026-12-20 09:00"), at("2026-12-03 10:00"), OnTime, 0},
		{"accepted on the due day", "2026-12", at("2026-12-20 09:00"), at("2026-12-10 23:00"), OnTime, 0},
		{"accepted after the due day", "2026-12", at("2026-12-20 09:00"), at("2026-12-14 10:00"), Late, 4},
		{"accepted in advance, looked at later", "2026-11", at("2027-02-01 09:00"), at("2026-10-30 10:00"), OnTime, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Judge(tt.period, 10, tokyo, tt.now, tt.accepted)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != tt.status || s.Days != tt.days || s.Due != tt.period+"-10" {
				t.Errorf("got %+v, want %s %d days, due %s-10", s, tt.status, tt.days, tt.period)
			}
		})
	}
	for _, bad := range []struct {
		period string
		day    int
	}{{"2026-13", 10}, {"December", 10}, {"2026-12", 0}} {
		if _, err := Judge(bad.period, bad.day, tokyo, at("2026-12-01 09:00"), none); err == nil {
			t.Errorf("Judge(%q, %d) gave no error", bad.period, bad.day)
		}
	}
}

// A due day is one every month has: day 28 of February is the latest, and
// day 29 to 31 would spill into March, so they are refused.
func TestJudgeDueDayRange(t *testing.T) {
	march1 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := Judge("2026-02", 28, time.UTC, march1, time.Time{})
	if err != nil || s.Due != "2026-02-28" || s.Status != Overdue || s.Days != 1 {
		t.Errorf("due day 28 of 2026-02: %+v, %v; want due 2026-02-28, overdue by 1 day", s, err)
	}
	if s, err := Judge("2026-02", 1, time.UTC, march1, time.Time{}); err != nil || s.Due != "2026-02-01" {
		t.Errorf("due day 1 of 2026-02: %+v, %v", s, err)
	}
	for _, day := range []int{29, 30, 31, 45, 0, -1} {
		s, err := Judge("2026-02", day, time.UTC, march1, time.Time{})
		if err == nil {
			t.Errorf("due day %d of 2026-02 gave %+v and no error", day, s)
			continue
		}
		for _, want := range []string{"report_due_day", "posture.yaml", "from 1 to 28", "set it"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("due day %d: error %q does not say %q", day, err, want)
			}
		}
	}
	_, err = Judge("2026-02", 31, time.UTC, march1, time.Time{})
	if want := "report_due_day 31 in posture.yaml is not a day from 1 to 28; set it to the day of the month reports are due"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
