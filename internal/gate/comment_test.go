package gate

import (
	"regexp"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

func TestLabels(t *testing.T) {
	for _, l := range AllLabels {
		if len(l.Description) > MaxLabelDescription || !regexp.MustCompile(`^[0-9a-f]{6}$`).MatchString(l.Color) {
			t.Errorf("label %q: description of %d characters or color %q GitHub refuses", l.Name, len(l.Description), l.Color)
		}
		if !Managed(strings.ToUpper(l.Name)) {
			t.Errorf("Managed(%q) is false", l.Name)
		}
	}
	if Managed("bug") {
		t.Error("Managed(bug) is true")
	}
	r := testRoster(t)
	e4, _ := r.Get("e4")
	route := r.Plan(e4)
	names := func(o Outcome) string {
		var out []string
		for _, l := range o.Labels() {
			out = append(out, l.Name)
		}
		return strings.Join(out, ", ")
	}
	if got := names(Decide(route, nil, head)); got != "2a supervisor: pending, 2b contractor: pending" {
		t.Errorf("no reviews: %s", got)
	}
	o := Decide(route, []Review{rv(1, "sales-head", Approved, head, 1)}, head)
	if got := names(o); got != "2a supervisor: approved, 2b contractor: pending" {
		t.Errorf("2a approved: %s", got)
	}
}

func TestComment(t *testing.T) {
	r := testRoster(t)
	e7, _ := r.Get("e7")
	route := r.Plan(e7)
	o := Decide(route, []Review{rv(5, "sales-head", Approved, head, 1), rv(6, "mallory", Approved, head, 2)}, head)
	rep := Report{Head: head, Records: []string{"reports/2026-11/d-e7.yaml"}, Route: route, Outcome: o,
		Findings: []finding.Finding{finding.At("reports/2026-11/d-e7.yaml", "scan.full_age", finding.Deny,
			"concerns \"```\n@everyone <img src=x>\" is too long")},
		Refused: []Refused{{Login: "cora-c", Reason: "Reviews may only be requested from collaborators."}}}
	body := Comment(rep)
	for _, want := range []string{
		Marker + "\n<!-- posture:refused " + head + " cora-c -->\n",
		"**Subject:** Name of e7 (e7 @ravi-m) · `reports/2026-11/d-e7.yaml`",
		"| 2a | Security Check by the supervisor | @sales-head | ✅ approved by @sales-head (review 5 on `1111111`) |",
		"| 2b | Inspection by a contractor | @carl-c or @cora-c | ⏳ pending |",
		"**Do not approve yet: the employee must fix these first** (1 problem, listed below).",
		"- e6, the supervisor of e7, is inactive; escalated to the next level",
		"- @mallory is neither the supervisor who must approve (@sales-head) nor a contractor on the roster",
		"- @cora-c: Reviews may only be requested from collaborators.",
		"1 to fix, 0 warnings.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	// Untrusted text stays inside a fence it cannot close.
	if !strings.Contains(body, "````text\ndeny reports/2026-11/d-e7.yaml:1:1: concerns \"```\n@everyone") {
		t.Errorf("the finding is not fenced with a longer fence:\n%s", body)
	}
	if Comment(rep) != body {
		t.Error("the comment is not deterministic")
	}
	if got := RefusedLogins(body, head); len(got) != 1 || got[0] != "cora-c" {
		t.Errorf("RefusedLogins = %v", got)
	}
	if got := RefusedLogins(body, old); got != nil {
		t.Errorf("RefusedLogins for another head = %v; refused requests are retried after a push", got)
	}
	if got := RefusedLogins("text\n<!-- posture:refused "+head+" x -->", head); got != nil {
		t.Errorf("RefusedLogins read a line that is not the comment's second: %v", got)
	}

	// Once the check passes: what is missing, what the report says, what
	// each approval vouches for and how to approve.
	rep.Findings = nil
	rep.Changed = []Changed{{Path: "reports/2026-11/d-e7.yaml", Kind: record.Report, Device: "d-e7",
		Concerns: "I lent it to my brother ```\n@everyone", ThreatsFound: "2", ThreatsResolved: "2"}}
	rep.Waivers = []Waiver{{Path: "policies/exceptions/exc-1.yaml", Rule: "os.supported", Device: "d-e7", Expires: "2026-12-31", Reason: "replacement ordered"}}
	clean := Comment(rep)
	for _, want := range []string{
		"**Still missing:** 2b contractor @carl-c or @cora-c. Approve the head commit `1111111`",
		"- `reports/2026-11/d-e7.yaml`: threats found 2, resolved 2. Concerns, in the employee's words:\n\n  ````text\n  I lent it to my brother ```\n  @everyone\n  ````\n",
		"- Exception in force: `os.supported` is waived for `d-e7` until 2026-12-31 (`policies/exceptions/exc-1.yaml`): replacement ordered",
		"- **2a, Security Check (the supervisor):** the device is the employee's and in use for their work",
		"- **2b, Inspection (a contractor):** the values and the evidence meet the policies",
		"3. Press **Submit review**. Only an approval of the head commit `1111111` counts",
	} {
		if !strings.Contains(clean, want) {
			t.Errorf("comment lacks %q:\n%s", want, clean)
		}
	}
	if strings.Contains(body, "How to approve") {
		t.Errorf("the comment says how to approve while the check fails:\n%s", body)
	}

	refused := Comment(Report{Head: head, Refusal: "reporter \"<b>@boss</b>\" is not you"})
	if !strings.Contains(refused, "**Refused.**") || !strings.Contains(refused, "```text\nreporter \"<b>@boss</b>\" is not you\n```") {
		t.Errorf("refusal comment:\n%s", refused)
	}
	none := Comment(Report{Head: head, NoRecords: true})
	if !strings.Contains(none, "changes no report and no device") || !strings.Contains(none, "no problems.") {
		t.Errorf("no-records comment:\n%s", none)
	}
}

// TestCommentHostile checks that controls and bidi characters from records
// and from GitHub are shown as escapes wherever the comment quotes them,
// and that the comment keeps its shape: a finding's forged newline stays
// inside the fence, and a re-run with the refusals it remembers writes the
// same comment.
func TestCommentHostile(t *testing.T) {
	r := testRoster(t)
	e7, _ := r.Get("e7")
	route := r.Plan(e7)
	route.Subject.Name = "Ev\u202eil \x1b[31mName\x1b[0m"
	o := Decide(route, nil, head)
	tests := []struct {
		name  string
		rep   Report
		shows []string
	}{
		{name: "routed", rep: Report{Head: head, Records: []string{"reports/2026-11/d-e7\u2066.yaml"}, Route: route, Outcome: o,
			Findings: []finding.Finding{
				finding.At("reports/2026-11/d-e7.yaml", "report.concerns", finding.Deny, "concerns \"\x1b[31mred\x1b[0m\x07 \u009b2J \u202etxt.exe\"\n::error::forged"),
				finding.At("reports/2026-11/d-e7\x1b]0;x\x07.yaml", "schema", finding.Warn, "a\u2028b"),
			},
			Refused: []Refused{{Login: "cora-c", Reason: "refused \x1b[2K\u202e by GitHub"}}},
			shows: []string{
				"**Subject:** Ev\\u202eil \\x1b[31mName\\x1b[0m (e7 @ravi-m) · `reports/2026-11/d-e7\\u2066.yaml`",
				"deny reports/2026-11/d-e7.yaml:1:1: concerns \"\\x1b[31mred\\x1b[0m\\a \\u009b2J \\u202etxt.exe\"\n::error::forged [report.concerns]\n",
				"warn reports/2026-11/d-e7\\x1b]0;x\\a.yaml:1:1: a\\u2028b [schema]",
				"- @cora-c: refused \\x1b[2K\\u202e by GitHub\n",
			}},
		{name: "refused", rep: Report{Head: head, Refusal: "reporter \"\x1b[8mboss\x1b[0m\u202e\" is not you\nsecond line"},
			shows: []string{"```text\nreporter \"\\x1b[8mboss\\x1b[0m\\u202e\" is not you\nsecond line\n```"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := Comment(tt.rep)
			for i, c := range body {
				if c == 0x1b || c == 0x07 || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) {
					t.Fatalf("comment holds %U at byte %d:\n%s", c, i, body)
				}
			}
			for _, want := range tt.shows {
				if !strings.Contains(body, want) {
					t.Errorf("comment lacks %q:\n%s", want, body)
				}
			}
			if len(tt.rep.Refused) > 0 {
				again := tt.rep
				again.Refused = PreviousRefusals(body, head)
				if got := Comment(again); got != body {
					t.Errorf("a re-run with the remembered refusals changes the comment:\n%s\nwant\n%s", got, body)
				}
			}
		})
	}
}
