package issueform

import (
	"fmt"
	"path"

	"github.com/posture-dev/posture/internal/record"
	"gopkg.in/yaml.v3"
)

// buildRetirement edits the device's file as the base has it: status
// retired and a retirement block, every other line kept.
func buildRetirement(a Answers, c Context) (*Record, []Problem, error) {
	id := a.Get("device")
	if !record.ValidID(id) {
		return nil, []Problem{{Field: "device", Message: badAnswer(id, "a device id", "d-"+c.Person+"-laptop; copy it from devices/")}}, nil
	}
	dev, ok := c.Devices[id]
	if !ok {
		return nil, []Problem{{Field: "device", Message: fmt.Sprintf("no device %q is registered; check the id in devices/", id)}}, nil
	}
	if owner := dev.String("owner"); owner != c.Person {
		return nil, []Problem{{Field: "device", Message: fmt.Sprintf("device %q belongs to %s, not to you (%s); only its owner retires a device. Ask IT if it changed hands", id, owner, c.Person)}}, nil
	}
	if dev.String("status") == "retired" {
		return nil, []Problem{{Field: "device", Message: fmt.Sprintf("device %q is retired already; nothing to do, close this issue", id)}}, nil
	}
	p := path.Join(record.DevicesDir, id+".yaml")
	data, err := c.ReadFile(p)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s on the base: %w", p, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("read %s on the base: not a YAML mapping", p)
	}
	root := doc.Content[0]
	date := a.Get("date")
	if date == "" {
		date = c.Today
	}
	ret := newMapping()
	ret.set("date", date)
	if v := a.Get("reason"); v != "" {
		ret.set("reason", v)
	}
	if v := a.Get("data_disposition"); v != "" {
		ret.set("data_disposition", v)
	}
	setKey(root, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "retired"})
	setKey(root, "retirement", ret.node)
	return encode(record.Device, p, id, &doc)
}

// setKey replaces the value of key in a mapping, or appends key: v.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}
