package audit

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gate"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// ladder is an organisation for escalation: e1 at the top, e2 under e1, e3
// under e2, the IT admin a1 and the contractor c1; d1 is e1's device and
// d3 e3's. edit changes a person's record before the first commit.
func ladder(b *gittest.Builder, edit map[string]func(string) string) {
	b.AddFS(posture.Defaults)
	b.Files["posture.yaml"] = "organization: Escalation Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"
	for _, x := range [][4]string{{"e1", "", "Management", "employee"}, {"e2", "e1", "Sales", "employee"},
		{"e3", "e2", "Sales", "employee"}, {"a1", "e1", "IT", "it-admin"}, {"c1", "e1", "Contractor", "contractor"}} {
		y := personYAML(x[0], x[1], x[2], x[3])
		if f := edit[x[0]]; f != nil {
			y = f(y)
		}
		b.Files["people/"+x[0]+".yaml"] = y
	}
	b.Files["devices/d1.yaml"] = deviceYAML("d1", "e1", 1, "2025-12-01", "")
	b.Files["devices/d3.yaml"] = deviceYAML("d3", "e3", 3, "2025-12-01", "")
}

func inactive(y string) string { return strings.Replace(y, "active: true", "active: false", 1) }
func noLogin(y string) string  { return strings.Replace(y, "github: gh-e2\n", "", 1) }

// approvalRules are the findings about a merge's approvals.
var approvalRules = []string{"audit.self_approval", "audit.approver_unknown", "audit.approver_login",
	"audit.approver_not_supervisor", "audit.approver_not_contractor", "audit.approval_stale", "audit.approval_missing"}

