package audit

import (
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// event is one change of a report path on the branch.
type event struct {
	step    int
	action  gitrepo.Action
	blob    plumbing.Hash // the content after the change; zero when deleted
	covered bool          // brought in by an evidence merge that lists it
	renamed string        // the other path of a rename in the same commit
}

// merge is a first-parent commit that carries posture's trailers.
type merge struct {
	ev      evidence.Evidence
	err     error
	isMerge bool
	reports []string // report paths it changed
}

// timelines files every report change under its path and reads the
// trailers of the commits that carry them.
func (r *run) timelines() {
	for i, st := range r.steps {
		var changes []gitrepo.Change
		for _, ch := range st.Changes {
			if k, ok, _ := record.Classify(ch.Path); ok && k == record.Report && record.PeriodOf(ch.Path) != "" {
				changes = append(changes, ch)
			}
		}
		ev, found, err := evidence.Parse(st.Message)
		var m *merge
		if found {
			m = &merge{ev: ev, err: err, isMerge: len(st.Parents) > 1}
			r.merges[i] = m
		}
		added := map[plumbing.Hash]string{}
		deleted := map[plumbing.Hash]string{}
		for _, ch := range changes {
			switch ch.Action {
			case gitrepo.Added:
				added[ch.To.Hash] = ch.Path
			case gitrepo.Deleted:
				deleted[ch.From.Hash] = ch.Path
			}
		}
		for _, ch := range changes {
			e := event{step: i, action: ch.Action, blob: ch.To.Hash}
			switch ch.Action {
			case gitrepo.Added:
				e.renamed = deleted[ch.To.Hash]
			case gitrepo.Deleted:
				e.renamed = added[ch.From.Hash]
			}
			if m != nil {
				m.reports = append(m.reports, ch.Path)
				e.covered = m.isMerge && m.err == nil && slices.Contains(m.ev.Reports, ch.Path)
			}
			r.paths[ch.Path] = append(r.paths[ch.Path], e)
		}
	}
}

// state is what the history says about one report path.
type state struct {
	path     string
	present  bool
	accepted *event // the latest evidence merge that brought it in
	current  plumbing.Hash
	first    *event // the first time it appeared
}

// follow reads a path's events in order and records the integrity findings
// about them.
func (r *run) follow(path string) state {
	s := state{path: path}
	for k := range r.paths[path] {
		e := &r.paths[path][k]
		st := r.steps[e.step]
		if s.first == nil && e.action != gitrepo.Deleted {
			s.first = e
		}
		m := r.merges[e.step]
		switch {
		case e.covered && e.action != gitrepo.Deleted:
			if s.accepted != nil {
				r.finding("audit.changed_after_acceptance", Warning, path, st.Hash,
					"the report accepted in %s was replaced by another version accepted with new evidence in %s; compare the two and make sure the first was not hiding a problem",
					short(r.steps[s.accepted.step].Hash), short(st.Hash))
			}
			s.accepted = e
		case e.action == gitrepo.Deleted:
			what := "deleted"
			if e.renamed != "" {
				what = "renamed to " + e.renamed
			}
			if s.accepted != nil {
				r.finding("audit.deleted_after_acceptance", Error, path, st.Hash,
					"the report accepted in %s was %s in %s; accepted reports are the audit trail: restore it from %s",
					short(r.steps[s.accepted.step].Hash), what, short(st.Hash), short(r.steps[s.accepted.step].Hash))
			} else {
				r.finding("audit.direct_push", Error, path, st.Hash,
					"the report was %s in %s without a merge carrying posture's evidence; find out who did it and why", what, short(st.Hash))
			}
		case s.accepted != nil:
			r.finding("audit.changed_after_acceptance", Error, path, st.Hash,
				"the report accepted in %s was changed in %s without new evidence; review the change, or restore the accepted version",
				short(r.steps[s.accepted.step].Hash), short(st.Hash))
		default:
			how := "was added"
			if e.action == gitrepo.Modified {
				how = "was changed"
			}
			if e.renamed != "" {
				how = "was moved here from " + e.renamed
			}
			r.finding("audit.direct_push", Error, path, st.Hash, "the report %s in %s %s; it was never accepted: have it reviewed in a pull request",
				how, short(st.Hash), unreviewed(m))
		}
		s.present = e.action != gitrepo.Deleted
		s.current = e.blob
	}
	return s
}

// unreviewed says why a commit's change does not count as reviewed.
func unreviewed(m *merge) string {
	switch {
	case m == nil:
		return "without a merge carrying posture's evidence (a direct push or a merge made outside posture)"
	case m.err != nil:
		return "by a merge whose evidence trailers do not parse"
	case !m.isMerge:
		return "by a commit that carries evidence trailers but is not a merge, so no pull request's approvals can be tied to it"
	}
	return "by a merge whose evidence does not list it"
}

func short(h plumbing.Hash) string { return h.String()[:12] }
