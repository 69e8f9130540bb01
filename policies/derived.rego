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
package posture.derived

import data.posture.lib

# macs maps each normalised MAC address to the active devices that register it.
macs[m] contains id if {
	some id, d in data.registry.devices
	d.status == "active"
	some e in d.wifi_macs
	m := lib.normalize_mac(e.mac)
}

# logins maps each lower-cased GitHub login to the people who use it.
logins[l] contains id if {
	some id, p in data.registry.people
	is_string(p.github)
	l := lower(p.github)
}

# supervises maps each person to the set holding their supervisor: the graph
# whose loops person.supervisor_cycle looks for.
supervises[id] := {s | some s in [p.supervisor]; is_string(s)} if {
	some id, p in data.registry.people
}

# os_tables maps each platform (and each linux distribution, as
# "linux/<name>") to its support table with the version keys computed.
os_tables[platform] := keyed(table) if {
	some platform, table in data.config.os_support
	platform != "linux"
}

os_tables[concat("/", ["linux", lower(name)])] := keyed(table) if {
	some name, table in data.config.os_support.linux
}

keyed(table) := [object.union(e, {"min_key": lib.version_key(e.min), "below_key": _below_key(e)}) | some e in table]

_below_key(e) := lib.version_key(e.below) if {
	is_string(object.get(e, "below", null))
} else := null
