package schema

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

func load(t *testing.T) *Set {
	t.Helper()
	s, err := Load(os.DirFS("../.."), Dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const goodReport = `period: "2026-11"
device: d-1
reporter: e1
os_version: "10.0.26200"
antivirus: Microsoft Defender
real_time_protection: true
signatures_updated: 2026-11-20
last_quick_scan: 2026-11-19
last_full_scan: 2026-11-02
threats_found: 0
threats_resolved: 0
disk_encryption: true
screen_lock_minutes: 5
jailbroken: false
wifi_mac: 3c:22:fb:12:34:56
`

func TestValidate(t *testing.T) {
	s := load(t)
	tests := []struct {
		name string
		kind record.Kind
		src  string
		want []string // "line:col: substring [rule]"
	}{
		{name: "clean report", kind: record.Report, src: goodReport},
		{name: "unknown field with suggestion", kind: record.Report, src: goodReport + "last_ful_scan: 2026-11-02\n",
			want: []string{`16:1: unknown field "last_ful_scan"; did you mean "last_full_scan"? [schema.unknown_field]`}},
		{name: "unknown field far from any", kind: record.Report, src: goodReport + "zzzzzzzzzzzz: 1\n",
			want: []string{`16:1: unknown field "zzzzzzzzzzzz"; the known fields are antivirus,`}},
		{name: "number for a version", kind: record.Report, src: strings.Replace(goodReport, `os_version: "10.0.26200"`, "os_version: 14.1", 1),
			want: []string{`4:13: os_version is a number, expected string; quote it: os_version: "14.1" [schema.type]`}},
		{name: "bad date", kind: record.Report, src: strings.Replace(goodReport, "last_full_scan: 2026-11-02", "last_full_scan: 2/11/2026", 1),
			want: []string{`9:17: last_full_scan "2/11/2026" is not a date; write YYYY-MM-DD [schema.format]`}},
		{name: "missing required", kind: record.Report, src: strings.Replace(goodReport, "jailbroken: false\n", "", 1),
			want: []string{`1:1: missing required field "jailbroken"; add it [schema.required]`}},
		{name: "string for a boolean", kind: record.Report, src: strings.Replace(goodReport, "disk_encryption: true", "disk_encryption: yes", 1),
			want: []string{`12:18: disk_encryption is "yes", which YAML 1.2 reads as text, not as a boolean; write true or false [schema.type]`}},
		{name: "off for a boolean", kind: record.Report, src: strings.Replace(goodReport, "jailbroken: false", "jailbroken: Off", 1),
			want: []string{`14:13: jailbroken is "Off", which YAML 1.2 reads as text, not as a boolean; write true or false [schema.type]`}},
		{name: "a number for a boolean", kind: record.Report, src: strings.Replace(goodReport, "jailbroken: false", "jailbroken: 0", 1),
			want: []string{`14:13: jailbroken is 0; write true or false [schema.type]`}},
		{name: "empty date", kind: record.Report, src: strings.Replace(goodReport, "last_full_scan: 2026-11-02", "last_full_scan:", 1),
			want: []string{`9:1: last_full_scan is empty; write a date as YYYY-MM-DD [schema.type]`}},
		{name: "a number for a date", kind: record.Report, src: strings.Replace(goodReport, "last_full_scan: 2026-11-02", "last_full_scan: 20261102", 1),
			want: []string{`9:17: last_full_scan is 20261102, not a date; write a date as YYYY-MM-DD [schema.type]`}},
		{name: "a date that does not exist", kind: record.Report, src: strings.Replace(goodReport, "last_full_scan: 2026-11-02", "last_full_scan: 2026-02-29", 1),
			want: []string{`9:17: last_full_scan "2026-02-29" is not a date: February 2026 has 28 days; write a date that exists, as YYYY-MM-DD [schema.format]`}},
		{name: "empty boolean", kind: record.Report, src: strings.Replace(goodReport, "jailbroken: false", "jailbroken:", 1),
			want: []string{`14:1: jailbroken is empty; write true or false [schema.type]`}},
		{name: "not_applicable with scans", kind: record.Report,
			src:  strings.Replace(goodReport, "antivirus: Microsoft Defender", "antivirus: not_applicable", 1),
			want: []string{`5:12: antivirus is not_applicable, so leave out`}},
		{name: "enum", kind: record.Device, src: "id: d-1\nowner: e1\nownership: mine\ntype: laptop\nplatform: windows\nmodel: X\nos_version: \"1\"\nwifi_macs: [{mac: 3c:22:fb:12:34:56, kind: burned_in, ssid: CORP}]\nregistered: 2026-01-01\nstatus: active\n",
			want: []string{`3:12: ownership is "mine"; expected one of "byod", "corporate" [schema.enum]`}},
		{name: "nested unknown field", kind: record.Device, src: "id: d-1\nowner: e1\nownership: byod\ntype: laptop\nplatform: windows\nmodel: X\nos_version: \"1\"\nwifi_macs:\n  - mac: 3c:22:fb:12:34:56\n    kind: burned_in\n    sid: CORP\nregistered: 2026-01-01\nstatus: active\n",
			want: []string{`9:5: missing required field "ssid" in wifi_macs.0`, `11:5: unknown field "sid"; did you mean "ssid"?`}},
		{name: "retirement without retired", kind: record.Device, src: "id: d-1\nowner: e1\nownership: byod\ntype: laptop\nplatform: windows\nmodel: X\nos_version: \"1\"\nwifi_macs: [{mac: 3c:22:fb:12:34:56, kind: burned_in, ssid: CORP}]\nregistered: 2026-01-01\nstatus: active\nretirement: {date: 2026-02-01, reason: x, data_disposition: wiped}\n",
			want: []string{`11:1: retirement is only for retired devices`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, pf := record.Parse("f.yaml", tt.kind, []byte(tt.src))
			if len(pf) > 0 {
				t.Fatal(pf)
			}
			fs := s.Validate(rec)
			if len(fs) != len(tt.want) {
				t.Fatalf("got %d findings %v, want %d %v", len(fs), fs, len(tt.want), tt.want)
			}
			for i, f := range fs {
				got := strings.TrimPrefix(f.String(), "f.yaml:")
				w := tt.want[i]
				if !strings.HasPrefix(got, w) && !(strings.Contains(w, " [") && got == w) {
					t.Errorf("finding %d = %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestLoadRefusesRemoteRefs(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range []string{"defs.schema.json", "person.schema.json", "device.schema.json", "report.schema.json", "exception.schema.json", "settings.schema.json"} {
		data, err := os.ReadFile("../../schemas/" + f)
		if err != nil {
			t.Fatal(err)
		}
		fsys["schemas/"+f] = &fstest.MapFile{Data: data}
	}
	fsys["schemas/person.schema.json"].Data = []byte(`{"$id": "https://x.test/person.schema.json", "$ref": "https://evil.test/s.json"}`)
	if _, err := Load(fsys, Dir); err == nil || !strings.Contains(err.Error(), "may only refer to files in schemas/") {
		t.Fatalf("Load = %v, want a refusal of the remote $ref", err)
	}
	delete(fsys, "schemas/person.schema.json")
	if _, err := Load(fsys, Dir); err == nil || !strings.Contains(err.Error(), "person.schema.json is missing") {
		t.Fatalf("Load = %v, want missing schema error", err)
	}
}

func TestClosest(t *testing.T) {
	known := []string{"last_full_scan", "last_quick_scan", "wifi_mac"}
	for in, want := range map[string]string{"last_ful_scan": "last_full_scan", "WIFI_MAC": "wifi_mac", "wifimac": "wifi_mac", "colour": ""} {
		if got := closest(in, known); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestValidateCap checks that a record's schema findings are capped at
// finding.MaxPerFile in the order of the file, with one finding for the
// rest, whatever order the validator finds them in.
func TestValidateCap(t *testing.T) {
	s := load(t)
	unknown := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "zz_%05d: %d\n", n-i, i) // named in the reverse of their order
		}
		return b.String()
	}
	base := strings.Count(goodReport, "\n")
	tests := []struct {
		name     string
		src      string
		findings int    // before the cap
		first    string // the first finding
		last     string // the last finding
	}{
		{name: "at the cap", src: goodReport + unknown(finding.MaxPerFile), findings: finding.MaxPerFile,
			first: fmt.Sprintf(`%d:1: unknown field "zz_%05d"`, base+1, finding.MaxPerFile),
			last:  fmt.Sprintf(`%d:1: unknown field "zz_00001"`, base+finding.MaxPerFile)},
		{name: "one over", src: goodReport + unknown(finding.MaxPerFile+1), findings: finding.MaxPerFile + 1,
			last: fmt.Sprintf(`%d:1: … and 1 more finding in this file; fix these first [file.too_many]`, base+finding.MaxPerFile+1)},
		{name: "many over", src: goodReport + unknown(450), findings: 450, // as many as record.MaxNodes allows
			first: fmt.Sprintf(`%d:1: unknown field "zz_00450"`, base+1),
			last:  fmt.Sprintf(`%d:1: … and %d more findings in this file; fix these first [file.too_many]`, base+finding.MaxPerFile+1, 450-finding.MaxPerFile)},
		{name: "missing fields first", src: strings.Replace(goodReport, "jailbroken: false\n", "", 1) + "disk_encryption_x: 1\n" + unknown(100),
			findings: 102, first: `1:1: missing required field "jailbroken"; add it [schema.required]`,
			last: fmt.Sprintf(`%d:1: … and 52 more findings in this file; fix these first [file.too_many]`, base+finding.MaxPerFile-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, pf := record.Parse("f.yaml", record.Report, []byte(tt.src))
			if len(pf) > 0 {
				t.Fatal(pf)
			}
			fs := s.Validate(rec)
			want := min(tt.findings, finding.MaxPerFile)
			if tt.findings > finding.MaxPerFile {
				want++
			}
			if len(fs) != want {
				t.Fatalf("got %d findings, want %d", len(fs), want)
			}
			first, last := strings.TrimPrefix(fs[0].String(), "f.yaml:"), strings.TrimPrefix(fs[len(fs)-1].String(), "f.yaml:")
			if tt.first != "" && !strings.HasPrefix(first, tt.first) {
				t.Errorf("first finding %q, want %q", first, tt.first)
			}
			if tt.last != "" && !strings.HasPrefix(last, tt.last) {
				t.Errorf("last finding %q, want %q", last, tt.last)
			}
			if !slices.IsSortedFunc(fs, finding.Compare) {
				t.Error("findings are not in the order of the file")
			}
			for range 3 {
				if again := s.Validate(rec); !slices.Equal(again, fs) {
					t.Fatal("the findings kept differ from one run to the next")
				}
			}
		})
	}
}

// TestCapped checks the choice of the first findings of a record in one
// pass, whatever order they come in.
func TestCapped(t *testing.T) {
	const n = 3 * finding.MaxPerFile
	var src strings.Builder
	for i := range n {
		fmt.Fprintf(&src, "k%d: %d\n", i, i)
	}
	rec, pf := record.Parse("f.yaml", record.Report, []byte(src.String()))
	if len(pf) > 0 {
		t.Fatal(pf)
	}
	orders := map[string]func(i, count int) int{
		"in order": func(i, _ int) int { return i },
		"reversed": func(i, count int) int { return count - 1 - i },
		"shuffled": func(i, count int) int { return (i * 7) % count }, // 7 is prime to the counts below
	}
	for _, count := range []int{0, 1, finding.MaxPerFile, finding.MaxPerFile + 1, n - 1} {
		for name, order := range orders {
			t.Run(fmt.Sprintf("%d %s", count, name), func(t *testing.T) {
				var ps []pending
				written := 0
				for i := range count {
					k := fmt.Sprintf("k%d", order(i, count))
					ps = append(ps, pending{rule: "schema.unknown_field", path: []string{k}, key: k,
						msg: func() string { written++; return "unknown " + k }})
				}
				fs := capped(rec, ps)
				keep := min(count, finding.MaxPerFile)
				if written != keep {
					t.Errorf("wrote %d messages, want %d", written, keep)
				}
				want := keep
				if count > keep {
					want++
				}
				if len(fs) != want {
					t.Fatalf("got %d findings, want %d", len(fs), want)
				}
				for i, f := range fs[:keep] {
					if f.Line != i+1 || f.Message != fmt.Sprintf("unknown k%d", i) {
						t.Errorf("finding %d = %s, want k%d at line %d", i, f, i, i+1)
					}
				}
				if count > keep {
					last := fs[keep]
					if last.Rule != finding.RuleTooMany || last.Line != keep+1 || !strings.Contains(last.Message, fmt.Sprintf(" %d more ", count-keep)) {
						t.Errorf("last finding %s, want %d more at line %d", last, count-keep, keep+1)
					}
				}
			})
		}
	}
}
