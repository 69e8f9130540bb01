package demo

import (
	"fmt"
	"strings"
	"time"
)

// devicesIn lists owner's devices to report in month m: registered by
// then and not retired before it started.
func (p *plan) devicesIn(m int, owner *person) []*device {
	var out []*device
	for _, d := range p.devices {
		if d.Owner == owner.ID && d.registers <= m && (d.retires == 0 || d.retires >= m) {
			out = append(out, d)
		}
	}
	return out
}

// report is owner's monthly report of month m, written at tb: a pull
// request merged by posture (at merged, or when zero a few hours later),
// or in the scenarios' months a report failed and fixed, a late one, or a
// push straight to the branch.
func (p *plan) report(m int, owner *person, tb time.Time, merged time.Time) error {
	period := p.period(m)
	devs := p.devicesIn(m, owner)
	var ids []string
	for _, d := range devs {
		ids = append(ids, d.ID)
	}
	title := fmt.Sprintf("Report %s for %s", period, strings.Join(ids, " and "))
	late := m == lateMonth && owner.ID == "e1008"
	if late {
		tb = p.at(m, p.due, 16, p.rng.IntN(60)).AddDate(0, 0, 2)
	}
	files, err := p.reportFiles(m, devs, tb, func(d *device, s *scan) {
		switch {
		case late:
			s.concerns = "I was travelling until the day before yesterday, so this report is late."
		case m == threatMonth && d.ID == "d-e1005-laptop":
			s.threats = 1
			s.concerns = "Defender quarantined a malicious attachment from a phishing email; I told IT the same day."
		}
	})
	if err != nil {
		return err
	}
	c := commitSpec{at: tb, message: title + "\n", files: files}
	switch {
	case m == directMonth && owner.ID == "e1010":
		c.message = fmt.Sprintf("Add my report for %s\n", period)
		p.pushes = append(p.pushes, &push{commitSpec: c, author: owner})
		return nil
	case m == failMonth && owner.ID == "e1003":
		return p.failedThenFixed(m, owner, title, c, devs)
	}
	pr := &pull{title: title, branch: "report-" + period + "-" + owner.ID, author: owner, subject: owner, commits: []commitSpec{c}}
	if late {
		merged = tb.AddDate(0, 0, 1).Add(time.Duration(-5*60-p.rng.IntN(60)) * time.Minute)
	}
	p.accepted(pr, merged)
	return nil
}

// failedThenFixed is a report whose first commit fails posture check (a
// full scan older than the limit) and whose owner runs a full scan and
// pushes the fix the next morning, which is approved and merged; when the
// next morning is past the due day, the fix comes the same afternoon.
func (p *plan) failedThenFixed(m int, owner *person, title string, first commitSpec, devs []*device) error {
	stale, err := p.reportFiles(m, devs, first.at, func(_ *device, s *scan) {
		s.fullAgo = p.o.config.Thresholds.FullScan + 6 + p.rng.IntN(10)
	})
	if err != nil {
		return err
	}
	first.files = stale
	next := first.at.AddDate(0, 0, 1)
	fixAt := time.Date(next.Year(), next.Month(), next.Day(), 9, 10+p.rng.IntN(40), 0, 0, next.Location())
	var merged time.Time
	if fixAt.Day() > p.due {
		fixAt = first.at.Add(time.Duration(90+fixAt.Minute()) * time.Minute)
		merged = fixAt.Add(2 * time.Hour)
	}
	fixed, err := p.reportFiles(m, devs, fixAt, func(_ *device, s *scan) { s.fullAgo = 0 })
	if err != nil {
		return err
	}
	fix := commitSpec{at: fixAt, message: "Run a full scan and report again\n\nposture check said the last full scan was too old.\n", files: fixed}
	p.accepted(&pull{title: title, branch: "report-" + p.period(m) + "-" + owner.ID, author: owner, subject: owner,
		commits: []commitSpec{first, fix}}, merged)
	return nil
}

// reportFiles writes the reports of devs for month m as of on, each
// changed by adjust.
func (p *plan) reportFiles(m int, devs []*device, on time.Time, adjust func(*device, *scan)) (map[string][]byte, error) {
	th := p.o.config.Thresholds
	files := map[string][]byte{}
	for _, d := range devs {
		v, err := d.osAt(on)
		if err != nil {
			return nil, err
		}
		locks := []int{5, 5, 10, 2}
		s := scan{os: v, on: on, fullAgo: p.rng.IntN(max(min(9, th.FullScan-2), 0) + 1),
			quickAgo: p.rng.IntN(max(min(1, th.QuickScan-2), 0) + 1), lock: max(1, min(locks[p.rng.IntN(len(locks))], th.ScreenLock))}
		adjust(d, &s)
		files["reports/"+p.period(m)+"/"+d.ID+".yaml"] = reportYAML(d, p.period(m), s)
	}
	return files, nil
}
