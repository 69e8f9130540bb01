package report

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/textsafe"
)

// JSONReport is the document the json format writes: one JSON object,
// indented by two spaces, ending in a newline. It is a stable interface for
// scripts: fields are only ever added, never renamed, removed or retyped.
//
//	{
//	  "version": "1.4.0",
//	  "checked": 42,
//	  "summary": {
//	    "errors": 1,
//	    "warnings": 1,
//	    "files": 1
//	  },
//	  "findings": [
//	    {
//	      "file": "devices/d-e1001.yaml",
//	      "line": 3,
//	      "column": 5,
//	      "rule": "os.supported",
//	      "severity": "deny",
//	      "title": "Operating system is supported",
//	      "message": "os \"windows 7\" is not supported"
//	    }
//	  ]
//	}
//
// Every field is always present: "findings" is [] when there are none and
// "title" is "" for a rule without one.
type JSONReport struct {
	// Version is the posture version that ran the check.
	Version string `json:"version"`
	// Checked is how many files were checked.
	Checked int `json:"checked"`
	// Summary counts the findings.
	Summary JSONSummary `json:"summary"`
	// Findings are sorted by file, line, column, rule and message.
	Findings []JSONFinding `json:"findings"`
}

// JSONSummary counts the findings of a JSONReport.
type JSONSummary struct {
	// Errors is how many findings have severity "deny"; any fails the check.
	Errors int `json:"errors"`
	// Warnings is how many findings have severity "warn".
	Warnings int `json:"warnings"`
	// Files is how many files have at least one finding.
	Files int `json:"files"`
}

// JSONFinding is one finding in a JSONReport.
type JSONFinding struct {
	// File is the path of the record, relative to the repository root, with
	// forward slashes.
	File string `json:"file"`
	// Line and Column are 1-based; Column counts Unicode code points. A
	// finding that no field applies to is at line 1, column 1.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Rule is the id of the rule that found the problem, e.g. "scan.full_age".
	Rule string `json:"rule"`
	// Severity is "deny" (fails the check) or "warn".
	Severity finding.Severity `json:"severity"`
	// Title is the rule's one-line title, or "".
	Title string `json:"title"`
	// Message says what is wrong and what to do about it; it may hold newlines.
	// In every string, control characters but newline and tab, and
	// characters that reorder text (bidi overrides), are written as Go
	// escapes such as \x1b and \u202e, so that printing them is safe.
	Message string `json:"message"`
}

// NewJSONReport converts r to the document the json format writes.
func NewJSONReport(r Result) JSONReport {
	c := count(r)
	out := JSONReport{
		Version:  r.Version,
		Checked:  r.Checked,
		Summary:  JSONSummary{Errors: c.errors, Warnings: c.warnings, Files: c.files},
		Findings: make([]JSONFinding, 0, len(r.Findings)),
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, JSONFinding{
			File:     safe(f.File),
			Line:     f.Line,
			Column:   f.Column,
			Rule:     safe(f.Rule),
			Severity: f.Severity,
			Title:    safe(f.Title),
			Message:  safe(f.Message),
		})
	}
	return out
}

// safe escapes text from the records for the json and sarif formats.
// encoding/json escapes C0 controls itself, but a script that decodes and
// prints a message would still print them, and C1 controls and bidi
// characters it leaves as they are; so they are shown as Go escapes, as in
// the text format. Newlines stay ("\n" and "\r\n"); a lone "\r" is escaped.
func safe(s string) string { return textsafe.Escape(s, textsafe.KeepNewlines) }

func writeJSON(buf *bytes.Buffer, r Result) error {
	return encodeJSON(buf, NewJSONReport(r), "json")
}

// encodeJSON writes v indented by two spaces, with a final newline and
// without escaping <, > and & (the output is not embedded in HTML, and
// escaping them would only make quoted values harder to read).
func encodeJSON(buf *bytes.Buffer, v any, format string) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s report: %w", format, err)
	}
	return nil
}
