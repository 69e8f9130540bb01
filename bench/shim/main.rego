# METADATA
# title: posture's rules, run by conftest
# description: |
#   The shim that makes conftest evaluate exactly posture's policy set: it
#   binds the file conftest hands over into posture's input document (kind,
#   path, ref_date, record) and queries posture's rule packages with it, as
#   posture queries them (data.posture.rules[_].violation). The kind and the
#   reference date of a file's folder come from data.bench, written by the
#   benchmark the way posture decides them (bench/rules.go); the path is the
#   file's folder, which conftest gives as data.conftest.file.dir, relative
#   to the organisation's root. Each message starts with its rule id, as the
#   equivalent policy set's do.
package main

# _dir is the folder of the file under test, relative to the organisation.
_dir := trim_prefix(data.conftest.file.dir, concat("", [data.bench.root, "/"]))

# _doc is posture's input document for the file.
_doc := {
	"kind": data.bench.kinds[_dir],
	"path": concat("/", [_dir, data.conftest.file.name]),
	"ref_date": data.bench.ref_dates[_dir],
	"record": input,
}

deny contains msg if {
	v := data.posture.rules[_].violation[_] with input as _doc
	v.severity == "deny"
	msg := sprintf("%s: %s", [v.rule, v.message])
}
