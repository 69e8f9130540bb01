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
	refDate  string
	prepared *policy.Prepared
}

// judge runs the policies on one subject whose schema findings are known,
// and returns those findings with the policies' at their fields. A field
// that is missing or empty is reported once: by the schema when the schema
// requires it, by the policies otherwise (a field only some platforms need),
// so that one report names every missing field at once.
func judge(ctx context.Context, t *trusted, s subject, schemaFindings []finding.Finding) ([]finding.Finding, error) {
	fs := schemaFindings
	schemaLines := map[int]bool{}
	for _, f := range fs {
		if strings.HasPrefix(f.Rule, "schema.") {
			schemaLines[f.Line] = true
		}
	}
	missing := schema.MissingFields(fs)
	vs, err := s.prepared.Eval(ctx, policy.Input{
		Kind: string(s.rec.Kind), Path: s.rec.Path, RefDate: s.refDate, Record: s.rec.Data,
	})
	if err != nil {
		return nil, fmt.Errorf("evaluate policies on %s: %w", s.rec.Path, err)
	}
	for _, v := range vs {
		present := false
		if len(v.Field) == 1 {
			_, present = s.rec.Data[v.Field[0]]
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
	return fs, nil
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
