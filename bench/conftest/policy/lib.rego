# Helpers of the equivalent policy set: dates, versions and MAC addresses,
# written the way a conftest user would, without posture's library.
#
# data (one JSON file, passed with --data):
#   ref_date    the day ages are measured against, YYYY-MM-DD
#   devices     device id -> {platform, os_name, wifi_macs: [{mac, kind, ssid}]}
#   os_support  posture's policies/data.yaml os_support table
#   full_scan_max_days
package main

_report_device := data.devices[input.device]

_date_re := `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`

_day_ns := ((24 * 60) * 60) * 1000000000

# _date_ns is the date s (YYYY-MM-DD) in nanoseconds; undefined for anything
# else, 2026-02-30 included (time.parse_ns fails, which is undefined).
_date_ns(s) := time.parse_ns("2006-01-02", s) if {
	is_string(s)
	regex.match(_date_re, s)
}

# _age_days is how many days date s lies before data.ref_date.
_age_days(s) := (time.parse_ns("2006-01-02", data.ref_date) - _date_ns(s)) / _day_ns

_version_re := `^[0-9]{1,9}(\.[0-9]{1,9}){0,5}$`

# _version_key turns "10.0.26200" into [10, 0, 26200, 0, 0, 0]: arrays compare
# element by element, so keys sort like versions.
_version_key(v) := array.slice(array.concat([to_number(p) | some p in split(v, ".")], [0, 0, 0, 0, 0, 0]), 0, 6) if {
	is_string(v)
	regex.match(_version_re, v)
}

# _mac normalises the spellings of a MAC address to aa:bb:cc:dd:ee:ff.
_mac(s) := m if {
	is_string(s)
	l := lower(trim_space(s))
	regex.match(`^([0-9a-f]{2}(:[0-9a-f]{2}){5}|[0-9a-f]{2}(-[0-9a-f]{2}){5}|[0-9a-f]{4}(\.[0-9a-f]{4}){2}|[0-9a-f]{12})$`, l)
	d := regex.replace(l, `[-:.]`, "")
	m := regex.replace(d, `^(..)(..)(..)(..)(..)(..)$`, "$1:$2:$3:$4:$5:$6")
}
