package gitrepo

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
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

// TestFirstParentsStoreEnds walks a shallow clone (git clone --depth 2)
// with a store that a walk of the whole history filled, as when a cache of
// a deeper clone is restored into it: the walk ends where the clone's
// history does, as it does without a store.
func TestFirstParentsStoreEnds(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the test makes a shallow clone with it")
	}
	b := newBuilder(t, false)
	var head plumbing.Hash
	var chain []plumbing.Hash
	for i := range 4 {
		b.write(fmt.Sprintf("reports/2026-01/d%d.yaml", i), "x")
		if i == 0 {
			head = b.commit("root")
		} else {
			head = b.commit("report", head)
		}
		chain = append(chain, head)
	}
	b.ref("refs/heads/main", head)
	store := &memSteps{steps: map[plumbing.Hash]Step{}}
	full := b.open()
	if _, err := full.FirstParentsStore(context.Background(), commitObj(t, full, head), store, "reports/"); err != nil {
		t.Fatal(err)
	}
	if len(store.steps) != 4 {
		t.Fatalf("kept %d steps, want 4", len(store.steps))
	}
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "--quiet", "--depth", "2", "file://"+b.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone --depth 2: %v\n%s", err, out)
	}
	r, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want, err := r.FirstParents(commitObj(t, r, head), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if want.Cut.IsZero() || len(want.Steps) != 2 {
		t.Fatalf("without a store: cut at %s after %d steps; the test wants a cut after 2", want.Cut, len(want.Steps))
	}
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with a store: cut at %s after %d steps, want %s after %d", got.Cut, len(got.Steps), want.Cut, len(want.Steps))
	}

	// A commit lost from the full repository, whose step the store does
	// not hold, ends the walk at its child as it does without a store.
	lost := chain[1]
	if err := os.Remove(filepath.Join(b.dir, ".git", "objects", lost.String()[:2], lost.String()[2:])); err != nil {
		t.Fatal(err)
	}
	store.withhold = map[plumbing.Hash]bool{lost: true}
	damaged := b.open()
	if want, err = damaged.FirstParents(commitObj(t, damaged, head), "reports/"); err != nil {
		t.Fatal(err)
	}
	if want.Cut != chain[2] {
		t.Fatalf("without a store: cut at %s; the test wants %s", want.Cut, chain[2])
	}
	if got, err = damaged.FirstParentsStore(context.Background(), commitObj(t, damaged, head), store, "reports/"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("damaged, with a store: cut at %s after %d steps, want %s after %d", got.Cut, len(got.Steps), want.Cut, len(want.Steps))
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
