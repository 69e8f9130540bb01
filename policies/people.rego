# METADATA
# title: people rules
# description: |
#   A person record (people/<id>.yaml) against the rest of the registry.
#   data.registry.people is the trusted registry and may hold an older
#   version of this same person.
package posture.rules.people

import data.posture.derived
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
	r.supervisor != _file_id

	# The registry's graph holds this person too, under their file name (as
	# registered, or as proposed in the change under check): a walk from the
	# supervisor that reaches them is a loop, whatever their own edge says.
	# derived.reaches answers from an index built once per run; a walk per
	# person cost the depth of the organisation for each of its people.
	derived.reaches("supervisors", r.supervisor, _file_id)
	meta := rego.metadata.rule()
	msg := sprintf("supervisor %q leads back to %q (the loop goes through %s); set a supervisor outside this loop.", [r.supervisor, _file_id, _loop_names])
	v := lib.violation(meta, ["supervisor"], msg)
}

# The most people a message names one by one.
_max_listed := 10

# _loop_names lists the people on the way from r.supervisor back to this
# person, in the order of the chain: the first _max_listed of them, then
# "and more". Eleven steps, written out: Rego has no loops, and a walk as
# deep as the organisation for each of its people is what derived.reaches
# saves.
_loop_names := concat(", ", array.concat(names, more)) if {
	p1 := _up(r.supervisor)
	p2 := _up(p1)
	p3 := _up(p2)
	p4 := _up(p3)
	p5 := _up(p4)
	p6 := _up(p5)
	p7 := _up(p6)
	p8 := _up(p7)
	p9 := _up(p8)
	p10 := _up(p9)
	walk := [r.supervisor, p1, p2, p3, p4, p5, p6, p7, p8, p9]
	names := [sprintf("%q", [p]) | some p in walk; is_string(p)]
	more := [x | x := "and more"; is_string(p10)]
}

# _up(p) is the supervisor of p on the way back to this person: null past
# this person or at the top of the chain.
_up(p) := s if {
	p != _file_id
	some s in lib.derived.supervises[p]
	s != _file_id
} else := null

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
	some msg in _login_clashes(lib.derived.logins[lower(r.github)])
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["github"], msg)
}

# _login_clashes are the messages for the people other than this one who
# use this person's login (ids): one per person when they are few, else
# their number, so that a login shared by thousands costs no more than
# their number to check for each of them.
_login_clashes(ids) := {msg |
	some id in ids
	id != self_id
	msg := sprintf("github %q is also the login of person %q; each person has their own GitHub login. Correct the login here or in people/%s.yaml.", [r.github, id, id])
} if {
	_others_in(ids) <= _max_listed
} else := {sprintf("github %q is also the login of %d other people; each person has their own GitHub login. Correct the login here, or in the records of the others.", [r.github, _others_in(ids)])}

_others_in(ids) := count(ids) - 1 if self_id in ids

else := count(ids)
