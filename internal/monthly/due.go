// Package monthly runs the month's cycle on GitHub: it works out who owes
// reports for a period and for which devices, opens one issue per person
// (idempotently, paced, under a runaway cap), reminds them once per step,
// tells their supervisor when the due day has passed, and closes each issue
// when every report is merged.
package monthly

import (
	"sort"

	"github.com/posture-dev/posture/internal/record"
)

// Subject is a person who owes reports for a period.
type Subject struct {
	ID         string
	Name       string
	Login      string // GitHub login, from people/
	Supervisor string // person id, may be ""
	Devices    []Device
}

// Device is a device a report is owed for.
type Device struct {
	ID, Type, Platform, Model string
}

// Due returns the people who owe reports for period, by id, each with the
// devices they owe one for, by id: every active person who owns at least
// one device that was active at the start of the period, that is,
// registered on or before its first day and not retired by then (a device
// retired later in the month is still reported, as report.device_active
// allows).
func Due(people, devices map[string]*record.Record, period string) []Subject {
	start := period + "-01"
	bySubject := map[string]*Subject{}
	for id, d := range devices {
		owner, ok := people[d.String("owner")]
		if !ok || owner.Data["active"] != true || !d.InUseOn(start) {
			continue
		}
		pid := d.String("owner")
		s := bySubject[pid]
		if s == nil {
			s = &Subject{ID: pid, Name: owner.String("name"), Login: owner.String("github"), Supervisor: owner.String("supervisor")}
			bySubject[pid] = s
		}
		s.Devices = append(s.Devices, Device{ID: id, Type: d.String("type"), Platform: d.String("platform"), Model: d.String("model")})
	}
	out := make([]Subject, 0, len(bySubject))
	for _, s := range bySubject {
		sort.Slice(s.Devices, func(i, j int) bool { return s.Devices[i].ID < s.Devices[j].ID })
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ReportPath returns where device's report for period lives.
func ReportPath(period, device string) string {
	return record.ReportsDir + "/" + period + "/" + device + ".yaml"
}

// Supervisor returns whom to tell about s: the first active person with a
// GitHub login up the supervisor chain who is not s, or nil.
func Supervisor(people map[string]*record.Record, s Subject) *record.Record {
	seen := map[string]bool{s.ID: true}
	for id := s.Supervisor; id != "" && !seen[id]; {
		seen[id] = true
		p, ok := people[id]
		if !ok {
			return nil
		}
		if p.Data["active"] == true && p.String("github") != "" {
			return p
		}
		id = p.String("supervisor")
	}
	return nil
}
