package audit

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func runAudit(t *testing.T, dir string, opts Options) *Audit {
	t.Helper()
	a, err := tryAudit(t, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func tryAudit(t *testing.T, dir string, opts Options) (*Audit, error) {
	t.Helper()
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	opts.Repo = r
	if opts.Version == "" {
		opts.Version = "test"
	}
	return Run(context.Background(), opts)
}

// rulesByPath lists findings as "rule path" lines, sorted.
func rulesByPath(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Path)
	}
	slices.Sort(out)
	return out
}

func TestAuditScenario(t *testing.T) {
	a := runAudit(t, scenario(t).Dir, Options{From: "2026-01", To: "2026-02"})
	want := []string{
		"audit.approval_missing reports/2026-01/d5.yaml", // no valid supervisor approval
		"audit.approval_missing reports/2026-01/d5.yaml", // nor contractor approval
		"audit.approval_missing reports/2026-02/d4.yaml", // no valid supervisor approval
		"audit.approval_missing reports/2026-02/d4.yaml", // nor contractor approval
		"audit.approval_stale reports/2026-01/d5.yaml",   // the contractor approved an older commit
		"audit.approver_not_contractor reports/2026-02/d4.yaml",
		"audit.approver_not_supervisor reports/2026-01/d5.yaml",  // e1 is not e3's supervisor
		"audit.changed_after_acceptance reports/2026-01/d3.yaml", // edited after its merge
		"audit.deleted_after_acceptance reports/2026-01/d5.yaml", // renamed away
		"audit.deleted_after_acceptance reports/2026-02/d4.yaml",
		"audit.direct_push reports/2026-01/d4.yaml",     // pushed straight to main
		"audit.direct_push reports/2026-01/d5-old.yaml", // the rename's new path
		"audit.direct_push reports/2026-02/d3.yaml",     // a merge without trailers
		"audit.missing_report reports/2026-01/d8.yaml",
		"audit.missing_report reports/2026-02/d8.yaml",
		"audit.recheck_failed reports/2026-02/d4.yaml", // judged by February's stricter limit
		"audit.recheck_failed reports/2026-02/d5.yaml",
		"audit.self_approval reports/2026-02/d4.yaml",
	}
	if got := rulesByPath(a.Findings); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows := map[string]Row{}
	for _, r := range a.Evidence {
		rows[r.Path] = r
	}
	status := func(p string) string {
		r := rows[p]
		s := r.Status
		if r.Recheck != nil {
			s += " " + r.Recheck.Result
		}
		if r.Late {
			s += " late"
		}
		if !r.InPopulation {
			s += " outside"
		}
		return s
	}
	for p, want := range map[string]string{
		// Accepted under January's 35-day limit: still passes, although
		// the limit is 5 days at the head.
		"reports/2026-01/d3.yaml":     "changed pass",
		"reports/2026-01/d4.yaml":     "unaccepted",
		"reports/2026-01/d5.yaml":     "deleted pass late",
		"reports/2026-01/d5-old.yaml": "unaccepted outside",
		"reports/2026-01/d7.yaml":     "excepted",
		"reports/2026-01/d8.yaml":     "missing",
		"reports/2026-02/d3.yaml":     "unaccepted",
		"reports/2026-02/d4.yaml":     "deleted fail",
		"reports/2026-02/d5.yaml":     "accepted fail",
		"reports/2026-02/d7.yaml":     "excepted",
		"reports/2026-02/d8.yaml":     "missing",
	} {
		if got := status(p); got != want {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
	}
	if len(rows) != 11 {
		t.Errorf("%d rows, want 11 (the retired d6 is left out)", len(rows))
	}
	d3 := rows["reports/2026-01/d3.yaml"]
	if d3.Added == nil || !strings.HasPrefix(d3.Added.Author, "Person e3") || d3.Merge == nil || len(d3.Merge.Approvals) != 2 ||
		d3.Merge.Subject != "e3 @gh-e3" || d3.Owner != "e3" || d3.Department != "Sales" {
		t.Errorf("d3's evidence: %+v %+v", d3.Added, d3.Merge)
	}
	if d3.Recheck.RulesCommit == rows["reports/2026-02/d5.yaml"].Recheck.RulesCommit {
		t.Error("January and February reports were judged with the same rules")
	}
	if p := a.Periods[0]; p.Devices != 5 || p.Missing != 1 || p.Excepted != 1 || p.Late != 1 {
		t.Errorf("January: %+v", p)
	}
	if len(a.Exceptions) != 2 || a.Exceptions[0].ID != "exc-1" {
		t.Errorf("exceptions: %+v", a.Exceptions)
	}
	// One period only: the other period's findings are out of scope.
	a = runAudit(t, scenario(t).Dir, Options{From: "2026-02", To: "2026-02"})
	for _, f := range a.Findings {
		if f.Period != "2026-02" {
			t.Errorf("out of scope: %+v", f)
		}
	}
}

func TestAuditGolden(t *testing.T) {
	a := runAudit(t, scenario(t).Dir, Options{From: "2026-01", To: "2026-02"})
	for _, format := range []string{"md", "html", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, a); err != nil {
				t.Fatal(err)
			}
			// The fixture holds the shipped policies: keep their edits from
			// changing the golden files through the commit hashes.
			golden(t, filepath.Join("testdata", format, "scenario."+format), gittest.StableHashes(buf.Bytes()))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

func TestAuditInput(t *testing.T) {
	dir := scenario(t).Dir
	for _, tt := range []struct{ name, from, to, branch, want string }{
		{"bad period", "2026-13", "2026-13", "", "must be periods written YYYY-MM"},
		{"reversed", "2026-03", "2026-01", "", "is after --to"},
		{"too long", "2000-01", "2026-01", "", "more than 120 periods"},
		{"no branch", "2026-01", "2026-01", "trunk", `no branch "trunk"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tryAudit(t, dir, Options{From: tt.from, To: tt.to, Branch: tt.branch})
			var ie *check.InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want an input error containing %q", err, tt.want)
			}
		})
	}
}
