package gitrepo

import "context"

// pollEvery is how many steps of a long loop run between two looks at the
// context: often enough to stop well within a second, rarely enough to cost
// nothing.
const pollEvery = 1024

// poll tells a long loop when its context is done. The zero poll never is.
type poll struct {
	ctx context.Context
	n   int
}

// err returns the context's error, looking at it once in pollEvery calls.
func (p *poll) err() error {
	if p.ctx == nil {
		return nil
	}
	if p.n++; p.n%pollEvery != 0 {
		return nil
	}
	return p.ctx.Err()
}

// now returns the context's error at once: for a loop whose every step is
// slow, such as one commit of a history.
func (p *poll) now() error {
	if p.ctx == nil {
		return nil
	}
	return p.ctx.Err()
}
