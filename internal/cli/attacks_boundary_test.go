package cli

import (
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/forge/githubtest"
)

// TestAttackTakeOverADevice: an employee edits owner: in a colleague's
// device file to make it theirs. The gate's subject comes from the base
// (the colleague), so the attacker's own supervisor cannot wave it through,
// and posture check refuses the owner change.
func TestAttackTakeOverADevice(t *testing.T) {
	t.Parallel()
	const dev = "devices/d-e1005-phone.yaml"
	f := newFixture(t)
	head := f.branch("takeover", func() {
		f.Write(dev, strings.Replace(f.Read(dev), "owner: e1005", "owner: e1004", 1))
	})
	pr := f.pull(githubtest.Pull{Issue: githubtest.Issue{Title: "My phone", Author: yuki}, Head: "takeover"}, head)
	f.review(pr, kenji, "APPROVED", head) // the attacker's supervisor
	f.review(pr, priya, "APPROVED", head)
	f.refused(pr, head, "failure", "its records belong to e1005", "its records belong to e1005")
	if s := f.lastStatus(head, StatusCheck); s.State != "failure" || !strings.Contains(s.Description, "change.") {
		t.Errorf("posture/check = %+v, want a failure naming the change rule", s)
	}
}

// TestAttackEmptyAuthor: an empty --author would skip the authorship rules.
func TestAttackEmptyAuthor(t *testing.T) {
	for _, author := range []string{"", " ", "a b"} {
		code, _, stderr := run(t, nil, "check", "-C", t.TempDir(), "--base", "main", "--author", author)
		if code != ExitUsage || !strings.Contains(stderr, "is not a GitHub login") {
			t.Errorf("--author %q: exit %d, %s; want exit %d naming the flag", author, code, stderr, ExitUsage)
		}
	}
}
