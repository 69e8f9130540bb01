package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ssidsKey holds the corporate networks in the policy data.
const ssidsKey = "corporate_ssids"

// SSIDs returns corporate_ssids of a policy data file.
func SSIDs(data []byte) ([]string, error) {
	root, err := dataRoot(data)
	if err != nil {
		return nil, err
	}
	v := value(root, ssidsKey)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil, nil
	}
	var out []string
	for _, n := range v.Content {
		if n.Kind == yaml.ScalarNode && n.Value != "" {
			out = append(out, n.Value)
		}
	}
	return out, nil
}

// setSSIDs returns the data file with corporate_ssids set to ssids, every
// other byte kept: the list is posture's one-line flow sequence.
func setSSIDs(data []byte, ssids []string) ([]byte, error) {
	root, err := dataRoot(data)
	if err != nil {
		return nil, err
	}
	v := value(root, ssidsKey)
	if v == nil || v.Kind != yaml.SequenceNode || v.Style&yaml.FlowStyle == 0 {
		return nil, fmt.Errorf("%s is not a one-line [list] in posture's data file", ssidsKey)
	}
	lines := splitLines(string(data))
	line := lines[v.Line-1]
	end := strings.IndexByte(line[v.Column-1:], ']')
	if end < 0 {
		return nil, fmt.Errorf("%s is not a one-line [list] in posture's data file", ssidsKey)
	}
	quoted := make([]string, len(ssids))
	for i, s := range ssids {
		quoted[i] = yamlScalar(s)
	}
	lines[v.Line-1] = line[:v.Column-1] + "[" + strings.Join(quoted, ", ") + "]" + line[v.Column-1+end+1:]
	out := []byte(strings.Join(lines, ""))
	if got, err := SSIDs(out); err != nil || !slices.Equal(got, ssids) {
		return nil, fmt.Errorf("write %s %q: it reads back as %q (%v)", ssidsKey, ssids, got, err)
	}
	return out, nil
}

