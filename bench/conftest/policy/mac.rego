# mac.registered: the reported wifi_mac (normalised) is one of the device's
# registered addresses. Like posture, it leaves alone an address that is not
# a usable unicast address (mac.format) and a private, locally administered
# one (mac.private): other rules judge those.
package main

_reported_mac := m if {
	m := _mac(input.wifi_mac)
	not m in {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:00"}
	not contains("13579bdf", substring(m, 1, 1)) # multicast
}

_registered_macs contains _mac(e.mac) if some e in _report_device.wifi_macs

deny contains msg if {
	_report_device
	m := _reported_mac
	not contains("2367abef", substring(m, 1, 1)) # locally administered
	not _registered_macs[m]
	msg := sprintf("mac.registered: wifi_mac %s is not registered for device %s", [input.wifi_mac, input.device])
}
