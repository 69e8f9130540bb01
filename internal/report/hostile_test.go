package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/finding"
)

// hostileResult holds findings whose file names and messages quote values
// a record could hold to attack the reader of the output: terminal escape
// sequences, a bell, a C1 control, bidi overrides, line separators, and a
// newline followed by a forged workflow command.
func hostileResult() Result {
	fs := []finding.Finding{
		{File: "reports/2026-11/d-e1.yaml", Line: 3, Column: 5, Rule: "report.concerns", Severity: finding.Deny,
			Title:   "Concerns \x1b[8mhidden\x1b[0m are answered",
			Message: "concerns \"\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b[2J\u009b2J\" is not plain text; remove the control characters"},
		{File: "reports/2026-11/d-e1.yaml", Line: 4, Column: 1, Rule: "schema.unknown_field", Severity: finding.Warn,
			Message: "unknown field \"ok\u202e\u2066txt.exe\u2069\u202c\"; remove it\u2028next\u2029para"},
		{File: "reports/2026-11/d-e1.yaml", Line: 5, Column: 7, Rule: "schema", Severity: finding.Deny,
			Message: "os_version \"1\n::error file=people/boss.yaml::forged\r\n::add-mask::x\rhidden\" | a | b |\tend \x00\x7f\xff"},
		{File: "devices/x\n::error::forged\u202e.yaml", Line: 1, Column: 1, Rule: "file.location", Severity: finding.Deny,
			Message: "devices/x\n::error::forged\u202e.yaml is not a record: 100%, a: b"},
	}
	return Result{Findings: finding.Sort(fs), Checked: 2, Version: "0.3.0"}
}

// unsafeIn returns the first character of s that no output may hold as
// it is, given which line breaks the output keeps, or -1.
func unsafeIn(s string, newlines, lone bool) rune {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return r
			}
		case r == '\t':
		case r == '\n':
			if !newlines {
				return r
			}
		case r == '\r':
			if !lone && !(newlines && strings.HasPrefix(s[i:], "\r\n")) {
				return r
			}
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return r
		}
	}
	return -1
}

// TestHostileValues writes hostileResult in every format and checks that
// no control or bidi character reaches the output, that escapes show what
// was there, and that each format keeps its shape: one workflow command per
// finding, one table row per finding, JSON strings a script may print.
func TestHostileValues(t *testing.T) {
	r := hostileResult()
	tests := []struct {
		name   string
		format Format
		color  bool
		// check looks at the output and the step summary, if any.
		check func(t *testing.T, out, summary string)
		shows []string // visible escapes the output (decoded, for JSON) must hold
	}{
		{name: "text", format: Text, check: func(t *testing.T, out, _ string) {
			if c := unsafeIn(out, true, false); c >= 0 {
				t.Errorf("text output holds %U", c)
			}
			for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if strings.HasPrefix(l, "::") {
					t.Errorf("text line %q starts like a workflow command", l)
				}
			}
		}, shows: []string{`\x1b[31mred\x1b[0m`, `\x1b]0;pwned\a`, `\u009b2J`, `ok\u202e\u2066txt.exe\u2069\u202c`, `\u2028next\u2029para`, `x\rhidden`, `\x00\x7f\xff`, `devices/x\n::error::forged\u202e.yaml:1:1:`}},
		{name: "text color", format: Text, color: true, check: func(t *testing.T, out, _ string) {
			for _, code := range []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow} {
				out = strings.ReplaceAll(out, code, "")
			}
			if c := unsafeIn(out, true, false); c >= 0 {
				t.Errorf("text output holds %U besides its own colours", c)
			}
		}, shows: []string{`\x1b[31mred`}},
		{name: "github", format: GitHub, check: func(t *testing.T, out, summary string) {
			if c := unsafeIn(out, true, false); c >= 0 {
				t.Errorf("github output holds %U", c)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(r.Findings)+1 {
				t.Fatalf("got %d lines for %d findings and a summary:\n%s", len(lines), len(r.Findings), out)
			}
			for _, l := range lines[:len(r.Findings)] {
				props, _, _ := strings.Cut(l[2:], "::") // the runner reads the properties up to the first "::"
				if !strings.HasPrefix(l, "::error file=") && !strings.HasPrefix(l, "::warning file=") || !strings.Contains(props, ",title=") {
					t.Errorf("line %q is not one annotation command with its properties", l)
				}
			}
			if c := unsafeIn(summary, true, true); c >= 0 {
				t.Errorf("step summary holds %U", c)
			}
			var rows []string
			for _, l := range strings.Split(summary, "\n") {
				if strings.HasPrefix(l, "| error |") || strings.HasPrefix(l, "| warning |") {
					rows = append(rows, l)
				}
			}
			if len(rows) != len(r.Findings) {
				t.Fatalf("step summary has %d rows for %d findings:\n%s", len(rows), len(r.Findings), summary)
			}
			for _, row := range rows {
				if n := strings.Count(row, "|") - strings.Count(row, `\|`); n != 6 {
					t.Errorf("row %q has %d cell borders, want 6", row, n)
				}
			}
		}, shows: []string{`os_version "1%0A::error file=people/boss.yaml::forged%0D%0A::add-mask::x%0Dhidden"`, `\x1b[31mred`,
			`file=devices/x%0A%3A%3Aerror%3A%3Aforged\u202e.yaml,`, `title=report.concerns%3A Concerns \x1b[8mhidden\x1b[0m are answered::`}},
		{name: "json", format: JSON, check: func(t *testing.T, out, _ string) {
			var doc JSONReport
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Findings {
				for _, s := range []string{f.File, f.Rule, f.Title, f.Message} {
					if c := unsafeIn(s, true, false); c >= 0 {
						t.Errorf("json string %q holds %U", s, c)
					}
				}
			}
		}, shows: []string{`\\x1b[31mred`, `ok\\u202e\\u2066txt.exe`, `forged\r\n::add-mask::x\\rhidden`, `"devices/x\n::error::forged\\u202e.yaml"`}},
		{name: "sarif", format: SARIF, check: func(t *testing.T, out, _ string) {
			var doc struct {
				Runs []struct {
					Results []struct {
						Message struct{ Text string } `json:"message"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, res := range doc.Runs[0].Results {
				if c := unsafeIn(res.Message.Text, true, false); c >= 0 {
					t.Errorf("sarif message %q holds %U", res.Message.Text, c)
				}
			}
			if c := unsafeIn(out, true, false); c >= 0 {
				t.Errorf("sarif output holds %U", c)
			}
		}, shows: []string{`\\x1b[31mred`, `"uri": "devices/x%0A::error::forged%E2%80%AE.yaml"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, sum bytes.Buffer
			if err := Write(&out, tt.format, r, Options{Color: tt.color, StepSummary: &sum}); err != nil {
				t.Fatal(err)
			}
			tt.check(t, out.String(), sum.String())
			for _, s := range tt.shows {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output does not show %q:\n%s", s, out.String())
				}
			}
		})
	}
}
