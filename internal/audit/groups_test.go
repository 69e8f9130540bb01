package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// pushed is a history where one commit pushes three January reports
// straight to main, and a later one changes one of them.
func pushed(t *testing.T) (dir string, add, change string) {
	b := gittest.NewBuilder(t)
	org(b)
	main := b.Commit("Set up the organisation\n", "Admin <a1@example.com>", day(0, 20))
	for i, dev := range []string{"d3", "d4", "d8"} {
		b.Files["reports/2026-01/"+dev+".yaml"] = reportYAML("2026-01", dev, "e3", 3+i, day(1, 5))
	}
	main = b.Commit("Add the reports\n", "Person e2 <e2@example.com>", day(1, 5), main)
	add = main.String()
	b.Files["reports/2026-01/d3.yaml"] = strings.Replace(b.Files["reports/2026-01/d3.yaml"], "screen_lock_minutes: 5", "screen_lock_minutes: 4", 1)
	main = b.Commit("Fix\n", "Person e2 <e2@example.com>", day(1, 6), main)
	b.Ref("refs/heads/main", main)
	return b.Dir, add, main.String()
}

func TestGroupsByCauseAndCommit(t *testing.T) {
	dir, add, change := pushed(t)
	a := runAudit(t, dir, Options{From: "2026-01", To: "2026-01"})
	gs := Groups(a.Findings)
	byTitle := map[string]Group{}
	total := 0
	for _, g := range gs {
		byTitle[g.Title] = g
		total += g.Count
		if g.Count != len(g.Members) {
			t.Errorf("%q counts %d but has %d members", g.Title, g.Count, len(g.Members))
		}
		for _, m := range g.Members {
			f := a.Findings[m.Number-1]
			if f.Rule != g.Rule || f.Commit != g.Commit || f.Path != m.Path || f.Message != m.Message {
				t.Errorf("member %+v of %q is not finding %d: %+v", m, g.Title, m.Number, f)
			}
		}
	}
	if total != len(a.Findings) {
		t.Errorf("the groups hold %d findings, the audit %d", total, len(a.Findings))
	}
	g, ok := byTitle["3 reports added by "+add[:12]+" without a reviewed merge"]
	if !ok {
		t.Fatalf("no group of the three pushed reports among %v", titles(gs))
	}
	var paths []string
	for _, m := range g.Members {
		paths = append(paths, m.Path)
	}
	if strings.Join(paths, " ") != "reports/2026-01/d3.yaml reports/2026-01/d4.yaml reports/2026-01/d8.yaml" {
		t.Errorf("members %v", paths)
	}
	if gs[0].Title != g.Title {
		t.Errorf("the largest group of errors comes first; got %v", titles(gs))
	}
	if _, ok := byTitle["1 accepted report changed by "+change[:12]+" without new evidence"]; ok {
		t.Error("a report that was never accepted is filed as changed after acceptance")
	}
	if _, ok := byTitle["1 report changed by "+change[:12]+" without a reviewed merge"]; !ok {
		t.Errorf("no group of the changed report among %v", titles(gs))
	}
}

func titles(gs []Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Title)
	}
	return out
}

// TestGroupTitlesAgree: every cause says 1 with the singular and more
// with the plural.
func TestGroupTitlesAgree(t *testing.T) {
	rules := []string{"audit.direct_push", "audit.missing_report", "audit.changed_after_acceptance",
		"audit.deleted_after_acceptance", "audit.recheck_failed", "audit.evidence_malformed", "audit.evidence_unmatched",
		"audit.rules_unreadable", "audit.subject_mismatch", "audit.self_approval", "audit.approver_unknown",
		"audit.approver_login", "audit.approver_not_supervisor", "audit.approver_not_contractor", "audit.approval_stale",
		"audit.approval_missing", "audit.history_gap", "audit.history_rewrite", "audit.someday_new"}
	for _, rule := range rules {
		for _, sev := range []string{Error, Warning} {
			for _, commit := range []string{"0123456789abcdef0123456789abcdef01234567", ""} {
				f := Finding{Rule: rule, Severity: sev, Commit: commit, Period: "2026-01", Path: "reports/2026-01/d1.yaml",
					Message: "the report was added in x"}
				g1 := Groups([]Finding{f})[0]
				f2 := f
				f2.Path = "reports/2026-01/d2.yaml"
				g2 := Groups([]Finding{f, f2})[0]
				if g2.Count != 2 {
					t.Fatalf("%s: two findings of one cause make %d groups", rule, len(Groups([]Finding{f, f2})))
				}
				if !strings.HasPrefix(g1.Title, "1 ") || !strings.HasPrefix(g2.Title, "2 ") {
					continue // a cause of one commit: "the history stops short at ..."
				}
				if !agree(g1.Title[2:], g2.Title[2:]) {
					t.Errorf("%s %s: %q and %q differ in more than a plural s", rule, sev, g1.Title, g2.Title)
				}
				if commit != "" && !strings.Contains(g1.Title, commit[:12]) {
					t.Errorf("%s: %q does not name the commit", rule, g1.Title)
				}
			}
		}
	}
}

