package issueform

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-github/v60/github"
	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/issuelink"
)

// base commits a copy of the demo organisation's registry (testdata/demo),
// the built-in rules and the forms to a real repository and returns its tree, commit and judge.
func base(t *testing.T) (fs.FS, string, *check.Judge) {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	// A copy of the demo organisation, the built-in policies and schemas, and
	// the repository's issue forms.
	for _, src := range []struct {
		tree  fs.FS
		roots []string
	}{
		{posture.Defaults, []string{"policies", "schemas"}},
		{os.DirFS("../../testdata/demo"), []string{"posture.yaml", "people", "devices", "policies"}},
		{os.DirFS("../.."), []string{".github/ISSUE_TEMPLATE"}},
	} {
		for _, root := range src.roots {
			err := fs.WalkDir(src.tree, root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := fs.ReadFile(src.tree, p)
				if err != nil {
					return err
				}
				os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
				return os.WriteFile(filepath.Join(dir, p), data, 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	wt, _ := repo.Worktree()
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "lead", Email: "lead@example.com", When: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	h, err := wt.Commit("seed", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	c, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := r.TreeFS(c)
	if err != nil {
		t.Fatal(err)
	}
	j, err := check.NewJudge(context.Background(), tree)
	if err != nil {
		t.Fatal(err)
	}
	return tree, h.String(), j
}

type env struct {
	c    *forge.Client
	srv  *githubtest.Server
	opts SubmitOptions
	out  *bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	tree, sha, j := base(t)
	srv := githubtest.New(t)
	srv.SetRef("heads/main", sha)
	c, err := forge.New(forge.Options{HTTPClient: srv.Client(), BaseURL: srv.URL(), Owner: githubtest.Owner, Repo: githubtest.Repo,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	return &env{c: c, srv: srv, out: out, opts: SubmitOptions{Base: tree, BaseSHA: sha, Judge: j, Into: "main", Today: "2026-11-20"}}
}

func (e *env) issue(author string, k Kind, body string) int {
	return e.srv.AddIssue(githubtest.Issue{Title: "form", Author: author, Labels: []string{k.Label()}, Body: body})
}

func (e *env) submit(t *testing.T, n int) Outcome {
	t.Helper()
	o := e.opts
	o.Issue = n
	got, err := Submit(context.Background(), e.c, o)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

const yuki = "yuki-nakamura-example"

func TestSubmitOpensOnePullRequest(t *testing.T) {
	e := newEnv(t)
	n := e.issue(yuki, Report, readBody(t, "report-ok.md"))
	got := e.submit(t, n)
	if got.PullRequest == 0 || len(got.Problems) > 0 {
		t.Fatalf("%+v", got)
	}
	pr, _ := e.srv.Pull(got.PullRequest)
	if pr.Head != issuelink.Branch(n) || pr.Base != "main" || !strings.Contains(pr.Body, issuelink.Marker(n)) ||
		!strings.Contains(pr.Body, "**Reporter:** @"+yuki+" (`e1004`)") || pr.Title != "Report 2026-11 for d-e1004-laptop from #1" {
		t.Errorf("pull request %+v", pr)
	}
	if k, ok := issuelink.Parse(pr.Body); !ok || k != n {
		t.Errorf("issuelink.Parse = %d, %v", k, ok)
	}
	file, ok := e.srv.File(issuelink.Branch(n), "reports/2026-11/d-e1004-laptop.yaml")
	want, _ := os.ReadFile("testdata/report-ok.yaml")
	if !ok || string(file) != string(want) {
		t.Errorf("file on the branch:\n%s", file)
	}
	cms := e.srv.Comments(n)
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "Opened #2 with `reports/2026-11/d-e1004-laptop.yaml`") {
		t.Errorf("comments %+v", cms)
	}

	// The issues event fires again (an edit that changes nothing): no new
	// branch, commit, pull request or comment.
	calls := len(e.srv.Log())
	if again := e.submit(t, n); again.PullRequest != got.PullRequest {
		t.Errorf("again: %+v", again)
	}
	for _, c := range e.srv.Log()[calls:] {
		if c.Method != "GET" {
			t.Errorf("second run sent %s %s", c.Method, c.Path)
		}
	}
}

func TestSubmitCommentsProblemsThenFollowsTheEdit(t *testing.T) {
	e := newEnv(t)
	bad := strings.NewReplacer("8c:17:59:d2:40:7a", "<b>aa:bb</b> @octocat `x`", "2026-11-12", "2026-12-24").Replace(readBody(t, "report-ok.md"))
	n := e.issue(yuki, Report, bad)
	got := e.submit(t, n)
	if got.PullRequest != 0 || len(got.Problems) != 3 { // the date, and the address twice (schema and policy)
		t.Fatalf("%+v", got)
	}
	cms := e.srv.Comments(n)
	if len(cms) != 1 {
		t.Fatalf("comments %+v", cms)
	}
	body := cms[0].Body
	for _, s := range []string{"- **Last full scan**: ` last_full_scan \"2026-12-24\" is after the report date 2026-11-20",
		"- **Wi-Fi MAC address**: `` wifi_mac \"<b>aa:bb</b> @octocat `x`\""} {
		if !strings.Contains(body, s) {
			t.Errorf("comment lacks %q:\n%s", s, body)
		}
	}
	if _, ok := e.srv.Ref("heads/" + issuelink.Branch(n)); ok {
		t.Error("a branch was made for an invalid form")
	}

	// The employee edits the issue; the workflow runs again.
	editIssue(t, e, n, readBody(t, "report-edited.md"))
	got = e.submit(t, n)
	if got.PullRequest == 0 {
		t.Fatalf("after the edit: %+v", got)
	}
	cms = e.srv.Comments(n)
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "Opened #") {
		t.Errorf("the status comment was not edited in place: %+v", cms)
	}
	file, _ := e.srv.File(issuelink.Branch(n), "reports/2026-11/d-e1004-laptop.yaml")
	if !strings.Contains(string(file), `wifi_mac: "8C-17-59-D2-40-7A"`) {
		t.Errorf("file:\n%s", file)
	}
}

// editIssue changes an issue's body as the employee's edit does.
func editIssue(t *testing.T, e *env, n int, body string) {
	t.Helper()
	b := body
	if _, err := e.c.EditIssue(context.Background(), n, &github.IssueRequest{Body: &b}); err != nil {
		t.Fatal(err)
	}
}

func TestSubmitRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, author string
		kind         Kind
		body         string
		want         string
	}{
		{"stranger", "mallory", Report, readBody(t, "report-ok.md"), "your GitHub account @mallory is not in people/"},
		{"inactive", "lucas-moreau-example", Report, readBody(t, "report-ok.md"), "belongs to e1011, who is not active"},
		{"someone else's device", yuki, Report, strings.Replace(readBody(t, "report-ok.md"), "d-e1004-laptop", "d-e1001-laptop", 1), "reporter \"e1004\" is not the owner of device \"d-e1001-laptop\""},
		{"retire someone else's", yuki, Retire, strings.Replace(readBody(t, "retire-ok.md"), "d-e1004-tablet", "d-e1001-phone", 1), "belongs to e1001, not to you"},
		{"ambiguous", yuki, Report, readBody(t, "report-heading-in-value.md"), "appears 2 times"},
		{"unticked", yuki, Register, strings.Replace(readBody(t, "register-ok.md"), "[X]", "[ ]", 1), "tick"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			n := e.issue(tc.author, tc.kind, tc.body)
			got := e.submit(t, n)
			cms := e.srv.Comments(n)
			if got.PullRequest != 0 || len(cms) != 1 || !strings.Contains(cms[0].Body, tc.want) {
				t.Errorf("%+v; comments %+v", got, cms)
			}
			if e.srv.Calls("POST", "pulls") != 0 || e.srv.Calls("POST", "git/refs") != 0 {
				t.Error("a branch or pull request was made")
			}
		})
	}
}

func TestSubmitRegisterAndRetire(t *testing.T) {
	e := newEnv(t)
	n := e.issue(yuki, Register, readBody(t, "register-ok.md"))
	if got := e.submit(t, n); got.PullRequest == 0 {
		t.Fatalf("register: %+v %+v", got, e.srv.Comments(n))
	}
	if b, ok := e.srv.File(issuelink.Branch(n), "devices/d-e1004-phone.yaml"); !ok || !strings.Contains(string(b), "owner: e1004") {
		t.Errorf("device file:\n%s", b)
	}
	m := e.issue(yuki, Retire, readBody(t, "retire-ok.md"))
	got := e.submit(t, m)
	if got.PullRequest == 0 {
		t.Fatalf("retire: %+v %+v", got, e.srv.Comments(m))
	}
	pr, _ := e.srv.Pull(got.PullRequest)
	if pr.Title != "Retire d-e1004-tablet from #3" || !strings.Contains(pr.Body, "**Owner:** @"+yuki) {
		t.Errorf("retire pull request %q:\n%s", pr.Title, pr.Body)
	}
}

func TestSubmitAfterLostAnswers(t *testing.T) {
	e := newEnv(t)
	n := e.issue(yuki, Report, readBody(t, "report-ok.md"))
	e.srv.Inject(githubtest.Lost("POST", "git/refs", 502), githubtest.Lost("POST", "pulls", 502), githubtest.Lost("POST", "issues/*/comments", 504))
	got := e.submit(t, n)
	if got.PullRequest == 0 {
		t.Fatalf("%+v", got)
	}
	if pulls := e.srv.Calls("POST", "pulls"); pulls != 1 {
		t.Errorf("%d pull requests asked for, want 1", pulls)
	}
	if cms := e.srv.Comments(n); len(cms) != 1 {
		t.Errorf("%d comments", len(cms))
	}
}

func TestSubmitSkipsAndRefusesNonForms(t *testing.T) {
	e := newEnv(t)
	closed := e.srv.AddIssue(githubtest.Issue{Author: yuki, State: "closed", Labels: []string{Report.Label()}, Body: readBody(t, "report-ok.md")})
	if got := e.submit(t, closed); got.Skipped == "" {
		t.Errorf("closed issue: %+v", got)
	}
	plain := e.srv.AddIssue(githubtest.Issue{Author: yuki, Title: "help", Body: "my laptop is slow"})
	o := e.opts
	o.Issue = plain
	_, err := Submit(context.Background(), e.c, o)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "carries no posture form label") {
		t.Errorf("plain issue: %v", err)
	}
}

func TestSubmitEditedToAnotherDevice(t *testing.T) {
	e := newEnv(t)
	n := e.issue(yuki, Report, readBody(t, "report-ok.md"))
	first := e.submit(t, n)

	// An edit that breaks the form: the problems replace the status, which
	// still remembers the pull request.
	editIssue(t, e, n, strings.Replace(readBody(t, "report-ok.md"), "2026-11-12", "2026-12-24", 1))
	if got := e.submit(t, n); len(got.Problems) != 1 || !strings.Contains(e.srv.Comments(n)[0].Body, prMarker(first.PullRequest)) {
		t.Errorf("%+v; %s", got, e.srv.Comments(n)[0].Body)
	}

	// An edit that names another device: a new form's job.
	tablet := strings.NewReplacer("- [ ]", "- [X]", "### Wi-Fi MAC address\n\n_No response_", "### Wi-Fi MAC address\n\nb2:4d:e7:38:a1:60").
		Replace(readBody(t, "report-ios-empty.md"))
	editIssue(t, e, n, tablet)
	got := e.submit(t, n)
	if got.PullRequest != 0 || !strings.Contains(e.srv.Comments(n)[0].Body, "Close #"+strconv.Itoa(first.PullRequest)+" and open a new form") {
		t.Errorf("%+v; %s", got, e.srv.Comments(n)[0].Body)
	}
	if _, ok := e.srv.File(issuelink.Branch(n), "reports/2026-11/d-e1004-tablet.yaml"); ok {
		t.Error("a second file was added to the pull request")
	}
	if len(e.srv.Comments(n)) != 1 {
		t.Errorf("%d comments, want the one status comment", len(e.srv.Comments(n)))
	}
}
