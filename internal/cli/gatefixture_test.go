package cli

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// The demo organisation's people the gate tests use.
const (
	yuki   = "yuki-nakamura-example"   // e1004, Sales, reports to e1002
	daniel = "daniel-okafor-example"   // e1005, Sales
	kenji  = "kenji-watanabe-example"  // e1002, head of Sales
	emily  = "emily-carter-example"    // e1003, head of Engineering
	hiro   = "hiroshi-kondo-secureops" // c2001, contractor
	priya  = "priya-raman-secureops"   // c2002, contractor
	bot    = "posture-bot[bot]"        // bot_login in posture.yaml
)

// The reports the base leaves out, for pull requests to add.
const (
	yukiReport   = "reports/2026-11/d-e1004-laptop.yaml"
	danielReport = "reports/2026-11/d-e1005-phone.yaml"
)

var (
	seedAt = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	pushAt = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	// checkAt is when the gate runs: the demo reports are fresh then.
	checkAt = time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
)

// fixture is a clone as the workflows leave it (main, the trusted base,
// checked out; pull request heads fetched as data) and a fake GitHub.
type fixture struct {
	*gittest.Worktree
	t     *testing.T
	gh    *githubtest.Server
	base  plumbing.Hash
	clock *githubtest.Clock
	// attempt bounds one HTTP attempt on the fake clock; shorter than a
	// held answer in the timeout tests.
	attempt time.Duration
	// saved holds the demo's files the base leaves out.
	saved map[string][]byte
}

// newFixture seeds main with a copy of the demo organisation
// (testdata/demo) and the built-in policies and schemas, without yukiReport
// and danielReport.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{Worktree: gittest.Init(t, t.TempDir()), t: t, gh: githubtest.New(t), clock: githubtest.NewClock(seedAt),
		attempt: 5 * time.Second, saved: map[string][]byte{}}
	f.gh.SetClock(f.clock)
	seed := func(tree fs.FS, roots ...string) {
		for _, root := range roots {
			err := fs.WalkDir(tree, root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := fs.ReadFile(tree, p)
				if err != nil {
					return err
				}
				if p == yukiReport || p == danielReport {
					f.saved[p] = data
					return nil
				}
				f.Write(p, string(data))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	seed(posture.Defaults, "policies", "schemas")
	seed(os.DirFS("../../testdata/demo"), "people", "devices", "policies", "reports", "posture.yaml")
	f.base = f.Commit("seed the demo organisation", seedAt)
	return f
}

// branch makes branch from main with change, commits it and checks main
// out again, as the workflow leaves the clone. It returns the head.
func (f *fixture) branch(name string, change func()) plumbing.Hash {
	f.t.Helper()
	f.Checkout(name, true)
	change()
	h := f.Commit("change on "+name, pushAt)
	f.Checkout("main", false)
	return h
}

// push adds a commit with change to an existing branch, as a push to the
// pull request does, and moves the fake's head.
func (f *fixture) push(pr int, name string, change func()) plumbing.Hash {
	f.t.Helper()
	f.Checkout(name, false)
	change()
	h := f.Commit("push to "+name, pushAt.Add(time.Hour))
	f.Checkout("main", false)
	f.gh.PushHead(pr, h.String())
	return h
}

// addReport restores one of the demo reports the base leaves out.
func (f *fixture) addReport(p string) { f.Write(p, string(f.saved[p])) }

// pull opens a pull request for head on GitHub, its base main and its
// files the clone's diff, as GitHub would list them.
func (f *fixture) pull(p githubtest.Pull, head plumbing.Hash) int {
	f.t.Helper()
	p.HeadSHA, p.BaseSHA = head.String(), f.base.String()
	p.Files = append(p.Files, f.files(head)...)
	return f.gh.AddPull(p)
}

func (f *fixture) files(head plumbing.Hash) []githubtest.File {
	f.t.Helper()
	r, err := gitrepo.Open(f.Dir)
	if err != nil {
		f.t.Fatal(err)
	}
	defer r.Close()
	b, _ := r.Resolve(f.base.String())
	h, _ := r.Resolve(head.String())
	mb, err := r.MergeBase(b, h)
	if err != nil {
		f.t.Fatal(err)
	}
	changes, err := r.Changes(mb, h)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []githubtest.File
	for _, c := range changes {
		status := map[gitrepo.Action]string{gitrepo.Added: "added", gitrepo.Modified: "modified", gitrepo.Deleted: "removed"}[c.Action]
		out = append(out, githubtest.File{Filename: c.Path, Status: status, Additions: 1})
	}
	return out
}

// yukiPull opens yuki's pull request adding their November report.
func (f *fixture) yukiPull() (int, plumbing.Hash) {
	head := f.branch("report-e1004", func() { f.addReport(yukiReport) })
	return f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "Report 2026-11 for d-e1004-laptop", Author: yuki},
		Head: "report-e1004"}, head), head
}

// approve adds an approving review of commit by login.
func (f *fixture) review(pr int, login, state string, commit plumbing.Hash) int64 {
	return f.gh.AddReview(pr, githubtest.Review{User: login, State: state, CommitID: commit.String()})
}

// run runs posture with args and -C at the clone, against the fake.
func (f *fixture) run(args ...string) (code int, stdout, stderr string) {
	f.t.Helper()
	var out, errOut bytes.Buffer
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	env := map[string]string{"GITHUB_REPOSITORY": githubtest.Owner + "/" + githubtest.Repo,
		"GITHUB_TOKEN": "ghs_test", "GITHUB_API_URL": f.gh.URL()}
	fac := &Factory{IO: streams, Now: func() time.Time { return checkAt }, Getenv: func(k string) string { return env[k] },
		HTTPClient: f.gh.Client(), TuneGitHub: func(o *forge.Options) {
			o.Sleep, o.Now, o.AfterFunc = f.clock.Sleep, f.clock.Now, f.clock.AfterFunc
			o.AttemptTimeout, o.CreateInterval = f.attempt, time.Millisecond
			o.Log = githubtest.TestLog(f.t)
		}}
	if !slices.Contains(args, "-C") {
		args = append(args, "-C", f.Dir)
	}
	code = Execute(NewCmdRoot(fac), args, streams)
	return code, out.String(), errOut.String()
}

// mustRun runs posture and fails the test unless it exits with code.
func (f *fixture) mustRun(code int, args ...string) (stdout, stderr string) {
	f.t.Helper()
	got, stdout, stderr := f.run(args...)
	if got != code {
		f.t.Fatalf("posture %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, stdout, stderr)
	}
	return stdout, stderr
}
