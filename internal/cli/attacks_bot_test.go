package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/issuelink"
)

// botPull opens the bot's pull request for issue, from branch (default
// the issue's), with body.
func (f *fixture) botPull(issue int, branch, body string) (int, plumbing.Hash) {
	if branch == "" {
		branch = issuelink.Branch(issue)
	}
	head := f.branch(branch, func() { f.addReport(yukiReport) })
	return f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report 2026-11", Author: bot, Body: body}, Head: branch}, head), head
}

// TestAttackFakedStatus: a workflow edited in a pull request can post a
// posture/approvals success with a write token. posture never reads
// statuses: merge refuses, and the next gate run writes over it. (The
// threat model in docs/admin.md says why such a workflow cannot run with
// a write token or merge; TestWorkflows checks the workflows' side.)
func TestAttackFakedStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()
	f.gh.SetActor("github-actions[bot]")
	evil, err := forge.New(forge.Options{HTTPClient: f.gh.Client(), BaseURL: f.gh.URL(), Token: "ghs_evil",
		Owner: githubtest.Owner, Repo: githubtest.Repo, CreateInterval: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []string{StatusCheck, StatusApprovals} {
		if err := evil.SetStatus(context.Background(), head.String(), ctx, "success", "looks good", ""); err != nil {
			t.Fatal(err)
		}
	}
	f.refused(pr, head, "pending", "missing 2a supervisor", "missing 2a supervisor")
}

func TestAttackBotPullRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   func(issue int) string
		branch string
		issue  githubtest.Issue // what the marker links
		reason string
	}{
		{name: "no marker", body: func(int) string { return "Reporter: e1004 (typed into the form)" },
			reason: "without one link to its issue"},
		{name: "two markers", body: func(n int) string { return issuelink.Marker(n) + issuelink.Marker(n+1) },
			reason: "without one link to its issue"},
		{name: "another branch", body: issuelink.Marker, branch: "posture/issue-999", reason: `comes from branch "posture/issue-999"`},
		{name: "an issue the bot opened", body: issuelink.Marker, issue: githubtest.Issue{Title: "x", Author: bot + "[bot]"},
			reason: "which the bot opened itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.issue.Author == "" {
				tt.issue = githubtest.Issue{Title: "Monthly report", Author: yuki}
			}
			issue := f.gh.AddIssue(tt.issue)
			pr, head := f.botPull(issue, tt.branch, tt.body(issue))
			f.review(pr, kenji, "APPROVED", head)
			f.review(pr, priya, "APPROVED", head)
			_, stderr := f.mustRun(ExitFindings, "subject", "--pr", strconv.Itoa(pr))
			if !strings.Contains(stderr, tt.reason) {
				t.Errorf("subject: %s", stderr)
			}
			f.refused(pr, head, "failure", "refused: it", tt.reason)
			f.mustRun(ExitOK, "route", "--pr", strconv.Itoa(pr))
			if c := f.gh.Comments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "**Refused.**") || f.gh.Calls("POST", "pulls/*/requested_reviewers") != 0 {
				t.Errorf("route of a refused pull request: %+v", c)
			}
		})
	}
}
