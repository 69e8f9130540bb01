package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/record"
)

func report(path, reporter, device string) Changed {
	return Changed{Path: path, Kind: record.Report, Reporter: reporter, Device: device}
}

func device(path, owner string) Changed {
	return Changed{Path: path, Kind: record.Device, Owner: owner}
}

func TestSubject(t *testing.T) {
	r := testRoster(t)
	tests := []struct {
		name    string
		changed []Changed
		want    string // the subject's id, or "" when refused
		refusal string // a substring of the refusal
	}{
		{name: "one report of one's own device", changed: []Changed{report("reports/2026-11/d-e4.yaml", "e4", "d-e4")}, want: "e4"},
		{name: "two reports of one person", want: "e4", changed: []Changed{
			report("reports/2026-11/d-e4.yaml", "e4", "d-e4"), report("reports/2026-10/d-e4.yaml", "e4", "d-e4")}},
		{name: "a new device", changed: []Changed{device("devices/d-new.yaml", "e5")}, want: "e5"},
		{name: "a report for someone else's device", changed: []Changed{report("reports/2026-11/d-e5.yaml", "e4", "d-e5")},
			refusal: `names reporter "e4", but device "d-e5" belongs to "e5"`},
		{name: "one's own report written over a colleague's", changed: []Changed{report("reports/2026-11/d-e5.yaml", "e4", "d-e4")},
			refusal: `is the report of device "d-e5", but it names device "d-e4"`},
		{name: "records of two people", changed: []Changed{
			report("reports/2026-11/d-e4.yaml", "e4", "d-e4"), report("reports/2026-11/d-e5.yaml", "e5", "d-e5")},
			refusal: "changes the records of e4 and e5"},
		{name: "a device not registered on the base", changed: []Changed{report("reports/2026-11/d-x.yaml", "e4", "d-x")},
			refusal: "not registered on the base branch"},
		{name: "a device of nobody in people/", changed: []Changed{device("devices/d-ghost.yaml", "e999")},
			refusal: `belongs to "e999", who is not in people/`},
		{name: "a device without owner", changed: []Changed{device("devices/d-ghost.yaml", "")}, refusal: "names no owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Subject(tt.changed)
			reason, refused := IsRefusal(err)
			switch {
			case tt.refusal != "" && (!refused || !strings.Contains(reason, tt.refusal)):
				t.Errorf("Subject = %s, %v; want refused with %q", got.ID, err, tt.refusal)
			case tt.refusal == "" && (err != nil || got.ID != tt.want):
				t.Errorf("Subject = %s, %v; want %s", got.ID, err, tt.want)
			}
		})
	}
	if _, err := r.Subject(nil); !errors.Is(err, ErrNoRecords) {
		t.Errorf("no records: %v, want ErrNoRecords", err)
	}
}

func TestCheckIdentity(t *testing.T) {
	r := testRoster(t)
	e4, _ := r.Get("e4")
	rep := []Changed{report("reports/2026-11/d-e4.yaml", "e4", "d-e4")}
	dev := []Changed{device("devices/d-new.yaml", "e4")}
	tests := []struct {
		name     string
		identity string
		changed  []Changed
		ok       bool
	}{
		{"the subject, in another case", "yuki-n", rep, true},
		{"someone else files a report for e4", "daniel-o", rep, false},
		{"the supervisor files it for them", "sales-head", rep, false},
		{"an IT admin registers a device for e4", "it-ada", dev, true},
		{"an IT admin files a report for e4", "it-ada", rep, false},
		{"a login nobody has", "mallory", rep, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckIdentity(e4, tt.identity, tt.changed)
			if (err == nil) != tt.ok {
				t.Errorf("CheckIdentity(%s) = %v, want ok=%v", tt.identity, err, tt.ok)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	r := testRoster(t)
	tests := []struct {
		name        string
		subject     string
		never       []string
		supervisors string // ids
		contractors string
		escalation  string // a substring of the escalation notes
	}{
		{name: "the supervisor", subject: "e4", supervisors: "e2", contractors: "c1 c2"},
		{name: "an inactive supervisor escalates", subject: "e7", supervisors: "e2", contractors: "c1 c2",
			escalation: "e6, the supervisor of e7, is inactive"},
		{name: "the subject as their own supervisor escalates, then the IT admins stand in", subject: "e8",
			supervisors: "a1", contractors: "c1 c2", escalation: "e8, the supervisor of e8, is the subject"},
		{name: "a supervisor missing from people/", subject: "e9", supervisors: "a1", contractors: "c1 c2",
			escalation: `e9's supervisor "e404" is not in people/`},
		{name: "the top of the organisation", subject: "e1", supervisors: "a1", contractors: "c1 c2",
			escalation: "e1 has no supervisor"},
		{name: "a supervisor without a login escalates", subject: "e11", supervisors: "e1", contractors: "c1 c2",
			escalation: "e10, the supervisor of e11, has no GitHub login"},
		{name: "a supervisor who opened the pull request escalates", subject: "e4", never: []string{"SALES-HEAD"},
			supervisors: "e1", contractors: "c1 c2", escalation: "may not approve this pull request"},
		{name: "a contractor's own report", subject: "c1", supervisors: "a1", contractors: "c2"},
		{name: "the IT admin's own report goes to their supervisor", subject: "a1", supervisors: "e1", contractors: "c1 c2"},
		{name: "a contractor who opened it is not on the route", subject: "e4", never: []string{"carl-c"},
			supervisors: "e2", contractors: "c2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := r.Get(tt.subject)
			rt := r.Plan(s, tt.never...)
			if got := ids(rt.Supervisors); got != tt.supervisors {
				t.Errorf("supervisors = %q, want %q (%v)", got, tt.supervisors, rt.Escalation)
			}
			if got := ids(rt.Contractors); got != tt.contractors {
				t.Errorf("contractors = %q, want %q", got, tt.contractors)
			}
			notes := strings.Join(rt.Escalation, "\n")
			if tt.escalation == "" && notes != "" || !strings.Contains(notes, tt.escalation) {
				t.Errorf("escalation = %q, want %q", notes, tt.escalation)
			}
		})
	}
}

func TestPlanNobodyCanApprove(t *testing.T) {
	a, _ := record.Parse("people/x.yaml", record.Person, []byte(personYAML(p{id: "x", login: "x", role: "employee"})))
	r := NewRoster(map[string]*record.Record{"x": a}, nil)
	rt := r.Plan(Person{ID: "x", Login: "x"})
	if len(rt.Supervisors) != 0 || !strings.Contains(strings.Join(rt.Escalation, " "), "add a supervisor") {
		t.Errorf("route = %+v", rt)
	}
	o := Decide(rt, nil, "abc")
	if got := o.Description(rt); got != "missing 2a supervisor nobody; 2b contractor nobody" {
		t.Errorf("description = %q", got)
	}
}
