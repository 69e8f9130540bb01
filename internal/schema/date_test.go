package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/posture-dev/posture/internal/record"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// dateCases are strings and whether each is a calendar date: the one list
// that record.ValidDate, the schemas (asserting the date format or reading
// it as an annotation), the Rego lib and ajv must all agree on.
var dateCases = []struct {
	s    string
	date bool
}{
	{"2026-11-02", true},
	{"2026-01-31", true},
	{"2026-04-30", true},
	{"2026-12-31", true},
	{"2028-02-29", true},
	{"2024-02-29", true},
	{"2000-02-29", true},
	{"2400-02-29", true},
	{"1600-02-29", true},
	{"0400-02-29", true},
	{"0000-02-29", true}, // year 0 is a leap year of the proleptic Gregorian calendar
	{"0004-02-29", true},
	{"0001-01-01", true},
	{"9999-12-31", true},
	{"2026-02-28", true},
	{"2027-02-30", false},
	{"2026-02-29", false},
	{"2027-02-29", false},
	{"1900-02-29", false},
	{"2100-02-29", false},
	{"2200-02-29", false},
	{"0100-02-29", false},
	{"2026-04-31", false},
	{"2026-06-31", false},
	{"2026-09-31", false},
	{"2026-11-31", false},
	{"2026-01-32", false},
	{"2026-01-00", false},
	{"2026-00-10", false},
	{"2026-13-01", false},
	{"2026-8-1", false},
	{"26-08-01", false},
	{"12026-08-01", false},
	{"+2026-08-01", false},
	{"2026/08/01", false},
	{"20260801", false},
	{"2026-08-01T00:00:00Z", false},
	{"2026-08-01 ", false},
	{" 2026-08-01", false},
	{"2026-08-01\n", false},
	{"2026-08-0\u0661", false}, // an Arabic-Indic digit
	{"２０２６-08-01", false},      // full-width digits
	{"", false},
}

func TestValidDate(t *testing.T) {
	for _, c := range dateCases {
		if got := record.ValidDate(c.s); got != c.date {
			t.Errorf("record.ValidDate(%q) = %v, want %v", c.s, got, c.date)
		}
	}
}

// exceptionWith is a valid exception that expires on date (the field that
// only the schema checks).
func exceptionWith(date string) map[string]any {
	return map[string]any{"id": "exc-1", "rule": "os.supported", "device": "d-1", "reason": "r", "approved_by": "e1", "expires": date}
}

// TestDatesAgree runs dateCases through posture's schema, through the
// date pattern alone (what a validator that reads format as an annotation
// checks) and through valid_date of policies/lib.rego.
func TestDatesAgree(t *testing.T) {
	s := load(t)

	// The pattern alone: the schemas compiled without format assertion.
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	data, err := os.ReadFile("../../schemas/defs.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	const defs = "https://posture-dev.github.io/posture/schemas/defs.schema.json"
	if err := c.AddResource(defs, doc); err != nil {
		t.Fatal(err)
	}
	patternOnly, err := c.Compile(defs + "#/$defs/date")
	if err != nil {
		t.Fatal(err)
	}

	lib, err := os.ReadFile("../../policies/lib.rego")
	if err != nil {
		t.Fatal(err)
	}
	var all []any
	for _, dc := range dateCases {
		all = append(all, dc.s)
	}
	rs, err := rego.New(rego.Module("lib.rego", string(lib)),
		rego.Query(`valid := {s | some s in input.dates; data.posture.lib.valid_date(s)}`),
		rego.Input(map[string]any{"dates": all})).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("evaluate valid_date: %v %v", rs, err)
	}
	inRego := map[string]bool{}
	for _, v := range rs[0].Bindings["valid"].([]any) {
		inRego[v.(string)] = true
	}

	for _, dc := range dateCases {
		t.Run(fmt.Sprintf("%q", dc.s), func(t *testing.T) {
			rec := &record.Record{Path: "policies/exceptions/exc-1.yaml", Kind: record.Exception, Data: exceptionWith(dc.s)}
			fs := s.Validate(rec)
			if dc.date && len(fs) > 0 {
				t.Errorf("posture's schema refuses a date: %v", fs)
			}
			if !dc.date && (len(fs) != 1 || fs[0].Rule != "schema.format" || !strings.HasPrefix(fs[0].Message, "expires ")) {
				t.Errorf("posture's schema: %v, want one schema.format finding about expires", fs)
			}
			if got := patternOnly.Validate(dc.s) == nil; got != dc.date {
				t.Errorf("the date pattern alone says %v, want %v", got, dc.date)
			}
			if inRego[dc.s] != dc.date {
				t.Errorf("lib.valid_date says %v, want %v", inRego[dc.s], dc.date)
			}
		})
	}
}

