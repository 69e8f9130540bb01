package forge_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestEnsureLabel(t *testing.T) {
	c, srv, _ := setup(t)
	ctx := context.Background()
	const name = "posture: needs review/boss"

	for range 2 {
		if err := c.EnsureLabel(ctx, name, "#FBCA04", "Waiting for the supervisor"); err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.Calls("POST", "labels"); got != 1 {
		t.Errorf("POST labels sent %d times, want 1", got)
	}
	if err := c.EnsureLabel(ctx, name, "0e8a16", "Waiting for the supervisor"); err != nil {
		t.Fatal(err)
	}
	labels := srv.Labels()
	if len(labels) != 1 || labels[0].Name != name || labels[0].Color != "0e8a16" {
		t.Errorf("labels = %+v", labels)
	}
	if got := srv.Calls("PATCH", "labels/*"); got != 1 {
		t.Errorf("PATCH labels sent %d times, want 1 (for the new color)", got)
	}
}

func TestEnsureLabelCreatedMeanwhile(t *testing.T) {
	c, srv, _ := setup(t)
	srv.AddLabel(githubtest.Label{Name: "posture:approved", Color: "0e8a16"})
	// Another run created it between our GET and our POST.
	srv.Inject(githubtest.NotFound("GET", "labels/*"))

	if err := c.EnsureLabel(context.Background(), "posture:approved", "0e8a16", ""); err != nil {
		t.Fatalf("422 already_exists: %v", err)
	}
	if got := srv.Calls("POST", "labels"); got != 1 {
		t.Errorf("POST labels sent %d times, want 1", got)
	}
}

func TestIssueLabels(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddPull(githubtest.Pull{Head: "report/e1001", Issue: githubtest.Issue{Labels: []string{"old"}}})
	ctx := context.Background()
	labels := func() []string { p, _ := srv.Pull(n); return p.Labels }

	if err := c.AddLabels(ctx, n, "posture:pending", "2026-11"); err != nil {
		t.Fatal(err)
	}
	if got := labels(); !slices.Equal(got, []string{"old", "posture:pending", "2026-11"}) {
		t.Errorf("after AddLabels: %v", got)
	}
	if err := c.RemoveLabel(ctx, n, "posture:pending"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveLabel(ctx, n, "never there"); err != nil {
		t.Errorf("removing a missing label: %v", err)
	}
	if err := c.SetLabels(ctx, n, []string{"posture:approved"}); err != nil {
		t.Fatal(err)
	}
	if got := labels(); !slices.Equal(got, []string{"posture:approved"}) {
		t.Errorf("after SetLabels: %v", got)
	}
	if err := c.SetLabels(ctx, n, nil); err != nil {
		t.Fatal(err)
	}
	if got := labels(); len(got) != 0 {
		t.Errorf("after SetLabels(nil): %v", got)
	}
}

func TestAddLabelsIsRepeatedAfterServerError(t *testing.T) {
	c, srv, _ := setup(t)
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	srv.Inject(githubtest.ServerError("POST", "issues/*/labels", 502))

	if err := c.AddLabels(context.Background(), n, "posture:monthly"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("POST", "issues/*/labels"); got != 2 {
		t.Errorf("sent %d times, want 2", got)
	}
}

func TestSetStatus(t *testing.T) {
	c, srv, _ := setup(t)
	const sha = "1111111111111111111111111111111111111111"
	long := strings.Repeat("approved by boss; ", 12) // 216 characters

	if err := c.SetStatus(context.Background(), sha, "posture/approvals", "success", long, ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStatus(context.Background(), sha, "posture/approvals", "pending", "waiting",
		"https://example.test/run/1"); err != nil {
		t.Fatal(err)
	}
	st := srv.Statuses(sha)
	if len(st) != 2 {
		t.Fatalf("statuses = %+v", st)
	}
	if d := st[0].Description; utf8.RuneCountInString(d) != 140 || !strings.HasSuffix(d, "…") {
		t.Errorf("description %q (%d characters), want cut to 140", d, utf8.RuneCountInString(d))
	}
	if st[1].Context != "posture/approvals" || st[1].State != "pending" || st[1].TargetURL != "https://example.test/run/1" {
		t.Errorf("status = %+v", st[1])
	}
}
