package check

import (
	"context"
	"slices"
	"testing"

	"github.com/posture-dev/posture/internal/finding"
)

// localSupervisor is an organisation's own rule that reads the registry
// past the records a report names: the reporter's supervisor.
const localSupervisor = `package posture.rules.local_acme

import data.posture.lib

# METADATA
# title: Active supervisor
# custom:
#   id: local.acme_supervisor_active
#   severity: deny
violation contains v if {
	input.kind == "report"
	p := data.registry.people[input.record.reporter]
	s := data.registry.people[p.supervisor]
	s.active != true
	meta := rego.metadata.rule()
	v := lib.violation(meta, ["reporter"], sprintf("supervisor %q of %q is not active", [p.supervisor, input.record.reporter]))
}
`

// TestLocalRuleSeesWholeRegistry: with a rule of policies/local/ that
// reads a reporter's supervisor, a pull request of one report, and a check
// of that report named, give the policies the whole registry: the rule
// finds what a check of the whole tree finds (found by a security review:
// it failed open in the pull request and failed on main after the merge).
func TestLocalRuleSeesWholeRegistry(t *testing.T) {
	r := newTestRepo(t, seedTime)
	r.Write("policies/local/acme.rego", localSupervisor)
	r.Edit("people/e1.yaml", "active: true", "active: false")
	r.Commit("acme's rule; e1 leaves", seedTime)
	r.Checkout("pr", true)
	r.Edit(winReport, "lent to a relative", "lent to my sister")
	r.Commit("change", prTime)
	has := func(res *Result) bool {
		return slices.ContainsFunc(res.Findings, func(f finding.Finding) bool { return f.File == winReport && f.Rule == "local.acme_supervisor_active" })
	}
	diff, err := Diff(context.Background(), DiffOptions{Dir: r.Dir, Base: "main", Head: "pr", Author: "eita-e", Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if !has(diff) {
		t.Errorf("the pull request's check misses the local rule's finding: %v", diff.Findings)
	}
	named, err := Full(context.Background(), Options{Dir: r.Dir, Paths: []string{winReport}, Now: prNow})
	if err != nil {
		t.Fatal(err)
	}
	if !has(named) {
		t.Errorf("the check of %s misses the local rule's finding: %v", winReport, named.Findings)
	}
}
