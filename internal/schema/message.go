package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/posture-dev/posture/internal/record"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// pending is a finding of the schema whose place is known before its
// message is written: the messages of the findings that the per-file cap
// leaves out are never written.
type pending struct {
	rule string
	path []string
	// key tells findings of one rule at one place apart: the field a
	// required or unknown field finding names.
	key string
	// atKey points the finding at the key of the field at path rather
	// than at its value: the field itself is what is wrong.
	atKey     bool
	msg       func() string
	line, col int
}

// describe turns one leaf schema error into findings-to-be at the
// offending fields, with messages that say what to do.
func describe(root *jsonschema.Schema, r *record.Record, e *jsonschema.ValidationError) []pending {
	loc := e.InstanceLocation
	at := func(rule string, path []string, format string, args ...any) pending {
		return pending{rule: rule, path: path, msg: func() string { return fmt.Sprintf(format, args...) }}
	}
	one := func(rule string, path []string, format string, args ...any) []pending {
		return []pending{at(rule, path, format, args...)}
	}
	name := fieldName(loc)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var ps []pending
		for _, m := range k.Missing {
			where := ""
			if len(loc) > 0 {
				where = " in " + name
			}
			p := at("schema.required", loc, "missing required field %q%s; add it", m, where)
			p.key = m
			ps = append(ps, p)
		}
		return ps
	case *kind.AdditionalProperties:
		var known []string // looked up for the first message written
		ps := make([]pending, 0, len(k.Properties))
		for _, p := range k.Properties {
			ps = append(ps, pending{rule: "schema.unknown_field", path: append(slices.Clone(loc), p), key: p, atKey: true, msg: func() string {
				if known == nil {
					known = propertyNames(root, loc)
				}
				msg := fmt.Sprintf("unknown field %q", p)
				if s := closest(p, known); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				} else if len(known) > 0 {
					msg += "; the known fields are " + strings.Join(known, ", ")
				}
				return msg
			}})
		}
		return ps
	case *kind.Type:
		got := k.Got
		def := defOf(e.SchemaURL)
		if got == "null" {
			what := map[string]string{"boolean": "true or false", "integer": "a whole number", "number": "a number"}[k.Want[0]]
			if what == "" || len(k.Want) > 1 {
				what = article(strings.Join(k.Want, " or "))
			}
			switch def {
			case "date":
				what = "a date as YYYY-MM-DD"
			case "period":
				what = `a period as "YYYY-MM" in quotes`
			}
			return one("schema.type", loc, "%s is empty; write %s", name, what)
		}
		return []pending{{rule: "schema.type", path: loc, msg: func() string {
			text := r.Text(loc...)
			shown := text
			if got == "string" {
				shown = fmt.Sprintf("%q", text)
			}
			switch {
			case def == "date" && text != "":
				return fmt.Sprintf("%s is %s, not a date; write a date as YYYY-MM-DD", name, shown)
			case slices.Equal(k.Want, []string{"boolean"}) && text != "":
				if yaml11Bool(text) {
					return fmt.Sprintf("%s is %s, which YAML 1.2 reads as text, not as a boolean; write true or false", name, shown)
				}
				return fmt.Sprintf("%s is %s; write true or false", name, shown)
			}
			hint := ""
			if slices.Contains(k.Want, "string") && (got == "number" || got == "integer") {
				hint = fmt.Sprintf("; quote it: %s: \"%s\"", lastStep(loc), text)
			}
			return fmt.Sprintf("%s is %s, expected %s%s", name, article(got), strings.Join(k.Want, " or "), hint)
		}}}
	case *kind.Format:
		if k.Want == "date" {
			return one("schema.format", loc, "%s", dateMessage(name, fmt.Sprint(k.Got)))
		}
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			want = append(want, fmt.Sprintf("%q", fmt.Sprint(w)))
		}
		return one("schema.enum", loc, "%s is %q; expected one of %s", name, fmt.Sprint(k.Got), strings.Join(want, ", "))
	case *kind.Pattern:
		if defOf(e.SchemaURL) == "date" {
			return one("schema.format", loc, "%s", dateMessage(name, fmt.Sprint(k.Got)))
		}
		return one("schema.format", loc, "%s %q %s", name, fmt.Sprint(k.Got), formatHint(e.SchemaURL))
	case *kind.Not:
		if strings.HasSuffix(e.SchemaURL, "report.schema.json#/then") {
			return one("schema.not_applicable", append(slices.Clone(loc), "antivirus"),
				"antivirus is not_applicable, so leave out real_time_protection, signatures_updated and the scan dates")
		}
		if strings.HasSuffix(e.SchemaURL, "device.schema.json#/else") {
			p := at("schema.retirement", []string{"retirement"},
				"retirement is only for retired devices; set status: retired or remove retirement")
			p.atKey = true // the field is what is wrong, whatever it holds
			return []pending{p}
		}
	}
	return []pending{{rule: "schema", path: loc, msg: func() string {
		return fmt.Sprintf("%s: %s", name, e.ErrorKind.LocalizedString(printer))
	}}}
}

