package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// okRepo commits testdata/ok, less the files named in skip, into a new
// repository and returns its folder.
func okRepo(t *testing.T, skip ...string) string {
	t.Helper()
	dir := t.TempDir()
	src := "../../testdata/ok"
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		for _, s := range skip {
			if filepath.ToSlash(rel) == s {
				return nil
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 8, 9, 0, 0, 0, time.UTC)
	sig := &object.Signature{Name: "Erika Manager", Email: "erika@example.com", When: when}
	if _, err := wt.Commit("Reports of November\n", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOverviewCommand(t *testing.T) {
	dir := okRepo(t)
	code, stdout, stderr := run(t, nil, "overview", "-C", dir, "--period", "2026-11", "-f", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var o struct {
		Period string `json:"period"`
		Totals struct {
			Devices, Merged int
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(stdout), &o); err != nil || o.Period != "2026-11" || o.Totals.Devices == 0 || o.Totals.Merged != o.Totals.Devices {
		t.Errorf("json: %v %+v\n%s", err, o, stdout)
	}
	// Without --period: the current month in the organisation's timezone
	// (run's clock says 2026-11-20).
	if code, stdout, _ = run(t, nil, "overview", "-C", dir); code != ExitOK || !strings.Contains(stdout, ", 2026-11\n") {
		t.Errorf("default period (exit %d):\n%s", code, stdout)
	}
	out := filepath.Join(t.TempDir(), "overview.html")
	if code, _, stderr = run(t, nil, "overview", "-C", dir, "--period", "2026-11", "-f", "html", "-o", out); code != ExitOK {
		t.Fatalf("html: exit %d: %s", code, stderr)
	}
	if page, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) {
		t.Errorf("html page: %v %.40s", err, page)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"overview", "-C", dir, "-f", "xml"}, ExitUsage, `unknown output format "xml"`},
		{[]string{"overview", "-C", dir, "--period", "November"}, ExitUsage, `--period "November" is not a period`},
		{[]string{"overview", "-C", t.TempDir()}, ExitUsage, "repository"},
		{[]string{"overview", "-C", dir, "--github"}, ExitUsage, "OWNER/NAME"},
	} {
		if code, _, stderr := run(t, nil, tt.args...); code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func TestOverviewGitHub(t *testing.T) {
	dir := okRepo(t, "reports/2026-11/d-phone.yaml")
	gh := githubtest.New(t)
	gh.RequireToken("t0ken")
	var pulls []int
	for i := range 3 { // more than a page of files is not needed; more than one pull request is
		pulls = append(pulls, gh.AddPull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report", Author: "bob"}, Head: "report-" + string(rune('a'+i))}))
	}
	gh.AddFile(pulls[1], githubtest.File{Filename: "reports/2026-11/d-phone.yaml"})
	gh.AddFile(pulls[2], githubtest.File{Filename: "reports/2026-11/d-phone.yaml"})
	gh.AddFile(pulls[2], githubtest.File{Filename: "reports/2026-10/d-win.yaml", Status: "modified"})
	gh.AddFile(pulls[0], githubtest.File{Filename: "reports/2026-11/d-win.yaml", Status: "removed"})
	env := map[string]string{"GITHUB_TOKEN": "t0ken", "GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo, "GITHUB_API_URL": gh.URL()}
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := &Factory{IO: streams, Now: time.Now, Getenv: func(k string) string { return env[k] }, HTTPClient: gh.Client(),
		TuneGitHub: func(o *forge.Options) { o.Sleep = func(ctx context.Context, d time.Duration) error { return nil } }}
	code := Execute(NewCmdRoot(f), []string{"overview", "-C", dir, "--period", "2026-11", "--github", "-f", "csv"}, streams)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "d-phone,reports/2026-11/d-phone.yaml,in_review,2,") {
		t.Errorf("d-phone is not in review in #2:\n%s", out.String())
	}
	if strings.Contains(out.String(), "d-win,reports/2026-11/d-win.yaml,in_review") {
		t.Errorf("a pull request removing a report put it in review:\n%s", out.String())
	}
	if n := gh.Calls("GET", "pulls"); n != 1 {
		t.Errorf("listed pull requests %d times", n)
	}
	if n := gh.Calls("GET", "pulls/*/files"); n != 3 {
		t.Errorf("listed files %d times, want once per open pull request", n)
	}
}
