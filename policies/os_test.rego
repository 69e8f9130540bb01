package posture.rules.os_test

import data.posture.fixtures as f
import data.posture.rules.os

violations(doc) := vs if {
	vs := os.violation with input as doc with data.registry as f.registry with data.config as f.config
}

rules(doc) := f.rules(violations(doc))

# The Windows report moved to another device, with some fields replaced.
on(device, fields) := object.union(f.patched(fields), {"record": {"device": device}})

android(fields) := on("d-android", object.union({"os_version": "16", "security_patch": "2026-11-05"}, fields))

test_supported_versions_pass if {
	count(violations(f.report_input(f.report))) == 0
	count(violations(f.report_input(f.ios_report))) == 0
	count(violations(on("d-mac", {"os_version": "26.1"}))) == 0
	count(violations(on("d-mac", {"os_version": "15.7.2"}))) == 0
	count(violations(on("d-win", {"os_version": "10.0.26200.7171"}))) == 0
	count(violations(android({}))) == 0
	count(violations(on("d-linux", {"os_version": "24.04.1"}))) == 0
}

test_windows_10_out_of_support if {
	some v in violations(f.patched({"os_version": "10.0.19045"}))
	v.rule == "os.supported"
	v.field == ["os_version"]
	v.message == `os_version "10.0.19045" (Windows 10 22H2) went out of support on 2025-10-14; update to a supported version: Windows 11 25H2 (10.0.26200), and report again.`
}

test_windows_24h2_ends_after_2026_10_13 if {
	"os.supported" in rules(f.patched({"os_version": "10.0.26100"}))
	doc := object.union(f.patched({"os_version": "10.0.26100"}), {"ref_date": "2026-10-13"})
	not "os.supported" in rules(doc)
}

test_old_macos_out_of_support if {
	some v in violations(on("d-mac", {"os_version": "14.8"}))
	v.rule == "os.supported"
	contains(v.message, "(macOS 14 Sonoma) went out of support on 2026-09-15")
	contains(v.message, "macOS 15 Sequoia (15), macOS 26 Tahoe (26)")
}

test_ios_17_out_of_support if {
	doc := object.union(f.report_input(f.ios_report), {"record": {"os_version": "17.7"}})
	"os.supported" in rules(doc)
}

test_unknown_version_fails if {
	some v in violations(f.patched({"os_version": "10.0.9"}))
	v.rule == "os.supported"
	contains(v.message, `os_version "10.0.9" is unknown for windows`)
}

test_unreadable_version_fails if {
	some v in violations(on("d-mac", {"os_version": "Sequoia"}))
	v.rule == "os.supported"
	contains(v.message, "is not a version of numbers separated by dots")
}

test_missing_version_fails if {
	"os.supported" in rules(f.without("os_version"))
}

test_linux_distribution_from_report_wins if {
	some v in violations(on("d-linux", {"os_name": "debian", "os_version": "12.8"}))
	v.rule == "os.supported"
	contains(v.message, "(Debian 12 bookworm) went out of support on 2026-06-10")
	not "os.supported" in rules(on("d-linux", {"os_name": "Debian", "os_version": "13"}))
}

test_unknown_linux_distribution_fails if {
	some v in violations(on("d-linux", {"os_name": "arch", "os_version": "1"}))
	v.rule == "os.supported"
	v.field == ["os_name"]
	contains(v.message, `the linux distribution "arch" is not supported; supported: debian, fedora, ubuntu`)
}

test_linux_interim_release_unknown if {
	some v in violations(on("d-linux", {"os_version": "25.10"}))
	contains(v.message, `os_version "25.10" is unknown for linux ubuntu`)
}

test_linux_without_name_fails if {
	reg := object.union(f.registry, {"devices": {"d-linux": {"os_name": ""}}})
	vs := os.violation with input as on("d-linux", {"os_version": "24.04"}) with data.registry as reg with data.config as f.config
	{v.rule | some v in vs} == {"os.linux_name"}
}

test_old_android_patch_fails if {
	some v in violations(android({"security_patch": "2026-08-01"}))
	v.rule == "os.patch_level"
	v.message == `security_patch "2026-08-01" is 113 days before the report date 2026-11-22; the limit is 90 days. Install the latest system update and report again; if the vendor no longer ships updates, replace the device.`
}

test_android_patch_at_the_limit_passes if {
	not "os.patch_level" in rules(android({"security_patch": "2026-08-24"}))
	"os.patch_level" in rules(android({"security_patch": "2026-08-23"}))
}

