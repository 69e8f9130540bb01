package overview

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var jst = time.FixedZone("JST", 9*3600)

func personYAML(id, sup, dept string) string {
	s := fmt.Sprintf("id: %s\nname: Person %s\ngithub: gh-%s\nemail: %s@example.com\ndepartment: %s\nrole: employee\nactive: true\n", id, id, id, id, dept)
	if sup != "" {
		s += "supervisor: " + sup + "\n"
	}
	return s
}

func deviceYAML(id, owner string, n int, status string) string {
	s := fmt.Sprintf("id: %s\nowner: %s\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model\nos_version: \"10.0.26200\"\nwifi_macs:\n  - mac: \"3c:22:fb:00:00:%02x\"\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: 2025-12-01\n", id, owner, n)
	if status == "retired" {
		return s + "status: retired\nretirement:\n  date: 2025-12-20\n  reason: Broken\n  data_disposition: wiped\n"
	}
	return s + "status: active\n"
}

// reportYAML is a February report of dev, dated on, with signatures that
// many days old and the screen lock after lock minutes.
func reportYAML(dev, reporter string, n int, on time.Time, sigDays, lock int) string {
	d := on.Format(time.DateOnly)
	return fmt.Sprintf("period: \"2026-02\"\ndevice: %s\nreporter: %s\nos_version: \"10.0.26200\"\nantivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: %s\nlast_quick_scan: %s\nlast_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: %d\njailbroken: false\nwifi_mac: \"3c:22:fb:00:00:%02x\"\n",
		dev, reporter, on.AddDate(0, 0, -sigDays).Format(time.DateOnly), d, on.AddDate(0, 0, -10).Format(time.DateOnly), lock, n)
}

// february builds an organisation in February 2026: d1 passing, d2 with a
// warning, d3 failing and late, d4 missing with an exception in force, d5
// missing (in review when asked), d6 retired and d9 of an inactive person.
func february(t *testing.T) string {
	b := gittest.NewBuilder(t)
	b.AddFS(posture.Defaults)
	b.Files["posture.yaml"] = "organization: Overview <Test> Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"
	b.Files["people/e1.yaml"] = personYAML("e1", "", "Management")
	b.Files["people/e2.yaml"] = personYAML("e2", "e1", "Sales")
	b.Files["people/e3.yaml"] = personYAML("e3", "e1", "Engineering")
	b.Files["people/e9.yaml"] = strings.Replace(personYAML("e9", "e1", "Sales"), "active: true", "active: false", 1)
	b.Files["people/a1.yaml"] = strings.Replace(personYAML("a1", "e1", "IT"), "role: employee", "role: it-admin", 1)
	for i, d := range []struct{ id, owner, status string }{{"d1", "e1", ""}, {"d2", "e2", ""}, {"d3", "e3", ""},
		{"d4", "e3", ""}, {"d5", "e2", ""}, {"d6", "e2", "retired"}, {"d9", "e9", ""}} {
		b.Files["devices/"+d.id+".yaml"] = deviceYAML(d.id, d.owner, i+1, d.status)
	}
	b.Files["policies/exceptions/exc-1.yaml"] = "id: exc-1\nrule: os.supported\ndevice: d4\nreason: Away for repair\napproved_by: a1\nexpires: 2026-12-31\n"
	main := b.Commit("Set up\n", "Admin <a1@example.com>", time.Date(2026, 1, 20, 9, 0, 0, 0, jst))
	for _, r := range []struct {
		dev, who    string
		n, day, sig int
		lock        int
	}{{"d1", "e1", 1, 5, 0, 5}, {"d2", "e2", 2, 6, 5, 5}, {"d3", "e3", 3, 15, 0, 30}} {
		on := time.Date(2026, 2, r.day, 9, 0, 0, 0, jst)
		b.Files["reports/2026-02/"+r.dev+".yaml"] = reportYAML(r.dev, r.who, r.n, on, r.sig, r.lock)
		main = b.Commit("Report "+r.dev+"\n", "Person "+r.who+" <"+r.who+"@example.com>", on, main)
	}
	b.Ref("refs/heads/main", main)
	return b.Dir
}

