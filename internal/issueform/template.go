// Package issueform turns a submitted GitHub issue form into a posture
// record: it reads the form's template (the questions, their ids and
// kinds), parses the body GitHub rendered from the answers, and builds the
// YAML file of a monthly report, a device registration, a retirement or
// an exception request.
//
// Everything in a body is untrusted text typed by anyone who can open an
// issue: the parser never panics, refuses ambiguous bodies instead of
// guessing, and GitHub's "required" is not relied on (it is not enforced in
// private repositories).
package issueform

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Dir is where GitHub looks for issue forms.
const Dir = ".github/ISSUE_TEMPLATE"

// Kind is what a form submits.
type Kind string

// The forms posture reads, named after their template files.
const (
	Report   Kind = "monthly-report"
	Register Kind = "register-device"
	Retire   Kind = "retire-device"
	// Exception asks for an exception: policies/exceptions/<id>.yaml,
	// which IT approves in review.
	Exception Kind = "request-exception"
)

// Kinds lists the forms in a stable order.
var Kinds = []Kind{Report, Register, Retire, Exception}

// File returns the template's path in the repository.
func (k Kind) File() string { return path.Join(Dir, string(k)+".yml") }

// Label returns the label the form puts on every issue it opens; the
// workflow and from-issue recognise a form's issues by it.
func (k Kind) Label() string { return "form/" + string(k) }

// Field is one question of a form.
type Field struct {
	ID       string
	Type     string // input, textarea, dropdown or checkboxes
	Label    string
	Render   string   // a textarea's code language, if it renders as code
	Options  []string // a dropdown's choices or the checkboxes' labels
	Required bool     // the template's validations.required (not enforced by GitHub in private repositories)
	// RequiredOptions are the checkboxes that must be ticked.
	RequiredOptions []string
}

// Template is a parsed issue form.
type Template struct {
	Kind   Kind
	Name   string
	Labels []string
	Fields []Field // in the order GitHub renders them; markdown blocks left out
}

// Field returns the field with id, or nil.
func (t *Template) Field(id string) *Field {
	for i := range t.Fields {
		if t.Fields[i].ID == id {
			return &t.Fields[i]
		}
	}
	return nil
}

type rawTemplate struct {
	Name   string   `yaml:"name"`
	Labels []string `yaml:"labels"`
	Body   []struct {
		Type       string `yaml:"type"`
		ID         string `yaml:"id"`
		Attributes struct {
			Label   string `yaml:"label"`
			Render  string `yaml:"render"`
			Options []any  `yaml:"options"`
		} `yaml:"attributes"`
		Validations struct {
			Required bool `yaml:"required"`
		} `yaml:"validations"`
	} `yaml:"body"`
}

// ParseTemplate reads the issue form of kind from its YAML text. Every
// question must have an id and a label, and labels must be distinct,
// because the rendered body names answers by their labels only.
func ParseTemplate(kind Kind, data []byte) (*Template, error) {
	var raw rawTemplate
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse %s: %w", kind.File(), err)
	}
	t := &Template{Kind: kind, Name: raw.Name, Labels: raw.Labels}
	seen := map[string]bool{}
	for i, b := range raw.Body {
		if b.Type == "markdown" {
			continue
		}
		f := Field{ID: b.ID, Type: b.Type, Label: strings.TrimSpace(b.Attributes.Label),
			Render: b.Attributes.Render, Required: b.Validations.Required}
		if f.ID == "" || f.Label == "" {
			return nil, fmt.Errorf("parse %s: question %d has no id or no label; give every question both", kind.File(), i+1)
		}
		if seen[strings.ToLower(f.Label)] {
			return nil, fmt.Errorf("parse %s: two questions are labelled %q; labels must differ, answers are found by them", kind.File(), f.Label)
		}
		seen[strings.ToLower(f.Label)] = true
		for _, o := range b.Attributes.Options {
			switch o := o.(type) {
			case string:
				f.Options = append(f.Options, o)
			case map[string]any:
				label, _ := o["label"].(string)
				f.Options = append(f.Options, label)
				if req, _ := o["required"].(bool); req {
					f.RequiredOptions = append(f.RequiredOptions, label)
				}
			}
		}
		switch f.Type {
		case "input", "textarea", "dropdown", "checkboxes":
		default:
			return nil, fmt.Errorf("parse %s: question %q has type %q; use input, textarea, dropdown or checkboxes", kind.File(), f.ID, f.Type)
		}
		t.Fields = append(t.Fields, f)
	}
	if !containsFold(t.Labels, kind.Label()) {
		return nil, fmt.Errorf("parse %s: the form must apply the label %q so its issues are recognised", kind.File(), kind.Label())
	}
	return t, nil
}

// KindOf returns the form an issue was opened from, by its labels. ok is
// false when it carries none or more than one form's label.
func KindOf(labels []string) (k Kind, ok bool) {
	for _, c := range Kinds {
		if containsFold(labels, c.Label()) {
			if ok {
				return "", false
			}
			k, ok = c, true
		}
	}
	return k, ok
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
