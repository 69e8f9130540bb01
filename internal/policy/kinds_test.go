package policy

import (
	"context"
	"reflect"
	"testing"
)

// TestKindQueries decides which rule packages can fire for each kind of
// record: the shipped packages by their input.kind guards, a local package
// whose rules have no guard for every kind.
func TestKindQueries(t *testing.T) {
	unguarded := `package posture.rules.local_any

import data.posture.lib

# METADATA
# title: Any record
# custom:
#   id: local.any
#   severity: warn
violation contains v if {
	input.record.flag == true
	v := lib.violation(rego.metadata.rule(), ["flag"], "flagged.")
}
`
	guarded := `package posture.rules.local_two

import data.posture.lib

# METADATA
# title: Reports
# custom:
#   id: local.two_report
#   severity: warn
violation contains v if {
	"report" == input.kind
	v := lib.violation(rego.metadata.rule(), ["flag"], "flagged.")
}

# METADATA
# title: Devices, unless negated
# custom:
#   id: local.two_device
#   severity: warn
violation contains v if {
	not input.kind == "person"
	input.kind == "device"
	v := lib.violation(rego.metadata.rule(), ["flag"], "flagged.")
}
`
	tests := []struct {
		name  string
		files map[string]string
		want  map[string]string
	}{
		{name: "shipped", want: map[string]string{
			"report":    "data.posture.rules.hygiene.violation | data.posture.rules.mac.violation | data.posture.rules.os.violation | data.posture.rules.report.violation | data.posture.rules.scan.violation",
			"device":    "data.posture.rules.registry.violation",
			"person":    "data.posture.rules.people.violation",
			"exception": "data.posture.rules.exceptions.violation",
		}},
		{name: "local rules", files: map[string]string{"policies/local/any.rego": unguarded, "policies/local/two.rego": guarded}, want: map[string]string{
			"report":    "data.posture.rules.hygiene.violation | data.posture.rules.local_any.violation | data.posture.rules.local_two.violation | data.posture.rules.mac.violation | data.posture.rules.os.violation | data.posture.rules.report.violation | data.posture.rules.scan.violation",
			"device":    "data.posture.rules.local_any.violation | data.posture.rules.local_two.violation | data.posture.rules.registry.violation",
			"person":    "data.posture.rules.local_any.violation | data.posture.rules.people.violation",
			"exception": "data.posture.rules.exceptions.violation | data.posture.rules.local_any.violation",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Load(shipped(t, tt.files), policyDir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e.kinds, tt.want) {
				t.Errorf("got %#v\nwant %#v", e.kinds, tt.want)
			}
		})
	}
}

// TestKindQueriesAgree evaluates records of every kind with the query of
// their kind and with every package, and expects the same violations.
func TestKindQueriesAgree(t *testing.T) {
	p := prepare(t)
	ctx := context.Background()
	inputs := []Input{
		{Kind: "report", Path: "reports/2026-11/d-win.yaml", Record: parse(t, "reports/2026-11/d-win.yaml", file(t, "reports/2026-11/d-win.yaml"))},
		{Kind: "report", Path: "reports/2026-11/d-ios.yaml", Record: map[string]any{"device": "d-ios", "period": "2026-10", "last_full_scan": "2020-01-01"}},
		{Kind: "device", Path: "devices/d-win.yaml", Record: parse(t, "devices/d-win.yaml", file(t, "devices/d-win.yaml"))},
		{Kind: "device", Path: "devices/d-x.yaml", Record: map[string]any{"id": "d-y", "owner": "nobody", "wifi_macs": []any{map[string]any{"mac": "zz"}}}},
		{Kind: "person", Path: "people/alice.yaml", Record: map[string]any{"id": "alice", "supervisor": "alice"}},
		{Kind: "exception", Path: "policies/exceptions/x.yaml", Record: map[string]any{"device": "d-none", "rule": "no.such", "expires": "2020-01-01"}},
	}
	total := 0
	for _, in := range inputs {
		in.RefDate = "2026-11-22"
		t.Run(in.Path, func(t *testing.T) {
			got, err := p.Eval(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := p.eval(ctx, in, &p.query)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("by kind: %v\nevery package: %v", got, want)
			}
			total += len(want)
		})
	}
	if total < 5 {
		t.Errorf("%d violations in all: the records must break rules of every kind", total)
	}
}
