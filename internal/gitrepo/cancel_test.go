package gitrepo

import (
	"context"
	"errors"
	"testing"
)

// countdown is a context that is done from the moment its error has been
// asked for after times times: a cancellation at a known point of a loop,
// whatever the speed of the machine.
type countdown struct {
	context.Context
	times, asked int
}

func (c *countdown) Err() error {
	c.asked++
	if c.asked > c.times {
		return context.Canceled
	}
	return nil
}

// TestLongWalksStopWhenCancelled cancels each long walk partway through
// and checks that it stops with context.Canceled at the next look at the
// context, without looking again: it did at most pollEvery more steps.
func TestLongWalksStopWhenCancelled(t *testing.T) {
	w := newWideRepo(t, 5*pollEvery)
	m := newWideMerge(t, 5*pollEvery)
	tests := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"HeadEntries", func(ctx context.Context) error {
			_, err := w.r.HeadEntriesContext(ctx, w.head, w.paths)
			return err
		}},
		{"LastChanged", func(ctx context.Context) error {
			_, err := w.r.LastChangedContext(ctx, w.head, w.paths)
			return err
		}},
		{"FirstParents", func(ctx context.Context) error {
			_, err := w.r.FirstParentsContext(ctx, w.head, "reports/")
			return err
		}},
		{"FirstParents of a wide merge", func(ctx context.Context) error {
			_, err := m.r.FirstParentsContext(ctx, m.head, "reports/")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Uncancelled, the walk looks at the context more than three
			// times; cancelled after two looks, it stops at the third.
			all := &countdown{Context: context.Background(), times: 1 << 30}
			if err := tc.run(all); err != nil {
				t.Fatal(err)
			}
			if all.asked <= 3 {
				t.Fatalf("the walk looked at the context %d times; want a walk long enough to cancel partway", all.asked)
			}
			ctx := &countdown{Context: context.Background(), times: 2}
			if err := tc.run(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled partway: %v, want context.Canceled", err)
			}
			if ctx.asked != 3 {
				t.Errorf("the walk looked at the context %d times, want 3: it went on after it was cancelled", ctx.asked)
			}
		})
	}
}
