package policy

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// ChainsKey is the entry of the derived index that holds chains: graphs,
// by name, in which each node has at most one successor (node -> set of
// at most one node), such as people and their supervisor.
const ChainsKey = "chains"

// indexChains replaces each chain of the derived index by a reachability
// index built in linear time: node -> [lo, hi], such that following the
// chain from s reaches t exactly when lo(t) <= lo(s) <= hi(t), which is
// what `t in graph.reachable(chain, {s})` says. So a rule answers, for each
// of n people, whether their supervisor leads back to them with two
// lookups, not a walk of the chain: 10,000 people in one chain cost 10,000
// lookups, not 50 million steps.
//
// Only nodes that are keys of the chain are indexed, as graph.reachable
// reaches only those. An index without the entry is returned as it is.
func indexChains(index *ast.Term) (*ast.Term, error) {
	obj, ok := index.Value.(ast.Object)
	if !ok {
		return index, nil
	}
	key := ast.StringTerm(ChainsKey)
	chains := obj.Get(key)
	if chains == nil {
		return index, nil
	}
	named, ok := chains.Value.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("%s is %v, not an object of chains by name", ChainsKey, ast.ValueName(chains.Value))
	}
	out := ast.NewObject()
	err := named.Iter(func(name, graph *ast.Term) error {
		g, ok := graph.Value.(ast.Object)
		if !ok {
			return fmt.Errorf("%s.%v is %v, not an object of node -> successors", ChainsKey, name, ast.ValueName(graph.Value))
		}
		idx, err := reachIndex(g)
		if err != nil {
			return fmt.Errorf("%s.%v: %w", ChainsKey, name, err)
		}
		out.Insert(name, ast.NewTerm(idx))
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := ast.NewObject()
	_ = obj.Iter(func(k, v *ast.Term) error {
		if k.Equal(key) {
			v = ast.NewTerm(out)
		}
		res.Insert(k, v)
		return nil
	})
	return ast.NewTerm(res), nil
}

// reachIndex builds the [lo, hi] index of the chain g (see indexChains).
// The chain is a forest of trees whose roots are the nodes without a
// successor and the loops; numbering the nodes in the order of a walk of
// that forest from its roots downwards gives every node the interval of its
// subtree, and all the nodes of a loop the interval of the loop and
// everything that leads into it.
func reachIndex(g ast.Object) (ast.Object, error) {
	n := g.Len()
	nodes := make([]*ast.Term, 0, n)
	id := make(map[string]int, n)
	_ = g.Iter(func(k, _ *ast.Term) error {
		id[k.String()] = len(nodes)
		nodes = append(nodes, k)
		return nil
	})
	succ := make([]int, n)
	for i, k := range nodes {
		succ[i] = -1
		next, ok := g.Get(k).Value.(ast.Set)
		if !ok {
			return nil, fmt.Errorf("the successors of %v are %v, not a set", k, ast.ValueName(g.Get(k).Value))
		}
		if next.Len() > 1 {
			return nil, fmt.Errorf("%v has %d successors; a chain has at most one", k, next.Len())
		}
		_ = next.Iter(func(s *ast.Term) error {
			if j, ok := id[s.String()]; ok {
				succ[i] = j
			}
			return nil
		})
	}
	loop := findLoops(succ)

	// The tree edges, reversed: the nodes that lead to each node, except
	// along a loop. Stored as one slice cut per node.
	start := make([]int, n+1)
	for i, s := range succ {
		if s >= 0 && loop[i] < 0 {
			start[s+1]++
		}
	}
	for i := range n {
		start[i+1] += start[i]
	}
	below := make([]int, n)
	fill := append([]int(nil), start[:n]...)
	for i, s := range succ {
		if s >= 0 && loop[i] < 0 {
			below[fill[s]] = i
			fill[s]++
		}
	}

	lo, hi := make([]int, n), make([]int, n)
	next := 0
	type frame struct{ node, child int }
	var stack []frame
	// walk numbers the trees below the roots given, depth first.
	walk := func(roots []int) {
		for _, r := range roots {
			stack = append(stack, frame{node: r, child: start[r]})
		}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.child < start[f.node+1] {
				c := below[f.child]
				f.child++
				lo[c] = next
				next++
				stack = append(stack, frame{node: c, child: start[c]})
				continue
			}
			hi[f.node] = next - 1
			stack = stack[:len(stack)-1]
		}
	}
	members := map[int][]int{}
	for i, l := range loop {
		if l >= 0 {
			members[l] = append(members[l], i)
		}
	}
	for i := range n {
		switch {
		case succ[i] < 0: // a top: no successor, or one outside the chain
			lo[i] = next
			next++
			walk([]int{i})
		case loop[i] >= 0 && members[loop[i]][0] == i: // a loop, at its first node
			ms := members[loop[i]]
			first := next
			next++
			walk(ms)
			for _, m := range ms {
				lo[m], hi[m] = first, next-1
			}
		}
	}

	out := ast.NewObject()
	for i, k := range nodes {
		out.Insert(k, ast.ArrayTerm(ast.InternedTerm(lo[i]), ast.InternedTerm(hi[i])))
	}
	return out, nil
}

// findLoops returns, for each node of the chain succ (-1: no successor),
// the number of the loop it stands on, or -1.
func findLoops(succ []int) []int {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(succ))
	loop := make([]int, len(succ))
	for i := range loop {
		loop[i] = -1
	}
	loops := 0
	var path []int
	for i := range succ {
		path = path[:0]
		j := i
		for j >= 0 && state[j] == unseen {
			state[j] = onPath
			path = append(path, j)
			j = succ[j]
		}
		if j >= 0 && state[j] == onPath {
			// The walk came back to a node of its own path: from there on
			// the path is a loop.
			for k := len(path) - 1; ; k-- {
				loop[path[k]] = loops
				if path[k] == j {
					break
				}
			}
			loops++
		}
		for _, k := range path {
			state[k] = done
		}
	}
	return loop
}
