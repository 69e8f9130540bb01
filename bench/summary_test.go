package main

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// summaryNames are the names of the block that closes RESULTS.md, as issue
// 13 lists them: a script reads them, so they must not change.
var summaryNames = []string{
	"cpu conftest-posture-rules/posture",
	"cpu conftest-3-rules/posture",
	"peak posture/conftest-3-rules",
	"peak-100k MiB",
	"one-file-pr 100k/10",
	"named-file 10k/10",
	"audit-merges/git-log cold",
	"audit-merges/git-log warm",
	"full-check warm/read",
}

// samples makes runs samples of wall w seconds, CPU c seconds and peak m MiB.
func samples(runs int, w, c, m float64) []sample {
	out := make([]sample, runs)
	for i := range out {
		out[i] = sample{wall: time.Duration(w * float64(time.Second)), cpu: time.Duration(c * float64(time.Second)), rss: int64(m * (1 << 20))}
	}
	return out
}

func group(n int, ss ...[]sample) timed {
	g := timed{samples: ss, load: "1.00 1.00 1.00"}
	for i := range ss {
		g.cmds = append(g.cmds, command{name: "cmd " + string(rune('a'+i)), show: "cmd " + string(rune('a'+i))})
	}
	return g
}

// fullResults is a run of every part at the sizes, with figures
// chosen so that each line of the block has its own value.
func fullResults() *results {
	cmds := make([]command, 6)
	for i := range cmds {
		cmds[i] = command{name: "c" + string(rune('0'+i)), show: "c" + string(rune('0'+i))}
	}
	compared := &sizeResult{n: 10000, refDate: "2026-11-10", failing: map[string]int{"scan.full_age": 1}, cmds: cmds, load: "1 1 1",
		samples: [][]sample{
			postureAll:      samples(3, 5, 9, 300),
			postureReports:  samples(3, 3, 4, 200),
			conftestRun:     samples(3, 4, 6, 100),
			floorRun:        samples(3, 1, 2, 40),
			conftestPosture: samples(3, 10, 14, 250),
			opaEval:         samples(3, 2, 2, 290),
		}}
	big := &sizeResult{n: 100000, big: true, failing: map[string]int{}, cmds: cmds[:2], load: "1 1 1",
		samples: [][]sample{samples(1, 200, 300, 2355), samples(1, 150, 200, 2000)}}
	return &results{
		config:  &config{runs: 3, bigRuns: 1, toolsMax: 10000, at: "2026-11-12"},
		tools:   &tools{},
		sizes:   []*sizeResult{{n: 100, failing: map[string]int{}, cmds: cmds, samples: compared.samples}, compared, big},
		diff:    &diffResult{small: 10, large: 100000, timed: group(2, samples(3, 0.1, 0.1, 30), samples(3, 0.66, 0.5, 40))},
		named:   &namedResult{small: 10, large: 10000, timed: group(2, samples(3, 0.1, 0.1, 30), samples(3, 2.07, 2, 60))},
		warm:    &warmResult{n: 10000, cache: true, timed: group(2, samples(3, 0.9, 1, 100), samples(3, 0.5, 0.2, 4))},
		audit:   &auditResult{history: history{Commits: 20000, Devices: 2000}, cache: true, timed: group(3, samples(3, 13.8, 14, 673), samples(3, 3, 3, 200), samples(3, 1, 1, 5))},
		started: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC),
	}
}

// block returns the lines of the closing block of md, and checks that md
// ends with it.
func block(t *testing.T, md string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	if len(lines) < len(summaryNames)+2 {
		t.Fatalf("%d lines", len(lines))
	}
	b := lines[len(lines)-len(summaryNames)-2:]
	if b[0] != "```text" || b[len(b)-1] != "```" {
		t.Fatalf("RESULTS.md does not end with a text block:\n%s", strings.Join(b, "\n"))
	}
	return b[1 : len(b)-1]
}

func TestSummaryBlock(t *testing.T) {
	want := []string{
		"cpu conftest-posture-rules/posture: 3.50", // 14 / 4
		"cpu conftest-3-rules/posture: 1.50",       // 6 / 4
		"peak posture/conftest-3-rules: 2.00",      // 200 / 100
		"peak-100k MiB: 2355",
		"one-file-pr 100k/10: 6.60",
		"named-file 10k/10: 20.70",
		"audit-merges/git-log cold: 13.80",
		"audit-merges/git-log warm: 3.00",
		"full-check warm/read: 1.80",
	}
	r := fullResults()
	md := r.markdown()
	got := block(t, md)
	if !slices.Equal(got, want) {
		t.Errorf("the block is\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, line := range got {
		if name, _, _ := strings.Cut(line, ": "); name != summaryNames[i] {
			t.Errorf("line %d is named %q, want %q", i+1, name, summaryNames[i])
		}
	}
	if strings.Contains(md, "Not on the issue's sizes") {
		t.Error("a run on the issue's sizes says it is not")
	}
}

func TestSummaryBlockOfAPartialRun(t *testing.T) {
	r := fullResults()
	r.sizes = r.sizes[:1] // 100 reports, nothing larger
	r.diff, r.named, r.audit = nil, nil, nil
	r.warm.cache = false
	md := r.markdown()
	got := block(t, md)
	want := []string{
		"cpu conftest-posture-rules/posture: 3.50",
		"cpu conftest-3-rules/posture: 1.50",
		"peak posture/conftest-3-rules: 2.00",
		"peak-100k MiB: 300", // posture check at the largest size, 100
		"one-file-pr 100k/10: n/a",
		"named-file 10k/10: n/a",
		"audit-merges/git-log cold: n/a",
		"audit-merges/git-log warm: n/a",
		"full-check warm/read: 1.80",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the block is\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(md, "| 1.50× (100 reports) | not the issue's size |") {
		t.Error("the targets table judges a figure of another size")
	}
	for _, note := range []string{"cpu conftest-posture-rules/posture (100 reports)", "peak-100k MiB (100 reports)", "full-check warm/read (no cache: a second run)"} {
		if !strings.Contains(md, note) {
			t.Errorf("RESULTS.md does not say %q", note)
		}
	}
}

func TestFigureText(t *testing.T) {
	for _, tt := range []struct {
		f    figure
		want string
	}{
		{figure{value: 2.345}, "2.35"},
		{figure{value: 2355.4, mib: true}, "2355"},
		{figure{value: math.NaN()}, "n/a"},
	} {
		if got := tt.f.text(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.f, got, tt.want)
		}
	}
}
