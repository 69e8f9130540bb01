package cli

import (
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestRouteWaitsForTheCheck: while posture check fails, route asks nobody
// to review and tells the reviewers not to approve yet; once the employee
// pushes the fix, it requests the reviews.
func TestRouteWaitsForTheCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bad := strings.Replace(string(f.saved[yukiReport]), "disk_encryption: true", "disk_encryption: false", 1)
	head := f.branch("report-e1004", func() { f.Write(yukiReport, bad) })
	pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "report-e1004"}, head)
	f.mustRun(ExitOK, "route", "--pr", "1")
	if n := f.gh.Calls("POST", "pulls/*/requested_reviewers"); n != 0 {
		t.Errorf("%d review requests while posture check fails", n)
	}
	c := f.gh.Comments(pr)
	if len(c) != 1 || !strings.Contains(c[0].Body, "Do not approve yet: the employee must fix these first") || strings.Contains(c[0].Body, "How to approve") {
		t.Errorf("comment while the check fails: %+v", c)
	}
	f.push(pr, "report-e1004", func() { f.addReport(yukiReport) })
	f.mustRun(ExitOK, "route", "--pr", "1")
	p, _ := f.gh.Pull(pr)
	if strings.Join(p.Requested, " ") != kenji+" "+hiro+" "+priya {
		t.Errorf("after the fix, requested %v; want the supervisor and the contractors", p.Requested)
	}
	c = f.gh.Comments(pr)
	if len(c) != 1 || !strings.Contains(c[0].Body, "How to approve on GitHub") || !strings.Contains(c[0].Body, "Concerns, in the employee's words") {
		t.Errorf("comment after the fix: %+v", c)
	}
}
