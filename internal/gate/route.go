package gate

import "strings"

// Route is who must approve a subject's records: the Security Check (2a)
// by the supervisor, and the Inspection (2b) by a contractor on the roster.
type Route struct {
	Subject Person
	// Supervisors may give 2a, as SupervisorApprovers decides: the
	// subject's supervisor, or whoever the escalation reached. Any one of
	// them suffices; usually there is one.
	Supervisors []Person
	// Escalation says, step by step, why 2a went past the named supervisor.
	Escalation []string
	// Contractors may give 2b: any one of them suffices.
	Contractors []Person
	// Never lists the logins whose approval never counts: the subject, the
	// pull request's author, and the identity it speaks for.
	Never []string
	// Writers wrote the commits of the pull request (WrittenBy): their
	// approval never counts either.
	Writers []Writer
}

// Plan works out the route for subject. never lists the logins that may not
// approve besides the subject's own (the pull request's author, and for a
// pull request opened from an issue form, the author). 2a goes to
// whom SupervisorApprovers decides; 2b to the active contractors with a
// login, except the subject and those in never.
func (r *Roster) Plan(subject Person, never ...string) Route {
	sv := r.SupervisorApprovers(subject, never...)
	rt := Route{Subject: subject, Supervisors: sv.People, Escalation: sv.Escalation, Never: excluded(subject, never)}
	barred := barredBy(rt.Never)
	for _, c := range r.Contractors() {
		if c.ID != subject.ID && !barred(c) {
			rt.Contractors = append(rt.Contractors, c)
		}
	}
	return rt
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
