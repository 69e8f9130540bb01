package gitrepo

import (
	"bytes"
	"context"
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
	return r.LastChangedContext(context.Background(), head, paths)
}

// LastChangedContext is LastChanged, stopped with ctx's error when ctx is
// done.
func (r *Repo) LastChangedContext(ctx context.Context, head *object.Commit, paths []string) (map[string]time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cache := newTreeCache(r.st)
	cache.poll.ctx = ctx
	root := &node{}
	for _, p := range paths {
		if err := cache.poll.err(); err != nil {
			return nil, err
		}
		if fs.ValidPath(p) && p != "." {
			root.add(p)
		}
	}
	if err := root.keepPresent(cache, head.TreeHash); err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", head.Hash, err)
	}
	out := make(map[string]time.Time, root.pending)
	for c := head; root.pending > 0; {
		if err := cache.poll.now(); err != nil {
			return nil, err
		}
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
		if err := cache.poll.err(); err != nil {
			return err
		}
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
// date. Trees in Git's order are compared side by side from their first
// differing entry, so the cost follows what changed, not how many paths are
// pending: a folder of 200,000 reports where one changed costs a memory
// comparison and one entry, not 200,000 lookups.
func (n *node) date(cache *treeCache, a, b plumbing.Hash, when time.Time, out map[string]time.Time) error {
	if a == b || n.pending == 0 {
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
	if !ta.ordered || !tb.ordered {
		// A forged order: look every pending name up, as a scan would.
		for name := range n.children {
			if err := cache.poll.err(); err != nil {
				return err
			}
			ea, _ := ta.find(name) // pending paths are present in a's tree
			eb, ok := tb.find(name)
			if err := n.changed(cache, name, ea, eb, ok, when, out); err != nil {
				return err
			}
		}
		return nil
	}
	ra, rb := skipCommonPrefix(ta.raw, tb.raw)
	same := commonSuffix(ra, rb)
	var ea, eb rawEntry
	okA, errA := ea.next(&ra)
	okB, errB := eb.next(&rb)
	for okA && n.pending > 0 {
		if err := cache.poll.err(); err != nil {
			return err
		}
		if err := errors.Join(errA, errB); err != nil {
			return fmt.Errorf("read tree %s or %s: %w", a, b, err)
		}
		if okB && len(ra) == len(rb) && len(ra) <= same && ea.hash == eb.hash && ea.mode == eb.mode && bytes.Equal(ea.name, eb.name) {
			return nil // the rest of both trees is the same bytes
		}
		order := -1
		if okB {
			order = compareEntries(&ea, &eb)
		}
		switch {
		case order > 0: // only in the parent
			okB, errB = eb.next(&rb)
			continue
		case order < 0: // only in the commit
			if err := n.changed(cache, string(ea.name), object.TreeEntry{Mode: ea.mode, Hash: ea.hash}, object.TreeEntry{}, false, when, out); err != nil {
				return err
			}
		default:
			if ea.hash != eb.hash || ea.mode != eb.mode {
				if err := n.changed(cache, string(ea.name), object.TreeEntry{Mode: ea.mode, Hash: ea.hash}, object.TreeEntry{Mode: eb.mode, Hash: eb.hash}, true, when, out); err != nil {
					return err
				}
			}
			okB, errB = eb.next(&rb)
		}
		okA, errA = ea.next(&ra)
	}
	return errors.Join(errA, errB)
}

// changed handles the entry called name of n, ea in the commit's tree and
// eb (when inParent) in its parent's: it dates the pending paths at and
// below it that differ.
func (n *node) changed(cache *treeCache, name string, ea, eb object.TreeEntry, inParent bool, when time.Time, out map[string]time.Time) error {
	c := n.children[name]
	if c == nil || inParent && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
		return nil
	}
	before := c.pending
	if inParent && ea.Mode == filemode.Dir && eb.Mode == filemode.Dir {
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
