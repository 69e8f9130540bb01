package check

import (
	"fmt"
	"path/filepath"
	"time"

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
	paths := make([]string, 0, len(blobs))
	for _, b := range blobs {
		paths = append(paths, b.path)
	}
	entries, err := repo.HeadEntries(head, paths)
	if err != nil {
		return out, nil
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
