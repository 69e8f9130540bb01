# METADATA
# title: posture helpers
# description: |
#   The violation builder every rule uses, and the parsing of the values that
#   records hold as text: dates, versions and MAC addresses. Every helper is
#   undefined for a value it cannot read, so callers test for that with `not`.
package posture.lib

# violation builds the one shape every rule returns (docs/policy-contract.md).
# meta is rego.metadata.rule() of the calling rule; field is the path to the
# offending field in the record, its steps made strings.
violation(meta, field, message) := {
	"rule": meta.custom.id,
	"severity": meta.custom.severity,
	"title": meta.title,
	"field": [sprintf("%v", [step]) | some step in field],
	"message": message,
}

# show formats a record value for a message: strings quoted, anything else as
# written.
show(x) := sprintf("%q", [x]) if is_string(x)

else := sprintf("%v", [x])

# show_field formats obj[key] like show, or says it is missing.
show_field(obj, key) := show(obj[key]) if key in object.keys(obj)

else := "(missing)"

# Beware: OPA evaluates the arguments of a call, and the key of a reference
# such as people[r.owner], before a `not` applies. When r.owner is missing
# the whole expression is undefined and `not` does not make it true. Pass
# object.get(r, "owner", null) or test a rule (`_owner := people[r.owner]`,
# `not _owner`) instead.

# --- dates ---

date_layout := "2006-01-02"

# valid_date holds for a real calendar date written YYYY-MM-DD; not for a
# timestamp such as "2026-08-01T00:00:00Z" or for 2026-02-30. It raises no
# built-in errors.
valid_date(s) if {
	is_string(s)
	regex.match(_date_form, s)
}

# _date_form matches the real days of the Gregorian calendar, leap days
# included (Feb 29 of years divisible by 4 and not by 100, or by 400, 0000
# too): one built-in call per date. It is the pattern of the date in
# schemas/defs.schema.json, and accepts what Go's record.ValidDate accepts
# (internal/schema's TestDatesAgree).
_date_form := `^([0-9]{4}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|[0-9]{4}-(0[469]|11)-(0[1-9]|[12][0-9]|30)|[0-9]{4}-02-(0[1-9]|1[0-9]|2[0-8])|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[048]|[2468][048]|[13579][26])00)-02-29)$`

# valid_period holds for a month written YYYY-MM.
valid_period(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])$`, s)
}

# --- versions ---

# valid_version holds for one to six numbers separated by dots, such as
# "10.0.26200".
valid_version(v) if {
	is_string(v)
	regex.match(`^[0-9]{1,9}(\.[0-9]{1,9}){0,5}$`, v)
}

# version_key turns a version into a string that sorts like the version:
# each of six components padded to nine digits ("15.7" and "15.7.0" get the
# same key, "10.0.9" sorts before "10.0.26200"). Undefined for anything
# valid_version rejects.
version_key(v) := sprintf("%09s.%09s.%09s.%09s.%09s.%09s", array.slice(array.concat(split(v, "."), _zeros), 0, 6)) if {
	valid_version(v)
}

_zeros := ["0", "0", "0", "0", "0", "0"]

# --- MAC addresses ---

# The accepted spellings of a MAC address, lower-cased.
_mac_form := `^([0-9a-f]{2}(:[0-9a-f]{2}){5}|[0-9a-f]{2}(-[0-9a-f]{2}){5}|[0-9a-f]{4}(\.[0-9a-f]{4}){2}|[0-9a-f]{12})$`

# normalize_mac turns AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff or
# aa:bb:cc:dd:ee:ff in any case into aa:bb:cc:dd:ee:ff. Undefined for
# anything else.
normalize_mac(s) := mac if {
	is_string(s)
	lowered := lower(trim_space(s))
	regex.match(_mac_form, lowered)
	digits := regex.replace(lowered, `[-:.]`, "")
	mac := regex.replace(digits, `^(..)(..)(..)(..)(..)(..)$`, "$1:$2:$3:$4:$5:$6")
}

# multicast_mac holds when the lowest bit of the first octet is set.
multicast_mac(mac) if contains("13579bdf", substring(mac, 1, 1))

# local_mac holds for a locally administered address (the second-lowest bit
# of the first octet set): what phones and laptops use as a private,
# randomised Wi-Fi address.
local_mac(mac) if contains("2367abef", substring(mac, 1, 1))

# mac_problem says what is wrong with s as a device's Wi-Fi address, or is
# undefined when s is a usable unicast address.
mac_problem(s) := "is not a MAC address; write it as aa:bb:cc:dd:ee:ff, as the Wi-Fi settings show it" if {
	not normalize_mac(s)
} else := "is the all-zero address, not a real one; copy the address from the Wi-Fi settings" if {
	normalize_mac(s) == "00:00:00:00:00:00"
} else := "is the broadcast address, not a device's; copy the address from the Wi-Fi settings" if {
	normalize_mac(s) == "ff:ff:ff:ff:ff:ff"
} else := "is the placeholder that Android shows to apps without permission; copy the address from Settings > About phone" if {
	normalize_mac(s) == "02:00:00:00:00:00"
} else := "is a multicast address (the lowest bit of the first octet is set), not a device's; copy the address from the Wi-Fi settings" if {
	multicast_mac(normalize_mac(s))
}

# valid_mac holds for a well-formed unicast address that mac_problem accepts.
valid_mac(s) if {
	normalize_mac(s)
	not mac_problem(s)
}

# --- derived data and dates of the record under check ---

# derived holds the lookups of package posture.derived: the copy posture
# computed once for the run when there is one, else computed here.
derived := d if {
	d := data.derived
} else := data.posture.derived

# ref_ns is input.ref_date in nanoseconds, read once per evaluation.
ref_ns := time.parse_ns(date_layout, input.ref_date) if valid_date(input.ref_date)

# cutoff_date is the day `days` days before input.ref_date, YYYY-MM-DD: a
# date string below it is older than `days` days. Comparing date strings
# spares the big-number arithmetic of ages for the records that pass.
cutoff_date(days) := time.format([time.add_date(ref_ns, 0, 0, 0 - days), "UTC", date_layout])

# age_days is how many days the date value lies before input.ref_date
# (negative when after it); undefined when value is not a date.
age_days(value) := round((ref_ns - time.parse_ns(date_layout, value)) / _day_ns) if valid_date(value)

_day_ns := (24 * 60) * 60e9
