package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// LastChanged returns, for each of paths present in head's tree (a file or
// a folder), the committer time of the newest commit on the first-parent
// chain from head whose entry for that path differs from its first
// parent's; a root commit changes everything it holds. A change made on a
// side branch therefore dates from the merge that brought it in. Paths
// absent from head's tree are left out.
//
// The walk stops as soon as every path is dated. It compares each commit's
// tree with its parent's by hash, reads only the subtrees on the way to a
// wanted path whose hash changed, and keeps the decoded trees of the two
// commits it compares. A missing parent (a shallow clone) is an error only
// if some path is still undated when the walk reaches it.
func (r *Repo) LastChanged(head *object.Commit, paths []string) (map[string]time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cache := newTreeCache(r.st)
	root := &node{}
	for _, p := range paths {
		if fs.ValidPath(p) && p != "." {
			root.add(p)
		}
	}
	if err := root.keepPresent(cache, head.TreeHash); err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", head.Hash, err)
	}
	out := make(map[string]time.Time, root.pending)
	for c := head; root.pending > 0; {
		if len(c.ParentHashes) == 0 {
			root.dateAll(c.Committer.When, out)
			break
		}
		parent, err := object.GetCommit(r.st, c.ParentHashes[0])
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("walk history of %s: parent %s of %s is missing; fetch the full history (a shallow clone stops here)",
				head.Hash, c.ParentHashes[0], c.Hash)
		}
		if err != nil {
			return nil, fmt.Errorf("walk history of %s: read commit %s: %w", head.Hash, c.ParentHashes[0], err)
		}
		if err := root.date(cache, c.TreeHash, parent.TreeHash, c.Committer.When, out); err != nil {
			return nil, fmt.Errorf("compare %s with its parent: %w", c.Hash, err)
		}
		cache.age()
		c = parent
	}
	return out, nil
}

// node is a folder or file in the set of wanted paths.
type node struct {
	children map[string]*node
	path     string // the wanted path that ends here, or ""
	pending  int    // undated wanted paths here and below
}

func (n *node) add(p string) {
	for name := range strings.SplitSeq(p, "/") {
		if n.children == nil {
			n.children = make(map[string]*node)
		}
		c := n.children[name]
		if c == nil {
			c = &node{}
			n.children[name] = c
		}
		n = c
	}
	n.path = p
}

// keepPresent drops the wanted paths that the tree h does not hold and
// counts the rest as pending.
func (n *node) keepPresent(cache *treeCache, h plumbing.Hash) error {
	t, err := cache.get(h)
	if err != nil {
		return err
	}
	n.pending = 0
	for name, c := range n.children {
		e, ok := t.find(name)
		if !ok {
			delete(n.children, name)
			continue
		}
		if e.Mode == filemode.Dir && len(c.children) > 0 {
			if err := c.keepPresent(cache, e.Hash); err != nil {
				return err
			}
		} else {
			c.children = nil
			c.pending = 0
		}
		if c.path != "" {
			c.pending++
		}
		if c.pending == 0 {
			delete(n.children, name)
		}
		n.pending += c.pending
	}
	return nil
}

// date compares the trees a (a commit's) and b (its parent's) below n and
// dates every pending path whose entry differs, keeping n.pending up to
// date.
func (n *node) date(cache *treeCache, a, b plumbing.Hash, when time.Time, out map[string]time.Time) error {
	if a == b {
		return nil
	}
	ta, err := cache.get(a)
	if err != nil {
		return err
	}
	tb, err := cache.get(b)
	if err != nil {
		return err
	}
	for name, c := range n.children {
		ea, _ := ta.find(name) // pending paths are present in a's tree
		eb, ok := tb.find(name)
		if ok && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			continue
		}
		before := c.pending
		if ok && ea.Mode == filemode.Dir && eb.Mode == filemode.Dir {
			if c.path != "" {
				out[c.path] = when
				c.path = ""
				c.pending--
			}
			if err := c.date(cache, ea.Hash, eb.Hash, when, out); err != nil {
				return err
			}
		} else {
			c.dateAll(when, out)
		}
		n.pending -= before - c.pending
		if c.pending == 0 {
			delete(n.children, name)
		}
	}
	return nil
}

// dateAll dates every pending path at and below n.
func (n *node) dateAll(when time.Time, out map[string]time.Time) {
	if n.path != "" {
		out[n.path] = when
		n.path = ""
	}
	for _, c := range n.children {
		c.dateAll(when, out)
	}
	n.children = nil
	n.pending = 0
}
