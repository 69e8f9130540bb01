package policy

import "github.com/open-policy-agent/opa/v1/ast"

// IndexChains replaces the chains of a derived index (package
// posture.derived's `index`, its groups gathered) by the reachability index
// posture hands the rules as data.derived.chains: for tools that evaluate
// posture's rules with data.derived computed outside posture, such as the
// benchmark's conftest and opa eval runs.
func IndexChains(index *ast.Term) (*ast.Term, error) { return indexChains(index) }
