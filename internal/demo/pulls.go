package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// trusted is a pull request by the IT admin that changes trusted files,
// merged on GitHub after review.
func (p *plan) trusted(title, branch string, at time.Time, files map[string][]byte) {
	p.pulls = append(p.pulls, &pull{title: title, branch: branch, author: p.o.admin,
		commits: []commitSpec{{at: at, message: title + "\n", files: files}},
		merged:  at.Add(time.Duration(40+p.rng.IntN(80)) * time.Minute)})
}

// register is a pull request by author registering devs of owner (and
// retiring the first with ret, when set), merged by posture.
func (p *plan) register(owner, author *person, devs []*device, at time.Time, ret *retirement) *pull {
	files := map[string][]byte{}
	var ids []string
	for i, d := range devs {
		if i == 0 && ret != nil {
			files["devices/"+d.ID+".yaml"] = deviceYAML(d, d.registeredOn, p.o.config.SSIDs[0], ret)
			continue
		}
		d.registeredOn = dateOf(at)
		files["devices/"+d.ID+".yaml"] = deviceYAML(d, d.registeredOn, p.o.config.SSIDs[0], nil)
		ids = append(ids, d.ID)
	}
	title := "Register " + strings.Join(ids, " and ")
	if ret != nil {
		title = fmt.Sprintf("Replace %s with %s", devs[0].ID, strings.Join(ids, " and "))
	}
	pr := &pull{title: title, branch: "register-" + ids[0], author: author, subject: owner,
		commits: []commitSpec{{at: at, message: title + "\n", files: files}}}
	p.accepted(pr, time.Time{})
	return pr
}

// accepted completes a posture pull request: the approvals of its last
// commit and the merge, at merged or, when zero, a few hours later.
func (p *plan) accepted(pr *pull, merged time.Time) {
	pr.posture = true
	pr.supervisor = p.supervisorFor(pr.subject, pr.author)
	pr.contractor = p.contractors[p.rng.IntN(len(p.contractors))]
	head := pr.commits[len(pr.commits)-1].at
	if merged.IsZero() {
		pr.supAt = head.Add(time.Duration(40+p.rng.IntN(150)) * time.Minute)
		pr.conAt = pr.supAt.Add(time.Duration(10+p.rng.IntN(80)) * time.Minute)
		pr.merged = pr.conAt.Add(time.Duration(2+p.rng.IntN(7)) * time.Minute)
	} else {
		// Approved in the hour before the merge, or in thirds of a
		// shorter wait.
		gap := merged.Sub(head)
		pr.supAt = latest(head.Add(gap/3), merged.Add(-70*time.Minute))
		pr.conAt = latest(head.Add(gap*2/3), merged.Add(-20*time.Minute))
		pr.merged = merged
	}
	p.pulls = append(p.pulls, pr)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// supervisorFor is who approves as subject's supervisor in a pull request
// by author, as the gate decides it: the supervisor, escalated past
// anyone who cannot approve, and the IT admin at the top.
func (p *plan) supervisorFor(subject, author *person) *person {
	seen := map[string]bool{}
	for id := subject.Supervisor; id != "" && !seen[id]; {
		seen[id] = true
		s := p.byID[id]
		if s == nil {
			break
		}
		if s != subject && s != author && s.Active && s.Login != "" {
			return s
		}
		id = s.Supervisor
	}
	return p.o.admin
}

// number gives the pull requests and the monthly issues their numbers in
// the order they were opened, and the reviews their ids.
func (p *plan) number() {
	type item struct {
		at    time.Time
		pull  *pull
		count int
	}
	var items []item
	for _, pr := range p.pulls {
		items = append(items, item{at: pr.commits[0].at, pull: pr})
	}
	for _, is := range p.issues {
		items = append(items, item{at: is.at, count: is.count})
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.at.Compare(b.at) })
	n := 0
	for _, it := range items {
		if it.pull == nil {
			n += it.count
			continue
		}
		n++
		it.pull.number = n
	}
	type review struct {
		at time.Time
		id *int64
	}
	var rs []review
	for _, pr := range p.pulls {
		if pr.posture {
			rs = append(rs, review{pr.supAt, &pr.supReview}, review{pr.conAt, &pr.conReview})
		}
	}
	slices.SortStableFunc(rs, func(a, b review) int { return a.at.Compare(b.at) })
	id := int64(2_614_000_000)
	for _, r := range rs {
		id += int64(1 + p.rng.IntN(4000))
		*r.id = id
	}
}
