package check

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// history is the Git history a check of a working tree dates records by:
// repo is nil where the folder is not the root of a Git repository, head
// nil where nothing is committed yet.
type history struct {
	repo *gitrepo.Repo
	head *object.Commit
	// ctx stops the walks of the history when it is done (nil: never).
	ctx context.Context
}

// openHistory opens the history of the working tree at root.
func openHistory(root string) (*history, error) {
	repo, err := gitrepo.Open(root)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return &history{}, nil // no history: reports are judged on their due day
	}
	if err != nil {
		return nil, historyError(err)
	}
	if abs, _ := filepath.Abs(repo.Root()); abs != root {
		repo.Close()
		return &history{}, nil // a folder inside a repository: not its history
	}
	head, err := repo.Resolve("HEAD")
	if err != nil && repo.Unborn() {
		return &history{repo: repo}, nil
	}
	if err != nil {
		repo.Close()
		return nil, historyError(err)
	}
	return &history{repo: repo, head: head}, nil
}

func (h *history) close() {
	if h.repo != nil {
		h.repo.Close()
	}
}

// hashes reports whether dating records needs their blob hashes: only
// against a commit.
func (h *history) hashes() bool { return h.head != nil }

// stamp is what a check knows of a file it has read but not yet judged:
// whether it could be read, and its Git blob hash.
type stamp struct {
	hash plumbing.Hash
	ok   bool
}

// dates holds the reference date of each file of a check, by path: the
// paths sorted, each day one string however many files share it.
type dates struct {
	paths, days []string
}

// of returns the reference date of the file at p, or "" for a file the
// check did not date.
func (d *dates) of(p string) string {
	if i, ok := slices.BinarySearch(d.paths, p); ok {
		return d.days[i]
	}
	return ""
}

// newDates pairs files with their days, sorted by path.
func newDates(files []file, days []string) *dates {
	d := &dates{paths: make([]string, len(files)), days: days}
	for i, f := range files {
		d.paths[i] = f.path
	}
	if !slices.IsSorted(d.paths) {
		idx := make([]int, len(files))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(d.paths[a], d.paths[b]) })
		paths, ds := make([]string, len(idx)), make([]string, len(idx))
		for i, j := range idx {
			paths[i], ds[i] = d.paths[j], days[j]
		}
		d.paths, d.days = paths, ds
	}
	return d
}

// refDates works out the reference date of every file of a working tree
// (stamps[i] is files[i]'s, read when h.hashes()): for a record committed
// unchanged, the day of the commit that last changed it on the
// first-parent history of HEAD; for a changed or new one, today; and where
// the folder is not the root of a Git repository, a report's due day
// (anything else: today).
func (h *history) refDates(t *trusted, files []file, stamps []stamp, now time.Time) (*dates, error) {
	days := make([]string, len(files))
	today := t.settings.Date(now)
	if h.repo == nil {
		due := map[string]string{}
		for i, f := range files {
			period := record.PeriodOf(f.path)
			d, ok := due[period]
			if !ok {
				d = t.dueRefDate(f.kind, f.path, now)
				if f.kind == record.Report {
					due[period] = d
				}
			}
			days[i] = d
		}
		return newDates(files, days), nil
	}
	if h.head == nil {
		// Nothing is committed yet: every record is new.
		for i := range files {
			days[i] = today
		}
		return newDates(files, days), nil
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.path)
	}
	ctx := h.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	entries, err := h.repo.HeadEntriesContext(ctx, h.head, paths)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, historyError(err)
	}
	var committed []string
	for i, f := range files {
		if hash, ok := entries[f.path]; ok && stamps[i].ok && hash == stamps[i].hash {
			committed = append(committed, f.path)
		} else {
			days[i] = today
		}
	}
	entries = nil
	times, err := h.repo.LastChangedContext(ctx, h.head, committed)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, &InputError{fmt.Sprintf("%v\nposture measures accepted records against the commit that last changed them; in CI, check out with fetch-depth: 0", err)}
	}
	// Commits of one day share one string.
	byTime := map[time.Time]string{}
	for i, f := range files {
		tm, ok := times[f.path]
		if !ok {
			continue
		}
		d, ok := byTime[tm]
		if !ok {
			d = t.settings.Date(tm)
			byTime[tm] = d
		}
		days[i] = d
	}
	return newDates(files, days), nil
}

// fullRefDates dates the blobs read from the working tree at root.
func fullRefDates(root string, t *trusted, blobs []blob, now time.Time) (*dates, error) {
	h, err := openHistory(root)
	if err != nil {
		return nil, err
	}
	defer h.close()
	files := make([]file, len(blobs))
	stamps := make([]stamp, len(blobs))
	for i, b := range blobs {
		files[i] = b.file
		if b.data != nil && h.hashes() {
			stamps[i] = stamp{hash: gitrepo.BlobHash(b.data), ok: true}
		}
	}
	return h.refDates(t, files, stamps, now)
}

// historyError says that the Git history could not be read, rather than
// judging records by a date that is not theirs.
func historyError(err error) error {
	return &InputError{fmt.Sprintf("could not read the Git history (%v); posture dates accepted records by the commit that last changed them, so it cannot judge them without it: repair the clone or check a copy without .git", err)}
}
