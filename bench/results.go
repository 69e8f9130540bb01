package main

import (
	"fmt"
	"strings"
	"time"
)

// results is everything RESULTS.md reports.
type results struct {
	config  *config
	tools   *tools
	machine machine
	started time.Time

	loadStart, loadEnd string // load averages when the run started and ended
	sizes              []*sizeResult
	diff               *diffResult
}

// The targets of issue 6.
const (
	targetSpeed    = 5.0 // conftest / posture at 10,000 reports, at least
	aimSpeed       = 10.0
	targetDiff     = 1.5 // one-file change, 10,000 / 10 reports, at most
	targetMemRatio = 0.5 // posture's peak memory / conftest's, at most
)

func (r *results) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	c, t, m := r.config, r.tools, r.machine

	p("# Benchmark results")
	p("")
	p("posture side by side with conftest and the floor on generated organisations (issue 6), written by the")
	p("harness in this folder: [README.md](README.md) says what each row runs and how to run it again.")
	p("")
	p("- **Command:** `go run ./bench %s` from the repository's root", strings.Join(c.args, " "))
	p("- **Date:** %s", r.started.UTC().Format("2006-01-02 15:04 MST"))
	p("- **Machine:** %s, %d cores; %s", m.cpu, m.cores, m.os)
	if r.loadStart != "" {
		p("- **Load average** (1, 5, 15 min; other work on the machine): %s at the start, %s at the end", r.loadStart, r.loadEnd)
	}
	p("- **Go:** %s", m.goVer)
	p("- **posture:** %s, built with `go build ./cmd/posture`", m.posture)
	p("- **conftest:** %s (OPA %s), installed with `%s`", t.conftestVersion, t.conftestOPA, t.install)
	p("- **Runs:** %d of each command, interleaved (each run runs every command once, starting with a different one);", c.runs)
	p("  figures are medians over the runs, with the range; ratios are taken within each run, then their median.")
	if len(r.sizes) > 0 {
		p("- **Reference date:** posture judges the reports, which have no Git history, on their due day %s;", r.sizes[0].refDate)
		p("  conftest and the floor get the same date in the data. posture runs with `--at %s`.", c.at)
	}
	p("")

	r.targets(p)
	r.agreement(p)
	r.timings(p)
	r.ratios(p)
	r.diffTable(p)
	r.reference(p)
	r.commands(p)
	return b.String()
}

// largest is the result of the largest size, which the targets are about.
func (r *results) largest() *sizeResult {
	var l *sizeResult
	for _, s := range r.sizes {
		if l == nil || s.n > l.n {
			l = s
		}
	}
	return l
}

func (r *results) targets(p func(string, ...any)) {
	p("## Targets")
	p("")
	l := r.largest()
	if l == nil {
		return
	}
	if l.n != 10000 {
		p("The issue's targets are for 10,000 reports; this run's largest size is %s, so the rows below are for it.", count(l.n))
		p("")
	}
	p("| target (issue 6) | measured | met |")
	p("| --- | --- | --- |")
	speed := summarise(paired(l.samples[conftestRun], l.samples[postureReports], wallRatio))
	p("| %s reports: `posture check reports` at least %.0f× faster than conftest (aim %.0f×) | %s | %s |",
		count(l.n), targetSpeed, aimSpeed, ratio(speed), met(speed.med >= targetSpeed, speed.med >= aimSpeed))
	whole := summarise(paired(l.samples[conftestRun], l.samples[postureAll], wallRatio))
	p("| the same for the whole-repository `posture check` (also %s people and %s devices) | %s | %s |",
		count(l.n), count(l.n), ratio(whole), met(whole.med >= targetSpeed, whole.med >= aimSpeed))
	if d := r.diff; d != nil {
		dr := summarise(paired(d.samples[1], d.samples[0], wallRatio))
		p("| one-file change: %s-report repository within %.1f× of a %d-report one | %s | %s |",
			count(d.large), targetDiff, d.small, ratio(dr), met(dr.med <= targetDiff, false))
	}
	mem := summarise(paired(l.samples[postureReports], l.samples[conftestRun], rssRatio))
	p("| %s reports: peak memory of `posture check reports` at most %.1f of conftest's | %s | %s |",
		count(l.n), targetMemRatio, fraction(mem), met(mem.med <= targetMemRatio, false))
	memAll := summarise(paired(l.samples[postureAll], l.samples[conftestRun], rssRatio))
	p("| the same for the whole-repository `posture check` | %s | %s |", fraction(memAll), met(memAll.med <= targetMemRatio, false))
	p("")
	p("Ratios are medians of the ratios within each run, the range in brackets. Met means the median meets the target.")
	p("")
}

func (r *results) agreement(p func(string, ...any)) {
	p("## Agreement")
	p("")
	p("Before timing, each size is checked once with machine-readable output (`posture check --format json`,")
	p("`conftest test -o json`, the floor's lines): every tool must fail exactly the reports the generator planted, each")
	p("for its one rule, and nothing else. The harness stops with the differences otherwise.")
	p("")
	p("| N | failing reports | scan.full_age | os.supported | mac.registered | posture check, posture check reports, conftest, floor |")
	p("| ---: | ---: | ---: | ---: | ---: | --- |")
	for _, s := range r.sizes {
		total := 0
		for _, v := range s.failing {
			total += v
		}
		p("| %s | %d | %d | %d | %d | agree |", count(s.n), total, s.failing["scan.full_age"], s.failing["os.supported"], s.failing["mac.registered"])
	}
	p("")
}

