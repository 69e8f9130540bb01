package gitrepo

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Entry is what a tree records for one path: the object it points at (a
// blob, or a commit for a submodule) and its canonical mode.
type Entry struct {
	Hash plumbing.Hash
	Mode filemode.FileMode
}

// emptyTree is the hash of the tree with no entries, which Git knows without
// storing it.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// indexAbove is the entry count above which a tree looks names up through a
// map instead of a scan.
const indexAbove = 8

// tree is a decoded tree object.
type tree struct {
	entries []object.TreeEntry
	index   map[string]int // built on the first lookup in a large tree
}

// find returns the entry called name.
func (t *tree) find(name string) (object.TreeEntry, bool) {
	if len(t.entries) <= indexAbove {
		for _, e := range t.entries {
			if e.Name == name {
				return e, true
			}
		}
		return object.TreeEntry{}, false
	}
	if t.index == nil {
		t.index = make(map[string]int, len(t.entries))
		for i, e := range t.entries {
			t.index[e.Name] = i
		}
	}
	i, ok := t.index[name]
	if !ok {
		return object.TreeEntry{}, false
	}
	return t.entries[i], true
}

// treeCache decodes trees once and keeps them in two generations: age drops
// what was not used since the previous age, so a walk over history holds
// only the trees of the two commits it compares. Callers hold Repo.mu.
type treeCache struct {
	st        storer.EncodedObjectStorer
	cur, prev map[plumbing.Hash]*tree
}

func newTreeCache(st storer.EncodedObjectStorer) *treeCache {
	return &treeCache{
		st:   st,
		cur:  make(map[plumbing.Hash]*tree),
		prev: make(map[plumbing.Hash]*tree),
	}
}

// get returns the tree h; the zero hash stands for the empty tree.
func (c *treeCache) get(h plumbing.Hash) (*tree, error) {
	if h.IsZero() || h == emptyTree {
		return &tree{}, nil
	}
	if t, ok := c.cur[h]; ok {
		return t, nil
	}
	if t, ok := c.prev[h]; ok {
		c.cur[h] = t
		return t, nil
	}
	ot, err := object.GetTree(c.st, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	for _, e := range ot.Entries {
		if !validName(e.Name) {
			return nil, fmt.Errorf("read tree %s: invalid entry name %q", h, e.Name)
		}
	}
	t := &tree{entries: ot.Entries}
	c.cur[h] = t
	return t, nil
}

// age forgets the trees not used since the previous call.
func (c *treeCache) age() {
	c.prev, c.cur = c.cur, c.prev
	clear(c.cur)
}

// lookup returns the entry at the slash-separated path name below the tree
// root; "." is the root itself.
func (c *treeCache) lookup(root plumbing.Hash, name string) (object.TreeEntry, bool, error) {
	e := object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: root}
	if name == "." {
		return e, true, nil
	}
	for {
		if e.Mode != filemode.Dir {
			return object.TreeEntry{}, false, nil
		}
		t, err := c.get(e.Hash)
		if err != nil {
			return object.TreeEntry{}, false, err
		}
		first, rest, more := strings.Cut(name, "/")
		var ok bool
		if e, ok = t.find(first); !ok || !more {
			return e, ok, nil
		}
		name = rest
	}
}

// validName reports whether a tree entry name is a single path element
// (the tree format already ends names at a NUL byte). Git refuses to check
// out the others; here they would smuggle "../" or a deeper path into the
// names a caller compares.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && strings.IndexByte(name, '/') < 0
}

// join returns dir/name, or name at the root.
func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// BlobHash returns the hash Git gives a file with the content data, to
// compare a work-tree file with HeadEntries. It applies no filters: a file
// checked out with CRLF conversion hashes differently from its blob.
func BlobHash(data []byte) plumbing.Hash {
	return plumbing.ComputeHash(plumbing.BlobObject, data)
}

// HeadEntries returns, for each of paths that is a file in head's tree, the
// hash of its blob. Paths that are absent (untracked), folders or not valid
// fs.ValidPath names are left out. A symbolic link maps to the blob of its
// target text and a submodule to its commit, so neither equals the
// BlobHash of what a work-tree read would return.
func (r *Repo) HeadEntries(head *object.Commit, paths []string) (map[string]plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := newTreeCache(r.st)
	out := make(map[string]plumbing.Hash, len(paths))
	for _, p := range paths {
		if !fs.ValidPath(p) || p == "." {
			continue
		}
		e, ok, err := c.lookup(head.TreeHash, p)
		if err != nil {
			return nil, fmt.Errorf("look up %s at %s: %w", p, head.Hash, err)
		}
		if ok && e.Mode != filemode.Dir {
			out[p] = e.Hash
		}
	}
	return out, nil
}
