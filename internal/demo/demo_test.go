package demo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/audit"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/overview"
)

// now is the moment the tests make the demo at: the first day of
// December 2026, late afternoon in Tokyo.
var now = time.Date(2026, 12, 1, 7, 46, 5, 0, time.UTC)

// populated makes a stand-in organisation in a temporary folder and fills
// it.
func populated(t *testing.T, s standIn, at time.Time) string {
	t.Helper()
	dir := t.TempDir()
	s.make(t, dir)
	if err := Populate(context.Background(), dir, at); err != nil {
		t.Fatal(err)
	}
	return dir
}

func openRepo(t *testing.T, dir string) *gitrepo.Repo {
	t.Helper()
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// year is the audited year and the current period of a demo made at
// now in loc: the twelve closed periods before now's.
func year(now time.Time, loc *time.Location) (from, to, cur string) {
	n := now.In(loc)
	start := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	return start.AddDate(0, -12, 0).Format("2006-01"), start.AddDate(0, -1, 0).Format("2006-01"), start.Format("2006-01")
}

// plus is the period months after p.
func plus(p string, months int) string {
	t, _ := time.Parse("2006-01", p)
	return t.AddDate(0, months, 0).Format("2006-01")
}

func TestPopulate(t *testing.T) {
	tests := []struct {
		name string
		org  standIn
		now  time.Time
		// exceptions are the periods the exception is in force on the
		// due day, counted from the first period.
		exceptions []int
		// reflog writes the reference logs git writes for the first
		// commit: the audit must not take the replaced commit for a
		// rewritten branch.
		reflog bool
		// more runs the checks of the demo's history as git and the
		// review see it.
		more bool
	}{
		{name: "Tokyo, due on the 10th, on the first of the month, after git init", now: now, exceptions: []int{9, 10, 11}, reflog: true, more: true},
		{name: "Berlin, due on the 5th, after the due day", org: standIn{org: "Beispiel GmbH", timezone: "Europe/Berlin", dueDay: 5},
			now: time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC), exceptions: []int{3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{name: "Los Angeles, due on the 25th, across daylight saving time", org: standIn{org: "Example Inc.", timezone: "America/Los_Angeles", dueDay: 25},
			now: time.Date(2027, 3, 9, 20, 0, 0, 0, time.UTC), exceptions: []int{6, 7, 8, 9, 10, 11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.org.make(t, dir)
			if tt.reflog {
				gitLogs(t, dir)
			}
			if err := Populate(context.Background(), dir, tt.now); err != nil {
				t.Fatal(err)
			}
			loc, err := time.LoadLocation(cmpOr(tt.org.timezone, "Asia/Tokyo"))
			if err != nil {
				t.Fatal(err)
			}
			from, to, cur := year(tt.now, loc)
			var want []string
			for _, m := range tt.exceptions {
				want = append(want, plus(from, m)+" d-e1004-laptop os.supported")
			}
			verify(t, dir, tt.now, from, to, cur, want)
			if tt.more {
				t.Run("git reads it", func(t *testing.T) { gitReadsIt(t, dir) })
				t.Run("the failed report was fixed", func(t *testing.T) { failedReportFixed(t, dir) })
				t.Run("a second run is refused", func(t *testing.T) { refusesHistory(t, dir) })
			}
		})
	}
}

// gitLogs writes the reference logs of the first commit as git does.
func gitLogs(t *testing.T, dir string) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("%s %s Riku Yamada <it-lead@acme.example> 1764579600 +0900\tcommit (initial): Set up posture for Acme\n", plumbing.ZeroHash, head.Hash())
	for _, p := range []string{"logs/HEAD", "logs/refs/heads/main"} {
		full := filepath.Join(dir, ".git", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// verify checks a demo made at now: check is clean, the audit of from to
// to finds the one direct push and the exceptions in force, the overview
// of cur shows work to do, and the work tree is HEAD's.
func verify(t *testing.T, dir string, now time.Time, from, to, cur string, exceptions []string) {
	ctx := context.Background()
	t.Run("check is clean", func(t *testing.T) {
		res, err := check.Full(ctx, check.Options{Dir: dir, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			t.Errorf("%s:%d:%d: %s [%s]", f.File, f.Line, f.Column, f.Message, f.Rule)
		}
		if res.Checked < 150 {
			t.Errorf("checked %d files; want a year of reports", res.Checked)
		}
	})

	t.Run("audit of the year", func(t *testing.T) {
		a, err := audit.Run(ctx, audit.Options{Repo: openRepo(t, dir), From: from, To: to, Version: "test",
			Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		direct := "reports/" + plus(from, directMonth) + "/d-e1010-laptop.yaml"
		if len(a.Findings) != 1 || a.Findings[0].Rule != "audit.direct_push" || a.Findings[0].Path != direct {
			t.Errorf("findings: want the one direct push of %s, got", direct)
			for _, f := range a.Findings {
				t.Errorf("  %s %s %s: %s", f.Severity, f.Rule, f.Path, f.Message)
			}
		}
		var late []string
		statuses := map[string]int{}
		for _, row := range a.Evidence {
			statuses[row.Status]++
			if row.Late {
				late = append(late, row.Path)
			}
			if row.Status == audit.Accepted && (row.Recheck == nil || row.Recheck.Result != audit.Pass) {
				t.Errorf("%s: re-check %+v, want pass", row.Path, row.Recheck)
			}
			if !row.InPopulation {
				t.Errorf("%s is not in the population of %s", row.Path, row.Period)
			}
		}
		if want := []string{"reports/" + plus(from, lateMonth) + "/d-e1008-laptop.yaml"}; !slices.Equal(late, want) {
			t.Errorf("late reports %v, want %v", late, want)
		}
		if statuses[audit.Unaccepted] != 1 || statuses[audit.Missing] != 0 || statuses[audit.Accepted] < 180 {
			t.Errorf("statuses %v: want all accepted but the direct push", statuses)
		}
		var excepted []string
		for _, e := range a.Exceptions {
			excepted = append(excepted, e.Period+" "+e.Device+" "+e.Rule)
		}
		if !slices.Equal(excepted, exceptions) {
			t.Errorf("exceptions in force %v, want %v", excepted, exceptions)
		}
		if len(a.Periods) != 12 || a.Periods[0].Devices != 15 || a.Periods[11].Devices != 19 {
			t.Errorf("periods %+v", a.Periods)
		}
		if a.Scope.Merges < 140 {
			t.Errorf("%d evidence merges; want one per person and month", a.Scope.Merges)
		}
	})

	t.Run("overview of the current period", func(t *testing.T) {
		o, err := overview.Build(ctx, overview.Options{Repo: openRepo(t, dir), Period: cur, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		merged := 0
		for _, d := range o.Devices {
			if d.Accepted == "" {
				continue
			}
			merged++
			if d.Result != overview.Pass {
				t.Errorf("%s: %s %v", d.Device, d.Result, d.Rules)
			}
		}
		if merged == 0 || merged == len(o.Devices) {
			t.Errorf("%d of %d devices reported: want some reported and some not yet", merged, len(o.Devices))
		}
	})

	t.Run("work tree matches HEAD", func(t *testing.T) {
		repo, err := git.PlainOpen(dir)
		if err != nil {
			t.Fatal(err)
		}
		wt, err := repo.Worktree()
		if err != nil {
			t.Fatal(err)
		}
		st, err := wt.Status()
		if err != nil {
			t.Fatal(err)
		}
		if !st.IsClean() {
			t.Errorf("go-git status:\n%s", st)
		}
	})
}

// gitReadsIt checks the demo with git itself, when it is installed.
func gitReadsIt(t *testing.T, dir string) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := gitRun("fsck", "--strict", "--no-dangling"); out != "" {
		t.Errorf("git fsck:\n%s", out)
	}
	if out := gitRun("status", "--porcelain"); out != "" {
		t.Errorf("git status:\n%s", out)
	}
	if n := strings.Count(gitRun("log", "--oneline", "--first-parent", "main"), "\n"); n < 150 {
		t.Errorf("git log --first-parent shows %d commits", n)
	}
	graph := gitRun("log", "--graph", "--oneline", "-n", "40")
	if !strings.Contains(graph, "|\\") {
		t.Errorf("git log --graph shows no merged branches:\n%s", graph)
	}
	if out := gitRun("log", "--oneline", "--grep", "Run a full scan"); strings.Count(out, "\n") != 1 {
		t.Errorf("the fix of the failing report: %q", out)
	}
}

func TestPopulateIsDeterministic(t *testing.T) {
	head := func() string {
		dir := populated(t, standIn{}, now)
		c, err := openRepo(t, dir).Resolve("HEAD")
		if err != nil {
			t.Fatal(err)
		}
		return c.Hash.String()
	}
	if a, b := head(), head(); a != b {
		t.Errorf("two runs made %s and %s", a, b)
	}
}

// refusesHistory checks that a second run refuses the repository.
func refusesHistory(t *testing.T, dir string) {
	err := Populate(context.Background(), dir, now)
	if err == nil || !strings.Contains(err.Error(), "has history already") {
		t.Errorf("second Populate: %v", err)
	}
}

// failedReportFixed checks the pull request whose first commit fails
// posture check on its day and whose second, merged, passes.
func failedReportFixed(t *testing.T, dir string) {
	r := openRepo(t, dir)
	path := "reports/2026-03/d-e1003-laptop.yaml"
	var fix *object.Commit
	commits, err := r.Resolve("main")
	if err != nil {
		t.Fatal(err)
	}
	err = object.NewCommitPreorderIter(commits, nil, nil).ForEach(func(c *object.Commit) error {
		if strings.HasPrefix(c.Message, "Run a full scan") {
			fix = c
		}
		return nil
	})
	if err != nil || fix == nil {
		t.Fatalf("no fix commit (%v)", err)
	}
	first, err := fix.Parent(0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		c     *object.Commit
		rules []string
	}{
		{"the first commit fails", first, []string{"scan.full_age"}},
		{"the fix passes", fix, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys, err := r.TreeFS(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			j, err := check.NewJudge(context.Background(), fsys)
			if err != nil {
				t.Fatal(err)
			}
			day := j.Settings().Date(tt.c.Committer.When)
			fs, err := j.Check(context.Background(), fsys, []string{path}, func(string) string { return day })
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range fs {
				rules = append(rules, f.Rule)
			}
			if !slices.Equal(rules, tt.rules) {
				t.Errorf("%s on %s: rules %v, want %v", path, day, rules, tt.rules)
			}
		})
	}
}

// TestPopulateWithoutSupportedOS refuses a now beyond the OS table, rather
// than making reports that fail.
func TestPopulateWithoutSupportedOS(t *testing.T) {
	dir := t.TempDir()
	standIn{}.make(t, dir)
	err := Populate(context.Background(), dir, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if err == nil || !strings.Contains(err.Error(), configPath) {
		t.Errorf("Populate in 2031: %v, want an error naming %s", err, configPath)
	}
}

func BenchmarkPopulate(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		standIn{}.make(b, dir)
		b.StartTimer()
		if err := Populate(context.Background(), dir, now); err != nil {
			b.Fatal(err)
		}
	}
}
