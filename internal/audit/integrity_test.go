package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// oneMerge builds an organisation and merges d3's January report with the
// evidence that msg writes.
func oneMerge(t *testing.T, msg func(main, side plumbing.Hash) string) (*gittest.Builder, plumbing.Hash) {
	b := gittest.NewBuilder(t)
	org(b)
	main := b.Commit("Set up\n", "Admin <a1@example.com>", day(0, 20))
	main = pr(b, main, "Person e3 <e3@example.com>", day(1, 5),
		func(x *gittest.Builder) {
			x.Files["reports/2026-01/d3.yaml"] = reportYAML("2026-01", "d3", "e3", 3, day(1, 5))
		},
		func(side plumbing.Hash) string { return msg(main, side) })
	b.Ref("refs/heads/main", main)
	return b, main
}

func TestAuditEvidence(t *testing.T) {
	ev := func(main, side plumbing.Hash, edit func(*evidence.Evidence)) string {
		e := evidence.Evidence{PullRequest: 7, Reports: []string{"reports/2026-01/d3.yaml"}, Subject: evidence.Person{ID: "e3", Login: "gh-e3"},
			Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, "e2", day(1, 5), side), approve(evidence.RoleContractor, "c1", day(1, 5), side)},
			Version:   "test", PolicyBase: main.String()}
		edit(&e)
		return e.Message("Merge pull request #7", "")
	}
	tests := []struct {
		name string
		msg  func(main, side plumbing.Hash) string
		want []string // rules about d3's January report, besides missing d4, d5, d8
	}{
		{"valid", func(m, s plumbing.Hash) string { return ev(m, s, func(*evidence.Evidence) {}) }, nil},
		{"malformed trailers", func(m, s plumbing.Hash) string {
			return "Merge\n\nPosture-Pull-Request: seven\nPosture-Report: reports/2026-01/d3.yaml\n"
		}, []string{"audit.direct_push", "audit.evidence_malformed"}},
		{"report not listed", func(m, s plumbing.Hash) string {
			return ev(m, s, func(e *evidence.Evidence) { e.Reports = []string{"reports/2026-01/d4.yaml"} })
		}, []string{"audit.direct_push"}},
		{"unknown approver", func(m, s plumbing.Hash) string {
			return ev(m, s, func(e *evidence.Evidence) { e.Approvals[1].Approver = evidence.Person{ID: "c9", Login: "gh-c9"} })
		}, []string{"audit.approval_missing", "audit.approver_unknown"}},
		{"login not the roster's", func(m, s plumbing.Hash) string {
			return ev(m, s, func(e *evidence.Evidence) { e.Approvals[0].Approver.Login = "mallory" })
		}, []string{"audit.approval_missing", "audit.approver_login"}},
		{"subject not the owner", func(m, s plumbing.Hash) string {
			return ev(m, s, func(e *evidence.Evidence) { e.Subject = evidence.Person{ID: "e4", Login: "gh-e4"} })
		}, []string{"audit.subject_mismatch"}}, // e2 supervises e4 too: only the subject is wrong
		{"policy base not on the branch", func(m, s plumbing.Hash) string {
			return ev(m, s, func(e *evidence.Evidence) { e.PolicyBase = strings.Repeat("ab", 20) })
		}, []string{"audit.history_rewrite"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := oneMerge(t, tt.msg)
			a := runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01"})
			var got []string
			for _, f := range a.Findings {
				if f.Path == "reports/2026-01/d3.yaml" {
					got = append(got, f.Rule)
				}
			}
			got = slices.Compact(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuditHistory(t *testing.T) {
	valid := func(main, side plumbing.Hash) string {
		e := evidence.Evidence{PullRequest: 7, Reports: []string{"reports/2026-01/d3.yaml"}, Subject: evidence.Person{ID: "e3", Login: "gh-e3"},
			Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, "e2", day(1, 5), side), approve(evidence.RoleContractor, "c1", day(1, 5), side)}}
		return e.Message("Merge pull request #7", "")
	}
	t.Run("gap", func(t *testing.T) {
		b := gittest.NewBuilder(t)
		org(b)
		b.Files["reports/2026-01/d3.yaml"] = reportYAML("2026-01", "d3", "e3", 3, day(1, 5))
		lost := plumbing.NewHash(strings.Repeat("cd", 20))
		head := b.Commit("Grafted\n", "Admin <a1@example.com>", day(1, 5), lost)
		b.Ref("refs/heads/main", head)
		if err := os.WriteFile(filepath.Join(b.Dir, ".git", "shallow"), []byte(head.String()+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		a := runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01"})
		if got := rulesByPath(a.Findings); !slices.Contains(got, "audit.history_gap ") || a.Findings[0].Commit != head.String() {
			t.Errorf("findings: %q", got)
		}
	})
	t.Run("rewrite in the reflog", func(t *testing.T) {
		b, head := oneMerge(t, valid)
		gone := strings.Repeat("ef", 20)
		log := fmt.Sprintf("%s %s Admin <a1@example.com> %d +0900\tfetch: forced-update\n", gone, head, day(1, 6).Unix())
		dir := filepath.Join(b.Dir, ".git", "logs", "refs", "remotes", "origin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "main"), []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
		a := runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01"})
		if got := rulesByPath(a.Findings); !slices.Contains(got, "audit.history_rewrite ") {
			t.Errorf("findings: %q", got)
		}
	})
	t.Run("signatures", func(t *testing.T) {
		b, head := oneMerge(t, valid)
		// Sign the merge: a commit carrying a signature, on top.
		c, err := object.GetCommit(b.Repo.Storer, head)
		if err != nil {
			t.Fatal(err)
		}
		c.PGPSignature = "-----BEGIN PGP SIGNATURE-----\n\nfake\n-----END PGP SIGNATURE-----\n"
		signed := b.Store(c)
		b.Ref("refs/heads/main", signed)
		a := runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01", RequireSigned: true})
		if got := rulesByPath(a.Findings); slices.Contains(got, "audit.unsigned reports/2026-01/d3.yaml") || a.Scope.Unsigned != 0 {
			t.Errorf("a signed merge is reported unsigned: %q", got)
		}
		b.Files["reports/2026-01/d4.yaml"] = reportYAML("2026-01", "d4", "e4", 4, day(1, 6))
		b.Ref("refs/heads/main", b.Commit("Unsigned\n", "Person e4 <e4@example.com>", day(1, 6).Add(time.Hour), signed))
		a = runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-01", RequireSigned: true})
		if got := rulesByPath(a.Findings); !slices.Contains(got, "audit.unsigned reports/2026-01/d4.yaml") || a.Scope.Unsigned != 1 {
			t.Errorf("findings: %q, %d unsigned", got, a.Scope.Unsigned)
		}
	})
}
