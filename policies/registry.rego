# METADATA
# title: device registry rules
# description: |
#   A device record (devices/<id>.yaml) against the rest of the registry:
#   its owner, its Wi-Fi addresses and its dates. data.registry.devices is the
#   trusted registry and may hold an older version of this same device.
package posture.rules.registry

import data.posture.lib

r := input.record

people := data.registry.people

# The device's file name without .yaml: the key of its entry in the
# registry, whatever its id field says (device.id_path reports a mismatch).
_file_id := trim_suffix(trim_suffix(regex.replace(input.path, `^.*/`, ""), ".yaml"), ".yml")

# METADATA
# title: Device id matches the file name
# description: A device record's id equals its file name without .yaml.
# custom:
#   id: device.id_path
#   severity: deny
#   remediation: Name the file devices/<id>.yaml after the id, or correct the id.
violation contains v if {
	input.kind == "device"
	not r.id == _file_id
	meta := rego.metadata.rule()
	msg := sprintf("id %s does not match the file name %q; name the file devices/<id>.yaml or set id: %s.", [lib.show_field(r, "id"), _file_id, _file_id])
	v := lib.violation(meta, ["id"], msg)
}

# The owner's person record. (Not people[r.owner] under `not`: OPA evaluates
# r.owner outside the negation, so a missing owner would pass silently.)
_owner := people[r.owner]

# METADATA
# title: Owner is a registered person
# description: The device's owner is in people/, and active while the device is active.
# custom:
#   id: device.owner
#   severity: deny
#   remediation: Set owner to the id of the person who uses the device; retire the device when its owner leaves.
violation contains v if {
	input.kind == "device"
	some msg in _owner_problems
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["owner"], msg)
}

_owner_problems contains msg if {
	not _owner
	msg := sprintf("owner %s is not a registered person; set owner to a person id from people/ (register the person first).", [lib.show_field(r, "owner")])
}

_owner_problems contains msg if {
	r.status == "active"
	_owner
	not _owner.active == true
	msg := sprintf("owner %q is not active but the device is; retire the device (status: retired with a retirement) or give it to an active owner.", [r.owner])
}

# METADATA
# title: Well-formed registered MAC addresses
# description: Each wifi_macs[i].mac is a unicast MAC address of a device.
# custom:
#   id: device.mac_format
#   severity: deny
#   remediation: Copy the address from the device's Wi-Fi settings, written as aa:bb:cc:dd:ee:ff.
violation contains v if {
	input.kind == "device"
	some i, entry in r.wifi_macs
	reason := lib.mac_problem(object.get(entry, "mac", null))
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["wifi_macs", i, "mac"], sprintf("mac %s %s.", [lib.show_field(entry, "mac"), reason]))
}

# How many active devices other than this one register MAC address m. The
# registry knows this device by its file name, so that is the one left out:
# leaving out the id field instead made a device with a mistaken id clash
# with itself, and one with another device's id hide the clash with it.
# Counted, not listed: when thousands of devices register one address, a
# list of the others for each of them would cost the square of their number.
# One object for all the device's addresses: a partial rule looked up by
# address would walk every address for each one (2,000 addresses took 17 s).
_others := {m: n |
	some entry in r.wifi_macs
	m := lib.normalize_mac(entry.mac)
	ids := lib.derived.macs[m]
	n := count(ids) - _self_in(ids)
	n > 0
}

_self_in(ids) := 1 if _file_id in ids

else := 0

# The most other devices named one by one for an address; past it, one
# violation gives their number.
_max_listed := 10

# METADATA
# title: MAC address on one active device
# description: An active device's MAC addresses are not registered to another active device.
# custom:
#   id: device.mac_unique
#   severity: deny
#   remediation: Remove the address from one of the devices, or retire the device that no longer uses it.
violation contains v if {
	input.kind == "device"
	r.status == "active"
	some i, entry in r.wifi_macs
	m := lib.normalize_mac(entry.mac)
	some msg in _clashes(entry.mac, m)
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["wifi_macs", i, "mac"], msg)
}

# _clashes are the messages for the registered address mac (m normalised)
# that other active devices register too.
_clashes(mac, m) := {msg |
	some other in lib.derived.macs[m]
	other != _file_id
	msg := sprintf("mac %q is also registered to the active device %q; a MAC address belongs to one active device. Remove it from one of them, or retire %q if it is no longer used.", [mac, other, other])
} if {
	_others[m] <= _max_listed
} else := {sprintf("mac %q is also registered to %d other active devices; a MAC address belongs to one active device. Remove it from the devices that no longer use it, or retire them.", [mac, _others[m]])} if {
	_others[m] > _max_listed
}

# METADATA
# title: Plausible retirement date
# description: retirement.date is a date, not after the reference date and not before the device was registered.
# custom:
#   id: device.retirement
#   severity: deny
#   remediation: Write the day the device was retired, YYYY-MM-DD.
violation contains v if {
	input.kind == "device"
	is_object(r.retirement)
	msg := _retirement_msg(object.get(r.retirement, "date", null))
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["retirement", "date"], msg)
}

_retirement_msg(d) := sprintf("retirement date %s is not a date written YYYY-MM-DD; write the day the device was retired.", [lib.show_field(r.retirement, "date")]) if {
	not lib.valid_date(d)
} else := sprintf("retirement date %q is after the reference date %s; retire a device when it has been retired, not ahead.", [d, input.ref_date]) if {
	d > input.ref_date
} else := sprintf("retirement date %q is before the device was registered on %s; correct the date.", [d, r.registered]) if {
	lib.valid_date(r.registered)
	d < r.registered
}

# METADATA
# title: Registration date not in the future
# description: registered is a date, not after the reference date.
# custom:
#   id: device.registered_future
#   severity: deny
#   remediation: Write the day the device was registered, YYYY-MM-DD.
violation contains v if {
	input.kind == "device"
	msg := _registered_msg(object.get(r, "registered", null))
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["registered"], msg)
}

_registered_msg(d) := sprintf("registered %s is not a date written YYYY-MM-DD; write the day the device was registered.", [lib.show_field(r, "registered")]) if {
	not lib.valid_date(d)
} else := sprintf("registered %q is after the reference date %s; a device is registered on or before the day it is added.", [d, input.ref_date]) if {
	d > input.ref_date
}
