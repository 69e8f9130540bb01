package posture.lib_test

import data.posture.lib

test_violation_shape if {
	meta := {"title": "T", "custom": {"id": "x.y", "severity": "warn"}}
	lib.violation(meta, ["evidence", 0, "path"], "m") == {
		"rule": "x.y",
		"severity": "warn",
		"title": "T",
		"field": ["evidence", "0", "path"],
		"message": "m",
	}
}

test_violation_without_field if {
	v := lib.violation({"title": "T", "custom": {"id": "x.y", "severity": "deny"}}, [], "m")
	v.field == []
}

test_show if {
	lib.show("a") == `"a"`
	lib.show(3) == "3"
	lib.show(true) == "true"
	lib.show_field({"a": false}, "a") == "false"
	lib.show_field({}, "a") == "(missing)"
}

test_valid_date if {
	lib.valid_date("2026-11-02")
	lib.valid_date("2028-02-29")
}

test_invalid_dates if {
	not lib.valid_date("2026-02-30")
	not lib.valid_date("2026-02-29")
	not lib.valid_date("1900-02-29")
	lib.valid_date("2000-02-29")
	lib.valid_date("2024-02-29")
	not lib.valid_date("2100-02-29")
	lib.valid_date("0000-02-29")
	lib.valid_date("2400-02-29")
	not lib.valid_date("0100-02-29")
	not lib.valid_date("2026-11-31")
	not lib.valid_date("2026-00-10")
	not lib.valid_date("2026-04-31")
	lib.valid_date("2026-12-31")
	not lib.valid_date("2026-04-31")
	not lib.valid_date("2026-00-10")
	not lib.valid_date("2026-13-01")
	not lib.valid_date("2026-08-01T00:00:00Z")
	not lib.valid_date("2026-8-1")
	not lib.valid_date(20260801)
	not lib.valid_date(null)
}

test_age_days if {
	lib.age_days("2026-09-01") == 62 with input as {"ref_date": "2026-11-02"}
	lib.age_days("2026-11-02") == -62 with input as {"ref_date": "2026-09-01"}
	lib.age_days("2026-03-28") == 2 with input as {"ref_date": "2026-03-30"}
	lib.age_days("2024-02-28") == 2 with input as {"ref_date": "2024-03-01"}
	lib.age_days("2026-11-02") == 0 with input as {"ref_date": "2026-11-02"}
}

test_age_days_undefined_for_non_dates if {
	not lib.age_days("2026-08-01T00:00:00Z") with input as {"ref_date": "2026-11-02"}
	not lib.age_days("2026-08-01") with input as {"ref_date": ""}
}

test_cutoff_date if {
	lib.cutoff_date(35) == "2026-09-28" with input as {"ref_date": "2026-11-02"}
	lib.cutoff_date(0) == "2026-11-02" with input as {"ref_date": "2026-11-02"}
	lib.cutoff_date(1) == "2024-02-29" with input as {"ref_date": "2024-03-01"}
}

test_valid_period if {
	lib.valid_period("2026-11")
	not lib.valid_period("2026-13")
	not lib.valid_period("2026-1")
	not lib.valid_period(202611)
}

test_version_key_orders_versions if {
	lib.version_key("10.0.9") < lib.version_key("10.0.26200")
	lib.version_key("26.1") > lib.version_key("15.7.2")
	lib.version_key("15") == lib.version_key("15.0.0")
	lib.version_key("10.0.26200.7171") > lib.version_key("10.0.26200")
	lib.version_key("24.04") == lib.version_key("24.4")
	lib.version_key("9") < lib.version_key("10")
	lib.version_key("10.0.26200") == lib.version_key("10.0.26200")
}

test_version_key_undefined_for_non_versions if {
	not lib.version_key("15.7 beta")
	not lib.version_key("")
	not lib.version_key("15..1")
	not lib.version_key(15)
	not lib.version_key("1.2.3.4.5.6.7")
}

test_version_key if {
	lib.version_key("10.0.26200") == "000000010.000000000.000026200.000000000.000000000.000000000"
	lib.version_key("08") == lib.version_key("8.0")
	lib.version_key("1.2.3.4.5.6") < lib.version_key("1.2.3.4.5.7")
}

test_normalize_mac_forms if {
	lib.normalize_mac("AA-BB-CC-DD-EE-0F") == "aa:bb:cc:dd:ee:0f"
	lib.normalize_mac("aabb.ccdd.eeff") == "aa:bb:cc:dd:ee:ff"
	lib.normalize_mac("AABBCCDDEEFF") == "aa:bb:cc:dd:ee:ff"
	lib.normalize_mac("aa:bb:cc:dd:ee:ff") == "aa:bb:cc:dd:ee:ff"
	lib.normalize_mac(" Aa:Bb:Cc:Dd:Ee:Ff ") == "aa:bb:cc:dd:ee:ff"
}

test_normalize_mac_malformed if {
	not lib.normalize_mac("aa:bb-cc:dd:ee:ff")
	not lib.normalize_mac("aa:bb:cc:dd:ee")
	not lib.normalize_mac("aa:bb:cc:dd:ee:fg")
	not lib.normalize_mac("aabbccddeeff00")
	not lib.normalize_mac("a:b:c:d:e:f")
	not lib.normalize_mac(12)
}

test_mac_bits if {
	lib.multicast_mac("01:00:5e:00:00:01")
	not lib.multicast_mac("00:1b:21:00:00:01")
	lib.local_mac("3a:bb:cc:dd:ee:ff")
	lib.local_mac("02:00:00:00:00:01")
	not lib.local_mac("a4:83:e7:00:00:01")
}

test_mac_problems if {
	contains(lib.mac_problem("zz:zz"), "not a MAC address")
	contains(lib.mac_problem("00-00-00-00-00-00"), "all-zero")
	contains(lib.mac_problem("FF:FF:FF:FF:FF:FF"), "broadcast")
	contains(lib.mac_problem("02:00:00:00:00:00"), "placeholder")
	contains(lib.mac_problem("01:00:5e:00:00:01"), "multicast")
	contains(lib.mac_problem(null), "not a MAC address")
}

test_valid_macs if {
	lib.valid_mac("a4:83:e7:00:00:01")
	lib.valid_mac("3a-bb-cc-00-11-22")
	not lib.mac_problem("3a-bb-cc-00-11-22")
	not lib.valid_mac("01:00:5e:00:00:01")
}
