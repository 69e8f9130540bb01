package check

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/policy"
	"github.com/posture-dev/posture/internal/record"
	"github.com/posture-dev/posture/internal/schema"
)

// subject is one record under check with the day its ages are measured
// against and the policies (with their registry) that judge it.
type subject struct {
	rec      *record.Record
	doc      policy.Doc // rec as the policies see it, when converted already
	refDate  string
	prepared *policy.Prepared
}

// has reports whether the subject's record has the top-level field, read
// from its Data, or from its Doc where a full check dropped the Data of a
// registry record (held once, as the policies see it).
func (s subject) has(field string) bool {
	if s.rec.Data == nil && !s.doc.IsZero() {
		return s.doc.Has(field)
	}
	_, ok := s.rec.Data[field]
	return ok
}

// str returns the text of the record's top-level string field, or "", as
// has reads it.
func (s subject) str(field string) string {
	if s.rec.Data == nil && !s.doc.IsZero() {
		return s.doc.String(field)
	}
	return s.rec.String(field)
}

// judge runs the policies on one subject whose schema findings are known,
// and returns those findings with the policies' at their fields. A field
// that is missing or empty is reported once: by the schema when the schema
// requires it, by the policies otherwise (a field only some platforms need),
// so that one report names every missing field at once.
func judge(ctx context.Context, t *trusted, s subject, schemaFindings []finding.Finding) ([]finding.Finding, error) {
	vs, err := s.eval(ctx)
	if err != nil {
		return nil, err
	}
	return place(s, vs, schemaFindings), nil
}

// eval runs the policies on the subject.
func (s subject) eval(ctx context.Context) ([]policy.Violation, error) {
	vs, err := s.prepared.Eval(ctx, policy.Input{
		Kind: string(s.rec.Kind), Path: s.rec.Path, RefDate: s.refDate, Record: s.rec.Data, Doc: s.doc,
	})
	if err != nil {
		return nil, fmt.Errorf("evaluate policies on %s: %w", s.rec.Path, err)
	}
	return vs, nil
}

// place adds the violations vs of the subject's record, at their fields,
// to the findings fs known of it (the schema's among them).
func place(s subject, vs []policy.Violation, fs []finding.Finding) []finding.Finding {
	schemaLines := map[int]bool{}
	for _, f := range fs {
		if strings.HasPrefix(f.Rule, "schema.") {
			schemaLines[f.Line] = true
		}
	}
	missing := schema.MissingFields(fs)
	for _, v := range vs {
		present := false
		if len(v.Field) == 1 {
			present = s.has(v.Field[0])
		}
		if len(v.Field) == 1 && !present && missing[v.Field[0]] {
			continue // the schema reports a required field that is missing
		}
		line, col := s.rec.Pos(v.Field...)
		if present && schemaLines[line] {
			// A field the schema already reported where it stands (empty,
			// or of the wrong type): the policies would only echo it, in
			// terms of a value the user did not mean (10.0 read as 10).
			continue
		}
		fs = append(fs, finding.Finding{
			File: s.rec.Path, Line: line, Column: col, Rule: v.Rule,
			Severity: finding.Severity(v.Severity), Title: v.Title, Message: v.Message,
		})
	}
	return fs
}

// dueRefDate is the reference date of a report with no history: its
// period's due day.
func (t *trusted) dueRefDate(kind record.Kind, path string, now time.Time) string {
	if kind == record.Report {
		if due, ok := t.settings.DueDate(record.PeriodOf(path)); ok {
			return due.Format(time.DateOnly)
		}
	}
	return t.settings.Date(now)
}
