# METADATA
# title: people rules
# description: |
#   A person record (people/<id>.yaml) against the rest of the registry.
#   data.registry.people is the trusted registry and may hold an older
#   version of this same person.
package posture.rules.people

import data.posture.lib

r := input.record

people := data.registry.people

_file_id := trim_suffix(trim_suffix(regex.replace(input.path, `^.*/`, ""), ".yaml"), ".yml")

# The id this person goes by: the id field, else the file name.
self_id := r.id if is_string(r.id)

else := _file_id

# METADATA
# title: Person id matches the file name
# description: A person record's id equals its file name without .yaml.
# custom:
#   id: person.id_path
#   severity: deny
#   remediation: Name the file people/<id>.yaml after the id, or correct the id.
violation contains v if {
	input.kind == "person"
	not r.id == _file_id
	meta := rego.metadata.rule()
	msg := sprintf("id %s does not match the file name %q; name the file people/<id>.yaml or set id: %s.", [lib.show_field(r, "id"), _file_id, _file_id])
	v := lib.violation(meta, ["id"], msg)
}

# METADATA
# title: Supervisor is an active person
# description: |
#   The supervisor is another registered person, and active while this
#   person is active. Only the top of the organisation has no supervisor.
# custom:
#   id: person.supervisor
#   severity: deny
#   remediation: Set supervisor to the id of the active person who does this person's security check.
violation contains v if {
	input.kind == "person"
	some msg in _supervisor_problems
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["supervisor"], msg)
}

_supervisor_problems contains msg if {
	r.supervisor == self_id
	msg := sprintf("supervisor %q is the person themself; set the person who does their security check.", [r.supervisor])
}

_supervisor_problems contains msg if {
	"supervisor" in object.keys(r)
	not people[r.supervisor]
	msg := sprintf("supervisor %s is not a registered person; set supervisor to a person id from people/.", [lib.show_field(r, "supervisor")])
}

_supervisor_problems contains msg if {
	r.active == true
	r.supervisor != self_id
	people[r.supervisor]
	not people[r.supervisor].active == true
	msg := sprintf("supervisor %q is not active; set an active supervisor for this person.", [r.supervisor])
}

# METADATA
# title: No supervisor loop
# description: Following supervisors from this person does not lead back to them.
# custom:
#   id: person.supervisor_cycle
#   severity: deny
#   remediation: Break the loop by setting a supervisor higher up the organisation.
violation contains v if {
	input.kind == "person"
	is_string(r.supervisor)
	r.supervisor != self_id

	# The registry's graph holds this person too (as registered, or as
	# proposed in the change under check): a walk from the supervisor that
	# reaches them is a loop, whatever their own edge says.
	loop := graph.reachable(lib.derived.supervises, {r.supervisor})
	self_id in loop
	meta := rego.metadata.rule()
	names := concat(", ", [sprintf("%q", [id]) | some id in sort(loop); id != self_id])
	msg := sprintf("supervisor %q leads back to %q (the loop goes through %s); set a supervisor outside this loop.", [r.supervisor, self_id, names])
	v := lib.violation(meta, ["supervisor"], msg)
}

# METADATA
# title: Unique GitHub login
# description: No two people share a GitHub login (compared without case).
# custom:
#   id: person.github_unique
#   severity: deny
#   remediation: Write the person's own GitHub login; if the other person left, remove their login or mark them inactive.
violation contains v if {
	input.kind == "person"
	is_string(r.github)
	some id in lib.derived.logins[lower(r.github)]
	id != self_id
	meta := rego.metadata.rule()
	msg := sprintf("github %q is also the login of person %q; each person has their own GitHub login. Correct the login here or in people/%s.yaml.", [r.github, id, id])
	v := lib.violation(meta, ["github"], msg)
}
