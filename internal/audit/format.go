package audit

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/overview"
)

// Write renders a in format: md, html, csv or json.
func Write(w io.Writer, format string, a *Audit) error {
	switch format {
	case "md":
		return writeMarkdown(w, a)
	case "html":
		return writeHTML(w, a)
	case "csv":
		return writeCSV(w, a)
	case "json":
		return writeJSON(w, a)
	}
	return overview.CheckFormat(format)
}

// withGroups is the JSON form: the audit's fields, then finding_groups,
// the findings grouped by cause and commit as the working paper shows them.
type withGroups struct {
	*Audit
	FindingGroups []Group `json:"finding_groups"`
}

// writeJSON writes withGroups{a, Groups(a.Findings)} as overview.WriteJSON
// would, byte for byte (TestWriteJSON), with the evidence rows encoded one
// by one: a year's audit is tens of megabytes of JSON, which the encoder
// would otherwise build in memory, growing its buffer by copies, before
// writing any of it.
func writeJSON(w io.Writer, a *Audit) error {
	jw := overview.NewJSONWriter(w)
	jw.Raw(`{"scope":`)
	jw.Value(&a.Scope)
	jw.Raw(`,"periods":`)
	jw.Value(a.Periods)
	jw.Raw(`,"exceptions":`)
	jw.Value(a.Exceptions)
	jw.Raw(`,"findings":`)
	jw.Value(a.Findings)
	jw.Raw(`,"evidence":`)
	overview.Items(jw, a.Evidence)
	jw.Raw(`,"finding_groups":`)
	jw.Value(Groups(a.Findings))
	jw.Raw("}\n")
	return jw.Close()
}

// CSVColumns are the columns of the audit's CSV (the evidence table), in
// order.
var CSVColumns = []string{"period", "device", "owner", "department", "in_population", "path", "status",
	"added_commit", "added_author", "added_time", "merge_commit", "merge_time", "pull_request", "subject",
	"supervisor", "supervisor_login", "supervisor_at", "supervisor_commit",
	"contractor", "contractor_login", "contractor_at", "contractor_commit",
	"recheck", "recheck_rules", "rules_commit", "reference_date", "late", "exceptions", "findings"}

func writeCSV(w io.Writer, a *Audit) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, r := range a.Evidence {
		rec := []string{r.Period, r.Device, r.Owner, r.Department, strconv.FormatBool(r.InPopulation), r.Path, r.Status}
		if c := r.Added; c != nil {
			rec = append(rec, c.SHA, c.Author, rfc(c.Time))
		} else {
			rec = append(rec, "", "", "")
		}
		if m := r.Merge; m != nil {
			rec = append(rec, m.SHA, rfc(m.Time), strconv.Itoa(m.PullRequest), m.Subject)
			for _, role := range []string{"supervisor", "contractor"} {
				a := approval(m, role)
				if a == nil {
					rec = append(rec, "", "", "", "")
					continue
				}
				rec = append(rec, a.Approver, a.Login, rfc(a.At), a.Commit)
			}
		} else {
			rec = append(rec, make([]string, 12)...)
		}
		if c := r.Recheck; c != nil {
			rec = append(rec, c.Result, strings.Join(c.Rules, " "), c.RulesCommit, c.RefDate)
		} else {
			rec = append(rec, "", "", "", "")
		}
		rec = append(rec, strconv.FormatBool(r.Late), strings.Join(r.Exceptions, " "), strings.Join(r.Findings, " "))
		if err := cw.Write(overview.SafeCSV(rec)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// approval returns the first approval of role in m.
func approval(m *Merge, role string) *Approval {
	for i := range m.Approvals {
		if m.Approvals[i].Role == role {
			return &m.Approvals[i]
		}
	}
	return nil
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func shortS(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
