package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/posture-dev/posture/bench/equiv"
	"github.com/posture-dev/posture/internal/report"
	"github.com/posture-dev/posture/internal/synth"
)

// flagged is what one tool failed: file -> rules, sorted.
type flagged map[string][]string

func (f flagged) add(file, rule string) {
	if !slices.Contains(f[file], rule) {
		f[file] = append(f[file], rule)
		slices.Sort(f[file])
	}
}

// agree runs every command once with machine-readable output and checks
// that each fails exactly the files the generator planted, each for its
// rule, and that conftest and opa eval with posture's rules deny exactly the
// (file, rule) pairs that posture check reports does. The runs also warm the
// file cache for the timed runs.
func agree(ctx context.Context, cmds []command, exp synth.Expect, logf func(string, ...any)) error {
	var problems []string
	sets := make([]flagged, len(cmds))
	for i, c := range cmds {
		var out bytes.Buffer
		var parse func([]byte) (flagged, error)
		switch i {
		case postureAll, postureReports:
			c.args = append(slices.Clone(c.args), "--format", "json")
			parse = parsePosture
		case conftestRun, conftestPosture:
			c.args = append(slices.Clone(c.args), "-o", "json")
			parse = parseConftest
		case floorRun:
			parse = parseFloor
		case opaEval:
			parse = parseOPA
		}
		if _, _, err := c.run(ctx, &out); err != nil {
			return err
		}
		got, err := parse(out.Bytes())
		if err != nil {
			return fmt.Errorf("%s: read its output: %w", c.name, err)
		}
		sets[i] = got
		p := compare(exp, got)
		for _, line := range p {
			problems = append(problems, c.name+": "+line)
		}
		logf("  %s: %d failing files, %d disagreements", c.name, len(got), len(p))
	}
	for _, i := range []int{conftestPosture, opaEval} {
		if i < len(cmds) {
			for _, line := range differ(sets[postureReports], sets[i]) {
				problems = append(problems, cmds[i].name+" against "+cmds[postureReports].name+": "+line)
			}
		}
	}
	if err := disagreement(problems, len(exp)); err != nil {
		return err
	}
	logf("  agreement: every tool fails the same %d files, each for its planted rule", len(exp))
	return nil
}

// disagreement is the error that lists problems, or nil.
func disagreement(problems []string, planted int) error {
	if len(problems) == 0 {
		return nil
	}
	if len(problems) > 60 {
		problems = append(problems[:60], fmt.Sprintf("... and %d more", len(problems)-60))
	}
	return fmt.Errorf("the tools disagree (%d planted failures):\n%s", planted, strings.Join(problems, "\n"))
}

// differ lists the (file, rule) pairs that one of want and got denies and
// the other does not.
func differ(want, got flagged) []string {
	var out []string
	files := slices.Sorted(maps.Keys(want))
	for f := range maps.Keys(got) {
		if _, ok := want[f]; !ok {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	for _, f := range files {
		for _, r := range want[f] {
			if !slices.Contains(got[f], r) {
				out = append(out, fmt.Sprintf("%s: passes %s, want it denied", f, r))
			}
		}
		for _, r := range got[f] {
			if !slices.Contains(want[f], r) {
				out = append(out, fmt.Sprintf("%s: denies %s, want it passed", f, r))
			}
		}
	}
	return out
}

// compare lists the differences between the planted failures and got.
func compare(exp synth.Expect, got flagged) []string {
	var out []string
	for _, f := range slices.Sorted(maps.Keys(exp)) {
		switch rules := got[f]; {
		case len(rules) == 0:
			out = append(out, fmt.Sprintf("%s: passes, want %s", f, exp[f]))
		case len(rules) != 1 || rules[0] != exp[f]:
			out = append(out, fmt.Sprintf("%s: fails %s, want %s", f, strings.Join(rules, ", "), exp[f]))
		}
	}
	for _, f := range slices.Sorted(maps.Keys(got)) {
		if _, ok := exp[f]; !ok {
			out = append(out, fmt.Sprintf("%s: fails %s, want no failure", f, strings.Join(got[f], ", ")))
		}
	}
	return out
}

// parsePosture reads posture's --format json: the files with deny findings.
func parsePosture(b []byte) (flagged, error) {
	var r report.JSONReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	got := flagged{}
	for _, f := range r.Findings {
		if f.Severity == "deny" {
			got.add(f.File, f.Rule)
		}
	}
	return got, nil
}

// parseConftest reads conftest's -o json: the files with failures, their
// rules from the messages' "rule: " prefix.
func parseConftest(b []byte) (flagged, error) {
	var rs []struct {
		Filename string `json:"filename"`
		Failures []struct {
			Msg string `json:"msg"`
		} `json:"failures"`
	}
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, err
	}
	got := flagged{}
	for _, r := range rs {
		for _, f := range r.Failures {
			got.add(r.Filename, equiv.Rule(f.Msg))
		}
	}
	return got, nil
}

// parseFloor reads the floor's "path<TAB>message" lines.
func parseFloor(b []byte) (flagged, error) {
	got := flagged{}
	for line := range strings.Lines(string(b)) {
		file, msg, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if !ok {
			return nil, fmt.Errorf("unexpected line %q", line)
		}
		got.add(file, equiv.Rule(msg))
	}
	return got, nil
}

// parseOPA reads the JSON that opa eval writes for data.bench.denied: a set
// of [path, rule, message].
func parseOPA(b []byte) (flagged, error) {
	var r struct {
		Result []struct {
			Expressions []struct {
				Value [][]string `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if len(r.Result) != 1 || len(r.Result[0].Expressions) != 1 {
		return nil, fmt.Errorf("want one result with one expression, got %s", tail(string(b)))
	}
	got := flagged{}
	for _, v := range r.Result[0].Expressions[0].Value {
		if len(v) != 3 {
			return nil, fmt.Errorf("unexpected value %q, want [path, rule, message]", v)
		}
		got.add(v[0], v[1])
	}
	return got, nil
}
