package main

import (
	"fmt"
	"math"
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
	named              *namedResult
	warm               *warmResult
	audit              *auditResult
}

// The targets of issue 13 (and the moonshots where it names one).
const (
	targetCPUPostureRules = 3.0 // conftest CPU / posture CPU, posture's rules, at least
	aimCPUPostureRules    = 5.0
	targetCPU3Rules       = 1.5 // the same against the 3-rule set
	aimCPU3Rules          = 3.0
	targetPeak3Rules      = 1.0    // posture's peak / conftest's, 3-rule set, at most
	targetPeak100kMiB     = 1024.0 // posture check at 100,000 reports, under
	targetProportional    = 1.5    // one-file PR 100k/10, check PATH 10k/10, at most
	targetWarm            = 2.0    // second full check / reading the files, at most
	targetAuditCold       = 5.0    // audit / git log, cold, at most
	aimAuditCold          = 3.0
	targetAuditWarm       = 2.0
)

func (r *results) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	r.header(p)
	r.targets(p)
	r.agreement(p)
	r.timings(p)
	r.ratios(p)
	r.diffTable(p)
	r.namedTable(p)
	r.warmTable(p)
	r.auditTable(p)
	r.reference(p)
	r.commands(p)
	r.summary(p)
	return b.String()
}

func (r *results) header(p func(string, ...any)) {
	c, t, m := r.config, r.tools, r.machine
	p("# Benchmark results")
	p("")
	p("posture side by side with conftest (an equivalent 3-rule policy set, and posture's own rules through a shim),")
	p("`opa eval` and a floor program on generated organisations, and against itself and Git where its cost should follow")
	p("the work (issues 6 and 13); written by the harness in this folder: [README.md](README.md) says what each row runs")
	p("and how to run it again.")
	p("")
	p("- **Command:** `go run ./bench %s` from the repository's root", strings.Join(c.args, " "))
	p("- **Date:** %s", r.started.UTC().Format("2006-01-02 15:04 MST"))
	p("- **Machine:** %s, %d cores; %s", m.cpu, m.cores, m.os)
	if r.loadStart != "" {
		p("- **Load average** (1, 5, 15 min; other work on the machine): %s at the start, %s at the end; each", r.loadStart, r.loadEnd)
		p("  section gives the 1-minute figure when its timing started")
	}
	p("- **Go:** %s; **Git:** %s", m.goVer, strings.TrimPrefix(t.git, "git version "))
	p("- **posture:** %s (OPA %s), built with `go build ./cmd/posture`; result cache: %s", m.posture, t.postureOPA, cacheNote(t))
	p("- **conftest:** %s (OPA %s), installed with `%s`", t.conftestVersion, t.conftestOPA, t.install)
	p("- **opa:** %s, installed with `%s`", t.opaVersion, t.opaInstall)
	p("- **Runs:** %d of each command (%d at the sizes above %s, where posture runs alone), interleaved: each run runs", c.runs, c.bigRuns, count(c.toolsMax))
	p("  every command of its table once, starting with a different one. Figures are medians over the runs, with the range;")
	p("  ratios are taken within each run, then their median. CPU is user + system time from the child's rusage.")
	if len(r.sizes) > 0 {
		p("- **Reference date:** posture judges the reports, which have no Git history, on their due day %s;", r.sizes[0].refDate)
		p("  conftest, opa eval and the floor get the same date in the data. posture runs with `--at %s`.", c.at)
	}
	p("")
}

// cacheNote says how the runs use posture's result cache.
func cacheNote(t *tools) string {
	switch {
	case t.checkCache && t.auditCache:
		return "`--cache` (posture check and audit): an empty folder for every run but the warm ones"
	case t.checkCache:
		return "`--cache` (posture check only; the audit has no cache): an empty folder for every check but the warm ones"
	case t.auditCache:
		return "`--cache` (posture audit only; posture check has no cache)"
	}
	return "no cache (neither `posture check --help` nor `posture audit --help` lists `--cache`)"
}

