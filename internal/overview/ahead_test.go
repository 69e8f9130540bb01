package overview

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
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
