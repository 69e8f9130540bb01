package overview

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats lists the output formats of the overview and the audit.
var Formats = []string{"md", "html", "csv", "json"}

// CheckFormat returns an error naming the formats when f is not one.
func CheckFormat(f string) error {
	for _, x := range Formats {
		if f == x {
			return nil
		}
	}
	return fmt.Errorf("unknown output format %q: use one of %s", f, strings.Join(Formats, ", "))
}

// Write renders o in format (md, html, csv or json).
func Write(w io.Writer, format string, o *Overview) error {
	switch format {
	case "md":
		return writeMarkdown(w, o)
	case "html":
		return writeHTML(w, o)
	case "csv":
		return writeCSV(w, o)
	case "json":
		return writeJSON(w, o)
	}
	return CheckFormat(format)
}

// writeJSON writes o as WriteJSON would, byte for byte (TestWriteJSON),
// with the devices and follow-ups encoded one by one: an organisation of
// 100,000 devices is tens of megabytes of JSON, which the encoder would
// otherwise build in memory before writing any of it.
func writeJSON(w io.Writer, o *Overview) error {
	jw := NewJSONWriter(w)
	jw.Raw(`{"organization":`)
	jw.Value(o.Organization)
	jw.Raw(`,"period":`)
	jw.Value(o.Period)
	jw.Raw(`,"due":`)
	jw.Value(o.Due)
	jw.Raw(`,"commit":`)
	jw.Value(o.Commit)
	jw.Raw(`,"commit_time":`)
	jw.Value(o.CommitTime)
	jw.Raw(`,"github":`)
	jw.Value(o.GitHub)
	jw.Raw(`,"totals":`)
	jw.Value(&o.Totals)
	jw.Raw(`,"departments":`)
	jw.Value(o.Departments)
	jw.Raw(`,"devices":`)
	Items(jw, o.Devices)
	jw.Raw(`,"follow_up":`)
	Items(jw, o.FollowUp)
	jw.Raw(`,"timezone":`)
	jw.Value(o.Timezone)
	jw.Raw(`,"as_of":`)
	jw.Value(o.AsOf)
	jw.Raw(`,"repo_url":`)
	jw.Value(o.RepoURL)
	jw.Raw(`,"periods":`)
	jw.Value(o.Periods)
	jw.Raw(`,"trends":`)
	jw.Value(o.Trends)
	jw.Raw(`,"ahead":`)
	jw.Value(o.Ahead)
	jw.Raw("}\n")
	return jw.Close()
}

// Items writes the list items onto jw one item at a time, as encoding/json
// writes the list (null for a nil one).
func Items[T any](jw *JSONWriter, items []T) {
	if items == nil {
		jw.Raw("null")
		return
	}
	jw.Raw("[")
	for i := range items {
		if i > 0 {
			jw.Raw(",")
		}
		jw.Value(&items[i])
	}
	jw.Raw("]")
}

// WriteJSON writes v as JSON indented by two spaces, ending in a newline,
// with HTML characters left as they are.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(&indentWriter{w: w, buf: make([]byte, 0, flushAt+1024)})
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// CSVColumns are the columns of the overview's CSV, in order.
var CSVColumns = []string{"period", "department", "employee", "name", "github", "device", "path", "state",
	"pull_request", "result", "errors", "warnings", "rules", "exceptions", "accepted", "late",
	"status", "days", "supervisor", "supervisor_name", "accepted_pull_request", "history",
	"report_url", "pull_request_url", "issue_url"}

func writeCSV(w io.Writer, o *Overview) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, d := range o.Devices {
		number := func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		hist := make([]string, len(d.History))
		for i, c := range d.History {
			hist[i] = c.Period + "=" + c.Mark
		}
		rec := []string{o.Period, d.Department, d.Employee, d.Name, d.GitHub, d.Device, d.Path, d.State,
			number(d.PullRequest), d.Result, strconv.Itoa(d.Errors), strconv.Itoa(d.Warnings), strings.Join(d.Rules, " "),
			strings.Join(d.Exceptions, " "), d.Accepted, strconv.FormatBool(d.Late),
			d.Status, strconv.Itoa(d.Days), d.Supervisor, d.SupervisorName, number(d.AcceptedPull), strings.Join(hist, " "),
			d.Links.Report, d.Links.PullRequest, d.Links.Issue}
		if err := cw.Write(SafeCSV(rec)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCSV prefixes with a single quote every cell that a spreadsheet would
// run as a formula (starting with =, +, -, @, tab or carriage return), so
// text from a record cannot become one.
func SafeCSV(rec []string) []string {
	for i, c := range rec {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			rec[i] = "'" + c
		}
	}
	return rec
}
