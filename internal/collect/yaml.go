package collect

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fields returns the report fields the machine can fill, in report order:
// os_name (Linux only), os_version, os_build, wifi_mac. Blank ones are
// left out.
func (i *Info) Fields() [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	if i.Platform == "linux" {
		add("os_name", i.OSName)
	}
	add("os_version", i.OSVersion)
	add("os_build", i.OSBuild)
	add("wifi_mac", i.WiFiMAC())
	return out
}

// WriteYAML prints the fields as YAML to paste into a report, and every
// interface as a comment below them.
func (i *Info) WriteYAML(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# posture collect (%s): read from this machine, sent nowhere. Paste into your report.\n", i.Platform)
	for _, f := range i.Fields() {
		fmt.Fprintf(&b, "%s: %s\n", f[0], strconv.Quote(f[1]))
	}
	if len(i.Interfaces) == 0 {
		b.WriteString("# no Wi-Fi or Ethernet interface found: copy the Wi-Fi address from the network settings\n")
	}
	for _, n := range i.Interfaces {
		fmt.Fprintf(&b, "# %-8s %-12s %s", n.Kind, n.Name, n.MAC)
		switch {
		case n.Local && n.Kind == WiFi:
			b.WriteString("  locally administered (a private address): register it as private_fixed, or turn private addresses off for the corporate Wi-Fi")
		case n.Local:
			b.WriteString("  locally administered (a private or virtual address)")
		}
		if n.Hardware != "" {
			fmt.Fprintf(&b, "; hardware address %s", n.Hardware)
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Change is a field whose value Fill replaced with another: what the
// report said (Old) and what the machine says (New).
type Change struct {
	Field, Old, New string
}

// Fill sets the fields the machine can fill in a report's YAML text,
// keeping every other line and comment, and returns the new text and the
// fields whose value it changed. A blank field is filled, not changed, and
// a value that means the same (os_name in another case, a MAC address
// spelt otherwise) is no change.
func (i *Info) Fill(data []byte) ([]byte, []Change, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("read the report: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("read the report: it is not a mapping of field: value lines")
	}
	m := doc.Content[0]
	var changes []Change
	for _, f := range i.Fields() {
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f[1], Style: yaml.DoubleQuotedStyle}
		set := false
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value == f[0] {
				if old, ok := written(m.Content[j+1]); ok && !same(f[0], old, f[1]) {
					changes = append(changes, Change{Field: f[0], Old: old, New: f[1]})
				}
				// A "# TODO" left by posture report new is done now.
				if c := m.Content[j+1].LineComment; !strings.HasPrefix(c, "# TODO") {
					v.LineComment = c
				}
				if strings.HasPrefix(m.Content[j].LineComment, "# TODO") {
					m.Content[j].LineComment = ""
				}
				m.Content[j+1], set = v, true
			}
		}
		if !set {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f[0]}, v)
		}
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, nil, fmt.Errorf("write the report: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, nil, fmt.Errorf("write the report: %w", err)
	}
	return b.Bytes(), changes, nil
}

// written returns the text of a value the report holds; ok is false for a
// blank one (a "field: # TODO" left by posture report new) or one that is
// not a single value.
func written(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		return "", false
	}
	return n.Value, true
}

// same reports whether two values of a field mean the same: os_name
// without case (the policies compare it so), MAC addresses normalised,
// anything else as written.
func same(field, a, b string) bool {
	switch field {
	case "os_name":
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	case "wifi_mac":
		ma, okA := NormalizeMAC(a)
		mb, okB := NormalizeMAC(b)
		return okA && okB && ma == mb
	}
	return a == b
}
