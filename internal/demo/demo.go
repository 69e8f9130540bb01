// Package demo fills an organisation repository that posture init has just
// made with a year of history, made the way posture's pipeline makes it:
// IT adds the team, everyone registers their devices and reports every
// month in a pull request that their supervisor and a contractor approve
// and that posture merge merges with the evidence trailers. The year has
// what an audit looks for: a late report, a report that failed and was
// fixed before it merged, an exception, a device retired and replaced, a
// new hire, one report pushed straight to the branch, and a current
// period that only some have reported yet.
//
// The history is written as Git objects (one packfile), not by running
// git, and is the same, commit for commit, for the same repository and
// the same now.
package demo

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Build names the posture that the evidence trailers say merged the
// demo's pull requests, as posture merge records itself.
type Build struct {
	Version  string
	Revision string
	Modified bool
}

// Populate fills the repository at dir, which holds the one commit that
// posture init made and a clean work tree, with the demo's year up to
// now, and checks it out. The year begins with init's commit, re-dated
// (same tree, author and message) to the set-up a year before now, so
// that the history reads in order: the branch HEAD names is rewritten,
// and any reference log naming the old commit with it. The policy data
// decides the OS versions and the corporate SSID the records use; an OS
// table that has nothing supported over the year is refused. The merges
// record the running binary's module version and commit (see
// PopulateAs).
func Populate(ctx context.Context, dir string, now time.Time) error {
	return PopulateAs(ctx, dir, now, running())
}

// PopulateAs is Populate with the merges recording build.
func PopulateAs(ctx context.Context, dir string, now time.Time, build Build) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return fmt.Errorf("open the repository at %s: %w", dir, err)
	}
	o, err := readOrg(repo)
	if err != nil {
		return err
	}
	if err := clean(repo); err != nil {
		return err
	}
	p, err := newPlan(o, now)
	if err != nil {
		return err
	}
	if err := p.make(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	h := &history{p: p, build: build, mem: memory.NewStorage(), stored: maps.Clone(o.known), main: maps.Clone(o.files),
		branches: map[*pull]map[string]entry{}, heads: map[*pull]plumbing.Hash{}}
	if _, err := h.write(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return save(repo, h, o.branch, o.root.Hash, now)
}

// running describes the running binary from its build information: what
// posture merge records when no version was set at link time.
func running() Build {
	b := Build{Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if bi.Main.Version != "" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// clean refuses a work tree with changes, which checking the demo out
// would overwrite.
func clean(repo *git.Repository) error {
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("open the work tree: %w", err)
	}
	st, err := wt.Status()
	if err != nil {
		return fmt.Errorf("read the work tree's status: %w", err)
	}
	for _, p := range slices.Sorted(maps.Keys(st)) {
		if f := st[p]; f.Worktree != git.Unmodified && f.Worktree != git.Untracked || f.Staging != git.Unmodified && f.Staging != git.Untracked {
			return fmt.Errorf("%s has uncommitted changes, which the demo's check-out would overwrite; commit them or start from a new posture init", p)
		}
	}
	return nil
}
