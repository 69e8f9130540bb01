package policy

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Input is one record to evaluate: the input document of the contract.
type Input struct {
	// Kind is report, device, person or exception.
	Kind string
	// Path is the record's path in the repository, e.g.
	// reports/2026-11/d-e1001-laptop.yaml.
	Path string
	// RefDate is the day ages are measured against, YYYY-MM-DD.
	RefDate string
	// Record is the file's content with dates kept as text and numbers as
	// json.Number (or any Go number).
	Record map[string]any
	// Doc is the same content converted already (a registry record judged
	// itself); when set, Record is not read.
	Doc Doc
}

// Violation is one problem a rule found in a record.
type Violation struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Title    string   `json:"title"`
	Message  string   `json:"message"`
	Field    []string `json:"field"`
}

// Prepared is the policy query prepared against one set of data. It is safe
// for concurrent use by several goroutines.
type Prepared struct {
	query rego.PreparedEvalQuery // every rule package
	// kinds holds the query of each kind of record, of the packages that
	// can fire for it; a kind without one has no rule to fire.
	kinds map[string]*rego.PreparedEvalQuery
	store storage.Store
}

// Prepare builds the data document (what the data files hold, data.config
// among them, plus what data holds: settings and registry, as Go maps whose
// numbers may be json.Number, and whose values may be Docs, which are used
// as they are) and prepares the query once for every Eval.
func (e *Engine) Prepare(ctx context.Context, data map[string]any) (*Prepared, error) {
	doc := maps.Clone(data)
	if doc == nil {
		doc = map[string]any{}
	}
	for k, v := range e.data {
		if _, dup := doc[k]; dup {
			return nil, fmt.Errorf("prepare policy data: data.%s comes both from the policy data files and from posture", k)
		}
		doc[k] = v
	}
	term, err := dataTerm(doc)
	if err != nil {
		return nil, fmt.Errorf("prepare policy data: %w", err)
	}
	obj, ok := term.Value.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("prepare policy data: got %T, not an object", term.Value)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.derive(ctx, obj); err != nil {
		return nil, err
	}
	store := inmem.NewFromASTObject(obj)
	prepare := func(query string) (rego.PreparedEvalQuery, error) {
		q, err := rego.New(
			rego.Query(query),
			rego.Compiler(e.compiler),
			rego.Store(store),
		).PrepareForEval(ctx)
		if err != nil {
			return q, fmt.Errorf("prepare policy query: %w", err)
		}
		return q, nil
	}
	p := &Prepared{store: store, kinds: map[string]*rego.PreparedEvalQuery{}}
	if p.query, err = prepare(Query); err != nil {
		return nil, err
	}
	for kind, query := range e.kinds {
		if query == "" {
			continue
		}
		q, err := prepare(query)
		if err != nil {
			return nil, err
		}
		p.kinds[kind] = &q
	}
	return p, nil
}

// Eval evaluates the policies on one record and returns its violations,
// sorted by rule, field and message. An error means the policies could not
// run, not that the record is bad.
func (p *Prepared) Eval(ctx context.Context, in Input) ([]Violation, error) {
	q := &p.query
	if slices.Contains(Kinds, in.Kind) {
		if q = p.kinds[in.Kind]; q == nil && p.kinds != nil {
			return nil, nil // no rule package can fire for the kind
		}
	}
	return p.eval(ctx, in, q)
}

// eval evaluates the query q on in.
func (p *Prepared) eval(ctx context.Context, in Input, q *rego.PreparedEvalQuery) ([]Violation, error) {
	if _, err := time.Parse(time.DateOnly, in.RefDate); err != nil {
		return nil, fmt.Errorf("evaluate %s: the reference date %q is not YYYY-MM-DD", in.Path, in.RefDate)
	}
	record := in.Doc.t
	if record == nil {
		v, err := ast.InterfaceToValue(in.Record)
		if err != nil {
			return nil, fmt.Errorf("evaluate %s: convert record: %w", in.Path, err)
		}
		record = ast.NewTerm(v)
	}
	input := ast.NewObject(
		ast.Item(ast.InternedTerm("kind"), ast.StringTerm(in.Kind)),
		ast.Item(ast.InternedTerm("path"), ast.StringTerm(in.Path)),
		ast.Item(ast.InternedTerm("ref_date"), ast.StringTerm(in.RefDate)),
		ast.Item(ast.InternedTerm("record"), record),
	)
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", in.Path, err)
	}
	var vs []Violation
	for _, r := range rs {
		for _, x := range r.Expressions {
			set, ok := x.Value.([]any)
			if !ok {
				return nil, fmt.Errorf("evaluate %s: a rule package returned %T, not a set of violations", in.Path, x.Value)
			}
			for _, item := range set {
				v, err := decodeViolation(item)
				if err != nil {
					return nil, fmt.Errorf("evaluate %s: %w", in.Path, err)
				}
				vs = append(vs, v)
			}
		}
	}
	slices.SortFunc(vs, compareViolations)
	return vs, nil
}

