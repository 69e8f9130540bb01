package gate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/evidence"
)

// Review states, as GitHub's REST API names them.
const (
	Approved         = "APPROVED"
	ChangesRequested = "CHANGES_REQUESTED"
	Commented        = "COMMENTED"
	Dismissed        = "DISMISSED"
	Pending          = "PENDING"
)

// Review is one pull request review as GitHub lists it.
type Review struct {
	ID     int64
	Login  string
	State  string
	Commit string // the commit the review was given on
	At     time.Time
}

// Note is a review that did not count, and why.
type Note struct {
	Login    string
	ReviewID int64
	Reason   string
}

// Outcome is what the reviews of a pull request amount to.
type Outcome struct {
	Head string
	// Supervisor and Contractor are the approvals that count for 2a and
	// 2b, nil while missing.
	Supervisor, Contractor *evidence.Approval
	// Notes are the reviewers' latest decisions that did not count.
	Notes []Note
}

// Complete reports whether both 2a and 2b are approved on the head.
func (o Outcome) Complete() bool { return o.Supervisor != nil && o.Contractor != nil }

// Approvals returns the approvals that count, 2a first.
func (o Outcome) Approvals() []evidence.Approval {
	var out []evidence.Approval
	for _, a := range []*evidence.Approval{o.Supervisor, o.Contractor} {
		if a != nil {
			out = append(out, *a)
		}
	}
	return out
}

// Decide counts the reviews of a pull request whose head commit is head.
// Each reviewer's latest decision counts (APPROVED, CHANGES_REQUESTED or
// DISMISSED; a COMMENTED review is a comment, not a decision, as on
// GitHub), and an approval only when it was given on head, by someone the
// route names, who is not in rt.Never and wrote no commit of it
// (rt.Writers). One person fills one role.
func Decide(rt Route, reviews []Review, head string) Outcome {
	o := Outcome{Head: head}
	sorted := slices.Clone(reviews)
	slices.SortStableFunc(sorted, func(a, b Review) int { return a.At.Compare(b.At) })
	var order []string
	latest := map[string]Review{}
	for _, rv := range sorted {
		key := strings.ToLower(rv.Login)
		if rv.Login == "" || rv.State == Commented || rv.State == Pending {
			continue
		}
		if _, ok := latest[key]; !ok {
			order = append(order, key)
		}
		latest[key] = rv
	}
	note := func(rv Review, format string, args ...any) {
		o.Notes = append(o.Notes, Note{Login: rv.Login, ReviewID: rv.ID, Reason: fmt.Sprintf(format, args...)})
	}
	for _, key := range order {
		rv := latest[key]
		sup, supOK := find(rt.Supervisors, rv.Login)
		con, conOK := find(rt.Contractors, rv.Login)
		w, wroteOK := rt.wrote(rv.Login)
		switch {
		case rv.State == Dismissed:
			note(rv, "the approval of @%s was dismissed", rv.Login)
		case rv.State != Approved:
			note(rv, "@%s requested changes", rv.Login)
		case sameLogin(rv.Login, rt.Subject.Login):
			note(rv, "@%s is the subject: their own approval never counts", rv.Login)
		case slices.ContainsFunc(rt.Never, func(l string) bool { return sameLogin(l, rv.Login) }):
			note(rv, "@%s opened this pull request or it speaks for them: their approval never counts", rv.Login)
		case wroteOK:
			note(rv, "@%s wrote commit %s of this pull request: an approval of what they wrote themselves never counts", rv.Login, short(w.Commit))
		case rv.Commit != head:
			note(rv, "@%s approved %s, an older commit; the head is %s: approve it again", rv.Login, short(rv.Commit), short(head))
		case supOK && o.Supervisor == nil:
			o.Supervisor = approval(evidence.RoleSupervisor, sup, rv)
		case conOK && o.Contractor == nil && !(o.Supervisor != nil && sameLogin(o.Supervisor.Approver.Login, rv.Login)):
			o.Contractor = approval(evidence.RoleContractor, con, rv)
		case supOK || conOK:
			// A second approval for a role already filled: nothing to add.
		default:
			note(rv, "@%s is neither the supervisor who must approve (%s) nor a contractor on the roster: their approval does not count", rv.Login, Mentions(rt.Supervisors))
		}
	}
	return o
}

func find(ps []Person, login string) (Person, bool) {
	for _, p := range ps {
		if sameLogin(p.Login, login) {
			return p, true
		}
	}
	return Person{}, false
}

func approval(role string, p Person, rv Review) *evidence.Approval {
	return &evidence.Approval{Role: role, Approver: evidence.Person{ID: p.ID, Login: rv.Login},
		ReviewID: rv.ID, At: rv.At, Commit: rv.Commit}
}

// short returns the first 7 characters of a commit hash.
func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// Missing lists what is still missing, one entry per role, e.g.
// "2a supervisor @kenji (e1002)" and "2b contractor @a or @b".
func (o Outcome) Missing(rt Route) []string {
	var out []string
	if o.Supervisor == nil {
		who := Mentions(rt.Supervisors)
		if len(rt.Supervisors) == 1 {
			who = rt.Supervisors[0].Mention()
			if held := rt.heldBy(rt.Supervisors[0]); held != "" {
				who = held
			}
		}
		out = append(out, "2a supervisor "+who)
	}
	if o.Contractor == nil {
		out = append(out, "2b contractor "+Mentions(rt.Contractors))
	}
	return out
}

// Description is the text of the posture/approvals status: who approved,
// or exactly who is still missing.
func (o Outcome) Description(rt Route) string {
	if o.Complete() {
		return fmt.Sprintf("2a @%s and 2b @%s approved %s", o.Supervisor.Approver.Login, o.Contractor.Approver.Login, short(o.Head))
	}
	return "missing " + strings.Join(o.Missing(rt), "; ")
}
