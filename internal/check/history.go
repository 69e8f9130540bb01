package check

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// fullRefDates works out the reference date of every record in a working
// tree: for a record committed unchanged, the day of the commit that last
// changed it on the first-parent history of HEAD; for a changed or new one,
// today; and where the folder is not the root of a Git repository, a
// report's due day (anything else: today).
func fullRefDates(root string, t *trusted, blobs []blob, now time.Time) (map[string]string, error) {
	out := make(map[string]string, len(blobs))
	today := t.settings.Date(now)
	for _, b := range blobs {
		out[b.path] = t.dueRefDate(b.kind, b.path, now)
	}
	repo, err := gitrepo.Open(root)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return out, nil // no history: reports are judged on their due day
	}
	if err != nil {
		return nil, historyError(err)
	}
	defer repo.Close()
	if abs, _ := filepath.Abs(repo.Root()); abs != root {
		return out, nil // a folder inside a repository: not its history
	}
	head, err := repo.Resolve("HEAD")
	if err != nil && repo.Unborn() {
		// Nothing is committed yet: every record is new.
		for p := range out {
			out[p] = today
		}
		return out, nil
	}
	if err != nil {
		return nil, historyError(err)
	}
	paths := make([]string, 0, len(blobs))
	for _, b := range blobs {
		paths = append(paths, b.path)
	}
	entries, err := repo.HeadEntries(head, paths)
	if err != nil {
		return nil, historyError(err)
	}
	var committed []string
	for _, b := range blobs {
		if h, ok := entries[b.path]; ok && b.data != nil && h == b.hash {
			committed = append(committed, b.path)
		} else {
			out[b.path] = today
		}
	}
	times, err := repo.LastChanged(head, committed)
	if err != nil {
		return nil, &InputError{fmt.Sprintf("%v\nposture measures accepted records against the commit that last changed them; in CI, check out with fetch-depth: 0", err)}
	}
	for p, tm := range times {
		out[p] = t.settings.Date(tm)
	}
	return out, nil
}

// historyError says that the Git history could not be read, rather than
// judging records by a date that is not theirs.
func historyError(err error) error {
	return &InputError{fmt.Sprintf("could not read the Git history (%v); posture dates accepted records by the commit that last changed them, so it cannot judge them without it: repair the clone or check a copy without .git", err)}
}
