package gitrepo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Action says how a path changed between two trees.
type Action int

const (
	// Added paths are in the head tree only.
	Added Action = iota + 1
	// Modified paths are in both trees with a different hash or mode,
	// including a file that became a symbolic link or a submodule.
	Modified
	// Deleted paths are in the base tree only.
	Deleted
)

// String returns "added", "modified" or "deleted".
func (a Action) String() string {
	switch a {
	case Added:
		return "added"
	case Modified:
		return "modified"
	case Deleted:
		return "deleted"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Change is one path that differs between two trees. From is the zero
// Entry for an added path and To for a deleted one. Paths never name a
// folder: a folder that became a file shows as its files deleted and the
// file added.
type Change struct {
	Path     string
	Action   Action
	From, To Entry
}

// Changes returns the paths that differ between the trees of base and head,
// sorted by path. A nil base stands for the empty tree. Without prefixes
// every changed path is listed; with them, only the paths that start with
// one of them (plain string prefixes, so "reports/" matches
// "reports/2026-01/x.yaml"), and folders that cannot hold such a path are
// not read.
//
// Entries are compared by hash and only subtrees whose hash changed are
// read, so the work follows the size of the diff, not of the repository.
func (r *Repo) Changes(base, head *object.Commit, prefixes ...string) ([]Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var from plumbing.Hash
	if base != nil {
		from = base.TreeHash
	}
	d := &differ{cache: newTreeCache(r.st), changeList: changeList{prefixes: prefixes}}
	if err := d.trees("", from, head.TreeHash); err != nil {
		if base == nil {
			return nil, fmt.Errorf("list files of %s: %w", head.Hash, err)
		}
		return nil, fmt.Errorf("compare %s with %s: %w", base.Hash, head.Hash, err)
	}
	slices.SortFunc(d.out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return d.out, nil
}

type differ struct {
	cache *treeCache
	changeList
}

// trees compares the trees a and b found at the folder dir ("" at the root).
func (d *differ) trees(dir string, a, b plumbing.Hash) error {
	if a == b {
		return nil
	}
	ta, err := d.cache.get(a)
	if err != nil {
		return err
	}
	tb, err := d.cache.get(b)
	if err != nil {
		return err
	}
	for _, eb := range tb.entries {
		p := join(dir, eb.Name)
		ea, ok := ta.find(eb.Name)
		switch {
		case !ok:
			err = d.side(p, eb, Added)
		case ea.Hash == eb.Hash && ea.Mode == eb.Mode:
			continue
		case ea.Mode == filemode.Dir && eb.Mode == filemode.Dir:
			if d.wantDir(p) {
				err = d.trees(p, ea.Hash, eb.Hash)
			}
		case ea.Mode != filemode.Dir && eb.Mode != filemode.Dir:
			d.emit(Change{Path: p, Action: Modified, From: entry(ea), To: entry(eb)})
		default: // a folder became a file or the other way round
			if err = d.side(p, ea, Deleted); err == nil {
				err = d.side(p, eb, Added)
			}
		}
		if err != nil {
			return err
		}
	}
	for _, ea := range ta.entries {
		if _, ok := tb.find(ea.Name); !ok {
			if err := d.side(join(dir, ea.Name), ea, Deleted); err != nil {
				return err
			}
		}
	}
	return nil
}

// side records e at p, and everything below it for a folder, as added or
// deleted.
func (d *differ) side(p string, e object.TreeEntry, action Action) error {
	return d.record(p, entry(e), action, d.trees)
}

func entry(e object.TreeEntry) Entry { return Entry{Hash: e.Hash, Mode: e.Mode} }
