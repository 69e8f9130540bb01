package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/posture-dev/posture/internal/report"
)

// changed is the report that the pull request of the one-file change edits.
const changed = "reports/" + period + "/d-e000003.yaml"

// diffResult is the one-file change on a small and a large repository.
type diffResult struct {
	small, large int       // reports in each repository
	cmds         []command // small, large
	samples      [][]sample
}

func benchDiff(ctx context.Context, root, work string, c *config, t *tools, logf func(string, ...any)) (*diffResult, error) {
	res := &diffResult{small: 10, large: c.diffN}
	for _, n := range []int{res.small, res.large} {
		dir := filepath.Join(work, "git-"+strconv.Itoa(n))
		if err := os.RemoveAll(dir); err != nil { // a working folder used before
			return nil, err
		}
		logf("one-file change: building a repository of %d reports in %s", n, dir)
		if err := makeRepo(ctx, root, dir, n, c.seed); err != nil {
			return nil, err
		}
		res.cmds = append(res.cmds, command{
			name: fmt.Sprintf("posture check --base (%d reports)", n),
			show: "posture check --at " + c.at + " --base main --head pr",
			dir:  dir, exe: t.posture,
			args: []string{"check", "--at", c.at, "--base", "main", "--head", "pr"},
		})
	}
	// A first run of each checks that exactly the changed report is checked
	// (and warms the file cache).
	for _, cmd := range res.cmds {
		cmd.args = append(cmd.args, "--format", "json")
		var out bytes.Buffer
		if _, _, err := cmd.run(ctx, &out); err != nil {
			return nil, err
		}
		var r report.JSONReport
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: read its output: %w", cmd.name, err)
		}
		if r.Checked != 1 {
			return nil, fmt.Errorf("%s checked %d files, want 1 (%s)", cmd.name, r.Checked, changed)
		}
	}
	logf("one-file change: timing %d runs", c.runs)
	var err error
	res.samples, err = series(ctx, res.cmds, c.runs, logf)
	return res, err
}

// makeRepo makes a Git repository in dir: a generated organisation of n
// employees committed on main, and a branch pr whose one commit adds a line
// to one report. Identities and dates are fixed; the objects are packed, as
// in a clone.
func makeRepo(ctx context.Context, root, dir string, n int, seed uint64) error {
	if _, err := makeOrg(root, dir, n, seed); err != nil {
		return err
	}
	env := append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		// No automatic gc in the background of a commit: the harness packs
		// the objects itself, once, when the repository is complete.
		"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=gc.auto", "GIT_CONFIG_VALUE_0=0",
		"GIT_CONFIG_KEY_1=maintenance.auto", "GIT_CONFIG_VALUE_1=false",
		"GIT_AUTHOR_NAME=posture bench", "GIT_AUTHOR_EMAIL=bench@example.com",
		"GIT_COMMITTER_NAME=posture bench", "GIT_COMMITTER_EMAIL=bench@example.com",
	)
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
