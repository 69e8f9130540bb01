package cli

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// approved opens yuki's pull request with the supervisor's and a
// contractor's approval of its head.
func (f *fixture) approved() int {
	pr, head := f.yukiPull()
	f.review(pr, kenji, "APPROVED", head)
	f.review(pr, priya, "APPROVED", head)
	return pr
}

func TestPaginationOfReviewsAndFiles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	head := f.branch("report-e1004", func() {
		f.addReport(yukiReport)
		for i := range 110 {
			f.Write(fmt.Sprintf("notes/n-%03d.txt", i), "note\n")
		}
	})
	pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "report-e1004"}, head)
	for i := range 130 {
		f.review(pr, fmt.Sprintf("watcher-%d", i), "COMMENTED", head)
	}
	f.review(pr, kenji, "APPROVED", head) // on the second page
	f.review(pr, priya, "APPROVED", head)
	// The notes make it a mixed change (posture/check fails); the approvals
	// are still read from every page.
	f.mustRun(ExitFindings, "gate", "--pr", "1")
	if s := f.lastStatus(head, StatusCheck); s.State != "failure" || !strings.Contains(s.Description, "[change.mixed] notes/") {
		t.Errorf("posture/check = %+v, want the notes refused as a mixed change", s)
	}
	if got := f.gh.Calls("GET", "pulls/1/reviews"); got != 2 {
		t.Errorf("%d requests for reviews, want 2 pages", got)
	}
	if got := f.gh.Calls("GET", "pulls/1/files"); got != 2 {
		t.Errorf("%d requests for files, want 2 pages", got)
	}
	if s := f.lastStatus(head, StatusApprovals); s.State != "success" {
		t.Errorf("approvals on the second page were missed: %+v", s)
	}
}

func TestServerErrorsAndTimeouts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.attempt = 200 * time.Millisecond
	pr := f.approved()
	f.gh.Inject(
		githubtest.ServerError("GET", "pulls/1", http.StatusBadGateway),
		githubtest.Fault{Method: "GET", Path: "pulls/1/reviews", Times: 2, Status: http.StatusServiceUnavailable},
		githubtest.Slow("GET", "pulls/1/files", 2*time.Second),
		githubtest.Lost("POST", "issues/1/comments", 0), // created, but the answer is lost
		githubtest.Lost("POST", "issues/1/labels", 0),   // added, but the answer is lost
		githubtest.ServerError("POST", "statuses/*", http.StatusInternalServerError),
	)
	f.mustRun(ExitOK, "route", "--pr", "1")
	f.mustRun(ExitOK, "gate", "--pr", "1")
	if c := f.gh.Comments(pr); len(c) != 1 {
		t.Errorf("%d comments, want one: the lost answer is found by listing again", len(c))
	}
	if p, _ := f.gh.Pull(pr); strings.Join(p.Labels, ", ") != "2a supervisor: approved, 2b contractor: approved" {
		t.Errorf("labels %v", p.Labels)
	}
	head := f.lastStatus(f.base, StatusApprovals) // nothing on the base
	if head.State != "" {
		t.Errorf("status on the base: %+v", head)
	}
	p, _ := f.gh.Pull(pr)
	for _, ctx := range []string{StatusCheck, StatusApprovals} {
		n := 0
		for _, s := range f.gh.Statuses(p.HeadSHA) {
			if s.Context == ctx {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d %s statuses, want 1", n, ctx)
		}
	}
	if waits := f.clock.Waits(); len(waits) < 5 {
		t.Errorf("waits %v: every 5xx and timeout is retried after a backoff", waits)
	}
	f.mustRun(ExitOK, "merge", "--pr", "1")
}

func TestSecondaryRateLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.yukiPull()
	f.gh.Inject(
		githubtest.SecondaryRateLimit("POST", "pulls/*/requested_reviewers", http.StatusTooManyRequests, 7*time.Second),
		githubtest.SecondaryRateLimit("POST", "issues/*/comments", http.StatusForbidden, 0),
		githubtest.PrimaryRateLimit("GET", "pulls/*/reviews", http.StatusTooManyRequests, seedAt.Add(90*time.Second)),
		githubtest.SecondaryRateLimit("POST", "statuses/*", http.StatusForbidden, 3*time.Second),
		githubtest.SecondaryRateLimit("POST", "labels", http.StatusTooManyRequests, 5*time.Second),
	)
	f.mustRun(ExitOK, "route", "--pr", "1")
	f.mustRun(ExitFindings, "gate", "--pr", "1")
	waits := f.clock.Waits()
	for _, want := range []time.Duration{7 * time.Second, 3 * time.Second, 5 * time.Second, 90 * time.Second} {
		if !slices.Contains(waits, want) {
			t.Errorf("waits %v lack %s (retry-after or x-ratelimit-reset)", waits, want)
		}
	}
	if !slices.ContainsFunc(waits, func(d time.Duration) bool { return d >= time.Minute && d < 2*time.Minute }) {
		t.Errorf("waits %v: a secondary limit without retry-after waits at least a minute", waits)
	}
	p, _ := f.gh.Pull(1)
	if len(f.gh.Comments(1)) != 1 || len(p.Requested) != 3 || f.gh.Calls("POST", "pulls/*/requested_reviewers") != 2 {
		t.Errorf("comments %d, requested %v in %d requests", len(f.gh.Comments(1)), p.Requested, f.gh.Calls("POST", "pulls/*/requested_reviewers"))
	}
}

