package audit

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// TestHeadJudgeRootFile: a commit after the last trusted change adds a
// root file named "schemas", which the walk's prefix "schemas/" does not
// see. The judge loaded from the head while the history is walked must not
// stand in for the last trusted change's: it would read that file.
func TestHeadJudgeRootFile(t *testing.T) {
	b := scenario(t)
	for p := range b.Files {
		if strings.HasPrefix(p, "schemas/") {
			delete(b.Files, p)
		}
	}
	head, err := b.Repo.Reference("refs/heads/main", true)
	if err != nil {
		t.Fatal(err)
	}
	main := b.Commit("Use the built-in schemas\n", "Admin <a1@example.com>", day(2, 21), head.Hash())
	before := auditAt(t, b, main)
	b.Files["schemas"] = "not a folder\n"
	main = b.Commit("Add a note\n", "Person e4 <e4@example.com>", day(2, 22), main)
	after := auditAt(t, b, main)
	got, want := strings.Join(rulesByPath(after.Findings), "\n"), strings.Join(rulesByPath(before.Findings), "\n")
	if got != want {
		t.Errorf("a root file named schemas changed the findings:\n%s\nwant:\n%s", got, want)
	}
	for _, r := range after.Evidence {
		if r.Recheck != nil && r.Recheck.Result == Unchecked {
			t.Errorf("%s: re-check %s", r.Path, r.Recheck.Result)
		}
	}
}

func auditAt(t *testing.T, b *gittest.Builder, h plumbing.Hash) *Audit {
	b.Ref("refs/heads/main", h)
	return runAudit(t, b.Dir, Options{From: "2026-01", To: "2026-02"})
}
