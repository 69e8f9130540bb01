package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// Rule ids of the exception bookkeeping done in Go.
const (
	ruleExceptionExpired = "exception.expired"
	ruleExceptionUnused  = "exception.unused"
)

// exception is an approved exception in force for one rule on one device.
type exception struct {
	rec     *record.Record
	rule    string
	device  string
	expires string
	used    bool
}

// exceptionsOf returns the exceptions of recs. One whose expiry is not a
// date (the schema says so) silences nothing: compared as text, "later" or
// "2026-13-45" would stand after every day and waive the rule for ever.
func exceptionsOf(recs []*record.Record) []*exception {
	var out []*exception
	for _, r := range recs {
		e := &exception{rec: r, rule: r.String("rule"), device: r.String("device"), expires: r.String("expires")}
		if !record.ValidDate(e.expires) {
			e.expires = ""
		}
		out = append(out, e)
	}
	return out
}

// Exceptable reports whether an exception may silence findings of rule.
// None silences what the trust boundary of a pull request decides (the
// change.* rules: whose record it is, what a pull request may touch), what
// the walk refuses (file.*), or report.path, which ties a report to the
// device whose path it is at: the boundary finds the report's owner by
// that path, and an exception for one's own device must not make a report
// at another device's path pass for one's own.
func Exceptable(rule string) bool {
	return !strings.HasPrefix(rule, "change.") && !strings.HasPrefix(rule, "file.") && rule != "report.path"
}

// silence drops each report finding that an exception in force on the
// report's reference date covers, and marks the exceptions that did so.
// Findings of a rule that is not Exceptable stay.
func silence(fs []finding.Finding, excs []*exception, refDate func(string) string, devices map[string]string) []finding.Finding {
	if len(excs) == 0 {
		return fs
	}
	// By rule and device, so that each finding is matched against its own
	// few exceptions, not all of them (20,000 of each took 3.6 s).
	byKey := make(map[[2]string][]*exception, len(excs))
	for _, e := range excs {
		k := [2]string{e.rule, e.device}
		byKey[k] = append(byKey[k], e)
	}
	kept := fs[:0]
	for _, f := range fs {
		dev, ok := devices[f.File]
		covered := false
		if ok && Exceptable(f.Rule) {
			for _, e := range byKey[[2]string{f.Rule, dev}] {
				if e.expires != "" && refDate(f.File) <= e.expires {
					e.used, covered = true, true
				}
			}
		}
		if !covered {
			kept = append(kept, f)
		}
	}
	return kept
}

// expiry reports exceptions past their date: one that had expired on its own
// reference date (it was never valid) denies; an accepted one that has since
// expired warns, so that the IT admin removes or renews it.
func expiry(excs []*exception, refDate func(string) string, today string) []finding.Finding {
	var out []finding.Finding
	for _, e := range excs {
		if e.expires == "" {
			continue
		}
		line, col := e.rec.Pos("expires")
		f := finding.Finding{File: e.rec.Path, Line: line, Column: col, Rule: ruleExceptionExpired}
		switch {
		case e.expires < refDate(e.rec.Path):
			f.Severity = finding.Deny
			f.Message = fmt.Sprintf("the exception expires %s, before %s; an exception must be in force when it is approved: set a later date", e.expires, refDate(e.rec.Path))
		case e.expires < today:
			f.Severity = finding.Warn
			f.Message = fmt.Sprintf("the exception expired on %s; remove it, or renew it with a new expiry date and approval", e.expires)
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// unused warns about exceptions that silenced nothing in a full check.
func unused(excs []*exception, today string) []finding.Finding {
	var out []finding.Finding
	for _, e := range excs {
		if e.used || e.expires < today {
			continue
		}
		line, col := e.rec.Pos("rule")
		out = append(out, finding.Finding{File: e.rec.Path, Line: line, Column: col, Rule: ruleExceptionUnused, Severity: finding.Warn,
			Message: fmt.Sprintf("the exception for rule %q on device %q silences nothing; remove it if the device now passes", e.rule, e.device)})
	}
	return out
}

// inForce lists the exceptions of recs in force on day for the devices of
// devices (by record path), in path order.
func inForce(recs []*record.Record, devices map[string]string, day string) []Exception {
	want := map[string]bool{}
	for _, d := range devices {
		want[d] = true
	}
	var out []Exception
	for _, r := range recs {
		e := Exception{Path: r.Path, Rule: r.String("rule"), Device: r.String("device"), Expires: r.String("expires"), Reason: r.String("reason")}
		if want[e.Device] && r.InForceOn(day) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Exception) int { return strings.Compare(a.Path, b.Path) })
	return out
}
