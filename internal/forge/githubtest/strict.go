package githubtest

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// strictify closes every object schema of doc that lists its properties to
// any other property, merging an allOf of objects into one schema first (a
// closed member would refuse its siblings' properties). A oneOf of objects
// that require nothing (the 409 of "Create or update file contents":
// basic-error or repository-rule-violation-error) cannot have one match
// only; it is read as the anyOf it means.
func strictify(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for _, m := range s.AllOf {
			visit(m)
		}
		if len(s.AllOf) > 0 && allObjects(s.AllOf) {
			props := openapi3.Schemas{}
			for k, v := range s.Properties {
				props[k] = v
			}
			required := slices.Clone(s.Required)
			for _, m := range s.AllOf {
				for k, v := range m.Value.Properties {
					if _, ok := props[k]; !ok {
						props[k] = v
					}
				}
				required = append(required, m.Value.Required...)
			}
			slices.Sort(required)
			s.Properties, s.Required, s.AllOf = props, slices.Compact(required), nil
			s.Type = &openapi3.Types{openapi3.TypeObject}
		}
		if len(s.OneOf) > 1 && noneRequire(s.OneOf) {
			s.AnyOf, s.OneOf = s.OneOf, nil
		}
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			closed := false
			s.AdditionalProperties.Has = &closed
		}
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.Items)
		visit(s.AdditionalProperties.Schema)
		visit(s.Not)
		for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
			for _, m := range list {
				visit(m)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		visit(ref)
	}
	content := func(c openapi3.Content) {
		for _, mt := range c {
			visit(mt.Schema)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(op.RequestBody.Value.Content)
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					content(r.Value.Content)
				}
			}
			for _, p := range op.Parameters {
				if p.Value != nil {
					visit(p.Value.Schema)
				}
			}
		}
	}
}

// noneRequire reports whether no schema of list requires a property.
func noneRequire(list openapi3.SchemaRefs) bool {
	for _, m := range list {
		if m.Value == nil || len(m.Value.Required) > 0 || len(m.Value.Properties) == 0 {
			return false
		}
	}
	return true
}

// allObjects reports whether every schema of an allOf describes an object
// by its properties, with nothing else to combine.
func allObjects(list openapi3.SchemaRefs) bool {
	for _, m := range list {
		v := m.Value
		if v == nil || len(v.AllOf) > 0 || len(v.OneOf) > 0 || len(v.AnyOf) > 0 ||
			(v.Type != nil && !v.Type.Is(openapi3.TypeObject)) {
			return false
		}
	}
	return true
}
