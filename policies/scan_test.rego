package posture.rules.scan_test

import data.posture.fixtures as f
import data.posture.rules.scan

violations(doc) := vs if {
	vs := scan.violation with input as doc with data.registry as f.registry with data.config as f.config
}

rules(doc) := f.rules(violations(doc))

# The iOS report on another platform's device.
ios_report_on(device) := object.union(f.report_input(f.ios_report), {"record": {"device": device}})

test_clean_reports_pass if {
	count(violations(f.report_input(f.report))) == 0
	count(violations(f.report_input(f.ios_report))) == 0
}

test_ios_not_applicable_passes if {
	not "scan.antivirus_required" in rules(f.report_input(f.ios_report))
	not "scan.full_age" in rules(f.report_input(f.ios_report))
}

test_old_full_scan_fails if {
	some v in violations(f.patched({"last_full_scan": "2026-09-01"}))
	v.rule == "scan.full_age"
	v.field == ["last_full_scan"]
	v.message == `last_full_scan "2026-09-01" is 82 days before the report date 2026-11-22; the limit is 35 days. Run a full scan and report again.`
}

test_full_scan_at_the_limit_passes if {
	not "scan.full_age" in rules(f.patched({"last_full_scan": "2026-10-18"}))
	"scan.full_age" in rules(f.patched({"last_full_scan": "2026-10-17"}))
}

# A date that YAML turned into a timestamp must fail, not pass silently.
test_timestamp_date_fails if {
	some v in violations(f.patched({"last_full_scan": "2026-08-01T00:00:00Z"}))
	v.rule == "scan.full_age"
	contains(v.message, "is not a date written YYYY-MM-DD")
}

test_missing_full_scan_fails if {
	some v in violations(f.without("last_full_scan"))
	v.rule == "scan.full_age"
	startswith(v.message, "last_full_scan is missing")
}

test_old_quick_scan_fails if {
	"scan.quick_age" in rules(f.patched({"last_quick_scan": "2026-11-14"}))
	not "scan.quick_age" in rules(f.patched({"last_quick_scan": "2026-11-15"}))
}

test_missing_quick_scan_fails_on_windows if {
	"scan.quick_age" in rules(f.without("last_quick_scan"))
}

test_quick_scan_not_checked_without_quick_scan if {
	mac := object.union(f.without("last_quick_scan"), {"record": {"device": "d-mac"}})
	not "scan.quick_age" in rules(mac)
	old := object.union(f.patched({"last_quick_scan": "2026-01-01"}), {"record": {"device": "d-mac"}})
	not "scan.quick_age" in rules(old)
}

test_old_signatures_deny if {
	r := rules(f.patched({"signatures_updated": "2026-11-14"}))
	"scan.signatures_age" in r
	not "scan.signatures_fresh" in r
}

test_stale_signatures_warn if {
	vs := violations(f.patched({"signatures_updated": "2026-11-18"}))
	some v in vs
	v.rule == "scan.signatures_fresh"
	v.severity == "warn"
	not "scan.signatures_age" in f.rules(vs)
}

test_fresh_signatures_pass if {
	r := rules(f.patched({"signatures_updated": "2026-11-19"}))
	not "scan.signatures_fresh" in r
	not "scan.signatures_age" in r
}

test_missing_signatures_fail if {
	"scan.signatures_age" in rules(f.without("signatures_updated"))
}

test_realtime_off_fails if {
	some v in violations(f.patched({"real_time_protection": false}))
	v.rule == "scan.realtime"
	startswith(v.message, "real_time_protection is false; it must be true.")
}

test_realtime_missing_fails if {
	"scan.realtime" in rules(f.without("real_time_protection"))
}

test_not_applicable_on_windows_fails if {
	doc := ios_report_on("d-win")
	some v in violations(doc)
	v.rule == "scan.antivirus_required"
	v.field == ["antivirus"]
	contains(v.message, `antivirus is "not_applicable" but windows devices must run antivirus`)
}

test_not_applicable_on_android_fails if {
	"scan.antivirus_required" in rules(ios_report_on("d-android"))
}

test_missing_antivirus_fails if {
	"scan.antivirus_required" in rules(f.without("antivirus"))
}

test_not_applicable_on_ipados_passes if {
	reg := object.union(f.registry, {"devices": {"d-ios": {"platform": "ipados"}}})
	vs := scan.violation with input as f.report_input(f.ios_report) with data.registry as reg with data.config as f.config
	count(vs) == 0
}

test_av_app_on_ios_is_checked if {
	doc := object.union(f.patched({"last_full_scan": "2026-01-01"}), {"record": {"device": "d-ios"}})
	"scan.full_age" in rules(doc)
	not "scan.quick_age" in rules(object.union(f.without("last_quick_scan"), {"record": {"device": "d-ios"}}))
}

test_unresolved_threats_fail if {
	some v in violations(f.patched({"threats_found": 3, "threats_resolved": 1}))
	v.rule == "scan.threats_unresolved"
	contains(v.message, "2 threats are unresolved")
}

test_resolved_threats_pass if {
	not "scan.threats_unresolved" in rules(f.patched({"threats_found": 2, "threats_resolved": 2}))
	not "scan.threats_unresolved" in rules(f.patched({"threats_found": "3", "threats_resolved": 0}))
}

test_rules_fire_only_for_reports if {
	count(violations(object.union(f.without("antivirus"), {"kind": "device"}))) == 0
}

test_more_resolved_than_found_fails if {
	some v in violations(f.patched({"threats_found": 1, "threats_resolved": 3}))
	v.rule == "scan.threats_count"
	v.field == ["threats_resolved"]
	v.message == "threats_resolved is 3 but threats_found is 1: the antivirus cannot resolve more threats than it found. Write in threats_found how many threats it found this month and in threats_resolved how many of those were removed or quarantined (at most threats_found), and report again."
}

test_resolved_within_found_passes if {
	not "scan.threats_count" in rules(f.patched({"threats_found": 3, "threats_resolved": 3}))
	not "scan.threats_count" in rules(f.patched({"threats_found": 3, "threats_resolved": 1}))
	not "scan.threats_count" in rules(f.patched({"threats_found": 0, "threats_resolved": 0}))
}

# A missing or non-numeric count is the schema's finding, not this rule's.
test_threats_count_needs_both_numbers if {
	not "scan.threats_count" in rules(object.union(f.without("threats_found"), {"record": {"threats_resolved": 2}}))
	not "scan.threats_count" in rules(f.patched({"threats_found": "1", "threats_resolved": 2}))
	not "scan.threats_count" in rules(f.without("threats_resolved"))
}
