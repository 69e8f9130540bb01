package policy

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
)

// A local rule, its data and its tests, as an organisation writes them in
// policies/local/ (docs/policy-contract.md).
const (
	localRule = `# METADATA
# title: acme rules
# description: The antivirus products acme does not accept.
package posture.rules.local_acme

import data.posture.lib

# METADATA
# title: Accepted antivirus
# description: The report's antivirus product is not one acme has banned.
# custom:
#   id: local.acme_antivirus
#   severity: deny
#   remediation: Install an antivirus product that acme accepts.
violation contains v if {
	input.kind == "report"
	some banned in data.local.acme.banned_antivirus
	lower(input.record.antivirus) == lower(banned)
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["antivirus"], sprintf("antivirus %q is banned at acme; install another product and report again.", [input.record.antivirus]))
}
`
	localData = "acme:\n  banned_antivirus: [FreeAV]\n"
	localTest = `package posture.rules.local_acme_test

import data.posture.rules.local_acme

banned := {"acme": {"banned_antivirus": ["TestAV"]}}

report(av) := {"kind": "report", "path": "reports/2026-11/d-x.yaml", "ref_date": "2026-11-22", "record": {"antivirus": av}}

test_banned_product_fails if {
	some v in local_acme.violation with input as report("testav") with data.local as banned
	v.rule == "local.acme_antivirus"
	v.field == ["antivirus"]
}

test_other_product_passes if {
	count(local_acme.violation) == 0 with input as report("Defender") with data.local as banned
}
`
)

func TestLocalRules(t *testing.T) {
	root := writeShipped(t)
	writeFile(t, root, "policies/local/acme.rego", localRule)
	writeFile(t, root, "policies/local/data.yaml", localData)
	writeFile(t, root, "policies/local/acme_test.rego", localTest)
	fsys := os.DirFS(root)

	e, err := Load(fsys, policyDir)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(e.Rules(), func(r RuleInfo) bool { return r.ID == "local.acme_antivirus" })
	if i < 0 {
		t.Fatalf("the local rule is not among the rules: %v", e.Rules())
	}
	if r := e.Rules()[i]; r.Package != "data.posture.rules.local_acme" || r.Location != "policies/local/acme.rego:15" || r.Severity != SeverityDeny {
		t.Errorf("local rule = %+v", r)
	}

	p, err := e.Prepare(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		antivirus string
		fires     bool
	}{{"FreeAV", true}, {"Microsoft Defender", false}} {
		vs, err := p.Eval(context.Background(), Input{Kind: "report", Path: "reports/2026-11/d-x.yaml", RefDate: refDate,
			Record: map[string]any{"antivirus": tt.antivirus}})
		if err != nil {
			t.Fatal(err)
		}
		fired := slices.ContainsFunc(vs, func(v Violation) bool { return v.Rule == "local.acme_antivirus" })
		if fired != tt.fires {
			t.Errorf("antivirus %q: local rule fired = %v, want %v (%v)", tt.antivirus, fired, tt.fires, vs)
		}
	}

	run := runTests(t, root)
	if !run.OK() {
		t.Fatalf("rego tests with a local rule:\n%s", describe(run))
	}
	var local []string
	for _, r := range run.Results {
		if strings.HasPrefix(r.File, "policies/local/") {
			local = append(local, r.Name)
		}
	}
	if want := []string{"data.posture.rules.local_acme_test.test_banned_product_fails", "data.posture.rules.local_acme_test.test_other_product_passes"}; !slices.Equal(local, want) {
		t.Errorf("local tests run = %q, want %q", local, want)
	}

	// A local test that fails is reported at its place.
	writeFile(t, root, "policies/local/acme_test.rego", strings.Replace(localTest, `report("Defender")`, `report("TestAV")`, 1))
	run = runTests(t, root)
	failed := run.Failed()
	if len(failed) != 1 || failed[0].File != "policies/local/acme_test.rego" || failed[0].Line != 15 || failed[0].Name != "data.posture.rules.local_acme_test.test_other_product_passes" {
		t.Errorf("failed = %+v, want test_other_product_passes at policies/local/acme_test.rego:15", failed)
	}
}

// TestRunTestsProblems checks that policies posture check would refuse are
// problems of the run, with their place, and that no test runs.
func TestRunTestsProblems(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"syntax error in a test", "policies/local/x_test.rego", "package x_test\n\ntest_x if {\n", "policies/local/x_test.rego:4: rego_parse_error"},
		{"compile error in a test", "policies/local/x_test.rego", "package x_test\n\ntest_x if { y }\n", "policies/local/x_test.rego:3: rego_unsafe_var_error"},
		{"rule without metadata", "policies/local/x.rego", "package posture.rules.local_x\n\nviolation contains 1 if false\n", "policies/local/x.rego:3: the violation rule has no # METADATA block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeShipped(t)
			writeFile(t, root, tt.file, tt.src)
			run := runTests(t, root)
			if len(run.Results) != 0 || !strings.Contains(strings.Join(run.Problems, "\n"), tt.want) {
				t.Errorf("problems = %q (%d results), want one containing %q", run.Problems, len(run.Results), tt.want)
			}
			if run.OK() {
				t.Error("the run is OK")
			}
		})
	}
}