// TestAuditEscalation merges one January report per case and checks that
// the audit counts a supervisor approval exactly when the gate does:
// gate.Plan and gate.Decide on the roster of the merge's base, fed the
// reviews its evidence records, must pass the merges the audit accepts.
func TestAuditEscalation(t *testing.T) {
	tests := []struct {
		name     string
		edit     map[string]func(string) string
		subject  string // e1 (device d1) or e3 (device d3)
		author   string // the pull request's author recorded in the evidence; "" for none
		approver string // who approved as the supervisor
		passes   bool   // the gate counts the approval and the audit finds nothing
		message  string // a substring of the approver_not_supervisor message
	}{
		{name: "the supervisor approves", subject: "e3", author: "gh-e3", approver: "e2", passes: true},
		{name: "the top of the organisation: an IT admin stands in", subject: "e1", author: "gh-e1", approver: "a1", passes: true},
		{name: "the top of the organisation: someone below may not", subject: "e1", author: "gh-e1", approver: "e2",
			message: "only a1 could approve as the supervisor of e1 (e1 has no supervisor in people/"},
		{name: "the top of the organisation, opened by the only IT admin: nobody", subject: "e1", author: "gh-a1", approver: "a1",
			message: "at the merge nobody could approve as the supervisor of e1 (e1 has no supervisor in people/; no one above can approve and no IT admin can stand in"},
		{name: "an inactive supervisor: the next one up", edit: map[string]func(string) string{"e2": inactive},
			subject: "e3", author: "gh-e3", approver: "e1", passes: true},
		{name: "an inactive supervisor may not", edit: map[string]func(string) string{"e2": inactive},
			subject: "e3", author: "gh-e3", approver: "e2", message: "e2, the supervisor of e3, is inactive"},
		{name: "a supervisor without a login: the next one up", edit: map[string]func(string) string{"e2": noLogin},
			subject: "e3", author: "gh-e3", approver: "e1", passes: true},
		{name: "inactive up to the top: an IT admin stands in", edit: map[string]func(string) string{"e2": inactive, "e1": inactive},
			subject: "e3", author: "gh-e3", approver: "a1", passes: true},
		{name: "the supervisor opened the pull request: the next one up", subject: "e3", author: "gh-e2", approver: "e1", passes: true},
		{name: "the supervisor who opened the pull request may not", subject: "e3", author: "gh-e2", approver: "e2",
			message: "may not approve this pull request"},
		{name: "a merge from before the author trailer: the supervisor", subject: "e3", approver: "e2", passes: true},
		{name: "an IT admin while the supervisor can approve", subject: "e3", author: "gh-e3", approver: "a1",
			message: "the supervisor approval is by a1 @gh-a1, but at the merge only e2 could approve as the supervisor of e3"},
		{name: "the supervisor's supervisor while the supervisor can approve", subject: "e3", author: "gh-e3", approver: "e1",
			message: "only e2 could approve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := gittest.NewBuilder(t)
			ladder(b, tt.edit)
			base := b.Commit("Set up\n", "Admin <a1@example.com>", day(0, 20))
			dev := "d" + tt.subject[1:]
			path := "reports/2026-01/" + dev + ".yaml"
			var ev evidence.Evidence
			main := pr(b, base, "Person <p@example.com>", day(1, 5),
				func(x *gittest.Builder) { x.Files[path] = reportYAML("2026-01", dev, tt.subject, 3, day(1, 5)) },
				func(side plumbing.Hash) string {
					ev = evidence.Evidence{PullRequest: 7, Reports: []string{path}, Subject: evidence.Person{ID: tt.subject, Login: "gh-" + tt.subject},
						Author:    tt.author,
						Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, tt.approver, day(1, 5), side), approve(evidence.RoleContractor, "c1", day(1, 6), side)},
						Version:   "test", PolicyBase: base.String()}
					return ev.Message("Merge pull request #7", "")
				})
			b.Ref("refs/heads/main", main)

			if got := gateDecides(t, b.Dir, base, ev); got != tt.passes {
				t.Errorf("the gate passes the merge: %v, want %v", got, tt.passes)
			}
			a := runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01"})
			var rules, messages []string
			for _, f := range a.Findings {
				if f.Path == path && slices.Contains(approvalRules, f.Rule) {
					rules = append(rules, f.Rule)
					messages = append(messages, f.Message)
				}
			}
			want := []string{"audit.approval_missing", "audit.approver_not_supervisor"}
			if tt.passes {
				want = nil
			}
			if !slices.Equal(rules, want) {
				t.Fatalf("rules %q, want %q\n%s", rules, want, strings.Join(messages, "\n"))
			}
			if tt.message != "" && !strings.Contains(strings.Join(messages, "\n"), tt.message) {
				t.Errorf("messages:\n%s\nwant one containing %q", strings.Join(messages, "\n"), tt.message)
			}
		})
	}
}

// gateDecides routes ev's subject on the roster at base, as posture merge
// did, and reports whether the reviews the evidence records pass the gate.
func gateDecides(t *testing.T, dir string, base plumbing.Hash, ev evidence.Evidence) bool {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	c, err := repo.Resolve(base.String())
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := repo.TreeFS(c)
	if err != nil {
		t.Fatal(err)
	}
	roster, err := gate.LoadRoster(fsys)
	if err != nil {
		t.Fatal(err)
	}
	subject, ok := roster.Get(ev.Subject.ID)
	if !ok {
		t.Fatalf("%s is not on the roster", ev.Subject.ID)
	}
	author := ev.Author
	if author == "" {
		author = ev.Subject.Login
	}
	rt := roster.Plan(subject, author, ev.Subject.Login)
	var reviews []gate.Review
	head := ""
	for _, a := range ev.Approvals {
		reviews = append(reviews, gate.Review{ID: a.ReviewID, Login: a.Approver.Login, State: gate.Approved, Commit: a.Commit, At: a.At})
		head = a.Commit
	}
	o := gate.Decide(rt, reviews, head)
	if o.Complete() && o.Supervisor.Approver.ID != ev.Approvals[0].Approver.ID {
		t.Errorf("the gate counts %s for 2a, the evidence names %s", o.Supervisor.Approver, ev.Approvals[0].Approver)
	}
	return o.Complete()
}
