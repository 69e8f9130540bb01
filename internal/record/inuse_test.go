package record

import "testing"

// TestInUseBetween: a device is in use in [from, to) when registered
// before to and retired, if at all, after from. Retired on from it is not:
// the policies refuse its report for a period starting that day
// (report.device_active), and the monthly issue does not ask for one.
func TestInUseBetween(t *testing.T) {
	dev := func(registered, retired string) *Record {
		d := &Record{Data: map[string]any{"registered": registered, "status": "active"}}
		if retired != "" {
			d.Data["status"] = "retired"
			d.Data["retirement"] = map[string]any{"date": retired}
		}
		return d
	}
	const from, to = "2026-02-01", "2026-03-01"
	for _, tt := range []struct {
		name                string
		registered, retired string
		want                bool
	}{
		{"registered long before", "2025-01-01", "", true},
		{"registered on the first day", "2026-02-01", "", true},
		{"registered on the last day", "2026-02-28", "", true},
		{"registered on the next month's first day", "2026-03-01", "", false},
		{"retired the day before", "2025-01-01", "2026-01-31", false},
		{"retired on the first day", "2025-01-01", "2026-02-01", false},
		{"retired on the second day", "2025-01-01", "2026-02-02", true},
		{"retired after the period", "2025-01-01", "2026-04-01", true},
		{"no registration date", "", "", false},
	} {
		if got := dev(tt.registered, tt.retired).InUseBetween(from, to); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