func (r *results) timings(p func(string, ...any)) {
	p("## Time and memory")
	p("")
	p("| N | command | median s | range s | CPU s (user+sys) | peak MiB |")
	p("| ---: | --- | ---: | ---: | ---: | ---: |")
	for _, s := range r.sizes {
		for i, c := range s.cmds {
			w := summarise(each(s.samples[i], wallSec))
			p("| %s | %s | %.3f | %.3f–%.3f | %.3f | %.0f |", count(s.n), c.name, w.med, w.min, w.max,
				summarise(each(s.samples[i], cpuSec)).med, summarise(each(s.samples[i], rssMiB)).med)
		}
	}
	p("")
	p("Peak MiB is the child's peak resident set (rusage maxrss), the median over the runs.")
	p("")
}

func (r *results) ratios(p func(string, ...any)) {
	p("## Ratios, paired within each run")
	p("")
	p("| N | conftest / posture check reports | conftest / posture check | posture check reports / floor | conftest / floor | peak memory: posture check reports / conftest |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.sizes {
		sm := s.samples
		p("| %s | %s | %s | %s | %s | %s |", count(s.n),
			ratio(summarise(paired(sm[conftestRun], sm[postureReports], wallRatio))),
			ratio(summarise(paired(sm[conftestRun], sm[postureAll], wallRatio))),
			ratio(summarise(paired(sm[postureReports], sm[floorRun], wallRatio))),
			ratio(summarise(paired(sm[conftestRun], sm[floorRun], wallRatio))),
			fraction(summarise(paired(sm[postureReports], sm[conftestRun], rssRatio))))
	}
	p("")
}

func (r *results) diffTable(p func(string, ...any)) {
	d := r.diff
	if d == nil {
		return
	}
	p("## One-file change")
	p("")
	p("`posture check --base main --head pr` on a Git repository whose branch `pr` adds a line to one report (`%s`);", changed)
	p("the repository holds N people, N devices and N reports, committed with fixed identities and dates and packed by")
	p("`git gc` as in a clone.")
	p("")
	p("| reports in the repository | median s | range s | CPU s (user+sys) | peak MiB |")
	p("| ---: | ---: | ---: | ---: | ---: |")
	for i, n := range []int{d.small, d.large} {
		w := summarise(each(d.samples[i], wallSec))
		p("| %s | %.3f | %.3f–%.3f | %.3f | %.0f |", count(n), w.med, w.min, w.max,
			summarise(each(d.samples[i], cpuSec)).med, summarise(each(d.samples[i], rssMiB)).med)
	}
	p("")
	p("%s reports / %d reports, paired within each run: %s.", count(d.large), d.small,
		ratio(summarise(paired(d.samples[1], d.samples[0], wallRatio))))
	p("")
}

func (r *results) reference(p func(string, ...any)) {
	l := r.largest()
	if l == nil || l.n != 10000 {
		return
	}
	p("## The issue's reference figures")
	p("")
	p("The issue measured, before posture existed, on 10,000 reports: conftest v0.71.1 about 3.3 s and 137 MiB; a naive Go")
	p("program (yaml.v3 and one prepared OPA evaluation per file, two workers) about 0.9 s and 37 MiB, 3.7× faster than")
	p("conftest. This run, at 10,000 reports: conftest %.2f s and %.0f MiB; the floor %.2f s and %.0f MiB, %s faster than conftest.",
		summarise(each(l.samples[conftestRun], wallSec)).med, summarise(each(l.samples[conftestRun], rssMiB)).med,
		summarise(each(l.samples[floorRun], wallSec)).med, summarise(each(l.samples[floorRun], rssMiB)).med,
		ratio(summarise(paired(l.samples[conftestRun], l.samples[floorRun], wallRatio))))
	p("")
}

func (r *results) commands(p func(string, ...any)) {
	p("## Commands")
	p("")
	p("Each runs in the generated organisation's folder (`n<N>/org` of the working folder; the data document is")
	p("`n<N>/registry.json` beside it; `$REPO` is this repository); the one-file change runs in `git-<N>`. Standard output")
	p("goes to /dev/null while timed.")
	p("")
	p("```sh")
	if len(r.sizes) > 0 {
		for _, c := range r.sizes[0].cmds {
			p("%s", c.show)
		}
	}
	if r.diff != nil {
		p("%s", r.diff.cmds[0].show)
	}
	p("```")
}

// count writes n with thousands separators: 10,000.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ratio(s stat) string { return fmt.Sprintf("%.2f× (%.2f–%.2f)", s.med, s.min, s.max) }

func fraction(s stat) string { return fmt.Sprintf("%.2f (%.2f–%.2f)", s.med, s.min, s.max) }

func met(ok, aim bool) string {
	switch {
	case aim:
		return "yes, and the aim"
	case ok:
		return "yes"
	}
	return "**no**"
}
