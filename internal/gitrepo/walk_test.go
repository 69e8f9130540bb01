package gitrepo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TestFirstParentsMatchesChanges walks a random history with merges and
// compares each step with Changes between the commit and its first parent.
func TestFirstParentsMatchesChanges(t *testing.T) {
	b := newBuilder(t, false)
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"a", "a.b", "a-b", "ab", "b", "reports/2026-01/x.yaml", "reports/2026-01/y.yaml", "reports/2026-02/x.yaml",
		"reports/2026-02", "people/e1.yaml", "z/deep/er/f"}
	edit := func(x *builder) {
		for range 1 + rng.IntN(3) {
			p := names[rng.IntN(len(names))]
			switch rng.IntN(4) {
			case 0:
				x.remove(p)
			case 1:
				x.write(p+"/inner", fmt.Sprint(rng.IntN(5))) // a file becomes a folder
			default:
				x.write(p, fmt.Sprint(rng.IntN(5)))
			}
		}
	}
	edit(b)
	head := b.commit("root")
	var all []plumbing.Hash
	all = append(all, head)
	for i := range 60 {
		if i%5 == 4 {
			side := b.fork()
			edit(side)
			sh := side.commit("side", head)
			edit(b)
			head = b.commit("merge", head, sh)
		} else {
			edit(b)
			head = b.commit(fmt.Sprint("commit ", i), head)
		}
		all = append(all, head)
	}
	b.ref("refs/heads/main", head)
	r := b.open()
	for _, prefixes := range [][]string{nil, {"reports/"}, {"a", "z/deep/"}} {
		h, err := r.FirstParents(commitObj(t, r, head), prefixes...)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Steps) != len(all) || !h.Cut.IsZero() {
			t.Fatalf("%d steps, cut %s; want %d", len(h.Steps), h.Cut, len(all))
		}
		for i, st := range h.Steps {
			c := commitObj(t, r, st.Hash)
			var parent *object.Commit
			if len(c.ParentHashes) > 0 {
				parent = commitObj(t, r, c.ParentHashes[0])
			}
			want, err := r.Changes(parent, c, prefixes...)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(st.Changes); !slices.Equal(got, describe(want)) {
				t.Errorf("prefixes %q, step %d (%s):\n got %q\nwant %q", prefixes, i, c.Message, got, describe(want))
			}
		}
	}
}

func TestFirstParentsOrigins(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/e1.yaml", "e1")
	main := b.commit("root")
	side := b.fork()
	side.write("reports/2026-01/d1.yaml", "draft")
	first := side.commit("add d1", main)
	b.write("people/e2.yaml", "e2") // main moves on meanwhile
	main = b.commit("add e2", main)
	side.write("reports/2026-01/d1.yaml", "final")
	side.write("people/e2.yaml", "e2")
	second := side.commit("fix d1 and merge main", first, main)
	b.write("reports/2026-01/d1.yaml", "final")
	merge := b.commit("merge", main, second)
	b.ref("refs/heads/main", merge)
	r := b.open()
	h, err := r.FirstParents(commitObj(t, r, merge), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	st := h.Steps[0]
	if len(st.Changes) != 1 || st.Origins["reports/2026-01/d1.yaml"].Hash != first {
		t.Errorf("changes %q, origin %s; want %s (the commit that added it)", describe(st.Changes), st.Origins["reports/2026-01/d1.yaml"].Hash, first)
	}
	if st.Message != "merge" || len(st.Parents) != 2 || st.Signed {
		t.Errorf("commit info: %+v", st.CommitInfo)
	}
	data, err := r.Blob(st.Changes[0].To.Hash)
	if err != nil || string(data) != "final" {
		t.Errorf("blob: %q, %v", data, err)
	}
	if c, err := r.Commit(first); err != nil || c.Message != "add d1" {
		t.Errorf("commit: %+v, %v", c, err)
	}
}

func TestFirstParentsCut(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a", "1")
	lost := plumbing.NewHash(strings.Repeat("ab", 20))
	head := b.commit("grafted", lost)
	b.write("a", "2")
	head = b.commit("next", head)
	b.ref("refs/heads/main", head)
	r := b.open()
	h, err := r.FirstParents(commitObj(t, r, head))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Steps) != 2 || h.Cut != h.Steps[1].Hash || len(h.Steps[1].Changes) != 0 {
		t.Errorf("steps %d, cut %s", len(h.Steps), h.Cut)
	}
}

func TestParseReflog(t *testing.T) {
	old, nw := strings.Repeat("1", 40), strings.Repeat("2", 40)
	e, ok := parseReflog(old + " " + nw + " Ada Lovelace <ada@example.com> 1767225600 +0900\tfetch: forced-update")
	if !ok || e.Old.String() != old || e.New.String() != nw || e.Who != "Ada Lovelace <ada@example.com>" ||
		!e.When.Equal(time.Unix(1767225600, 0)) || e.Message != "fetch: forced-update" {
		t.Errorf("%+v", e)
	}
	if _, ok := parseReflog("garbage"); ok {
		t.Error("garbage parsed")
	}
	r := newBuilder(t, false).open()
	if log, err := r.Reflog("refs/heads/none"); err != nil || log != nil {
		t.Errorf("missing log: %v, %v", log, err)
	}
}

// TestFirstParentsLargeFolders changes, adds and removes files at the
// start, middle and end of folders of hundreds of files, where the walk
// skips the bytes both trees share.
func TestFirstParentsLargeFolders(t *testing.T) {
	b := newBuilder(t, false)
	for i := range 400 {
		b.write(fmt.Sprintf("reports/2026-01/d%04d.yaml", i*2), "x")
		b.write(fmt.Sprintf("reports/2026-02/d%04d.yaml", i*2), "x")
	}
	head := b.commit("root")
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 80 {
		for range 1 + rng.IntN(2) {
			n := []int{0, 1, 2, 399, 400, 401, 797, 798, 799, 800, rng.IntN(801)}[rng.IntN(11)]
			p := fmt.Sprintf("reports/2026-0%d/d%04d.yaml", 1+rng.IntN(2), n)
			if rng.IntN(3) == 0 {
				b.remove(p)
			} else {
				b.write(p, fmt.Sprint(i))
			}
		}
		head = b.commit(fmt.Sprint(i), head)
	}
	b.ref("refs/heads/main", head)
	r := b.open()
	h, err := r.FirstParents(commitObj(t, r, head), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range h.Steps[:len(h.Steps)-1] {
		c := commitObj(t, r, st.Hash)
		want, err := r.Changes(commitObj(t, r, c.ParentHashes[0]), c, "reports/")
		if err != nil {
			t.Fatal(err)
		}
		if got := describe(st.Changes); !slices.Equal(got, describe(want)) {
			t.Errorf("step %s:\n got %q\nwant %q", c.Message, got, describe(want))
		}
	}
}
