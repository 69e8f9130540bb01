// Package record is posture's data model: the kinds of YAML files in the
// repository, how they are parsed from untrusted text, and where each field
// stands in its file.
package record

import (
	"path"
	"regexp"
	"strings"
)

// Kind is the kind of a record, decided by where its file lives.
type Kind string

// The kinds of record.
const (
	Person    Kind = "person"
	Device    Kind = "device"
	Report    Kind = "report"
	Exception Kind = "exception"
)

// The folders that hold records.
const (
	PeopleDir     = "people"
	DevicesDir    = "devices"
	ReportsDir    = "reports"
	ExceptionsDir = "policies/exceptions"
)

// PolicyDir holds the Rego policies, their data and the exceptions.
const PolicyDir = "policies"

// Dirs lists the record folders in a stable order.
var Dirs = []string{PeopleDir, DevicesDir, ReportsDir, ExceptionsDir}

var (
	periodRe = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	idRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

// ValidID reports whether s is a well-formed record id.
func ValidID(s string) bool { return idRe.MatchString(s) }

// ValidPeriod reports whether s is a well-formed YYYY-MM period.
func ValidPeriod(s string) bool { return periodRe.MatchString(s) }

// Classify says what a repository path holds. ok is false for files that are
// not records (README files, evidence, anything outside the record folders).
// problem is set for a file inside a record folder that is misplaced or
// misnamed, with what to do about it.
func Classify(p string) (k Kind, ok bool, problem string) {
	dir, file := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	ext := path.Ext(file)
	if ext != ".yaml" && ext != ".yml" {
		return "", false, ""
	}
	if strings.HasPrefix(file, ".") {
		return "", false, ""
	}
	id := strings.TrimSuffix(file, ext)
	want := func(k Kind, where string) (Kind, bool, string) {
		if ext != ".yaml" {
			return k, true, "record files end in .yaml, not " + ext + ": rename it to " + path.Join(dir, id+".yaml")
		}
		if !ValidID(id) {
			return k, true, "the file name " + `"` + file + `"` + " is not a valid id (lowercase letters, digits and dashes); name it " + where
		}
		return k, true, ""
	}
	switch {
	case dir == PeopleDir:
		return want(Person, "people/<person-id>.yaml")
	case dir == DevicesDir:
		return want(Device, "devices/<device-id>.yaml")
	case dir == ExceptionsDir:
		return want(Exception, "policies/exceptions/<exception-id>.yaml")
	case dir == ReportsDir:
		return Report, true, "reports live in a folder per month: move it to reports/YYYY-MM/<device-id>.yaml"
	case strings.HasPrefix(dir, ReportsDir+"/"):
		rest := strings.TrimPrefix(dir, ReportsDir+"/")
		if strings.Contains(rest, "/") {
			// Deeper folders hold evidence, not reports.
			return "", false, ""
		}
		if !ValidPeriod(rest) {
			return Report, true, `the folder "` + rest + `" is not a period: move the report to reports/YYYY-MM/<device-id>.yaml`
		}
		return want(Report, "reports/"+rest+"/<device-id>.yaml")
	}
	return "", false, ""
}

// PeriodOf returns the period folder of a report path, or "".
func PeriodOf(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) == 3 && parts[0] == ReportsDir {
		return parts[1]
	}
	return ""
}

// IDOf returns the file name of p without its extension.
func IDOf(p string) string {
	file := path.Base(p)
	return strings.TrimSuffix(file, path.Ext(file))
}
