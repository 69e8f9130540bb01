package demo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// save writes the new objects into the repository as one packfile, moves
// the branch to tip and checks it out.
func save(repo *git.Repository, h *history, branch plumbing.ReferenceName, old plumbing.Hash, now time.Time) error {
	pw, ok := repo.Storer.(storer.PackfileWriter)
	if !ok {
		return errors.New("the repository's storage cannot take a packfile")
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return fmt.Errorf("write the demo's objects: %w", err)
	}
	if _, err := packfile.NewEncoder(w, h.mem, false).Encode(h.order, 10); err != nil {
		_ = w.Close()
		return fmt.Errorf("write the demo's objects: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write the demo's objects: %w", err)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(branch, h.tip)); err != nil {
		return fmt.Errorf("move %s to the demo's history: %w", branch.Short(), err)
	}
	if err := forget(repo, branch, old, h.tip, now); err != nil {
		return err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("open the work tree: %w", err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: h.tip, Mode: git.HardReset}); err != nil {
		return fmt.Errorf("check out the demo's history: %w", err)
	}
	return nil
}

// forget drops the commit posture init made, which the demo's first
// commit replaces with an older date, and rewrites the reference logs
// that name it (go-git writes none; git does), so that the audit sees a
// history that starts with the demo instead of a rewritten branch.
func forget(repo *git.Repository, branch plumbing.ReferenceName, old, tip plumbing.Hash, now time.Time) error {
	fsStore, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return nil
	}
	if err := fsStore.ObjectStorage.DeleteLooseObject(old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the commit posture init made: %w", err)
	}
	fs := fsStore.Filesystem()
	sig := fmt.Sprintf("%s %s posture <posture@localhost> %d +0000\tposture init --demo\n", plumbing.ZeroHash, tip, now.Unix())
	for _, name := range []string{"logs/" + branch.String(), "logs/HEAD"} {
		if _, err := fs.Stat(name); errors.Is(err, os.ErrNotExist) {
			continue
		}
		f, err := fs.Create(name)
		if err != nil {
			return fmt.Errorf("rewrite %s: %w", name, err)
		}
		_, err = io.WriteString(f, sig)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("rewrite %s: %w", name, err)
		}
	}
	return nil
}
