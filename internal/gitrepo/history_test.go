package gitrepo

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func TestLastChanged(t *testing.T) {
	// main:  c0 - c1 --------- c2 - m - c3 - c4
	//               \              /
	// side:          s1 --------- s2
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	b.write("people/bob.yaml", "name: Bob\n")
	b.write("devices/ada-laptop.yaml", "os: macOS 15\n")
	b.write("reports/2026-01/ada-laptop.yaml", "scan: 2026-01-02\n")
	b.write("README.md", "# records\n")
	c0 := b.commit("root") // time 0
	b.write("people/ada.yaml", "name: Ada L\n")
	c1 := b.commit("c1", c0) // time 1
	side := b.fork()
	side.write("devices/ada-laptop.yaml", "os: macOS 16\n")
	s1 := side.commit("s1", c1) // time 2
	side.write("reports/2026-02/ada-laptop.yaml", "scan: 2026-02-02\n")
	s2 := side.commit("s2", s1) // time 3
	b.remove("people/bob.yaml")
	c2 := b.commit("c2", c1) // time 4
	b.write("devices/ada-laptop.yaml", "os: macOS 16\n")
	b.write("reports/2026-02/ada-laptop.yaml", "scan: 2026-02-02\n")
	m := b.commit("merge side", c2, s2) // time 5
	// Add bob again with the content it had before.
	b.write("people/bob.yaml", "name: Bob\n")
	c3 := b.commit("c3", m) // time 6
	b.write("people/ada.yaml", "name: Ada Lovelace\n")
	c4 := b.commit("c4", c3) // time 7
	b.ref("refs/heads/main", c4)
	r := b.open()

	got, err := r.LastChanged(commitObj(t, r, c4), []string{
		"people/ada.yaml", "people/bob.yaml", "devices/ada-laptop.yaml",
		"reports/2026-02/ada-laptop.yaml", "reports/2026-01/ada-laptop.yaml", "README.md",
		"people", "reports/2026-01", "missing.yaml", "people/ada.yaml/x", "../README.md", "",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"people/ada.yaml":                 b.when(7),
		"people/bob.yaml":                 b.when(6), // deleted at 4, added again at 6
		"devices/ada-laptop.yaml":         b.when(5), // changed on the side branch at 2: the merge
		"reports/2026-02/ada-laptop.yaml": b.when(5),
		"reports/2026-01/ada-laptop.yaml": b.when(0), // never changed since the root
		"README.md":                       b.when(0),
		"people":                          b.when(7),
		"reports/2026-01":                 b.when(0),
	}
	if !maps.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("LastChanged =\n%v\nwant\n%v", got, want)
	}

	got, err = r.LastChanged(commitObj(t, r, c2), []string{"people/bob.yaml", "people/ada.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]time.Time{"people/ada.yaml": b.when(1)}; !maps.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("LastChanged at c2 = %v, want %v", got, want)
	}
}

// TestLastChangedStopsAtAnswer walks a history whose oldest parent is
// missing, as in a shallow clone: paths dated before the walk reaches it
// succeed, the others fail with a message about fetching.
func TestLastChangedStopsAtAnswer(t *testing.T) {
	b := newBuilder(t, false)
	b.write("a.yaml", "a")
	b.write("b.yaml", "b")
	cut := b.commit("grafted", plumbing.NewHash("1111111111111111111111111111111111111111"))
	b.write("a.yaml", "a2")
	head := b.commit("head", cut)
	b.ref("refs/heads/main", head)
	r := b.open()
	hc := commitObj(t, r, head)
	got, err := r.LastChanged(hc, []string{"a.yaml"})
	if err != nil || !got["a.yaml"].Equal(b.when(1)) {
		t.Errorf("LastChanged(a.yaml) = %v, %v; want %v", got, err, b.when(1))
	}
	if _, err := r.LastChanged(hc, []string{"a.yaml", "b.yaml"}); err == nil {
		t.Error("LastChanged(b.yaml) past a missing parent succeeded")
	}
}

// TestLastChangedMatchesNaive compares LastChanged with a path-by-path walk
// of the first-parent chain on a random history with merges.
func TestLastChangedMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b := newBuilder(t, false)
	var paths []string
	for i := range 30 {
		paths = append(paths, fmt.Sprintf("d%d/e%d/f%d", i%3, i%5, i))
		b.write(paths[i], "0")
	}
	paths = append(paths, "d0", "d1/e1", "gone")
	head := b.commit("root")
	side, sideHead := b.fork(), head
	for i := range 80 {
		w, tip := b, &head
		if rng.IntN(3) == 0 {
			w, tip = side, &sideHead
		}
		p := paths[rng.IntN(30)]
		switch rng.IntN(5) {
		case 0:
			w.remove(p)
		case 1:
			w.set(p, filemode.Executable, w.blob("x"))
		default:
			w.write(p, fmt.Sprint(rng.IntN(4)))
		}
		*tip = w.commit(fmt.Sprint("step ", i), *tip)
		if w == b && rng.IntN(4) == 0 && sideHead != head {
			head = b.commit("merge", head, sideHead) // keeps main's tree
		}
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
		t.Errorf("LastChanged =\n%v\nwant\n%v", got, want)
	}
}

// naiveLastChanged looks each path up in every commit of the first-parent
// chain through go-git's own tree lookup.
func naiveLastChanged(t *testing.T, b *builder, head *object.Commit, paths []string) map[string]time.Time {
	entryAt := func(h plumbing.Hash, p string) (object.TreeEntry, bool) {
		c, err := b.repo.CommitObject(h)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := c.Tree()
		if err != nil {
			t.Fatal(err)
		}
		e, err := tr.FindEntry(p)
		if err != nil {
			return object.TreeEntry{}, false
		}
		return *e, true
	}
	out := map[string]time.Time{}
	for _, p := range paths {
		if _, ok := entryAt(head.Hash, p); !ok {
			continue
		}
		for c := head; ; {
			if len(c.ParentHashes) == 0 {
				out[p] = c.Committer.When
				break
			}
			e, _ := entryAt(c.Hash, p)
			pe, ok := entryAt(c.ParentHashes[0], p)
			if !ok || pe.Hash != e.Hash || pe.Mode != e.Mode {
				out[p] = c.Committer.When
				break
			}
			var err error
			if c, err = b.repo.CommitObject(c.ParentHashes[0]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

func TestHeadEntries(t *testing.T) {
	b := newBuilder(t, false)
	b.write("people/ada.yaml", "name: Ada\n")
	b.set("people/link.yaml", filemode.Symlink, b.blob("ada.yaml"))
	h := b.commit("records")
	b.ref("refs/heads/main", h)
	r := b.open()
	got, err := r.HeadEntries(commitObj(t, r, h),
		[]string{"people/ada.yaml", "people/link.yaml", "people", "people/eve.yaml", "/people/ada.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]plumbing.Hash{
		"people/ada.yaml":  BlobHash([]byte("name: Ada\n")),
		"people/link.yaml": BlobHash([]byte("ada.yaml")),
	}
	if !maps.Equal(got, want) {
		t.Errorf("HeadEntries = %v, want %v", got, want)
	}
	if got["people/ada.yaml"] != b.blob("name: Ada\n") {
		t.Error("BlobHash differs from the hash go-git stores the blob under")
	}
}
