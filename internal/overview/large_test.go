package overview

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// largeNames are the people of the large organisation, by department.
var largeNames = map[string][]string{
	"Engineering": {"Aiko Tanaka", "Ben Clarke", "Chen Wei", "Dmitri Ivanov", "Elif Demir", "Farah Khan", "Goro Nakamura", "Hana Suzuki", "Ivan Petrov", "Jun Park"},
	"Finance":     {"Kaito Yamada", "Laura Rossi", "Mei Lin", "Nora Berg", "Omar Haddad"},
	"Marketing":   {"Paula Silva", "Quinn Taylor", "Rina Kobayashi", "Sofia Marino", "Tomás García", "Uma Patel", "Victor Hugo"},
	"Operations":  {"Wen Zhou", "Xavier Dubois", "Yuki Sato", "Zara Ahmed", "Akira Honda", "Beatriz Costa"},
	"Sales":       {"Carlos Mendes", "Diana Prince", "Emma Novak", "Felix Wagner", "Greta Lund", "Hiro Ito", "Isla Murray", "Jonas Weber"},
}

// largeDepartments in the order the organisation lists them.
var largeDepartments = []string{"Engineering", "Finance", "Marketing", "Operations", "Sales"}

// largeOrganisation is a made-up company of 37 people for the screenshots:
// a chief executive and five departments, each head supervising the rest;
// a laptop each and a second one for a few, with twelve months of reports
// spread over the days of each month, some late, some failing, some
// missing (Marketing most often), and February's (2026-02) as on the 20th.
// Reports of a day go in one commit, but e1's come through pull requests.
func largeOrganisation(t *testing.T) string {
	b := gittest.NewBuilder(t)
	b.Files["posture.yaml"] = "organization: Example Corp\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"
	b.Files["people/e0.yaml"] = personYAML("e0", "Naomi Hayashi", "", "Management")
	type dev struct {
		id, owner string
		n, risk   int
	}
	devs := []dev{{"d-e0", "e0", 1, 2}}
	k := 1
	for di, dept := range largeDepartments {
		head := ""
		for j, name := range largeNames[dept] {
			id := fmt.Sprintf("e%d", k)
			sup := head
			if j == 0 {
				sup, head = "e0", id
			}
			b.Files["people/"+id+".yaml"] = personYAML(id, name, sup, dept)
			risk := map[string]int{"Marketing": 16, "Sales": 9}[dept] + (k*7)%5
			devs = append(devs, dev{"d-" + id, id, k*2 + 1, risk})
			if (k+di)%4 == 0 {
				devs = append(devs, dev{"d-" + id + "-2", id, k*2 + 2, risk})
			}
			k++
		}
	}
	for _, d := range devs {
		b.Files["devices/"+d.id+".yaml"] = deviceYAML(d.id, d.owner, d.n, "2025-01-01", "")
	}
	b.Files["policies/exceptions/exc-7.yaml"] = "id: exc-7\nrule: device.screen_lock\ndevice: d-e7\nreason: Kiosk display in the lab\napproved_by: e0\nexpires: 2026-06-30\n"
	b.Files["policies/exceptions/exc-12.yaml"] = "id: exc-12\nrule: os.supported\ndevice: d-e12\nreason: Away for repair\napproved_by: e0\nexpires: 2026-03-31\n"
	main := b.Commit("Set up\n", "Admin <admin@example.com>", time.Date(2025, 2, 20, 9, 0, 0, 0, jst))

	type rep struct {
		dev           dev
		on            time.Time
		lock, sigDays int
	}
	var all []rep
	for i := range Window {
		for _, d := range devs {
			r := (d.n*7919 + i*104729 + d.n*i*31) % 100
			day, lock, sig := 2+r%8, 5, 0
			switch {
			case d.id == "d-e12" && i >= 9: // away for repair, excepted
				continue
			case r < d.risk/2:
				continue // missing
			case r < d.risk:
				day = 11 + r%9 // late
			case r < d.risk+6:
				lock = 30 // failing
			case r < d.risk+12:
				sig = 5 // a warning
			}
			if i == Window-1 { // February, as it stands on the 20th
				day, lock, sig = 2+r%8, 5, 0
				switch f := (d.n*37 + 11) % 100; {
				case f < d.risk/2+6:
					continue // overdue
				case f < d.risk/2+14:
					day = 11 + f%9 // late
				case f < d.risk/2+22:
					lock = 30 // failing
				case f < d.risk/2+28:
					sig = 5
				}
			}
			all = append(all, rep{d, time.Date(2025, time.Month(3+i), day, 9, 0, 0, 0, jst), lock, sig})
		}
	}
	slices.SortStableFunc(all, func(a, b rep) int { return a.on.Compare(b.on) })
	pull := 40
	for i := 0; i < len(all); {
		day := all[i].on
		var batch []rep
		for ; i < len(all) && all[i].on.Equal(day); i++ {
			batch = append(batch, all[i])
		}
		for _, r := range batch {
			period := r.on.Format("2006-01")
			path := "reports/" + period + "/" + r.dev.id + ".yaml"
			content := reportYAML(period, r.dev.id, r.dev.owner, r.dev.n, r.on, r.sigDays, r.lock)
			if r.dev.owner != "e1" {
				b.Files[path] = content
				continue
			}
			pull++
			side := b.Fork()
			side.Files[path] = content
			head := side.Commit("Report "+r.dev.id+"\n", "Aiko Tanaka <e1@example.com>", r.on, main)
			b.Files[path] = content
			main = b.Commit(fmt.Sprintf("Merge pull request #%d from gh-e1/report\n\nReport %s for %s\n", pull, r.dev.id, period),
				"GitHub <noreply@github.com>", r.on.Add(time.Minute), main, head)
		}
		main = b.Commit("Reports of "+day.Format(time.DateOnly)+"\n", "GitHub <noreply@github.com>", day.Add(time.Hour), main)
	}
	b.Ref("refs/heads/main", main)
	return b.Dir
}
