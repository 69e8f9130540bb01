package issueform

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/record"
)

// SubmitOptions configure Submit.
type SubmitOptions struct {
	Issue   int
	Base    fs.FS        // the tree of the commit the pull request starts from
	BaseSHA string       // that commit, which GitHub must have
	Judge   *check.Judge // what Base trusts
	Into    string       // the branch the pull request goes into
	Today   string       // YYYY-MM-DD in the organisation's timezone: the reference day of the check
}

// Outcome is what Submit did.
type Outcome struct {
	Problems    []Problem // comment left on the issue; no pull request
	PullRequest int       // opened or updated
	Skipped     string    // why nothing was done
}

// InputError is an issue that is not a form from-issue can read.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// Submit turns issue opts.Issue, a submitted form, into a pull request on
// branch issuelink.Branch(n) whose body carries issuelink.Marker(n); or,
// when anything is wrong, into one comment on the issue that lists each
// problem and is edited in place when the issue is edited and checked
// again. The submitter is the issue's author as GitHub reports it, mapped
// to a person through people/ on the base; the record is judged by
// check.Judge exactly as posture check judges a pull request's records.
func Submit(ctx context.Context, c *forge.Client, opts SubmitOptions) (Outcome, error) {
	is, err := c.Issue(ctx, opts.Issue)
	if err != nil {
		return Outcome{}, err
	}
	if is.IsPullRequest() {
		return Outcome{}, &InputError{fmt.Sprintf("#%d is a pull request, not an issue opened from a form", opts.Issue)}
	}
	if is.GetState() != "open" {
		return Outcome{Skipped: fmt.Sprintf("issue #%d is %s; nothing to do", opts.Issue, is.GetState())}, nil
	}
	var labels []string
	for _, l := range is.Labels {
		labels = append(labels, l.GetName())
	}
	kind, ok := KindOf(labels)
	if !ok {
		return Outcome{}, &InputError{fmt.Sprintf("issue #%d carries no posture form label (%s); it was not opened from a form", opts.Issue, strings.Join(labels, ", "))}
	}
	data, err := fs.ReadFile(opts.Base, kind.File())
	if err != nil {
		return Outcome{}, fmt.Errorf("read the form %s on the base: %w", kind.File(), err)
	}
	tpl, err := ParseTemplate(kind, data)
	if err != nil {
		return Outcome{}, err
	}
	status, err := c.FindComment(ctx, opts.Issue, StatusMarker)
	if err != nil {
		return Outcome{}, err
	}
	author := is.GetUser().GetLogin()
	rec, person, probs, warnings, err := judge(ctx, tpl, is.GetBody(), author, opts)
	if err != nil {
		return Outcome{}, err
	}
	prev := 0
	if status != nil {
		prev = prOf(status.GetBody())
	}
	if len(probs) > 0 {
		if _, err := c.UpsertComment(ctx, opts.Issue, StatusMarker, ProblemsComment(tpl, probs, opts.BaseSHA, prev)); err != nil {
			return Outcome{}, err
		}
		return Outcome{Problems: probs}, nil
	}
	n, skipped, err := propose(ctx, c, opts, rec, prev, fmt.Sprintf("%s from #%d", title(rec), opts.Issue), PullBody(opts.Issue, author, person, rec, warnings))
	if err != nil || n == 0 {
		return Outcome{Skipped: skipped}, err
	}
	if _, err := c.UpsertComment(ctx, opts.Issue, StatusMarker, OpenedComment(n, rec.Path)); err != nil {
		return Outcome{}, err
	}
	return Outcome{PullRequest: n}, nil
}

// judge parses and builds the record and checks it. The problems are the
// submitter's to fix; warnings go into the pull request.
func judge(ctx context.Context, tpl *Template, body, author string, opts SubmitOptions) (*Record, string, []Problem, []string, error) {
	person, probs := personOf(opts.Judge.People(), author)
	if len(probs) > 0 {
		return nil, "", probs, nil, nil
	}
	answers, probs := tpl.Parse(body)
	if len(probs) > 0 {
		return nil, "", probs, nil, nil
	}
	rec, probs, err := Build(tpl, answers, Context{Person: person, Today: opts.Today, Devices: opts.Judge.Devices(),
		ReadFile: func(p string) ([]byte, error) { return fs.ReadFile(opts.Base, p) },
		Issue:    opts.Issue, Exceptions: opts.Judge.Exceptions(), Rules: exceptable(opts.Judge)})
	if err != nil || len(probs) > 0 {
		return nil, "", probs, nil, err
	}
	fsys := Overlay(opts.Base, rec.Path, rec.Content)
	fs_, err := opts.Judge.Check(ctx, fsys, []string{rec.Path}, func(string) string { return opts.Today })
	if err != nil {
		return nil, "", nil, nil, fmt.Errorf("check %s: %w", rec.Path, err)
	}
	var warnings []string
	for _, f := range fs_ {
		msg := fmt.Sprintf("%s [%s]", f.Message, f.Rule)
		switch {
		case forApprover(rec, f):
			continue // PullBody asks the IT admin for it
		case f.Severity != finding.Deny:
			warnings = append(warnings, msg)
			continue
		}
		probs = append(probs, Problem{Field: rec.FieldOf(f), Message: msg})
	}
	return rec, person, probs, warnings, nil
}

// forApprover reports whether f is the check asking for the approval of an
// exception built from a form: approved_by is the IT admin's to write in
// review, so it is not the submitter's problem, and the pull request's
// check fails on it until then.
func forApprover(rec *Record, f finding.Finding) bool {
	return rec.Kind == record.Exception && (f.Rule == "exception.approver" || rec.FieldOf(f) == "approved_by")
}

// exceptable lists the rules an exception may be asked for: the policies'
// rules, but not those about exceptions themselves.
func exceptable(j *check.Judge) []string {
	out := []string{}
	for _, r := range j.Rules() {
		if !strings.HasPrefix(r.ID, "exception.") && check.Exceptable(r.ID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// personOf finds the person whose GitHub login is the issue's author.
func personOf(people map[string]*record.Record, login string) (string, []Problem) {
	for id, p := range people {
		if login != "" && strings.EqualFold(p.String("github"), login) {
			if p.Data["active"] != true {
				return "", []Problem{{Message: fmt.Sprintf("your GitHub account @%s belongs to %s, who is not active in people/; ask IT to reactivate you", login, id)}}
			}
			return id, nil
		}
	}
	return "", []Problem{{Message: fmt.Sprintf("your GitHub account @%s is not in people/, so posture cannot tell who you are; ask IT to add it to your person record, then edit this issue", login)}}
}

func title(rec *Record) string {
	switch {
	case rec.Kind == record.Report:
		return fmt.Sprintf("Report %s for %s", record.PeriodOf(rec.Path), rec.Subject)
	case rec.Kind == record.Exception:
		return fmt.Sprintf("Exception for %s on %s", rec.Rule, rec.Subject)
	case strings.Contains(string(rec.Content), "\nretirement:"):
		return "Retire " + rec.Subject
	}
	return "Register " + rec.Subject
}

// findPull returns the newest pull request from branch into base in
// state (open, closed or all), or nil.
func findPull(ctx context.Context, c *forge.Client, branch, base, state string) (*github.PullRequest, error) {
	prs, _, err := c.GH().PullRequests.List(ctx, c.Owner(), c.Repo(), &github.PullRequestListOptions{
		State: state, Head: c.Owner() + ":" + branch, Base: base, ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, fmt.Errorf("list pull requests from %s: %w", branch, err)
	}
	if len(prs) == 0 {
		return nil, nil
	}
	return prs[0], nil
}
