package forge_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/forge/githubtest"
)

func TestPacerSpacesContentCreation(t *testing.T) {
	c, srv, clk := setup(t)
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	ctx := context.Background()

	for i := range 3 {
		if _, err := c.CreateComment(ctx, n, fmt.Sprint("comment ", i)); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(500 * time.Millisecond) // time passes between two creations
	if _, err := c.CreateComment(ctx, n, "late"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	if _, err := c.CreateComment(ctx, n, "later still"); err != nil {
		t.Fatal(err)
	}
	// Reads are not paced.
	if _, err := c.Comments(ctx, n); err != nil {
		t.Fatal(err)
	}
	checkWaits(t, clk.Waits(), exactly(750*time.Millisecond), exactly(750*time.Millisecond),
		exactly(250*time.Millisecond))
}

func TestPacerSerialisesConcurrentCreations(t *testing.T) {
	c, srv, clk := setup(t)
	n := srv.AddIssue(githubtest.Issue{Title: "x"})
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.CreateComment(context.Background(), n, fmt.Sprint("comment ", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := len(srv.Comments(n)); got != 5 {
		t.Errorf("%d comments, want 5", got)
	}
	w := exactly(750 * time.Millisecond)
	checkWaits(t, clk.Waits(), w, w, w, w)
}

func TestPacerHourlyBudget(t *testing.T) {
	c, srv, clk := setup(t, func(o *forge.Options) { o.CreateBudget = 3 })
	ctx := context.Background()
	first := clk.Now()
	for i := range 3 {
		if _, err := c.CreateIssue(ctx, fmt.Sprint("issue ", i), "", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateIssue(ctx, "one too many", "", nil, nil)
	var rl *forge.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *forge.RateLimitError", err)
	}
	if want := first.Add(time.Hour); !rl.ResumeAt.Equal(want) {
		t.Errorf("ResumeAt = %v, want %v (an hour after the first creation)", rl.ResumeAt, want)
	}
	if got := srv.Calls("POST", "issues"); got != 3 {
		t.Errorf("POST issues sent %d times, want 3", got)
	}
	// Reads are not counted against the budget.
	if _, err := c.Issue(ctx, 1); err != nil {
		t.Errorf("read after the budget was spent: %v", err)
	}
	clk.Advance(rl.ResumeAt.Sub(clk.Now()))
	if _, err := c.CreateIssue(ctx, "one too many", "", nil, nil); err != nil {
		t.Errorf("after ResumeAt: %v", err)
	}
	if got := len(srv.Issues()); got != 4 {
		t.Errorf("%d issues, want 4", got)
	}
}
