package issueform

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/posture-dev/posture/internal/record"
	"gopkg.in/yaml.v3"
)

// mapping builds a YAML mapping with values styled so that they read back
// as the text given: strings double-quoted (or as a literal block when
// they span lines), yes/no answers as booleans, whole numbers as integers.
type mapping struct{ node *yaml.Node }

func newMapping() *mapping { return &mapping{node: &yaml.Node{Kind: yaml.MappingNode}} }

func (m *mapping) add(key string, v *yaml.Node) {
	m.node.Content = append(m.node.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func (m *mapping) set(key, v string) {
	switch {
	case boolFields[key] && yesNo(v) != "":
		m.add(key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: yesNo(v)})
	case intFields[key] && isInt(v):
		m.add(key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v})
	default:
		m.add(key, strNode(key, v))
	}
}

// quoted are the fields written in quotes whatever they hold, as the
// README asks for versions, periods and addresses.
var quoted = map[string]bool{"period": true, "os_version": true, "os_build": true, "wifi_mac": true, "mac": true}

// plainRe is text that reads back as itself without quotes (dates read
// back as their text too: record.Parse keeps every scalar's text).
var plainRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()/+,-]*[A-Za-z0-9)]$`)

func strNode(key, v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle}
	switch {
	case strings.Contains(v, "\n"):
		n.Style = yaml.LiteralStyle
	case !quoted[key] && plainRe.MatchString(v) && readsAsText(v):
		n.Style, n.Tag = 0, "" // no tag: a date stays unquoted, as people write it
	}
	return n
}

// readsAsText reports whether v written plain is a string or a date to
// YAML, not a number, a boolean or null.
func readsAsText(v string) bool {
	var n yaml.Node
	if yaml.Unmarshal([]byte(v), &n) != nil || len(n.Content) != 1 {
		return false
	}
	tag := n.Content[0].ShortTag()
	return (tag == "!!str" || tag == "!!timestamp") && n.Content[0].Value == v
}

func yesNo(v string) string {
	switch strings.ToLower(v) {
	case "yes", "true":
		return "true"
	case "no", "false":
		return "false"
	}
	return ""
}

func isInt(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 0 && strconv.Itoa(n) == v
}

func (m *mapping) finish(kind record.Kind, p, subject, comment string) (*Record, []Problem, error) {
	m.node.HeadComment = comment
	return encode(kind, p, subject, m.node)
}

// encode writes root as YAML, reads it back as the checker will, and
// records which line answers which question.
func encode(kind record.Kind, p, subject string, root *yaml.Node) (*Record, []Problem, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", p, err)
	}
	if err := enc.Close(); err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", p, err)
	}
	r := &Record{Kind: kind, Path: p, Content: buf.Bytes(), Subject: subject}
	var doc yaml.Node
	if err := yaml.Unmarshal(r.Content, &doc); err != nil || len(doc.Content) != 1 {
		return nil, nil, fmt.Errorf("read back %s: %v", p, err)
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		r.lines = append(r.lines, keyLine{k.Line, k.Value})
		switch {
		case k.Value == "wifi_macs" && v.Kind == yaml.SequenceNode && len(v.Content) > 0:
			v = v.Content[0]
			fallthrough
		case k.Value == "retirement" && v.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(v.Content); j += 2 {
				r.lines = append(r.lines, keyLine{v.Content[j].Line, v.Content[j].Value})
			}
		}
	}
	sort.SliceStable(r.lines, func(i, j int) bool { return r.lines[i].line < r.lines[j].line })
	return r, nil, nil
}
