package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// months is how many periods the demo reports: a year of closed periods
// and the current one, partly reported.
const months = 13

// current is the index of the current period.
const current = months - 1

// pull is a pull request of the demo, from its first commit to its merge.
type pull struct {
	number  int
	title   string
	branch  string
	author  *person
	commits []commitSpec
	merged  time.Time
	// posture pull requests change reports or devices and are merged by
	// posture merge with the evidence; the others change trusted files
	// and are merged on GitHub by their author after the code owners'
	// review.
	posture                bool
	subject                *person
	supervisor, contractor *person
	supAt, conAt           time.Time
	supReview, conReview   int64
}

// commitSpec is one commit: the files it writes.
type commitSpec struct {
	at      time.Time
	message string
	files   map[string][]byte
}

// push is a commit straight onto the branch, without a pull request.
type push struct {
	commitSpec
	author *person
}

// issues is a batch of issues that take pull request numbers: the
// monthly reminders posture open-issues files.
type issues struct {
	at    time.Time
	count int
}

// plan is the demo's year, worked out before anything is written.
type plan struct {
	o           *org
	now         time.Time
	first       time.Time // the start of the first period
	due         int
	rng         *rand.Rand
	byID        map[string]*person
	people      []*person // the demo's, without the IT admin
	contractors []*person
	devices     []*device
	stuck       stuckOS
	pulls       []*pull
	pushes      []*push
	issues      []issues
	setupAt     time.Time // the organisation's first commit
}

// seed fixes the demo's choices.
const seed = 20261201

func newPlan(o *org, now time.Time) (*plan, error) {
	loc := o.settings.Location
	n := now.In(loc)
	cur := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	p := &plan{o: o, now: now, first: cur.AddDate(0, -current, 0), due: o.settings.ReportDueDay,
		rng: rand.New(rand.NewPCG(seed, 1)), byID: map[string]*person{o.admin.ID: o.admin}}
	p.setupAt = p.at(-1, 20, 10, 0)
	var err error
	if p.people, err = castPeople(o); err != nil {
		return nil, err
	}
	for _, q := range p.people {
		p.byID[q.ID] = q
		if q.Role == roleContractor {
			p.contractors = append(p.contractors, q)
		}
	}
	if p.stuck, err = findStuck(o.config, p.monthStart(1), p.monthStart(current-1)); err != nil {
		return nil, err
	}
	regDay := func(m int) time.Time {
		if m < 0 {
			return p.at(-1, 22, 10, 0)
		}
		return p.at(m, 1, 10, 0)
	}
	if p.devices, err = castDevices(o, p.rng, p.stuck, regDay); err != nil {
		return nil, err
	}
	return p, nil
}

// monthStart is the first moment of month m (-1: the month before the
// first period).
func (p *plan) monthStart(m int) time.Time { return p.first.AddDate(0, m, 0) }

// at is a moment of month m in the organisation's timezone.
func (p *plan) at(m, day, hour, minute int) time.Time {
	s := p.monthStart(m)
	return time.Date(s.Year(), s.Month(), day, hour, minute, 0, 0, s.Location())
}

// period is month m written YYYY-MM.
func (p *plan) period(m int) string { return p.monthStart(m).Format("2006-01") }

// make works the whole year out.
func (p *plan) make() error {
	p.setup()
	for m := range months {
		if err := p.month(m); err != nil {
			return err
		}
	}
	p.number()
	return nil
}

// setup is the organisation's first week: IT adds the team, then everyone
// registers their devices.
func (p *plan) setup() {
	files := map[string][]byte{}
	for _, q := range p.people {
		if q.joins < 0 {
			files[q.Path] = personYAML(q)
		}
	}
	if p.o.admin.Supervisor == "" {
		p.o.admin.Supervisor = "e1001"
		files[p.o.admin.Path] = withSupervisor(p.o.adminFile, "e1001")
	}
	p.trusted("Add the team", "add-the-team", p.at(-1, 21, 10, 12), files)
	for i, owner := range p.owners(-1) {
		var devs []*device
		for _, d := range p.devices {
			if d.Owner == owner.ID && d.registers < 0 {
				devs = append(devs, d)
			}
		}
		p.register(owner, owner, devs, p.at(-1, 22+i/3, 9+2*(i%3), p.rng.IntN(50)), nil)
	}
}

