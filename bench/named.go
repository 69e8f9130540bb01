package main

import (
	"context"
	"fmt"
	"path/filepath"
)

// namedResult is `posture check PATH` of one report in a small and a large
// organisation.
type namedResult struct {
	small, large int // reports in each repository
	timed            // small, large
}

// benchNamed times `posture check PATH` of one report (the report the
// one-file pull request changes, as it stands on main) in the Git
// repository of 10 employees and in that of -named-n, interleaved: the
// check of one file should cost what that file's records need, whatever
// the size of the organisation.
func benchNamed(ctx context.Context, repos *repoSet, c *config, t *tools, logf func(string, ...any)) (*namedResult, error) {
	res := &namedResult{small: 10, large: c.namedN}
	for _, n := range []int{res.small, res.large} {
		dir, err := repos.get(ctx, n)
		if err != nil {
			return nil, err
		}
		res.cmds = append(res.cmds, t.cold(command{
			name: fmt.Sprintf("posture check PATH (%s reports)", count(n)),
			show: "posture check --at " + c.at + " " + changed,
			dir:  dir, exe: t.posture,
			args: []string{"check", "--at", c.at, changed},
		}, t.checkCache, filepath.Join(repos.work, fmt.Sprintf("cache-named-%d", n))))
	}
	for _, cmd := range res.cmds {
		if err := checksOne(ctx, cmd); err != nil {
			return nil, err
		}
	}
	logf("posture check PATH: timing %d runs", c.runs)
	return res, res.time(ctx, c.runs, logf)
}
