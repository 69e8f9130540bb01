package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gate"
	"github.com/posture-dev/posture/internal/record"
)

// problem is an integrity finding about a merge's evidence, before it is
// filed under the reports it concerns.
type problem struct{ rule, severity, msg string }

// verifyMerges checks the evidence of every merge that changed a report in
// scope against the roster as it was at that merge.
func (r *run) verifyMerges(ctx context.Context) error {
	rosters := map[*judged]*gate.Roster{} // one per judge: the roster of its commit
	for i := range r.steps {
		m := r.merges[i]
		if m == nil {
			continue
		}
		var scoped []string
		for _, p := range m.reports {
			if r.inScope(p) {
				scoped = append(scoped, p)
			}
		}
		if len(scoped) == 0 {
			continue
		}
		st := r.steps[i]
		if m.err != nil {
			for _, p := range scoped {
				r.finding("audit.evidence_malformed", Error, p, st.Hash,
					"the evidence trailers of %s do not parse (%v); the reports it brought in count as unreviewed", short(st.Hash), m.err)
			}
			continue
		}
		if !m.isMerge {
			continue // follow reports these as unreviewed
		}
		for _, p := range m.ev.Reports {
			if r.inScope(p) && !slices.Contains(m.reports, p) {
				r.finding("audit.evidence_unmatched", Warning, p, st.Hash,
					"the evidence of %s lists %s, but the merge did not change it; the trailers do not describe this merge", short(st.Hash), p)
			}
		}
		j, err := r.judge(ctx, i)
		if err != nil {
			return err
		}
		if j.err != nil {
			for _, p := range scoped {
				r.finding("audit.rules_unreadable", Warning, p, st.Hash,
					"the roster and rules at %s could not be read (%v), so its approvals were not checked", short(st.Hash), j.err)
			}
			continue
		}
		if rosters[j] == nil {
			rosters[j] = gate.NewRoster(j.people, j.devices)
		}
		for _, p := range scoped {
			if !slices.Contains(m.ev.Reports, p) {
				continue
			}
			for _, pr := range approvalProblems(m, j, rosters[j], r.steps[i].Parents, p) {
				r.finding(pr.rule, pr.severity, p, st.Hash, "%s", pr.msg)
			}
			if base := m.ev.PolicyBase; base != "" {
				if _, ok := r.index[plumbing.NewHash(base)]; !ok || len(base) != 40 {
					r.finding("audit.history_rewrite", Error, p, st.Hash,
						"the evidence of %s names the policy base %s, which is not on the branch's first-parent history: the branch may have been rewritten since; compare with the copy GitHub holds",
						short(st.Hash), base)
				}
			}
		}
	}
	return nil
}

// approvalProblems checks one accepted report's evidence: the subject owns
// the device, nobody approved their own report, the supervisor approval is
// by someone the gate would have counted for 2a on roster (the roster of
// the merge, built from j's people and devices) and the contractor
// approval by a contractor on the roster, both on the commit that was
// merged.
func approvalProblems(m *merge, j *judged, roster *gate.Roster, parents []plumbing.Hash, path string) []problem {
	var out []problem
	add := func(rule, sev, format string, args ...any) {
		out = append(out, problem{rule, sev, fmt.Sprintf(format, args...)})
	}
	ev := m.ev
	subject := ev.Subject.ID
	if dev := j.devices[record.IDOf(path)]; dev != nil && dev.String("owner") != subject {
		add("audit.subject_mismatch", Error, "the evidence names %s as the subject, but device %s belonged to %q at the merge",
			ev.Subject, record.IDOf(path), dev.String("owner"))
	}
	roles := map[string]bool{}
	for _, a := range ev.Approvals {
		who := a.Approver
		p := j.people[who.ID]
		ok := true
		switch {
		case who.ID == subject:
			add("audit.self_approval", Error, "%s approved their own report as %s; another person must approve it", who, a.Role)
			ok = false
		case p == nil:
			add("audit.approver_unknown", Error, "the %s approval is by %s, who was not on the roster (people/) at the merge", a.Role, who)
			ok = false
		case !strings.EqualFold(p.String("github"), who.Login):
			add("audit.approver_login", Error, "the %s approval names %s, but %s's GitHub login on the roster was @%s",
				a.Role, who, who.ID, p.String("github"))
			ok = false
		}
		if ok && a.Role == evidence.RoleSupervisor {
			if reason, counts := supervisorCounts(roster, ev, who.ID); !counts {
				add("audit.approver_not_supervisor", Error, "the supervisor approval is by %s, but %s; find out why someone else approved",
					who, reason)
				ok = false
			}
		}
		if ok && a.Role == evidence.RoleContractor && (p.String("role") != "contractor" || p.Data["active"] != true) {
			add("audit.approver_not_contractor", Error, "the contractor approval is by %s, who was not an active contractor on the roster at the merge (role %q)",
				who, p.String("role"))
			ok = false
		}
		if len(parents) > 1 && !strings.HasPrefix(parents[1].String(), a.Commit) {
			add("audit.approval_stale", Error, "the %s approval by %s is for commit %s, but the merge brought in %s: the change was not approved as merged",
				a.Role, who, a.Commit, short(parents[1]))
			ok = false
		}
		roles[a.Role] = roles[a.Role] || ok
	}
	for _, role := range []string{evidence.RoleSupervisor, evidence.RoleContractor} {
		if !roles[role] {
			add("audit.approval_missing", Error, "the evidence has no valid %s approval; the report was accepted without the review posture requires", role)
		}
	}
	return out
}

// supervisorCounts reports whether the gate would have counted id's
// approval for 2a of ev's subject on roster, and if not, who could have
// approved and why. The pull request's author is the one ev records; a
// merge from before posture recorded it is taken as opened by the
// subject, as every pull request of reports that is not the bot's is
// (the gate refuses reports from anyone else).
func supervisorCounts(roster *gate.Roster, ev evidence.Evidence, id string) (reason string, counts bool) {
	subject, ok := roster.Get(ev.Subject.ID)
	if !ok {
		return fmt.Sprintf("the subject %s was not on the roster (people/) at the merge, so nobody could approve as their supervisor", ev.Subject.ID), false
	}
	sv := roster.SupervisorApprovers(subject, ev.Author, ev.Subject.Login)
	if sv.Includes(id) {
		return "", true
	}
	reason = fmt.Sprintf("at the merge only %s could approve as the supervisor of %s", sv.IDs(), subject.ID)
	if len(sv.People) == 0 {
		reason = "at the merge nobody could approve as the supervisor of " + subject.ID
	}
	if len(sv.Escalation) > 0 {
		reason += " (" + sv.Reason() + ")"
	}
	return reason, false
}
