package gitrepo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
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
	// The encoded trees are compared as bytes: entries both trees share at
	// their start and end are skipped by a memory comparison, and no entry
	// is decoded into a Go value unless it differs.
	w := &rawWalk{r: r, cur: map[plumbing.Hash][]byte{}, prev: map[plumbing.Hash][]byte{}, changeList: changeList{prefixes: prefixes}, strict: true}
	if err := w.trees("", from, head.TreeHash); err != nil {
		if base == nil {
			return nil, fmt.Errorf("list files of %s: %w", head.Hash, err)
		}
		return nil, fmt.Errorf("compare %s with %s: %w", base.Hash, head.Hash, err)
	}
	slices.SortFunc(w.out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return w.out, nil
}
