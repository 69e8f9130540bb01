package audit

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/posture-dev/posture/internal/overview"
)

// maxMarkdownRows bounds the findings and evidence tables of the Markdown
// form, which goes into job summaries and issues; the other forms are whole.
const maxMarkdownRows = 1000

func writeMarkdown(w io.Writer, a *Audit) error {
	var b strings.Builder
	c := overview.MarkdownCell
	s := a.Scope
	fmt.Fprintf(&b, "# Audit working paper: %s, %s to %s\n\n## Scope\n\n", c(s.Organization), s.From, s.To)
	signed := "not required"
	if s.RequireSigned {
		signed = "required"
	}
	fmt.Fprintf(&b, "| | |\n| --- | --- |\n| branch | `%s` at `%s` (%s) |\n| periods | %s to %s, timezone %s |\n",
		c(s.Branch), shortS(s.Head), s.HeadTime.Format("2006-01-02 15:04 MST"), s.From, s.To, c(s.Timezone))
	fmt.Fprintf(&b, "| history | %d first-parent commits walked; %d evidence merges and %d unsigned commits changed reports in scope (signatures %s) |\n",
		s.Commits, s.Merges, s.Unsigned, signed)
	fmt.Fprintf(&b, "| tool | posture %s, from a clone, offline |\n\n", c(s.Version))
	b.WriteString(method + "\n\n## Population\n\n")
	b.WriteString("| period | due | registry at | devices | accepted | changed | unaccepted | deleted | excepted | missing | not due | late | failing re-check |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, p := range a.Periods {
		fmt.Fprintf(&b, "| %s | %s | `%s` | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", p.Period, p.Due, shortS(p.Registry),
			p.Devices, p.Accepted, p.Changed, p.Unaccepted, p.Deleted, p.Excepted, p.Missing, p.NotDue, p.Late, p.Failing)
	}
	b.WriteString("\n## Exceptions in force\n\n")
	if len(a.Exceptions) == 0 {
		b.WriteString("None.\n")
	} else {
		b.WriteString("| period | exception | device | rule | approved by | expires |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, e := range a.Exceptions {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", e.Period, c(e.ID), c(e.Device), c(e.Rule), c(e.ApprovedBy), c(e.Expires))
		}
	}
	writeGroups(&b, a.Findings)
	b.WriteString("\n## Evidence\n\n")
	b.WriteString("| period | device | owner | status | added | accepted by merge | approvals | re-check | late |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for i, r := range a.Evidence {
		if i == maxMarkdownRows {
			fmt.Fprintf(&b, "\n%d more rows are left out here; see the HTML, CSV or JSON form.\n", len(a.Evidence)-i)
			break
		}
		late := ""
		if r.Late {
			late = "late"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Period, c(r.Device), c(r.Owner), status(r),
			added(r.Added, c), merged(r.Merge, c), approvals(r.Merge, c, "<br>"), recheckText(r.Recheck), late)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// method says how the evidence was gathered, for the working paper.
const method = "Each report in scope is traced on the branch's first-parent history: the commit that added it, " +
	"the merge that accepted it with posture's evidence trailers (subject, supervisor and contractor approvals), and " +
	"the result of checking it again with the policies, schemas and registry of that merge, measured against the day " +
	"of the merge. The population of each period is the devices active in it by the registry at the period's end."

// writeGroups writes the findings grouped by cause and commit, each group
// a <details> that GitHub shows folded, its findings in a table inside.
func writeGroups(b *strings.Builder, fs []Finding) {
	c := overview.MarkdownCell
	groups := Groups(fs)
	fmt.Fprintf(b, "\n## Findings\n\n%s.\n", tally(fs, groups))
	rows := 0
	for _, g := range groups {
		if rows+g.Count > maxMarkdownRows {
			fmt.Fprintf(b, "\n%s left out here; see the HTML, CSV or JSON form.\n", plural(len(fs)-rows, "more finding is", "more findings are"))
			return
		}
		rows += g.Count
		fmt.Fprintf(b, "\n<details><summary><b>%s</b> %s (<code>%s</code>)</summary>\n\n| # | period | path | finding |\n| ---: | --- | --- | --- |\n",
			g.Severity, html.EscapeString(g.Title), html.EscapeString(g.Rule))
		for _, m := range g.Members {
			fmt.Fprintf(b, "| %d | %s | %s | %s |\n", m.Number, c(m.Period), c(m.Path), c(m.Message))
		}
		b.WriteString("\n</details>\n")
	}
}

// tally says how many errors and warnings there are, in how many groups.
func tally(fs []Finding, groups []Group) string {
	errs, warns := counts(fs)
	s := plural(errs, "error", "errors") + ", " + plural(warns, "warning", "warnings")
	if len(groups) > 0 {
		s += ", in " + plural(len(groups), "group", "groups") + " by cause and commit"
	}
	return s
}

func counts(fs []Finding) (errs, warns int) {
	for _, f := range fs {
		if f.Severity == Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func status(r Row) string {
	if !r.InPopulation {
		return r.Status + " (not in population)"
	}
	return r.Status
}

func added(c *Commit, esc func(string) string) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf("`%s` %s, %s", shortS(c.SHA), esc(c.Author), c.Time.Format("2006-01-02 15:04"))
}

func merged(m *Merge, esc func(string) string) string {
	if m == nil {
		return ""
	}
	return fmt.Sprintf("`%s` #%d, %s, subject %s", shortS(m.SHA), m.PullRequest, m.Time.Format("2006-01-02 15:04"), esc(m.Subject))
}

func approvals(m *Merge, esc func(string) string, sep string) string {
	if m == nil {
		return ""
	}
	var out []string
	for _, a := range m.Approvals {
		out = append(out, fmt.Sprintf("%s %s @%s %s on %s", a.Role, esc(a.Approver), esc(a.Login), a.At.Format("2006-01-02 15:04"), esc(shortS(a.Commit))))
	}
	return strings.Join(out, sep)
}

func recheckText(c *Recheck) string {
	if c == nil {
		return ""
	}
	s := fmt.Sprintf("%s on %s with rules of %s", c.Result, c.RefDate, shortS(c.RulesCommit))
	if len(c.Rules) > 0 {
		s += ": " + strings.Join(c.Rules, ", ")
	}
	return s
}
