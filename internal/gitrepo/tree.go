package gitrepo

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
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
// of 10,000 reports scans the bytes instead of building 10,000 entries, and
// a large tree looked up more than once is indexed (see find).
type tree struct {
	raw     []byte
	entries []object.TreeEntry // set by all
	ordered bool               // entries strictly in Git's order, no name twice
	scanned bool               // find scanned raw once
	index   []uint32           // set by find: see indexTree
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
	poll      poll // for the long loops of the cache's callers
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
	ordered, err := checkWhole(raw)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	t := &tree{raw: raw, ordered: ordered}
	c.cur[h] = t
	return t, nil
}

// checkWhole checks every entry of the encoded tree raw: well formed, with
// a name Git accepts. ordered says whether the entries also stand strictly
// in Git's order with no name twice, so that two trees can be compared side
// by side.
func checkWhole(raw []byte) (ordered bool, err error) {
	var e, prev rawEntry
	var tw twins
	ordered = true
	for {
		ok, err := e.next(&raw)
		if err != nil {
			return false, err
		}
		if !ok {
			return ordered, nil
		}
		if err := checkName("", string(e.name)); err != nil {
			return false, err
		}
		if ordered && (prev.name != nil && compareEntries(&prev, &e) >= 0 || tw.twin(&e)) {
			ordered = false
		}
		prev = e
	}
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

// TreeError is a tree entry that Git itself refuses to check out: a name
// that is empty, "." or "..", ".git" in any case or spelling that a
// case-insensitive or NTFS file system reads as ".git", or a name that stands
// twice (or out of order) in its folder. A pull request whose tree holds one
// is refused rather than judged: such a tree can show one thing to posture
// and check out as another.
type TreeError struct {
	// Dir is the folder holding the entry ("" for the root), Name the
	// entry's name as stored.
	Dir, Name string
	// Reason says what is wrong with it.
	Reason string
}

func (e *TreeError) Error() string {
	return fmt.Sprintf("the tree entry %q in %q %s", e.Name, e.Dir+"/", e.Reason)
}

// Path is where the entry stands, as a repository path.
func (e *TreeError) Path() string { return join(e.Dir, e.Name) }

// checkName returns the TreeError for an entry name Git refuses, or nil.
// (The tree format already ends names at a NUL byte; a slash would smuggle
// a deeper path into the names a caller compares.)
func checkName(dir, name string) error {
	reason := ""
	switch {
	case name == "":
		reason = "has an empty name"
	case name == "." || name == "..":
		reason = "names a folder above or at itself"
	case strings.IndexByte(name, '/') >= 0:
		reason = "holds a slash"
	case isDotGit(name):
		reason = "would be read as Git's own .git folder"
	default:
		return nil
	}
	return &TreeError{Dir: dir, Name: name, Reason: reason}
}

// isDotGit reports whether a checkout on some file system would take name
// for ".git": any case, trailing dots or spaces (NTFS), or its short name.
func isDotGit(name string) bool {
	trimmed := strings.TrimRight(name, ". ")
	return strings.EqualFold(trimmed, ".git") || strings.EqualFold(name, "git~1")
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
	return r.HeadEntriesContext(context.Background(), head, paths)
}

// HeadEntriesContext is HeadEntries, stopped with ctx's error when ctx is
// done.
func (r *Repo) HeadEntriesContext(ctx context.Context, head *object.Commit, paths []string) (map[string]plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := newTreeCache(r.st)
	c.poll.ctx = ctx
	out := make(map[string]plumbing.Hash, len(paths))
	for _, p := range paths {
		if err := c.poll.err(); err != nil {
			return nil, err
		}
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

// SameRootEntries reports whether the root trees of commits a and b hold
// the same entry (mode and hash, or none) under each of names.
func (r *Repo) SameRootEntries(a, b *object.Commit, names ...string) (bool, error) {
	if a.TreeHash == b.TreeHash {
		return true, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	entries := func(c *object.Commit) (map[string]object.TreeEntry, error) {
		t, err := object.GetTree(r.st, c.TreeHash)
		if err != nil {
			return nil, fmt.Errorf("read the tree of %s: %w", c.Hash, err)
		}
		out := map[string]object.TreeEntry{}
		for _, e := range t.Entries {
			if slices.Contains(names, e.Name) {
				out[e.Name] = e
			}
		}
		return out, nil
	}
	ea, err := entries(a)
	if err != nil {
		return false, err
	}
	eb, err := entries(b)
	if err != nil {
		return false, err
	}
	return maps.Equal(ea, eb), nil
}
