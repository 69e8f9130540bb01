package gitrepo

import (
	"fmt"
	"io/fs"
	"os/exec"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// TestLargeTrees reads a folder whose tree is larger than largeObject, so
// that it is streamed from its packfile rather than read into memory:
// loose, packed by go-git, and packed with deltas by Git itself when it is
// installed. Every way, the comparison, the tree's file system and the
// entries are what the two commits hold.
func TestLargeTrees(t *testing.T) {
	const n = 40000 // some 1.7 MB of tree
	build := func(t *testing.T) (*builder, [2]plumbing.Hash) {
		b := newBuilder(t, false)
		same := b.blob("period: \"2026-11\"\n")
		for i := range n {
			b.set(fmt.Sprintf("reports/2026-11/d-e%06d.yaml", i), filemode.Regular, same)
		}
		base := b.commit("many reports")
		b.write("reports/2026-11/d-e000007.yaml", "changed\n")
		b.write("reports/2026-11/d-e999999.yaml", "added\n")
		b.remove("reports/2026-11/d-e039998.yaml")
		head := b.commit("three changes", base)
		b.ref("refs/heads/main", head)
		return b, [2]plumbing.Hash{base, head}
	}
	gitGC := func(t *testing.T, b *builder) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("git is not installed")
		}
		if out, err := exec.Command("git", "-C", b.dir, "gc", "--quiet").CombinedOutput(); err != nil {
			t.Fatalf("git gc: %v\n%s", err, out)
		}
	}
	for _, tt := range []struct {
		name string
		pack func(*testing.T, *builder)
	}{
		{"loose", func(*testing.T, *builder) {}},
		{"packed by go-git", func(_ *testing.T, b *builder) { b.pack() }},
		{"packed by git", gitGC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, commits := build(t)
			tt.pack(t, b)
			r := b.open()
			base, head := commitObj(t, r, commits[0]), commitObj(t, r, commits[1])
			folder, ok, err := newTreeCache(r.st).lookup(head.TreeHash, "reports/2026-11")
			if err != nil || !ok {
				t.Fatalf("look the folder up: %v", err)
			}
			raw, err := readTree(r.st, folder.Hash)
			if err != nil || len(raw) <= largeObject {
				t.Fatalf("the folder's tree is %d bytes (%v); the test needs more than %d", len(raw), err, largeObject)
			}
			changes, err := r.Changes(base, head)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"modified reports/2026-11/d-e000007.yaml", "deleted reports/2026-11/d-e039998.yaml", "added reports/2026-11/d-e999999.yaml"}
			var got []string
			for _, c := range changes {
				got = append(got, c.Action.String()+" "+c.Path)
			}
			if !slices.Equal(got, want) {
				t.Errorf("changes %q, want %q", got, want)
			}
			fsys, err := r.TreeFS(head)
			if err != nil {
				t.Fatal(err)
			}
			if data, err := fs.ReadFile(fsys, "reports/2026-11/d-e000007.yaml"); err != nil || string(data) != "changed\n" {
				t.Errorf("read the changed report: %q, %v", data, err)
			}
			des, err := fs.ReadDir(fsys, "reports/2026-11")
			if err != nil || len(des) != n {
				t.Errorf("the folder lists %d entries (%v), want %d", len(des), err, n)
			}
			entries, err := r.HeadEntries(head, []string{"reports/2026-11/d-e039999.yaml", "reports/2026-11/d-e039998.yaml"})
			if err != nil || len(entries) != 1 {
				t.Errorf("head entries %v, %v; want the one report left", entries, err)
			}
		})
	}
}
