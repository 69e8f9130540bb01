# METADATA
# title: report rules
# description: Where a monthly report lives, whose device it is, who reports it and when.
package posture.rules.report

import data.posture.lib

r := input.record

device := data.registry.devices[r.device]

_parts := split(input.path, "/")

# The period folder and the file name (without .yaml) of the report's path.
_folder := _parts[count(_parts) - 2] if count(_parts) >= 2

_file_id := trim_suffix(trim_suffix(_parts[count(_parts) - 1], ".yaml"), ".yml")

_ref_month := substring(input.ref_date, 0, 7)

# METADATA
# title: Report path matches its content
# description: A report lives at reports/<period>/<device>.yaml; its period and device fields match the path.
# custom:
#   id: report.path
#   severity: deny
#   remediation: Move the file to reports/<period>/<device>.yaml, or correct the period or device field.
violation contains v if {
	input.kind == "report"
	some [field, msg] in _path_problems
	meta := rego.metadata.rule()
	v := lib.violation(meta, field, msg)
}

_path_problems contains [["period"], msg] if {
	not r.period == _folder
	msg := sprintf("period %s does not match the folder %q of %s; set period: %q or move the file to the folder of its period.", [lib.show_field(r, "period"), _folder, input.path, _folder])
}

_path_problems contains [["device"], msg] if {
	not r.device == _file_id
	msg := sprintf("device %s does not match the file name %q; name the file after the device (<device>.yaml) or correct the device field.", [lib.show_field(r, "device"), _file_id])
}

# METADATA
# title: Device is registered
# description: A report is for a device registered in devices/.
# custom:
#   id: report.device_registered
#   severity: deny
#   remediation: Register the device in devices/<id>.yaml in its own pull request, then report.
violation contains v if {
	input.kind == "report"
	is_string(r.device)
	not device
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["device"], sprintf("device %q is not registered; register the device in its own pull request first", [r.device]))
}

# METADATA
# title: Device is in use in the period
# description: A report is for an active device, or one retired after its period started.
# custom:
#   id: report.device_active
#   severity: deny
#   remediation: Do not report a device retired before the period; report the device that replaced it.
violation contains v if {
	input.kind == "report"
	device
	not _in_use
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["device"], _not_in_use_msg)
}

_not_in_use_msg := sprintf("device %q was retired on %s, before the period %s started; do not report a retired device, report the device that replaced it.", [r.device, device.retirement.date, lib.show_field(r, "period")]) if {
	device.status == "retired"
	lib.valid_date(device.retirement.date)
} else := sprintf("device %q has status %s, not active; ask IT to correct the device record, or report the device that replaced it.", [r.device, lib.show_field(device, "status")])

_in_use if device.status == "active"

_in_use if {
	device.status == "retired"
	lib.valid_period(r.period)
	lib.valid_date(device.retirement.date)
	device.retirement.date > concat("-", [r.period, "01"])
}

# METADATA
# title: Reporter owns the device
# description: The person who reports a device is its registered owner.
# custom:
#   id: report.reporter_owner
#   severity: deny
#   remediation: Let the device's owner report it, or move the device to the new owner in its own pull request.
violation contains v if {
	input.kind == "report"
	device
	not r.reporter == device.owner
	meta := rego.metadata.rule()
	msg := sprintf("reporter %s is not the owner of device %q (the owner is %s); the owner reports the device, or transfer it to the new owner in its own pull request first.", [lib.show_field(r, "reporter"), r.device, lib.show(object.get(device, "owner", "nobody"))])
	v := lib.violation(meta, ["reporter"], msg)
}

# METADATA
# title: Reporter is an active person
# description: The reporter is registered in people/ and active.
# custom:
#   id: report.reporter_active
#   severity: deny
#   remediation: Write your own person id as reporter; ask IT to register or reactivate you.
violation contains v if {
	input.kind == "report"
	some msg in _reporter_problems
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["reporter"], msg)
}

