package posture.rules.mac_test

import data.posture.fixtures as f
import data.posture.rules.mac

violations(doc) := vs if {
	vs := mac.violation with input as doc with data.registry as f.registry with data.config as f.config
}

rules(doc) := f.rules(violations(doc))

on(device, fields) := object.union(f.patched(fields), {"record": {"device": device}})

test_registered_macs_pass if {
	count(violations(f.report_input(f.report))) == 0
	count(violations(f.report_input(f.ios_report))) == 0
}

test_other_spellings_of_a_registered_mac_pass if {
	count(violations(f.patched({"wifi_mac": "001B.2100.1122"}))) == 0
	count(violations(f.patched({"wifi_mac": "001b21001122"}))) == 0
	count(violations(f.patched({"wifi_mac": "00-1B-21-00-11-22"}))) == 0
}

test_malformed_mac_fails if {
	some v in violations(f.patched({"wifi_mac": "00:1b:21:00:11"}))
	v.rule == "mac.format"
	v.field == ["wifi_mac"]
	startswith(v.message, `wifi_mac "00:1b:21:00:11" is not a MAC address`)
	count(violations(f.patched({"wifi_mac": "00:1b:21:00:11"}))) == 1
}

test_missing_mac_fails if {
	rules(f.without("wifi_mac")) == {"mac.format"}
}

test_special_macs_fail if {
	every m in ["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:00", "01:00:5e:00:00:fb", "33:33:00:00:00:01"] {
		rules(f.patched({"wifi_mac": m})) == {"mac.format"}
	}
}

test_unregistered_mac_fails if {
	some v in violations(f.patched({"wifi_mac": "a4:83:e7:00:00:01"}))
	v.rule == "mac.registered"
	v.message == `wifi_mac "a4:83:e7:00:00:01" is not registered for device "d-win" (registered: 00:1b:21:00:11:22); report the address the device uses on the corporate Wi-Fi, or add this one to devices/d-win.yaml in its own pull request.`
}

test_unregistered_device_left_to_report_rules if {
	not "mac.registered" in rules(on("d-nope", {}))
}

test_randomised_mac_fails if {
	vs := violations(f.patched({"wifi_mac": "3e:bb:cc:00:11:99"}))
	f.rules(vs) == {"mac.private"}
	some v in vs
	contains(v.message, `wifi_mac "3e:bb:cc:00:11:99" looks like a randomised private address`)
	contains(v.message, "turn off the private Wi-Fi address for CORP-WIFI")
	contains(v.message, "kind: private_fixed")
}

test_private_fixed_on_corporate_ssid_passes if {
	count(violations(on("d-ios", {"wifi_mac": "3a-bb-cc-00-11-22"}))) == 0
}

test_private_fixed_on_other_ssid_fails if {
	rules(on("d-guest", {"wifi_mac": "3e:00:00:00:00:07"})) == {"mac.private"}
}

test_private_registered_as_burned_in_fails if {
	reg := object.union(f.registry, {"devices": {"d-win": {"wifi_macs": [{"mac": "3e:bb:cc:00:11:99", "kind": "burned_in", "ssid": "CORP-WIFI"}]}}})
	vs := mac.violation with input as f.patched({"wifi_mac": "3e:bb:cc:00:11:99"}) with data.registry as reg with data.config as f.config
	f.rules(vs) == {"mac.private"}
}

test_rules_fire_only_for_reports if {
	count(violations(object.union(f.patched({"wifi_mac": "x"}), {"kind": "person"}))) == 0
}
