# METADATA
# title: test fixtures
# description: |
#   A small registry and clean records shared by the rule tests. It lives in
#   a _test.rego file so that posture never loads it as policy.
package posture.fixtures

ref_date := "2026-11-22"

# config stands in for data.config, the organisation's policy data: the
# rule tests run with it, never with the company's policies/config/data.yaml,
# so that a company that changes a threshold, an SSID or the OS table keeps
# them green.
config := {
	"thresholds": {
		"full_scan_max_days": 35,
		"quick_scan_max_days": 7,
		"signatures_max_days": 7,
		"signatures_warn_days": 3,
		"screen_lock_max_minutes": 15,
		"patch_max_days": 90,
	},
	"antivirus_platforms": ["windows", "macos", "linux", "android"],
	"quick_scan_platforms": ["windows"],
	"corporate_ssids": ["CORP-WIFI"],
	"os_support": {
		"windows": [
			{"name": "Windows 10 before 22H2", "min": "10.0.10240", "below": "10.0.19045", "end_of_support": "2023-06-13"},
			{"name": "Windows 10 22H2", "min": "10.0.19045", "below": "10.0.19046", "end_of_support": "2025-10-14"},
			{"name": "Windows 11 21H2", "min": "10.0.22000", "below": "10.0.22001", "end_of_support": "2023-10-10"},
			{"name": "Windows 11 22H2", "min": "10.0.22621", "below": "10.0.22622", "end_of_support": "2024-10-08"},
			{"name": "Windows 11 23H2", "min": "10.0.22631", "below": "10.0.22632", "end_of_support": "2025-11-11"},
			{"name": "Windows 11 24H2", "min": "10.0.26100", "below": "10.0.26101", "end_of_support": "2026-10-13"},
			{"name": "Windows 11 25H2", "min": "10.0.26200", "below": "10.0.26201", "end_of_support": "2027-10-12"},
		],
		"macos": [
			{"name": "macOS 12 Monterey and older", "min": "0", "below": "13", "end_of_support": "2024-09-16"},
			{"name": "macOS 13 Ventura", "min": "13", "below": "14", "end_of_support": "2025-09-15"},
			{"name": "macOS 14 Sonoma", "min": "14", "below": "15", "end_of_support": "2026-09-15"},
			{"name": "macOS 15 Sequoia", "min": "15", "below": "16", "end_of_support": null},
			{"name": "macOS 26 Tahoe", "min": "26", "below": "27", "end_of_support": null},
			{"name": "macOS 27", "min": "27", "below": "28", "end_of_support": null},
		],
		"ios": [
			{"name": "iOS 16 and older", "min": "0", "below": "17", "end_of_support": "2024-09-16"},
			{"name": "iOS 17", "min": "17", "below": "18", "end_of_support": "2025-09-15"},
			{"name": "iOS 18", "min": "18", "below": "19", "end_of_support": "2026-09-15"},
			{"name": "iOS 26", "min": "26", "below": "27", "end_of_support": null},
			{"name": "iOS 27", "min": "27", "below": "28", "end_of_support": null},
		],
		"ipados": [
			{"name": "iPadOS 16 and older", "min": "0", "below": "17", "end_of_support": "2024-09-16"},
			{"name": "iPadOS 17", "min": "17", "below": "18", "end_of_support": "2025-09-15"},
			{"name": "iPadOS 18", "min": "18", "below": "19", "end_of_support": "2026-09-15"},
			{"name": "iPadOS 26", "min": "26", "below": "27", "end_of_support": null},
			{"name": "iPadOS 27", "min": "27", "below": "28", "end_of_support": null},
		],
		"android": [
			{"name": "Android 12 and older", "min": "0", "below": "13", "end_of_support": "2025-03-31"},
			{"name": "Android 13", "min": "13", "below": "14", "end_of_support": "2026-03-31"},
			{"name": "Android 14", "min": "14", "below": "15", "end_of_support": null},
			{"name": "Android 15", "min": "15", "below": "16", "end_of_support": null},
			{"name": "Android 16", "min": "16", "below": "17", "end_of_support": null},
		],
		"linux": {
			"ubuntu": [
				{"name": "Ubuntu 22.04 LTS", "min": "22.04", "below": "22.05", "end_of_support": "2027-06-01"},
				{"name": "Ubuntu 24.04 LTS", "min": "24.04", "below": "24.05", "end_of_support": "2029-05-31"},
			],
			"debian": [
				{"name": "Debian 11 bullseye and older", "min": "0", "below": "12", "end_of_support": "2024-08-14"},
				{"name": "Debian 12 bookworm", "min": "12", "below": "13", "end_of_support": "2026-06-10"},
				{"name": "Debian 13 trixie", "min": "13", "below": "14", "end_of_support": "2028-08-09"},
			],
			"fedora": [
				{"name": "Fedora 41 and older", "min": "0", "below": "42", "end_of_support": "2025-12-15"},
				{"name": "Fedora 42", "min": "42", "below": "43", "end_of_support": "2026-05-13"},
				{"name": "Fedora 43", "min": "43", "below": "44", "end_of_support": "2026-12-09"},
				{"name": "Fedora 44", "min": "44", "below": "45", "end_of_support": null},
			],
		},
	},
}

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
