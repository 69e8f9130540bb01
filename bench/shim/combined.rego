# METADATA
# title: posture's rules over one combined input, for opa eval
# description: |
#   input.records holds every record as posture's input document (kind,
#   path, ref_date, record), written by the benchmark (bench/rules.go);
#   denied queries posture's rule packages with each, as posture queries
#   them (data.posture.rules[_].violation), and keeps the deny violations
#   as [path, rule, message].
package bench

denied contains [r.path, v.rule, v.message] if {
	some r in input.records
	v := data.posture.rules[_].violation[_] with input as r
	v.severity == "deny"
}
