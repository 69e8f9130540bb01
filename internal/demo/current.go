package demo

import (
	"slices"
	"time"
)

// currentMonth has some of owners report between the start of the period
// and now (more the closer the due day), the others not yet: on working
// days before today, or when the period began today or yesterday, spread
// over the time since it began.
func (p *plan) currentMonth(owners []*person) error {
	start := p.monthStart(current)
	elapsed := p.now.Sub(start)
	n := len(owners)
	share := 0.25 + 0.5*min(1, elapsed.Hours()/24/float64(p.due))
	k := min(max(int(float64(n)*share+0.5), 2), n-2)
	order := slices.Clone(owners)
	p.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	if hi := min(p.due, 14, p.now.In(start.Location()).Day()-1); hi >= 2 {
		for _, owner := range order[:k] {
			tb := p.at(current, 2+p.rng.IntN(hi-1), 9+p.rng.IntN(6), p.rng.IntN(60))
			if err := p.report(current, owner, tb, time.Time{}); err != nil {
				return err
			}
		}
		return nil
	}
	ws, we := start.Add(elapsed/10), p.now.Add(-time.Second)
	if elapsed > 10*time.Hour {
		ws, we = start.Add(8*time.Hour), p.now.Add(-5*time.Minute)
	}
	if due := start.AddDate(0, 0, p.due).Add(-6 * time.Hour); we.After(due) && due.After(ws) {
		we = due
	}
	if !we.After(ws) || k <= 0 {
		return nil
	}
	step := we.Sub(ws) / time.Duration(k)
	for i, owner := range order[:k] {
		tb := ws.Add(time.Duration(i) * step).Truncate(time.Minute)
		if err := p.report(current, owner, tb, tb.Add(step*3/4)); err != nil {
			return err
		}
	}
	return nil
}

// monthsBetween counts the months from the month of a to that of b.
func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}
