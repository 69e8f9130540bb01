package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/monthly"
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
	// December, read on 2026-11-20: nothing of it is due, nothing is chased.
	code, stdout, stderr = run(t, nil, "overview", "-C", dir, "--period", "2026-12", "-f", "json")
	var dec struct {
		Totals struct {
			Devices  int
			ByStatus struct {
				NotDue int `json:"not_due"`
			} `json:"by_status"`
		} `json:"totals"`
		FollowUp []any `json:"follow_up"`
	}
	if err := json.Unmarshal([]byte(stdout), &dec); code != ExitOK || err != nil || dec.Totals.Devices == 0 ||
		dec.Totals.ByStatus.NotDue != dec.Totals.Devices || len(dec.FollowUp) != 0 {
		t.Errorf("December before its due day (exit %d, %v): %+v\n%s", code, err, dec, stderr)
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
	owner := gh.AddIssue(githubtest.Issue{Title: "Device security report 2026-11", Body: monthly.Key("2026-11", "e2") + "\nReport.",
		Labels: []string{monthly.Label("2026-11")}})
	gh.AddIssue(githubtest.Issue{Title: "Device security report 2026-10", Body: monthly.Key("2026-10", "e1"), Labels: []string{monthly.Label("2026-11")}})
	env := map[string]string{"GITHUB_TOKEN": "t0ken", "GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo, "GITHUB_API_URL": gh.URL()}
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := &Factory{IO: streams, Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }, Getenv: func(k string) string { return env[k] }, HTTPClient: gh.Client(),
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
	// Links: e2's monthly issue by its number; e1's, whose issue names
	// another period, by a search.
	web := "https://github.com/" + githubtest.Owner + "/" + githubtest.Repo
	rows := csvRows(t, out.String())
	for _, r := range rows {
		switch r["employee"] {
		case "e2":
			if r["issue_url"] != web+"/issues/"+strconv.Itoa(owner) {
				t.Errorf("%s: issue %q", r["device"], r["issue_url"])
			}
		case "e1":
			if !strings.HasPrefix(r["issue_url"], web+"/issues?q=") {
				t.Errorf("%s: issue %q", r["device"], r["issue_url"])
			}
		}
		if r["state"] == "merged" && !strings.HasPrefix(r["report_url"], web+"/blob/") {
			t.Errorf("%s: report %q", r["device"], r["report_url"])
		}
	}
	if len(rows) == 0 || gh.Calls("GET", "issues") != 1 {
		t.Errorf("%d rows; listed issues %d times", len(rows), gh.Calls("GET", "issues"))
	}

	// Without issues: read the overview still comes, with searches.
	gh.Inject(githubtest.Fault{Method: "GET", Path: "issues", Status: 403, Body: `{"message": "Resource not accessible by integration"}`})
	out.Reset()
	errOut.Reset()
	if code := Execute(NewCmdRoot(f), []string{"overview", "-C", dir, "--period", "2026-11", "--github", "-f", "csv"}, streams); code != ExitOK ||
		!strings.Contains(errOut.String(), "issues: read") || !strings.Contains(out.String(), web+"/issues?q=") {
		t.Errorf("without issues (exit %d): %s\n%s", code, errOut.String(), out.String())
	}
}

// csvRows reads a CSV with a header into maps by column.
func csvRows(t *testing.T, s string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("csv: %v\n%s", err, s)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, col := range recs[0] {
			m[col] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func TestRemoteRepo(t *testing.T) {
	for _, tt := range []struct{ remote, server, want string }{
		{"git@github.com:acme/device-reports.git", "https://github.com", "acme/device-reports"},
		{"https://github.com/acme/device-reports.git", "https://github.com", "acme/device-reports"},
		{"https://x-access-token:s3cret@github.com/acme/device-reports", "https://github.com", "acme/device-reports"},
		{"ssh://git@github.com/acme/device-reports.git", "https://github.com", "acme/device-reports"},
		{"git@ghe.example.com:acme/reports.git", "https://ghe.example.com", "acme/reports"},
		{"git@gitlab.com:acme/device-reports.git", "https://github.com", ""},
		{"/srv/git/reports.git", "https://github.com", ""},
		{"", "https://github.com", ""},
	} {
		if got := remoteRepo(tt.remote, tt.server); got != tt.want {
			t.Errorf("remoteRepo(%q, %q) = %q, want %q", tt.remote, tt.server, got, tt.want)
		}
	}
}

func TestOverviewLinksFromOrigin(t *testing.T) {
	dir := okRepo(t)
	g, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://token@github.com/acme/device-reports.git"}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, nil, "https://github.com/acme/device-reports/"},
		{map[string]string{"GITHUB_REPOSITORY": "other/repo"}, nil, "https://github.com/other/repo/"},
		{nil, []string{"-R", "third/repo"}, "https://github.com/third/repo/"},
		{map[string]string{"GITHUB_SERVER_URL": "https://ghe.example.com"}, nil, ""},
	} {
		code, stdout, stderr := run(t, tt.env, append([]string{"overview", "-C", dir, "--period", "2026-11", "-f", "csv"}, tt.args...)...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, r := range csvRows(t, stdout) {
			if !strings.HasPrefix(r["issue_url"], tt.want) || tt.want == "" && r["issue_url"] != "" || strings.Contains(r["issue_url"], "token") {
				t.Errorf("%v %v: %s links to %q, want %q...", tt.env, tt.args, r["device"], r["issue_url"], tt.want)
			}
		}
	}
}
