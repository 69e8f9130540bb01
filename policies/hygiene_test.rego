package posture.rules.hygiene_test

import data.posture.fixtures as f
import data.posture.rules.hygiene

violations(doc) := vs if {
	vs := hygiene.violation with input as doc with data.registry as f.registry with data.config as f.config
}

rules(doc) := f.rules(violations(doc))

test_clean_reports_pass if {
	count(violations(f.report_input(f.report))) == 0
	count(violations(f.report_input(f.ios_report))) == 0
}

test_encryption_off_fails if {
	some v in violations(f.patched({"disk_encryption": false}))
	v.rule == "device.encryption"
	v.field == ["disk_encryption"]
	startswith(v.message, "disk_encryption is false; it must be true.")
}

test_encryption_missing_fails if {
	rules(f.without("disk_encryption")) == {"device.encryption"}
}

test_encryption_as_text_fails if {
	rules(f.patched({"disk_encryption": "true"})) == {"device.encryption"}
}

test_screen_lock_within_limit_passes if {
	count(violations(f.patched({"screen_lock_minutes": 15}))) == 0
	count(violations(f.patched({"screen_lock_minutes": 1}))) == 0
}

test_screen_lock_too_long_fails if {
	some v in violations(f.patched({"screen_lock_minutes": 16}))
	v.rule == "device.screen_lock"
	v.message == "screen_lock_minutes is 16; the limit is 15 minutes. Set the screen to lock sooner and report again."
}

test_screen_never_locks_fails if {
	some v in violations(f.patched({"screen_lock_minutes": 0}))
	contains(v.message, "never locks")
}

test_screen_lock_missing_or_text_fails if {
	rules(f.without("screen_lock_minutes")) == {"device.screen_lock"}
	rules(f.patched({"screen_lock_minutes": "5"})) == {"device.screen_lock"}
}

test_jailbroken_fails if {
	some v in violations(f.patched({"jailbroken": true}))
	v.rule == "device.jailbreak"
	startswith(v.message, "jailbroken is true")
}

test_jailbroken_missing_fails if {
	some v in violations(f.without("jailbroken"))
	v.rule == "device.jailbreak"
	v.message == "jailbroken is (missing); write true or false."
}

test_rules_fire_only_for_reports if {
	count(violations(object.union(f.without("jailbroken"), {"kind": "exception"}))) == 0
}
