package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/posture-dev/posture/internal/synth"
)

// sizeResult is the agreement check and the timings of one size N.
type sizeResult struct {
	n       int
	refDate string
	big     bool           // above -tools-max: posture alone
	failing map[string]int // planted failures by rule
	cmds    []command      // indexed by the constants below (big: the first two)
	samples [][]sample
	load    string // load average when the timing started
}

// The commands of a size, in the order of sizeResult.cmds.
const (
	postureAll = iota
	postureReports
	conftestRun
	floorRun
	conftestPosture
	opaEval
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
	res := &sizeResult{n: n, refDate: ref, big: n > c.toolsMax, failing: map[string]int{}}
	for _, rule := range exp {
		res.failing[rule]++
	}
	res.cmds = []command{
		t.cold(command{name: "posture check", exe: t.posture, args: []string{"check", "--at", c.at},
			show: "posture check --at " + c.at}, t.checkCache, filepath.Join(base, "cache-all")),
		t.cold(command{name: "posture check reports", exe: t.posture, args: []string{"check", "--at", c.at, "reports"},
			show: "posture check --at " + c.at + " reports"}, t.checkCache, filepath.Join(base, "cache-reports")),
	}
	if res.big {
		return benchBig(ctx, res, base, org, exp, c, logf)
	}
	logf("N=%d: posture's rules for conftest and opa eval", n)
	rf, err := writePostureRules(org, base, c.at)
	if err != nil {
		return nil, err
	}
	res.cmds = append(res.cmds,
		command{name: "conftest test", exe: t.conftest, args: []string{"test", "--data", data, "-p", t.policy, "reports"},
			show: "conftest test --data ../registry.json -p $REPO/bench/conftest/policy reports"},
		command{name: "floor", exe: t.floor, args: []string{"-data", data, "-p", t.policy, "reports"},
			show: "floor -data ../registry.json -p $REPO/bench/conftest/policy reports"},
		command{name: "conftest test, posture's rules", exe: t.conftest,
			args: []string{"test", "--data", rf.data, "-p", rf.rules, "-p", rf.derived, "-p", filepath.Join(t.shim, "main.rego"), "reports"},
			show: "conftest test --data ../posture-data.json -p ../rules -p ../derived-data.rego -p $REPO/bench/shim/main.rego reports"},
		command{name: "opa eval, posture's rules", exe: t.opa,
			args: []string{"eval", "--data", rf.rules, "--data", rf.derived, "--data", filepath.Join(t.shim, "combined.rego"),
				"--data", rf.data, "--input", rf.input, "--format", "json", "data.bench.denied"},
			show: "opa eval --data ../rules --data ../derived-data.rego --data $REPO/bench/shim/combined.rego --data ../posture-data.json --input ../input.json --format json data.bench.denied"},
	)
	for i := range res.cmds {
		res.cmds[i].dir = org
	}
	logf("N=%d: agreement check", n)
	if err := agree(ctx, res.cmds, exp, logf); err != nil {
		return nil, err
	}
	logf("N=%d: timing %d runs", n, c.runs)
	res.load = loadavg()
	if res.samples, err = series(ctx, res.cmds, c.runs, logf); err != nil {
		return nil, err
	}
	return res, nil
}

// benchBig times posture alone on a size above -tools-max, -big-runs
// times, and checks the JSON output of its last run against the planted
// failures (one run of 100,000 reports takes minutes: the agreement check
// is the timed run).
func benchBig(ctx context.Context, res *sizeResult, base, org string, exp synth.Expect, c *config, logf func(string, ...any)) (*sizeResult, error) {
	for i := range res.cmds {
		res.cmds[i].dir = org
		res.cmds[i].args = append(res.cmds[i].args, "--format", "json")
		res.cmds[i].show += " --format json"
		res.cmds[i].stdout = filepath.Join(base, fmt.Sprintf("out-%d.json", i))
	}
	logf("N=%d: timing posture alone, %d run(s)", res.n, c.bigRuns)
	res.load = loadavg()
	var err error
	if res.samples, err = series(ctx, res.cmds, c.bigRuns, logf); err != nil {
		return nil, err
	}
	var problems []string
	for _, cmd := range res.cmds {
		b, err := os.ReadFile(cmd.stdout)
		if err != nil {
			return nil, err
		}
		got, err := parsePosture(b)
		if err != nil {
			return nil, fmt.Errorf("%s: read its output: %w", cmd.name, err)
		}
		for _, line := range compare(exp, got) {
			problems = append(problems, cmd.name+": "+line)
		}
	}
	if err := disagreement(problems, len(exp)); err != nil {
		return nil, err
	}
	logf("  agreement: posture fails the %d planted files, each for its rule", len(exp))
	return res, nil
}

// cold makes cmd run without a result cache: when posture's command takes
// --cache, it gets a folder of its own, emptied (and made again, should
// posture want it to exist) before each run.
func (t *tools) cold(cmd command, takes bool, dir string) command {
	if !takes {
		return cmd
	}
	cmd.args = append(cmd.args, "--cache", dir)
	cmd.show += " --cache $EMPTY"
	cmd.before = func() error {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		return os.MkdirAll(dir, 0o755)
	}
	return cmd
}
