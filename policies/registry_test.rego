package posture.rules.registry_test

import data.posture.fixtures as f
import data.posture.rules.registry

violations(doc) := vs if {
	vs := registry.violation with input as doc with data.registry as f.registry
}

rules(doc) := f.rules(violations(doc))

without(field) := object.union(object.remove(f.device_input({}), ["record"]), {"record": object.remove(f.device_input({}).record, [field])})

test_registered_device_passes if {
	count(violations(f.device_input({}))) == 0
}

test_new_device_passes if {
	doc := object.union(f.device_input({"id": "d-new", "wifi_macs": [{"mac": "00:1b:21:00:99:99", "kind": "burned_in", "ssid": "CORP-WIFI"}]}), {"path": "devices/d-new.yaml"})
	count(violations(doc)) == 0
}

test_id_path_mismatch if {
	some v in violations(f.device_input({"id": "d-other"}))
	v.rule == "device.id_path"
	v.field == ["id"]
	contains(v.message, `id "d-other" does not match the file name "d-win"`)
}

test_id_missing if {
	"device.id_path" in rules(without("id"))
}

test_owner_not_registered if {
	some v in violations(f.device_input({"owner": "zed"}))
	v.rule == "device.owner"
	contains(v.message, `owner "zed" is not a registered person`)
}

test_owner_missing if {
	"device.owner" in rules(without("owner"))
}

test_active_device_inactive_owner if {
	some v in violations(f.device_input({"owner": "carol"}))
	v.rule == "device.owner"
	contains(v.message, `owner "carol" is not active but the device is`)
}

test_retired_device_inactive_owner_passes if {
	doc := f.device_input({"owner": "carol", "status": "retired", "retirement": {"date": "2026-11-01", "reason": "left", "data_disposition": "wiped"}})
	not "device.owner" in rules(doc)
}

test_mac_format if {
	doc := f.device_input({"wifi_macs": [
		{"mac": "00:1b:21:00:11:22", "kind": "burned_in", "ssid": "CORP-WIFI"},
		{"mac": "01:00:5e:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"},
		{"mac": "nope", "kind": "burned_in", "ssid": "CORP-WIFI"},
	]})
	fields := {concat("/", v.field) | some v in violations(doc); v.rule == "device.mac_format"}
	fields == {"wifi_macs/1/mac", "wifi_macs/2/mac"}
}

test_mac_on_another_active_device if {
	doc := f.device_input({"wifi_macs": [
		{"mac": "00:1b:21:00:11:22", "kind": "burned_in", "ssid": "CORP-WIFI"},
		{"mac": "A4-83-E7-00-00-01", "kind": "burned_in", "ssid": "CORP-WIFI"},
	]})
	some v in violations(doc)
	v.rule == "device.mac_unique"
	v.field == ["wifi_macs", "1", "mac"]
	contains(v.message, `is also registered to the active device "d-mac"`)
}

test_mac_of_retired_device_is_free if {
	doc := f.device_input({"wifi_macs": [{"mac": "00:1b:21:00:00:02", "kind": "burned_in", "ssid": "CORP-WIFI"}]})
	not "device.mac_unique" in rules(doc)
}

test_retired_device_may_share_a_mac if {
	doc := f.device_input({
		"wifi_macs": [{"mac": "a4:83:e7:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"}],
		"status": "retired",
		"retirement": {"date": "2026-11-01", "reason": "sold", "data_disposition": "wiped"},
	})
	not "device.mac_unique" in rules(doc)
}

retired(date) := f.device_input({"status": "retired", "retirement": {"date": date, "reason": "sold", "data_disposition": "wiped"}})

test_retirement_dates if {
	not "device.retirement" in rules(retired("2026-11-22"))
	not "device.retirement" in rules(retired("2026-01-10"))
	"device.retirement" in rules(retired("2026-11-23"))
	"device.retirement" in rules(retired("2026-01-09"))
	"device.retirement" in rules(retired("2026-13-01"))
}

test_retirement_without_date if {
	doc := f.device_input({"status": "retired", "retirement": {"reason": "sold"}})
	some v in violations(doc)
	v.rule == "device.retirement"
	v.field == ["retirement", "date"]
	startswith(v.message, "retirement date (missing) is not a date")
}

test_registered_in_future if {
	some v in violations(f.device_input({"registered": "2026-11-23"}))
	v.rule == "device.registered_future"
	contains(v.message, `registered "2026-11-23" is after the reference date 2026-11-22`)
	"device.registered_future" in rules(without("registered"))
	"device.registered_future" in rules(f.device_input({"registered": "2026-01-10T00:00:00Z"}))
}

test_rules_fire_only_for_devices if {
	count(violations(object.union(f.device_input({"owner": "zed"}), {"kind": "report"}))) == 0
}

# The registry is keyed by file name: a device whose id field differs from
# its file name (device.id_path) is still itself, not another device with
# the same MAC address.
test_device_with_wrong_id_does_not_clash_with_itself if {
	doc := f.device_input({"id": "d-other"})
	r := rules(doc)
	"device.id_path" in r
	not "device.mac_unique" in r
}

# An id naming another device does not hide a clash with that device.
test_wrong_id_does_not_hide_a_clash if {
	doc := f.device_input({"id": "d-mac", "wifi_macs": [{"mac": "a4:83:e7:00:00:01", "kind": "burned_in", "ssid": "CORP-WIFI"}]})
	some v in violations(doc)
	v.rule == "device.mac_unique"
	contains(v.message, `is also registered to the active device "d-mac"`)
}

# Ten other devices with the address are each named; more are counted in
# one violation, so that thousands of devices sharing an address cost their
# number, not its square.
many_with_mac(n) := object.union(f.registry, {"devices": object.union(f.registry.devices, {sprintf("d-copy-%02d", [i]): f.registry.devices["d-win"] | some i in numbers.range(1, n)})})

test_mac_shared_by_ten_names_each if {
	vs := registry.violation with input as f.device_input({}) with data.registry as many_with_mac(10)
	clashes := {v.message | some v in vs; v.rule == "device.mac_unique"}
	count(clashes) == 10
	some m in clashes
	contains(m, `is also registered to the active device "d-copy-10"`)
}

test_mac_shared_by_many_is_counted if {
	vs := registry.violation with input as f.device_input({}) with data.registry as many_with_mac(11)
	clashes := [v | some v in vs; v.rule == "device.mac_unique"]
	count(clashes) == 1
	clashes[0].field == ["wifi_macs", "0", "mac"]
	clashes[0].message == `mac "00-1B-21-00-11-22" is also registered to 11 other active devices; a MAC address belongs to one active device. Remove it from the devices that no longer use it, or retire them.`
}
