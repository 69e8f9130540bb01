// Package report writes the result of a posture check for people and for
// machines: plain text for a terminal, JSON for scripts, GitHub Actions
// workflow commands (with a job summary) and SARIF for code scanning.
//
// Every format is deterministic: the same Result gives the same bytes, so the
// output can be compared with golden files and diffed between runs. The
// formats are described for users in docs/output-formats.md.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
)

// Result is what one run of posture check produced.
type Result struct {
	// Findings are sorted by the caller (finding.Sort); the text and github
	// formats group and print them in this order.
	Findings []finding.Finding
	// Checked is how many files were checked.
	Checked int
	// Rules is every rule known to the run, for SARIF's rule list. Rules that
	// appear only in Findings (schema or parser rules) are added from there.
	Rules []RuleInfo
	// Version is the posture version that ran the check.
	Version string
}

// RuleInfo describes one rule, as its METADATA block in Rego (or the Go code
// for built-in rules) declares it.
type RuleInfo struct {
	ID          string
	Title       string
	Description string
	Severity    finding.Severity
	Remediation string
}

// Format names an output format.
type Format string

// The output formats.
const (
	Text   Format = "text"
	JSON   Format = "json"
	GitHub Format = "github"
	SARIF  Format = "sarif"
)

// Formats returns every output format, in the order help text lists them.
func Formats() []Format {
	return []Format{Text, JSON, GitHub, SARIF}
}

// ParseFormat returns the format called s, or an error naming the formats
// there are.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown output format %q: use one of %s", s, strings.Join(names, ", "))
}

// Options change how a format is written.
type Options struct {
	// StepSummary receives a Markdown summary in the github format when it is
	// not nil; the caller opens $GITHUB_STEP_SUMMARY for appending.
	StepSummary io.Writer
	// Color turns on ANSI colours in the text format.
	Color bool
}

// Write writes r to w in format f, and for the github format the Markdown
// summary to opts.StepSummary. Each output is built in memory first and
// written with one call.
func Write(w io.Writer, f Format, r Result, opts Options) error {
	var buf bytes.Buffer
	switch f {
	case Text:
		writeText(&buf, r, opts.Color)
	case JSON:
		if err := writeJSON(&buf, r); err != nil {
			return err
		}
	case GitHub:
		writeGitHub(&buf, r)
	case SARIF:
		if err := writeSARIF(&buf, r); err != nil {
			return err
		}
	default:
		_, err := ParseFormat(string(f))
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	if f == GitHub && opts.StepSummary != nil {
		buf.Reset()
		writeStepSummary(&buf, r)
		if _, err := opts.StepSummary.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("write step summary: %w", err)
		}
	}
	return nil
}

// counts is what every summary says: how many findings deny, how many warn
// and how many files they are in.
type counts struct {
	checked, errors, warnings, files int
}

func count(r Result) counts {
	c := counts{checked: r.Checked}
	c.errors, c.warnings = finding.Count(r.Findings)
	seen := make(map[string]bool)
	for _, f := range r.Findings {
		if !seen[f.File] {
			seen[f.File] = true
			c.files++
		}
	}
	return c
}

// String gives the summary line without a full stop:
// "checked 42 files: 3 errors, 1 warning in 2 files" or
// "checked 42 files: no problems".
func (c counts) String() string {
	head := "checked " + plural(c.checked, "file")
	if c.errors == 0 && c.warnings == 0 {
		return head + ": no problems"
	}
	var parts []string
	if c.errors > 0 {
		parts = append(parts, plural(c.errors, "error"))
	}
	if c.warnings > 0 {
		parts = append(parts, plural(c.warnings, "warning"))
	}
	return head + ": " + strings.Join(parts, ", ") + " in " + plural(c.files, "file")
}

// plural gives "1 file", "2 files", "0 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// severityWord is how the text and Markdown outputs name a severity.
func severityWord(s finding.Severity) string {
	if s == finding.Deny {
		return "error"
	}
	return "warning"
}
