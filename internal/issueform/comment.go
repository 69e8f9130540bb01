package issueform

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/posture-dev/posture/internal/issuelink"
	"github.com/posture-dev/posture/internal/record"
)

// StatusMarker marks the one comment from-issue keeps on a form's issue,
// edited in place on every run: the problems to fix, or the pull request.
const StatusMarker = "<!-- posture:from-issue-status -->"

// prMarker records the pull request opened for an issue in that comment.
func prMarker(n int) string { return fmt.Sprintf("<!-- posture:from-issue-pr %d -->", n) }

var prMarkerRe = regexp.MustCompile(`<!-- posture:from-issue-pr ([1-9][0-9]{0,9}) -->`)

// prOf returns the pull request a status comment records, or 0.
func prOf(body string) int {
	if m := prMarkerRe.FindStringSubmatch(body); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// ProblemsComment lists the problems, each under the question it is about,
// with the user's own text kept inside code spans so that nothing in it
// renders, links or mentions anyone.
// pr, when not 0, is the pull request an earlier run opened: the comment
// keeps its marker.
func ProblemsComment(t *Template, probs []Problem, base string, pr int) string {
	var b strings.Builder
	b.WriteString(StatusMarker + "\n")
	if pr > 0 {
		b.WriteString(prMarker(pr) + "\n")
	}
	b.WriteString("**posture could not turn this form into a pull request yet.** Fix each answer below by editing this issue " +
		"(**···** → **Edit**): posture checks it again when you save.\n\n")
	for _, p := range probs {
		where := "The form"
		if f := t.Field(p.Field); f != nil {
			where = "**" + f.Label + "**"
		} else if p.Field != "" {
			where = "`" + p.Field + "`"
		}
		fmt.Fprintf(&b, "- %s: %s\n", where, CodeSpan(truncate(p.Message, 500)))
	}
	fmt.Fprintf(&b, "\n<sub>Checked with the rules of %s.</sub>\n", CodeSpan(base))
	return b.String()
}

// OpenedComment says which pull request carries the record.
func OpenedComment(pr int, path string) string {
	return fmt.Sprintf("%s\n%s\nOpened #%d with `%s`. Your reviewers look at it there; to change an answer, edit this issue "+
		"and the pull request follows. It closes this issue when it is merged.\n", StatusMarker, prMarker(pr), pr, path)
}

// PullBody is the body of the pull request opened for issue n: the link
// the checker and the review gate read (issuelink.Marker), who submitted
// the form as GitHub reports it, and the file.
func PullBody(n int, author, person string, rec *Record, warnings []string) string {
	var b strings.Builder
	b.WriteString(issuelink.Marker(n) + "\n")
	if rec.Kind == record.Exception {
		exceptionBody(&b, n, author, person, rec)
	} else {
		role := "Reporter"
		if rec.Kind != record.Report {
			role = "Owner"
		}
		fmt.Fprintf(&b, "Closes #%d.\n\n**%s:** @%s (`%s`), the author of #%d as GitHub reports it. posture opened this pull request "+
			"from the form; the subject whose approval does not count is @%s.\n\n", n, role, author, person, n, author)
		fmt.Fprintf(&b, "**File:** `%s`\n", rec.Path)
	}
	if len(warnings) > 0 {
		b.WriteString("\nWhen posture opened it, the check warned (warnings do not block the merge):\n\n")
		for _, w := range warnings {
			fmt.Fprintf(&b, "- %s\n", CodeSpan(truncate(w, 500)))
		}
	}
	return b.String()
}

// exceptionBody is the head of an exception request's pull request: who
// asks, and how the IT admin approves it. It is no data change, so the
// review gate leaves it to CODEOWNERS, and the check fails until the IT
// admin writes approved_by.
func exceptionBody(b *strings.Builder, n int, author, person string, rec *Record) {
	fmt.Fprintf(b, "Closes #%d.\n\n**Requested by:** @%s (`%s`), the author of #%d as GitHub reports it, for their device `%s` "+
		"and the rule `%s`. posture opened this pull request from the form.\n\n", n, author, person, n, rec.Subject, rec.Rule)
	fmt.Fprintf(b, "**File:** `%s`\n\n", rec.Path)
	b.WriteString("**For the IT admin.** An exception is not a report: the supervisor and contractor review does not apply, " +
		"CODEOWNERS asks IT to review `policies/`. Read the reason and the date in the file. To approve:\n\n" +
		"1. Open **Files changed**, then **···** → **Edit file** on the exception.\n" +
		"2. Replace the TODO lines at its end with `approved_by: <your person id>` and commit to this branch.\n" +
		"3. When `posture/check` passes, approve the pull request and merge it on GitHub.\n\n" +
		"`posture/check` fails until `approved_by` names an active IT admin. If the request is edited in its issue, posture " +
		"writes the file again and the approval must be written again too.\n")
}

// CodeSpan wraps s in a Markdown code span that holds it whatever it
// contains: a fence longer than any run of backticks in it, padded with
// spaces, and line breaks turned into spaces.
func CodeSpan(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	return fence + " " + s + " " + fence
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
