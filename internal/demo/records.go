package demo

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// plain matches text that YAML reads back as the same string unquoted.
var plain = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 .,()/'-]*[A-Za-z0-9.)]$`)

// text writes s as a YAML scalar, quoted when it has to be.
func text(s string) string {
	if plain.MatchString(s) && !strings.Contains(s, " #") {
		return s
	}
	return strconv.Quote(s)
}

// personYAML is a person record.
func personYAML(p *person) []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=../schemas/person.schema.json\n")
	fmt.Fprintf(&b, "id: %s\nname: %s\ngithub: %s\nemail: %s\ndepartment: %s\n", p.ID, text(p.Name), p.Login, p.Email, text(p.Dept))
	if p.Supervisor != "" {
		fmt.Fprintf(&b, "supervisor: %s\n", p.Supervisor)
	}
	fmt.Fprintf(&b, "role: %s\nactive: %t\n", p.Role, p.Active)
	return b.Bytes()
}

// withSupervisor adds a supervisor to a person record that has none,
// before its role (or at the end).
func withSupervisor(data []byte, id string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "role:") {
			return []byte(strings.Join(lines[:i], "") + "supervisor: " + id + "\n" + strings.Join(lines[i:], ""))
		}
	}
	s := string(data)
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s + "supervisor: " + id + "\n")
}

// retirement is how a device left service.
type retirement struct {
	date, reason, disposition string
}

// deviceYAML is a device record, registered on day.
func deviceYAML(d *device, day, ssid string, ret *retirement) []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=../schemas/device.schema.json\n")
	fmt.Fprintf(&b, "id: %s\nowner: %s\nownership: %s\ntype: %s\nplatform: %s\nmodel: %s\n", d.ID, d.Owner, d.Ownership, d.Type, d.Platform, text(d.Model))
	if d.OSName != "" {
		fmt.Fprintf(&b, "os_name: %s\n", d.OSName)
	}
	fmt.Fprintf(&b, "os_version: %q\nwifi_macs:\n", d.registeredOS)
	for _, m := range d.macs {
		fmt.Fprintf(&b, "  - mac: %q\n    kind: %s\n    ssid: %s\n", m.Addr, m.Kind, text(ssid))
	}
	fmt.Fprintf(&b, "registered: %s\n", day)
	if ret == nil {
		b.WriteString("status: active\n")
		return b.Bytes()
	}
	fmt.Fprintf(&b, "status: retired\nretirement:\n  date: %s\n  reason: %s\n  data_disposition: %s\n", ret.date, text(ret.reason), ret.disposition)
	return b.Bytes()
}

// scan is what a device shows when its owner fills in a report.
type scan struct {
	os       string
	on       time.Time // the day the owner writes the report
	fullAgo  int       // days since the last full scan
	quickAgo int       // days since the last quick scan
	lock     int       // screen lock minutes
	threats  int       // found and resolved
	concerns string
}

// reportYAML is d's report for period.
func reportYAML(d *device, period string, s scan) []byte {
	day := func(ago int) string { return dateOf(s.on.AddDate(0, 0, -ago)) }
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=../../schemas/report.schema.json\n")
	fmt.Fprintf(&b, "period: %q\ndevice: %s\nreporter: %s\n", period, d.ID, d.Owner)
	if d.OSName != "" {
		fmt.Fprintf(&b, "os_name: %s\n", d.OSName)
	}
	fmt.Fprintf(&b, "os_version: %q\n", s.os)
	if d.Platform == "android" {
		// The vendor's patch of the month before.
		y, m, _ := s.on.Date()
		fmt.Fprintf(&b, "security_patch: %s\n", dateOf(time.Date(y, m-1, 5, 0, 0, 0, 0, time.UTC)))
	}
	av := antivirus[d.Platform]
	fmt.Fprintf(&b, "antivirus: %s\n", text(av))
	if av != "not_applicable" {
		fmt.Fprintf(&b, "real_time_protection: true\nsignatures_updated: %s\n", day(0))
		if d.Platform == "windows" {
			fmt.Fprintf(&b, "last_quick_scan: %s\n", day(s.quickAgo))
		}
		fmt.Fprintf(&b, "last_full_scan: %s\nthreats_found: %d\nthreats_resolved: %d\n", day(s.fullAgo), s.threats, s.threats)
	}
	fmt.Fprintf(&b, "disk_encryption: true\nscreen_lock_minutes: %d\njailbroken: false\nwifi_mac: %q\n", s.lock, d.reportedMAC())
	if s.concerns != "" {
		fmt.Fprintf(&b, "concerns: %s\n", text(s.concerns))
	}
	return b.Bytes()
}

// exceptionYAML is an exception record.
func exceptionYAML(id, rule, device, reason, approver, expires string) []byte {
	return fmt.Appendf(nil, "# yaml-language-server: $schema=../../schemas/exception.schema.json\nid: %s\nrule: %s\ndevice: %s\nreason: %s\napproved_by: %s\nexpires: %s\n",
		id, rule, device, text(reason), approver, expires)
}
