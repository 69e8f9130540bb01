// Package schema validates records against the JSON Schemas in schemas/ and
// turns each schema error into a finding at the offending field.
package schema

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Dir is the folder of the schemas in a repository.
const Dir = "schemas"

// Files maps each record kind to its schema file.
var Files = map[record.Kind]string{
	record.Person:    "person.schema.json",
	record.Device:    "device.schema.json",
	record.Report:    "report.schema.json",
	record.Exception: "exception.schema.json",
}

// SettingsFile is the schema of the settings file.
const SettingsFile = "settings.schema.json"

// Set holds the compiled schema of every kind of record.
type Set struct {
	byKind   map[record.Kind]*jsonschema.Schema
	settings *jsonschema.Schema
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schemas may only refer to files in %s/, not %s", Dir, url)
}

// Load compiles every *.schema.json file in dir of fsys. Schemas refer to each
// other by their $id; nothing is fetched from outside fsys.
func Load(fsys fs.FS, dir string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load schemas at %s: %w", dir, err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	useFormats(c)
	ids := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".schema.json") {
			continue
		}
		if !e.Type().IsRegular() {
			return nil, fmt.Errorf("load schemas: %s is not a regular file", path.Join(dir, e.Name()))
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load schemas: %w", err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("load schema %s: %w", path.Join(dir, e.Name()), err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			return nil, fmt.Errorf("load schema %s: it has no $id", path.Join(dir, e.Name()))
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("load schema %s: %w", path.Join(dir, e.Name()), err)
		}
		ids[e.Name()] = id
	}
	compile := func(file string) (*jsonschema.Schema, error) {
		id, ok := ids[file]
		if !ok {
			return nil, fmt.Errorf("load schemas: %s is missing", path.Join(dir, file))
		}
		s, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", path.Join(dir, file), err)
		}
		return s, nil
	}
	set := &Set{byKind: map[record.Kind]*jsonschema.Schema{}}
	for k, file := range Files {
		if set.byKind[k], err = compile(file); err != nil {
			return nil, err
		}
	}
	if set.settings, err = compile(SettingsFile); err != nil {
		return nil, err
	}
	return set, nil
}

// Validate checks a record against the schema of its kind.
func (s *Set) Validate(r *record.Record) []finding.Finding {
	sch := s.byKind[r.Kind]
	if sch == nil {
		return []finding.Finding{finding.At(r.Path, "schema.kind", finding.Deny, "no schema for records of kind %q", r.Kind)}
	}
	return s.validate(sch, r)
}

// ValidateSettings checks the settings file.
func (s *Set) ValidateSettings(r *record.Record) []finding.Finding {
	return s.validate(s.settings, r)
}

func (s *Set) validate(sch *jsonschema.Schema, r *record.Record) []finding.Finding {
	err := sch.Validate(r.Data)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []finding.Finding{finding.At(r.Path, "schema", finding.Deny, "could not validate: %v", err)}
	}
	var ps []pending
	for _, leaf := range oneDateError(leaves(ve, nil)) {
		ps = append(ps, describe(sch, r, leaf)...)
	}
	return capped(r, ps)
}

// oneDateError drops the pattern error of a date whose format error is
// there too: the two say the same of one value (see Formats).
func oneDateError(es []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	type at struct{ schema, instance string }
	formats := map[at]bool{}
	for _, e := range es {
		if _, ok := e.ErrorKind.(*kind.Format); ok {
			formats[at{e.SchemaURL, strings.Join(e.InstanceLocation, "\x00")}] = true
		}
	}
	if len(formats) == 0 {
		return es
	}
	out := es[:0]
	for _, e := range es {
		if _, ok := e.ErrorKind.(*kind.Pattern); ok && formats[at{e.SchemaURL, strings.Join(e.InstanceLocation, "\x00")}] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// capped returns the first finding.MaxPerFile of ps in the order of the
// file, and one finding.RuleTooMany for the rest. The validator finds them
// in no fixed order (it walks Go maps), so every position is looked up
// (each in constant time, see record.Record.Pos) and the first are chosen
// in one pass; only the messages of the findings kept are written (and of
// findings of one rule at one place, to order them).
func capped(r *record.Record, ps []pending) []finding.Finding {
	for i := range ps {
		if ps[i].atKey {
			ps[i].line, ps[i].col = r.KeyPos(ps[i].path...)
		} else {
			ps[i].line, ps[i].col = r.Pos(ps[i].path...)
		}
	}
	first := make([]pending, 0, min(len(ps), finding.MaxPerFile+1)) // those kept and the first left out, sorted
	for _, p := range ps {
		if len(first) == cap(first) && comparePending(p, first[len(first)-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(first, p, comparePending)
		if len(first) < cap(first) {
			first = append(first, pending{})
		}
		copy(first[i+1:], first[i:len(first)-1])
		first[i] = p
	}
	keep := min(len(first), finding.MaxPerFile)
	fs := make([]finding.Finding, 0, len(first))
	for _, p := range first[:keep] {
		fs = append(fs, finding.Finding{File: r.Path, Line: p.line, Column: p.col, Rule: p.rule, Severity: finding.Deny, Message: p.msg()})
	}
	if left := len(ps) - keep; left > 0 {
		p := first[keep]
		fs = append(fs, finding.TooMany(finding.Finding{File: r.Path, Line: p.line, Column: p.col, Severity: finding.Deny}, left))
	}
	return fs
}

// comparePending orders findings-to-be by place, rule and the field they
// name; the message is written only to tell two apart that tie on those.
func comparePending(a, b pending) int {
	if c := cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col),
		cmp.Compare(a.rule, b.rule), cmp.Compare(a.key, b.key)); c != 0 {
		return c
	}
	return strings.Compare(a.msg(), b.msg())
}

func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}
