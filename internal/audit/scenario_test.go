package audit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/evidence"
	"github.com/posture-dev/posture/internal/gitrepo/gittest"
)

var jst = time.FixedZone("JST", 9*3600)

// day is 10:00 in Tokyo on a day of 2026 (month 0 is December 2025).
func day(month, d int) time.Time {
	if month == 0 {
		return time.Date(2025, 12, d, 10, 0, 0, 0, jst)
	}
	return time.Date(2026, time.Month(month), d, 10, 0, 0, 0, jst)
}

func personYAML(id, sup, dept, role string) string {
	s := fmt.Sprintf("id: %s\nname: Person %s\ngithub: gh-%s\nemail: %s@example.com\ndepartment: %s\nrole: %s\nactive: true\n", id, id, id, id, dept, role)
	if sup != "" {
		s += "supervisor: " + sup + "\n"
	}
	return s
}

func deviceYAML(id, owner string, n int, registered, retired string) string {
	s := fmt.Sprintf("id: %s\nowner: %s\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model\nos_version: \"10.0.26200\"\nwifi_macs:\n  - mac: \"3c:22:fb:00:00:%02x\"\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: %s\n",
		id, owner, n, registered)
	if retired != "" {
		return s + "status: retired\nretirement:\n  date: " + retired + "\n  reason: Broken\n  data_disposition: wiped\n"
	}
	return s + "status: active\n"
}

func reportYAML(period, dev, reporter string, n int, on time.Time) string {
	d := on.Format(time.DateOnly)
	return fmt.Sprintf("period: %q\ndevice: %s\nreporter: %s\nos_version: \"10.0.26200\"\nantivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: %s\nlast_quick_scan: %s\nlast_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: 5\njailbroken: false\nwifi_mac: \"3c:22:fb:00:00:%02x\"\n",
		period, dev, reporter, d, d, on.AddDate(0, 0, -20).Format(time.DateOnly), n)
}

// org is the scenario's organisation: e1 at the top, e2 supervising e3
// and e4, contractor c1 and IT admin a1; devices d3 to d8.
func org(b *gittest.Builder) {
	b.AddFS(posture.Defaults)
	b.Files["posture.yaml"] = "organization: Audit Test Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"
	b.Files["people/e1.yaml"] = personYAML("e1", "", "Management", "employee")
	b.Files["people/e2.yaml"] = personYAML("e2", "e1", "Sales", "employee")
	b.Files["people/e3.yaml"] = personYAML("e3", "e2", "Sales", "employee")
	b.Files["people/e4.yaml"] = personYAML("e4", "e2", "Engineering", "employee")
	b.Files["people/c1.yaml"] = personYAML("c1", "e1", "Contractor", "contractor")
	b.Files["people/a1.yaml"] = personYAML("a1", "e1", "IT", "it-admin")
	b.Files["devices/d3.yaml"] = deviceYAML("d3", "e3", 3, "2025-12-01", "")
	b.Files["devices/d4.yaml"] = deviceYAML("d4", "e4", 4, "2025-12-01", "")
	b.Files["devices/d5.yaml"] = deviceYAML("d5", "e3", 5, "2026-01-20", "")
	b.Files["devices/d6.yaml"] = deviceYAML("d6", "e4", 6, "2025-11-01", "2025-12-15")
	b.Files["devices/d7.yaml"] = deviceYAML("d7", "e4", 7, "2025-12-01", "")
	b.Files["devices/d8.yaml"] = deviceYAML("d8", "e3", 8, "2025-12-01", "")
	b.Files["policies/exceptions/exc-1.yaml"] = "id: exc-1\nrule: os.supported\ndevice: d7\nreason: Away for repair\napproved_by: a1\nexpires: 2026-12-31\n"
}

// approve is an approval trailer by id on commit.
func approve(role, id string, at time.Time, commit plumbing.Hash) evidence.Approval {
	return evidence.Approval{Role: role, Approver: evidence.Person{ID: id, Login: "gh-" + id}, ReviewID: at.Unix() % 100000, At: at, Commit: commit.String()}
}

// pr commits a change made by edit on a branch from main and merges it
// with msg (built from the branch commit's hash) as the merge message.
func pr(b *gittest.Builder, main plumbing.Hash, who string, when time.Time, edit func(*gittest.Builder), msg func(side plumbing.Hash) string) plumbing.Hash {
	side := b.Fork()
	edit(side)
	sh := side.Commit("Report\n", who, when, main)
	edit(b)
	return b.Commit(msg(sh), "GitHub <noreply@github.com>", when.Add(time.Hour), main, sh)
}

