package overview

import (
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/calendar"
)

// trends counts, per department and for everyone (Department "", last),
// the devices of each period of the window reported on time and passing,
// from the devices' histories.
func trends(devs []Device, periods []string, cal map[string]calendar.Standing) []Trend {
	var names []string
	for _, d := range devs {
		if !slices.Contains(names, d.Department) {
			names = append(names, d.Department)
		}
	}
	slices.SortFunc(names, strings.Compare)
	out := make([]Trend, 0, len(names)+1)
	for _, name := range append(names, "") {
		t := Trend{Department: name, Points: make([]TrendPoint, len(periods))}
		for i, p := range periods {
			t.Points[i] = TrendPoint{Period: p, Complete: cal[p].Status != calendar.NotDue}
		}
		for _, d := range devs {
			if name != "" && d.Department != name {
				continue
			}
			for i, c := range d.History {
				pt := &t.Points[i]
				switch c.Mark {
				case CellNone:
					continue
				case CellPassed:
					pt.OnTime++
				}
				pt.Devices++
				if c.Mark != CellException {
					pt.Expected++
				}
			}
		}
		for i := range t.Points {
			pt := &t.Points[i]
			pt.Percent = -1
			if pt.Expected > 0 {
				pt.Percent = pt.OnTime * 100 / pt.Expected
			}
		}
		out = append(out, t)
	}
	return out
}
