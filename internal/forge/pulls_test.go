package forge_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestReviewsAndFilesArePaginated(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Author: "e1001"}, Head: "report/e1001"})
	for i := range 250 {
		srv.AddReview(n, githubtest.Review{User: fmt.Sprintf("reviewer%03d", i)})
		srv.AddFile(n, githubtest.File{Filename: fmt.Sprintf("reports/2026-11/d-%03d.yaml", i)})
	}
	ctx := context.Background()

	reviews, err := c.Reviews(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	files, err := c.PullFiles(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(reviews) != 250 || reviews[0].GetUser().GetLogin() != "reviewer000" ||
		reviews[249].GetUser().GetLogin() != "reviewer249" {
		t.Errorf("got %d reviews, want 250 in order", len(reviews))
	}
	if r := reviews[0]; r.GetState() != "APPROVED" || r.GetCommitID() == "" || r.SubmittedAt == nil {
		t.Errorf("review = %+v, want state, commit_id and submitted_at", r)
	}
	if len(files) != 250 || files[249].GetFilename() != "reports/2026-11/d-249.yaml" {
		t.Errorf("got %d files, want 250 in order", len(files))
	}
	for _, route := range []string{"pulls/*/reviews", "pulls/*/files"} {
		if got := srv.Calls("GET", route); got != 3 {
			t.Errorf("GET %s sent %d times, want 3 pages", route, got)
		}
	}
	for _, call := range srv.Log() {
		if call.Query.Get("per_page") != "100" {
			t.Errorf("%s %s?%s: want per_page=100", call.Method, call.Path, call.Query.Encode())
		}
	}
}

func TestRequestReviewers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		logins    []string
		requested []string
		refused   []string
		posts     int
	}{
		{"both accepted", []string{"boss", "contractor"}, []string{"boss", "contractor"}, nil, 1},
		{"author refused", []string{"boss", "e1001"}, []string{"boss"}, []string{"e1001"}, 3},
		{"outsider refused", []string{"stranger", "contractor"}, []string{"contractor"}, []string{"stranger"}, 3},
		{"only the author", []string{"e1001"}, nil, []string{"e1001"}, 1},
		{"already requested", []string{"boss"}, []string{"boss"}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			srv.AddCollaborators("boss", "contractor", "e1001")
			n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Author: "e1001"}, Head: "report/e1001",
				Requested: []string{"boss"}})

			res, err := c.RequestReviewers(context.Background(), n, tc.logins)
			if err != nil {
				t.Fatal(err)
			}
			var refused []string
			for _, r := range res.Refused {
				refused = append(refused, r.Login)
				if r.Reason == "" {
					t.Errorf("refusal of %s has no reason", r.Login)
				}
			}
			if !slices.Equal(res.Requested, tc.requested) || !slices.Equal(refused, tc.refused) {
				t.Errorf("requested %v refused %v, want %v and %v", res.Requested, refused, tc.requested, tc.refused)
			}
			if got := srv.Calls("POST", "pulls/*/requested_reviewers"); got != tc.posts {
				t.Errorf("sent %d requests, want %d", got, tc.posts)
			}
			users, _, err := c.RequestedReviewers(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			for _, call := range srv.Log() {
				if call.Method == "GET" && len(call.Query) > 0 {
					t.Errorf("GET %s?%s: the list of requested reviewers takes no query", call.Path, call.Query.Encode())
				}
			}
			for _, l := range tc.requested {
				if !slices.Contains(users, l) {
					t.Errorf("requested reviewers %v lack %s", users, l)
				}
			}
		})
	}
}

func TestRequestReviewersIsRepeatedAfterServerError(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Author: "e1001"}, Head: "report/e1001"})
	srv.Inject(githubtest.Lost("POST", "pulls/*/requested_reviewers", 502))

	res, err := c.RequestReviewers(context.Background(), n, []string{"boss"})
	if err != nil || !slices.Equal(res.Requested, []string{"boss"}) {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if p, _ := srv.Pull(n); !slices.Equal(p.Requested, []string{"boss"}) {
		t.Errorf("requested = %v, want [boss] once", p.Requested)
	}
}

