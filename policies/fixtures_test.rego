# METADATA
# title: test fixtures
# description: |
#   A small registry and clean records shared by the rule tests. It lives in
#   a _test.rego file so that posture never loads it as policy.
package posture.fixtures

ref_date := "2026-11-22"

registry := {
	"people": {
		"alice": {"id": "alice", "github": "alice-gh", "active": true, "role": "employee", "supervisor": "bob"},
		"bob": {"id": "bob", "github": "Bob-Admin", "active": true, "role": "it-admin"},
		"carol": {"id": "carol", "github": "carol", "active": false, "role": "it-admin", "supervisor": "bob"},
		"dave": {"id": "dave", "github": "dave", "active": true, "role": "auditor", "supervisor": "bob"},
	},
	"devices": {
		"d-win": device("windows", {"mac": "00-1B-21-00-11-22", "kind": "burned_in", "ssid": "CORP-WIFI"}),
		"d-mac": device("macos", {"mac": "a4:83:e7:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"}),
		"d-ios": device("ios", {"mac": "3A:BB:CC:00:11:22", "kind": "private_fixed", "ssid": "CORP-WIFI"}),
		"d-android": device("android", {"mac": "f0:99:b6:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"}),
		"d-linux": object.union(device("linux", {"mac": "00:1b:21:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"}), {"os_name": "Ubuntu"}),
		"d-guest": device("android", {"mac": "3e:00:00:00:00:07", "kind": "private_fixed", "ssid": "GUEST"}),
		"d-old": object.union(device("windows", {"mac": "00:1b:21:00:00:02", "kind": "burned_in", "ssid": "CORP-WIFI"}), {
			"status": "retired",
			"retirement": {"date": "2026-10-15", "reason": "broken", "data_disposition": "wiped"},
		}),
	},
}

device(platform, mac) := {
	"owner": "alice",
	"ownership": "byod",
	"type": "laptop",
	"platform": platform,
	"model": "test model",
	"os_version": "1",
	"wifi_macs": [mac],
	"registered": "2026-01-10",
	"status": "active",
}

# A clean Windows report for November 2026.
report := {
	"period": "2026-11",
	"device": "d-win",
	"reporter": "alice",
	"os_version": "10.0.26200",
	"antivirus": "Microsoft Defender",
	"real_time_protection": true,
	"signatures_updated": "2026-11-21",
	"last_quick_scan": "2026-11-21",
	"last_full_scan": "2026-11-01",
	"threats_found": 1,
	"threats_resolved": 1,
	"disk_encryption": true,
	"screen_lock_minutes": 5,
	"jailbroken": false,
	"wifi_mac": "00:1b:21:00:11:22",
}

# A clean iOS report: no antivirus on iOS.
ios_report := {
	"period": "2026-11",
	"device": "d-ios",
	"reporter": "alice",
	"os_version": "26.1",
	"antivirus": "not_applicable",
	"disk_encryption": true,
	"screen_lock_minutes": 2,
	"jailbroken": false,
	"wifi_mac": "3a:bb:cc:00:11:22",
}

# report_input is the input for a report record at its proper path.
report_input(record) := {
	"kind": "report",
	"path": sprintf("reports/%s/%s.yaml", [record.period, record.device]),
	"ref_date": ref_date,
	"record": record,
}

# patched is the Windows report, at its path, with some fields replaced.
patched(fields) := at_report_path(object.union(report, fields))

# without is the Windows report, at its path, with a field removed.
without(field) := at_report_path(object.remove(report, [field]))

at_report_path(record) := object.union(object.remove(report_input(report), ["record"]), {"record": record})

# rules is the set of rule ids of a set of violations.
rules(vs) := {v.rule | some v in vs}

# record_input is the input for a registry record of kind at path.
record_input(kind, path, record) := {"kind": kind, "path": path, "ref_date": ref_date, "record": record}

# device_input is the device d-win's record with some fields replaced.
device_input(fields) := record_input("device", "devices/d-win.yaml", object.union(object.union(registry.devices["d-win"], {"id": "d-win"}), fields))

# person_input is alice's record with some fields replaced.
person_input(fields) := record_input("person", "people/alice.yaml", object.union(registry.people.alice, fields))

# An approved exception.
exception := {
	"id": "x-win-os",
	"rule": "os.supported",
	"device": "d-win",
	"reason": "the vendor's update breaks the lab software",
	"approved_by": "bob",
	"expires": "2026-12-31",
}

exception_input(fields) := record_input("exception", "policies/exceptions/x-win-os.yaml", object.union(exception, fields))
