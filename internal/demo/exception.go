package demo

import (
	"fmt"
	"time"
)

// stuckDevice is the laptop that cannot upgrade.
func (p *plan) stuckDevice() *device {
	for _, d := range p.devices {
		if d.stuck {
			return d
		}
	}
	panic("demo: no stuck device") // castDevices always makes one
}

// exceptionAt is when IT approves the exception: the morning after the
// stuck laptop's OS leaves support.
func (p *plan) exceptionAt() time.Time {
	e := p.stuck.end.AddDate(0, 0, 1)
	if first := p.monthStart(1); e.Before(first) {
		// Out of support before the year began: approved on its first
		// day, before any report of it.
		e = first
	}
	return time.Date(e.Year(), e.Month(), e.Day(), 9, 30, 0, 0, e.Location())
}

// exceptionMonth is the start of the month of exceptionAt.
func (p *plan) exceptionMonth() time.Time {
	e := p.exceptionAt()
	return time.Date(e.Year(), e.Month(), 1, 0, 0, 0, 0, e.Location())
}

// exception is IT's pull request approving the exception for the stuck
// laptop, in force until the end of the third month after now.
func (p *plan) exception() {
	d := p.stuckDevice()
	at := p.exceptionAt()
	nowL := p.now.In(at.Location())
	expires := dateOf(time.Date(nowL.Year(), nowL.Month()+4, 1, 0, 0, 0, 0, at.Location()).AddDate(0, 0, -1))
	e := d.table[d.entry]
	id := fmt.Sprintf("exc-%d-001", at.Year())
	reason := fmt.Sprintf("This %s cannot run a release newer than %s, which left support on %s. A replacement is ordered; until it arrives the owner keeps antivirus, disk encryption and screen lock on and reports monthly.",
		d.Model, e.Name, e.End)
	files := map[string][]byte{"policies/exceptions/" + id + ".yaml": exceptionYAML(id, "os.supported", d.ID, reason, p.o.admin.ID, expires)}
	p.trusted(fmt.Sprintf("Exception for %s: os.supported until %s", d.ID, expires), "exception-"+d.ID, at, files)
}
