package issueform

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/record"
)

// approvalTODO ends an exception built from a form: the IT admin who
// approves it in review writes approved_by, and until then the check fails
// on the missing field, so the pull request cannot be merged unapproved.
const approvalTODO = `# TODO for the IT admin who approves this exception in review: add the line
#   approved_by: <your person id>
# posture/check fails until approved_by names an active IT admin.
`

// buildException writes policies/exceptions/<id>.yaml for one device and
// one rule, without approved_by. The device is the submitter's own; when
// the base has an exception for the same device and rule, the form renews
// that file (new reason and date, and a new approval), else the id is
// exc-<device>-<rule>, or exc-<year>-issue-<n> when that is too long or
// taken.
func buildException(a Answers, c Context) (*Record, []Problem, error) {
	dev, rule := a.Get("device"), a.Get("rule")
	var probs []Problem
	switch {
	case !record.ValidID(dev):
		probs = append(probs, Problem{Field: "device", Message: badAnswer(dev, "a device id", "d-"+c.Person+"-laptop; copy it from devices/ or your monthly issue")})
	case c.Devices[dev] == nil:
		probs = append(probs, Problem{Field: "device", Message: fmt.Sprintf("no device %q is registered; check the id in devices/", dev)})
	case c.Devices[dev].String("owner") != c.Person:
		probs = append(probs, Problem{Field: "device", Message: fmt.Sprintf("device %q belongs to %s, not to you (%s); its owner asks for its exceptions", dev, c.Devices[dev].String("owner"), c.Person)})
	case c.Devices[dev].String("status") == "retired":
		probs = append(probs, Problem{Field: "device", Message: fmt.Sprintf("device %q is retired; a retired device needs no exception", dev)})
	}
	switch {
	case rule == "":
		probs = append(probs, Problem{Field: "rule", Message: "the answer is blank; write the rule's id, the text in brackets at the end of the check's message, such as os.supported"})
	case c.Rules != nil && !slices.Contains(c.Rules, rule):
		probs = append(probs, Problem{Field: "rule", Message: fmt.Sprintf("%q is not a rule of the policies; copy the id in brackets at the end of the check's message, such as os.supported", rule)})
	}
	if until := a.Get("expires"); record.ValidDate(until) && until < c.Today {
		probs = append(probs, Problem{Field: "expires", Message: fmt.Sprintf("%s is before today (%s); write the last day the exception should be in force, after today", until, c.Today)})
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	id, file, err := exceptionID(c, dev, rule)
	if err != nil {
		return nil, nil, err
	}
	m := newMapping()
	m.set("id", id)
	m.set("rule", rule)
	m.set("device", dev)
	for _, k := range []string{"reason", "expires"} {
		if v := a.Get(k); v != "" {
			m.set(k, v)
		}
	}
	rec, probs, err := m.finish(record.Exception, file, dev,
		"# yaml-language-server: $schema=../../schemas/exception.schema.json")
	if rec != nil {
		rec.Rule = rule
		rec.Content = append(rec.Content, approvalTODO...)
	}
	return rec, probs, err
}

// exceptionID returns the id and file of the exception for dev and rule:
// the base's own for that pair, else a new one the base does not have.
func exceptionID(c Context, dev, rule string) (id, file string, err error) {
	for _, x := range c.Exceptions {
		if x.String("device") == dev && x.String("rule") == rule && record.ValidID(x.String("id")) {
			return x.String("id"), x.Path, nil
		}
	}
	taken := func(id string) bool {
		if slices.ContainsFunc(c.Exceptions, func(x *record.Record) bool { return x.String("id") == id }) {
			return true
		}
		_, err := c.ReadFile(exceptionFile(id))
		return err == nil
	}
	id = "exc-" + dev + "-" + strings.NewReplacer(".", "-", "_", "-").Replace(rule)
	if record.ValidID(id) && !taken(id) {
		return id, exceptionFile(id), nil
	}
	year := "0000"
	if len(c.Today) >= 4 {
		year = c.Today[:4]
	}
	id = fmt.Sprintf("exc-%s-issue-%d", year, c.Issue)
	if taken(id) {
		return "", "", fmt.Errorf("build an exception: %s exists on the base already", exceptionFile(id))
	}
	return id, exceptionFile(id), nil
}

func exceptionFile(id string) string { return path.Join(record.ExceptionsDir, id+".yaml") }
