package record

import (
	"fmt"
	"time"
)

// ValidDate reports whether s is a calendar date written YYYY-MM-DD: four,
// two and two ASCII digits, a month from 01 to 12 and a day that the month
// has (February 29 only in the leap years of the Gregorian calendar, 0000
// included). It is posture's one date check: the schemas' "date" format
// asserts it, and the pattern of schemas/defs.schema.json's date and
// valid_date in policies/lib.rego are regular expressions that accept
// exactly the same strings (internal/schema's TestDatesAgree runs one list
// through all of them).
func ValidDate(s string) bool { return DateProblem(s) == "" }

// DateProblem says why s is not a calendar date, or "" when it is one:
// DateLayout, a month that does not exist, or the days of the month.
func DateProblem(s string) string {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return DateLayout
	}
	year, month, day := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if month < 1 || month > 12 {
		return fmt.Sprintf("there is no month %s", s[5:7])
	}
	if n := daysIn(year, time.Month(month)); day < 1 || day > n {
		return fmt.Sprintf("%s %s has %d days", time.Month(month), s[:4], n)
	}
	return ""
}

// DateLayout is DateProblem's answer for a string not written YYYY-MM-DD.
const DateLayout = "it is not written YYYY-MM-DD"

// daysIn is the number of days of month in year.
func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// InForceOn reports whether the exception r is in force on day
// (YYYY-MM-DD): its expires field is a date on or after day. An expiry that
// is not a date (the schema says so) keeps it out of force; compared as
// text, "later" would stand after every day.
func (r *Record) InForceOn(day string) bool {
	e := r.String("expires")
	return ValidDate(e) && day <= e
}

// InUseBetween reports whether the device r was in use at some time
// between the days from and to (YYYY-MM-DD, to excluded): registered
// before to and retired, if at all, after from. A device retired on from
// was not in use that day, as the policies (report.device_active refuses
// its report for a period that starts that day) and the monthly issues
// count it. A period's devices are those in use between its first day and
// the next month's: the overview, the audit and the look ahead count them
// so.
func (r *Record) InUseBetween(from, to string) bool {
	reg := r.String("registered")
	if reg == "" || reg >= to {
		return false
	}
	if r.String("status") != "retired" {
		return true
	}
	ret, _ := r.Data["retirement"].(map[string]any)
	date, _ := ret["date"].(string)
	return date > from
}

// InUseOn reports whether the device r was in use on day (YYYY-MM-DD):
// registered on or before it, active or retired after it. The monthly
// issue asks for the reports of the devices in use on the period's first
// day; the look ahead warns about those in use today.
func (r *Record) InUseOn(day string) bool {
	if reg := r.String("registered"); reg != "" && reg > day {
		return false
	}
	switch r.String("status") {
	case "active":
		return true
	case "retired":
		ret, _ := r.Data["retirement"].(map[string]any)
		date, _ := ret["date"].(string)
		return date > day
	}
	return false
}
