package settings

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
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
