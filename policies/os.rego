# METADATA
# title: operating system rules
# description: |
#   The reported OS version is in the dated support table of data.config
#   (policies/config/data.yaml), and Android devices carry a recent security
#   patch. The platform is the registered device's; a Linux distribution is
#   the report's os_name, else the device's, and a report names no other
#   distribution than the one the device is registered with.
package posture.rules.os

import data.posture.lib

r := input.record

device := data.registry.devices[r.device]

platform := device.platform

# The distribution of a Linux device, lower case.
os_name := lower(r.os_name) if {
	is_string(r.os_name)
	r.os_name != ""
} else := lower(device.os_name) if {
	is_string(device.os_name)
	device.os_name != ""
}

# The support table that applies to the device, and what it is called.
table := data.config.os_support.linux[os_name] if platform == "linux"

table := data.config.os_support[platform] if platform != "linux"

# The same table with version keys, from lib.derived.
_keyed := lib.derived.os_tables[concat("/", ["linux", os_name])] if platform == "linux"

_keyed := lib.derived.os_tables[platform] if platform != "linux"

_label := sprintf("%s %s", [platform, os_name]) if platform == "linux"

else := platform

# The table's entries that cover version v.
entries(v) := [e |
	key := lib.version_key(v)
	some e in _keyed
	e.min_key <= key
	_below(key, e)
]

# The entries that cover the reported version.
_matches := entries(r.os_version)

_below(_, e) if e.below_key == null

_below(key, e) if key < e.below_key

_ended(e) if {
	is_string(e.end_of_support)
	e.end_of_support < input.ref_date
}

# The names of the versions still supported on the report date.
_supported_names := [sprintf("%s (%s)", [e.name, e.min]) |
	some e in table
	not _ended(e)
]

supported := concat(", ", _supported_names)

# _none_supported holds when the table is empty or every entry in it has
# ended: there is no version to update to.
_none_supported if count(_supported_names) == 0

_none_msg := sprintf("no version of %s is supported any more on %s", [_label, input.ref_date])

# METADATA
# title: Supported OS version
# description: The reported os_version is in the support table (data.config.os_support) and not past its end of support on the report date.
# custom:
#   id: os.supported
#   severity: deny
#   remediation: Update the operating system to a supported version and report again.
violation contains v if {
	input.kind == "report"
	some [field, msg] in _os_problems
	meta := rego.metadata.rule()
	v := lib.violation(meta, field, msg)
}

_os_problems contains [["os_version"], msg] if {
	platform != "linux"
	not data.config.os_support[platform]
	msg := sprintf("there is no OS support table for platform %q; ask IT to add one to policies/config/data.yaml.", [platform])
}

_os_problems contains [["os_name"], msg] if {
	platform == "linux"
	os_name
	not table
	msg := sprintf("the linux distribution %s is not supported; supported: %s. Install a supported distribution, or ask IT to add it to policies/config/data.yaml.", [lib.show(os_name), concat(", ", sort(object.keys(data.config.os_support.linux)))])
}

_os_problems contains [["os_version"], msg] if {
	table
	not lib.valid_version(object.get(r, "os_version", null))
	msg := sprintf("os_version %s is not a version of numbers separated by dots, e.g. \"15.7.2\" or \"10.0.26200\"; write the version the device shows.", [lib.show_field(r, "os_version")])
}

_os_problems contains [["os_version"], msg] if {
	table
	lib.valid_version(r.os_version)
	count(_matches) == 0
	msg := _unknown_msg
}

_unknown_msg := sprintf("os_version %q is unknown for %s: it is not in the OS support table, and %s. If it is a new release, ask IT to add it to policies/config/data.yaml; otherwise replace the device or ask IT for an exception.", [r.os_version, _label, _none_msg]) if {
	_none_supported
} else := sprintf("os_version %q is unknown for %s: it is not in the OS support table. Update to a supported version: %s; if it is a new release, ask IT to add it to policies/config/data.yaml.", [r.os_version, _label, supported])

_os_problems contains [["os_version"], msg] if {
	table
	some e in _matches
	_ended(e)
	msg := _ended_msg(e)
}

_ended_msg(e) := sprintf("os_version %q (%s) went out of support on %s, and %s; replace the device or ask IT for an exception.", [r.os_version, e.name, e.end_of_support, _none_msg]) if {
	_none_supported
} else := sprintf("os_version %q (%s) went out of support on %s; update to a supported version: %s, and report again.", [r.os_version, e.name, e.end_of_support, supported])

# METADATA
# title: Recent Android security patch
# description: An Android device's security_patch is at most thresholds.patch_max_days before the report date.
# custom:
#   id: os.patch_level
#   severity: deny
#   remediation: Install the latest system update (Settings > System > Software updates) and report the security patch level.
violation contains v if {
	input.kind == "report"
	platform == "android"
	msg := _patch_msg(object.get(r, "security_patch", null))
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["security_patch"], msg)
}

_patch_msg(null) := "security_patch is missing; Android devices report the security patch level shown in Settings > About phone > Android version, as YYYY-MM-DD."

_patch_msg(value) := msg if {
	value != null
	not lib.valid_date(value)
	msg := sprintf("security_patch %s is not a date written YYYY-MM-DD; copy the security patch level shown in Settings, e.g. \"2026-11-01\".", [lib.show(value)])
}

_patch_msg(value) := msg if {
	lib.valid_date(value)
	limit := data.config.thresholds.patch_max_days
	value < lib.cutoff_date(limit)
	days := lib.age_days(value)
	msg := sprintf("security_patch %q is %d days before the report date %s; the limit is %d days. Install the latest system update and report again; if the vendor no longer ships updates, replace the device.", [value, days, input.ref_date, limit])
}

# METADATA
# title: Linux distribution as registered
# description: A Linux report's os_name, when it names one, is the distribution the device is registered with (its os_name in devices/), compared without case.
# custom:
#   id: os.name_registered
#   severity: deny
#   remediation: Correct os_name in the report; if the device now runs another distribution, change os_name in its devices/ file in a pull request of its own first.
violation contains v if {
	input.kind == "report"
	platform == "linux"
	is_string(r.os_name)
	r.os_name != ""
	lower(r.os_name) != lower(_registered_name)
	meta := rego.metadata.rule()
	msg := sprintf("os_name %s is not the distribution %s is registered with (%s in devices/%s.yaml). Correct os_name in the report; if the device now runs %s, re-register it first: change os_name in devices/%s.yaml in a pull request of its own, then report again.", [lib.show(r.os_name), r.device, lib.show(_registered_name), r.device, r.os_name, r.device])
	v := lib.violation(meta, ["os_name"], msg)
}

# The distribution the device is registered with, as written there;
# undefined when the registration names none.
_registered_name := device.os_name if {
	is_string(device.os_name)
	device.os_name != ""
}

# METADATA
# title: Linux distribution named
# description: A Linux device names its distribution (os_name) in the report or the device record, so its support can be checked.
# custom:
#   id: os.linux_name
#   severity: deny
#   remediation: Add os_name (e.g. ubuntu, debian, fedora) to the report.
violation contains v if {
	input.kind == "report"
	platform == "linux"
	not os_name
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["os_name"], "os_name is missing for a linux device; write the distribution, e.g. os_name: ubuntu, so that its support can be checked.")
}
