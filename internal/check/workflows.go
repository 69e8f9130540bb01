package check

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/settings"
	"gopkg.in/yaml.v3"
)

// ruleWorkflowTimezone is the id of the finding for a scheduled workflow
// whose timezone is not the organisation's.
const ruleWorkflowTimezone = "workflow.timezone"

// WorkflowsDir holds the GitHub Actions workflows.
const WorkflowsDir = ".github/workflows"

// maxWorkflowSize bounds what is read of one workflow file: GitHub refuses
// far smaller ones, and a larger file is not one to parse here.
const maxWorkflowSize = 1 << 20

// workflowTimezones reports every schedule of the workflows in fsys whose
// timezone differs from posture.yaml's: the monthly issues and the
// reminders would run at another hour, on another day near midnight, than
// the due dates posture computes. posture.yaml is the one source;
// posture init and posture upgrade write it into the workflows. A schedule
// without a timezone (cron in UTC) is the workflow's own choice and not
// compared. A timezone that posture.yaml gets wrong is reported there, and
// nothing is compared with it.
func workflowTimezones(fsys fs.FS, s settings.Settings) []finding.Finding {
	if s.Record != nil && s.Record.String("timezone") != "" && s.Record.String("timezone") != s.Timezone {
		return nil
	}
	entries, err := fs.ReadDir(fsys, WorkflowsDir)
	if err != nil {
		return nil // no workflows, or none readable: nothing scheduled here
	}
	var out []finding.Finding
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
			continue
		}
		p := path.Join(WorkflowsDir, name)
		data, err := readSmall(fsys, p)
		if err != nil {
			continue // not posture's to judge: GitHub and actionlint say why
		}
		for _, tz := range scheduleTimezones(data) {
			if tz.Value == s.Timezone {
				continue
			}
			out = append(out, finding.Finding{File: p, Line: tz.Line, Column: tz.Column, Rule: ruleWorkflowTimezone, Severity: finding.Deny,
				Message: fmt.Sprintf("the schedule's timezone %q is not posture.yaml's timezone %q, so this workflow runs at another hour than the due dates posture computes: set it to %q (posture upgrade does), or change timezone in posture.yaml", tz.Value, s.Timezone, s.Timezone)})
		}
	}
	return out
}

// readSmall reads a file of at most maxWorkflowSize bytes.
func readSmall(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || info.Size() > maxWorkflowSize {
		return nil, errors.New("too large")
	}
	return fs.ReadFile(fsys, p)
}

// scheduleTimezones returns the timezone value nodes of on.schedule[*] in
// a workflow's YAML; none when it does not parse or has no schedule.
func scheduleTimezones(data []byte) []*yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	schedule := lookupKey(lookupKey(doc.Content[0], "on"), "schedule")
	if schedule == nil || schedule.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, entry := range schedule.Content {
		if tz := lookupKey(entry, "timezone"); tz != nil && tz.Kind == yaml.ScalarNode {
			out = append(out, tz)
		}
	}
	return out
}

// lookupKey returns the value of key in a mapping node, nil when n is not a
// mapping or lacks the key.
func lookupKey(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
