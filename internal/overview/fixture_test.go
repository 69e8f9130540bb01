package overview

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

var jst = time.FixedZone("JST", 9*3600)

// february20 is when the tests read the calendar: ten days after the due
// day of 2026-02.
var february20 = time.Date(2026, 2, 20, 9, 0, 0, 0, jst)

func personYAML(id, name, sup, dept string) string {
	s := fmt.Sprintf("id: %s\nname: %s\ngithub: gh-%s\nemail: %s@example.com\ndepartment: %s\nrole: employee\nactive: true\n", id, name, id, id, dept)
	if sup != "" {
		s += "supervisor: " + sup + "\n"
	}
	return s
}

func deviceYAML(id, owner string, n int, registered, retired string) string {
	s := fmt.Sprintf("id: %s\nowner: %s\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model\nos_version: \"10.0.26200\"\nwifi_macs:\n  - mac: \"3c:22:fb:00:%02x:%02x\"\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: %s\n",
		id, owner, n/256, n%256, registered)
	if retired != "" {
		return s + "status: retired\nretirement:\n  date: " + retired + "\n  reason: Broken\n  data_disposition: wiped\n"
	}
	return s + "status: active\n"
}

// reportYAML is a report of dev for period, dated on, with signatures that
// many days old and the screen lock after lock minutes.
func reportYAML(period, dev, reporter string, n int, on time.Time, sigDays, lock int) string {
	d := on.Format(time.DateOnly)
	return fmt.Sprintf("period: %q\ndevice: %s\nreporter: %s\nos_version: \"10.0.26200\"\nantivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: %s\nlast_quick_scan: %s\nlast_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: %d\njailbroken: false\nwifi_mac: \"3c:22:fb:00:%02x:%02x\"\n",
		period, dev, reporter, on.AddDate(0, 0, -sigDays).Format(time.DateOnly), d, on.AddDate(0, 0, -10).Format(time.DateOnly), lock, n/256, n%256)
}

// report is one report the fixture commits: on day of the month of period
// index i of the window (0 is 2025-03, 11 is 2026-02).
type report struct {
	dev, who  string
	i, day    int
	sig, lock int
	pull      int // merged from this pull request; 0 for a direct commit
}

