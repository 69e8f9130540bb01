package gitrepo

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// changeList collects the changes of a tree comparison that lie under
// prefixes (plain string prefixes; none keeps every path). Changes and
// FirstParents share it: they read trees differently, but keep and record
// changes the same way.
type changeList struct {
	prefixes []string
	out      []Change
}

// emit keeps c when a prefix matches its path.
func (l *changeList) emit(c Change) {
	if len(l.prefixes) == 0 || slices.ContainsFunc(l.prefixes, func(p string) bool {
		return strings.HasPrefix(c.Path, p)
	}) {
		l.out = append(l.out, c)
	}
}

// wantDir reports whether the folder dir can hold a path that a prefix
// matches.
func (l *changeList) wantDir(dir string) bool {
	if len(l.prefixes) == 0 {
		return true
	}
	dir += "/"
	return slices.ContainsFunc(l.prefixes, func(p string) bool {
		return strings.HasPrefix(dir, p) || strings.HasPrefix(p, dir)
	})
}

// record records the entry e at p as added or deleted: a file as one
// change, a folder by comparing it with the empty tree through trees, which
// compares the trees a and b at a folder.
func (l *changeList) record(p string, e Entry, action Action, trees func(dir string, a, b plumbing.Hash) error) error {
	if e.Mode == filemode.Dir {
		if !l.wantDir(p) {
			return nil
		}
		if action == Added {
			return trees(p, plumbing.ZeroHash, e.Hash)
		}
		return trees(p, e.Hash, plumbing.ZeroHash)
	}
	c := Change{Path: p, Action: action}
	if action == Added {
		c.To = e
	} else {
		c.From = e
	}
	l.emit(c)
	return nil
}
