package overview

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// line sums up a device of the queue.
func line(d Device) string {
	return fmt.Sprintf("%s %s %d %s/%s %s pr=%d/%d %v %v %s", d.Status, d.Device, d.Days, d.Department, d.Employee, d.State, d.PullRequest,
		d.AcceptedPull, d.Rules, d.Exceptions, historyCodes(d.History))
}

func TestBuild(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}})
	var got []string
	for _, d := range o.Devices {
		got = append(got, line(d))
	}
	// History letters, 2025-03 to 2026-02: P passed, L late, F failed,
	// M missing, E exception, · not in use.
	want := []string{
		"failing d3 5 Engineering/e3 merged pr=0/211 [device.screen_lock] [] PPPPPPPPMPPF",
		"overdue d7 10 Engineering/e4 missing pr=0/0 [] [] ·······LPPPM",
		"overdue d5 10 Sales/e2 in_review pr=12/0 [] [] PPPPPPPPPPPM",
		"late d2 2 Sales/e2 merged pr=0/0 [scan.signatures_fresh] [] PPPPLPPPPPPL",
		"excepted d4 10 Engineering/e3 missing pr=0/0 [] [exc-1] EEEEEEEEEEEE",
		"on_time d1 0 Management/e1 merged pr=0/111 [] [] PPPPPPPPPPPP",
		"on_time d8 0 Sales/e5 merged pr=0/0 [] [] PPPPPPPPPPPP",
	}
	if !slices.Equal(got, want) {
		t.Errorf("queue:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	d3 := o.Devices[0]
	if d3.Accepted != "2026-02-15" || !d3.Late || d3.Result != Fail || d3.Supervisor != "e1" || d3.SupervisorName != "Erika Ito" || o.Due != "2026-02-10" {
		t.Errorf("d3: %+v, due %s", d3, o.Due)
	}
	tot := o.Totals
	if tot.Devices != 7 || tot.Employees != 5 || tot.Merged != 4 || tot.InReview != 1 || tot.Missing != 2 || tot.Passing != 2 ||
		tot.Warnings != 1 || tot.Failing != 1 || tot.Late != 2 || tot.WithExceptions != 1 || len(o.Departments) != 3 ||
		tot.ByStatus != (StatusCounts{Failing: 1, Overdue: 2, Late: 1, Excepted: 1, OnTime: 2}) {
		t.Errorf("totals %+v, %d departments", tot, len(o.Departments))
	}
	var order []string
	for _, f := range o.FollowUp {
		order = append(order, fmt.Sprintf("%s %s %d", f.Reason, f.Device, f.Days))
	}
	// Failing first, then overdue (in review or not), then late; the
	// excepted and those on time are not chased.
	if want := []string{"failing d3 5", "overdue d7 10", "overdue d5 10", "late d2 2"}; !slices.Equal(order, want) {
		t.Errorf("follow-up %q, want %q", order, want)
	}
	// The retired d6 is not in the queue, but counts in the trends while in
	// use: Sales in December 2025 has d2, d5 and d6 (missing) in use.
	sales := o.Trends[2]
	if sales.Department != "Sales" || o.Trends[3].Department != "" || len(sales.Points) != Window {
		t.Fatalf("trends: %+v", o.Trends)
	}
	if dec := sales.Points[9]; dec.Period != "2025-12" || dec.Devices != 4 || dec.Expected != 4 || dec.OnTime != 3 || dec.Percent != 75 || !dec.Complete {
		t.Errorf("Sales in December: %+v", dec)
	}
	// Engineering in February: d3 failing, d7 missing; d4 excepted.
	if feb := o.Trends[0].Points[11]; feb.Devices != 3 || feb.Expected != 2 || feb.OnTime != 0 || feb.Percent != 0 {
		t.Errorf("Engineering in February: %+v", feb)
	}
	// Without GitHub, d5 is plainly overdue.
	o = build(t, dir, Options{})
	if d := o.Devices[2]; d.Device != "d5" || d.State != Missing || d.Status != Overdue || o.GitHub {
		t.Errorf("offline: %+v", d)
	}
}

// TestBuildNotDueYet: on the 1st nothing of the month is due, and nothing
// is missing; the month before is judged as before.
func TestBuildNotDueYet(t *testing.T) {
	dir, january := organisation(t)
	for _, tt := range []struct {
		name   string
		now    time.Time
		status string
		days   int
		follow int
	}{
		{"the 1st", time.Date(2026, 2, 1, 9, 0, 0, 0, jst), NotDue, 0, 0},
		{"the due day, late at night", time.Date(2026, 2, 10, 23, 59, 0, 0, jst), NotDue, 0, 0},
		{"the day after, by the organisation's clock", time.Date(2026, 2, 10, 15, 0, 0, 0, time.UTC), Overdue, 1, 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := build(t, dir, Options{Rev: january.String(), Now: tt.now})
			for _, d := range o.Devices {
				want := tt.status
				if d.Device == "d4" && tt.status == Overdue {
					want = Excepted
				}
				if d.Status != want || d.Days != tt.days || d.State != Missing {
					t.Errorf("%s: %s %d days, want %s %d", d.Device, d.Status, d.Days, want, tt.days)
				}
				if last := d.History[Window-1].Mark; tt.status == NotDue && last != CellNotDue {
					t.Errorf("%s's February cell: %s", d.Device, last)
				}
			}
			if len(o.FollowUp) != tt.follow {
				t.Errorf("%d to follow up, want %d: %+v", len(o.FollowUp), tt.follow, o.FollowUp)
			}
			if p := o.Trends[3].Points[11]; p.Complete == (tt.status == NotDue) || p.OnTime != 0 {
				t.Errorf("February's trend point: %+v", p)
			}
			var md bytes.Buffer
			if err := Write(&md, "md", o); err != nil {
				t.Fatal(err)
			}
			if tt.status == NotDue && (!strings.Contains(md.String(), "Nothing to follow up") || strings.Contains(md.String(), "| # | state")) {
				t.Errorf("the Markdown form chases reports not due yet:\n%s", md.String())
			}
		})
	}
}

