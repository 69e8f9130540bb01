// Package calendar is the one decision of where a device's monthly report
// stands by the calendar: not due yet, overdue by some days, accepted on
// time or late. The overview and the audit both ask it, so that a period
// whose due day has not come shows no device as missing in either.
package calendar

import (
	"fmt"
	"time"
)

// Statuses of a report by the calendar.
const (
	NotDue  = "not_due" // not accepted, and the due day has not ended
	Overdue = "overdue" // not accepted, and the due day has ended
	OnTime  = "on_time" // accepted on or before the due day
	Late    = "late"    // accepted after the due day
)

// Standing is where a report stands on a day.
type Standing struct {
	Status string
	// Due is the due day, YYYY-MM-DD in the organisation's timezone.
	Due string
	// Days counts the calendar days past the due day: how overdue an
	// Overdue report is today, or how late a Late one was accepted; 0
	// otherwise.
	Days int
}

// Judge decides where the report of period (YYYY-MM) stands at now, when
// reports are due by the end of day dueDay of the period's month in loc,
// the organisation's timezone. accepted is when the report was accepted;
// the zero time means it has not been.
//
// Days are calendar days in loc: a report accepted or looked at on the day
// after the due day is 1 day late or overdue, whatever the hour.
func Judge(period string, dueDay int, loc *time.Location, now, accepted time.Time) (Standing, error) {
	if loc == nil {
		loc = time.UTC
	}
	start, err := time.ParseInLocation("2006-01", period, loc)
	if err != nil {
		return Standing{}, fmt.Errorf("period %q is not written YYYY-MM", period)
	}
	if dueDay < 1 {
		return Standing{}, fmt.Errorf("due day %d is not a day of the month", dueDay)
	}
	due := start.AddDate(0, 0, dueDay-1)
	s := Standing{Due: due.Format(time.DateOnly)}
	on, status := now, Overdue
	if !accepted.IsZero() {
		on, status = accepted, Late
	}
	days := daysAfter(due, on.In(loc))
	switch {
	case days > 0:
		s.Status, s.Days = status, days
	case accepted.IsZero():
		s.Status = NotDue
	default:
		s.Status = OnTime
	}
	return s, nil
}

// daysAfter counts the calendar days from the date of due to the date of t,
// both read in due's location.
func daysAfter(due, t time.Time) int {
	d0 := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC)
	d1 := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(d1.Sub(d0).Hours() / 24)
}
