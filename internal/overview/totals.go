package overview

import (
	"fmt"
	"strings"
)

// totals counts the devices overall and per department, departments in
// name order.
func totals(devs []Device) (all Totals, depts []Totals) {
	employees := map[string]map[string]bool{}
	index := map[string]int{}
	for _, d := range devs {
		i, ok := index[d.Department]
		if !ok {
			i = len(depts)
			index[d.Department] = i
			depts = append(depts, Totals{Department: d.Department})
			employees[d.Department] = map[string]bool{}
		}
		add(&depts[i], d)
		add(&all, d)
		employees[d.Department][d.Employee] = true
	}
	for i := range depts {
		depts[i].Employees = len(employees[depts[i].Department])
		all.Employees += depts[i].Employees
	}
	if depts == nil {
		depts = []Totals{}
	}
	return all, depts
}

func add(t *Totals, d Device) {
	t.Devices++
	switch d.State {
	case Merged:
		t.Merged++
	case InReview:
		t.InReview++
	default:
		t.Missing++
	}
	switch d.Result {
	case Pass:
		t.Passing++
	case Warn:
		t.Warnings++
	case Fail:
		t.Failing++
	}
	if d.Late {
		t.Late++
	}
	if len(d.Exceptions) > 0 {
		t.Excepted++
	}
}

// followUp lists the devices to chase: failing reports, then missing ones
// (in review or not), then late ones.
func followUp(devs []Device, due string) []FollowUp {
	out := []FollowUp{}
	entry := func(reason string, d Device, detail string) FollowUp {
		return FollowUp{Reason: reason, Department: d.Department, Employee: d.Employee, Name: d.Name, Device: d.Device, Detail: detail}
	}
	for _, d := range devs {
		if d.Result == Fail {
			out = append(out, entry(ReasonFailing, d, fmt.Sprintf("%d error(s): %s", d.Errors, strings.Join(d.Rules, ", "))))
		}
	}
	for _, d := range devs {
		switch d.State {
		case InReview:
			out = append(out, entry(ReasonMissing, d, fmt.Sprintf("in review in pull request #%d, not merged", d.PullRequest)))
		case Missing:
			out = append(out, entry(ReasonMissing, d, "no report, due "+due))
		}
	}
	for _, d := range devs {
		if d.Late && d.Result != Fail {
			out = append(out, entry(ReasonLate, d, "accepted "+d.Accepted+", due "+due))
		}
	}
	return out
}