func TestGolden(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}, Issues: map[string]int{"e3": 41},
		RepoURL: "https://github.com/acme/device-reports"})
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, o); err != nil {
				t.Fatal(err)
			}
			// The fixture holds the shipped policies: keep their edits from
			// changing the golden files through the commit hashes.
			out := gittest.StableHashes(buf.Bytes())
			path := filepath.Join("testdata", format, "queue."+format)
			if *update {
				_ = os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s differs from the output; run go test ./internal/overview -args -update and review the diff", path)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{InReview: map[string]int{"reports/2026-02/d5.yaml": 12}, Issues: map[string]int{"e3": 41},
		RepoURL: "https://github.com/acme/device-reports"})
	byID := map[string]Device{}
	for _, d := range o.Devices {
		byID[d.Device] = d
	}
	base := "https://github.com/acme/device-reports"
	for _, tt := range []struct {
		dev  string
		want Links
	}{
		{"d3", Links{base + "/blob/" + o.Commit + "/reports/2026-02/d3.yaml", base + "/pull/211", base + "/issues/41"}},
		{"d5", Links{base + "/pull/12/files", base + "/pull/12",
			base + "/issues?q=is%3Aissue+label%3A%22report%2F2026-02%22+in%3Atitle+%22%28e2%29%22"}},
		{"d2", Links{base + "/blob/" + o.Commit + "/reports/2026-02/d2.yaml", "",
			base + "/issues?q=is%3Aissue+label%3A%22report%2F2026-02%22+in%3Atitle+%22%28e2%29%22"}},
	} {
		if got := byID[tt.dev].Links; got != tt.want {
			t.Errorf("%s: %+v\nwant %+v", tt.dev, got, tt.want)
		}
	}
	if c := byID["d3"].History[0]; c.URL != base+"/blob/"+o.Commit+"/reports/2025-03/d3.yaml" || c.PullRequest != 200 || c.Accepted != "2025-03-08" {
		t.Errorf("d3 in 2025-03: %+v", c)
	}
	// Without the repository's address there are no links.
	o = build(t, dir, Options{})
	for _, d := range o.Devices {
		if d.Links != (Links{}) || d.History[0].URL != "" {
			t.Errorf("%s has links: %+v", d.Device, d.Links)
		}
	}
}

func TestPullOf(t *testing.T) {
	for _, tt := range []struct {
		msg  string
		want int
	}{
		{"Merge pull request #12 from acme/report\n\nReport", 12},
		{"Report d1 for 2026-02 (#34)\n", 34},
		{"Report d1 (#34) again\n", 0},
		{"Merge report\n\nPosture-Pull-Request: 56\nPosture-Report: reports/2026-02/d1.yaml\n", 56},
		{"Report d1\n", 0},
	} {
		if got := pullOf(tt.msg); got != tt.want {
			t.Errorf("pullOf(%q) = %d, want %d", tt.msg, got, tt.want)
		}
	}
}

func TestBuildInput(t *testing.T) {
	dir, _ := organisation(t)
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, o := range []Options{{Repo: r, Period: "2026-2"}, {Repo: r, Period: "2026-02", Rev: "nope"}} {
		if _, err := Build(context.Background(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestSafeCSVAndMarkdownCell(t *testing.T) {
	if got := SafeCSV([]string{"=SUM(A1)", "-1", "ok", ""}); !slices.Equal(got, []string{"'=SUM(A1)", "'-1", "ok", ""}) {
		t.Errorf("SafeCSV: %q", got)
	}
	if got := MarkdownCell("a|b <i>*x*</i>\nc"); got != `a\|b \<i\>\*x\*\</i\><br>c` {
		t.Errorf("MarkdownCell: %q", got)
	}
}
