package policy

import (
	"fmt"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Doc is a record as the policies see it, converted to OPA's values once:
// the registry is held once, in this form, however many prepared queries
// read it, and a registry record judged itself is not converted again.
type Doc struct{ t *ast.Term }

// Docs converts records to Docs, sharing every string between them: the
// field names, and the values that repeat (statuses, platforms, the ids by
// which records name each other). Over a registry that halves what its
// values take. It is safe for concurrent use.
type Docs struct {
	mu    sync.Mutex
	terms map[string]*ast.Term
}

// NewDocs returns a converter with nothing shared yet.
func NewDocs() *Docs { return &Docs{terms: map[string]*ast.Term{}} }

// Of converts a record's content (map[string]any, []any, string, bool,
// json.Number, nil) to a Doc.
func (d *Docs) Of(m map[string]any) (Doc, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := d.term(m)
	if err != nil {
		return Doc{}, err
	}
	return Doc{t}, nil
}

// Len is how many distinct strings the Docs share.
func (d *Docs) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.terms)
}

// term converts x. OPA's terms never change once built, so one term
// stands for a string wherever it occurs. The caller holds d.mu.
func (d *Docs) term(x any) (*ast.Term, error) {
	switch x := x.(type) {
	case string:
		if t, ok := d.terms[x]; ok {
			return t, nil
		}
		t := ast.StringTerm(x)
		d.terms[x] = t
		return t, nil
	case map[string]any:
		items := make([][2]*ast.Term, 0, len(x))
		for k, v := range x {
			kt, _ := d.term(k)
			vt, err := d.term(v)
			if err != nil {
				return nil, err
			}
			items = append(items, [2]*ast.Term{kt, vt})
		}
		return ast.NewTerm(ast.NewObject(items...)), nil
	case []any:
		ts := make([]*ast.Term, len(x))
		for i, v := range x {
			t, err := d.term(v)
			if err != nil {
				return nil, err
			}
			ts[i] = t
		}
		return ast.NewTerm(ast.NewArray(ts...)), nil
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		return nil, fmt.Errorf("convert %T: %w", x, err)
	}
	return ast.NewTerm(v), nil
}

// IsZero reports whether d holds nothing.
func (d Doc) IsZero() bool { return d.t == nil }

// dataTerm converts a data document whose values may be Docs, keeping each
// Doc's terms as they are.
func dataTerm(x any) (*ast.Term, error) {
	switch x := x.(type) {
	case Doc:
		if x.t == nil {
			return nil, fmt.Errorf("an empty Doc")
		}
		return x.t, nil
	case map[string]any:
		items := make([][2]*ast.Term, 0, len(x))
		for k, v := range x {
			t, err := dataTerm(v)
			if err != nil {
				return nil, err
			}
			items = append(items, [2]*ast.Term{ast.StringTerm(k), t})
		}
		return ast.NewTerm(ast.NewObject(items...)), nil
	case map[string]Doc:
		items := make([][2]*ast.Term, 0, len(x))
		for k, v := range x {
			if v.t == nil {
				return nil, fmt.Errorf("an empty Doc at %q", k)
			}
			items = append(items, [2]*ast.Term{ast.StringTerm(k), v.t})
		}
		return ast.NewTerm(ast.NewObject(items...)), nil
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(v), nil
}

// Has reports whether d, an object, has the key field.
func (d Doc) Has(field string) bool {
	obj, ok := d.object()
	return ok && obj.Get(ast.StringTerm(field)) != nil
}

// String returns the text of d's string field, or "".
func (d Doc) String(field string) string {
	obj, ok := d.object()
	if !ok {
		return ""
	}
	if v := obj.Get(ast.StringTerm(field)); v != nil {
		if s, ok := v.Value.(ast.String); ok {
			return string(s)
		}
	}
	return ""
}

func (d Doc) object() (ast.Object, bool) {
	if d.t == nil {
		return nil, false
	}
	obj, ok := d.t.Value.(ast.Object)
	return obj, ok
}
