package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSettingsReportedOnce: a value of posture.yaml that both the schema and
// settings.Load reject is one finding, the settings one (it says which
// default stands in); what only the schema rejects stays the schema's.
func TestSettingsReportedOnce(t *testing.T) {
	tests := []struct {
		name string
		line string // replaces report_due_day: 10
		want []string
	}{
		{name: "past the 28th", line: "report_due_day: 31", want: []string{"posture.yaml:3:17 settings.report_due_day"}},
		{name: "zero", line: "report_due_day: 0", want: []string{"posture.yaml:3:17 settings.report_due_day"}},
		{name: "negative", line: "report_due_day: -3", want: []string{"posture.yaml:3:17 settings.report_due_day"}},
		{name: "not a number: the schema's alone", line: "report_due_day: ten", want: []string{"posture.yaml:3:17 schema.type"}},
		{name: "a bad due day beside a bad max_auto_issues", line: "report_due_day: 31\nmax_auto_issues: 0",
			want: []string{"posture.yaml:3:17 settings.report_due_day", "posture.yaml:4:18 schema"}},
		{name: "in range", line: "report_due_day: 28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS("../../testdata/ok")); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "posture.yaml")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Replace(string(data), "report_due_day: 10", tt.line, 1)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				if f.File == "posture.yaml" {
					got = append(got, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Rule))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("posture.yaml findings %q, want %q: %v", got, tt.want, res.Findings)
			}
		})
	}
}