// agree reports whether many is one with exactly one word made plural by
// an s.
func agree(one, many string) bool {
	w1, w2 := strings.Fields(one), strings.Fields(many)
	if len(w1) != len(w2) {
		return false
	}
	diff := 0
	for i := range w1 {
		if w1[i] != w2[i] {
			if w2[i] != w1[i]+"s" {
				return false
			}
			diff++
		}
	}
	return diff == 1
}

func TestGroupsKeepCausesApart(t *testing.T) {
	c := "0123456789abcdef0123456789abcdef01234567"
	fs := []Finding{
		{Rule: "audit.direct_push", Severity: Error, Commit: c, Path: "a", Message: "the report was added in x"},
		{Rule: "audit.direct_push", Severity: Error, Commit: c, Path: "b", Message: "the report was deleted in x"},
		{Rule: "audit.direct_push", Severity: Error, Commit: c, Path: "c", Message: "the report was added in x"},
		{Rule: "audit.changed_after_acceptance", Severity: Warning, Commit: c, Path: "a", Message: "m"},
		{Rule: "audit.changed_after_acceptance", Severity: Error, Commit: c, Path: "b", Message: "m"},
		{Rule: "audit.missing_report", Severity: Error, Commit: c, Period: "2026-01", Path: "d", Message: "m"},
		{Rule: "audit.missing_report", Severity: Error, Commit: c, Period: "2026-02", Path: "e", Message: "m"},
	}
	var got []string
	for _, g := range Groups(fs) {
		got = append(got, g.Severity+": "+g.Title)
	}
	want := []string{
		"error: 2 reports added by 0123456789ab without a reviewed merge",
		"error: 1 report deleted by 0123456789ab without a reviewed merge",
		"error: 1 accepted report changed by 0123456789ab without new evidence",
		"error: 1 device of 2026-01 without a report or an exception in force after the due day (registry at 0123456789ab)",
		"error: 1 device of 2026-02 without a report or an exception in force after the due day (registry at 0123456789ab)",
		"warning: 1 accepted report replaced with new evidence by 0123456789ab",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGroupsInEachFormat(t *testing.T) {
	dir, add, _ := pushed(t)
	a := runAudit(t, dir, Options{From: "2026-01", To: "2026-01"})
	gs := Groups(a.Findings)
	title := "3 reports added by " + add[:12] + " without a reviewed merge"
	for _, tt := range []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{"md", func(t *testing.T, out string) {
			if n := strings.Count(out, "\n<details><summary>"); n != len(gs) {
				t.Errorf("%d <details>, want one per group (%d)", n, len(gs))
			}
			if n := strings.Count(out, "\n</details>\n"); n != len(gs) {
				t.Errorf("%d </details>, want %d", n, len(gs))
			}
			if !strings.Contains(out, "<summary><b>error</b> "+title+" (<code>audit.direct_push</code>)</summary>\n\n| # | period | path | finding |") {
				t.Errorf("no folded group of the pushed reports:\n%s", out)
			}
		}},
		{"html", func(t *testing.T, out string) {
			if n := strings.Count(out, `<details class="group"`); n != len(gs) {
				t.Errorf("%d <details>, want %d", n, len(gs))
			}
			if !strings.Contains(out, `data-rule="audit.direct_push" data-severity="error" data-count="3"><summary><span class="error">error</span> `+title) {
				t.Error("no folded group of the pushed reports")
			}
		}},
		{"json", func(t *testing.T, out string) {
			var got struct {
				Findings []Finding `json:"findings"`
				Groups   []Group   `json:"finding_groups"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Findings) != len(a.Findings) || len(got.Groups) != len(gs) {
				t.Fatalf("%d findings in %d groups, want %d in %d", len(got.Findings), len(got.Groups), len(a.Findings), len(gs))
			}
			if g := got.Groups[0]; g.Title != title || g.Count != 3 || len(g.Members) != 3 || g.Commit != add {
				t.Errorf("first group %+v", g)
			}
		}},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, a); err != nil {
				t.Fatal(err)
			}
			tt.check(t, buf.String())
		})
	}
}

func TestTallyAgrees(t *testing.T) {
	e, w := Finding{Severity: Error}, Finding{Severity: Warning}
	for _, tt := range []struct {
		fs   []Finding
		want string
	}{
		{nil, "0 errors, 0 warnings"},
		{[]Finding{e}, "1 error, 0 warnings, in 1 group by cause and commit"},
		{[]Finding{e, e, w}, "2 errors, 1 warning, in 2 groups by cause and commit"},
	} {
		if got := tally(tt.fs, Groups(tt.fs)); got != tt.want {
			t.Errorf("tally %q, want %q", got, tt.want)
		}
	}
}
