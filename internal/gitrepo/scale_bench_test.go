package gitrepo

import (
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// wideRepo is a repository whose one folder, reports/2026-11, holds n
// files: a root commit that adds them all, then commits that each change
// one of them. Every file of the root points at the same blob, so a
// folder of millions of entries costs one tree object per commit.
type wideRepo struct {
	r     *Repo
	head  *object.Commit
	paths []string
}

// wideChanges is how many commits after the root change one file each.
const wideChanges = 8

func newWideRepo(tb testing.TB, n int) *wideRepo {
	tb.Helper()
	bl := newBuilder(tb, false)
	same := bl.blob("period: \"2026-11\"\n")
	entries := make([]object.TreeEntry, n)
	paths := make([]string, n)
	for i := range entries {
		name := fmt.Sprintf("d-%08d.yaml", i) // sorts as Git sorts: by number
		entries[i] = object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: same}
		paths[i] = "reports/2026-11/" + name
	}
	commit := func(parent plumbing.Hash, when int) plumbing.Hash {
		month := bl.store(&object.Tree{Entries: entries})
		reports := bl.store(&object.Tree{Entries: []object.TreeEntry{{Name: "2026-11", Mode: filemode.Dir, Hash: month}}})
		root := bl.store(&object.Tree{Entries: []object.TreeEntry{{Name: "reports", Mode: filemode.Dir, Hash: reports}}})
		sig := object.Signature{Name: "Test", Email: "test@example.com", When: bl.when(when)}
		c := &object.Commit{Author: sig, Committer: sig, Message: fmt.Sprint("commit ", when), TreeHash: root}
		if !parent.IsZero() {
			c.ParentHashes = []plumbing.Hash{parent}
		}
		return bl.store(c)
	}
	head := commit(plumbing.ZeroHash, 0)
	for i := range wideChanges {
		// Spread the changes over the folder: first, middle, last...
		entries[(i*(n-1))/(wideChanges-1)].Hash = bl.blob(fmt.Sprintf("period: \"2026-11\"\nchange: %d\n", i))
		head = commit(head, i+1)
	}
	bl.ref("refs/heads/main", head)
	r := bl.open()
	return &wideRepo{r: r, head: commitObj(tb, r, head), paths: paths}
}

// newWideMerge is a repository of one folder of n files and a merge of a
// branch that changed all of them: the audit looks up where each change of
// the merge comes from.
func newWideMerge(tb testing.TB, n int) *wideRepo {
	tb.Helper()
	bl := newBuilder(tb, false)
	entries := make([]object.TreeEntry, n)
	for i := range entries {
		entries[i] = object.TreeEntry{Name: fmt.Sprintf("d-%08d.yaml", i), Mode: filemode.Regular}
	}
	commit := func(blob plumbing.Hash, when int, parents ...plumbing.Hash) plumbing.Hash {
		for i := range entries {
			entries[i].Hash = blob
		}
		month := bl.store(&object.Tree{Entries: entries})
		reports := bl.store(&object.Tree{Entries: []object.TreeEntry{{Name: "2026-11", Mode: filemode.Dir, Hash: month}}})
		root := bl.store(&object.Tree{Entries: []object.TreeEntry{{Name: "reports", Mode: filemode.Dir, Hash: reports}}})
		sig := object.Signature{Name: "Test", Email: "test@example.com", When: bl.when(when)}
		return bl.store(&object.Commit{Author: sig, Committer: sig, Message: fmt.Sprint("commit ", when), TreeHash: root, ParentHashes: parents})
	}
	base := commit(bl.blob("scan: 1\n"), 0)
	side := commit(bl.blob("scan: 2\n"), 1, base)
	head := commit(bl.blob("scan: 2\n"), 2, base, side)
	bl.ref("refs/heads/main", head)
	r := bl.open()
	return &wideRepo{r: r, head: commitObj(tb, r, head)}
}

// wideSizes are the folder sizes of the scale benchmarks: the largest is
// ten times the 200,000 reports the slowest check measured so far held, and
// the three sizes ten times apart show how the cost grows.
var wideSizes = []int{20_000, 200_000, 2_000_000}

// BenchmarkWideFolder looks up every file of one folder of n files: the
// hashes a working-tree check compares (HeadEntries), the commit that last
// changed each (LastChanged, over wideChanges commits that each change one
// file), every file read through TreeFS as a pull-request check or an audit
// reads them, and the first-parent walk of the audit. Each should cost
// O(n log n), not a scan of the folder per file.
func BenchmarkWideFolder(b *testing.B) {
	for _, n := range wideSizes {
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			w := newWideRepo(b, n)
			b.Run("HeadEntries", func(b *testing.B) {
				for b.Loop() {
					got, err := w.r.HeadEntries(w.head, w.paths)
					if err != nil || len(got) != n {
						b.Fatal(len(got), err)
					}
				}
				perFile(b, n)
			})
			b.Run("LastChanged", func(b *testing.B) {
				for b.Loop() {
					got, err := w.r.LastChanged(w.head, w.paths)
					if err != nil || len(got) != n {
						b.Fatal(len(got), err)
					}
				}
				perFile(b, n)
			})
			b.Run("TreeFS", func(b *testing.B) {
				for b.Loop() {
					fsys, err := w.r.TreeFS(w.head)
					if err != nil {
						b.Fatal(err)
					}
					des, err := fs.ReadDir(fsys, "reports/2026-11")
					if err != nil || len(des) != n {
						b.Fatal(len(des), err)
					}
					for _, p := range w.paths {
						if _, err := fs.ReadFile(fsys, p); err != nil {
							b.Fatal(err)
						}
					}
				}
				perFile(b, n)
			})
			b.Run("FirstParents-merge", func(b *testing.B) {
				m := newWideMerge(b, n)
				for b.Loop() {
					h, err := m.r.FirstParents(m.head, "reports/")
					if err != nil || len(h.Steps) != 2 || len(h.Steps[0].Origins) != n {
						b.Fatal(err)
					}
				}
				perFile(b, n)
			})
			b.Run("FirstParents", func(b *testing.B) {
				for b.Loop() {
					h, err := w.r.FirstParents(w.head, "reports/")
					if err != nil || len(h.Steps) != wideChanges+1 {
						b.Fatal(err)
					}
				}
				perFile(b, n)
			})
		})
	}
}

// perFile reports the time per file of the folder: flat when the cost
// grows linearly, rising slowly for n log n.
func perFile(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed())/float64(time.Nanosecond)/float64(b.N*n), "ns/file")
}
