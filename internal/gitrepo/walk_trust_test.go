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
	store := &memSteps{steps: map[plumbing.Hash]Step{}}
	want, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	return store, want
}

// TestStoredParentMissing: a stored step whose first parent is not in the
// repository is computed again from the commit, so the walk goes where
// the commit's parent leads, as it does without a store.
func TestStoredParentMissing(t *testing.T) {
	b, chain := storeChain(t, 4)
	r := b.open()
	head := chain[3]
	store, want := fillStore(t, r, head)
	spoilt := store.steps[head]
	spoilt.Parents = []plumbing.Hash{plumbing.NewHash("1234567812345678123456781234567812345678")}
	store.steps[head] = spoilt
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parent that is not there: cut %s after %d steps; without a store cut %s after %d", got.Cut, len(got.Steps), want.Cut, len(want.Steps))
	}
}

// TestLostCommitStored: a commit lost from the repository (not shallow)
// whose step the store holds ends the walk at its child, as it does
// without a store.
func TestLostCommitStored(t *testing.T) {
	b, chain := storeChain(t, 4)
	head := chain[3]
	store, _ := fillStore(t, b.open(), head)
	lost := chain[1]
	if err := os.Remove(filepath.Join(b.dir, ".git", "objects", lost.String()[:2], lost.String()[2:])); err != nil {
		t.Fatal(err)
	}
	r := b.open()
	want, err := r.FirstParents(commitObj(t, r, head), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lost commit, full store: cut %s after %d steps; without a store cut %s after %d", got.Cut, len(got.Steps), want.Cut, len(want.Steps))
	}
}

// TestStoreDepth1: git clone --depth 1, the head itself is shallow, with
// the store of the whole history.
func TestStoreDepth1(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the test makes a shallow clone with it")
	}
	b, chain := storeChain(t, 4)
	head := chain[3]
	store, _ := fillStore(t, b.open(), head)
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "--quiet", "--depth", "1", "file://"+b.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
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
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("depth 1: %+v, want %+v", got, want)
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
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the test makes a shallow clone with it")
	}
	store, full := fillStore(t, b.open(), head)
	if len(full.Steps[0].Origins) == 0 {
		t.Fatal("the full clone's merge has no origins; the test needs some")
	}
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "--quiet", "--depth", "2", "file://"+b.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
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
	got, err := r.FirstParentsStore(context.Background(), commitObj(t, r, head), store, "reports/")
	if err != nil {
		t.Fatal(err)
	}
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
