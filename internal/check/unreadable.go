package check

import (
	"fmt"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// references are the fields by which a record names another one, with the
// rule that says when the named record is not registered.
var references = []struct {
	kind   record.Kind
	field  string
	rule   string
	target string // the folder of the record named
}{
	{record.Report, "device", "report.device_registered", record.DevicesDir},
	{record.Report, "reporter", "report.reporter_active", record.PeopleDir},
	{record.Device, "owner", "device.owner", record.PeopleDir},
	{record.Person, "supervisor", "person.supervisor", record.PeopleDir},
	{record.Exception, "device", "exception.device", record.DevicesDir},
	{record.Exception, "approved_by", "exception.approver", record.PeopleDir},
}

// unreadable holds the registry files of a tree that could not be read or
// parsed (they have findings of their own), by path.
type unreadable map[string]bool

// explain replaces, in the findings fs of the subject's record, a "not
// registered" finding about a record whose file is unreadable with one that
// says so: the person or device is there, but posture could not read it.
func (u unreadable) explain(s subject, fs []finding.Finding) []finding.Finding {
	if len(u) == 0 {
		return fs
	}
	rec := s.rec
	for _, ref := range references {
		id := s.str(ref.field)
		p := ref.target + "/" + id + ".yaml"
		if ref.kind != rec.Kind || id == "" || !u[p] {
			continue
		}
		line, col := rec.Pos(ref.field)
		kept := fs[:0:0]
		for _, f := range fs {
			if f.Rule != ref.rule || f.Line != line {
				kept = append(kept, f)
			}
		}
		fs = append(kept, finding.Finding{File: rec.Path, Line: line, Column: col, Rule: ruleRead, Severity: finding.Deny,
			Message: fmt.Sprintf("%s %q is %s, which could not be read (see its own findings); fix that file first, then check this one again", ref.field, id, p)})
	}
	return fs
}
