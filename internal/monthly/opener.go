package monthly

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/record"
)

// Planned is one issue of the month.
type Planned struct {
	Subject   Subject
	Title     string
	Body      string
	Assignees []string
}

// Plan returns the month's issues, one per subject, by subject id.
func Plan(period string, subjects []Subject, g Guide) []Planned {
	out := make([]Planned, 0, len(subjects))
	for _, s := range subjects {
		p := Planned{Subject: s, Title: Title(period, s), Body: g.Body(period, s)}
		if s.Login != "" {
			p.Assignees = []string{s.Login}
		}
		out = append(out, p)
	}
	return out
}

// OpenOptions configure Open.
type OpenOptions struct {
	Period string
	Max    int  // the most issues this run may create
	DryRun bool // print what would be opened; create nothing
	// MaxFrom says where Max was set ("--max", "max_auto_issues in
	// posture.yaml"), for the dry run's plan.
	MaxFrom string
	Out     io.Writer
	// Sleep waits between attempts at an issue whose creation had no
	// certain answer; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Result says what Open did.
type Result struct {
	Planned  int // issues the period needs
	Existing int // of those, already open or closed on GitHub
	// Unlisted are the existing issues that GitHub's listing of the
	// period lacked and a second query found: not opened again.
	Unlisted  []int
	Created   []int // numbers of the issues this run opened
	Remaining int   // issues still missing when the run stopped
}

// CapError stops a run that reached its cap with issues left to open.
type CapError struct{ Max, Remaining int }

func (e *CapError) Error() string {
	return fmt.Sprintf("stopped at the cap of %d issues in one run with %d still to open; check the plan with --dry-run, then run again (or raise --max)", e.Max, e.Remaining)
}

// maxAttempts bounds the tries at one issue whose creation stays uncertain.
const maxAttempts = 5

// Open opens the planned issues that GitHub does not have yet. It lists
// the period's issues in every state and skips each one whose hidden key
// is there, so a re-run, or a run after a crash half-way, opens only what
// is missing.
//
// One listing is not trusted to say what is missing: when it lacks any
// planned issue, it is weighed against what an earlier run leaves behind
// (see doubt), and if they disagree, or the listing's chain of pages is
// broken, each person it lacks is looked up by a second query before
// anything is created (see confirm).
//
// Creation is serial (the client paces it); an answer lost to a 5xx or a
// timeout is settled by looking the issue up before trying again, so an
// issue is never opened twice. It stops at opts.Max with *CapError, and
// when GitHub's or the client's hourly budget is spent with the client's
// *forge.RateLimitError; both leave the run resumable. Issues whose
// absence GitHub's answers could not confirm are not opened, and the run
// ends with *UnconfirmedError.
//
// An issue that GitHub refuses for what it holds (a 422, e.g. a title
// too long) fails its subject only: the others are opened, the cap
// counting only those, and the run ends with *RefusedError, which lists
// each refusal and wraps whatever else ended the run. Every other
// refusal (401, 403, 404 and 410 name the token or the repository) and a
// 5xx that stays uncertain stop the run where it is, as before.
func Open(ctx context.Context, c *forge.Client, plan []Planned, opts OpenOptions) (Result, error) {
	res := Result{Planned: len(plan)}
	label := Label(opts.Period)
	listing, err := c.IssuePages(ctx, forge.IssueQuery{Labels: []string{label}, State: "all"})
	if err != nil {
		return res, err
	}
	have := keyed(listing.Issues, opts.Period)
	var missing, unsure []Planned
	for _, p := range plan {
		if _, ok := have[p.Subject.ID]; ok {
			res.Existing++
		} else {
			missing = append(missing, p)
		}
	}
	var periodLabel *github.Label
	if len(missing) > 0 {
		if periodLabel, err = c.Label(ctx, label); err != nil {
			return res, err
		}
		why, err := doubt(ctx, c, label, listing, periodLabel)
		if err != nil {
			return res, err
		}
		if why != "" {
			fmt.Fprintf(opts.Out, "GitHub's listing of %s may be incomplete: %s; looking up each of the %d people it lacks before opening anything\n",
				label, why, len(missing))
			var found []int
			if missing, unsure, found, err = confirm(ctx, c, opts.Period, missing, opts.Out); err != nil {
				return res, err
			}
			res.Existing += len(found)
			res.Unlisted = found
		}
	}
	res.Remaining = len(missing) + len(unsure)
	unconfirmedNote := ""
	if len(unsure) > 0 {
		unconfirmedNote = fmt.Sprintf(", %d unconfirmed", len(unsure))
	}
	fmt.Fprintf(opts.Out, "%s: %d people owe reports; %d issues exist, %d to open%s (cap %d)\n",
		opts.Period, len(plan), res.Existing, len(missing), unconfirmedNote, opts.Max)
	if opts.DryRun {
		writePlan(opts.Out, opts.Period, missing, opts.Max, opts.MaxFrom)
		return res, unconfirmed(opts.Period, unsure)
	}
	if len(missing) > 0 {
		if err := ensureLabels(ctx, c, label, periodLabel); err != nil {
			return res, err
		}
	}
	var refused []*Refusal
	end := func(err error) (Result, error) {
		if len(refused) == 0 {
			return res, err
		}
		return res, &RefusedError{Period: opts.Period, Refused: refused, Err: err}
	}
	for i, p := range missing {
		if len(res.Created) >= opts.Max {
			return end(&CapError{Max: opts.Max, Remaining: len(missing) - i + len(unsure)})
		}
		n, err := openOne(ctx, c, p, label, opts)
		var r *Refusal
		if errors.As(err, &r) {
			refused = append(refused, r)
			fmt.Fprintf(opts.Out, "GitHub refused %q: %d %s; going on with the others\n", p.Title, r.Status, r.Message)
			continue
		}
		if err != nil {
			return end(err)
		}
		res.Created = append(res.Created, n)
		res.Remaining--
		fmt.Fprintf(opts.Out, "opened #%d %s\n", n, p.Title)
	}
	return end(unconfirmed(opts.Period, unsure))
}

// Refusal is GitHub's refusal of one subject's issue for what it holds.
type Refusal struct {
	Subject Subject
	Title   string
	Status  int    // 422
	Field   string // the first field GitHub names ("title", "body"), or ""
	Message string // GitHub's message and its errors' ("Validation Failed: title is too long ...")
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("create issue %q: %d %s", r.Title, r.Status, r.Message)
}

// RefusedError ends a run in which GitHub refused the issues of some
// subjects. The others were opened, unless Err stopped the run first.
type RefusedError struct {
	Period  string
	Refused []*Refusal
	Err     error // what else ended the run (*CapError, *forge.RateLimitError...), or nil
}

func (e *RefusedError) Unwrap() error { return e.Err }

func (e *RefusedError) Error() string {
	var b strings.Builder
	if e.Err != nil {
		fmt.Fprintf(&b, "%v; and before that, ", e.Err)
	}
	people := "people"
	if len(e.Refused) == 1 {
		people = "person"
	}
	fmt.Fprintf(&b, "GitHub refused the %s issue of %d %s:", e.Period, len(e.Refused), people)
	for _, r := range e.Refused {
		fmt.Fprintf(&b, "\n  %s (%s): %d %s; %s", r.Subject.ID, r.Subject.Name, r.Status, r.Message, r.remedy())
	}
	b.WriteString("\nThen run again: it opens only the missing issues.")
	return b.String()
}

// remedy says what to fix for GitHub to take the issue.
func (r *Refusal) remedy() string {
	person := record.PeopleDir + "/" + r.Subject.ID + ".yaml"
	switch r.Field {
	case "title":
		return "the title holds the name in " + person + ": shorten it there"
	case "body":
		return "the body lists the devices of " + r.Subject.ID + ": check their records in " + record.DevicesDir + "/ and " + person
	}
	return "fix what GitHub names in " + person + " or the records of " + r.Subject.ID + "'s devices"
}

// refusal returns the *Refusal of p when err is GitHub refusing the issue
// for what it holds (422 Validation Failed), or nil. A 401 or 403 (the
// token, a rate limit), a 404 or 410 (no such repository, issues turned
// off) is about the run, not the issue, and is not one.
func refusal(err error, p Planned) *Refusal {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return nil
	}
	r := &Refusal{Subject: p.Subject, Title: p.Title, Status: er.Response.StatusCode, Message: er.Message}
	var why []string
	for _, e := range er.Errors {
		if r.Field == "" {
			r.Field = e.Field
		}
		switch {
		case e.Message != "":
			why = append(why, e.Message)
		case e.Field != "":
			why = append(why, e.Field+" "+e.Code)
		case e.Code != "":
			why = append(why, e.Code)
		}
	}
	if len(why) > 0 {
		r.Message += ": " + strings.Join(why, "; ")
	}
	return r
}

