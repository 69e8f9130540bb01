package demo

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/evidence"
)

// person is someone in people/.
type person struct {
	ID, Name, Login, Email, Dept, Supervisor, Role string
	Active                                         bool
	Path                                           string
	// joins is the month (index into the plan's months; -1 for the
	// set-up) in which IT adds the person.
	joins int
}

func (p *person) evidence() evidence.Person { return evidence.Person{ID: p.ID, Login: p.Login} }

// who is p's signature, without a time.
func (p *person) who() object.Signature { return object.Signature{Name: p.Name, Email: p.Email} }

// role names in people/.
const (
	roleEmployee   = "employee"
	roleContractor = "contractor"
	roleAuditor    = "auditor"
)

// castMember is one line of the demo's staff list.
type castMember struct {
	id, name, dept, supervisor, role string
	joins                            int
}

// The demo's people. The IT admin is the one posture init registered; its
// supervisor, when init gave none, becomes e1001.
var staff = []castMember{
	{"e1001", "Haruka Sato", "Management", "", roleEmployee, -1},
	{"e1002", "Kenji Watanabe", "Sales", "e1001", roleEmployee, -1},
	{"e1003", "Aiko Tanaka", "Sales", "e1002", roleEmployee, -1},
	{"e1004", "Daniel Okafor", "Sales", "e1002", roleEmployee, -1},
	{"e1005", "Mei Lin", "Sales", "e1002", roleEmployee, -1},
	{"e1006", "Sofia Rossi", "Engineering", "e1001", roleEmployee, -1},
	{"e1007", "Takeshi Mori", "Engineering", "e1006", roleEmployee, -1},
	{"e1008", "Priya Raman", "Engineering", "e1006", roleEmployee, -1},
	{"e1009", "Lukas Becker", "Engineering", "e1006", roleEmployee, -1},
	{"e1010", "Yuna Kobayashi", "Engineering", "e1006", roleEmployee, -1},
	{"e1011", "Omar Haddad", "Sales", "e1002", roleEmployee, newHireMonth},
	{"e1012", "Emma Nilsson", "Management", "e1001", roleEmployee, -1},
	{"e1013", "Grace Kim", "Internal Audit", "e1001", roleAuditor, -1},
	{"c2001", "Hiroshi Kondo", contractorDept, adminRef, roleContractor, -1},
	{"c2002", "Ana Costa", contractorDept, adminRef, roleContractor, -1},
}

const (
	contractorDept   = "Contractor: SecureOps BPO"
	contractorDomain = "secureops.example"
	// adminRef stands for the IT admin's id in the staff list.
	adminRef = "@admin"
	// newHireMonth is the month e1011 joins.
	newHireMonth = 4
)

// castPeople makes the demo's people for the organisation o.
func castPeople(o *org) ([]*person, error) {
	domain := slug(o.settings.Organization, ".") + ".example"
	if domain == ".example" {
		domain = "example.com"
	}
	var out []*person
	logins := map[string]string{strings.ToLower(o.admin.Login): o.admin.ID}
	for _, m := range staff {
		if _, taken := o.people[m.id]; taken {
			return nil, fmt.Errorf("people/%s.yaml exists already; the demo's people are e1001 to e1013, c2001 and c2002", m.id)
		}
		first, last, _ := strings.Cut(m.name, " ")
		p := &person{ID: m.id, Name: m.name, Login: slug(m.name, "-") + "-example", Dept: m.dept, Supervisor: m.supervisor,
			Role: m.role, Active: true, Path: "people/" + m.id + ".yaml", joins: m.joins,
			Email: strings.ToLower(first+"."+last) + "@" + domain}
		if m.role == roleContractor {
			p.Email = strings.ToLower(first+"."+last) + "@" + contractorDomain
		}
		if p.Supervisor == adminRef {
			p.Supervisor = o.admin.ID
		}
		if id, dup := logins[strings.ToLower(p.Login)]; dup {
			return nil, fmt.Errorf("the GitHub login %s of the demo's %s is %s's already", p.Login, p.ID, id)
		}
		logins[strings.ToLower(p.Login)] = p.ID
		out = append(out, p)
	}
	return out, nil
}

// slug is s in lower case with runs of other characters than letters and
// digits replaced by sep.
func slug(s, sep string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	return b.String()
}
