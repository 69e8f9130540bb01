package schema

import (
	"github.com/posture-dev/posture/internal/record"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Formats are the values of "format" that the schemas may use, and whether
// posture asserts each. A format that is not listed is refused by the tests
// (TestSchemaFormats), so that adding one is a decision: JSON Schema 2020-12
// validators read format as an annotation unless told otherwise, and every
// format posture asserts must be backed by a pattern that says the same to
// them.
var Formats = map[string]bool{
	// date is asserted with record.ValidDate; the pattern of
	// defs.schema.json's date admits the same strings.
	"date": true,
	// email is an annotation for editors; the pattern of the person
	// schema's email decides, as in every validator that does not assert
	// formats.
	"email": false,
}

// useFormats makes the compiler assert the date format with posture's one
// calendar check, and no other format.
func useFormats(c *jsonschema.Compiler) {
	c.AssertFormat()
	for name, asserted := range Formats {
		if !asserted {
			c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(any) error { return nil }})
		}
	}
	c.RegisterFormat(&jsonschema.Format{Name: "date", Validate: validateDate})
}

// errNotDate is the error of the date format; describe writes the message.
type errNotDate struct{}

func (errNotDate) Error() string { return "not a calendar date" }

func validateDate(v any) error {
	s, ok := v.(string)
	if !ok || record.ValidDate(s) {
		return nil // a value of another type is the type keyword's to refuse
	}
	return errNotDate{}
}
