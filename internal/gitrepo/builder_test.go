package gitrepo

import (
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// epoch is the time of the first commit a builder makes; each later commit
// is one hour after the one before.
var epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.FixedZone("CET", 3600))

// builder writes blobs, trees and commits straight into the object store of
// a real repository made with git.PlainInit. Its state is a work tree of
// entries; commit writes the trees that changed since the last commit.
type builder struct {
	tb    testing.TB
	dir   string
	repo  *git.Repository
	st    storage.Storer
	dirs  map[string]map[string]object.TreeEntry // folder → entries by name
	trees map[string]plumbing.Hash               // folder → tree last written
	tick  *int
}

func newBuilder(tb testing.TB, bare bool) *builder {
	tb.Helper()
	dir := tb.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main},
		Bare:        bare,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return &builder{tb: tb, dir: dir, repo: repo, st: repo.Storer,
		dirs: map[string]map[string]object.TreeEntry{"": {}}, trees: map[string]plumbing.Hash{}, tick: new(int)}
}

// fork returns a builder with a copy of b's state that writes to the same
// repository and shares its clock, to build a side branch.
func (b *builder) fork() *builder {
	f := *b
	f.dirs = make(map[string]map[string]object.TreeEntry, len(b.dirs))
	for d, es := range b.dirs {
		f.dirs[d] = maps.Clone(es)
	}
	f.trees = maps.Clone(b.trees)
	return &f
}

// blob stores data and returns its hash.
func (b *builder) blob(data string) plumbing.Hash {
	o := b.st.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, err := o.Writer()
	if err != nil {
		b.tb.Fatal(err)
	}
	if _, err := w.Write([]byte(data)); err != nil {
		b.tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.tb.Fatal(err)
	}
	h, err := b.st.SetEncodedObject(o)
	if err != nil {
		b.tb.Fatal(err)
	}
	return h
}

// write sets p to a regular file holding data.
func (b *builder) write(p, data string) { b.set(p, filemode.Regular, b.blob(data)) }

// set puts an entry with mode and hash at p, making its folders and
// replacing a file that is in the way.
func (b *builder) set(p string, mode filemode.FileMode, h plumbing.Hash) {
	b.remove(p)
	d, cur := parent(p), ""
	for part := range strings.SplitSeq(d, "/") {
		if d == "" {
			break
		}
		next := path.Join(cur, part)
		if b.dirs[next] == nil {
			b.dirs[cur][part] = object.TreeEntry{Name: part, Mode: filemode.Dir}
			b.dirs[next] = map[string]object.TreeEntry{}
		}
		cur = next
	}
	b.dirs[d][path.Base(p)] = object.TreeEntry{Name: path.Base(p), Mode: mode, Hash: h}
	b.touch(d)
}

// remove deletes the file or folder at p if there is one.
func (b *builder) remove(p string) {
	if es := b.dirs[parent(p)]; es != nil {
		delete(es, path.Base(p))
	}
	for k := range b.dirs {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(b.dirs, k)
			delete(b.trees, k)
		}
	}
	b.touch(parent(p))
}

// touch forgets the written trees of folder d and its parents.
func (b *builder) touch(d string) {
	for ; d != ""; d = parent(d) {
		delete(b.trees, d)
	}
	delete(b.trees, "")
}

func parent(d string) string {
	if i := strings.LastIndexByte(d, '/'); i >= 0 {
		return d[:i]
	}
	return ""
}

// tree writes the folder d and everything below it and returns its hash; an
// empty folder gives the zero hash and is left out of its parent.
func (b *builder) tree(d string) plumbing.Hash {
	if h, ok := b.trees[d]; ok {
		return h
	}
	var entries []object.TreeEntry
	for _, e := range b.dirs[d] {
		if e.Mode == filemode.Dir {
			if e.Hash = b.tree(path.Join(d, e.Name)); e.Hash.IsZero() {
				continue
			}
		}
		entries = append(entries, e)
	}
	h := plumbing.ZeroHash
	if len(entries) > 0 || d == "" {
		sort.Sort(object.TreeEntrySorter(entries))
		h = b.store(&object.Tree{Entries: entries})
	}
	b.trees[d] = h
	return h
}

// store encodes and stores a tree, commit or tag.
func (b *builder) store(v interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	o := b.st.NewEncodedObject()
	if err := v.Encode(o); err != nil {
		b.tb.Fatal(err)
	}
	h, err := b.st.SetEncodedObject(o)
	if err != nil {
		b.tb.Fatal(err)
	}
	return h
}

// commit stores the current state as a commit with the given parents, one
// hour after the previous commit.
func (b *builder) commit(msg string, parents ...plumbing.Hash) plumbing.Hash {
	sig := object.Signature{Name: "Test", Email: "test@example.com", When: b.when(*b.tick)}
	*b.tick++
	return b.store(&object.Commit{Author: sig, Committer: sig, Message: msg,
		TreeHash: b.tree(""), ParentHashes: parents})
}

// when returns the time of the commit number i (0-based).
func (b *builder) when(i int) time.Time { return epoch.Add(time.Duration(i) * time.Hour) }

// ref points the reference name at h.
func (b *builder) ref(name string, h plumbing.Hash) {
	if err := b.st.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		b.tb.Fatal(err)
	}
}

// pack moves every object reachable from a reference into one packfile and
// deletes the loose objects, so reads go through the packfile code.
func (b *builder) pack() {
	if err := b.repo.RepackObjects(&git.RepackConfig{}); err != nil {
		b.tb.Fatal(err)
	}
	objects := filepath.Join(b.dir, ".git", "objects")
	if _, err := os.Stat(objects); err != nil {
		objects = filepath.Join(b.dir, "objects") // bare
	}
	loose := regexp.MustCompile(`^[0-9a-f]{2}$`)
	des, err := os.ReadDir(objects)
	if err != nil {
		b.tb.Fatal(err)
	}
	for _, de := range des {
		if loose.MatchString(de.Name()) {
			if err := os.RemoveAll(filepath.Join(objects, de.Name())); err != nil {
				b.tb.Fatal(err)
			}
		}
	}
}

// open opens the repository with Open and closes it when the test ends.
func (b *builder) open() *Repo {
	b.tb.Helper()
	r, err := Open(b.dir)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.tb.Cleanup(func() { _ = r.Close() })
	return r
}

// commitObj reads the commit h through r.
func commitObj(tb testing.TB, r *Repo, h plumbing.Hash) *object.Commit {
	tb.Helper()
	c, err := r.Resolve(h.String())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
