// Package gate is posture's review gate as pure logic, without GitHub or
// Git: whose records a pull request changes (the subject), who must approve
// them (the subject's supervisor, escalated when need be, for the Security
// Check 2a, and a contractor inspector on the roster for the Inspection 2b),
// which reviews count (each reviewer's latest decision, on the head commit,
// never the subject's, the pull request author's or that of someone who
// wrote one of its commits), what is still missing, and how that is shown
// in labels and the routing comment.
//
// Everything the gate trusts, the roster included, comes from the base
// commit of the pull request; labels and statuses are never read as state.
package gate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/record"
)

// Roles a person holds in people/.
const (
	RoleEmployee   = "employee"
	RoleITAdmin    = "it-admin"
	RoleAuditor    = "auditor"
	RoleContractor = "contractor"
)

// Person is one record of people/ as the gate sees it.
type Person struct {
	ID         string
	Login      string // GitHub login, "" when the record has none
	Name       string
	Role       string
	Supervisor string // the supervisor's id, "" at the top
	Active     bool
}

// Evidence returns p as the evidence trailers name people.
func (p Person) Evidence() evidence.Person { return evidence.Person{ID: p.ID, Login: p.Login} }

// Mention returns "@login (id)", or the id alone without a login.
func (p Person) Mention() string {
	if p.Login == "" {
		return p.ID
	}
	return "@" + p.Login + " (" + p.ID + ")"
}

// Roster is the people and device owners of one tree, usually the base
// commit of a pull request.
type Roster struct {
	people  map[string]Person
	byLogin map[string]string // lowercased login -> id; "" when two people share it
	devices map[string]string // device id -> owner id
}

// NewRoster builds a roster from parsed people and device records, keyed by
// the id in their file names.
func NewRoster(people, devices map[string]*record.Record) *Roster {
	r := &Roster{people: map[string]Person{}, byLogin: map[string]string{}, devices: map[string]string{}}
	for id, rec := range people {
		p := Person{ID: id, Login: rec.String("github"), Name: rec.String("name"), Role: rec.String("role"),
			Supervisor: rec.String("supervisor"), Active: rec.Data["active"] == true}
		r.people[id] = p
		if p.Login == "" {
			continue
		}
		key := strings.ToLower(p.Login)
		if _, dup := r.byLogin[key]; dup {
			r.byLogin[key] = "" // ambiguous: nobody
			continue
		}
		r.byLogin[key] = id
	}
	for id, rec := range devices {
		r.devices[id] = rec.String("owner")
	}
	return r
}

// LoadRoster reads people/ and devices/ of fsys. A record that does not
// parse is left out: the tree is a trusted commit that CI has checked.
func LoadRoster(fsys fs.FS) (*Roster, error) {
	people, err := readDir(fsys, record.PeopleDir, record.Person)
	if err != nil {
		return nil, err
	}
	devices, err := readDir(fsys, record.DevicesDir, record.Device)
	if err != nil {
		return nil, err
	}
	return NewRoster(people, devices), nil
}

func readDir(fsys fs.FS, dir string, kind record.Kind) (map[string]*record.Record, error) {
	out := map[string]*record.Record{}
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		if k, ok, problem := record.Classify(p); !ok || k != kind || problem != "" || !e.Type().IsRegular() {
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if rec, _ := record.Parse(p, kind, data); rec != nil {
			out[record.IDOf(p)] = rec
		}
	}
	return out, nil
}

// Get returns the person with id.
func (r *Roster) Get(id string) (Person, bool) {
	p, ok := r.people[id]
	return p, ok
}

// ByLogin returns the person whose GitHub login is login, compared without
// case as GitHub does. A login that two records claim belongs to nobody.
func (r *Roster) ByLogin(login string) (Person, bool) {
	id := r.byLogin[strings.ToLower(login)]
	if id == "" {
		return Person{}, false
	}
	return r.people[id], true
}

// DeviceOwner returns the id of the owner of device id, as registered.
func (r *Roster) DeviceOwner(id string) (string, bool) {
	o, ok := r.devices[id]
	return o, ok
}

// withRole returns the active people with role and a login, by id.
func (r *Roster) withRole(role string) []Person {
	var out []Person
	for _, p := range r.people {
		if p.Role == role && p.Active && p.Login != "" {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Person) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ITAdmins returns the active IT admins with a GitHub login, by id.
func (r *Roster) ITAdmins() []Person { return r.withRole(RoleITAdmin) }

// Contractors returns the active contractor inspectors with a GitHub login,
// by id: the roster of 2b.
func (r *Roster) Contractors() []Person { return r.withRole(RoleContractor) }

// sameLogin compares two GitHub logins as GitHub does, without case.
func sameLogin(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
