package audit

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/overview"
	"github.com/posture-dev/posture/internal/record"
)

// population works out, for each period, the devices that were active in
// it by the registry at the period's end, adds a row for each one without
// a report (missing once the due day has ended, not due before: the
// calendar decides), lists the exceptions in force on the due day and
// counts how the population was accounted for.
func (r *run) population(ctx context.Context, a *Audit, rows []*rowState) ([]Row, error) {
	byPath := map[string]*Row{}
	byPeriod := map[string][]*Row{}
	for _, rs := range rows {
		byPath[rs.row.Path] = rs.row
		byPeriod[rs.row.Period] = append(byPeriod[rs.row.Period], rs.row)
	}
	a.Periods, a.Exceptions = []Period{}, []Exception{}
	for _, p := range r.periods {
		start, _ := time.ParseInLocation("2006-01", p, r.settings.Location)
		end := start.AddDate(0, 1, 0)
		// Reports are missing only once the due day has ended.
		cal, err := calendar.Judge(p, r.settings.ReportDueDay, r.settings.Location, r.now, time.Time{})
		if err != nil {
			return nil, err
		}
		due, notDue := cal.Due, cal.Status == calendar.NotDue
		at := -1 // the last commit before the period ended
		for i, st := range r.steps {
			if !st.Committer.When.Before(end) {
				break
			}
			at = i
		}
		if at < 0 { // the history starts after the period: nobody was registered
			a.Periods = append(a.Periods, Period{Period: p, Due: due})
			r.fill(byPeriod[p], &judged{})
			continue
		}
		jd, err := r.judge(ctx, at)
		if err != nil {
			return nil, err
		}
		sum := Period{Period: p, Due: due, Registry: r.steps[at].Hash.String()}
		inForce := map[string][]string{}
		for _, e := range jd.exceptions {
			if e.InForceOn(due) {
				dev := e.String("device")
				inForce[dev] = append(inForce[dev], record.IDOf(e.Path))
				a.Exceptions = append(a.Exceptions, Exception{Period: p, ID: record.IDOf(e.Path), Device: dev,
					Rule: e.String("rule"), ApprovedBy: e.String("approved_by"), Expires: e.String("expires")})
			}
		}
		var ids []string
		for id, d := range jd.devices {
			if overview.ActiveIn(d, start, end) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			path := record.ReportsDir + "/" + p + "/" + id + ".yaml"
			row := byPath[path]
			if row == nil {
				row = &Row{Period: p, Device: id, Path: path, Status: Missing}
				switch {
				case len(inForce[id]) > 0:
					row.Status = Excepted
				case notDue:
					row.Status = NotDue
				default:
					r.finding("audit.missing_report", Error, path, r.steps[at].Hash,
						"device %s was active in %s (registry at %s) but has no report and no exception in force on the due day %s; the population is incomplete",
						id, p, short(r.steps[at].Hash), due)
				}
				byPath[path] = row
				byPeriod[p] = append(byPeriod[p], row)
			}
			row.InPopulation = true
			count(&sum, row)
		}
		a.Periods = append(a.Periods, sum)
		r.fill(byPeriod[p], jd, inForce)
	}
	out := make([]Row, 0, len(byPath))
	for _, row := range byPath {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(x, y Row) int {
		return cmpOr(strings.Compare(x.Period, y.Period), strings.Compare(x.Device, y.Device), strings.Compare(x.Path, y.Path))
	})
	return out, nil
}

// fill sets the owner, department and exceptions of one period's rows
// from the registry jd.
func (r *run) fill(rows []*Row, jd *judged, inForce ...map[string][]string) {
	for _, row := range rows {
		row.Exceptions = []string{}
		if len(inForce) > 0 {
			row.Exceptions = orEmpty(inForce[0][row.Device])
		}
		if d := jd.devices[row.Device]; d != nil {
			row.Owner = d.String("owner")
			if o := jd.people[row.Owner]; o != nil {
				row.Department = o.String("department")
			}
		}
	}
}

func count(sum *Period, row *Row) {
	sum.Devices++
	switch row.Status {
	case Accepted:
		sum.Accepted++
	case Changed:
		sum.Changed++
	case Unaccepted:
		sum.Unaccepted++
	case Deleted:
		sum.Deleted++
	case Excepted:
		sum.Excepted++
	case Missing:
		sum.Missing++
	case NotDue:
		sum.NotDue++
	}
	if row.Late {
		sum.Late++
	}
	if row.Recheck != nil && row.Recheck.Result == Fail {
		sum.Failing++
	}
}