func TestDateMessages(t *testing.T) {
	s := load(t)
	for date, want := range map[string]string{
		"2027-02-30": `expires "2027-02-30" is not a date: February 2027 has 28 days; write a date that exists, as YYYY-MM-DD`,
		"2028-02-30": `expires "2028-02-30" is not a date: February 2028 has 29 days; write a date that exists, as YYYY-MM-DD`,
		"2026-04-31": `expires "2026-04-31" is not a date: April 2026 has 30 days; write a date that exists, as YYYY-MM-DD`,
		"2026-13-01": `expires "2026-13-01" is not a date: there is no month 13; write a date that exists, as YYYY-MM-DD`,
		"2026-8-1":   `expires "2026-8-1" is not a date; write YYYY-MM-DD`,
	} {
		fs := s.Validate(&record.Record{Path: "e.yaml", Kind: record.Exception, Data: exceptionWith(date)})
		if len(fs) != 1 || fs[0].Message != want {
			t.Errorf("%s: %v, want one finding %q", date, fs, want)
		}
	}
}

// TestSchemaFormats checks that every format the schemas use is one that
// Formats decides on, that every date field refers to the shared date (and
// so to its pattern and format), and that no schema asks for the date format
// outside it.
func TestSchemaFormats(t *testing.T) {
	entries, err := os.ReadDir("../../schemas")
	if err != nil {
		t.Fatal(err)
	}
	dateRef := "defs.schema.json#/$defs/date"
	refs := map[string]bool{}
	for _, e := range entries {
		data, err := os.ReadFile("../../schemas/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				if f, ok := v["format"].(string); ok {
					if _, known := Formats[f]; !known {
						t.Errorf("%s%s: format %q is not in schema.Formats; decide whether posture asserts it", e.Name(), path, f)
					}
					if f == "date" && !(e.Name() == "defs.schema.json" && path == "/$defs/date") {
						t.Errorf("%s%s: a date field refers to %s rather than writing its own format", e.Name(), path, dateRef)
					}
				}
				if v["$ref"] == dateRef {
					refs[e.Name()+path] = true
				}
				for k, c := range v {
					walk(path+"/"+k, c)
				}
			case []any:
				for i, c := range v {
					walk(fmt.Sprintf("%s/%d", path, i), c)
				}
			}
		}
		walk("", doc)
	}
	// The date fields of the records, as docs/ and the policies know them.
	for _, f := range []string{
		"device.schema.json/properties/registered",
		"device.schema.json/properties/retirement/properties/date",
		"exception.schema.json/properties/expires",
		"report.schema.json/properties/security_patch",
		"report.schema.json/properties/signatures_updated",
		"report.schema.json/properties/last_quick_scan",
		"report.schema.json/properties/last_full_scan",
	} {
		if !refs[f] {
			t.Errorf("%s does not refer to %s", f, dateRef)
		}
		delete(refs, f)
	}
	for f := range refs {
		t.Errorf("%s is a date field that this test does not know; add it to the list", f)
	}
}
