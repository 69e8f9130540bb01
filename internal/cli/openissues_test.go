package cli

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/monthly"
)

// cycleEnv is a clone of the demo organisation (its working tree's
// registry, rules, reports and forms, committed on main) and a fake GitHub.
type cycleEnv struct {
	t    *testing.T
	dir  string
	wt   *git.Worktree
	head plumbing.Hash
	gh   *githubtest.Server
	now  time.Time
	// clock is the GitHub client's: its waits are recorded, not slept.
	clock *githubtest.Clock
	// env overrides the environment of run; "" unsets a variable.
	env map[string]string
}

func newCycleEnv(t *testing.T, now time.Time, skip ...string) *cycleEnv {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	if err != nil {
		t.Fatal(err)
	}
	e := &cycleEnv{t: t, dir: dir, gh: githubtest.New(t), now: now, clock: githubtest.NewClock(now)}
	e.gh.SetClock(e.clock)
	e.wt, _ = repo.Worktree()
	// A copy of the demo organisation, the built-in policies and schemas, and
	// the repository's issue forms.
	for _, src := range []struct {
		tree  fs.FS
		roots []string
	}{
		{posture.Defaults, []string{"policies", "schemas"}},
		{os.DirFS("../../testdata/demo"), []string{"posture.yaml", "people", "devices", "reports", "policies"}},
		{os.DirFS("../.."), []string{".github/ISSUE_TEMPLATE"}},
	} {
		for _, root := range src.roots {
			err := fs.WalkDir(src.tree, root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || slices.Contains(skip, p) {
					return err
				}
				data, err := fs.ReadFile(src.tree, p)
				if err != nil {
					return err
				}
				e.write(p, string(data))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	e.commit("seed", now.Add(-24*time.Hour))
	e.gh.SetRef("heads/main", e.head.String())
	return e
}

func (e *cycleEnv) write(p, data string) {
	full := filepath.Join(e.dir, filepath.FromSlash(p))
	os.MkdirAll(filepath.Dir(full), 0o755)
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *cycleEnv) commit(msg string, when time.Time) {
	if err := e.wt.AddGlob("."); err != nil {
		e.t.Fatal(err)
	}
	sig := &object.Signature{Name: "GitHub", Email: "noreply@github.com", When: when}
	h, err := e.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		e.t.Fatal(err)
	}
	e.head = h
}

// run runs posture with args against the clone and the fake GitHub; the
// client's waits are recorded, not slept.
func (e *cycleEnv) run(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	env := map[string]string{"GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo, "GITHUB_TOKEN": "ghs_test",
		"GITHUB_API_URL": e.gh.URL(), "GITHUB_SERVER_URL": "https://github.example"}
	for k, v := range e.env {
		env[k] = v
	}
	f := &Factory{IO: streams, Now: func() time.Time { return e.now }, Getenv: func(k string) string { return env[k] },
		HTTPClient: e.gh.Client(), TuneGitHub: func(o *forge.Options) {
			o.Now, o.Sleep, o.AfterFunc, o.AttemptTimeout = e.clock.Now, e.clock.Sleep, e.clock.AfterFunc, 300*time.Millisecond
		}}
	code = Execute(NewCmdRoot(f), append(args, "-C", e.dir), streams)
	return code, out.String(), errOut.String()
}

// issuesOf counts the fake's issues by subject key.
func (e *cycleEnv) issuesOf() map[string]int {
	out := map[string]int{}
	for _, is := range e.gh.Issues() {
		if _, s, ok := monthly.ParseKey(is.Body); ok {
			out[s]++
		}
	}
	return out
}

var dec1 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo

func TestOpenIssuesCommand(t *testing.T) {
	e := newCycleEnv(t, dec1)

	code, stdout, stderr := e.run("open-issues", "--dry-run")
	if code != ExitOK || !strings.Contains(stdout, "2026-12: 10 people owe reports; 0 issues exist, 10 to open (cap 50)") || len(e.gh.Issues()) != 0 {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}

	// The cap stops the run: exit 1, with what remains.
	code, _, stderr = e.run("open-issues", "--max", "4")
	if code != ExitFindings || !strings.Contains(stderr, "opened 4, stopped at the cap of 4 issues in one run with 6 still to open") {
		t.Errorf("capped: exit %d\n%s", code, stderr)
	}

	// Faults on the way; the second run opens the rest, once each.
	e.gh.Inject(githubtest.ServerError("POST", "issues", 502), githubtest.Lost("POST", "issues", 502),
		githubtest.SecondaryRateLimit("POST", "issues", http.StatusTooManyRequests, 30*time.Second),
		githubtest.Slow("POST", "issues", 2*time.Second))
	code, stdout, stderr = e.run("open-issues", "--period", "2026-12")
	if code != ExitOK || !strings.Contains(stdout, "6 issues opened, 4 were open already") {
		t.Errorf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, id := range []string{"e1001", "e1002", "e1003", "e1004", "e1005", "e1006", "e1007", "e1008", "e1009", "e1010"} {
		if n := e.issuesOf()[id]; n != 1 {
			t.Errorf("%s has %d issues", id, n)
		}
	}
	is, _ := e.gh.Issue(4)
	if !strings.Contains(is.Body, "https://github.example/acme/device-reports/issues/new?device=d-e1004-laptop") {
		t.Errorf("form link:\n%s", is.Body)
	}

	// A third run opens nothing.
	if code, stdout, _ = e.run("open-issues"); code != ExitOK || !strings.Contains(stdout, "0 issues opened, 10 were open already") {
		t.Errorf("third run: exit %d\n%s", code, stdout)
	}
}

func TestOpenIssuesStopsResumably(t *testing.T) {
	e := newCycleEnv(t, dec1)
	e.gh.Inject(githubtest.PrimaryRateLimit("POST", "issues", http.StatusForbidden, dec1.Add(50*time.Minute)))
	code, _, stderr := e.run("open-issues")
	if code != ExitFindings || !strings.Contains(stderr, "opened 0 of 10 missing issues") ||
		!strings.Contains(stderr, "Run the same command again after 2026-12-01T00:50:00Z to open the remaining 10") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestOpenIssuesUsage(t *testing.T) {
	e := newCycleEnv(t, dec1)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"open-issues", "--period", "December"}, `--period "December" is not a month`},
		{[]string{"open-issues", "--max", "-1"}, "--max -1 is negative"},
		{[]string{"open-issues", "--base", "nope"}, `no commit "nope"`},
	} {
		if code, _, stderr := e.run(tc.args...); code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s", tc.args, code, stderr)
		}
	}
}

