package monthly

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// maxWalk bounds the commits Links reads.
const maxWalk = 5000

var (
	mergeMsgRe  = regexp.MustCompile(`^Merge pull request #([0-9]+) `)
	squashMsgRe = regexp.MustCompile(`\(#([0-9]+)\)\s*$`)
)

// Links names, for each report of period on head's branch, what merged
// it: the pull request of each first-parent commit that added or changed
// it, read from posture's evidence trailers or GitHub's merge and squash
// messages, else the commit's short hash. It walks back from head until a
// commit older than since (the period's first day; reports of a period
// are written once it has started), at most maxWalk commits.
func Links(repo *gitrepo.Repo, head *object.Commit, period string, since time.Time) (map[string][]string, error) {
	return LinksOf(repo, head, map[string]time.Time{period: since})
}

// LinksOf is Links of several periods in one walk, each from its own
// since, by the report's path.
func LinksOf(repo *gitrepo.Repo, head *object.Commit, since map[string]time.Time) (map[string][]string, error) {
	out := map[string][]string{}
	if len(since) == 0 {
		return out, nil
	}
	var oldest time.Time
	prefixes := make([]string, 0, len(since))
	for p, t := range since {
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
		prefixes = append(prefixes, "reports/"+p+"/")
	}
	c := head
	for n := 0; c != nil && n < maxWalk && !c.Committer.When.Before(oldest); n++ {
		parent, err := repo.Resolve(c.Hash.String() + "^")
		if err != nil && !errors.Is(err, gitrepo.ErrNoCommit) {
			return nil, fmt.Errorf("walk the history of the reports: %w", err)
		}
		changes, err := repo.Changes(parent, c, prefixes...)
		if err != nil {
			return nil, fmt.Errorf("walk the history of the reports: %w", err)
		}
		ref := mergedBy(c)
		for _, ch := range changes {
			period, _, _ := strings.Cut(strings.TrimPrefix(ch.Path, "reports/"), "/")
			if ch.Action != gitrepo.Deleted && strings.Count(ch.Path, "/") == 2 && !c.Committer.When.Before(since[period]) &&
				!slices.Contains(out[ch.Path], ref) {
				out[ch.Path] = append(out[ch.Path], ref)
			}
		}
		c = parent
	}
	for _, refs := range out {
		slices.Reverse(refs) // oldest first
	}
	return out, nil
}

// mergedBy names the pull request a commit merged, or the commit.
func mergedBy(c *object.Commit) string {
	if e, found, err := evidence.Parse(c.Message); found && err == nil && e.PullRequest > 0 {
		return fmt.Sprintf("#%d", e.PullRequest)
	}
	first, _, _ := strings.Cut(c.Message, "\n")
	if m := mergeMsgRe.FindStringSubmatch(first); m != nil {
		return "#" + m[1]
	}
	if m := squashMsgRe.FindStringSubmatch(first); m != nil {
		return "#" + m[1]
	}
	return c.Hash.String()[:12]
}