func decodeViolation(item any) (Violation, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return Violation{}, fmt.Errorf("a rule returned %v, not a violation object", item)
	}
	var v Violation
	v.Rule, _ = m["rule"].(string)
	v.Severity, _ = m["severity"].(string)
	v.Title, _ = m["title"].(string)
	v.Message, _ = m["message"].(string)
	field, _ := m["field"].([]any)
	for _, f := range field {
		s, ok := f.(string)
		if !ok {
			return Violation{}, fmt.Errorf("rule %s returned the field step %v; steps are strings", v.Rule, f)
		}
		v.Field = append(v.Field, s)
	}
	if v.Rule == "" || v.Message == "" || (v.Severity != SeverityDeny && v.Severity != SeverityWarn) {
		return Violation{}, fmt.Errorf("a rule returned %v; build violations with data.posture.lib.violation", item)
	}
	if v.Field == nil {
		v.Field = []string{}
	}
	return v, nil
}

func compareViolations(a, b Violation) int {
	return cmp.Or(
		cmp.Compare(a.Rule, b.Rule),
		slices.Compare(a.Field, b.Field),
		cmp.Compare(a.Message, b.Message),
	)
}

// DerivedQuery computes the lookups that depend on data alone; DerivedIndex
// is the part of it posture evaluates when the package defines it: complete
// rules, plus "groups", [lookup, key, value] triples gathered here into
// lookup -> key -> set of values.
const (
	DerivedQuery = "data.posture.derived"
	DerivedIndex = "data.posture.derived.index"
)

// derive evaluates package posture.derived once over the data document and
// stores the result in it as data.derived, so that each evaluation looks
// the registry up instead of scanning it. A policy set without that package
// is left as it is. The caller holds e.mu.
func (e *Engine) derive(ctx context.Context, doc ast.Object) error {
	query := DerivedIndex
	if e.compiler.RuleTree.Find(ast.MustParseRef(DerivedIndex)) == nil {
		if e.compiler.RuleTree.Find(ast.MustParseRef(DerivedQuery)) == nil {
			return nil
		}
		query = DerivedQuery
	}
	q, err := rego.New(
		rego.Query(query),
		rego.Compiler(e.compiler),
		rego.Store(inmem.NewFromASTObject(doc)),
	).PrepareForEval(ctx)
	if err != nil {
		return fmt.Errorf("derive lookups from the registry: %w", err)
	}
	// Keep the result as an AST value: a JSON round trip would turn its
	// sets into arrays.
	rs, err := q.Eval(ctx, rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }))
	if err != nil {
		return fmt.Errorf("derive lookups from the registry: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil
	}
	t, ok := rs[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return fmt.Errorf("derive lookups from the registry: got %T", rs[0].Expressions[0].Value)
	}
	if query == DerivedIndex {
		if t, err = FinishIndex(t); err != nil {
			return fmt.Errorf("derive lookups from the registry: %w", err)
		}
	}
	doc.Insert(ast.StringTerm("derived"), t)
	return nil
}

// gather turns the index's "groups" triples into lookups beside its other
// entries: {"groups": {["macs", m, d1], ["macs", m, d2]}} becomes
// {"macs": {m: {d1, d2}}}.
func gather(index *ast.Term) (*ast.Term, error) {
	obj, ok := index.Value.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("index is %v, not an object", ast.ValueName(index.Value))
	}
	type group struct {
		key  *ast.Term
		vals []*ast.Term
	}
	// lookups[name][key] in order of first appearance; terms are built once
	// every value is known, so no term changes after it is hashed.
	var names []*ast.Term
	lookups := map[string]map[string]*group{}
	order := map[string][]string{}
	out := ast.NewObject()
	err := obj.Iter(func(k, v *ast.Term) error {
		if !k.Equal(ast.StringTerm("groups")) {
			out.Insert(k, v)
			return nil
		}
		set, ok := v.Value.(ast.Set)
		if !ok {
			return fmt.Errorf("groups is %v, not a set", ast.ValueName(v.Value))
		}
		return set.Iter(func(triple *ast.Term) error {
			a, ok := triple.Value.(*ast.Array)
			if !ok || a.Len() != 3 {
				return fmt.Errorf("group entry %v is not [lookup, key, value]", triple)
			}
			name, key := a.Elem(0).String(), a.Elem(1).String()
			if lookups[name] == nil {
				lookups[name] = map[string]*group{}
				names = append(names, a.Elem(0))
			}
			g := lookups[name][key]
			if g == nil {
				g = &group{key: a.Elem(1)}
				lookups[name][key] = g
				order[name] = append(order[name], key)
			}
			g.vals = append(g.vals, a.Elem(2))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		lookup := ast.NewObject()
		for _, key := range order[n.String()] {
			g := lookups[n.String()][key]
			lookup.Insert(g.key, ast.NewTerm(ast.NewSet(g.vals...)))
		}
		out.Insert(n, ast.NewTerm(lookup))
	}
	return ast.NewTerm(out), nil
}
