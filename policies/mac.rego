# METADATA
# title: Wi-Fi MAC address rules
# description: |
#   The Wi-Fi address a report gives is a real unicast address registered for
#   the device; a private (randomised) address only when the device keeps it
#   fixed for a corporate SSID and it is registered as such.
package posture.rules.mac

import data.posture.lib

r := input.record

device := data.registry.devices[r.device]

# The reported address, normalised; undefined when it is not usable.
mac := lib.normalize_mac(r.wifi_mac) if lib.valid_mac(r.wifi_mac)

# The device's registered addresses (normalised) and their entries.
registered[m] contains entry if {
	some entry in device.wifi_macs
	m := lib.normalize_mac(entry.mac)
}

_corporate(ssid) if ssid in data.config.corporate_ssids

# METADATA
# title: Well-formed Wi-Fi MAC address
# description: The reported wifi_mac is a MAC address of a device, not multicast, broadcast, all-zero or a placeholder.
# custom:
#   id: mac.format
#   severity: deny
#   remediation: Copy the Wi-Fi address from the device's Wi-Fi settings, written as aa:bb:cc:dd:ee:ff.
violation contains v if {
	input.kind == "report"
	reason := lib.mac_problem(object.get(r, "wifi_mac", null))
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["wifi_mac"], sprintf("wifi_mac %s %s.", [lib.show_field(r, "wifi_mac"), reason]))
}

# METADATA
# title: Registered Wi-Fi MAC address
# description: |
#   The reported wifi_mac is one of the device's registered wifi_macs. A
#   private (locally administered) address is checked by mac.private instead.
# custom:
#   id: mac.registered
#   severity: deny
#   remediation: Report the address the device uses on the corporate Wi-Fi, or register the new address for the device in its own pull request.
violation contains v if {
	input.kind == "report"
	device
	mac
	not lib.local_mac(mac)
	not registered[mac]
	meta := rego.metadata.rule()
	known := concat(", ", sort(object.keys(registered)))
	msg := sprintf("wifi_mac %q is not registered for device %q (registered: %s); report the address the device uses on the corporate Wi-Fi, or add this one to devices/%s.yaml in its own pull request.", [r.wifi_mac, r.device, known, r.device])
	v := lib.violation(meta, ["wifi_mac"], msg)
}

# METADATA
# title: Private Wi-Fi address registered as fixed
# description: |
#   A locally administered (private, randomised) wifi_mac is accepted only
#   when the device registers it as kind private_fixed for a corporate SSID.
# custom:
#   id: mac.private
#   severity: deny
#   remediation: Turn off the private Wi-Fi address for the corporate SSID and report the hardware address, or register the address as private_fixed for that SSID.
violation contains v if {
	input.kind == "report"
	lib.local_mac(mac)
	not _private_fixed
	meta := rego.metadata.rule()
	ssids := concat(", ", data.config.corporate_ssids)
	msg := sprintf("wifi_mac %q looks like a randomised private address (locally administered) and is not registered for device %s as private_fixed on a corporate SSID (%s); turn off the private Wi-Fi address for %s and report the hardware address, or register this address with kind: private_fixed and ssid: %s.", [r.wifi_mac, lib.show_field(r, "device"), ssids, ssids, data.config.corporate_ssids[0]])
	v := lib.violation(meta, ["wifi_mac"], msg)
}

_private_fixed if {
	some entry in registered[mac]
	entry.kind == "private_fixed"
	_corporate(entry.ssid)
}
