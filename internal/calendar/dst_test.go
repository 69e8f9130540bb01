package calendar

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, where the system has no zoneinfo
)

// In America/Santiago the clocks jump from 2026-09-06 00:00 to 01:00, and in
// America/Havana from 2026-03-08 00:00 to 01:00: those days have no
// midnight. In Santiago they fall back from 2026-04-05 00:00 to 2026-04-04
// 23:00, so that hour of the 4th comes twice.
func TestJudgeDST(t *testing.T) {
	santiago, havana := zone(t, "America/Santiago"), zone(t, "America/Havana")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	none := time.Time{}
	tests := []struct {
		name          string
		loc           *time.Location
		period        string
		day           int
		now, accepted time.Time
		due, status   string
		days          int
	}{
		{"santiago: the evening before", santiago, "2026-09", 6, at(santiago, "2026-09-05 23:59"), none, "2026-09-06", NotDue, 0},
		{"santiago: the due day's first instant", santiago, "2026-09", 6, time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC), none, "2026-09-06", NotDue, 0},
		{"santiago: noon on the due day", santiago, "2026-09", 6, at(santiago, "2026-09-06 12:00"), none, "2026-09-06", NotDue, 0},
		{"santiago: the due day, late at night", santiago, "2026-09", 6, at(santiago, "2026-09-06 23:59"), none, "2026-09-06", NotDue, 0},
		{"santiago: the day after", santiago, "2026-09", 6, at(santiago, "2026-09-07 00:00"), none, "2026-09-06", Overdue, 1},
		{"santiago: accepted the evening before", santiago, "2026-09", 6, at(santiago, "2026-09-20 12:00"), at(santiago, "2026-09-05 23:59"), "2026-09-06", OnTime, 0},
		{"santiago: accepted at noon on the due day", santiago, "2026-09", 6, at(santiago, "2026-09-20 12:00"), at(santiago, "2026-09-06 12:00"), "2026-09-06", OnTime, 0},
		{"santiago: accepted the day after", santiago, "2026-09", 6, at(santiago, "2026-09-20 12:00"), at(santiago, "2026-09-07 00:00"), "2026-09-06", Late, 1},
		{"santiago: due the day before the jump, looked at after it", santiago, "2026-09", 5, time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC), none, "2026-09-05", Overdue, 1},
		{"santiago: due the day before the jump, an instant before it", santiago, "2026-09", 5, time.Date(2026, 9, 6, 3, 59, 59, 0, time.UTC), none, "2026-09-05", NotDue, 0},
		// 03:30 UTC is the second 23:30 of 2026-04-04.
		{"santiago: the hour that comes twice", santiago, "2026-04", 4, time.Date(2026, 4, 5, 3, 30, 0, 0, time.UTC), none, "2026-04-04", NotDue, 0},
		{"santiago: after the hour that comes twice", santiago, "2026-04", 4, time.Date(2026, 4, 5, 4, 0, 0, 0, time.UTC), none, "2026-04-04", Overdue, 1},
		{"havana: noon on the due day", havana, "2026-03", 8, at(havana, "2026-03-08 12:00"), none, "2026-03-08", NotDue, 0},
		{"havana: the day after", havana, "2026-03", 8, at(havana, "2026-03-09 00:00"), none, "2026-03-08", Overdue, 1},
		{"havana: accepted at noon on the due day", havana, "2026-03", 8, at(havana, "2026-03-20 12:00"), at(havana, "2026-03-08 12:00"), "2026-03-08", OnTime, 0},
		{"havana: accepted the day after", havana, "2026-03", 8, at(havana, "2026-03-20 12:00"), at(havana, "2026-03-09 00:30"), "2026-03-08", Late, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Judge(tt.period, tt.day, tt.loc, tt.now, tt.accepted)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != tt.status || s.Days != tt.days || s.Due != tt.due {
				t.Errorf("got %+v, want %s %d days, due %s", s, tt.status, tt.days, tt.due)
			}
		})
	}
}

func TestDateEnd(t *testing.T) {
	santiago, havana, tokyo := zone(t, "America/Santiago"), zone(t, "America/Havana"), zone(t, "Asia/Tokyo")
	tests := []struct {
		name string
		d    Date
		loc  *time.Location
		want time.Time // in UTC
	}{
		{"an ordinary day", Date{2026, 12, 10}, tokyo, time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)},
		{"the month's last day", Date{2026, 2, 28}, tokyo, time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC)},
		{"the next day has no midnight", Date{2026, 9, 5}, santiago, time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC)},
		{"the day itself has no midnight", Date{2026, 9, 6}, santiago, time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC)},
		{"its last hour comes twice", Date{2026, 4, 4}, santiago, time.Date(2026, 4, 5, 4, 0, 0, 0, time.UTC)},
		{"havana: the next day has no midnight", Date{2026, 3, 7}, havana, time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := tt.d.End(tt.loc)
			if !end.Equal(tt.want) {
				t.Errorf("End = %v (%v), want %v", end, end.UTC(), tt.want)
			}
			y, m, d := time.Date(tt.d.Year, tt.d.Month, tt.d.Day+1, 0, 0, 0, 0, time.UTC).Date()
			next := Date{y, m, d}
			if got := DateOf(end, tt.loc); got != next {
				t.Errorf("End reads %s in %s, want %s", got, tt.loc, next)
			}
			if got := DateOf(end.Add(-time.Nanosecond), tt.loc); got != tt.d {
				t.Errorf("the instant before End reads %s, want %s", got, tt.d)
			}
		})
	}
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
