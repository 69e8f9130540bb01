package ahead

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/record"
)

// table is a small dated OS table in the layout of policies/config/data.yaml.
const table = `thresholds: {full_scan_max_days: 35}
os_support:
  windows:
    - {name: Windows 11 24H2, min: "10.0.26100", below: "10.0.26101", end_of_support: "2026-10-13"}
    - {name: Windows 11 25H2, min: "10.0.26200", below: "10.0.26201", end_of_support: "2027-10-12"}
  macos:
    - {name: macOS 14 Sonoma, min: "14", below: "15", end_of_support: 2026-09-15}
    - {name: macOS 15 Sequoia, min: "15", below: "16", end_of_support: null}
  linux:
    Debian:
      - {name: Debian 12 bookworm, min: "12", below: "13", end_of_support: "2026-06-10"}
`

func parse(t *testing.T, kind record.Kind, path, src string) *record.Record {
	t.Helper()
	r, fs := record.Parse(path, kind, []byte(src))
	if r == nil || len(fs) > 0 {
		t.Fatalf("%s: %v", path, fs)
	}
	return r
}

func device(t *testing.T, id, platform, version, extra string) *record.Record {
	return parse(t, record.Device, "devices/"+id+".yaml", fmt.Sprintf(
		"id: %s\nowner: e-%s\nplatform: %s\nos_version: %q\nregistered: 2026-01-01\nstatus: active\n%s", id, id, platform, version, extra))
}

func exception(t *testing.T, id, dev, rule, expires string) *record.Record {
	return parse(t, record.Exception, "policies/exceptions/"+id+".yaml", fmt.Sprintf(
		"id: %s\nrule: %s\ndevice: %s\nreason: Waiting for a replacement\napproved_by: a1\nexpires: %s\n", id, rule, dev, expires))
}

// report is a report holding just what the warnings read.
func report(version string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, "os_version: %q\n", version)}
}

func TestCompute(t *testing.T) {
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte(table)}}
	devs := map[string]*record.Record{}
	add := func(r *record.Record) { devs[r.String("id")] = r }
	// Registered on 24H2, reported on 25H2 last month: no warning.
	add(device(t, "win-updated", "windows", "10.0.26100", ""))
	tree["reports/2026-08/win-updated.yaml"] = report("10.0.26200")
	// Still on 24H2 (support ends 2026-10-13): warned from 2026-08-14 on.
	add(device(t, "win-old", "windows", "10.0.26200", ""))
	tree["reports/2026-08/win-old.yaml"] = report("10.0.26100")
	// macOS 14 ends 2026-09-15, but an os.supported exception covers it.
	add(device(t, "mac-excepted", "macos", "14.6", ""))
	tree["reports/2026-09/mac-excepted.yaml"] = report("14.7")
	// macOS 14 without one; the report's os_version is not text, so the
	// registered version counts.
	add(device(t, "mac-new", "macos", "14.6", ""))
	tree["reports/2026-08/mac-new.yaml"] = &fstest.MapFile{Data: []byte("os_version: [not, a, version]\n")}
	// Debian 12 ended before today: os.supported fails now, nothing ahead.
	add(device(t, "deb", "linux", "12", "os_name: debian\n"))
	tree["reports/2026-08/deb.yaml"] = report("12")
	// No report for July or August: two periods without one.
	add(device(t, "quiet", "windows", "10.0.26200", ""))
	// No report either, but an exception was in force in August: excepted.
	add(device(t, "away", "windows", "10.0.26200", ""))
	// Registered in August: owed only August's report, so not yet.
	devs["newcomer"] = parse(t, record.Device, "devices/newcomer.yaml",
		"id: newcomer\nowner: e-newcomer\nplatform: windows\nos_version: \"10.0.26200\"\nregistered: 2026-08-01\nstatus: active\n")
	// Retired: nothing is owed.
	devs["gone"] = parse(t, record.Device, "devices/gone.yaml",
		"id: gone\nowner: e-gone\nplatform: macos\nos_version: \"14\"\nregistered: 2026-01-01\nstatus: retired\nretirement: {date: 2026-08-20}\n")
	excs := []*record.Record{
		exception(t, "exc-mac", "mac-excepted", "os.supported", "2026-12-31"),
		exception(t, "exc-soon", "win-updated", "device.screen_lock", "2026-09-30"),
		exception(t, "exc-later", "win-updated", "scan.full_age", "2026-10-30"),
		exception(t, "exc-over", "quiet", "scan.full_age", "2026-07-31"),
		exception(t, "exc-away", "away", "scan.full_age", "2026-08-15"),
		exception(t, "exc-gone", "gone", "os.supported", "2026-09-10"),
	}
	ws, err := Compute(Input{Tree: tree, Devices: devs, Exceptions: excs, Period: "2026-09", Today: "2026-09-01"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, fmt.Sprintf("%s %s %s %s %d %s %v", w.Owner, w.Device, w.Kind, w.Date, w.Days, w.Exception, w.Periods))
	}
	want := []string{
		"e-mac-new mac-new os_end_of_support 2026-09-15 14  []",
		"e-quiet quiet not_reported  0  [2026-07 2026-08]",
		"e-win-old win-old os_end_of_support 2026-10-13 42  []",
		"e-win-updated win-updated exception_expires 2026-09-30 29 exc-soon []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	msgs := map[string]string{}
	for _, w := range ws {
		msgs[w.Device] = w.Message
	}
	for dev, want := range map[string]string{
		"mac-new":     `macOS 14 Sonoma (os_version "14.6") is supported until 2026-09-15, in 14 days: after that its reports fail os.supported; update it to macOS 15 Sequoia before then, or ask IT for an exception.`,
		"win-old":     `Windows 11 24H2 (os_version "10.0.26100") is supported until 2026-10-13, in 42 days`,
		"quiet":       "no report for 2026-07 or 2026-08: report quiet for 2026-09, or if the device is no longer in use, retire it",
		"win-updated": "exception exc-soon (device.screen_lock on win-updated) is in force until 2026-09-30, in 29 days: after that device.screen_lock applies to win-updated again",
	} {
		if !strings.HasPrefix(msgs[dev], want) {
			t.Errorf("%s: %q\nwant it to start %q", dev, msgs[dev], want)
		}
	}
	// A report for the period ends the not-reported warning.
	tree["reports/2026-09/quiet.yaml"] = report("10.0.26200")
	ws, err = Compute(Input{Tree: tree, Devices: devs, Exceptions: excs, Period: "2026-09", Today: "2026-09-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Device == "quiet" {
			t.Errorf("quiet reported for 2026-09, still warned: %+v", w)
		}
	}
}

