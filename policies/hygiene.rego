# METADATA
# title: device hygiene rules
# description: Disk encryption, screen lock and an unmodified OS, as the report states them.
package posture.rules.hygiene

import data.posture.lib

r := input.record

# METADATA
# title: Disk encryption on
# description: The device's disk is encrypted (BitLocker, FileVault, LUKS, or the phone's built-in encryption).
# custom:
#   id: device.encryption
#   severity: deny
#   remediation: Turn on disk encryption (BitLocker, FileVault, LUKS) and report disk_encryption true.
violation contains v if {
	input.kind == "report"
	not r.disk_encryption == true
	meta := rego.metadata.rule()
	msg := sprintf("disk_encryption is %s; it must be true. Turn on disk encryption (BitLocker, FileVault, LUKS or the device's encryption setting) and report again.", [lib.show_field(r, "disk_encryption")])
	v := lib.violation(meta, ["disk_encryption"], msg)
}

# METADATA
# title: Screen locks soon
# description: The screen locks after at most thresholds.screen_lock_max_minutes of inactivity; 0 means it never locks.
# custom:
#   id: device.screen_lock
#   severity: deny
#   remediation: Set the screen to lock after at most the limit's minutes of inactivity.
violation contains v if {
	input.kind == "report"
	msg := _lock_msg(object.get(r, "screen_lock_minutes", null), data.config.thresholds.screen_lock_max_minutes)
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["screen_lock_minutes"], msg)
}

_lock_msg(null, limit) := sprintf("screen_lock_minutes is missing; report after how many minutes of inactivity the screen locks (at most %d).", [limit])

_lock_msg(m, limit) := msg if {
	m != null
	not is_number(m)
	msg := sprintf("screen_lock_minutes %s is not a number of minutes; write e.g. 5 (at most %d).", [lib.show(m), limit])
}

_lock_msg(m, limit) := msg if {
	is_number(m)
	m <= 0
	msg := sprintf("screen_lock_minutes is %v, which means the screen never locks; set it to lock after at most %d minutes and report again.", [m, limit])
}

_lock_msg(m, limit) := msg if {
	is_number(m)
	m > limit
	msg := sprintf("screen_lock_minutes is %v; the limit is %d minutes. Set the screen to lock sooner and report again.", [m, limit])
}

# METADATA
# title: Not jailbroken or rooted
# description: The device runs its vendor's unmodified OS.
# custom:
#   id: device.jailbreak
#   severity: deny
#   remediation: Restore the vendor's firmware (reset the device) or stop using it for work.
violation contains v if {
	input.kind == "report"
	not r.jailbroken == false
	meta := rego.metadata.rule()
	msg := _jailbreak_msg
	v := lib.violation(meta, ["jailbroken"], msg)
}

_jailbreak_msg := "jailbroken is true: a jailbroken or rooted device cannot hold company data. Restore the vendor's firmware (or reset the device) and report again, or stop using it for work and tell IT." if {
	r.jailbroken == true
} else := sprintf("jailbroken is %s; write true or false.", [lib.show_field(r, "jailbroken")])