// scenario builds the history the audit tests read, and returns the tip
// of main.
func scenario(t *testing.T) *gittest.Builder {
	b := gittest.NewBuilder(t)
	org(b)
	main := b.Commit("Set up the organisation\n", "Admin <a1@example.com>", day(0, 20))
	good := func(subject, sup string, paths ...string) func(plumbing.Hash) string {
		return func(side plumbing.Hash) string {
			at := day(1, 1)
			e := evidence.Evidence{PullRequest: len(b.Files), Reports: paths, Subject: evidence.Person{ID: subject, Login: "gh-" + subject},
				Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, sup, at, side), approve(evidence.RoleContractor, "c1", at, side)},
				Version:   "test", PolicyBase: main.String()}
			return e.Message("Merge pull request", "")
		}
	}
	report := func(p, dev, who string, n int, on time.Time) func(*gittest.Builder) {
		return func(x *gittest.Builder) { x.Files[p] = reportYAML(p[8:15], dev, who, n, on) }
	}
	// January: d3 accepted properly, on time.
	main = pr(b, main, "Person e3 <e3@example.com>", day(1, 5), report("reports/2026-01/d3.yaml", "d3", "e3", 3, day(1, 5)),
		good("e3", "e2", "reports/2026-01/d3.yaml"))
	// d4 pushed directly.
	report("reports/2026-01/d4.yaml", "d4", "e4", 4, day(1, 6))(b)
	main = b.Commit("Add my report\n", "Person e4 <e4@example.com>", day(1, 6), main)
	// d5, registered late in January, accepted late by the wrong supervisor
	// (e1, not e2) and with the contractor approving an older commit.
	main = pr(b, main, "Person e3 <e3@example.com>", day(1, 25), report("reports/2026-01/d5.yaml", "d5", "e3", 5, day(1, 25)),
		func(side plumbing.Hash) string {
			e := evidence.Evidence{PullRequest: 3, Reports: []string{"reports/2026-01/d5.yaml"}, Subject: evidence.Person{ID: "e3", Login: "gh-e3"},
				Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, "e1", day(1, 25), side),
					approve(evidence.RoleContractor, "c1", day(1, 25), plumbing.NewHash("1111111111111111111111111111111111111111"))},
				Version: "test", PolicyBase: main.String()}
			return e.Message("Merge pull request #3", "")
		})
	// The accepted d3 report is edited afterwards, without review.
	b.Files["reports/2026-01/d3.yaml"] = strings.Replace(b.Files["reports/2026-01/d3.yaml"], "screen_lock_minutes: 5", "screen_lock_minutes: 10", 1)
	main = b.Commit("Fix typo\n", "Person e2 <e2@example.com>", day(1, 28), main)
	// February: the full-scan limit drops to 5 days.
	b.Files["policies/config/data.yaml"] = strings.Replace(b.Files["policies/config/data.yaml"], "full_scan_max_days: 35", "full_scan_max_days: 5", 1)
	main = b.Commit("Tighten the full-scan limit\n", "Admin <a1@example.com>", day(2, 1), main)
	// d3's February report goes in by a merge without trailers.
	main = pr(b, main, "Person e3 <e3@example.com>", day(2, 3), report("reports/2026-02/d3.yaml", "d3", "e3", 3, day(2, 3)),
		func(plumbing.Hash) string { return "Merge branch 'report'\n" })
	// d4's February report: e4 approves it themselves, e2 signs as contractor.
	main = pr(b, main, "Person e4 <e4@example.com>", day(2, 4), report("reports/2026-02/d4.yaml", "d4", "e4", 4, day(2, 4)),
		func(side plumbing.Hash) string {
			e := evidence.Evidence{PullRequest: 5, Reports: []string{"reports/2026-02/d4.yaml"}, Subject: evidence.Person{ID: "e4", Login: "gh-e4"},
				Approvals: []evidence.Approval{approve(evidence.RoleSupervisor, "e4", day(2, 4), side), approve(evidence.RoleContractor, "e2", day(2, 4), side)},
				Version:   "test", PolicyBase: main.String()}
			return e.Message("Merge pull request #5", "")
		})
	// d5's February report is accepted under the new limit, which its
	// 20-day-old full scan fails.
	main = pr(b, main, "Person e3 <e3@example.com>", day(2, 6), report("reports/2026-02/d5.yaml", "d5", "e3", 5, day(2, 6)),
		good("e3", "e2", "reports/2026-02/d5.yaml"))
	// The accepted February d4 report is deleted; January's d5 is renamed.
	delete(b.Files, "reports/2026-02/d4.yaml")
	b.Files["reports/2026-01/d5-old.yaml"] = b.Files["reports/2026-01/d5.yaml"]
	delete(b.Files, "reports/2026-01/d5.yaml")
	main = b.Commit("Clean up\n", "Person e2 <e2@example.com>", day(2, 20), main)
	b.Ref("refs/heads/main", main)
	return b
}
