package check

import (
	"fmt"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

// ownership applies rule 2 of the trust boundary (see admission) to a
// report or device a pull request adds or changes, judged by the base's
// registry in t. author is the pull request's author; devicesOnly is set
// when every record the pull request changes is a device, the one change an
// active IT admin may make for others.
func ownership(t *trusted, r *record.Record, author string, devicesOnly bool) []finding.Finding {
	switch r.Kind {
	case record.Report:
		// Whose report it is follows from its path, the device it is filed
		// under, not from what the file says (report.path, which ties the
		// two, no exception silences).
		owner, _ := record.Owner(record.Report, record.IDOf(r.Path), r.String("reporter"), t.deviceOwner)
		return t.authoredBy(r, "reporter", owner, author)
	case record.Device:
	default:
		return nil
	}
	admin := devicesOnly && t.itAdmin(author)
	id := record.IDOf(r.Path)
	base := t.devices[id]
	if base == nil {
		if admin {
			return nil // IT registers a device for someone
		}
		return t.authoredBy(r, "owner", r.String("owner"), author)
	}
	var out []finding.Finding
	at := func(field, rule, format string, args ...any) {
		line, col := r.Pos(field)
		out = append(out, finding.Finding{File: r.Path, Line: line, Column: col, Rule: rule, Severity: finding.Deny,
			Message: fmt.Sprintf(format, args...)})
	}
	baseOwner := base.String("owner")
	if got := r.String("owner"); got != baseOwner && !admin {
		at("owner", ruleOwner, "device %q belongs to %q on the base branch; its owner never changes in an employee's pull request. A transfer is an IT admin's change in a pull request of its own: ask IT, or register your own device under a new id", id, baseOwner)
	}
	if base.String("status") == "retired" && r.String("status") != "retired" {
		at("status", ruleRetired, "device %q is retired on the base branch and stays retired; to use it again, register it anew under a new id in its own pull request", id)
	}
	if admin {
		return out
	}
	return append(out, t.authoredBy(r, "owner", baseOwner, author)...)
}

// deviceOwner looks a device up in the base's registry.
func (t *trusted) deviceOwner(id string) (string, bool) {
	d := t.devices[id]
	if d == nil {
		return "", false
	}
	return d.String("owner"), true
}

// itAdmin reports whether login is an active IT admin on the base.
func (t *trusted) itAdmin(login string) bool {
	if login == "" {
		return false
	}
	if is, ok := t.admin[login]; ok {
		return is
	}
	is := false
	for _, p := range t.people {
		if strings.EqualFold(p.String("github"), login) && p.String("role") == "it-admin" && p.Data["active"] == true {
			is = true
			break
		}
	}
	if t.admin == nil {
		t.admin = map[string]bool{}
	}
	t.admin[login] = is
	return is
}

// authoredBy refuses r unless owner (a person id) has the GitHub login
// author on the base. With no author known (a local run) it refuses
// nothing.
func (t *trusted) authoredBy(r *record.Record, field, owner, author string) []finding.Finding {
	if author == "" {
		return nil
	}
	p := t.people[owner]
	if p != nil && strings.EqualFold(p.String("github"), author) {
		return nil
	}
	login := "nobody registered"
	if p != nil {
		login = "@" + p.String("github")
	}
	line, col := r.Pos(field)
	return []finding.Finding{{File: r.Path, Line: line, Column: col, Rule: ruleAuthor, Severity: finding.Deny,
		Message: fmt.Sprintf("this pull request is by @%s, but %s %q belongs to %s; employees report and register only their own devices", author, r.Kind, record.IDOf(r.Path), login)}}
}