func (r *results) targets(p func(string, ...any)) {
	p("## Targets of issue 13")
	p("")
	figs := map[string]figure{}
	for _, f := range r.figures() {
		figs[f.name] = f
	}
	row := func(target string, f figure, ok, aim bool) {
		if math.IsNaN(f.value) {
			p("| %s | not measured | |", target)
			return
		}
		v := f.text()
		if f.mib {
			v += " MiB"
		} else {
			v += "×"
		}
		if f.aside() != "" {
			v += " (" + f.aside() + ")"
		}
		verdict := met(ok, aim)
		if f.at != "" {
			verdict = "not the issue's size"
		}
		p("| %s | %s | %s |", target, v, verdict)
	}
	p("| target | measured | met |")
	p("| --- | --- | --- |")
	f := figs[figCPUPostureRules]
	row(fmt.Sprintf("CPU: conftest with posture's rules ÷ `posture check reports`, 10,000 reports, at least %.0f× (moonshot %.0f×)", targetCPUPostureRules, aimCPUPostureRules),
		f, f.value >= targetCPUPostureRules, f.value >= aimCPUPostureRules)
	f = figs[figCPU3Rules]
	row(fmt.Sprintf("CPU: conftest with the 3-rule set ÷ `posture check reports`, at least %.1f× (moonshot %.0f×)", targetCPU3Rules, aimCPU3Rules),
		f, f.value >= targetCPU3Rules, f.value >= aimCPU3Rules)
	f = figs[figPeak3Rules]
	row(fmt.Sprintf("peak memory: `posture check reports` ÷ conftest with the 3-rule set, 10,000 reports, at most %.0f", targetPeak3Rules),
		f, f.value <= targetPeak3Rules, false)
	f = figs[figPeak100k]
	row("peak memory: `posture check` of 100,000 reports with their registry, under 1 GiB", f, f.value < targetPeak100kMiB, false)
	f = figs[figOneFilePR]
	row(fmt.Sprintf("wall: a one-file pull request on 100,000 reports ÷ on 10, at most %.1f×", targetProportional), f, f.value <= targetProportional, false)
	f = figs[figNamedFile]
	row(fmt.Sprintf("wall: `posture check PATH` in 10,000 reports ÷ in 10, at most %.1f×", targetProportional), f, f.value <= targetProportional, false)
	f = figs[figFullCheckWarm]
	row(fmt.Sprintf("wall: a second full check of an unchanged repository ÷ reading its files, at most %.0f×", targetWarm), f, f.value <= targetWarm, false)
	f = figs[figAuditCold]
	row(fmt.Sprintf("wall: audit with evidence merges ÷ `git log --name-status`, cold, at most %.0f× (moonshot %.0f×)", targetAuditCold, aimAuditCold),
		f, f.value <= targetAuditCold, f.value <= aimAuditCold)
	f = figs[figAuditWarm]
	row(fmt.Sprintf("wall: the same, warm, at most %.0f×", targetAuditWarm), f, f.value <= targetAuditWarm, false)
	p("")
	p("Ratios are medians of the ratios within each run. Met means the median meets the target.")
	p("")
}

func (r *results) agreement(p func(string, ...any)) {
	p("## Agreement")
	p("")
	p("Before timing, each size is checked once with machine-readable output (`posture check --format json`,")
	p("`conftest test -o json`, `opa eval --format json`, the floor's lines): every tool must fail exactly the reports the")
	p("generator planted, each for its one rule, and nothing else; and conftest and opa eval with posture's rules must deny")
	p("exactly the (file, rule) pairs that `posture check reports` denies. The harness stops with the differences otherwise.")
	p("Above %s reports posture runs alone, and the JSON of its timed run is checked against the planted failures.", count(r.config.toolsMax))
	p("")
	p("| N | failing reports | scan.full_age | os.supported | mac.registered | tools |")
	p("| ---: | ---: | ---: | ---: | ---: | --- |")
	for _, s := range r.sizes {
		total := 0
		for _, v := range s.failing {
			total += v
		}
		names := make([]string, len(s.cmds))
		for i, c := range s.cmds {
			names[i] = c.name
		}
		p("| %s | %d | %d | %d | %d | %s: agree |", count(s.n), total, s.failing["scan.full_age"], s.failing["os.supported"], s.failing["mac.registered"], strings.Join(names, ", "))
	}
	p("")
}

// row writes the timing row of command i of a group.
func row(p func(string, ...any), lead string, name string, ss []sample) {
	w := summarise(each(ss, wallSec))
	p("| %s%s | %.3f | %.3f–%.3f | %.3f | %.0f |", lead, name, w.med, w.min, w.max,
		summarise(each(ss, cpuSec)).med, summarise(each(ss, rssMiB)).med)
}

