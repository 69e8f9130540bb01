package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/issuelink"
)

// lastStatus returns the latest status of context on sha.
func (f *fixture) lastStatus(sha plumbing.Hash, context string) githubtest.Status {
	var last githubtest.Status
	for _, s := range f.gh.Statuses(sha.String()) {
		if s.Context == context {
			last = s
		}
	}
	return last
}

// refused runs gate and merge on pr and checks that approvals end in
// state with desc in its description, that merge refuses with reason, and
// that nothing was merged.
func (f *fixture) refused(pr int, head plumbing.Hash, state, desc, reason string) {
	f.t.Helper()
	n := strconv.Itoa(pr)
	f.mustRun(ExitFindings, "gate", "--pr", n)
	if s := f.lastStatus(head, StatusApprovals); s.State != state || !strings.Contains(s.Description, desc) {
		f.t.Errorf("posture/approvals = %s %q, want %s with %q", s.State, s.Description, state, desc)
	}
	_, stderr := f.mustRun(ExitFindings, "merge", "--pr", n)
	if !strings.Contains(stderr, "merge of #"+n+" refused") || !strings.Contains(stderr, reason) {
		f.t.Errorf("merge refusal lacks %q:\n%s", reason, stderr)
	}
	if p, _ := f.gh.Pull(pr); p.Merged || f.gh.Calls("PUT", "pulls/*/merge") != 0 {
		f.t.Error("the pull request was merged")
	}
}

func TestAttackReportForSomeoneElsesDevice(t *testing.T) {
	t.Parallel()
	t.Run("the owner's report, filed by someone else", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		head := f.branch("sneaky", func() { f.addReport(danielReport) })
		pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "sneaky"}, head)
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "failure", "refused: this pull request speaks for @"+yuki+", but its records belong to e1005",
			"its records belong to e1005")
		if s := f.lastStatus(head, StatusCheck); s.State != "failure" || !strings.Contains(s.Description, "[change.author]") {
			t.Errorf("posture/check = %+v", s)
		}
	})
	t.Run("a report naming oneself for someone else's device", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		head := f.branch("sneaky", func() {
			f.Write(danielReport, strings.Replace(string(f.saved[danielReport]), "reporter: e1005", "reporter: e1004", 1))
		})
		pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "sneaky"}, head)
		f.review(pr, kenji, "APPROVED", head)
		f.review(pr, priya, "APPROVED", head)
		f.refused(pr, head, "failure", `names reporter "e1004", but device "d-e1005-phone" belongs to "e1005"`, "belongs to")
	})
}

func TestAttackEditPeopleToBecomeOwnSupervisor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	head := f.branch("friendly-supervisor", func() {
		f.Write("people/e1004.yaml", strings.Replace(f.Read("people/e1004.yaml"), "supervisor: e1002", "supervisor: e1005", 1))
		f.addReport(yukiReport)
	})
	pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "friendly-supervisor"}, head)
	f.review(pr, daniel, "APPROVED", head) // the friend the change names
	f.review(pr, priya, "APPROVED", head)
	// The supervisor comes from people/ on the base, so kenji is still missing.
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji+" (e1002)", "[change.mixed]")
	if s := f.lastStatus(head, StatusCheck); s.State != "failure" || !strings.Contains(s.Description, "people/e1004.yaml") {
		t.Errorf("posture/check = %+v", s)
	}

	// Alone, the change to people/ is no report: the approvals do not
	// apply, posture does not merge it, and CODEOWNERS puts it before the IT admins.
	g := newFixture(t)
	head = g.branch("people-only", func() {
		g.Write("people/e1004.yaml", strings.Replace(g.Read("people/e1004.yaml"), "supervisor: e1002", "supervisor: e1005", 1))
	})
	pr = g.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Move", Author: yuki}, Head: "people-only"}, head)
	g.mustRun(ExitOK, "gate", "--pr", strconv.Itoa(pr))
	_, stderr := g.mustRun(ExitFindings, "merge", "--pr", strconv.Itoa(pr))
	if !strings.Contains(stderr, "posture merges only those; merge it on GitHub after the code owners' review") {
		t.Errorf("merge of a people/ change: %s", stderr)
	}
	owners, err := os.ReadFile("../../.github/CODEOWNERS")
	if err != nil || !regexp.MustCompile(`\n/people/ +@mei-fujita-example\n`).Match(owners) {
		t.Errorf("people/ is not owned by the IT admin in .github/CODEOWNERS: %v\n%s", err, owners)
	}
}

