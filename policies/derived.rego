# METADATA
# title: derived data
# description: |
#   Lookups that the rules need and that depend on data alone (the registry
#   and the config), never on the record under check. posture evaluates this
#   package once per run and hands the result to every evaluation as
#   data.derived, so a rule looks up a MAC address or a login instead of
#   scanning the whole registry for each record. Read it through
#   lib.derived, which computes it on the spot when data.derived is absent
#   (in the Rego unit tests).
#
#   posture evaluates `index` alone: its complete rules, and `groups`, the
#   [lookup, key, value] triples that it gathers into the lookups `macs` and
#   `logins` itself. OPA builds a multi-value partial rule over a registry of
#   10,000 in about half a second; the comprehension takes a few
#   milliseconds, and grouping triples needs no policy knowledge.
#
#   `chains` are graphs in which each node has at most one successor;
#   posture replaces each by an index that says in two lookups whether one
#   node leads to another (see reaches). A walk per person is linear in the
#   depth of the organisation, so a walk for each of 10,000 people in one
#   chain took 37 seconds.
package posture.derived

import data.posture.lib

# index is what posture evaluates once per run (see the package description).
index := {"groups": groups, "supervises": supervises, "chains": chains, "os_tables": os_tables}

# groups holds [lookup, key, value] triples: each normalised MAC address with
# an active device that registers it, and each lower-cased GitHub login with
# a person who uses it.
groups := {["macs", m, id] |
	some id, d in data.registry.devices
	d.status == "active"
	some e in d.wifi_macs
	m := lib.normalize_mac(e.mac)
} | {["logins", l, id] |
	some id, p in data.registry.people
	is_string(p.github)
	l := lower(p.github)
}

# macs maps each normalised MAC address to the active devices that register it.
macs[m] contains id if some ["macs", m, id] in groups

# logins maps each lower-cased GitHub login to the people who use it.
logins[l] contains id if some ["logins", l, id] in groups

# supervises maps each person to the set holding their supervisor: the graph
# whose loops person.supervisor_cycle looks for.
supervises := {id: {s | some s in [p.supervisor]; is_string(s)} | some id, p in data.registry.people}

# chains are the graphs that reaches answers for, by name.
chains := {"supervisors": supervises}

# reaches holds when following the chain called name from node s leads to
# node t: when t in graph.reachable(chains[name], {s}). posture indexes each
# chain once per run as data.derived.chains[name], node -> [lo, hi], where s
# leads to t exactly when lo(t) <= lo(s) <= hi(t); without that index (in
# the Rego unit tests) the chain is walked.
reaches(name, s, t) if {
	ix := data.derived.chains[name]
	[lo, hi] := ix[t]
	[at, _] := ix[s]
	lo <= at
	at <= hi
}

reaches(name, s, t) if {
	not data.derived.chains[name]
	t in graph.reachable(chains[name], {s})
}

# os_tables maps each platform (and each linux distribution, as
# "linux/<name>") to its support table with the version keys computed.
os_tables := object.union(
	{platform: keyed(table) | some platform, table in data.config.os_support; platform != "linux"},
	{concat("/", ["linux", lower(name)]): keyed(table) | some name, table in object.get(data.config.os_support, "linux", {})},
)

keyed(table) := [object.union(e, {"min_key": lib.version_key(e.min), "below_key": _below_key(e)}) | some e in table]

_below_key(e) := lib.version_key(e.below) if {
	is_string(object.get(e, "below", null))
} else := null
