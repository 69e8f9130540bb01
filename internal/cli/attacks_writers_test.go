package cli

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/issuelink"
)

// pushBy adds a commit that edits yukiReport to branch, as a push of a
// commit whose author and committer GitHub matches to those logins does.
func (f *fixture) pushBy(pr int, branch string, c githubtest.Commit) plumbing.Hash {
	f.t.Helper()
	f.Checkout(branch, false)
	f.Write(yukiReport, strings.Replace(f.Read(yukiReport), "threats_found: 2\nthreats_resolved: 2", "threats_found: 3\nthreats_resolved: 3", 1))
	h := f.Commit("push to "+branch, pushAt.Add(time.Hour))
	f.Checkout("main", false)
	c.SHA = h.String()
	f.gh.PushCommit(pr, c)
	return h
}

// TestAttackApproverPushedACommit: a supervisor or contractor with Write
// access pushes a commit to the employee's pull request (or the bot's
// branch) and then approves the head. They would vouch for what they
// wrote: their approval does not count, as the pull request's author's
// would not.
func TestAttackApproverPushedACommit(t *testing.T) {
	t.Parallel()
	t.Run("the supervisor pushed and approved", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		pr, _ := f.yukiPull()
		head := f.pushBy(pr, "report-e1004", githubtest.Commit{Author: kenji, Committer: kenji})
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		held := "missing 2a supervisor @" + kenji + " (e1002), who cannot approve while their commit " + head.String()[:7] + " is in the pull request"
		f.refused(pr, head, "pending", held, held)
		f.mustRun(ExitOK, "route", "--pr", strconv.Itoa(pr))
		if c := f.gh.Comments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "@"+kenji+" wrote commit "+head.String()[:7]+" of this pull request") {
			t.Errorf("comment: %+v", c)
		}
	})
	t.Run("the supervisor edited the bot's branch on GitHub", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		issue := f.gh.AddIssue(githubtest.Issue{Title: "Monthly report", Author: yuki})
		pr, _ := f.botPull(issue, "", issuelink.Marker(issue))
		head := f.pushBy(pr, issuelink.Branch(issue), githubtest.Commit{Author: kenji, Committer: "web-flow"})
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji, "who cannot approve while their commit")
	})
	t.Run("a contractor pushed and approved", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		pr, _ := f.yukiPull()
		head := f.pushBy(pr, "report-e1004", githubtest.Commit{Author: priya, Committer: priya})
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "pending", "missing 2b contractor @"+hiro, "missing 2b contractor @"+hiro+" (each")
		f.review(pr, hiro, "APPROVED", head)
		f.mustRun(ExitOK, "gate", "--pr", strconv.Itoa(pr))
		if s := f.lastStatus(head, StatusApprovals); s.State != "success" {
			t.Errorf("with the other contractor's approval: %+v", s)
		}
	})
	t.Run("a commit of an email no GitHub account has", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		pr, _ := f.yukiPull()
		head := f.pushBy(pr, "report-e1004", githubtest.Commit{AuthorEmail: "kenji@laptop.local", CommitterEmail: "kenji@laptop.local"})
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "failure", "refused: the author of commit "+head.String()[:7], "is no GitHub account GitHub knows")
	})
}

// TestEmployeeAndBotCommitsPass: the bot's commits, written for the
// employee from their issue form, and the employee's own take nobody out:
// the supervisor's and a contractor's approvals pass and merge.
func TestEmployeeAndBotCommitsPass(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issue := f.gh.AddIssue(githubtest.Issue{Title: "Monthly report", Author: yuki})
	pr, _ := f.botPull(issue, "", issuelink.Marker(issue))
	head := f.pushBy(pr, issuelink.Branch(issue), githubtest.Commit{Author: yuki, Committer: yuki})
	if p, _ := f.gh.Pull(pr); len(p.Commits) != 2 || p.Commits[0].Author != bot {
		t.Fatalf("commits = %+v, want the bot's and yuki's", p.Commits)
	}
	f.review(pr, kenji, "APPROVED", head)
	f.review(pr, priya, "APPROVED", head)
	f.mustRun(ExitOK, "gate", "--pr", strconv.Itoa(pr))
	if s := f.lastStatus(head, StatusApprovals); s.State != "success" {
		t.Errorf("posture/approvals = %+v", s)
	}
	f.mustRun(ExitOK, "merge", "--pr", strconv.Itoa(pr))
}

// TestPullCommitsIncomplete: more commits than GitHub lists is a refusal;
// a list without the head (it moved while posture read) is an input error.
func TestPullCommitsIncomplete(t *testing.T) {
	t.Parallel()
	t.Run("more than 250 commits", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		head := f.branch("report-e1004", func() { f.addReport(yukiReport) })
		var commits []githubtest.Commit
		for i := range 260 {
			commits = append(commits, githubtest.Commit{SHA: fmt.Sprintf("%040x", i+1), Author: yuki, Committer: yuki})
		}
		commits = append(commits, githubtest.Commit{SHA: head.String(), Author: yuki, Committer: yuki})
		pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "report-e1004", Commits: commits}, head)
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "failure", "refused: it adds 261 commits and GitHub lists only 250", "squash them")
	})
	t.Run("the head is not among them", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		head := f.branch("report-e1004", func() { f.addReport(yukiReport) })
		pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "report-e1004",
			Commits: []githubtest.Commit{{SHA: fmt.Sprintf("%040x", 1), Author: yuki, Committer: yuki}}}, head)
		_, stderr := f.mustRun(ExitUsage, "gate", "--pr", strconv.Itoa(pr))
		if !strings.Contains(stderr, "is not one of them: the pull request moved while posture read it; run again") {
			t.Errorf("gate: %s", stderr)
		}
	})
}
