package posture.rules.people_test

import data.posture.fixtures as f
import data.posture.rules.people

violations(doc) := vs if {
	vs := people.violation with input as doc with data.registry as f.registry
}

rules(doc) := f.rules(violations(doc))

test_registered_people_pass if {
	count(violations(f.person_input({}))) == 0
	bob := f.record_input("person", "people/bob.yaml", f.registry.people.bob)
	count(violations(bob)) == 0
}

test_id_path_mismatch if {
	some v in violations(f.person_input({"id": "alicia"}))
	v.rule == "person.id_path"
	contains(v.message, `id "alicia" does not match the file name "alice"`)
}

test_supervisor_self if {
	some v in violations(f.person_input({"supervisor": "alice"}))
	v.rule == "person.supervisor"
	contains(v.message, "is the person themself")
	not "person.supervisor_cycle" in rules(f.person_input({"supervisor": "alice"}))
}

test_supervisor_not_registered if {
	some v in violations(f.person_input({"supervisor": "zed"}))
	v.rule == "person.supervisor"
	contains(v.message, `supervisor "zed" is not a registered person`)
}

test_supervisor_inactive if {
	some v in violations(f.person_input({"supervisor": "carol"}))
	v.rule == "person.supervisor"
	contains(v.message, `supervisor "carol" is not active`)
	not "person.supervisor" in rules(f.person_input({"supervisor": "carol", "active": false}))
}

test_no_supervisor_at_the_top if {
	not "person.supervisor" in rules(f.record_input("person", "people/bob.yaml", f.registry.people.bob))
}

test_supervisor_cycle if {
	# bob would become alice's report while alice reports to bob.
	bob := f.record_input("person", "people/bob.yaml", object.union(f.registry.people.bob, {"supervisor": "alice"}))
	some v in violations(bob)
	v.rule == "person.supervisor_cycle"
	v.message == `supervisor "alice" leads back to "bob" (the loop goes through "alice"); set a supervisor outside this loop.`
}

test_longer_supervisor_cycle if {
	# alice -> bob -> dave -> alice
	reg := object.union(f.registry, {"people": {"bob": {"supervisor": "dave"}, "dave": {"supervisor": "alice"}}})
	vs := people.violation with input as f.person_input({}) with data.registry as reg
	some v in vs
	v.rule == "person.supervisor_cycle"
	contains(v.message, `(the loop goes through "bob", "dave")`)
}

test_cycle_elsewhere_is_not_this_persons if {
	# bob and dave supervise each other; alice only reports into the loop.
	reg := object.union(f.registry, {"people": {"bob": {"supervisor": "dave"}, "dave": {"supervisor": "bob"}}})
	vs := people.violation with input as f.person_input({}) with data.registry as reg
	not "person.supervisor_cycle" in f.rules(vs)
}

test_github_taken_ignoring_case if {
	some v in violations(f.person_input({"github": "bob-admin"}))
	v.rule == "person.github_unique"
	v.field == ["github"]
	contains(v.message, `github "bob-admin" is also the login of person "bob"`)
}

test_github_own_login_passes if {
	not "person.github_unique" in rules(f.person_input({"github": "ALICE-GH"}))
}

test_rules_fire_only_for_people if {
	count(violations(object.union(f.person_input({"supervisor": "zed"}), {"kind": "device"}))) == 0
}

# A loop longer than ten people names the first ten on the way back, in
# the order of the chain.
test_long_supervisor_loop_names_ten if {
	# alice -> p01 -> p02 -> ... -> p12 -> alice
	chain := {sprintf("p%02d", [i]): {"id": sprintf("p%02d", [i]), "active": true, "supervisor": next} |
		some i in numbers.range(1, 12)
		next := _next(i)
	}
	reg := object.union(f.registry, {"people": object.union(f.registry.people, chain)})
	vs := people.violation with input as f.person_input({"supervisor": "p01"}) with data.registry as reg
	some v in vs
	v.rule == "person.supervisor_cycle"
	v.message == `supervisor "p01" leads back to "alice" (the loop goes through "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10", and more); set a supervisor outside this loop.`
}

_next(12) := "alice"

_next(i) := sprintf("p%02d", [i + 1]) if i < 12

test_loop_of_exactly_ten_names_all if {
	chain := {sprintf("p%02d", [i]): {"id": sprintf("p%02d", [i]), "active": true, "supervisor": next} |
		some i in numbers.range(1, 10)
		next := _next10(i)
	}
	reg := object.union(f.registry, {"people": object.union(f.registry.people, chain)})
	vs := people.violation with input as f.person_input({"supervisor": "p01"}) with data.registry as reg
	some v in vs
	v.rule == "person.supervisor_cycle"
	endswith(v.message, `"p09", "p10"); set a supervisor outside this loop.`)
}

_next10(10) := "alice"

_next10(i) := sprintf("p%02d", [i + 1]) if i < 10

# The loop goes through the person's file name, which the registry and
# every supervisor field use, whatever their id field says.
test_loop_through_the_file_name if {
	vs := people.violation with input as f.person_input({"id": "alicia", "supervisor": "bob"})
		with data.registry as object.union(f.registry, {"people": {"bob": {"supervisor": "alice"}}})
	some v in vs
	v.rule == "person.supervisor_cycle"
	contains(v.message, `leads back to "alice"`)
}

test_login_shared_by_many_is_counted if {
	others := {sprintf("p%02d", [i]): {"id": sprintf("p%02d", [i]), "github": "ALICE-gh", "active": true} | some i in numbers.range(1, 11)}
	reg := object.union(f.registry, {"people": object.union(f.registry.people, others)})
	vs := people.violation with input as f.person_input({}) with data.registry as reg
	clashes := [v | some v in vs; v.rule == "person.github_unique"]
	count(clashes) == 1
	clashes[0].message == `github "alice-gh" is also the login of 11 other people; each person has their own GitHub login. Correct the login here, or in the records of the others.`
}