func TestReviewRequestRefusals(t *testing.T) {
	t.Parallel()
	t.Run("not a collaborator", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.gh.AddCollaborators(kenji, hiro)
		pr, _ := f.yukiPull()
		f.mustRun(ExitOK, "route", "--pr", "1")
		p, _ := f.gh.Pull(pr)
		c := f.gh.Comments(pr)
		if strings.Join(p.Requested, " ") != kenji+" "+hiro || len(c) != 1 ||
			!strings.Contains(c[0].Body, "- @"+priya+": Reviews may only be requested from collaborators.") {
			t.Errorf("requested %v, comment %+v", p.Requested, c)
		}
		calls := f.gh.Calls("POST", "pulls/*/requested_reviewers") // the whole, then one by one
		f.mustRun(ExitOK, "route", "--pr", "1")
		if f.gh.Calls("POST", "pulls/*/requested_reviewers") != calls || f.gh.Calls("PATCH", "issues/comments/*") != 0 {
			t.Error("a second run asked GitHub again for a refused review, or edited the comment")
		}
	})
	t.Run("already requested", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		head := f.branch("report-e1004", func() { f.addReport(yukiReport) })
		pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: yuki}, Head: "report-e1004",
			Requested: []string{kenji}}, head)
		f.mustRun(ExitOK, "route", "--pr", "1")
		log := f.gh.Log()
		for _, c := range log {
			if c.Method == "POST" && strings.HasSuffix(c.Path, "requested_reviewers") && strings.Contains(c.Body, kenji) {
				t.Errorf("asked again for a requested review: %s", c.Body)
			}
		}
		if p, _ := f.gh.Pull(pr); len(p.Requested) != 3 {
			t.Errorf("requested %v", p.Requested)
		}
	})
	t.Run("the author", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		pr, head := f.yukiPull()
		f.review(pr, kenji, "APPROVED", head)
		f.gh.Inject(githubtest.Fault{Method: "POST", Path: "pulls/*/requested_reviewers", Times: 3, Status: http.StatusUnprocessableEntity,
			Body: `{"message":"Review cannot be requested from pull request author.","documentation_url":"https://docs.github.com/rest"}`})
		out, _ := f.mustRun(ExitOK, "route", "--pr", "1")
		c := f.gh.Comments(pr)
		if strings.Contains(out, "requested reviews") || len(c) != 1 ||
			!strings.Contains(c[0].Body, "- @"+hiro+": Review cannot be requested from pull request author.") ||
			!strings.Contains(c[0].Body, "- @"+priya+": Review cannot be requested") {
			t.Errorf("route: %s\n%+v", out, c)
		}
	})
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, stderr := f.mustRun(ExitUsage, "gate", "--pr", "99")
	if !strings.Contains(stderr, "no pull request #99 in acme/device-reports") {
		t.Errorf("missing pull request: %s", stderr)
	}
	f.approved()
	f.gh.Inject(githubtest.NotFound("GET", "git/ref/heads/*"))
	_, stderr = f.mustRun(ExitFindings, "merge", "--pr", "1")
	if !strings.Contains(stderr, `its branch "report-e1004" was deleted`) || f.gh.Calls("PUT", "pulls/*/merge") != 0 {
		t.Errorf("merge of a deleted branch: %s", stderr)
	}
}

func TestMergeNeverTwice(t *testing.T) {
	t.Parallel()
	t.Run("answer lost", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		pr := f.approved()
		f.gh.Inject(githubtest.Lost("PUT", "pulls/1/merge", http.StatusBadGateway))
		out, _ := f.mustRun(ExitOK, "merge", "--pr", "1")
		p, _ := f.gh.Pull(pr)
		if !p.Merged || !strings.Contains(p.Merge.Message, "Posture-Approval: supervisor e1002 @"+kenji) || !strings.Contains(out, "merged already") {
			t.Errorf("merge: %+v\n%s", p.Merge, out)
		}
		f.mustRun(ExitOK, "merge", "--pr", "1")
		if n := f.gh.Calls("PUT", "pulls/*/merge"); n != 2 {
			t.Errorf("%d merge requests: one, its repeat answered 405, and none from the second run", n)
		}
	})
	t.Run("head moved", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.approved()
		f.gh.Inject(githubtest.Fault{Method: "PUT", Path: "pulls/1/merge", Status: http.StatusConflict,
			Body: `{"message":"Head branch was modified. Review and try the merge again."}`})
		_, stderr := f.mustRun(ExitFindings, "merge", "--pr", "1")
		if !strings.Contains(stderr, "its head moved away from the approved commit") {
			t.Errorf("merge: %s", stderr)
		}
	})
}