// owners lists the people with devices registered by month m, in the
// order of the device list.
func (p *plan) owners(m int) []*person {
	var out []*person
	for _, d := range p.devices {
		q := p.byID[d.Owner]
		if d.registers <= m && !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

// month is one period: new people and devices, a retirement, the
// exception, and everyone's reports.
func (p *plan) month(m int) error {
	busy := map[string]time.Time{} // who registers a device this month, and when it merges
	for _, q := range p.people {
		if q.joins == m {
			p.trusted(fmt.Sprintf("Add %s (%s)", q.Name, q.ID), "add-"+q.ID, p.at(m, 1, 9, 40), map[string][]byte{q.Path: personYAML(q)})
		}
	}
	for _, d := range p.devices {
		if d.registers != m {
			continue
		}
		owner := p.byID[d.Owner]
		if old := p.replaced(d); old != nil {
			ret := &retirement{date: dateOf(p.at(m-1, 15, 0, 0)), reason: fmt.Sprintf("Display cracked; replaced by %s and handed back to IT", d.ID),
				disposition: "returned_to_it"}
			busy[owner.ID] = p.register(owner, p.o.admin, []*device{old, d}, p.at(m, 1, 10, p.rng.IntN(50)), ret).merged
			continue
		}
		// A new hire's device arrives the day after they join, or at
		// noon when reports are due on the first.
		at := p.at(m, 1, 10, p.rng.IntN(50))
		switch {
		case owner.joins == m && p.due < 2:
			at = at.Add(2 * time.Hour)
		case owner.joins == m:
			at = at.AddDate(0, 0, 1)
		}
		busy[owner.ID] = p.register(owner, owner, []*device{d}, at, nil).merged
	}
	if p.monthStart(m).Equal(p.exceptionMonth()) {
		p.exception()
	}
	owners := p.owners(m)
	p.issues = append(p.issues, issues{at: p.at(m, 1, 8, 0), count: len(owners)})
	if m == current {
		return p.currentMonth(owners)
	}
	for _, owner := range owners {
		// Reports come from the second day, or the day after their
		// owner's new device arrives, and by the due day: when that is
		// the day the device arrives, they follow its registration.
		lo := min(2, p.due)
		registered, isBusy := busy[owner.ID]
		if isBusy {
			lo = min(3, p.due)
		}
		hi := max(min(p.due, 14), lo)
		day := lo + p.rng.IntN(hi-lo+1)
		if owner.ID == p.stuckDevice().Owner && m == monthsBetween(p.first, p.stuck.end) {
			day = max(1, min(day, p.stuck.end.Day())) // reported while still supported
		}
		if m == failMonth && owner.ID == "e1003" {
			day = max(1, min(day, hi-1))
		}
		tb := p.at(m, day, 9+p.rng.IntN(6), p.rng.IntN(60))
		var merged time.Time
		if isBusy && !tb.After(registered) {
			tb = registered.Add(time.Duration(20+tb.Minute()%20) * time.Minute)
			merged = tb.Add(2 * time.Hour)
		}
		if err := p.report(m, owner, tb, merged); err != nil {
			return err
		}
	}
	return nil
}

// replaced is the device that d replaces, if any.
func (p *plan) replaced(d *device) *device {
	for _, old := range p.devices {
		if old.Owner == d.Owner && old.retires > 0 && old.retires+1 == d.registers && old.Type == d.Type {
			return old
		}
	}
	return nil
}
