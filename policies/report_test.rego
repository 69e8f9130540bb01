package posture.rules.report_test

import data.posture.fixtures as f
import data.posture.rules.report

violations(doc) := vs if {
	vs := report.violation with input as doc with data.registry as f.registry
}

rules(doc) := f.rules(violations(doc))

test_clean_report_passes if {
	count(violations(f.report_input(f.report))) == 0
	count(violations(f.report_input(f.ios_report))) == 0
}

test_rules_fire_only_for_reports if {
	count(violations(object.union(f.patched({"device": "nope"}), {"kind": "device"}))) == 0
}

test_violation_shape if {
	some v in violations(f.patched({"device": "d-mac"}))
	v.rule == "report.path"
	v.severity == "deny"
	v.title == "Report path matches its content"
	v.field == ["device"]
	v.message == `device "d-mac" does not match the file name "d-win"; name the file after the device (<device>.yaml) or correct the device field.`
}

test_path_period_mismatch if {
	doc := object.union(f.report_input(f.report), {"path": "reports/2026-10/d-win.yaml"})
	some v in violations(doc)
	v.rule == "report.path"
	v.field == ["period"]
	contains(v.message, `period "2026-11" does not match the folder "2026-10"`)
}

test_path_missing_period if {
	doc := object.union(f.without("period"), {"path": "reports/2026-11/d-win.yaml"})
	some v in violations(doc)
	v.rule == "report.path"
	startswith(v.message, "period (missing) does not match")
}

test_device_not_registered if {
	doc := object.union(f.patched({"device": "d-x"}), {"path": "reports/2026-11/d-x.yaml"})
	some v in violations(doc)
	v.rule == "report.device_registered"
	v.message == `device "d-x" is not registered; register the device in its own pull request first`
	not "report.reporter_owner" in rules(doc)
}

test_device_retired_before_period if {
	"report.device_active" in rules(f.patched({"device": "d-old", "period": "2026-11"}))
}

test_device_retired_during_period if {
	doc := object.union(f.patched({"device": "d-old", "period": "2026-10"}), {"path": "reports/2026-10/d-old.yaml"})
	not "report.device_active" in rules(doc)
}

test_device_retired_message if {
	some v in violations(f.patched({"device": "d-old"}))
	v.rule == "report.device_active"
	contains(v.message, `device "d-old" was retired on 2026-10-15, before the period "2026-11" started`)
}

test_reporter_not_owner if {
	some v in violations(f.patched({"reporter": "dave"}))
	v.rule == "report.reporter_owner"
	contains(v.message, `reporter "dave" is not the owner of device "d-win" (the owner is "alice")`)
}

test_reporter_missing if {
	r := rules(f.without("reporter"))
	"report.reporter_owner" in r
	"report.reporter_active" in r
}

test_reporter_not_registered if {
	some v in violations(f.patched({"reporter": "zed"}))
	v.rule == "report.reporter_active"
	contains(v.message, `reporter "zed" is not a registered person`)
}

test_reporter_inactive if {
	some v in violations(f.patched({"reporter": "carol"}))
	v.rule == "report.reporter_active"
	contains(v.message, `reporter "carol" is not active`)
}

test_future_dates if {
	vs := violations(f.patched({"last_full_scan": "2026-11-23", "security_patch": "2026-12-01"}))
	fields := {v.field[0] | some v in vs; v.rule == "report.future_date"}
	fields == {"last_full_scan", "security_patch"}
}

test_ref_date_itself_is_not_future if {
	not "report.future_date" in rules(f.patched({"last_full_scan": f.ref_date}))
}

test_period_future if {
	doc := object.union(f.patched({"period": "2026-12"}), {"path": "reports/2026-12/d-win.yaml"})
	some v in violations(doc)
	v.rule == "report.period_future"
	contains(v.message, `period "2026-12" is after the month of the report date 2026-11-22`)
}

test_period_current_and_past_are_fine if {
	not "report.period_future" in rules(f.report_input(f.report))
	doc := object.union(f.patched({"period": "2026-10"}), {"path": "reports/2026-10/d-win.yaml"})
	not "report.period_future" in rules(doc)
}

test_period_before_registration if {
	doc := object.union(f.patched({"period": "1999-01"}), {"path": "reports/1999-01/d-win.yaml"})
	some v in violations(doc)
	v.rule == "report.period_before_registration"
	contains(v.message, `period "1999-01" is before device "d-win" was registered on 2026-01-10`)
}

test_period_of_registration_is_fine if {
	doc := object.union(f.patched({"period": "2026-01"}), {"path": "reports/2026-01/d-win.yaml"})
	not "report.period_before_registration" in rules(doc)
}

evidence_problem(p) := [v.message |
	some v in violations(f.patched({"evidence": [{"path": "evidence/ok.png", "sha256": "x"}, {"path": p, "sha256": "x"}]}))
	v.rule == "evidence.path"
	v.field == ["evidence", "1", "path"]
][0]

test_evidence_good_paths if {
	vs := violations(f.patched({"evidence": [
		{"path": "evidence/scan.png", "sha256": "x"},
		{"path": "scan.png", "sha256": "x"},
		{"path": "./evidence/a..b.png", "sha256": "x"},
	]}))
	not "evidence.path" in f.rules(vs)
}

test_evidence_bad_paths if {
	contains(evidence_problem("/etc/passwd"), "is absolute")
	contains(evidence_problem("\\\\server\\share"), "is absolute")
	contains(evidence_problem("evidence\\scan.png"), "backslashes")
	contains(evidence_problem("C:/scan.png"), "drive letter")
	contains(evidence_problem("../2026-10/scan.png"), "leaves the report's folder")
	contains(evidence_problem("evidence/../../x.png"), "leaves the report's folder")
	contains(evidence_problem(""), "is empty")
	contains(evidence_problem(7), "not text")
}
