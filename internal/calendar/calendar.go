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
	due, err := Due(period, dueDay)
	if err != nil {
		return Standing{}, err
	}
	s := Standing{Due: due.String()}
	on, status := now, Overdue
	if !accepted.IsZero() {
		on, status = accepted, Late
	}
	days := due.daysTo(DateOf(on, loc))
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

// Date is a day of the calendar, in no timezone. The due day is one, not
// an instant: where the clocks jump forward at 00:00 the day has no
// midnight, and time.Date answers an hour of the day before for it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// LastDueDay is the latest day of the month reports may be due: every
// month has it, so that a due day never spills into the next month.
const LastDueDay = 28

// Due returns the day the reports of period (YYYY-MM) are due: day dueDay
// of the period's month, from 1 to LastDueDay.
func Due(period string, dueDay int) (Date, error) {
	start, err := time.Parse("2006-01", period)
	if err != nil {
		return Date{}, fmt.Errorf("period %q is not written YYYY-MM", period)
	}
	if dueDay < 1 || dueDay > LastDueDay {
		return Date{}, fmt.Errorf("report_due_day %d in posture.yaml is not a day from 1 to %d; set it to the day of the month reports are due", dueDay, LastDueDay)
	}
	return Date{start.Year(), start.Month(), dueDay}, nil
}

// DateOf returns the date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// String returns the date written YYYY-MM-DD.
func (d Date) String() string {
	return d.utc().Format(time.DateOnly)
}

// End returns the instant d ends in loc, the first instant of the day
// after. Where that day's midnight does not exist (the clocks jump forward
// at 00:00), it is the instant of the jump, not the hour of d that
// time.Date would answer.
func (d Date) End(loc *time.Location) time.Time {
	next := time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, loc)
	if DateOf(next, loc) == d {
		_, jump := next.ZoneBounds()
		return jump
	}
	return next
}

// daysTo counts the calendar days from d to e, negative when e comes first.
func (d Date) daysTo(e Date) int {
	return int(e.utc().Sub(d.utc()).Hours() / 24)
}

func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}
