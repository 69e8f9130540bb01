# scan.full_age: the last full antivirus scan is at most full_scan_max_days
# before the reference date, when the report names an antivirus product.
package main

_antivirus if {
	is_string(input.antivirus)
	input.antivirus != "not_applicable"
}

deny contains msg if {
	_antivirus
	not input.last_full_scan
	msg := "scan.full_age: last_full_scan is missing"
}

deny contains msg if {
	_antivirus
	input.last_full_scan
	not _date_ns(input.last_full_scan)
	msg := sprintf("scan.full_age: last_full_scan %v is not a date", [input.last_full_scan])
}

deny contains msg if {
	_antivirus
	days := _age_days(input.last_full_scan)
	days > data.full_scan_max_days
	msg := sprintf("scan.full_age: last_full_scan %s is %d days before %s; the limit is %d", [input.last_full_scan, days, data.ref_date, data.full_scan_max_days])
}
