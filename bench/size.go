package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
)

// sizeResult is the agreement check and the timings of one size N.
type sizeResult struct {
	n       int
	refDate string
	failing map[string]int // planted failures by rule
	cmds    []command      // postureAll, postureReports, conftest, floor
	samples [][]sample
}

// The commands of a size, in the order of sizeResult.cmds.
const (
	postureAll = iota
	postureReports
	conftestRun
	floorRun
)

func benchSize(ctx context.Context, root, work string, n int, c *config, t *tools, logf func(string, ...any)) (*sizeResult, error) {
	base := filepath.Join(work, "n"+strconv.Itoa(n))
	org := filepath.Join(base, "org")
	data := filepath.Join(base, "registry.json")
	if err := os.RemoveAll(base); err != nil { // a working folder used before
		return nil, err
	}
	logf("N=%d: generating %s", n, org)
	exp, err := makeOrg(root, org, n, c.seed)
	if err != nil {
		return nil, err
	}
	ref, err := writeData(org, data)
	if err != nil {
		return nil, err
	}
	res := &sizeResult{n: n, refDate: ref, failing: map[string]int{}}
	for _, rule := range exp {
		res.failing[rule]++
	}
	res.cmds = []command{
		{name: "posture check", exe: t.posture, args: []string{"check", "--at", c.at},
			show: "posture check --at " + c.at},
		{name: "posture check reports", exe: t.posture, args: []string{"check", "--at", c.at, "reports"},
			show: "posture check --at " + c.at + " reports"},
		{name: "conftest test", exe: t.conftest, args: []string{"test", "--data", data, "-p", t.policy, "reports"},
			show: "conftest test --data ../registry.json -p $REPO/bench/conftest/policy reports"},
		{name: "floor", exe: t.floor, args: []string{"-data", data, "-p", t.policy, "reports"},
			show: "floor -data ../registry.json -p $REPO/bench/conftest/policy reports"},
	}
	for i := range res.cmds {
		res.cmds[i].dir = org
	}
	logf("N=%d: agreement check", n)
	if err := agree(ctx, res.cmds, exp, logf); err != nil {
		return nil, err
	}
	logf("N=%d: timing %d runs", n, c.runs)
	if res.samples, err = series(ctx, res.cmds, c.runs, logf); err != nil {
		return nil, err
	}
	return res, nil
}
