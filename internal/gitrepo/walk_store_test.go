package gitrepo

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// memSteps is a StepStore in memory that counts what it is asked.
type memSteps struct {
	steps       map[plumbing.Hash]Step
	hits, kept  int
	withhold    map[plumbing.Hash]bool // Step says it holds none of these
	corruptPath bool                   // Step returns its changes out of order
}

func (m *memSteps) Step(c plumbing.Hash) (Step, bool) {
	s, ok := m.steps[c]
	if !ok || m.withhold[c] {
		return Step{}, false
	}
	m.hits++
	s.Changes = append([]Change(nil), s.Changes...)
	if m.corruptPath && len(s.Changes) > 1 {
		s.Changes[0], s.Changes[1] = s.Changes[1], s.Changes[0]
	}
	s.Origins = maps.Clone(s.Origins)
	return s, true
}

func (m *memSteps) KeepStep(s Step) {
	m.kept++
	s.Changes = append([]Change(nil), s.Changes...)
	s.Origins = maps.Clone(s.Origins)
	m.steps[s.Hash] = s
}

// TestFirstParentsStore walks a history with merges three times with one
// store: the first walk keeps every step, the second reads every step
// back, and both give what a walk without a store gives; steps withheld or
// given back out of order are computed again, to the same result.
func TestFirstParentsStore(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/e1.yaml", "e1")
	head := b.commit("root")
	var merges []plumbing.Hash
	for i := range 12 {
		side := b.fork()
		side.write(fmt.Sprintf("reports/2026-%02d/d1.yaml", i+1), "draft")
		side.write("reports/2026-01/d2.yaml", fmt.Sprint("v", i))
		sc := side.commit("report", head)
		side.write(fmt.Sprintf("reports/2026-%02d/d1.yaml", i+1), "final")
		sc = side.commit("fix", sc)
		b.write(fmt.Sprintf("people/e%d.yaml", i+2), "e")
		head = b.commit("main moves on", head)
		b.write(fmt.Sprintf("reports/2026-%02d/d1.yaml", i+1), "final")
		b.write("reports/2026-01/d2.yaml", fmt.Sprint("v", i))
		head = b.commit("merge", head, sc)
		merges = append(merges, head)
	}
	b.ref("refs/heads/main", head)
	r := b.open()
	ctx := context.Background()
	want, err := r.FirstParents(commitObj(t, r, head), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if o := want.Steps[0].Origins; len(o) != 2 {
		t.Fatalf("the newest merge has origins %v; the test wants two", o)
	}
	store := &memSteps{steps: map[plumbing.Hash]Step{}}
	walk := func(name string) {
		t.Helper()
		got, err := r.FirstParentsStore(ctx, commitObj(t, r, head), store, "reports/")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the walk with a store differs from the walk without one", name)
		}
	}
	walk("first walk")
	if store.kept != len(want.Steps) || store.hits != 0 {
		t.Errorf("first walk: kept %d steps, read %d; want %d kept, none read", store.kept, store.hits, len(want.Steps))
	}
	store.kept = 0
	walk("second walk")
	if store.kept != 0 || store.hits != len(want.Steps) {
		t.Errorf("second walk: kept %d steps, read %d; want none kept, %d read", store.kept, store.hits, len(want.Steps))
	}
	store.hits, store.withhold = 0, map[plumbing.Hash]bool{merges[3]: true, merges[7]: true}
	walk("walk with two steps withheld")
	if store.kept != 2 {
		t.Errorf("kept %d steps again; want the 2 withheld", store.kept)
	}
	store.withhold, store.corruptPath = nil, true
	walk("walk with steps out of order")

	// The walk does not read a stored step's commit again (that is what
	// the store saves): marked in the store only, a message shows that.
	// The store's entries are as trusted as the results kept beside them
	// (check.Cache: its checksums find damage, not forgery).
	store.corruptPath = false
	kept := store.steps[merges[5]]
	kept.Message = "as the store has it"
	store.steps[merges[5]] = kept
	got, err := r.FirstParentsStore(ctx, commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range got.Steps {
		if st.Hash == merges[5] && st.Message != kept.Message {
			t.Errorf("the walk read merge %s again: message %q, not the stored %q", st.Hash, st.Message, kept.Message)
		}
	}
}

// TestFirstParentsStorePartial keeps no step of a merge whose branch runs
// into a commit missing from the repository: its origins may be found once
// the history is fetched.
func TestFirstParentsStorePartial(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a", "1")
	head := b.commit("root")
	side := b.fork()
	side.write("reports/2026-01/d1.yaml", "x")
	lost := plumbing.NewHash(strings.Repeat("cd", 20))
	sc := side.commit("on a lost parent", lost)
	b.write("reports/2026-01/d1.yaml", "x")
	head = b.commit("merge", head, sc)
	b.ref("refs/heads/main", head)
	r := b.open()
	store := &memSteps{steps: map[plumbing.Hash]Step{}}
	h, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := store.steps[head]; ok {
		t.Errorf("the merge's step was kept, with origins %v", h.Steps[0].Origins)
	}
	if _, ok := store.steps[h.Steps[1].Hash]; !ok {
		t.Errorf("the root's step was not kept")
	}
}
