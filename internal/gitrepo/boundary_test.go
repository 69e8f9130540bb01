package gitrepo

import (
	"errors"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TestChangesTreeErrors checks that Changes names the entry of a tree Git
// refuses with a *TreeError: a name Git will not check out, or one that
// stands twice in its folder.
func TestChangesTreeErrors(t *testing.T) {
	tests := []struct {
		name    string
		entries func(b *builder) []object.TreeEntry
		path    string
	}{
		{"dot dot", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{{Name: "..", Mode: filemode.Regular, Hash: b.blob("x")}}
		}, ".."},
		{"dot git in capitals", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{{Name: ".GIT", Mode: filemode.Dir, Hash: b.tree("people")}}
		}, ".GIT"},
		{"dot git with a trailing dot", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{{Name: ".git.", Mode: filemode.Regular, Hash: b.blob("x")}}
		}, ".git."},
		{"short name of dot git", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{{Name: "GIT~1", Mode: filemode.Regular, Hash: b.blob("x")}}
		}, "GIT~1"},
		{"a name twice", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{
				{Name: "notes.txt", Mode: filemode.Regular, Hash: b.blob("a")},
				{Name: "notes.txt", Mode: filemode.Regular, Hash: b.blob("b")},
			}
		}, "notes.txt"},
		{"a folder named as a file", func(b *builder) []object.TreeEntry {
			return []object.TreeEntry{
				{Name: "people", Mode: filemode.Regular, Hash: b.blob("a")},
				{Name: "people-old.txt", Mode: filemode.Regular, Hash: b.blob("b")},
			}
		}, "people"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(t, false)
			b.write("people/ada.yaml", "name: Ada\n")
			base := b.commit("ok")
			entries := append(tt.entries(b), object.TreeEntry{Name: "people", Mode: filemode.Dir, Hash: b.tree("people")})
			bad := b.store(&object.Tree{Entries: entries})
			sig := object.Signature{Name: "Test", Email: "test@example.com", When: epoch}
			head := b.store(&object.Commit{Author: sig, Committer: sig, Message: "bad", TreeHash: bad, ParentHashes: []plumbing.Hash{base}})
			r := b.open()
			_, err := r.Changes(commitObj(t, r, base), commitObj(t, r, head))
			var te *TreeError
			if !errors.As(err, &te) || te.Path() != tt.path {
				t.Fatalf("Changes = %v, want a TreeError at %q", err, tt.path)
			}
		})
	}
}

// TestMergeBases checks a criss-cross history: two best common ancestors,
// both returned, in MergeBase's order.
func TestMergeBases(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a.txt", "0\n")
	c0 := b.commit("root")
	side := b.fork()
	b.write("a.txt", "main\n")
	m1 := b.commit("main 1", c0)
	side.write("b.txt", "side\n")
	s1 := side.commit("side 1", c0)
	m2 := b.commit("main merges side", m1, s1)
	s2 := side.commit("side merges main", s1, m1)
	r := b.open()
	bases, err := r.MergeBases(commitObj(t, r, m2), commitObj(t, r, s2))
	if err != nil {
		t.Fatal(err)
	}
	if len(bases) != 2 {
		t.Fatalf("merge bases = %d, want 2 (m1 and s1)", len(bases))
	}
	// s1 was committed after m1: newest first.
	if bases[0].Hash != s1 || bases[1].Hash != m1 {
		t.Errorf("merge bases = %s, %s; want s1 %s then m1 %s", bases[0].Hash, bases[1].Hash, s1, m1)
	}
	one, err := r.MergeBase(commitObj(t, r, m2), commitObj(t, r, s2))
	if err != nil || one.Hash != s1 {
		t.Errorf("MergeBase = %v, %v; want the first of MergeBases", one, err)
	}
}