# The reporter's person record. (Not people[r.reporter] under `not`: OPA
# evaluates r.reporter outside the negation, so a missing reporter would pass
# silently.)
_reporter := data.registry.people[r.reporter]

_reporter_problems contains msg if {
	not _reporter
	msg := sprintf("reporter %s is not a registered person; write your person id (the name of your file in people/) or ask IT to register you.", [lib.show_field(r, "reporter")])
}

_reporter_problems contains msg if {
	_reporter
	not _reporter.active == true
	msg := sprintf("reporter %q is not active; an inactive person cannot report. Ask IT to reactivate you or let the device's new owner report.", [r.reporter])
}

# The date fields of a report that cannot be later than the report date.
date_fields := ["last_full_scan", "last_quick_scan", "signatures_updated", "security_patch"]

# METADATA
# title: No dates in the future
# description: Scan, signature and patch dates are not after the report date.
# custom:
#   id: report.future_date
#   severity: deny
#   remediation: Copy the dates from the device as shown; do not write planned dates.
violation contains v if {
	input.kind == "report"
	some name in date_fields
	value := r[name]
	lib.valid_date(value)
	value > input.ref_date
	meta := rego.metadata.rule()
	msg := sprintf("%s %q is after the report date %s; dates cannot be in the future. Copy the date the device shows.", [name, value, input.ref_date])
	v := lib.violation(meta, [name], msg)
}

# METADATA
# title: Period is not in the future
# description: A report's period is not after the month of the report date.
# custom:
#   id: report.period_future
#   severity: deny
#   remediation: Report the current month; a report cannot be written ahead.
violation contains v if {
	input.kind == "report"
	lib.valid_period(r.period)
	r.period > _ref_month
	meta := rego.metadata.rule()
	msg := sprintf("period %q is after the month of the report date %s; a month is reported when it has started. Report %s in reports/%s/.", [r.period, input.ref_date, _ref_month, _ref_month])
	v := lib.violation(meta, ["period"], msg)
}

# METADATA
# title: Period is not before the device's registration
# description: A report's period is not before the month its device was registered.
# custom:
#   id: report.period_before_registration
#   severity: deny
#   remediation: Report a month from the device's registration on; earlier months have no report to give.
violation contains v if {
	input.kind == "report"
	lib.valid_period(r.period)
	lib.valid_date(device.registered)
	r.period < substring(device.registered, 0, 7)
	meta := rego.metadata.rule()
	msg := sprintf("period %q is before device %q was registered on %s; a device is reported from the month of its registration on. Report the current month instead.", [r.period, r.device, device.registered])
	v := lib.violation(meta, ["period"], msg)
}

# METADATA
# title: Evidence stays in the report's folder
# description: Each evidence path is relative to the report's folder and does not leave it.
# custom:
#   id: evidence.path
#   severity: deny
#   remediation: Put the evidence file in the report's folder (e.g. evidence/scan.png) and write that relative path with / between folders.
violation contains v if {
	input.kind == "report"
	some i, item in r.evidence
	reason := _evidence_problem(object.get(item, "path", null))
	meta := rego.metadata.rule()
	msg := sprintf("evidence path %s %s; write a path relative to the report's folder such as \"evidence/scan.png\".", [lib.show(object.get(item, "path", "(missing)")), reason])
	v := lib.violation(meta, ["evidence", i, "path"], msg)
}

_evidence_problem(p) := "is missing or not text" if {
	not is_string(p)
} else := "is empty" if {
	p == ""
} else := "is absolute (it starts with / or \\)" if {
	regex.match(`^[/\\]`, p)
} else := "uses backslashes; use / between folders" if {
	contains(p, "\\")
} else := "starts with a drive letter" if {
	regex.match(`^[A-Za-z]:`, p)
} else := "leaves the report's folder with .." if {
	some part in split(p, "/")
	part == ".."
}
