package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
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
	// Changed are the records with what their reviewers must read.
	Changed []Changed
	// Waivers are the exceptions in force for the devices changed.
	Waivers []Waiver
}

// Waiver is an exception in force: rule waived for device until Expires.
type Waiver struct{ Path, Rule, Device, Expires, Reason string }

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
	deny, _ := finding.Count(r.Findings)
	missing := r.Outcome.Missing(r.Route)
	switch {
	case deny > 0:
		fmt.Fprintf(b, "**Do not approve yet: the employee must fix these first** (%s, listed below). "+
			"Reviews are requested once `posture/check` passes; an approval now would not count for the fixed commit.\n\n",
			plural(deny, "problem"))
	case len(missing) > 0:
		fmt.Fprintf(b, "**Still missing:** %s. Approve the head commit `%s`; an approval of an older commit does not count.\n\n",
			shown(strings.Join(missing, "; ")), short(r.Head))
	default:
		b.WriteString("**Nothing is missing:** both roles approved the head commit.\n\n")
	}
	writeFacts(b, r)
	if deny == 0 && len(missing) > 0 {
		writeHowTo(b, r.Head)
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

// writeFacts says what the report says that its reviewers must read, and
// what each approval vouches for.
func writeFacts(b *strings.Builder, r Report) {
	var reports []Changed
	for _, c := range r.Changed {
		if c.Kind == record.Report {
			reports = append(reports, c)
		}
	}
	if len(reports) > 0 || len(r.Waivers) > 0 {
		b.WriteString("#### What the report says\n\n")
	}
	for _, c := range reports {
		fmt.Fprintf(b, "- `%s`: threats found %s, resolved %s.", shown(c.Path), orNone(c.ThreatsFound), orNone(c.ThreatsResolved))
		if strings.TrimSpace(c.Concerns) == "" {
			b.WriteString(" No concerns written.\n")
			continue
		}
		b.WriteString(" Concerns, in the employee's words:\n\n")
		b.WriteString(indent(fence(shown(c.Concerns)), "  "))
	}
	for _, w := range r.Waivers {
		fmt.Fprintf(b, "- Exception in force: `%s` is waived for `%s` until %s (`%s`): %s\n",
			shown(w.Rule), shown(w.Device), shown(w.Expires), shown(w.Path), shown(w.Reason))
	}
	if len(reports) > 0 || len(r.Waivers) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("#### What each approval vouches for\n\n" +
		"- **2a, Security Check (the supervisor):** the device is the employee's and in use for their work, and the " +
		"concerns above are answered (ask in the review if they are not).\n" +
		"- **2b, Inspection (a contractor):** the values and the evidence meet the policies: read the report and its " +
		"evidence files in *Files changed*, and posture check's findings below.\n\n")
}

// writeHowTo says how to approve on GitHub.
func writeHowTo(b *strings.Builder, head string) {
	fmt.Fprintf(b, "#### How to approve on GitHub\n\n"+
		"1. Open the **Files changed** tab and read the report and its evidence.\n"+
		"2. Press **Review changes** (top right), choose **Approve**, and write what you checked.\n"+
		"3. Press **Submit review**. Only an approval of the head commit `%s` counts: after a new push, approve again.\n\n", short(head))
}

func orNone(s string) string {
	if s == "" {
		return "(not written)"
	}
	return shown(s)
}

func indent(text, by string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "") + "\n"
}

// plural returns "1 problem" or "N problems".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
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
