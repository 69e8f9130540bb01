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

// tree is a tree object as stored: its encoded entries, decoded into Go
// values only when a caller lists them all. Looking one name up in a folder
// of 10,000 reports scans the bytes instead of building 10,000 entries.
type tree struct {
	raw     []byte
	entries []object.TreeEntry // set by all
}

// find returns the entry called name.
func (t *tree) find(name string) (object.TreeEntry, bool) {
	buf := t.raw
	var e rawEntry
	for {
		ok, err := e.next(&buf)
		if !ok || err != nil {
			return object.TreeEntry{}, false
		}
		if string(e.name) == name {
			return object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash}, true
		}
	}
}

// all returns every entry, decoding them on the first call.
func (t *tree) all() []object.TreeEntry {
	if t.entries == nil && len(t.raw) > 0 {
		buf := t.raw
		var e rawEntry
		for {
			ok, err := e.next(&buf)
			if !ok || err != nil {
				break
			}
			t.entries = append(t.entries, object.TreeEntry{Name: string(e.name), Mode: e.mode, Hash: e.hash})
		}
	}
	return t.entries
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
	raw, err := readTree(c.st, h)
	if err != nil {
		return nil, err
	}
	// Check the whole tree once, without decoding it: a malformed entry or
	// a name such as ".." makes every use of the tree fail.
	buf := raw
	var e rawEntry
	for {
		ok, err := e.next(&buf)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", h, err)
		}
		if !ok {
			break
		}
		if !validName(string(e.name)) {
			return nil, fmt.Errorf("read tree %s: invalid entry name %q", h, e.name)
		}
	}
	t := &tree{raw: raw}
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

// readTree returns the encoded entries of tree h.
func readTree(st storer.EncodedObjectStorer, h plumbing.Hash) ([]byte, error) {
	o, err := st.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	b := make([]byte, o.Size())
	_, err = readFull(rd, b)
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	return b, nil
}
