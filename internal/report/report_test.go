package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fullResult is a check with several files, both severities, rules that are
// known and rules that only findings name, and a message full of characters
// that each format must escape.
func fullResult() Result {
	fs := []finding.Finding{
		{File: "reports/2026-11/d-e1001-laptop.yaml", Line: 9, Column: 3, Rule: "report.notes", Severity: finding.Warn,
			Title: "Notes are plain text",
			Message: "notes \"100% done, see: ticket | 42\"\r\nand a second line with *stars*, `ticks`, <b>tags</b> & [links](x); " +
				"keep notes to one line without markup."},
		{File: "devices/d-e1001-laptop.yaml", Line: 7, Column: 9, Rule: "os.supported", Severity: finding.Deny,
			Title:   "Operating system is supported",
			Message: `os "windows 8.1" left support on 2023-01-10; upgrade to a supported version and report again.`},
		{File: "devices/d-e1001-laptop.yaml", Line: 3, Column: 5, Rule: "device.owner", Severity: finding.Warn,
			Title:   "Device owner is active",
			Message: `owner "p-jdoe" left on 2026-10-31; assign the device to someone still here, or retire it.`},
		{File: "people/p-jdoe.yaml", Line: 1, Column: 1, Rule: "schema", Severity: finding.Deny,
			Message: `missing property "email"; add the person's work email.`},
		{File: "reports/2026-11/d-e1001-laptop.yaml", Line: 4, Column: 17, Rule: "scan.full_age", Severity: finding.Deny,
			Title:   "Full scan is recent",
			Message: `last_full_scan "2026-09-01" is 62 days before the report date; the limit is 35 days. Run a full scan and report again.`},
		{File: "reports/2026-11/d-e1002-phone.yaml", Line: 3, Column: 8, Rule: "yaml", Severity: finding.Deny,
			Message: "cannot parse YAML: mapping values are not allowed in this context; check the indentation."},
	}
	return Result{
		Findings: finding.Sort(fs),
		Checked:  12,
		Version:  "0.3.0",
		Rules: []RuleInfo{
			{ID: "scan.full_age", Title: "Full scan is recent", Severity: finding.Deny,
				Description: "The last full malware scan is at most data.config.scan.full_max_age_days before the report date.",
				Remediation: "Run a full scan, then report its date in last_full_scan."},
			{ID: "os.supported", Title: "Operating system is supported", Severity: finding.Deny,
				Description: "The device runs an OS version its vendor still supports on the report date.",
				Remediation: "Upgrade the operating system to a supported version."},
			{ID: "device.owner", Title: "Device owner is active", Severity: finding.Warn,
				Description: "A device belongs to a person who is still with the organisation."},
			{ID: "disk.encryption", Title: "Disk is encrypted", Severity: finding.Deny,
				Remediation: "Turn on FileVault, BitLocker or LUKS and report again."},
			{ID: "report.notes", Title: "Notes are plain text", Severity: finding.Warn},
		},
	}
}

// emptyResult is a clean check.
func emptyResult() Result {
	return Result{Checked: 3, Version: "0.3.0", Rules: fullResult().Rules}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name    string
		format  Format
		result  Result
		color   bool
		golden  string // under testdata/
		summary string // github step summary golden, under testdata/
	}{
		{name: "text", format: Text, result: fullResult(), golden: "text/full.txt"},
		{name: "text color", format: Text, result: fullResult(), color: true, golden: "text/full-color.txt"},
		{name: "text empty", format: Text, result: emptyResult(), golden: "text/empty.txt"},
		{name: "json", format: JSON, result: fullResult(), golden: "json/full.json"},
		{name: "json empty", format: JSON, result: emptyResult(), golden: "json/empty.json"},
		{name: "github", format: GitHub, result: fullResult(), golden: "github/full.txt", summary: "github/full-summary.md"},
		{name: "github empty", format: GitHub, result: emptyResult(), golden: "github/empty.txt", summary: "github/empty-summary.md"},
		{name: "sarif", format: SARIF, result: fullResult(), golden: "sarif/full.sarif"},
		{name: "sarif empty", format: SARIF, result: emptyResult(), golden: "sarif/empty.sarif"},
		{name: "text hostile", format: Text, result: hostileResult(), golden: "text/hostile.txt"},
		{name: "json hostile", format: JSON, result: hostileResult(), golden: "json/hostile.json"},
		{name: "github hostile", format: GitHub, result: hostileResult(), golden: "github/hostile.txt", summary: "github/hostile-summary.md"},
		{name: "sarif hostile", format: SARIF, result: hostileResult(), golden: "sarif/hostile.sarif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, sum bytes.Buffer
			opts := Options{Color: tt.color}
			if tt.summary != "" {
				opts.StepSummary = &sum
			}
			if err := Write(&out, tt.format, tt.result, opts); err != nil {
				t.Fatalf("Write: %v", err)
			}
			checkGolden(t, tt.golden, out.Bytes())
			if tt.summary != "" {
				checkGolden(t, tt.summary, sum.Bytes())
			}
		})
	}
}

// checkGolden compares got with testdata/name, or rewrites the file when the
// tests run with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{in: "text", want: Text},
		{in: "json", want: JSON},
		{in: "github", want: GitHub},
		{in: "sarif", want: SARIF},
		{in: "", wantErr: true},
		{in: "xml", wantErr: true},
		{in: "JSON", wantErr: true},
		{in: " text", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseFormat(%q) = %q, want an error", tt.in, got)
				}
				if want := "use one of text, json, github, sarif"; !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not list the formats (%q)", err, want)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var out bytes.Buffer
	if err := Write(&out, Format("xml"), fullResult(), Options{}); err == nil {
		t.Fatal("Write with an unknown format returned no error")
	}
	if out.Len() != 0 {
		t.Errorf("Write with an unknown format wrote %q", out.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	for _, f := range Formats() {
		if err := Write(failWriter{}, f, fullResult(), Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: Write to a failing writer returned %v, want the write error", f, err)
		}
	}
	var out bytes.Buffer
	err := Write(&out, GitHub, fullResult(), Options{StepSummary: failWriter{}})
	if err == nil || !strings.Contains(err.Error(), "step summary") {
		t.Errorf("github: failing step summary returned %v, want a step summary error", err)
	}
}
