// Package settings reads the organisation's posture.yaml: its timezone, the
// day reports are due, the bot that opens pull requests and the paths a
// report's pull request may not touch.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/calendar"
	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// File is the settings file at the repository root.
const File = "posture.yaml"

// Defaults.
const (
	DefaultTimezone      = "Asia/Tokyo"
	DefaultDueDay        = 10
	DefaultMaxAutoIssues = 200
)

// DefaultProtected are the paths trusted by the checker: a pull request that
// adds reports or devices may not change them.
var DefaultProtected = []string{
	"policies/", "schemas/", "people/", ".github/", "cmd/", "internal/",
	File, "go.mod", "go.sum", "action.yml",
}

// Settings is the parsed settings file with defaults filled in.
type Settings struct {
	Organization   string
	Timezone       string
	Location       *time.Location
	ReportDueDay   int
	BotLogin       string
	MaxAutoIssues  int
	ProtectedPaths []string
	// Record is the parsed file, nil when the repository has none.
	Record *record.Record
}

// Default returns the settings of a repository without posture.yaml.
func Default() Settings {
	loc, _ := time.LoadLocation(DefaultTimezone)
	return Settings{Timezone: DefaultTimezone, Location: loc, ReportDueDay: DefaultDueDay,
		MaxAutoIssues: DefaultMaxAutoIssues, ProtectedPaths: DefaultProtected}
}

// Load reads posture.yaml from the root of fsys. A missing file gives the
// defaults. Problems with the file's content come back as findings (the
// defaults stand in for bad values); err is set only when the file could not
// be read at all.
func Load(fsys fs.FS) (Settings, []finding.Finding, error) {
	s := Default()
	data, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil, nil
	}
	if err != nil {
		return s, nil, fmt.Errorf("read %s: %w", File, err)
	}
	rec, fs := record.Parse(File, "settings", data)
	if rec == nil {
		return s, fs, nil
	}
	s.Record = rec
	s.Organization = rec.String("organization")
	if tz := rec.String("timezone"); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			line, col := rec.Pos("timezone")
			fs = append(fs, finding.Finding{File: File, Line: line, Column: col, Rule: "settings.timezone", Severity: finding.Deny,
				Message: fmt.Sprintf("timezone %q is not an IANA timezone name such as Asia/Tokyo or Europe/Berlin", tz)})
		} else {
			s.Timezone, s.Location = tz, loc
		}
	}
	if n, ok := number(rec.Data["report_due_day"]); ok {
		if n < 1 || n > calendar.LastDueDay {
			line, col := rec.Pos("report_due_day")
			fs = append(fs, finding.Finding{File: File, Line: line, Column: col, Rule: "settings.report_due_day", Severity: finding.Deny,
				Message: fmt.Sprintf("report_due_day %d is not a day from 1 to %d; set it to the day of the month reports are due (until then the default, %d, stands in)",
					n, calendar.LastDueDay, DefaultDueDay)})
		} else {
			s.ReportDueDay = n
		}
	}
	if n, ok := number(rec.Data["max_auto_issues"]); ok {
		s.MaxAutoIssues = n
	}
	s.BotLogin = rec.String("bot_login")
	if list, ok := rec.Data["protected_paths"].([]any); ok {
		s.ProtectedPaths = nil
		for _, p := range list {
			if p, ok := p.(string); ok && p != "" {
				s.ProtectedPaths = append(s.ProtectedPaths, p)
			}
		}
	}
	return s, fs, nil
}

func number(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil
}

// Protected reports whether a change to path touches a trusted path.
func (s Settings) Protected(path string) bool {
	for _, p := range s.ProtectedPaths {
		if strings.HasSuffix(p, "/") {
			if strings.HasPrefix(path, p) {
				return true
			}
		} else if path == p {
			return true
		}
	}
	return false
}

// DueDate returns the day a period's reports are due, at the end of that day
// in the organisation's timezone: its last instant, so that it reads as the
// due day there. ok is false for a malformed period.
func (s Settings) DueDate(period string) (time.Time, bool) {
	due, err := calendar.Due(period, s.ReportDueDay)
	if err != nil {
		return time.Time{}, false
	}
	return due.End(s.Location).Add(-time.Nanosecond), true
}

// Date returns t's calendar date in the organisation's timezone.
func (s Settings) Date(t time.Time) string {
	return t.In(s.Location).Format(time.DateOnly)
}

// Data returns the settings as handed to the policies as data.settings.
func (s Settings) Data() map[string]any {
	return map[string]any{
		"organization":    s.Organization,
		"timezone":        s.Timezone,
		"report_due_day":  json.Number(strconv.Itoa(s.ReportDueDay)),
		"bot_login":       s.BotLogin,
		"max_auto_issues": json.Number(strconv.Itoa(s.MaxAutoIssues)),
	}
}
