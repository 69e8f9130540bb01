package issueform

import (
	"fmt"
	"path"
	"regexp"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
	"gopkg.in/yaml.v3"
)

// Context is what a form is built against: who submitted it (their person
// id, found from the issue author's GitHub login, never from the form), the
// day in the organisation's timezone, and the base tree's device registry.
type Context struct {
	Person   string
	Today    string // YYYY-MM-DD
	Devices  map[string]*record.Record
	ReadFile func(path string) ([]byte, error) // reads the base tree
	// For an exception request: the issue's number, the base's exceptions
	// and the ids of the rules of its policies (nil: not checked here).
	Issue      int
	Exceptions []*record.Record
	Rules      []string
}

// Record is the file a form becomes.
type Record struct {
	Kind    record.Kind
	Path    string
	Content []byte
	Subject string // the device the record is about
	// Rule is the rule an exception is for, "" for other records.
	Rule  string
	lines []keyLine
}

// keyLine says which question a line of Content answers, from that line on.
type keyLine struct {
	line  int
	field string
}

// Build turns the answers to t into a record. Problems are what the
// submitter must fix before there is a record to check at all (a missing
// device, a device of someone else); everything else is left to the
// checker, which judges the record exactly as it judges a pull request.
func Build(t *Template, a Answers, c Context) (*Record, []Problem, error) {
	if probs := t.Confirmed(a); len(probs) > 0 {
		return nil, probs, nil
	}
	switch t.Kind {
	case Report:
		return buildReport(a, c)
	case Register:
		return buildRegistration(a, c)
	case Retire:
		return buildRetirement(a, c)
	case Exception:
		return buildException(a, c)
	}
	return nil, nil, fmt.Errorf("build a record: unknown form %q", t.Kind)
}

// reportFields are a report's fields in the order they are written.
var reportFields = []string{"period", "device", "reporter", "os_name", "os_version", "os_build", "security_patch",
	"antivirus", "real_time_protection", "signatures_updated", "last_quick_scan", "last_full_scan",
	"threats_found", "threats_resolved", "disk_encryption", "screen_lock_minutes", "jailbroken", "wifi_mac", "concerns"}

var (
	boolFields = map[string]bool{"real_time_protection": true, "disk_encryption": true, "jailbroken": true}
	intFields  = map[string]bool{"threats_found": true, "threats_resolved": true, "screen_lock_minutes": true}
)

func buildReport(a Answers, c Context) (*Record, []Problem, error) {
	period, device := a.Get("period"), a.Get("device")
	var probs []Problem
	if !record.ValidPeriod(period) {
		probs = append(probs, Problem{Field: "period", Message: badAnswer(period, "a month written YYYY-MM", "2026-12")})
	}
	if !record.ValidID(device) {
		probs = append(probs, Problem{Field: "device", Message: badAnswer(device, "a device id", "d-"+c.Person+"-laptop; copy it from your monthly issue")})
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	m := newMapping()
	for _, k := range reportFields {
		v := a.Get(k)
		if k == "reporter" {
			v = c.Person
		}
		if v != "" {
			m.set(k, v)
		}
	}
	return m.finish(record.Report, path.Join(record.ReportsDir, period, device+".yaml"), device,
		"# yaml-language-server: $schema=../../schemas/report.schema.json")
}

func buildRegistration(a Answers, c Context) (*Record, []Problem, error) {
	id := a.Get("id")
	if id == "" && record.ValidID(a.Get("type")) {
		id = "d-" + c.Person + "-" + a.Get("type")
	}
	if !record.ValidID(id) {
		return nil, []Problem{{Field: "id", Message: badAnswer(id, "a device id of lowercase letters, digits and dashes", "d-"+c.Person+"-laptop")}}, nil
	}
	if _, taken := c.Devices[id]; taken {
		return nil, []Problem{{Field: "id", Message: fmt.Sprintf("a device %q is registered already; choose another id, such as %s-2", id, id)}}, nil
	}
	m := newMapping()
	m.set("id", id)
	m.set("owner", c.Person)
	for _, k := range []string{"ownership", "type", "platform", "model", "os_name", "os_version"} {
		if v := a.Get(k); v != "" {
			m.set(k, v)
		}
	}
	mac := newMapping()
	for _, k := range []string{"mac", "kind", "ssid"} {
		if v := a.Get(k); v != "" {
			mac.set(k, v)
		}
	}
	m.add("wifi_macs", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{mac.node}})
	m.set("registered", c.Today)
	m.set("status", "active")
	return m.finish(record.Device, path.Join(record.DevicesDir, id+".yaml"), id,
		"# yaml-language-server: $schema=../schemas/device.schema.json")
}

var missingRe = regexp.MustCompile(`^missing required field "([a-z_]+)"`)

// FieldOf returns the record field a finding about r is about: the field
// a missing-field finding names, else the field written on its line. It is
// "" for a finding about the file as a whole.
func (r *Record) FieldOf(f finding.Finding) string {
	if m := missingRe.FindStringSubmatch(f.Message); m != nil {
		return m[1]
	}
	field := ""
	for _, kl := range r.lines {
		if kl.line > f.Line {
			break
		}
		field = kl.field
	}
	return field
}

// badAnswer says that answer v is not what, with an example.
func badAnswer(v, what, example string) string {
	if v == "" {
		return fmt.Sprintf("the answer is blank; write %s, such as %s", what, example)
	}
	return fmt.Sprintf("%q is not %s; write one such as %s", v, what, example)
}
