package doctor

import (
	"fmt"

	"github.com/posture-dev/posture/internal/forge"
)

func repositoryItems(s *forge.Settings, w Want) []Item {
	r := s.Repository
	private := Item{ID: "repository.private", Status: OK, Message: fmt.Sprintf("repository %s is private", w.Repo)}
	switch {
	case !r.GetPrivate():
		private = Item{ID: private.ID, Status: Fail,
			Message: fmt.Sprintf("repository %s is public: anyone can read its people, devices and MAC addresses", w.Repo),
			Fix:     "Settings → General → Danger Zone → Change repository visibility → Private"}
	case r.GetVisibility() == "internal":
		private = Item{ID: private.ID, Status: Fail,
			Message: fmt.Sprintf("repository %s is internal: every member of the enterprise can read its people, devices and MAC addresses", w.Repo),
			Fix:     "Settings → General → Danger Zone → Change repository visibility → Private"}
	}

	merge := Item{ID: "repository.merge-commits", Status: OK, Message: "merge commits are allowed (posture merge always makes one)"}
	switch {
	case r.AllowMergeCommit == nil:
		merge = Item{ID: merge.ID, Status: Unknown, Message: "cannot see whether merge commits are allowed (GitHub shows the merge settings only to a token that may change them)",
			Fix: "run with a repository admin's token"}
	case !r.GetAllowMergeCommit():
		merge = Item{ID: merge.ID, Status: Fail,
			Message: "merge commits are not allowed, but posture merge always makes a merge commit, whose trailers carry the evidence of both approvals",
			Fix:     "Settings → General → Pull Requests → tick Allow merge commits"}
	}
	return []Item{private, merge}
}
