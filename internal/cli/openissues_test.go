package cli

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
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
	for _, from := range []string{"posture.yaml", "people", "devices", "reports", "policies", "schemas", ".github/ISSUE_TEMPLATE"} {
		err := filepath.WalkDir(filepath.Join("..", "..", from), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			for _, s := range skip {
				if filepath.ToSlash(rel) == s {
					return nil
				}
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.write(filepath.ToSlash(rel), string(data))
			return nil
		})
		if err != nil {
			t.Fatal(err)
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
