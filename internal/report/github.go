package report

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/textsafe"
)

// writeGitHub writes one GitHub Actions workflow command per finding, which
// the runner turns into an annotation on the file and line, then the summary
// line:
//
//	::error file=devices/d-e1001.yaml,line=3,col=5,title=os.supported%3A Operating system is supported::os "windows 7" is not supported
//	checked 42 files: 1 error in 1 file
//
// A warn finding uses ::warning. The title is "rule: title", or the rule id
// when the rule has no title.
func writeGitHub(buf *bytes.Buffer, r Result) {
	for _, f := range r.Findings {
		cmd := "error"
		if f.Severity != finding.Deny {
			cmd = "warning"
		}
		title := f.Rule
		if f.Title != "" {
			title += ": " + f.Title
		}
		if f.File == "" { // about the pull request: an annotation of the run
			fmt.Fprintf(buf, "::%s title=%s::%s\n", cmd, escapeProperty(title), escapeData(f.Message))
			continue
		}
		fmt.Fprintf(buf, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			cmd, escapeProperty(f.File), f.Line, f.Column, escapeProperty(title), escapeData(f.Message))
	}
	buf.WriteString(count(r).String())
	buf.WriteByte('\n')
}

// Escaping as the Actions runner and @actions/core (toCommandValue,
// escapeData, escapeProperty in packages/core/src/command.ts) expect it: "%"
// first, so the escapes that follow are not escaped again.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes the message of a workflow command (after the "::").
// Escaped newlines are what stop a message from starting a second command.
// Other controls and bidi characters are shown as Go escapes first (the log
// and the annotation would otherwise render colours or reorder the text);
// line breaks are left to the runner's escapes.
func escapeData(s string) string {
	return dataEscaper.Replace(textsafe.Escape(s, textsafe.KeepBreaks))
}

// escapeProperty escapes a property value of a workflow command, as
// escapeData does and ":" and "," too.
func escapeProperty(s string) string {
	return propertyEscaper.Replace(textsafe.Escape(s, textsafe.KeepBreaks))
}

// GitHub shows at most 1 MiB of a step's summary. These limits keep the
// summary well below it: 500 rows of at most a few hundred bytes each.
const (
	maxSummaryRows  = 500
	maxSummaryCell  = 300 // runes of a message shown in the table
	summaryHeading  = "## posture check"
	summaryOverflow = "%s not shown here; the log of this step lists every finding.\n"
)

// writeStepSummary writes the Markdown job summary for $GITHUB_STEP_SUMMARY:
// a heading, the counts, and a table of the findings.
func writeStepSummary(buf *bytes.Buffer, r Result) {
	c := count(r)
	buf.WriteString(summaryHeading + "\n\n")
	s := c.String()
	buf.WriteString(strings.ToUpper(s[:1]) + s[1:] + ".\n")
	if len(r.Findings) == 0 {
		return
	}
	buf.WriteString("\n| Severity | File | Line | Rule | Message |\n")
	buf.WriteString("| --- | --- | ---: | --- | --- |\n")
	for i, f := range r.Findings {
		if i == maxSummaryRows {
			fmt.Fprintf(buf, "\n"+summaryOverflow, plural(len(r.Findings)-i, "more finding"))
			break
		}
		fmt.Fprintf(buf, "| %s | %s | %d | %s | %s |\n", severityWord(f.Severity), markdownCell(f.File), f.Line,
			markdownCell(f.Rule), markdownCell(truncate(textsafe.Escape(f.Message, textsafe.KeepBreaks), maxSummaryCell)))
	}
}

// markdownEscaper makes text safe inside a GitHub-flavoured Markdown table
// cell: "|" would end the cell and a newline the row, and the rest would
// turn a quoted value into emphasis, a link, code or HTML. Every ASCII
// punctuation character may be escaped with a backslash in CommonMark.
// markdownCell shows controls and bidi characters as Go escapes first (a
// message is escaped before it is truncated, so that the escapes count
// towards the cell's length).
var markdownEscaper = strings.NewReplacer(
	"\r\n", "<br>", "\r", "<br>", "\n", "<br>",
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`,
	"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "&", `\&`,
)

func markdownCell(s string) string {
	return markdownEscaper.Replace(textsafe.Escape(s, textsafe.KeepBreaks))
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}