func (r *results) timings(p func(string, ...any)) {
	p("## Time and memory")
	p("")
	p("| N | command | median s | range s | CPU s (user+sys) | peak MiB |")
	p("| ---: | --- | ---: | ---: | ---: | ---: |")
	for _, s := range r.sizes {
		for i, c := range s.cmds {
			row(p, count(s.n)+" | ", c.name, s.samples[i])
		}
	}
	p("")
	p("Peak MiB is the child's peak resident set (rusage maxrss), the median over the runs. Load average (1 min) when")
	p("each size's timing started: %s.", r.loads())
	p("")
}

func (r *results) loads() string {
	var l []string
	for _, s := range r.sizes {
		l = append(l, fmt.Sprintf("%s at %s", loadOne(s.load), count(s.n)))
	}
	return strings.Join(l, ", ")
}

// loadOne is the 1-minute figure of a load average.
func loadOne(l string) string {
	if f := strings.Fields(l); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func (r *results) ratios(p func(string, ...any)) {
	p("## Ratios, paired within each run")
	p("")
	p("posture is `posture check reports` (the N reports, with the people and devices as registry), the same work as")
	p("conftest's, opa eval's and the floor's.")
	p("")
	p("| N | CPU: conftest, posture's rules / posture | CPU: opa eval / posture | CPU: conftest, 3 rules / posture | wall: conftest, posture's rules / posture | wall: conftest, 3 rules / posture | wall: posture / floor | peak: posture / conftest, 3 rules |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.sizes {
		if s.big {
			continue
		}
		sm := s.samples
		pr := sm[postureReports]
		p("| %s | %s | %s | %s | %s | %s | %s | %s |", count(s.n),
			ratio(summarise(paired(sm[conftestPosture], pr, cpuRatio))),
			ratio(summarise(paired(sm[opaEval], pr, cpuRatio))),
			ratio(summarise(paired(sm[conftestRun], pr, cpuRatio))),
			ratio(summarise(paired(sm[conftestPosture], pr, wallRatio))),
			ratio(summarise(paired(sm[conftestRun], pr, wallRatio))),
			ratio(summarise(paired(pr, sm[floorRun], wallRatio))),
			fraction(summarise(paired(pr, sm[conftestRun], rssRatio))))
	}
	p("")
	p("conftest with posture's rules evaluates, per report, exactly what posture evaluates: the shim")
	p("[`shim/main.rego`](shim/main.rego) binds the file into posture's input document and queries")
	p("`data.posture.rules[_].violation`, with posture's registry, settings and policy data as `--data` and the lookups of")
	p("package posture.derived precomputed by the harness as a Rego module of constants (posture computes them once per run;")
	p("conftest and opa only parse them). opa eval does the same over one combined input of every report")
	p("([`shim/combined.rego`](shim/combined.rego)), in one process and one query.")
	p("")
}

// groupTable writes the timing table of a group of commands.
func groupTable(p func(string, ...any), g *timed) {
	p("| command | median s | range s | CPU s (user+sys) | peak MiB |")
	p("| --- | ---: | ---: | ---: | ---: |")
	for i, c := range g.cmds {
		row(p, "", c.name, g.samples[i])
	}
	p("")
}

func (r *results) diffTable(p func(string, ...any)) {
	d := r.diff
	if d == nil {
		return
	}
	p("## One-file pull request")
	p("")
	p("`posture check --base main --head pr` on a Git repository whose branch `pr` adds a line to one report (`%s`);", changed)
	p("the repository holds N people, N devices and N reports, committed with fixed identities and dates and packed by")
	p("`git gc` as in a clone. Load average (1 min) at the start: %s.", loadOne(d.load))
	p("")
	groupTable(p, &d.timed)
	p("%s reports / %d reports, paired within each run: %s.", count(d.large), d.small, ratio(d.ratio(1, 0, wallRatio)))
	p("")
}

func (r *results) namedTable(p func(string, ...any)) {
	n := r.named
	if n == nil {
		return
	}
	p("## `posture check PATH`")
	p("")
	p("`posture check %s` (one report) in the Git repositories of %d and %s employees, on main. Load average", changed, n.small, count(n.large))
	p("(1 min) at the start: %s.", loadOne(n.load))
	p("")
	groupTable(p, &n.timed)
	p("%s reports / %d reports, paired within each run: %s.", count(n.large), n.small, ratio(n.ratio(1, 0, wallRatio)))
	p("")
}

func (r *results) warmTable(p func(string, ...any)) {
	w := r.warm
	if w == nil {
		return
	}
	p("## A second full check")
	p("")
	if w.cache {
		p("`posture check` of the unchanged Git repository of %s employees, with `--cache` the folder that a first check", count(w.n))
	} else {
		p("`posture check` of the unchanged Git repository of %s employees after a first check, no cache (posture check", count(w.n))
		p("takes no `--cache`: the second check is warm only in the file cache), beside `%s` over it.", readFiles)
	}
	if w.cache {
		p("filled, beside `%s` over it.", readFiles)
	}
	p("The first and the second check find the same. Load average (1 min) at the start: %s.", loadOne(w.load))
	p("")
	groupTable(p, &w.timed)
	p("Second check / reading the files, paired within each run: %s.", ratio(w.ratio(0, 1, wallRatio)))
	p("")
}

func (r *results) auditTable(p func(string, ...any)) {
	a := r.audit
	if a == nil {
		return
	}
	p("## Audit with evidence merges")
	p("")
	p("`posture audit --from %s --to %s` of the history of internal/audit's BenchmarkAudit (\"pull-requests\"), built", auditFrom, auditTo)
	p("with git fast-import: %s commits over %s devices, nine reports in ten by a branch commit and an evidence merge;", count(a.Commits), count(a.Devices))
	p("the audit counts %s commits and %s evidence merges and writes %s evidence rows. Beside `git log --name-status`.", count(a.commits), count(a.merges), count(a.rows))
	if a.cache {
		p("Cold runs get an empty `--cache` folder, warm ones the folder a run before filled.")
	} else {
		p("posture audit takes no `--cache`: cold and warm are the same command (warm only in the file cache).")
	}
	p("Load average (1 min) at the start: %s.", loadOne(a.load))
	p("")
	groupTable(p, &a.timed)
	p("Cold / git log: %s; warm / git log: %s (paired within each run).",
		ratio(a.ratio(auditCold, gitLog, wallRatio)), ratio(a.ratio(auditWarm, gitLog, wallRatio)))
	p("")
}

func (r *results) reference(p func(string, ...any)) {
	l := r.compared()
	if l == nil || l.n != 10000 {
		return
	}
	p("## Issue 6's reference figures")
	p("")
	p("Issue 6 measured, before posture existed, on 10,000 reports: conftest v0.71.1 about 3.3 s and 137 MiB; a naive Go")
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
	p("The sizes run in the generated organisation's folder (`n<N>/org` of the working folder; the data documents and")
	p("posture's rules for conftest and opa are beside it in `n<N>/`; `$REPO` is this repository). The one-file pull")
	p("request, `posture check PATH` and the second full check run in the Git repositories `git-<N>`, the audit in")
	p("`audit`. `$EMPTY` is a cache folder emptied before each run, `$FILLED` one a run before filled. Standard output goes")
	p("to /dev/null while timed.")
	p("")
	p("```sh")
	seen := map[string]bool{}
	show := func(c command) {
		if !seen[c.show] {
			seen[c.show] = true
			p("%s", c.show)
		}
	}
	for _, s := range r.sizes {
		for _, c := range s.cmds {
			show(c)
		}
	}
	for _, g := range []*timed{r.diffTimed(), r.namedTimed(), r.warmTimed(), r.auditTimed()} {
		if g != nil {
			for _, c := range g.cmds {
				show(c)
			}
		}
	}
	p("```")
	p("")
}

func (r *results) diffTimed() *timed {
	if r.diff == nil {
		return nil
	}
	return &r.diff.timed
}

func (r *results) namedTimed() *timed {
	if r.named == nil {
		return nil
	}
	return &r.named.timed
}

func (r *results) warmTimed() *timed {
	if r.warm == nil {
		return nil
	}
	return &r.warm.timed
}

func (r *results) auditTimed() *timed {
	if r.audit == nil {
		return nil
	}
	return &r.audit.timed
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
		return "yes, and the moonshot"
	case ok:
		return "yes"
	}
	return "**no**"
}
