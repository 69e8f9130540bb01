package overview

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// rank is a state's place in the queue.
func rank(status string) int { return slices.Index(Statuses, status) }

// queueOrder sorts the work queue: by status in the order of Statuses, the
// most days first within a state, then by department, employee and device.
func queueOrder(a, b Device) int {
	return cmp.Or(cmp.Compare(rank(a.Status), rank(b.Status)), cmp.Compare(b.Days, a.Days),
		strings.Compare(a.Department, b.Department), strings.Compare(a.Employee, b.Employee), strings.Compare(a.Device, b.Device))
}

// totals counts the devices overall and per department, departments in
// name order.
func totals(devs []Device) (all Totals, depts []Totals) {
	employees := map[string]map[string]bool{}
	for _, d := range devs {
		if employees[d.Department] == nil {
			employees[d.Department] = map[string]bool{}
			depts = append(depts, Totals{Department: d.Department})
		}
	}
	slices.SortFunc(depts, func(a, b Totals) int { return strings.Compare(a.Department, b.Department) })
	index := map[string]int{}
	for i, t := range depts {
		index[t.Department] = i
	}
	for _, d := range devs {
		i := index[d.Department]
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
		t.WithExceptions++
	}
	c := &t.ByStatus
	switch d.Status {
	case Failing:
		c.Failing++
	case Overdue:
		c.Overdue++
	case Late:
		c.Late++
	case NotDue:
		c.NotDue++
	case Excepted:
		c.Excepted++
	case OnTime:
		c.OnTime++
	}
}

// followUp lists the devices to chase, in the queue's order: failing
// reports, then overdue ones, then late ones. Devices not due yet,
// excepted or on time are left out.
func followUp(devs []Device) []FollowUp {
	out := []FollowUp{}
	for _, d := range devs {
		var detail string
		switch d.Status {
		case Failing:
			detail = fmt.Sprintf("%s: %s", plural(d.Errors, "error"), strings.Join(d.Rules, ", "))
			if d.Late {
				detail += fmt.Sprintf("; accepted %s, %s late", d.Accepted, plural(d.Days, "day"))
			}
		case Overdue:
			detail = "no report merged"
			if d.State == InReview {
				detail = fmt.Sprintf("in review in pull request #%d, not merged", d.PullRequest)
			}
		case Late:
			detail = fmt.Sprintf("accepted %s, %s after the due day", d.Accepted, plural(d.Days, "day"))
		default:
			continue
		}
		out = append(out, FollowUp{Reason: d.Status, Days: d.Days, Department: d.Department, Employee: d.Employee,
			Name: d.Name, Supervisor: d.Supervisor, SupervisorName: d.SupervisorName, Device: d.Device, Detail: detail})
	}
	return out
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
