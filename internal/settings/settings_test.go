package settings

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // the zones below, where the system has no zoneinfo
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name     string
		src      string // "" = no file
		tz       string
		due      int
		findings []string
	}{
		{name: "no file gives defaults", tz: "Asia/Tokyo", due: 10},
		{name: "values", src: "organization: X\ntimezone: Europe/Berlin\nreport_due_day: 5\n", tz: "Europe/Berlin", due: 5},
		{name: "bad timezone keeps the default", src: "organization: X\ntimezone: Mars/Olympus\n", tz: "Asia/Tokyo", due: 10,
			findings: []string{`posture.yaml:2:11: timezone "Mars/Olympus" is not an IANA timezone name`}},
		{name: "the last due day every month has", src: "organization: X\nreport_due_day: 28\n", tz: "Asia/Tokyo", due: 28},
		{name: "a due day past the 28th keeps the default", src: "organization: X\nreport_due_day: 31\n", tz: "Asia/Tokyo", due: 10,
			findings: []string{"posture.yaml:2:17: report_due_day 31 is not a day from 1 to 28; set it to the day of the month reports are due (until then the default, 10, stands in) [settings.report_due_day]"}},
		{name: "due day 29 keeps the default", src: "organization: X\nreport_due_day: 29\n", tz: "Asia/Tokyo", due: 10,
			findings: []string{"posture.yaml:2:17: report_due_day 29 is not a day from 1 to 28"}},
		{name: "due day 0 keeps the default", src: "organization: X\nreport_due_day: 0\n", tz: "Asia/Tokyo", due: 10,
			findings: []string{"posture.yaml:2:17: report_due_day 0 is not a day from 1 to 28"}},
		{name: "syntax error", src: "organization: [\n", tz: "Asia/Tokyo", due: 10, findings: []string{"posture.yaml:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.src != "" {
				fsys[File] = &fstest.MapFile{Data: []byte(tt.src)}
			}
			s, fs, err := Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if s.Timezone != tt.tz || s.Location.String() != tt.tz || s.ReportDueDay != tt.due {
				t.Errorf("got %s/%s/%d, want %s/%d", s.Timezone, s.Location, s.ReportDueDay, tt.tz, tt.due)
			}
			if len(fs) != len(tt.findings) {
				t.Fatalf("findings %v, want %v", fs, tt.findings)
			}
			for i, f := range fs {
				if !strings.HasPrefix(f.String(), tt.findings[i]) {
					t.Errorf("finding %q, want prefix %q", f, tt.findings[i])
				}
			}
		})
	}
}

func TestProtected(t *testing.T) {
	s := Default()
	for p, want := range map[string]bool{
		"policies/scan.rego": true, "policies/exceptions/x.yaml": true, ".github/workflows/a.yml": true,
		"posture.yaml": true, "posture.yaml.bak": false, "reports/2026-11/d.yaml": false, "go.mod": true,
		"cmd/posture/main.go": true, "README.md": false, "people/e1.yaml": true, "devices/d.yaml": false,
	} {
		if got := s.Protected(p); got != want {
			t.Errorf("Protected(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	s := Default()
	due, ok := s.DueDate("2026-11")
	if !ok || due.Format(time.DateOnly) != "2026-11-10" || due.Location().String() != "Asia/Tokyo" {
		t.Errorf("DueDate = %v, %v", due, ok)
	}
	if _, ok := s.DueDate("2026-13"); ok {
		t.Error("DueDate accepted month 13")
	}
	// 20:00 UTC on the 22nd is already the 23rd in Tokyo.
	if got := s.Date(time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)); got != "2026-11-23" {
		t.Errorf("Date = %s, want 2026-11-23", got)
	}
}

// In America/Santiago the clocks jump from 2026-09-06 00:00 to 01:00, in
// America/Havana from 2026-03-08 00:00 to 01:00: the due day is the day all
// the same, and DueDate is its last instant.
func TestDueDateDST(t *testing.T) {
	tests := []struct {
		tz, period string
		day        int
		date       string
		end        time.Time // the first instant after the due day, in UTC
	}{
		{"America/Santiago", "2026-09", 6, "2026-09-06", time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC)},
		{"America/Santiago", "2026-09", 5, "2026-09-05", time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC)},
		{"America/Havana", "2026-03", 8, "2026-03-08", time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC)},
		{"America/Havana", "2026-03", 7, "2026-03-07", time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.tz+" "+tt.date, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.tz)
			if err != nil {
				t.Fatal(err)
			}
			s := Settings{Timezone: tt.tz, Location: loc, ReportDueDay: tt.day}
			due, ok := s.DueDate(tt.period)
			if !ok || due.Format(time.DateOnly) != tt.date || s.Date(due) != tt.date || due.Location() != loc {
				t.Errorf("DueDate = %v, %v, want %s in %s", due, ok, tt.date, tt.tz)
			}
			if want := tt.end.Add(-time.Nanosecond); !due.Equal(want) {
				t.Errorf("DueDate = %v, want the instant before %v", due.UTC(), tt.end)
			}
		})
	}
}