// TestMonthlyDryRunOffline runs the monthly commands' dry runs from the
// clone alone: with --offline, or without a token, not one request
// reaches the fake GitHub, even with the period's issues open there.
func TestMonthlyDryRunOffline(t *testing.T) {
	e := newCycleEnv(t, dec1)
	if code, out, errOut := e.run("open-issues", "--max", "4"); code != ExitFindings {
		t.Fatalf("seed 4 issues: exit %d\n%s%s", code, out, errOut)
	}
	before := len(e.gh.Log())
	firstBody := func() string { is, _ := e.gh.Issue(1); return is.Body }() // e1001's, as opened
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // on stdout
		note string   // on stderr
	}{
		{"open-issues --offline", nil, []string{"open-issues", "--dry-run", "--offline"}, []string{
			"2026-12: 10 people owe reports (offline: GitHub was not asked which issues exist",
			"would open 10 issues, within the cap of 50 (max_auto_issues in posture.yaml)\n",
			"  e1004 Yuki Nakamura, @yuki-nakamura-example: d-e1004-laptop, d-e1004-tablet\n",
			"title: Device security report 2026-12: Haruka Sato (e1001)\nassignees: @haruka-sato-example\nlabels: report/2026-12\n\n" + firstBody,
		}, ""},
		{"open-issues without a token", map[string]string{"GITHUB_TOKEN": ""}, []string{"open-issues", "--dry-run", "--max", "3"}, []string{
			"would open 3 of 10 issues, then stop at the cap of 3 (--max) with 7 still to open",
		}, "no $GITHUB_TOKEN or $GH_TOKEN, so this dry run is offline"},
		{"open-issues without a repository", map[string]string{"GITHUB_REPOSITORY": ""}, []string{"open-issues", "--dry-run", "--offline"}, []string{
			"https://github.example/OWNER/NAME/issues/new?device=d-e1001-laptop",
		}, "the form links below say OWNER/NAME"},
		{"remind --offline", nil, []string{"remind", "--dry-run", "--offline"}, []string{
			"2026-12: 10 people owe reports, due 2026-12-10 (offline:",
			"  e1004 Yuki Nakamura, @yuki-nakamura-example: missing d-e1004-laptop, d-e1004-tablet; not reminded before 2026-12-07\n",
			"would close 0 issues and comment on 0 more (0 reminders, 0 overdue notes); 10 not reminded yet\n",
		}, ""},
		{"remind without a token", map[string]string{"GITHUB_TOKEN": ""}, []string{"remind", "--dry-run", "--period", "2026-11"}, []string{
			"2026-11: 10 people owe reports, due 2026-11-10 (offline:",
			"  e1004 Yuki Nakamura, @yuki-nakamura-example: overdue (d-e1004-tablet): would tell their supervisor @kenji-watanabe-example\n",
			"would close 7 issues and comment on 3 more (0 reminders, 3 overdue notes); 0 not reminded yet\n",
			"the first comment, on e1001's issue:\n\n<!-- posture:remind 2026-11/e1001 done -->\nEvery report for 2026-11 is merged",
		}, "no $GITHUB_TOKEN or $GH_TOKEN, so this dry run is offline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.env = tc.env
			code, stdout, stderr := e.run(tc.args...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			for _, s := range tc.want {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if tc.note == "" && stderr != "" || !strings.Contains(stderr, tc.note) {
				t.Errorf("stderr %q, want %q", stderr, tc.note)
			}
			if n := len(e.gh.Log()) - before; n != 0 {
				t.Errorf("%d requests reached GitHub, want none: %+v", n, e.gh.Log()[before:])
			}
		})
	}
}

