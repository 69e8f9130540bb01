package gate

import (
	"fmt"
	"slices"
	"strings"
)

// Route is who must approve a subject's records: the Security Check (2a)
// by the supervisor, and the Inspection (2b) by a contractor on the roster.
type Route struct {
	Subject Person
	// Supervisors may give 2a: the subject's supervisor, or whoever the
	// escalation reached. Any one of them suffices; usually there is one.
	Supervisors []Person
	// Escalation says, step by step, why 2a went past the named supervisor.
	Escalation []string
	// Contractors may give 2b: any one of them suffices.
	Contractors []Person
	// Never lists the logins whose approval never counts: the subject, the
	// pull request's author, and the identity it speaks for.
	Never []string
}

// Plan works out the route for subject. never lists the logins that may not
// approve besides the subject's own (the pull request's author, and for a
// pull request opened from an issue form, the author).
//
// 2a goes to the subject's supervisor. When the supervisor is the subject,
// is inactive, has no GitHub login or may not approve, it escalates to the
// next level up; when the chain ends (the top of the organisation, a
// supervisor missing from people/, a loop), the active IT admins stand in.
func (r *Roster) Plan(subject Person, never ...string) Route {
	rt := Route{Subject: subject, Never: excluded(subject, never)}
	barred := func(p Person) bool {
		return slices.ContainsFunc(rt.Never, func(l string) bool { return sameLogin(l, p.Login) })
	}
	note := func(format string, args ...any) { rt.Escalation = append(rt.Escalation, fmt.Sprintf(format, args...)) }

	seen := map[string]bool{}
	below, id := subject.ID, subject.Supervisor
	for rt.Supervisors == nil {
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
			rt.Supervisors = []Person{p}
			continue
		}
		if !ok || id == "" || seen[id] {
			break
		}
		seen[id] = true
		below, id = id, p.Supervisor
	}
	if rt.Supervisors == nil {
		for _, a := range r.ITAdmins() {
			if a.ID != subject.ID && !barred(a) {
				rt.Supervisors = append(rt.Supervisors, a)
			}
		}
		if len(rt.Supervisors) > 0 {
			note("no one above can approve; the IT admins stand in for the supervisor")
		} else {
			note("no one above can approve and no IT admin can stand in: add a supervisor to people/")
		}
	}
	for _, c := range r.Contractors() {
		if c.ID != subject.ID && !barred(c) {
			rt.Contractors = append(rt.Contractors, c)
		}
	}
	return rt
}

func excluded(subject Person, never []string) []string {
	var out []string
	for _, l := range append([]string{subject.Login}, never...) {
		if l != "" && !slices.ContainsFunc(out, func(o string) bool { return sameLogin(o, l) }) {
			out = append(out, l)
		}
	}
	return out
}

// Mentions lists people as "@a, @b or @c".
func Mentions(ps []Person) string {
	var ms []string
	for _, p := range ps {
		ms = append(ms, "@"+p.Login)
	}
	switch len(ms) {
	case 0:
		return "nobody"
	case 1:
		return ms[0]
	}
	return strings.Join(ms[:len(ms)-1], ", ") + " or " + ms[len(ms)-1]
}
