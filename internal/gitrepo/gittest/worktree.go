package gittest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Worktree is a real repository with a checked-out work tree, changed
// through files on disk and committed with go-git as a user would: a clone
// as a workflow leaves it. Paths are slash-separated and relative to Dir.
type Worktree struct {
	t testing.TB
	// Dir is the work tree's folder.
	Dir string
	// Repo is the repository.
	Repo *git.Repository
	// WT is the work tree.
	WT *git.Worktree
}

// Init makes dir a repository whose first branch is main.
func Init(t testing.TB, dir string) *Worktree {
	t.Helper()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &Worktree{t: t, Dir: dir, Repo: repo, WT: wt}
}

// Write sets the file p to data, making its folders.
func (w *Worktree) Write(p, data string) {
	w.t.Helper()
	full := filepath.Join(w.Dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// Read returns the text of the file p.
func (w *Worktree) Read(p string) string {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.Dir, filepath.FromSlash(p)))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}

// Edit replaces the first old with new in the file p, failing the test
// when old is absent.
func (w *Worktree) Edit(p, old, new string) {
	w.t.Helper()
	s := w.Read(p)
	if !strings.Contains(s, old) {
		w.t.Fatalf("%s does not contain %q", p, old)
	}
	w.Write(p, strings.Replace(s, old, new, 1))
}

// Remove deletes the file p from the work tree and the index.
func (w *Worktree) Remove(p string) {
	w.t.Helper()
	if _, err := w.WT.Remove(p); err != nil {
		w.t.Fatal(err)
	}
}

// Symlink makes p a symbolic link to target.
func (w *Worktree) Symlink(target, p string) {
	w.t.Helper()
	if err := os.Symlink(target, filepath.Join(w.Dir, filepath.FromSlash(p))); err != nil {
		w.t.Fatal(err)
	}
}

// Commit adds every change in the work tree and commits it, by "Test" at
// when, allowing an empty commit. It returns the commit's hash.
func (w *Worktree) Commit(msg string, when time.Time) plumbing.Hash {
	w.t.Helper()
	if err := w.WT.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		w.t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: when}
	h, err := w.WT.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		w.t.Fatal(err)
	}
	return h
}

// Checkout checks out branch, making it from the current commit when
// create is set.
func (w *Worktree) Checkout(branch string, create bool) {
	w.t.Helper()
	err := w.WT.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(branch), Create: create})
	if err != nil {
		w.t.Fatal(err)
	}
}
