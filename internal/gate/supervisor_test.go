package gate

import (
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

// rosterOf builds a roster of ps alone, without devices.
func rosterOf(t *testing.T, ps ...p) *Roster {
	t.Helper()
	people := map[string]*record.Record{}
	for _, x := range ps {
		rec, err := record.Parse("people/"+x.id+".yaml", record.Person, []byte(personYAML(x)))
		if err != nil {
			t.Fatal(err)
		}
		people[x.id] = rec
	}
	return NewRoster(people, nil)
}

func TestSupervisorApprovers(t *testing.T) {
	standard := testRoster(t)
	// Two IT admins who may stand in, one inactive and one without a
	// login who may not, and two people supervising each other.
	admins := rosterOf(t,
		p{id: "boss", login: "the-boss", role: "employee"},
		p{id: "x", login: "x-login", role: "employee", sup: "y"},
		p{id: "y", login: "y-login", role: "employee", sup: "x", inactive: true},
		p{id: "twin", login: "X-LOGIN", role: "employee", sup: "x"},
		p{id: "a2", login: "admin-two", role: "it-admin", sup: "boss"},
		p{id: "a1", login: "admin-one", role: "it-admin", sup: "boss"},
		p{id: "a3", login: "admin-gone", role: "it-admin", sup: "boss", inactive: true},
		p{id: "a4", role: "it-admin", sup: "boss"},
	)
	tests := []struct {
		name       string
		roster     *Roster
		subject    string
		never      []string
		want       string // ids, as IDs lists them
		escalation string // a substring of the reason; "" for none at all
	}{
		{name: "the supervisor", roster: standard, subject: "e4", want: "e2"},
		{name: "the pull request's bot author changes nothing", roster: standard, subject: "e4",
			never: []string{"posture-bot[bot]", "yuki-n"}, want: "e2"},
		{name: "an inactive supervisor: the next one up", roster: standard, subject: "e7", want: "e2",
			escalation: "e6, the supervisor of e7, is inactive; escalated to the next level"},
		{name: "a supervisor without a login: the next one up", roster: standard, subject: "e11", want: "e1",
			escalation: "e10, the supervisor of e11, has no GitHub login"},
		{name: "the supervisor opened the pull request: the next one up", roster: standard, subject: "e4",
			never: []string{"SALES-HEAD"}, want: "e1", escalation: "e2, the supervisor of e4, may not approve this pull request (@sales-head opened it"},
		{name: "the top of the organisation: the IT admins", roster: standard, subject: "e1", want: "a1",
			escalation: "e1 has no supervisor in people/; no one above can approve; the IT admins stand in for the supervisor"},
		{name: "escalated to the top, whose head opened the pull request", roster: standard, subject: "e2",
			never: []string{"top-boss"}, want: "a1", escalation: "e1, the supervisor of e2, may not approve"},
		{name: "a supervisor missing from people/", roster: standard, subject: "e9", want: "a1",
			escalation: `e9's supervisor "e404" is not in people/`},
		{name: "one's own supervisor", roster: standard, subject: "e8", want: "a1",
			escalation: "e8, the supervisor of e8, is the subject"},
		{name: "the IT admin at the top opened the pull request: nobody", roster: standard, subject: "e1",
			never: []string{"It-Ada"}, want: "nobody", escalation: "no IT admin can stand in: add a supervisor to people/"},
		{name: "the IT admin's own report goes to their supervisor", roster: standard, subject: "a1", want: "e1"},
		{name: "the only IT admin never stands in for themself", roster: standard, subject: "a1",
			never: []string{"top-boss"}, want: "nobody", escalation: "add a supervisor"},
		{name: "the active IT admins with a login stand in, by id", roster: admins, subject: "boss", want: "a1 or a2",
			escalation: "boss has no supervisor"},
		{name: "a chain that loops", roster: admins, subject: "x", want: "a1 or a2",
			escalation: "y, the supervisor of x, is inactive; escalated to the next level; x, the supervisor of y, is the subject; escalated to the next level; the supervisor chain of x loops at y"},
		{name: "a supervisor who shares the subject's login", roster: admins, subject: "twin", want: "a1 or a2",
			escalation: "x, the supervisor of twin, may not approve this pull request (@x-login"},
		{name: "an IT admin who opened it does not stand in", roster: admins, subject: "boss",
			never: []string{"admin-one"}, want: "a2", escalation: "the IT admins stand in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := tt.roster.Get(tt.subject)
			if !ok {
				t.Fatalf("%s is not on the roster", tt.subject)
			}
			sv := tt.roster.SupervisorApprovers(s, tt.never...)
			if got := sv.IDs(); got != tt.want {
				t.Errorf("approvers = %s, want %s (%s)", got, tt.want, sv.Reason())
			}
			for _, a := range sv.People {
				if !sv.Includes(a.ID) || a.Login == "" || !a.Active {
					t.Errorf("%+v may approve: want an active person with a login whom Includes finds", a)
				}
			}
			if sv.Includes(s.ID) {
				t.Errorf("the subject %s may approve their own report", s.ID)
			}
			reason := sv.Reason()
			if tt.escalation == "" && reason != "" || !strings.Contains(reason, tt.escalation) {
				t.Errorf("reason = %q, want %q", reason, tt.escalation)
			}
			// The route of the gate is this decision.
			if rt := tt.roster.Plan(s, tt.never...); ids(rt.Supervisors) != ids(sv.People) || strings.Join(rt.Escalation, "; ") != reason {
				t.Errorf("Plan routes 2a to %q (%v), SupervisorApprovers to %q", ids(rt.Supervisors), rt.Escalation, ids(sv.People))
			}
		})
	}
}
