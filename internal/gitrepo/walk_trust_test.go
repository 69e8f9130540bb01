package gitrepo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// The tests here hold a walk with a store to the walk without one where
// the repository lacks what the store was filled from: a shallow clone
// given a deeper clone's store, a lost object, a stored parent that is not
// there.

// storeChain builds a history of n commits on main, each adding a report.
func storeChain(t *testing.T, n int) (*builder, []plumbing.Hash) {
	b := newBuilder(t, false)
	var chain []plumbing.Hash
	var head plumbing.Hash
	for i := range n {
		b.write(fmt.Sprintf("reports/2026-01/d%d.yaml", i), "x")
		if i == 0 {
			head = b.commit("root")
		} else {
			head = b.commit("report", head)
		}
		chain = append(chain, head)
	}
	b.ref("refs/heads/main", head)
	return b, chain
}

// fillStore walks head with a new store and returns both.
func fillStore(t *testing.T, r *Repo, head plumbing.Hash) (*memSteps, *History) {
	t.Helper()
	store := &memSteps{steps: map[plumbing.Hash]Step{}}
	want, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	return store, want
}

// shallowClone clones b's repository with git clone --depth.
func shallowClone(t *testing.T, b *builder, depth int) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the test makes a shallow clone with it")
	}
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "--quiet", "--depth", fmt.Sprint(depth), "file://"+b.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone --depth %d: %v\n%s", depth, err, out)
	}
	r, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// walkBoth walks head in r with store and without one.
func walkBoth(t *testing.T, r *Repo, head plumbing.Hash, store StepStore) (got, want *History) {
	t.Helper()
	want, err := r.FirstParents(commitObj(t, r, head), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if got, err = r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/"); err != nil {
		t.Fatal(err)
	}
	return got, want
}

// TestStoreShallow walks shallow clones (git clone --depth 2 and 1) with
// the store of the whole history, as when a cache of a deeper clone is
// restored into them: the walk ends where the clone's history does, as it
// does without a store.
func TestStoreShallow(t *testing.T) {
	b, chain := storeChain(t, 4)
	head := chain[3]
	store, _ := fillStore(t, b.open(), head)
	for _, depth := range []int{2, 1} {
		got, want := walkBoth(t, shallowClone(t, b, depth), head, store)
		if want.Cut.IsZero() || len(want.Steps) != depth {
			t.Fatalf("depth %d without a store: cut at %s after %d steps; the test wants a cut after %d", depth, want.Cut, len(want.Steps), depth)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("depth %d with a store: cut at %s after %d steps, want %s after %d", depth, got.Cut, len(got.Steps), want.Cut, len(want.Steps))
		}
	}
}

// TestLostCommit: a commit lost from the repository (not shallow) ends
// the walk at its child, as it does without a store, whether the store
// holds the lost commit's step or not.
func TestLostCommit(t *testing.T) {
	for _, withheld := range []bool{false, true} {
		b, chain := storeChain(t, 4)
		head, lost := chain[3], chain[1]
		store, _ := fillStore(t, b.open(), head)
		if err := os.Remove(filepath.Join(b.dir, ".git", "objects", lost.String()[:2], lost.String()[2:])); err != nil {
			t.Fatal(err)
		}
		if withheld {
			store.withhold = map[plumbing.Hash]bool{lost: true}
		}
		got, want := walkBoth(t, b.open(), head, store)
		if want.Cut != chain[2] {
			t.Fatalf("without a store: cut at %s; the test wants %s", want.Cut, chain[2])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("lost commit, its step withheld %v: cut %s after %d steps; without a store cut %s after %d", withheld, got.Cut, len(got.Steps), want.Cut, len(want.Steps))
		}
	}
}

// TestStoredParentMissing: a stored step whose first parent is not in the
// repository is computed again from the commit, so the walk goes where
// the commit's parent leads, as it does without a store.
func TestStoredParentMissing(t *testing.T) {
	b, chain := storeChain(t, 4)
	r := b.open()
	head := chain[3]
	store, _ := fillStore(t, r, head)
	spoilt := store.steps[head]
	spoilt.Parents = []plumbing.Hash{plumbing.NewHash("1234567812345678123456781234567812345678")}
	store.steps[head] = spoilt
	if got, want := walkBoth(t, r, head, store); !reflect.DeepEqual(got, want) {
		t.Errorf("parent that is not there: cut %s after %d steps; without a store cut %s after %d", got.Cut, len(got.Steps), want.Cut, len(want.Steps))
	}
}

// TestShallowOrigins: a merge whose merged branch a shallow clone cuts has
// the origins the walk without a store finds (they stop at the cut), not
// the whole ones a deeper clone's store holds.
func TestShallowOrigins(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a", "1")
	root := b.commit("root")
	side := b.fork()
	side.write("reports/2026-01/d1.yaml", "x")
	s := side.commit("report", root)
	for i := range 3 {
		side.write("other", fmt.Sprint(i))
		s = side.commit("other", s)
	}
	b.write("a", "2")
	m1 := b.commit("main", root)
	b.write("reports/2026-01/d1.yaml", "x")
	b.write("other", "2")
	head := b.commit("merge", m1, s)
	b.ref("refs/heads/main", head)
	store, full := fillStore(t, b.open(), head)
	if len(full.Steps[0].Origins) == 0 {
		t.Fatal("the full clone's merge has no origins; the test needs some")
	}
	got, want := walkBoth(t, shallowClone(t, b, 2), head, store)
	if !reflect.DeepEqual(got.Steps[0].Origins, want.Steps[0].Origins) {
		t.Errorf("shallow clone, deeper clone's store: origins %v; without a store %v", originKeys(got.Steps[0].Origins), originKeys(want.Steps[0].Origins))
	}
}

func originKeys(m map[string]CommitInfo) map[string]string {
	out := map[string]string{}
	for p, c := range m {
		out[p] = c.Hash.String()[:7]
	}
	return out
}

// TestStorePacked walks a packed history with a full store: the parents
// are found in the packfile's index, and the walk gives what it gives
// without a store.
func TestStorePacked(t *testing.T) {
	b, chain := storeChain(t, 5)
	b.pack()
	r := b.open()
	head := chain[4]
	store, want := fillStore(t, r, head)
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || store.hits != len(want.Steps) {
		t.Errorf("packed, full store: %d steps, %d read from the store; want %d, all", len(got.Steps), store.hits, len(want.Steps))
	}
	r.mu.Lock()
	packed := r.inPack(chain[1])
	r.mu.Unlock()
	if !packed {
		t.Error("a packed commit is not in the packfile indexes")
	}
}
