package cli

import (
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gate"
)

// TestReviewFlow walks one pull request from opening to merge: route asks
// the supervisor and the contractors, gate stays pending, the approvals
// arrive, gate passes and merge writes the evidence.
func TestReviewFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()

	out, _ := f.mustRun(ExitOK, "route", "--pr", "1")
	if !strings.Contains(out, "requested reviews from @"+kenji+", @"+hiro+", @"+priya) {
		t.Errorf("route output:\n%s", out)
	}
	p, _ := f.gh.Pull(pr)
	if strings.Join(p.Requested, " ") != kenji+" "+hiro+" "+priya {
		t.Errorf("requested %v", p.Requested)
	}
	if got := strings.Join(p.Labels, ", "); got != "2a supervisor: pending, 2b contractor: pending" {
		t.Errorf("labels %q", got)
	}
	for _, l := range f.gh.Labels() {
		if gate.Managed(l.Name) && (l.Color == "ededed" || l.Description == "") {
			t.Errorf("label %+v made without its color and description", l)
		}
	}
	comments := f.gh.Comments(pr)
	if len(comments) != 1 || !strings.HasPrefix(comments[0].Body, gate.Marker) ||
		!strings.Contains(comments[0].Body, "**Still missing:** 2a supervisor @"+kenji+" (e1002); 2b contractor @"+hiro+" or @"+priya) ||
		!strings.Contains(comments[0].Body, "no problems.") {
		t.Errorf("comments: %+v", comments)
	}

	out, _ = f.mustRun(ExitFindings, "gate", "--pr", "1")
	want := "posture/approvals: pending: missing 2a supervisor @" + kenji + " (e1002); 2b contractor @" + hiro + " or @" + priya
	if !strings.Contains(out, "posture/check: success: checked 1 file: no problems") || !strings.Contains(out, want) {
		t.Errorf("gate output:\n%s", out)
	}
	_, stderr := f.mustRun(ExitFindings, "merge", "--pr", "1")
	if !strings.Contains(stderr, "merge of #1 refused") || !strings.Contains(stderr, "missing 2a supervisor") {
		t.Errorf("merge before approvals: %s", stderr)
	}

	supID := f.review(pr, kenji, "APPROVED", head)
	conID := f.review(pr, priya, "APPROVED", head)
	f.mustRun(ExitOK, "route", "--pr", "1")
	p, _ = f.gh.Pull(pr)
	if got := strings.Join(p.Labels, ", "); got != "2a supervisor: approved, 2b contractor: approved" {
		t.Errorf("labels after approvals %q", got)
	}
	if c := f.gh.Comments(pr); len(c) != 1 || !strings.Contains(c[0].Body, "**Nothing is missing:**") {
		t.Errorf("comment after approvals: %+v", c)
	}
	out, _ = f.mustRun(ExitOK, "gate", "--pr", "1")
	if !strings.Contains(out, "posture/approvals: success: 2a @"+kenji+" and 2b @"+priya+" approved ") {
		t.Errorf("gate output:\n%s", out)
	}
	sts := f.gh.Statuses(head.String())
	if len(sts) != 3 || sts[2].Context != StatusApprovals || sts[2].State != "success" {
		t.Errorf("statuses %+v", sts)
	}

	out, _ = f.mustRun(ExitOK, "merge", "--pr", "1")
	p, _ = f.gh.Pull(pr)
	if !p.Merged || p.Merge.HeadSHA != head.String() || p.Merge.Method != "merge" || !strings.Contains(out, "merged #1 as "+p.Merge.SHA) {
		t.Fatalf("merge: %+v\n%s", p.Merge, out)
	}
	if p.Merge.Title != "Report 2026-11 for d-e1004-laptop (#1)" {
		t.Errorf("merge title %q", p.Merge.Title)
	}
	ev, found, err := evidence.Parse(p.Merge.Title + "\n\n" + p.Merge.Message)
	if err != nil || !found {
		t.Fatalf("evidence in %q: %v %v", p.Merge.Message, found, err)
	}
	if ev.PullRequest != 1 || strings.Join(ev.Reports, " ") != yukiReport || ev.Subject != (evidence.Person{ID: "e1004", Login: yuki}) || ev.Author != yuki ||
		ev.PolicyBase != f.base.String() || ev.Version != Version() || len(ev.Approvals) != 2 {
		t.Errorf("evidence %+v", ev)
	}
	sup, con := ev.Approvals[0], ev.Approvals[1]
	if sup.Role != "supervisor" || sup.Approver != (evidence.Person{ID: "e1002", Login: kenji}) || sup.ReviewID != supID || sup.Commit != head.String() || sup.At.IsZero() ||
		con.Role != "contractor" || con.Approver != (evidence.Person{ID: "c2002", Login: priya}) || con.ReviewID != conID {
		t.Errorf("approvals %+v", ev.Approvals)
	}

	// Never twice: a second merge, route or gate of the merged pull request does nothing.
	out, _ = f.mustRun(ExitOK, "merge", "--pr", "1")
	if !strings.Contains(out, "merged already") || f.gh.Calls("PUT", "pulls/*/merge") != 1 {
		t.Errorf("second merge: %s (%d merges)", out, f.gh.Calls("PUT", "pulls/*/merge"))
	}
	f.mustRun(ExitOK, "gate", "--pr", "1")
	f.mustRun(ExitOK, "route", "--pr", "1")
	if len(f.gh.Statuses(head.String())) != 3 || len(f.gh.Comments(pr)) != 1 {
		t.Error("gate or route acted on a merged pull request")
	}
}

// TestIdempotent: a second route and gate with nothing new make no review
// request, add no label, leave the comment and the statuses alone.
func TestIdempotent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr, head := f.yukiPull()
	f.review(pr, hiro, "APPROVED", head)
	f.mustRun(ExitOK, "route", "--pr", "1")
	f.mustRun(ExitFindings, "gate", "--pr", "1")
	writes := func() map[string]int {
		return map[string]int{
			"review requests": f.gh.Calls("POST", "pulls/*/requested_reviewers"),
			"labels created":  f.gh.Calls("POST", "labels"),
			"labels added":    f.gh.Calls("POST", "issues/*/labels"),
			"labels removed":  f.gh.Calls("DELETE", "issues/*/labels/*"),
			"comments":        f.gh.Calls("POST", "issues/*/comments"),
			"comment edits":   f.gh.Calls("PATCH", "issues/comments/*"),
			"statuses":        f.gh.Calls("POST", "statuses/*"),
		}
	}
	before := writes()
	if before["review requests"] != 1 || before["comments"] != 1 || before["statuses"] != 2 || before["labels created"] != 2 {
		t.Errorf("first run: %v", before)
	}
	f.mustRun(ExitOK, "route", "--pr", "1")
	f.mustRun(ExitFindings, "gate", "--pr", "1")
	after := writes()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("second run: %s went from %d to %d", k, v, after[k])
		}
	}
	p, _ := f.gh.Pull(pr)
	if strings.Join(p.Requested, " ") != kenji {
		t.Errorf("requested %v: the contractor who approved is not asked again", p.Requested)
	}
	if got := strings.Join(p.Labels, ", "); got != "2a supervisor: pending, 2b contractor: approved" {
		t.Errorf("labels %q", got)
	}
}