// keyed returns, by subject, the numbers of the issues whose key names period.
func keyed(issues []*github.Issue, period string) map[string]int {
	have := map[string]int{}
	for _, is := range issues {
		if p, s, ok := ParseKey(is.GetBody()); ok && p == period {
			have[s] = is.GetNumber()
		}
	}
	return have
}

// openOne creates one issue, settling every uncertain answer by looking
// for the issue's key before trying again.
func openOne(ctx context.Context, c *forge.Client, p Planned, label string, opts OpenOptions) (int, error) {
	assignees := p.Assignees
	for attempt := 1; ; attempt++ {
		is, err := c.CreateIssue(ctx, p.Title, p.Body, assignees, []string{label})
		var unsure *forge.UncertainError
		switch {
		case err == nil:
			return is.GetNumber(), nil
		case badAssignee(err) && len(assignees) > 0:
			// The login is not a collaborator: open it unassigned; the
			// mention in the body still notifies them.
			fmt.Fprintf(opts.Out, "cannot assign %v (not a collaborator?); opening %q unassigned\n", assignees, p.Title)
			assignees = nil
			continue
		case !errors.As(err, &unsure):
			if r := refusal(err, p); r != nil {
				return 0, r
			}
			return 0, err
		}
		n, lerr := settle(ctx, c, opts.Period, p, assignees)
		if lerr != nil {
			return 0, fmt.Errorf("look for %q after %w: %w", p.Title, err, lerr)
		}
		if n != 0 {
			fmt.Fprintf(opts.Out, "found #%d after an uncertain answer (%v)\n", n, err)
			return n, nil
		}
		if attempt == maxAttempts {
			return 0, fmt.Errorf("open %q: no certain answer after %d attempts: %w", p.Title, attempt, err)
		}
		d := min(time.Second<<(attempt-1), time.Minute)
		fmt.Fprintf(opts.Out, "%q was not created (%v); trying again in %s\n", p.Title, err, d)
		if err := sleepFor(ctx, opts.Sleep, d); err != nil {
			return 0, err
		}
	}
}

