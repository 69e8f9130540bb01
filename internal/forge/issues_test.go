package forge_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestListIssuesSkipsPullRequests(t *testing.T) {
	c, srv, _ := setup(t)
	for i := range 120 {
		srv.AddIssue(githubtest.Issue{Title: fmt.Sprint("report e", i), Labels: []string{"posture:monthly", "2026-11"}})
	}
	srv.AddIssue(githubtest.Issue{Title: "closed", State: "closed", Labels: []string{"posture:monthly", "2026-11"}})
	srv.AddIssue(githubtest.Issue{Title: "last month", Labels: []string{"posture:monthly", "2026-10"}})
	srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Title: "a pull", Labels: []string{"posture:monthly", "2026-11"}},
		Head: "report/e1001"})
	ctx := context.Background()

	all, err := c.ListIssues(ctx, []string{"posture:monthly", "2026-11"}, "all")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 121 {
		t.Errorf("got %d issues, want 121 (120 open, 1 closed, no pull request)", len(all))
	}
	for _, is := range all {
		if is.IsPullRequest() || is.GetTitle() == "last month" {
			t.Errorf("listed %q", is.GetTitle())
		}
	}
	open, err := c.ListIssues(ctx, []string{"2026-11"}, "open")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 120 {
		t.Errorf("got %d open issues, want 120", len(open))
	}
	q := srv.Log()[0].Query
	if q.Get("labels") != "posture:monthly,2026-11" || q.Get("state") != "all" || q.Get("per_page") != "100" {
		t.Errorf("query = %s", q.Encode())
	}
}

func TestCreateIssue(t *testing.T) {
	c, srv, _ := setup(t)
	is, err := c.CreateIssue(context.Background(), "Device report 2026-11: e1001", "Please report.",
		[]string{"e1001"}, []string{"posture:monthly"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Issue(is.GetNumber())
	if got.Title != "Device report 2026-11: e1001" || got.Body != "Please report." ||
		!slices.Equal(got.Assignees, []string{"e1001"}) || !slices.Equal(got.Labels, []string{"posture:monthly"}) {
		t.Errorf("issue = %+v", got)
	}
}

const marker = "<!-- posture:route -->"

func TestUpsertCommentEditsInPlace(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	for i := range 110 {
		srv.AddComment(n, "someone", fmt.Sprint("chatter ", i))
	}
	ctx := context.Background()

	first, err := c.UpsertComment(ctx, n, marker, "Waiting for boss.")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.GetBody(), marker+"\n") {
		t.Errorf("body %q does not start with the marker", first.GetBody())
	}
	second, err := c.UpsertComment(ctx, n, marker, marker+"\nApproved by boss.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpsertComment(ctx, n, marker, marker+"\nApproved by boss."); err != nil {
		t.Fatal(err)
	}
	if second.GetID() != first.GetID() {
		t.Errorf("edited comment %d, want %d", second.GetID(), first.GetID())
	}
	var marked []githubtest.Comment
	for _, cm := range srv.Comments(n) {
		if strings.Contains(cm.Body, marker) {
			marked = append(marked, cm)
		}
	}
	if len(marked) != 1 || marked[0].Body != marker+"\nApproved by boss." {
		t.Errorf("marked comments = %+v, want one saying approved", marked)
	}
	if p, e := srv.Calls("POST", "issues/*/comments"), srv.Calls("PATCH", "issues/comments/*"); p != 1 || e != 1 {
		t.Errorf("%d creations and %d edits, want 1 and 1 (the same body is not sent again)", p, e)
	}
}

func TestUpsertCommentAfterUncertainCreate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault githubtest.Fault
		posts int
	}{
		{"created but the answer was lost", githubtest.Lost("POST", "issues/*/comments", 502), 1},
		{"not created", githubtest.ServerError("POST", "issues/*/comments", 502), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
			srv.Inject(tc.fault)

			cm, err := c.UpsertComment(context.Background(), n, marker, "Waiting for boss.")
			if err != nil {
				t.Fatal(err)
			}
			comments := srv.Comments(n)
			if len(comments) != 1 || comments[0].ID != cm.GetID() {
				t.Errorf("comments = %+v, want exactly the one returned", comments)
			}
			if got := srv.Calls("POST", "issues/*/comments"); got != tc.posts {
				t.Errorf("POST comments sent %d times, want %d", got, tc.posts)
			}
		})
	}
}

// TestMarkedCommentOfAnother: once the client knows its own login, a
// comment by someone else that carries posture's marker is neither found
// nor edited; posture writes its own beside it.
func TestMarkedCommentOfAnother(t *testing.T) {
	c, srv, _ := setup(t)
	c.SetSelf("posture[bot]")
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	forged := srv.AddComment(n, "mallory", marker+"\nSafe to approve.")
	ctx := context.Background()
	if cm, err := c.FindComment(ctx, n, marker); err != nil || cm != nil {
		t.Fatalf("FindComment found %v (%v), want none: the marked comment is mallory's", cm, err)
	}
	own, err := c.UpsertComment(ctx, n, marker, "Waiting for boss.")
	if err != nil {
		t.Fatal(err)
	}
	if own.GetID() == forged {
		t.Fatal("posture edited mallory's comment")
	}
	for _, cm := range srv.Comments(n) {
		if cm.ID == forged && cm.Body != marker+"\nSafe to approve." {
			t.Errorf("mallory's comment was changed to %q", cm.Body)
		}
	}
	if cm, err := c.FindComment(ctx, n, marker); err != nil || cm.GetID() != own.GetID() {
		t.Errorf("FindComment = %v (%v), want posture's own %d", cm, err, own.GetID())
	}
}

// TestOwnCommentAsAppLogin: bot_login may name the app without GitHub's
// "[bot]" suffix; its comments, by "posture[bot]", are still its own, so a
// second run edits the comment instead of writing another.
func TestOwnCommentAsAppLogin(t *testing.T) {
	c, srv, _ := setup(t) // the fake writes as posture[bot]
	c.SetSelf("posture")
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001"})
	ctx := context.Background()
	for _, body := range []string{"Waiting for boss.", "Approved by boss."} {
		if _, err := c.UpsertComment(ctx, n, marker, body); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(srv.Comments(n)); got != 1 {
		t.Errorf("%d comments after two runs, want 1", got)
	}
}
