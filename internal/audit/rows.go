package audit

import (
	"slices"

	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/record"
)

// rowState is a row of the evidence table with what the history said
// about its path.
type rowState struct {
	row *Row
	st  state
}

// reportRows makes a row for every report path in scope that the history
// holds, and files the integrity findings of each path's changes.
func (r *run) reportRows() []*rowState {
	var paths []string
	for p := range r.paths {
		if r.inScope(p) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	out := make([]*rowState, 0, len(paths))
	for _, p := range paths {
		st := r.follow(p)
		row := &Row{Period: record.PeriodOf(p), Device: record.IDOf(p), Path: p, Exceptions: []string{}}
		switch {
		case st.present && st.accepted != nil && st.current == st.accepted.blob:
			row.Status = Accepted
		case st.present && st.accepted != nil:
			row.Status = Changed
		case st.present:
			row.Status = Unaccepted
		default:
			row.Status = Deleted
		}
		if st.first != nil {
			row.Added = r.commitOf(st.first.step)
			if o, ok := r.steps[st.first.step].Origins[p]; ok {
				row.Added = commitInfo(o, r.settings.Location)
			}
		}
		if st.accepted != nil {
			row.Merge = r.mergeOf(st.accepted.step)
			cal, err := calendar.Judge(row.Period, r.settings.ReportDueDay, r.settings.Location, r.now, row.Merge.Time)
			row.Late = err == nil && cal.Status == calendar.Late
		}
		out = append(out, &rowState{row: row, st: st})
	}
	return out
}

// mergeOf describes the evidence merge at step i.
func (r *run) mergeOf(i int) *Merge {
	m := r.merges[i]
	out := &Merge{Commit: *r.commitOf(i), PullRequest: m.ev.PullRequest, Subject: m.ev.Subject.String(),
		PolicyBase: m.ev.PolicyBase, Approvals: []Approval{}}
	for _, a := range m.ev.Approvals {
		out.Approvals = append(out.Approvals, Approval{Role: a.Role, Approver: a.Approver.ID, Login: a.Approver.Login,
			ReviewID: a.ReviewID, At: a.At.In(r.settings.Location), Commit: a.Commit})
	}
	return out
}