func TestMerge(t *testing.T) {
	const approved = "1111111111111111111111111111111111111111"
	for _, tc := range []struct {
		name      string
		prepare   func(srv *githubtest.Server, n int)
		status    int // 0: merged
		headMoved bool
		merged    bool
	}{
		{"merged", func(*githubtest.Server, int) {}, 0, false, false},
		{"head moved", func(srv *githubtest.Server, n int) {
			srv.PushHead(n, "2222222222222222222222222222222222222222")
		}, http.StatusConflict, true, false},
		{"not mergeable", func(srv *githubtest.Server, n int) { srv.SetMergeable(n, false) },
			http.StatusMethodNotAllowed, false, false},
		{"answer lost, then 405 because it is merged", func(srv *githubtest.Server, n int) {
			srv.Inject(githubtest.Lost("PUT", "pulls/*/merge", 502))
		}, http.StatusMethodNotAllowed, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Author: "e1001"}, Head: "report/e1001", HeadSHA: approved})
			tc.prepare(srv, n)

			sha, err := c.Merge(context.Background(), n, approved, "squash", "Report e1001 2026-11",
				"Approved-by: boss\nReviewed-by: contractor")
			var me *forge.MergeError
			if tc.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				m := mustMerge(t, srv, n)
				if sha != m.SHA || m.HeadSHA != approved || m.Method != "squash" || m.Title != "Report e1001 2026-11" ||
					m.Message != "Approved-by: boss\nReviewed-by: contractor" {
					t.Errorf("merge = %+v, sha %s", m, sha)
				}
				return
			}
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want *forge.MergeError", err)
			}
			if me.Status != tc.status || me.HeadMoved() != tc.headMoved || me.Merged != tc.merged || me.Message == "" {
				t.Errorf("MergeError = %+v", me)
			}
		})
	}
}

func mustMerge(t *testing.T, srv *githubtest.Server, n int) githubtest.Merge {
	t.Helper()
	p, _ := srv.Pull(n)
	if !p.Merged || p.Merge == nil {
		t.Fatalf("#%d is not merged", n)
	}
	return *p.Merge
}

// TestPullCommits: GitHub lists a pull request's commits 100 a page and
// never more than 250 of them, with the GitHub account of each author and
// committer, null for an email no account has.
func TestPullCommits(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Author: "e1001"}, Head: "report/e1001"})
	srv.PushCommit(n, githubtest.Commit{SHA: fmt.Sprintf("%040x", 1), Author: "boss", Committer: "web-flow"})
	srv.PushCommit(n, githubtest.Commit{SHA: fmt.Sprintf("%040x", 2), AuthorEmail: "me@laptop.local", CommitterEmail: "me@laptop.local"})
	for i := range 258 {
		srv.PushHead(n, fmt.Sprintf("%040x", 100+i))
	}
	ctx := context.Background()

	commits, err := c.PullCommits(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != forge.MaxPullCommits {
		t.Fatalf("got %d commits, want GitHub's %d", len(commits), forge.MaxPullCommits)
	}
	if got := srv.Calls("GET", "pulls/*/commits"); got != 3 {
		t.Errorf("GET pulls/*/commits sent %d times, want 3 pages", got)
	}
	first, boss, unknown := commits[0], commits[1], commits[2]
	if first.GetAuthor().GetLogin() != "e1001" || first.GetCommitter().GetLogin() != "e1001" {
		t.Errorf("first commit by %q and %q, want the author's", first.GetAuthor().GetLogin(), first.GetCommitter().GetLogin())
	}
	if boss.GetAuthor().GetLogin() != "boss" || boss.GetCommitter().GetLogin() != "web-flow" ||
		boss.GetCommit().GetAuthor().GetEmail() != "boss@users.noreply.github.com" {
		t.Errorf("boss's commit = %+v", boss)
	}
	if unknown.Author != nil || unknown.Committer != nil || unknown.GetCommit().GetAuthor().GetEmail() != "me@laptop.local" {
		t.Errorf("a commit of an email no account has: author %v, committer %v, want null", unknown.Author, unknown.Committer)
	}
	if commits[249].GetSHA() != fmt.Sprintf("%040x", 100+246) {
		t.Errorf("last commit listed = %s, want the 250th", commits[249].GetSHA())
	}
	pr, err := c.PullRequest(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetCommits() != 261 {
		t.Errorf("pull request has %d commits, want 261", pr.GetCommits())
	}
}
