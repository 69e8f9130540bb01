package monthly

import (
	"fmt"
	"io"
	"strings"
)

// The dry runs' plans: what a run would do, written for a person to check
// before the real run. Open's dry run writes the plan of the issues GitHub
// lacks; an offline dry run (the CLI's --offline) writes the plan of every
// issue, from the clone alone, with no client and no request.

// WriteOfflinePlan writes, from the clone alone, what a run of Open would
// open from plan: GitHub is not asked which issues exist, so every planned
// issue is listed (a run opens only those it lacks).
func WriteOfflinePlan(w io.Writer, period string, plan []Planned, max int, maxFrom string) {
	fmt.Fprintf(w, "%s: %d people owe reports (offline: GitHub was not asked which issues exist; a run opens only those it lacks)\n",
		period, len(plan))
	writePlan(w, period, plan, max, maxFrom)
}

// writePlan writes what a run of Open would open from missing, the issues
// not on GitHub yet (every planned one when offline): how many, whether the
// cap of max (maxFrom says where it was set) stops the run and where, each
// subject with their login and devices, and the first issue in full.
func writePlan(w io.Writer, period string, missing []Planned, max int, maxFrom string) {
	if maxFrom != "" {
		maxFrom = " (" + maxFrom + ")"
	}
	if len(missing) == 0 {
		fmt.Fprintf(w, "would open no issue for %s\n", period)
		return
	}
	if len(missing) > max {
		fmt.Fprintf(w, "would open %d of %d issues, then stop at the cap of %d%s with %d still to open; run again, or raise --max, to open the rest\n",
			max, len(missing), max, maxFrom, len(missing)-max)
	} else {
		fmt.Fprintf(w, "would open %d issues, within the cap of %d%s\n", len(missing), max, maxFrom)
	}
	for i, p := range missing {
		if i == max {
			fmt.Fprintf(w, "  -- the cap stops the run here; a later run opens:\n")
		}
		fmt.Fprintf(w, "  %s %s, %s: %s\n", p.Subject.ID, p.Subject.Name, who(p.Subject), deviceList(p.Subject))
	}
	first := missing[0]
	assignees := "nobody (no GitHub login in people/; the body names them)"
	if len(first.Assignees) > 0 {
		assignees = "@" + strings.Join(first.Assignees, ", @")
	}
	fmt.Fprintf(w, "\nthe first issue, as it would be opened:\ntitle: %s\nassignees: %s\nlabels: %s\n\n%s\n",
		first.Title, assignees, Label(period), strings.TrimRight(first.Body, "\n"))
}

// WriteOfflinePlan writes, from the clone alone, what a run of Remind
// would do: the step each subject's issue is at (close it, remind them,
// tell their supervisor, or not yet), as if every subject's issue were open
// with no step of the period taken (a run skips steps taken already, and
// issues that are closed or missing); and the first comment in full.
func (o RemindOptions) WriteOfflinePlan(w io.Writer) {
	fmt.Fprintf(w, "%s: %d people owe reports, due %s (offline: GitHub was not asked which issues are open or which steps were taken; "+
		"each is shown as if its issue were open and no step taken)\n", o.Period, len(o.Subjects), o.Due)
	var first, firstOf string
	counts := map[string]int{}
	for _, s := range o.Subjects {
		var missing, merged []string
		for _, d := range s.Devices {
			if p := ReportPath(o.Period, d.ID); o.Merged(p) {
				merged = append(merged, p)
			} else {
				missing = append(missing, d.ID)
			}
		}
		step, body := o.step(s, missing, merged)
		counts[step]++
		var what string
		switch step {
		case StepDone:
			what = "every report merged: would comment and close the issue"
		case StepReminder:
			what = "would remind them of " + strings.Join(missing, ", ")
		case StepOverdue:
			what = "overdue (" + strings.Join(missing, ", ") + "): would tell "
			if p := Supervisor(o.People, s); p != nil {
				what += "their supervisor @" + p.String("github")
			} else {
				what += "the IT admins (no active supervisor on record)"
			}
		default:
			what = "missing " + strings.Join(missing, ", ") + "; not reminded before " + o.RemindFrom
		}
		fmt.Fprintf(w, "  %s %s, %s: %s\n", s.ID, s.Name, who(s), what)
		if first == "" && step != "" {
			first, firstOf = StepMarker(o.Period, s.ID, step)+"\n"+body, s.ID
		}
	}
	fmt.Fprintf(w, "would close %d issues and comment on %d more (%d reminders, %d overdue notes); %d not reminded yet\n",
		counts[StepDone], counts[StepReminder]+counts[StepOverdue], counts[StepReminder], counts[StepOverdue], counts[""])
	if first != "" {
		fmt.Fprintf(w, "\nthe first comment, on %s's issue:\n\n%s\n", firstOf, first)
	}
}

// who names a subject's GitHub login, or says there is none.
func who(s Subject) string {
	if s.Login == "" {
		return "no GitHub login"
	}
	return "@" + s.Login
}

// deviceList lists a subject's devices by id.
func deviceList(s Subject) string {
	ids := make([]string, len(s.Devices))
	for i, d := range s.Devices {
		ids[i] = d.ID
	}
	return strings.Join(ids, ", ")
}
