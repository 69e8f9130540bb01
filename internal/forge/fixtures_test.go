package forge

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// GitHub's recorded answers (testdata/octokit, from @octokit/fixtures)
// replayed to the client: what it reads of them, and that what it sends
// is what Octokit sent.

const fixtureOrg = "octokit-fixture-org"

func TestFixturePagination(t *testing.T) {
	ex := scenario(t, "paginate-issues")
	c, rp, clk := replay(t, fixtureOrg, "paginate-issues", ex...)

	issues, err := c.ListIssues(context.Background(), nil, "open")
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int
	for _, is := range issues {
		numbers = append(numbers, is.GetNumber())
	}
	want := []int{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	if !slices.Equal(numbers, want) {
		t.Errorf("issues %v, want %v: every page the Link headers chain, in order", numbers, want)
	}
	if rp.served() != 5 {
		t.Errorf("%d pages asked for, want 5: the last page has no rel=\"next\"", rp.served())
	}
	if w := clk.Waits(); len(w) != 0 {
		t.Errorf("waited %v; x-ratelimit-remaining was 4999", w)
	}
}

func TestFixtureValidationFailed(t *testing.T) {
	ex := scenario(t, "errors")
	ex[0].checkBody = true
	c, rp, _ := replay(t, fixtureOrg, "errors", ex...)

	color, name := "invalid", "foo"
	_, _, err := c.gh.Issues.CreateLabel(repeatable(context.Background()), c.owner, c.repo,
		&github.Label{Name: &name, Color: &color})
	var unsure *UncertainError
	switch {
	case err == nil:
		t.Fatal("no error")
	case errors.As(err, &unsure):
		t.Fatalf("a 422 is GitHub's final answer, not an uncertain one: %v", err)
	case statusOf(err) != http.StatusUnprocessableEntity || messageOf(err) != "Validation Failed" || !hasCode(err, "invalid"):
		t.Errorf("status %d, message %q, code invalid %v: %v", statusOf(err), messageOf(err), hasCode(err, "invalid"), err)
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && (len(er.Errors) != 1 || er.Errors[0].Resource != "Label" || er.Errors[0].Field != "color") {
		t.Errorf("errors = %+v, want the one on Label.color", er.Errors)
	}
	if rp.served() != 1 {
		t.Errorf("%d requests, want 1: a 422 is not retried", rp.served())
	}
}

func TestFixtureNotFound(t *testing.T) {
	ex := scenario(t, "branch-protection")[:1] // GET .../branches/main/protection: 404
	c, _, _ := replay(t, fixtureOrg, "branch-protection", ex...)

	var v any
	_, err := c.get(context.Background(), "repos/"+fixtureOrg+"/branch-protection/branches/main/protection", &v)
	err = c.deny("get the protection of main", "Administration: read", err)
	var nf *NotFoundError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) || nf.Message != "Branch not protected" || nf.Method != "GET" {
		t.Errorf("err = %v (%#v), want a *NotFoundError saying \"Branch not protected\"", err, nf)
	}
}

func TestFixtureStatuses(t *testing.T) {
	ex := scenario(t, "create-status")[:3] // two statuses set, then listed
	ex[0].checkBody, ex[1].checkBody = true, true
	c, _, _ := replay(t, fixtureOrg, "create-status", ex...)
	ctx := context.Background()
	sha := "0000000000000000000000000000000000000001"

	for _, st := range []struct{ state, context string }{{"failure", "example/1"}, {"success", "example/2"}} {
		if err := c.SetStatus(ctx, sha, st.context, st.state, "create-status "+st.state+" test", "https://example.com"); err != nil {
			t.Fatal(err)
		}
	}
	list, _, err := c.gh.Repositories.ListStatuses(ctx, c.owner, c.repo, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range list {
		got = append(got, st.GetContext()+"="+st.GetState()+" by "+st.GetCreator().GetLogin())
	}
	want := []string{"example/2=success by octokit-fixture-user-a", "example/1=failure by octokit-fixture-user-a"}
	if !slices.Equal(got, want) {
		t.Errorf("statuses %q, want %q (newest first)", got, want)
	}
}

func TestFixtureLabels(t *testing.T) {
	ex := scenario(t, "labels")
	c, rp, _ := replay(t, fixtureOrg, "labels", ex[0], ex[2]) // the list; GET labels/test-label
	ctx := context.Background()

	names, err := c.LabelNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 9 || names[0] != "bug" {
		t.Errorf("labels %q, want the 9 recorded, bug first", names)
	}
	// The recorded label has color 663399 and description null: nothing to change.
	if err := c.EnsureLabel(ctx, "test-label", "#663399", ""); err != nil {
		t.Fatal(err)
	}
	if rp.served() != 2 {
		t.Errorf("%d requests, want 2 (no PATCH for a label as it should be)", rp.served())
	}
}

func TestFixtureAddLabels(t *testing.T) {
	ex := scenario(t, "add-labels-to-issue")[1:]
	ex[0].checkBody = true // {"labels": ["Foo", "bAr", "baZ"]}, the object form
	c, _, _ := replay(t, fixtureOrg, "add-labels-to-issue", ex...)

	if err := c.AddLabels(context.Background(), 1, "Foo", "bAr", "baZ"); err != nil {
		t.Fatal(err)
	}
}

func TestFixtureCreateRef(t *testing.T) {
	ex := scenario(t, "git-refs")[1:2]
	ex[0].checkBody = true
	c, _, _ := replay(t, fixtureOrg, "git-refs", ex...)

	ref, err := c.CreateRef(context.Background(), "heads/test", "0000000000000000000000000000000000000002")
	if err != nil {
		t.Fatal(err)
	}
	if ref.GetRef() != "refs/heads/test" || ref.GetObject().GetSHA() != "0000000000000000000000000000000000000002" {
		t.Errorf("ref = %v", ref)
	}
}

// TestFixtureRateLimit replays the recorded label list with its quota
// spent (x-ratelimit-remaining 0 until an hour from now): the answer is
// read, and the next call is not sent but ends with *RateLimitError
// saying when to resume.
func TestFixtureRateLimit(t *testing.T) {
	ex := scenario(t, "labels")[0]
	reset := time.Now().Add(time.Hour).Truncate(time.Second) // go-github compares it with the real clock
	ex.Headers["x-ratelimit-remaining"] = "0"
	ex.Headers["x-ratelimit-used"] = "5000"
	ex.Headers["x-ratelimit-reset"] = strconv.FormatInt(reset.Unix(), 10)
	c, _, _ := replay(t, fixtureOrg, "labels", ex)
	ctx := context.Background()

	if names, err := c.LabelNames(ctx); err != nil || len(names) != 9 {
		t.Fatalf("labels %q, %v", names, err)
	}
	_, err := c.LabelNames(ctx)
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.ResumeAt.Equal(reset) {
		t.Errorf("err = %v, want a *RateLimitError resuming at %s", err, reset)
	}
}
