package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/textsafe"
)

// Marker is the hidden first line of posture's routing comment: the one
// comment route keeps up to date on each pull request.
const Marker = "<!-- posture:route -->"

// refusedPrefix starts the hidden second line that remembers which review
// requests GitHub refused for a head commit, so a re-run does not repeat them.
const refusedPrefix = "<!-- posture:refused "

// maxFindings is how many findings the comment lists.
const maxFindings = 30

// Report is what the routing comment says about a pull request.
type Report struct {
	Head      string
	Records   []string // the report and device paths it changes
	Refusal   string   // why posture refuses it; "" when routed
	NoRecords bool     // it changes no report and no device
	Route     Route
	Outcome   Outcome
	Findings  []finding.Finding // posture check's, judged by the base
	Refused   []Refused         // review requests GitHub refused for Head
}

// Refused is a review request GitHub refused, with its reason.
type Refused struct{ Login, Reason string }

// Comment renders the routing comment. It depends on nothing but r, so a
// re-run with nothing new writes the same text and the comment is left alone.
// Text from records and from GitHub is shown with its controls and bidi
// characters escaped (see shown); findings as finding.Finding.String prints
// them, which escapes them too.
func Comment(r Report) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	if len(r.Refused) > 0 {
		var ls []string
		for _, x := range r.Refused {
			ls = append(ls, x.Login)
		}
		fmt.Fprintf(&b, "%s%s %s -->\n", refusedPrefix, r.Head, strings.Join(ls, " "))
	}
	fmt.Fprintf(&b, "### posture: review of head `%s`\n\n", short(r.Head))
	switch {
	case r.Refusal != "":
		b.WriteString("**Refused.** posture will not route this pull request, and `posture/approvals` fails:\n\n")
		b.WriteString(fence(shown(r.Refusal)) + "\n")
	case r.NoRecords:
		b.WriteString("This pull request changes no report and no device, so the two approvals do not apply: " +
			"`posture/approvals` passes, and the code owners (the IT admins) review the trusted files it changes.\n\n")
	default:
		writeRoute(&b, r)
	}
	b.WriteString("**posture check** (judged by the base branch): ")
	deny, warn := finding.Count(r.Findings)
	switch {
	case len(r.Findings) == 0:
		b.WriteString("no problems.\n\n")
	default:
		fmt.Fprintf(&b, "%d to fix, %d warnings.\n\n", deny, warn)
		var lines []string
		for i, f := range r.Findings {
			if i == maxFindings {
				lines = append(lines, fmt.Sprintf("... and %d more: run posture check", len(r.Findings)-maxFindings))
				break
			}
			lines = append(lines, fmt.Sprintf("%s %s", f.Severity, f))
		}
		b.WriteString(fence(strings.Join(lines, "\n")) + "\n")
	}
	b.WriteString("<sub>Labels only show this state. The `posture/approvals` status on the head commit decides; " +
		"posture recomputes it from the reviews at every push and review, and merges with the evidence in the commit message.</sub>\n")
	return b.String()
}

func writeRoute(b *strings.Builder, r Report) {
	s := r.Route.Subject
	var paths []string
	for _, p := range r.Records {
		paths = append(paths, "`"+shown(p)+"`")
	}
	who := s.ID
	if s.Login != "" {
		who += " @" + s.Login
	}
	fmt.Fprintf(b, "**Subject:** %s (%s) · %s\n\n", shown(s.Name), shown(who), strings.Join(paths, ", "))
	b.WriteString("| | role | who must approve | state |\n| --- | --- | --- | --- |\n")
	state := func(a *evidence.Approval) string {
		if a == nil {
			return "⏳ pending"
		}
		return fmt.Sprintf("✅ approved by @%s (review %d on `%s`)", a.Approver.Login, a.ReviewID, short(a.Commit))
	}
	fmt.Fprintf(b, "| 2a | Security Check by the supervisor | %s | %s |\n", Mentions(r.Route.Supervisors), state(r.Outcome.Supervisor))
	fmt.Fprintf(b, "| 2b | Inspection by a contractor | %s | %s |\n\n", Mentions(r.Route.Contractors), state(r.Outcome.Contractor))
	if missing := r.Outcome.Missing(r.Route); len(missing) > 0 {
		fmt.Fprintf(b, "**Still missing:** %s. Approve the head commit `%s`; an approval of an older commit does not count.\n\n",
			shown(strings.Join(missing, "; ")), short(r.Head))
	} else {
		b.WriteString("**Nothing is missing:** both roles approved the head commit.\n\n")
	}
	list(b, "Escalation", r.Route.Escalation)
	var notes []string
	for _, n := range r.Outcome.Notes {
		notes = append(notes, n.Reason)
	}
	list(b, "Reviews that do not count", notes)
	var refused []string
	for _, x := range r.Refused {
		refused = append(refused, fmt.Sprintf("@%s: %s", x.Login, x.Reason))
	}
	list(b, "Review requests GitHub refused", refused)
}

func list(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(b, "- %s\n", shown(it))
	}
	b.WriteString("\n")
}

// shown escapes the controls and bidi characters of text for the comment;
// line breaks stay as they are.
func shown(s string) string { return textsafe.Escape(s, textsafe.KeepBreaks) }

// fence puts untrusted text in a fenced block that it cannot close, so
// that nothing in it renders as Markdown, HTML or a mention.
func fence(text string) string {
	f := "```"
	for strings.Contains(text, f) {
		f += "`"
	}
	return f + "text\n" + text + "\n" + f + "\n"
}

// PreviousRefusals returns the refused review requests a routing comment
// remembers for head, with the reasons it shows, so that a re-run neither
// asks GitHub again nor changes the comment.
func PreviousRefusals(body, head string) []Refused {
	var out []Refused
	for _, login := range RefusedLogins(body, head) {
		reason := "refused earlier"
		for _, line := range strings.Split(body, "\n") {
			if r, ok := strings.CutPrefix(line, "- @"+login+": "); ok {
				reason = r
				break
			}
		}
		out = append(out, Refused{Login: login, Reason: reason})
	}
	return out
}

// RefusedLogins returns the logins a routing comment remembers GitHub
// refused to request for head: only the comment's second line is read.
func RefusedLogins(body, head string) []string {
	lines := strings.SplitN(body, "\n", 3)
	if len(lines) < 2 || lines[0] != Marker {
		return nil
	}
	rest, ok := strings.CutPrefix(lines[1], refusedPrefix)
	if !ok {
		return nil
	}
	rest, ok = strings.CutSuffix(rest, " -->")
	f := strings.Fields(rest)
	if !ok || len(f) < 2 || f[0] != head {
		return nil
	}
	return slices.Clone(f[1:])
}
