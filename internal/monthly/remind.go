package monthly

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/record"
)

// The steps of a reminder, each taken at most once per issue.
const (
	StepReminder = "reminder" // before the due day: the subject is reminded
	StepOverdue  = "overdue"  // after it: the supervisor is told
	StepDone     = "done"     // every report merged: the issue is closed
)

// StepMarker returns the hidden marker of a step's comment.
func StepMarker(period, subject, step string) string {
	return fmt.Sprintf("<!-- posture:remind %s/%s %s -->", period, subject, step)
}

// RemindOptions configure Remind.
type RemindOptions struct {
	Period string
	Today  string // YYYY-MM-DD in the organisation's timezone
	Due    string // YYYY-MM-DD, the period's due day
	// RemindFrom is the first day (YYYY-MM-DD) of the reminder step; before
	// it, issues are only closed when done. "" reminds at once.
	RemindFrom string
	Subjects   []Subject
	People     map[string]*record.Record
	// Merged reports whether a report is merged: present on the base
	// branch of the local clone.
	Merged func(path string) bool
	// Links names what merged each report ("#12"), for the closing comment.
	Links  map[string][]string
	DryRun bool
	Out    io.Writer
}

// RemindResult counts what Remind did: comments made, issues closed,
// issues of no one who owes reports (Skipped) and issues whose reminder
// is not due yet (Waiting).
type RemindResult struct {
	Commented, Closed, Skipped, Waiting int
}

// Lookback is how many months before the current one a run of posture
// remind without a period walks: it takes the steps on the open issues of
// those months too, so an issue is escalated after a due day late in the
// month, and closed when its reports are merged in a later month. Open
// issues of older months are left alone; --period walks them.
const Lookback = 12

// OpenByPeriod lists the repository's open issues once, a page at a time,
// and groups those labelled report/YYYY-MM (Label) by that period.
func OpenByPeriod(ctx context.Context, c *forge.Client) (map[string][]*github.Issue, error) {
	issues, err := c.ListIssues(ctx, nil, "open")
	if err != nil {
		return nil, err
	}
	out := map[string][]*github.Issue{}
	for _, is := range issues {
		for _, l := range is.Labels {
			if p, ok := strings.CutPrefix(l.GetName(), Label("")); ok && record.ValidPeriod(p) {
				out[p] = append(out[p], is)
			}
		}
	}
	return out, nil
}

// Remind walks the period's open issues: it closes, with a comment naming
// what merged them, the issues whose subject has every report merged; and
// comments once on the others, a reminder before the due day and, after
// it, a note that mentions the supervisor. A step whose marked comment is
// there already is not taken again, so runs may repeat freely.
func Remind(ctx context.Context, c *forge.Client, opts RemindOptions) (RemindResult, error) {
	issues, err := c.ListIssues(ctx, []string{Label(opts.Period)}, "open")
	if err != nil {
		return RemindResult{}, err
	}
	return RemindIssues(ctx, c, opts, issues)
}

// RemindIssues is Remind on the period's open issues listed already (one
// period's share of OpenByPeriod).
func RemindIssues(ctx context.Context, c *forge.Client, opts RemindOptions, issues []*github.Issue) (RemindResult, error) {
	var res RemindResult
	bySubject := map[string]Subject{}
	for _, s := range opts.Subjects {
		bySubject[s.ID] = s
	}
	for _, is := range issues {
		period, id, ok := ParseKey(is.GetBody())
		s, due := bySubject[id]
		if !ok || period != opts.Period || !due {
			res.Skipped++
			continue
		}
		var missing, merged []string
		for _, d := range s.Devices {
			if p := ReportPath(opts.Period, d.ID); opts.Merged(p) {
				merged = append(merged, p)
			} else {
				missing = append(missing, d.ID)
			}
		}
		step, body := opts.step(s, missing, merged)
		if step == "" {
			res.Waiting++
			continue
		}
		done, err := stepTaken(ctx, c, is.GetNumber(), StepMarker(opts.Period, s.ID, step))
		if err != nil {
			return res, err
		}
		if opts.DryRun {
			fmt.Fprintf(opts.Out, "#%d %s: would take step %s (taken already: %v)\n", is.GetNumber(), s.ID, step, done)
			continue
		}
		if !done {
			if err := comment(ctx, c, is.GetNumber(), StepMarker(opts.Period, s.ID, step), body); err != nil {
				return res, err
			}
			res.Commented++
			fmt.Fprintf(opts.Out, "#%d %s: %s\n", is.GetNumber(), s.ID, step)
		}
		if step == StepDone {
			closed := "closed"
			reason := "completed"
			if _, err := c.EditIssue(ctx, is.GetNumber(), &github.IssueRequest{State: &closed, StateReason: &reason}); err != nil {
				return res, err
			}
			res.Closed++
			fmt.Fprintf(opts.Out, "#%d %s: closed\n", is.GetNumber(), s.ID)
		}
	}
	return res, nil
}

// step decides which step an issue is at and writes its comment.
func (o RemindOptions) step(s Subject, missing, merged []string) (string, string) {
	mention := s.Name
	if s.Login != "" {
		mention = "@" + s.Login
	}
	if len(missing) == 0 {
		var links []string
		for _, p := range merged {
			ref := strings.Join(o.Links[p], ", ")
			if ref == "" {
				ref = "merged"
			}
			links = append(links, fmt.Sprintf("`%s` (%s)", p, ref))
		}
		return StepDone, fmt.Sprintf("Every report for %s is merged: %s. Thank you, %s; closing.", o.Period, strings.Join(links, ", "), mention)
	}
	list := "`" + strings.Join(missing, "`, `") + "`"
	if o.Today < o.RemindFrom && o.Today <= o.Due {
		return "", ""
	}
	if o.Today <= o.Due {
		return StepReminder, fmt.Sprintf("%s, a reminder: the %s reports of %s are due on %s. Use the links above, or open a pull request.", mention, o.Period, list, o.Due)
	}
	sup := "No active supervisor is on record for them; IT admins, please correct `people/`."
	if p := Supervisor(o.People, s); p != nil {
		sup = fmt.Sprintf("@%s, as %s's supervisor, please follow up.", p.String("github"), s.Name)
	}
	return StepOverdue, fmt.Sprintf("%s, the %s reports of %s were due on %s and are not merged yet. %s", mention, o.Period, list, o.Due, sup)
}

// stepTaken reports whether issue n has the marked comment.
func stepTaken(ctx context.Context, c *forge.Client, n int, marker string) (bool, error) {
	cm, err := c.FindComment(ctx, n, marker)
	return cm != nil, err
}

// comment adds a marked comment, settling an uncertain answer by looking
// for the marker before trying once more.
func comment(ctx context.Context, c *forge.Client, n int, marker, body string) error {
	body = marker + "\n" + body
	for try := 0; ; try++ {
		_, err := c.CreateComment(ctx, n, body)
		var unsure *forge.UncertainError
		if err == nil || !errors.As(err, &unsure) || try == 1 {
			return err
		}
		if found, ferr := stepTaken(ctx, c, n, marker); ferr != nil || found {
			return ferr
		}
	}
}
