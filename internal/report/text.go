package report

import (
	"bytes"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/textsafe"
)

// ANSI escape sequences for the text format's colours.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// painter wraps text in ANSI colours, or leaves it alone when colour is off.
type painter bool

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

// writeText writes the findings grouped by file, a blank line between files,
// then the summary line:
//
//	devices/d-e1001.yaml:3:5: os "windows 7" is not supported [os.supported]
//	devices/d-e1001.yaml:9:3: warning: owner has left [device.owner]
//
//	checked 42 files: 1 error, 1 warning in 1 file
//
// An error is printed exactly as finding.Finding.String prints it; a warning
// has "warning: " after its position. Lines after the first of a multi-line
// message are indented by four spaces so every finding starts with its place.
func writeText(buf *bytes.Buffer, r Result, color bool) {
	p := painter(color)
	for i, f := range r.Findings {
		if i > 0 && f.File != r.Findings[i-1].File {
			buf.WriteByte('\n')
		}
		buf.WriteString(p.paint(ansiBold, f.Place()))
		buf.WriteByte(' ')
		if f.Severity != finding.Deny {
			buf.WriteString(p.paint(ansiYellow, "warning:"))
			buf.WriteByte(' ')
		}
		msg := strings.ReplaceAll(clean(f.Message, true), "\n", "\n    ")
		buf.WriteString(msg)
		buf.WriteByte(' ')
		buf.WriteString(p.paint(ansiDim, "["+clean(f.Rule, false)+"]"))
		buf.WriteByte('\n')
	}
	if len(r.Findings) > 0 {
		buf.WriteByte('\n')
	}
	c := count(r)
	switch {
	case c.errors > 0:
		buf.WriteString(p.paint(ansiRed, c.String()))
	case c.warnings > 0:
		buf.WriteString(p.paint(ansiYellow, c.String()))
	default:
		buf.WriteString(p.paint(ansiGreen, c.String()))
	}
	buf.WriteByte('\n')
}

// clean makes s safe to print on a terminal. Messages quote values from the
// records, and a record in a pull request is untrusted: an escape sequence in
// it must not recolour, move the cursor in or retitle the reader's terminal,
// nor a bidi override reorder what the reader sees. textsafe.Escape shows
// them as Go escapes instead; with keepNewline a "\n" is kept as a line
// break and a "\r\n" is turned into one.
func clean(s string, keepNewline bool) string {
	if keepNewline {
		return textsafe.Escape(strings.ReplaceAll(s, "\r\n", "\n"), textsafe.KeepNewlines)
	}
	return textsafe.Escape(s, textsafe.EscapeBreaks)
}
