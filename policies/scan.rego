# METADATA
# title: antivirus rules
# description: |
#   Antivirus on the platforms that have it, and how fresh its scans and
#   signatures are. The platform is the registered device's; the scan dates
#   are checked whenever the report names an antivirus product.
package posture.rules.scan

import data.posture.lib

r := input.record

th := data.config.thresholds

platform := data.registry.devices[r.device].platform

_av_platform if platform in data.config.antivirus_platforms

_quick_platform if platform in data.config.quick_scan_platforms

# The report names an antivirus product, so its scans and signatures count.
av_reported if {
	is_string(r.antivirus)
	r.antivirus != "not_applicable"
}

# stale_msg says what is wrong with the date field name, or is undefined when
# it is a date at most limit days before the report date. action says what
# to do.
stale_msg(name, limit, action) := _stale_msg(name, object.get(r, name, null), limit, action)

_stale_msg(name, null, _, action) := sprintf("%s is missing. %s and report its date as YYYY-MM-DD.", [name, action])

_stale_msg(name, value, _, _) := msg if {
	value != null
	not lib.valid_date(value)
	msg := sprintf("%s %s is not a date written YYYY-MM-DD; write the date the device shows, e.g. \"2026-11-02\".", [name, lib.show(value)])
}

_stale_msg(name, value, limit, action) := msg if {
	lib.valid_date(value)
	value < lib.cutoff_date(limit)
	days := lib.age_days(value)
	msg := sprintf("%s %q is %d days before the report date %s; the limit is %d days. %s and report again.", [name, value, days, input.ref_date, limit, action])
}

# METADATA
# title: Recent full scan
# description: The last full antivirus scan is at most thresholds.full_scan_max_days before the report date.
# custom:
#   id: scan.full_age
#   severity: deny
#   remediation: Run a full scan and report its date.
violation contains v if {
	input.kind == "report"
	av_reported
	msg := stale_msg("last_full_scan", th.full_scan_max_days, "Run a full scan")
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["last_full_scan"], msg)
}

# METADATA
# title: Recent quick scan
# description: On platforms with a quick scan, the last one is at most thresholds.quick_scan_max_days before the report date.
# custom:
#   id: scan.quick_age
#   severity: deny
#   remediation: Run a quick scan (or turn on the scheduled daily scan) and report its date.
violation contains v if {
	input.kind == "report"
	av_reported
	_quick_platform
	msg := stale_msg("last_quick_scan", th.quick_scan_max_days, "Run a quick scan")
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["last_quick_scan"], msg)
}

# METADATA
# title: Current antivirus signatures
# description: Antivirus signatures were updated at most thresholds.signatures_max_days before the report date.
# custom:
#   id: scan.signatures_age
#   severity: deny
#   remediation: Update the antivirus signatures and report their date.
violation contains v if {
	input.kind == "report"
	av_reported
	msg := stale_msg("signatures_updated", th.signatures_max_days, "Update the antivirus signatures")
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["signatures_updated"], msg)
}

# METADATA
# title: Fresh antivirus signatures
# description: Antivirus signatures older than thresholds.signatures_warn_days (but not yet too old) are worth a look.
# custom:
#   id: scan.signatures_fresh
#   severity: warn
#   remediation: Check that automatic signature updates are on.
violation contains v if {
	input.kind == "report"
	av_reported
	lib.valid_date(r.signatures_updated)
	r.signatures_updated < lib.cutoff_date(th.signatures_warn_days)
	r.signatures_updated >= lib.cutoff_date(th.signatures_max_days)
	days := lib.age_days(r.signatures_updated)
	meta := rego.metadata.rule()
	msg := sprintf("signatures_updated %q is %d days before the report date %s; signatures are usually updated daily. Check that automatic updates are on.", [r.signatures_updated, days, input.ref_date])
	v := lib.violation(meta, ["signatures_updated"], msg)
}

# METADATA
# title: Real-time protection on
# description: The antivirus product's real-time protection is on.
# custom:
#   id: scan.realtime
#   severity: deny
#   remediation: Turn on real-time protection in the antivirus settings and report real_time_protection true.
violation contains v if {
	input.kind == "report"
	av_reported
	not r.real_time_protection == true
	meta := rego.metadata.rule()
	msg := sprintf("real_time_protection is %s; it must be true. Turn on real-time protection in %s and report again.", [lib.show_field(r, "real_time_protection"), r.antivirus])
	v := lib.violation(meta, ["real_time_protection"], msg)
}

# METADATA
# title: Antivirus where the platform has it
# description: A device on a platform in antivirus_platforms runs an antivirus product; not_applicable is for iOS and iPadOS.
# custom:
#   id: scan.antivirus_required
#   severity: deny
#   remediation: Install or turn on an antivirus product and report its name, scans and signature date.
violation contains v if {
	input.kind == "report"
	_av_platform
	not av_reported
	meta := rego.metadata.rule()
	msg := sprintf("antivirus is %s but %s devices must run antivirus; not_applicable is only for iOS and iPadOS. Turn on an antivirus product (e.g. the one built into the OS) and report its name, scans and signature date.", [lib.show_field(r, "antivirus"), platform])
	v := lib.violation(meta, ["antivirus"], msg)
}

# METADATA
# title: No unresolved threats
# description: Every threat the antivirus found has been resolved.
# custom:
#   id: scan.threats_unresolved
#   severity: deny
#   remediation: Quarantine or remove the threats, run a full scan, and tell IT if it keeps finding them.
violation contains v if {
	input.kind == "report"
	found := object.get(r, "threats_found", 0)
	resolved := object.get(r, "threats_resolved", 0)
	is_number(found)
	is_number(resolved)
	found > resolved
	meta := rego.metadata.rule()
	msg := sprintf("threats_found is %v but threats_resolved is %v: %v threats are unresolved. Quarantine or remove them with the antivirus, run a full scan, report again and tell IT.", [found, resolved, found - resolved])
	v := lib.violation(meta, ["threats_found"], msg)
}

# METADATA
# title: Resolved threats among those found
# description: threats_resolved counts threats the antivirus found, so it is at most threats_found.
# custom:
#   id: scan.threats_count
#   severity: deny
#   remediation: Write how many threats the antivirus found as threats_found and how many of those it removed or quarantined as threats_resolved.
violation contains v if {
	input.kind == "report"
	is_number(r.threats_found)
	is_number(r.threats_resolved)
	r.threats_resolved > r.threats_found
	meta := rego.metadata.rule()
	msg := sprintf("threats_resolved is %v but threats_found is %v: the antivirus cannot resolve more threats than it found. Write in threats_found how many threats it found this month and in threats_resolved how many of those were removed or quarantined (at most threats_found), and report again.", [r.threats_resolved, r.threats_found])
	v := lib.violation(meta, ["threats_resolved"], msg)
}
