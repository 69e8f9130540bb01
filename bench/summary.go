package main

import (
	"fmt"
	"math"
	"strings"
)

// figure is one line of the summary block that closes RESULTS.md, read by a
// script: "name: number".
type figure struct {
	name  string
	value float64 // NaN: not measured in this run
	mib   bool    // a size in MiB, written without decimals
	// at says what the figure was measured on when that is not the size the
	// issue names; "" when it is.
	at string
	// note says how else it differs from the issue's figure: "no cache".
	note string
}

// aside is what the summary says of f beside its value: at and note.
func (f figure) aside() string {
	switch {
	case f.at == "":
		return f.note
	case f.note == "":
		return f.at
	}
	return f.at + ", " + f.note
}

// The names of the summary block, in its order (issue 13, "Report").
const (
	figCPUPostureRules = "cpu conftest-posture-rules/posture"
	figCPU3Rules       = "cpu conftest-3-rules/posture"
	figPeak3Rules      = "peak posture/conftest-3-rules"
	figPeak100k        = "peak-100k MiB"
	figOneFilePR       = "one-file-pr 100k/10"
	figNamedFile       = "named-file 10k/10"
	figAuditCold       = "audit-merges/git-log cold"
	figAuditWarm       = "audit-merges/git-log warm"
	figFullCheckWarm   = "full-check warm/read"
)

// The sizes the issue's figures are for.
const (
	issueCompareN = 10000
	issueBigN     = 100000
	issueDiffN    = 100000
	issueNamedN   = 10000
	issueCommits  = 20000
)

// noCache is the note of a warm figure measured without a result cache.
const noCache = "no cache: a second run"

func (f figure) text() string {
	switch {
	case math.IsNaN(f.value):
		return "n/a"
	case f.mib:
		return fmt.Sprintf("%.0f", f.value)
	}
	return fmt.Sprintf("%.2f", f.value)
}

// compared is the largest size at which every tool ran, nil if none.
func (r *results) compared() *sizeResult {
	var l *sizeResult
	for _, s := range r.sizes {
		if !s.big && (l == nil || s.n > l.n) {
			l = s
		}
	}
	return l
}

// largest is the largest size, nil if none.
func (r *results) largest() *sizeResult {
	var l *sizeResult
	for _, s := range r.sizes {
		if l == nil || s.n > l.n {
			l = s
		}
	}
	return l
}

// figures computes the summary block: medians of ratios paired within each
// run, and the median peak of posture check at the largest size.
func (r *results) figures() []figure {
	na := math.NaN()
	f := []figure{
		{name: figCPUPostureRules, value: na}, {name: figCPU3Rules, value: na}, {name: figPeak3Rules, value: na},
		{name: figPeak100k, value: na, mib: true}, {name: figOneFilePR, value: na}, {name: figNamedFile, value: na},
		{name: figAuditCold, value: na}, {name: figAuditWarm, value: na}, {name: figFullCheckWarm, value: na},
	}
	if s := r.compared(); s != nil {
		at := ""
		if s.n != issueCompareN {
			at = count(s.n) + " reports"
		}
		sm := s.samples
		f[0].value, f[0].at = summarise(paired(sm[conftestPosture], sm[postureReports], cpuRatio)).med, at
		f[1].value, f[1].at = summarise(paired(sm[conftestRun], sm[postureReports], cpuRatio)).med, at
		f[2].value, f[2].at = summarise(paired(sm[postureReports], sm[conftestRun], rssRatio)).med, at
	}
	if s := r.largest(); s != nil {
		f[3].value = summarise(each(s.samples[postureAll], rssMiB)).med
		if s.n != issueBigN {
			f[3].at = count(s.n) + " reports"
		}
	}
	if d := r.diff; d != nil {
		f[4].value = d.ratio(1, 0, wallRatio).med
		if d.large != issueDiffN {
			f[4].at = fmt.Sprintf("%s/%d reports", count(d.large), d.small)
		}
	}
	if n := r.named; n != nil {
		f[5].value = n.ratio(1, 0, wallRatio).med
		if n.large != issueNamedN {
			f[5].at = fmt.Sprintf("%s/%d reports", count(n.large), n.small)
		}
	}
	if a := r.audit; a != nil {
		at := ""
		if a.Commits != issueCommits {
			at = count(a.Commits) + " commits"
		}
		f[6].value, f[6].at = a.ratio(auditCold, gitLog, wallRatio).med, at
		f[7].value, f[7].at = a.ratio(auditWarm, gitLog, wallRatio).med, at
		if !a.cache {
			f[7].note = noCache
		}
	}
	if w := r.warm; w != nil {
		f[8].value = w.ratio(0, 1, wallRatio).med
		if !w.cache {
			f[8].note = noCache
		}
	}
	return f
}

// summary writes the closing block.
func (r *results) summary(p func(string, ...any)) {
	figs := r.figures()
	p("## Summary")
	p("")
	p("Medians of the ratios paired within each run; posture is `posture check reports` in the first three lines and")
	p("`posture check` (the whole repository) in the fourth. One `name: number` per line, for scripts; n/a when this run")
	p("did not measure it.")
	var notes []string
	for _, f := range figs {
		if f.aside() != "" && !math.IsNaN(f.value) {
			notes = append(notes, fmt.Sprintf("%s (%s)", f.name, f.aside()))
		}
	}
	if len(notes) > 0 {
		p("")
		p("Not on the issue's sizes, or without a cache, in this run: %s.", strings.Join(notes, "; "))
	}
	p("")
	p("```text")
	for _, f := range figs {
		p("%s: %s", f.name, f.text())
	}
	p("```")
}