func TestAttackTrustedFilesAlongsideAReport(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"policies/config/data.yaml", "schemas/report.schema.json", ".github/workflows/pull-request.yml", "posture.yaml"} {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			head := f.branch("mixed", func() {
				f.Write(p, "# weakened\n")
				f.addReport(yukiReport)
			})
			pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "mixed"}, head)
			f.review(pr, kenji, "APPROVED", head)
			f.review(pr, priya, "APPROVED", head)
			f.mustRun(ExitFindings, "gate", "--pr", "1")
			if s := f.lastStatus(head, StatusCheck); s.State != "failure" || !strings.Contains(s.Description, p) || !strings.Contains(s.Description, "[change.mixed]") {
				t.Errorf("posture/check = %+v", s)
			}
			_, stderr := f.mustRun(ExitFindings, "merge", "--pr", "1")
			if !strings.Contains(stderr, "posture check found") || f.gh.Calls("PUT", "pulls/*/merge") != 0 {
				t.Errorf("merge: %s", stderr)
			}
		})
	}
}

func TestAttackApprovalBySubject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issue := f.gh.AddIssue(githubtest.Issue{Title: "Monthly report", Author: yuki})
	pr, head := f.botPull(issue, "", "From the form.\n"+issuelink.Marker(issue))
	out, _ := f.mustRun(ExitOK, "subject", "--pr", strconv.Itoa(pr))
	if out != yuki+"\n" {
		t.Errorf("subject = %q, want the issue's author", out)
	}
	f.review(pr, yuki, "APPROVED", head)
	f.review(pr, priya, "APPROVED", head)
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji, "missing 2a supervisor")
	if c := f.gh.Comments(pr); len(c) != 0 {
		t.Errorf("gate or merge commented: %+v", c)
	}
	f.mustRun(ExitOK, "route", "--pr", strconv.Itoa(pr))
	if c := f.gh.Comments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "@"+yuki+" is the subject: their own approval never counts") {
		t.Errorf("comment: %+v", c)
	}
}

func TestAttackApprovalBySupervisorOfSomeoneElse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()
	f.review(pr, emily, "APPROVED", head) // heads Engineering, not Sales
	f.review(pr, priya, "APPROVED", head)
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji+" (e1002)", "missing 2a supervisor")
}

func TestAttackPushAfterApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, first := f.yukiPull()
	f.review(pr, kenji, "APPROVED", first)
	f.review(pr, priya, "APPROVED", first)
	f.mustRun(ExitOK, "gate", "--pr", "1")
	if s := f.lastStatus(first, StatusApprovals); s.State != "success" {
		t.Fatalf("before the push: %+v", s)
	}
	head := f.push(pr, "report-e1004", func() {
		f.Write(yukiReport, strings.Replace(f.Read(yukiReport), "threats_found: 2\nthreats_resolved: 2", "threats_found: 3\nthreats_resolved: 3", 1))
	})
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji+" (e1002); 2b contractor @"+hiro+" or @"+priya, "each must approve the head commit")
	before := f.gh.Calls("POST", "pulls/*/requested_reviewers")
	f.mustRun(ExitOK, "route", "--pr", "1")
	p, _ := f.gh.Pull(pr)
	if f.gh.Calls("POST", "pulls/*/requested_reviewers") != before+1 || strings.Join(p.Requested, " ") != kenji+" "+hiro+" "+priya {
		t.Errorf("after the push, requested %v: the stale approvers are asked again", p.Requested)
	}
	if c := f.gh.Comments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "@"+kenji+" approved "+first.String()[:7]+", an older commit") {
		t.Errorf("comment: %+v", c)
	}
}

func TestAttackContractorNotOnRoster(t *testing.T) {
	t.Parallel()
	for _, login := range []string{"mallory-secureops", "grace-kim-example" /* the auditor */, emily} {
		t.Run(login, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			pr, head := f.yukiPull()
			f.review(pr, kenji, "APPROVED", head)
			f.review(pr, login, "APPROVED", head)
			f.refused(pr, head, "pending", "missing 2b contractor @"+hiro+" or @"+priya, "missing 2b contractor")
		})
	}
}

func TestAttackDismissedApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()
	f.review(pr, kenji, "DISMISSED", head)
	f.review(pr, priya, "APPROVED", head)
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji, "missing 2a supervisor")
}

func TestAttackLabelAddedByHand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	head := f.branch("report-e1004", func() { f.addReport(yukiReport) })
	pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki,
		Labels: []string{"2a supervisor: approved", "2b contractor: approved", "urgent"}}, Head: "report-e1004"}, head)
	f.refused(pr, head, "pending", "missing 2a supervisor @"+kenji+" (e1002); 2b contractor", "missing 2a supervisor")
	f.mustRun(ExitOK, "route", "--pr", "1")
	p, _ := f.gh.Pull(pr)
	if got := strings.Join(p.Labels, ", "); got != "urgent, 2a supervisor: pending, 2b contractor: pending" {
		t.Errorf("labels %q: route replaces the faked ones and leaves others", got)
	}
}
