package check

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// fullRefDates works out the reference date of every record in a working
// tree: for a record committed unchanged, the day of the commit that last
// changed it on the first-parent history of HEAD; for a changed or new one,
// today; and where the folder is not the root of a Git repository, a
// report's due day (anything else: today).
func fullRefDates(root string, t *trusted, recs []*record.Record, hashes []plumbing.Hash, now time.Time) (map[string]string, error) {
	out := make(map[string]string, len(recs))
	today := t.settings.Date(now)
	for _, r := range recs {
		if r != nil {
			out[r.Path] = t.dueRefDate(r, now)
		}
	}
	repo, err := gitrepo.Open(root)
	if err != nil {
		return out, nil
	}
	defer repo.Close()
	if abs, _ := filepath.Abs(repo.Root()); abs != root {
		return out, nil
	}
	head, err := repo.Resolve("HEAD")
	if err != nil {
		return out, nil
	}
	paths := make([]string, 0, len(recs))
	for _, r := range recs {
		if r != nil {
			paths = append(paths, r.Path)
		}
	}
	entries, err := repo.HeadEntries(head, paths)
	if err != nil {
		return out, nil
	}
	var committed []string
	for i, r := range recs {
		if r == nil {
			continue
		}
		if h, ok := entries[r.Path]; ok && h == hashes[i] {
			committed = append(committed, r.Path)
		} else {
			out[r.Path] = today
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