func TestOfflineNeedsDryRun(t *testing.T) {
	e := newCycleEnv(t, dec1)
	for _, cmd := range []string{"open-issues", "remind"} {
		code, _, stderr := e.run(cmd, "--offline")
		if code != ExitUsage || !strings.Contains(stderr, "--offline works only with --dry-run") {
			t.Errorf("%s --offline: exit %d, %s", cmd, code, stderr)
		}
	}
	if n := len(e.gh.Log()); n != 0 {
		t.Errorf("%d requests reached GitHub", n)
	}
}

// TestDryRunCannotReadGitHub: a dry run with a token whose GitHub fails
// (502s until the retries are spent, or a server that is gone) says so
// and points to --offline; it has nothing to resume. The retries' waits
// are the fake clock's.
func TestDryRunCannotReadGitHub(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	for _, tc := range []struct {
		name  string
		cmd   string
		fault bool   // 502 on every listing
		api   string // else an API root where nothing listens
	}{
		{"open-issues, 502s", "open-issues", true, ""},
		{"remind, 502s", "remind", true, ""},
		{"open-issues, server gone", "open-issues", false, gone.URL + githubtest.Prefix},
		{"remind, server gone", "remind", false, gone.URL + githubtest.Prefix},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newCycleEnv(t, dec1)
			if tc.fault {
				e.gh.FailNext("GET", "issues", 6, http.StatusBadGateway, nil, "")
			} else {
				e.env = map[string]string{"GITHUB_API_URL": tc.api}
			}
			code, stdout, stderr := e.run(tc.cmd, "--dry-run")
			if code != ExitInternal || !strings.Contains(stderr, "posture: the dry run could not read GitHub: ") ||
				!strings.Contains(stderr, "; add --offline to see the plan from the clone alone") || strings.Contains(stderr, "resume") {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if waits := e.clock.Waits(); len(waits) != 5 {
				t.Errorf("waits %v, want the 5 retries' backoffs on the fake clock", waits)
			}
			if tc.fault && e.gh.Calls("GET", "issues") != 6 {
				t.Errorf("%d listings, want 6", e.gh.Calls("GET", "issues"))
			}
			if n := countMethod(e.gh.Log(), "GET"); n != len(e.gh.Log()) {
				t.Errorf("a dry run sent %d requests that are not GETs", len(e.gh.Log())-n)
			}
		})
	}
}

// countMethod counts the calls made with method.
func countMethod(calls []githubtest.Call, method string) int {
	n := 0
	for _, c := range calls {
		if c.Method == method {
			n++
		}
	}
	return n
}
