package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// origins fills step.Origins for a merge whose first parent's tree is base.
func (w *rawWalk) origins(step *Step, base plumbing.Hash) error {
	step.Origins = map[string]CommitInfo{}
	for _, ch := range step.Changes {
		if ch.Action == Deleted {
			continue
		}
		want, _, err := w.lookup(base, ch.Path)
		if err != nil {
			return err
		}
		c, err := object.GetCommit(w.r.st, step.Parents[1])
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read commit %s: %w", step.Parents[1], err)
		}
		for range MaxOriginDepth {
			if len(c.ParentHashes) == 0 {
				step.Origins[ch.Path] = info(c)
				break
			}
			p, err := object.GetCommit(w.r.st, c.ParentHashes[0])
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				break
			}
			if err != nil {
				return fmt.Errorf("read commit %s: %w", c.ParentHashes[0], err)
			}
			got, _, err := w.lookup(p.TreeHash, ch.Path)
			if err != nil {
				return err
			}
			if got == want {
				step.Origins[ch.Path] = info(c)
				break
			}
			c = p
		}
	}
	return nil
}

// lookup returns the entry at the slash-separated path below the tree
// root; the zero Entry when there is none.
func (w *rawWalk) lookup(root plumbing.Hash, path string) (Entry, bool, error) {
	h := root
	for {
		t, err := w.tree(h)
		if err != nil {
			return Entry{}, false, err
		}
		first, rest, more := strings.Cut(path, "/")
		var e rawEntry
		found := false
		for {
			ok, err := e.next(&t)
			if err != nil {
				return Entry{}, false, fmt.Errorf("read tree %s: %w", h, err)
			}
			if !ok {
				break
			}
			if bytes.Equal(e.name, []byte(first)) {
				found = true
				break
			}
		}
		if !found {
			return Entry{}, false, nil
		}
		if !more {
			return Entry{Hash: e.hash, Mode: e.mode}, true, nil
		}
		if e.mode != filemode.Dir {
			return Entry{}, false, nil
		}
		h, path = e.hash, rest
	}
}
