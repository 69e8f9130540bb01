// Package gitrepo reads a Git repository through go-git objects, never a
// checkout: commits named by a revision, read-only file systems over a
// commit's tree, the files that differ between two commits, and when each
// file last changed on the first-parent history.
//
// Every read of the object store goes through one mutex per Repo, because
// go-git's filesystem storage is not safe for concurrent reads; the values
// this package returns (file contents, changes, times) are plain data that
// callers may share freely. The *object.Commit values it returns still point
// at the store: read their fields, but walk parents or trees only through
// Repo methods.
package gitrepo

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNoCommit is matched (errors.Is) by the error Resolve returns when a
// revision names no commit in the repository.
var ErrNoCommit = errors.New("no such commit")

// Repo is an open Git repository. Its methods are safe for concurrent use.
type Repo struct {
	mu   sync.Mutex // guards every read of st and repo, and packs
	repo *git.Repository
	st   storage.Storer
	root string
	// packs are the indexes of the repository's packfiles, read on first
	// use by inPack (nil before; empty when there are none or they could
	// not be read).
	packs []*idxfile.MemoryIndex
}

// Open opens the repository at dir: a bare repository, or the work tree
// that contains dir, found by looking in dir and then its parents for a .git
// folder or file. Packfiles stay open until Close.
func Open(dir string) (*Repo, error) {
	// Look at dir itself first: with DetectDotGit, go-git would walk past a
	// bare repository to the file system root.
	probe, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		probe, err = git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{
			DetectDotGit:          true,
			EnableDotGitCommonDir: true,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	r := &Repo{repo: probe, st: probe.Storer}
	wt, err := probe.Worktree()
	switch {
	case err == nil:
		r.root = wt.Filesystem.Root()
	case !errors.Is(err, git.ErrIsBareRepository):
		return nil, fmt.Errorf("open work tree of %s: %w", dir, err)
	}
	fsStore, ok := probe.Storer.(*filesystem.Storage)
	if !ok {
		return r, nil
	}
	// PlainOpen gives no way to pass storage options, so build the storer
	// again over the same .git folder with the packfile descriptors kept.
	st := filesystem.NewStorageWithOptions(fsStore.Filesystem(), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true, LargeObjectThreshold: largeObject})
	repo, err := git.Open(st, nil)
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	_ = fsStore.Close()
	r.repo, r.st = repo, st
	return r, nil
}

// Close releases the packfile descriptors the repository keeps open.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.st.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("close repository: %w", err)
		}
	}
	return nil
}

// Root returns the absolute path of the work tree, or "" for a bare
// repository.
func (r *Repo) Root() string { return r.root }

// Resolve returns the commit that rev names: a branch, a remote-tracking
// branch such as origin/main, a tag (annotated tags are peeled), a full or
// abbreviated hash, HEAD, or any of those followed by ~N or ^N. The error
// matches ErrNoCommit when rev names nothing in the repository.
func (r *Repo) Resolve(rev string) (*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if missing(err) {
			return nil, &noCommitError{rev: rev, err: err}
		}
		return nil, fmt.Errorf("resolve %s: %w", rev, err)
	}
	c, err := object.GetCommit(r.st, *h)
	if err != nil {
		if missing(err) {
			return nil, &noCommitError{rev: rev, err: err}
		}
		return nil, fmt.Errorf("resolve %s: %w", rev, err)
	}
	return c, nil
}

// missing reports whether err means a reference or object is not there, or
// a ~N walked past the root commit.
func missing(err error) bool {
	return errors.Is(err, plumbing.ErrReferenceNotFound) ||
		errors.Is(err, plumbing.ErrObjectNotFound) ||
		errors.Is(err, io.EOF)
}

type noCommitError struct {
	rev string
	err error
}

func (e *noCommitError) Error() string {
	return fmt.Sprintf("no commit %q in the repository; fetch it first", e.rev)
}

func (e *noCommitError) Unwrap() []error { return []error{ErrNoCommit, e.err} }

// MergeBase returns the best common ancestor of a and b, as
// `git merge-base a b` does. When several are equally good (criss-cross
// merges) it returns the one with the newest committer time, then the
// smallest hash, so the answer does not depend on walk order. A caller that
// judges what a merge does must use MergeBases instead: with more than one
// merge base, the diff from any one of them is not what the merge changes.
func (r *Repo) MergeBase(a, b *object.Commit) (*object.Commit, error) {
	bases, err := r.MergeBases(a, b)
	if err != nil {
		return nil, err
	}
	return bases[0], nil
}

// MergeBases returns every best common ancestor of a and b, as
// `git merge-base --all a b` does, ordered as MergeBase picks them: newest
// committer time first, then the smallest hash. It is never empty.
func (r *Repo) MergeBases(a, b *object.Commit) ([]*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	bases, err := a.MergeBase(b)
	if err != nil {
		return nil, fmt.Errorf("find merge base of %s and %s: %w", a.Hash, b.Hash, err)
	}
	if len(bases) == 0 {
		return nil, fmt.Errorf("find merge base of %s and %s: the commits share no history", a.Hash, b.Hash)
	}
	slices.SortFunc(bases, func(x, y *object.Commit) int {
		return cmp.Or(y.Committer.When.Compare(x.Committer.When), bytes.Compare(x.Hash[:], y.Hash[:]))
	})
	return bases, nil
}

// Unborn reports whether HEAD names a branch that has no commit yet, as in
// a repository just made by git init.
func (r *Repo) Unborn() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.repo.Head()
	return errors.Is(err, plumbing.ErrReferenceNotFound)
}

// largeObject is the size past which an object is streamed from its
// packfile when read, rather than decompressed into memory, hashed and
// cached first: a folder of 100,000 reports is a tree of 4 MB.
const largeObject = 1 << 20

// inPack reports whether object h is listed in the index of one of the
// repository's packfiles: a cheaper test of its presence than reading it,
// and than go-git's HasEncodedObject, which looks for a loose file first.
// false says nothing: the object may be loose, or in an alternate store.
// The caller holds r.mu.
func (r *Repo) inPack(h plumbing.Hash) bool {
	if r.packs == nil {
		r.packs = []*idxfile.MemoryIndex{}
		if fsStore, ok := r.st.(*filesystem.Storage); ok {
			r.packs = readPackIndexes(dotgit.New(fsStore.Filesystem()))
		}
	}
	for _, idx := range r.packs {
		if ok, err := idx.Contains(h); err == nil && ok {
			return true
		}
	}
	return false
}

// readPackIndexes reads the index of every packfile of dir; one that
// cannot be read is left out (inPack then reads the objects it lists).
func readPackIndexes(dir *dotgit.DotGit) []*idxfile.MemoryIndex {
	packs, err := dir.ObjectPacks()
	if err != nil {
		return nil
	}
	var out []*idxfile.MemoryIndex
	for _, h := range packs {
		f, err := dir.ObjectPackIdx(h)
		if err != nil {
			continue
		}
		idx := idxfile.NewMemoryIndex()
		if idxfile.NewDecoder(f).Decode(idx) == nil {
			out = append(out, idx)
		}
		_ = f.Close()
	}
	return out
}