// MergeData returns the organisation's policy data with every key of
// posture's defaults that it lacks, at any depth of nested mappings, added
// with its default value and comments; added lists the new keys' paths
// (thresholds.new_days). The organisation's keys, values, comments and
// layout are kept byte for byte: new keys are inserted as text, after the
// last line of the mapping they belong to, and only decided on the YAML
// nodes. A key written in flow style ({a: 1}) gets no new keys inside it;
// they are listed in skipped, to add by hand.
func MergeData(org, defaults []byte) (out []byte, added, skipped []string, err error) {
	def, err := dataRoot(defaults)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("posture's defaults: %w", err)
	}
	mine, err := dataRoot(org)
	if errors.Is(err, errEmpty) {
		return defaults, topKeys(def), nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	lines := splitLines(string(org))
	var ins []insertion
	collect(mine, def, nil, true, lines, &ins, &skipped)
	if len(ins) == 0 {
		return org, nil, skipped, nil
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	// From the bottom up, so that earlier line numbers stay right; keys
	// for one place keep the defaults' order.
	slices.SortStableFunc(ins, func(a, b insertion) int { return b.after - a.after })
	for i := 0; i < len(ins); {
		j := i
		var text strings.Builder
		for ; j < len(ins) && ins[j].after == ins[i].after; j++ {
		}
		for k := i; k < j; k++ {
			text.WriteString(ins[k].text)
		}
		at := ins[i].after
		if at < 0 {
			at = len(lines)
		}
		lines = slices.Insert(lines, at, text.String())
		i = j
	}
	for _, in := range ins {
		added = append(added, in.path)
	}
	slices.Sort(added)
	out = []byte(strings.Join(lines, ""))
	// The text must read back as the organisation's data, every value as
	// it was, plus the new keys with their defaults.
	if err := readsBack(org, defaults, out, added); err != nil {
		return nil, nil, nil, fmt.Errorf("add %s to the data file: %w; add the new keys by hand, with the values of posture's defaults", strings.Join(added, ", "), err)
	}
	return out, added, skipped, nil
}

// readsBack checks that out decodes as org with the keys at the paths
// added set to their values in defaults, and as nothing else.
func readsBack(org, defaults, out []byte, added []string) error {
	var want, def, got map[string]any
	if err := yaml.Unmarshal(org, &want); err != nil {
		return err
	}
	if err := yaml.Unmarshal(defaults, &def); err != nil {
		return err
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("the result does not parse: %w", err)
	}
	for _, p := range added {
		keys := strings.Split(p, ".")
		v, ok := lookupPath(def, keys)
		parent, ok2 := lookupPath(want, keys[:len(keys)-1])
		m, ok3 := parent.(map[string]any) // want itself for a key at the top
		if !ok || !ok2 || !ok3 {
			return fmt.Errorf("%s has no place in the data file", p)
		}
		m[keys[len(keys)-1]] = v
	}
	if !reflect.DeepEqual(got, want) {
		return errors.New("the result does not read back as the data file's values plus the new keys")
	}
	return nil
}

// lookupPath returns the value at keys in nested maps.
func lookupPath(v any, keys []string) (any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

type insertion struct {
	after int // the line after which to insert, 1-based; -1 for the end
	path  string
	text  string
}

// collect finds the keys of def that mine lacks; lines are the text mine
// was parsed from.
func collect(mine, def *yaml.Node, keys []string, top bool, lines []string, ins *[]insertion, skipped *[]string) {
	for i := 0; i+1 < len(def.Content); i += 2 {
		k, v := def.Content[i], def.Content[i+1]
		p := append(slices.Clone(keys), k.Value)
		have := value(mine, k.Value)
		switch {
		case have == nil && mine.Style&yaml.FlowStyle != 0:
			*skipped = append(*skipped, strings.Join(p, "."))
		case have == nil:
			after, indent := -1, 0
			if !top {
				indent = mine.Content[0].Column - 1
				after = endLine(lines, lastLine(mine), indent)
			}
			*ins = append(*ins, insertion{after: after, path: strings.Join(p, "."), text: pairText(k, v, indent, top)})
		case have.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode && len(have.Content) > 0:
			collect(have, v, p, false, lines, ins, skipped)
		}
	}
}

// pairText writes key: value as YAML, the key's comments with it, indented
// by indent spaces; a new top-level key is set off by a blank line.
func pairText(k, v *yaml.Node, indent int, top bool) string {
	m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(m) // nodes from a parsed document always encode
	_ = enc.Close()
	var out strings.Builder
	if top {
		out.WriteString("\n")
	}
	pad := strings.Repeat(" ", indent)
	for line := range strings.Lines(b.String()) {
		if strings.TrimSpace(line) != "" {
			out.WriteString(pad)
		}
		out.WriteString(line)
	}
	return out.String()
}

// endLine is the last line of a block mapping whose keys stand indent
// spaces in and whose last node starts or ends on line last (1-based):
// the lines after it indented deeper still belong to it (a plain, quoted
// or folded scalar running over several lines, a comment inside it), as
// do blank lines before more such lines.
func endLine(lines []string, last, indent int) int {
	end := last
	for i := last; i < len(lines); i++ { // lines[i] is line i+1
		text := strings.TrimRight(lines[i], "\r\n")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if len(text)-len(strings.TrimLeft(text, " ")) <= indent {
			break
		}
		end = i + 1
	}
	return end
}

// lastLine is the last line a node's text takes, as far as its node says
// (a block scalar counts its lines; see endLine for the rest).
func lastLine(n *yaml.Node) int {
	last := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0) {
		last += strings.Count(strings.TrimSuffix(n.Value, "\n"), "\n") + 1
	}
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

var errEmpty = errors.New("empty document")

// dataRoot parses a data file whose top is a mapping.
func dataRoot(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errEmpty
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("its top is not a mapping of keys")
	}
	return doc.Content[0], nil
}

// value returns the value of key in mapping n, nil when absent.
func value(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func topKeys(n *yaml.Node) []string {
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, n.Content[i].Value)
	}
	slices.Sort(out)
	return out
}
