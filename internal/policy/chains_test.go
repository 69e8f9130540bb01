package policy

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// randomChain is a graph of n nodes, each with no successor, one in the
// graph (itself too) or one outside it: a forest of chains and loops.
func randomChain(rng *rand.Rand, n int) map[string]any {
	g := map[string]any{}
	for i := range n {
		var next []any
		switch r := rng.IntN(10); {
		case r == 0:
		case r == 1:
			next = []any{"outside"}
		default:
			next = []any{fmt.Sprint("n", rng.IntN(n))}
		}
		g[fmt.Sprint("n", i)] = next
	}
	return g
}

// TestReachIndexMatchesReachable compares the index of random chains with
// OPA's own graph.reachable from every node.
func TestReachIndexMatchesReachable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		g := randomChain(rng, 1+rng.IntN(40))
		idx, err := reachIndex(setsOf(t, g))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := rego.New(
			rego.Query(`r := {s: graph.reachable(input, {s}) | some s, _ in input}`),
			rego.Input(g),
		).Eval(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		reached := rs[0].Bindings["r"].(map[string]any)
		for s := range g {
			got := map[string]bool{}
			for tt := range g {
				if reaches(t, idx, s, tt) {
					got[tt] = true
				}
			}
			want := map[string]bool{}
			for _, x := range reached[s].([]any) {
				want[x.(string)] = true
			}
			if !maps.Equal(got, want) {
				t.Errorf("round %d: from %s the index reaches %v, graph.reachable %v (graph %v)", round, s, keys(got), keys(want), g)
			}
		}
	}
}

// setsOf turns node -> [successors] into the chain's AST form.
func setsOf(t *testing.T, g map[string]any) ast.Object {
	t.Helper()
	out := ast.NewObject()
	for k, v := range g {
		var elems []*ast.Term
		for _, s := range v.([]any) {
			elems = append(elems, ast.StringTerm(s.(string)))
		}
		out.Insert(ast.StringTerm(k), ast.SetTerm(elems...))
	}
	return out
}

// reaches answers from the index as derived.reaches does in Rego.
func reaches(t *testing.T, idx ast.Object, s, tt string) bool {
	t.Helper()
	at, to := idx.Get(ast.StringTerm(s)), idx.Get(ast.StringTerm(tt))
	if at == nil || to == nil {
		return false
	}
	num := func(a *ast.Term, i int) int {
		n, _ := a.Value.(*ast.Array).Elem(i).Value.(ast.Number).Int()
		return n
	}
	return num(to, 0) <= num(at, 0) && num(at, 0) <= num(to, 1)
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

func TestReachIndexRefusesBranches(t *testing.T) {
	g := ast.NewObject(ast.Item(ast.StringTerm("a"), ast.SetTerm(ast.StringTerm("b"), ast.StringTerm("c"))))
	if _, err := reachIndex(g); err == nil || !strings.Contains(err.Error(), "at most one") {
		t.Errorf("a node with two successors gave %v, want an error", err)
	}
}

// TestSupervisorLoopsAgree evaluates the shipped policies on random
// supervisor graphs twice: with posture's index of the chain, and with the
// walk the Rego unit tests use (no data.derived). Every person, as
// registered and with another supervisor proposed, must get the same
// violations both ways.
func TestSupervisorLoopsAgree(t *testing.T) {
	e, err := Load(shipped(t, nil), policyDir)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	ctx := context.Background()
	loops := 0
	for round := range 8 {
		n := 5 + rng.IntN(30)
		people := map[string]any{}
		for i := range n {
			id := fmt.Sprintf("p%02d", i)
			p := map[string]any{"id": id, "github": id, "active": true, "role": "employee"}
			switch r := rng.IntN(8); {
			case r == 0:
			case r == 1:
				p["supervisor"] = "outside"
			default:
				p["supervisor"] = fmt.Sprintf("p%02d", rng.IntN(n))
			}
			people[id] = p
		}
		if round == 0 { // one loop longer than a message lists
			for i := range n {
				people[fmt.Sprintf("p%02d", i)].(map[string]any)["supervisor"] = fmt.Sprintf("p%02d", (i+1)%n)
			}
		}
		data := map[string]any{"registry": map[string]any{"people": people, "devices": map[string]any{}}}
		p, err := e.Prepare(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			id := fmt.Sprintf("p%02d", i)
			rec := maps.Clone(people[id].(map[string]any))
			proposed := maps.Clone(rec)
			proposed["supervisor"] = fmt.Sprintf("p%02d", rng.IntN(n))
			for _, r := range []map[string]any{rec, proposed} {
				in := Input{Kind: "person", Path: "people/" + id + ".yaml", RefDate: refDate, Record: r}
				got, err := p.Eval(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				want := evalWalking(t, e, data, in)
				if !slices.EqualFunc(got, want, func(a, b Violation) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
					t.Errorf("round %d, %s with supervisor %v:\nindexed %v\nwalking %v", round, id, r["supervisor"], got, want)
				}
				for _, v := range got {
					if v.Rule == "person.supervisor_cycle" {
						loops++
					}
				}
			}
		}
	}
	if loops < 20 {
		t.Errorf("only %d supervisor loops found; the random graphs test too little", loops)
	}
}

// evalWalking evaluates in without data.derived, as `opa test` does.
func evalWalking(t *testing.T, e *Engine, data map[string]any, in Input) []Violation {
	t.Helper()
	doc := maps.Clone(data)
	maps.Copy(doc, e.data)
	rs, err := rego.New(
		rego.Query(Query),
		rego.Compiler(e.compiler),
		rego.Store(inmem.NewFromObject(doc)),
		rego.Input(map[string]any{"kind": in.Kind, "path": in.Path, "ref_date": in.RefDate, "record": in.Record}),
	).Eval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var vs []Violation
	for _, r := range rs {
		for _, x := range r.Expressions {
			for _, item := range x.Value.([]any) {
				v, err := decodeViolation(item)
				if err != nil {
					t.Fatal(err)
				}
				vs = append(vs, v)
			}
		}
	}
	slices.SortFunc(vs, compareViolations)
	return vs
}
