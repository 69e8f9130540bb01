package gitrepo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// BenchmarkChanges compares two commits of a packed repository of 10,000
// files in 100 folders that differ in one file, with Changes and, for
// reference, with object.DiffTree.
func BenchmarkChanges(b *testing.B) {
	bl := newBuilder(b, false)
	for d := range 100 {
		for f := range 100 {
			bl.write(fmt.Sprintf("reports/2026-%02d/device-%03d.yaml", d, f), fmt.Sprintf("device: %d-%d\n", d, f))
		}
	}
	base := bl.commit("base")
	bl.write("reports/2026-42/device-042.yaml", "device: changed\n")
	head := bl.commit("head", base)
	bl.ref("refs/heads/main", head)
	bl.pack()
	r := bl.open()
	bc, hc := commitObj(b, r, base), commitObj(b, r, head)

	b.Run("hash-compare", func(b *testing.B) {
		for b.Loop() {
			cs, err := r.Changes(bc, hc)
			if err != nil || len(cs) != 1 {
				b.Fatal(cs, err)
			}
		}
	})
	b.Run("DiffTree", func(b *testing.B) {
		for b.Loop() {
			bt, err := object.GetTree(r.st, bc.TreeHash)
			if err != nil {
				b.Fatal(err)
			}
			ht, err := object.GetTree(r.st, hc.TreeHash)
			if err != nil {
				b.Fatal(err)
			}
			cs, err := object.DiffTree(bt, ht)
			if err != nil || len(cs) != 1 {
				b.Fatal(cs, err)
			}
		}
	})
}

// BenchmarkLastChanged dates 2,000 files in 20 folders on a packed linear
// history of 2,000 commits that each change one file at random, so about a
// third of the files date from the root and the walk covers every commit.
func BenchmarkLastChanged(b *testing.B) {
	bl := newBuilder(b, false)
	var paths []string
	for d := range 20 {
		for f := range 100 {
			p := fmt.Sprintf("reports/2026-%02d/device-%03d.yaml", d, f)
			paths = append(paths, p)
			bl.write(p, "scan: 0\n")
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	head := bl.commit("root")
	for i := range 1999 {
		bl.write(paths[rng.IntN(len(paths))], fmt.Sprintf("scan: %d\n", i+1))
		head = bl.commit(fmt.Sprint("commit ", i), head)
	}
	bl.ref("refs/heads/main", head)
	bl.pack()
	r := bl.open()
	hc := commitObj(b, r, head)

	b.Run("all-paths", func(b *testing.B) {
		for b.Loop() {
			got, err := r.LastChanged(hc, paths)
			if err != nil || len(got) != len(paths) {
				b.Fatal(len(got), err)
			}
		}
	})
	b.Run("one-recent-path", func(b *testing.B) {
		recent := paths[:0:0]
		got, err := r.LastChanged(hc, paths)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range paths {
			if got[p].Equal(hc.Committer.When) {
				recent = append(recent, p)
			}
		}
		for b.Loop() {
			if _, err := r.LastChanged(hc, recent); err != nil {
				b.Fatal(err)
			}
		}
	})
}