func TestHorizons(t *testing.T) {
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte(table)}}
	devs := map[string]*record.Record{"w": device(t, "w", "windows", "10.0.26100", "")}
	tree["reports/2026-08/w.yaml"] = report("10.0.26100")
	tree["reports/2026-07/w.yaml"] = report("10.0.26100")
	excs := []*record.Record{exception(t, "x", "w", "scan.full_age", "2026-09-30")}
	for _, tt := range []struct {
		name, today       string
		osDays, excDays   int
		wantOS, wantExcep string // the Days of each warning, or "" for none
	}{
		{"os 61 days out", "2026-08-13", 0, 0, "", ""},
		{"os 60 days out", "2026-08-14", 0, 0, "60", ""},
		{"exception 31 days out", "2026-08-30", 0, 0, "44", ""},
		{"exception 30 days out", "2026-08-31", 0, 0, "43", "30"},
		{"last day", "2026-09-30", 0, 0, "13", "0"},
		{"expired", "2026-10-01", 0, 0, "12", ""},
		{"os's last day", "2026-10-13", 0, 0, "0", ""},
		{"os ended", "2026-10-14", 0, 0, "", ""},
		{"shorter horizons", "2026-09-20", 7, 7, "", ""},
		{"longer horizons", "2026-06-01", 180, 180, "134", "121"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := Compute(Input{Tree: tree, Devices: devs, Exceptions: excs, Period: tt.today[:7], Today: tt.today,
				OSDays: tt.osDays, ExceptionDays: tt.excDays})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, w := range ws {
				got[w.Kind] = fmt.Sprint(w.Days)
			}
			if got[OSEndOfSupport] != tt.wantOS || got[ExceptionExpires] != tt.wantExcep {
				t.Errorf("os %q, exception %q; want %q, %q", got[OSEndOfSupport], got[ExceptionExpires], tt.wantOS, tt.wantExcep)
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte("os_support: {windows: 3}\n")}}
	for _, tt := range []struct {
		name, period, today, want string
	}{
		{"period", "2026-13", "2026-09-01", "not a period"},
		{"day", "2026-09", "2026-9-1", "not a day"},
		{"table", "2026-09", "2026-09-01", "read os_support in policies/config/data.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(Input{Tree: tree, Period: tt.period, Today: tt.today})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// Without policies' data there are no OS tables, and no error.
	if _, err := Compute(Input{Tree: fstest.MapFS{}, Period: "2026-09", Today: "2026-09-01"}); err != nil {
		t.Error(err)
	}
}

func TestVersionKey(t *testing.T) {
	for _, tt := range []struct{ a, b string }{{"10.0.9", "10.0.26200"}, {"15.7.2", "26.1"}, {"14", "14.0.1"}} {
		if !(versionKey(tt.a) < versionKey(tt.b)) {
			t.Errorf("%s does not sort before %s", tt.a, tt.b)
		}
	}
	if versionKey("15.7") != versionKey("15.7.0") {
		t.Error("15.7 and 15.7.0 differ")
	}
	for _, bad := range []string{"", "1..2", "v15", "1.2.3.4.5.6.7", "1234567890"} {
		if versionKey(bad) != "" {
			t.Errorf("%q has a key", bad)
		}
	}
}

// TestOSException: only an os.supported exception for the device that is
// still in force the day after the last day of support, when os.supported
// starts to fail, silences the warning.
func TestOSException(t *testing.T) {
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte(table)}}
	tree["reports/2026-08/w.yaml"] = report("10.0.26100") // Windows 11 24H2, supported until 2026-10-13
	devs := map[string]*record.Record{"w": device(t, "w", "windows", "10.0.26100", ""), "v": device(t, "v", "windows", "10.0.26200", "")}
	for _, tt := range []struct {
		name, device, rule, expires string
		warned                      bool
	}{
		{"none", "", "", "", true},
		{"ends on the last day", "w", "os.supported", "2026-10-13", true},
		{"ends the day after", "w", "os.supported", "2026-10-14", false},
		{"ends later", "w", "os.supported", "2027-01-31", false},
		{"another rule", "w", "scan.full_age", "2027-01-31", true},
		{"another device", "v", "os.supported", "2027-01-31", true},
		{"expiry not a date", "w", "os.supported", "soon", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var excs []*record.Record
			if tt.device != "" {
				excs = append(excs, exception(t, "x", tt.device, tt.rule, tt.expires))
			}
			ws, err := Compute(Input{Tree: tree, Devices: devs, Exceptions: excs, Period: "2026-08", Today: "2026-08-20"})
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range ws {
				warned = warned || w.Kind == OSEndOfSupport && w.Device == "w" && w.Date == "2026-10-13" && w.Days == 54
			}
			if warned != tt.warned {
				t.Errorf("warned %v, want %v: %+v", warned, tt.warned, ws)
			}
		})
	}
}

