package audit

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/gitrepo"
)

// history files the findings about the history itself: where the clone's
// history stops short, and where its reference logs show the branch was
// moved to a history that dropped commits it had.
func (r *run) history(h *gitrepo.History, branch string) {
	if !h.Cut.IsZero() {
		r.finding("audit.history_gap", Error, "", h.Cut,
			"the history stops at %s: its parent is not in this clone, so older changes cannot be audited; run git fetch --unshallow (or clone without --depth) and audit again",
			short(h.Cut))
	}
	for _, s := range h.Shallow {
		if s != h.Cut {
			r.finding("audit.history_gap", Error, "", s,
				"the clone is shallow at %s; run git fetch --unshallow and audit again", short(s))
		}
	}
	name := strings.TrimPrefix(branch, "origin/")
	for _, ref := range []string{"refs/heads/" + name, "refs/remotes/origin/" + name} {
		log, err := r.repo.Reflog(ref)
		if err != nil {
			r.finding("audit.history_gap", Warning, "", plumbing.ZeroHash, "the reference log of %s could not be read (%v)", ref, err)
			continue
		}
		for _, e := range log {
			_, kept := r.index[e.Old]
			if e.Old.IsZero() || kept && !strings.Contains(e.Message, "forced-update") {
				continue
			}
			r.finding("audit.history_rewrite", Error, "", e.New,
				"the log of %s shows it moved on %s from %s to %s (%q), and %s is no longer on the branch's history: the branch was rewritten (force push, reset or rebase); compare with the copy GitHub holds and with other clones",
				ref, e.When.Format("2006-01-02 15:04 MST"), short(e.Old), short(e.New), e.Message, short(e.Old))
		}
	}
}

// signatures counts the evidence merges and the unsigned commits among the
// commits that changed a report in scope, and with RequireSigned files a
// finding for each unsigned one.
func (r *run) signatures() (merges, unsigned int) {
	for i, st := range r.steps {
		var first string
		for _, ch := range st.Changes {
			if r.inScope(ch.Path) {
				first = ch.Path
				break
			}
		}
		if first == "" {
			continue
		}
		if m := r.merges[i]; m != nil && m.isMerge && m.err == nil {
			merges++
		}
		if st.Signed {
			continue
		}
		unsigned++
		if r.opts.RequireSigned {
			r.finding("audit.unsigned", Error, first, st.Hash,
				"commit %s by %s changed reports but is not signed; signed commits are required", short(st.Hash), st.Committer.Name)
		}
	}
	return merges, unsigned
}
