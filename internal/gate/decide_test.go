package gate

import (
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/evidence"
)

const (
	head = "1111111111111111111111111111111111111111"
	old  = "0000000000000000000000000000000000000000"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// rv is a review at minute m.
func rv(id int64, login, state, commit string, m int) Review {
	return Review{ID: id, Login: login, State: state, Commit: commit, At: t0.Add(time.Duration(m) * time.Minute)}
}

func TestDecide(t *testing.T) {
	r := testRoster(t)
	e4, _ := r.Get("e4")
	// A pull request opened by the bot from e4's issue: the bot is its
	// author, e4 the identity it speaks for and its subject.
	route := r.Plan(e4, "posture-bot[bot]", "yuki-n")
	tests := []struct {
		name       string
		reviews    []Review
		supervisor string // the login whose approval counts for 2a, or ""
		contractor string
		note       string // a substring of one note
		desc       string // the status description
	}{
		{name: "both roles approve the head", supervisor: "sales-head", contractor: "carl-c",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "carl-c", Approved, head, 2)},
			desc:    "2a @sales-head and 2b @carl-c approved 1111111"},
		{name: "approval by the subject", contractor: "carl-c", note: "@Yuki-N is the subject: their own approval never counts",
			reviews: []Review{rv(1, "Yuki-N", Approved, head, 1), rv(2, "carl-c", Approved, head, 2)},
			desc:    "missing 2a supervisor @sales-head (e2)"},
		{name: "approval by the pull request's author", note: "opened this pull request or it speaks for them",
			reviews: []Review{rv(1, "posture-bot[bot]", Approved, head, 1)},
			desc:    "missing 2a supervisor @sales-head (e2); 2b contractor @carl-c or @cora-c"},
		{name: "approval by a supervisor of someone else", contractor: "cora-c",
			note:    "@eng-head is neither the supervisor who must approve (@sales-head) nor a contractor on the roster",
			reviews: []Review{rv(1, "eng-head", Approved, head, 1), rv(2, "cora-c", Approved, head, 2)},
			desc:    "missing 2a supervisor @sales-head (e2)"},
		{name: "approval given and then a new commit pushed", note: "@sales-head approved 0000000, an older commit; the head is 1111111",
			reviews: []Review{rv(1, "sales-head", Approved, old, 1), rv(2, "carl-c", Approved, old, 2)},
			desc:    "missing 2a supervisor @sales-head (e2); 2b contractor @carl-c or @cora-c"},
		{name: "approved again after the push", supervisor: "sales-head", contractor: "carl-c",
			reviews: []Review{rv(1, "sales-head", Approved, old, 1), rv(2, "carl-c", Approved, old, 2),
				rv(3, "sales-head", Approved, head, 3), rv(4, "carl-c", Approved, head, 4)}},
		{name: "a contractor who is not on the roster", supervisor: "sales-head", note: "@mallory is neither",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "mallory", Approved, head, 2)},
			desc:    "missing 2b contractor @carl-c or @cora-c"},
		{name: "an inactive contractor", supervisor: "sales-head", note: "@old-contractor is neither",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "old-contractor", Approved, head, 2)}},
		{name: "an auditor is not a contractor", supervisor: "sales-head", note: "@audit-grace is neither",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "audit-grace", Approved, head, 2)}},
		{name: "a dismissed approval", contractor: "carl-c", note: "the approval of @sales-head was dismissed",
			reviews: []Review{rv(1, "sales-head", Dismissed, head, 1), rv(2, "carl-c", Approved, head, 2)}},
		{name: "a comment is not an approval", contractor: "carl-c",
			reviews: []Review{rv(1, "sales-head", Commented, head, 1), rv(2, "carl-c", Approved, head, 2)}},
		{name: "a comment after an approval leaves it standing", supervisor: "sales-head", contractor: "carl-c",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "sales-head", Commented, head, 2), rv(3, "carl-c", Approved, head, 3)}},
		{name: "changes requested after an approval withdraw it", contractor: "carl-c", note: "@sales-head requested changes",
			reviews: []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "sales-head", ChangesRequested, head, 2), rv(3, "carl-c", Approved, head, 3)}},
		{name: "the latest review counts, whatever order GitHub lists them in", supervisor: "sales-head", contractor: "carl-c",
			reviews: []Review{rv(3, "sales-head", Approved, head, 3), rv(1, "sales-head", ChangesRequested, head, 1), rv(2, "carl-c", Approved, head, 2)}},
		{name: "logins compared without case", supervisor: "Sales-Head", contractor: "CARL-C",
			reviews: []Review{rv(1, "Sales-Head", Approved, head, 1), rv(2, "CARL-C", Approved, head, 2)}},
		{name: "two contractors: the first approval counts", supervisor: "sales-head", contractor: "cora-c",
			reviews: []Review{rv(1, "cora-c", Approved, head, 1), rv(2, "carl-c", Approved, head, 2), rv(3, "sales-head", Approved, head, 3)}},
		{name: "a review by a deleted user", reviews: []Review{rv(1, "", Approved, head, 1)},
			desc: "missing 2a supervisor @sales-head (e2); 2b contractor @carl-c or @cora-c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Decide(route, tt.reviews, head)
			if got := login(o.Supervisor); got != tt.supervisor {
				t.Errorf("2a approved by %q, want %q (notes %+v)", got, tt.supervisor, o.Notes)
			}
			if got := login(o.Contractor); got != tt.contractor {
				t.Errorf("2b approved by %q, want %q (notes %+v)", got, tt.contractor, o.Notes)
			}
			if o.Complete() != (tt.supervisor != "" && tt.contractor != "") {
				t.Errorf("Complete() = %v", o.Complete())
			}
			var notes []string
			for _, n := range o.Notes {
				notes = append(notes, n.Reason)
			}
			if !strings.Contains(strings.Join(notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", notes, tt.note)
			}
			if tt.desc != "" && o.Description(route) != tt.desc {
				t.Errorf("description = %q, want %q", o.Description(route), tt.desc)
			}
			if len(o.Description(route)) > 140 {
				t.Errorf("description is over GitHub's 140 characters: %q", o.Description(route))
			}
		})
	}
}

func TestDecideApproval(t *testing.T) {
	r := testRoster(t)
	e4, _ := r.Get("e4")
	route := r.Plan(e4)
	o := Decide(route, []Review{rv(7, "sales-head", Approved, head, 1), rv(9, "carl-c", Approved, head, 2)}, head)
	a := o.Approvals()
	if len(a) != 2 || a[0].Role != "supervisor" || a[0].Approver.ID != "e2" || a[0].ReviewID != 7 || a[0].Commit != head ||
		!a[0].At.Equal(t0.Add(time.Minute)) || a[1].Role != "contractor" || a[1].Approver.ID != "c1" {
		t.Errorf("approvals = %+v", a)
	}
}

func TestDecideITAdminsStandIn(t *testing.T) {
	r := testRoster(t)
	top, _ := r.Get("e1")
	route := r.Plan(top)
	o := Decide(route, []Review{rv(1, "it-ada", Approved, head, 1), rv(2, "carl-c", Approved, head, 2)}, head)
	if !o.Complete() || o.Supervisor.Approver.ID != "a1" {
		t.Errorf("outcome = %+v", o)
	}
}

func login(a *evidence.Approval) string {
	if a == nil {
		return ""
	}
	return a.Approver.Login
}
