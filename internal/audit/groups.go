package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Group is the findings that share a cause and a commit: one rule, one
// severity, one commit (and for a missing report, one period), with a
// title that says it in a line, such as "24 reports added by 38a1395c0f2e
// without a reviewed merge". The working paper shows a group folded, its
// members inside.
type Group struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Commit   string   `json:"commit"`
	Title    string   `json:"title"`
	Count    int      `json:"count"`
	Members  []Member `json:"members"`
	detail   string
}

// Member is one finding of a group. Number is its place in the audit's
// findings, counted from 1.
type Member struct {
	Number  int    `json:"number"`
	Period  string `json:"period"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Groups groups fs (sorted as Run sorts them) by cause and commit: errors
// first, then the largest groups, then in the order of their first
// finding. Members keep the order of fs.
func Groups(fs []Finding) []Group {
	out := []Group{}
	at := map[string]int{}
	for i, f := range fs {
		d := detail(f)
		key := strings.Join([]string{f.Rule, f.Severity, f.Commit, d}, "\x00")
		k, ok := at[key]
		if !ok {
			k = len(out)
			at[key] = k
			out = append(out, Group{Rule: f.Rule, Severity: f.Severity, Commit: f.Commit, detail: d})
		}
		out[k].Members = append(out[k].Members, Member{Number: i + 1, Period: f.Period, Path: f.Path, Message: f.Message})
	}
	for i := range out {
		out[i].Count = len(out[i].Members)
		out[i].Title = title(out[i])
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(b.Count, a.Count),
			cmp.Compare(a.Members[0].Number, b.Members[0].Number))
	})
	return out
}

func rank(severity string) int {
	if severity == Error {
		return 0
	}
	return 1
}

// detail is what, besides rule, severity and commit, keeps findings of
// different causes apart: how a report was pushed (added, changed, moved,
// deleted, renamed) and a missing report's
// period (whose due day the title names).
func detail(f Finding) string {
	switch f.Rule {
	case "audit.direct_push":
		if w, ok := strings.CutPrefix(f.Message, "the report was "); ok {
			w, _, _ = strings.Cut(w, " ")
			return w
		}
		return "changed"
	case "audit.missing_report":
		return f.Period
	}
	return ""
}

// title says a group's cause in a line, with its count and commit. Each
// cause is a noun, singular and plural, and a phrase that fits both.
func title(g Group) string {
	c := shortS(g.Commit)
	n := g.Count
	switch g.Rule {
	case "audit.direct_push":
		return fmt.Sprintf("%s %s by %s without a reviewed merge", plural(n, "report", "reports"), g.detail, c)
	case "audit.missing_report":
		return fmt.Sprintf("%s of %s without a report or an exception in force after the due day (registry at %s)",
			plural(n, "device", "devices"), g.detail, c)
	case "audit.changed_after_acceptance":
		if g.Severity == Warning {
			return fmt.Sprintf("%s replaced with new evidence by %s", plural(n, "accepted report", "accepted reports"), c)
		}
		return fmt.Sprintf("%s changed by %s without new evidence", plural(n, "accepted report", "accepted reports"), c)
	case "audit.deleted_after_acceptance":
		return fmt.Sprintf("%s deleted or renamed by %s", plural(n, "accepted report", "accepted reports"), c)
	case "audit.recheck_failed":
		return fmt.Sprintf("%s accepted by %s and failed by the rules of that merge", plural(n, "report", "reports"), c)
	case "audit.evidence_malformed":
		return fmt.Sprintf("%s brought in by %s, whose evidence trailers do not parse", plural(n, "report", "reports"), c)
	case "audit.evidence_unmatched":
		return fmt.Sprintf("%s listed in the evidence of %s but not changed by it", plural(n, "report", "reports"), c)
	case "audit.rules_unreadable":
		return fmt.Sprintf("%s merged by %s with approvals left unchecked: its roster and rules could not be read",
			plural(n, "report", "reports"), c)
	case "audit.subject_mismatch":
		return fmt.Sprintf("%s merged by %s with evidence naming someone other than the device's owner", plural(n, "report", "reports"), c)
	case "audit.self_approval":
		return fmt.Sprintf("%s in %s by the report's own subject", plural(n, "approval", "approvals"), c)
	case "audit.approver_unknown":
		return fmt.Sprintf("%s in %s by someone not on the roster", plural(n, "approval", "approvals"), c)
	case "audit.approver_login":
		return fmt.Sprintf("%s in %s naming a login other than the roster's", plural(n, "approval", "approvals"), c)
	case "audit.approver_not_supervisor":
		return fmt.Sprintf("%s in %s by someone the gate would not count", plural(n, "supervisor approval", "supervisor approvals"), c)
	case "audit.approver_not_contractor":
		return fmt.Sprintf("%s in %s by someone not an active contractor", plural(n, "contractor approval", "contractor approvals"), c)
	case "audit.approval_stale":
		return fmt.Sprintf("%s in %s for a commit other than the one merged", plural(n, "approval", "approvals"), c)
	case "audit.approval_missing":
		return fmt.Sprintf("%s missing from merge %s", plural(n, "valid approval", "valid approvals"), c)
	case "audit.unsigned":
		return fmt.Sprintf("unsigned commit %s changed reports", c)
	case "audit.history_gap":
		if c == "" {
			return plural(n, "reference log", "reference logs") + " that could not be read"
		}
		return fmt.Sprintf("the history stops short at %s", c)
	case "audit.history_rewrite":
		return fmt.Sprintf("%s that the branch was rewritten, at %s", plural(n, "sign", "signs"), c)
	}
	if c == "" {
		return fmt.Sprintf("%s of %s", plural(n, "finding", "findings"), g.Rule)
	}
	return fmt.Sprintf("%s of %s at %s", plural(n, "finding", "findings"), g.Rule, c)
}

// plural writes n with the noun that agrees with it: 1 report, 0 reports,
// 24 reports.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
