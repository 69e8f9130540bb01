package overview

import (
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
	fmt.Fprintf(&b, "Due %s. As of commit `%s` (%s)", o.Due, o.Commit[:12], o.CommitTime.Format("2006-01-02 15:04 MST"))
	if o.GitHub {
		b.WriteString("; open pull requests included.\n\n")
	} else {
		b.WriteString("; open pull requests not looked up (run with --github).\n\n")
	}
	b.WriteString("| department | employees | devices | merged | in review | missing | passing | warnings | failing | late | with exceptions |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(name string, t Totals) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", name, t.Employees, t.Devices, t.Merged,
			t.InReview, t.Missing, t.Passing, t.Warnings, t.Failing, t.Late, t.Excepted)
	}
	for _, t := range o.Departments {
		row(c(t.Department), t)
	}
	row("**all**", o.Totals)

	b.WriteString("\n### Follow up first\n\n")
	if len(o.FollowUp) == 0 {
		b.WriteString("Nothing to follow up: every report is merged, passing and on time.\n")
	} else {
		b.WriteString("| # | reason | department | employee | device | detail |\n| ---: | --- | --- | --- | --- | --- |\n")
		for i, f := range o.FollowUp {
			fmt.Fprintf(&b, "| %d | %s | %s | %s (%s) | %s | %s |\n", i+1, f.Reason, c(f.Department), c(f.Name), c(f.Employee), c(f.Device), c(f.Detail))
		}
	}

	b.WriteString("\n### All devices\n\n")
	b.WriteString("| department | employee | device | state | result | rules | exceptions | accepted | late |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for i, d := range o.Devices {
		if i == maxMarkdownRows {
			fmt.Fprintf(&b, "\n%d more devices are left out here; see the CSV or JSON form.\n", len(o.Devices)-i)
			break
		}
		state := d.State
		if d.State == InReview {
			state = fmt.Sprintf("in review (#%d)", d.PullRequest)
		}
		late := ""
		if d.Late {
			late = "late"
		}
		fmt.Fprintf(&b, "| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n", c(d.Department), c(d.Name), c(d.Employee),
			c(d.Device), state, d.Result, c(strings.Join(d.Rules, ", ")), c(strings.Join(d.Exceptions, ", ")), d.Accepted, late)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// stamp formats a commit time for the pages.
func stamp(t time.Time) string { return t.Format("2006-01-02 15:04 MST") }
