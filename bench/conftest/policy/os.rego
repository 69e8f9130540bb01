# os.supported: the reported os_version is in the device platform's support
# table and not past its end of support on the reference date. A Linux
# device's table is its distribution's (os_name of the report, else of the
# device).
package main

_platform := _report_device.platform

_os_name := lower(input.os_name) if {
	is_string(input.os_name)
	input.os_name != ""
} else := lower(_report_device.os_name) if {
	is_string(_report_device.os_name)
	_report_device.os_name != ""
}

_os_table := data.os_support[_platform] if _platform != "linux"

_os_table := data.os_support.linux[_os_name] if _platform == "linux"

# The table's entries covering the reported version: min <= v < below.
_os_entries := [e |
	key := _version_key(input.os_version)
	some e in _os_table
	_version_key(e.min) <= key
	_os_below(key, e)
]

_os_below(_, e) if not is_string(e.below)

_os_below(key, e) if key < _version_key(e.below)

deny contains msg if {
	_platform != "linux"
	not data.os_support[_platform]
	msg := sprintf("os.supported: no OS support table for platform %v", [_platform])
}

deny contains msg if {
	_platform == "linux"
	_os_name
	not _os_table
	msg := sprintf("os.supported: linux distribution %v is not supported", [_os_name])
}

deny contains msg if {
	_os_table
	not _version_key(input.os_version)
	msg := sprintf("os.supported: os_version %v is not a version", [input.os_version])
}

deny contains msg if {
	_os_table
	_version_key(input.os_version)
	count(_os_entries) == 0
	msg := sprintf("os.supported: os_version %s is not in the support table of %s", [input.os_version, _platform])
}

deny contains msg if {
	some e in _os_entries
	is_string(e.end_of_support)
	e.end_of_support < data.ref_date
	msg := sprintf("os.supported: os_version %s (%s) went out of support on %s", [input.os_version, e.name, e.end_of_support])
}
