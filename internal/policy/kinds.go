package policy

import (
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Kinds are the kinds of record the policies judge (input.kind).
var Kinds = []string{"report", "device", "person", "exception"}

// kindQueries decides once, at load, which rule packages can fire for each
// kind of record, and returns the query of each kind: a package whose
// every violation rule requires a kind with a top-level input.kind ==
// "<kind>" in its body is queried for those kinds only; a package with one
// rule that does not (an organisation's local rule written otherwise) is
// queried for every kind. A kind no package can fire for has the query "".
func kindQueries(c *ast.Compiler) map[string]string {
	type pkg struct {
		path  string
		kinds map[string]bool // nil: every kind
	}
	byPath := map[string]*pkg{}
	var order []string
	for _, name := range sortedKeys(c.Modules) {
		m := c.Modules[name]
		if !m.Package.Path.HasPrefix(rulesPackage) || len(m.Package.Path) != len(rulesPackage)+1 {
			continue
		}
		for _, r := range m.Rules {
			if r.Head.Ref().String() != "violation" {
				continue
			}
			path := m.Package.Path.String()
			p := byPath[path]
			if p == nil {
				p = &pkg{path: path, kinds: map[string]bool{}}
				byPath[path] = p
				order = append(order, path)
			}
			k := kindGuard(r)
			switch {
			case p.kinds == nil:
			case k == "":
				p.kinds = nil
			default:
				p.kinds[k] = true
			}
		}
	}
	slices.Sort(order)
	out := map[string]string{}
	for _, kind := range Kinds {
		var refs []string
		for _, path := range order {
			if p := byPath[path]; p.kinds == nil || p.kinds[kind] {
				refs = append(refs, path+".violation")
			}
		}
		out[kind] = strings.Join(refs, " | ")
	}
	return out
}

// kindGuard returns the kind that a rule's body requires with a top-level
// input.kind == "<kind>" (either way round, neither negated nor under
// with), or "".
func kindGuard(r *ast.Rule) string {
	kindRef := ast.MustParseRef("input.kind")
	for _, e := range r.Body {
		if e.Negated || len(e.With) > 0 || !e.IsCall() || len(e.Operands()) != 2 {
			continue
		}
		if op := e.Operator(); !op.Equal(ast.Equal.Ref()) && !op.Equal(ast.Equality.Ref()) {
			continue
		}
		a, b := e.Operand(0), e.Operand(1)
		if _, ok := a.Value.(ast.String); ok {
			a, b = b, a
		}
		ref, ok := a.Value.(ast.Ref)
		s, isString := b.Value.(ast.String)
		if ok && isString && ref.Equal(kindRef) {
			return string(s)
		}
	}
	return ""
}
