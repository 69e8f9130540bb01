package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		name string
		c    counts
		want string
	}{
		{name: "clean", c: counts{checked: 42}, want: "checked 42 files: no problems"},
		{name: "one file", c: counts{checked: 1}, want: "checked 1 file: no problems"},
		{name: "nothing checked", c: counts{}, want: "checked 0 files: no problems"},
		{name: "both", c: counts{checked: 42, errors: 3, warnings: 1, files: 2}, want: "checked 42 files: 3 errors, 1 warning in 2 files"},
		{name: "errors only", c: counts{checked: 5, errors: 1, files: 1}, want: "checked 5 files: 1 error in 1 file"},
		{name: "warnings only", c: counts{checked: 5, warnings: 2, files: 1}, want: "checked 5 files: 2 warnings in 1 file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTextErrorIsFindingString keeps the text format's error lines equal to
// finding.Finding.String, which testdata/bad expectations are written in.
func TestTextErrorIsFindingString(t *testing.T) {
	f := finding.Finding{File: "devices/d.yaml", Line: 2, Column: 3, Rule: "os.supported", Severity: finding.Deny, Message: "os too old"}
	var out bytes.Buffer
	if err := Write(&out, Text, Result{Findings: []finding.Finding{f}, Checked: 1}, Options{}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(out.String(), "\n"); first != f.String() {
		t.Errorf("text line %q, want %q", first, f.String())
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in    string
		keepNewline bool
		want        string
	}{
		{name: "plain", in: `os "windows 7"`, want: `os "windows 7"`},
		{name: "unicode kept", in: "Jürgen’s Mac – ok", want: "Jürgen’s Mac – ok"},
		{name: "escape sequence", in: "\x1b[2Jgone", want: `\x1b[2Jgone`},
		{name: "osc title", in: "\x1b]0;pwned\x07", want: `\x1b]0;pwned\a`},
		{name: "c1 control", in: "a\u009bb", want: `a\u009bb`},
		{name: "invalid utf8", in: "a\xffb", want: `a\xffb`},
		{name: "tab kept", in: "a\tb", want: "a\tb"},
		{name: "newline in path", in: "a\nb", want: `a\nb`},
		{name: "newline in message", in: "a\r\nb\nc", keepNewline: true, want: "a\nb\nc"},
		{name: "lone carriage return", in: "a\rb", keepNewline: true, want: `a\rb`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in, tt.keepNewline); got != tt.want {
				t.Errorf("clean(%q, %t) = %q, want %q", tt.in, tt.keepNewline, got, tt.want)
			}
		})
	}
}
