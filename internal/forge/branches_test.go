package forge_test

import (
	"context"
	"errors"
	"testing"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestIssueFormBecomesPullRequest walks the issue-form flow: a branch from
// main, the report file on it, a pull request.
func TestIssueFormBecomesPullRequest(t *testing.T) {
	c, srv, _ := setup(t)
	ctx := context.Background()
	const path = "reports/2026-11/d-e1001-laptop.yaml"
	report := []byte("device: d-e1001-laptop\nos_version: \"15.1\"\n")

	main, err := c.GetRef(ctx, "heads/main")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateRef(ctx, "refs/heads/report/e1001-2026-11", main.GetObject().GetSHA()); err != nil {
		t.Fatal(err)
	}
	commit, err := c.CreateOrUpdateFile(ctx, "report/e1001-2026-11", path, "Report d-e1001-laptop 2026-11", report)
	if err != nil {
		t.Fatal(err)
	}
	if head, _ := srv.Ref("heads/report/e1001-2026-11"); commit == "" || commit != head {
		t.Errorf("commit %q, branch at %q", commit, head)
	}
	again, err := c.CreateOrUpdateFile(ctx, "report/e1001-2026-11", path, "same again", report)
	if err != nil || again != "" {
		t.Errorf("writing the same content: commit %q, err %v; want no commit", again, err)
	}
	updated := append(report, "firewall: true\n"...)
	if _, err := c.CreateOrUpdateFile(ctx, "report/e1001-2026-11", path, "Fix firewall", updated); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.File("report/e1001-2026-11", path); string(got) != string(updated) {
		t.Errorf("file = %q", got)
	}
	pr, err := c.CreatePullRequest(ctx, "Report d-e1001-laptop 2026-11", "report/e1001-2026-11", "main", "From #3")
	if err != nil {
		t.Fatal(err)
	}
	files, err := c.PullFiles(ctx, pr.GetNumber())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].GetFilename() != path || files[0].GetStatus() != "added" {
		t.Errorf("files = %v", files)
	}
}

func TestCreateFileAfterLostAnswer(t *testing.T) {
	c, srv, _ := setup(t)
	srv.Inject(githubtest.Lost("PUT", "contents/*/*", 502))

	commit, err := c.CreateOrUpdateFile(context.Background(), "main", "people/e1001.yaml", "Add e1001", []byte("id: e1001\n"))
	if err != nil {
		t.Fatal(err)
	}
	if head, _ := srv.Ref("heads/main"); commit != head {
		t.Errorf("commit %q, main at %q", commit, head)
	}
	if got := srv.Calls("PUT", "contents/*/*"); got != 1 {
		t.Errorf("PUT sent %d times, want 1", got)
	}
}

func TestMissingRefIsNotFound(t *testing.T) {
	c, _, _ := setup(t)
	_, err := c.GetRef(context.Background(), "heads/deleted-branch")
	var nf *forge.NotFoundError
	if !errors.Is(err, forge.ErrNotFound) || !errors.As(err, &nf) {
		t.Fatalf("err = %v, want a *forge.NotFoundError", err)
	}
	if want := "get ref heads/deleted-branch: "; err.Error()[:len(want)] != want {
		t.Errorf("err = %q", err)
	}
}
