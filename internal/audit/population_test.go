package audit

import (
	"slices"
	"testing"
	"time"
)

// TestPopulationCalendar: a device without a report is missing only once
// the due day of its period has ended in the organisation's timezone; the
// audit files no finding for a period not yet due.
func TestPopulationCalendar(t *testing.T) {
	dir := scenario(t).Dir
	tests := []struct {
		name       string
		now        time.Time
		missing    []string // the audit.missing_report findings
		feb        string   // the status of d8's February row
		febNotDue  int      // February's count of devices not due yet
		febMissing int      // February's count of missing devices
	}{
		{"before February's due day", time.Date(2026, 2, 5, 9, 0, 0, 0, jst),
			[]string{"reports/2026-01/d8.yaml"}, NotDue, 1, 0},
		{"on the due day, late at night", time.Date(2026, 2, 10, 23, 59, 0, 0, jst),
			[]string{"reports/2026-01/d8.yaml"}, NotDue, 1, 0},
		// 15:30 UTC on the 10th is already the 11th in Tokyo.
		{"the day after, by the organisation's clock", time.Date(2026, 2, 10, 15, 30, 0, 0, time.UTC),
			[]string{"reports/2026-01/d8.yaml", "reports/2026-02/d8.yaml"}, Missing, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := runAudit(t, dir, Options{From: "2026-01", To: "2026-02", Now: func() time.Time { return tt.now }})
			var missing []string
			for _, f := range a.Findings {
				if f.Rule == "audit.missing_report" {
					missing = append(missing, f.Path)
				}
			}
			if !slices.Equal(missing, tt.missing) {
				t.Errorf("missing_report findings %q, want %q", missing, tt.missing)
			}
			for _, r := range a.Evidence {
				if r.Path == "reports/2026-02/d8.yaml" && r.Status != tt.feb {
					t.Errorf("d8 in February: %s, want %s", r.Status, tt.feb)
				}
				// The excepted device stays excepted, due or not.
				if r.Device == "d7" && r.Status != Excepted {
					t.Errorf("d7 in %s: %s, want excepted", r.Period, r.Status)
				}
			}
			jan, feb := a.Periods[0], a.Periods[1]
			if jan.Missing != 1 || jan.NotDue != 0 || feb.NotDue != tt.febNotDue || feb.Missing != tt.febMissing {
				t.Errorf("January %+v\nFebruary %+v", jan, feb)
			}
		})
	}
}
