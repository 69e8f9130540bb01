package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/posture-dev/posture/internal/report"
)

// warmResult is a second full check of an unchanged repository beside
// reading its files.
type warmResult struct {
	n     int  // employees of the repository
	cache bool // posture check took --cache
	timed      // posture check, read
}

// readFiles reads every file Git tracks in the repository, the floor of a
// full check that reads each file once.
const readFiles = "git ls-files -z | xargs -0 cat >/dev/null"

// benchWarm times `posture check` of an unchanged repository that posture
// has checked before (with --cache DIR when posture check takes it, the
// folder filled by the first check) against reading the files it holds.
// The first and a second check must find the same.
func benchWarm(ctx context.Context, repos *repoSet, c *config, t *tools, logf func(string, ...any)) (*warmResult, error) {
	dir, err := repos.get(ctx, c.warmN)
	if err != nil {
		return nil, err
	}
	res := &warmResult{n: c.warmN, cache: t.checkCache}
	check := command{name: "posture check, again", show: "posture check --at " + c.at,
		dir: dir, exe: t.posture, args: []string{"check", "--at", c.at}}
	if t.checkCache {
		cache := filepath.Join(repos.work, "cache-warm")
		if err := os.RemoveAll(cache); err != nil {
			return nil, err
		}
		check.args = append(check.args, "--cache", cache)
		check.show += " --cache $FILLED"
		check.name = "posture check, again, with its cache"
	}
	// The first check (which fills the cache) and a second must agree.
	var first []report.JSONFinding
	for i := range 2 {
		cmd := check
		cmd.args = append(slices.Clone(cmd.args), "--format", "json")
		var out bytes.Buffer
		if _, _, err := cmd.run(ctx, &out); err != nil {
			return nil, err
		}
		var r report.JSONReport
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: read its output: %w", cmd.name, err)
		}
		if i == 0 {
			first = r.Findings
		} else if !reflect.DeepEqual(first, r.Findings) {
			return nil, fmt.Errorf("a second posture check of the unchanged repository %s finds %d findings, the first %d: they differ", dir, len(r.Findings), len(first))
		}
	}
	res.cmds = []command{check, {name: "read the files", show: readFiles, dir: dir, exe: "sh", args: []string{"-c", readFiles}}}
	logf("second full check: timing %d runs", c.runs)
	return res, res.time(ctx, c.runs, logf)
}
