// Package synth generates synthetic posture organisations for benchmarks:
// N employees with one device each and one month of reports, a known share
// of which fail the scan-age, OS-version and registered-MAC rules.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options of a generated organisation.
type Options struct {
	// Employees is how many people (and devices, and reports) to make.
	Employees int
	// Period of the reports, YYYY-MM; its due day is the 10th.
	Period string
	// FailShare is the share of reports failing each of scan age, OS version
	// and registered MAC (default 0.05).
	FailShare float64
	// Seed makes the organisation reproducible.
	Seed uint64
}

// Expect says which reports the generator made to fail, by path relative to
// the organisation's root, with the rule each must fail.
type Expect map[string]string

// Generate writes an organisation into dir (which must exist) and returns
// the failing reports it planted.
func Generate(dir string, o Options) (Expect, error) {
	if o.Period == "" {
		o.Period = "2026-11"
	}
	if o.FailShare == 0 {
		o.FailShare = 0.05
	}
	rng := rand.New(rand.NewPCG(o.Seed, 42))
	for _, d := range []string{"people", "devices", filepath.Join("reports", o.Period)} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	write := func(p, s string) error { return os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644) }
	if err := write("posture.yaml", "organization: Synthetic Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n"); err != nil {
		return nil, err
	}
	expect := Expect{}
	for i := range o.Employees {
		id := fmt.Sprintf("e%06d", i)
		sup := ""
		if i > 0 {
			sup = fmt.Sprintf("supervisor: e%06d\n", (i-1)/10)
		}
		person := fmt.Sprintf("id: %s\nname: Person %d\ngithub: user-%d\nemail: %s@example.com\ndepartment: Dept %d\n%srole: employee\nactive: true\n",
			id, i, i, id, i%20, sup)
		if err := write(filepath.Join("people", id+".yaml"), person); err != nil {
			return nil, err
		}
		dev := "d-" + id
		mac := fmt.Sprintf("3c:22:%02x:%02x:%02x:%02x", byte(i>>24), byte(i>>16), byte(i>>8), byte(i))
		platform, osv := "windows", "10.0.26200"
		if i%3 == 1 {
			platform, osv = "macos", "26.1"
		}
		device := fmt.Sprintf("id: %s\nowner: %s\nownership: byod\ntype: laptop\nplatform: %s\nmodel: Model %d\nos_version: %q\nwifi_macs:\n  - mac: %q\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: 2026-01-15\nstatus: active\n",
			dev, id, platform, i%7, osv, mac)
		if err := write(filepath.Join("devices", dev+".yaml"), device); err != nil {
			return nil, err
		}
		full, repMac, repOS := "2026-10-20", mac, osv
		path := filepath.ToSlash(filepath.Join("reports", o.Period, dev+".yaml"))
		switch r := rng.Float64(); {
		case r < o.FailShare:
			full = "2026-08-01"
			expect[path] = "scan.full_age"
		case r < 2*o.FailShare:
			if platform == "windows" {
				repOS = "10.0.19045"
			} else {
				repOS = "13.6"
			}
			expect[path] = "os.supported"
		case r < 3*o.FailShare:
			repMac = fmt.Sprintf("a4:83:e7:%02x:%02x:%02x", byte(i>>16), byte(i>>8), byte(i))
			expect[path] = "mac.registered"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "period: %q\ndevice: %s\nreporter: %s\nos_version: %q\n", o.Period, dev, id, repOS)
		fmt.Fprintf(&b, "antivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: 2026-11-09\n")
		if platform == "windows" {
			b.WriteString("last_quick_scan: 2026-11-08\n")
		}
		fmt.Fprintf(&b, "last_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: 5\njailbroken: false\nwifi_mac: %q\n", full, repMac)
		if err := write(path, b.String()); err != nil {
			return nil, err
		}
	}
	return expect, nil
}
