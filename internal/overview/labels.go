package overview

import (
	"strings"
)

// StatusLabel says a device's status in words, with its days:
// "overdue 5 days", "late 2 days", "not due yet".
func StatusLabel(d Device) string {
	switch d.Status {
	case Overdue:
		return "overdue " + plural(d.Days, "day")
	case Late:
		return "late " + plural(d.Days, "day")
	case NotDue:
		return "not due yet"
	case OnTime:
		return "on time"
	}
	return d.Status
}

// statusNames are the statuses in words, for filters and legends.
var statusNames = map[string]string{Failing: "failing", Overdue: "overdue", Late: "late", NotDue: "not due yet",
	Excepted: "excepted", OnTime: "on time"}

// cellNames are a history's marks in words, and cellCodes the letters the
// Markdown form writes for them.
var (
	cellNames = map[string]string{CellPassed: "passed", CellFailed: "failed", CellLate: "late", CellMissing: "missing",
		CellException: "exception", CellNotDue: "not due", CellNone: "not in use"}
	cellCodes = map[string]string{CellPassed: "P", CellFailed: "F", CellLate: "L", CellMissing: "M",
		CellException: "E", CellNotDue: "N", CellNone: "·"}
)

// cellMarks lists the marks in the order of the legend.
var cellMarks = []string{CellPassed, CellLate, CellFailed, CellMissing, CellException, CellNotDue, CellNone}

// historyCodes writes a history as one letter per period, oldest first.
func historyCodes(h []Cell) string {
	var b strings.Builder
	for _, c := range h {
		b.WriteString(cellCodes[c.Mark])
	}
	return b.String()
}

// legendCodes is the key to historyCodes.
func legendCodes() string {
	var parts []string
	for _, m := range cellMarks {
		parts = append(parts, cellCodes[m]+" "+cellNames[m])
	}
	return strings.Join(parts, ", ")
}

// person names someone with their id: "Ann Lee (e1)", or "" for no id.
func person(name, id string) string {
	if id == "" {
		return ""
	}
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}
