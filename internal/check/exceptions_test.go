package check

import (
	"fmt"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// TestExceptionExpiryNotADate waives a finding with exceptions whose expiry
// is a date, and with ones whose expiry is not: those silence nothing and
// are not in force, however their text compares with the day.
func TestExceptionExpiryNotADate(t *testing.T) {
	for _, tt := range []struct {
		expires string
		waives  bool
	}{
		{"2027-03-31", true},
		{"2026-11-12", true},
		{"2026-11-11", false},
		{"later", false},
		{"2026-13-45", false},
		{"9999-99-99", false},
		{"2026-11-31", false},
		{`"2027-03-31T00:00:00Z"`, false},
		{"", false},
	} {
		t.Run(tt.expires, func(t *testing.T) {
			data := fmt.Sprintf("id: exc-1\nrule: os.supported\ndevice: d-1\nreason: waiting for a new laptop\napproved_by: e1\nexpires: %s\n", tt.expires)
			exc, fs := record.Parse("policies/exceptions/exc-1.yaml", record.Exception, []byte(data))
			if exc == nil {
				t.Fatalf("parse: %v", fs)
			}
			report := "reports/2026-11/d-1.yaml"
			f := finding.Finding{File: report, Rule: "os.supported", Severity: finding.Deny, Message: "unsupported"}
			day := func(string) string { return "2026-11-12" }
			devices := map[string]string{report: "d-1"}
			kept := silence([]finding.Finding{f}, exceptionsOf([]*record.Record{exc}), day, devices)
			if waived := len(kept) == 0; waived != tt.waives {
				t.Errorf("waived %v, want %v", waived, tt.waives)
			}
			if in := inForce([]*record.Record{exc}, devices, "2026-11-12"); (len(in) == 1) != tt.waives {
				t.Errorf("in force: %v, want %v", in, tt.waives)
			}
		})
	}
}
