package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/posture-dev/posture/internal/report"
)

// changed is the report that the pull request of the one-file change edits.
const changed = "reports/" + period + "/d-e000003.yaml"

// timed is a set of commands timed together, interleaved.
type timed struct {
	cmds    []command
	samples [][]sample
	load    string // load average when the timing started
}

func (g *timed) time(ctx context.Context, runs int, logf func(string, ...any)) error {
	g.load = loadavg()
	var err error
	g.samples, err = series(ctx, g.cmds, runs, logf)
	return err
}

// ratio is the median of the paired ratios f(cmds[a], cmds[b]).
func (g *timed) ratio(a, b int, f func(a, b sample) float64) stat {
	return summarise(paired(g.samples[a], g.samples[b], f))
}

// diffResult is the one-file pull request on a small and a large repository.
type diffResult struct {
	small, large int // reports in each repository
	timed            // small, large
}

// repoSet builds the Git repositories of generated organisations, once per
// size, for the commands that need a history.
type repoSet struct {
	root, work string
	seed       uint64
	logf       func(string, ...any)
	built      map[int]string
}

// get returns the repository of n employees, building it the first time.
func (s *repoSet) get(ctx context.Context, n int) (string, error) {
	if dir, ok := s.built[n]; ok {
		return dir, nil
	}
	dir := filepath.Join(s.work, "git-"+strconv.Itoa(n))
	if err := os.RemoveAll(dir); err != nil { // a working folder used before
		return "", err
	}
	s.logf("building a Git repository of %s employees in %s", count(n), dir)
	if err := makeRepo(ctx, s.root, dir, n, s.seed); err != nil {
		return "", err
	}
	if s.built == nil {
		s.built = map[int]string{}
	}
	s.built[n] = dir
	return dir, nil
}

func benchDiff(ctx context.Context, repos *repoSet, c *config, t *tools, logf func(string, ...any)) (*diffResult, error) {
	res := &diffResult{small: 10, large: c.diffN}
	for _, n := range []int{res.small, res.large} {
		dir, err := repos.get(ctx, n)
		if err != nil {
			return nil, err
		}
		res.cmds = append(res.cmds, t.cold(command{
			name: fmt.Sprintf("posture check --base (%s reports)", count(n)),
			show: "posture check --at " + c.at + " --base main --head pr",
			dir:  dir, exe: t.posture,
			args: []string{"check", "--at", c.at, "--base", "main", "--head", "pr"},
		}, t.checkCache, filepath.Join(repos.work, fmt.Sprintf("cache-diff-%d", n))))
	}
	// A first run of each checks that exactly the changed report is checked
	// (and warms the file cache).
	for _, cmd := range res.cmds {
		if err := checksOne(ctx, cmd); err != nil {
			return nil, err
		}
	}
	logf("one-file pull request: timing %d runs", c.runs)
	return res, res.time(ctx, c.runs, logf)
}

// checksOne runs cmd once with JSON output and checks that it checked
// exactly one file.
func checksOne(ctx context.Context, cmd command) error {
	cmd.args = append(slices.Clone(cmd.args), "--format", "json")
	var out bytes.Buffer
	if _, _, err := cmd.run(ctx, &out); err != nil {
		return err
	}
	var r report.JSONReport
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return fmt.Errorf("%s: read its output: %w", cmd.name, err)
	}
	if r.Checked != 1 {
		return fmt.Errorf("%s checked %d files, want 1 (%s)", cmd.name, r.Checked, changed)
	}
	return nil
}

// makeRepo makes a Git repository in dir: a generated organisation of n
// employees committed on main, and a branch pr whose one commit adds a line
// to one report. Identities and dates are fixed; the objects are packed, as
// in a clone.
func makeRepo(ctx context.Context, root, dir string, n int, seed uint64) error {
	if _, err := makeOrg(root, dir, n, seed); err != nil {
		return err
	}
	env := gitEnv()
	at := func(date string) []string {
		return append(env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	steps := []struct {
		env  []string
		args []string
	}{
		{env, []string{"init", "-q", "-b", "main"}},
		{env, []string{"add", "-A"}},
		{at("2026-11-09T01:00:00Z"), []string{"commit", "-q", "-m", "seed"}},
		{env, []string{"checkout", "-q", "-b", "pr"}},
	}
	for _, s := range steps {
		if _, err := output(ctx, dir, s.env, "git", s.args...); err != nil {
			return err
		}
	}
	p := filepath.Join(dir, filepath.FromSlash(changed))
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, append(b, "concerns: changed\n"...), 0o644); err != nil {
		return err
	}
	for _, s := range []struct {
		env  []string
		args []string
	}{
		{at("2026-11-11T01:00:00Z"), []string{"commit", "-q", "-am", "change one report"}},
		{env, []string{"checkout", "-q", "main"}},
		{env, []string{"gc", "-q"}},
	} {
		if _, err := output(ctx, dir, s.env, "git", s.args...); err != nil {
			return err
		}
	}
	return nil
}

// gitEnv is the environment of the harness's git commands: no user or
// system configuration, a fixed identity, and no automatic gc in the
// background of a commit (the harness packs the objects itself, once, when a
// repository is complete).
func gitEnv() []string {
	return append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=gc.auto", "GIT_CONFIG_VALUE_0=0",
		"GIT_CONFIG_KEY_1=maintenance.auto", "GIT_CONFIG_VALUE_1=false",
		"GIT_AUTHOR_NAME=posture bench", "GIT_AUTHOR_EMAIL=bench@example.com",
		"GIT_COMMITTER_NAME=posture bench", "GIT_COMMITTER_EMAIL=bench@example.com",
	)
}