// TestUnreportedException: a device without a report for the two periods
// before the period is excepted, not warned about, only when an exception
// for it is in force on the due day of the last of them, as the overview
// and the audit count it.
func TestUnreportedException(t *testing.T) {
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte(table)}}
	devs := map[string]*record.Record{"q": device(t, "q", "windows", "10.0.26200", "")}
	for _, tt := range []struct {
		name, expires string
		dueDay        int
		warned        bool
	}{
		{"none", "", 0, true},
		{"ends before the default due day", "2026-08-05", 0, true},
		{"ends the day before the due day", "2026-08-09", 10, true},
		{"ends on the due day", "2026-08-10", 10, false},
		{"ends on the default due day", "2026-08-10", 0, false},
		{"ends on an earlier due day", "2026-08-05", 5, false},
		{"ends before a later due day", "2026-08-10", 20, true},
		{"ends in July", "2026-07-31", 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var excs []*record.Record
			if tt.expires != "" {
				excs = append(excs, exception(t, "x", "q", "scan.full_age", tt.expires))
			}
			ws, err := Compute(Input{Tree: tree, Devices: devs, Exceptions: excs, Period: "2026-09", Today: "2026-09-20", DueDay: tt.dueDay})
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range ws {
				warned = warned || w.Kind == NotReported && w.Device == "q"
			}
			if warned != tt.warned {
				t.Errorf("warned %v, want %v: %+v", warned, tt.warned, ws)
			}
		})
	}
	// The calendar says what is wrong with a due day; the look ahead says
	// it was asking.
	_, err := Compute(Input{Tree: tree, Devices: devs, Period: "2026-09", Today: "2026-09-20", DueDay: -1})
	if err == nil || !strings.HasPrefix(err.Error(), "look ahead: ") || !strings.Contains(err.Error(), "-1") {
		t.Errorf("due day -1: error %v", err)
	}
}

// TestLinux: a Linux device is looked up by distribution in any case, as
// os.supported lowers both the table's names and the os_name of the report,
// else of the device.
func TestLinux(t *testing.T) {
	const linux = `os_support:
  linux:
    Debian:
      - {name: Debian 12 bookworm, min: "12", below: "13", end_of_support: "2026-10-20"}
    ubuntu:
      - {name: Ubuntu 24.04 LTS, min: "24.04", below: "24.05", end_of_support: "2026-10-15"}
`
	tree := fstest.MapFS{"policies/config/data.yaml": {Data: []byte(linux)}}
	devs := map[string]*record.Record{
		"deb": device(t, "deb", "linux", "12", "os_name: debian\n"),
		"ubu": device(t, "ubu", "linux", "24.04", "os_name: Ubuntu\n"),
		// The report's os_name counts over the device's.
		"moved": device(t, "moved", "linux", "12", "os_name: debian\n"),
	}
	tree["reports/2026-08/deb.yaml"] = report("12")
	tree["reports/2026-08/ubu.yaml"] = report("24.04")
	tree["reports/2026-08/moved.yaml"] = &fstest.MapFile{Data: []byte("os_version: \"24.04\"\nos_name: UBUNTU\n")}
	ws, err := Compute(Input{Tree: tree, Devices: devs, Period: "2026-09", Today: "2026-09-01"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, fmt.Sprintf("%s %s %s %d", w.Device, w.Kind, w.Date, w.Days))
	}
	want := []string{
		"deb os_end_of_support 2026-10-20 49",
		"moved os_end_of_support 2026-10-15 44",
		"ubu os_end_of_support 2026-10-15 44",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
