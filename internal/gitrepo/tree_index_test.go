package gitrepo

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// encodeTree encodes entries in the order given, as a forged tree may
// hold them (go-git's encoder refuses an order that is not Git's).
func encodeTree(entries []object.TreeEntry) []byte {
	var raw []byte
	for _, e := range entries {
		raw = fmt.Appendf(raw, "%o %s\x00", uint32(e.Mode), e.Name)
		raw = append(raw, e.Hash[:]...)
	}
	return raw
}

func hashOf(i int) plumbing.Hash {
	return plumbing.ComputeHash(plumbing.BlobObject, []byte(fmt.Sprint(i)))
}

// TestFindMatchesScan looks every name of large trees up through the
// index and compares each answer with a scan of the tree: Git's order,
// where a folder sorts as if its name ended in "/", forged orders, and
// names that stand twice, where a scan finds the first.
func TestFindMatchesScan(t *testing.T) {
	var files []object.TreeEntry
	for i := range 300 {
		files = append(files, object.TreeEntry{Name: fmt.Sprintf("d-%04d.yaml", i), Mode: filemode.Regular, Hash: hashOf(i)})
	}
	mixed := slices.Clone(files)
	for i, name := range []string{"d-0001", "d", "d-0002.yaml.d", "e"} {
		mixed = append(mixed, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: hashOf(1000 + i)})
	}
	mixed = append(mixed, object.TreeEntry{Name: "d-0001.", Mode: filemode.Regular, Hash: hashOf(2000)})
	slices.SortFunc(mixed, func(a, b object.TreeEntry) int {
		ea, eb := rawEntry{name: []byte(a.Name), mode: a.Mode}, rawEntry{name: []byte(b.Name), mode: b.Mode}
		return compareEntries(&ea, &eb)
	})
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	twice := append(slices.Clone(files), object.TreeEntry{Name: "d-0007.yaml", Mode: filemode.Executable, Hash: hashOf(3000)})
	twice = append([]object.TreeEntry{{Name: "d-0150.yaml", Mode: filemode.Symlink, Hash: hashOf(3001)}}, twice...)
	twin := append(slices.Clone(files), object.TreeEntry{Name: "d-0299.yaml", Mode: filemode.Dir, Hash: hashOf(3002)})

	tests := []struct {
		name    string
		entries []object.TreeEntry
		ordered bool
	}{
		{"files in Git's order", files, true},
		{"files and folders in Git's order", mixed, true},
		{"reversed", reversed, false},
		{"a name twice", twice, false},
		{"a folder named as a file", twin, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := encodeTree(tc.entries)
			if len(raw) < smallTree {
				t.Fatalf("the tree is %d bytes, too small to be indexed", len(raw))
			}
			if got, err := checkWhole(raw); got != tc.ordered || err != nil {
				t.Errorf("checkWhole = %v, %v; want %v", got, err, tc.ordered)
			}
			names := []string{"", "d", "d-", "d-0001.yaml.", "d-0300.yaml", "zzz", "d-0001.yam"}
			for _, e := range tc.entries {
				names = append(names, e.Name)
			}
			tr := &tree{raw: raw}
			tr.find("warm-up") // the first lookup scans, the next ones use the index
			for _, name := range names {
				got, gotOK := tr.find(name)
				want, wantOK := scanTree(raw, name)
				if got != want || gotOK != wantOK {
					t.Errorf("find(%q) = %v, %v; a scan finds %v, %v", name, got, gotOK, want, wantOK)
				}
			}
			if tr.index == nil {
				t.Error("the tree was never indexed")
			}
		})
	}
}

// TestLastChangedWideFolders compares LastChanged with a path-by-path walk
// on a random history of folders too large to scan, whose names share
// prefixes with the folders beside them.
func TestLastChangedWideFolders(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	b := newBuilder(t, false)
	var paths []string
	for i := range 400 {
		p := fmt.Sprintf("reports/2026-%02d/d-%03d.yaml", 1+i%2, i)
		if i%50 == 0 {
			p = fmt.Sprintf("reports/2026-01/d-%03d/evidence.png", i) // a folder among the reports
		}
		paths = append(paths, p)
		b.write(p, "0")
	}
	paths = append(paths, "reports/2026-01", "reports/2026-01/d-050", "reports/2026-02/gone.yaml")
	head := b.commit("root")
	for i := range 60 {
		for range 1 + rng.IntN(3) {
			p := paths[rng.IntN(400)]
			switch rng.IntN(6) {
			case 0:
				b.remove(p)
			case 1:
				b.set(p, filemode.Executable, b.blob("x"))
			default:
				b.write(p, fmt.Sprint(rng.IntN(5)))
			}
		}
		head = b.commit(fmt.Sprint("step ", i), head)
	}
	b.ref("refs/heads/main", head)
	r := b.open()
	hc := commitObj(t, r, head)
	got, err := r.LastChanged(hc, paths)
	if err != nil {
		t.Fatal(err)
	}
	want := naiveLastChanged(t, b, hc, paths)
	if !maps.EqualFunc(got, want, time.Time.Equal) {
		for p := range want {
			if !got[p].Equal(want[p]) {
				t.Errorf("%s: LastChanged %v, want %v", p, got[p], want[p])
			}
		}
		t.Errorf("LastChanged dated %d paths, want %d", len(got), len(want))
	}
}

// TestOriginsOfAWideMerge checks where each change of a merge of hundreds
// of files comes from, on a branch that changed them at different commits.
func TestOriginsOfAWideMerge(t *testing.T) {
	b := newBuilder(t, false)
	for i := range 300 {
		b.write(fmt.Sprintf("reports/2026-11/d-%03d.yaml", i), "0")
	}
	base := b.commit("base")
	side := b.fork()
	var tips []plumbing.Hash
	tip := base
	for step := range 3 {
		for i := step; i < 300; i += 3 {
			side.write(fmt.Sprintf("reports/2026-11/d-%03d.yaml", i), fmt.Sprint("side ", step))
		}
		tip = side.commit(fmt.Sprint("side ", step), tip)
		tips = append(tips, tip)
	}
	b.write("other.txt", "main moves on")
	main := b.commit("main", base)
	for i := range 300 {
		b.write(fmt.Sprintf("reports/2026-11/d-%03d.yaml", i), fmt.Sprint("side ", i%3))
	}
	merge := b.commit("merge", main, tip)
	b.ref("refs/heads/main", merge)
	r := b.open()
	h, err := r.FirstParents(commitObj(t, r, merge), "reports/")
	if err != nil {
		t.Fatal(err)
	}
	step := h.Steps[0]
	if len(step.Changes) != 300 || len(step.Origins) != 300 {
		t.Fatalf("the merge changes %d paths with %d origins, want 300 of each", len(step.Changes), len(step.Origins))
	}
	for i := range 300 {
		p := fmt.Sprintf("reports/2026-11/d-%03d.yaml", i)
		if got := step.Origins[p].Hash; got != tips[i%3] {
			t.Errorf("%s comes from %s, want side %d (%s)", p, got, i%3, tips[i%3])
		}
	}
}
