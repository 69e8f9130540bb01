package check

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/finding"
)

var (
	seedTime = time.Date(2026, 11, 9, 1, 0, 0, 0, time.UTC)
	prTime   = time.Date(2026, 11, 10, 1, 0, 0, 0, time.UTC)
	// prNow is when the pull request is checked: the day after it was
	// pushed, so that the testdata/ok reports are still fresh.
	prNow = time.Date(2026, 11, 11, 1, 0, 0, 0, time.UTC)
)

const winReport = "reports/2026-11/d-win.yaml"

// rules lists "file rule" for each finding, sorted.
func rules(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.File+" "+f.Rule)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *testRepo)
		author string
		now    time.Time
		want   []string // "file rule"; nil = clean
		msg    string   // a substring one finding's message must hold
	}{
		{
			name:   "a clean edit of one's own report",
			change: func(r *testRepo) { r.Edit(winReport, "lent to a relative", "lent to my sister") },
			author: "eita-e",
		},
		{
			name: "a report for a device registered in the same pull request",
			change: func(r *testRepo) {
				r.Write("devices/d-new.yaml", strings.ReplaceAll(r.Read("devices/d-win.yaml"), "d-win", "d-new"))
				r.Edit("devices/d-new.yaml", "3c:22:fb:12:34:56", "3c:22:fb:99:99:99")
				r.newReport("d-new", "3c:22:fb:99:99:99")
			},
			want: []string{"reports/2026-11/d-new.yaml report.device_registered"},
			msg:  "register the device in its own pull request first",
		},
		{
			name: "weakening the policy data alongside a stale report",
			change: func(r *testRepo) {
				r.Edit("policies/config/data.yaml", "full_scan_max_days: 35", "full_scan_max_days: 999")
				r.Edit(winReport, "last_full_scan: 2026-10-20", "last_full_scan: 2026-06-01")
			},
			want: []string{"policies/config/data.yaml change.mixed", winReport + " scan.full_age"},
			msg:  "the limit is 35 days",
		},
		{
			name: "weakening the schema alongside a bad report",
			change: func(r *testRepo) {
				r.Edit("schemas/report.schema.json", `"additionalProperties": false`, `"additionalProperties": true`)
				r.Edit(winReport, "concerns:", "notes: x\nconcerns:")
			},
			want: []string{"schemas/report.schema.json change.mixed", winReport + " schema.unknown_field"},
		},
		{
			name: "making oneself one's own supervisor alongside a report",
			change: func(r *testRepo) {
				r.Edit("people/e2.yaml", "supervisor: e1", "supervisor: e2")
				r.Edit(winReport, "lent to a relative", "fine")
			},
			want: []string{"people/e2.yaml change.mixed", "people/e2.yaml person.supervisor"},
		},
		{
			name: "editing a workflow alongside a report",
			change: func(r *testRepo) {
				r.Write(".github/workflows/check.yml", "on: push\n")
				r.Edit(winReport, "lent to a relative", "fine")
			},
			want: []string{".github/workflows/check.yml change.mixed"},
		},
		{
			name:   "a report for someone else's device",
			change: func(r *testRepo) { r.Edit(winReport, "lent to a relative", "fine") },
			author: "erika-m",
			want:   []string{winReport + " change.author"},
			msg:    "this pull request is by @erika-m",
		},
		{
			name: "registering a device for someone else",
			change: func(r *testRepo) {
				r.Write("devices/d-new.yaml", strings.ReplaceAll(r.Read("devices/d-win.yaml"), "d-win", "d-new"))
				r.Edit("devices/d-new.yaml", "3c:22:fb:12:34:56", "3c:22:fb:99:99:99")
			},
			author: "erika-m",
			want:   []string{"devices/d-new.yaml change.author"},
		},
		{
			name: "an IT admin registering a device for someone else",
			change: func(r *testRepo) {
				r.Write("devices/d-new.yaml", strings.ReplaceAll(r.Read("devices/d-win.yaml"), "d-win", "d-new"))
				r.Edit("devices/d-new.yaml", "3c:22:fb:12:34:56", "3c:22:fb:99:99:99")
			},
			author: "ada-admin",
		},
		{
			name:   "deleting a report",
			change: func(r *testRepo) { r.Remove(winReport) },
			want:   []string{winReport + " change.deleted"},
		},
		{
			name:   "deleting a device",
			change: func(r *testRepo) { r.Remove("devices/d-phone.yaml") },
			want:   []string{"devices/d-phone.yaml change.deleted"},
			msg:    "Set status: retired",
		},
		{
			name: "a report that is a symbolic link",
			change: func(r *testRepo) {
				r.Remove("reports/2026-11/d-droid.yaml")
				r.Symlink("../../people/e1.yaml", "reports/2026-11/d-droid.yaml")
			},
			want: []string{"reports/2026-11/d-droid.yaml file.link"},
		},
		{
			name: "a MAC added to the device in the same pull request as the report using it",
			change: func(r *testRepo) {
				r.Edit("devices/d-win.yaml", "    ssid: CORP-WIFI\n", "    ssid: CORP-WIFI\n  - mac: \"3c:22:fb:77:77:77\"\n    kind: burned_in\n    ssid: CORP-WIFI\n")
				r.Edit(winReport, "3C-22-FB-12-34-56", "3c:22:fb:77:77:77")
			},
			want: []string{winReport + " mac.registered"},
		},
		{
			name:   "a changed report is judged on the day of the check, not of its commit",
			change: func(r *testRepo) { r.Edit(winReport, "lent to a relative", "fine") },
			now:    time.Date(2026, 12, 20, 1, 0, 0, 0, time.UTC),
			want:   []string{winReport + " scan.full_age", winReport + " scan.quick_age", winReport + " scan.signatures_age"},
		},
		{
			name: "a people change on its own is checked with the proposed roster",
			change: func(r *testRepo) {
				r.Edit("people/e1.yaml", "role: employee", "supervisor: e2\nrole: employee")
			},
			// Only the changed file is checked; its loop runs through e2.
			want: []string{"people/e1.yaml person.supervisor_cycle"},
		},
		{
			name: "an exception that had expired when it was proposed",
			change: func(r *testRepo) {
				r.Write("policies/exceptions/exc-late.yaml", "id: exc-late\nrule: os.supported\ndevice: d-win\nreason: x\napproved_by: admin\nexpires: 2026-11-01\n")
			},
			want: []string{"policies/exceptions/exc-late.yaml exception.expired"},
		},
		{
			name: "an exception for a device that is not registered",
			change: func(r *testRepo) {
				r.Write("policies/exceptions/exc-x.yaml", "id: exc-x\nrule: os.supported\ndevice: d-nope\nreason: x\napproved_by: admin\nexpires: 2027-11-01\n")
			},
			want: []string{"policies/exceptions/exc-x.yaml exception.device"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t, seedTime)
			r.Checkout("pr", true)
			tt.change(r)
			r.Commit("change", prTime)
			now := tt.now
			if now.IsZero() {
				now = prNow
			}
			res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: tt.author, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var deny []finding.Finding
			for _, f := range res.Findings {
				if f.Severity == finding.Deny {
					deny = append(deny, f)
				}
			}
			got := rules(deny)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n got %q\nwant %q\n%v", got, want, res.Findings)
			}
			if tt.msg != "" && !slices.ContainsFunc(res.Findings, func(f finding.Finding) bool { return strings.Contains(f.Message, tt.msg) }) {
				t.Errorf("no finding says %q: %v", tt.msg, res.Findings)
			}
		})
	}
}

