package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditCommand(t *testing.T) {
	dir := okRepo(t)
	// testdata/ok was committed straight to the branch: every report is a
	// direct push, an error finding, so the audit exits 1.
	code, stdout, stderr := run(t, nil, "audit", "-C", dir, "--from", "2026-11", "-f", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d: %s", code, ExitFindings, stderr)
	}
	var a struct {
		Scope struct {
			From, To, Branch string
		} `json:"scope"`
		Findings []struct {
			Rule, Path, Commit string
		} `json:"findings"`
		Evidence []struct {
			Status string `json:"status"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if a.Scope.From != "2026-11" || a.Scope.To != "2026-11" || a.Scope.Branch != "HEAD" || len(a.Evidence) == 0 {
		t.Errorf("scope %+v, %d rows", a.Scope, len(a.Evidence))
	}
	for _, f := range a.Findings {
		if f.Rule != "audit.direct_push" || len(f.Commit) != 40 {
			t.Errorf("finding %+v", f)
		}
	}
	out := filepath.Join(t.TempDir(), "audit.html")
	if code, _, _ := run(t, nil, "audit", "-C", dir, "--from", "2026-11", "--branch", "master", "-f", "html", "-o", out); code != ExitFindings {
		t.Errorf("html: exit %d", code)
	}
	if page, err := os.ReadFile(out); err != nil || !strings.Contains(string(page), "Audit working paper") {
		t.Errorf("html page: %v", err)
	}
	// Before the reports: nothing to find.
	if code, stdout, _ := run(t, nil, "audit", "-C", dir, "--from", "2026-01", "--to", "2026-02", "-f", "csv"); code != ExitOK ||
		!strings.HasPrefix(stdout, "period,device,owner,") {
		t.Errorf("csv (exit %d):\n%s", code, stdout)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "-C", dir}, "name the first period audited with --from"},
		{[]string{"audit", "-C", dir, "--from", "2026-11", "-f", "pdf"}, `unknown output format "pdf"`},
		{[]string{"audit", "-C", dir, "--from", "2026-11", "--to", "2026-01"}, "is after --to"},
		{[]string{"audit", "-C", dir, "--from", "2026-11", "--branch", "nope"}, `no branch "nope"`},
		{[]string{"audit", "-C", t.TempDir(), "--from", "2026-11"}, "repository"},
	} {
		if code, _, stderr := run(t, nil, tt.args...); code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, ExitUsage, tt.want)
		}
	}
}
