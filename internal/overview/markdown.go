package overview

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxMarkdownRows bounds the device table of the Markdown form, which goes
// into a job summary (GitHub shows at most 1 MiB of one).
const maxMarkdownRows = 1000

func writeMarkdown(w io.Writer, o *Overview) error {
	var b strings.Builder
	c := MarkdownCell
	fmt.Fprintf(&b, "## Device security reports: %s, %s\n\n", c(o.Organization), o.Period)
	fmt.Fprintf(&b, "%s Commit `%s` (%s)", c(dueLine(o)), shortSHA(o.Commit), stamp(o.CommitTime))
	if o.GitHub {
		b.WriteString("; open pull requests included.\n\n")
	} else {
		b.WriteString("; open pull requests not looked up (run with --github).\n\n")
	}
	b.WriteString("| department | employees | devices | failing | overdue | late | not due yet | excepted | on time | merged | in review | passing | warnings | with exceptions |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(name string, t Totals) {
		s := t.ByStatus
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", name, t.Employees, t.Devices,
			s.Failing, s.Overdue, s.Late, s.NotDue, s.Excepted, s.OnTime, t.Merged, t.InReview, t.Passing, t.Warnings, t.WithExceptions)
	}
	for _, t := range o.Departments {
		row(c(t.Department), t)
	}
	row("**all**", o.Totals)

	b.WriteString("\n### Follow up first\n\n")
	if len(o.FollowUp) == 0 {
		b.WriteString("Nothing to follow up: no report is failing, overdue or late.\n")
	} else {
		b.WriteString("| # | state | department | employee | supervisor | device | detail |\n| ---: | --- | --- | --- | --- | --- | --- |\n")
		for i, f := range o.FollowUp {
			state := StatusLabel(Device{Status: f.Reason, Days: f.Days})
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", i+1, state, c(f.Department), c(person(f.Name, f.Employee)),
				c(person(f.SupervisorName, f.Supervisor)), c(f.Device), c(f.Detail))
		}
	}
	var rest []string
	if n := o.Totals.ByStatus.NotDue; n > 0 {
		rest = append(rest, fmt.Sprintf("%s not due yet (due %s)", plural(n, "device"), o.Due))
	}
	if n := o.Totals.ByStatus.Excepted; n > 0 {
		rest = append(rest, plural(n, "device")+" excepted")
	}
	if len(rest) > 0 {
		fmt.Fprintf(&b, "\nNot listed: %s.\n", strings.Join(rest, ", "))
	}
	writeAhead(&b, o)

	fmt.Fprintf(&b, "\n### All devices\n\nHistory %s to %s, one letter a period: %s.\n\n", o.Periods[0], o.Period, legendCodes())
	b.WriteString("| state | department | employee | supervisor | device | report | result | rules | exceptions | accepted | history |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for i, d := range o.Devices {
		if i == maxMarkdownRows {
			fmt.Fprintf(&b, "\n%d more devices are left out here; see the CSV or JSON form.\n", len(o.Devices)-i)
			break
		}
		report := strings.ReplaceAll(d.State, "_", " ")
		if pr := cmp.Or(d.PullRequest, d.AcceptedPull); pr != 0 {
			report = fmt.Sprintf("%s (#%d)", report, pr)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | `%s` |\n", StatusLabel(d), c(d.Department),
			c(person(d.Name, d.Employee)), c(person(d.SupervisorName, d.Supervisor)), c(d.Device), report, d.Result,
			c(strings.Join(d.Rules, ", ")), c(strings.Join(d.Exceptions, ", ")), d.Accepted, historyCodes(d.History))
	}

	b.WriteString("\n### Trends\n\nShare of the devices in use reported by the due day and passing, excepted devices left out")
	b.WriteString("; * marks a period whose due day has not ended.\n\n| department |")
	for _, p := range o.Periods {
		fmt.Fprintf(&b, " %s |", p)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" ---: |", len(o.Periods)) + "\n")
	for _, t := range o.Trends {
		name := "**all**"
		if t.Department != "" {
			name = c(t.Department)
		}
		fmt.Fprintf(&b, "| %s |", name)
		for _, pt := range t.Points {
			fmt.Fprintf(&b, " %s |", percentText(pt))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// percentText writes a trend point as "83%", "83%*" when its due day has
// not ended, or "–" when no device was expected.
func percentText(pt TrendPoint) string {
	if pt.Percent < 0 {
		return "–"
	}
	s := fmt.Sprintf("%d%%", pt.Percent)
	if !pt.Complete {
		s += "*"
	}
	return s
}

// dueLine says when the period is due and where the overview's day stands:
// "Due 2026-02-10 (Asia/Tokyo); as of 2026-02-20, 10 days after the due day."
func dueLine(o *Overview) string {
	today := o.AsOf.Format(time.DateOnly)
	d0, _ := time.Parse(time.DateOnly, o.Due)
	d1, _ := time.Parse(time.DateOnly, today)
	n := int(d1.Sub(d0).Hours() / 24)
	where := "the due day"
	switch {
	case n > 0:
		where = plural(n, "day") + " after the due day"
	case n < 0:
		where = plural(-n, "day") + " before the due day"
	}
	return fmt.Sprintf("Due %s (%s); as of %s, %s.", o.Due, o.Timezone, today, where)
}

// stamp formats a commit time for the pages.
func stamp(t time.Time) string { return t.Format("2006-01-02 15:04 MST") }
