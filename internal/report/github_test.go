package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

func TestGitHubEscape(t *testing.T) {
	tests := []struct {
		name, in, data, property string
	}{
		{name: "plain", in: "missing email", data: "missing email", property: "missing email"},
		{name: "percent first", in: "100%0A", data: "100%250A", property: "100%250A"},
		{name: "newlines", in: "a\r\nb\nc", data: "a%0D%0Ab%0Ac", property: "a%0D%0Ab%0Ac"},
		{name: "colon and comma", in: "a: b, c", data: "a: b, c", property: "a%3A b%2C c"},
		{name: "command injection", in: "x\n::error::forged", data: "x%0A::error::forged", property: "x%0A%3A%3Aerror%3A%3Aforged"},
		{name: "equals and quotes kept", in: `k="v"`, data: `k="v"`, property: `k="v"`},
		{name: "escape sequence", in: "\x1b[31mred\x1b[0m", data: `\x1b[31mred\x1b[0m`, property: `\x1b[31mred\x1b[0m`},
		{name: "bell, c1 and bidi", in: "\x07\u009b\u202eb", data: `\a\u009b\u202eb`, property: `\a\u009b\u202eb`},
		{name: "controls next to newlines", in: "a\x1b\nb\r", data: `a\x1b%0Ab%0D`, property: `a\x1b%0Ab%0D`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeData(tt.in); got != tt.data {
				t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := escapeProperty(tt.in); got != tt.property {
				t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
			}
		})
	}
}

// TestGitHubOneLinePerFinding checks that no message or path, however odd,
// can start a workflow command of its own.
func TestGitHubOneLinePerFinding(t *testing.T) {
	r := fullResult()
	r.Findings = append(r.Findings, finding.Finding{
		File: "devices/x\n::add-mask::y.yaml", Line: 1, Column: 1, Rule: "schema", Severity: finding.Deny,
		Message: "a\n::stop-commands::token\rb",
	})
	var out bytes.Buffer
	if err := Write(&out, GitHub, r, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(r.Findings)+1 {
		t.Fatalf("got %d lines for %d findings and a summary:\n%s", len(lines), len(r.Findings), out.String())
	}
	for _, l := range lines[:len(r.Findings)] {
		if !strings.HasPrefix(l, "::error file=") && !strings.HasPrefix(l, "::warning file=") {
			t.Errorf("line %q is not an annotation command", l)
		}
	}
}

func TestStepSummaryCap(t *testing.T) {
	tests := []struct {
		findings int
		rows     int
		note     string
	}{
		{findings: maxSummaryRows, rows: maxSummaryRows},
		{findings: maxSummaryRows + 1, rows: maxSummaryRows, note: "1 more finding not shown here"},
		{findings: 2000, rows: maxSummaryRows, note: "1500 more findings not shown here"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.findings), func(t *testing.T) {
			r := Result{Checked: tt.findings}
			for i := range tt.findings {
				r.Findings = append(r.Findings, finding.Finding{
					File: fmt.Sprintf("devices/d-%04d.yaml", i), Line: 1, Column: 1, Rule: "schema",
					Severity: finding.Deny, Message: strings.Repeat("|long message ", 100),
				})
			}
			var out, sum bytes.Buffer
			if err := Write(&out, GitHub, r, Options{StepSummary: &sum}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(sum.String(), "\n| error | "); got != tt.rows {
				t.Errorf("got %d table rows, want %d", got, tt.rows)
			}
			if tt.note != "" && !strings.Contains(sum.String(), tt.note) {
				t.Errorf("summary has no note %q", tt.note)
			}
			if tt.note == "" && strings.Contains(sum.String(), "not shown") {
				t.Error("summary says findings were left out, but none were")
			}
			if sum.Len() > 1<<20 {
				t.Errorf("summary is %d bytes, more than GitHub shows (1 MiB)", sum.Len())
			}
		})
	}
}

func TestMarkdownCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "plain text 2026-11-01", want: "plain text 2026-11-01"},
		{in: "a | b", want: `a \| b`},
		{in: "one\r\ntwo\nthree\rfour", want: "one<br>two<br>three<br>four"},
		{in: `last_full_scan *x* <b> & [l](u) \ ~`, want: `last\_full\_scan \*x\* \<b\> \& \[l\](u) \\ \~`},
		{in: "`code`", want: "\\`code\\`"},
		{in: "\x1b[2J\u202e", want: `\\x1b\[2J\\u202e`},
	}
	for _, tt := range tests {
		if got := markdownCell(tt.in); got != tt.want {
			t.Errorf("markdownCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("héllo", 5); got != "héllo" {
		t.Errorf("truncate kept %q, want it whole", got)
	}
	if got := truncate("héllo wörld", 5); got != "héll…" {
		t.Errorf("truncate = %q, want %q", got, "héll…")
	}
}