// TestDiffReadsOnlyBaseForTrust checks that the merge base decides what is
// changed while the base branch's tip decides what is trusted: a device
// registered on main after the pull request branched off counts.
func TestDiffReadsOnlyBaseForTrust(t *testing.T) {
	r := newTestRepo(t, seedTime)
	r.Checkout("pr", true)
	r.newReport("d-new", "3c:22:fb:99:99:99")
	r.Commit("report", prTime)
	r.Checkout("main", false)
	r.Write("devices/d-new.yaml", strings.ReplaceAll(r.Read("devices/d-win.yaml"), "d-win", "d-new"))
	r.Edit("devices/d-new.yaml", "3c:22:fb:12:34:56", "3c:22:fb:99:99:99")
	r.Commit("register d-new", prTime)
	res, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) > 0 || res.Checked != 1 {
		t.Errorf("checked %d, findings %v; want the one report, clean", res.Checked, res.Findings)
	}
}

func TestDiffInputErrors(t *testing.T) {
	r := newTestRepo(t, seedTime)
	_, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "nope", Now: prNow})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Diff with a missing base = %v, want an InputError naming it", err)
	}
	_, err = Diff(context.Background(), DiffOptions{Dir: t.TempDir(), Base: "main", Now: prNow})
	if !errors.As(err, &ie) {
		t.Errorf("Diff outside a repository = %v, want an InputError", err)
	}
}

// TestFullUsesHistory checks the reference time of a full check: a report
// accepted in November stays clean in June, but the same report edited and
// not yet committed is judged on the day of the check.
func TestFullUsesHistory(t *testing.T) {
	r := newTestRepo(t, seedTime)
	june := time.Date(2027, 6, 1, 1, 0, 0, 0, time.UTC)
	res, err := Full(context.Background(), Options{Dir: r.Dir, Now: june})
	if err != nil {
		t.Fatal(err)
	}
	if deny, _ := finding.Count(res.Findings); deny > 0 {
		t.Fatalf("accepted records failed later: %v", res.Findings)
	}
	r.Edit(winReport, "lent to a relative", "fine")
	res, err = Full(context.Background(), Options{Dir: r.Dir, Now: june})
	if err != nil {
		t.Fatal(err)
	}
	var deny []finding.Finding
	for _, f := range res.Findings {
		if f.Severity == finding.Deny {
			deny = append(deny, f)
		}
	}
	got := rules(deny)
	if !slices.Contains(got, winReport+" scan.full_age") || slices.ContainsFunc(got, func(s string) bool { return !strings.HasPrefix(s, winReport) }) {
		t.Errorf("after an uncommitted edit: %q; want only the edited report to fail", got)
	}
}