// organisation is the fixture of the overview's tests, over the window
// 2025-03 to 2026-02 (due on the 10th, in Tokyo):
//
//	Engineering  e3 (supervised by e1): d3 reported each month on the 8th but not
//	             in 2025-11; February's fails (screen lock) and came on the 15th.
//	             d4 never reported, an exception in force.
//	             e4 (supervised by e3): d7 registered 2025-10-15, late in October,
//	             on time until January, February missing.
//	Management   e1: d1 on time every month, through pull requests.
//	Sales        e2 (supervised by e1): d2 with a warning (old signatures), late in
//	             2025-07 and in February; d5 on time until January, February in
//	             review in pull request #12 when GitHub is asked; d6 retired on
//	             2025-12-20, missing in December.
//	             e5 (supervised by e2): d8 on time every month.
//	             e9 has left: d9 is not counted.
//
// It returns the repository's folder and the last commit of January, a
// tree in which no report of February is in yet.
func organisation(t *testing.T) (dir string, january plumbing.Hash) {
	b := gittest.NewBuilder(t)
	// No policies or schemas of its own: the built-in ones judge, and the
	// commits stay small.
	b.Files["posture.yaml"] = "organization: Overview <Test> Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"
	b.Files["people/e1.yaml"] = personYAML("e1", "Erika Ito", "", "Management")
	b.Files["people/e2.yaml"] = personYAML("e2", "Sam Sato", "e1", "Sales")
	b.Files["people/e3.yaml"] = personYAML("e3", "Dana Kato", "e1", "Engineering")
	b.Files["people/e4.yaml"] = personYAML("e4", "Kim Mori", "e3", "Engineering")
	b.Files["people/e5.yaml"] = personYAML("e5", "Lee Abe", "e2", "Sales")
	b.Files["people/e9.yaml"] = strings.Replace(personYAML("e9", "Gone Person", "e1", "Sales"), "active: true", "active: false", 1)
	b.Files["people/a1.yaml"] = strings.Replace(personYAML("a1", "Admin One", "e1", "IT"), "role: employee", "role: it-admin", 1)
	for i, d := range []struct{ id, owner, registered, retired string }{
		{"d1", "e1", "2025-01-01", ""}, {"d2", "e2", "2025-01-01", ""}, {"d3", "e3", "2025-01-01", ""},
		{"d4", "e3", "2025-01-01", ""}, {"d5", "e2", "2025-01-01", ""}, {"d6", "e2", "2025-01-01", "2025-12-20"},
		{"d7", "e4", "2025-10-15", ""}, {"d8", "e5", "2025-01-01", ""}, {"d9", "e9", "2025-01-01", ""},
	} {
		b.Files["devices/"+d.id+".yaml"] = deviceYAML(d.id, d.owner, i+1, d.registered, d.retired)
	}
	b.Files["policies/exceptions/exc-1.yaml"] = "id: exc-1\nrule: os.supported\ndevice: d4\nreason: Away for repair\napproved_by: a1\nexpires: 2026-12-31\n"
	main := b.Commit("Set up\n", "Admin <a1@example.com>", time.Date(2025, 2, 20, 9, 0, 0, 0, jst))

	var reports []report
	for i := range Window {
		reports = append(reports, report{"d1", "e1", i, 5, 0, 5, 100 + i}, report{"d8", "e5", i, 9, 0, 5, 0})
		if day := map[int]int{4: 14, 11: 12}[i]; day != 0 {
			reports = append(reports, report{"d2", "e2", i, day, 5, 5, 0})
		} else {
			reports = append(reports, report{"d2", "e2", i, 6, 5, 5, 0})
		}
		switch {
		case i == 11:
			reports = append(reports, report{"d3", "e3", i, 15, 0, 30, 200 + i})
		case i != 8:
			reports = append(reports, report{"d3", "e3", i, 8, 0, 5, 200 + i})
		}
		if i < 11 {
			reports = append(reports, report{"d5", "e2", i, 9, 0, 5, 300 + i}, report{"d9", "e9", i, 3, 0, 5, 0})
		}
		if i < 9 {
			reports = append(reports, report{"d6", "e2", i, 7, 0, 5, 0})
		}
		switch {
		case i == 7:
			reports = append(reports, report{"d7", "e4", i, 20, 0, 5, 0})
		case i > 7 && i < 11:
			reports = append(reports, report{"d7", "e4", i, 4, 0, 5, 0})
		}
	}
	numbers := map[string]int{"d1": 1, "d2": 2, "d3": 3, "d4": 4, "d5": 5, "d6": 6, "d7": 7, "d8": 8, "d9": 9}
	slices.SortStableFunc(reports, func(a, b report) int { return a.i*100 + a.day - b.i*100 - b.day })
	for _, r := range reports {
		on := time.Date(2025, time.Month(3+r.i), r.day, 9, 0, 0, 0, jst)
		period := on.Format("2006-01")
		path := "reports/" + period + "/" + r.dev + ".yaml"
		content := reportYAML(period, r.dev, r.who, numbers[r.dev], on, r.sig, r.lock)
		who := "Person " + r.who + " <" + r.who + "@example.com>"
		if r.pull == 0 {
			b.Files[path] = content
			main = b.Commit("Report "+r.dev+" for "+period+"\n", who, on, main)
		} else {
			side := b.Fork()
			side.Files[path] = content
			head := side.Commit("Report "+r.dev+" for "+period+"\n", who, on, main)
			b.Files[path] = content
			main = b.Commit(fmt.Sprintf("Merge pull request #%d from gh-%s/report\n\nReport %s for %s\n", r.pull, r.who, r.dev, period),
				"GitHub <noreply@github.com>", on.Add(time.Hour), main, head)
		}
		if period == "2026-01" {
			january = main
		}
	}
	b.Ref("refs/heads/main", main)
	return b.Dir, january
}

// build makes the overview of 2026-02 at opts.Rev (HEAD by default), read
// on 2026-02-20 unless opts.Now says otherwise.
func build(t *testing.T, dir string, opts Options) *Overview {
	t.Helper()
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	opts.Repo = r
	if opts.Period == "" {
		opts.Period = "2026-02"
	}
	if opts.Now.IsZero() {
		opts.Now = february20
	}
	o, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
