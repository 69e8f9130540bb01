package gitrepo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// origins fills step.Origins for a merge whose first parent's tree is base.
// It walks the merged branch once for every changed path, and looks paths
// up in trees indexed once each, so a merge that brings in thousands of
// files costs thousands of lookups, not thousands of scans of their folder.
func (w *rawWalk) origins(step *Step, base plumbing.Hash) error {
	step.Origins = map[string]CommitInfo{}
	idx := map[plumbing.Hash]*tree{}
	want := map[string]Entry{} // the first parent's entry of each path still looked for
	var pending []string
	for _, ch := range step.Changes {
		if ch.Action == Deleted {
			continue
		}
		if err := w.poll.err(); err != nil {
			return err
		}
		e, _, err := w.lookup(idx, base, ch.Path)
		if err != nil {
			return err
		}
		want[ch.Path] = e
		pending = append(pending, ch.Path)
	}
	if len(pending) == 0 {
		return nil
	}
	c, err := object.GetCommit(w.r.st, step.Parents[1])
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		w.partial = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("read commit %s: %w", step.Parents[1], err)
	}
	for range MaxOriginDepth {
		if len(c.ParentHashes) == 0 {
			for _, p := range pending {
				step.Origins[p] = info(c)
			}
			return nil
		}
		p, err := object.GetCommit(w.r.st, c.ParentHashes[0])
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			w.partial = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("read commit %s: %w", c.ParentHashes[0], err)
		}
		rest := pending[:0]
		for _, path := range pending {
			if err := w.poll.err(); err != nil {
				return err
			}
			got, _, err := w.lookup(idx, p.TreeHash, path)
			if err != nil {
				return err
			}
			if got == want[path] {
				step.Origins[path] = info(c)
				continue
			}
			rest = append(rest, path)
		}
		if pending = rest; len(pending) == 0 {
			return nil
		}
		c = p
	}
	return nil
}

// lookup returns the entry at the slash-separated path below the tree
// root; the zero Entry when there is none. idx holds the trees looked in so
// far, each checked whole when first read.
func (w *rawWalk) lookup(idx map[plumbing.Hash]*tree, root plumbing.Hash, path string) (Entry, bool, error) {
	h := root
	for {
		t := idx[h]
		if t == nil {
			raw, err := w.tree(h)
			if err != nil {
				return Entry{}, false, err
			}
			if err := wellFormed(raw); err != nil {
				return Entry{}, false, fmt.Errorf("read tree %s: %w", h, err)
			}
			t = &tree{raw: raw}
			idx[h] = t
		}
		first, rest, more := strings.Cut(path, "/")
		e, ok := t.find(first)
		if !ok {
			return Entry{}, false, nil
		}
		if !more {
			return Entry{Hash: e.Hash, Mode: e.Mode}, true, nil
		}
		if e.Mode != filemode.Dir {
			return Entry{}, false, nil
		}
		h, path = e.Hash, rest
	}
}
