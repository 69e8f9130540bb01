package policy

import "github.com/open-policy-agent/opa/v1/ast"

// FinishIndex turns the value of package posture.derived's `index`, as OPA
// evaluates it, into the data.derived posture hands the rules: the groups
// gathered into lookups, the chains replaced by their reachability index.
// For tools that evaluate posture's rules with data.derived computed
// outside posture, such as the benchmark's conftest and opa eval runs.
func FinishIndex(index *ast.Term) (*ast.Term, error) {
	t, err := gather(index)
	if err != nil {
		return nil, err
	}
	return indexChains(t)
}