// badAssignee reports whether GitHub refused an issue for its assignees.
func badAssignee(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Field == "assignees" || e.Field == "assignee" {
			return true
		}
	}
	return false
}

// Labels: the period's, and the forms' (a form applies its labels only
// when they exist in the repository).
var formLabels = [][3]string{
	{"form/monthly-report", "0e8a16", "A monthly device report submitted with the form"},
	{"form/register-device", "1d76db", "A device registration submitted with the form"},
	{"form/retire-device", "5319e7", "A device retirement submitted with the form"},
	{"form/request-exception", "b60205", "An exception request submitted with the form"},
}

// The period's label, as ensureLabels makes it.
const (
	periodColor       = "fbca04"
	periodDescription = "The month's device security report issues"
)

// ensureLabels makes the labels a run needs; have is the period's label
// as Open found it (nil: missing), so that it is not asked for again.
func ensureLabels(ctx context.Context, c *forge.Client, label string, have *github.Label) error {
	var err error
	switch {
	case have == nil:
		err = c.CreateLabel(ctx, label, periodColor, periodDescription)
	case !strings.EqualFold(have.GetColor(), periodColor) || have.GetDescription() != periodDescription:
		err = c.EnsureLabel(ctx, label, periodColor, periodDescription)
	}
	if err != nil {
		return err
	}
	for _, l := range formLabels {
		if err := c.EnsureLabel(ctx, l[0], l[1], l[2]); err != nil {
			return err
		}
	}
	return nil
}

func sleepFor(ctx context.Context, sleep func(context.Context, time.Duration) error, d time.Duration) error {
	if sleep != nil {
		return sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
