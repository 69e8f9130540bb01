package overview

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// acceptance is when a report on the branch was last changed, and the pull
// request whose merge did it, when the commit names one (0 otherwise).
type acceptance struct {
	when time.Time
	pull int
}

// acceptances dates each of the present report paths of periods by the
// newest commit on head's first-parent chain that changed it: a change
// made on a side branch dates from the merge that brought it in. The walk
// reads the steps of commits that steps holds from it, and keeps there the
// ones it computes (nil: none).
func acceptances(ctx context.Context, repo *gitrepo.Repo, head *object.Commit, periods []string, present map[string]bool, steps func(prefixes ...string) gitrepo.StepStore) (map[string]acceptance, error) {
	prefixes := make([]string, len(periods))
	for i, p := range periods {
		prefixes[i] = record.ReportsDir + "/" + p + "/"
	}
	h, err := repo.FirstParentsStore(ctx, head, steps(prefixes...), prefixes...)
	if err != nil {
		return nil, fmt.Errorf("walk the history of %s: %w", head.Hash, err)
	}
	out := make(map[string]acceptance, len(present))
	for _, st := range h.Steps { // newest first
		for _, ch := range st.Changes {
			if _, done := out[ch.Path]; done || ch.Action == gitrepo.Deleted || !present[ch.Path] {
				continue
			}
			out[ch.Path] = acceptance{when: st.Committer.When, pull: pullOf(st.Message)}
		}
		if len(out) == len(present) {
			break
		}
	}
	if len(out) < len(present) {
		return nil, fmt.Errorf("the history of %s stops at %s before the last change of every report; the overview dates each report by the commit that last changed it: fetch the full history (git fetch --unshallow)",
			head.Hash, h.Cut)
	}
	return out, nil
}

var (
	mergeSubject  = regexp.MustCompile(`^Merge pull request #([1-9][0-9]{0,9}) `)
	squashSubject = regexp.MustCompile(`\(#([1-9][0-9]{0,9})\)$`)
)

// pullOf reads the pull request a commit merged: posture's evidence
// trailer, else GitHub's merge or squash subject; 0 when it names none.
func pullOf(message string) int {
	if e, found, err := evidence.Parse(message); found && err == nil && e.PullRequest > 0 {
		return e.PullRequest
	}
	subject, _, _ := strings.Cut(message, "\n")
	subject = strings.TrimSpace(subject)
	for _, re := range []*regexp.Regexp{mergeSubject, squashSubject} {
		if m := re.FindStringSubmatch(subject); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

// window lists the Window periods that end with period, oldest first.
func window(period string) []string {
	t, _ := time.Parse("2006-01", period)
	out := make([]string, Window)
	for i := range Window {
		out[i] = t.AddDate(0, i-Window+1, 0).Format("2006-01")
	}
	return out
}
