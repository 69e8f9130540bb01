package gate

import (
	"fmt"
	"slices"
	"strings"
)

// Supervisors is who may give the Security Check (2a) for one subject, and
// why: the one decision that route, gate, merge and the audit share.
type Supervisors struct {
	// People may approve as the subject's supervisor; any one of them
	// suffices. It is the supervisor, or whoever the escalation reached:
	// one person, or the IT admins at the top. Empty when nobody can.
	People []Person
	// Escalation says, step by step, why 2a went past the subject's
	// supervisor; empty when the supervisor approves.
	Escalation []string
}

// SupervisorApprovers decides who may approve as subject's supervisor on
// this roster. never lists the logins whose approval never counts besides
// the subject's own: the pull request's author, and the identity it
// speaks for.
//
// 2a goes to the subject's supervisor. When the supervisor is the subject,
// is inactive, has no GitHub login or is in never, it escalates to the next
// level up; when the chain ends (the top of the organisation, a supervisor
// missing from people/, a loop), the active IT admins with a login stand
// in, except the subject and those in never.
func (r *Roster) SupervisorApprovers(subject Person, never ...string) Supervisors {
	var s Supervisors
	barred := barredBy(excluded(subject, never))
	note := func(format string, args ...any) { s.Escalation = append(s.Escalation, fmt.Sprintf(format, args...)) }

	seen := map[string]bool{}
	for below, id := subject.ID, subject.Supervisor; ; {
		p, ok := r.Get(id)
		switch {
		case id == "":
			note("%s has no supervisor in people/", below)
		case !ok:
			note("%s's supervisor %q is not in people/", below, id)
		case seen[id]:
			note("the supervisor chain of %s loops at %s", subject.ID, id)
		case id == subject.ID:
			note("%s, the supervisor of %s, is the subject; escalated to the next level", id, below)
		case !p.Active:
			note("%s, the supervisor of %s, is inactive; escalated to the next level", id, below)
		case p.Login == "":
			note("%s, the supervisor of %s, has no GitHub login; escalated to the next level", id, below)
		case barred(p):
			note("%s, the supervisor of %s, may not approve this pull request (@%s opened it or it speaks for them); escalated to the next level", id, below, p.Login)
		default:
			s.People = []Person{p}
			return s
		}
		if id == "" || !ok || seen[id] {
			break
		}
		seen[id] = true
		below, id = id, p.Supervisor
	}
	for _, a := range r.ITAdmins() {
		if a.ID != subject.ID && !barred(a) {
			s.People = append(s.People, a)
		}
	}
	if len(s.People) > 0 {
		note("no one above can approve; the IT admins stand in for the supervisor")
	} else {
		note("no one above can approve and no IT admin can stand in: add a supervisor to people/")
	}
	return s
}

// Includes reports whether the person with id may approve.
func (s Supervisors) Includes(id string) bool {
	return slices.ContainsFunc(s.People, func(p Person) bool { return p.ID == id })
}

// IDs lists who may approve by id, as "e2", "a1 or a2" or "nobody".
func (s Supervisors) IDs() string {
	var ids []string
	for _, p := range s.People {
		ids = append(ids, p.ID)
	}
	switch len(ids) {
	case 0:
		return "nobody"
	case 1:
		return ids[0]
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " or " + ids[len(ids)-1]
}

// Reason is the escalation in one line, "" when there was none.
func (s Supervisors) Reason() string { return strings.Join(s.Escalation, "; ") }

// excluded is the subject's login and never, without blanks and repeats.
func excluded(subject Person, never []string) []string {
	var out []string
	for _, l := range append([]string{subject.Login}, never...) {
		if l != "" && !slices.ContainsFunc(out, func(o string) bool { return sameLogin(o, l) }) {
			out = append(out, l)
		}
	}
	return out
}

// barredBy reports whether a person's login is one of logins.
func barredBy(logins []string) func(Person) bool {
	return func(p Person) bool {
		return slices.ContainsFunc(logins, func(l string) bool { return sameLogin(l, p.Login) })
	}
}
