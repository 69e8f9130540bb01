// Package finding defines what a check reports to the user: a problem with a
// place in a file, a rule that found it and how severe it is.
package finding

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/posture-dev/posture/internal/textsafe"
)

// Severity says whether a finding fails the check.
type Severity string

const (
	// Deny fails the check.
	Deny Severity = "deny"
	// Warn is shown but does not fail the check.
	Warn Severity = "warn"
)

// Finding is one problem the user must look at. Line and Column are 1-based;
// a finding that no field applies to points at line 1, column 1. A finding
// about a pull request as a whole has no File (and no position).
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title,omitempty"`
	Message  string   `json:"message"`
}

// String formats the finding as file:line:col: message [rule], safe to
// print: controls and bidirectional formatting characters in the values a
// message quotes are shown as escapes (see textsafe.Escape); the message
// keeps its newlines, the file and rule are kept on one line.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s [%s]", f.Place(), textsafe.Escape(f.Message, textsafe.KeepNewlines), textsafe.Escape(f.Rule, textsafe.EscapeBreaks))
}

// PullRequest is how a finding without a file (one about the pull request as
// a whole, such as its history) names its place.
const PullRequest = "pull request"

// Place returns "file:line:col:", escaped for printing, or "pull request:"
// for a finding about no file.
func (f Finding) Place() string {
	if f.File == "" {
		return PullRequest + ":"
	}
	return fmt.Sprintf("%s:%d:%d:", textsafe.Escape(f.File, textsafe.EscapeBreaks), f.Line, f.Column)
}

// Compare orders findings by file, position, rule and message.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort orders findings in place (see Compare) and drops exact duplicates.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.Compact(fs)
}

// Count returns how many findings deny and how many warn.
func Count(fs []Finding) (deny, warn int) {
	for _, f := range fs {
		if f.Severity == Deny {
			deny++
		} else {
			warn++
		}
	}
	return deny, warn
}

// Rules returns the rules that fs break, sorted and each once. It is never
// nil, so that JSON shows no rules as [] rather than null.
func Rules(fs []Finding) []string {
	rules := []string{}
	for _, f := range fs {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	slices.Sort(rules)
	return rules
}

// At returns a finding at line 1 of file, for problems no field applies to.
func At(file, rule string, sev Severity, format string, args ...any) Finding {
	return Finding{File: file, Line: 1, Column: 1, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)}
}
