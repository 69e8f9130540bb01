package overview

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

// TestComingUp: the overview shows what is coming for its devices, as
// the monthly issues say it. In December 2026 nobody has reported since
// February, and d4's exception ends on the 31st.
func TestComingUp(t *testing.T) {
	dir, _ := organisation(t)
	o := build(t, dir, Options{Period: "2026-12", Now: time.Date(2026, 12, 10, 9, 0, 0, 0, jst)})
	var got []string
	for _, w := range o.Ahead {
		got = append(got, fmt.Sprintf("%s %s %s %s %d", w.Owner, w.Device, w.Kind, w.Date, w.Days))
	}
	want := []string{
		"e1 d1 not_reported  0", "e2 d2 not_reported  0", "e2 d5 not_reported  0", "e3 d3 not_reported  0",
		"e3 d4 exception_expires 2026-12-31 21", "e4 d7 not_reported  0", "e5 d8 not_reported  0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coming up:\n%s\nwant (d6 retired, d9's owner gone, d4 excepted):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, tt := range []struct {
		format string
		want   []string
		rows   string
	}{
		{"md", []string{"\n### Coming up\n\nNot late yet: OS support ending within 60 days, exceptions expiring within 30, devices without a report for two periods.\n\n| when | what | employee | device | detail |\n",
			"| 2026-12-31 (in 21 days) | exception expires | Dana Kato (e3) | d4 | exception exc-1 (os.supported on d4) is in force until 2026-12-31, in 21 days",
			"| no report in 2026-10, 2026-11 | not reported | Erika Ito (e1) | d1 | no report for 2026-10 or 2026-11"}, `(?m)^\| (no report in|2026-12-31)`},
		{"html", []string{`<a href="#ahead">Coming up</a>`, `<table id="ahead-table">`,
			`<tr class="exception_expires" data-device="d4"><td class="nw">2026-12-31 (in 21 days)</td><td>exception expires</td><td class="nm"><a href="#person-e3">Dana Kato</a>`},
			`<tr class="(not_reported|exception_expires|os_end_of_support)"`},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, o); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, s := range tt.want {
				if !strings.Contains(out, s) {
					t.Errorf("the %s lacks %q", tt.format, s)
				}
			}
			if n := len(regexp.MustCompile(tt.rows).FindAllString(out, -1)); n != len(o.Ahead) {
				t.Errorf("%d rows coming up, want %d", n, len(o.Ahead))
			}
		})
	}
	// In February nothing is coming up: no section, and [] in JSON.
	o = build(t, dir, Options{})
	if o.Ahead == nil || len(o.Ahead) != 0 {
		t.Errorf("February: %v", o.Ahead)
	}
	for _, format := range []string{"md", "html"} {
		var buf bytes.Buffer
		if err := Write(&buf, format, o); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "Coming up") {
			t.Errorf("the %s of February has a section of what is coming", format)
		}
	}
}

// TestComingUpDueDay: the look ahead counts a device as excepted from a
// period by the exception in force on the due day posture.yaml sets, as
// the overview's cells do. An exception that ends on 2026-08-15 covers
// August when reports are due on the 10th, not when they are due on the
// 20th.
func TestComingUpDueDay(t *testing.T) {
	for _, tt := range []struct {
		dueDay int
		mark   string
		warned bool
	}{{10, CellException, false}, {20, CellMissing, true}} {
		t.Run(fmt.Sprint(tt.dueDay), func(t *testing.T) {
			b := gittest.NewBuilder(t)
			b.Files["posture.yaml"] = fmt.Sprintf("organization: Test Org\ntimezone: Asia/Tokyo\nreport_due_day: %d\n", tt.dueDay)
			b.Files["people/e1.yaml"] = personYAML("e1", "Erika Ito", "", "Management")
			b.Files["people/a1.yaml"] = strings.Replace(personYAML("a1", "Admin One", "e1", "IT"), "role: employee", "role: it-admin", 1)
			b.Files["devices/d1.yaml"] = deviceYAML("d1", "e1", 1, "2026-01-01", "")
			b.Files["policies/exceptions/exc-1.yaml"] = "id: exc-1\nrule: os.supported\ndevice: d1\nreason: Away for repair\napproved_by: a1\nexpires: 2026-08-15\n"
			b.Ref("refs/heads/main", b.Commit("Set up\n", "Admin <a1@example.com>", time.Date(2026, 1, 5, 9, 0, 0, 0, jst)))
			o := build(t, b.Dir, Options{Period: "2026-09", Now: time.Date(2026, 9, 25, 9, 0, 0, 0, jst)})
			mark := ""
			for _, d := range o.Devices {
				for _, c := range d.History {
					if d.Device == "d1" && c.Period == "2026-08" {
						mark = c.Mark
					}
				}
			}
			warned := false
			for _, w := range o.Ahead {
				warned = warned || w.Device == "d1" && w.Kind == "not_reported"
			}
			if mark != tt.mark || warned != tt.warned {
				t.Errorf("August %q, warned %v; want %q, %v (%v)", mark, warned, tt.mark, tt.warned, o.Ahead)
			}
		})
	}
}
