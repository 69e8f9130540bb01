# METADATA
# title: exception rules
# description: |
#   An approved exception (policies/exceptions/<id>.yaml) names a registered
#   device and is approved by an active IT admin.
package posture.rules.exceptions

import data.posture.lib

r := input.record

_file_id := trim_suffix(trim_suffix(regex.replace(input.path, `^.*/`, ""), ".yaml"), ".yml")

# METADATA
# title: Exception id matches the file name
# description: An exception's id equals its file name without .yaml.
# custom:
#   id: exception.id_path
#   severity: deny
#   remediation: Name the file policies/exceptions/<id>.yaml after the id, or correct the id.
violation contains v if {
	input.kind == "exception"
	not r.id == _file_id
	meta := rego.metadata.rule()
	msg := sprintf("id %s does not match the file name %q; name the file policies/exceptions/<id>.yaml or set id: %s.", [lib.show_field(r, "id"), _file_id, _file_id])
	v := lib.violation(meta, ["id"], msg)
}

# METADATA
# title: Exception for a registered device
# description: The exception's device is registered in devices/.
# custom:
#   id: exception.device
#   severity: deny
#   remediation: Set device to the id of a registered device.
violation contains v if {
	input.kind == "exception"
	not _device_registered
	meta := rego.metadata.rule()
	msg := sprintf("device %s is not registered; an exception names a device from devices/ (register the device first).", [lib.show_field(r, "device")])
	v := lib.violation(meta, ["device"], msg)
}

# METADATA
# title: Approved by an active IT admin
# description: approved_by is a registered, active person with the role it-admin.
# custom:
#   id: exception.approver
#   severity: deny
#   remediation: Ask an active IT admin to approve the exception and write their person id in approved_by.
violation contains v if {
	input.kind == "exception"
	msg := _approver_msg
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["approved_by"], msg)
}

# A reference like devices[r.device] under `not` would be evaluated with
# r.device outside the negation, and so be silently undefined when the field
# is missing: test it through a rule instead.
_device_registered if data.registry.devices[r.device]

_approver := data.registry.people[r.approved_by]

_approver_msg := sprintf("approved_by %s is not a registered person; write the person id of the IT admin who approved the exception.", [lib.show_field(r, "approved_by")]) if {
	not _approver
} else := sprintf("approved_by %q is not active; ask an active IT admin to approve the exception.", [r.approved_by]) if {
	not _approver.active == true
} else := sprintf("approved_by %q has the role %s, not it-admin; only an IT admin approves exceptions.", [r.approved_by, lib.show_field(_approver, "role")]) if {
	not _approver.role == "it-admin"
}