func build(t *testing.T, dir string, inReview map[string]int) *Overview {
	t.Helper()
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	o, err := Build(context.Background(), Options{Repo: r, Period: "2026-02", InReview: inReview})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBuild(t *testing.T) {
	o := build(t, february(t), map[string]int{"reports/2026-02/d5.yaml": 12})
	var got []string
	for _, d := range o.Devices {
		got = append(got, fmt.Sprintf("%s %s %s %s %s %v late=%v pr=%d", d.Department, d.Employee, d.Device, d.State, d.Result, d.Rules, d.Late, d.PullRequest))
	}
	want := []string{
		"Engineering e3 d3 merged fail [device.screen_lock] late=true pr=0",
		"Engineering e3 d4 missing  [] late=false pr=0",
		"Management e1 d1 merged pass [] late=false pr=0",
		"Sales e2 d2 merged warn [scan.signatures_fresh] late=false pr=0",
		"Sales e2 d5 in_review  [] late=false pr=12",
	}
	if !slices.Equal(got, want) {
		t.Errorf("devices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := o.Devices[1]; !slices.Equal(d.Exceptions, []string{"exc-1"}) {
		t.Errorf("d4's exceptions: %q", d.Exceptions)
	}
	if o.Devices[0].Accepted != "2026-02-15" || o.Due != "2026-02-10" {
		t.Errorf("d3 accepted %s, due %s", o.Devices[0].Accepted, o.Due)
	}
	tot := o.Totals
	if tot.Devices != 5 || tot.Employees != 3 || tot.Merged != 3 || tot.InReview != 1 || tot.Missing != 1 || tot.Passing != 1 ||
		tot.Warnings != 1 || tot.Failing != 1 || tot.Late != 1 || tot.Excepted != 1 || len(o.Departments) != 3 {
		t.Errorf("totals %+v, %d departments", tot, len(o.Departments))
	}
	var order []string
	for _, f := range o.FollowUp {
		order = append(order, f.Reason+" "+f.Device)
	}
	// Failing first, then missing (in review or not), then late; d3 is
	// late too but already listed as failing.
	if want := []string{"failing d3", "missing d4", "missing d5"}; !slices.Equal(order, want) {
		t.Errorf("follow-up %q, want %q", order, want)
	}
	// Without GitHub, d5 is plainly missing.
	o = build(t, february(t), nil)
	if o.Devices[4].State != Missing || o.GitHub {
		t.Errorf("offline: %+v", o.Devices[4])
	}
}

func TestGolden(t *testing.T) {
	o := build(t, february(t), map[string]int{"reports/2026-02/d5.yaml": 12})
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, o); err != nil {
				t.Fatal(err)
			}
			// The fixture holds the shipped policies: keep their edits from
			// changing the golden files through the commit hashes.
			out := gittest.StableHashes(buf.Bytes())
			path := filepath.Join("testdata", format, "february."+format)
			if *update {
				_ = os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s differs from the output; run go test ./internal/overview -args -update and review the diff", path)
			}
		})
	}
}

func TestBuildInput(t *testing.T) {
	r, err := gitrepo.Open(february(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, o := range []Options{{Repo: r, Period: "2026-2"}, {Repo: r, Period: "2026-02", Rev: "nope"}} {
		if _, err := Build(context.Background(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestSafeCSVAndMarkdownCell(t *testing.T) {
	if got := SafeCSV([]string{"=SUM(A1)", "-1", "ok", ""}); !slices.Equal(got, []string{"'=SUM(A1)", "'-1", "ok", ""}) {
		t.Errorf("SafeCSV: %q", got)
	}
	if got := MarkdownCell("a|b <i>*x*</i>\nc"); got != `a\|b \<i\>\*x\*\</i\><br>c` {
		t.Errorf("MarkdownCell: %q", got)
	}
}
