package githubtest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestPullCommitsAreTheHeadsSinceTheBase: the commits the fake made on a
// branch (as the app does through the contents API) are the commits of a
// pull request from it, by the login that made them, each the parent of
// the next; a commit made on the base after the branch is not one of them.
func TestPullCommitsAreTheHeadsSinceTheBase(t *testing.T) {
	srv := githubtest.New(t)
	srv.SetActor("posture-bot[bot]")
	a := srv.SetFile("posture/issue-4", "reports/2026-11/d.yaml", []byte("a: 1\n"))
	b := srv.SetFile("posture/issue-4", "reports/2026-11/d.yaml", []byte("a: 2\n"))
	srv.SetActor("it-ada")
	srv.SetFile(githubtest.DefaultBranch, "people/e1.yaml", []byte("id: e1\n"))
	n := srv.AddPull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: "posture-bot[bot]"}, Head: "posture/issue-4"})
	srv.PushCommit(n, githubtest.Commit{SHA: fmt.Sprintf("%040x", 9), Author: "sales-head", Committer: "sales-head"})

	repo := srv.URL() + "repos/" + githubtest.Owner + "/" + githubtest.Repo + "/"
	_, h, body := do(t, srv, "GET", repo+fmt.Sprintf("pulls/%d/commits?per_page=2", n), "")
	if link := h.Get("Link"); !strings.Contains(link, `page=2&per_page=2>; rel="next"`) {
		t.Errorf("Link %q lacks the next page", link)
	}
	_, _, body2 := do(t, srv, "GET", repo+fmt.Sprintf("pulls/%d/commits?per_page=2&page=2", n), "")
	type commit struct {
		SHA     string
		Author  *struct{ Login string }
		Parents []struct{ SHA string }
	}
	var page1, page2 []commit
	if err := json.Unmarshal([]byte(body), &page1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(body2), &page2); err != nil {
		t.Fatal(err)
	}
	got := append(page1, page2...)
	want := []struct{ sha, login, parent string }{{a, "posture-bot[bot]", ""}, {b, "posture-bot[bot]", a}, {fmt.Sprintf("%040x", 9), "sales-head", b}}
	if len(got) != len(want) {
		t.Fatalf("got %d commits (%s%s), want %d", len(got), body, body2, len(want))
	}
	for i, w := range want {
		c := got[i]
		if c.SHA != w.sha || c.Author == nil || c.Author.Login != w.login || len(c.Parents) != 1 || (w.parent != "" && c.Parents[0].SHA != w.parent) {
			t.Errorf("commit %d = %+v, want %s by %s after %s", i, c, w.sha, w.login, w.parent)
		}
	}
}
