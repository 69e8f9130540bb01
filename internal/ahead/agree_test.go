package ahead_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/ahead"
	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/overview"
	"github.com/posture-dev/posture/internal/record"
)

// TestAgreesWithPolicies: for every dated line of the shipped OS table, a
// device on that version is warned about on its last day of support and
// not the day after, and the policies' os.supported passes its report on
// that last day and fails it the day after. The Go reading of the table
// and the Rego one agree.
func TestAgreesWithPolicies(t *testing.T) {
	ctx := context.Background()
	tree := fstest.MapFS{}
	err := fs.WalkDir(posture.Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		tree[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tree["posture.yaml"] = &fstest.MapFile{Data: []byte("organization: Test Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n")}
	tree["people/e1.yaml"] = &fstest.MapFile{Data: []byte("id: e1\nname: Person One\ngithub: gh-e1\nemail: e1@example.com\ndepartment: Sales\nrole: employee\nactive: true\n")}
	tables, err := ahead.ReadTables(tree)
	if err != nil {
		t.Fatal(err)
	}
	type dated struct{ device, version, end string }
	var cases []dated
	for key, es := range tables {
		platform, distro, _ := strings.Cut(key, "/")
		for i, e := range es {
			if e.End == "" {
				continue
			}
			id := fmt.Sprintf("d-%s-%d", strings.ReplaceAll(key, "/", "-"), i)
			dev := fmt.Sprintf("id: %s\nowner: e1\nownership: byod\ntype: laptop\nplatform: %s\nmodel: Model\nos_version: %q\nwifi_macs:\n  - mac: \"3c:22:fb:00:00:%02x\"\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: 2020-01-01\nstatus: active\n",
				id, platform, e.Min, len(cases))
			if distro != "" {
				dev += "os_name: " + distro + "\n"
			}
			tree["devices/"+id+".yaml"] = &fstest.MapFile{Data: []byte(dev)}
			tree["reports/2026-01/"+id+".yaml"] = &fstest.MapFile{Data: fmt.Appendf(nil,
				"period: \"2026-01\"\ndevice: %s\nreporter: e1\nos_version: %q\nantivirus: not_applicable\ndisk_encryption: true\nscreen_lock_minutes: 5\njailbroken: false\nwifi_mac: \"3c:22:fb:00:00:%02x\"\n",
				id, e.Min, len(cases))}
			cases = append(cases, dated{id, e.Min, e.End})
		}
	}
	if len(cases) < 10 {
		t.Fatalf("only %d dated lines in the shipped OS table", len(cases))
	}
	j, err := check.NewJudge(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	dayAfter := func(d string) string {
		x, _ := time.Parse(time.DateOnly, d)
		return x.AddDate(0, 0, 1).Format(time.DateOnly)
	}
	for _, c := range cases {
		t.Run(c.device, func(t *testing.T) {
			path := "reports/2026-01/" + c.device + ".yaml"
			for _, tt := range []struct {
				day  string
				fail bool
			}{{c.end, false}, {dayAfter(c.end), true}} {
				fs, err := j.Check(ctx, tree, []string{path}, func(string) string { return tt.day })
				if err != nil {
					t.Fatal(err)
				}
				failed := false
				for _, f := range fs {
					failed = failed || f.Rule == "os.supported"
				}
				if failed != tt.fail {
					t.Errorf("on %s os.supported fails: %v, want %v (%v)", tt.day, failed, tt.fail, fs)
				}
				devs := map[string]*record.Record{c.device: j.Devices()[c.device]}
				ws, err := ahead.Compute(ahead.Input{Tree: tree, Devices: devs, Period: tt.day[:7], Today: tt.day})
				if err != nil {
					t.Fatal(err)
				}
				warned := false
				for _, w := range ws {
					warned = warned || w.Kind == ahead.OSEndOfSupport && w.Date == c.end
				}
				if warned == tt.fail {
					t.Errorf("on %s warned %v; os.supported fails %v", tt.day, warned, tt.fail)
				}
			}
		})
	}
}

// TestAgreesWithOverview: a device is warned about as not reported exactly
// when the overview counts it as in use (overview.ActiveIn over the whole
// month) in the two periods before the period and in the period itself, and
// it has no report for any of them. The devices are registered and retired
// on the 1st, the 15th and the last day of the months around them, whatever
// day of the period it is.
func TestAgreesWithOverview(t *testing.T) {
	tree := fstest.MapFS{}
	for _, period := range []string{"2026-09", "2026-03"} { // 2026-03: February's last day is the 28th
		first, _ := time.Parse("2006-01", period)
		var days []string
		for m := -3; m <= 0; m++ {
			start := first.AddDate(0, m, 0)
			for _, d := range []time.Time{start, start.AddDate(0, 0, 14), start.AddDate(0, 1, -1)} {
				days = append(days, d.Format(time.DateOnly))
			}
		}
		devs := map[string]*record.Record{}
		want := map[string]bool{}
		for _, reg := range days {
			for _, ret := range append([]string{""}, days...) {
				if ret != "" && ret < reg {
					continue
				}
				id, src := "d-"+reg, "registered: "+reg+"\nstatus: active\n"
				if ret != "" {
					id, src = id+"-retired-"+ret, "registered: "+reg+"\nstatus: retired\nretirement: {date: "+ret+"}\n"
				}
				d, fs := record.Parse("devices/"+id+".yaml", record.Device,
					[]byte("id: "+id+"\nowner: e1\nplatform: windows\nos_version: \"10.0.26200\"\n"+src))
				if d == nil || len(fs) > 0 {
					t.Fatalf("%s: %v", id, fs)
				}
				devs[id] = d
				want[id] = true
				for m := -2; m <= 0; m++ {
					start := first.AddDate(0, m, 0)
					want[id] = want[id] && overview.ActiveIn(d, start, start.AddDate(0, 1, 0))
				}
			}
		}
		for _, today := range []string{period + "-01", period + "-15", first.AddDate(0, 1, -1).Format(time.DateOnly)} {
			t.Run(today, func(t *testing.T) {
				ws, err := ahead.Compute(ahead.Input{Tree: tree, Devices: devs, Period: period, Today: today})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, w := range ws {
					got[w.Device] = got[w.Device] || w.Kind == ahead.NotReported
				}
				for id := range devs {
					if got[id] != want[id] {
						t.Errorf("%s: warned not reported %v; the overview counts it in use in the last three periods %v", id, got[id], want[id])
					}
				}
			})
		}
	}
}
