package monthly

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/forge"
)

// GitHub's listing of a period's issues has come back empty while they
// existed, and with a first page that lacked the link to the next one; a
// run that believed it opened every issue again. So Open takes no single
// answer's word that an issue is missing: doubt weighs the listing against
// answers that do not depend on it, and when they disagree, confirm asks
// again per person before anything is created.

// doubt returns why a listing of the period's issues that lacks some
// planned ones is not to be trusted, or "" when the answers agree:
//
//   - its own chain of pages (forge.IssueListing.Doubt): a full page with
//     no link to a next one while no page said which is the last;
//   - the period's label, which Open creates before its first issue (and
//     GitHub creates for an issue given it): the listing is empty while
//     the label exists, or holds issues while it does not;
//   - a count of the label's issues, oldest first and one a page, whose
//     Link header names the last page: the listing holds fewer.
//
// The label is asked for anyway (Open makes it before creating), so only
// the count costs a request of its own, and only when the label exists
// and the listing is not empty: a first run (no label, empty listing) and
// a re-run with nothing missing cost no more than before.
func doubt(ctx context.Context, c *forge.Client, label string, l *forge.IssueListing, have *github.Label) (string, error) {
	switch {
	case l.Doubt != "":
		return l.Doubt, nil
	case have == nil && l.Items > 0:
		return fmt.Sprintf("it holds %d issues but the label %s does not exist", l.Items, label), nil
	case have == nil:
		return "", nil // nothing was opened: the label and the listing agree
	case l.Items == 0:
		return fmt.Sprintf("it is empty, but the label %s exists, which a run creates before its first issue", label), nil
	}
	n, err := c.CountIssues(ctx, forge.IssueQuery{Labels: []string{label}, State: "all", Ascending: true})
	if err != nil {
		return "", err
	}
	if n > l.Items {
		return fmt.Sprintf("it holds %d issues, but GitHub counts %d labelled %s", l.Items, n, label), nil
	}
	return "", nil
}

// confirm asks GitHub again about each planned issue that a doubtful
// listing lacks, and splits them into those to create (the second answer
// agrees they are missing), those it is unsure of (the second answer is in
// doubt too: none is opened), and the numbers of the issues it found (the
// listing lacked them; each is said, and none is opened again).
//
// The second query is the period's issues assigned to each person's login
// (GET /repos/{o}/{r}/issues?assignee=LOGIN&labels=report/P&state=all),
// and once for all, those assigned to no one (assignee=none), where an
// issue opened unassigned is (a login GitHub would not assign, a subject
// without one). An issue found in any of these answers counts, so one
// reassigned by hand to another person who also owes a report is found too.
// It is chosen over searching for the hidden key (GET /search/issues) because
// it reads the same issues the listing and the creation do, where the
// search index catches up later: a run minutes after one whose listing
// failed would not find the issues that run opened, and would open them
// again. It also costs core requests, not search's 30 a minute, and its
// answer is one short page per person, with no chain of pages to break.
// What neither finds is an issue reassigned to someone who owes no report.
func confirm(ctx context.Context, c *forge.Client, period string, missing []Planned, out io.Writer) (create, unsure []Planned, found []int, err error) {
	seen := map[string]int{} // subject -> number, from any second answer
	doubtOf := map[string]string{}
	asked := map[string]bool{}
	for _, who := range append([]string{"none"}, logins(missing)...) {
		if asked[strings.ToLower(who)] {
			continue
		}
		asked[strings.ToLower(who)] = true
		have, why, err := lookup(ctx, c, period, who)
		if err != nil {
			return nil, nil, nil, err
		}
		for s, n := range have {
			seen[s] = n
		}
		doubtOf[strings.ToLower(who)] = why
	}
	for _, p := range missing {
		if n, ok := seen[p.Subject.ID]; ok {
			fmt.Fprintf(out, "the listing lacked #%d (%s), which the second query has; not opening another\n", n, p.Subject.ID)
			found = append(found, n)
			continue
		}
		why := doubtOf["none"]
		if len(p.Assignees) > 0 && why == "" {
			why = doubtOf[strings.ToLower(p.Assignees[0])]
		}
		if why != "" {
			fmt.Fprintf(out, "cannot confirm that %s has no issue (the second query is in doubt too: %s); not opening one\n", p.Subject.ID, why)
			unsure = append(unsure, p)
			continue
		}
		create = append(create, p)
	}
	return create, unsure, found, nil
}

// settle looks for p's issue after its creation with assignees got no
// certain answer: among the period's issues assigned to the first of
// them, then among those assigned to no one (GitHub may drop assignees).
// It returns the issue's number, or 0 when it was not created.
func settle(ctx context.Context, c *forge.Client, period string, p Planned, assignees []string) (int, error) {
	who := []string{"none"}
	if len(assignees) > 0 {
		who = []string{assignees[0], "none"}
	}
	for _, w := range who {
		have, why, err := lookup(ctx, c, period, w)
		if err != nil {
			return 0, err
		}
		if n, ok := have[p.Subject.ID]; ok {
			return n, nil
		}
		if why != "" {
			return 0, fmt.Errorf("cannot tell whether it was created: the listing of issues assigned to %s is in doubt: %s", w, why)
		}
	}
	return 0, nil
}

// lookup lists the period's issues assigned to assignee (a login, or
// "none") and returns them by subject, with the listing's doubt.
func lookup(ctx context.Context, c *forge.Client, period, assignee string) (map[string]int, string, error) {
	l, err := c.IssuePages(ctx, forge.IssueQuery{Labels: []string{Label(period)}, State: "all", Assignee: assignee})
	if err != nil {
		return nil, "", err
	}
	return keyed(l.Issues, period), l.Doubt, nil
}

// logins returns the first assignee of each planned issue that has one.
func logins(plan []Planned) []string {
	var out []string
	for _, p := range plan {
		if len(p.Assignees) > 0 {
			out = append(out, p.Assignees[0])
		}
	}
	return out
}

// UnconfirmedError ends a run that did not open some issues because
// neither GitHub's listing nor the second query could be trusted to say
// they are missing.
type UnconfirmedError struct {
	Period   string
	Subjects []string
}

func (e *UnconfirmedError) Error() string {
	return fmt.Sprintf("GitHub's answers could not confirm that the %s issues of %s are missing, so they are left unopened; run again later, and if it happens again look for them on GitHub",
		e.Period, strings.Join(e.Subjects, ", "))
}

// unconfirmed returns *UnconfirmedError for unsure, or nil if it is empty.
func unconfirmed(period string, unsure []Planned) error {
	if len(unsure) == 0 {
		return nil
	}
	e := &UnconfirmedError{Period: period}
	for _, p := range unsure {
		e.Subjects = append(e.Subjects, p.Subject.ID)
	}
	return e
}