test_missing_android_patch_fails if {
	doc := object.union(f.without("security_patch"), {"record": {"device": "d-android", "os_version": "16"}})
	some v in violations(doc)
	v.rule == "os.patch_level"
	startswith(v.message, "security_patch is missing")
}

test_android_13_out_of_support if {
	"os.supported" in rules(android({"os_version": "13"}))
}

test_patch_not_checked_elsewhere if {
	not "os.patch_level" in rules(f.report_input(f.report))
}

test_unregistered_device_is_left_to_report_rules if {
	count(violations(on("d-nope", {"os_version": "1"}))) == 0
}

# violations_with evaluates doc with the fixture config's os_support entries
# replaced by support.
violations_with(doc, support) := vs if {
	cfg := object.union(f.config, {"os_support": support})
	vs := os.violation with input as doc with data.registry as f.registry with data.config as cfg
}

# Windows with only Windows 10 22H2 left in the table, out of support since
# 2025-10-14.
_win10_only := {"windows": [{"name": "Windows 10 22H2", "min": "10.0.19045", "below": "10.0.19046", "end_of_support": "2025-10-14"}]}

test_no_version_supported_any_more if {
	some v in violations_with(f.patched({"os_version": "10.0.19045"}), _win10_only)
	v.rule == "os.supported"
	v.message == `os_version "10.0.19045" (Windows 10 22H2) went out of support on 2025-10-14, and no version of windows is supported any more on 2026-11-22; replace the device or ask IT for an exception.`
}

test_unknown_version_when_no_version_is_supported if {
	some v in violations_with(f.patched({"os_version": "10.0.26200"}), _win10_only)
	v.rule == "os.supported"
	v.message == `os_version "10.0.26200" is unknown for windows: it is not in the OS support table, and no version of windows is supported any more on 2026-11-22. If it is a new release, ask IT to add it to policies/config/data.yaml; otherwise replace the device or ask IT for an exception.`
}

test_empty_support_list if {
	some v in violations_with(on("d-linux", {"os_version": "24.04"}), {"linux": {"ubuntu": []}})
	v.rule == "os.supported"
	contains(v.message, "no version of linux ubuntu is supported any more on 2026-11-22")
	not contains(v.message, "supported version: ")
	vs := violations_with(f.patched({}), {"windows": []})
	some w in vs
	contains(w.message, "no version of windows is supported any more on 2026-11-22")
}

# The report's distribution against the device's registration (d-linux is
# registered as "Ubuntu").
test_report_names_another_distribution if {
	some v in violations(on("d-linux", {"os_name": "debian", "os_version": "13"}))
	v.rule == "os.name_registered"
	v.field == ["os_name"]
	v.message == `os_name "debian" is not the distribution d-linux is registered with ("Ubuntu" in devices/d-linux.yaml). Correct os_name in the report; if the device now runs debian, re-register it first: change os_name in devices/d-linux.yaml in a pull request of its own, then report again.`
}

test_report_names_the_registered_distribution if {
	not "os.name_registered" in rules(on("d-linux", {"os_name": "ubuntu", "os_version": "24.04"}))
	not "os.name_registered" in rules(on("d-linux", {"os_name": "Ubuntu", "os_version": "24.04"}))
	not "os.name_registered" in rules(on("d-linux", {"os_version": "24.04"}))
	not "os.name_registered" in rules(on("d-linux", {"os_name": "", "os_version": "24.04"}))
}

test_distribution_not_compared_without_a_registered_one if {
	reg := object.union(f.registry, {"devices": {"d-linux": {"os_name": ""}}})
	vs := os.violation with input as on("d-linux", {"os_name": "debian", "os_version": "13"}) with data.registry as reg with data.config as f.config
	count(vs) == 0
	reg2 := json.remove(f.registry, ["devices/d-linux/os_name"])
	not reg2.devices["d-linux"].os_name
	vs2 := os.violation with input as on("d-linux", {"os_name": "debian", "os_version": "13"}) with data.registry as reg2 with data.config as f.config
	count(vs2) == 0
}

test_distribution_compared_only_on_linux if {
	reg := object.union(f.registry, {"devices": {"d-win": {"os_name": "windows"}}})
	vs := os.violation with input as f.patched({"os_name": "ubuntu"}) with data.registry as reg with data.config as f.config
	count(vs) == 0
}
