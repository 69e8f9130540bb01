package posture.rules.exceptions_test

import data.posture.fixtures as f
import data.posture.rules.exceptions

violations(doc) := vs if {
	vs := exceptions.violation with input as doc with data.registry as f.registry
}

rules(doc) := f.rules(violations(doc))

test_approved_exception_passes if {
	count(violations(f.exception_input({}))) == 0
}

test_id_path_mismatch if {
	some v in violations(f.exception_input({"id": "x-other"}))
	v.rule == "exception.id_path"
	contains(v.message, `id "x-other" does not match the file name "x-win-os"`)
}

test_device_not_registered if {
	some v in violations(f.exception_input({"device": "d-nope"}))
	v.rule == "exception.device"
	v.field == ["device"]
	contains(v.message, `device "d-nope" is not registered`)
}

test_device_missing if {
	doc := object.union(object.remove(f.exception_input({}), ["record"]), {"record": object.remove(f.exception, ["device"])})
	"exception.device" in rules(doc)
}

test_approver_not_registered if {
	some v in violations(f.exception_input({"approved_by": "zed"}))
	v.rule == "exception.approver"
	contains(v.message, `approved_by "zed" is not a registered person`)
}

test_approver_missing if {
	doc := object.union(object.remove(f.exception_input({}), ["record"]), {"record": object.remove(f.exception, ["approved_by"])})
	"exception.approver" in rules(doc)
}

test_approver_inactive if {
	some v in violations(f.exception_input({"approved_by": "carol"}))
	contains(v.message, `approved_by "carol" is not active`)
}

test_approver_not_it_admin if {
	some v in violations(f.exception_input({"approved_by": "dave"}))
	v.message == `approved_by "dave" has the role "auditor", not it-admin; only an IT admin approves exceptions.`
}

test_rules_fire_only_for_exceptions if {
	count(violations(object.union(f.exception_input({"device": "d-nope"}), {"kind": "report"}))) == 0
}