// dateMessage says why value, the value of the date field name, is not a
// date.
func dateMessage(name, value string) string {
	problem := record.DateProblem(value)
	if problem == "" || problem == record.DateLayout {
		return fmt.Sprintf("%s %q is not a date; write YYYY-MM-DD", name, value)
	}
	return fmt.Sprintf("%s %q is not a date: %s; write a date that exists, as YYYY-MM-DD", name, value, problem)
}

// defOf returns the name of the shared definition of defs.schema.json that
// schemaURL is, or "".
func defOf(schemaURL string) string {
	_, frag, _ := strings.Cut(schemaURL, "#")
	name, ok := strings.CutPrefix(frag, "/$defs/")
	if !ok || !strings.HasSuffix(strings.TrimSuffix(schemaURL, "#"+frag), "/defs.schema.json") {
		return ""
	}
	return name
}

// yaml11Bool reports whether s is a word that YAML 1.1 read as a boolean
// and YAML 1.2, which posture reads, reads as text.
func yaml11Bool(s string) bool {
	switch strings.ToLower(s) {
	case "yes", "no", "on", "off", "y", "n":
		return true
	}
	return false
}

func formatHint(schemaURL string) string {
	_, frag, _ := strings.Cut(schemaURL, "#")
	schemaURL = frag
	switch {
	case strings.HasSuffix(schemaURL, "$defs/date"):
		return "is not a date; write YYYY-MM-DD"
	case strings.HasSuffix(schemaURL, "$defs/period"):
		return `is not a period; write "YYYY-MM" in quotes`
	case strings.HasSuffix(schemaURL, "$defs/id"):
		return "is not a valid id; use lowercase letters, digits and dashes"
	case strings.Contains(schemaURL, "sha256"):
		return "is not a sha256 digest; write 64 lowercase hex digits (sha256sum prints it)"
	case strings.Contains(schemaURL, "github"):
		return "is not a GitHub login"
	case strings.Contains(schemaURL, "email"):
		return "is not an email address"
	}
	return "does not have the expected format"
}

func fieldName(loc []string) string {
	if len(loc) == 0 {
		return "the record"
	}
	return strings.Join(loc, ".")
}

func lastStep(loc []string) string {
	if len(loc) == 0 {
		return "value"
	}
	return loc[len(loc)-1]
}

func article(t string) string {
	switch t {
	case "null":
		return "empty"
	case "array", "integer", "object":
		return "an " + t
	}
	return "a " + t
}

// propertyNames lists the properties the schema allows at loc.
func propertyNames(s *jsonschema.Schema, loc []string) []string {
	for _, step := range loc {
		s = deref(s)
		if s == nil {
			return nil
		}
		if p, ok := s.Properties[step]; ok {
			s = p
		} else if s.Items2020 != nil {
			s = s.Items2020
		} else {
			return nil
		}
	}
	s = deref(s)
	if s == nil {
		return nil
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func deref(s *jsonschema.Schema) *jsonschema.Schema {
	for i := 0; s != nil && s.Ref != nil && i < 10; i++ {
		s = s.Ref
	}
	return s
}
